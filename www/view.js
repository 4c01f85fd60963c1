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

  // The helper worker (viewworker.js) compiles view.wasm off this thread, started before the
  // WebGL2 probe so that both go on at once. Not used by the single file (no such file there:
  // its bundle compiles in a worker of its own) nor where a sibling lab's module is at hand.
  // helper: null or {worker, module: Promise<Module>}.
  let helper = null;
  function startHelper() {
    try {
      const w = new Worker("viewworker.js");
      const module = new Promise((resolve, reject) => {
        w.onmessage = (e) => {
          const d = e.data || {};
          if (d.module instanceof WebAssembly.Module) resolve(d.module);
          else reject(new Error(d.error || "no module"));
        };
        w.onerror = (e) => { e.preventDefault(); reject(new Error(e.message || "the worker failed")); };
      });
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
  // reduced view at once instead of waiting for this one. A lab whose script has not run yet
  // reads globalThis.lipflowViewUnavailable when it does.
  function unavailable(reason) {
    globalThis.lipflowViewReady = false;
    globalThis.lipflowViewUnavailable = reason;
    try {
      const host = window.parent !== window ? window.parent.lipflowHost : null;
      if (host && typeof host.viewUnavailable === "function") host.viewUnavailable(reason);
    } catch (e) { /* a parent of another origin: nobody to tell */ }
  }

  // Ebitengine draws with WebGL2 and nothing else: without it (headless Firefox, WebGL turned
  // off, a blocklisted GPU) its Go program could only fail, so it is not started. The context
  // asked for is Ebitengine's own (alpha, premultiplied alpha, stencil), then let go. (Handing
  // this canvas and its context over to Ebitengine, which makes its canvas with
  // document.createElement, was tried: resizing a canvas that has a context cost as much with
  // software GL as the second context saved. A probe in the helper worker, with an
  // OffscreenCanvas, does not answer for this page: docs/performance.md#loading.)
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

  // After the gate: a WebGL2 context starts the GPU process's work (software GL here), which
  // would compete with the engine.
  await gate();
  stamp("gate");
  if (!bundle() && !siblingModule()) helper = startHelper();
  const webgl2 = hasWebGL2();
  stamp("webgl");
  if (!webgl2) {
    if (helper) helper.worker.terminate();
    note.textContent = "This browser offers no WebGL2, which the full view needs: the page shows its reduced view.";
    unavailable("no WebGL2");
    return;
  }

  try {
    const go = new Go();
    const inst = await instantiate(go);
    stamp("instantiated");
    note.remove();
    await go.run(inst);
    unavailable("the full view stopped");
  } catch (e) {
    note.className = "error";
    note.textContent = "the view failed to load: " + e;
    console.error(e);
    unavailable("the full view failed to load: " + (e && e.message || e));
  }
})();
