package flow

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Arch is the shape of a dense discriminator: In inputs, Depth hidden layers of Width units with
// activation Act, and Heads linear outputs (one per class for a class-conditional discriminator,
// else 1). The reference network ReLU 32-32-32 is Arch{In: 2, Width: 32, Depth: 3, Heads: 1}.
type Arch struct {
	In, Width, Depth, Heads int
	Act                     Activation
}

// Net is a dense network phi: R^In -> R^Heads with hand-written backpropagation for the weights
// and for the input. Layer l maps h_{l-1} to z_l = h_{l-1} W_l + b_l, with h_l = sigma(z_l) for
// the hidden layers and the last layer linear.
//
// It serves two uses. As the discriminator (NewNet), Forward returns one head per sample: a
// sample with label c reads head c. As a vector-valued network (NewLayers: the digits
// experiment's encoder, decoder, classifier and generator), Logits returns every output and
// BackwardLogits takes d loss / d outputs.
//
// Params holds every weight matrix (row-major, fan-in by fan-out) and bias, followed by the
// extra scalars the caller asked for (nu); Grad has the same layout, so that an optimizer sees
// one flat vector.
type Net[T Float] struct {
	Arch
	Params, Grad []T
	Sizes        []int // Sizes[0] = In, hidden widths, Sizes[D] = Heads; read only

	w, b [][]T // views of Params
	gw   [][]T // views of Grad
	gb   [][]T
	eff  [][]T // the weights the forward pass uses: w itself, or w rescaled by spectral normalization
	effT [][]T // eff transposed, for input gradients
	lip  *lipschitz[T]

	rows int   // batch capacity of the buffers
	x    []T   // the last forward pass's input (not owned)
	z, h [][]T // per layer, rows x fan-out
	dz   [][]T
	ones []T
	tan  *tangent[T] // buffers of the gradient penalty, allocated on first use
}

// MaxParams bounds a network's size (weights, biases and extra scalars).
const MaxParams = 1 << 24

// NewNet returns a discriminator of shape a, with `extra` trailing scalar parameters set to 0.
func NewNet[T Float](a Arch, extra int, rng *rand.Rand) (*Net[T], error) {
	if err := a.validate(); err != nil {
		return nil, err
	}
	sizes := []int{a.In}
	for range a.Depth {
		sizes = append(sizes, a.Width)
	}
	return newNet[T](a, append(sizes, a.Heads), extra, rng)
}

// NewLayers returns a network with the given layer sizes (inputs, hidden widths, outputs) and
// activation act in the hidden layers.
func NewLayers[T Float](sizes []int, act Activation, rng *rand.Rand) (*Net[T], error) {
	if len(sizes) < 2 || len(sizes) > 18 {
		return nil, fmt.Errorf("%d layer sizes, want 2..18", len(sizes))
	}
	for l, s := range sizes {
		if s < 1 || s > 1<<16 {
			return nil, fmt.Errorf("layer %d has %d units, want 1..65536", l, s)
		}
	}
	a := Arch{In: sizes[0], Depth: len(sizes) - 2, Heads: sizes[len(sizes)-1], Act: act}
	if a.Depth > 0 {
		a.Width = sizes[1] // the first hidden width; Sizes has them all
	}
	return newNet[T](a, sizes, 0, rng)
}

// newNet allocates the network and draws its weights with std sqrt(2/fan_in) (He), biases 0,
// as the reference does.
func newNet[T Float](a Arch, sizes []int, extra int, rng *rand.Rand) (*Net[T], error) {
	n := alloc[T](a, sizes, extra)
	if n == nil {
		return nil, fmt.Errorf("network %v has more than %d parameters", sizes, MaxParams)
	}
	for l, w := range n.w {
		std := math.Sqrt(2 / float64(sizes[l]))
		for i := range w {
			w[i] = T(rng.NormFloat64() * std)
		}
	}
	n.Refresh()
	return n, nil
}

