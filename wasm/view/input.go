//go:build js && wasm

package main

import (
	"math"
	"syscall/js"
	"time"

	"lipflow/render"
)

// installInput listens to the page's pointer, wheel and key events. DOM events, rather than polling
// Ebitengine's input state at 30 ticks a second, see every click, however short, and every point of
// a drag, also when a frame takes long to draw. Pointer events cover the mouse, pens and fingers:
// one finger pans (or draws) like the mouse, two pinch (touchState); view.css turns the browser's
// own touch panning and zooming off (touch-action: none), and a double tap fits like a double-click.
func installInput(g *Game) {
	doc := js.Global().Get("document")
	on := func(target js.Value, name string, passive bool, f func(e js.Value) (post func())) {
		opts := js.Global().Get("Object").New()
		opts.Set("passive", passive)
		target.Call("addEventListener", name, js.FuncOf(func(this js.Value, args []js.Value) any {
			defer func() {
				if e := recover(); e != nil {
					js.Global().Get("console").Call("error", "lipflow view: "+name+": "+toString(e))
				}
			}()
			if post := f(args[0]); post != nil {
				post() // calls to the page, made after unlocking
			}
			return nil
		}), opts)
	}
	on(doc, "pointerdown", true, g.onPointerDown)
	on(doc, "pointermove", true, g.onPointerMove)
	on(doc, "pointerup", true, g.onPointerUp)
	on(doc, "pointercancel", true, g.onPointerUp)
	on(doc.Get("documentElement"), "pointerleave", true, func(e js.Value) func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		if g.ov.CursorIn {
			g.ov.CursorIn = false
			g.dirty = true
		}
		return nil
	})
	on(doc, "wheel", false, g.onWheel)
	on(doc, "dblclick", true, func(e js.Value) func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		x, y := g.eventPos(e)
		if !g.opts.Draw && g.plotRect().Contains(x, y) {
			g.fitLocked()
		}
		return nil
	})
	on(doc, "keydown", true, func(e js.Value) func() {
		if k := e.Get("key").String(); k == "r" || k == "R" || k == "Home" {
			g.mu.Lock()
			defer g.mu.Unlock()
			g.fitLocked()
		}
		return nil
	})
}

// eventPos is the event's position in screen (device) pixels.
func (g *Game) eventPos(e js.Value) (float64, float64) {
	return e.Get("clientX").Float() * g.dpr, e.Get("clientY").Float() * g.dpr
}

// touchState follows the fingers on the view, guarded by Game.mu like the rest of the pointer
// state. One finger that lands in the plot pans (or draws) through Game's drag state. Two fingers,
// one of them landed in the plot, pinch: the data under their midpoint follow it, and the view
// zooms by the ratio of their distances; a stroke being drawn is dropped then, and more fingers
// are ignored. When a finger of the pinch lifts, the finger left pans (it draws nothing). A double
// tap fits the view, as a double-click does: the browser makes no dblclick of taps here, as
// Ebitengine cancels the touch events' default actions.
type touchState struct {
	fingers  map[int]fingerPos // by pointerId, from pointerdown to pointerup
	pinching bool
	pinch    [2]int // the pinch's fingers

	// The gesture (from the first finger down to the last up) and the last tap.
	start        time.Time
	moved, multi bool // a finger moved from where it landed; more than one finger came
	tapAt        time.Time
	tapX, tapY   float64
}

// fingerPos is where a finger is and where it landed, in screen pixels, and whether it landed in
// the plot.
type fingerPos struct {
	x, y, x0, y0 float64
	inPlot       bool
}

const (
	tapTime = 500 * time.Millisecond // at most between a tap's down and up, and between two taps
	tapMove = 10                     // CSS px a tap may move
	tapGap  = 30                     // CSS px at most between a double tap's taps
)

var touches = touchState{fingers: map[int]fingerPos{}}

func isTouch(e js.Value) bool { return e.Get("pointerType").String() == "touch" }

