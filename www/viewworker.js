// The full view's helper (www/view.js), off the page's main thread. Two jobs, each asked by a
// message:
//   {probe: SOURCE}  answers {gl: {known, webgl2, any, renderer, software}}: does a WebGL2
//                    context come, on a GPU (any: where none does, does one come at all)? SOURCE is view.js's pattern of software renderers. Creating
//                    a context with software GL blocks the thread that asks (0.1-1.8 s here), so
//                    the page asks this worker and never makes one where the answer is software.
//   {compile: true}  compiles view.wasm and answers {module} (a WebAssembly.Module, cloned to
//                    the view's window) or {error}: the streaming compilation's share of the
//                    main thread was 0.7-1 s of long tasks on two cores (docs/performance.md).
// A worker's answer on whether there is WebGL2 at all is not the page's (Chromium with
// --disable-3d-apis gives a worker a WebGL2 context and the page none): the page still probes
// for itself where this answer lets it start the full view.
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

// probe makes a WebGL2 context that the browser would refuse if it were slow
// (failIfMajorPerformanceCaveat), reads its renderer and lets it go. known is false where a
// worker cannot tell (no OffscreenCanvas).
function probe(software) {
  if (typeof OffscreenCanvas !== 'function') return { known: false };
  let gl = null;
  try {
    gl = new OffscreenCanvas(1, 1).getContext('webgl2', { failIfMajorPerformanceCaveat: true });
  } catch (e) {
    return { known: false };
  }
  if (!gl) return { known: true, webgl2: false, any: anyWebGL2(), renderer: '', software: false };
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) || '');
  const lose = gl.getExtension('WEBGL_lose_context');
  if (lose) lose.loseContext();
  return { known: true, webgl2: true, renderer, software: new RegExp(software, 'i').test(renderer) };
}

// anyWebGL2 says whether a WebGL2 context comes at all, slow or not: where none does, the page
// offers no way to start the full view.
function anyWebGL2() {
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl) return false;
    const lose = gl.getExtension('WEBGL_lose_context');
    if (lose) lose.loseContext();
    return true;
  } catch (e) {
    return false;
  }
}

self.onmessage = (e) => {
  const d = e.data || {};
  if (typeof d.probe === 'string') self.postMessage({ gl: probe(d.probe) });
  if (d.compile) compile().then((module) => self.postMessage({ module }), (err) => self.postMessage({ error: String(err && err.message || err) }));
};
