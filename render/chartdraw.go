//go:build js && wasm

package render

import (
	"math"

	"github.com/hajimehoshi/ebiten/v2"
)

// chartCache holds a chart's axis choices for one scene version.
type chartCache struct {
	y          Scale
	x0, x1     float64
	hasData    bool
	title      string
	yTicks     []float64
	yDec       bool
	yStep      float64
	tickBudget int
}

var chartTitles = [3]string{"divergence estimate", "kinetic energy", "metric"}

func series(run *Run, c int) []float64 {
	switch c {
	case 0:
		return run.Curves.Divergence
	case 1:
		return run.Curves.KE
	}
	return run.Curves.Metric
}

func (r *Renderer) prepareCharts(sc *Scene) {
	if r.chartOK == sc.Version {
		return
	}
	r.chartOK = sc.Version
	for c := range r.charts {
		cc := &r.charts[c]
		var ss [MaxRuns][]float64
		cc.x0, cc.x1, cc.hasData = math.Inf(1), math.Inf(-1), false
		for k := 0; k < sc.NRuns; k++ {
			run := &sc.Runs[k]
			n := min(len(run.Curves.Step), len(series(run, c)))
			ss[k] = series(run, c)[:n]
			if n > 0 {
				cc.hasData = true
				cc.x0 = math.Min(cc.x0, run.Curves.Step[0])
				cc.x1 = math.Max(cc.x1, run.Curves.Step[n-1])
			}
		}
		if !(cc.x1 > cc.x0) {
			if !isFinite(cc.x0) {
				cc.x0 = 0
			}
			cc.x1 = cc.x0 + 1
		}
		cc.y = ChooseScale(ss[:sc.NRuns]...)
		cc.title = chartTitles[c]
		if c == 2 {
			for k := 0; k < sc.NRuns; k++ {
				if sc.Runs[k].MetricName != "" {
					cc.title = sc.Runs[k].MetricName
					break
				}
			}
		}
		if cc.y.Sym {
			cc.title += "  (symlog)"
		}
		cc.tickBudget = -1
	}
}

// drawCharts draws the three diagnostic charts in the bottom strip.
func (r *Renderer) drawCharts(dst *ebiten.Image, sc *Scene, l *Layout) {
	r.prepareCharts(sc)
	lw := math.Max(1, r.px(1))
	for c := range r.charts {
		cc := &r.charts[c]
		box := l.Charts[c]
		in := Rect{X: box.X + r.px(46), Y: box.Y + r.px(20), W: box.W - r.px(46) - r.px(8), H: box.H - r.px(20) - r.px(18)}
		if in.W < 10 || in.H < 10 {
			continue
		}
		budget := int(clamp(in.H/r.px(22), 2, 6))
		if budget != cc.tickBudget {
			cc.tickBudget = budget
			cc.yTicks, cc.yDec, cc.yStep = cc.y.Ticks(cc.yTicks[:0], budget)
		}
		fy := func(v float64) float64 { return in.Y + in.H - (cc.y.Fwd(v)-cc.y.Lo)/(cc.y.Hi-cc.y.Lo)*in.H }
		fx := func(v float64) float64 { return in.X + (v-cc.x0)/(cc.x1-cc.x0)*in.W }
		r.b.begin(dst, r.lineTex)
		if !cc.hasData {
			r.b.frame(in.X-lw, in.Y-lw, in.W+2*lw, in.H+2*lw, lw, colBorder)
			r.b.flush()
			r.text(dst, cc.title, box.X+r.px(4), box.Y+r.px(2), alignStart, alignStart, colText)
			r.text(dst, "no data yet", in.X+in.W/2, in.Y+in.H/2, alignCenter, alignCenter, colMuted)
			continue
		}
		for _, v := range cc.yTicks {
			y := fy(v)
			r.b.hline(in.X, in.X+in.W, y, lw, colGrid)
			r.b.hline(in.X-r.px(4), in.X, y, lw, colAxis)
		}
		xt, step := NiceTicks(r.ticks[:0], cc.x0, cc.x1, int(clamp(in.W/r.px(70), 2, 8)))
		r.ticks = xt
		for _, v := range xt {
			r.b.vline(fx(v), in.Y+in.H, in.Y+in.H+r.px(4), lw, colAxis)
		}
		r.b.frame(in.X-lw, in.Y-lw, in.W+2*lw, in.H+2*lw, lw, colBorder)
		r.b.flush()
		// Curves, clipped to the chart.
		clip := dst.SubImage(rectImage(in)).(*ebiten.Image)
		r.b.begin(clip, r.lineTex)
		for k := 0; k < sc.NRuns; k++ {
			run := &sc.Runs[k]
			r.env = Envelope(r.env[:0], run.Curves.Step, series(run, c), fx, fy)
			r.b.polyline(r.env, math.Max(1, r.px(1.5)), rgb8(RunColor(k), 0.95))
		}
		r.b.flush()
		// Labels.
		r.text(dst, cc.title, box.X+r.px(4), box.Y+r.px(2), alignStart, alignStart, colText)
		// A tick label is left out where it would overlap the one below it or the title.
		titleR, titleB := box.X+r.px(4)+r.advance(cc.title), box.Y+r.px(2)+glyphH*r.textScale
		last := math.Inf(1)
		for _, v := range cc.yTicks {
			y := fy(v)
			if y+r.smallLine/2 > last {
				continue
			}
			s := FormatTick(v, cc.yStep)
			if cc.yDec {
				s = FormatLogTick(v)
			}
			if y-glyphH*r.textScale/2 < titleB && in.X-r.px(6)-r.advance(s) < titleR {
				continue
			}
			r.text(dst, s, in.X-r.px(6), y, alignEnd, alignCenter, colText)
			last = y - r.smallLine/2
		}
		sw := r.advance("step")
		r.text(dst, "step", box.X+r.px(4), in.Y+in.H+r.px(5), alignStart, alignStart, colMuted)
		lastX := box.X + r.px(4) + sw
		for _, v := range xt {
			s := FormatTick(v, step)
			x := fx(v)
			w := r.advance(s)
			if x-w/2 < lastX+r.px(6) || x+w/2 > box.X+box.W {
				continue
			}
			r.text(dst, s, x, in.Y+in.H+r.px(5), alignCenter, alignStart, colMuted)
			lastX = x + w/2
		}
	}
}
