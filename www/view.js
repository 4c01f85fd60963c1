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

  try {
    const go = new Go();
    const inst = await instantiate(go);
    note.remove();
    await go.run(inst);
    globalThis.lipflowViewReady = false;
  } catch (e) {
    note.className = "error";
    note.textContent = "the view failed to load: " + e;
    console.error(e);
  }
})();
