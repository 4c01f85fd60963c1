'use strict';
(function () {
  const q = new URLSearchParams(location.search);
  const settings = { f: 'kl-dv', n: 200, m: 200 };
  // Any engine setting by its name (www/settings.js, from flow.SettingTable), method included.
  // steps is the number timed, not the run's length.
  for (const t of window.LIPFLOW_SETTINGS) if (t.name !== 'steps' && q.has(t.name)) settings[t.name] = q.get(t.name);
  // workers: the threads computing a step, the engine included (1, 2, ... or all: the engine's
  // default, navigator.hardwareConcurrency capped); not a setting of the run.
  const workersParam = q.get('workers') || 'all';
  const workers = workersParam === 'all' ? 0 : Number(workersParam);
  // minrows: the batch size (n + m) from which the pool shares a step (flow.RemoteMinRows unless
  // given), to measure where it starts to pay.
  const minRows = q.has('minrows') ? Math.max(1, parseInt(q.get('minrows'), 10) || 1) : undefined;
  const steps = q.has('steps') ? Math.max(1, parseInt(q.get('steps'), 10) || 20) : 20;
  const result = document.getElementById('result');
  const stateEl = document.getElementById('state');
  function finish(obj) {
    result.textContent = JSON.stringify(obj);
    stateEl.textContent = obj.error ? 'failed' : 'done';
    document.body.dataset.done = '1';
  }
  const worker = new Worker('worker.js');
  worker.onerror = (e) => finish({ error: 'worker: ' + (e.message || 'could not start') });
  worker.onmessage = (e) => {
    const m = e.data;
    if (m.type === 'ready') {
      worker.postMessage({ type: 'workers', id: 1, n: workers });
    } else if (m.type === 'workers') {
      if (m.error) { finish({ error: m.error, settings }); return; }
      stateEl.textContent = `running ${steps} steps…`;
      worker.postMessage({ type: 'bench', id: 1, settings, steps, minRows });
    } else if (m.type === 'fatal') {
      finish({ error: m.error });
    } else if (m.type === 'bench') {
      if (m.error) { finish({ error: m.error, settings }); return; }
      const r = m.result;
      finish({
        n: r.n, m: r.m, width: r.width, depth: r.depth, inner: r.inner, steps: r.steps, f: r.f, method: r.method, dim: r.dim,
        workers: r.workers, pool_lost: r.pool_lost || undefined, pool_wait_ms: r.pool_wait_ms, pool_serve_ms: r.pool_serve_ms, pool_trips: r.pool_trips,
        min_rows: r.min_rows || undefined,
        ms_per_step: Math.round(r.ms_per_step * 1000) / 1000, total_ms: Math.round(r.total_ms * 10) / 10,
        user_agent: navigator.userAgent, go_version: r.go_version,
      });
      worker.terminate();
    }
  };
})();