// alloc lays out Params and Grad, or returns nil if they would exceed MaxParams.
func alloc[T Float](a Arch, sizes []int, extra int) *Net[T] {
	total := extra
	for l := 1; l < len(sizes); l++ {
		total += sizes[l-1]*sizes[l] + sizes[l]
	}
	if total > MaxParams {
		return nil
	}
	n := &Net[T]{Arch: a, Sizes: append([]int(nil), sizes...), Params: make([]T, total), Grad: make([]T, total)}
	off := 0
	for l := 1; l < len(sizes); l++ {
		in, out := sizes[l-1], sizes[l]
		n.w = append(n.w, n.Params[off:off+in*out])
		n.gw = append(n.gw, n.Grad[off:off+in*out])
		off += in * out
		n.b = append(n.b, n.Params[off:off+out])
		n.gb = append(n.gb, n.Grad[off:off+out])
		off += out
		n.effT = append(n.effT, make([]T, in*out))
	}
	n.eff = n.w
	return n
}

// Clone returns a network with a copy of n's parameters and buffers of its own. It does not
// carry a Lipschitz constraint: it is for the vector-valued networks.
func (n *Net[T]) Clone() *Net[T] {
	c := alloc[T](n.Arch, n.Sizes, len(n.Params)-n.weightCount())
	copy(c.Params, n.Params)
	c.Refresh()
	return c
}

func (n *Net[T]) weightCount() int {
	total := 0
	for l := range n.w {
		total += len(n.w[l]) + len(n.b[l])
	}
	return total
}

func (a Arch) validate() error {
	switch {
	case a.In < 1 || a.In > 1<<16:
		return fmt.Errorf("input dimension = %d, want 1..65536", a.In)
	case a.Width < 1 || a.Width > 4096:
		return fmt.Errorf("width = %d, want 1..4096", a.Width)
	case a.Depth < 1 || a.Depth > 16:
		return fmt.Errorf("depth = %d, want 1..16", a.Depth)
	case a.Heads < 1 || a.Heads > 1024:
		return fmt.Errorf("heads = %d, want 1..1024", a.Heads)
	case a.Act < 0 || int(a.Act) >= len(activationNames):
		return fmt.Errorf("activation = %d, want one of %v", a.Act, activationNames)
	}
	return nil
}

// Layers is the number D of weight matrices.
func (n *Net[T]) Layers() int { return len(n.w) }

// Weights returns weight matrix l (fan-in x fan-out, row-major) as stored, before any
// normalization, and Bias its bias; both alias Params.
func (n *Net[T]) Weights(l int) []T { return n.w[l] }
func (n *Net[T]) Bias(l int) []T    { return n.b[l] }

// Refresh recomputes the transposed weights; call it after Params change.
func (n *Net[T]) Refresh() {
	for l, w := range n.eff {
		in, out := n.Sizes[l], n.Sizes[l+1]
		t := n.effT[l]
		for i := range in {
			for j := range out {
				t[j*in+i] = w[i*out+j]
			}
		}
	}
}

// reserve makes the batch buffers hold at least rows samples. It allocates only when the batch
// grows, so that steps in the steady state allocate nothing.
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
	n.ones = make([]T, rows)
	for i := range n.ones {
		n.ones[i] = 1
	}
	n.tan = nil
}

// Forward evaluates phi on the rows rows of x (row-major, rows x In) and writes to phi[i] the
// head labels[i] of row i (head 0 when labels is nil). It keeps the activations for Backward.
func (n *Net[T]) Forward(x []T, rows int, labels []int32, phi []T) {
	n.begin(x, rows)
	n.forwardRows(0, rows, labels, phi)
}

// begin makes x (rows x In) the batch of the row-range passes below, which may then run on
// disjoint ranges of rows at once: every row's activations have their own place in the buffers.
func (n *Net[T]) begin(x []T, rows int) {
	n.reserve(rows)
	n.x = x[:rows*n.In]
}

