"use strict";
(async () => {
  const note = document.getElementById("loading");
  try {
    const go = new Go();
    let inst;
    try {
      inst = (await WebAssembly.instantiateStreaming(fetch("view.wasm"), go.importObject)).instance;
    } catch (e) {
      // A server that does not send application/wasm: instantiate from the bytes.
      const resp = await fetch("view.wasm");
      if (!resp.ok) throw new Error("view.wasm: HTTP " + resp.status);
      inst = (await WebAssembly.instantiate(await resp.arrayBuffer(), go.importObject)).instance;
    }
    note.remove();
    await go.run(inst);
    globalThis.lipflowViewReady = false;
  } catch (e) {
    note.className = "error";
    note.textContent = "the view failed to load: " + e;
    console.error(e);
  }
})();
