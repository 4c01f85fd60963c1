//go:build js && wasm

package render

import (
	"math"

	"github.com/hajimehoshi/ebiten/v2"
)

// RGBA is a straight-alpha colour with components in [0, 1].
type RGBA struct{ R, G, B, A float32 }

func rgb8(c [3]uint8, a float32) RGBA {
	return RGBA{float32(c[0]) / 255, float32(c[1]) / 255, float32(c[2]) / 255, a}
}

func gray(v, a float32) RGBA { return RGBA{v, v, v, a} }

// maxBatchVerts is the most vertices one DrawTriangles call can index with uint16 indices.
const maxBatchVerts = 65535

// batch collects solid shapes (lines with soft edges, rectangles, triangles) into one vertex slice
// and draws them with as few DrawTriangles calls as possible. Its slices are reused across frames.
type batch struct {
	dst   *ebiten.Image
	src   *ebiten.Image // lineTex
	verts []ebiten.Vertex
	idx   []uint16
	opts  ebiten.DrawTrianglesOptions
}

// lineTex is a 4x4 white texture whose rows are transparent, opaque, opaque, transparent: a quad
// whose cross-section spans v = 0.5 .. 3.5 gets soft, anti-aliased long edges under linear filtering.
func newLineTex() *ebiten.Image {
	img := ebiten.NewImage(4, 4)
	pix := make([]byte, 4*4*4)
	for y := 1; y <= 2; y++ {
		for x := 0; x < 4; x++ {
			o := (y*4 + x) * 4
			pix[o], pix[o+1], pix[o+2], pix[o+3] = 255, 255, 255, 255
		}
	}
	img.WritePixels(pix)
	return img
}

func (b *batch) begin(dst, src *ebiten.Image) {
	b.dst, b.src = dst, src
	b.verts, b.idx = b.verts[:0], b.idx[:0]
	b.opts.Filter = ebiten.FilterLinear
	b.opts.DisableMipmaps = true
}

func (b *batch) flush() {
	if len(b.idx) > 0 && b.dst != nil {
		b.dst.DrawTriangles(b.verts, b.idx, b.src, &b.opts)
	}
	b.verts, b.idx = b.verts[:0], b.idx[:0]
}

func (b *batch) reserve(nv int) {
	if len(b.verts)+nv > maxBatchVerts {
		b.flush()
	}
}

func (b *batch) vert(x, y, u, v float32, c RGBA) {
	b.verts = append(b.verts, ebiten.Vertex{DstX: x, DstY: y, SrcX: u, SrcY: v, ColorR: c.R, ColorG: c.G, ColorB: c.B, ColorA: c.A})
}

// quad adds the quadrilateral a-b-c-d (in order around it).
func (b *batch) quadIdx() {
	n := uint16(len(b.verts) - 4)
	b.idx = append(b.idx, n, n+1, n+2, n, n+2, n+3)
}

// line adds a segment of width w pixels with soft edges.
func (b *batch) line(x0, y0, x1, y1, w float64, c RGBA) {
	dx, dy := x1-x0, y1-y0
	l := math.Hypot(dx, dy)
	if !(l > 1e-6) || math.IsInf(l, 0) {
		return
	}
	// Half the quad's width: the line plus a fringe of half a pixel each side.
	h := (w + 1) / 2
	nx, ny := -dy/l*h, dx/l*h
	// Extend the ends by half the width so that joined segments overlap.
	ex, ey := dx/l*w/2, dy/l*w/2
	b.reserve(4)
	b.vert(float32(x0-ex+nx), float32(y0-ey+ny), 2, 0.5, c)
	b.vert(float32(x1+ex+nx), float32(y1+ey+ny), 2, 0.5, c)
	b.vert(float32(x1+ex-nx), float32(y1+ey-ny), 2, 3.5, c)
	b.vert(float32(x0-ex-nx), float32(y0-ey-ny), 2, 3.5, c)
	b.quadIdx()
}

// hline and vline draw crisp axis-aligned lines of width w, centred on a pixel-aligned position.
func (b *batch) hline(x0, x1, y, w float64, c RGBA) {
	y = math.Floor(y) + 0.5
	b.rect(x0, y-w/2, x1-x0, w, c)
}

func (b *batch) vline(x, y0, y1, w float64, c RGBA) {
	x = math.Floor(x) + 0.5
	b.rect(x-w/2, y0, w, y1-y0, c)
}

// rect adds a filled rectangle.
func (b *batch) rect(x, y, w, h float64, c RGBA) {
	if w <= 0 || h <= 0 {
		return
	}
	b.reserve(4)
	b.vert(float32(x), float32(y), 2, 2, c)
	b.vert(float32(x+w), float32(y), 2, 2, c)
	b.vert(float32(x+w), float32(y+h), 2, 2, c)
	b.vert(float32(x), float32(y+h), 2, 2, c)
	b.quadIdx()
}

// frame adds a rectangle's outline of width w inside (x, y, w, h).
func (b *batch) frame(x, y, w, h, lw float64, c RGBA) {
	b.rect(x, y, w, lw, c)
	b.rect(x, y+h-lw, w, lw, c)
	b.rect(x, y+lw, lw, h-2*lw, c)
	b.rect(x+w-lw, y+lw, lw, h-2*lw, c)
}

// tri adds a filled triangle.
func (b *batch) tri(x0, y0, x1, y1, x2, y2 float64, c RGBA) {
	b.reserve(3)
	n := uint16(len(b.verts))
	b.vert(float32(x0), float32(y0), 2, 2, c)
	b.vert(float32(x1), float32(y1), 2, 2, c)
	b.vert(float32(x2), float32(y2), 2, 2, c)
	b.idx = append(b.idx, n, n+1, n+2)
}

// polyline adds the segments joining the points (x, y pairs); a NaN pair breaks the line.
func (b *batch) polyline(pts []float32, w float64, c RGBA) {
	for i := 2; i+1 < len(pts); i += 2 {
		x0, y0, x1, y1 := float64(pts[i-2]), float64(pts[i-1]), float64(pts[i]), float64(pts[i+1])
		if math.IsNaN(x0) || math.IsNaN(x1) {
			continue
		}
		b.line(x0, y0, x1, y1, w, c)
	}
}
