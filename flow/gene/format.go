package gene

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
)

// The compact file (little-endian), written by assets/gene/gen and read by Read:
//
//	magic     8 bytes  "LFGENE01"
//	probes    uint32   P
//	samples   uint32   S
//	headerLen uint32   H
//	header    H bytes  JSON: {"dataset", "credit", "probes": [P ids], "samples": [S {id, batch, class}]}
//	offset    P float32
//	scale     P float32
//	values    S*P uint16, sample-major: value[s][p] = offset[p] + scale[p]*q[s*P+p]
//
// The quantisation is per probe, so that the step scale[p] = (max-min)/65535 follows each
// probe's own range (log2 expression: a step of about 2e-4).
const (
	magic = "LFGENE01"
	// Limits refuse a file that would fill the browser's memory before it is read: the
	// largest Affymetrix arrays have about 55,000 probes, and the sets here 57 and 17 samples.
	MaxProbes    = 100_000
	MaxSamples   = 2_000
	MaxHeader    = 8 << 20
	MaxFileBytes = 64 << 20
	fixedHeader  = len(magic) + 12
)

// Sample is one array: its GEO or file id, its processing batch and its class (outcome).
type Sample struct {
	ID    string `json:"id"`
	Batch string `json:"batch"`
	Class string `json:"class"`
}

// Set is one data set: S samples x P probes of log2 expression.
type Set struct {
	Dataset string   `json:"dataset"`
	Credit  string   `json:"credit"`
	Probes  []string `json:"probes"`
	Samples []Sample `json:"samples"`
	// X holds the expression values, S x P row-major (sample-major), dequantised.
	X []float64 `json:"-"`
}

// Rows is the number of samples.
func (s *Set) Rows() int { return len(s.Samples) }

// Dim is the number of probes.
func (s *Set) Dim() int { return len(s.Probes) }

// Row returns sample i's values (the set's own slice).
func (s *Set) Row(i int) []float64 { p := s.Dim(); return s.X[i*p : (i+1)*p] }

// Read parses a compact file held in data. Every size is checked against the others and the
// limits before anything is allocated, and every value must come out finite.
func Read(data []byte) (*Set, error) {
	if len(data) > MaxFileBytes {
		return nil, fmt.Errorf("gene data: file of %d bytes, more than the %d MiB limit", len(data), MaxFileBytes>>20)
	}
	if len(data) < fixedHeader {
		return nil, fmt.Errorf("gene data: file of %d bytes is too short for the %d-byte header (truncated?)", len(data), fixedHeader)
	}
	if string(data[:len(magic)]) != magic {
		return nil, fmt.Errorf("gene data: the file does not start with %q: not a lipflow gene file", magic)
	}
	le := binary.LittleEndian
	p := int(le.Uint32(data[8:]))
	s := int(le.Uint32(data[12:]))
	h := int(le.Uint32(data[16:]))
	switch {
	case p < 1 || p > MaxProbes:
		return nil, fmt.Errorf("gene data: %d probes, want 1..%d", p, MaxProbes)
	case s < 1 || s > MaxSamples:
		return nil, fmt.Errorf("gene data: %d samples, want 1..%d", s, MaxSamples)
	case h < 2 || h > MaxHeader:
		return nil, fmt.Errorf("gene data: header of %d bytes, want 2..%d", h, MaxHeader)
	}
	want := fixedHeader + h + 8*p + 2*p*s
	if len(data) != want {
		return nil, fmt.Errorf("gene data: %d bytes, want %d for %d probes x %d samples and a %d-byte header (truncated or corrupt)", len(data), want, p, s, h)
	}
	set := &Set{}
	dec := json.NewDecoder(bytes.NewReader(data[fixedHeader : fixedHeader+h]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(set); err != nil {
		return nil, fmt.Errorf("gene data: header: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("gene data: header: trailing data after the JSON object")
	}
	if len(set.Probes) != p || len(set.Samples) != s {
		return nil, fmt.Errorf("gene data: header lists %d probes and %d samples, the sizes say %d and %d", len(set.Probes), len(set.Samples), p, s)
	}
	for i, sm := range set.Samples {
		if strings.TrimSpace(sm.ID) == "" || strings.TrimSpace(sm.Batch) == "" || strings.TrimSpace(sm.Class) == "" {
			return nil, fmt.Errorf("gene data: sample %d lacks an id, batch or class", i+1)
		}
	}
	off := fixedHeader + h
	offset := make([]float64, p)
	scale := make([]float64, p)
	for j := range p {
		offset[j] = float64(math.Float32frombits(le.Uint32(data[off+4*j:])))
		scale[j] = float64(math.Float32frombits(le.Uint32(data[off+4*p+4*j:])))
		if !finite(offset[j]) || !finite(scale[j]) || scale[j] < 0 {
			return nil, fmt.Errorf("gene data: probe %d (%s) has offset %v and scale %v, want finite numbers and scale >= 0", j+1, set.Probes[j], offset[j], scale[j])
		}
	}
	off += 8 * p
	set.X = make([]float64, s*p)
	for i := range set.X {
		j := i % p
		set.X[i] = offset[j] + scale[j]*float64(le.Uint16(data[off+2*i:]))
	}
	return set, nil
}

// Write encodes set in the compact format, quantising each probe over its own range.
func Write(w io.Writer, set *Set) error {
	p, s := set.Dim(), set.Rows()
	if p < 1 || s < 1 || len(set.X) != p*s {
		return fmt.Errorf("gene data: %d values for %d samples x %d probes", len(set.X), s, p)
	}
	header, err := json.Marshal(set)
	if err != nil {
		return err
	}
	offset := make([]float32, p)
	scale := make([]float32, p)
	for j := range p {
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := range s {
			v := set.X[i*p+j]
			if !finite(v) {
				return fmt.Errorf("gene data: sample %s, probe %s holds %v", set.Samples[i].ID, set.Probes[j], v)
			}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		offset[j] = float32(lo)
		scale[j] = float32((hi - float64(offset[j])) / 65535)
	}
	buf := make([]byte, 0, fixedHeader+len(header)+8*p+2*p*s)
	le := binary.LittleEndian
	buf = append(buf, magic...)
	buf = le.AppendUint32(buf, uint32(p))
	buf = le.AppendUint32(buf, uint32(s))
	buf = le.AppendUint32(buf, uint32(len(header)))
	buf = append(buf, header...)
	for _, v := range offset {
		buf = le.AppendUint32(buf, math.Float32bits(v))
	}
	for _, v := range scale {
		buf = le.AppendUint32(buf, math.Float32bits(v))
	}
	for i, v := range set.X {
		j := i % p
		q := 0.0
		if scale[j] > 0 {
			q = math.Round((v - float64(offset[j])) / float64(scale[j]))
		}
		buf = le.AppendUint16(buf, uint16(min(max(q, 0), 65535)))
	}
	_, err = w.Write(buf)
	return err
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
