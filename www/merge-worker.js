// lipflow's merge worker: loads wasm_exec.js and merge.wasm (Go, GOOS=js GOARCH=wasm), which
// takes over self.onmessage. Messages that arrive before the engine is up are queued and handed
// to it (self.lipflowQueue). The protocol is documented in wasm/merge/js.go.
'use strict';
importScripts('wasm_exec.js');

self.lipflowQueue = [];
self.onmessage = (e) => { self.lipflowQueue.push(e.data); };

// The Go runtime prints panics with console.log/console.error: keep the last lines for the report.
const tail = [];
for (const name of ['log', 'error']) {
  const orig = console[name].bind(console);
  console[name] = (...args) => {
    tail.push(args.join(' '));
    if (tail.length > 40) tail.shift();
    orig(...args);
  };
}

function fatal(msg) {
  const lines = tail.filter((l) => l.trim()).slice(-12).join('\n');
  self.postMessage({ type: 'fatal', error: msg + (lines ? '\n' + lines : '') });
}

async function start() {
  const go = new Go();
  let instance;
  try {
    const resp = await fetch('merge.wasm');
    if (!resp.ok) throw new Error('merge.wasm: HTTP ' + resp.status);
    try {
      ({ instance } = await WebAssembly.instantiateStreaming(resp.clone(), go.importObject));
    } catch (e) {
      // A server that does not send application/wasm: compile from the bytes.
      ({ instance } = await WebAssembly.instantiate(await resp.arrayBuffer(), go.importObject));
    }
  } catch (e) {
    fatal('could not load the merge engine (merge.wasm): ' + (e && e.message ? e.message : e));
    return;
  }
  try {
    await go.run(instance);
    fatal('the merge engine exited');
  } catch (e) {
    fatal('the merge engine crashed: ' + (e && e.message ? e.message : e));
  }
}

start();
