package main

import (
	"bytes"
	"compress/gzip"
)

// The payloads (engine.wasm, view.wasm) are gzip-compressed (the page undoes it with
// DecompressionStream) and written, byte for byte, inside non-executing
// <script type="application/octet-stream"> blocks of a page declared windows-1252. That
// encoding gives each of the 256 byte values its own character (the WHATWG decoder maps the
// five bytes that Windows leaves undefined to U+0081, U+008D, ...), and in a script element the
// HTML parser keeps the characters as they are with three exceptions: NUL becomes U+FFFD, CR
// becomes LF, and "<" may start "</script" or "<!--". So those bytes, and the escape byte "="
// itself, are written as "=" followed by the byte plus 64 (0x00 -> "=@", 0x0D -> "=M",
// "<" -> "=|", "=" -> "=}"); every other byte stands for itself. In gzip's nearly uniform
// bytes that costs about 4/256 = 1.6% (base64 would cost 33%, 7 bits a UTF-8 character 14%).
// unpack.js reads the characters back (lipflowDecode8); the decoded length is given beside the
// text (data-n), which also catches a truncated payload.
//
// The rest of the page must then be plain ASCII, so that windows-1252 and UTF-8 read it alike
// (and the policy's hashes, taken over UTF-8, are those of the bytes): ascii.go escapes every
// other character in markup, scripts and styles.

const escape8 = '='

// escaped8 reports whether byte c must be escaped in a payload.
func escaped8(c byte) bool { return c == 0x00 || c == '\r' || c == '<' || c == escape8 }

// encode8 writes b as payload text (see above), in windows-1252.
func encode8(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/50+16)
	for _, c := range b {
		if escaped8(c) {
			out = append(out, escape8, c+64)
		} else {
			out = append(out, c)
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
