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

// lipflowStream: a payload ({text, n, enc}) -> a stream of the original bytes.
self.lipflowStream = function (p) {
  const decode = { w8: self.lipflowDecode8, b7: self.lipflowDecode7 }[p.enc];
  if (!decode) throw new Error('payload: unknown encoding ' + p.enc);
  return new Blob([decode(p.text, p.n)]).stream().pipeThrough(new DecompressionStream('gzip'));
};

// lipflowUnpack: a payload -> a Promise of the original bytes (an ArrayBuffer).
self.lipflowUnpack = async function (p) {
  return new Response(self.lipflowStream(p)).arrayBuffer();
};

// lipflowCompile: a wasm payload -> a Promise of its WebAssembly.Module, compiled as it is
// decompressed.
self.lipflowCompile = async function (p) {
  const wasm = new Response(self.lipflowStream(p), { headers: { 'Content-Type': 'application/wasm' } });
  return WebAssembly.compileStreaming(wasm);
};
