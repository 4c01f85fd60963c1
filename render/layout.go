package render

import "math"

// Layout is where each part of the canvas goes, in screen pixels.
type Layout struct {
	W, H   float64 // the canvas
	Scale  float64 // device pixels per CSS pixel
	Status Rect    // the status line(s) at the top
	Plot   Rect    // the main plot's data area (axes labels outside it)
	Charts [3]Rect // the three charts' outer boxes (zero when hidden)
}

// ComputeLayout splits a w x h canvas (device pixels, dpr device pixels per CSS pixel) with the
// given number of status lines.
func ComputeLayout(w, h, dpr float64, charts bool, statusLines int) Layout {
	if !(dpr > 0) {
		dpr = 1
	}
	l := Layout{W: w, H: h, Scale: dpr}
	px := func(v float64) float64 { return math.Round(v * dpr) }
	statusLines = max(statusLines, 1)
	l.Status = Rect{X: px(8), Y: px(4), W: w - px(16), H: float64(statusLines) * px(LineHeightCSS)}
	top := l.Status.Y + l.Status.H + px(6)
	bottom := h
	if charts && h > px(260) {
		ch := math.Max(px(110), math.Round(0.25*h))
		bottom = h - ch
		gap := px(10)
		cw := (w - px(8) - 2*gap - px(8)) / 3
		for i := range l.Charts {
			l.Charts[i] = Rect{X: px(8) + float64(i)*(cw+gap), Y: bottom + px(6), W: cw, H: ch - px(10)}
		}
	}
	left, right, below := px(52), px(12), px(22)
	l.Plot = Rect{X: left, Y: top, W: math.Max(1, w-left-right), H: math.Max(1, bottom-top-below)}
	return l
}

// LineHeightCSS is the height of a status line in CSS pixels.
const LineHeightCSS = 17
