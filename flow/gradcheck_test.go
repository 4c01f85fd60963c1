package flow

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// The gradient checks run the network in float64 and compare every hand-written derivative with
// central finite differences.

const fdStep = 1e-6

// fdClose reports whether the analytic derivative a matches the numeric n to within a relative
// tolerance, scaled by the largest magnitude so that near-zero entries are judged fairly.
func fdClose(a, n, scale float64) bool {
	return math.Abs(a-n) <= 1e-6*math.Max(1, scale)+1e-6*math.Abs(n)
}

func maxAbs(x []float64) float64 {
	var m float64
	for _, v := range x {
		m = math.Max(m, math.Abs(v))
	}
	return m
}

func randomNet(t *testing.T, a Arch, seed uint64) (*Net[float64], *rand.Rand) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 7))
	n, err := NewNet[float64](a, 0, rng)
	if err != nil {
		t.Fatal(err)
	}
	// Non-zero biases, so that the check covers their gradient and kinks sit away from 0.
	for l := range n.b {
		for j := range n.b[l] {
			n.b[l][j] = 0.3 * rng.NormFloat64()
		}
	}
	n.Refresh()
	return n, rng
}

func randomRows(rng *rand.Rand, rows, d int) []float64 {
	x := make([]float64, rows*d)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	return x
}

func randomLabels(rng *rand.Rand, rows, heads int) []int32 {
	if heads == 1 {
		return nil
	}
	l := make([]int32, rows)
	for i := range l {
		l[i] = int32(rng.IntN(heads))
	}
	return l
}

var gradArchs = []Arch{
	{In: 2, Width: 5, Depth: 3, Heads: 1, Act: ReLU},
	{In: 3, Width: 4, Depth: 2, Heads: 3, Act: LeakyReLU},
	{In: 2, Width: 6, Depth: 2, Heads: 1, Act: Softplus},
	{In: 4, Width: 5, Depth: 3, Heads: 2, Act: Tanh},
	{In: 2, Width: 3, Depth: 1, Heads: 1, Act: ELU},
	{In: 5, Width: 7, Depth: 2, Heads: 4, Act: Sigmoid},
}

// loss is sum_i c_i phi(x_i): its gradient is what Backward computes for dphi = c.
func weightedPhi(n *Net[float64], x []float64, rows int, labels []int32, c []float64) float64 {
	phi := make([]float64, rows)
	n.Forward(x, rows, labels, phi)
	var s float64
	for i := range phi {
		s += c[i] * phi[i]
	}
	return s
}

func TestWeightAndInputGradients(t *testing.T) {
	for k, a := range gradArchs {
		t.Run(fmt.Sprintf("%v/%d-%d-%d-%d", a.Act, a.In, a.Width, a.Depth, a.Heads), func(t *testing.T) {
			n, rng := randomNet(t, a, uint64(k))
			const rows = 9
			x := randomRows(rng, rows, a.In)
			labels := randomLabels(rng, rows, a.Heads)
			c := randomRows(rng, rows, 1)
			phi := make([]float64, rows)
			n.Forward(x, rows, labels, phi)
			clear(n.Grad)
			dx := make([]float64, rows*a.In)
			n.Backward(rows, labels, c, true, dx)
			grad := append([]float64(nil), n.Grad...)
			scale := maxAbs(grad)
			for i := range n.Params {
				p := n.Params[i]
				n.Params[i] = p + fdStep
				n.Refresh()
				up := weightedPhi(n, x, rows, labels, c)
				n.Params[i] = p - fdStep
				n.Refresh()
				down := weightedPhi(n, x, rows, labels, c)
				n.Params[i] = p
				n.Refresh()
				if num := (up - down) / (2 * fdStep); !fdClose(grad[i], num, scale) {
					t.Errorf("d/dParams[%d] = %.10g, finite difference %.10g", i, grad[i], num)
				}
			}
			scale = maxAbs(dx)
			for i := range x {
				v := x[i]
				x[i] = v + fdStep
				up := weightedPhi(n, x, rows, labels, c)
				x[i] = v - fdStep
				down := weightedPhi(n, x, rows, labels, c)
				x[i] = v
				if num := (up - down) / (2 * fdStep); !fdClose(dx[i], num, scale) {
					t.Errorf("d/dx[%d] = %.10g, finite difference %.10g", i, dx[i], num)
				}
			}
		})
	}
}