// touchDownLocked follows a new finger; it reports whether the finger is taken by a pinch (it
// starts one, or one is under way), so that it does not start a drag too.
func (g *Game) touchDownLocked(e js.Value, id int, x, y float64, inPlot bool) bool {
	if e.Get("isPrimary").Bool() {
		// A new gesture: forget fingers whose pointerup never came, and their drag.
		if _, stale := touches.fingers[g.pointerID]; stale && (g.dragging || g.stroking) {
			g.dragging, g.stroking = false, false
			g.ov.Stroke = g.ov.Stroke[:0]
		}
		clear(touches.fingers)
		touches.pinching = false
		touches.start, touches.moved, touches.multi = time.Now(), false, false
	} else {
		touches.multi = true
	}
	touches.fingers[id] = fingerPos{x, y, x, y, inPlot}
	if touches.pinching {
		return true
	}
	first := g.pointerID // the finger that pans or draws, if it is one
	if f, ok := touches.fingers[first]; !ok || first == id || !(g.dragging || g.stroking) || !f.inPlot {
		first = otherFinger(id)
	}
	if first == id || !(inPlot || touches.fingers[first].inPlot) {
		return false
	}
	touches.pinching, touches.pinch = true, [2]int{first, id}
	g.dragging, g.stroking = false, false
	g.ov.Stroke = g.ov.Stroke[:0]
	g.dirty = true
	return true
}

// otherFinger is a finger other than id (the lowest pointerId), or id when there is none.
func otherFinger(id int) int {
	best := id
	for k := range touches.fingers {
		if k != id && (best == id || k < best) {
			best = k
		}
	}
	return best
}

// pinchLocked moves finger id of the pinch to (x, y), and the view with the pinch.
func (g *Game) pinchLocked(p render.Rect, id int, x, y float64) {
	a0, b0 := touches.fingers[touches.pinch[0]], touches.fingers[touches.pinch[1]]
	f := touches.fingers[id]
	f.x, f.y = x, y
	touches.fingers[id] = f
	a1, b1 := touches.fingers[touches.pinch[0]], touches.fingers[touches.pinch[1]]
	cx0, cy0 := (a0.x+b0.x)/2, (a0.y+b0.y)/2
	cx1, cy1 := (a1.x+b1.x)/2, (a1.y+b1.y)/2
	d0, d1 := math.Hypot(a0.x-b0.x, a0.y-b0.y), math.Hypot(a1.x-b1.x, a1.y-b1.y)
	g.view.Pan(p, cx1-cx0, cy1-cy0)
	if min(d0, d1) >= 4*g.dpr { // fingers almost together give no usable ratio
		g.view.ZoomAt(p, cx1, cy1, d0/d1)
	}
	g.viewAuto = false
	g.dirty = true
}

// touchUpLocked forgets finger id; it reports whether the finger was one of a pinch.
func (g *Game) touchUpLocked(id int) bool {
	if f := touches.fingers[id]; len(touches.fingers) == 1 {
		g.tapLocked(f)
	}
	delete(touches.fingers, id)
	if !touches.pinching || (id != touches.pinch[0] && id != touches.pinch[1]) {
		return false
	}
	touches.pinching = false
	switch left := otherFinger(id); {
	case len(touches.fingers) >= 2:
		touches.pinching, touches.pinch = true, [2]int{left, otherFinger(left)}
	case len(touches.fingers) == 1:
		g.dragging, g.pointerID = true, left
		g.lastX, g.lastY = touches.fingers[left].x, touches.fingers[left].y
	}
	return true
}

// tapLocked ends a gesture whose last finger, f, lifts: a second tap close to the first fits the
// view (in the plot, out of draw mode).
func (g *Game) tapLocked(f fingerPos) {
	now := time.Now()
	if touches.moved || touches.multi || now.Sub(touches.start) > tapTime {
		touches.tapAt = time.Time{}
		return
	}
	if now.Sub(touches.tapAt) <= tapTime && math.Hypot(f.x-touches.tapX, f.y-touches.tapY) <= tapGap*g.dpr {
		touches.tapAt = time.Time{}
		if !g.opts.Draw && g.plotRect().Contains(f.x, f.y) {
			g.fitLocked()
		}
		return
	}
	touches.tapAt, touches.tapX, touches.tapY = now, f.x, f.y
}

