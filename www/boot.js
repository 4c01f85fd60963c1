// A page's first script, in its <head> before the stylesheet (a script after it would wait for
// it): it starts the page's engine worker before the page's other scripts are fetched and run
// (on two cores that took a second, during which the engine did not load:
// docs/performance.md#loading). The page's script takes the worker with lipflowBoot.take(),
// with the messages and errors that arrived before it had listeners. The worker's URL is the
// tag's data-worker (default worker.js, the lab's engine); in the single file
// (tools/singlefile) the worker comes from window.LIPFLOW_BUNDLE.
'use strict';
window.lipflowBoot = (() => {
  const url = (document.currentScript && document.currentScript.dataset.worker) || 'worker.js';
  const worker = window.LIPFLOW_BUNDLE ? window.LIPFLOW_BUNDLE.worker() : new Worker(url);
  const early = [];
  const keep = (e) => early.push(e);
  worker.addEventListener('message', keep);
  worker.addEventListener('error', keep);
  let taken = false;
  return {
    // take returns {worker, early: [events]} once; the caller replays the events.
    take() {
      if (taken) return null;
      taken = true;
      worker.removeEventListener('message', keep);
      worker.removeEventListener('error', keep);
      return { worker, early: early.splice(0) };
    },
  };
})();
