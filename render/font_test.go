package render

import (
	"math"
	"strings"
	"testing"

	"golang.org/x/image/font/basicfont"
)

func TestFontTextMapsToCells(t *testing.T) {
	for in, want := range map[string]string{
		"step 120  (d = 8, shown in 2D)": "step 120  (d = 8, shown in 2D)",
		"α=0.5, L=inf":                   "\x01=0.5, L=inf",
		"−grad φ (flow)":                 "-grad \x02 (flow)",
		"φ  −1.7 … 2":                    "\x02  -1.7 ... 2",
		"L=∞ × 2 ≈ ν":                    "L=inf x 2 ~ nu",
		"file: données.csv":              "file: donn?es.csv",
		"a\tb\nc":                        "a b c",
		"bad \xff byte":                  "bad ? byte",
		"":                               "",
	} {
		if got := fontText(in); got != want {
			t.Errorf("fontText(%q) = %q, want %q", in, got, want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _ = fontText("div 1.2e-3   KE 4.5") }); n != 0 {
		t.Errorf("fontText of ASCII allocates %v times", n)
	}
}

// Every rune becomes cells that the atlas has a glyph for.
func TestFontTextHasEveryGlyph(t *testing.T) {
	a := fontAtlas(1)
	ink := func(c byte) bool {
		x0, y0 := a.cell(c)
		for y := 0; y < glyphH; y++ {
			for x := 0; x < glyphAdv; x++ {
				if a.pix[4*((y0+y)*a.w+x0+x)+3] != 0 {
					return true
				}
			}
		}
		return false
	}
	var b strings.Builder
	for r := rune(0); r < 0x3000; r++ {
		b.WriteRune(r)
	}
	for _, c := range []byte(fontText(b.String())) {
		if c != ' ' && !ink(c) {
			t.Fatalf("cell %#x has no glyph", c)
		}
	}
	if ink(' ') {
		t.Error("the space has ink")
	}
}

func TestFontAtlasHoldsBasicfont(t *testing.T) {
	at := fontAtlas(1)
	pix, w, h := at.pix, at.w, at.h
	if len(pix) != 4*w*h || at.cw != glyphAdv || at.ch != glyphH {
		t.Fatalf("atlas %dx%d has %d bytes, boxes %dx%d", w, h, len(pix), at.cw, at.ch)
	}
	f := basicfont.Face7x13
	if f.Ascent+f.Descent != glyphH || f.Advance != glyphAdv || f.Width >= glyphAdv {
		t.Fatalf("basicfont's metrics changed: %+v", f)
	}
	x0, y0 := at.cell('A')
	sy := int('A'-f.Ranges[0].Low) * glyphH
	for y := 0; y < glyphH; y++ {
		for x := 0; x < f.Width; x++ {
			_, _, _, a := f.Mask.At(x, sy+y).RGBA()
			o := 4 * ((y0+y)*w + x0 + x)
			if pix[o+3] != uint8(a>>8) || pix[o] != pix[o+3] {
				t.Fatalf("'A' at (%d, %d): atlas %v, mask alpha %d", x, y, pix[o:o+4], a>>8)
			}
		}
	}
	for _, g := range extraGlyphs {
		for _, row := range g.rows {
			if len(row) != f.Width || strings.Trim(row, ".#") != "" {
				t.Errorf("glyph %#x: bad row %q", g.cell, row)
			}
		}
	}
}

// Below scale 1 each glyph is box-filtered: its boxes hold all its ink, s*s of it.
func TestFontAtlasFiltersDown(t *testing.T) {
	full := fontAtlas(1)
	total := func(a *atlas, c byte) float64 {
		x0, y0 := a.cell(c)
		sum := 0.0
		for y := -1; y <= a.ch; y++ {
			for x := -1; x <= a.cw; x++ {
				sum += float64(a.pix[4*((y0+y)*a.w+x0+x)+3])
			}
		}
		return sum
	}
	for _, s := range []float64{0.5, 0.5625, 0.75, 0.9} {
		a := fontAtlas(s)
		if a.cw != int(math.Ceil(glyphAdv*s)) || a.ch != int(math.Ceil(glyphH*s)) {
			t.Errorf("scale %v: boxes %dx%d", s, a.cw, a.ch)
		}
		for _, c := range []byte("AgW|.\x01\x02") {
			want, got := total(full, c)*s*s, total(a, c)
			if math.Abs(got-want) > 0.5*float64(a.cw*a.ch) {
				t.Errorf("scale %v, cell %q: ink %v, want %v", s, c, got, want)
			}
		}
	}
}

func TestTextScale(t *testing.T) {
	for _, c := range []struct{ dpr, s float64 }{
		{0, 1}, {math.NaN(), 1}, {0.5, 0.5}, {0.75, 0.75},
		{1, 1}, {1.25, 1}, {1.5, 1}, {1.75, 2}, {2, 2}, {2.625, 2}, {3, 3}, {4, 4},
	} {
		if s := textScale(c.dpr); s != c.s {
			t.Errorf("textScale(%v) = %v, want %v", c.dpr, s, c.s)
		}
	}
	// A line of text fits the layout's small lines (15 CSS pixels) at every ratio.
	for dpr := 0.25; dpr <= 5; dpr += 0.005 {
		if s := textScale(dpr); s*glyphH > math.Round(15*dpr)+1e-9 {
			t.Errorf("dpr %v: text %v pixels high in lines of %v", dpr, s*glyphH, math.Round(15*dpr))
		}
	}
}

func TestTruncateCells(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"energy 0.0216", 20, "energy 0.0216"},
		{"energy 0.0216", 13, "energy 0.0216"},
		{"energy 0.0216", 12, "energy 0...."},
		{"energy 0.0216", 11, "energy 0..."},
		{"energy", 4, "e..."},
		{"energy", 3, ""},
		{"energy", -1, ""},
	} {
		if got := truncateCells(c.in, c.n); got != c.want {
			t.Errorf("truncateCells(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}