// forwardRows is Forward for rows lo..hi-1 of the batch set by begin; phi and labels are indexed
// by row.
func (n *Net[T]) forwardRows(lo, hi int, labels []int32, phi []T) {
	z := n.logitsRows(lo, hi)
	H := n.Heads
	for i := lo; i < hi; i++ {
		c := 0
		if labels != nil {
			c = int(labels[i])
		}
		phi[i] = z[(i-lo)*H+c]
	}
}

// Logits evaluates the network on rows rows of x (rows x In) and returns every output
// (rows x Heads, a buffer of n's that the next forward pass overwrites). It keeps the
// activations for BackwardLogits.
func (n *Net[T]) Logits(x []T, rows int) []T {
	n.begin(x, rows)
	return n.logitsRows(0, rows)
}

// logitsRows evaluates rows lo..hi-1 of the batch set by begin and returns their outputs.
func (n *Net[T]) logitsRows(lo, hi int) []T {
	rows := hi - lo
	in := n.x[lo*n.In : hi*n.In]
	D := len(n.w)
	for l := range D {
		out := n.Sizes[l+1]
		z := n.z[l][lo*out : hi*out]
		b := n.b[l]
		if l < D-1 && n.Act == ReLU {
			if h := n.h[l][lo*out : hi*out]; fusedReLU(rows, n.Sizes[l], out, in, n.eff[l], b, z, h) {
				in = h
				continue
			}
		}
		for i := range rows {
			copy(z[i*out:i*out+out], b)
		}
		gemmNN(rows, n.Sizes[l], out, in, n.eff[l], z)
		if l == D-1 {
			return z
		}
		h := n.h[l][lo*out : hi*out]
		forwardAct(n.Act, z, h)
		in = h
	}
	return nil
}

// Backward back-propagates dphi (d loss / d phi for each row of the last Forward). With
// weights set it adds d loss / d Params to Grad; with dx non-nil it writes d loss / d x
// (rows x In) to dx. The gradient is with respect to the weights the forward pass used; see
// finishGrad for spectral normalization.
func (n *Net[T]) Backward(rows int, labels []int32, dphi []T, weights bool, dx []T) {
	gw, gb := n.gw, n.gb
	if !weights {
		gw, gb = nil, nil
	}
	n.backwardRows(0, rows, labels, dphi, gw, gb, dx)
}

// backwardRows is Backward for rows lo..hi-1 of the last forward pass (labels, dphi and dx
// indexed by row), adding the weight gradient to gw and gb (the layout of Grad; nil: none).
func (n *Net[T]) backwardRows(lo, hi int, labels []int32, dphi []T, gw, gb [][]T, dx []T) {
	H := n.Heads
	dz := n.dz[len(n.w)-1][lo*H : hi*H]
	clear(dz)
	for i := lo; i < hi; i++ {
		c := 0
		if labels != nil {
			c = int(labels[i])
		}
		dz[(i-lo)*H+c] = dphi[i]
	}
	n.backwardLogitsRows(lo, hi, dz, gw, gb, dx)
}

// BackwardLogits back-propagates dout (d loss / d outputs, rows x Heads) through the last
// forward pass, as Backward does: the vector-Jacobian product dout^T J for dx.
func (n *Net[T]) BackwardLogits(dout []T, rows int, weights bool, dx []T) {
	gw, gb := n.gw, n.gb
	if !weights {
		gw, gb = nil, nil
	}
	n.backwardLogitsRows(0, rows, dout[:rows*n.Heads], gw, gb, dx)
}

