// lipflow's worker bootstrap, one for every page: loads wasm_exec.js and a Go program built for
// GOOS=js GOARCH=wasm, which takes over the messages. The Worker's URL names the program and,
// for a page that has one, a layer of its own in front of Go (a script of this folder):
//   worker.js                                         engine.wasm (the lab, the bench)
//   worker.js?wasm=merge.wasm                         the merge page
//   worker.js?wasm=digits.wasm&layer=digits-worker.js the digits page
//   worker.js?role=shards                             a worker of the engine's pool, started by the
//                                                     engine itself (wasm/internal/pool): engine.wasm
//                                                     serving shards of its runs' steps
// Messages that arrive before Go is up are queued and handed to it (self.lipflowQueue). The
// protocols are documented in wasm/<program>/js.go.
//
// Go sets self.onmessage once it is up: the setter below keeps its handler, and the one real
// listener hands it every message that the layer (self.lipflowLayer(m) returning true) does not
// answer. A layer talks to Go with self.lipflowGo(msg).
//
// In the single-file build (tools/singlefile) this source runs in a blob: worker after
// wasm_exec.js and unpack.js, with self.LIPFLOW_BUNDLED set: nothing is fetched, and engine.wasm
// comes from the page as the message {type: 'bundle-wasm', text, n, enc, codec, size, crc} (unpack.js decodes and
// compiles it) or {type: 'bundle-wasm', error} when the page cannot read it.
'use strict';
const bundled = self.LIPFLOW_BUNDLED === true;
const query = new URLSearchParams(self.location.search); // a blob: URL has none
const wasm = query.get('wasm') || 'engine.wasm';
const layer = query.get('layer');
self.lipflowRole = query.get('role') === 'shards' ? 'shards' : ''; // read by the Go program
// Only programs and layers of this folder: the names come from the page's own URL for the
// worker, but a slip should fail here, plainly.
const goodNames = /^[\w-]+\.wasm$/.test(wasm) && (layer === null || /^[\w-]+\.js$/.test(layer));
// The engine is "the engine"; the others are named after their program: "the merge engine".
const engineName = wasm === 'engine.wasm' ? 'the engine' : 'the ' + wasm.replace(/\.wasm$/, '') + ' engine';
const post = self.postMessage.bind(self); // before a layer wraps it for Go's replies

// When each loading stage was reached, in ms since 1970 (performance.timeOrigin + now(): the
// worker's clock has its own origin), posted to the page as {type: 'timing', times} once the
// program is instantiated; the page marks them on its own timeline (docs/performance.md).
const times = {};
const stamp = (name) => { times[name] = performance.timeOrigin + performance.now(); };
stamp('worker');

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
  post({ type: 'fatal', error: msg + (lines ? '\n' + lines : '') });
}

const message = (e) => (e && e.message) || String(e);

self.lipflowQueue = [];
let goHandler = null;
Object.defineProperty(self, 'onmessage', {
  configurable: true,
  get() { return goHandler; },
  set(fn) { goHandler = fn; },
});
self.lipflowGo = (msg) => {
  if (goHandler) goHandler({ data: msg });
  else self.lipflowQueue.push(msg);
};
let gotWasm = null;
const bundledWasm = bundled ? new Promise((resolve) => { gotWasm = resolve; }) : null;
// A pool worker is given the engine's compiled module as its first message, {type: 'module',
// module}: no second download or compilation, and the code V8 has optimized so far is shared.
let gotModule = null;
const sharedModule = self.lipflowRole ? new Promise((resolve) => { gotModule = resolve; }) : null;
self.addEventListener('message', (e) => {
  if (gotWasm && e.data && e.data.type === 'bundle-wasm') { gotWasm(e.data); gotWasm = null; return; }
  if (gotModule && e.data && e.data.type === 'module') { gotModule(e.data.module); gotModule = null; return; }
  if (self.lipflowLayer && self.lipflowLayer(e.data)) return;
  self.lipflowGo(e.data);
});

// Loaded at once, so that a script that cannot be loaded fails the Worker (its error event).
if (!bundled) importScripts('wasm_exec.js');
if (goodNames && layer) importScripts(layer);

// instance instantiates the program: fetched from the site, or from the bundle's message.
async function instance(go) {
  if (bundled) {
    const p = await bundledWasm;
    if (p.error) throw new Error(p.error);
    const module = await self.lipflowCompile(p);
    stamp('compiled');
    return WebAssembly.instantiate(module, go.importObject); // a Module gives an Instance
  }
  if (sharedModule) {
    const module = await sharedModule;
    if (module instanceof WebAssembly.Module) return WebAssembly.instantiate(module, go.importObject);
  }
  const resp = await fetch(wasm);
  if (!resp.ok) throw new Error(wasm + ': HTTP ' + resp.status);
  stamp('response');
  let module;
  try {
    module = await WebAssembly.compileStreaming(resp.clone());
  } catch (e) {
    // A server that does not send application/wasm: compile from the bytes.
    module = await WebAssembly.compile(await resp.arrayBuffer());
  }
  stamp('compiled');
  self.lipflowModule = module; // for the engine's pool (wasm/internal/pool)
  return WebAssembly.instantiate(module, go.importObject); // a Module gives an Instance
}

async function start() {
  const go = new Go();
  // The JS values Go holds references to (wasm_exec.js frees one when Go's garbage collector
  // finalizes its js.Value): the soak watches them (jsworker.MemMB).
  self.lipflowJSRefs = () => (go._values ? go._values.length - go._idPool.length : 0);
  let inst;
  try {
    inst = await instance(go);
    stamp('instantiated');
  } catch (e) {
    fatal('could not load ' + engineName + ' (' + wasm + '): ' + message(e));
    return;
  }
  post({ type: 'timing', times });
  try {
    await go.run(inst);
    fatal(engineName + ' exited');
  } catch (e) {
    fatal(engineName + ' crashed: ' + message(e));
  }
}

if (goodNames) start();
else fatal('worker.js: bad program ' + JSON.stringify(wasm) + ' or layer ' + JSON.stringify(layer));
