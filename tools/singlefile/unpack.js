// lipflow single file: turn a payload back into its bytes. Runs in the page's blob workers (the
// engine's and the view's decoder), never on the main thread. A payload is LZMA or gzip bytes
// (its codec) written as text, "w8" (windows-1252 characters, "=" escapes) or "b7" (7 bits a
// character); tools/singlefile/codec.go states the formats.
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

// lipflowLzma: the bytes of an .lzma file (the "LZMA alone" format that `xz --format=lzma`
// writes: a 13-byte header, then one LZMA stream) -> the bytes they stand for, `size` of them
// (the header may leave its own size unknown: the stream then ends with its end marker).
// A direct reading of the format's reference decoder (LzmaSpec.cpp in the LZMA SDK, public
// domain): the whole output is the dictionary, so a match copies from what was decoded.
self.lipflowLzma = function (src, size) {
  if (src.length < 18) throw new Error('lzma: too short');
  let d = src[0];
  if (d >= 9 * 5 * 5) throw new Error('lzma: bad properties');
  const lc = d % 9; d = (d / 9) | 0;
  const lp = d % 5, pb = (d / 5) | 0;
  let known = -1; // the header's size, when it gives one
  if (!(src[5] === 0xff && src[6] === 0xff && src[7] === 0xff && src[8] === 0xff && src[9] === 0xff && src[10] === 0xff && src[11] === 0xff && src[12] === 0xff)) {
    known = src[5] + src[6] * 2 ** 8 + src[7] * 2 ** 16 + src[8] * 2 ** 24 + src[9] * 2 ** 32 + src[10] * 2 ** 40;
    if (src[11] || src[12] || known !== size) throw new Error('lzma: the header says ' + known + ' bytes, want ' + size);
  }
  const out = new Uint8Array(size);
  // The range decoder.
  let ip = 13;
  if (src[ip++] !== 0) throw new Error('lzma: corrupt stream start');
  let range = 0xffffffff, code = 0;
  for (let i = 0; i < 4; i++) code = ((code << 8) | src[ip++]) >>> 0;
  if (code === range) throw new Error('lzma: corrupt stream start');
  const bit = (p, i) => {
    const prob = p[i];
    const bound = (range >>> 11) * prob;
    let b;
    if (code < bound) { p[i] = prob + ((2048 - prob) >>> 5); range = bound; b = 0; }
    else { p[i] = prob - (prob >>> 5); code -= bound; range -= bound; b = 1; }
    if (range < 0x1000000) { range = (range * 256) >>> 0; code = ((code * 256) + src[ip++]) >>> 0; }
    return b;
  };
  const direct = (n) => {
    let r = 0;
    for (; n > 0; n--) {
      range >>>= 1;
      let b = 0;
      if (code >= range) { code -= range; b = 1; }
      r = ((r << 1) | b) >>> 0;
      if (range < 0x1000000) { range = (range * 256) >>> 0; code = ((code * 256) + src[ip++]) >>> 0; }
    }
    return r;
  };
  const probs = (n) => new Uint16Array(n).fill(1024);
  const tree = (p, base, nbits) => { let m = 1; for (let i = 0; i < nbits; i++) m = (m << 1) | bit(p, base + m); return m - (1 << nbits); };
  const reverse = (p, base, nbits) => {
    let m = 1, s = 0;
    for (let i = 0; i < nbits; i++) { const b = bit(p, base + m); m = (m << 1) | b; s |= b << i; }
    return s;
  };
  // A length coder: choice, choice 2, 16 low and 16 mid trees of 3 bits, a high tree of 8.
  const lenCoder = () => ({ c: probs(2), low: probs(16 << 3), mid: probs(16 << 3), high: probs(256) });
  const len = (L, ps) => {
    if (!bit(L.c, 0)) return tree(L.low, ps << 3, 3);
    if (!bit(L.c, 1)) return 8 + tree(L.mid, ps << 3, 3);
    return 16 + tree(L.high, 0, 8);
  };
  const lit = probs(0x300 << (lc + lp));
  const isMatch = probs(12 << 4), isRep = probs(12), isRepG0 = probs(12), isRepG1 = probs(12), isRepG2 = probs(12), isRep0Long = probs(12 << 4);
  const posSlot = probs(4 << 6), posSpecial = probs(1 + 114), align = probs(16);
  const lenC = lenCoder(), repLenC = lenCoder();
  const pbMask = (1 << pb) - 1, lpMask = (1 << lp) - 1;
  let state = 0, rep0 = 0, rep1 = 0, rep2 = 0, rep3 = 0, op = 0;
  for (;;) {
    if (known >= 0 && op === size && code === 0) break; // the header's size reached, no marker
    const ps = op & pbMask;
    if (!bit(isMatch, (state << 4) + ps)) {
      if (op === size) throw new Error('lzma: longer than ' + size + ' bytes');
      const prev = op > 0 ? out[op - 1] : 0;
      const base = 0x300 * (((op & lpMask) << lc) + (prev >> (8 - lc)));
      let s = 1;
      if (state >= 7) {
        let mb = out[op - rep0 - 1];
        do {
          const m = (mb >> 7) & 1;
          mb <<= 1;
          const b = bit(lit, base + ((1 + m) << 8) + s);
          s = (s << 1) | b;
          if (m !== b) break;
        } while (s < 0x100);
      }
      // The hottest loop: the range decoder written out, on local copies of its state.
      let r = range, c = code, q = ip;
      while (s < 0x100) {
        const k = base + s, pr = lit[k], bd = (r >>> 11) * pr;
        if (c < bd) { lit[k] = pr + ((2048 - pr) >>> 5); r = bd; s <<= 1; }
        else { lit[k] = pr - (pr >>> 5); c -= bd; r -= bd; s = (s << 1) | 1; }
        if (r < 0x1000000) { r = (r * 256) >>> 0; c = ((c * 256) + src[q++]) >>> 0; }
      }
      range = r; code = c; ip = q;
      out[op++] = s & 0xff;
      state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
      continue;
    }
    let n;
    if (bit(isRep, state)) {
      if (op === 0 || op === size) throw new Error('lzma: a bad repeated match');
      if (!bit(isRepG0, state)) {
        if (!bit(isRep0Long, (state << 4) + ps)) {
          state = state < 7 ? 9 : 11;
          out[op] = out[op - rep0 - 1];
          op++;
          continue;
        }
      } else {
        let dist;
        if (!bit(isRepG1, state)) dist = rep1;
        else {
          if (!bit(isRepG2, state)) dist = rep2;
          else { dist = rep3; rep3 = rep2; }
          rep2 = rep1;
        }
        rep1 = rep0; rep0 = dist;
      }
      n = len(repLenC, ps);
      state = state < 7 ? 8 : 11;
    } else {
      rep3 = rep2; rep2 = rep1; rep1 = rep0;
      n = len(lenC, ps);
      state = state < 7 ? 7 : 10;
      // The distance.
      const slot = tree(posSlot, (n < 3 ? n : 3) << 6, 6);
      if (slot < 4) rep0 = slot;
      else {
        const nd = (slot >>> 1) - 1;
        let dist = ((2 | (slot & 1)) << nd) >>> 0;
        if (slot < 14) dist += reverse(posSpecial, dist - slot, nd);
        else dist = (dist + ((direct(nd - 4) << 4) >>> 0) + reverse(align, 0, 4)) >>> 0;
        rep0 = dist;
      }
      if (rep0 === 0xffffffff) { // the end marker
        if (op !== size) throw new Error('lzma: ' + op + ' bytes, want ' + size);
        break;
      }
      if (op === size || rep0 >= op) throw new Error('lzma: a bad match distance');
    }
    n += 2;
    if (op + n > size) throw new Error('lzma: longer than ' + size + ' bytes');
    let from = op - rep0 - 1;
    if (rep0 === 0) { const v = out[from]; out.fill(v, op, op + n); op += n; }
    else if (n <= rep0 + 1 && n > 16) { out.copyWithin(op, from, from + n); op += n; }
    else for (const end = op + n; op < end;) out[op++] = out[from++];
  }
  return out;
};

