//go:build js && wasm

package main

import (
	"math"
	"syscall/js"
)

// installInput listens to the page's pointer, wheel and key events. DOM events, rather than polling
// Ebitengine's input state at 30 ticks a second, see every click, however short, and every point of
// a drag, also when a frame takes long to draw. Pointer events cover the mouse, pens and one finger.
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

func (g *Game) onPointerDown(e js.Value) func() {
	if e.Get("button").Int() != 0 {
		return nil
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	x, y := g.eventPos(e)
	p := g.plotRect()
	if !p.Contains(x, y) || g.dragging || g.stroking {
		return nil
	}
	g.pointerID = e.Get("pointerId").Int()
	if t := e.Get("target"); t.Truthy() && t.Get("setPointerCapture").Type() == js.TypeFunction {
		t.Call("setPointerCapture", g.pointerID) // keep the drag when it leaves the frame
	}
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
	if (g.dragging || g.stroking) && e.Get("pointerId").Int() != g.pointerID {
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
	if (!g.dragging && !g.stroking) || e.Get("pointerId").Int() != g.pointerID {
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
