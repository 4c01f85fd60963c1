package render

import (
	"math"
	"strings"

	"golang.org/x/image/font/basicfont"
)

// The view writes with one bitmap font: X11's public-domain misc-fixed 7x13 (basicfont.Face7x13:
// printable ASCII), plus the Greek letters the lab names things with (α, φ), drawn here in its
// style. It replaces an OpenType face and its shaper, which made up most of view.wasm. Text is
// first mapped to cells (fontText): one byte a glyph, printable ASCII as itself and the extra
// glyphs as control bytes; runes the font lacks become ASCII (− -, … ..., ∞ inf) or '?'.
const (
	glyphAdv     = 7  // advance of every glyph, font pixels
	glyphH       = 13 // line height: ascent 11 (the baseline is row 11), descent 2
	atlasCols    = 16
	atlasRows    = 8 // cells for bytes 0..127
	glyphAlpha   = '\x01'
	glyphPhi     = '\x02'
	glyphUnknown = '?'
)

// extraGlyphs are the glyphs drawn here, 6 x 13 like basicfont's ('#' ink), by cell byte.
var extraGlyphs = [...]struct {
	cell byte
	rows [glyphH]string
}{
	{glyphAlpha, [glyphH]string{
		"......",
		"......",
		"......",
		"......",
		"......",
		".###.#",
		"#...#.",
		"#...#.",
		"#...#.",
		"#...#.",
		".###.#",
		"......",
		"......",
	}},
	{glyphPhi, [glyphH]string{
		"......",
		"......",
		"......",
		"...#..",
		"...#..",
		".####.",
		"#..#.#",
		"#..#.#",
		"#..#.#",
		"#..#.#",
		".####.",
		"...#..",
		"...#..",
	}},
}

// fontText maps s to the font's cells. A string of printable ASCII is returned as it is.
func fontText(s string) string {
	i := 0
	for i < len(s) && s[i] >= 0x20 && s[i] < 0x7f {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		if r >= 0x20 && r < 0x7f {
			b.WriteByte(byte(r))
			continue
		}
		b.WriteString(asciiFor(r))
	}
	return b.String()
}

// asciiFor is the cells written for a rune that is not printable ASCII.
func asciiFor(r rune) string {
	switch r {
	case 'α':
		return string(glyphAlpha)
	case 'φ', 'ϕ':
		return string(glyphPhi)
	case '\t', '\n', '\r', '\u00a0', '\u2009', '\u202f', '\u2002', '\u2003':
		return " "
	case '−', '–', '—', '‐', '‑', '‒':
		return "-"
	case '…':
		return "..."
	case '×':
		return "x"
	case '·', '•', '∙', '⋅':
		return "."
	case '∞':
		return "inf"
	case '≈', '∼':
		return "~"
	case '≤':
		return "<="
	case '≥':
		return ">="
	case '±':
		return "+-"
	case '²':
		return "2"
	case '³':
		return "3"
	case '‘', '’', '′':
		return "'"
	case '“', '”', '″':
		return "\""
	case 'β':
		return "beta"
	case 'γ':
		return "gamma"
	case 'δ':
		return "delta"
	case 'ε':
		return "eps"
	case 'η':
		return "eta"
	case 'θ':
		return "theta"
	case 'λ':
		return "lambda"
	case 'μ', 'µ':
		return "mu"
	case 'ν':
		return "nu"
	case 'π':
		return "pi"
	case 'σ':
		return "sigma"
	case 'τ':
		return "tau"
	case 'ψ':
		return "psi"
	case 'ω':
		return "omega"
	case 'Φ':
		return "Phi"
	}
	return string(glyphUnknown)
}

// textScale is how many device pixels a font pixel covers at dpr device pixels per CSS pixel. From
// 1 up it is the whole multiple that fits the layout's lines (13 font pixels in 15 CSS pixels): 1
// below dpr 1.75, 2 below 2.75, and so on; the glyphs are then drawn crisp, each font pixel a
// square of device pixels. Below 1, where the view lowered its resolution or the page is zoomed
// out, it is dpr itself, and the glyphs are drawn from an atlas filtered down to that size.
func textScale(dpr float64) float64 {
	switch {
	case !(dpr > 0):
		return 1
	case dpr < 1:
		return dpr
	}
	return math.Floor(dpr + 0.25)
}

