"use strict";
(async () => {
  const note = document.getElementById("loading");
  // When each loading stage was reached, in ms since 1970 (this frame's clock has its own
  // origin): the lab marks them on its timeline once the view is ready (docs/performance.md).
  const times = (globalThis.lipflowViewTimes = {});
  const stamp = (name) => { times[name] = performance.timeOrigin + performance.now(); };
  stamp("script");

  // In the single-file build (tools/singlefile) this page is the srcdoc of the lab's iframe and
  // the lab holds view.wasm: parent.LIPFLOW_BUNDLE hands it over compiled, nothing is fetched.
  function bundle() {
    try {
      if (window.parent !== window && window.parent.LIPFLOW_BUNDLE) return window.parent.LIPFLOW_BUNDLE;
    } catch (e) { /* a parent of another origin: not the single file */ }
    return null;
  }

  async function compile() {
    try {
      return await WebAssembly.compileStreaming(fetch("view.wasm"));
    } catch (e) {
      // A server that does not send application/wasm: compile from the bytes.
      const resp = await fetch("view.wasm");
      if (!resp.ok) throw new Error("view.wasm: HTTP " + resp.status);
      return WebAssembly.compile(await resp.arrayBuffer());
    }
  }

  // Several labs on one page (a course page's embeds) compile view.wasm once: the first view
  // leaves the Promise of its Module on its lab's window (lipflowViewModule), and the others
  // take it from a sibling lab of their origin (a page of another origin still lists its
  // frames). Three embeds compiling 10 MB each at once took 20 s here (docs/performance.md).
  function siblingModule() {
    try {
      const page = window.parent.parent;
      if (page === window.parent) return null;
      for (let i = 0; i < page.frames.length; i++) {
        try {
          const m = page.frames[i].lipflowViewModule;
          if (m) return m;
        } catch (e) { /* a frame of another origin */ }
      }
    } catch (e) { /* no page above the lab */ }
    return null;
  }

  // The helper worker (viewworker.js) compiles view.wasm off this thread, started before this
  // page's WebGL2 probe so that both go on at once. Not used by the single file (no such file
  // there: its bundle compiles in a worker of its own) nor where a sibling lab's module is at
  // hand. helper: null or {worker, module: Promise<Module>}. startHelper takes the worker that
  // answered the GPU question (askWorker) when there is one.
  let helper = null;
  function startHelper(w) {
    try {
      w = w || new Worker("viewworker.js");
      const module = new Promise((resolve, reject) => {
        w.onmessage = (e) => {
          const d = e.data || {};
          if (d.gl) return; // a late answer to askWorker
          if (d.module instanceof WebAssembly.Module) resolve(d.module);
          else reject(new Error(d.error || "no module"));
        };
        w.onerror = (e) => { e.preventDefault(); reject(new Error(e.message || "the worker failed")); };
      });
      w.postMessage({ compile: true });
      module.catch(() => {}).finally(() => w.terminate());
      return { worker: w, module };
    } catch (e) {
      return null;
    }
  }
  // compileOff is the helper's module, or view.wasm compiled on this thread if the helper fails
  // (a browser that cannot clone a Module from a worker, say).
  function compileOff() {
    const h = helper;
    if (!h) return compile();
    return h.module.catch((e) => {
      console.warn("lipflow view: compiling in a worker failed (" + e.message + "): compiling here");
      return compile();
    });
  }

  async function instantiate(go) {
    const b = bundle();
    let module;
    if (b) module = await b.viewModule();
    else {
      const shared = siblingModule();
      module = shared ? await shared.catch(compileOff) : null;
      if (!module) {
        const mine = compileOff();
        try { window.parent.lipflowViewModule = mine; } catch (e) { /* not a lab of this origin */ }
        module = await mine;
      }
      if (shared) stamp("shared");
      if (helper) helper.worker.terminate(); // done with it (or a sibling's module served)
    }
    stamp("compiled");
    return WebAssembly.instantiate(module, go.importObject); // a Module gives an Instance
  }

  // Tells the lab (parent.lipflowHost) that there is no full view, and why: it shows its
  // reduced view at once instead of waiting for this one. startable: the page may offer to start
  // the full view anyway (lipflowViewStart). A lab whose script has not run yet reads
  // globalThis.lipflowViewUnavailable when it does.
  function unavailable(reason, startable) {
    globalThis.lipflowViewReady = false;
    globalThis.lipflowViewUnavailable = reason;
    try {
      const host = window.parent !== window ? window.parent.lipflowHost : null;
      if (host && typeof host.viewUnavailable === "function") host.viewUnavailable(reason, !!startable);
    } catch (e) { /* a parent of another origin: nobody to tell */ }
  }

  // Ebitengine draws with WebGL2 and nothing else: without it (headless Firefox, WebGL turned
  // off, a blocklisted GPU) its Go program could only fail, so it is not started. The context
  // asked for is Ebitengine's own (alpha, premultiplied alpha, stencil), then let go. (Handing
  // this canvas and its context over to Ebitengine, which makes its canvas with
  // document.createElement, was tried: resizing a canvas that has a context cost as much with
  // software GL as the second context saved. Whether there is WebGL2 at all, a worker's
  // OffscreenCanvas does not answer for this page: docs/performance.md#loading.)
  function hasWebGL2() {
    try {
      const gl = document.createElement("canvas").getContext("webgl2", { alpha: true, premultipliedAlpha: true, stencil: true });
      if (!gl) return false;
      const lose = gl.getExtension("WEBGL_lose_context");
      if (lose) lose.loseContext();
      return true;
    } catch (e) {
      return false;
    }
  }

  // The lab lets its engine and its first frames (drawn by its simple view) go first: on two
  // cores the view's 10 MB module and its start delayed the engine by seconds
  // (docs/performance.md#loading). parent.lipflowViewGate is that Promise; the lab's script
  // may not have run yet (it is at the end of its body).
  async function gate() {
    try {
      const host = window.parent !== window ? window.parent : null;
      if (!host) return;
      if (host.document.readyState === "loading") {
        await new Promise((resolve) => host.document.addEventListener("DOMContentLoaded", resolve, { once: true }));
      }
      if (host.lipflowViewGate) await host.lipflowViewGate;
    } catch (e) { /* a parent of another origin: no gate */ }
  }

  // The lab's viewer page setting (lipflow.js sets lipflowViewMode before the gate opens):
  // 'auto' starts the full view only where WebGL2 runs on a GPU, 'full' wherever there is
  // WebGL2, 'reduced' never. A parent of another origin, or none: auto.
  function viewMode() {
    try {
      const m = window.parent !== window ? window.parent.lipflowViewMode : null;
      if (m === "full" || m === "reduced") return m;
    } catch (e) { /* a parent of another origin */ }
    return "auto";
  }

  // The renderers that draw WebGL in software, on the CPU: Chromium's SwiftShader, Mesa's
  // llvmpipe, softpipe and lavapipe, Windows' Basic Render Driver. Where the browser itself
  // calls such a context slow, failIfMajorPerformanceCaveat refuses it; Chromium 156 with
  // SwiftShader does not (docs/performance.md#loading), hence the renderer's name.
  const SOFTWARE = /swiftshader|llvmpipe|softpipe|lavapipe|software|basic render/i;
  // A worker that has not answered by then is taken for software GL: on a GPU a context comes
  // in tens of ms.
  const PROBE_WAIT = 5000;

  // askWorker asks the helper worker whether WebGL2 runs on a GPU, without a context on this
  // page's thread (with software GL its creation blocked the thread 0.1-1.8 s here). It resolves
  // with {worker, gl: {known, webgl2, renderer, software, slow}}; known is false where the
  // worker could not tell.
  function askWorker() {
    let w;
    try { w = new Worker("viewworker.js"); } catch (e) { return Promise.resolve({ worker: null, gl: { known: false } }); }
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ worker: w, gl: { known: true, slow: true } }), PROBE_WAIT);
      w.onmessage = (e) => { clearTimeout(timer); resolve({ worker: w, gl: (e.data && e.data.gl) || { known: false } }); };
      w.onerror = (e) => { e.preventDefault(); clearTimeout(timer); w.terminate(); resolve({ worker: null, gl: { known: false } }); };
      w.postMessage({ probe: SOFTWARE.source });
    });
  }

  // gpuProbe asks this page for a WebGL2 context the browser would refuse were it slow, and
  // names its renderer: 'gpu', 'software' or 'none' (no WebGL2, or only a slow one, refused).
  // A refusal costs nothing; a context costs tens of ms on a GPU.
  function gpuProbe() {
    try {
      const gl = document.createElement("canvas").getContext("webgl2", { alpha: true, premultipliedAlpha: true, stencil: true, failIfMajorPerformanceCaveat: true });
      if (!gl) return "none";
      const info = gl.getExtension("WEBGL_debug_renderer_info");
      const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) || "");
      const lose = gl.getExtension("WEBGL_lose_context");
      if (lose) lose.loseContext();
      return SOFTWARE.test(renderer) ? "software" : "gpu";
    } catch (e) {
      return "none";
    }
  }

  // decline (viewer=auto) returns why the full view should not start here ('software WebGL',
  // 'slow WebGL', 'no WebGL2 on a GPU', 'no WebGL2'), or null where WebGL2 runs on a GPU. The
  // worker asks first; this page asks only where the worker found no software renderer (its answer may
  // differ: viewworker.js), where a refusal is free and a context on a GPU cheap. The single
  // file has no worker file: its page asks.
  let probeWorker = null;
  async function decline() {
    let gl = { known: false };
    if (!bundle()) ({ worker: probeWorker, gl } = await askWorker());
    if (gl.slow) return "slow WebGL";
    if (gl.known && gl.software) return "software WebGL";
    const here = gpuProbe();
    if (here === "gpu") return null;
    if (here === "software") return "software WebGL";
    // Refused: none at all, or only a slow one. Where the worker found none at all, this page
    // checks too (cheap when there is none): without WebGL2 the full view cannot start, and
    // the page offers no button to start it.
    if (gl.known && gl.any === false && !hasWebGL2()) return "no WebGL2";
    return "no WebGL2 on a GPU";
  }

  // After the gate: a WebGL2 context starts the GPU process's work (software GL here), which
  // would compete with the engine.
  await gate();
  stamp("gate");
  const mode = viewMode();
  const why = mode === "reduced" ? "viewer=reduced" : mode === "auto" ? await decline() : null;
  if (mode === "auto") stamp("webgl");
  const probed = mode === "auto" && why === null; // this page has made a context on a GPU
  if (why !== null) {
    if (probeWorker) probeWorker.terminate();
    probeWorker = null;
    note.textContent = "The page shows its reduced view (" + why + ").";
    if (mode === "reduced" || why === "no WebGL2") {
      unavailable(why, false);
      return;
    }
    // The page's "Start the full view" calls lipflowViewStart: then the full view starts as
    // with viewer=full.
    const start = new Promise((resolve) => { globalThis.lipflowViewStart = resolve; });
    unavailable(why, true);
    await start;
    delete globalThis.lipflowViewStart;
    delete globalThis.lipflowViewUnavailable;
    stamp("start");
    note.textContent = "Starting the full view…";
  }
  if (!bundle() && !siblingModule()) helper = startHelper(probeWorker);
  else if (probeWorker) probeWorker.terminate();
  // Ebitengine's own context (alpha, premultiplied alpha, stencil), then let go: where auto
  // found a GPU this page has made one already.
  const webgl2 = probed || hasWebGL2();
  if (!probed) stamp("webgl");
  if (!webgl2) {
    if (helper) helper.worker.terminate();
    note.textContent = "This browser offers no WebGL2, which the full view needs: the page shows its reduced view.";
    unavailable("no WebGL2", false);
    return;
  }

  try {
    const go = new Go();
    const inst = await instantiate(go);
    stamp("instantiated");
    note.remove();
    await go.run(inst);
    unavailable("the full view stopped", false);
  } catch (e) {
    note.className = "error";
    note.textContent = "the view failed to load: " + e;
    console.error(e);
    unavailable("the full view failed to load: " + (e && e.message || e), false);
  }
})();
