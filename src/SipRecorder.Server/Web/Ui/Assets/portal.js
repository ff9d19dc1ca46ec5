// The recordings screen's behaviour: dates in the browser's time zone, a player (one audio element, the recording's
// waveform, a seek bar; saying why when a recording cannot play), select-all, and "Delete selected" through the API with the session's
// anti-forgery token. Words come from the page (data-* attributes), in the page's language.
(function () {
  const lang = document.documentElement.lang || 'en';
  const format = (text, ...values) => text.replace(/\{(\d+)\}/g, (_, i) => values[Number(i)]);
  const pad = n => String(n).padStart(2, '0');
  for (const cell of document.querySelectorAll('time[datetime]')) {
    const d = new Date(cell.getAttribute('datetime'));
    const month = new Intl.DateTimeFormat(lang, { month: 'short' }).format(d).replace('.', '');
    const zone = new Intl.DateTimeFormat(lang, { timeZoneName: 'short' }).formatToParts(d).find(p => p.type === 'timeZoneName');
    const clock = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${zone ? ' ' + zone.value : ''}`;
    cell.textContent = lang === 'es'
      ? `${d.getDate()} ${month} ${d.getFullYear()} ${clock}`
      : `${month} ${d.getDate()}, ${d.getFullYear()} ${clock}`;
  }

  // Dates in the filters are the user's days: the server is told the browser's offset from UTC.
  const tz = document.getElementById('tz');
  if (tz && !tz.value) tz.value = String(new Date().getTimezoneOffset());

  // The folder and page-size lists apply at once (the Content-Security-Policy allows no inline handlers).
  for (const select of document.querySelectorAll('select[data-submit-on-change]')) {
    select.addEventListener('change', () => select.form.submit());
  }

  const player = document.getElementById('player');
  const message = document.getElementById('player-message');
  const panel = document.getElementById('player-panel');
  const toggle = document.getElementById('player-toggle');
  const seek = document.getElementById('seek');
  const clock = document.getElementById('player-time');
  const canvas = document.getElementById('waveform');
  const noWaveform = document.getElementById('no-waveform');
  const minutes = t => { const s = Math.max(0, Math.round(t || 0)); return `${Math.floor(s / 60)}:${pad(s % 60)}`; };
  let playing = null;
  let peaks = null;

  // Each channel's peaks per bucket, drawn to the canvas's width: left above the middle line, right below; the part
  // already heard darker.
  const draw = () => {
    if (!canvas || !peaks) return;
    const width = canvas.width = canvas.clientWidth * (window.devicePixelRatio || 1);
    const height = canvas.height = canvas.clientHeight * (window.devicePixelRatio || 1);
    const context = canvas.getContext('2d');
    context.clearRect(0, 0, width, height);
    const middle = height / 2;
    const count = peaks.left.length;
    const heard = player.duration ? player.currentTime / player.duration : 0;
    for (let x = 0; x < width; x++) {
      const from = Math.floor(x * count / width), to = Math.max(from + 1, Math.floor((x + 1) * count / width));
      let left = 0, right = 0;
      for (let i = from; i < to && i < count; i++) { left = Math.max(left, peaks.left[i]); right = Math.max(right, peaks.right[i]); }
      const past = x / width < heard;
      context.fillStyle = past ? '#0d3573' : '#1f5fbf';
      context.fillRect(x, middle - Math.max(1, left / 255 * (middle - 1)), 1, Math.max(1, left / 255 * (middle - 1)));
      context.fillStyle = past ? '#7a3108' : '#c2561a';
      context.fillRect(x, middle, 1, Math.max(1, right / 255 * (middle - 1)));
    }
  };
  const showTime = () => {
    const total = player.duration && isFinite(player.duration) ? player.duration : 0;
    clock.textContent = `${minutes(player.currentTime)} / ${minutes(total)}`;
    seek.max = String(total);
    seek.value = String(player.currentTime || 0);
    seek.setAttribute('aria-valuetext', format(seek.dataset.of, minutes(player.currentTime), minutes(total)));
    draw();
  };
  const showToggle = paused => {
    toggle.textContent = paused ? '▶' : '⏸';
    toggle.setAttribute('aria-label', paused ? toggle.dataset.play : toggle.dataset.pause);
  };
  const stop = () => {
    if (!player) return;
    player.pause();
    player.removeAttribute('src');
    player.load();
    if (playing) playing.classList.remove('active');
    playing = null;
    if (panel) panel.hidden = true;
  };
  // A recording that will not play: ask the server whether its file is there, and say which it is.
  const failed = async src => {
    stop();
    let missing = false;
    try { missing = (await fetch(src, { headers: { Range: 'bytes=0-0' } })).status === 404; } catch { missing = false; }
    message.textContent = missing ? player.dataset.missing : player.dataset.failed;
    message.hidden = false;
  };
  const loadPeaks = async url => {
    peaks = null;
    canvas.hidden = true;
    noWaveform.hidden = true;
    try {
      const response = await fetch(url);
      if (response.ok) { peaks = await response.json(); canvas.hidden = false; draw(); } else noWaveform.hidden = false;
    } catch { noWaveform.hidden = false; }
  };
  if (player) {
    player.addEventListener('ended', () => { if (playing) playing.classList.remove('active'); playing = null; showToggle(true); showTime(); });
    player.addEventListener('error', () => { if (playing) failed(playing.dataset.src); });
    player.addEventListener('timeupdate', showTime);
    player.addEventListener('loadedmetadata', showTime);
    player.addEventListener('play', () => showToggle(false));
    player.addEventListener('pause', () => showToggle(true));
    seek.addEventListener('input', () => { player.currentTime = Number(seek.value); showTime(); });
    toggle.addEventListener('click', () => { if (player.paused) player.play().catch(() => {}); else player.pause(); });
    canvas.addEventListener('click', event => {
      if (!player.duration) return;
      const box = canvas.getBoundingClientRect();
      player.currentTime = (event.clientX - box.left) / box.width * player.duration;
      showTime();
    });
    window.addEventListener('resize', draw);
  }
  for (const button of document.querySelectorAll('button.play')) {
    button.addEventListener('click', () => {
      stop();
      message.hidden = true;
      panel.hidden = false;
      document.getElementById('player-title').textContent = button.dataset.title;
      loadPeaks(button.dataset.waveform);
      player.src = button.dataset.src;
      playing = button;
      button.classList.add('active');
      player.play().catch(() => { if (playing === button) failed(button.dataset.src); });
    });
  }
  for (const button of document.querySelectorAll('button.stop')) button.addEventListener('click', stop);

  const all = document.getElementById('select-all');
  const boxes = () => Array.from(document.querySelectorAll('input.select'));
  if (all) all.addEventListener('change', () => boxes().forEach(b => { b.checked = all.checked; }));

  const notice = document.getElementById('notice');
  const deleted = sessionStorage.getItem('siprecorder.deleted');
  if (notice && deleted) {
    sessionStorage.removeItem('siprecorder.deleted');
    notice.textContent = format(notice.dataset.deleted, deleted);
    notice.hidden = false;
  }
  const remove = document.getElementById('delete-selected');
  if (remove) remove.addEventListener('click', async () => {
    const ids = boxes().filter(b => b.checked).map(b => Number(b.value));
    if (ids.length === 0) {
      notice.textContent = remove.dataset.none;
      notice.hidden = false;
      return;
    }
    if (!confirm(format(remove.dataset.confirm, ids.length))) return;
    const token = document.querySelector('meta[name="csrf-token"]').content;
    const response = await fetch('/api/recordings/delete', {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': token }, body: JSON.stringify({ ids }),
    });
    if (!response.ok) { alert((await response.json()).error); return; }
    sessionStorage.setItem('siprecorder.deleted', String(ids.length));
    location.reload();
  });
})();
