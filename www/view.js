"use strict";
(async () => {
  const note = document.getElementById("loading");

  // In the single-file build (tools/singlefile) this page is the srcdoc of the lab's iframe and
  // the lab holds view.wasm: parent.LIPFLOW_BUNDLE hands it over compiled, nothing is fetched.
  function bundle() {
    try {
      if (window.parent !== window && window.parent.LIPFLOW_BUNDLE) return window.parent.LIPFLOW_BUNDLE;
    } catch (e) { /* a parent of another origin: not the single file */ }
    return null;
  }

  async function instantiate(go) {
    const b = bundle();
    if (b) return WebAssembly.instantiate(await b.viewModule(), go.importObject); // a Module gives an Instance
    try {
      return (await WebAssembly.instantiateStreaming(fetch("view.wasm"), go.importObject)).instance;
    } catch (e) {
      // A server that does not send application/wasm: instantiate from the bytes.
      const resp = await fetch("view.wasm");
      if (!resp.ok) throw new Error("view.wasm: HTTP " + resp.status);
      return (await WebAssembly.instantiate(await resp.arrayBuffer(), go.importObject)).instance;
    }
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
  // asked for is Ebitengine's own (alpha, premultiplied alpha, stencil), then let go.
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

  if (!hasWebGL2()) {
    note.textContent = "This browser offers no WebGL2, which the full view needs: the page shows its reduced view.";
    unavailable("no WebGL2");
    return;
  }

  try {
    const go = new Go();
    const inst = await instantiate(go);
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
