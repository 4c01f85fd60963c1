package dense

import (
	"fmt"
	"math"
	"math/rand/v2"

	"lipflow/flow"
)

// Net is a dense ReLU network with a linear output layer. Params holds, per layer, the weight
// matrix (fan-in x fan-out, row-major) then the bias; Grad has the same layout.
type Net[T flow.Float] struct {
	Sizes        []int // Sizes[0] inputs, ..., Sizes[D] outputs
	Params, Grad []T

	w, b, gw, gb [][]T // views of Params and Grad
	wT           [][]T // transposed weights (fan-out x fan-in), for input gradients

	rows int
	x    []T   // last Forward's input (not owned)
	z    [][]T // per layer, rows x fan-out: pre-activations (the last is the output)
	h    [][]T // per hidden layer, rows x fan-out: ReLU(z)
	dz   [][]T
}

// MaxParams bounds a network's size (weights and biases).
const MaxParams = 1 << 24

// New returns a network with the given layer sizes (at least input and output), weights
// drawn with std sqrt(2/fan_in) (He), biases 0.
func New[T flow.Float](sizes []int, rng *rand.Rand) (*Net[T], error) {
	total, err := count(sizes)
	if err != nil {
		return nil, err
	}
	n := alloc[T](sizes, total)
	for l, w := range n.w {
		std := math.Sqrt(2 / float64(sizes[l]))
		for i := range w {
			w[i] = T(rng.NormFloat64() * std)
		}
	}
	n.Refresh()
	return n, nil
}

// count checks sizes and returns the number of parameters.
func count(sizes []int) (int, error) {
	if len(sizes) < 2 || len(sizes) > 18 {
		return 0, fmt.Errorf("dense: %d layer sizes, want 2..18", len(sizes))
	}
	total := 0
	for l, s := range sizes {
		if s < 1 || s > 1<<16 {
			return 0, fmt.Errorf("dense: layer %d has %d units, want 1..65536", l, s)
		}
		if l > 0 {
			total += sizes[l-1]*s + s
		}
	}
	if total > MaxParams {
		return 0, fmt.Errorf("dense: %d parameters, more than %d", total, MaxParams)
	}
	return total, nil
}

func alloc[T flow.Float](sizes []int, total int) *Net[T] {
	n := &Net[T]{Sizes: append([]int(nil), sizes...), Params: make([]T, total), Grad: make([]T, total)}
	off := 0
	for l := 1; l < len(sizes); l++ {
		in, out := sizes[l-1], sizes[l]
		n.w = append(n.w, n.Params[off:off+in*out])
		n.gw = append(n.gw, n.Grad[off:off+in*out])
		off += in * out
		n.b = append(n.b, n.Params[off:off+out])
		n.gb = append(n.gb, n.Grad[off:off+out])
		off += out
		n.wT = append(n.wT, make([]T, in*out))
	}
	return n
}

// Clone returns a network with a copy of n's parameters and buffers of its own.
func (n *Net[T]) Clone() *Net[T] {
	c := alloc[T](n.Sizes, len(n.Params))
	copy(c.Params, n.Params)
	c.Refresh()
	return c
}

// In and Out are the input and output widths; Layers the number of weight matrices.
func (n *Net[T]) In() int     { return n.Sizes[0] }
func (n *Net[T]) Out() int    { return n.Sizes[len(n.Sizes)-1] }
func (n *Net[T]) Layers() int { return len(n.w) }

// Weights and Bias return layer l's parameters (views of Params).
func (n *Net[T]) Weights(l int) []T { return n.w[l] }
func (n *Net[T]) Bias(l int) []T    { return n.b[l] }

// Refresh recomputes the transposed weights; call it after Params change.
func (n *Net[T]) Refresh() {
	for l, w := range n.w {
		in, out := n.Sizes[l], n.Sizes[l+1]
		t := n.wT[l]
		for i := range in {
			row := w[i*out : i*out+out]
			for j, v := range row {
				t[j*in+i] = v
			}
		}
	}
}

func (n *Net[T]) reserve(rows int) {
	if rows <= n.rows {
		return
	}
	n.rows = rows
	n.z, n.h, n.dz = nil, nil, nil
	for l := 1; l < len(n.Sizes); l++ {
		n.z = append(n.z, make([]T, rows*n.Sizes[l]))
		n.h = append(n.h, make([]T, rows*n.Sizes[l]))
		n.dz = append(n.dz, make([]T, rows*n.Sizes[l]))
	}
}

// Forward evaluates the network on rows rows of x (rows x In) and returns the logits
// (rows x Out, a buffer of n's that the next Forward overwrites). It keeps the activations
// for Backward.
func (n *Net[T]) Forward(x []T, rows int) []T {
	n.reserve(rows)
	n.x = x[:rows*n.In()]
	in := n.x
	D := len(n.w)
	for l := range D {
		k, out := n.Sizes[l], n.Sizes[l+1]
		z := n.z[l][:rows*out]
		b := n.b[l]
		for i := range rows {
			copy(z[i*out:i*out+out], b)
		}
		flow.GemmNN(rows, k, out, in, n.w[l], z)
		if l == D-1 {
			return z
		}
		h := n.h[l][:rows*out]
		for i, v := range z {
			if v < 0 {
				v = 0
			}
			h[i] = v
		}
		in = h
	}
	return nil
}

// Backward back-propagates dout (d loss / d logits, rows x Out) through the last Forward. With
// weights it adds d loss / d Params to Grad; with dx non-nil it writes d loss / d x (rows x In)
// to dx: the vector-Jacobian product dout^T J.
func (n *Net[T]) Backward(dout []T, rows int, weights bool, dx []T) {
	D := len(n.w)
	dz := dout[:rows*n.Out()]
	for l := D - 1; l >= 0; l-- {
		in, out := n.Sizes[l], n.Sizes[l+1]
		hin := n.x
		if l > 0 {
			hin = n.h[l-1][:rows*in]
		}
		if weights {
			flow.GemmTN(rows, in, out, hin, dz, n.gw[l])
			gb := n.gb[l][:out]
			for i := range rows {
				for j, v := range dz[i*out : i*out+out] {
					gb[j] += v
				}
			}
		}
		if l == 0 && dx == nil {
			return
		}
		dh := dx
		if l > 0 {
			dh = n.dz[l-1]
		}
		dh = dh[:rows*in]
		clear(dh)
		flow.GemmNN(rows, out, in, dz, n.wT[l], dh)
		if l == 0 {
			return
		}
		for i, v := range n.h[l-1][:rows*in] {
			if v <= 0 {
				dh[i] = 0
			}
		}
		dz = dh
	}
}
