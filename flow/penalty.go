package flow

import "math"

// A gradient penalty (Penalty, PenaltyRef, TwoSided: see Constraint) is a function of the input
// gradients g_i = grad_x phi(x_i), and depends on the weights through them. Its weight gradient
// is that of sum_i u_i . g_i with
// u_i = d penalty / d g_i held fixed, and u . grad_x phi(x) is the directional derivative of phi
// along u: a forward pass of tangents zdot_l = d z_l / d eps at x + eps u,
//
//	zdot_1 = u W_1,   hdot_l = sigma'(z_l) zdot_l,   zdot_{l+1} = hdot_l W_{l+1},
//
// whose output is u . g. Back-propagating through both the tangent and the primal pass (the
// primal only where sigma'' is nonzero) gives the weight gradient.

// tangent holds the buffers of the penalty's passes.
type tangent[T Float] struct {
	g, u    []T   // rows x In: input gradients and d penalty / d g
	zd, hd  [][]T // tangents per layer
	dzd, dz [][]T // adjoints of the tangent and of the primal pre-activations
	tmp     []T
}

func (n *Net[T]) tangentBuffers() *tangent[T] {
	if n.tan != nil {
		return n.tan
	}
	t := &tangent[T]{g: make([]T, n.rows*n.In), u: make([]T, n.rows*n.In)}
	wmax := 0
	for l := 1; l < len(n.Sizes); l++ {
		size := n.rows * n.Sizes[l]
		t.zd = append(t.zd, make([]T, size))
		t.hd = append(t.hd, make([]T, size))
		t.dzd = append(t.dzd, make([]T, size))
		t.dz = append(t.dz, make([]T, size))
		wmax = max(wmax, n.Sizes[l])
	}
	t.tmp = make([]T, n.rows*wmax)
	n.tan = t
	return t
}

// addPenalty adds the weight gradient of the network's gradient penalty at the first rows rows
// of the last Forward to Grad, and returns the penalty's value.
func (n *Net[T]) addPenalty(rows int, labels []int32) float64 {
	n.tangentBuffers()
	return n.penaltyRows(0, rows, rows, labels, n.gw, n.gb)
}

// penaltyRows adds to gw, gb the weight gradient of the part of the penalty (a mean over total
// rows) that rows lo..hi-1 of the last forward pass contribute, and returns that part. The
// buffers must exist (tangentBuffers) before ranges of rows run at once.
func (n *Net[T]) penaltyRows(lo, hi, total int, labels []int32, gw, gb [][]T) float64 {
	p := n.lip
	t := n.tan
	d := n.In
	n.inputGradRows(lo, hi, labels, t.g)
	u := t.u[lo*d : hi*d]
	value, active := penaltyAdjoint(p.kind, p.L, p.lambda, total, t.g[lo*d:hi*d], u, d)
	if active {
		n.tangentGradRows(lo, hi, labels, u, gw, gb)
	}
	return value
}

// penaltyAdjoint returns the part of the penalty of kind (a mean over total rows) of the input
// gradients g (rows x d), writes its derivative with respect to each g to u, and reports
// whether any row contributes to it.
func penaltyAdjoint[T Float](kind Constraint, L, lambda float64, total int, g, u []T, d int) (value float64, active bool) {
	rows := len(g) / d
	clear(u)
	switch kind {
	case PenaltyRef:
		// lambda/(rows d) sum_{i,k} relu(g_ik^2/L^2 - 1)
		k := lambda / float64(total*d)
		for i, v := range g {
			if excess := float64(v)*float64(v)/(L*L) - 1; excess > 0 {
				value += excess
				u[i] = T(k * 2 * float64(v) / (L * L))
				active = true
			}
		}
		return k * value, active
	case TwoSided:
		// lambda/rows sum_i (|g_i|/L - 1)^2; at g_i = 0 the derivative's direction is undefined
		// and taken as 0.
		k := lambda / float64(total)
		for i := range rows {
			gi := g[i*d : i*d+d]
			var s float64
			for _, v := range gi {
				s += float64(v) * float64(v)
			}
			r := math.Sqrt(s) / L
			value += (r - 1) * (r - 1)
			if s == 0 {
				continue
			}
			active = true
			c := k * 2 * (r - 1) / (r * L * L) // d/dg of (|g|/L - 1)^2 is 2 (r-1) g / (|g| L)
			for j, v := range gi {
				u[i*d+j] = T(c * float64(v))
			}
		}
		return k * value, active
	}
	// Penalty: lambda/rows sum_i relu(|g_i|^2/L^2 - 1)
	k := lambda / float64(total)
	for i := range rows {
		gi := g[i*d : i*d+d]
		var s float64
		for _, v := range gi {
			s += float64(v) * float64(v)
		}
		excess := s/(L*L) - 1
		if excess <= 0 {
			continue
		}
		active = true
		value += excess
		for j, v := range gi {
			u[i*d+j] = T(k * 2 / (L * L) * float64(v))
		}
	}
	return k * value, active
}

