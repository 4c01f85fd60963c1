package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// decode8 reads payload text back, written from the format's statement (codec.go): "="
// and the byte plus 64, or the byte itself.
func decode8(t *testing.T, text []byte) []byte {
	t.Helper()
	var out []byte
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c == '=' {
			i++
			if i == len(text) {
				t.Fatal("the payload ends in an escape")
			}
			c = text[i] - 64
			if c != 0 && c != '\r' && c != '<' && c != '=' {
				t.Fatalf("escape of %#x, which needs none", c)
			}
		}
		out = append(out, c)
	}
	return out
}

func TestEncode8RoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 5000)
	for i := range random {
		random[i] = byte(rng.IntN(256))
	}
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	cases := map[string][]byte{
		"empty":   {},
		"every":   all,
		"random":  random,
		"unsafes": []byte("\x00\r\n<=</script><!--=="),
	}
	for c := range 256 {
		cases[fmt.Sprintf("last byte %#02x", c)] = []byte{0x55, byte(c)}
	}
	for name, in := range cases {
		text := encode8(in)
		for _, c := range text {
			if c == 0 || c == '\r' || c == '<' {
				t.Fatalf("%q: the text holds %q, which the HTML parser changes or reads as markup", name, c)
			}
		}
		if got := decode8(t, text); !bytes.Equal(got, in) {
			t.Errorf("%q: decoded % x, want % x", name, got, in)
		}
	}
	// In random bytes 4 values of 256 cost a second byte.
	if got, want := float64(len(encode8(random)))/float64(len(random)), 1+4.0/256; got > want+0.01 {
		t.Errorf("random bytes grow by %.4f, want about %.4f", got, want)
	}
}

// decode7 reads b7 text back, written from the format's statement (codec.go) rather than from
// encode7: each character gives one or two 7-bit groups, and the groups' bits, in order, are
// the bytes.
func decode7(t *testing.T, text []byte, n int) []byte {
	t.Helper()
	var bits []byte // one entry per bit
	push := func(g int) {
		for j := 6; j >= 0; j-- {
			bits = append(bits, byte(g>>j&1))
		}
	}
	for len(text) > 0 {
		r, size := utf8.DecodeRune(text)
		text = text[size:]
		switch {
		case r == utf8.RuneError:
			t.Fatal("invalid UTF-8 in the payload")
		case r < 0x80:
			push(int(r))
		case r < 0x200:
			push(int(unsafe7[(r-0x80)/128]))
			push(int(r % 128))
		case r < 0x203:
			push(int(unsafe7[r-0x200]))
		default:
			t.Fatalf("character U+%04X is not b7", r)
		}
	}
	if len(bits) < 8*n || len(bits)-8*n >= 7 {
		t.Fatalf("%d bits for %d bytes", len(bits), n)
	}
	out := make([]byte, n)
	for i := range 8 * n {
		out[i/8] |= bits[i] << (7 - i%8)
	}
	for _, b := range bits[8*n:] {
		if b != 0 {
			t.Fatal("nonzero padding")
		}
	}
	return out
}

func TestEncode7RoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 5000)
	for i := range random {
		random[i] = byte(rng.IntN(256))
	}
	cases := map[string][]byte{
		"empty":   {},
		"one":     {0xA5},
		"zeros":   make([]byte, 29), // every group unsafe (0x00), the last one too
		"ones":    bytes.Repeat([]byte{0xFF}, 13),
		"random":  random,
		"unsafes": {0x00, 0x1A, 0x78, 0x00, 0x3C, 0x0D}, // 0x00, 0x0D, 0x3C at group starts
	}
	// Every group value at the end of the input, where an unsafe group stands alone.
	for g := range 128 {
		cases[fmt.Sprintf("last group %#02x", g)] = []byte{0x55, byte(g << 1)}
	}
	for name, in := range cases {
		text := encode7(in)
		for _, c := range text {
			if c == 0 || c == '\r' || c == '<' {
				t.Fatalf("%q: the text holds %q, which the HTML parser changes or reads as markup", name, c)
			}
		}
		if !utf8.Valid(text) {
			t.Fatalf("%q: invalid UTF-8", name)
		}
		if got := decode7(t, text, len(in)); !bytes.Equal(got, in) {
			t.Errorf("%q: decoded % x, want % x", name, got, in)
		}
		// 7 bits a text byte, a two-byte character carrying 14 or (at the end) 7 bits.
		if max := (8*len(in)+6)/7 + 1; len(text) > max {
			t.Errorf("%q: %d text bytes for %d bytes, want at most %d", name, len(text), len(in), max)
		}
	}
}

// unpack.js's LZMA decoder against xz on inputs that take its every path (literals, matched
// literals, short and long repeats, distances of every slot, a run of one byte), and its
// refusal of a damaged payload.
func TestLzmaDecoder(t *testing.T) {
	if _, err := exec.LookPath("xz"); err != nil {
		t.Skip("xz missing")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	random := make([]byte, 300_000)
	for i := range random {
		random[i] = byte(rng.IntN(256))
	}
	text := []byte(strings.Repeat(unpackJS+bootstrapJS, 20))
	mixed := slices.Concat(text[:50_000], random[:70_000], make([]byte, 100_000), text, random[:70_000])
	cs := charsets["windows-1252"]
	for name, b := range map[string][]byte{"random": random, "text": text, "zeros": make([]byte, 200_000), "mixed": mixed, "one byte": {42}} {
		z, err := lzmaBest(b)
		if err != nil {
			t.Fatal(err)
		}
		p := payload{text: cs.encode(z), n: len(z), codec: "lzma", size: len(b), crc: crcHex(b)}
		got, err := runUnpack(t, p, cs)
		if err != nil {
			t.Errorf("%s: %v", name, err)
		} else if got != nil && !bytes.Equal(got, b) {
			t.Errorf("%s: unpack.js gives %d bytes unlike the input's %d", name, len(got), len(b))
		}
		if len(b) < 1000 {
			continue
		}
		// A damaged byte in the middle, a truncated stream, a wrong size: refused.
		bad := slices.Clone(z)
		bad[len(bad)/2] ^= 0x10
		for what, q := range map[string]payload{
			"a damaged byte": {text: cs.encode(bad), n: len(bad), codec: "lzma", size: len(b), crc: crcHex(b)},
			"truncated":      {text: cs.encode(z[:len(z)*3/4]), n: len(z) * 3 / 4, codec: "lzma", size: len(b), crc: crcHex(b)},
			"a wrong size":   {text: cs.encode(z), n: len(z), codec: "lzma", size: len(b) - 1, crc: crcHex(b)},
		} {
			if out, err := runUnpack(t, q, cs); err == nil && out != nil {
				t.Errorf("%s, %s: unpack.js accepted it (%d bytes)", name, what, len(out))
			}
		}
	}
}
