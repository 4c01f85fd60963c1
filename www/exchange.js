// Export and import: the particles and targets as CSV, the view as PNG, the whole run as JSON
// (settings, seed, step, curves, particles) and run 1's discriminator as JSON (flow.Weights).
// Imports are a run file (replayed to its step: the same seed gives the same particles, which
// the file's own particles then confirm) or a weights file; both are checked before anything
// changes, and a refused file leaves the current run as it was.
'use strict';
(function () {
  const lf = window.lipflow;
  const $ = (id) => document.getElementById(id);
  const RUN_FORMAT = 'lipflow-run', WEIGHTS_FORMAT = 'lipflow-weights', VERSION = 1;
  const IMPORT_LIMIT = 64 << 20;
  const MAX_STEPS = 1e6; // a replay longer than this is refused

  // ---------- export ----------
  function csv(x, dim) {
    const head = Array.from({ length: dim }, (_, j) => 'x' + (j + 1)).join(',');
    const lines = [head];
    for (let i = 0; i < x.length; i += dim) lines.push(Array.prototype.join.call(x.subarray(i, i + dim), ','));
    return lines.join('\n') + '\n';
  }
  function name(what, ext) {
    const s = lf.settings();
    return `lipflow-${s.f}-L${s.L}-seed${s.seed}-step${lf.status().step}-${what}.${ext}`;
  }

  // exportText(kind) is the text of an export: 'particles' (run 1, CSV), 'targets' (CSV), 'run'
  // or 'weights' (JSON).
  async function exportText(kind) {
    switch (kind) {
      case 'particles': { const d = await lf.data(); return csv(d.particles[0], d.dim); }
      case 'targets': { const d = await lf.data(); return csv(d.targets, d.dim); }
      case 'weights': return lf.weights(0);
      case 'run': {
        const d = await lf.data();
        const file = {
          format: RUN_FORMAT, version: VERSION, created: new Date().toISOString(),
          settings: lf.settings(), view: lf.view(), step: d.step, dim: d.dim, labels: d.labels,
          points: null, curves: lf.curves(), particles: d.particles.map((p) => Array.from(p)),
        };
        if (d.points) file.points = { name: d.points.name, dim: d.dim, x: Array.from(d.targets) };
        return JSON.stringify(file);
      }
    }
    throw new Error(`export: unknown kind "${kind}", want particles, targets, run or weights`);
  }

  function download(blob, filename) {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = filename;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  }

  // viewPNG is a PNG of the view as drawn (the full view, or the simple one while it is missing).
  async function viewPNG() {
    const canvas = document.createElement('canvas');
    const view = lf.viewReady && $('view').contentWindow.lipflowView;
    if (view && view.capture) {
      const px = await view.capture();
      canvas.width = px.width;
      canvas.height = px.height;
      canvas.getContext('2d').putImageData(new ImageData(px.rgba, px.width, px.height), 0, 0);
    } else {
      const f = $('fallback');
      canvas.width = f.width;
      canvas.height = f.height;
      canvas.getContext('2d').drawImage(f, 0, 0);
    }
    return new Promise((res, rej) => canvas.toBlob((b) => (b ? res(b) : rej(new Error('the browser could not encode the PNG'))), 'image/png'));
  }

  const exports = {
    'exp-particles': () => exportText('particles').then((t) => download(new Blob([t], { type: 'text/csv' }), name('particles', 'csv'))),
    'exp-targets': () => exportText('targets').then((t) => download(new Blob([t], { type: 'text/csv' }), name('targets', 'csv'))),
    'exp-run': () => exportText('run').then((t) => download(new Blob([t], { type: 'application/json' }), name('run', 'json'))),
    'exp-weights': () => exportText('weights').then((t) => download(new Blob([t], { type: 'application/json' }), name('weights', 'json'))),
    'exp-png': () => viewPNG().then((b) => download(b, name('view', 'png'))),
  };
  for (const [id, fn] of Object.entries(exports)) $(id).onclick = () => fn().catch((e) => lf.message('export: ' + e.message));

  // ---------- import ----------
  const finite = (v) => typeof v === 'number' && Number.isFinite(v);
  function checkNumbers(a, what) {
    if (!Array.isArray(a)) throw new Error(`${what}: want an array of numbers`);
    const i = a.findIndex((v) => !finite(v));
    if (i >= 0) throw new Error(`${what}: entry ${i + 1} is ${JSON.stringify(a[i])}, want a finite number`);
  }
  // checkRun validates a run file's shape before anything is changed.
  function checkRun(f) {
    if (f.version !== VERSION) throw new Error(`version ${f.version}, want ${VERSION}`);
    const s = f.settings;
    if (!s || typeof s !== 'object' || Array.isArray(s)) throw new Error('settings: want an object of settings');
    for (const [k, v] of Object.entries(s)) {
      if (k === 'runs') {
        if (!Array.isArray(v) || v.length > 2 || v.some((o) => !o || typeof o !== 'object' || Array.isArray(o))) throw new Error('settings.runs: want at most 2 objects of overrides');
        continue;
      }
      if (!['string', 'number', 'boolean'].includes(typeof v)) throw new Error(`settings.${k}: want a string, number or boolean`);
    }
    if (!Number.isInteger(f.step) || f.step < 0 || f.step > MAX_STEPS) throw new Error(`step = ${f.step}, want an integer in 0..${MAX_STEPS}`);
    if (f.points !== null && f.points !== undefined) {
      const p = f.points;
      if (!p || !Number.isInteger(p.dim) || p.dim < 1) throw new Error('points.dim: want a positive integer');
      checkNumbers(p.x, 'points.x');
      if (p.x.length === 0 || p.x.length % p.dim !== 0) throw new Error(`points.x: ${p.x.length} numbers do not form rows of ${p.dim}`);
    }
    if (f.particles !== undefined) {
      if (!Array.isArray(f.particles)) throw new Error('particles: want one array per run');
      f.particles.forEach((p, i) => checkNumbers(p, `particles of run ${i + 1}`));
    }
  }

  // importText reads a run or weights file; it resolves with a sentence saying what was done
  // and rejects with the reason a file was refused.
  async function importText(text, filename) {
    if (text.length > IMPORT_LIMIT) throw new Error(`larger than the ${IMPORT_LIMIT >> 20} MB limit`);
    let f;
    try { f = JSON.parse(text); } catch (e) { throw new Error('not JSON: ' + e.message); }
    if (!f || typeof f !== 'object') throw new Error(`not a lipflow file: want an object with format "${RUN_FORMAT}" or "${WEIGHTS_FORMAT}"`);
    if (f.format === WEIGHTS_FORMAT) {
      await lf.setWeights(text, 0);
      return `weights of ${filename} put into run 1's discriminator (trained for ${f.step} steps)`;
    }
    if (f.format !== RUN_FORMAT) throw new Error(`format ${JSON.stringify(f.format)}, want "${RUN_FORMAT}" or "${WEIGHTS_FORMAT}"`);
    checkRun(f);
    await lf.configure(f.settings);
    if (f.points) await lf.loadPoints(f.points.x, f.points.dim, f.points.name || filename);
    if (f.view) lf.setView(f.view);
    if (f.step > 0) {
      lf.message(`${filename}: replaying ${f.step} steps…`, 'info');
      await lf.step(f.step);
    }
    if (!f.particles) return `${filename}: the run is restored at step ${f.step}`;
    const d = await lf.data();
    let worst = 0;
    d.particles.forEach((p, r) => {
      const q = f.particles[r] || [];
      if (q.length !== p.length) { worst = Infinity; return; }
      for (let i = 0; i < p.length; i++) worst = Math.max(worst, Math.abs(p[i] - q[i]));
    });
    if (worst === 0) return `${filename}: the run is restored at step ${f.step}; its particles match the file exactly`;
    throw new Error(`the replayed run differs from the file's particles by up to ${worst} (the file was made by another version of lipflow?); the replayed run is shown`);
  }

  async function importFile(file) {
    if (file.size > IMPORT_LIMIT) {
      lf.message(`${file.name}: ${(file.size / 1048576).toFixed(1)} MB, larger than the ${IMPORT_LIMIT >> 20} MB limit; the current run goes on`);
      return;
    }
    try {
      lf.message(await importText(await file.text(), file.name), 'info');
    } catch (e) {
      lf.message(`${file.name}: ${e.message}; the current run goes on`);
    }
  }
  $('import-file').addEventListener('change', () => {
    const f = $('import-file').files[0];
    $('import-file').value = '';
    if (f) importFile(f);
  });

  window.lipflowExchange = { importFile };
  lf.exportText = exportText;
  lf.importText = (text, filename) => importText(String(text), filename || 'file');
  lf.viewPNG = () => viewPNG().then((b) => b.arrayBuffer()).then((a) => new Uint8Array(a));
})();