// atlas is a glyph atlas: white with the glyphs' coverage as alpha (premultiplied RGBA pixels,
// w x h), each cell's glyph box cw x ch pixels.
type atlas struct {
	pix          []byte
	w, h         int
	cw, ch       int
	cellW, cellH int // a cell: its box and a transparent pixel around it
}

// cell is the top-left corner of cell c's glyph box.
func (a *atlas) cell(c byte) (x, y int) {
	return int(c%atlasCols)*a.cellW + 1, int(c/atlasCols)*a.cellH + 1
}

// glyphMasks returns the glyphs at their own size: glyphAdv x glyphH alphas for each cell byte
// (nil where there is none).
func glyphMasks() *[atlasCols * atlasRows][]uint8 {
	var m [atlasCols * atlasRows][]uint8
	f := basicfont.Face7x13
	for c := byte(0x20); c < 0x7f; c++ {
		for _, rg := range f.Ranges {
			if rune(c) < rg.Low || rune(c) >= rg.High {
				continue
			}
			g := make([]uint8, glyphAdv*glyphH)
			sy := (int(rune(c)-rg.Low) + rg.Offset) * (f.Ascent + f.Descent)
			for y := 0; y < glyphH; y++ {
				for x := 0; x < f.Width; x++ {
					_, _, _, a := f.Mask.At(x, sy+y).RGBA()
					g[y*glyphAdv+x] = uint8(a >> 8)
				}
			}
			m[c] = g
			break
		}
	}
	for _, eg := range extraGlyphs {
		g := make([]uint8, glyphAdv*glyphH)
		for y, row := range eg.rows {
			for x := 0; x < len(row); x++ {
				if row[x] == '#' {
					g[y*glyphAdv+x] = 255
				}
			}
		}
		m[eg.cell] = g
	}
	return &m
}

// fontAtlas returns the glyphs' atlas at scale s: their own pixels for s >= 1 (drawn magnified),
// else each glyph box-filtered to s of its size, its box rounded up to whole pixels.
func fontAtlas(s float64) *atlas {
	if !(s > 0 && s < 1) {
		s = 1
	}
	a := &atlas{cw: int(math.Ceil(glyphAdv*s - 1e-9)), ch: int(math.Ceil(glyphH*s - 1e-9))}
	a.cellW, a.cellH = a.cw+2, a.ch+2
	a.w, a.h = atlasCols*a.cellW, atlasRows*a.cellH
	a.pix = make([]byte, 4*a.w*a.h)
	// overlap is the length shared by the source pixel [k, k+1], scaled by s, and [i, i+1].
	overlap := func(k, i int) float64 {
		return math.Max(0, math.Min(float64(k+1)*s, float64(i+1))-math.Max(float64(k)*s, float64(i)))
	}
	for c, g := range glyphMasks() {
		if g == nil {
			continue
		}
		x0, y0 := a.cell(byte(c))
		for j := 0; j < a.ch; j++ {
			for i := 0; i < a.cw; i++ {
				sum := 0.0
				for y := int(float64(j) / s); y < glyphH && float64(y)*s < float64(j+1); y++ {
					oy := overlap(y, j)
					for x := int(float64(i) / s); x < glyphAdv && float64(x)*s < float64(i+1); x++ {
						sum += float64(g[y*glyphAdv+x]) * oy * overlap(x, i)
					}
				}
				v := uint8(math.Min(255, math.Round(sum)))
				o := 4 * ((y0+j)*a.w + x0 + i)
				a.pix[o], a.pix[o+1], a.pix[o+2], a.pix[o+3] = v, v, v, v
			}
		}
	}
	return a
}

// truncateCells shortens the cells t to at most n, ending them with "..." when cut.
func truncateCells(t string, n int) string {
	switch {
	case len(t) <= n:
		return t
	case n < 4:
		return ""
	}
	return t[:n-3] + "..."
}
