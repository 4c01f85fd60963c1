package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"hash/crc32"
	"os/exec"
	"unicode/utf8"
)

// The payloads (engine.wasm, view.wasm) are compressed (see packer below) and written as text inside non-executing
// <script type="application/octet-stream"> blocks, where the HTML parser keeps the characters
// as they are with three exceptions: NUL becomes U+FFFD, CR becomes LF, and "<" may start
// "</script" or "<!--". Two ways to write them, by the page's charset:
//
// w8, in a page declared windows-1252 (the default, the smallest). That encoding gives each of
// the 256 byte values its own character (the WHATWG decoder maps the five bytes that Windows
// leaves undefined to U+0081, U+008D, ...), so the bytes are written as they are, except NUL,
// CR, "<" and the escape byte "=" itself, written as "=" followed by the byte plus 64
// (0x00 -> "=@", 0x0D -> "=M", "<" -> "=|", "=" -> "=}"). In gzip's nearly uniform bytes that
// costs about 4/256 = 1.6% (base64 would cost 33%). A server that sends the file with
// charset=utf-8 garbles it beyond repair (the page then says so).
//
// b7, in a page declared UTF-8 (-charset utf-8, for hosts that force that charset): 7 bits a
// character, the idea of base-122. The bytes are read as a bit string, most significant bit
// first, in groups of 7 bits (the last padded with zeros). A group g that is not one of the
// three unsafe values 0x00, 0x0D, 0x3C is the ASCII character g; an unsafe group, the i-th of
// that list (i = 0, 1, 2), and the group h after it are the character U+0080 + 128 i + h; an
// unsafe last group is U+0200 + i (two UTF-8 bytes either way, for 14 or 7 bits). The text is
// 8/7 of the gzip bytes: 14% more.
//
// unpack.js reads either back (lipflowDecode); the block says which (data-enc) and how many
// bytes it holds (data-n), which also catches a truncated payload. The rest of the page is
// plain ASCII either way (ascii.go), so both charsets read it alike, and the policy's hashes,
// taken over UTF-8, are those of the bytes.

// charset is one way of writing the page and its payloads.
type charset struct {
	name   string // the page's <meta charset>, as document.characterSet reports it
	enc    string // data-enc of the payloads
	encode func([]byte) []byte
}

var charsets = map[string]charset{
	"windows-1252": {"windows-1252", "w8", encode8},
	"utf-8":        {"UTF-8", "b7", encode7},
}

const escape8 = '='

// escaped8 reports whether byte c must be escaped in a w8 payload.
func escaped8(c byte) bool { return c == 0x00 || c == '\r' || c == '<' || c == escape8 }

// encode8 writes b as w8 text (see above), in windows-1252.
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

// unsafe7 are the 7-bit groups that cannot stand for themselves in a b7 payload.
var unsafe7 = [3]byte{0x00, 0x0D, 0x3C}

func unsafeIndex(g byte) int {
	for i, u := range unsafe7 {
		if g == u {
			return i
		}
	}
	return -1
}

// encode7 writes b as b7 text (see above), in UTF-8.
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

// A packer compresses a payload; the block's data-codec names it for unpack.js.
//
// lzma (the default where the xz command is installed): the "LZMA alone" format of
// `xz --format=lzma` at its strongest setting, with pb=0 (wasm code has no 4-byte alignment to
// exploit: 2.5% smaller). The bytes are 29% fewer than gzip -9's (engine.wasm 1.22 -> 0.88 MB,
// view.wasm 2.57 -> 1.74 MB), which is what brings the single file under 3 MB. No browser
// decodes LZMA, so unpack.js carries a decoder (lipflowLzma, 150 lines) that runs in the
// page's blob workers; the format has no checksum, so the block also gives the CRC-32 of the
// decoded bytes (data-crc) and their length (data-size).
//
// gzip: gzip -9, undone by the browser's DecompressionStream; what the file used before, and
// the fallback where xz is missing (a 4.1 MB file).
type packer struct {
	name string
	pack func([]byte) ([]byte, error)
}

var packers = map[string]packer{
	"lzma": {"lzma", lzmaBest},
	"gzip": {"gzip", func(b []byte) ([]byte, error) { return gzipBest(b), nil }},
}

// defaultPacker is lzma when the xz command is there, else gzip (ok false).
func defaultPacker() (p packer, ok bool) {
	if _, err := exec.LookPath("xz"); err != nil {
		return packers["gzip"], false
	}
	return packers["lzma"], true
}

// lzmaBest compresses b with xz (xz-utils) into the .lzma format.
func lzmaBest(b []byte) ([]byte, error) {
	cmd := exec.Command("xz", "--format=lzma", "--lzma1=preset=9e,pb=0", "--stdout", "--quiet")
	cmd.Stdin = bytes.NewReader(b)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("xz: %v %s", err, stderr.Bytes())
	}
	return out.Bytes(), nil
}

// crcHex is the CRC-32 (IEEE, as zlib and unpack.js compute it) of b in 8 hex digits.
func crcHex(b []byte) string { return fmt.Sprintf("%08x", crc32.ChecksumIEEE(b)) }
