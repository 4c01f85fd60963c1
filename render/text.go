//go:build js && wasm

package render

import (
	"math"

	"github.com/hajimehoshi/ebiten/v2"
)

// align places a text's box on its anchor: for x its left edge, centre or right edge; for y its
// top, middle or bottom.
type align uint8

const (
	alignStart align = iota
	alignCenter
	alignEnd
)

// maxTextGlyphs bounds one text's quads so that their vertices fit uint16 indices.
const maxTextGlyphs = maxBatchVerts / 4

// setTextScale sets the font's size in device pixels for dpr (textScale) and makes the atlas it
// draws from: the glyphs' own pixels from 1 up, filtered down to their size below 1.
func (r *Renderer) setTextScale(dpr float64) {
	s := textScale(dpr)
	r.textScale = s
	as := math.Min(s, 1)
	if r.fontTex != nil && as == r.atlasScale {
		return
	}
	if r.fontTex != nil {
		r.fontTex.Deallocate()
	}
	r.atlasScale = as
	r.atlas = fontAtlas(as)
	r.fontTex = ebiten.NewImage(r.atlas.w, r.atlas.h)
	r.fontTex.WritePixels(r.atlas.pix)
	r.atlas.pix = nil
	r.textOpts.Filter = ebiten.FilterNearest
}

// advance is the width of s in device pixels.
func (r *Renderer) advance(s string) float64 {
	return float64(len(fontText(s))*glyphAdv) * r.textScale
}

// text draws s with its box anchored at (x, y).
func (r *Renderer) text(dst *ebiten.Image, s string, x, y float64, ha, va align, c RGBA) {
	r.cells(dst, fontText(s), x, y, ha, va, c)
}

// cells draws the font's cells t (fontText) with their box anchored at (x, y).
func (r *Renderer) cells(dst *ebiten.Image, t string, x, y float64, ha, va align, c RGBA) {
	if len(t) > maxTextGlyphs {
		t = t[:maxTextGlyphs]
	}
	sc := r.textScale
	w, h := float64(len(t)*glyphAdv)*sc, glyphH*sc
	switch ha {
	case alignCenter:
		x -= w / 2
	case alignEnd:
		x -= w
	}
	switch va {
	case alignCenter:
		y -= h / 2
	case alignEnd:
		y -= h
	}
	x, y = math.Round(x), math.Round(y)
	r.textVerts, r.textIdx = r.textVerts[:0], r.textIdx[:0]
	// Glyph boxes of whole device pixels: magnified by the scale from 1 up, at their size below.
	at := r.atlas
	m := float32(sc / r.atlasScale)
	gw, gh := float32(at.cw)*m, float32(at.ch)*m
	y0 := float32(y)
	for i := 0; i < len(t); i++ {
		if t[i] == ' ' {
			continue
		}
		u, v := at.cell(t[i])
		u0, v0, u1, v1 := float32(u), float32(v), float32(u+at.cw), float32(v+at.ch)
		x0 := float32(x + math.Round(float64(i*glyphAdv)*sc))
		n := uint16(len(r.textVerts))
		r.textVerts = append(r.textVerts,
			ebiten.Vertex{DstX: x0, DstY: y0, SrcX: u0, SrcY: v0, ColorR: c.R, ColorG: c.G, ColorB: c.B, ColorA: c.A},
			ebiten.Vertex{DstX: x0 + gw, DstY: y0, SrcX: u1, SrcY: v0, ColorR: c.R, ColorG: c.G, ColorB: c.B, ColorA: c.A},
			ebiten.Vertex{DstX: x0 + gw, DstY: y0 + gh, SrcX: u1, SrcY: v1, ColorR: c.R, ColorG: c.G, ColorB: c.B, ColorA: c.A},
			ebiten.Vertex{DstX: x0, DstY: y0 + gh, SrcX: u0, SrcY: v1, ColorR: c.R, ColorG: c.G, ColorB: c.B, ColorA: c.A},
		)
		r.textIdx = append(r.textIdx, n, n+1, n+2, n, n+2, n+3)
	}
	if len(r.textIdx) > 0 {
		dst.DrawTriangles(r.textVerts, r.textIdx, r.fontTex, &r.textOpts)
	}
}
