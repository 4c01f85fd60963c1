//go:build js && wasm

package render

import (
	"math"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
)

// minus writes a leading minus sign as the typographic one.
func minus(s string) string {
	if strings.HasPrefix(s, "-") {
		return "−" + s[1:]
	}
	return s
}

// text draws s with its anchor at (x, y).
func (r *Renderer) text(dst *ebiten.Image, s string, face *text.GoTextFace, x, y float64, ha, va text.Align, c RGBA) {
	r.top.GeoM.Reset()
	r.top.GeoM.Translate(math.Round(x), math.Round(y))
	r.top.ColorScale.Reset()
	r.top.ColorScale.Scale(c.R*c.A, c.G*c.A, c.B*c.A, c.A)
	r.top.PrimaryAlign, r.top.SecondaryAlign = ha, va
	text.Draw(dst, s, face, &r.top)
}
