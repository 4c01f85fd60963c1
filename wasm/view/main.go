//go:build js && wasm

// Command view is lipflow's drawing half: an Ebitengine program, loaded by www/view.html inside an
// iframe of the main page (<iframe id="view" src="view.html">), that draws the frames the page
// hands it. Build: GOOS=js GOARCH=wasm go build -o www/view.wasm ./wasm/view.
//
// Once running it sets globalThis.lipflowView, globalThis.lipflowViewReady = true and calls
// parent.lipflowHost.viewReady() if defined. lipflowView's methods:
//
//   - frame(f): the latest state. f = {step, dim, targets: Float32Array m x 2 or null (unchanged),
//     targetLabel, runs: [{label, particles: Float32Array n x 2, stats: {divergence, ke, speed,
//     metric}, metricName, curves: {step, divergence, ke, metric: Float64Array}, error}] (1 to 3),
//     field: null or {x0, x1, y0, y1, nx, ny, phi, gx, gy: Float32Array ny rows of nx, row 0 at y0,
//     node (i, j) at x0 + i (x1-x0)/(nx-1), y0 + j (y1-y0)/(ny-1); gx, gy = -grad phi}, heavy}. Everything is copied
//     inside the call. Lenient: Float64Array, Float32Array and plain arrays are all accepted where
//     numbers are expected; a missing or null field keeps the last field (dropped when step goes
//     backwards; a field object with nx or ny < 2 removes it); missing or null curves keep the last
//     curves. Returns true.
//   - setOptions(o): any of {heat, arrows, trails, log, draw, charts} (booleans). Switching log
//     refits the view. getOptions() returns them all.
//   - resetView(): fits the targets and particles (1st to 99th percentile box, all points in the
//     log view). Double-click, R or Home in the view do the same.
//   - getView(): {x0, x1, y0, y1, log}, the data region shown.
//   - debug(): counters for tests (draws, draw times, frame cost, heap).
//
// It calls, when defined, parent.lipflowHost.viewChanged({x0, x1, y0, y1, log}) after the region
// shown changed (pan, zoom, fit, resize; at most 5 times a second, and once at start), and
// parent.lipflowHost.pointsDrawn([x0, y0, x1, y1, ...]) (data coordinates) on pointer-up in draw
// mode.
package main

import (
	"math"
	"sync"
	"syscall/js"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"lipflow/render"
)

// Game is the Ebitengine game: the scene the page sent, the view, and the pointer's state.
type Game struct {
	mu sync.Mutex // between the JS callbacks and Update/Draw

	scene render.Scene
	opts  render.Options
	view  render.View
	fit   render.Fitter
	rend  *render.Renderer
	ov    render.Overlay

	w, h int     // the screen in device pixels
	dpr  float64 // device pixels per CSS pixel
	// scale is the canvas resolution relative to the device's (0 means 1), cheap counts
	// consecutive cheap frames: see adapt.
	scale float64
	cheap int

	dirty        bool
	ready        bool
	viewAuto     bool // the view was fitted automatically and the user has not moved it since
	lastVersion  int
	lastStep     int
	fitTargets   int
	fitted       bool
	trailTargets int
	drawnW       int
	drawnH       int

	// Pointer state, driven by DOM events (input.go).
	dragging, stroking       bool
	pointerID                int
	lastX, lastY             float64
	lastStrokeX, lastStrokeY float64
	cursor                   ebiten.CursorShapeType

	// viewChanged notifications, throttled.
	sent      [4]float64
	sentLog   bool
	sentAt    time.Time
	announced bool

	// Frame pacing.
	drewPrev     bool
	prevDrawCall time.Time
	lastDrawAt   time.Time
	frameCost    time.Duration

	captures []js.Value // resolve functions of lipflowView.capture() calls (capture.go)

	// Debug counters, read by lipflowView.debug().
	draws    int
	lastDraw time.Duration
	maxDraw  time.Duration
}

func newGame() (*Game, error) {
	r, err := render.NewRenderer()
	if err != nil {
		return nil, err
	}
	return &Game{rend: r, opts: render.DefaultOptions(), view: render.DefaultView(false), dpr: 1, dirty: true, viewAuto: true, lastVersion: -1}, nil
}

