package flow

import (
	"fmt"
	"math"
)

// optimizer moves parameters against their loss gradient.
type optimizer[T Float] interface {
	step(params, grad []T)
	reset() // forget the moments (Adam), as the reference does at each particle step
}

func newOptimizer[T Float](name string, lr float64, size int) (optimizer[T], error) {
	switch name {
	case "sgd":
		return &sgd[T]{lr: T(lr)}, nil
	case "adam":
		return &adam[T]{lr: lr, beta1: 0.9, beta2: 0.999, eps: 1e-8,
			m: make([]T, size), v: make([]T, size)}, nil
	}
	return nil, fmt.Errorf("optimizer = %q, want sgd or adam", name)
}

// sgd is plain gradient descent: theta <- theta - lr * g.
type sgd[T Float] struct{ lr T }

func (o *sgd[T]) step(params, grad []T) {
	grad = grad[:len(params)]
	for i, g := range grad {
		params[i] -= o.lr * g
	}
}

func (o *sgd[T]) reset() {}

// adam is Adam (Kingma and Ba) with bias correction.
type adam[T Float] struct {
	lr, beta1, beta2, eps float64
	m, v                  []T
	t                     int
}

func (o *adam[T]) step(params, grad []T) {
	o.t++
	b1, b2 := T(o.beta1), T(o.beta2)
	// The bias corrections fold into the step size and epsilon.
	c1 := 1 - math.Pow(o.beta1, float64(o.t))
	c2 := 1 - math.Pow(o.beta2, float64(o.t))
	lr := T(o.lr * math.Sqrt(c2) / c1)
	eps := T(o.eps * math.Sqrt(c2))
	m, v := o.m[:len(params)], o.v[:len(params)]
	grad = grad[:len(params)]
	for i, g := range grad {
		m[i] = b1*m[i] + (1-b1)*g
		v[i] = b2*v[i] + (1-b2)*g*g
		params[i] -= lr * m[i] / (T(math.Sqrt(float64(v[i]))) + eps)
	}
}

func (o *adam[T]) reset() {
	clear(o.m)
	clear(o.v)
	o.t = 0
}
