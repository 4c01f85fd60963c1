package main

import (
	"math/rand/v2"

	"lipflow/flow/metric"
)

// Sizes and parameters of the figures of merit.
const (
	// measurePoints caps both samples of the measures that visit all n·m pairs.
	measurePoints = 2000
	slicedDirs    = 50
	sinkhornEps   = 0.05
	sinkhornIter  = 500
	// sinkhornMaxPairs skips Sinkhorn for runs with n·m beyond it: its 500 iterations of n·m
	// exponentials each would take longer than the run.
	sinkhornMaxPairs = 4e6
)

// The subsamples and the sliced-Wasserstein directions are seeded once for all, so that the
// runs of a comparison, and their floor, are measured on the same terms.
const (
	subsampleSeed = 1
	slicedSeed    = 2
)

// radiusLevels are the quantiles of |x| that show the bulk and the tail of a cloud.
var radiusLevels = []float64{0.5, 0.9, 0.99}

// figures measure how far a sample is from the reference sample of the target law.
type figures struct {
	Energy   float64  `json:"energy"`
	MMD2     float64  `json:"mmd2"` // Gaussian kernel, median-heuristic bandwidth
	SlicedW2 float64  `json:"sliced_w2"`
	Sinkhorn *float64 `json:"sinkhorn,omitempty"` // absent when n·m is too large
	// For heavy-tailed targets only, where the measures above are ruled by a few far points:
	LogKS  []float64 `json:"log_ks,omitempty"` // per coordinate
	Radius *radii    `json:"radius,omitempty"`
}

// radii are the radius quantiles of the measured sample and of the reference.
type radii struct {
	Levels    []float64 `json:"levels"`
	Sample    []float64 `json:"sample"`
	Reference []float64 `json:"reference"`
}

// measure computes the figures of x (rows of dimension d) against ref; withSinkhorn tells
// whether the run is small enough for it.
func measure(x []float64, ref *reference, withSinkhorn bool) figures {
	d := ref.dim
	xs := subsample(x, d)
	rs := subsample(ref.points, d)
	f := figures{
		Energy:   metric.EnergyDistance(xs, rs, d),
		MMD2:     metric.MMD2(xs, rs, d, 0),
		SlicedW2: metric.SlicedWasserstein(x, ref.points, d, slicedDirs, rand.New(rand.NewPCG(slicedSeed, 0))),
	}
	if withSinkhorn {
		c := metric.Sinkhorn(xs, rs, d, sinkhornEps, sinkhornIter)
		f.Sinkhorn = &c
	}
	if ref.heavy {
		f.LogKS = metric.LogKS(x, ref.points, d)
		f.Radius = &radii{
			Levels:    radiusLevels,
			Sample:    metric.RadiusQuantiles(x, d, radiusLevels...),
			Reference: metric.RadiusQuantiles(ref.points, d, radiusLevels...),
		}
	}
	return f
}

// subsample bounds the O(n·m) measures; every call draws the same rows for the same size.
func subsample(x []float64, d int) []float64 {
	return metric.Subsample(x, d, measurePoints, rand.New(rand.NewPCG(subsampleSeed, 0)))
}
