//go:build js && wasm

package render

import (
	"math"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
)

// Renderer draws Scenes. It keeps its images and vertex slices across frames.
type Renderer struct {
	lineTex  *ebiten.Image
	dots     map[int]*ebiten.Image // particle sprites by diameter in quarter pixels
	b        batch
	quadIdx  []uint16 // 0,1,2, 0,2,3 for every quad of a batch
	dotVerts []ebiten.Vertex
	dotOpts  ebiten.DrawTrianglesOptions

	atlas            *atlas        // the glyph atlas (font.go), made at atlasScale
	fontTex          *ebiten.Image // its pixels
	atlasScale       float64
	textScale        float64 // device pixels per font pixel
	textOpts         ebiten.DrawTrianglesOptions
	textVerts        []ebiten.Vertex
	textIdx          []uint16
	textDPR          float64
	lineH, smallLine float64

	heat           *ebiten.Image
	heatNX, heatNY int
	heatPix        []byte
	heatVersion    int
	heatRow        []float64
	heatSX         []float32
	heatVerts      []ebiten.Vertex
	heatIdx        []uint16
	heatOpts       ebiten.DrawTrianglesOptions
	trailVerts     []ebiten.Vertex
	trailIdx       []uint16
	trailPts       []float64
	trails         [MaxRuns]*Trails
	trailVersion   int

	layout Layout
	dpr    float64

	// Timings accumulates the time spent in parts of Draw: heat, arrows and targets, trails,
	// particles, chrome (legend, axes, status), charts.
	Timings [6]time.Duration

	// Cached per scene version.
	statusVersion int
	statusKey     string
	units         []statusUnit

	xt, yt  axisTicks
	placed  [][2]float64
	ticks   []float64
	minor   []float64
	env     []float32
	charts  [3]chartCache
	chartOK int
}

// Colours of the chrome.
var (
	colText   = gray(0.13, 1)
	colMuted  = gray(0.4, 1)
	colAxis   = gray(0.25, 1)
	colGrid   = gray(0, 0.09)
	colError  = RGBA{0.78, 0.05, 0.05, 1}
	colTarget = gray(0.18, 0.55)
	colArrow  = gray(0.1, 0.5)
	colPanel  = RGBA{1, 1, 1, 0.88}
	colBorder = gray(0.7, 1)
)

// NewRenderer makes a Renderer.
func NewRenderer() (*Renderer, error) {
	r := &Renderer{lineTex: newLineTex(), dots: map[int]*ebiten.Image{}, statusVersion: -1, chartOK: -1, trailVersion: -1}
	for k := range r.trails {
		r.trails[k] = NewTrails(TrailLen, TrailTrack)
	}
	r.quadIdx = make([]uint16, maxQuad*6)
	for q := 0; q < maxQuad; q++ {
		n := uint16(4 * q)
		copy(r.quadIdx[6*q:], []uint16{n, n + 1, n + 2, n, n + 2, n + 3})
	}
	// Sprites are drawn at their own size and the heat map is upsampled on the CPU, so that the GPU
	// only ever samples with the nearest filter: its cheapest path (software WebGL is fill-bound).
	r.dotOpts.Filter = ebiten.FilterNearest
	r.heatOpts.Filter = ebiten.FilterNearest
	r.heatOpts.DisableMipmaps = true
	r.setDPR(1)
	r.layout = ComputeLayout(1, 1, 1, true, 1)
	return r, nil
}

func (r *Renderer) setDPR(dpr float64) {
	if dpr == r.textDPR {
		return
	}
	r.textDPR = dpr
	r.setTextScale(dpr)
	r.lineH = math.Round(LineHeightCSS * dpr)
	r.smallLine = math.Round(15 * dpr)
	r.statusVersion = -1
}

// Layout is the layout of the last Draw (or of the last Resize, before any Draw at that size).
func (r *Renderer) Layout() Layout { return r.layout }