// LayoutF makes the screen as many device pixels as the iframe has, so that drawing is sharp,
// times the resolution scale (see adapt).
func (g *Game) LayoutF(ow, oh float64) (float64, float64) {
	dpr := ebiten.Monitor().DeviceScaleFactor()
	if !(dpr > 0) {
		dpr = 1
	}
	g.mu.Lock()
	dpr *= g.resolution()
	g.mu.Unlock()
	w, h := math.Max(1, math.Ceil(ow*dpr)), math.Max(1, math.Ceil(oh*dpr))
	g.mu.Lock()
	if int(w) != g.w || int(h) != g.h || dpr != g.dpr {
		g.w, g.h, g.dpr = int(w), int(h), dpr
		g.rend.Resize(w, h, dpr, g.opts.Charts)
		g.dirty = true
	}
	g.mu.Unlock()
	return w, h
}

// Layout is required by ebiten.Game; LayoutF is used instead.
func (g *Game) Layout(ow, oh int) (int, int) {
	w, h := g.LayoutF(float64(ow), float64(oh))
	return int(w), int(h)
}

func (g *Game) plotRect() render.Rect { return g.rend.Layout().Plot }

// fitLocked fits the view to the current targets and particles.
func (g *Game) fitLocked() {
	sets := make([][]float32, 0, 1+render.MaxRuns)
	sets = append(sets, g.scene.Targets)
	for k := 0; k < g.scene.NRuns; k++ {
		sets = append(sets, g.scene.Runs[k].Particles)
	}
	g.view = g.fit.Fit(g.plotRect(), g.opts.Log, sets...)
	g.viewAuto = true
	g.dirty = true
}

// Update handles input and the frames that arrived; it calls the page only after unlocking.
func (g *Game) Update() error {
	var notifyView, announce bool
	var viewObj map[string]any
	g.mu.Lock()
	if !g.ready {
		g.ready = true
		announce = true
	}
	sc := &g.scene
	if sc.Version != g.lastVersion {
		back := sc.Step < g.lastStep
		// Fit the first data, and again for a new run or new targets unless the user moved the view.
		if sc.HasData() && (!g.fitted || (g.viewAuto && (back || sc.TargetsVersion != g.fitTargets))) {
			g.fitLocked()
			g.fitted = true
			g.fitTargets = sc.TargetsVersion
		}
		if back || sc.TargetsVersion != g.trailTargets {
			// A new run or new targets: old trails would join unrelated positions.
			g.rend.ResetTrails()
			g.trailTargets = sc.TargetsVersion
		}
		g.lastVersion, g.lastStep = sc.Version, sc.Step
		g.rend.UpdateTrails(sc)
		g.dirty = true
	}
	g.updateCursor()
	// Tell the page when the region shown changed (pan, zoom, fit, resize, layout), at most 5 times a second.
	t := g.view.Transform(g.plotRect())
	x0, x1, y0, y1 := t.Region()
	cur := [4]float64{x0, x1, y0, y1}
	if (cur != g.sent || g.opts.Log != g.sentLog || !g.announced) && time.Since(g.sentAt) >= 200*time.Millisecond && g.ready {
		g.sent, g.sentLog, g.sentAt, g.announced = cur, g.opts.Log, time.Now(), true
		notifyView = true
		viewObj = map[string]any{"x0": x0, "x1": x1, "y0": y0, "y1": y1, "log": g.opts.Log}
	}
	g.mu.Unlock()

	if announce {
		installInput(g)
		installAPI(g)
	}
	if notifyView {
		if host := js.Global().Get("parent").Get("lipflowHost"); hasMethod(host, "viewChanged") {
			safeCall(host, "viewChanged", js.ValueOf(viewObj))
		}
	}
	return nil
}

