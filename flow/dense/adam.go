package dense

import (
	"math"

	"lipflow/flow"
)

// Adam is Adam (Kingma and Ba) with bias correction over one parameter vector.
type Adam[T flow.Float] struct {
	LR, Beta1, Beta2, Eps float64
	m, v                  []T
	t                     int
}

// NewAdam returns Adam for size parameters with the usual betas (0.9, 0.999) and eps 1e-8.
func NewAdam[T flow.Float](size int, lr float64) *Adam[T] {
	return &Adam[T]{LR: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, m: make([]T, size), v: make([]T, size)}
}

// Step moves params against grad.
func (o *Adam[T]) Step(params, grad []T) {
	o.t++
	b1, b2 := T(o.Beta1), T(o.Beta2)
	c1 := 1 - math.Pow(o.Beta1, float64(o.t))
	c2 := 1 - math.Pow(o.Beta2, float64(o.t))
	lr := T(o.LR * math.Sqrt(c2) / c1)
	eps := T(o.Eps * math.Sqrt(c2))
	m, v := o.m[:len(params)], o.v[:len(params)]
	grad = grad[:len(params)]
	for i, g := range grad {
		m[i] = b1*m[i] + (1-b1)*g
		v[i] = b2*v[i] + (1-b2)*g*g
		params[i] -= lr * m[i] / (T(math.Sqrt(float64(v[i]))) + eps)
	}
}

// StepNet is Step on a network's Params and Grad, then refreshes its transposed weights.
func (o *Adam[T]) StepNet(n *Net[T]) {
	o.Step(n.Params, n.Grad)
	n.Refresh()
}
