// lipflow single file: turn a payload back into its bytes. Runs in the page's blob workers (the
// engine's and the view's decoder), never on the main thread. The payload is the gzip bytes
// written as windows-1252 characters, with "=" escapes for NUL, CR, "<" and "=" itself
// (tools/singlefile/codec.go states the format).
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

// lipflowStream: the payload -> a stream of the original bytes.
self.lipflowStream = function (text, n) {
  return new Blob([self.lipflowDecode8(text, n)]).stream().pipeThrough(new DecompressionStream('gzip'));
};

// lipflowUnpack: the payload -> a Promise of the original bytes (an ArrayBuffer).
self.lipflowUnpack = function (text, n) {
  return new Response(self.lipflowStream(text, n)).arrayBuffer();
};

// lipflowCompile: a wasm payload -> a Promise of its WebAssembly.Module, compiled as it is
// decompressed.
self.lipflowCompile = function (text, n) {
  const wasm = new Response(self.lipflowStream(text, n), { headers: { 'Content-Type': 'application/wasm' } });
  return WebAssembly.compileStreaming(wasm);
};