// updateCursor shows what a press would do: crosshair in draw mode, a move cursor while panning.
func (g *Game) updateCursor() {
	shape := ebiten.CursorShapeDefault
	switch {
	case g.dragging:
		shape = ebiten.CursorShapeMove
	case g.ov.CursorIn && g.opts.Draw:
		shape = ebiten.CursorShapeCrosshair
	}
	if shape != g.cursor {
		ebiten.SetCursorShape(shape)
		g.cursor = shape
	}
}

// Draw redraws the view when something changed; otherwise the last picture stays on screen.
func (g *Game) Draw(screen *ebiten.Image) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if b := screen.Bounds(); b.Dx() != g.drawnW || b.Dy() != g.drawnH {
		g.drawnW, g.drawnH = b.Dx(), b.Dy()
		g.dirty = true
	}
	// When a drawn frame costs much (software WebGL, a slow machine), wait as long before the next,
	// so that the page keeps at least half of the main thread for its controls.
	now := time.Now()
	if g.drewPrev {
		g.frameCost = now.Sub(g.prevDrawCall)
		g.drewPrev = false
	}
	g.prevDrawCall = now
	if !g.dirty {
		return
	}
	if g.frameCost > 50*time.Millisecond && now.Sub(g.lastDrawAt) < g.frameCost {
		return
	}
	g.dirty = false
	g.lastDrawAt, g.drewPrev = now, true
	t0 := now
	g.view.Log = g.opts.Log
	g.rend.Draw(screen, &g.scene, g.view, g.opts, &g.ov, g.dpr)
	g.lastDraw = time.Since(t0)
	g.maxDraw = max(g.maxDraw, g.lastDraw)
	g.draws++
	g.finishCaptures(screen)
	g.adapt()
}

// resolution is the fraction of the device's pixels the canvas has (1 unless adapt lowered it).
func (g *Game) resolution() float64 {
	if g.scale == 0 {
		return 1
	}
	return g.scale
}

// adapt lowers the canvas resolution while frames cost over 40 ms and raises it again after a
// run of cheap frames. Without a GPU (software WebGL) most of a frame's cost is the browser
// copying the canvas, proportional to its pixels: a half-resolution canvas costs a quarter, and
// keeps the page's main thread free of long tasks.
func (g *Game) adapt() {
	cost := g.frameCost
	switch {
	case cost > 40*time.Millisecond && g.resolution() > 0.5:
		g.scale, g.cheap = max(0.5, g.resolution()*0.75), 0
	case cost > 0 && cost < 15*time.Millisecond && g.resolution() < 1:
		if g.cheap++; g.cheap >= 60 {
			g.scale, g.cheap = min(1, g.resolution()/0.75), 0
		}
	default:
		g.cheap = 0
	}
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

func hasMethod(v js.Value, name string) bool {
	return v.Truthy() && v.Get(name).Type() == js.TypeFunction
}

// safeCall calls a page callback; an exception there must not stop the view.
func safeCall(obj js.Value, name string, args ...any) {
	defer func() {
		if e := recover(); e != nil {
			js.Global().Get("console").Call("error", "lipflow view: "+name+" failed:", js.ValueOf(toString(e)))
		}
	}()
	obj.Call(name, args...)
}

func toString(e any) string {
	if err, ok := e.(error); ok {
		return err.Error()
	}
	if s, ok := e.(string); ok {
		return s
	}
	return "panic"
}

// yield lets the page's event loop run: Go's js/wasm returns to it only when every goroutine
// is blocked, so a sleep ends the browser's task here. main cuts the view's start into tasks
// with it (Go's and Ebitengine's package initialisation, the renderer, Ebitengine's start): on
// two cores with software GL the start was one 2.5-3 s task, and a long task blocks the page
// as a whole (docs/performance.md#loading).
func yield() { time.Sleep(time.Millisecond) }

func main() {
	yield()
	g, err := newGame()
	if err != nil {
		panic(err)
	}
	ebiten.SetTPS(30)
	ebiten.SetRunnableOnUnfocused(true)
	ebiten.SetScreenClearedEveryFrame(false)
	yield()
	if err := ebiten.RunGame(g); err != nil {
		js.Global().Get("console").Call("error", "lipflow view stopped: "+err.Error())
	}
}
