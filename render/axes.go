//go:build js && wasm

package render

import (
	"github.com/hajimehoshi/ebiten/v2"
)

// axisTicks are one axis's ticks for the current frame, in screen coordinates.
type axisTicks struct {
	pos    []float64 // screen coordinate of each labelled tick
	labels []string
	minor  []float64 // screen coordinates of minor ticks
}

// computeTicks fills r.xt and r.yt for the plot.
func (r *Renderer) computeTicks(tr *Transform) {
	maxX := int(clamp(tr.W/r.px(80), 3, 10))
	maxY := int(clamp(tr.H/r.px(42), 3, 10))
	r.axis(&r.xt, tr, tr.U0, tr.U1, maxX, func(v float64) float64 { return tr.ScreenX(v) })
	r.axis(&r.yt, tr, tr.V0, tr.V1, maxY, func(v float64) float64 { return tr.ScreenY(v) })
}

func (r *Renderer) axis(a *axisTicks, tr *Transform, lo, hi float64, maxTicks int, screen func(float64) float64) {
	a.pos, a.labels, a.minor = a.pos[:0], a.labels[:0], a.minor[:0]
	if tr.Log {
		ticks, minor, dec, step := LogTicks(r.ticks[:0], r.minor[:0], lo, hi, maxTicks)
		r.ticks, r.minor = ticks, minor
		for _, v := range ticks {
			a.pos = append(a.pos, screen(v))
			if dec {
				a.labels = append(a.labels, FormatLogTick(v))
			} else {
				a.labels = append(a.labels, FormatTick(v, step))
			}
		}
		for _, v := range minor {
			a.minor = append(a.minor, screen(v))
		}
		return
	}
	ticks, step := NiceTicks(r.ticks[:0], lo, hi, maxTicks)
	r.ticks = ticks
	for _, v := range ticks {
		a.pos = append(a.pos, screen(v))
		a.labels = append(a.labels, FormatTick(v, step))
	}
}

// drawTickLabels writes the axes' labels. A label that would overlap one already placed is left
// out; 0 is placed first, so that it survives where the log view crowds 0 and ±1.
func (r *Renderer) drawTickLabels(dst *ebiten.Image, p *Rect) {
	gap := r.px(6)
	r.placed = r.placed[:0]
	for pass := 0; pass < 2; pass++ {
		for i, x := range r.xt.pos {
			if (r.xt.labels[i] == "0") != (pass == 0) {
				continue
			}
			w := r.advance(r.xt.labels[i])
			if r.overlaps(x-w/2-gap/2, x+w/2+gap/2) {
				continue
			}
			r.placed = append(r.placed, [2]float64{x - w/2 - gap/2, x + w/2 + gap/2})
			r.text(dst, r.xt.labels[i], x, p.Y+p.H+r.px(7), alignCenter, alignStart, colText)
		}
	}
	r.placed = r.placed[:0]
	lh := r.smallLine
	for pass := 0; pass < 2; pass++ {
		for i, y := range r.yt.pos {
			if (r.yt.labels[i] == "0") != (pass == 0) {
				continue
			}
			if r.overlaps(y-lh/2, y+lh/2) {
				continue
			}
			r.placed = append(r.placed, [2]float64{y - lh/2, y + lh/2})
			r.text(dst, r.yt.labels[i], p.X-r.px(8), y, alignEnd, alignCenter, colText)
		}
	}
}

func (r *Renderer) overlaps(a, b float64) bool {
	for _, iv := range r.placed {
		if a < iv[1] && b > iv[0] {
			return true
		}
	}
	return false
}

// drawGrid adds a grid line at every labelled tick to r.b, to be drawn under the plot's content.
func (r *Renderer) drawGrid(p *Rect, lw float64) {
	for _, x := range r.xt.pos {
		r.b.vline(x, p.Y, p.Y+p.H, lw, colGrid)
	}
	for _, y := range r.yt.pos {
		r.b.hline(p.X, p.X+p.W, y, lw, colGrid)
	}
}

// drawAxes draws the frame around the plot p, lw pixels wide, the tick marks outside it and their
// labels.
func (r *Renderer) drawAxes(dst *ebiten.Image, p *Rect, lw float64) {
	r.b.begin(dst, r.lineTex)
	r.b.frame(p.X-lw, p.Y-lw, p.W+2*lw, p.H+2*lw, lw, colAxis)
	tl := r.px(5)
	bottom := p.Y + p.H
	for _, x := range r.xt.pos {
		r.b.vline(x, bottom, bottom+tl, lw, colAxis)
	}
	for _, x := range r.xt.minor {
		r.b.vline(x, bottom, bottom+tl*0.6, lw, colAxis)
	}
	for _, y := range r.yt.pos {
		r.b.hline(p.X-tl, p.X, y, lw, colAxis)
	}
	for _, y := range r.yt.minor {
		r.b.hline(p.X-tl*0.6, p.X, y, lw, colAxis)
	}
	r.b.flush()
	r.drawTickLabels(dst, p)
}
