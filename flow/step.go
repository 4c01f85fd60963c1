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
		fl.opt.Reset()
	}
	J, err := fl.train(fl.batch, fl.labels)
	if err != nil {
		return err
	}

	dt := fl.s.DT / (1 + fl.s.DTDecay*float64(fl.stats.Step))
	if err := fl.tr.move(fl, fl.y, dt); err != nil {
		return err
	}
	ke, speed := kinetic(fl.tr.velocityNow(), fl.n, fl.d)
	if !isFinite(ke) {
		return fl.fail("the particles' speed is not finite (%s)", fl.trainingAdvice())
	}
	if bad := firstNonFinite(fl.y); bad >= 0 {
		return fl.fail("particle %d left the floating-point range (%s)", bad/fl.d, fl.trainingAdvice())
	}
	fl.loadParticles()
	fl.stats = Stats{Step: fl.stats.Step + 1, Divergence: J, KE: ke, Speed: speed, DT: dt,
		Nu: fl.nu, EP: fl.ep, EQ: fl.ep - J}
	return nil
}

// refit trains phi again for particles at y (Heun's corrector); the flow's particles are loaded
// back by Step.
func (fl *Flow) refit(y []float64) error {
	fl.load(y)
	_, err := fl.train(fl.batch, fl.labels)
	return err
}

// train does the Inner discriminator steps on the batch (the particles' rows, then the targets')
// and returns the divergence estimate J at the last of them. nu is solved for before each
// gradient (SolveNu), so the optimizer moves only phi.
func (fl *Flow) train(batch []float32, labels []int32) (J float64, err error) {
	rows := fl.n + fl.m
	nu := len(fl.net.Params) - 1
	for range fl.s.Inner {
		fl.forward(batch, rows, labels)
		phiY, phiX := fl.phi[:fl.n], fl.phi[fl.n:rows]
		if !fl.f.DV() {
			fl.nu = solveNu(fl.f, phiX, fl.work)
		}
		J, _ = objective(fl.f, phiY, phiX, fl.nu, fl.dphi[:fl.n], fl.dphi[fl.n:rows])
		fl.ep = mean(phiY)
		fl.gradient(labels)
		fl.net.finishGrad()
		fl.net.Grad[nu] = 0
		fl.opt.Step(fl.net.Params, fl.net.Grad)
		fl.net.Constrain()
	}
	fl.net.Params[nu] = float32(fl.nu)
	if !isFinite(J) {
		return J, fl.fail("the divergence estimate is %v: the discriminator's objective overflowed (%s)", J, fl.trainingAdvice())
	}
	if bad := firstNonFinite(fl.net.Params); bad >= 0 {
		return J, fl.fail("discriminator parameter %d is not finite (%s)", bad, fl.trainingAdvice())
	}
	return J, nil
}

// trainingAdvice names what to change when the discriminator's training overflows.
func (fl *Flow) trainingAdvice() string {
	if fl.penalized > 0 && fl.s.Optimizer == "sgd" {
		// Gradient descent on the quadratic penalty is stable only for a step below 2 over its
		// curvature, which grows with lambda.
		return fmt.Sprintf("plain SGD on the gradient penalty is unstable at lr * lambda = %g: lower lr or lambda, or use adam", fl.s.LR*fl.s.Lambda)
	}
	if fl.s.L == 0 || math.IsInf(fl.s.L, 1) {
		return "lower lr, or use a finite L"
	}
	return "lower lr"
}

// mean is the mean of x, summed by the shard rule.
func mean[T Float](x []T) float64 {
	return foldShards(len(x), func(i int) float64 { return float64(x[i]) }) / float64(len(x))
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
// batch (y is the flow's particles or the Heun predictor), which it leaves holding y.
func (fl *Flow) velocity(y []float64, v []float32) {
	if fl.mob != nil {
		fl.mobVelocity(y, v) // alone: the map's pullback is the flow's
		if fl.rm != nil {
			fl.rm.dirty = true
		}
		return
	}
	in := fl.batch[:fl.n*fl.d]
	for i, x := range y {
		in[i] = float32(x)
	}
	fl.net.begin(in, fl.n)
	if rm := fl.useRemote(); rm != nil {
		fl.velocityRemote(rm, v)
		return
	}
	fl.work.each(fl.np, func(i, _ int) {
		s := fl.shards[i]
		fl.net.forwardRows(s.lo, s.hi, fl.labelsY, fl.phi)
		fl.net.inputGradRows(s.lo, s.hi, fl.labelsY, v)
	})
}

func (fl *Flow) fail(format string, args ...any) error {
	fl.err = fmt.Errorf("%w at step %d: %s", ErrDiverged, fl.stats.Step+1, fmt.Sprintf(format, args...))
	fl.loadParticles()
	return fl.err
}

// kinetic returns mean_i |v_i|^2 / 2 and mean_i |v_i|, summed by the shard rule.
func kinetic(v []float32, n, d int) (ke, speed float64) {
	ke, speed = foldShards2(n, func(i int) (float64, float64) {
		var s float64
		for _, x := range v[i*d : i*d+d] {
			s += float64(x) * float64(x)
		}
		return s, math.Sqrt(s)
	})
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