func TestActivationDerivatives(t *testing.T) {
	for a := range Activation(len(activationNames)) {
		for _, z := range []float64{-30, -3.1, -0.7, -1e-3, 2e-3, 0.4, 1.9, 25} {
			s, ds, dds := a.eval(z)
			sp, dsp, _ := a.eval(z + fdStep)
			sm, dsm, _ := a.eval(z - fdStep)
			if num := (sp - sm) / (2 * fdStep); !fdClose(ds, num, 1) {
				t.Errorf("%v'(%g) = %g, finite difference %g", a, z, ds, num)
			}
			if num := (dsp - dsm) / (2 * fdStep); !fdClose(dds, num, 1) {
				t.Errorf("%v''(%g) = %g, finite difference %g", a, z, dds, num)
			}
			if math.Abs(ds) > 1 {
				t.Errorf("|%v'(%g)| = %g > 1: not 1-Lipschitz", a, z, ds)
			}
			// The slice versions agree with eval.
			h := []float64{0}
			forwardAct(a, []float64{z}, h)
			d := []float64{1}
			backwardAct(a, []float64{z}, h, d)
			if math.Abs(h[0]-s) > 1e-12 || math.Abs(d[0]-ds) > 1e-12 {
				t.Errorf("%v(%g): slice forms give %g, %g; eval gives %g, %g", a, z, h[0], d[0], s, ds)
			}
		}
	}
}

// penaltyValue computes the network's penalty from scratch, by its definition for each kind.
func penaltyValue(n *Net[float64], x []float64, rows int, labels []int32) float64 {
	phi := make([]float64, rows)
	g := make([]float64, rows*n.In)
	n.Forward(x, rows, labels, phi)
	n.InputGrad(rows, labels, g)
	L := n.lip.L
	var s float64
	for i := range rows {
		gi := g[i*n.In : (i+1)*n.In]
		switch n.lip.kind {
		case Penalty:
			s += math.Max(dot(gi, gi)/(L*L)-1, 0)
		case PenaltyRef:
			for _, v := range gi {
				s += math.Max(v*v/(L*L)-1, 0) / float64(n.In)
			}
		case TwoSided:
			s += math.Pow(math.Sqrt(dot(gi, gi))/L-1, 2)
		}
	}
	return n.lip.lambda * s / float64(rows)
}

func TestPenaltyGradient(t *testing.T) {
	for _, kind := range []Constraint{Penalty, PenaltyRef, TwoSided} {
		for k, a := range gradArchs {
			t.Run(fmt.Sprintf("%v/%v/%d-%d-%d-%d", kind, a.Act, a.In, a.Width, a.Depth, a.Heads), func(t *testing.T) {
				n, rng := randomNet(t, a, uint64(k)+100)
				const rows = 11
				x := randomRows(rng, rows, a.In)
				labels := randomLabels(rng, rows, a.Heads)
				phi := make([]float64, rows)
				n.Forward(x, rows, labels, phi)
				g := make([]float64, rows*a.In)
				n.InputGrad(rows, labels, g)
				// L between two middle values of what the penalty compares with L (|grad phi| per
				// row, or each partial derivative for PenaltyRef), at the widest gap between them,
				// so that the penalty is active at some rows only and none sits at relu's kink.
				var sizes []float64
				for i := range rows {
					gi := g[i*a.In : (i+1)*a.In]
					if kind == PenaltyRef {
						for _, v := range gi {
							sizes = append(sizes, math.Abs(v))
						}
						continue
					}
					sizes = append(sizes, math.Sqrt(dot(gi, gi)))
				}
				slices.Sort(sizes)
				gap := 2
				for i := 2; i < len(sizes)-3; i++ {
					if sizes[i+1]-sizes[i] > sizes[gap+1]-sizes[gap] {
						gap = i
					}
				}
				n.lip = &lipschitz[float64]{kind: kind, L: (sizes[gap] + sizes[gap+1]) / 2, lambda: 2.5}
				n.Forward(x, rows, labels, phi)
				clear(n.Grad)
				got := n.addPenalty(rows, labels)
				if want := penaltyValue(n, x, rows, labels); math.Abs(got-want) > 1e-12*math.Max(1, want) {
					t.Fatalf("penalty = %g, recomputed %g", got, want)
				}
				if got == 0 {
					t.Fatal("penalty inactive: the check would test nothing")
				}
				grad := append([]float64(nil), n.Grad...)
				scale := maxAbs(grad)
				for i := range n.Params {
					p := n.Params[i]
					n.Params[i] = p + fdStep
					n.Refresh()
					up := penaltyValue(n, x, rows, labels)
					n.Params[i] = p - fdStep
					n.Refresh()
					down := penaltyValue(n, x, rows, labels)
					n.Params[i] = p
					n.Refresh()
					if num := (up - down) / (2 * fdStep); !fdClose(grad[i], num, scale) {
						t.Errorf("d penalty/dParams[%d] = %.10g, finite difference %.10g", i, grad[i], num)
					}
				}
			})
		}
	}
}

