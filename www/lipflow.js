// lipflow's lab page: the controls, the URL, the engine worker (worker.js + engine.wasm), the
// view iframe (view.html, Ebitengine) and window.lipflow, the page's API for scripts and tests.
//
// URL (query string; every setting by its vocabulary name, so that a link reproduces a run):
//   ?source=..&target=..&dim=..&f=..&alpha=..&L=..&lipschitz=..&lambda=..&n=..&m=..&width=..
//    &depth=..&activation=..&inner=..&lr=..&optimizer=..&adam_reset=..&dt=..&dt_decay=..
//    &integrator=..&steps=..&seed=..
//   &preset=ID          a preset (see presets.js); the settings given beside it override it
//   &runs=R2|R3         extra runs of a comparison (at most 2); each is a ';'-separated list of
//                       key:value overrides of the base settings, e.g.
//                       runs=f:alpha;alpha:2|f:alpha;alpha:10   (any setting but the shared data:
//                       source, target, dim, m, seed). An empty list is a copy of the base run.
//   &view=heat,arrows,trails,log,charts   the view options that are on
//   &viewer=auto|full|reduced   which view the page starts (auto: the full view only where WebGL2
//                       runs on a GPU); a property of the machine: a shared link drops it
//   &play=0             load paused (default: the run starts)
//   &data=NAME          informational: the run used the local file NAME as its target
// Course pages (share.js):
//   &embed=1            the compact layout for iframes: the view, play/pause/reset and only the
//                       controls named by controls=; loads paused unless autoplay=1
//   &controls=L,f       the controls an embed shows (setting names, or speed, preset)
//   &hide=a,b           controls hidden (setting names, or speed, preset, runs, view, data, share,
//                       export, history)
//   &lock=f,alpha       settings shown but fixed: the controls are disabled and the host page's
//                       postMessage API cannot change them
//   &autoplay=1         start running at once (embeds load paused without it)
//   &caption=TEXT       a line of text under the view (plain text, at most 300 characters)
// A value that is malformed or out of range is refused with a message naming the setting and
// its range, and that setting falls back to its default.
'use strict';
(function () {
  // The settings table (www/settings.js, generated from flow/settings.go): names, kinds, options,
  // ranges, defaults, help and form sections. This file keeps only the layout.
  const TABLE = window.LIPFLOW_SETTINGS;
  const NAMES = TABLE.map((t) => t.name);
  const NUMERIC = new Set(TABLE.filter((t) => t.kind === 'int' || t.kind === 'number' || t.kind === 'seed').map((t) => t.name));
  const SHARED = new Set(TABLE.filter((t) => t.shared).map((t) => t.name)); // the data every run shares
  const RUN_KEYS = ['f', 'alpha', 'L', 'lipschitz', 'lr', 'dt']; // the "add run" editor's keys
  const VIEW_KEYS = ['heat', 'arrows', 'trails', 'log', 'charts'];
  const PAGE_KEYS = ['embed', 'controls', 'hide', 'lock', 'autoplay', 'caption', 'workers', 'viewer']; // page flags, kept in the URL
  // workers: the threads that compute a step, the engine and its pool of Web Workers
  // (docs/performance.md#every-core). A property of this machine, never of the run: it changes
  // no result, so it is not a setting (flow.SettingTable) and a shared link drops it.
  const MAX_WORKERS = 8; // wasm/internal/pool.MaxWorkers
  const DEFAULT_WORKERS = Math.max(1, Math.min(navigator.hardwareConcurrency || 1, MAX_WORKERS));
  // parseWorkers reads a workers value ('all' or a whole number from 1 to MAX_WORKERS): the
  // number of threads (0 for all), or an error message.
  function parseWorkers(v) {
    const t = String(v).trim().toLowerCase();
    if (t === 'all' || t === '') return { n: 0 };
    const n = Number(t);
    if (/^\d+$/.test(t) && n >= 1 && n <= MAX_WORKERS) return { n };
    return { error: `workers = "${v}", want a whole number from 1 to ${MAX_WORKERS} or all (this machine: ${DEFAULT_WORKERS})` };
  }
  // viewer: which view the page starts (docs/lab.md#the-reduced-view): 'auto' the full view
  // (Ebitengine) only where WebGL2 runs on a GPU, 'full' wherever there is WebGL2, 'reduced'
  // never. Like workers, a property of this machine, never of the run: a shared link drops it.
  const VIEWERS = ['auto', 'full', 'reduced'];
  function parseViewer(v) {
    const t = String(v).trim().toLowerCase();
    if (t === '') return { mode: 'auto' };
    if (VIEWERS.includes(t)) return { mode: t };
    return { mode: 'auto', error: `viewer = "${v}", want ${VIEWERS.join(', ')}` };
  }
  const PANELS = ['speed', 'preset', 'runs', 'view', 'data', 'share', 'export', 'history']; // hide= names beside the settings
  const CSV_LIMIT = 5 << 20;
  const MAX_CURVE = 2000;

  // flow.Defaults(), from the table (fromStrings and parseValue are below).
  const DEFAULTS = fromStrings(Object.fromEntries(TABLE.map((t) => [t.name, t.default])));
  const PRESETS = window.LIPFLOW_PRESETS || [];

  // The controls, grouped as the table's sections, with their tooltips. LISTS is layout: the
  // suggestions a text control offers.
  const LISTS = { source: 'source-list', target: 'target-list', L: 'L-list' };
  const GROUPS = [];
  for (const t of TABLE) {
    let g = GROUPS.find(([title]) => title === t.group);
    if (!g) GROUPS.push(g = [t.group, []]);
    const c = { k: t.name, help: t.help + (t.range ? ' (' + t.range + ')' : ''), list: LISTS[t.name],
      type: t.kind === 'choice' ? 'select' : t.kind === 'bool' ? 'check' : 'text', options: t.options };
    if (t.when) c.when = (s) => t.when.values.includes(String(s[t.when.setting]));
    g[1].push(c);
  }
  const HELP = {};
  for (const [, cs] of GROUPS) for (const c of cs) HELP[c.k] = c.help;

  const $ = (id) => document.getElementById(id);
  const mark = window.lipflowPage.mark; // the moments of loading (docs/performance.md)

  // The full view (view.js) starts loading once this opens: when the simple view has drawn the
  // first particles and the lab is interactive (both: the view's start would delay the other),
  // when the engine failed, or 3 s after the engine is up at the latest (a held embed draws
  // nothing). Until then the engine and the lab's start have the machine to themselves.
  // view.js reads the viewer setting when the gate opens.
  const viewer = parseViewer(new URLSearchParams(location.search.slice(1) || location.hash.slice(1)).get('viewer') || '');
  window.lipflowViewMode = viewer.mode;
  let openViewGate;
  window.lipflowViewGate = new Promise((resolve) => { openViewGate = resolve; });
  const gateWaits = new Set(['first-particles', 'interactive']);
  const reached = (name) => { mark(name); gateWaits.delete(name); if (gateWaits.size === 0) openViewGate(); };

  // ---------- state ----------
  const state = {
    base: { ...DEFAULTS }, // the applied base settings
    runs: [],              // the applied extra runs' overrides
    preset: '',            // the applied preset while nothing changed since
    points: null,          // the user's file: {x: Float64Array, dim, rows, name}
    view: { heat: false, arrows: false, trails: false, log: false, charts: true, draw: false },
    running: false,
    lastError: null,
    page: { embed: false, controls: [], hide: [], lock: [], autoplay: false, caption: '' }, // readPageFlags
  };
  let cur = emptyFrameState(0);
  // The engine's pool of Web Workers: threads in use, round trips so far; the Go memory of the
  // engine and of the pool's workers (MB), and the JS values they hold.
  let pool = { threads: 1, trips: 0, engineMB: 0, workersMB: 0, engineRefs: 0, workersRefs: 0 };
  let engineReady = false;

  function emptyFrameState(config) {
    return { config, step: 0, running: false, done: false, dim: 2, heavy: false, metricName: '', targets: null,
      targetLabel: '', targetsChanged: false, field: null, fieldChanged: false, runs: [], full: null, fullStep: -1 };
  }

  // ---------- messages ----------
  const show = window.lipflowPage.messages($('messages'), 6);
  function showMessage(text, kind) {
    if ((kind || 'error') === 'error') state.lastError = text;
    return show(text, kind);
  }
  function clearMessages() { $('messages').replaceChildren(); }

  // ---------- worker ----------
  // The single-file build (dist/lipflow.html, tools/singlefile) carries the worker and the
  // view's wasm inside the page: window.LIPFLOW_BUNDLE makes the worker from them.
  // boot.js (the body's first script) has started it already, unless this page lacks it.
  const bundle = window.LIPFLOW_BUNDLE || null;
  const boot = window.lipflowBoot ? window.lipflowBoot.take() : null;
  const worker = boot ? boot.worker : bundle ? bundle.worker() : new Worker('worker.js');

  // A page out of sight (an embed scrolled out of view, a background tab) holds its run
  // (www/pagekit.js); requests are answered under their id.
  window.lipflowPage.hold(worker);
  const engine = window.lipflowPage.channel(worker);
  const request = (msg) => engine.request(msg);
  const answer = (m) => engine.answer(m);
  let resolveEngine;
  const engineReadyP = new Promise((res) => { resolveEngine = res; });
  engineReadyP.then((ok) => { if (ok) setTimeout(openViewGate, 3000); else openViewGate(); });


  // Main-thread cost of the page's own work (for responsiveness checks: lipflow.perf()).
  const perf = { messages: 0, maxMessageMs: 0, frames: 0, maxFrameMs: 0, sumFrameMs: 0, slow: [] };
  worker.onmessage = (e) => {
    const t0 = performance.now();
    try { onWorkerMessage(e.data); } finally {
      const dt = performance.now() - t0;
      perf.messages++;
      if (dt > perf.maxMessageMs) perf.maxMessageMs = dt;
      if (dt > 20 && perf.slow.length < 50) perf.slow.push(Math.round(dt) + e.data.type + '@' + Math.round(t0));
    }
  };
  function onWorkerMessage(m) {
    switch (m.type) {
      case 'timing': window.lipflowPage.marks('engine-', m.times); break;
      case 'ready':
        mark('engine-ready');
        engineReady = true;
        resolveEngine(m);
        break;
      case 'frame': onFrame(m); break;
      case 'configured': case 'stepped': case 'particles': case 'parsedCSV': case 'bench':
      case 'data': case 'weights': case 'setWeights': case 'workers': answer(m); break;
      case 'error':
        showMessage('engine: ' + m.error);
        if (m.id !== undefined) engine.fail(m.id, new Error('engine: ' + m.error)); // the request that failed
        break;
      case 'fatal':
        engine.die('engine: ' + m.error);
        showMessage(engine.dead());
        resolveEngine(null);
        break;
    }
  }
  worker.onerror = (e) => {
    engine.die('engine worker failed: ' + (e.message || 'worker.js could not be loaded'));
    showMessage(engine.dead());
    resolveEngine(null);
  };

  // ---------- settings values ----------
  // fromStrings turns the engine's string values (flow Settings.Get) into JS values.
  function fromStrings(o) {
    const s = {};
    for (const k of NAMES) if (k in o) s[k] = parseValue(k, o[k]);
    return s;
  }
  // parseValue reads a URL or control string: numbers become numbers when they survive the round
  // trip; anything else stays a string, so that the engine refuses it with its own message.
  function parseValue(k, v) {
    if (typeof v !== 'string') return v;
    const t = v.trim();
    if (k === 'L' && /^(inf|\+?infinity|∞)$/i.test(t)) return 'inf';
    if (k === 'adam_reset') {
      if (/^(true|1|on|yes)$/i.test(t)) return true;
      if (/^(false|0|off|no)$/i.test(t)) return false;
      return t;
    }
    if (NUMERIC.has(k)) {
      if (t === '' || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return t;
      const x = Number(t);
      if (!Number.isFinite(x)) return t;
      if (k === 'seed' && !Number.isSafeInteger(x)) return t;
      return x;
    }
    return t;
  }
  function fmtValue(k, v) {
    if (k === 'L' && (v === 0 || v === Infinity || v === 'inf')) return 'inf';
    return String(v);
  }
  function sameValue(k, a, b) { return fmtValue(k, a) === fmtValue(k, b); }

  function fLabel(s) {
    if (s.f === 'alpha') return 'α=' + fmtValue('alpha', s.alpha);
    return s.f === 'kl-dv' ? 'KL-DV' : s.f.toUpperCase();
  }
  // labels names the runs by what tells them apart.
  function labels(all) {
    const keys = new Set();
    for (const r of all.slice(1)) for (const k of Object.keys(r.o)) keys.add(k);
    return all.map((r) => {
      const s = r.s;
      // A comparison of methods: GPA's runs by their f and L, the others by the engine, whose
      // label names the method and where its score comes from (closed form or KDE).
      if (keys.has('method')) return s.method && s.method !== 'gpa' ? '' : 'GPA ' + fLabel(s) + ', L=' + fmtValue('L', s.L);
      if (keys.size === 0) return fLabel(s) + ', L=' + fmtValue('L', s.L);
      const parts = [];
      if (keys.has('f') || keys.has('alpha')) parts.push(fLabel(s));
      for (const k of keys) if (k !== 'f' && k !== 'alpha') parts.push(k + '=' + fmtValue(k, s[k]));
      return parts.join(', ');
    });
  }
  function runSettings(base, runs) {
    const all = [{ s: { ...base }, o: {} }].concat(runs.map((o) => ({ s: { ...base, ...o }, o })));
    const ls = labels(all);
    return all.map((r, i) => ({ ...r.s, L: fmtValue('L', r.s.L), label: ls[i] }));
  }

  // ---------- configure ----------
  // applyConfig asks the engine for the runs of (base, runs, points); on success it becomes the
  // page's state (controls, URL); on failure it rejects with the engine's error (the current run
  // goes on), err.setting and err.run naming the culprit when known.
  function applyConfig(base, runs, points, opts) {
    opts = opts || {};
    const msg = { type: 'configure', runs: runSettings(base, runs), run: !!opts.run, points: null };
    if (points) msg.points = { x: points.x, dim: points.dim };
    // Posted at once when the engine is up, so that calls keep their order.
    const sent = engineReady ? request(msg) : engineReadyP.then((ok) => {
      if (!ok) throw new Error('the engine is not available');
      return request(msg);
    });
    return sent.then((m) => {
      if (m.error) {
        const err = new Error(m.error);
        err.setting = m.setting || '';
        err.run = m.run || 0;
        throw err;
      }
      state.base = { ...base };
      state.runs = runs.map((o) => ({ ...o }));
      state.points = points;
      state.preset = opts.preset || '';
      if (opts.view) setView(opts.view, true);
      state.running = !!opts.run;
      cur.running = state.running;
      syncControls();
      writeURL();
      emit('config', api.settings());
      return m;
    });
  }

  // fromUI applies a change made with the controls: refused changes are shown and reverted.
  function fromUI(base, runs, points) {
    return applyConfig(base, runs, points === undefined ? state.points : points, { run: state.running || cur.running })
      .catch((err) => { showMessage(err.message); syncControls(); throw err; });
  }

  // ---------- frames from the engine ----------
  let dirty = false;
  let rafPending = false;

  function newHistory() {
    return { step: new Float64Array(MAX_CURVE + 2), divergence: new Float64Array(MAX_CURVE + 2),
      ke: new Float64Array(MAX_CURVE + 2), metric: new Float64Array(MAX_CURVE + 2),
      len: 0, stride: 1, count: 0, lastMetric: NaN };
  }
  // appendCurves keeps the whole history in at most MAX_CURVE points: every stride-th step,
  // the stride doubling whenever the arrays fill. The metric is carried forward between the
  // steps where it was measured.
  function appendCurves(h, c) {
    if (!c || !c.step) return;
    for (let i = 0; i < c.step.length; i++) {
      const mv = c.metric[i];
      if (!Number.isNaN(mv)) h.lastMetric = mv;
      if (h.count++ % h.stride !== 0) continue;
      if (h.len >= MAX_CURVE) {
        let j = 0;
        for (let k = 0; k < h.len; k += 2, j++) {
          h.step[j] = h.step[k]; h.divergence[j] = h.divergence[k]; h.ke[j] = h.ke[k]; h.metric[j] = h.metric[k];
        }
        h.len = j;
        h.stride *= 2;
        if ((h.count - 1) % h.stride !== 0) continue;
      }
      h.step[h.len] = c.step[i]; h.divergence[h.len] = c.divergence[i]; h.ke[h.len] = c.ke[i]; h.metric[h.len] = h.lastMetric;
      h.len++;
    }
  }

  function onFrame(m) {
    if (m.pool && m.pool.lost) showMessage(m.pool.lost); // said once: the runs go on alone
    if (m.pool) {
      const { threads, trips, engineMB, workersMB, engineRefs, workersRefs, engineGCs, workersGCs } = m.pool;
      pool = { threads, trips, engineMB, workersMB, engineRefs, workersRefs, engineGCs, workersGCs };
    }
    if (m.config !== cur.config) {
      const keepField = cur.field;
      cur = emptyFrameState(m.config);
      cur.field = keepField;
    }
    const wasRunning = cur.running, wasDone = cur.done;
    cur.step = m.step;
    cur.running = m.running;
    state.running = m.running;
    cur.held = !!m.held;
    cur.done = m.done;
    cur.dim = m.dim;
    cur.heavy = m.heavy;
    cur.metricName = m.metricName;
    if (m.targets) {
      cur.targets = m.targets;
      cur.targetLabel = m.target || (state.points ? 'file: ' + state.points.name : 'drawn points');
      cur.targetsChanged = true;
      // A new configuration's data: fit the view to it (not for points being drawn).
      cur.fit = !(m.target || '').startsWith('points');
      fallbackRange = null;
    }
    if (m.done && !wasDone && wasRunning && !m.running && m.runs.some((r) => !r.error)) {
      showMessage(`The run is done: ${m.step} steps (the steps setting).`, 'info');
    }
    m.runs.forEach((r, i) => {
      let c = cur.runs[i];
      if (!c) {
        c = cur.runs[i] = { hist: newHistory() };
        c.hist.lastMetric = r.metric;
      }
      c.label = r.label;
      c.particles = r.particles;
      c.stats = r.stats;
      c.metric = r.metric;
      c.metricStep = r.metricStep;
      c.metricName = r.metricName;
      if (r.error && c.error !== r.error) showMessage(`${r.label}: ${r.error}` + (m.runs.length > 1 ? ' (the other runs go on)' : ''));
      c.error = r.error || null;
      // A silent failure (flow.Health): said once when it appears, kept in status(); its message
      // goes when the run recovers, so that the box does not keep saying what no longer holds.
      if (r.warning && !c.warning && !r.error) c.warningMsg = showMessage(`${r.label}: ${r.warning}`, 'warn');
      if (!r.warning && c.warningMsg) { c.warningMsg.remove(); c.warningMsg = null; }
      c.warning = r.warning || null;
      c.floor = r.floor;
      appendCurves(c.hist, r.curves);
      if (i === 0 && r.particlesFull) { cur.full = r.particlesFull; cur.fullStep = m.step; }
    });
    if (m.field) { cur.field = m.field; cur.fieldChanged = true; }
    if (!m.running && m.dim > 8 && cur.fullStep !== m.step) fetchParticles();
    updateButtons();
    markDirty();
    emit('frame', { config: cur.config, step: cur.step, dim: cur.dim, running: cur.running, runs: cur.runs.map((c) => c.particles) });
  }

  // Listeners of the page's events (api.on): 'frame' (every frame from the engine: {config, step,
  // dim, running, runs: the runs' particles as the view shows them}) and 'config' (settings()).
  const listeners = { frame: [], config: [] };
  function emit(name, ev) {
    for (const fn of listeners[name]) {
      try { fn(ev); } catch (e) { showMessage(name + ' listener: ' + e.message); }
    }
  }

  // A snapshot from the history shown in place of the live particles (null: live).
  let shown = null;

  function fetchParticles() {
    return request({ type: 'particles' }).then((p) => {
      if (p.x) { cur.full = p.x; cur.fullStep = p.step; }
      return p.x ? new Float32Array(p.x) : new Float32Array(0);
    });
  }

  function markDirty() {
    dirty = true;
    if (!rafPending) { rafPending = true; requestAnimationFrame(onAnimationFrame); }
  }

  let lastStatsUI = 0;
  function onAnimationFrame(t) {
    rafPending = false;
    if (!dirty) return;
    dirty = false;
    const t0 = performance.now();
    if (viewReady) sendToView();
    else drawFallback();
    if (t - lastStatsUI > 200) { lastStatsUI = t; updateStatsUI(); }
    else markDirtyStats();
    const dt = performance.now() - t0;
    perf.frames++;
    perf.sumFrameMs += dt;
    if (dt > perf.maxFrameMs) perf.maxFrameMs = dt;
    if (dt > 20 && perf.slow.length < 50) perf.slow.push(Math.round(dt) + (viewReady ? 'v' : 'f') + '@' + Math.round(t0));
  }
  let statsTimer = 0;
  function markDirtyStats() {
    if (statsTimer) return;
    statsTimer = setTimeout(() => { statsTimer = 0; lastStatsUI = performance.now(); updateStatsUI(); }, 220);
  }

  // ---------- the view (iframe) ----------
  const iframe = $('view');
  let viewReady = false;
  let lipflowView = null;
  let resolveView;
  const viewSettled = new Promise((res) => { resolveView = res; });
  let region = null;

  window.lipflowHost = {
    viewReady() {
      try {
        lipflowView = iframe.contentWindow.lipflowView;
      } catch (e) { lipflowView = null; }
      if (!lipflowView) { showMessage('view: viewReady() called but lipflowView is missing'); return; }
      viewReady = true;
      try { window.lipflowPage.marks('view-', iframe.contentWindow.lipflowViewTimes); } catch (e) { /* no stages */ }
      mark('view-ready');
      viewStarting = false;
      // Started on demand: the reduced view and its notice go.
      if (reducedWhy !== null) {
        reducedWhy = null;
        viewStartable = false;
        $('viewbox').classList.remove('reduced');
        const notice = $('view-notice');
        if (notice) notice.remove();
      }
      $('viewbox').classList.remove('fallback');
      try { lipflowView.setOptions({ ...state.view }); } catch (e) { showMessage('view.setOptions: ' + e.message); }
      cur.targetsChanged = true;
      cur.fieldChanged = !!cur.field;
      try {
        const v = lipflowView.getView && lipflowView.getView();
        if (v && Number.isFinite(+v.x0)) region = { x0: +v.x0, x1: +v.x1, y0: +v.y0, y1: +v.y1, log: !!v.log };
      } catch (e) { /* the view reports its region with viewChanged */ }
      requestField();
      markDirty();
      resolveView(true);
    },
    viewChanged(v) {
      if (!v) return;
      region = { x0: +v.x0, x1: +v.x1, y0: +v.y0, y1: +v.y1, log: !!v.log };
      if (!!v.log !== state.view.log) {
        state.view.log = !!v.log;
        syncViewToggles();
        writeURL();
      }
      requestField();
    },
    pointsDrawn(pts) { onPointsDrawn(pts); },
    // viewUnavailable(reason, startable): view.js does not start the full view (viewer=auto on
    // software GL, viewer=reduced, no WebGL2), or it failed or stopped; the page shows its reduced
    // view at once, and says so. startable: view.js waits for lipflowViewStart (startFullView).
    viewUnavailable(reason, startable) { useReducedView(String(reason || 'the full view is not available'), !!startable); },
  };

  // The reduced view: the canvas view for good, with a notice that says why, and where
  // viewer=auto declined the full view a button that starts it (startFullView).
  let reducedWhy = null;
  let viewStartable = false; // view.js waits for lipflowViewStart
  let viewStarting = false; // asked to start, not ready yet
  // Why the reduced view: what a phone shows, then the rest (style.css hides .more on narrow
  // screens, where the whole notice covered a fifth of the plot).
  const REASONS = {
    'no WebGL2': ['this browser offers no WebGL2', ', which the full view needs'],
    'no WebGL2 on a GPU': ['this browser offers no WebGL2 on a GPU', ' (none at all, or only drawn in software)'],
    'software WebGL': ['this browser draws WebGL in software', ', without a GPU: the full view may pause the page for several seconds while it starts'],
    'slow WebGL': ['WebGL took over 5 s to answer', ', as it does when drawn in software without a GPU: the full view may pause the page for several seconds while it starts'],
    'viewer=reduced': ['the link asks for it (viewer=reduced)', ''],
  };
  function useReducedView(why, startable) {
    if (reducedWhy !== null && !viewStarting) return;
    viewStarting = false;
    reducedWhy = why;
    viewStartable = startable;
    mark('view-reduced');
    try { window.lipflowPage.marks('view-', iframe.contentWindow.lipflowViewTimes); } catch (e) { /* no stages */ }
    viewReady = false;
    lipflowView = null;
    $('viewbox').classList.add('fallback', 'reduced');
    const old = $('view-notice');
    if (old) old.remove();
    const [reason, detail] = REASONS[why] || [why, ''];
    const more = detail + '. It draws the particles, the targets, the heat map, the arrows, the axes and the charts; '
      + 'zooming, trails and drawing targets need the full view.';
    const div = showMessage('Reduced view: ' + reason + more, 'warn');
    if (div) {
      const text = div.querySelector('span');
      if (text) {
        const m = document.createElement('span');
        m.className = 'more';
        m.textContent = more;
        text.textContent = 'Reduced view: ' + reason;
        text.append(m);
        div.title = 'Reduced view: ' + reason + more;
      }
      div.id = 'view-notice';
      div.className = 'msg notice'; // the page's state, not a run's warning (status().warning)
      // Over the view with the messages, not above it: no layout shift (style.css); a status of
      // its own, out of the messages' live region.
      div.setAttribute('role', 'status');
      $('overlay').prepend(div);
      if (startable) {
        const b = document.createElement('button');
        b.id = 'btn-full-view';
        b.className = 'start-full';
        b.textContent = 'Start the full view';
        b.title = 'Start the full view (Ebitengine, WebGL2): zoom, trails, drawing targets. Without a GPU the page may pause for several seconds while it starts.';
        b.onclick = () => { api.startFullView(); };
        div.insertBefore(b, div.lastChild);
      }
    }
    fallbackRange = null;
    markDirty();
    resolveView(false);
  }
  // viewStatus is status().view: the viewer setting; the view shown ('full', 'reduced', or
  // 'simple' while the full view loads or the page decides); why the reduced view; whether it
  // can be started (startable) or is starting.
  function viewStatus() {
    return { viewer: viewer.mode, shown: viewReady ? 'full' : reducedWhy !== null ? 'reduced' : 'simple', why: reducedWhy,
      startable: viewStartable && !viewStarting, starting: viewStarting };
  }
  // startFullView starts the full view that viewer=auto declined; the page hands over to it
  // when it is ready (viewReady), or shows why it could not start.
  function startFullView() {
    if (viewReady || viewStarting) return true;
    let start = null;
    try { start = iframe.contentWindow.lipflowViewStart; } catch (e) { /* not the view's document */ }
    if (!viewStartable || typeof start !== 'function') return false;
    viewStarting = true;
    const b = $('btn-full-view');
    if (b) { b.disabled = true; b.textContent = 'Starting the full view…'; }
    start();
    return true;
  }

  function sendToView() {
    if (!lipflowView || cur.runs.length === 0) return;
    const f = {
      step: shown ? shown.step : cur.step, dim: cur.dim, targets: cur.targetsChanged ? cur.targets : null, targetLabel: cur.targetLabel,
      heavy: cur.heavy, field: cur.fieldChanged ? cur.field : null,
      runs: cur.runs.map((c, i) => ({
        label: c.label, particles: shown && shown.runs[i] ? shown.runs[i] : c.particles, metricName: c.metricName, error: c.error,
        stats: { divergence: c.stats.divergence, ke: c.stats.ke, speed: c.stats.speed, metric: c.metric },
        curves: {
          step: c.hist.step.subarray(0, c.hist.len), divergence: c.hist.divergence.subarray(0, c.hist.len),
          ke: c.hist.ke.subarray(0, c.hist.len), metric: c.hist.metric.subarray(0, c.hist.len),
        },
      })),
    };
    try {
      lipflowView.frame(f);
      if (f.runs.some((r) => r.particles && r.particles.length)) mark('first-particles');
      if (f.targets && cur.fit) {
        cur.fit = false;
        try { if (typeof lipflowView.resetView === 'function') lipflowView.resetView(); } catch (e) { /* not fatal */ }
      }
      cur.targetsChanged = false;
      cur.fieldChanged = false;
    } catch (e) {
      showMessage('view.frame: ' + e.message);
      viewReady = false;
      $('viewbox').classList.add('fallback');
    }
  }

  let lastFieldKey = '';
  function requestField() {
    if (!engineReady) return;
    const r = viewReady ? region : fallbackRegion();
    const on = (state.view.heat || state.view.arrows) && r;
    const msg = on ? { type: 'field', region: { x0: r.x0, x1: r.x1, y0: r.y0, y1: r.y1 }, nx: 64, ny: 64, log: !!r.log }
      : { type: 'field', nx: 0, ny: 0 };
    const key = JSON.stringify(msg);
    if (key === lastFieldKey) return;
    lastFieldKey = key;
    worker.postMessage(msg);
  }

  // Is there a view at all? Without view.html or view.wasm the page works with its fallback.
  function probeView() {
    $('viewbox').classList.add('fallback');
    // view.js may have found no WebGL2 before this script ran (lipflowHost.viewUnavailable then
    // had nobody to call).
    try {
      const why = iframe.contentWindow.lipflowViewUnavailable;
      if (why) { useReducedView(String(why), typeof iframe.contentWindow.lipflowViewStart === 'function'); return; }
      // Or it may have started (a phone's busy main thread runs this script seconds late).
      if (iframe.contentWindow.lipflowViewReady === true) { window.lipflowHost.viewReady(); return; }
    } catch (e) { /* not the view's document yet */ }
    const settle = () => resolveView(false);
    setTimeout(settle, 20000);
    if (bundle || viewer.mode === 'reduced') return; // the view is inside the page, or not wanted
    fetch('view.html', { method: 'HEAD', cache: 'no-store' }).then((r) => {
      if (!r.ok) { settle(); return; }
      return fetch('view.wasm', { method: 'HEAD', cache: 'no-store' }).then((w) => { if (!w.ok) settle(); });
    }).catch(settle);
  }

  // ---------- the simple view (canvas 2D) ----------
  // Shown while the full view loads, and for good where it does not run (the reduced view:
  // viewer=auto without a GPU, viewer=reduced, no WebGL2). It draws what the full view draws of
  // the flow: the heat map of phi, the arrows of -grad phi, the targets, the particles, the axes
  // and the charts, log-compressed like the full view when the log view is on or the data are
  // heavy-tailed; no zoom or trails.
  const canvas = $('fallback');
  const COLORS = ['#0072b2', '#d55e00', '#009e73']; // the view's palette (Okabe-Ito)
  const MARGIN = { left: 56, right: 12, top: 10, bottom: 44 }; // CSS px: tick labels, the status line
  let fallbackRange = null; // {cx, cy, span} in tf coordinates
  let fallbackRangeAt = 0;
  function logAxes() { return !!(state.view.log || cur.heavy); }
  // tf is the fallback's log-compressed map: it mirrors the Go view's logmap.Fwd (render/logmap),
  // which the heat map's grid and the Ebitengine view share.
  function tf(v) { return logAxes() ? Math.sign(v) * Math.log1p(Math.abs(v)) : v; }
  function untf(u) { return logAxes() ? Math.sign(u) * Math.expm1(Math.abs(u)) : u; }
  function quantiles(arr, off) {
    const xs = [];
    const step = Math.max(1, Math.floor(arr.length / 2 / 500));
    for (let i = off; i < arr.length; i += 2 * step) { const v = tf(arr[i]); if (Number.isFinite(v)) xs.push(v); }
    xs.sort((a, b) => a - b);
    if (!xs.length) return [-1, 1];
    return [xs[Math.floor(0.02 * (xs.length - 1))], xs[Math.ceil(0.98 * (xs.length - 1))]];
  }
  // fallbackPlot is the plot's rectangle (CSS px) and its map from data to screen.
  function fallbackPlot() {
    const w = canvas.clientWidth, h = canvas.clientHeight;
    if (!fallbackRange || !w || !h) return null;
    const x = MARGIN.left, y = MARGIN.top;
    const strip = chartStrip(w, h);
    const pw = Math.max(10, w - MARGIN.left - MARGIN.right), ph = Math.max(10, (strip ? strip.top : h) - MARGIN.top - MARGIN.bottom);
    const { cx, cy, span } = fallbackRange;
    const sc = Math.min(pw, ph) / (2 * span);
    return {
      x, y, w: pw, h: ph, sc, strip,
      u0: cx - pw / 2 / sc, u1: cx + pw / 2 / sc, v0: cy - ph / 2 / sc, v1: cy + ph / 2 / sc, // tf coordinates
      sx: (u) => x + pw / 2 + (u - cx) * sc, sy: (u) => y + ph / 2 - (u - cy) * sc, // tf coordinates to screen
    };
  }
  // fallbackRegion is the data region the simple view shows, for the engine's field.
  function fallbackRegion() {
    if (!$('viewbox').classList.contains('fallback')) return null;
    const P = fallbackPlot();
    if (!P) return null;
    return { x0: untf(P.u0), x1: untf(P.u1), y0: untf(P.v0), y1: untf(P.v1), log: logAxes() };
  }

  // The heat map's colours: viridis lightened by 0.45 towards white (render.HeatLUT).
  const HEAT_LUT = (() => {
    const a = [[0x44, 0x01, 0x54], [0x48, 0x24, 0x75], [0x41, 0x44, 0x87], [0x35, 0x5f, 0x8d], [0x2a, 0x78, 0x8e], [0x21, 0x91, 0x8c],
      [0x22, 0xa8, 0x84], [0x44, 0xbf, 0x70], [0x7a, 0xd1, 0x51], [0xbd, 0xdf, 0x26], [0xfd, 0xe7, 0x25]];
    const lut = new Uint8Array(256 * 3);
    for (let i = 0; i < 256; i++) {
      const p = i / 255 * (a.length - 1), k = Math.min(Math.floor(p), a.length - 2), f = p - k;
      for (let c = 0; c < 3; c++) lut[3 * i + c] = Math.round((a[k][c] * (1 - f) + a[k + 1][c] * f) * 0.55 + 255 * 0.45);
    }
    return lut;
  })();
  // heatImage is the field's phi as an nx x ny picture (row 0 at the top, so at y1), coloured
  // between phi's 2nd and 98th percentiles as the full view does (log-compressed on a log grid).
  let heatCache = { field: null, img: null };
  function heatImage(f) {
    if (heatCache.field === f) return heatCache.img;
    const { nx, ny, phi } = f;
    const warp = (v) => (f.log ? Math.sign(v) * Math.log1p(Math.abs(v)) : v);
    const sorted = [];
    for (const v of phi) if (Number.isFinite(v)) sorted.push(warp(v));
    sorted.sort((a, b) => a - b);
    const n = sorted.length;
    const lo = n ? sorted[Math.floor(n * 2 / 100)] : 0, hi = n ? sorted[Math.floor((n - 1) * 98 / 100)] : 0;
    const scale = hi > lo ? 255 / (hi - lo) : 0;
    const img = document.createElement('canvas');
    img.width = nx; img.height = ny;
    const g = img.getContext('2d');
    const data = g.createImageData(nx, ny);
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const v = phi[j * nx + i], o = ((ny - 1 - j) * nx + i) * 4;
        if (!Number.isFinite(v)) continue; // transparent
        const t = scale > 0 ? (warp(v) - lo) * scale : 127.5;
        const c = 3 * Math.floor(Math.min(255, Math.max(0, t)) + 0.5);
        data.data[o] = HEAT_LUT[c]; data.data[o + 1] = HEAT_LUT[c + 1]; data.data[o + 2] = HEAT_LUT[c + 2]; data.data[o + 3] = 255;
      }
    }
    g.putImageData(data, 0, 0);
    heatCache = { field: f, img };
    return img;
  }
  // drawField draws the heat map and the arrows of a field whose grid matches the axes' scale.
  function drawField(g, P) {
    const f = cur.field;
    if (shown || !f || !(f.nx >= 2 && f.ny >= 2) || !!f.log !== logAxes() || !(f.x1 > f.x0 && f.y1 > f.y0)) return;
    const sx0 = P.sx(tf(f.x0)), sx1 = P.sx(tf(f.x1)), sy0 = P.sy(tf(f.y0)), sy1 = P.sy(tf(f.y1));
    const cw = (sx1 - sx0) / (f.nx - 1), ch = (sy0 - sy1) / (f.ny - 1);
    // A run without a discriminator (svgd, mmd, langevin, sinkhorn) sends no phi: no heat map,
    // only the arrows of its velocity field.
    if (state.view.heat && f.phi && f.phi.length >= f.nx * f.ny) {
      // The picture's pixel centres on the grid's nodes; the browser interpolates between them.
      g.imageSmoothingEnabled = true;
      g.drawImage(heatImage(f), sx0 - cw / 2, sy1 - ch / 2, sx1 - sx0 + cw, sy0 - sy1 + ch);
    }
    if (state.view.arrows && f.gx && f.gy) {
      const k = Math.max(1, Math.round(Math.max(f.nx, f.ny) / 16));
      const slope = (v) => (f.log ? 1 / (1 + Math.abs(v)) : 1);
      const arrows = [];
      let big = 0;
      for (let j = Math.floor(k / 2); j < f.ny; j += k) {
        for (let i = Math.floor(k / 2); i < f.nx; i += k) {
          const x = untf(tf(f.x0) + i * (tf(f.x1) - tf(f.x0)) / (f.nx - 1)), y = untf(tf(f.y0) + j * (tf(f.y1) - tf(f.y0)) / (f.ny - 1));
          const dx = f.gx[j * f.nx + i] * slope(x), dy = -f.gy[j * f.nx + i] * slope(y);
          if (!Number.isFinite(dx) || !Number.isFinite(dy)) continue;
          arrows.push([sx0 + i * cw, sy0 - j * ch, dx, dy]);
          big = Math.max(big, Math.hypot(dx, dy));
        }
      }
      if (big > 0) {
        const len = 0.85 * k * Math.min(Math.abs(cw), Math.abs(ch)) / big;
        g.strokeStyle = 'rgba(40,40,40,0.65)';
        g.lineWidth = 1;
        g.beginPath();
        for (const [x, y, dx, dy] of arrows) {
          const ex = x + dx * len, ey = y + dy * len, l = Math.hypot(ex - x, ey - y);
          if (l < 1) continue;
          const hx = (x - ex) / l * Math.min(4, l / 2), hy = (y - ey) / l * Math.min(4, l / 2);
          g.moveTo(x, y); g.lineTo(ex, ey);
          g.moveTo(ex + hx - hy * 0.6, ey + hy + hx * 0.6); g.lineTo(ex, ey); g.lineTo(ex + hx + hy * 0.6, ey + hy - hx * 0.6);
        }
        g.stroke();
      }
    }
  }

  // Ticks of the axes: multiples of a 1-2-5 step (render.NiceTicks), or on the log axes the
  // decades 0, ±1, ±10, ... (every 2nd, 3rd... if there are too many).
  function niceTicks(lo, hi, max) {
    if (!(Number.isFinite(lo) && Number.isFinite(hi)) || !(hi > lo)) return { ticks: [], step: 0 };
    const base = Math.pow(10, Math.floor(Math.log10((hi - lo) / max)));
    let step = 50 * base;
    for (const m of [0.5, 1, 2, 5, 10, 20]) {
      if (Math.floor(hi / (m * base) + 1e-9) - Math.ceil(lo / (m * base) - 1e-9) + 1 <= max) { step = m * base; break; }
    }
    const ticks = [];
    for (let i = Math.ceil(lo / step - 1e-9); i <= Math.floor(hi / step + 1e-9); i++) ticks.push(Math.abs(i * step) < step * 1e-9 ? 0 : i * step);
    return { ticks, step };
  }
  function axisTicks(ulo, uhi, max) {
    if (!logAxes()) return niceTicks(ulo, uhi, max);
    const dec = [];
    const inView = (v) => { const u = tf(v); return u >= ulo && u <= uhi; };
    if (inView(0)) dec.push(0);
    for (let k = 0; k <= 308 && Math.log1p(Math.pow(10, k)) <= Math.max(Math.abs(ulo), Math.abs(uhi)); k++) {
      const p = Math.pow(10, k);
      if (inView(p)) dec.push(p);
      if (inView(-p)) dec.push(-p);
    }
    if (dec.length < 3) {
      const t = niceTicks(untf(ulo), untf(uhi), max);
      return { ticks: t.ticks.filter(inView), step: t.step };
    }
    dec.sort((a, b) => a - b);
    const stride = Math.ceil(dec.length / max);
    const z = dec.indexOf(0);
    return { ticks: dec.filter((_, i) => ((i - (z >= 0 ? z : 0)) % stride + stride) % stride === 0), step: 1 };
  }
  function fmtTick(v, step) {
    if (v === 0 || (step && Math.abs(v) < step * 1e-6)) return '0';
    const a = Math.abs(v);
    if (a >= 1e6 || a < 1e-4) return v.toExponential(1).replace(/\.0e/, 'e').replace('e+', 'e');
    return v.toFixed(step > 0 ? Math.min(8, Math.max(0, Math.ceil(-Math.log10(step) - 1e-9))) : 0);
  }
  function drawAxes(g, P) {
    g.font = '11px system-ui, sans-serif';
    const xt = axisTicks(P.u0, P.u1, Math.min(10, Math.max(3, Math.floor(P.w / 80))));
    const yt = axisTicks(P.v0, P.v1, Math.min(10, Math.max(3, Math.floor(P.h / 42))));
    g.strokeStyle = 'rgba(0,0,0,0.08)';
    g.lineWidth = 1;
    g.beginPath();
    for (const v of xt.ticks) { const x = Math.round(P.sx(tf(v))) + 0.5; g.moveTo(x, P.y); g.lineTo(x, P.y + P.h); }
    for (const v of yt.ticks) { const y = Math.round(P.sy(tf(v))) + 0.5; g.moveTo(P.x, y); g.lineTo(P.x + P.w, y); }
    g.stroke();
    g.strokeStyle = '#8a94a3';
    g.strokeRect(P.x + 0.5, P.y + 0.5, P.w - 1, P.h - 1);
    g.fillStyle = '#5f6b7a';
    g.beginPath();
    g.textAlign = 'center'; g.textBaseline = 'top';
    for (const v of xt.ticks) {
      const x = Math.round(P.sx(tf(v))) + 0.5;
      g.moveTo(x, P.y + P.h); g.lineTo(x, P.y + P.h + 4);
      g.fillText(fmtTick(v, xt.step), x, P.y + P.h + 6);
    }
    g.textAlign = 'right'; g.textBaseline = 'middle';
    for (const v of yt.ticks) {
      const y = Math.round(P.sy(tf(v))) + 0.5;
      g.moveTo(P.x - 4, y); g.lineTo(P.x, y);
      g.fillText(fmtTick(v, yt.step), P.x - 6, y);
    }
    g.stroke();
    g.textAlign = 'left'; g.textBaseline = 'alphabetic';
  }
  // label writes text with a white halo, readable over the heat map.
  function label(g, text, x, y, color) {
    g.lineWidth = 3;
    g.strokeStyle = 'rgba(255,255,255,0.85)';
    g.strokeText(text, x, y);
    g.fillStyle = color;
    g.fillText(text, x, y);
  }

  // ---------- the charts (the simple view's, as the full view draws them: render/chartdraw.go) ----------
  // chartStrip is the strip under the plot when the charts option is on (render.ComputeLayout):
  // its top and the three charts' boxes (CSS px), or null.
  function chartStrip(w, h) {
    if (!state.view.charts || h <= 260) return null;
    const ch = Math.max(110, Math.round(0.25 * h)), gap = 10, cw = (w - 8 - 2 * gap - 8) / 3, top = h - ch;
    return { top, boxes: [0, 1, 2].map((i) => ({ x: 8 + i * (cw + gap), y: top + 6, w: cw, h: ch - 10 })) };
  }
  // A chart's y scale (render.ChooseScale): linear, or symmetric-log sign(v) log10(1 + |v|/c)
  // when the values span 3 decades or more beyond their 10th percentile; 5% padding.
  function chartFwd(sc, v) { return !sc.sym ? v : v < 0 ? -Math.log10(1 - v / sc.c) : Math.log10(1 + v / sc.c); }
  function chooseScale(series) {
    let lo = Infinity, hi = -Infinity;
    const decades = [];
    for (const s of series) {
      for (const v of s) {
        if (!Number.isFinite(v)) continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
        if (v !== 0) decades.push(Math.floor(Math.log10(Math.abs(v))));
      }
    }
    if (lo > hi) return { sym: false, c: 1, lo: 0, hi: 1 };
    const sc = { sym: false, c: 1 };
    if (decades.length) {
      decades.sort((a, b) => a - b);
      const q = Math.pow(10, decades[Math.floor(0.1 * decades.length)]);
      if (Math.max(Math.abs(lo), Math.abs(hi)) / q >= 1000) { sc.sym = true; sc.c = q; }
    }
    let a = chartFwd(sc, lo), b = chartFwd(sc, hi);
    if (b - a < 1e-12 * Math.max(1, Math.abs(a))) {
      const d = a === 0 ? 1 : Math.max(Math.abs(a) * 0.1, 1e-3);
      a -= d; b += d;
    }
    const pad = 0.05 * (b - a);
    sc.lo = a - pad; sc.hi = b + pad;
    return sc;
  }
  // chartTicks: a 1-2-5 sequence on a linear scale, decades (0, ±10^k) on a symlog one.
  function chartTicks(sc, max) {
    if (!sc.sym) return niceTicks(sc.lo, sc.hi, max);
    const inView = (v) => { const u = chartFwd(sc, v); return u >= sc.lo && u <= sc.hi; };
    const k0 = Math.round(Math.log10(sc.c)), k1 = k0 + Math.ceil(Math.max(Math.abs(sc.lo), Math.abs(sc.hi))) + 1;
    const dec = inView(0) ? [0] : [];
    for (let k = k0; k <= k1; k++) for (const v of [Math.pow(10, k), -Math.pow(10, k)]) if (inView(v)) dec.push(v);
    dec.sort((a, b) => a - b);
    const stride = Math.ceil(dec.length / max);
    return { ticks: dec.filter((_, i) => i % stride === 0), step: 0, decades: true };
  }
  function fmtDecade(v) {
    if (v === 0) return '0';
    const a = Math.abs(v);
    return a >= 1e3 || a < 0.01 ? v.toExponential(0).replace('e+', 'e') : String(Number(v.toPrecision(3)));
  }
  // envelope adds to g's path the polyline of the points (xs[i], ys[i]) mapped by fx and fy,
  // reduced to first, lowest, highest and last point of each pixel column (render.Envelope): a
  // long history draws cheaply without losing its spikes. A non-finite value breaks the line.
  function envelope(g, xs, ys, fx, fy) {
    // Per column: its first point (fx0, fy0), lowest and highest y with their x and index, last point.
    let col = NaN, pen = false, fx0 = 0, fy0 = 0, lx = 0, ly = 0, li = 0, hx = 0, hy = 0, hi = 0, tx = 0, ty = 0;
    const put = (x, y) => { if (pen) g.lineTo(x, y); else { g.moveTo(x, y); pen = true; } };
    const flush = () => {
      if (Number.isNaN(col)) return;
      put(fx0, fy0);
      if (li <= hi) { put(lx, ly); put(hx, hy); } else { put(hx, hy); put(lx, ly); }
      put(tx, ty);
      col = NaN;
    };
    for (let i = 0; i < xs.length; i++) {
      const x = fx(xs[i]), y = fy(ys[i]);
      if (!Number.isFinite(x) || !Number.isFinite(y)) { flush(); pen = false; continue; }
      const c = Math.floor(x);
      if (c !== col) { flush(); col = c; fx0 = lx = hx = tx = x; fy0 = ly = hy = ty = y; li = hi = i; continue; }
      if (y < ly) { lx = x; ly = y; li = i; }
      if (y > hy) { hx = x; hy = y; hi = i; }
      tx = x; ty = y;
    }
    flush();
  }
  // fitText returns s, or as much of it as fits in width w (CSS px) in g's font followed by '…':
  // on a phone a chart is 120 px wide, narrower than "kinetic energy  (symlog)".
  function fitText(g, s, w) {
    if (g.measureText(s).width <= w) return s;
    if (g.measureText(s[0] + '…').width > w) return '';
    let n = s.length;
    while (n > 1 && g.measureText(s.slice(0, n - 1).trimEnd() + '…').width > w) n--;
    return s.slice(0, n - 1).trimEnd() + '…';
  }
  const CHART_SERIES = ['divergence', 'ke', 'metric'];
  // drawCharts draws the divergence estimate, the kinetic energy and the metric of every run over
  // the steps, from the history the page keeps (the curves the full view is sent, lipflow.curves()).
  function drawCharts(g, strip) {
    const metricName = (cur.runs.find((c) => c.metricName) || {}).metricName;
    const titles = ['divergence estimate', 'kinetic energy', metricName || 'metric'];
    g.font = '11px system-ui, sans-serif';
    strip.boxes.forEach((box, c) => {
      const inn = { x: box.x + 46, y: box.y + 20, w: box.w - 54, h: box.h - 38 };
      if (inn.w < 10 || inn.h < 10) return;
      let x0 = Infinity, x1 = -Infinity;
      const xs = [], ys = [];
      for (const r of cur.runs) {
        const h = r.hist, n = h.len;
        xs.push(h.step.subarray(0, n));
        ys.push(h[CHART_SERIES[c]].subarray(0, n));
        if (n) { x0 = Math.min(x0, h.step[0]); x1 = Math.max(x1, h.step[n - 1]); }
      }
      const hasData = Number.isFinite(x0);
      if (!(x1 > x0)) { if (!Number.isFinite(x0)) x0 = 0; x1 = x0 + 1; }
      g.strokeStyle = '#8a94a3';
      g.lineWidth = 1;
      g.strokeRect(Math.round(inn.x) - 0.5, Math.round(inn.y) - 0.5, Math.round(inn.w) + 1, Math.round(inn.h) + 1);
      g.textAlign = 'left'; g.textBaseline = 'top';
      if (!hasData) {
        g.fillStyle = '#333';
        g.fillText(fitText(g, titles[c], box.w - 8), box.x + 4, box.y + 2);
        g.fillStyle = '#5f6b7a';
        g.textAlign = 'center'; g.textBaseline = 'middle';
        g.fillText('no data yet', inn.x + inn.w / 2, inn.y + inn.h / 2);
        g.textAlign = 'left'; g.textBaseline = 'alphabetic';
        return;
      }
      const sc = chooseScale(ys);
      const fy = (v) => inn.y + inn.h - (chartFwd(sc, v) - sc.lo) / (sc.hi - sc.lo) * inn.h;
      const fx = (v) => inn.x + (v - x0) / (x1 - x0) * inn.w;
      const yt = chartTicks(sc, Math.min(6, Math.max(2, Math.floor(inn.h / 22))));
      const xt = niceTicks(x0, x1, Math.min(8, Math.max(2, Math.floor(inn.w / 70))));
      g.strokeStyle = 'rgba(0,0,0,0.08)';
      g.beginPath();
      for (const v of yt.ticks) { const y = Math.round(fy(v)) + 0.5; g.moveTo(inn.x, y); g.lineTo(inn.x + inn.w, y); }
      g.stroke();
      g.strokeStyle = '#8a94a3';
      g.beginPath();
      for (const v of yt.ticks) { const y = Math.round(fy(v)) + 0.5; g.moveTo(inn.x - 4, y); g.lineTo(inn.x, y); }
      for (const v of xt.ticks) { const x = Math.round(fx(v)) + 0.5; g.moveTo(x, inn.y + inn.h); g.lineTo(x, inn.y + inn.h + 4); }
      g.stroke();
      // The curves, clipped to the chart; a non-finite value breaks the line.
      g.save();
      g.beginPath();
      g.rect(inn.x, inn.y, inn.w, inn.h);
      g.clip();
      g.lineWidth = 1.5;
      g.lineJoin = 'round';
      cur.runs.forEach((r, k) => {
        g.strokeStyle = COLORS[k % 3];
        g.beginPath();
        envelope(g, xs[k], ys[k], fx, fy);
        g.stroke();
      });
      g.restore();
      // The labels: the title, the y ticks (those that would overlap the one below or the
      // title are left out), the x ticks after "step".
      g.fillStyle = '#333';
      const scale = sc.sym ? '  (symlog)' : '';
      const title = fitText(g, titles[c], box.w - 8 - g.measureText(scale).width) + scale;
      g.fillText(title, box.x + 4, box.y + 2);
      const titleRight = box.x + 4 + g.measureText(title).width, titleBottom = box.y + 15;
      g.textAlign = 'right'; g.textBaseline = 'middle';
      let last = Infinity;
      for (const v of yt.ticks) {
        const y = fy(v), s = yt.decades ? fmtDecade(v) : fmtTick(v, yt.step);
        if (y + 6 > last) continue;
        if (y - 6 < titleBottom && inn.x - 6 - g.measureText(s).width < titleRight) continue;
        g.fillText(s, inn.x - 6, y);
        last = y - 6;
      }
      g.fillStyle = '#5f6b7a';
      g.textAlign = 'left'; g.textBaseline = 'top';
      g.fillText('step', box.x + 4, inn.y + inn.h + 5);
      let lastX = box.x + 4 + g.measureText('step').width;
      g.textAlign = 'center';
      for (const v of xt.ticks) {
        const s = fmtTick(v, xt.step), x = fx(v), tw = g.measureText(s).width;
        if (x - tw / 2 < lastX + 6 || x + tw / 2 > box.x + box.w) continue;
        g.fillText(s, x, inn.y + inn.h + 5);
        lastX = x + tw / 2;
      }
      g.textAlign = 'left'; g.textBaseline = 'alphabetic';
    });
  }

  // chartsLayer shows the charts on a canvas of their own over the strip (#fallback-charts),
  // redrawn at most 4 times a second while the run goes (the status table's pace), at once when
  // the strip, the runs or the data change: redrawn every frame they made the simple view's
  // frames 2-3 times longer on software GL. A layer of the page, not a picture copied into the
  // view's canvas: the copy made the browser finish the charts' drawing at once, 100-120 ms a
  // time with the CPU slowed 4 times (Lighthouse's phone), against 1-10 ms for the drawing.
  const chartCache = { canvas: null, key: '', at: 0, len: -1 };
  function chartsLayer(strip, dpr, w, h) {
    const c = chartCache;
    const key = [w, h, strip.top, dpr, cur.config, cur.runs.length, cur.metricName].join();
    const len = cur.runs.reduce((a, r) => a + r.hist.count, 0);
    const now = performance.now();
    if (!c.canvas) {
      c.canvas = document.createElement('canvas');
      c.canvas.id = 'fallback-charts';
      c.canvas.setAttribute('aria-hidden', 'true'); // the status table says the same in text
      canvas.after(c.canvas);
    }
    c.canvas.hidden = false;
    if (key !== c.key || (len !== c.len && (now - c.at > 250 || !cur.running))) {
      const ch = c.canvas;
      const cw = Math.round(w * dpr), hh = Math.round((h - strip.top) * dpr);
      if (ch.width !== cw || ch.height !== hh) { ch.width = cw; ch.height = hh; }
      ch.style.top = strip.top + 'px';
      ch.style.height = (h - strip.top) + 'px';
      const cg = ch.getContext('2d');
      cg.setTransform(dpr, 0, 0, dpr, 0, -strip.top * dpr);
      cg.clearRect(0, strip.top, w, h - strip.top);
      drawCharts(cg, strip);
      c.key = key; c.len = len; c.at = now;
    }
  }

  // MAX_DPR caps the canvas's pixels per CSS pixel. The canvas is drawn by the CPU where this
  // view is shown for good (no GPU), and its first frame's cost grows with its pixels: on a
  // phone's 2.6x screen with the CPU slowed 4 times (Lighthouse's mobile setting) the first fill
  // took 400-500 ms at 2.6x, 300 ms at 2x, 55-80 ms at 1x (docs/performance.md#lighthouse).
  const MAX_DPR = 1.5;
  function drawFallback() {
    if (!$('viewbox').classList.contains('fallback')) return;
    const dpr = Math.min(window.devicePixelRatio || 1, MAX_DPR);
    const w = canvas.clientWidth, h = canvas.clientHeight;
    if (!w || !h) return;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr);
    }
    const g = canvas.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.fillStyle = '#ffffff';
    g.fillRect(0, 0, w, h);
    const now = performance.now();
    if (cur.targets && (!fallbackRange || now - fallbackRangeAt > 1000)) {
      fallbackRangeAt = now;
      let [x0, x1] = quantiles(cur.targets, 0), [y0, y1] = quantiles(cur.targets, 1);
      for (const c of cur.runs) {
        if (!c.particles) continue;
        const [a, b] = quantiles(c.particles, 0), [p, q] = quantiles(c.particles, 1);
        x0 = Math.min(x0, a); x1 = Math.max(x1, b); y0 = Math.min(y0, p); y1 = Math.max(y1, q);
      }
      const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
      const span = Math.max(x1 - x0, y1 - y0, 1e-9) * 0.6;
      fallbackRange = { cx, cy, span };
      requestField(); // the heat map and arrows for the region shown
    }
    const P = fallbackPlot();
    if (!P) return;
    g.save();
    g.beginPath();
    g.rect(P.x, P.y, P.w, P.h);
    g.clip();
    drawField(g, P);
    const px = (v) => P.sx(tf(v)), py = (v) => P.sy(tf(v));
    g.fillStyle = 'rgba(90,90,90,0.45)';
    const t = cur.targets;
    if (t) for (let i = 0; i < t.length; i += 2) g.fillRect(px(t[i]) - 1.5, py(t[i + 1]) - 1.5, 3, 3);
    cur.runs.forEach((c, r) => {
      const p = shown && shown.runs[r] ? shown.runs[r] : c.particles;
      if (!p) return;
      g.fillStyle = COLORS[r % 3];
      for (let i = 0; i < p.length; i += 2) g.fillRect(px(p[i]) - 1.5, py(p[i + 1]) - 1.5, 3, 3);
      if (p.length) reached('first-particles');
    });
    g.restore();
    drawAxes(g, P);
    if (P.strip) chartsLayer(P.strip, dpr, w, h);
    else if (chartCache.canvas) chartCache.canvas.hidden = true;
    g.font = '12px system-ui, sans-serif';
    const what = reducedWhy === null ? 'simple view (the full view is not loaded)' : 'reduced view: ' + reducedWhy;
    label(g, what + (logAxes() ? ' — log axes' : '') + ' · step ' + (shown ? shown.step : cur.step), 10, (P.strip ? P.strip.top : h) - 8, '#5f6b7a');
    cur.runs.forEach((c, r) => label(g, '● ' + c.label + (c.error ? ' — stopped' : c.warning ? ' — see the warning' : ''), P.x + 8, P.y + 16 + 16 * r, COLORS[r % 3]));
    label(g, '· targets' + (cur.targetLabel ? ': ' + cur.targetLabel : ''), P.x + 8, P.y + 16 + 16 * cur.runs.length, 'rgba(70,70,70,0.9)');
  }
  window.addEventListener('resize', () => { fallbackRange = null; markDirty(); });

  // ---------- controls ----------
  const inputs = {};
  function buildControls() {
    const box = $('settings');
    for (const [title, cs] of GROUPS) {
      const h = document.createElement('h3');
      h.textContent = title;
      box.append(h);
      for (const c of cs) {
        const row = document.createElement('label');
        row.className = 'row';
        row.title = c.k + ': ' + c.help;
        const span = document.createElement('span');
        span.textContent = c.k;
        let el;
        if (c.type === 'select') {
          el = document.createElement('select');
          for (const o of c.options) { const op = document.createElement('option'); op.value = op.textContent = o; el.append(op); }
        } else if (c.type === 'check') {
          el = document.createElement('input');
          el.type = 'checkbox';
        } else {
          el = document.createElement('input');
          el.type = 'text';
          el.spellcheck = false;
          el.autocomplete = 'off';
          if (c.list) el.setAttribute('list', c.list);
        }
        el.id = 's-' + c.k;
        el.name = c.k;
        el.addEventListener('change', () => onControl(c.k));
        row.append(span, el);
        box.append(row);
        inputs[c.k] = { el, row, c };
      }
    }
  }
  function onControl(k) {
    const { el, c } = inputs[k];
    if (state.page.lock.includes(k)) { syncControls(); return; }
    const v = c.type === 'check' ? el.checked : parseValue(k, el.value);
    if (sameValue(k, v, state.base[k])) return;
    const base = { ...state.base, [k]: v };
    let points = state.points;
    if (k === 'target' && points) points = null; // a new target spec replaces the file
    fromUI(base, state.runs, points).catch(() => {});
  }
  function syncControls() {
    const s = state.base;
    for (const k of Object.keys(inputs)) {
      const { el, row, c } = inputs[k];
      if (c.type === 'check') el.checked = !!s[k];
      else if (document.activeElement !== el || el.value !== fmtValue(k, s[k])) el.value = fmtValue(k, s[k]);
      el.classList.remove('bad');
      if (c.when) row.classList.toggle('hidden', !c.when(s));
    }
    if (state.points) inputs.target.el.value = 'file: ' + state.points.name;
    $('preset').value = state.preset || '';
    const p = PRESETS.find((q) => q.id === state.preset);
    $('preset-help').textContent = p ? p.help : '';
    $('data-info').textContent = state.points ? `target: ${state.points.name}, ${state.points.rows} points in ${state.points.dim}D` : '';
    $('btn-clear-data').disabled = !state.points;
    buildRunsUI();
  }

  // The comparison editor: one box per extra run, each a few overrides of the base settings.
  function buildRunsUI() {
    const box = $('runs');
    box.replaceChildren();
    const head = document.createElement('p');
    head.className = 'help';
    head.textContent = state.runs.length ? 'Run 1 is the settings above; the others change a few of them (blank = same).' : 'One run. Add a run to compare settings on the same data and seed.';
    box.append(head);
    state.runs.forEach((o, i) => {
      const div = document.createElement('div');
      div.className = 'run-box';
      const h = document.createElement('div');
      h.className = 'head';
      const b = document.createElement('b');
      b.className = 'r' + (i + 1);
      b.textContent = 'Run ' + (i + 2);
      const x = document.createElement('button');
      x.textContent = 'remove';
      x.title = 'Remove this run';
      x.onclick = () => fromUI(state.base, state.runs.filter((_, j) => j !== i)).catch(() => {});
      h.append(b, x);
      const grid = document.createElement('div');
      grid.className = 'grid';
      for (const k of RUN_KEYS) {
        const lab = document.createElement('label');
        lab.title = k + ': ' + HELP[k] + ' Blank: as run 1.';
        lab.append(k);
        let el;
        if (k === 'f' || k === 'lipschitz') {
          el = document.createElement('select');
          const opts = [''].concat(inputs[k].c.options);
          for (const v of opts) { const op = document.createElement('option'); op.value = v; op.textContent = v || '(same)'; el.append(op); }
        } else {
          el = document.createElement('input');
          el.type = 'text';
          el.placeholder = 'same';
          if (k === 'L') el.setAttribute('list', 'L-list');
        }
        el.value = k in o ? fmtValue(k, o[k]) : '';
        el.addEventListener('change', () => {
          const next = state.runs.map((r) => ({ ...r }));
          const v = el.value.trim();
          if (v === '') delete next[i][k]; else next[i][k] = parseValue(k, v);
          fromUI(state.base, next).catch(() => {});
        });
        lab.append(el);
        grid.append(lab);
      }
      div.append(h, grid);
      box.append(div);
    });
    $('btn-add-run').disabled = state.runs.length >= 2;
  }

  function syncViewToggles() {
    for (const k of VIEW_KEYS.concat(['draw'])) $('v-' + k).checked = !!state.view[k];
  }
  function setView(opts, quiet) {
    for (const k of VIEW_KEYS.concat(['draw'])) if (k in opts) state.view[k] = !!opts[k];
    syncViewToggles();
    if (viewReady) { try { lipflowView.setOptions({ ...state.view }); } catch (e) { showMessage('view.setOptions: ' + e.message); } }
    requestField();
    fallbackRange = null;
    markDirty();
    if (!quiet) writeURL();
  }

  const statRows = [];
  function fmtNum(v) {
    if (v === undefined || v === null || Number.isNaN(v)) return '–';
    const a = Math.abs(v);
    if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2);
    return v.toPrecision(4);
  }
  function updateStatsUI() {
    const body = document.querySelector('#stats tbody');
    while (statRows.length < cur.runs.length) {
      const tr = document.createElement('tr');
      const cells = [];
      for (let j = 0; j < 5; j++) { const td = document.createElement('td'); if (j === 0) td.className = 'label'; tr.append(td); cells.push(td); }
      const er = document.createElement('tr');
      er.className = 'errline';
      const etd = document.createElement('td');
      etd.colSpan = 5;
      er.append(etd);
      body.append(tr, er);
      statRows.push({ tr, cells, er, etd, vals: [] });
    }
    statRows.forEach((row, i) => {
      const c = cur.runs[i];
      row.tr.hidden = !c;
      row.er.hidden = !c || !c.error;
      if (!c) return;
      row.tr.className = 'r' + i + (c.error ? ' err' : '');
      const vals = [c.label, String(c.stats.step), fmtNum(c.stats.divergence), fmtNum(c.stats.ke), fmtNum(c.metric)];
      vals.forEach((v, j) => { if (row.vals[j] !== v) { row.vals[j] = v; row.cells[j].textContent = v; } });
      row.cells[0].title = c.label;
      const et = c.error || '';
      if (row.etd.textContent !== et) row.etd.textContent = et;
    });
    const mh = cur.metricName === 'log-KS' ? 'log-KS' : 'energy';
    if ($('metric-head').textContent !== mh) $('metric-head').textContent = mh;
  }
  function updateButtons() {
    $('btn-play').classList.toggle('on', cur.running);
    $('btn-pause').classList.toggle('on', !cur.running);
  }

  // ---------- URL ----------
  function enc(v) {
    return encodeURIComponent(v).replace(/%3B/g, ';').replace(/%2C/g, ',').replace(/%3D/g, '=').replace(/%3A/g, ':').replace(/%7C/g, '|');
  }
  function runsParam(runs) {
    return runs.map((o) => Object.keys(o).map((k) => k + ':' + fmtValue(k, o[k])).join(';')).join('|');
  }
  function writeURL() {
    {
      const parts = [];
      if (state.preset) parts.push('preset=' + enc(state.preset));
      for (const k of NAMES) parts.push(k + '=' + enc(fmtValue(k, state.base[k])));
      if (state.runs.length) parts.push('runs=' + enc(runsParam(state.runs)));
      const on = VIEW_KEYS.filter((k) => state.view[k]);
      parts.push('view=' + enc(on.join(',')));
      if (state.points) parts.push('data=' + enc(state.points.name));
      const q = new URLSearchParams(location.search.slice(1));
      for (const k of PAGE_KEYS) if (q.has(k)) parts.push(k + '=' + enc(q.get(k)));
      try { history.replaceState(null, '', '?' + parts.join('&') + location.hash); } catch (e) { /* file:// */ }
    }
  }

  // readPageFlags reads the course-page flags into state.page and returns their problems.
  function readPageFlags() {
    const q = new URLSearchParams(location.search.slice(1) || location.hash.slice(1));
    const problems = [];
    const flag = (k) => q.has(k) && !/^(0|false|no|off)$/i.test(q.get(k));
    const list = (k, allowed) => {
      const out = [];
      for (const name of (q.get(k) || '').split(',').map((x) => x.trim()).filter(Boolean)) {
        if (allowed.includes(name)) out.push(name);
        else problems.push(`URL: ${k}: "${name}" is not a control, want some of ${allowed.join(', ')}`);
      }
      return out;
    };
    let caption = q.get('caption') || '';
    if (caption.length > 300) {
      problems.push(`URL: caption has ${caption.length} characters, want at most 300; the rest is cut`);
      caption = caption.slice(0, 300);
    }
    state.page = {
      embed: flag('embed'), autoplay: flag('autoplay'), caption,
      controls: list('controls', NAMES.concat(['speed', 'preset'])),
      hide: list('hide', NAMES.concat(PANELS)),
      lock: list('lock', NAMES),
    };
    return problems;
  }

  // readURL returns {base, runs, view, preset, play, problems}: what the URL asks for, with its
  // syntax problems (the engine checks the ranges).
  function readURL() {
    const q = new URLSearchParams(location.search.slice(1) || location.hash.slice(1));
    const out = { base: { ...DEFAULTS }, runs: [], view: null, preset: '', play: true, problems: [] };
    const known = new Set(NAMES.concat(['preset', 'runs', 'view', 'play', 'data'], PAGE_KEYS));
    for (const k of q.keys()) if (!known.has(k)) out.problems.push(`URL: unknown parameter "${k}" ignored (settings: ${NAMES.join(', ')}; also preset, runs, view, play, ${PAGE_KEYS.join(', ')})`);
    out.play = state.page.embed ? state.page.autoplay : true;
    const pid = q.get('preset');
    if (pid) {
      const p = PRESETS.find((x) => x.id === pid);
      if (!p) out.problems.push(`URL: preset = "${pid}" is not a preset, want one of ${PRESETS.map((x) => x.id).join(', ')}`);
      else {
        out.preset = pid;
        Object.assign(out.base, p.settings);
        out.runs = (p.runs || []).map((o) => ({ ...o }));
        out.view = { ...(p.view || {}) };
      }
    }
    let changed = false;
    for (const k of NAMES) {
      if (!q.has(k)) continue;
      const v = parseValue(k, q.get(k));
      if (out.preset && sameValue(k, v, out.base[k])) continue;
      out.base[k] = v;
      changed = true;
    }
    if (changed && out.preset) {
      // The settings beside a preset override it; the preset name stays only if they agree.
      const p = PRESETS.find((x) => x.id === out.preset);
      const want = { ...DEFAULTS, ...p.settings };
      if (NAMES.some((k) => !sameValue(k, want[k], out.base[k]))) out.preset = '';
    }
    if (q.has('runs')) {
      const r = parseRunsParam(q.get('runs'));
      out.runs = r.runs;
      out.problems.push(...r.problems);
      if (out.preset && runsParam(out.runs) !== runsParam((PRESETS.find((x) => x.id === out.preset).runs || []))) out.preset = '';
    }
    if (q.has('view')) {
      out.view = {};
      for (const k of q.get('view').split(',').map((s) => s.trim()).filter(Boolean)) {
        if (VIEW_KEYS.includes(k)) out.view[k] = true;
        else out.problems.push(`URL: view option "${k}" unknown, want some of ${VIEW_KEYS.join(',')}`);
      }
      for (const k of VIEW_KEYS) if (!out.view[k]) out.view[k] = false;
    }
    if (!out.view && /^\s*(student-t|stretched-exp)/i.test(String(out.base.target))) out.view = { log: true }; // heavy tails
    if (q.has('play') && /^(0|false|no|off)$/i.test(q.get('play'))) out.play = false;
    if (q.has('play') && /^(1|true|yes|on)$/i.test(q.get('play'))) out.play = true;
    if (q.has('data')) out.problems.push(`This link used the local file "${q.get('data')}" as its target: drop it on the page to run on it again (the target spec is used meanwhile).`);
    return out;
  }
  function parseRunsParam(str) {
    const runs = [], problems = [];
    const items = str.split('|');
    if (items.length > 2) problems.push(`URL: runs = "${str}" has ${items.length} runs, want at most 2 beside the base run (3 in all); the rest are ignored`);
    for (const item of items.slice(0, 2)) {
      const o = {};
      for (const kv of item.split(';').map((s) => s.trim()).filter(Boolean)) {
        const i = kv.indexOf(':');
        const k = i < 0 ? kv : kv.slice(0, i).trim();
        const v = i < 0 ? '' : kv.slice(i + 1).trim();
        if (!NAMES.includes(k)) { problems.push(`URL: runs: "${k}" is not a setting (want key:value with one of ${NAMES.filter((n) => !SHARED.has(n)).join(', ')})`); continue; }
        if (SHARED.has(k)) { problems.push(`URL: runs: ${k} is shared by every run (the data and the seed): set it once, not per run`); continue; }
        if (i < 0 || v === '') { problems.push(`URL: runs: ${k} has no value (want ${k}:value)`); continue; }
        o[k] = parseValue(k, v);
      }
      runs.push(o);
    }
    return { runs, problems };
  }

  // configureWithFallback applies what the URL asked for; every refused setting falls back to
  // its default (or, in an extra run, to the base run's value) with a message, until the engine
  // accepts.
  async function configureWithFallback(want) {
    let base = { ...want.base }, runs = want.runs.map((o) => ({ ...o }));
    for (let tries = 0; tries < 40; tries++) {
      try {
        await applyConfig(base, runs, null, { run: want.play, preset: want.preset, view: want.view || {} });
        return;
      } catch (err) {
        if (err.message === 'the engine is not available') throw err;
        const k = err.setting;
        want.preset = '';
        if (err.run > 0 && runs[err.run - 1] && k && k in runs[err.run - 1]) {
          showMessage(`URL: ${err.message} — run ${err.run + 1} uses run 1's ${k} instead`);
          delete runs[err.run - 1][k];
        } else if (k && NAMES.includes(k) && !sameValue(k, base[k], DEFAULTS[k])) {
          showMessage(`URL: ${err.message} — using the default ${k} = ${fmtValue(k, DEFAULTS[k])}`);
          base[k] = DEFAULTS[k];
        } else {
          showMessage(`URL: ${err.message} — using the default settings`);
          base = { ...DEFAULTS };
          runs = [];
        }
      }
    }
  }

  // ---------- your data: CSV files and drawn points ----------
  async function loadFile(file) {
    if (!file) return;
    // Settings, runs and weights files go to exchange.js.
    if (/\.json$/i.test(file.name) && window.lipflowExchange) { window.lipflowExchange.importFile(file); return; }
    if (file.size > CSV_LIMIT) {
      showMessage(`${file.name}: ${(file.size / 1048576).toFixed(1)} MB, larger than the 5 MB limit; the current run goes on`);
      return;
    }
    let m;
    try {
      const buf = await file.arrayBuffer();
      await engineReadyP;
      m = await request({ type: 'parseCSV', data: buf, maxBytes: CSV_LIMIT, name: file.name });
    } catch (e) {
      showMessage(`${file.name}: ${e.message || e}`);
      return;
    }
    if (m.error) { showMessage(`${file.name}: ${m.error}; the current run goes on`); return; }
    const points = { x: m.x, dim: m.dim, rows: m.rows, name: file.name };
    const base = { ...state.base, dim: m.dim, m: m.rows };
    if (m.dim !== state.base.dim) base.source = sourceFor(m.x, m.dim);
    try {
      await fromUI(base, state.runs, points);
      showMessage(`${file.name}: ${m.rows} target points in ${m.dim}D` + (m.dim > 2 ? ' (the view shows their two principal axes)' : ''), 'info');
    } catch (e) { /* shown */ }
  }
  // sourceFor is an isotropic Gaussian at the data's mean with its overall spread, for files
  // whose dimension the current source does not fit.
  function sourceFor(x, d) {
    const n = x.length / d;
    const mean = new Float64Array(d);
    for (let i = 0; i < x.length; i++) mean[i % d] += x[i] / n;
    let ss = 0;
    for (let i = 0; i < x.length; i++) { const t = x[i] - mean[i % d]; ss += t * t; }
    const sd = Math.sqrt(ss / Math.max(1, x.length)) || 1;
    const r = (v) => Number(v.toPrecision(4));
    return `gaussian(mean=${Array.from(mean, r).join(';')},sd=${r(sd)})`;
  }

  let drawn = [];
  let drawTimer = 0;
  function onPointsDrawn(pts) {
    if (!pts || !state.view.draw) return;
    for (let i = 0; i + 1 < pts.length; i += 2) {
      const x = +pts[i], y = +pts[i + 1];
      if (Number.isFinite(x) && Number.isFinite(y)) drawn.push(x, y);
    }
    clearTimeout(drawTimer);
    drawTimer = setTimeout(useDrawn, 400);
  }
  function useDrawn() {
    if (drawn.length < 2) return;
    const r = (v) => Number(v.toPrecision(4));
    const spec = 'points(x=' + drawn.map(r).join(';') + ')';
    const base = { ...state.base, target: spec, dim: 2, m: drawn.length / 2 };
    if (state.base.dim !== 2) base.source = 'gaussian';
    fromUI(base, state.runs, null).catch(() => {});
  }

  // ---------- wiring ----------
  function wire() {
    const groups = {};
    for (const p of PRESETS) {
      const g = groups[p.group] || (groups[p.group] = document.createElement('optgroup'));
      g.label = p.group;
      const op = document.createElement('option');
      op.value = p.id;
      op.textContent = p.title;
      op.title = p.help;
      g.append(op);
    }
    for (const g of Object.values(groups)) $('preset').append(g);
    $('preset').addEventListener('change', () => {
      const id = $('preset').value;
      if (!id) return;
      api.configure({ preset: id }).then(() => api.run()).catch((e) => showMessage(e.message));
    });
    $('btn-play').onclick = () => api.run();
    $('btn-pause').onclick = () => api.pause();
    $('btn-step').onclick = () => api.step(1).catch(() => {});
    $('btn-reset').onclick = () => api.reset().catch((e) => showMessage(e.message));
    $('speed').addEventListener('change', () => worker.postMessage({ type: 'speed', stepsPerFrame: Number($('speed').value) }));
    {
      const sel = $('workers');
      for (let n = 1; n <= DEFAULT_WORKERS; n++) sel.add(new Option(n === 1 ? '1 (the engine alone)' : String(n), String(n)));
      sel.addEventListener('change', () => {
        const w = parseWorkers(sel.value);
        setWorkers(w.n).then(() => {
          const q = new URLSearchParams(location.search.slice(1));
          if (w.n === 0) q.delete('workers'); else q.set('workers', String(w.n));
          try { history.replaceState(null, '', '?' + q.toString() + location.hash); } catch (e) { /* file:// */ }
        }, (e) => showMessage(e.message));
      });
    }
    $('btn-add-run').onclick = () => {
      if (state.runs.length >= 2) return;
      const o = state.base.f === 'alpha' ? { f: 'kl-dv' } : { f: 'alpha', alpha: 2 };
      fromUI(state.base, state.runs.concat([o])).catch(() => {});
    };
    for (const k of VIEW_KEYS.concat(['draw'])) {
      $('v-' + k).addEventListener('change', () => {
        if (k === 'draw' && $('v-draw').checked) drawn = [];
        setView({ [k]: $('v-' + k).checked });
      });
    }
    $('btn-clear-drawn').onclick = () => { drawn = []; };
    $('btn-fit').onclick = () => {
      fallbackRange = null;
      markDirty();
      if (viewReady) { try { lipflowView.resetView(); } catch (e) { showMessage('view.resetView: ' + e.message); } }
    };
    $('csv').addEventListener('change', () => { loadFile($('csv').files[0]); $('csv').value = ''; });
    $('btn-clear-data').onclick = () => {
      if (!state.points) return;
      const base = { ...state.base, dim: DEFAULTS.dim, m: DEFAULTS.m, source: state.base.dim === 2 ? state.base.source : DEFAULTS.source };
      if (base.target.startsWith('points')) base.target = DEFAULTS.target;
      fromUI(base, state.runs, null).catch(() => {});
    };
    const drop = $('drop');
    document.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
    document.addEventListener('dragleave', (e) => { if (!e.relatedTarget) drop.classList.remove('over'); });
    document.addEventListener('drop', (e) => {
      e.preventDefault();
      drop.classList.remove('over');
      const f = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
      if (f) loadFile(f);
    });
    document.addEventListener('keydown', (e) => {
      if (e.key !== ' ' || /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(document.activeElement.tagName)) return;
      e.preventDefault();
      if (cur.running) api.pause(); else api.run();
    });
    // Small screens (style.css): #btn-controls unfolds the controls over the view; Escape folds them.
    const fold = (open) => {
      $('btn-controls').setAttribute('aria-expanded', String(open));
      document.body.classList.toggle('controls-open', open);
    };
    $('btn-controls').onclick = () => fold($('btn-controls').getAttribute('aria-expanded') !== 'true');
    $('controls').addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && document.body.classList.contains('controls-open')) { fold(false); $('btn-controls').focus(); }
    });
  }

  // ---------- window.lipflow ----------
  function runStatus(c) {
    return {
      label: c.label, step: c.stats.step, divergence: c.stats.divergence, ke: c.stats.ke, speed: c.stats.speed, dt: c.stats.dt,
      nu: c.stats.nu, ep: c.stats.ep, eq: c.stats.eq,
      metric: c.metric, metricStep: c.metricStep, metricName: c.metricName, floor: c.floor, error: c.error, warning: c.warning || null,
    };
  }
  const api = {
    presets: () => PRESETS.map((p) => p.id),
    presetInfo: (id) => { const p = PRESETS.find((q) => q.id === id); return p ? JSON.parse(JSON.stringify(p)) : null; },
    // configure(settings | {preset, ...overrides}): settings over the defaults (or over the
    // preset), runs: [overrides...] for a comparison. Resolves with status() once the engine has
    // applied them (paused at step 0); rejects with the engine's message, the current run intact.
    configure(s) {
      s = s || {};
      let base = { ...DEFAULTS }, runs = [], view = null, preset = '';
      if (s.preset !== undefined && s.preset !== null && s.preset !== '') {
        const p = PRESETS.find((q) => q.id === s.preset);
        if (!p) return Promise.reject(new Error(`preset = "${s.preset}" is not a preset, want one of ${PRESETS.map((q) => q.id).join(', ')}`));
        Object.assign(base, p.settings);
        runs = (p.runs || []).map((o) => ({ ...o }));
        view = { ...(p.view || {}) };
        preset = p.id;
      }
      for (const k of Object.keys(s)) {
        if (k === 'preset') continue;
        if (k === 'runs') {
          if (!Array.isArray(s.runs) || s.runs.length > 2) return Promise.reject(new Error('runs: want an array of at most 2 override objects (3 runs in all)'));
          runs = s.runs.map((o) => ({ ...o }));
          for (const o of runs) {
            for (const rk of Object.keys(o)) {
              if (!NAMES.includes(rk) || SHARED.has(rk)) return Promise.reject(new Error(`runs: "${rk}" cannot differ between runs (want one of ${NAMES.filter((n) => !SHARED.has(n)).join(', ')})`));
              o[rk] = parseValue(rk, o[rk]);
            }
          }
          preset = '';
          continue;
        }
        if (!NAMES.includes(k)) return Promise.reject(new Error(`unknown setting "${k}", want one of ${NAMES.join(', ')}`));
        const v = parseValue(k, s[k]);
        if (preset && !sameValue(k, v, base[k])) preset = '';
        base[k] = v;
      }
      drawn = [];
      return applyConfig(base, runs, null, { run: false, preset, view: view || undefined }).then(() => api.status(), (err) => {
        state.lastError = err.message;
        throw err;
      });
    },
    run() {
      cur.running = state.running = true;
      updateButtons();
      worker.postMessage({ type: 'run' });
    },
    pause() {
      cur.running = state.running = false;
      updateButtons();
      worker.postMessage({ type: 'pause' });
    },
    // step(k): pauses, then does k particle steps of every run; resolves with status().
    step(k) {
      k = Math.max(1, Math.floor(Number(k) || 1));
      cur.running = state.running = false;
      updateButtons();
      // Posted at once when the engine is up, so that a pause() right after cancels it.
      const sent = engineReady ? request({ type: 'step', k }) : engineReadyP.then(() => request({ type: 'step', k }));
      return sent.then((m) => {
        if (m.cancelled) throw new Error(m.error);
        return api.status();
      });
    },
    reset() {
      return request({ type: 'reset', run: cur.running }).then((m) => {
        if (m.error) throw new Error(m.error);
        return api.status();
      });
    },
    status() {
      const r0 = cur.runs[0];
      const s = r0 ? r0.stats : { step: 0, divergence: NaN, ke: NaN, speed: NaN, nu: NaN, ep: NaN, eq: NaN };
      return {
        step: cur.step, divergence: s.divergence, ke: s.ke, speed: s.speed, nu: s.nu, ep: s.ep, eq: s.eq,
        metric: r0 ? r0.metric : NaN, metricName: cur.metricName, floor: r0 ? r0.floor : NaN,
        running: cur.running, held: !!cur.held, done: cur.done,
        error: r0 ? r0.error : null, warning: r0 ? r0.warning || null : null, dim: cur.dim, n: r0 && r0.particles ? r0.particles.length / 2 : 0,
        config: cur.config, runs: cur.runs.map(runStatus), pool: { ...pool }, view: viewStatus(),
      };
    },
    // particles(): run 1's particles, n x dim row-major (a copy). For dim > 8 the engine sends
    // them when paused; while running use fetchParticles().
    particles() {
      if (cur.full) return new Float32Array(cur.full);
      const r0 = cur.runs[0];
      if (r0 && r0.particles && cur.dim === 2) return new Float32Array(r0.particles);
      return new Float32Array(0);
    },
    fetchParticles,
    settings() {
      const s = { ...state.base };
      s.L = fmtValue('L', s.L) === 'inf' ? 'inf' : s.L;
      if (state.runs.length) s.runs = state.runs.map((o) => ({ ...o }));
      return s;
    },
    setView(opts) { setView(opts || {}); return { ...state.view }; },
    // on(name, fn): 'frame' and 'config' events (see emit).
    on(name, fn) {
      if (!listeners[name] || typeof fn !== 'function') throw new Error(`on: no event "${name}", want one of ${Object.keys(listeners).join(', ')}`);
      listeners[name].push(fn);
    },
    // workers(n): n threads compute each step (1..8, 0 or 'all': every core); resolves with the
    // number in use, rejects with the reason (the run intact). It never changes the results.
    workers(n) {
      const w = parseWorkers(n === undefined ? 'all' : n);
      if (w.error) return Promise.reject(new Error(w.error));
      return setWorkers(w.n);
    },
    // killPoolWorker(k): stops worker k of the engine's pool as if it had crashed (the tests'
    // check that the runs go on alone, to the same results, and say so).
    killPoolWorker(k) { worker.postMessage({ type: 'killPoolWorker', k: Number(k) || 0 }); },
    // message(text, kind): a line in the page's message area (kind 'error' or 'info').
    message(text, kind) { showMessage(String(text), kind === 'info' ? 'info' : 'error'); },
    // page(): the course-page flags of the URL (embed, controls, hide, lock, autoplay, caption).
    page: () => JSON.parse(JSON.stringify(state.page)),
    // data(): the targets and every run's particles at full precision, with the step and labels.
    data() {
      return request({ type: 'data' }).then((m) => ({
        step: m.step, dim: m.dim, targets: m.targets, particles: m.particles, labels: cur.runs.map((c) => c.label),
        targetLabel: cur.targetLabel, points: state.points ? { name: state.points.name, dim: state.points.dim } : null,
      }));
    },
    // weights(run): run's discriminator as a weights file (JSON text); setWeights(file, run) puts
    // one back (the file's text or its parsed object; the engine checks shape and values).
    weights(run) {
      return request({ type: 'weights', run: run || 0 }).then((m) => {
        if (m.error) throw new Error(m.error);
        return JSON.stringify({ ...m.weights, params: Array.from(m.weights.params) });
      });
    },
    setWeights(file, run) {
      let w;
      try { w = typeof file === 'string' ? JSON.parse(file) : file; } catch (e) { return Promise.reject(new Error('weights: not JSON: ' + e.message)); }
      if (!w || typeof w !== 'object' || !Array.isArray(w.params) || !w.params.every((v) => typeof v === 'number')) {
        return Promise.reject(new Error('weights: want an object whose params are an array of numbers'));
      }
      // Float32Array: the engine copies it at once; numbers beyond float32 become Infinity, which it refuses.
      const weights = { ...w, params: Float32Array.from(w.params) };
      return request({ type: 'setWeights', run: run || 0, weights }).then((m) => { if (m.error) throw new Error(m.error); return api.status(); });
    },
    // curves(): every run's recorded history (thinned to at most 2000 points).
    curves() {
      return cur.runs.map((c) => ({
        label: c.label, step: Array.from(c.hist.step.subarray(0, c.hist.len)), divergence: Array.from(c.hist.divergence.subarray(0, c.hist.len)),
        ke: Array.from(c.hist.ke.subarray(0, c.hist.len)), metric: Array.from(c.hist.metric.subarray(0, c.hist.len)),
      }));
    },
    // loadPoints(x, dim, name): the user's target points, as a dropped CSV file gives them.
    loadPoints(x, dim, name) {
      const points = { x: Float64Array.from(x), dim, rows: x.length / dim, name: name || 'points' };
      return applyConfig({ ...state.base, dim, m: points.rows }, state.runs, points, { run: false }).then(() => api.status());
    },
    // showSnapshot({step, runs: [particles per run]}) shows a past state of the particles in
    // place of the live ones; showSnapshot(null) goes back to live.
    showSnapshot(snap) {
      shown = snap || null;
      if (viewReady) { try { lipflowView.setOptions(shown ? { ...state.view, trails: false, heat: false, arrows: false } : { ...state.view }); } catch (e) { /* shown on the next frame */ } }
      markDirty();
    },
    get showing() { return shown ? shown.step : null; },
    view: () => ({ ...state.view }),
    perf: () => ({ ...perf, slow: perf.slow.slice() }),
    url: () => location.href,
    get lastError() { return state.lastError; },
    get viewReady() { return viewReady; },
    // reducedView: null, or why the page shows its reduced view ('software WebGL', 'no WebGL2', ...).
    get reducedView() { return reducedWhy; },
    // startFullView(): starts the full view where viewer=auto declined it (the notice's button);
    // false where it cannot be started (viewer=reduced, no WebGL2, a view that failed).
    startFullView,
  };

  // setWorkers asks the engine for n threads (0: all) and shows the number in the control.
  function setWorkers(n) {
    return request({ type: 'workers', n }).then((m) => {
      if (m.error) throw new Error(m.error);
      const sel = $('workers');
      if (sel) sel.value = n === 0 ? 'all' : String(n);
      return m.threads;
    });
  }

  // ---------- start ----------
  // What the worker said before this script ran (boot.js kept it), now that every handler is
  // defined.
  for (const e of boot ? boot.early : []) {
    if (e.type === 'error') worker.onerror(e); else worker.onmessage(e);
  }
  buildControls();
  $('settings').classList.add('built');
  wire();
  syncControls();
  syncViewToggles();
  probeView();
  const started = (async () => {
    for (const p of readPageFlags()) showMessage(p);
    if (viewer.error) showMessage('URL: ' + viewer.error + '; auto is used');
    const want = readURL();
    for (const p of want.problems) showMessage(p, p.startsWith('This link') ? 'info' : 'error');
    const ok = await engineReadyP;
    if (!ok) return;
    const wq = new URLSearchParams(location.search.slice(1) || location.hash.slice(1));
    if (wq.has('workers')) {
      const w = parseWorkers(wq.get('workers'));
      if (w.error) showMessage('URL: ' + w.error + '; the default is kept');
      else await setWorkers(w.n).catch((e) => showMessage(e.message));
    }
    // Re-read with the engine's defaults (the authority) in place.
    const again = readURL();
    await configureWithFallback(again);
    requestField();
    reached('interactive');
  })().catch((e) => showMessage('start: ' + (e.message || e)));
  api.ready = Promise.all([started, viewSettled]).then(() => api);
  api.engineReady = engineReadyP.then(() => api);
  window.lipflow = api;
})();
