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

// lipflowUnpack: the payload text of gzip bytes -> a Promise of the original bytes (an ArrayBuffer).
self.lipflowUnpack = function (text, n) {
  const gz = self.lipflowDecode8(text, n);
  const stream = new Blob([gz]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
};
