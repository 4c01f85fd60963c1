// lipflow's gene-expression merge page: the controls, the URL, the merge worker
// (merge-worker.js + merge.wasm), the two projections, the figures table and window.lipflow.
//
// URL (query string; a link reproduces a merge):
//   ?source_batch=kidney&target_batch=bladder-2&dim=20&steps=400&method=gpa  and any engine
//    setting of the lab's vocabulary (lr, dt, L, lipschitz, inner, width, depth, seed, ...)
//   &preset=ID     kidney-into-bladder-2 (the default) or bladder-5-into-bladder-2; the settings
//                  given beside it override it
//   &play=0        load paused (default: the merge runs)
// A value that is malformed or out of range is refused with a message naming the setting, and
// that setting falls back to its default.
//
// window.lipflow: ready (a Promise: engine up, data loaded, first merge configured and its
// figures measured), presets(), configure(settings) (Promise, resolved once the new merge has its
// figures; settings over the page's defaults, or {preset}), run(), pause(),
// step(k) (Promise resolved when k steps are done and the figures measured), status(),
// particles() (Float32Array, source samples x d', the latent particles), labels() (Int32Array),
// perf() (the page's own time handling the worker's messages: messages, maxMessageMs, slow > 50 ms).
'use strict';
(function () {
  // gene.ConfigNames(); replaced by the engine's own list when it is ready.
  let NAMES = ['source', 'target', 'dim', 'f', 'alpha', 'L', 'lipschitz', 'lambda', 'n', 'm', 'width', 'depth',
    'activation', 'inner', 'lr', 'optimizer', 'adam_reset', 'dt', 'dt_decay', 'integrator', 'steps', 'seed',
    'source_batch', 'target_batch', 'method'];
  const DATASETS = ['bladder', 'kidney'];
  const BATCHES = ['kidney', 'bladder-1', 'bladder-2', 'bladder-3', 'bladder-4', 'bladder-5'];
  // The page runs 400 steps by default: the figures settle by then (the native runner's 5000,
  // the paper's, give about the same; see the README).
  const PAGE_DEFAULTS = { steps: 400 };
  const PRESETS = {
    'kidney-into-bladder-2': { source_batch: 'kidney', target_batch: 'bladder-2' },
    'bladder-5-into-bladder-2': { source_batch: 'bladder-5', target_batch: 'bladder-2' },
  };
  const FIELDS = ['source_batch', 'target_batch', 'dim', 'steps', 'method', 'lr', 'dt', 'L', 'lipschitz', 'inner', 'width', 'depth', 'seed'];
  const ROWS = [
    ['before', 'no correction'],
    ['after', 'after GPA (latent d\', decoded)'],
    ['standardisation', 'per-class standardisation'],
    ['combat', 'ComBat-style (empirical Bayes)'],
    ['floor', 'PCA reconstruction floor'],
  ];
  const SOURCE_COLOR = '#e67814';
  const TARGET_COLOR = '#1e64c8';

  const $ = (id) => document.getElementById(id);
  const mark = window.lipflowPage.mark; // the moments of loading (docs/performance.md#loading)
  // boot.js (the head's first script) has started it already, unless this page lacks it.
  const boot = window.lipflowBoot ? window.lipflowBoot.take() : null;
  const worker = boot ? boot.worker : new Worker('worker.js?wasm=merge.wasm');
  let nextId = 1;
  const waiting = new Map(); // id -> {resolve, reject}
  let engineReady;
  const engineUp = new Promise((r) => { engineReady = r; });
  let defaults = {};
  let current = null; // the settings of the merge on show
  let problem = null;
  let before = null, after = null, source = null, classes = null;
  let particles = new Float32Array(0), dim = 0;
  let state = { step: 0, steps: 0, running: false, done: false, error: null, figures: {}, figureStep: -1, classes: null, stats: {} };
  let message = '';
  let bounds = null;

  function request(msg, transfer) {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      worker.postMessage(Object.assign({ id }, msg), transfer || []);
    });
  }

  function answer(m) {
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    w.resolve(m);
  }

  // The page's own time per worker message, so that tests can tell the page's work from a
  // starved CPU's long tasks.
  const perf = { messages: 0, maxMessageMs: 0, slow: 0, slowest: '' };
  worker.onmessage = (e) => {
    const t0 = performance.now();
    handle(e.data);
    const ms = performance.now() - t0;
    perf.messages++;
    if (ms > perf.maxMessageMs) { perf.maxMessageMs = ms; perf.slowest = e.data.type; }
    if (ms > 50) perf.slow++;
  };

  function handle(m) {
    switch (m.type) {
      case 'timing': window.lipflowPage.marks('engine-', m.times); break;
      case 'ready':
        mark('engine-ready');
        NAMES = m.names;
        defaults = m.defaults;
        engineReady();
        break;
      case 'loaded': case 'configured': case 'stepped': case 'particles':
        answer(m);
        break;
      case 'frame':
        frame(m);
        draw();
        break;
      case 'error': case 'fatal':
        showMessage(m.error);
        state.error = m.error;
        settleFigured();
        break;
    }
  }
  worker.onerror = (e) => showMessage('the merge worker failed: ' + (e.message || 'unknown error'));

  function frame(m) {
    state = Object.assign({}, m.status, { running: m.running, done: m.done, config: m.config });
    after = m.after;
    particles = m.particles;
    dim = m.dim;
    if (state.figureStep >= 0) settleFigured();
  }

  // figured resolves once the current merge has its figures: the worker measures them (about a
  // second) after its configured reply, which lets the page draw the data first. An error from
  // the worker settles the wait too (its message is on show).
  let figuredWaits = [];
  function figured() {
    if (state.figureStep >= 0 || state.error) return Promise.resolve();
    return new Promise((resolve) => figuredWaits.push(resolve));
  }
  function settleFigured() {
    for (const resolve of figuredWaits) resolve();
    figuredWaits = [];
  }

  function showMessage(text) {
    message = text || '';
    $('message').textContent = message;
  }

  // download fetches data/gene/NAME.bin once (a Promise of its bytes), with the progress bar:
  // started as soon as a merge names the data set, before the engine is up, since on a slow
  // network the 1-3 MB files are what takes long.
  const downloads = new Map(); // name -> Promise<Uint8Array>, until handed to the worker
  const progress = new Map(); // name -> {got, total} of the downloads under way
  function download(name) {
    if (!downloads.has(name)) {
      const p = fetchBytes(name);
      p.catch(() => downloads.delete(name)); // a failed download is tried again next time
      downloads.set(name, p);
    }
    return downloads.get(name);
  }
  async function fetchBytes(name) {
    progress.set(name, { got: 0, total: 0 });
    $('loading').hidden = false;
    $('loading-text').textContent = 'loading ' + [...progress.keys()].join(' and ') + ' data';
    const show = () => {
      let got = 0, total = 0;
      for (const v of progress.values()) { got += v.got; total += v.total; }
      $('progress').value = total ? got / total : 0;
    };
    try {
      const resp = await fetch('data/gene/' + name + '.bin');
      if (!resp.ok) throw new Error('data/gene/' + name + '.bin: HTTP ' + resp.status);
      const mine = progress.get(name);
      mine.total = Number(resp.headers.get('Content-Length')) || 0;
      const reader = resp.body.getReader();
      const chunks = [];
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        mine.got += value.length;
        show();
      }
      const buf = new Uint8Array(mine.got);
      let off = 0;
      for (const c of chunks) { buf.set(c, off); off += c.length; }
      return buf;
    } finally {
      progress.delete(name);
      if (!progress.size) $('loading').hidden = true;
    }
  }

  // fetchData hands data set NAME to the worker, downloaded if it is not yet: once, however
  // many merges ask for it meanwhile (a Promise per name, dropped if it fails).
  const handovers = new Map(); // name -> Promise, settled when the worker has the data set
  function fetchData(name) {
    if (!handovers.has(name)) {
      const p = (async () => {
        const buf = await download(name);
        await engineUp;
        downloads.delete(name); // its bytes go to the worker
        const r = await request({ type: 'load', name, data: buf.buffer }, [buf.buffer]);
        if (r.error) throw new Error(r.error);
        mark('data-loaded');
      })();
      p.catch(() => handovers.delete(name));
      handovers.set(name, p);
    }
    return handovers.get(name);
  }

  function datasetOf(batch) { return String(batch).split('-')[0]; }

  // configure starts a new merge: settings over the page's defaults (or a preset's). A refused
  // setting rejects with the engine's message and leaves the current merge on show.
  async function configure(settings, run) {
    settings = Object.assign({}, settings || {});
    let full = Object.assign({}, PAGE_DEFAULTS, PRESETS['kidney-into-bladder-2']);
    if (settings.preset !== undefined) {
      const p = PRESETS[settings.preset];
      if (!p) throw refuse('preset = "' + settings.preset + '", want one of ' + Object.keys(PRESETS).join(', '), 'preset');
      Object.assign(full, p);
      delete settings.preset;
    }
    // The data sets this merge names start downloading now, while the engine starts; the
    // settings are checked once it is up (its list of names is the authority).
    for (const b of [settings.source_batch || full.source_batch, settings.target_batch || full.target_batch]) {
      if (DATASETS.includes(datasetOf(b)) && !handovers.has(datasetOf(b))) download(datasetOf(b)).catch(() => {});
    }
    await engineUp;
    for (const k of Object.keys(settings)) {
      if (!NAMES.includes(k)) throw refuse('unknown setting "' + k + '", want one of ' + NAMES.join(', '), k);
    }
    Object.assign(full, settings);
    for (const k of ['source_batch', 'target_batch']) {
      if (!DATASETS.includes(datasetOf(full[k]))) throw refuse(k + ' = "' + full[k] + '", want one of ' + BATCHES.join(', '), k);
    }
    try {
      await Promise.all([...new Set([datasetOf(full.source_batch), datasetOf(full.target_batch)])].map(fetchData));
    } catch (e) {
      throw refuse(e.message, '');
    }
    const r = await request({ type: 'configure', settings: full, run: run !== false });
    if (r.error) throw refuse(r.error, r.setting || '');
    current = full;
    problem = r.problem;
    before = r.before; source = r.source; classes = r.class;
    frame(r);
    bounds = null;
    showMessage('');
    showSettings();
    writeURL();
    describe();
    draw();
    return problem;
  }

  function refuse(text, setting) {
    showMessage(text);
    const e = new Error(text);
    e.setting = setting;
    return e;
  }

  function showSettings() {
    for (const k of FIELDS) {
      const el = $(k);
      if (el) el.value = current[k] !== undefined ? String(current[k]) : (defaults[k] || '');
    }
  }

  function readSettings() {
    const s = {};
    for (const k of FIELDS) {
      const el = $(k);
      if (el && el.value !== '' && el.value !== String(defaults[k])) s[k] = el.value;
    }
    return s;
  }

  function writeURL() {
    const q = new URLSearchParams();
    for (const k of Object.keys(current)) {
      if (String(current[k]) !== String(defaults[k])) q.set(k, current[k]);
    }
    history.replaceState(null, '', '?' + q.toString());
  }

  // fromURL configures from the query string; a refused setting is dropped (with its message
  // kept on show) and the rest tried again.
  async function fromURL() {
    const q = new URLSearchParams(location.search);
    const s = {};
    const notes = [];
    let run = true;
    for (const [k, v] of q) {
      if (k === 'play') { run = v !== '0'; continue; }
      if (k === 'preset' || NAMES.includes(k)) s[k] = v; else notes.push('unknown URL setting "' + k + '" ignored');
    }
    for (let tries = 0; tries < 30; tries++) {
      try {
        await configure(s, run);
        break;
      } catch (e) {
        notes.push(e.message);
        if (e.setting && e.setting in s) delete s[e.setting];
        else if (Object.keys(s).length) { for (const k of Object.keys(s)) delete s[k]; } else throw e;
      }
    }
    if (notes.length) showMessage(notes.join('\n'));
  }

  function describe() {
    const p = problem;
    const left = p.left_out && p.left_out.length ? '; left out (class not in the other batch): ' + p.left_out.join(', ') : '';
    $('problem').textContent = p.source_batch + ' (' + p.n_source + ' samples) merged into ' + p.target_batch + ' (' + p.n_target +
      ' samples), classes ' + p.classes.join(', ') + left + '. PCA on both batches: d\' = ' + p.dim + ', ' +
      (100 * p.explained).toFixed(1) + '% of the variance. MMD² kernel bandwidth ' + p.bandwidth.toFixed(1) +
      ' (median target distance); Sinkhorn cost epsilon = ' + p.sinkhorn_eps + ' × mean cost; Sinkhorn divergence per class, blur ' +
      p.sinkhorn_blur + ' (the paper\'s figure).';
    header();
    const leg = $('legend');
    leg.textContent = '';
    const glyphs = ['●', '▲', '■', '✚'];
    for (const [cls, name] of [[TARGET_COLOR, p.target_batch], [SOURCE_COLOR, p.source_batch]]) {
      p.classes.forEach((c, i) => {
        const line = document.createElement('div');
        const sw = document.createElement('span');
        sw.className = 'sw ' + (cls === SOURCE_COLOR ? 'src' : 'tgt');
        sw.textContent = glyphs[i % glyphs.length];
        line.append(sw, ' ' + name + ' ' + c);
        leg.append(line);
      });
    }
  }

  function fmt(v, digits) {
    if (v === undefined || v === null || !isFinite(v)) return '–';
    return Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en') : v.toFixed(digits);
  }

  // header adds a column per shared class for the Sinkhorn divergence, the paper's figure.
  function header() {
    const tr = document.querySelector('#figures thead tr');
    for (const th of tr.querySelectorAll('th.div')) th.remove();
    (problem ? problem.classes : []).forEach((c, i) => {
      const th = document.createElement('th');
      th.className = 'div div-' + i;
      th.textContent = 'Sinkhorn div. ' + c;
      th.title = 'The paper\'s figure: debiased Sinkhorn divergence S = OT(a,b) - OT(a,a)/2 - OT(b,b)/2, cost |x-y|²/2 over all probes, ' +
        'between the ' + c + ' samples of the source and of the target; geomloss\'s defaults (blur ' + problem.sinkhorn_blur + ', scaling 0.5)';
      tr.append(th);
    });
  }

  function table() {
    const body = document.querySelector('#figures tbody');
    body.textContent = '';
    const f = state.figures || {};
    const nc = problem ? problem.classes.length : 0;
    for (const [k, label] of ROWS) {
      const tr = document.createElement('tr');
      tr.className = k;
      const x = f[k];
      const measuring = state.figureStep < 0; // a new merge's figures are on their way
      const none = measuring ? '…' : '–';
      const name = k === 'after' && !measuring ? label + ' at step ' + state.figureStep : label;
      const cells = [name, x ? fmt(x.mmd, 4) : none, x ? fmt(x.sinkhorn, 1) : none];
      for (let c = 0; c < nc; c++) cells.push(x && x.sinkhorn_div ? fmt(x.sinkhorn_div[c], 1) : none);
      cells.forEach((t, i) => {
        const td = document.createElement('td');
        td.textContent = t;
        if (i === 2) td.className = 'sinkhorn';
        if (i > 2) td.className = 'div div-' + (i - 3);
        tr.append(td);
      });
      body.append(tr);
    }
    const c = state.classes;
    $('classes').textContent = c ? 'Nearest centroids fitted on the target\'s latent codes label ' + (100 * c.held_out).toFixed(0) +
      '% of held-out target samples right, ' + (100 * c.merged).toFixed(0) + '% of the merged source (' + (100 * c.unmerged).toFixed(0) + '% before the merge).' : '';
  }

  function draw() {
    const st = state;
    $('status').textContent = 'step ' + st.step + ' / ' + st.steps + (st.running ? ' (running)' : '') +
      (st.stats && isFinite(st.stats.divergence) ? ', divergence ' + st.stats.divergence.toPrecision(3) : '') +
      (st.error ? ' — stopped: ' + st.error : '');
    table();
    if (!before || !after) return;
    if (!bounds) {
      let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
      for (const a of [before, after]) {
        for (let i = 0; i < a.length; i += 2) {
          x0 = Math.min(x0, a[i]); x1 = Math.max(x1, a[i]); y0 = Math.min(y0, a[i + 1]); y1 = Math.max(y1, a[i + 1]);
        }
      }
      const px = (x1 - x0) * 0.08 || 1, py = (y1 - y0) * 0.08 || 1;
      bounds = { x0: x0 - px, x1: x1 + px, y0: y0 - py, y1: y1 + py };
    }
    scatter($('before'), before);
    scatter($('after'), after);
    mark('first-drawn');
    $('after-caption').textContent = 'after ' + (current ? current.method || 'gpa' : '') + ' (step ' + st.step + '), same axes';
  }

  function scatter(canvas, xy) {
    // Small canvases redrawn from script a few times a second: a CPU-backed context needs no
    // GPU rasterisation (software WebGL/Skia in headless Chromium here).
    const g = canvas.getContext('2d', { willReadFrequently: true });
    const w = canvas.width, h = canvas.height, b = bounds;
    g.clearRect(0, 0, w, h);
    g.strokeStyle = '#d9dde3';
    g.strokeRect(0.5, 0.5, w - 1, h - 1);
    const X = (x) => ((x - b.x0) / (b.x1 - b.x0)) * w;
    const Y = (y) => h - ((y - b.y0) / (b.y1 - b.y0)) * h;
    // Target first, so that the moved source shows on top.
    for (const pass of [0, 1]) {
      for (let i = 0; i < source.length; i++) {
        if ((source[i] === 1) !== (pass === 1)) continue;
        const x = X(xy[2 * i]), y = Y(xy[2 * i + 1]);
        if (!isFinite(x) || !isFinite(y)) continue;
        g.fillStyle = source[i] ? SOURCE_COLOR : TARGET_COLOR;
        g.beginPath();
        const r = 5;
        switch (classes[i] % 3) {
          case 0: g.arc(x, y, r, 0, 2 * Math.PI); break;
          case 1: g.moveTo(x, y - r - 1); g.lineTo(x + r + 1, y + r); g.lineTo(x - r - 1, y + r); g.closePath(); break;
          default: g.rect(x - r, y - r, 2 * r, 2 * r);
        }
        g.fill();
      }
    }
  }

  // The controls.
  function fillBatches() {
    for (const k of ['source_batch', 'target_batch']) {
      const sel = $(k);
      for (const b of BATCHES) {
        const o = document.createElement('option');
        o.textContent = b;
        sel.append(o);
      }
    }
  }
  fillBatches();
  const apply = () => configure(readSettings(), true).catch(() => {});
  $('btn-apply').addEventListener('click', apply);
  $('btn-run').addEventListener('click', () => api.run());
  $('btn-pause').addEventListener('click', () => api.pause());
  $('btn-step').addEventListener('click', () => api.step(1).catch((e) => showMessage(e.message)));

  const api = {
    ready: null,
    presets: () => Object.keys(PRESETS),
    configure: (settings) => configure(settings, false).then((p) => figured().then(() => p)),
    run: () => { worker.postMessage({ type: 'run' }); },
    pause: () => { worker.postMessage({ type: 'pause' }); },
    step: async (k) => {
      const r = await request({ type: 'step', k: k === undefined ? 1 : Number(k) });
      if (r.error) throw new Error(r.error);
      return { step: r.step };
    },
    status: () => {
      const f = state.figures || {};
      return {
        step: state.step, steps: state.steps, running: !!state.running, done: !!state.done,
        error: state.error || null, message: message || null, config: state.config,
        before: f.before || null, after: f.after || null, standardisation: f.standardisation || null,
        combat: f.combat || null, floor: f.floor || null, figureStep: state.figureStep,
        classes: state.classes, divergence: state.stats ? state.stats.divergence : null,
        ke: state.stats ? state.stats.ke : null, problem, settings: current,
      };
    },
    particles: () => new Float32Array(particles),
    perf: () => Object.assign({}, perf),
    labels: () => {
      const n = problem ? problem.n_source : 0;
      return Int32Array.from(classes ? classes.slice(0, n) : []);
    },
  };
  // What the worker said before this script ran (boot.js kept it), now that every handler is
  // defined.
  for (const e of boot ? boot.early : []) {
    if (e.type === 'error') worker.onerror(e); else worker.onmessage(e);
  }
  table(); // its rows, '…' until the first figures, from the start: they must not move the page
  api.ready = fromURL().then(() => { mark('interactive'); return figured(); }).then(() => true);
  window.lipflow = api;
})();
