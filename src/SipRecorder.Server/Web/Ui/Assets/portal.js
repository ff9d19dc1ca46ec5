// The recordings screen's behaviour: dates in the browser's time zone, play/stop through one audio element,
// select-all, and "Delete selected" through the API with the session's anti-forgery token.
(function () {
  const lang = document.documentElement.lang || 'en';
  const pad = n => String(n).padStart(2, '0');
  for (const cell of document.querySelectorAll('time[datetime]')) {
    const d = new Date(cell.getAttribute('datetime'));
    const month = new Intl.DateTimeFormat(lang, { month: 'short' }).format(d).replace('.', '');
    const clock = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
    cell.textContent = lang === 'es'
      ? `${d.getDate()} ${month} ${d.getFullYear()} ${clock}`
      : `${month} ${d.getDate()}, ${d.getFullYear()} ${clock}`;
  }

  // The folder and page-size lists apply at once (the Content-Security-Policy allows no inline handlers).
  for (const select of document.querySelectorAll('select[data-submit-on-change]')) {
    select.addEventListener('change', () => select.form.submit());
  }

  const player = document.getElementById('player');
  let playing = null;
  const stop = () => {
    if (!player) return;
    player.pause();
    player.removeAttribute('src');
    player.load();
    if (playing) playing.classList.remove('active');
    playing = null;
  };
  for (const button of document.querySelectorAll('button.play')) {
    button.addEventListener('click', () => {
      stop();
      player.src = button.dataset.src;
      playing = button;
      button.classList.add('active');
      player.play();
    });
  }
  for (const button of document.querySelectorAll('button.stop')) button.addEventListener('click', stop);

  const all = document.getElementById('select-all');
  const boxes = () => Array.from(document.querySelectorAll('input.select'));
  if (all) all.addEventListener('change', () => boxes().forEach(b => { b.checked = all.checked; }));

  const remove = document.getElementById('delete-selected');
  if (remove) remove.addEventListener('click', async () => {
    const ids = boxes().filter(b => b.checked).map(b => Number(b.value));
    if (ids.length === 0 || !confirm(remove.dataset.confirm)) return;
    const token = document.querySelector('meta[name="csrf-token"]').content;
    const response = await fetch('/api/recordings/delete', {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': token }, body: JSON.stringify({ ids }),
    });
    if (!response.ok) { alert((await response.json()).error); return; }
    location.reload();
  });
})();
