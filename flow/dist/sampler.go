package dist

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Sampler draws i.i.d. points of dimension Dim() into dst, row-major,
// len(dst) a multiple of Dim().
//
// Sample panics if len(dst) is not a multiple of Dim(). A Sampler is not
// changed by sampling, so one Sampler may serve several goroutines as long as
// each passes its own *rand.Rand.
type Sampler interface {
	Dim() int
	Sample(dst []float64, rng *rand.Rand)
	String() string // canonical spec string that Parse accepts and that reproduces the sampler
}

// drawer is one shape's own draw, before loc and scale: it fills one row.
type drawer interface {
	draw(row []float64, rng *rand.Rand)
	// settings are the shape's parameters in canonical order, for String.
	settings() []setting
}

type setting struct{ key, val string }

// shape is the Sampler every built-in shape is served through, so the row
// loop, the affine map and the spec rendering live in one place.
type shape struct {
	name  string
	dim   int
	loc   []float64 // nil when zero, to skip the add
	scale float64
	d     drawer
}

func (s *shape) Dim() int { return s.dim }

// Sample panics when len(dst) is not a multiple of Dim(): that is a bug in the
// caller, not bad user input.
func (s *shape) Sample(dst []float64, rng *rand.Rand) {
	checkLen(dst, s.dim)
	for i := 0; i < len(dst); i += s.dim {
		row := dst[i : i+s.dim]
		s.d.draw(row, rng)
		if s.scale != 1 {
			for j := range row {
				row[j] *= s.scale
			}
		}
		if s.loc != nil {
			for j := range row {
				row[j] += s.loc[j]
			}
		}
	}
}

func (s *shape) String() string {
	set := s.d.settings()
	if s.loc != nil {
		set = append(set, setting{"loc", formatVec(s.loc)})
	}
	if s.scale != 1 {
		set = append(set, setting{"scale", formatNum(s.scale)})
	}
	return formatSpec(s.name, set)
}

func checkLen(dst []float64, d int) {
	if len(dst)%d != 0 {
		panic(fmt.Sprintf("dist: Sample: len(dst) = %d is not a multiple of Dim() = %d", len(dst), d))
	}
}

func formatSpec(name string, set []setting) string {
	if len(set) == 0 {
		return name
	}
	var b strings.Builder
	b.WriteString(name)
	b.WriteByte('(')
	for i, s := range set {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s.key)
		b.WriteByte('=')
		b.WriteString(s.val)
	}
	b.WriteByte(')')
	return b.String()
}

// formatNum uses the shortest form that parses back to the same float64, so
// String round-trips bit for bit.
func formatNum(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// formatVec writes a constant vector as one scalar, which Parse broadcasts
// back to the same vector for the same d.
func formatVec(v []float64) string {
	for _, x := range v[1:] {
		// Bits, not ==, so that a mix of 0 and -0 is not collapsed.
		if math.Float64bits(x) != math.Float64bits(v[0]) {
			return formatList(v)
		}
	}
	return formatNum(v[0])
}

func formatList(v []float64) string {
	var b strings.Builder
	for i, x := range v {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(formatNum(x))
	}
	return b.String()
}
