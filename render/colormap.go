package render

import "math"

// viridisAnchors samples matplotlib's viridis at t = 0, 0.1, ..., 1.
var viridisAnchors = [...][3]float64{
	{0x44, 0x01, 0x54}, {0x48, 0x24, 0x75}, {0x41, 0x44, 0x87}, {0x35, 0x5f, 0x8d},
	{0x2a, 0x78, 0x8e}, {0x21, 0x91, 0x8c}, {0x22, 0xa8, 0x84}, {0x44, 0xbf, 0x70},
	{0x7a, 0xd1, 0x51}, {0xbd, 0xdf, 0x26}, {0xfd, 0xe7, 0x25},
}

// viridis returns the colour of t in [0, 1] (clamped; NaN gives t = 0) as 8-bit sRGB.
func viridis(t float64) (r, g, b uint8) {
	c := viridisF(t)
	return uint8(math.Round(c[0])), uint8(math.Round(c[1])), uint8(math.Round(c[2]))
}

func viridisF(t float64) [3]float64 {
	if !(t > 0) {
		t = 0
	}
	if t > 1 {
		t = 1
	}
	p := t * float64(len(viridisAnchors)-1)
	i := int(p)
	if i >= len(viridisAnchors)-1 {
		i = len(viridisAnchors) - 2
	}
	f := p - float64(i)
	a, c := viridisAnchors[i], viridisAnchors[i+1]
	mix := func(k int) float64 { return a[k]*(1-f) + c[k]*f }
	return [3]float64{mix(0), mix(1), mix(2)}
}

// HeatLUT is the heat map's colour table: viridis lightened towards white (by HeatLighten) so that
// particles, targets and arrows drawn over it stay readable.
var HeatLUT [256][3]uint8

// HeatLighten is the fraction of white mixed into the heat map's viridis colours.
const HeatLighten = 0.45

func init() {
	for i := range HeatLUT {
		c := viridisF(float64(i) / 255)
		HeatLUT[i] = [3]uint8{lighten(c[0], HeatLighten), lighten(c[1], HeatLighten), lighten(c[2], HeatLighten)}
	}
}

func lighten(c, f float64) uint8 { return uint8(math.Round(c*(1-f) + 255*f)) }

// luminance is the relative luminance (0 black .. 1 white) of an 8-bit sRGB colour.
func luminance(r, g, b uint8) float64 {
	lin := func(c uint8) float64 {
		v := float64(c) / 255
		if v <= 0.04045 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// Palette holds the runs' colours (Okabe-Ito: blue, vermillion, bluish green; colourblind-safe).
var Palette = [...][3]uint8{{0x00, 0x72, 0xB2}, {0xD5, 0x5E, 0x00}, {0x00, 0x9E, 0x73}}

// RunColor is run k's colour.
func RunColor(k int) [3]uint8 { return Palette[((k%len(Palette))+len(Palette))%len(Palette)] }
