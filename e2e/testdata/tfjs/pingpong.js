// A worker for pingpong.html: it echoes every message (transferring its buffer back), or, asked
// with {nest: true}, starts a nested worker of itself and times round trips to it, as the
// engine's pool does (wasm/internal/pool). No Go: what postMessage alone costs.
'use strict';
async function trips(target, n, make) {
  let post = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const [msg, transfer] = make();
    const reply = new Promise((resolve) => { target.onmessage = (e) => resolve(e.data); });
    const a = performance.now();
    target.postMessage(msg, transfer);
    post += performance.now() - a;
    await reply;
  }
  return { roundTripMs: (performance.now() - t0) / n, postMs: post / n };
}
self.trips = trips;
// memory holds a WebAssembly.Memory of the size asked for ({memMB}): a Go program's worker
// has one of some hundred MB, which a plain worker lacks.
let memory = null;
self.onmessage = async (e) => {
  const d = e.data;
  if (d && d.memMB !== undefined) {
    memory = d.memMB ? new WebAssembly.Memory({ initial: d.memMB * 16 }) : null;
    if (memory) new Uint8Array(memory.buffer).fill(1);
    self.postMessage({ ok: true });
    return;
  }
  if (d && d.nest) {
    const child = new Worker('pingpong.js');
    const out = {};
    for (const mb of [0, 256]) {
      memory = mb ? new WebAssembly.Memory({ initial: mb * 16 }) : null;
      if (memory) new Uint8Array(memory.buffer).fill(1);
      await trips(child, 1, () => [{ memMB: mb }, []]);
      for (const [name, make] of Object.entries(self.kinds())) {
        await trips(child, 20, make);
        out[name + (mb ? ', ' + mb + ' MB wasm memory on both sides' : '')] = await trips(child, d.n, make);
      }
    }
    child.terminate();
    self.postMessage(out);
    return;
  }
  if (d && d.buf) self.postMessage(d, [d.buf]);
  else self.postMessage(d);
};
self.kinds = () => ({
  tiny: () => [{ a: 1 }, []],
  '358 KB transferred': () => { const b = new ArrayBuffer(358560); return [{ buf: b }, [b]]; },
});
