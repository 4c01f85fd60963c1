// Sharing and course pages: "copy link", the embed code, and the URL's classroom flags (embed,
// controls, hide, lock, autoplay, caption; read by lipflow.js into lipflow.page()).
'use strict';
(function () {
  const lf = window.lipflow;
  const $ = (id) => document.getElementById(id);
  const page = lf.page();
  const PAGE_KEYS = ['embed', 'controls', 'hide', 'lock', 'autoplay', 'caption', 'workers', 'viewer']; // lipflow.js's
  // hide= names of the page's panels, beside the settings' own rows.
  const PANEL = {
    speed: () => [$('speed').closest('.row')],
    preset: () => [$('preset').closest('.row'), $('preset-help')],
    runs: () => [$('sec-runs')],
    view: () => [$('sec-view')],
    data: () => [$('sec-data')],
    share: () => [$('sec-share')],
    export: () => [$('sec-export')],
    history: () => [$('history')],
  };
  const rowOf = (name) => (PANEL[name] ? PANEL[name]() : [$('s-' + name) && $('s-' + name).closest('.row')]).filter(Boolean);

  // ---------- classroom flags ----------
  for (const name of page.hide) for (const el of rowOf(name)) el.classList.add('link-hidden');
  for (const name of page.lock) {
    const el = $('s-' + name);
    if (!el) continue;
    el.disabled = true;
    const row = el.closest('.row');
    row.classList.add('locked');
    row.title += ' (fixed by this page\'s link)';
  }
  // A locked setting could be changed through an extra run: comparisons are off in a locked page.
  // The same holds for presets, and, when the data are locked, for files and drawn points.
  if (page.lock.length) for (const el of rowOf('runs').concat(rowOf('preset'))) el.classList.add('link-hidden');
  if (page.lock.some((k) => ['source', 'target', 'dim', 'm'].includes(k))) {
    $('sec-data').classList.add('link-hidden');
    $('v-draw').closest('label').classList.add('link-hidden');
  }
  if (page.caption) {
    $('caption').textContent = page.caption;
    $('caption').hidden = false;
  }

  // ---------- the compact embed layout ----------
  if (page.embed) {
    document.body.classList.add('embed');
    const bar = $('embedbar');
    bar.hidden = false;
    const buttons = document.createElement('div');
    buttons.className = 'buttons';
    for (const id of ['btn-play', 'btn-pause', 'btn-reset']) buttons.append($(id));
    bar.append(buttons);
    for (const name of page.controls) {
      if (page.hide.includes(name)) continue;
      for (const el of rowOf(name)) { el.classList.add('compact'); bar.append(el); }
    }
    const open = document.createElement('a');
    open.className = 'open-full';
    open.href = fullLink();
    open.target = '_blank';
    open.rel = 'noopener';
    open.textContent = 'lipflow ↗';
    open.title = 'Open this run in the full lab, in a new tab';
    bar.append(open);
    lf.on('config', () => { open.href = fullLink(); });
  }

  // ---------- links ----------
  // settingsQuery is the current URL's settings (lipflow.js keeps the URL up to date) without
  // the page flags.
  function settingsQuery() {
    const q = new URLSearchParams(location.search.slice(1));
    for (const k of PAGE_KEYS) q.delete(k);
    return q.toString().replace(/%3B/g, ';').replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%7C/g, '|');
  }
  function pageBase() { return location.href.split(/[?#]/)[0]; }
  function fullLink() { return pageBase() + '?' + settingsQuery(); }

  function copy(text, what) {
    const info = $('share-info');
    info.replaceChildren();
    const done = (ok) => {
      const a = document.createElement(what === 'link' ? 'a' : 'span');
      if (what === 'link') { a.href = text; a.textContent = text; a.id = 'share-link'; }
      info.append(ok ? `${what} copied: ` : `copy this ${what} (the browser refused the clipboard): `, a);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(() => done(true), () => done(false));
    else done(false);
  }

  // ---------- the embed code ----------
  const esc = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  function embedCode() {
    const names = (id) => $(id).value.split(',').map((x) => x.trim()).filter(Boolean).join(',');
    const parts = ['embed=1'];
    if (names('embed-controls')) parts.push('controls=' + names('embed-controls'));
    if (names('embed-lock')) parts.push('lock=' + names('embed-lock'));
    if ($('embed-autoplay').checked) parts.push('autoplay=1');
    const cap = $('embed-caption').value.trim();
    if (cap) parts.push('caption=' + encodeURIComponent(cap));
    const src = pageBase() + '?' + parts.join('&') + '&' + settingsQuery();
    const m = /^\s*(\d{2,4})\s*[x×]\s*(\d{2,4})\s*$/.exec($('embed-size').value) || [null, '800', '520'];
    return `<iframe src="${esc(src)}" width="${m[1]}" height="${m[2]}" style="border:0;max-width:100%" loading="lazy" title="lipflow: a Lipschitz-regularized gradient flow"></iframe>`;
  }
  function updateEmbed() { $('embed-code').value = embedCode(); }

  // A page opened from disk (the single-file build) has no address a course page could embed.
  if (location.protocol === 'file:') {
    $('btn-embed').disabled = true;
    $('btn-embed').title = 'Embedding needs the lab on a web server: this page was opened from a file';
  }
  $('btn-copy-link').onclick = () => copy(fullLink(), 'link');
  $('btn-embed').onclick = () => {
    const box = $('embed-box');
    box.hidden = !box.hidden;
    if (!box.hidden) updateEmbed();
  };
  for (const id of ['embed-controls', 'embed-lock', 'embed-caption', 'embed-size', 'embed-autoplay']) $(id).addEventListener('input', updateEmbed);
  $('btn-copy-embed').onclick = () => { updateEmbed(); copy($('embed-code').value, 'embed code'); };
  lf.on('config', () => { if (!$('embed-box').hidden) updateEmbed(); });

  lf.link = fullLink;
  lf.embedCode = (o) => {
    o = o || {};
    if (o.controls !== undefined) $('embed-controls').value = String(o.controls);
    if (o.lock !== undefined) $('embed-lock').value = String(o.lock);
    if (o.caption !== undefined) $('embed-caption').value = String(o.caption);
    if (o.autoplay !== undefined) $('embed-autoplay').checked = !!o.autoplay;
    if (o.size !== undefined) $('embed-size').value = String(o.size);
    updateEmbed();
    return $('embed-code').value;
  };
})();