// backwardLogitsRows back-propagates dout (the outputs' adjoints of rows lo..hi-1, (hi-lo) x
// Heads), adding the weight gradient to gw, gb unless they are nil and writing the input
// gradient to rows lo..hi-1 of dx unless it is nil. The bias gradient sums the rows in order.
func (n *Net[T]) backwardLogitsRows(lo, hi int, dout []T, gw, gb [][]T, dx []T) {
	rows := hi - lo
	dz := dout
	for l := len(n.w) - 1; l >= 0; l-- {
		in, out := n.Sizes[l], n.Sizes[l+1]
		if gw != nil {
			var hin []T
			if l > 0 {
				hin = n.h[l-1][lo*in : hi*in]
			} else {
				hin = n.x[lo*in : hi*in]
			}
			gemmTN(rows, in, out, hin, dz, gw[l])
			addRows(gb[l][:out], dz, rows)
		}
		if l == 0 && dx == nil {
			return
		}
		var dh []T
		if l > 0 {
			dh = n.dz[l-1][lo*in : hi*in]
		} else {
			dh = dx[lo*in : hi*in]
		}
		if l > 0 && n.Act == ReLU && fusedReLUBack(rows, out, in, dz, n.effT[l], n.h[l-1][lo*in:hi*in], dh) {
			dz = dh
			continue
		}
		clear(dh)
		gemmNN(rows, out, in, dz, n.effT[l], dh)
		if l == 0 {
			return
		}
		backwardAct(n.Act, n.z[l-1][lo*in:hi*in], n.h[l-1][lo*in:hi*in], dh)
		dz = dh
	}
}

// fusedReLU sets z = bias + in*w and h = relu(z) for rows rows in one pass, where a float32
// kernel does (nnBiasReLU32), and reports whether it did.
func fusedReLU[T Float](rows, k, m int, in, w, bias, z, h []T) bool {
	in32, ok := any(in).([]float32)
	return ok && nnBiasReLU32(rows, k, m, in32, any(w).([]float32), any(bias).([]float32), any(z).([]float32), any(h).([]float32))
}

// fusedReLUBack sets dh = dz*wT where h > 0, 0 elsewhere, in one pass, where a float32 kernel
// does (nnReLUBack32), and reports whether it did.
func fusedReLUBack[T Float](rows, k, m int, dz, wT, h, dh []T) bool {
	dz32, ok := any(dz).([]float32)
	return ok && nnReLUBack32(rows, k, m, dz32, any(wT).([]float32), any(h).([]float32), any(dh).([]float32))
}

// addRows adds the rows rows of d (rows x len(g)) to g, one row after the other: each g[j]
// becomes g[j] + d[0][j] + d[1][j] + ..., in that order (the float32 version, addRows32, sums
// L columns at once in the same order).
func addRows[T Float](g, d []T, rows int) {
	if g32, ok := any(g).([]float32); ok {
		addRows32(g32, any(d).([]float32), rows)
		return
	}
	addRowsLoop(g, d, rows, len(g))
}

// addRowsLoop adds to each g[j] the column j of d, whose rows are stride apart, row by row.
func addRowsLoop[T Float](g, d []T, rows, stride int) {
	for j := range g {
		s := g[j]
		for i := range rows {
			s += d[i*stride+j]
		}
		g[j] = s
	}
}

// InputGrad writes grad_x phi (the head of each row's label) of the last Forward to dx.
func (n *Net[T]) InputGrad(rows int, labels []int32, dx []T) { n.inputGradRows(0, rows, labels, dx) }

// inputGradRows is InputGrad for rows lo..hi-1 (labels and dx indexed by row).
func (n *Net[T]) inputGradRows(lo, hi int, labels []int32, dx []T) {
	n.backwardRows(lo, hi, labels, n.ones, nil, nil, dx)
}

// gradBuf is a vector laid out as Grad (flat), with its views per layer: a shard's partial
// gradient.
type gradBuf[T Float] struct {
	flat []T
	w, b [][]T
}

// newGradBuf returns a zero gradBuf for n's parameters.
func (n *Net[T]) newGradBuf() gradBuf[T] {
	g := gradBuf[T]{flat: make([]T, len(n.Grad))}
	off := 0
	for l := range n.w {
		g.w = append(g.w, g.flat[off:off+len(n.w[l])])
		off += len(n.w[l])
		g.b = append(g.b, g.flat[off:off+len(n.b[l])])
		off += len(n.b[l])
	}
	return g
}
