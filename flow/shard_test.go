package flow

import (
	"fmt"
	"math"
	"testing"
)

// TestShardRule checks the cut itself: it covers every row once, in order, each set from its
// first row; the particles' and the targets' shards never mix; sizes are whole chunks of
// gemmTN (but the last), and a big set has at most maxShards of them.
func TestShardRule(t *testing.T) {
	for _, nm := range [][2]int{{1, 1}, {200, 200}, {256, 257}, {2000, 2000}, {10000, 3}, {100000, 1000000}} {
		n, m := nm[0], nm[1]
		s := shardsOf(n, m)
		next := 0
		np := 0
		for i, sh := range s {
			if sh.lo != next || sh.hi <= sh.lo {
				t.Fatalf("n=%d m=%d: shard %d is %v, want rows from %d", n, m, i, sh, next)
			}
			if sh.lo < n && sh.hi > n {
				t.Fatalf("n=%d m=%d: shard %v holds particles and targets", n, m, sh)
			}
			if sh.hi <= n {
				np++
			}
			last := sh.hi == n || sh.hi == n+m
			if !last && sh.rows()%tnChunk != 0 {
				t.Fatalf("n=%d m=%d: shard %v is not whole chunks of %d rows", n, m, sh, tnChunk)
			}
			next = sh.hi
		}
		if next != n+m {
			t.Fatalf("n=%d m=%d: shards end at %d", n, m, next)
		}
		if np > maxShards || len(s)-np > maxShards {
			t.Fatalf("n=%d m=%d: %d + %d shards, want at most %d each", n, m, np, len(s)-np, maxShards)
		}
	}
}

// sameBitsCases are the settings of the same-bits tests (TestWorkersSameBits,
// TestRemoteSameBits): every constraint, integrator, optimizer and a class-conditional
// discriminator.
var sameBitsCases = []sameBitsCase{
	{"kl-dv frobenius euler", func(s *Settings) { s.F = "kl-dv" }},
	{"kl spectral heun adam", func(s *Settings) { s.F, s.Lipschitz, s.Integrator, s.Optimizer = "kl", "spectral", "heun", "adam" }},
	{"alpha penalty ab2", func(s *Settings) { s.Lipschitz, s.Integrator, s.Optimizer = "penalty", "ab2", "adam" }},
	{"js penalty-ref tanh", func(s *Settings) { s.F, s.Lipschitz, s.Activation, s.Optimizer = "js", "penalty-ref", "tanh", "adam" }},
	{"reverse-kl labels", func(s *Settings) { s.F = "reverse-kl" }},
}

type sameBitsCase struct {
	name string
	edit func(*Settings)
}

// flow returns a new flow of s, with three classes of targets for the labelled case.
func (c sameBitsCase) flow(t *testing.T, s Settings) *Flow {
	t.Helper()
	var fl *Flow
	var err error
	if c.name == "reverse-kl labels" {
		x, labels := labelledTargets(t, s, 3)
		fl, err = NewWithTarget(s, x, labels, 3)
	} else {
		fl, err = New(s)
	}
	if err != nil {
		t.Fatal(err)
	}
	return fl
}

// TestWorkersSameBits runs the same flows on 1, 2 and 3 workers: the particles, the estimate
// and the kinetic energy must agree to the bit after a few steps. The sizes give several shards
// of particles and of targets, of unequal counts, so that workers finish out of order.
func TestWorkersSameBits(t *testing.T) {
	steps := 3
	if testing.Short() {
		steps = 2
	}
	for ci, c := range sameBitsCases {
		t.Run(c.name, func(t *testing.T) {
			s := Defaults()
			s.N, s.M, s.Inner = 700, 1100, 3
			c.edit(&s)
			var want []float64
			var wantStats Stats
			for _, w := range []int{1, 2, 3} {
				fl := c.flow(t, s)
				fl.SetWorkers(w)
				if err := fl.Run(steps); err != nil {
					t.Fatal(err)
				}
				if w == 1 {
					want, wantStats = append([]float64(nil), fl.Particles()...), fl.Stats()
					if len(fl.shards) < 4 {
						t.Fatalf("case %d: %d shards, want several", ci, len(fl.shards))
					}
					continue
				}
				for i, v := range fl.Particles() {
					if math.Float64bits(v) != math.Float64bits(want[i]) {
						t.Fatalf("%d workers: particle coordinate %d = %v, want %v (1 worker)", w, i, v, want[i])
					}
				}
				if st := fl.Stats(); fmt.Sprint(st) != fmt.Sprint(wantStats) {
					t.Fatalf("%d workers: stats %+v, want %+v (1 worker)", w, st, wantStats)
				}
			}
		})
	}
}

// labelledTargets draws s's targets and labels them j mod classes.
func labelledTargets(t *testing.T, s Settings, classes int) ([]float64, []int32) {
	t.Helper()
	fl, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	labels := make([]int32, s.M)
	for j := range labels {
		labels[j] = int32(j % classes)
	}
	return append([]float64(nil), fl.Targets()...), labels
}
