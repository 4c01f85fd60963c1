package flow

import (
	"fmt"
	"math"
)

// Step does one particle step: Inner discriminator steps, then the move. After an error the
// flow stays stopped and Step returns the same error.
func (fl *Flow) Step() error {
	if fl.err != nil {
		return fl.err
	}
	if fl.s.AdamReset {
		fl.opt.reset()
	}
	rows := fl.n + fl.m
	nu := len(fl.net.Params) - 1
	var J float64
	for range fl.s.Inner {
		fl.net.Forward(fl.batch, rows, fl.labels, fl.phi)
		var dnu float64
		J, dnu = objective(fl.f, fl.phi[:fl.n], fl.phi[fl.n:rows], float64(fl.net.Params[nu]), fl.dphi[:fl.n], fl.dphi[fl.n:rows])
		clear(fl.net.Grad)
		fl.net.Backward(rows, fl.labels, fl.dphi, true, nil)
		if fl.penalty {
			fl.net.addPenalty(rows, fl.labels)
		}
		fl.net.finishGrad()
		fl.net.Grad[nu] = float32(dnu)
		fl.opt.step(fl.net.Params, fl.net.Grad)
		fl.net.Constrain()
	}
	if !isFinite(J) {
		return fl.fail("the divergence estimate is %v: the discriminator's objective overflowed (lower lr, or use a finite L)", J)
	}
	if bad := firstNonFinite(fl.net.Params); bad >= 0 {
		return fl.fail("discriminator parameter %d is not finite (lower lr, or use a finite L)", bad)
	}

	dt := fl.s.DT / (1 + fl.s.DTDecay*float64(fl.stats.Step))
	fl.velocity(fl.y, fl.v)
	ke, speed := kinetic(fl.v, fl.n, fl.d)
	switch {
	case fl.integrator == Heun:
		for i, v := range fl.v {
			fl.yPred[i] = fl.y[i] - dt*float64(v)
		}
		fl.velocity(fl.yPred, fl.vPred)
		for i := range fl.y {
			fl.y[i] -= dt / 2 * (float64(fl.v[i]) + float64(fl.vPred[i]))
		}
	case fl.integrator == AB2 && fl.stats.Step > 0:
		for i, v := range fl.v {
			fl.y[i] -= dt * (1.5*float64(v) - 0.5*float64(fl.vPrev[i]))
		}
	default:
		for i, v := range fl.v {
			fl.y[i] -= dt * float64(v)
		}
	}
	fl.v, fl.vPrev = fl.vPrev, fl.v
	if !isFinite(ke) {
		return fl.fail("the particles' speed is not finite")
	}
	if bad := firstNonFinite(fl.y); bad >= 0 {
		return fl.fail("particle %d left the floating-point range", bad/fl.d)
	}
	fl.loadParticles()
	fl.stats = Stats{Step: fl.stats.Step + 1, Divergence: J, KE: ke, Speed: speed, DT: dt}
	return nil
}

// Run does k steps, stopping at the first error.
func (fl *Flow) Run(k int) error {
	for range k {
		if err := fl.Step(); err != nil {
			return err
		}
	}
	return nil
}

// velocity writes grad_y phi(y) for the n rows of y to v, through the particles' rows of the
// batch (y is the flow's particles or the Heun predictor).
func (fl *Flow) velocity(y []float64, v []float32) {
	if fl.mob != nil {
		fl.mobVelocity(y, v)
		return
	}
	in := fl.batch[:fl.n*fl.d]
	for i, x := range y {
		in[i] = float32(x)
	}
	fl.net.Forward(in, fl.n, fl.labelsY, fl.phi)
	fl.net.InputGrad(fl.n, fl.labelsY, v)
}

func (fl *Flow) fail(format string, args ...any) error {
	fl.err = fmt.Errorf("%w at step %d: %s", ErrDiverged, fl.stats.Step+1, fmt.Sprintf(format, args...))
	fl.loadParticles()
	return fl.err
}

// kinetic returns mean_i |v_i|^2 / 2 and mean_i |v_i|.
func kinetic(v []float32, n, d int) (ke, speed float64) {
	for i := range n {
		var s float64
		for _, x := range v[i*d : i*d+d] {
			s += float64(x) * float64(x)
		}
		ke += s
		speed += math.Sqrt(s)
	}
	return ke / (2 * float64(n)), speed / float64(n)
}

func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// firstNonFinite returns the index of the first NaN or Inf in x, or -1.
func firstNonFinite[T Float](x []T) int {
	for i, v := range x {
		if v != v || math.IsInf(float64(v), 0) {
			return i
		}
	}
	return -1
}

// Potential writes phi (head c) at the rows of pts (k x Dim) to out: the heat map behind the
// particles. It may be called between steps.
func (fl *Flow) Potential(pts []float64, c int32, out []float64) {
	k := len(pts) / fl.net.In // the discriminator's space (a mobility flow's particles differ)
	in := make([]float32, len(pts))
	for i, v := range pts {
		in[i] = float32(v)
	}
	labels, phi := fl.headLabels(k, c), make([]float32, k)
	fl.net.Forward(in, k, labels, phi)
	for i, v := range phi {
		out[i] = float64(v)
	}
}

// Gradient writes grad phi (head c) at the rows of pts to out (k x Dim): the field's arrows.
func (fl *Flow) Gradient(pts []float64, c int32, out []float64) {
	k := len(pts) / fl.net.In // the discriminator's space (a mobility flow's particles differ)
	in := make([]float32, len(pts))
	for i, v := range pts {
		in[i] = float32(v)
	}
	labels, phi, g := fl.headLabels(k, c), make([]float32, k), make([]float32, len(pts))
	fl.net.Forward(in, k, labels, phi)
	fl.net.InputGrad(k, labels, g)
	for i, v := range g {
		out[i] = float64(v)
	}
}

func (fl *Flow) headLabels(k int, c int32) []int32 {
	if fl.labels == nil {
		return nil
	}
	l := make([]int32, k)
	for i := range l {
		l[i] = c
	}
	return l
}