func (g *Game) onPointerDown(e js.Value) func() {
	if e.Get("button").Int() != 0 {
		return nil
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	x, y := g.eventPos(e)
	p := g.plotRect()
	id := e.Get("pointerId").Int()
	if isTouch(e) && g.touchDownLocked(e, id, x, y, p.Contains(x, y)) {
		return nil
	}
	if !p.Contains(x, y) || g.dragging || g.stroking {
		return nil
	}
	g.pointerID = id
	capturePointer(e.Get("target"), id) // keep the drag when it leaves the frame
	g.lastX, g.lastY = x, y
	if g.opts.Draw {
		g.stroking = true
		t := g.view.Transform(p)
		dx, dy := t.ToData(x, y)
		g.ov.Stroke = append(g.ov.Stroke[:0], float32(dx), float32(dy))
		g.lastStrokeX, g.lastStrokeY = x, y
		g.viewAuto = false
	} else {
		g.dragging = true
	}
	g.dirty = true
	return nil
}

// capturePointer sends the pointer's events to t until it is up. The browser refuses a pointer
// that is no longer down (or an event a script made): the drag goes on without the capture.
func capturePointer(t js.Value, id int) {
	defer func() { _ = recover() }()
	if t.Truthy() && t.Get("setPointerCapture").Type() == js.TypeFunction {
		t.Call("setPointerCapture", id)
	}
}

func (g *Game) onPointerMove(e js.Value) func() {
	g.mu.Lock()
	defer g.mu.Unlock()
	x, y := g.eventPos(e)
	p := g.plotRect()
	in := p.Contains(x, y)
	if in != g.ov.CursorIn || in {
		g.dirty = true
	}
	g.ov.CursorIn, g.ov.CursorX, g.ov.CursorY = in, x, y
	id := e.Get("pointerId").Int()
	if f, ok := touches.fingers[id]; ok {
		if touches.pinching && (id == touches.pinch[0] || id == touches.pinch[1]) {
			g.pinchLocked(p, id, x, y)
			return nil
		}
		f.x, f.y = x, y
		touches.fingers[id] = f
		if math.Hypot(x-f.x0, y-f.y0) > tapMove*g.dpr {
			touches.moved = true
		}
		if touches.pinching {
			return nil
		}
	}
	if (g.dragging || g.stroking) && id != g.pointerID {
		return nil
	}
	if g.dragging && (x != g.lastX || y != g.lastY) {
		g.view.Pan(p, x-g.lastX, y-g.lastY)
		g.viewAuto = false
		g.dirty = true
	}
	if g.stroking && in && math.Hypot(x-g.lastStrokeX, y-g.lastStrokeY) >= 8*g.dpr {
		t := g.view.Transform(p)
		dx, dy := t.ToData(x, y)
		g.ov.Stroke = append(g.ov.Stroke, float32(dx), float32(dy))
		g.lastStrokeX, g.lastStrokeY = x, y
		g.dirty = true
	}
	g.lastX, g.lastY = x, y
	return nil
}

func (g *Game) onPointerUp(e js.Value) func() {
	g.mu.Lock()
	defer g.mu.Unlock()
	id := e.Get("pointerId").Int()
	if _, ok := touches.fingers[id]; ok && g.touchUpLocked(id) {
		return nil
	}
	if (!g.dragging && !g.stroking) || id != g.pointerID {
		return nil
	}
	g.dragging = false
	if !g.stroking {
		return nil
	}
	g.stroking = false
	g.dirty = true
	if len(g.ov.Stroke) == 0 {
		return nil
	}
	arr := make([]any, len(g.ov.Stroke))
	for i, v := range g.ov.Stroke {
		arr[i] = float64(v)
	}
	g.ov.Stroke = g.ov.Stroke[:0]
	return func() {
		host := js.Global().Get("parent").Get("lipflowHost")
		if hasMethod(host, "pointsDrawn") {
			safeCall(host, "pointsDrawn", js.ValueOf(arr))
		}
	}
}

func (g *Game) onWheel(e js.Value) func() {
	g.mu.Lock()
	defer g.mu.Unlock()
	x, y := g.eventPos(e)
	p := g.plotRect()
	if !p.Contains(x, y) {
		return nil
	}
	e.Call("preventDefault")
	dy := e.Get("deltaY").Float()
	switch e.Get("deltaMode").Int() {
	case 1: // lines
		dy *= 16
	case 2: // pages
		dy *= 400
	}
	g.view.ZoomAt(p, x, y, math.Exp(clamp(dy*0.0015, -0.7, 0.7)))
	g.viewAuto = false
	g.dirty = true
	return nil
}
