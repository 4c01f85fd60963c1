package gene

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func smallSet() *Set {
	rng := rand.New(rand.NewPCG(1, 2))
	s := &Set{Dataset: "t", Credit: "test", Probes: []string{"a", "b", "c"},
		Samples: []Sample{{"s1", "1", "A"}, {"s2", "1", "B"}, {"s3", "2", "A"}, {"s4", "2", "B"}}}
	s.X = make([]float64, 12)
	for i := range s.X {
		s.X[i] = 2 + 10*rng.Float64()
	}
	s.X[1] = s.X[4] // probe b: two equal values, one range still
	return s
}

func encode(t *testing.T, s *Set) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, s); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// The values come back within half a quantisation step of the probe's range.
func TestFormatRoundTrip(t *testing.T) {
	s := smallSet()
	back, err := Read(encode(t, s))
	if err != nil {
		t.Fatal(err)
	}
	if back.Dataset != "t" || back.Dim() != 3 || back.Rows() != 4 || back.Samples[2] != s.Samples[2] {
		t.Fatalf("header came back as %+v", back)
	}
	for j := range 3 {
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := range 4 {
			lo, hi = math.Min(lo, s.X[i*3+j]), math.Max(hi, s.X[i*3+j])
		}
		tol := (hi-lo)/65535 + 1e-5*hi // half a step, and the float32 offset's rounding
		for i := range 4 {
			if d := math.Abs(back.X[i*3+j] - s.X[i*3+j]); d > tol {
				t.Errorf("sample %d probe %d: %v came back as %v (tolerance %g)", i, j, s.X[i*3+j], back.X[i*3+j], tol)
			}
		}
	}
}

// Every damaged file is refused with a message that says what is wrong.
func TestFormatRefuses(t *testing.T) {
	good := encode(t, smallSet())
	h := int(binary.LittleEndian.Uint32(good[16:]))
	mut := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), good...)) }
	put := func(off int, v uint32) []byte {
		return mut(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[off:], v); return b })
	}
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "too short"},
		{"truncated", good[:len(good)-1], "truncated"},
		{"extra byte", append(append([]byte(nil), good...), 0), "want"},
		{"wrong magic", mut(func(b []byte) []byte { b[0] = 'X'; return b }), "not a lipflow gene file"},
		{"too many probes", put(8, MaxProbes+1), "probes"},
		{"no samples", put(12, 0), "samples"},
		{"huge header", put(16, MaxHeader+1), "header"},
		{"oversized", make([]byte, MaxFileBytes+1), "limit"},
		{"sizes disagree", put(8, 2), "want"},
		{"bad json", mut(func(b []byte) []byte { b[fixedHeader] = '['; return b }), "header"},
		{"nan offset", mut(func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[fixedHeader+h:], math.Float32bits(float32(math.NaN())))
			return b
		}), "finite"},
		{"negative scale", mut(func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[fixedHeader+h+12:], math.Float32bits(-1))
			return b
		}), "scale"},
	}
	for _, c := range cases {
		_, err := Read(c.data)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error mentioning %q", c.name, err, c.want)
		}
	}
}

func TestWriteRefusesNonFinite(t *testing.T) {
	s := smallSet()
	s.X[5] = math.Inf(1)
	if err := Write(&bytes.Buffer{}, s); err == nil {
		t.Error("Write accepted an infinite value")
	}
}

// The committed files hold what the README says: 22,283 shared probes, 57 bladder samples in
// 5 batches, 17 kidney samples.
func TestCommittedData(t *testing.T) {
	sets := loadSets(t)
	b, k := sets[0], sets[1]
	if b.Dim() != 22283 || b.Rows() != 57 || len(b.Batches()) != 5 || k.Rows() != 17 {
		t.Errorf("bladder %d x %d in %d batches, kidney %d samples", b.Rows(), b.Dim(), len(b.Batches()), k.Rows())
	}
	want := []string{"bladder-1", "bladder-2", "bladder-3", "bladder-4", "bladder-5", "kidney"}
	if got := BatchNames(sets); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("batches %v, want %v", got, want)
	}
	for _, v := range b.X {
		if v < 0 || v > 20 {
			t.Fatalf("a bladder value %v is off the log2 scale", v)
		}
	}
}
