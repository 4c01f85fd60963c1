package main

import (
	"fmt"
	"image/color"
	"os"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"lipflow/flow/gene"
)

// The batches' colours (source orange, target blue: told apart by most colour-blind readers
// too) and the classes' shapes.
var (
	sourceColor = color.RGBA{R: 230, G: 120, B: 20, A: 255}
	targetColor = color.RGBA{R: 30, G: 100, B: 200, A: 255}
	classShapes = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.TriangleGlyph{}, draw.BoxGlyph{}, draw.CrossGlyph{}, draw.PlusGlyph{}}
)

// projectionPNG draws two panels side by side: every sample on the first two principal
// directions of the pooled data, before and after the method's correction.
func projectionPNG(path string, r *gene.Run) error {
	before, after := r.Project(r.Config.Method)
	pr := r.Problem
	panels := []*plot.Plot{
		panel(fmt.Sprintf("before: %s and %s", pr.Source, pr.Target), before, pr),
		panel(fmt.Sprintf("after %s (step %d)", r.Config.Method, r.Flow.Stats().Step), after, pr),
	}
	// One scale for both panels, so that the eye compares like with like.
	for _, ax := range []func(*plot.Plot) *plot.Axis{func(p *plot.Plot) *plot.Axis { return &p.X }, func(p *plot.Plot) *plot.Axis { return &p.Y }} {
		lo, hi := ax(panels[0]).Min, ax(panels[0]).Max
		for _, p := range panels[1:] {
			lo, hi = min(lo, ax(p).Min), max(hi, ax(p).Max)
		}
		for _, p := range panels {
			ax(p).Min, ax(p).Max = lo, hi
		}
	}
	w, h := 12*vg.Inch, 5.5*vg.Inch
	img := vgimg.New(w, h)
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 1, Cols: 2, PadX: vg.Millimeter * 4, PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2}
	canvases := plot.Align([][]*plot.Plot{panels}, tiles, dc)
	for i, p := range panels {
		p.Draw(canvases[0][i])
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func panel(title string, pj gene.Projection, pr *gene.Problem) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "principal direction 1"
	p.Y.Label.Text = "principal direction 2"
	// Bottom right: the corner the samples leave empty in both panels of the default merge.
	p.Legend.Top = false
	for _, src := range []bool{false, true} {
		for c, name := range pr.Classes {
			var xy plotter.XYs
			for i := range pj.X {
				if pj.Source[i] == src && int(pj.Class[i]) == c {
					xy = append(xy, plotter.XY{X: pj.X[i], Y: pj.Y[i]})
				}
			}
			if len(xy) == 0 {
				continue
			}
			sc, err := plotter.NewScatter(xy)
			if err != nil {
				continue
			}
			col, batch := targetColor, pr.Target
			if src {
				col, batch = sourceColor, pr.Source
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(3.5), Shape: classShapes[c%len(classShapes)]}
			p.Add(sc)
			p.Legend.Add(batch+" "+name, sc)
		}
	}
	return p
}
