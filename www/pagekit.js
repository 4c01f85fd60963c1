// The page side of lipflow's worker pages, written once for the lab and the digits page: the
// message box, requests answered under their id, and the hold that stops a page's run while it
// is out of sight. (The worker side is wasm/internal/runner.)
'use strict';
window.lipflowPage = (function () {
  // messages returns show(text, kind) for the box: newest first, at most keep of them; an error
  // (the default kind) stays until dismissed, 'info' goes after 12 s, 'warn' stays.
  function messages(box, keep) {
    return function show(text, kind) {
      kind = kind || 'error';
      const div = document.createElement('div');
      div.className = 'msg ' + kind;
      const span = document.createElement('span');
      span.textContent = text;
      const x = document.createElement('button');
      x.textContent = '×';
      x.title = 'dismiss';
      x.onclick = () => div.remove();
      div.append(span, x);
      box.prepend(div);
      while (box.children.length > keep) box.lastChild.remove();
      if (kind === 'info') setTimeout(() => div.remove(), 12000);
      return div;
    };
  }

  // channel numbers the requests posted to worker and settles each with the reply that carries
  // its id. After die(reason) every waiting and later request is rejected with reason.
  function channel(worker) {
    let nextId = 1, dead = null;
    const waiting = new Map(); // id -> {resolve, reject, type}
    return {
      request(msg, transfer) {
        if (dead) return Promise.reject(new Error(dead));
        const id = nextId++;
        msg.id = id;
        return new Promise((resolve, reject) => {
          waiting.set(id, { resolve, reject, type: msg.type });
          worker.postMessage(msg, transfer || []);
        });
      },
      // post sends a message that wants no reply, under an id of its own.
      post(msg) { msg.id = nextId++; worker.postMessage(msg); },
      waits(id) { return id !== undefined && waiting.has(id); },
      // answer resolves the request m answers; it reports whether one was waiting.
      answer(m) {
        const w = waiting.get(m.id);
        if (!w) return false;
        waiting.delete(m.id);
        w.resolve(m);
        return true;
      },
      // fail rejects the request with id, or (id undefined) the oldest one whose type is not
      // in except; it reports whether one was waiting.
      fail(id, err, except) {
        for (const [k, w] of waiting) {
          if (id !== undefined ? k !== id : (except || []).includes(w.type)) continue;
          waiting.delete(k);
          w.reject(err);
          return true;
        }
        return false;
      },
      die(reason) {
        if (dead) return;
        dead = reason;
        for (const [, w] of waiting) w.reject(new Error(reason));
        waiting.clear();
      },
      dead() { return dead; },
    };
  }

  // hold tells worker ({type: 'hold', on}) when the page goes out of sight and comes back: a
  // background tab, or an embed scrolled out of view (in an iframe the observer's implicit root
  // is the top-level viewport, so scrolling the host page counts). The worker then neither
  // steps nor posts frames. It returns a function that reports whether the page is held.
  function hold(worker) {
    let inView = true, pageVisible = !document.hidden, held = false;
    const update = () => {
      const h = !(inView && pageVisible);
      if (h !== held) { held = h; worker.postMessage({ type: 'hold', on: h }); }
    };
    document.addEventListener('visibilitychange', () => { pageVisible = !document.hidden; update(); });
    if ('IntersectionObserver' in window) {
      new IntersectionObserver((es) => { inView = es[es.length - 1].isIntersecting; update(); })
        .observe(document.documentElement);
    }
    return () => held;
  }

  // mark puts 'lipflow:' + name on the page's performance timeline (performance.mark), once:
  // the load-time benchmark (e2e/loadtime_test.go) reads these moments, named in
  // docs/performance.md. at, if given, is a time in ms since 1970 (a worker's or an iframe's
  // performance.timeOrigin + now(): their clocks have origins of their own).
  const marked = new Set();
  function mark(name, at) {
    if (marked.has(name)) return;
    marked.add(name);
    try {
      if (at === undefined) performance.mark('lipflow:' + name);
      else performance.mark('lipflow:' + name, { startTime: Math.max(0, at - performance.timeOrigin) });
    } catch (e) { /* a browser without User Timing level 3: no marks, nothing else lost */ }
  }
  // marks marks every stage of times ({stage: ms since 1970}) as prefix + stage.
  function marks(prefix, times) {
    for (const [k, t] of Object.entries(times || {})) if (Number.isFinite(t)) mark(prefix + k, t);
  }

  return { messages, channel, hold, mark, marks };
})();
