package main

import (
	"math/rand/v2"
	"strings"

	"lipflow/flow"
	"lipflow/flow/dist"
	"lipflow/flow/metric"
)

// referencePoints is the size of the fresh target sample the figures are measured against.
const referencePoints = 5000

// The reference sample has a seed and stream of its own. The engine's streams are small
// integers, so no run's data share these draws, and the figures measure the distance to the
// law rather than to the m targets a run was trained on. They are fixed so that every run of a
// comparison, and every invocation, is measured against the same points.
const (
	referenceSeed   = 0x6c6970666c6f77   // "lipflow"
	referenceStream = 0x7265666572656e63 // "referenc"
)

// reference is the sample that stands for the target law in the figures.
type reference struct {
	target string // the spec and
	dim    int    // dimension it was drawn for
	points []float64
	// fresh is false when the points are the -target-csv file itself: there is no law to draw
	// from, so the runs are measured against the file and there is no floor.
	fresh bool
	heavy bool // heavy-tailed: log-KS and radius quantiles are worth measuring
}

// newReference draws the fresh sample for s's target, or wraps the points of a target file.
func newReference(s flow.Settings, fromFile []float64) (*reference, error) {
	r := &reference{target: s.Target, dim: s.Dim}
	if fromFile != nil {
		r.points, r.heavy = fromFile, heavyData(fromFile, s.Dim)
		return r, nil
	}
	law, err := dist.Parse(s.Target, s.Dim)
	if err != nil {
		return nil, err
	}
	r.points = make([]float64, referencePoints*s.Dim)
	law.Sample(r.points, rand.New(rand.NewPCG(referenceSeed, referenceStream)))
	r.fresh, r.heavy = true, heavySpec(s.Target)
	return r, nil
}

// heavySpec tells the heavy-tailed laws of package dist by their spec.
func heavySpec(spec string) bool {
	s := strings.ToLower(strings.TrimSpace(spec))
	return strings.HasPrefix(s, "student-t") || strings.HasPrefix(s, "stretched-exp")
}

// heavyRatio is the 99%-to-50% radius ratio above which data count as heavy-tailed: about 2.6
// for a Gaussian in 2D and under 3 for the bounded 2D shapes, in the hundreds for student-t
// with nu = 0.5.
const heavyRatio = 10

// heavyData judges user-given points, which have no spec, by the spread of their radii.
func heavyData(x []float64, d int) bool {
	q := metric.RadiusQuantiles(x, d, 0.5, 0.99)
	return q[1] > heavyRatio*q[0]
}