// tangentGradRows adds d/dParams sum_i u_i . grad_x phi(x_i) over rows lo..hi-1 to gw, gb
// (u holds those rows).
func (n *Net[T]) tangentGradRows(lo, hi int, labels []int32, u []T, gw, gb [][]T) {
	rows := hi - lo
	t := n.tan
	D := len(n.w)
	curved := n.Act != ReLU && n.Act != LeakyReLU // sigma'' != 0 somewhere
	// Tangent forward.
	in := u
	for l := range D {
		out := n.Sizes[l+1]
		zd := t.zd[l][lo*out : hi*out]
		clear(zd)
		gemmNN(rows, n.Sizes[l], out, in, n.eff[l], zd)
		if l == D-1 {
			break
		}
		hd := t.hd[l][lo*out : hi*out]
		copy(hd, zd)
		backwardAct(n.Act, n.z[l][lo*out:hi*out], n.h[l][lo*out:hi*out], hd)
		in = hd
	}
	// Backward: dzd is the adjoint of zdot_l, dz that of z_l.
	H := n.Heads
	dzd := t.dzd[D-1][lo*H : hi*H]
	clear(dzd)
	for i := lo; i < hi; i++ {
		c := 0
		if labels != nil {
			c = int(labels[i])
		}
		dzd[(i-lo)*H+c] = 1
	}
	var dz []T // nil while the primal adjoint is zero
	for l := D - 1; l >= 0; l-- {
		fanIn, out := n.Sizes[l], n.Sizes[l+1]
		var hdIn, hIn []T
		if l > 0 {
			hdIn, hIn = t.hd[l-1][lo*fanIn:hi*fanIn], n.h[l-1][lo*fanIn:hi*fanIn]
		} else {
			hdIn, hIn = u, n.x[lo*fanIn:hi*fanIn]
		}
		gemmTN(rows, fanIn, out, hdIn, dzd, gw[l])
		if dz != nil {
			gemmTN(rows, fanIn, out, hIn, dz, gw[l])
			addRows(gb[l][:out], dz, rows)
		}
		if l == 0 {
			break
		}
		z := n.z[l-1][lo*fanIn : hi*fanIn]
		h := n.h[l-1][lo*fanIn : hi*fanIn]
		// Adjoint of hdot_{l-1}, then of zdot_{l-1} (times sigma') and, through sigma'', of z_{l-1}.
		dhd := t.dzd[l-1][lo*fanIn : hi*fanIn]
		clear(dhd)
		gemmNN(rows, out, fanIn, dzd, n.effT[l], dhd)
		var ndz []T
		if curved {
			ndz = t.dz[l-1][lo*fanIn : hi*fanIn]
			zd := t.zd[l-1][lo*fanIn : hi*fanIn]
			for i, v := range z {
				_, _, dds := n.Act.eval(float64(v))
				ndz[i] = dhd[i] * zd[i] * T(dds)
			}
			if dz != nil {
				tmp := t.tmp[lo*fanIn : hi*fanIn]
				clear(tmp)
				gemmNN(rows, out, fanIn, dz, n.effT[l], tmp)
				backwardAct(n.Act, z, h, tmp)
				for i, v := range tmp {
					ndz[i] += v
				}
			}
		}
		backwardAct(n.Act, z, h, dhd)
		dzd, dz = dhd, ndz
	}
}
