// Package logmap is the map of lipflow's log-compressed view, v -> sign(v) log(1+|v|), and its
// inverse.
//
// The map is odd, monotone and maps 0 to 0; near 0 it is nearly the identity and far out it
// grows like log|v|, so that heavy tails and the bulk fit in one picture. Two programs must agree
// on it to the bit: the view (package render), which draws in these coordinates, and the engine
// (wasm/engine), which places the heat map's grid nodes uniformly in them. Both use this package,
// which imports nothing but math so that the engine's worker does not pull in the drawing code.
// The page's canvas fallback (tf in www/lipflow.js) mirrors Fwd in JavaScript.
package logmap

import "math"

// Fwd maps a data coordinate v to sign(v) log(1+|v|).
func Fwd(v float64) float64 {
	if v < 0 {
		return -math.Log1p(-v)
	}
	return math.Log1p(v)
}

// Inv is the inverse of Fwd: sign(u) (exp(|u|)-1).
func Inv(u float64) float64 {
	if u < 0 {
		return -math.Expm1(-u)
	}
	return math.Expm1(u)
}

// Slope is dFwd/dv at v: 1/(1+|v|).
func Slope(v float64) float64 { return 1 / (1 + math.Abs(v)) }
