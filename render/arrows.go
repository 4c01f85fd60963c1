//go:build js && wasm

package render

import "math"

// drawArrows draws -grad phi on a grid of about 20 x 20 screen cells, arrow length proportional to
// the gradient's norm relative to the field's largest.
func (r *Renderer) drawArrows(tr *Transform, f *Field) {
	if !(f.GradMax > 0) {
		return
	}
	sp := math.Max(math.Max(tr.W, tr.H)/20, r.px(22))
	nx, ny := max(1, int(tr.W/sp)), max(1, int(tr.H/sp))
	cw, ch := tr.W/float64(nx), tr.H/float64(ny)
	cell := math.Min(cw, ch)
	lw := math.Max(1, r.px(1.1))
	for j := 0; j < ny; j++ {
		sy := tr.Y + (float64(j)+0.5)*ch
		for i := 0; i < nx; i++ {
			sx := tr.X + (float64(i)+0.5)*cw
			x, y := tr.ToData(sx, sy)
			gx, gy, ok := f.Gradient(x, y)
			if !ok {
				continue
			}
			m := math.Hypot(gx, gy)
			if !(m > 0) {
				continue
			}
			vx, vy := -gx*WarpSlope(x, tr.Log), gy*WarpSlope(y, tr.Log)
			vl := math.Hypot(vx, vy)
			if !(vl > 0) {
				continue
			}
			vx, vy = vx/vl, vy/vl
			L := cell * 0.8 * math.Min(1, m/f.GradMax)
			if L < r.px(3) {
				L = r.px(3)
			}
			hx, hy := sx+vx*L/2, sy+vy*L/2
			tx, ty := sx-vx*L/2, sy-vy*L/2
			hl := math.Min(L*0.42, r.px(7))
			hw := hl * 0.5
			bx, by := hx-vx*hl, hy-vy*hl
			r.b.line(tx, ty, bx+vx*hl*0.3, by+vy*hl*0.3, lw, colArrow)
			r.b.tri(hx, hy, bx-vy*hw, by+vx*hw, bx+vy*hw, by-vx*hw, colArrow)
		}
	}
}
