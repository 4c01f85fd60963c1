// The full view's compiler (www/view.js): view.wasm compiled in a worker, off the page's main
// thread, where the streaming compilation's share was 0.7-1 s of long tasks on two cores with
// software GL (docs/performance.md#loading). It compiles at once and answers {module} (a
// WebAssembly.Module, cloned to the view's window) or {error}.
//
// (It probed for WebGL2 too, with an OffscreenCanvas, to spare the page's thread the 1.4-2 s a
// context costs with software GL; but a worker's answer is not the page's: Chromium with
// --disable-3d-apis gives a worker a WebGL2 context and the page none.)
'use strict';
async function compile() {
  try {
    return await WebAssembly.compileStreaming(fetch('view.wasm'));
  } catch (e) {
    // A server that does not send application/wasm: compile from the bytes.
    const resp = await fetch('view.wasm');
    if (!resp.ok) throw new Error('view.wasm: HTTP ' + resp.status);
    return WebAssembly.compile(await resp.arrayBuffer());
  }
}
compile().then((module) => self.postMessage({ module }), (err) => self.postMessage({ error: String(err && err.message || err) }));
