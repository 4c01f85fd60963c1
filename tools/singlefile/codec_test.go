package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
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
