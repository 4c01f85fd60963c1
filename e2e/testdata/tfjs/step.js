// The step of bench.html (flow.BenchmarkStep with f = kl-dv) in TF.js, as tools/torchbench/step.py
// writes it in PyTorch: a ReLU 32-32-32 discriminator phi on 2D points; 5 inner steps of plain
// SGD (lr 0.01) on J = mean phi(Y) - log mean exp phi(X), each followed by the Frobenius
// projection of every weight matrix to norm L^(1/4) (L = 1); then the move Y <- Y - dt grad phi(Y)
// (dt = 0.1). Y starts at N((10,10), I), X is Student-t(0.5). The time per step is the median
// over the timed steps after two warm-up steps, each step ending when its particles are read back.
'use strict';
(async function () {
  const q = new URLSearchParams(location.search);
  const n = parseInt(q.get('n') || '200', 10);
  const steps = parseInt(q.get('steps') || '10', 10);
  const threads = parseInt(q.get('threads') || '1', 10);
  const result = document.getElementById('result');
  const finish = (obj) => { result.textContent = JSON.stringify(obj); document.body.dataset.done = '1'; };
  try {
    tf.wasm.setWasmPaths(new URL('./', location.href).href);
    tf.wasm.setThreadsCount(threads);
    await tf.setBackend('wasm');
    await tf.ready();

    // A seeded generator (mulberry32), Box-Muller normals, and Student-t(nu) = Z / sqrt(V / nu)
    // with V ~ chi2(nu) = 2 Gamma(nu / 2) (Marsaglia-Tsang, boosted for a shape below 1).
    let s = 1;
    const unif = () => { s = (s + 0x6D2B79F5) | 0; let t = Math.imul(s ^ (s >>> 15), 1 | s); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296; };
    const normal = () => Math.sqrt(-2 * Math.log(unif())) * Math.cos(2 * Math.PI * unif());
    const gamma = (a) => {
      if (a < 1) return gamma(a + 1) * Math.pow(unif(), 1 / a);
      const d = a - 1 / 3, c = 1 / Math.sqrt(9 * d);
      for (;;) {
        let x, v;
        do { x = normal(); v = 1 + c * x; } while (v <= 0);
        v = v * v * v;
        if (Math.log(unif()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
      }
    };
    const nu = 0.5;
    const ys = new Float32Array(2 * n), xs = new Float32Array(2 * n);
    for (let i = 0; i < 2 * n; i++) {
      ys[i] = 10 + normal();
      let t;
      do { t = normal() / Math.sqrt(2 * gamma(nu / 2) / nu); } while (!Number.isFinite(Math.fround(t)));
      xs[i] = t;
    }
    const Y = tf.variable(tf.tensor2d(ys, [n, 2]));
    const X = tf.tensor2d(xs, [n, 2]);

    const sizes = [2, 32, 32, 32, 1];
    const W = [], b = [];
    for (let i = 0; i + 1 < sizes.length; i++) {
      const w = new Float32Array(sizes[i] * sizes[i + 1]);
      for (let k = 0; k < w.length; k++) w[k] = normal() * Math.sqrt(2 / sizes[i]);
      W.push(tf.variable(tf.tensor2d(w, [sizes[i], sizes[i + 1]])));
      b.push(tf.variable(tf.zeros([sizes[i + 1]])));
    }
    const phi = (x) => {
      let h = x;
      for (let i = 0; i < W.length; i++) {
        h = tf.add(tf.matMul(h, W[i]), b[i]);
        if (i + 1 < W.length) h = tf.relu(h);
      }
      return h;
    };
    const inner = 5, lr = 0.01, dt = 0.1, c = Math.pow(1, 1 / W.length), logm = Math.log(n);
    const opt = tf.train.sgd(lr);
    const vars = [...W, ...b];
    const gradY = tf.grad((y) => phi(y).sum());

    async function step() {
      for (let k = 0; k < inner; k++) {
        opt.minimize(() => tf.neg(tf.sub(tf.mean(phi(Y)), tf.sub(tf.logSumExp(phi(X)), logm))), false, vars);
        tf.tidy(() => { for (const w of W) w.assign(tf.mul(w, tf.div(c, tf.norm(w)))); });
      }
      tf.tidy(() => Y.assign(tf.sub(Y, tf.mul(gradY(Y), dt))));
      await Y.data();
    }

    for (let k = 0; k < 2; k++) await step();
    const times = [];
    for (let k = 0; k < steps; k++) {
      const t0 = performance.now();
      await step();
      times.push(performance.now() - t0);
    }
    times.sort((a, b2) => a - b2);
    const y = await Y.data();
    finish({
      backend: tf.getBackend(), version: tf.version.tfjs, n, steps, threads: tf.wasm.getThreadsCount(),
      isolated: self.crossOriginIsolated === true,
      simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'), multithread: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'), ms_per_step: times[times.length >> 1],
      finite: y.every(Number.isFinite), user_agent: navigator.userAgent,
    });
  } catch (e) {
    finish({ error: String(e && e.stack || e) });
  }
})();
