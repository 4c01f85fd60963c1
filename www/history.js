// The flow's history: snapshots of the particles (as the view shows them) kept while the flow
// runs, and a slider under the view to scrub back and forth through them.
//
// Memory is bounded: at most MAX_SNAPSHOTS snapshots and MAX_BYTES bytes. A snapshot is taken
// at least `stride` steps after the one before it; when the store is full every other snapshot
// is dropped and the stride doubles, so that the history always spans the whole run, about
// evenly, at a coarser grain.
'use strict';
(function () {
  const lf = window.lipflow;
  const $ = (id) => document.getElementById(id);
  let MAX_SNAPSHOTS = 400; // lf.setHistoryLimit changes it (tests, small devices)
  const MAX_BYTES = 64 << 20;

  let snaps = []; // {step, runs: [Float32Array per run], bytes}
  let stride = 1, bytes = 0, config = -1;
  let showing = -1; // index shown, -1: live

  const slider = $('hist-slider');

  function clear() {
    snaps = []; stride = 1; bytes = 0; showing = -1;
    lf.showSnapshot(null);
  }
  function capacity(per) { return Math.max(2, Math.min(MAX_SNAPSHOTS, Math.floor(MAX_BYTES / Math.max(1, per)))); }

  function thin() {
    const n = snaps.length;
    snaps = snaps.filter((s, i) => i % 2 === 0 || i === n - 1);
    stride *= 2;
    bytes = snaps.reduce((b, s) => b + s.bytes, 0);
  }

  lf.on('frame', (f) => {
    if (f.config !== config) { config = f.config; clear(); }
    const last = snaps[snaps.length - 1];
    if (last && f.step < last.step) clear(); // a reset
    if (f.runs.some((p) => !p)) return;
    const latest = snaps[snaps.length - 1];
    if (latest && latest.step === f.step) return;
    // The newest frame is always kept (it is the end of the slider); the one before it stays
    // only if it is at least a stride past its own predecessor.
    if (snaps.length >= 2 && latest.step - snaps[snaps.length - 2].step < stride) {
      bytes -= latest.bytes;
      snaps.pop();
    }
    const per = f.runs.reduce((b, p) => b + p.byteLength, 0);
    snaps.push({ step: f.step, runs: f.runs.slice(), bytes: per });
    bytes += per;
    while (snaps.length > capacity(per) || bytes > MAX_BYTES) thin();
    updateUI();
  });

  function updateUI() {
    slider.max = String(snaps.length); // the last position is "live"
    if (showing < 0) slider.value = slider.max;
    const past = showing >= 0;
    $('history').classList.toggle('past', past);
    $('hist-label').textContent = past ? `step ${snaps[showing].step} of ${snaps[snaps.length - 1].step}` : `live · ${snaps.length} snapshots`;
    $('hist-live').disabled = !past;
    $('hist-resume').disabled = !past;
  }

  function show(i) {
    if (i >= snaps.length || i < 0) { live(); return; }
    if (lf.status().running) lf.pause();
    showing = i;
    slider.value = String(i);
    lf.showSnapshot({ step: snaps[i].step, runs: snaps[i].runs });
    updateUI();
  }
  function live() {
    showing = -1;
    lf.showSnapshot(null);
    updateUI();
  }

  // Playing or stepping again goes back to the present.
  for (const name of ['run', 'step']) {
    const orig = lf[name];
    lf[name] = (...args) => { if (showing >= 0) live(); return orig(...args); };
  }

  slider.addEventListener('input', () => show(Number(slider.value)));
  $('hist-live').onclick = live;
  $('hist-resume').onclick = () => {
    if (showing < 0) return;
    const k = snaps[showing].step;
    live();
    // The same seed gives the same run: replaying to step k is exactly the state shown.
    lf.reset().then(() => (k > 0 ? lf.step(k) : null)).then(() => lf.run()).catch((e) => alertMessage(e));
  };
  function alertMessage(e) { $('hist-label').textContent = 'replay failed: ' + (e && e.message ? e.message : e); }

  // For scripts and tests: history() describes the store, scrub(i) shows snapshot i (or live).
  lf.history = () => ({ count: snaps.length, stride, bytes, steps: snaps.map((s) => s.step), showing: showing < 0 ? null : snaps[showing].step });
  lf.scrub = (i) => { show(i); return lf.history(); };
  lf.setHistoryLimit = (n) => { MAX_SNAPSHOTS = Math.max(2, Math.floor(n) || 2); return MAX_SNAPSHOTS; };
  lf.snapshot = (i) => (snaps[i] ? { step: snaps[i].step, runs: snaps[i].runs.map((p) => new Float32Array(p)) } : null);
  updateUI();
})();
