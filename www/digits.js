// lipflow's digits page: MNIST data with a progress bar, an autoencoder trained in the browser
// (stored in IndexedDB, exported and imported as a weights file), and digit-conditioned
// generative particles in its latent space (GPA) beside a GAN and WGAN-GP on the same 200
// digits. Everything heavy runs in a Web Worker (digits-worker.js + digits.wasm, the protocol of
// wasm/digits/js.go); this file only draws and talks to it. window.lipflow is the page's API.
//
// URL (query string; a link reproduces a run):
//   flow settings by their vocabulary names (f, alpha, L, lipschitz, n, per_class, width, depth,
//     activation, inner, lr, optimizer, dt, integrator, steps, seed, noise, ...), plus
//   method=gpa[,gan[,wgan-gp]]   the runs side by side (at most 3)
//   mobility=latent|decoder      of the GPA runs; a list gives one per run (method=gpa,gpa&mobility=latent,decoder)
//   ae_latent, ae_width, ae_depth, ae_epochs, ae_batch, ae_lr, ae_seed   the autoencoder's schedule
//   preset=ID                    one of the presets below (the settings beside it override it)
//   play=0                       load paused;  train=0: do not start training the autoencoder by itself
// A bad value is refused with a message naming it and falls back to its default.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const DATA_FILES = { train: 'data/mnist/train.bin.gz', heldout: 'data/mnist/heldout.bin.gz' };
  // The experiment's own names and limits, from Go (digits.PageTable, via www/settings.js).
  const PAGE = window.LIPFLOW_DIGITS;
  const OWN = {};
  for (const t of PAGE.settings) OWN[t.name] = t;
  const AE_KEYS = PAGE.ae.map((t) => t.name);
  const METHODS = OWN.method.options;
  const MOBILITIES = OWN.mobility.options;
  const MAX_RUNS = PAGE.max_runs;
  const IMPORT_LIMIT = PAGE.import_limit; // bytes of a weights file (the engine's own limit)
  // Names of the engine's vocabulary that the experiment sets itself, or that are per run.
  const NOT_SHARED = new Set([...PAGE.experiment, ...PAGE.per_run]);
  const GRID_INTERVAL = 100; // ms between two drawings of the digit grids (at most ~10 a second)
  const COLS_SHOWN = 20; // digits per class drawn in a grid

  // The flow settings shown as controls; any other name the engine knows is accepted in the URL
  // and by configure().
  // The engine's settings come from its table (www/settings.js, generated from flow/settings.go);
  // this page keeps their layout (which, in what order, which under "more"). Its experiment's
  // names (noise, per_class) come from PAGE.
  const TABLE = { ...OWN };
  for (const t of window.LIPFLOW_SETTINGS) if (!(t.name in OWN)) TABLE[t.name] = t;
  const fromTable = (k, more, help) => {
    const t = TABLE[k];
    const c = { k, help: help || t.help, more };
    if (t.kind === 'choice') { c.type = 'select'; c.options = t.options; }
    if (t.when) c.when = (s) => t.when.values.includes(String(s[t.when.setting]));
    return c;
  };
  const FLOW_CONTROLS = [
    fromTable('noise'),
    fromTable('n', false, 'Particles N. N = M = 200 pairs each particle with a class as the targets; N > M draws the classes in the targets\' proportions.'),
    fromTable('per_class'),
    fromTable('f', false, 'The f of the (f, Lip_L)-divergence (GPA and the (f, Lip)-GAN).'),
    fromTable('alpha'),
    fromTable('L', false, 'Lipschitz bound of the discriminator: a particle moves at most dt * L a step. inf = no constraint.'),
    fromTable('lr', false, 'Learning rate of the discriminator (and of the generator of the GANs).'),
    fromTable('inner', false, 'Discriminator steps per particle (or generator) step.'),
    fromTable('dt', false, 'Particle step size: Z <- Z - dt grad phi(Z).'),
    fromTable('steps'),
    fromTable('seed', false, 'Seed of the choice of the 200 targets, of the particles\' start and of the networks.'),
    fromTable('width', true),
    fromTable('depth', true),
    fromTable('activation', true),
    fromTable('optimizer', true),
    fromTable('lipschitz', true),
  ];
  const FLOW_HELP = {};
  for (const c of FLOW_CONTROLS) FLOW_HELP[c.k] = c.help;
  const NUMERIC_HINT = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

  const PRESETS = [
    { id: 'gpa-latent', title: 'GPA in the latent space', runs: [{ method: 'gpa', mobility: 'latent' }],
      help: 'Latent GPA: the discriminator and the particles live in the autoencoder\'s latent space; the particles are decoded to draw them.' },
    { id: 'gpa-decoder', title: 'GPA, decoder mobility', runs: [{ method: 'gpa', mobility: 'decoder' }],
      help: 'The discriminator lives in pixel space; the latent particles move by the decoder\'s Jacobian transpose of its gradient.' },
    { id: 'gpa-latent-vs-decoder', title: 'GPA: latent vs decoder mobility', runs: [{ method: 'gpa', mobility: 'latent' }, { method: 'gpa', mobility: 'decoder' }],
      help: 'The two mobilities side by side on the same 200 digits.' },
    { id: 'gpa-vs-gan-vs-wgan', title: 'GPA vs GAN vs WGAN-GP', runs: [{ method: 'gpa', mobility: 'latent' }, { method: 'gan' }, { method: 'wgan-gp' }],
      help: 'The paper\'s comparison: GPA, an (f, Lip)-GAN and WGAN-GP on the same 200 digits and the same latent space.' },
    { id: 'gpa-n1000', title: 'GPA with N = 1000 > M', settings: { n: 1000 }, runs: [{ method: 'gpa', mobility: 'latent' }],
      help: 'More particles than targets: the particles cannot all sit on a training digit.' },
  ];

  // ---------- state ----------
  let DEF = { ae: Object.fromEntries(PAGE.ae.map((t) => [t.name, Number(t.default)])), settings: {} };
  const state = {
    aeCfg: null,            // the autoencoder config the engine accepted (all fields)
    flow: {},               // the applied flow settings (shared by every run)
    runs: [{ method: 'gpa', mobility: 'latent' }],
    preset: '',
    playing: false,         // the user wants the flow to run
    lastError: null,
  };
  const data = { progress: 0, bytes: 0, total: 0, loaded: false, train: 0, heldout: 0, key: '', error: null };
  const ae = {
    phase: 'none',          // none | training | cancelled | trained | failed
    source: null,           // trained | stored | imported
    epoch: 0, epochs: 0, step: 0, steps: 0, loss: NaN, heldout_loss: NaN,
    curve: null, heldoutCurve: null, originals: null, recon: null, k: 0,
    version: 0,             // bumped whenever the engine's autoencoder changes
    trainedMs: 0, trainStart: 0,
  };
  let cur = { runs: [], targets: null, targetLabels: null, targetsDrawn: false };
  let flowVersion = -1;       // the ae.version the engine's flow was configured for
  let cache = { latent: null, samples: null, labels: null, dim: 0, step: -1 };

  // ---------- messages ----------
  const showInBox = window.lipflowPage.messages($('messages'), 6);
  function showMessage(text, kind) {
    if ((kind || 'error') === 'error') state.lastError = text;
    return showInBox(text, kind);
  }

  // ---------- the worker ----------
  // boot.js (the head's first script) has started it already, unless this page lacks it.
  const boot = window.lipflowBoot ? window.lipflowBoot.take() : null;
  const worker = boot ? boot.worker : new Worker('worker.js?wasm=digits.wasm&layer=digits-worker.js');
  let resolveEngine;
  const engineReadyP = new Promise((res) => { resolveEngine = res; });
  // Requests answered under their id, and the hold of a page out of sight, as the lab's
  // (www/pagekit.js).
  const engine = window.lipflowPage.channel(worker);
  const request = (msg, transfer) => engine.request(msg, transfer);
  const isHeld = window.lipflowPage.hold(worker);

  // The page's own main-thread cost (lipflow.perf()): responsiveness checks read it.
  // Every piece of work is logged (start, ms, what; the last 4000) so that a long task seen by a
  // PerformanceObserver can be matched with the page's own work inside it.
  const perf = { messages: 0, maxMessageMs: 0, draws: 0, maxDrawMs: 0, slow: [], log: [] };
  function noteSlow(ms, what, t0) {
    if (ms > 20 && perf.slow.length < 50) perf.slow.push(Math.round(ms) + ' ms ' + what);
    perf.log.push([t0, ms, what]);
    if (perf.log.length > 4000) perf.log.splice(0, 1000);
  }
  worker.onmessage = (e) => {
    const t0 = performance.now();
    try { onWorkerMessage(e.data); } finally {
      const dt = performance.now() - t0;
      perf.messages++;
      if (dt > perf.maxMessageMs) perf.maxMessageMs = dt;
      noteSlow(dt, e.data && e.data.type, t0);
    }
  };
  worker.onerror = (e) => { die('digits worker failed: ' + (e.message || 'digits-worker.js could not be loaded')); };

  function die(msg) {
    if (engine.dead()) return;
    engine.die(msg);
    showMessage(msg);
    failTraining(new Error(msg));
    resolveEngine(null);
  }

  function onWorkerMessage(m) {
    if (!m || typeof m !== 'object') return;
    switch (m.type) {
      case 'timing': window.lipflowPage.marks('engine-', m.times); return;
      case 'ready':
        window.lipflowPage.mark('engine-ready');
        if (m.defaults) {
          // The engine may give its defaults as strings (Settings.Get): read them as the URL is.
          const read = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, parseValue(k, v)]));
          if (m.defaults.ae) DEF.ae = { ...DEF.ae, ...read(m.defaults.ae) };
          if (m.defaults.settings) DEF.settings = read(m.defaults.settings);
        }
        resolveEngine(m);
        return;
      case 'ae-progress': onAEProgress(m); return;
      case 'frame': onFrame(m); return;
      case 'fatal': die('digits engine: ' + m.error); return;
      case 'error':
        if (engine.waits(m.id)) break;
        onEngineFailure(m.error);
        return;
    }
    // Every other reply echoes its request's id.
    engine.answer(m);
  }
  // onEngineFailure: the engine recovered from a failure (it goes on, stopped). A failure while
  // handling a message leaves that request without its reply: the oldest request still waiting
  // (step requests excepted: the engine answers those itself) is failed with it, and a training
  // under way has stopped.
  function onEngineFailure(text) {
    const first = String(text || '').split('\n')[0];
    showMessage('digits engine: ' + first);
    console.warn(text); // the engine's stack, for a bug report
    if (/ in message/.test(first)) engine.fail(undefined, new Error(first), ['step']);
    failTraining(new Error(first), true);
  }
  function check(m) {
    if (m.error) {
      const err = new Error(m.error);
      err.setting = m.setting || '';
      err.run = m.run || 0;
      throw err;
    }
    return m;
  }

  // ---------- values ----------
  // parseValue reads a URL or control string: numbers become numbers when they survive the
  // round trip; anything else stays a string, so that the engine refuses it with its message.
  function parseValue(k, v) {
    if (typeof v !== 'string') return v;
    const t = v.trim();
    if (k === 'L' && /^(inf|\+?infinity|∞)$/i.test(t)) return 'inf';
    if (t === 'true') return true;
    if (t === 'false') return false;
    if (NUMERIC_HINT.test(t)) {
      const x = Number(t);
      if (Number.isFinite(x) && (k !== 'seed' || Number.isSafeInteger(x))) return x;
    }
    return t;
  }
  function fmt(v) { return v === undefined || v === null ? '' : String(v); }
  function fmtNum(v, digits) {
    if (v === undefined || v === null || typeof v !== 'number' || Number.isNaN(v)) return '–';
    const a = Math.abs(v);
    if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2);
    return v.toPrecision(digits || 4);
  }
  function flowNames() {
    const names = new Set(Object.keys(DEF.settings));
    for (const c of FLOW_CONTROLS) names.add(c.k);
    for (const k of NOT_SHARED) names.delete(k);
    return names;
  }
  // sharedDefaults: the engine's default settings that every run shares.
  function sharedDefaults() {
    const o = {};
    for (const k of Object.keys(DEF.settings)) if (!NOT_SHARED.has(k)) o[k] = DEF.settings[k];
    return o;
  }

  // ---------- data ----------
  // fetchAll fetches the two files at once, counting bytes against Content-Length for the
  // progress bar.
  async function fetchAll() {
    const names = Object.keys(DATA_FILES);
    const resps = await Promise.all(names.map(async (k) => {
      const r = await fetch(DATA_FILES[k]);
      if (!r.ok) throw new Error(`${DATA_FILES[k]}: HTTP ${r.status}`);
      return r;
    }));
    const lens = resps.map((r) => Number(r.headers.get('Content-Length')) || 0);
    data.total = lens.every((x) => x > 0) ? lens.reduce((a, b) => a + b, 0) : 0;
    const bufs = await Promise.all(resps.map(async (r) => {
      const reader = r.body.getReader();
      const chunks = [];
      let got = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        got += value.length;
        data.bytes += value.length;
        showDataProgress();
      }
      const out = new Uint8Array(got);
      let o = 0;
      for (const c of chunks) { out.set(c, o); o += c.length; }
      return out;
    }));
    const out = {};
    for (let i = 0; i < names.length; i++) out[names[i]] = await gzipped(bufs[i]);
    return out;
  }
  // gzipped returns the file as the engine wants it, gzip-compressed: a host that serves the
  // .gz file with Content-Encoding: gzip hands the page the decompressed bytes.
  async function gzipped(u8) {
    if (u8.length >= 2 && u8[0] === 0x1f && u8[1] === 0x8b) return u8;
    if (typeof CompressionStream !== 'function') return u8;
    const s = new Blob([u8]).stream().pipeThrough(new CompressionStream('gzip'));
    return new Uint8Array(await new Response(s).arrayBuffer());
  }
  function showDataProgress() {
    const p = data.total ? Math.min(1, data.bytes / data.total) : 0;
    data.progress = p;
    const bar = $('data-progress');
    if (data.total) bar.value = p; else bar.removeAttribute('value');
    $('data-state').textContent = `fetching MNIST digits: ${(data.bytes / 1048576).toFixed(1)}` +
      (data.total ? ` of ${(data.total / 1048576).toFixed(1)} MB` : ' MB');
  }
  // fingerprint is a 64-bit FNV-1a of the files (in slices, so that no task grows long): the
  // stored autoencoders are keyed by it.
  async function fingerprint(bufs) {
    let h1 = 0x811c9dc5, h2 = 0x050c5d1f;
    for (const u8 of bufs) {
      for (let off = 0; off < u8.length; off += 1 << 19) {
        const end = Math.min(u8.length, off + (1 << 19));
        for (let i = off; i < end; i++) {
          h1 = Math.imul(h1 ^ u8[i], 16777619);
          h2 = Math.imul(h2 ^ u8[i], 16777619) ^ (h2 >>> 15);
        }
        await new Promise((r) => setTimeout(r, 0));
      }
      h1 = Math.imul(h1 ^ u8.length, 16777619);
    }
    return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
  }
  // The files are fetched at once, while the engine starts.
  const filesP = fetchAll();
  filesP.catch(() => {}); // reported by loadData
  let dataP = null;
  function loadData() {
    if (!dataP) {
      dataP = (async () => {
        let files;
        try {
          files = await filesP;
        } catch (e) {
          throw new Error('could not fetch the MNIST digits: ' + (e.message || e));
        }
        await engineReadyP;
        if (engine.dead()) throw new Error(engine.dead());
        data.progress = 1;
        $('data-progress').max = 1;
        $('data-progress').value = 1;
        $('data-state').textContent = 'checking the digits…';
        data.key = await fingerprint([files.train, files.heldout]);
        // The runs' per_class and seed: the engine answers with the targets they choose,
        // shown while the autoencoder trains (the other settings are checked later).
        const settings = { per_class: state.flow.per_class, seed: state.flow.seed };
        const m = check(await request({ type: 'data', train: files.train.buffer, heldout: files.heldout.buffer, settings },
          [files.train.buffer, files.heldout.buffer]));
        data.loaded = true;
        window.lipflowPage.mark('data-loaded');
        if (m.targets && !cur.targets) {
          cur.targets = m.targets;
          cur.targetLabels = m.target_labels;
          cur.targetsDrawn = false;
          markDirty();
        }
        data.train = m.train;
        data.heldout = m.heldout;
        $('data-state').textContent = `${m.train} training and ${m.heldout} held-out MNIST digits (${(data.bytes / 1048576).toFixed(1)} MB) loaded`;
        return m;
      })().catch((e) => {
        data.error = e.message;
        $('data-state').textContent = e.message;
        showMessage(e.message);
        throw e;
      });
    }
    return dataP;
  }

  // ---------- the trained autoencoders of this browser ----------
  // The worker keeps them in IndexedDB (digits-worker.js: ae-store, ae-load), so that the 5 MB
  // weights file never crosses this thread; they are keyed by the config and the data.
  function aeKey(cfg) {
    return 'mnist-' + data.key + '|' + AE_KEYS.map((k) => k + '=' + fmt(cfg[k])).join(';');
  }
  async function storeAE() {
    let m;
    try { m = await request({ type: 'ae-store', key: aeKey(state.aeCfg) }); } catch (e) { m = { error: e.message }; }
    if (m.error) showMessage('could not keep the autoencoder in this browser (' + m.error + '): a reload will train it again', 'info');
    return !m.error;
  }
  // loadStored imports the stored weights of the current config, if any. It answers whether
  // the autoencoder is now the stored one.
  async function loadStored() {
    let m;
    try { m = await request({ type: 'ae-load', key: aeKey(state.aeCfg) }); } catch (e) { m = { found: true, error: e.message }; }
    if (!m.found) return false;
    if (m.error) {
      showMessage('the autoencoder kept in this browser could not be loaded (' + m.error + '): it is trained again');
      return false;
    }
    aeLoaded('stored', m);
    return true;
  }

  // ---------- the autoencoder ----------
  let training = null; // {promise, resolve, reject} while a training is under way
  function aeConfigFromControls() {
    const c = {};
    for (const k of AE_KEYS) c[k] = parseValue(k, $('ae-' + k).value);
    return c;
  }
  function syncAEControls() {
    if (!state.aeCfg) return;
    for (const k of AE_KEYS) {
      const el = $('ae-' + k);
      if (document.activeElement !== el) el.value = fmt(state.aeCfg[k]);
    }
  }
  // applyAE sends an autoencoder config to the engine. A change discards the trained weights
  // (the engine does the same); the stored ones of the new config are looked up.
  async function applyAE(cfg) {
    await loadData();
    const m = check(await request({ type: 'ae-config', ae: cfg }));
    const changed = !state.aeCfg || AE_KEYS.some((k) => String(m.ae[k]) !== String(state.aeCfg[k]));
    state.aeCfg = { ...m.ae };
    syncAEControls();
    writeURL();
    if (changed) {
      failTraining(new Error('the autoencoder settings changed'));
      resetAE();
    }
    return changed;
  }
  function resetAE() {
    Object.assign(ae, { phase: 'none', source: null, epoch: 0, epochs: state.aeCfg ? state.aeCfg.epochs : 0, step: 0, steps: 0,
      loss: NaN, heldout_loss: NaN, curve: null, heldoutCurve: null, originals: null, recon: null, k: 0 });
    ae.version++;
    state.playing = false;
    updateAEUI();
    markDirty();
    dropRuns();
  }
  // dropRuns forgets the runs' digits and figures: the engine discards its runs with their
  // autoencoder.
  function dropRuns() {
    cur = { runs: [], targets: cur.targets, targetLabels: cur.targetLabels, targetsDrawn: false };
    cache = { latent: null, samples: null, labels: null, dim: 0, step: -1 };
    buildRunCards();
    for (const c of runCards) {
      blankGrid(c.canvas);
      c.table.replaceChildren();
      c.vals = '';
      c.err.textContent = '';
      c.st.textContent = 'waiting for the autoencoder';
    }
  }
  // aeLoaded marks the engine's autoencoder as ready from stored or imported weights.
  function aeLoaded(source, m) {
    failTraining(new Error('the autoencoder was replaced'));
    ae.phase = 'trained';
    ae.source = source;
    if (m && Number.isFinite(m.heldout_loss)) ae.heldout_loss = m.heldout_loss;
    if (m && m.ae) { state.aeCfg = { ...state.aeCfg, ...m.ae }; syncAEControls(); writeURL(); }
    ae.epochs = state.aeCfg.epochs;
    ae.epoch = state.aeCfg.epochs;
    ae.version++;
    updateAEUI();
    // For a trained autoencoder ae-train does nothing but post its progress once: the loss
    // curves kept in the weights file and the reconstructions, for the panel.
    request({ type: 'ae-train' }).catch(() => {});
    afterAE();
  }
  // startTraining starts or resumes the training; the Promise resolves when it is done.
  function startTraining(restart) {
    if (training) return training.promise;
    if (engine.dead()) return Promise.reject(new Error(engine.dead()));
    let resolve, reject;
    const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
    promise.catch(() => {}); // the callers that care hold their own handlers
    training = { promise, resolve, reject };
    if (restart || ae.phase === 'trained' || ae.phase === 'failed') {
      // The current weights are discarded: the flows built on them go too.
      Object.assign(ae, { epoch: 0, step: 0, loss: NaN, heldout_loss: NaN, curve: null, heldoutCurve: null });
      ae.version++;
      dropRuns();
      restart = true;
    }
    if (ae.phase !== 'cancelled' || restart) ae.trainedMs = 0;
    ae.phase = 'training';
    ae.source = null;
    ae.trainStart = performance.now();
    updateAEUI();
    request({ type: 'ae-train', restart: !!restart })
      .then((m) => { if (m.error) failTraining(new Error(m.error), true); }, (e) => failTraining(e, true));
    return promise;
  }
  function failTraining(err, failed) {
    if (!training) return;
    const t = training;
    training = null;
    if (ae.trainStart) { ae.trainedMs += performance.now() - ae.trainStart; ae.trainStart = 0; }
    if (failed) { ae.phase = 'failed'; showMessage('autoencoder: ' + err.message); }
    updateAEUI();
    t.reject(err);
  }
  function cancelTraining() {
    if (!training) return;
    engine.post({ type: 'ae-cancel' });
    ae.phase = 'cancelled';
    failTraining(new Error('the autoencoder training was cancelled'));
  }
  function onAEProgress(m) {
    for (const k of ['epoch', 'epochs', 'step', 'steps', 'loss', 'heldout_loss', 'k']) if (m[k] !== undefined) ae[k] = m[k];
    if (m.curve) ae.curve = m.curve;
    if (m.heldout_curve) ae.heldoutCurve = m.heldout_curve;
    if (m.originals) ae.originals = m.originals;
    if (m.recon) ae.recon = m.recon;
    aeDirty = true;
    if (m.error) {
      failTraining(new Error(m.error), true);
    } else if (m.done && training) {
      const t = training;
      training = null;
      ae.trainedMs += performance.now() - ae.trainStart;
      ae.trainStart = 0;
      ae.phase = 'trained';
      ae.source = 'trained';
      ae.version++;
      updateAEUI();
      storeAE();
      t.resolve(aeStatus());
      afterAE();
    }
    markDirty();
  }
  // ensureAE resolves once the engine has an autoencoder: stored, imported or trained now.
  async function ensureAE() {
    await started;
    if (engine.dead()) throw new Error(engine.dead());
    if (ae.phase === 'trained') return;
    if (ae.phase === 'none' && await loadStored()) return;
    await startTraining(false);
  }
  function aeStatus() {
    return {
      trained: ae.phase === 'trained', phase: ae.phase, epoch: ae.epoch, epochs: ae.epochs, step: ae.step, steps: ae.steps,
      loss: ae.loss, heldout_loss: ae.heldout_loss, source: ae.source, train_ms: Math.round(ae.trainedMs + (ae.trainStart ? performance.now() - ae.trainStart : 0)),
      config: state.aeCfg ? { ...state.aeCfg } : null,
    };
  }
  function updateAEUI() {
    const busy = ae.phase === 'training';
    $('ae-train').textContent = ae.phase === 'cancelled' ? 'Resume' : 'Train';
    $('ae-train').disabled = busy || ae.phase === 'trained' || !data.loaded;
    $('ae-cancel').disabled = !busy;
    $('ae-retrain').disabled = busy || ae.phase === 'none' || !data.loaded;
    $('ae-export').disabled = ae.phase !== 'trained';
    const src = { trained: 'trained in this browser just now', stored: 'loaded from this browser (trained here before; Retrain trains it again)', imported: 'imported from a weights file' }[ae.source] || '';
    $('ae-source').textContent = ae.phase === 'trained' ? `Autoencoder ${src}` + (ae.heldout_loss > 0 ? `; held-out loss ${fmtNum(ae.heldout_loss)}` : '') : '';
    aeDirty = true;
    markDirty();
  }
  function drawAEState() {
    const frac = ae.steps ? ae.step / ae.steps : (ae.epochs ? ae.epoch / ae.epochs : 0);
    const bar = $('ae-progress');
    bar.value = ae.phase === 'trained' ? 1 : Math.max(0, Math.min(1, frac));
    let t;
    switch (ae.phase) {
      case 'none': t = data.loaded ? 'not trained: press Train' : ''; break;
      case 'training': t = `training: epoch ${Math.min(ae.epoch + 1, ae.epochs)} of ${ae.epochs}`; break;
      case 'cancelled': t = `cancelled at epoch ${ae.epoch} of ${ae.epochs}: Resume goes on`; break;
      case 'failed': t = 'training failed'; break;
      default: t = `trained (${ae.epochs} epoch${ae.epochs === 1 ? '' : 's'})`;
    }
    if (Number.isFinite(ae.loss)) t += ` · loss ${fmtNum(ae.loss)}`;
    if (ae.heldout_loss > 0) t += ` · held-out ${fmtNum(ae.heldout_loss)}`;
    const ms = aeStatus().train_ms;
    if (ms > 0 && ae.source !== 'stored' && ae.source !== 'imported') t += ` · ${(ms / 1000).toFixed(1)} s`;
    if ($('ae-state').textContent !== t) $('ae-state').textContent = t;
  }

  // Export: a download of the engine's weights file.
  async function exportAE() {
    if (ae.phase !== 'trained') throw new Error('no trained autoencoder to export');
    const m = check(await request({ type: 'ae-export' }));
    return m.json;
  }
  async function downloadAE() {
    try {
      if (ae.phase !== 'trained') throw new Error('no trained autoencoder to export');
      const m = check(await request({ type: 'ae-export-blob' }));
      const c = state.aeCfg;
      const a = document.createElement('a');
      a.href = URL.createObjectURL(m.blob);
      a.download = `lipflow-digits-ae-latent${c.latent}-width${c.width}-depth${c.depth}.json`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    } catch (e) { showMessage('export: ' + e.message); }
  }
  // importFile: a weights file picked or dropped, read and checked in the worker (the size here
  // too); a refused file leaves the current autoencoder as it was.
  async function importFile(file) {
    if (!file) return false;
    const name = file.name || 'the file';
    if (file.size > IMPORT_LIMIT) {
      showMessage(`${name}: ${(file.size / 1048576).toFixed(1)} MB, larger than the ${IMPORT_LIMIT >> 20} MB limit of a weights file; the current autoencoder stays`);
      return false;
    }
    return importVia({ type: 'ae-import-file', file, limit: IMPORT_LIMIT }, name);
  }
  // importText: the weights file as a string (window.lipflow.importAE).
  async function importText(json, name) {
    name = name || 'weights';
    if (typeof json !== 'string') { showMessage(`${name}: not a text file; the current autoencoder stays`); return false; }
    if (json.length > IMPORT_LIMIT) {
      showMessage(`${name}: ${(json.length / 1048576).toFixed(1)} MB, larger than the ${IMPORT_LIMIT >> 20} MB limit of a weights file; the current autoencoder stays`);
      return false;
    }
    return importVia({ type: 'ae-import', json }, name);
  }
  async function importVia(msg, name) {
    if (training) { showMessage(`${name}: the autoencoder is training: cancel it first; the current autoencoder stays`); return false; }
    try { await loadData(); } catch (e) { return false; }
    let m;
    try { m = await request(msg); } catch (e) { showMessage(`${name}: ${e.message}; the current autoencoder stays`); return false; }
    if (m.error) { showMessage(`${name}: ${m.error}; the current autoencoder stays`); return false; }
    aeLoaded('imported', m);
    storeAE();
    showMessage(`${name}: autoencoder imported (latent ${state.aeCfg.latent})`, 'info');
    return true;
  }

  // ---------- the flow ----------
  function runLabel(r, all) {
    let l = r.method === 'gpa' ? 'GPA' : r.method === 'gan' ? '(f, Lip)-GAN' : r.method === 'wgan-gp' ? 'WGAN-GP' : String(r.method);
    if (r.method === 'gpa') l += r.mobility === 'decoder' ? ', decoder mobility' : ', latent';
    const same = all.filter((q) => q.method === r.method && q.mobility === r.mobility);
    if (same.length > 1) l += ' #' + (all.indexOf(r) + 1);
    return l;
  }
  function runMessages(flow, runs) {
    return runs.map((r) => {
      const s = { ...flow, method: r.method, label: runLabel(r, runs) };
      if (r.method === 'gpa') s.mobility = r.mobility || 'latent';
      return s;
    });
  }
  // applyFlow asks the engine for the runs; on success they become the page's state (controls,
  // URL), else it rejects with the engine's error and the current runs go on.
  async function applyFlow(flow, runs, opts) {
    opts = opts || {};
    if (!runs.length || runs.length > MAX_RUNS) throw new Error(`want 1 to ${MAX_RUNS} runs, not ${runs.length}`);
    for (const r of runs) {
      if (!METHODS.includes(r.method)) { const e = new Error(`method = "${r.method}" is not a method, want one of ${METHODS.join(', ')}`); e.setting = 'method'; throw e; }
      if (r.method === 'gpa' && !MOBILITIES.includes(r.mobility || 'latent')) { const e = new Error(`mobility = "${r.mobility}" is not a mobility, want one of ${MOBILITIES.join(', ')}`); e.setting = 'mobility'; throw e; }
    }
    const version = ae.version;
    const m = check(await request({ type: 'configure', runs: runMessages(flow, runs), run: !!opts.run }));
    flowVersion = version;
    state.flow = { ...flow };
    state.runs = runs.map((r) => ({ ...r }));
    state.preset = opts.preset || '';
    state.playing = !!opts.run;
    cur = { runs: [], targets: cur.targets, targetLabels: cur.targetLabels, targetsDrawn: false };
    cache.step = -1;
    syncFlowControls();
    buildRunCards();
    writeURL();
    updateButtons();
    return m;
  }
  // applyFlowWithFallback applies what was asked; every refused setting falls back to its
  // default with a message, until the engine accepts.
  async function applyFlowWithFallback(flow, runs, opts) {
    flow = { ...flow };
    runs = runs.map((r) => ({ ...r }));
    for (let tries = 0; tries < 30; tries++) {
      try {
        return await applyFlow(flow, runs, opts);
      } catch (err) {
        if (engine.dead() || /train the autoencoder/.test(err.message)) throw err;
        const k = err.setting;
        opts = { ...opts, preset: '' };
        if (k === 'method' || k === 'mobility') {
          // The culprit run (err.run) goes; the last run left becomes latent GPA.
          const i = Math.min(Math.max(0, err.run || 0), runs.length - 1);
          if (runs.length > 1) {
            showMessage(`${err.message} — run ${i + 1} is left out`);
            runs.splice(i, 1);
          } else {
            showMessage(`${err.message} — using latent GPA instead`);
            runs = [{ method: 'gpa', mobility: 'latent' }];
          }
        } else if (k && k in flow && String(flow[k]) !== String(DEF.settings[k])) {
          showMessage(`${err.message} — using the default ${k} = ${fmt(DEF.settings[k])}`);
          if (k in DEF.settings) flow[k] = DEF.settings[k]; else delete flow[k];
        } else {
          showMessage(`${err.message} — using the default settings`);
          flow = sharedDefaults();
          runs = [{ method: 'gpa', mobility: 'latent' }];
        }
      }
    }
    throw new Error('the settings were refused');
  }
  // ensureFlow: the engine's runs are built on the current autoencoder.
  let pendingFlow = null; // {version, promise}: the configuration that follows a new autoencoder
  async function ensureFlow() {
    await ensureAE();
    if (pendingFlow && pendingFlow.version === ae.version) await pendingFlow.promise.catch(() => {});
    if (flowVersion !== ae.version) await applyFlowWithFallback(state.flow, state.runs, { run: false, preset: state.preset });
  }
  // afterAE: a new autoencoder; the flows are built again on it, running if the page was.
  let wantPlay = false;
  function afterAE() {
    const play = wantPlay;
    wantPlay = false;
    const promise = applyFlowWithFallback(state.flow, state.runs, { run: play, preset: state.preset })
      .then(() => refreshParticles());
    const version = ae.version;
    pendingFlow = { version, promise };
    // A newer autoencoder since (a quick second import, say) makes this one's failure moot.
    promise.catch((e) => { if (!engine.dead() && version === ae.version) showMessage('flow: ' + e.message); });
  }

  function onFrame(m) {
    if (m.targets) { cur.targets = m.targets; cur.targetLabels = m.target_labels; cur.targetsDrawn = false; }
    const runs = m.runs || [];
    runs.forEach((r, i) => {
      const c = cur.runs[i] || (cur.runs[i] = {});
      if (r.error && c.error !== r.error) showMessage(`${r.label}: ${r.error}` + (runs.length > 1 ? ' (the other runs go on)' : ''));
      Object.assign(c, {
        label: r.label, method: r.method, step: r.step, steps: r.steps, running: r.running, error: r.error || null,
        stats: r.stats || {}, scores: r.scores ? finiteOnly(r.scores) : (c.scores || {}), rows: r.rows,
      });
      if (r.samples) { c.samples = r.samples; c.labels = r.labels; c.fresh = true; }
    });
    cur.runs.length = runs.length;
    if (m.classifier) cur.classifier = m.classifier;
    const anyRunning = runs.some((r) => r.running);
    if (!anyRunning && state.playing && runs.length && runs.every((r) => r.error || (r.steps > 0 && r.step >= r.steps))) {
      state.playing = false;
      if (runs.some((r) => !r.error)) showMessage(`The run is done: ${runs[0].step} steps (the steps setting).`, 'info');
    }
    updateButtons();
    markDirty();
  }
  // finiteOnly keeps the figures that were measured (the engine sends null for the others).
  function finiteOnly(o) {
    const out = {};
    for (const k of Object.keys(o)) if (typeof o[k] === 'number' && Number.isFinite(o[k])) out[k] = o[k];
    return out;
  }
  async function refreshParticles() {
    const m = check(await request({ type: 'particles', run: 0 }));
    cache = { latent: m.latent || null, samples: m.samples || null, labels: m.labels || null, dim: m.dim || 0, step: m.step === undefined ? -1 : m.step };
    return cache;
  }

  // ---------- drawing ----------
  let dirty = false, rafPending = false, aeDirty = true, lastGrid = 0, gridTimer = 0;
  function markDirty() {
    dirty = true;
    if (!rafPending) { rafPending = true; requestAnimationFrame(onAnimationFrame); }
  }
  function onAnimationFrame() {
    rafPending = false;
    if (!dirty) return;
    dirty = false;
    const t0 = performance.now();
    // Each part is logged on its own (draw-ae, draw-grids, draw-figures) so that a slow frame
    // says what was slow.
    drawAEState();
    if (aeDirty) { aeDirty = false; drawCurve(); drawRecon(); }
    let t1 = performance.now();
    noteSlow(t1 - t0, 'draw-ae', t0);
    // The digit grids at most every GRID_INTERVAL ms.
    if (t1 - lastGrid >= GRID_INTERVAL) {
      lastGrid = t1;
      drawGrids();
      const t2 = performance.now();
      noteSlow(t2 - t1, 'draw-grids', t1);
      updateRunCards();
      t1 = performance.now();
      noteSlow(t1 - t2, 'draw-figures', t2);
    } else if (!gridTimer) {
      gridTimer = setTimeout(() => { gridTimer = 0; markDirty(); }, GRID_INTERVAL - (t1 - lastGrid));
    }
    const dt = t1 - t0;
    perf.draws++;
    if (dt > perf.maxDrawMs) perf.maxDrawMs = dt;
  }

  // A digit grid: rows of 28 x 28 digits written from 8-bit grey into an ImageData (kept and
  // reused), put on a canvas of the grid's own size; CSS (image-rendering: pixelated) scales it
  // up without smoothing. Measured here, a 200-digit grid costs 0.5 ms to put this way against
  // 11 ms for a putImageData on a hidden canvas and a 2x drawImage with imageSmoothingEnabled =
  // false, and the drawing of three runs must stay well within a frame.
  const pictures = new WeakMap(); // canvas -> {g, img, u32, w, h}
  // GREY[v]: the RGBA word (little-endian) of ink level v, dark ink on white paper.
  const GREY = new Uint32Array(256);
  for (let v = 0; v < 256; v++) { const g = 255 - v; GREY[v] = (0xff000000 | (g << 16) | (g << 8) | g) >>> 0; }
  const GAP = GREY[50], EMPTY = GREY[20];
  function picture(canvas, w, h) {
    let p = pictures.get(canvas);
    if (!p || p.w !== w || p.h !== h) {
      canvas.width = w;
      canvas.height = h;
      const g = canvas.getContext('2d');
      const img = g.createImageData(w, h);
      p = { g, img, u32: new Uint32Array(img.data.buffer), w, h };
      p.u32.fill(GAP);
      pictures.set(canvas, p);
    }
    return p;
  }
  function blitDigit(p, src, row, x0, y0) {
    const d = p.u32, w = p.w, base = row * 784;
    for (let y = 0; y < 28; y++) {
      let o = (y0 + y) * w + x0;
      const s = base + y * 28;
      for (let x = 0; x < 28; x++) d[o++] = GREY[src[s + x]];
    }
  }
  function blank(p, x0, y0) {
    for (let y = 0; y < 28; y++) p.u32.fill(EMPTY, (y0 + y) * p.w + x0, (y0 + y) * p.w + x0 + 28);
  }
  function show(canvas, p) {
    p.g.putImageData(p.img, 0, 0);
  }
  // drawByClass draws rows x 784 samples as 10 rows (digits 0..9) of at most COLS_SHOWN each.
  function drawByClass(canvas, samples, labels) {
    const n = labels ? labels.length : 0;
    const G = 2, cols = COLS_SHOWN;
    const w = cols * 28 + (cols + 1) * G, h = 10 * 28 + 11 * G;
    const p = picture(canvas, w, h);
    const used = new Int32Array(10);
    for (let i = 0; i < n && 784 * (i + 1) <= samples.length; i++) {
      const c = labels[i];
      if (c < 0 || c > 9 || used[c] >= cols) continue;
      blitDigit(p, samples, i, G + used[c] * (28 + G), G + c * (28 + G));
      used[c]++;
    }
    for (let c = 0; c < 10; c++) for (let j = used[c]; j < cols; j++) blank(p, G + j * (28 + G), G + c * (28 + G));
    show(canvas, p);
  }
  function drawGrids() {
    if (cur.targets && !cur.targetsDrawn) {
      drawByClass($('targets-canvas'), cur.targets, cur.targetLabels);
      cur.targetsDrawn = true;
      window.lipflowPage.mark('first-drawn'); // the moments of loading (docs/performance.md)
    }
    cur.runs.forEach((c, i) => {
      if (!c.fresh || !c.samples) return;
      c.fresh = false;
      const card = runCards[i];
      if (card) drawByClass(card.canvas, c.samples, c.labels);
    });
  }
  // blankGrid: the empty grid of a class-by-class canvas. Drawn when the canvas is made, it also
  // prepares the canvas's ImageData, so that the first digits drawn cost no more than the next.
  function blankGrid(canvas) {
    drawByClass(canvas, new Uint8Array(0), new Int32Array(0));
  }
  function drawRecon() {
    const canvas = $('ae-recon');
    const k = Math.min(ae.k || 16, 16), G = 2; // digits.html gives the canvas this size for k = 16
    const w = k * 28 + (k + 1) * G, h = 2 * 28 + 3 * G;
    const p = picture(canvas, w, h);
    for (let j = 0; j < k; j++) {
      const x = G + j * (28 + G);
      if (ae.originals && ae.originals.length >= 784 * (j + 1)) blitDigit(p, ae.originals, j, x, G); else blank(p, x, G);
      if (ae.recon && ae.recon.length >= 784 * (j + 1)) blitDigit(p, ae.recon, j, x, 2 * G + 28); else blank(p, x, 2 * G + 28);
    }
    show(canvas, p);
  }
  // drawCurve: the training and held-out losses on a log scale against training progress.
  function drawCurve() {
    const cv = $('ae-curve');
    const dpr = window.devicePixelRatio || 1;
    const W = cv.clientWidth || 440, H = cv.clientHeight || 200;
    if (cv.width !== Math.round(W * dpr) || cv.height !== Math.round(H * dpr)) { cv.width = Math.round(W * dpr); cv.height = Math.round(H * dpr); }
    const g = cv.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.fillStyle = '#fff';
    g.fillRect(0, 0, W, H);
    const L = 48, R = 8, T = 8, B = 22;
    g.strokeStyle = '#d9dde3';
    g.strokeRect(L, T, W - L - R, H - T - B);
    const curves = [[ae.curve, '#0072b2'], [ae.heldoutCurve, '#d55e00']].filter(([c]) => c && c.length);
    g.font = '11px system-ui, sans-serif';
    g.fillStyle = '#5f6b7a';
    if (!curves.length) { g.fillText('the loss appears here while the autoencoder trains', L + 8, T + 20); return; }
    let lo = Infinity, hi = -Infinity;
    for (const [c] of curves) for (let i = 0; i < c.length; i++) { const v = c[i]; if (v > 0 && Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); } }
    if (!(lo < Infinity)) return;
    let a = Math.log10(lo), b = Math.log10(hi);
    if (b - a < 0.05) { a -= 0.05; b += 0.05; }
    const frac = ae.phase === 'trained' || !ae.steps ? 1 : Math.max(0.02, Math.min(1, ae.step / ae.steps));
    const px = (i, n) => L + (W - L - R) * frac * (n > 1 ? i / (n - 1) : 1);
    const py = (v) => T + (H - T - B) * (1 - (Math.log10(v) - a) / (b - a));
    for (const [c, color] of curves) {
      g.strokeStyle = color;
      g.lineWidth = 1.5;
      g.beginPath();
      let first = true;
      for (let i = 0; i < c.length; i++) {
        const v = c[i];
        if (!(v > 0 && Number.isFinite(v))) continue;
        if (first) { g.moveTo(px(i, c.length), py(v)); first = false; } else g.lineTo(px(i, c.length), py(v));
      }
      g.stroke();
    }
    g.fillStyle = '#5f6b7a';
    g.fillText(fmtNum(hi, 3), 4, T + 10);
    g.fillText(fmtNum(lo, 3), 4, H - B);
    g.fillText(`training progress (${ae.epochs} epoch${ae.epochs === 1 ? '' : 's'})`, L + 4, H - 6);
  }

  // ---------- the runs: cards with a grid and the figures ----------
  const runCards = [];
  // buildRunCards makes one card per run; cards (and their canvases) are kept while the number
  // of runs stays the same.
  function buildRunCards() {
    const box = $('grids');
    if (runCards.length === state.runs.length) {
      runCards.forEach((c, i) => {
        c.label.textContent = runLabel(state.runs[i], state.runs);
        c.vals = '';
        c.st.textContent = ae.phase === 'trained' ? 'starting…' : 'waiting for the autoencoder';
      });
      return;
    }
    for (const c of runCards) c.fig.remove();
    runCards.length = 0;
    state.runs.forEach((r, i) => {
      const fig = document.createElement('figure');
      fig.className = 'grid-box run r' + i;
      const cap = document.createElement('figcaption');
      const b = document.createElement('b');
      b.textContent = runLabel(r, state.runs);
      const st = document.createElement('span');
      st.className = 'help';
      cap.append(b, ' ', st);
      const canvas = document.createElement('canvas');
      canvas.setAttribute('aria-label', 'generated digits of run ' + (i + 1) + ', one row per class');
      blankGrid(canvas);
      const table = document.createElement('table');
      table.className = 'scores';
      const err = document.createElement('p');
      err.className = 'run-error';
      fig.append(cap, canvas, table, err);
      box.append(fig);
      st.textContent = ae.phase === 'trained' ? 'starting…' : 'waiting for the autoencoder';
      runCards.push({ fig, canvas, table, st, err, label: b, vals: '' });
    });
  }
  function updateRunCards() {
    const clf = cur.classifier;
    const ct = !clf ? '' : clf.ready
      ? `Scores: a classifier trained on held-out digits (never on the 200)` + (Number.isFinite(clf.accuracy) ? `, ${(100 * clf.accuracy).toFixed(1)} % right on other held-out digits` : '') + ', judges the requested class; the nearest-neighbour distance to the 200 training digits tells new digits from copies.'
      : 'Scores: the classifier that judges the generated digits is training (on held-out digits)…';
    if ($('clf-state').textContent !== ct) $('clf-state').textContent = ct;
    cur.runs.forEach((c, i) => {
      const card = runCards[i];
      if (!card) return;
      const s = c.stats || {}, sc = c.scores || {};
      const st = `step ${c.step}${c.steps ? ' of ' + c.steps : ''}` + (c.running ? ' · running' : '');
      if (card.st.textContent !== st) card.st.textContent = st;
      const rows = [];
      if (c.method === 'gpa') {
        rows.push(['divergence', fmtNum(s.divergence), 'Divergence estimate: the discriminator\'s objective']);
        rows.push(['kinetic energy', fmtNum(s.ke), 'Mean |dZ|^2 / 2 of a step']);
      } else {
        rows.push(['D loss', fmtNum(s.d_loss), 'The discriminator\'s (critic\'s) loss']);
        rows.push(['G loss', fmtNum(s.g_loss), 'The generator\'s loss']);
      }
      rows.push(['classifier agreement', Number.isFinite(sc.agreement) ? (100 * sc.agreement).toFixed(1) + ' %' : '–',
        'Share of the generated digits that a classifier trained on held-out digits (never on the 200) assigns to their requested class']);
      const pair = (a, b) => fmtNum(a) + (Number.isFinite(b) ? ` (real: ${fmtNum(b)})` : '');
      rows.push(['NN distance', pair(sc.nn_distance, sc.nn_train_distance),
        'Mean pixel-space distance from a generated digit to its nearest of the 200 training digits; in brackets the same for real held-out digits: what a new digit, not a copy, looks like']);
      if (Number.isFinite(sc.nn_decoded)) {
        rows.push(['NN distance, decoded', pair(sc.nn_decoded, sc.nn_decoded_ref),
          'The decoder blurs, so copies show plainly in its own image: the mean distance to the nearest decoded training digit D(E(x)); in brackets the same for decoded held-out digits']);
      }
      if (Number.isFinite(sc.copies)) {
        rows.push(['copies', (100 * sc.copies).toFixed(1) + ' %', 'Share of the generated digits nearer a decoded training digit than the engine\'s copy radius: memorised, not new']);
      }
      // The rows are made again only when their names change; the values are set in place.
      const names = rows.map((r) => r[0]).join('|');
      if (names !== card.vals) {
        card.vals = names;
        card.cells = [];
        card.table.replaceChildren(...rows.map(([k, , help]) => {
          const tr = document.createElement('tr');
          const th = document.createElement('th');
          th.textContent = k;
          th.title = help;
          const td = document.createElement('td');
          tr.append(th, td);
          card.cells.push(td);
          return tr;
        }));
      }
      rows.forEach((r, j) => { if (card.cells[j].textContent !== r[1]) card.cells[j].textContent = r[1]; });
      const e = c.error || '';
      if (card.err.textContent !== e) card.err.textContent = e;
    });
  }

  // ---------- controls ----------
  const flowInputs = {};
  function buildFlowControls() {
    const box = $('settings');
    const more = document.createElement('details');
    const sum = document.createElement('summary');
    sum.textContent = 'discriminator';
    sum.title = 'The discriminator\'s network, optimizer and Lipschitz constraint';
    more.append(sum);
    const main = document.createElement('div');
    main.className = 'settings-main';
    for (const c of FLOW_CONTROLS) {
      const row = document.createElement('label');
      row.className = 'row';
      row.title = c.k + ': ' + c.help;
      const span = document.createElement('span');
      span.textContent = c.k === 'n' ? 'N' : c.k;
      let el;
      if (c.type === 'select') {
        el = document.createElement('select');
        for (const o of c.options) { const op = document.createElement('option'); op.value = op.textContent = o; el.append(op); }
      } else {
        el = document.createElement('input');
        el.type = 'text';
        el.spellcheck = false;
        el.autocomplete = 'off';
      }
      el.id = 's-' + c.k;
      el.addEventListener('change', () => onFlowControl(c.k));
      row.append(span, el);
      // A control shown only under a condition (alpha for f = alpha) waits for the settings
      // (syncFlowControls): shown and then hidden, it moved the others.
      if (c.when) row.classList.add('hidden');
      (c.more ? more : main).append(row);
      flowInputs[c.k] = { el, row, c };
    }
    box.append(main, more);
  }
  function syncFlowControls() {
    for (const k of Object.keys(flowInputs)) {
      const { el, row, c } = flowInputs[k];
      const v = fmt(state.flow[k]);
      if (c.type === 'select' && v && ![...el.options].some((o) => o.value === v)) {
        const op = document.createElement('option'); op.value = op.textContent = v; el.append(op);
      }
      if (document.activeElement !== el || el.value !== v) el.value = v;
      if (c.when) row.classList.toggle('hidden', !c.when(state.flow));
      row.hidden = !(k in state.flow);
    }
    $('preset').value = state.preset;
    buildRunsUI();
  }
  function onFlowControl(k) {
    const v = parseValue(k, flowInputs[k].el.value);
    if (String(v) === String(state.flow[k])) return;
    userFlow({ ...state.flow, [k]: v }, state.runs);
  }
  // userFlow applies a change made with the controls: a refused one is shown and undone.
  function userFlow(flow, runs) {
    if (ae.phase !== 'trained') {
      // Nothing to configure yet: the settings wait for the autoencoder.
      state.flow = { ...flow };
      state.runs = runs.map((r) => ({ ...r }));
      state.preset = '';
      syncFlowControls();
      buildRunCards();
      writeURL();
      return Promise.resolve();
    }
    return applyFlow(flow, runs, { run: state.playing }).then(() => refreshParticles())
      .catch((e) => { showMessage(e.message + '; the current runs go on'); syncFlowControls(); });
  }
  function buildRunsUI() {
    const box = $('runs-box');
    box.replaceChildren();
    state.runs.forEach((r, i) => {
      const div = document.createElement('div');
      div.className = 'run-row r' + i;
      const b = document.createElement('b');
      b.textContent = 'run ' + (i + 1);
      const ms = document.createElement('select');
      ms.title = 'method: gpa (generative particles), gan (an (f, Lip)-GAN: a generator against the same kind of Lipschitz discriminator), wgan-gp (Wasserstein GAN with gradient penalty)';
      for (const o of METHODS) { const op = document.createElement('option'); op.value = o; op.textContent = o.toUpperCase(); ms.append(op); }
      ms.value = r.method;
      const mb = document.createElement('select');
      mb.title = 'mobility of a GPA run: latent (the discriminator on the latent codes) or decoder (the discriminator on the decoded pixels, moved by J_D^T)';
      for (const o of MOBILITIES) { const op = document.createElement('option'); op.value = o; op.textContent = o; mb.append(op); }
      mb.value = r.mobility || 'latent';
      mb.disabled = r.method !== 'gpa';
      const change = () => {
        const next = state.runs.map((q) => ({ ...q }));
        next[i] = { method: ms.value, mobility: mb.value };
        userFlow(state.flow, next);
      };
      ms.addEventListener('change', change);
      mb.addEventListener('change', change);
      const x = document.createElement('button');
      x.textContent = 'remove';
      x.title = 'Remove this run';
      x.disabled = state.runs.length < 2;
      x.onclick = () => userFlow(state.flow, state.runs.filter((_, j) => j !== i));
      div.append(b, ms, mb, x);
      box.append(div);
    });
    const add = document.createElement('button');
    add.textContent = '+ add run';
    add.title = 'Another method side by side on the same 200 digits (at most 3 runs)';
    add.disabled = state.runs.length >= MAX_RUNS;
    add.onclick = () => {
      const used = new Set(state.runs.map((r) => r.method));
      const m = METHODS.find((x) => !used.has(x)) || 'gpa';
      userFlow(state.flow, state.runs.concat([{ method: m, mobility: 'latent' }]));
    };
    box.append(add);
  }
  function updateButtons() {
    const running = state.playing || cur.runs.some((r) => r.running);
    $('btn-play').classList.toggle('on', running);
    $('btn-pause').classList.toggle('on', !running);
  }

  // ---------- URL ----------
  function enc(v) { return encodeURIComponent(v).replace(/%2C/g, ','); }
  function writeURL() {
    const parts = [];
    if (state.preset) parts.push('preset=' + enc(state.preset));
    parts.push('method=' + enc(state.runs.map((r) => r.method).join(',')));
    const mobs = state.runs.map((r) => r.mobility || 'latent');
    parts.push('mobility=' + enc(mobs.every((x) => x === mobs[0]) ? mobs[0] : mobs.join(',')));
    for (const k of Object.keys(state.flow)) parts.push(k + '=' + enc(fmt(state.flow[k])));
    if (state.aeCfg) for (const k of AE_KEYS) parts.push('ae_' + k + '=' + enc(fmt(state.aeCfg[k])));
    try { history.replaceState(null, '', '?' + parts.join('&') + location.hash); } catch (e) { /* file:// */ }
  }
  // readURL returns what the URL asks for, with its syntax problems (the engine checks ranges).
  function readURL() {
    const q = new URLSearchParams(location.search.slice(1) || location.hash.slice(1));
    const out = { flow: sharedDefaults(), runs: [{ method: 'gpa', mobility: 'latent' }], ae: { ...DEF.ae }, preset: '', play: true, train: true, problems: [] };
    const names = flowNames();
    const known = new Set(['preset', 'method', 'mobility', 'play', 'train', ...names, ...AE_KEYS.map((k) => 'ae_' + k)]);
    for (const k of q.keys()) if (!known.has(k)) out.problems.push(`URL: unknown parameter "${k}" ignored (settings: method, mobility, ${[...names].join(', ')}, ae_${AE_KEYS.join(', ae_')}; also preset, play, train)`);
    const pid = q.get('preset');
    if (pid) {
      const p = PRESETS.find((x) => x.id === pid);
      if (!p) out.problems.push(`URL: preset = "${pid}" is not a preset, want one of ${PRESETS.map((x) => x.id).join(', ')}`);
      else { out.preset = p.id; Object.assign(out.flow, p.settings || {}); out.runs = p.runs.map((r) => ({ ...r })); }
    }
    for (const k of names) if (q.has(k)) out.flow[k] = parseValue(k, q.get(k));
    if (q.has('method')) {
      const ms = q.get('method').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
      if (ms.length > MAX_RUNS) out.problems.push(`URL: method lists ${ms.length} runs, want at most ${MAX_RUNS}; the rest are ignored`);
      const runs = [];
      for (const m of ms.slice(0, MAX_RUNS)) {
        if (METHODS.includes(m)) runs.push({ method: m, mobility: 'latent' });
        else out.problems.push(`URL: method = "${m}" is not a method, want one of ${METHODS.join(', ')}`);
      }
      if (runs.length) out.runs = runs;
      else if (ms.length) out.problems.push('URL: no valid method: using GPA');
    }
    if (q.has('mobility')) {
      const ms = q.get('mobility').split(',').map((s) => s.trim().toLowerCase());
      const bad = ms.filter((m) => !MOBILITIES.includes(m));
      if (bad.length) out.problems.push(`URL: mobility = "${bad[0]}" is not a mobility, want one of ${MOBILITIES.join(', ')}; using latent`);
      else if (ms.length !== 1 && ms.length !== out.runs.length) out.problems.push(`URL: mobility lists ${ms.length} values for ${out.runs.length} runs, want one or one per run; using latent`);
      else out.runs.forEach((r, i) => { r.mobility = ms.length === 1 ? ms[0] : ms[i]; });
    }
    if (out.preset) {
      const p = PRESETS.find((x) => x.id === out.preset);
      const flowSame = [...names].every((k) => !q.has(k) || String(out.flow[k]) === String({ ...DEF.settings, ...(p.settings || {}) }[k]));
      const runsSame = JSON.stringify(out.runs.map((r) => [r.method, r.method === 'gpa' ? r.mobility : ''])) === JSON.stringify(p.runs.map((r) => [r.method, r.method === 'gpa' ? r.mobility : '']));
      if (!flowSame || !runsSame) out.preset = '';
    }
    for (const k of AE_KEYS) if (q.has('ae_' + k)) out.ae[k] = parseValue(k, q.get('ae_' + k));
    if (q.has('play') && /^(0|false|no|off)$/i.test(q.get('play'))) out.play = false;
    if (q.has('train') && /^(0|false|no|off)$/i.test(q.get('train'))) out.train = false;
    return out;
  }
  // applyAEWithFallback: a refused autoencoder setting falls back to its default with a message.
  async function applyAEWithFallback(cfg) {
    cfg = { ...cfg };
    for (let tries = 0; tries <= AE_KEYS.length; tries++) {
      try { return await applyAE(cfg); } catch (err) {
        if (engine.dead() || !data.loaded) throw err;
        const k = AE_KEYS.find((x) => err.setting === x || err.setting === 'ae_' + x) ||
          AE_KEYS.find((x) => String(cfg[x]) !== String(DEF.ae[x]) && new RegExp('\\b(ae_)?' + x + '\\b').test(err.message));
        if (k) {
          showMessage(`URL: autoencoder: ${err.message} — using the default ae_${k} = ${fmt(DEF.ae[k])}`);
          cfg[k] = DEF.ae[k];
        } else {
          showMessage(`URL: autoencoder: ${err.message} — using the default schedule`);
          cfg = { ...DEF.ae };
        }
      }
    }
    return applyAE({ ...DEF.ae });
  }

  // ---------- wiring ----------
  function wire() {
    for (const p of PRESETS) {
      const op = document.createElement('option');
      op.value = p.id;
      op.textContent = p.title;
      op.title = p.help;
      $('preset').append(op);
    }
    $('preset').addEventListener('change', () => {
      const id = $('preset').value;
      if (id) api.configure({ preset: id }).then(() => api.run()).catch((e) => showMessage(e.message));
    });
    $('btn-play').onclick = () => { api.run().catch((e) => showMessage(e.message)); };
    $('btn-pause').onclick = () => api.pause();
    $('btn-step').onclick = () => { api.step(1).catch((e) => showMessage(e.message)); };
    $('btn-reset').onclick = () => { api.reset().catch((e) => showMessage(e.message)); };
    for (const t of PAGE.ae) $('ae-' + t.name).closest('label').title = t.help;
    for (const k of AE_KEYS) {
      $('ae-' + k).addEventListener('change', () => {
        const cfg = aeConfigFromControls();
        if (training) cancelTraining();
        applyAE(cfg).then((changed) => { if (changed) return loadStored(); })
          .catch((e) => { showMessage('autoencoder: ' + e.message + '; the current autoencoder stays'); syncAEControls(); });
      });
    }
    $('ae-train').onclick = () => { wantPlay = true; startTraining(false).catch(() => {}); };
    $('ae-cancel').onclick = () => cancelTraining();
    $('ae-retrain').onclick = () => { wantPlay = true; startTraining(true).catch(() => {}); };
    $('ae-export').onclick = () => downloadAE();
    $('ae-file').addEventListener('change', () => {
      const f = $('ae-file').files[0];
      $('ae-file').value = '';
      importFile(f).catch((e) => showMessage('import: ' + e.message));
    });
    const drop = $('ae-drop');
    document.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
    document.addEventListener('dragleave', (e) => { if (!e.relatedTarget) drop.classList.remove('over'); });
    document.addEventListener('drop', (e) => {
      e.preventDefault();
      drop.classList.remove('over');
      const f = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
      if (f) importFile(f).catch((err) => showMessage('import: ' + err.message));
    });
    window.addEventListener('resize', () => { aeDirty = true; markDirty(); });
  }

  // ---------- window.lipflow ----------
  function runStatus(c) {
    const s = c.stats || {};
    return { label: c.label, method: c.method, step: c.step, steps: c.steps, running: !!c.running, error: c.error,
      divergence: s.divergence, ke: s.ke, speed: s.speed, d_loss: s.d_loss, g_loss: s.g_loss, scores: { ...(c.scores || {}) } };
  }
  function copy(a, T) { return a ? new T(a) : new T(0); }
  const api = {
    presets: () => PRESETS.map((p) => p.id),
    presetInfo: (id) => { const p = PRESETS.find((q) => q.id === id); return p ? JSON.parse(JSON.stringify(p)) : null; },
    // configure(settings | {preset, ...}): flow settings over the defaults (or the preset), plus
    // method (a name or a list), mobility, runs: [{method, mobility}], and ae_* for the
    // autoencoder. Resolves with status() once the engine applied them (paused at step 0),
    // training or loading the autoencoder first; rejects with the engine's message, the
    // current runs intact.
    async configure(s) {
      s = s || {};
      await started;
      let flow = sharedDefaults(), runs = [{ method: 'gpa', mobility: 'latent' }], preset = '';
      const aeCfg = { ...(state.aeCfg || DEF.ae) };
      let aeChanged = false;
      if (s.preset) {
        const p = PRESETS.find((q) => q.id === s.preset);
        if (!p) throw new Error(`preset = "${s.preset}" is not a preset, want one of ${PRESETS.map((q) => q.id).join(', ')}`);
        Object.assign(flow, p.settings || {});
        runs = p.runs.map((r) => ({ ...r }));
        preset = p.id;
      }
      const names = flowNames();
      for (const k of Object.keys(s)) {
        const v = s[k];
        if (k === 'preset') continue;
        if (k.startsWith('ae_') && AE_KEYS.includes(k.slice(3))) {
          const x = parseValue(k.slice(3), v);
          if (String(x) !== String(aeCfg[k.slice(3)])) { aeCfg[k.slice(3)] = x; aeChanged = true; }
        } else if (k === 'method') {
          const ms = Array.isArray(v) ? v : String(v).split(',');
          runs = ms.map((m, i) => ({ method: String(m).trim().toLowerCase(), mobility: (runs[i] && runs[i].mobility) || 'latent' }));
          preset = '';
        } else if (k === 'mobility') {
          const ms = Array.isArray(v) ? v : String(v).split(',');
          runs.forEach((r, i) => { r.mobility = String(ms.length === 1 ? ms[0] : ms[i]).trim().toLowerCase(); });
          preset = '';
        } else if (k === 'runs') {
          if (!Array.isArray(v) || !v.length || v.length > MAX_RUNS) throw new Error(`runs: want an array of 1 to ${MAX_RUNS} {method, mobility}`);
          runs = v.map((r) => ({ method: String(r.method || 'gpa').toLowerCase(), mobility: String(r.mobility || 'latent').toLowerCase() }));
          preset = '';
        } else if (names.has(k)) {
          flow[k] = parseValue(k, v);
          if (preset) preset = '';
        } else {
          throw new Error(`unknown setting "${k}", want one of method, mobility, runs, ${[...names].join(', ')}, ae_${AE_KEYS.join(', ae_')}`);
        }
      }
      if (preset) state.preset = preset;
      if (aeChanged) {
        if (training) cancelTraining();
        if (await applyAE(aeCfg)) await loadStored();
      }
      await ensureAE();
      await applyFlow(flow, runs, { run: false, preset }).catch((e) => { state.lastError = e.message; throw e; });
      await refreshParticles();
      return api.status();
    },
    async run() {
      state.playing = true;
      updateButtons();
      wantPlay = true;
      await ensureFlow();
      wantPlay = false;
      state.playing = true;
      updateButtons();
      worker.postMessage({ type: 'run' });
    },
    pause() {
      state.playing = false;
      wantPlay = false;
      updateButtons();
      worker.postMessage({ type: 'pause' });
    },
    // step(k): k particle steps of every run (training or loading the autoencoder first);
    // resolves with status() once done and the particles are fetched.
    async step(k) {
      k = Math.max(1, Math.floor(Number(k) || 1));
      state.playing = false;
      updateButtons();
      await ensureFlow();
      const m = await request({ type: 'step', k });
      if (m.error) throw new Error(m.error);
      for (const c of cur.runs) if (!c.error && Number.isFinite(m.step) && !(c.step >= m.step)) c.step = m.step;
      await refreshParticles();
      return api.status();
    },
    async reset() {
      await ensureFlow();
      check(await request({ type: 'reset', run: state.playing }));
      await refreshParticles();
      return api.status();
    },
    status() {
      const r0 = cur.runs[0];
      const s = (r0 && r0.stats) || {};
      const sc = (r0 && r0.scores) || {};
      return {
        step: r0 ? r0.step : 0, divergence: s.divergence, ke: s.ke, metric: sc.agreement, metricName: 'agreement',
        scores: { ...sc }, running: state.playing && cur.runs.some((r) => r.running), playing: state.playing, error: r0 ? r0.error : null,
        lastError: state.lastError, held: isHeld(),
        ae: aeStatus(), classifier: cur.classifier ? { ...cur.classifier } : null,
        data: { progress: data.progress, loaded: data.loaded, train: data.train, heldout: data.heldout, bytes: data.bytes, error: data.error },
        n: cache.labels ? cache.labels.length : 0, latent: cache.dim,
        runs: cur.runs.map(runStatus),
      };
    },
    // particles(), samples(), labels(): run 1 at the last step request, configure or reset
    // (copies); fetchParticles() asks the engine now.
    particles: () => copy(cache.latent, Float32Array),
    samples: () => copy(cache.samples, Float32Array),
    labels: () => copy(cache.labels, Int32Array),
    fetchParticles: () => refreshParticles().then(() => api.particles()),
    settings() {
      return { ...state.flow, method: state.runs.map((r) => r.method).join(','), mobility: state.runs.map((r) => r.mobility || 'latent').join(','),
        ...Object.fromEntries(AE_KEYS.map((k) => ['ae_' + k, state.aeCfg ? state.aeCfg[k] : DEF.ae[k]])) };
    },
    // trainAE({restart}): trains (or resumes) the autoencoder; resolves with status().ae.
    async trainAE(opts) {
      await started;
      if (ae.phase === 'trained' && !(opts && opts.restart)) return aeStatus();
      await startTraining(!!(opts && opts.restart));
      return aeStatus();
    },
    cancelAE() { cancelTraining(); return aeStatus(); },
    exportAE,
    importAE: (json, name) => importText(json, name),
    // perf(reset): the page's own main-thread cost so far; reset starts the count again.
    perf(reset) {
      const out = { ...perf, slow: perf.slow.slice(), log: perf.log.slice() };
      if (reset) Object.assign(perf, { messages: 0, maxMessageMs: 0, draws: 0, maxDrawMs: 0, slow: [], log: [] });
      return out;
    },
    get lastError() { return state.lastError; },
  };

  // ---------- start ----------
  // What the worker said before this script ran (boot.js kept it), now that every handler is
  // defined.
  for (const e of boot ? boot.early : []) {
    if (e.type === 'error') worker.onerror(e); else worker.onmessage(e);
  }
  buildFlowControls();
  wire();
  blankGrid($('targets-canvas'));
  const started = (async () => {
    const first = readURL();
    for (const p of first.problems) showMessage(p);
    const ok = await engineReadyP;
    if (!ok) throw new Error(engine.dead() || 'the digits engine is not available');
    // Again with the engine's defaults (the authority) in place.
    const want = readURL();
    state.flow = { ...want.flow };
    state.runs = want.runs;
    state.preset = want.preset;
    syncFlowControls();
    buildRunCards();
    await loadData();
    await applyAEWithFallback(want.ae);
    updateAEUI();
    wantPlay = want.play;
    if (!(await loadStored()) && want.train) startTraining(false).catch(() => {});
    else if (ae.phase === 'none') updateAEUI();
    return true;
  })();
  started.catch((e) => { if (!engine.dead()) showMessage('start: ' + (e.message || e)); });
  started.then(() => window.lipflowPage.mark('interactive'), () => {});
  api.ready = started.then(() => api, () => api);
  updateAEUI();
  window.lipflow = api;
})();
