// lipflow single file: turn a payload back into its bytes. Runs in the page's blob workers (the
// engine's and the view's decoder), never on the main thread. A payload is gzip bytes written
// as text, "w8" (windows-1252 characters, "=" escapes) or "b7" (7 bits a character);
// tools/singlefile/codec.go states both formats.
'use strict';
self.lipflowDecode8 = function (text, n) {
  // The byte each character stands for: windows-1252 decoding, inverted.
  const chars = new TextDecoder('windows-1252').decode(Uint8Array.from({ length: 256 }, (_, b) => b));
  const byteOf = new Int16Array(0x10000).fill(-1);
  for (let b = 0; b < 256; b++) byteOf[chars.charCodeAt(b)] = b;
  const out = new Uint8Array(n);
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    let b = byteOf[text.charCodeAt(i)];
    if (b === 0x3d) b = (byteOf[text.charCodeAt(++i)] - 64) & 0xff | (i < text.length ? 0 : -1); // "=" escape
    if (b < 0 || o === n) throw new Error('payload: a bad character, or too long, at ' + i);
    out[o++] = b;
  }
  if (o !== n) throw new Error('payload: ' + o + ' bytes, want ' + n);
  return out;
};

self.lipflowDecode7 = function (text, n) {
  const UNSAFE = [0x00, 0x0d, 0x3c];
  const out = new Uint8Array(n);
  let acc = 0, bits = 0, o = 0;
  for (let i = 0; i < text.length; i++) {
    let g = text.charCodeAt(i), h = -1;
    if (g >= 0x80) {
      if (g < 0x200) { h = g & 0x7f; g = UNSAFE[(g - 0x80) >> 7]; } else { g = UNSAFE[g - 0x200]; }
      if (g === undefined) throw new Error('payload: a bad character at ' + i);
    }
    acc = (acc << 7) | g;
    bits += 7;
    if (bits >= 8) { bits -= 8; if (o < n) out[o++] = (acc >>> bits) & 0xff; acc &= (1 << bits) - 1; }
    if (h >= 0) {
      acc = (acc << 7) | h;
      bits += 7;
      if (bits >= 8) { bits -= 8; if (o < n) out[o++] = (acc >>> bits) & 0xff; acc &= (1 << bits) - 1; }
    }
  }
  if (o !== n) throw new Error('payload: ' + o + ' bytes, want ' + n);
  return out;
};

// lipflowUnpack: a payload ({text, n, enc}) -> a Promise of the original bytes (a Uint8Array).
// The gzip trailer gives their length, so the chunks are copied straight into place (collecting
// them with Response.arrayBuffer() measured 3 to 4 times slower here).
self.lipflowUnpack = async function (p) {
  const decode = { w8: self.lipflowDecode8, b7: self.lipflowDecode7 }[p.enc];
  if (!decode) throw new Error('payload: unknown encoding ' + p.enc);
  const gz = decode(p.text, p.n);
  if (gz.length < 18) throw new Error('payload: too short for gzip');
  const size = (gz[gz.length - 4] | gz[gz.length - 3] << 8 | gz[gz.length - 2] << 16 | gz[gz.length - 1] << 24) >>> 0;
  const ds = new DecompressionStream('gzip');
  const writer = ds.writable.getWriter();
  writer.write(gz).catch(() => {}); // a failure shows in the reader
  writer.close().catch(() => {});
  const out = new Uint8Array(size);
  const reader = ds.readable.getReader();
  let o = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (o + value.length > size) throw new Error('payload: longer than its gzip trailer says');
    out.set(value, o);
    o += value.length;
  }
  if (o !== size) throw new Error('payload: ' + o + ' bytes, its gzip trailer says ' + size);
  return out;
};

// lipflowCompile: a wasm payload -> a Promise of its WebAssembly.Module.
self.lipflowCompile = async function (p) {
  return WebAssembly.compile(await self.lipflowUnpack(p));
};
