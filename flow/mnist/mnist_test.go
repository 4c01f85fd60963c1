package mnist

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"os"
	"strings"
	"testing"
)

func sample(n int) *Set {
	s := &Set{}
	for i := range n {
		s.Labels = append(s.Labels, uint8(i%10))
		for j := range Pixels {
			s.Pix = append(s.Pix, uint8((i*31+j*7)%256))
		}
	}
	return s
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func raw(n int, rows, cols uint16, magic string, extra int) []byte {
	s := sample(max(n, 1))
	hdr := make([]byte, 16)
	copy(hdr, magic)
	binary.LittleEndian.PutUint32(hdr[8:], uint32(n))
	binary.LittleEndian.PutUint16(hdr[12:], rows)
	binary.LittleEndian.PutUint16(hdr[14:], cols)
	b := append(hdr, s.Labels[:max(n, 0)]...)
	b = append(b, s.Pix[:max(n, 0)*Pixels]...)
	return append(b, make([]byte, extra)...)
}

func TestRoundTrip(t *testing.T) {
	s := sample(37)
	var buf bytes.Buffer
	if err := Write(&buf, s); err != nil {
		t.Fatal(err)
	}
	got, err := ReadBytes(buf.Bytes(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Pix, s.Pix) || !bytes.Equal(got.Labels, s.Labels) {
		t.Fatal("round trip changed the digits")
	}
	f := make([]float32, Pixels)
	got.Float(3, f)
	if f[5] != float32(s.Digit(3)[5])/255 {
		t.Fatalf("Float: %v, want %v", f[5], float32(s.Digit(3)[5])/255)
	}
}

func TestRefuses(t *testing.T) {
	good := raw(5, 28, 28, "LFDIGIT1", 0)
	badLabel := append([]byte(nil), good...)
	badLabel[16+2] = 10
	gzGood := gz(good)
	cases := []struct {
		name  string
		data  []byte
		limit int64
		want  string
	}{
		{"not gzip", []byte("hello world, not gzip"), 0, "not gzip"},
		{"short header", gz(good[:10]), 0, "shorter than the 16-byte header"},
		{"magic", gz(raw(5, 28, 28, "LFDIGITX", 0)), 0, "magic"},
		{"size", gz(raw(5, 32, 28, "LFDIGIT1", 0)), 0, "32 x 28 pixels"},
		{"zero count", gz(raw(0, 28, 28, "LFDIGIT1", 0)), 0, "count 0"},
		{"truncated digits", gz(good[:len(good)-100]), 0, "truncated or trailing"},
		{"trailing", gz(raw(5, 28, 28, "LFDIGIT1", 3)), 0, "truncated or trailing"},
		{"label", gz(badLabel), 0, "label 10 of digit 3"},
		{"truncated stream", gzGood[:len(gzGood)/2], 0, "truncated"},
		{"oversized", gzGood, int64(len(good) - 1), "limit"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadBytes(c.data, c.limit)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
		})
	}
	if _, err := ReadBytes(gzGood, int64(len(good))); err != nil {
		t.Fatalf("a file exactly at the limit: %v", err)
	}
}

// TestAssets checks the committed files: counts, class balance.
func TestAssets(t *testing.T) {
	for _, c := range []struct {
		name string
		n    int
	}{{"train.bin.gz", 10000}, {"heldout.bin.gz", 3000}} {
		b, err := os.ReadFile("../../assets/mnist/data/" + c.name)
		if err != nil {
			t.Fatal(err)
		}
		s, err := ReadBytes(b, 0)
		if err != nil {
			t.Fatal(err)
		}
		if s.Count() != c.n {
			t.Fatalf("%s: %d digits, want %d", c.name, s.Count(), c.n)
		}
		var per [Classes]int
		for _, l := range s.Labels {
			per[l]++
		}
		for k, v := range per {
			if v != c.n/Classes {
				t.Fatalf("%s: class %d has %d digits, want %d", c.name, k, v, c.n/Classes)
			}
		}
	}
}
