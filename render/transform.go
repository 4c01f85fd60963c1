package render

import (
	"math"
	"slices"

	"lipflow/render/logmap"
)

// Warp maps a data coordinate to plot space: the identity, or in the log-compressed view
// sign(v)*log(1+|v|) (logmap.Fwd), which is odd, monotone and maps 0 to 0.
func Warp(v float64, log bool) float64 {
	if !log {
		return v
	}
	return logmap.Fwd(v)
}

// Unwarp is the inverse of Warp.
func Unwarp(u float64, log bool) float64 {
	if !log {
		return u
	}
	return logmap.Inv(u)
}

// WarpSlope is dWarp/dv at v.
func WarpSlope(v float64, log bool) float64 {
	if !log {
		return 1
	}
	return logmap.Slope(v)
}

// Rect is a rectangle in screen pixels (y grows downwards).
type Rect struct{ X, Y, W, H float64 }

// Contains reports whether the point lies in r.
func (r Rect) Contains(x, y float64) bool {
	return x >= r.X && x < r.X+r.W && y >= r.Y && y < r.Y+r.H
}

// View is the region shown, in plot space (data space, or its log-compressed image): a centre and
// the half-extent R along the plot rectangle's shorter side. Both axes share one scale, so a circle
// in plot space stays a circle on screen whatever the rectangle's shape.
type View struct {
	CX, CY float64
	R      float64
	Log    bool
}

// DefaultView is shown before there is any data.
func DefaultView(log bool) View { return View{R: 5, Log: log} }

const (
	minR = 1e-12
	maxR = 1e300
)

// clampR keeps a half-extent where float64 can still resolve the view around its centre.
func clampR(r, cx, cy float64) float64 {
	lo := math.Max(minR, 1e-9*math.Max(math.Abs(cx), math.Abs(cy)))
	return math.Min(math.Max(r, lo), maxR)
}

// Transform maps data coordinates to screen pixels for a View drawn into a Rect.
type Transform struct {
	Rect
	Log            bool
	U0, U1, V0, V1 float64 // the plot-space bounds shown (V0 at the bottom)
	S              float64 // pixels per plot-space unit
}

// Transform returns the mapping of v onto r.
func (v View) Transform(r Rect) Transform {
	m := math.Min(r.W, r.H)
	if !(m > 0) {
		m = 1
	}
	R := v.R
	if !(R > 0) {
		R = 1
	}
	s := m / (2 * R)
	return Transform{
		Rect: r, Log: v.Log, S: s,
		U0: v.CX - r.W/(2*s), U1: v.CX + r.W/(2*s),
		V0: v.CY - r.H/(2*s), V1: v.CY + r.H/(2*s),
	}
}

// ScreenX maps a data x to a screen x.
func (t *Transform) ScreenX(x float64) float64 { return t.X + (Warp(x, t.Log)-t.U0)*t.S }

// ScreenY maps a data y to a screen y.
func (t *Transform) ScreenY(y float64) float64 { return t.Y + t.H - (Warp(y, t.Log)-t.V0)*t.S }

// toScreen maps a data point to the screen.
func (t *Transform) toScreen(x, y float64) (float64, float64) { return t.ScreenX(x), t.ScreenY(y) }

// ToData maps a screen point to data coordinates.
func (t *Transform) ToData(sx, sy float64) (float64, float64) {
	u := t.U0 + (sx-t.X)/t.S
	v := t.V0 + (t.Y+t.H-sy)/t.S
	return Unwarp(u, t.Log), Unwarp(v, t.Log)
}

// Region is the data region shown: x0 < x1, y0 < y1.
func (t *Transform) Region() (x0, x1, y0, y1 float64) {
	return Unwarp(t.U0, t.Log), Unwarp(t.U1, t.Log), Unwarp(t.V0, t.Log), Unwarp(t.V1, t.Log)
}

// Pan moves the view by a drag of (dx, dy) screen pixels: the content follows the pointer.
func (v *View) Pan(r Rect, dx, dy float64) {
	t := v.Transform(r)
	v.CX -= dx / t.S
	v.CY += dy / t.S
}

// ZoomAt scales the view by factor (< 1 zooms in) keeping the data point under the screen point
// (sx, sy) fixed.
func (v *View) ZoomAt(r Rect, sx, sy, factor float64) {
	if !(factor > 0) || math.IsInf(factor, 0) {
		return
	}
	t := v.Transform(r)
	pu := t.U0 + (sx-t.X)/t.S
	pv := t.V0 + (t.Y+t.H-sy)/t.S
	nr := clampR(v.R*factor, v.CX, v.CY)
	nt := View{R: nr, Log: v.Log}.Transform(r)
	v.R = nr
	v.CX = pu - (sx-r.X-r.W/2)/nt.S
	v.CY = pv + (sy-r.Y-r.H/2)/nt.S
}

// Fitter computes views that fit point sets; it keeps its scratch buffers between calls.
type Fitter struct{ xs, ys []float64 }

// Fit returns a view of the point sets (each x,y interleaved) on r. In the linear view the box is
// the 1st to 99th percentile on each axis (all points when there are few), so that a few far
// outliers do not squash the bulk; in the log view it holds every point. A margin of 8% is added.
func (f *Fitter) Fit(r Rect, log bool, sets ...[]float32) View {
	f.xs, f.ys = f.xs[:0], f.ys[:0]
	for _, s := range sets {
		for i := 0; i+1 < len(s); i += 2 {
			x, y := float64(s[i]), float64(s[i+1])
			if isFinite(x) && isFinite(y) {
				f.xs = append(f.xs, Warp(x, log))
				f.ys = append(f.ys, Warp(y, log))
			}
		}
	}
	if len(f.xs) == 0 {
		return DefaultView(log)
	}
	slices.Sort(f.xs)
	slices.Sort(f.ys)
	lo, hi := 0.0, 1.0
	if !log && len(f.xs) >= 50 {
		lo, hi = 0.01, 0.99
	}
	x0, x1 := quantileSorted(f.xs, lo), quantileSorted(f.xs, hi)
	y0, y1 := quantileSorted(f.ys, lo), quantileSorted(f.ys, hi)
	return boxView(r, log, x0, x1, y0, y1)
}

// boxView is the smallest view on r holding the plot-space box, plus a margin.
func boxView(r Rect, log bool, u0, u1, v0, v1 float64) View {
	hw, hh := u1/2-u0/2, v1/2-v0/2 // half extents, computed without overflow
	m := math.Min(r.W, r.H)
	R := math.Max(hw, hh)
	if r.W > 0 && r.H > 0 {
		R = math.Max(hw*m/r.W, hh*m/r.H)
	}
	R *= 1.08
	if !(R > 1e-6*math.Max(math.Abs(u0)+math.Abs(u1), math.Abs(v0)+math.Abs(v1))) || R < minR {
		// A single point, or all points on one spot: show a unit neighbourhood.
		R = math.Max(1, 0.1*math.Max(math.Abs(u0), math.Abs(v0)))
	}
	cx, cy := u0/2+u1/2, v0/2+v1/2
	return View{CX: cx, CY: cy, R: clampR(R, cx, cy), Log: log}
}

func quantileSorted(s []float64, q float64) float64 {
	if len(s) == 0 {
		return math.NaN()
	}
	p := q * float64(len(s)-1)
	i := int(p)
	if i >= len(s)-1 {
		return s[len(s)-1]
	}
	f := p - float64(i)
	return s[i]*(1-f) + s[i+1]*f
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
