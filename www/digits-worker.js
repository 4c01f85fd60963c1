// The digits page's layer in front of Go (wasm/digits/, whose protocol is in its js.go): the
// page's worker is worker.js?wasm=digits.wasm&layer=digits-worker.js, which loads this script
// before Go and hands it every message first (self.lipflowLayer).
//
// This thin layer keeps the autoencoder's weights file (about 5 MB of JSON) off the page's
// main thread: cloning it into IndexedDB there took about 100 ms in one piece, and receiving it
// about 30 ms. The page asks this layer, which talks to Go with its own requests:
//   {type:'ae-store', id, key}   Go's ae-export, put in IndexedDB under key (the newest
//                                KEEP are kept) -> {type:'ae-store', id} or {..., error}
//   {type:'ae-load', id, key}    the weights stored under key, if any, imported by Go's
//                                ae-import -> {type:'ae-load', id, found: false} or
//                                {type:'ae-load', id, found: true, ae, heldout_loss} or
//                                {..., error} (a stored file Go refuses is deleted)
//   {type:'ae-import-file', id, file: File, limit}  the file read here (refused over limit
//                                bytes), then Go's ae-import -> Go's reply, type 'ae-import'
//   {type:'ae-export-blob', id}  Go's ae-export as a Blob -> {type:'ae-export', id, blob}
// Everything else goes to Go as it is. The layer's names stay inside its function: it shares
// worker.js's global scope.
'use strict';
(() => {
  self.lipflowLayer = layer;

  // Go's replies to this layer's own requests (string ids 'w1', 'w2', ...) come back here.
  const realPost = self.postMessage.bind(self);
  const pending = new Map();
  let nextId = 1;
  self.postMessage = function (m, transfer) {
    if (m && typeof m.id === 'string' && pending.has(m.id)) {
      const resolve = pending.get(m.id);
      pending.delete(m.id);
      resolve(m);
      return;
    }
    realPost(m, transfer || []);
  };
  function toGo(msg) {
    const id = 'w' + nextId++;
    msg.id = id;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      self.lipflowGo(msg);
    });
  }

  // ---------- IndexedDB: the trained autoencoders of this browser ----------
  const DB_NAME = 'lipflow-digits', STORE = 'autoencoders', META = 'saved', KEEP = 4;
  function openDB() {
    return new Promise((resolve, reject) => {
      const r = indexedDB.open(DB_NAME, 2);
      r.onupgradeneeded = () => {
        const db = r.result;
        if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE);
        if (!db.objectStoreNames.contains(META)) db.createObjectStore(META);
      };
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error || new Error('IndexedDB could not be opened'));
      r.onblocked = () => reject(new Error('IndexedDB is held by another tab of an older page'));
    });
  }
  // tx runs fn(stores) in one transaction and resolves with what fn's last request gave.
  async function tx(mode, fn) {
    const db = await openDB();
    try {
      return await new Promise((resolve, reject) => {
        const t = db.transaction([STORE, META], mode);
        let last;
        const req = fn(t.objectStore(STORE), t.objectStore(META));
        if (req) req.onsuccess = () => { last = req.result; };
        t.oncomplete = () => resolve(last);
        t.onerror = () => reject(t.error || new Error('IndexedDB transaction failed'));
        t.onabort = () => reject(t.error || new Error('IndexedDB transaction aborted'));
      });
    } finally { db.close(); }
  }
  // prune keeps the KEEP most recently stored autoencoders, in one transaction: their times are
  // in META (no weights are read to find them); weights without a time go too.
  async function prune() {
    const db = await openDB();
    try {
      await new Promise((resolve, reject) => {
        const t = db.transaction([STORE, META], 'readwrite');
        const s = t.objectStore(STORE), meta = t.objectStore(META);
        const mk = meta.getAllKeys();
        mk.onsuccess = () => {
          const mv = meta.getAll();
          mv.onsuccess = () => {
            const sk = s.getAllKeys();
            sk.onsuccess = () => {
              const order = mk.result.map((k, i) => [(mv.result[i] && mv.result[i].savedAt) || 0, k]).sort((x, y) => x[0] - y[0]);
              const drop = order.slice(0, Math.max(0, order.length - KEEP)).map(([, k]) => k);
              for (const k of sk.result) if (!mk.result.includes(k)) drop.push(k);
              for (const k of drop) { s.delete(k); meta.delete(k); }
            };
          };
        };
        t.oncomplete = () => resolve();
        t.onerror = () => reject(t.error || new Error('IndexedDB transaction failed'));
        t.onabort = () => reject(t.error || new Error('IndexedDB transaction aborted'));
      });
    } finally { db.close(); }
  }

  const message = (e) => (e && e.message) || String(e);

  // layer answers the messages that are its own; it reports whether it did.
  function layer(m) {
    if (!m || typeof m !== 'object') return false;
    switch (m.type) {
      case 'ae-store': store(m); return true;
      case 'ae-load': load(m); return true;
      case 'ae-import-file': importFile(m); return true;
      case 'ae-export-blob': exportBlob(m); return true;
    }
    return false;
  }

  // Go is asked for the file at once, so that it exports the autoencoder of this moment (it
  // handles messages in order); the IndexedDB work runs one store after the other.
  let storing = Promise.resolve();
  function store(m) {
    const exported = toGo({ type: 'ae-export' });
    storing = storing.then(() => storeNow(m, exported));
  }
  async function storeNow(m, exported) {
    try {
      const r = await exported;
      if (r.error) throw new Error(r.error);
      await tx('readwrite', (s, meta) => { s.put(r.json, m.key); return meta.put({ savedAt: Date.now() }, m.key); });
      await prune();
      realPost({ type: 'ae-store', id: m.id });
    } catch (e) {
      realPost({ type: 'ae-store', id: m.id, error: message(e) });
    }
  }

  async function load(m) {
    let json;
    try {
      json = await tx('readonly', (s) => s.get(m.key));
    } catch (e) {
      realPost({ type: 'ae-load', id: m.id, found: false, note: message(e) });
      return;
    }
    if (typeof json !== 'string') {
      realPost({ type: 'ae-load', id: m.id, found: false });
      return;
    }
    const r = await toGo({ type: 'ae-import', json });
    if (r.error) {
      try { await tx('readwrite', (s, meta) => { s.delete(m.key); return meta.delete(m.key); }); } catch (e) { /* nothing to do */ }
      realPost({ type: 'ae-load', id: m.id, found: true, error: r.error });
      return;
    }
    try { await tx('readwrite', (s, meta) => meta.put({ savedAt: Date.now() }, m.key)); } catch (e) { /* the order only */ }
    realPost({ type: 'ae-load', id: m.id, found: true, ae: r.ae, heldout_loss: r.heldout_loss });
  }

  async function importFile(m) {
    const f = m.file;
    if (!f || typeof f.text !== 'function') {
      realPost({ type: 'ae-import', id: m.id, error: 'not a file' });
      return;
    }
    if (m.limit > 0 && f.size > m.limit) {
      realPost({ type: 'ae-import', id: m.id, error: `${(f.size / 1048576).toFixed(1)} MB, larger than the ${(m.limit / 1048576).toFixed(0)} MB limit of a weights file` });
      return;
    }
    let json;
    try { json = await f.text(); } catch (e) {
      realPost({ type: 'ae-import', id: m.id, error: 'could not be read: ' + message(e) });
      return;
    }
    const r = await toGo({ type: 'ae-import', json });
    r.id = m.id;
    realPost(r);
  }

  async function exportBlob(m) {
    const r = await toGo({ type: 'ae-export' });
    if (r.error) realPost({ type: 'ae-export', id: m.id, error: r.error });
    else realPost({ type: 'ae-export', id: m.id, blob: new Blob([r.json], { type: 'application/json' }) });
  }
})();
