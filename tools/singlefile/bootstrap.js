// lipflow single file (dist/lipflow.html, written by tools/singlefile): window.LIPFLOW_BUNDLE
// hands lipflow.js its engine worker and the view its wasm, both from blocks of this page, so
// that nothing is fetched. The heavy work (decoding, unpacking) happens in blob workers.
'use strict';
(() => {
  const text = (id) => document.getElementById(id).textContent;
  // When each stage was reached (performance.now(), ms from the navigation), for the report.
  const times = {};
  const mark = (name) => { times[name] = Math.round(performance.now()); };
  // The payloads sit at the end of the page: wait until it is parsed.
  const parsed = new Promise((resolve) => {
    if (document.readyState !== 'loading') resolve();
    else document.addEventListener('DOMContentLoaded', () => resolve(), { once: true });
  }).then(() => mark('parsed'));
  // A payload is text in the page's charset (codec.go): w8 in windows-1252, b7 in UTF-8. A
  // server that sends the file with another charset has garbled it beyond repair: say so.
  const payload = (id) => {
    const el = document.getElementById(id);
    const want = el.dataset.enc === 'b7' ? 'UTF-8' : 'windows-1252';
    if (document.characterSet !== want) {
      return { error: 'this file was read as ' + document.characterSet + ', not ' + want + ' (a server sent it with ' +
        'that charset): open it from disk, or serve it with no charset or charset=' + want };
    }
    return { text: el.textContent, n: Number(el.dataset.n), enc: el.dataset.enc, codec: el.dataset.codec || 'gzip', size: Number(el.dataset.size), crc: el.dataset.crc };
  };
  function blobWorker(sources) {
    const url = URL.createObjectURL(new Blob(sources, { type: 'text/javascript' }));
    const w = new Worker(url);
    // The worker reads its script after the constructor returns: the URL goes once it has run.
    const revoke = () => URL.revokeObjectURL(url);
    w.addEventListener('message', revoke, { once: true });
    w.addEventListener('error', revoke, { once: true });
    return w;
  }
  window.LIPFLOW_BUNDLE = Object.freeze({
    times,
    // The engine worker: wasm_exec.js and worker.js, told that they are bundled; engine.wasm
    // follows as a message (worker.js queues the page's messages until the engine is up).
    worker() {
      const w = blobWorker([text('lipflow-unpack-js'), '\nself.LIPFLOW_BUNDLED = true;\n', text('lipflow-worker-js')]);
      mark('worker');
      parsed.then(() => w.postMessage({ type: 'bundle-wasm', ...payload('lipflow-engine-wasm') }));
      w.addEventListener('message', () => mark('engineUp'), { once: true });
      return w;
    },
    // view.wasm compiled (a Promise of a WebAssembly.Module), asked for by view.js in the
    // view's iframe: a worker decodes and compiles it, the module is handed over.
    viewModule() {
      mark('viewAsked');
      return parsed.then(() => new Promise((resolve, reject) => {
        const p = payload('lipflow-view-wasm');
        if (p.error) { reject(new Error('view.wasm: ' + p.error)); return; }
        const w = blobWorker([text('lipflow-unpack-js'), `
self.onmessage = (e) => self.lipflowCompile(e.data).then(
  (module) => self.postMessage({ module }),
  (err) => self.postMessage({ error: String(err && err.message || err) }));
`]);
        w.onmessage = (e) => {
          w.terminate();
          if (e.data.error) reject(new Error('view.wasm: ' + e.data.error));
          else { mark('viewCompiled'); resolve(e.data.module); }
        };
        w.onerror = (e) => { w.terminate(); reject(new Error('view.wasm: ' + e.message)); };
        w.postMessage(p);
      }));
    },
  });
})();
