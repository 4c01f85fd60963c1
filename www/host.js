// The postMessage API of an embed, for the page that holds it in an iframe.
//
// host -> embed (iframe.contentWindow.postMessage(msg, origin)):
//   {lipflow: 1, type: 'configure', id?, settings: {name: value, ..., preset?, runs?}}
//   {lipflow: 1, type: 'run' | 'pause' | 'reset' | 'status', id?}
//   {lipflow: 1, type: 'step', id?, k}            k particle steps (1..100000)
//   {lipflow: 1, type: 'subscribe', id?, on}      status events on or off
// embed -> host:
//   {lipflow: 1, type: 'reply', id, ok: true, status} or {lipflow: 1, type: 'reply', id, ok: false, error}
//   {lipflow: 1, type: 'status', status}          when subscribed: on every change of running,
//                                                 error or configuration, and at most 4 times a
//                                                 second while the step moves
// Messages come only from the embedding page (event.source === window.parent). A message of any
// other shape (unknown type or key, a value of the wrong type, a non-plain object) is ignored:
// nothing runs, nothing is evaluated. Settings locked by the page's link (lock=) cannot change.
'use strict';
(function () {
  const lf = window.lipflow;
  if (window.parent === window) return; // not embedded
  const KEYS = {
    configure: ['settings'], run: [], pause: [], reset: [], status: [], step: ['k'], subscribe: ['on'],
  };
  let accepted = 0, ignored = 0, subscribed = false;
  let hostOrigin = '*';

  const plain = (o) => o !== null && typeof o === 'object' && Object.getPrototypeOf(o) === Object.prototype;
  const primitive = (v) => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

  // valid checks a message's shape: exactly the documented keys with values of the documented types.
  function valid(m) {
    if (!plain(m) || m.lipflow !== 1 || typeof m.type !== 'string' || !Object.hasOwn(KEYS, m.type)) return false;
    const allowed = new Set(['lipflow', 'type', 'id'].concat(KEYS[m.type]));
    for (const k of Object.keys(m)) if (!allowed.has(k)) return false;
    if ('id' in m && !(typeof m.id === 'number' && Number.isFinite(m.id))) return false;
    switch (m.type) {
      case 'configure': {
        if (!plain(m.settings)) return false;
        for (const [k, v] of Object.entries(m.settings)) {
          if (k === 'runs') {
            if (!Array.isArray(v) || v.length > 2 || !v.every((o) => plain(o) && Object.values(o).every(primitive))) return false;
          } else if (!primitive(v)) return false;
        }
        return true;
      }
      case 'step': return Number.isInteger(m.k) && m.k >= 1 && m.k <= 100000;
      case 'subscribe': return typeof m.on === 'boolean';
    }
    return true;
  }

  // lockedChange names a locked setting that settings would change, or ''.
  function lockedChange(settings) {
    const lock = lf.page().lock;
    if (!lock.length) return '';
    if ('preset' in settings || 'runs' in settings) return 'preset/runs';
    const cur = lf.settings();
    for (const k of lock) if (k in settings && String(settings[k]) !== String(cur[k])) return k;
    return '';
  }

  async function perform(m) {
    switch (m.type) {
      case 'configure': {
        const bad = lockedChange(m.settings);
        if (bad) throw new Error(`${bad} is locked by this page's link`);
        const s = { ...m.settings };
        const cur = lf.settings();
        for (const k of lf.page().lock) s[k] = cur[k]; // configure starts from the defaults: keep the locked values
        return lf.configure(s);
      }
      case 'run': lf.run(); return lf.status();
      case 'pause': lf.pause(); return lf.status();
      case 'reset': return lf.reset();
      case 'step': return lf.step(m.k);
      case 'subscribe': subscribed = m.on; if (subscribed) sendStatus(); return lf.status();
      default: return lf.status();
    }
  }

  function post(msg) { window.parent.postMessage(msg, hostOrigin); }

  window.addEventListener('message', (e) => {
    if (e.source !== window.parent) return; // only the embedding page
    if (!valid(e.data)) { ignored++; return; }
    accepted++;
    hostOrigin = e.origin && e.origin !== 'null' ? e.origin : '*';
    const m = e.data;
    const id = 'id' in m ? m.id : null;
    perform(m).then(
      (status) => post({ lipflow: 1, type: 'reply', id, ok: true, status: JSON.parse(JSON.stringify(status || lf.status())) }),
      (err) => post({ lipflow: 1, type: 'reply', id, ok: false, error: String(err && err.message ? err.message : err) }),
    );
  });

  // Status events: a change of running, error or configuration at once, step changes at most 4/s.
  let last = '', lastStep = -1, lastAt = 0;
  function sendStatus() {
    const s = JSON.parse(JSON.stringify(lf.status()));
    last = JSON.stringify([s.running, s.error, s.config, s.held]);
    lastStep = s.step;
    lastAt = performance.now();
    post({ lipflow: 1, type: 'status', status: s });
  }
  lf.on('frame', (f) => {
    if (!subscribed) return;
    const s = lf.status();
    const key = JSON.stringify([s.running, s.error, s.config, s.held]);
    if (key !== last || (f.step !== lastStep && performance.now() - lastAt > 250)) sendStatus();
  });

  lf.hostStats = () => ({ accepted, ignored, subscribed });
})();