func TestSpectralGradient(t *testing.T) {
	a := Arch{In: 3, Width: 6, Depth: 2, Heads: 2, Act: Tanh}
	n, rng := randomNet(t, a, 5)
	if err := n.SetConstraint(Spectral, 2, 0, rng); err != nil {
		t.Fatal(err)
	}
	const rows = 7
	x := randomRows(rng, rows, a.In)
	labels := randomLabels(rng, rows, a.Heads)
	c := randomRows(rng, rows, 1)
	phi := make([]float64, rows)
	n.Forward(x, rows, labels, phi)
	clear(n.Grad)
	n.Backward(rows, labels, c, true, nil)
	n.finishGrad()
	grad := append([]float64(nil), n.Grad...)
	scale := maxAbs(grad)
	// The singular vectors are held fixed, as in the gradient's derivation.
	eval := func() float64 { n.spectralEff(); n.Refresh(); return weightedPhi(n, x, rows, labels, c) }
	for i := range n.Params {
		p := n.Params[i]
		n.Params[i] = p + fdStep
		up := eval()
		n.Params[i] = p - fdStep
		down := eval()
		n.Params[i] = p
		eval()
		if num := (up - down) / (2 * fdStep); !fdClose(grad[i], num, scale) {
			t.Errorf("d/dParams[%d] = %.10g, finite difference %.10g", i, grad[i], num)
		}
	}
}

func TestObjectiveGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	for _, name := range DivergenceNames() {
		for _, alpha := range []float64{0.5, 2, 10} {
			if name != "alpha" && alpha != 2 {
				continue
			}
			d, err := ParseDivergence(name, alpha)
			if err != nil {
				t.Fatal(err)
			}
			t.Run(d.String(), func(t *testing.T) {
				phiY := randomRows(rng, 6, 1)
				phiX := randomRows(rng, 5, 1)
				for i := range phiX {
					phiX[i] *= 0.3 // inside every conjugate's domain for nu below
				}
				nu := 0.8
				if name == "alpha" && alpha < 1 || name == "reverse-kl" {
					nu = 2
				}
				dY, dX := make([]float64, 6), make([]float64, 5)
				J, dnu := objective(d, phiY, phiX, nu, dY, dX)
				loss := func() float64 {
					j, _ := objective(d, phiY, phiX, nu, make([]float64, 6), make([]float64, 5))
					return -j
				}
				check := func(what string, p *float64, got float64) {
					v := *p
					*p = v + fdStep
					up := loss()
					*p = v - fdStep
					down := loss()
					*p = v
					if num := (up - down) / (2 * fdStep); !fdClose(got, num, 1) {
						t.Errorf("%s: %.10g, finite difference %.10g", what, got, num)
					}
				}
				for i := range phiY {
					check(fmt.Sprintf("d/dphiY[%d]", i), &phiY[i], dY[i])
				}
				for i := range phiX {
					check(fmt.Sprintf("d/dphiX[%d]", i), &phiX[i], dX[i])
				}
				if !d.DV() {
					check("d/dnu", &nu, dnu)
				}
				if !isFinite(J) {
					t.Errorf("J = %v", J)
				}
			})
		}
	}
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}
