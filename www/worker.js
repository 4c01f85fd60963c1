// lipflow's engine worker: loads wasm_exec.js and engine.wasm (Go, GOOS=js GOARCH=wasm), which
// takes over self.onmessage. Messages that arrive before the engine is up are queued and handed
// to it (self.lipflowQueue). The protocol is documented in wasm/engine/js.go.
//
// In the single-file build (tools/singlefile) this source runs in a blob: worker after
// wasm_exec.js and unpack.js, with self.LIPFLOW_BUNDLED set: nothing is fetched, and engine.wasm
// comes from the page as the message {type: 'bundle-wasm', text, n, enc} (unpack.js decodes and
// compiles it) or {type: 'bundle-wasm', error} when the page cannot read it.
'use strict';
const bundled = self.LIPFLOW_BUNDLED === true;
if (!bundled) importScripts('wasm_exec.js');

self.lipflowQueue = [];
let gotWasm = null;
const bundledWasm = bundled ? new Promise((resolve) => { gotWasm = resolve; }) : null;
self.onmessage = (e) => {
  if (gotWasm && e.data && e.data.type === 'bundle-wasm') { gotWasm(e.data); gotWasm = null; return; }
  self.lipflowQueue.push(e.data);
};

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

// engineInstance instantiates engine.wasm: fetched from the site, or from the bundle's message.
async function engineInstance(go) {
  if (bundled) {
    const p = await bundledWasm;
    if (p.error) throw new Error(p.error);
    return WebAssembly.instantiate(await self.lipflowCompile(p), go.importObject); // an Instance
  }
  const resp = await fetch('engine.wasm');
  if (!resp.ok) throw new Error('engine.wasm: HTTP ' + resp.status);
  try {
    return (await WebAssembly.instantiateStreaming(resp.clone(), go.importObject)).instance;
  } catch (e) {
    // A server that does not send application/wasm: compile from the bytes.
    return (await WebAssembly.instantiate(await resp.arrayBuffer(), go.importObject)).instance;
  }
}

async function start() {
  const go = new Go();
  let instance;
  try {
    instance = await engineInstance(go);
  } catch (e) {
    fatal('could not load the engine (engine.wasm): ' + (e && e.message ? e.message : e));
    return;
  }
  try {
    await go.run(instance);
    fatal('the engine exited');
  } catch (e) {
    fatal('the engine crashed: ' + (e && e.message ? e.message : e));
  }
}

start();
