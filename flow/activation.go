package flow

import (
	"fmt"
	"math"

	"lipflow/flow/pmath"
)

// Activation is the nonlinearity between the discriminator's layers. Every choice offered is
// 1-Lipschitz (|sigma'| <= 1), so that the product of the weights' norms bounds the network's
// Lipschitz constant.
type Activation int

const (
	ReLU Activation = iota
	LeakyReLU
	Softplus
	Tanh
	ELU
	Sigmoid
)

// leak is the slope of LeakyReLU for negative inputs.
const leak = 0.01

var activationNames = []string{"relu", "leaky-relu", "softplus", "tanh", "elu", "sigmoid"}

func (a Activation) String() string {
	if a < 0 || int(a) >= len(activationNames) {
		return fmt.Sprintf("Activation(%d)", int(a))
	}
	return activationNames[a]
}

// ParseActivation returns the activation with the given name.
func ParseActivation(name string) (Activation, error) {
	for i, n := range activationNames {
		if n == name {
			return Activation(i), nil
		}
	}
	return 0, fmt.Errorf("activation = %q, want one of %v", name, activationNames)
}

// eval returns sigma(z) and its first and second derivatives. The second is needed only by the
// gradient penalty, which differentiates grad_x phi with respect to the weights.
func (a Activation) eval(z float64) (s, ds, dds float64) {
	switch a {
	case ReLU:
		if z > 0 {
			return z, 1, 0
		}
		return 0, 0, 0
	case LeakyReLU:
		if z > 0 {
			return z, 1, 0
		}
		return leak * z, leak, 0
	case Softplus:
		// log(1+e^z) without overflow for large |z|.
		p := 1 / (1 + pmath.Exp(-z))
		return math.Max(z, 0) + math.Log1p(pmath.Exp(-math.Abs(z))), p, p * (1 - p)
	case Tanh:
		t := pmath.Tanh(z)
		return t, 1 - t*t, -2 * t * (1 - t*t)
	case ELU:
		if z > 0 {
			return z, 1, 0
		}
		e := pmath.Exp(z)
		return e - 1, e, e
	case Sigmoid:
		p := 1 / (1 + pmath.Exp(-z))
		return p, p * (1 - p), p * (1 - p) * (1 - 2*p)
	}
	panic("flow: unknown activation")
}

// forward sets h = sigma(z) elementwise.
func forwardAct[T Float](a Activation, z, h []T) {
	h = h[:len(z)]
	switch a {
	case ReLU:
		if z32, ok := any(z).([]float32); ok { // float32 runs take the vector loop of kernel32_*.go
			reluForward32(z32, any(h).([]float32))
			return
		}
		reluForwardLoop(z, h)
	case LeakyReLU:
		for i, v := range z {
			if v < 0 {
				v *= leak
			}
			h[i] = v
		}
	default:
		for i, v := range z {
			s, _, _ := a.eval(float64(v))
			h[i] = T(s)
		}
	}
}

// backwardAct sets d *= sigma'(z) elementwise; h = sigma(z) lets ReLU skip the derivative.
func backwardAct[T Float](a Activation, z, h, d []T) {
	d = d[:len(z)]
	switch a {
	case ReLU:
		h = h[:len(z)]
		if h32, ok := any(h).([]float32); ok {
			reluBackward32(h32, any(d).([]float32))
			return
		}
		reluBackwardLoop(h, d)
	case LeakyReLU:
		for i, v := range z {
			if v < 0 {
				d[i] *= leak
			}
		}
	case Tanh:
		h = h[:len(z)]
		for i := range d {
			d[i] *= 1 - h[i]*h[i]
		}
	default:
		for i, v := range z {
			_, ds, _ := a.eval(float64(v))
			d[i] *= T(ds)
		}
	}
}

// reluForwardLoop sets h = z where z >= 0 (or NaN), 0 where z < 0. Not max(v, 0): the builtin's
// NaN and signed-zero rules make it a runtime call in wasm.
func reluForwardLoop[T Float](z, h []T) {
	h = h[:len(z)]
	for i, v := range z {
		if v < 0 {
			v = 0
		}
		h[i] = v
	}
}

// reluBackwardLoop zeroes d where h = relu(z) <= 0.
func reluBackwardLoop[T Float](h, d []T) {
	h = h[:len(d)]
	for i := range d {
		if h[i] <= 0 {
			d[i] = 0
		}
	}
}
