package flow

import (
	"math"
	"testing"
)

// meanField is a field whose potential depends on the particles' law, as phi does: at particles
// with mean m (fitted by refit) the velocity is v(y) = (y - c) + (m - c). The flow
// dy_i/dt = -v(y_i) has mean m(t) = c + (m0 - c) e^{-2t} and, with u = y - c, w = m0 - c,
// u_i(t) = e^{-t} (u_i(0) - w (1 - e^{-t})).
type meanField struct {
	c, m   float64
	frozen bool // refit does nothing: the potential of the step's start is kept
}

func (f *meanField) fit(y []float64) {
	var s float64
	for _, v := range y {
		s += v
	}
	f.m = s / float64(len(y))
}

func (f *meanField) velocity(y []float64, v []float32) {
	for i, x := range y {
		v[i] = float32((x - f.c) + (f.m - f.c))
	}
}

func (f *meanField) refit(y []float64) error {
	if !f.frozen {
		f.fit(y)
	}
	return nil
}

// integrationError returns the largest error at time T = 1 of kind with step dt.
func integrationError(kind Integrator, frozen bool, dt float64) float64 {
	y0 := []float64{-1, 0.5, 2, 3.5}
	c := 0.7
	f := &meanField{c: c, frozen: frozen}
	y := append([]float64(nil), y0...)
	tr := newTransport(kind, len(y))
	steps := int(math.Round(1 / dt))
	for range steps {
		f.fit(y) // what Step's training does before the move
		if err := tr.move(f, y, dt); err != nil {
			panic(err)
		}
	}
	var m0 float64
	for _, v := range y0 {
		m0 += v
	}
	w := m0/float64(len(y0)) - c
	var worst float64
	for i, v := range y {
		exact := c + math.Exp(-1)*((y0[i]-c)-w*(1-math.Exp(-1)))
		worst = math.Max(worst, math.Abs(v-exact))
	}
	return worst
}

// TestIntegratorOrder measures each scheme's order on the mean-field flow: the error's ratio as
// dt halves is 2^order. Heun retrains the potential at its predictor (second order); with the
// potential frozen over the step it would be first order, which the test also shows.
func TestIntegratorOrder(t *testing.T) {
	for _, c := range []struct {
		kind   Integrator
		frozen bool
		order  float64
	}{
		{Euler, false, 1},
		{Heun, false, 2},
		{AB2, false, 2},
		{Heun, true, 1},
	} {
		e1, e2 := integrationError(c.kind, c.frozen, 0.02), integrationError(c.kind, c.frozen, 0.01)
		order := math.Log2(e1 / e2)
		t.Logf("%v (frozen potential: %v): error %.3g at dt = 0.02, %.3g at 0.01: order %.2f", c.kind, c.frozen, e1, e2, order)
		if math.Abs(order-c.order) > 0.15 {
			t.Errorf("%v (frozen %v): order %.2f, want %g", c.kind, c.frozen, order, c.order)
		}
	}
}
