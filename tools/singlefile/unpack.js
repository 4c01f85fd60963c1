// lipflow single file: turn a payload back into its bytes. Runs in the page's blob workers (the
// engine's and the view's decoder), never on the main thread. The text is "b7" (7 bits a
// character, tools/singlefile/codec.go states the format) of the gzip bytes.
'use strict';
self.lipflowDecode7 = function (text, n) {
  const UNSAFE = [0x00, 0x0d, 0x3c];
  const out = new Uint8Array(n);
  let acc = 0, bits = 0, o = 0;
  for (let i = 0; i < text.length; i++) {
    let g = text.charCodeAt(i), h = -1;
    if (g >= 0x80) {
      if (g < 0x200) { h = g & 0x7f; g = UNSAFE[(g - 0x80) >> 7]; } else { g = UNSAFE[g - 0x200]; }
      if (g === undefined) throw new Error('payload: bad character at ' + i);
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

// lipflowUnpack: b7 text of gzip bytes -> a Promise of the original bytes (an ArrayBuffer).
self.lipflowUnpack = function (text, n) {
  const gz = self.lipflowDecode7(text, n);
  const stream = new Blob([gz]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
};
