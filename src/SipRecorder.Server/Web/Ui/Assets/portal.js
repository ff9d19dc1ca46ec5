// The recordings screen's behaviour: dates in the browser's time zone, play/stop through one audio element (saying
// why when a recording cannot play), select-all, and "Delete selected" through the API with the session's
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
  let playing = null;
  const stop = () => {
    if (!player) return;
    player.pause();
    player.removeAttribute('src');
    player.load();
    if (playing) playing.classList.remove('active');
    playing = null;
  };
  // A recording that will not play: ask the server whether its file is there, and say which it is.
  const failed = async src => {
    stop();
    let missing = false;
    try { missing = (await fetch(src, { headers: { Range: 'bytes=0-0' } })).status === 404; } catch { missing = false; }
    message.textContent = missing ? player.dataset.missing : player.dataset.failed;
    message.hidden = false;
  };
  if (player) {
    player.addEventListener('ended', stop);
    player.addEventListener('error', () => { if (playing) failed(playing.dataset.src); });
  }
  for (const button of document.querySelectorAll('button.play')) {
    button.addEventListener('click', () => {
      stop();
      message.hidden = true;
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
