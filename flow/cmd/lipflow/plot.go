package main

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"math/rand/v2"
	"os"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Figure sizes, in inches at the PNG writer's 96 dots per inch.
const (
	scatterSize = 7 * vg.Inch
	curvesWidth = 8 * vg.Inch
	panelHeight = 3.5 * vg.Inch
)

var targetColor = color.Gray{Y: 175}

// shortCurve is the length below which a curve's points are marked as well as joined.
const shortCurve = 20

// runColor and runShape tell the runs apart; the shape also for readers who cannot tell the
// colours apart. The dark palette keeps every run distinct from the grey targets.
func runColor(i int) color.Color { return plotutil.DarkColors[i%len(plotutil.DarkColors)] }

func runShape(i int) draw.GlyphDrawer {
	// Filled shapes first: their colour survives antialiasing, a thin outline's hardly does.
	shapes := []draw.GlyphDrawer{draw.CircleGlyph{}, draw.BoxGlyph{}, draw.PyramidGlyph{},
		draw.RingGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.PlusGlyph{}, draw.CrossGlyph{}}
	return shapes[i%len(shapes)]
}

// legendLabel adds how a run ended when it did not do all its steps.
func legendLabel(j *job, r runResult) string {
	if r.Error != nil {
		return fmt.Sprintf("%s (diverged at step %d)", j.label, r.StepsDone+1)
	}
	return j.label
}

// scatterPNG draws the final particles of every run over the first run's targets: the first
// two coordinates in d >= 2, or the one coordinate against a jittered row per sample in 1D.
// With logAxes each coordinate y is drawn as sign(y) log(1+|y|), so that heavy tails and the
// bulk fit in one figure.
func scatterPNG(path string, jobs []*job, results []runResult, logAxes bool) error {
	d := jobs[0].ref.dim
	p := plot.New()
	s := jobs[0].settings
	p.Title.Text = fmt.Sprintf("target %s, source %s", s.Target, s.Source)
	p.X.Label.Text = axisLabel(1, logAxes)
	p.Y.Label.Text = axisLabel(2, logAxes)
	if d == 1 {
		p.Y.Label.Text = "sample (0: targets, k: run k), jittered"
	}
	p.Legend.Top = true
	jitter := rand.New(rand.NewPCG(3, 0))

	targets := jobs[0].flow.Targets()
	sc, err := plotter.NewScatter(points(targets, d, 0, logAxes, jitter))
	if err != nil {
		return err
	}
	sc.GlyphStyle = draw.GlyphStyle{Color: targetColor, Radius: vg.Points(1.8), Shape: draw.CircleGlyph{}}
	p.Add(sc)
	p.Legend.Add(fmt.Sprintf("targets (m=%d)", len(targets)/d), sc)

	for i, j := range jobs {
		sc, err := plotter.NewScatter(points(j.flow.Particles(), d, float64(i+1), logAxes, jitter))
		if err != nil {
			return err
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: runColor(i), Radius: vg.Points(2), Shape: runShape(i)}
		p.Add(sc)
		p.Legend.Add(legendLabel(j, results[i]), sc)
	}
	openRange(&p.X)
	openRange(&p.Y)
	// Make room above the data for the legend, which would otherwise hide the top points.
	// Each entry takes about legendLine of the plot's height.
	const legendLine = 0.03
	f := legendLine * float64(len(jobs)+1)
	p.Y.Max += (p.Y.Max - p.Y.Min) * f / (1 - f)
	return p.Save(scatterSize, scatterSize, path)
}

// openRange widens an axis whose data span no range, such as a constant curve. gonum/plot
// widens it by ±1 itself, which rounding loses for values beyond about 1e16, and then panics.
func openRange(a *plot.Axis) {
	if !(a.Min <= a.Max) || a.Max-a.Min > 1e-9*math.Max(math.Abs(a.Min), math.Abs(a.Max)) {
		return // no data, or a range to draw
	}
	// A twentieth keeps c ± w finite up to the largest float64.
	c := a.Min/2 + a.Max/2
	w := math.Max(1, math.Abs(c)/20)
	a.Min, a.Max = c-w, c+w
}

func axisLabel(k int, logAxes bool) string {
	if logAxes {
		return fmt.Sprintf("sign(x%d) log(1+|x%d|)", k, k)
	}
	return fmt.Sprintf("x%d", k)
}

// points returns the rows of x as plot points; in 1D the ordinate is row plus a jitter.
func points(x []float64, d int, row float64, logAxes bool, jitter *rand.Rand) plotter.XYs {
	tr := func(v float64) float64 {
		if logAxes {
			return math.Copysign(math.Log1p(math.Abs(v)), v)
		}
		return v
	}
	xy := make(plotter.XYs, len(x)/d)
	for i := range xy {
		xy[i].X = tr(x[i*d])
		if d == 1 {
			xy[i].Y = row + 0.6*(jitter.Float64()-0.5)
		} else {
			xy[i].Y = tr(x[i*d+1])
		}
	}
	return xy
}

// curvesPNG draws the divergence estimate and the kinetic energy against step, one panel
// each, one line per run.
func curvesPNG(path string, jobs []*job, results []runResult) error {
	div := plot.New()
	div.Title.Text = "divergence estimate"
	ke := plot.New()
	ke.Title.Text = "kinetic energy  mean |grad phi|^2 / 2"
	for _, p := range []*plot.Plot{div, ke} {
		p.X.Label.Text = "step"
		p.Add(plotter.NewGrid())
		p.Legend.Top = true
	}
	for i, j := range jobs {
		c := results[i].Curve
		if len(c) == 0 {
			continue
		}
		dv, kv := make(plotter.XYs, len(c)), make(plotter.XYs, len(c))
		for k, pt := range c {
			dv[k] = plotter.XY{X: float64(pt.Step), Y: pt.Divergence}
			kv[k] = plotter.XY{X: float64(pt.Step), Y: pt.KE}
		}
		for _, panel := range []struct {
			p  *plot.Plot
			xy plotter.XYs
		}{{div, dv}, {ke, kv}} {
			l, pts, err := plotter.NewLinePoints(panel.xy)
			if err != nil {
				return err
			}
			l.Color = runColor(i)
			l.Width = vg.Points(1.5)
			panel.p.Add(l)
			// A curve cut short by a divergence may be a single point, which a line cannot show.
			if len(c) < shortCurve {
				pts.GlyphStyle = draw.GlyphStyle{Color: runColor(i), Radius: vg.Points(2.5), Shape: runShape(i)}
				panel.p.Add(pts)
			}
			panel.p.Legend.Add(legendLabel(j, results[i]), l)
		}
	}
	for _, p := range []*plot.Plot{div, ke} {
		openRange(&p.X)
		openRange(&p.Y)
	}
	img := vgimg.New(curvesWidth, 2*panelHeight)
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 2, Cols: 1, PadTop: vg.Points(4), PadBottom: vg.Points(4), PadY: vg.Points(12)}
	div.Draw(tiles.At(dc, 0, 0))
	ke.Draw(tiles.At(dc, 0, 1))
	return writePNG(path, img)
}

// drawSafely turns a panic of the plotting library, which panics on data it cannot lay out
// (ranges beyond float64), into an error, so that the other outputs are still written.
func drawSafely(path string, draw func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: plotting failed: %v", path, r)
		}
	}()
	if err := draw(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func writePNG(path string, img *vgimg.Canvas) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	_, err = vgimg.PngCanvas{Canvas: img}.WriteTo(f)
	return errors.Join(err, f.Close())
}
