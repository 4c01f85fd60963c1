//go:build js && wasm

package render

import (
	"math"

	"github.com/hajimehoshi/ebiten/v2"
)

// maxQuad is the most sprites one DrawTriangles call draws: four vertices each.
const maxQuad = maxBatchVerts / 4

// dotSprite is a white disc of diameter d pixels (rounded to a quarter pixel) with a darker rim:
// tinted by a vertex colour it gives a particle with a darker outline of its own hue, which stays
// visible on any background. It returns the sprite and its size in pixels.
func (r *Renderer) dotSprite(d float64) (*ebiten.Image, int) {
	key := int(math.Round(d * 4))
	size := int(math.Ceil(float64(key)/4 + 1))
	if img, ok := r.dots[key]; ok {
		return img, size
	}
	rad := float64(key) / 8
	c := float64(size) / 2
	pix := make([]byte, size*size*4)
	const ss = 4 // supersampling per axis
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			cov, lum := 0.0, 0.0
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					dx := float64(x) + (float64(sx)+0.5)/ss - c
					dy := float64(y) + (float64(sy)+0.5)/ss - c
					dist := math.Hypot(dx, dy)
					if dist <= rad {
						cov++
						if dist > rad-math.Max(0.9, rad*0.3) {
							lum += 0.5 // the rim
						} else {
							lum++
						}
					}
				}
			}
			a := cov / ss / ss
			v := lum / ss / ss // premultiplied
			o := (y*size + x) * 4
			pix[o], pix[o+1], pix[o+2], pix[o+3] = byte(math.Round(255*v)), byte(math.Round(255*v)), byte(math.Round(255*v)), byte(math.Round(255*a))
		}
	}
	img := ebiten.NewImage(size, size)
	img.WritePixels(pix)
	r.dots[key] = img
	return img, size
}

// drawDots draws one sprite per point (x, y pairs, data coordinates) of diameter d pixels, culling
// points outside the plot, in batches of one DrawTriangles call.
func (r *Renderer) drawDots(dst *ebiten.Image, tr *Transform, pts []float32, d float64, c RGBA) {
	img, size := r.dotSprite(d)
	s := float32(size)
	h := s / 2
	x0, x1 := tr.X-d, tr.X+tr.W+d
	y0, y1 := tr.Y-d, tr.Y+tr.H+d
	vs := r.dotVerts[:0]
	for i := 0; i+1 < len(pts); i += 2 {
		sx, sy := tr.ScreenX(float64(pts[i])), tr.ScreenY(float64(pts[i+1]))
		if !(sx >= x0 && sx <= x1 && sy >= y0 && sy <= y1) {
			continue // also drops NaN
		}
		// Whole pixels: the sprite maps 1:1 onto the screen.
		x, y := float32(math.Round(sx)), float32(math.Round(sy))
		vs = append(vs,
			ebiten.Vertex{DstX: x - h, DstY: y - h, SrcX: 0, SrcY: 0, ColorR: c.R, ColorG: c.G, ColorB: c.B, ColorA: c.A},
			ebiten.Vertex{DstX: x + h, DstY: y - h, SrcX: s, SrcY: 0, ColorR: c.R, ColorG: c.G, ColorB: c.B, ColorA: c.A},
			ebiten.Vertex{DstX: x + h, DstY: y + h, SrcX: s, SrcY: s, ColorR: c.R, ColorG: c.G, ColorB: c.B, ColorA: c.A},
			ebiten.Vertex{DstX: x - h, DstY: y + h, SrcX: 0, SrcY: s, ColorR: c.R, ColorG: c.G, ColorB: c.B, ColorA: c.A})
		if len(vs) >= maxQuad*4 {
			dst.DrawTriangles(vs, r.quadIdx, img, &r.dotOpts)
			vs = vs[:0]
		}
	}
	if len(vs) > 0 {
		dst.DrawTriangles(vs, r.quadIdx[:len(vs)/4*6], img, &r.dotOpts)
	}
	r.dotVerts = vs[:0]
}

// disc draws one particle sprite of diameter d centred at (x, y).
func (r *Renderer) disc(dst *ebiten.Image, x, y, d float64, c RGBA) {
	img, size := r.dotSprite(d)
	s := float32(size)
	h := s / 2
	fx, fy := float32(math.Round(x)), float32(math.Round(y))
	vs := append(r.dotVerts,
		ebiten.Vertex{DstX: fx - h, DstY: fy - h, SrcX: 0, SrcY: 0, ColorR: c.R, ColorG: c.G, ColorB: c.B, ColorA: c.A},
		ebiten.Vertex{DstX: fx + h, DstY: fy - h, SrcX: s, SrcY: 0, ColorR: c.R, ColorG: c.G, ColorB: c.B, ColorA: c.A},
		ebiten.Vertex{DstX: fx + h, DstY: fy + h, SrcX: s, SrcY: s, ColorR: c.R, ColorG: c.G, ColorB: c.B, ColorA: c.A},
		ebiten.Vertex{DstX: fx - h, DstY: fy + h, SrcX: 0, SrcY: s, ColorR: c.R, ColorG: c.G, ColorB: c.B, ColorA: c.A})
	dst.DrawTriangles(vs, r.quadIdx[:6], img, &r.dotOpts)
	r.dotVerts = vs[:0]
}