// lipflowCrc32: the CRC-32 of b (IEEE, zlib's), as 8 hex digits.
self.lipflowCrc32 = function (b) {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  let c = -1;
  for (let i = 0; i < b.length; i++) c = table[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return ((c ^ -1) >>> 0).toString(16).padStart(8, '0');
};

// lipflowUnpack: a payload ({text, n, enc, codec, size, crc}) -> a Promise of the original
// bytes (a Uint8Array). codec 'lzma': lipflowLzma, checked against size and crc; 'gzip' (or
// none): the browser's DecompressionStream. The gzip trailer gives their length, so the chunks
// are copied straight into place (collecting them with Response.arrayBuffer() measured 3 to 4
// times slower here).
self.lipflowUnpack = async function (p) {
  const decode = { w8: self.lipflowDecode8, b7: self.lipflowDecode7 }[p.enc];
  if (!decode) throw new Error('payload: unknown encoding ' + p.enc);
  if (p.codec === 'lzma') {
    if (!(p.size > 0)) throw new Error('payload: no size');
    const out = self.lipflowLzma(decode(p.text, p.n), p.size);
    const crc = self.lipflowCrc32(out);
    if (crc !== p.crc) throw new Error('payload: CRC-32 ' + crc + ', want ' + p.crc);
    return out;
  }
  if (p.codec && p.codec !== 'gzip') throw new Error('payload: unknown codec ' + p.codec);
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
