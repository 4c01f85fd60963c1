package main

import (
	"bytes"
	"compress/gzip"
	"unicode/utf8"
)

// The payloads (engine.wasm, view.wasm) are gzip-compressed (the page undoes it with
// DecompressionStream) and then written as text inside a non-executing
// <script type="application/octet-stream">, whose content the HTML parser hands over verbatim
// except for three things: NUL becomes U+FFFD, CR becomes LF, and "<" may start "</script" or
// "<!--". So the text carries 7 bits a character ("b7", the idea of base-122):
//
//   - the bytes are read as a bit string, most significant bit first, in groups of 7 bits (the
//     last group padded with zeros);
//   - a group g that is not one of the three unsafe values 0x00, 0x0D, 0x3C is the ASCII
//     character g (one UTF-8 byte);
//   - an unsafe group, the i-th of that list (i = 0, 1, 2), and the group h after it are the
//     character U+0080 + 128 i + h; an unsafe last group is U+0200 + i (two UTF-8 bytes either
//     way, so 14 or 7 bits in two bytes).
//
// A file byte carries 7 bits, so the text is 8/7 of the gzip bytes (base64: 4/3): about 14%
// smaller than base64. unpack.js decodes it (lipflowDecode7); the decoded length is given
// beside the text (data-n), which also catches a truncated payload.

// unsafe7 are the 7-bit groups that cannot stand for themselves in the page.
var unsafe7 = [3]byte{0x00, 0x0D, 0x3C}

func unsafeIndex(g byte) int {
	for i, u := range unsafe7 {
		if g == u {
			return i
		}
	}
	return -1
}

// encode7 writes b as b7 text (see above).
func encode7(b []byte) []byte {
	groups := (8*len(b) + 6) / 7
	out := make([]byte, 0, groups+groups/32+8)
	// group returns the k-th 7-bit group of b, zero-padded past the end.
	group := func(k int) byte {
		var g byte
		for j := 0; j < 7; j++ {
			bit := 7*k + j
			g <<= 1
			if bit < 8*len(b) {
				g |= b[bit/8] >> (7 - bit%8) & 1
			}
		}
		return g
	}
	for k := 0; k < groups; k++ {
		g := group(k)
		i := unsafeIndex(g)
		switch {
		case i < 0:
			out = append(out, g)
		case k+1 < groups:
			k++
			out = utf8.AppendRune(out, rune(0x80+128*i+int(group(k))))
		default:
			out = utf8.AppendRune(out, rune(0x200+i))
		}
	}
	return out
}

// gzipBest compresses b at the best level, with no name or time in the header, so the
// same input gives the same file.
func gzipBest(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // the level is valid
	w.Write(b)                                              // a bytes.Buffer does not fail
	w.Close()
	return buf.Bytes()
}
