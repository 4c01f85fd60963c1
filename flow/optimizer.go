package flow

import (
	"fmt"
	"math"

	"lipflow/flow/pmath"
)

// optimizer moves parameters against their loss gradient.
type optimizer[T Float] interface {
	Step(params, grad []T)
	Reset() // forget the moments (Adam), as the reference does at each particle step
}

func newOptimizer[T Float](name string, lr float64, size int) (optimizer[T], error) {
	switch name {
	case "sgd":
		return &sgd[T]{lr: T(lr)}, nil
	case "adam":
		return NewAdam[T](size, lr), nil
	}
	return nil, fmt.Errorf("optimizer = %q, want sgd or adam", name)
}

// sgd is plain gradient descent: theta <- theta - lr * g.
type sgd[T Float] struct{ lr T }

func (o *sgd[T]) Step(params, grad []T) {
	grad = grad[:len(params)]
	for i, g := range grad {
		params[i] -= o.lr * g
	}
}

func (o *sgd[T]) Reset() {}

// Adam is Adam (Kingma and Ba) with bias correction over one parameter vector: the engine's
// discriminator's, and the digits experiment's networks' (flow/dense).
type Adam[T Float] struct {
	LR, Beta1, Beta2, Eps float64
	m, v                  []T
	t                     int
}

// NewAdam returns Adam for size parameters with the usual betas (0.9, 0.999) and eps 1e-8.
func NewAdam[T Float](size int, lr float64) *Adam[T] {
	return &Adam[T]{LR: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, m: make([]T, size), v: make([]T, size)}
}

// Step moves params against grad.
func (o *Adam[T]) Step(params, grad []T) {
	o.t++
	b1, b2 := T(o.Beta1), T(o.Beta2)
	// The bias corrections fold into the step size and epsilon.
	c1 := 1 - pmath.Pow(o.Beta1, float64(o.t))
	c2 := 1 - pmath.Pow(o.Beta2, float64(o.t))
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

// Reset forgets the moments: the next Step is Adam's first.
func (o *Adam[T]) Reset() {
	clear(o.m)
	clear(o.v)
	o.t = 0
}