// Resize sets a provisional layout for a new canvas size, so that the view can be fitted and
// reported before the first Draw at that size.
func (r *Renderer) Resize(w, h, dpr float64, charts bool) {
	if w != r.layout.W || h != r.layout.H || dpr != r.layout.Scale {
		r.layout = ComputeLayout(w, h, dpr, charts, 1)
	}
}

func (r *Renderer) px(v float64) float64 { return math.Round(v * r.dpr) }

// Draw draws the whole view onto screen: dpr is the device pixels per CSS pixel.
func (r *Renderer) Draw(screen *ebiten.Image, sc *Scene, v View, opt Options, ov *Overlay, dpr float64) {
	if !(dpr > 0) {
		dpr = 1
	}
	r.dpr = dpr
	r.setDPR(dpr)
	W, H := float64(screen.Bounds().Dx()), float64(screen.Bounds().Dy())
	r.buildStatus(sc, opt)
	lines := r.wrapStatus(W - r.px(16))
	l := ComputeLayout(W, H, dpr, opt.Charts, lines)
	r.layout = l
	tr := v.Transform(l.Plot)

	screen.Fill(colorWhite)
	r.computeTicks(&tr)

	// The plot's content, clipped to its rectangle.
	plot := screen.SubImage(rectImage(l.Plot)).(*ebiten.Image)
	if opt.Heat && sc.HasField && sc.Field.Valid() && sc.Field.HasPhi() {
		t := time.Now()
		r.drawHeat(plot, &tr, sc)
		r.Timings[0] += time.Since(t)
	}
	r.b.begin(plot, r.lineTex)
	lw := math.Max(1, r.px(1))
	r.drawGrid(&l.Plot, lw)
	if opt.Arrows && sc.HasField && sc.Field.Valid() {
		r.drawArrows(&tr, &sc.Field)
	}
	r.b.flush()
	t1 := time.Now()
	if len(sc.Targets) >= 2 {
		m := len(sc.Targets) / 2
		d := r.dpr * clamp(6.8-0.85*math.Log10(float64(m)), 3, 5.5)
		r.drawDots(plot, &tr, sc.Targets, d, colTarget)
	}
	r.Timings[1] += time.Since(t1)
	t2 := time.Now()
	if opt.Trails {
		for k := 0; k < sc.NRuns; k++ {
			// Fainter when many trails overlap.
			a := clamp(0.45*math.Sqrt(200/math.Max(1, float64(r.trails[k].Tracked()*sc.NRuns))), 0.12, 0.45)
			r.drawTrail(plot, &tr, r.trails[k], rgb8(RunColor(k), float32(a)))
		}
	}
	r.Timings[2] += time.Since(t2)
	t3 := time.Now()
	for k := 0; k < sc.NRuns; k++ {
		p := sc.Runs[k].Particles
		if len(p) < 2 {
			continue
		}
		n := len(p) / 2
		d := r.dpr * clamp(9-1.25*math.Log10(float64(n)), 4, 7.5)
		r.drawDots(plot, &tr, p, d, rgb8(RunColor(k), 0.92))
	}
	r.Timings[3] += time.Since(t3)
	t4 := time.Now()
	if len(ov.Stroke) >= 2 {
		r.drawDots(plot, &tr, ov.Stroke, r.px(7), gray(0, 0.85))
	}
	if !sc.HasFrame {
		r.text(plot, "waiting for the engine...", l.Plot.X+l.Plot.W/2, l.Plot.Y+l.Plot.H/2, alignCenter, alignCenter, colMuted)
	}
	r.drawLegend(plot, sc, opt, &l.Plot)
	r.drawCorner(plot, &tr, opt, ov)

	// Axes, outside the plot.
	r.drawAxes(screen, &l.Plot, lw)
	r.drawStatus(screen, &l.Status)
	r.Timings[4] += time.Since(t4)
	if opt.Charts && l.Charts[0].W > 0 {
		t5 := time.Now()
		r.drawCharts(screen, sc, &l)
		r.Timings[5] += time.Since(t5)
	}
}

var colorWhite = rgbaColor(1, 1, 1, 1)

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }
