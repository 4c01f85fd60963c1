//go:build js && wasm

package render

import (
	"image"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
)

// Overlay is what the view draws besides the scene.
type Overlay struct {
	CursorX, CursorY float64
	CursorIn         bool
	Stroke           []float32 // points drawn in draw mode and not yet sent, data coordinates
}

func rectImage(r Rect) image.Rectangle {
	return image.Rect(int(math.Floor(r.X)), int(math.Floor(r.Y)), int(math.Ceil(r.X+r.W)), int(math.Ceil(r.Y+r.H)))
}

func rgbaColor(r, g, b, a float64) color.Color {
	return color.NRGBA{uint8(r*255 + 0.5), uint8(g*255 + 0.5), uint8(b*255 + 0.5), uint8(a*255 + 0.5)}
}

// drawLegend draws the legend in the plot's top-right corner: the runs, the targets and, when shown,
// the heat map's scale and the arrows.
func (r *Renderer) drawLegend(dst *ebiten.Image, sc *Scene, opt Options, p *Rect) {
	if !sc.HasFrame {
		return
	}
	type entry struct {
		kind  int // 0 run dot, 1 target dot, 2 heat bar, 3 arrow
		label string
		col   RGBA
	}
	var es [MaxRuns + 3]entry
	n := 0
	for k := 0; k < sc.NRuns; k++ {
		l := sc.Runs[k].Label
		if l == "" {
			l = "run " + string(rune('1'+k))
		}
		es[n] = entry{0, l, rgb8(RunColor(k), 1)}
		n++
	}
	if len(sc.Targets) >= 2 {
		l := sc.TargetLabel
		if l == "" {
			l = "targets"
		}
		es[n] = entry{1, l, colTarget}
		n++
	}
	heat := opt.Heat && sc.HasField && sc.Field.Valid() && sc.Field.HasPhi()
	if heat {
		es[n] = entry{2, "φ  " + FormatSig(sc.Field.PhiMin, 2) + " ... " + FormatSig(sc.Field.PhiMax, 2), colText}
		n++
	}
	if opt.Arrows && sc.HasField && sc.Field.Valid() && sc.Field.GradMax > 0 {
		es[n] = entry{3, "-grad φ (flow)", colText}
		n++
	}
	if n == 0 {
		return
	}
	icon := r.px(26)
	pad := r.px(7)
	lh := r.smallLine + r.px(2)
	w := 0.0
	for i := 0; i < n; i++ {
		w = math.Max(w, r.advance(es[i].label))
	}
	bw := pad + icon + r.px(5) + w + pad
	bh := pad*2 + float64(n)*lh - r.px(2)
	x0 := p.X + p.W - bw - r.px(8)
	y0 := p.Y + r.px(8)
	r.b.begin(dst, r.lineTex)
	r.b.rect(x0, y0, bw, bh, colPanel)
	r.b.frame(x0, y0, bw, bh, math.Max(1, r.px(1)), colBorder)
	for i := 0; i < n; i++ {
		cy := y0 + pad + float64(i)*lh + r.smallLine/2
		cx := x0 + pad + icon/2
		switch es[i].kind {
		case 2:
			bx := x0 + pad
			segs := 24
			for s := 0; s < segs; s++ {
				c := HeatLUT[s*255/(segs-1)]
				r.b.rect(bx+float64(s)*icon/float64(segs), cy-r.px(5), icon/float64(segs)+0.5, r.px(10), rgb8(c, 1))
			}
		case 3:
			L := icon * 0.8
			hl := r.px(6)
			r.b.line(cx-L/2, cy, cx+L/2-hl*0.7, cy, math.Max(1, r.px(1.1)), colArrow)
			r.b.tri(cx+L/2, cy, cx+L/2-hl, cy-hl*0.5, cx+L/2-hl, cy+hl*0.5, colArrow)
		}
	}
	r.b.flush()
	for i := 0; i < n; i++ {
		cy := y0 + pad + float64(i)*lh + r.smallLine/2
		cx := x0 + pad + icon/2
		switch es[i].kind {
		case 0:
			r.disc(dst, cx, cy, r.px(8), es[i].col)
		case 1:
			r.disc(dst, cx, cy, r.px(5), es[i].col)
		}
		c := colText
		if es[i].kind == 0 {
			c = es[i].col
		}
		r.text(dst, es[i].label, x0+pad+icon+r.px(5), cy, alignStart, alignCenter, c)
	}
}

// drawCorner writes the cursor's data coordinates (bottom right) and the draw-mode hint (bottom left).
func (r *Renderer) drawCorner(dst *ebiten.Image, tr *Transform, opt Options, ov *Overlay) {
	pad := r.px(4)
	if ov.CursorIn {
		x, y := tr.ToData(ov.CursorX, ov.CursorY)
		s := "x " + FormatSig(x, 4) + "   y " + FormatSig(y, 4)
		w := r.advance(s)
		bx := tr.X + tr.W - w - 2*pad - r.px(6)
		by := tr.Y + tr.H - r.smallLine - 2*pad - r.px(6)
		r.b.begin(dst, r.lineTex)
		r.b.rect(bx, by, w+2*pad, r.smallLine+2*pad, colPanel)
		r.b.flush()
		r.text(dst, s, bx+pad, by+pad+r.smallLine/2, alignStart, alignCenter, colText)
	}
	if opt.Draw {
		s := "draw mode: click or drag to add target points"
		w := r.advance(s)
		bx := tr.X + r.px(6)
		by := tr.Y + tr.H - r.smallLine - 2*pad - r.px(6)
		r.b.begin(dst, r.lineTex)
		r.b.rect(bx, by, w+2*pad, r.smallLine+2*pad, RGBA{1, 0.97, 0.85, 0.92})
		r.b.frame(bx, by, w+2*pad, r.smallLine+2*pad, math.Max(1, r.px(1)), RGBA{0.8, 0.6, 0.1, 1})
		r.b.flush()
		r.text(dst, s, bx+pad, by+pad+r.smallLine/2, alignStart, alignCenter, colText)
	}
}
