//go:build js && wasm

package main

import (
	"fmt"
	"math"
	"runtime"
	"syscall/js"
	"time"

	"lipflow/render"
)

// installAPI sets globalThis.lipflowView, globalThis.lipflowViewReady and tells the parent page.
func installAPI(g *Game) {
	api := js.Global().Get("Object").New()
	api.Set("frame", guarded("frame", func(args []js.Value) any {
		if len(args) == 0 || !isObject(args[0]) {
			return false
		}
		g.mu.Lock()
		defer g.mu.Unlock()
		g.dec.frame(&g.scene, args[0])
		return true
	}))
	api.Set("setOptions", guarded("setOptions", func(args []js.Value) any {
		if len(args) == 0 || !isObject(args[0]) {
			return nil
		}
		o := args[0]
		g.mu.Lock()
		defer g.mu.Unlock()
		before := g.opts
		setBool(o, "heat", &g.opts.Heat)
		setBool(o, "arrows", &g.opts.Arrows)
		setBool(o, "trails", &g.opts.Trails)
		setBool(o, "log", &g.opts.Log)
		setBool(o, "draw", &g.opts.Draw)
		setBool(o, "charts", &g.opts.Charts)
		if g.opts.Log != before.Log {
			g.view.Log = g.opts.Log
			g.fitLocked()
		}
		if !g.opts.Draw {
			g.ov.Stroke = g.ov.Stroke[:0]
			g.stroking = false
		}
		if g.opts != before {
			g.dirty = true
		}
		return nil
	}))
	api.Set("resetView", guarded("resetView", func(args []js.Value) any {
		g.mu.Lock()
		defer g.mu.Unlock()
		g.fitLocked()
		return nil
	}))
	api.Set("getView", guarded("getView", func(args []js.Value) any {
		g.mu.Lock()
		defer g.mu.Unlock()
		t := g.view.Transform(g.plotRect())
		x0, x1, y0, y1 := t.Region()
		return js.ValueOf(map[string]any{"x0": x0, "x1": x1, "y0": y0, "y1": y1, "log": g.opts.Log})
	}))
	api.Set("getOptions", guarded("getOptions", func(args []js.Value) any {
		g.mu.Lock()
		defer g.mu.Unlock()
		o := g.opts
		return js.ValueOf(map[string]any{"heat": o.Heat, "arrows": o.Arrows, "trails": o.Trails, "log": o.Log, "draw": o.Draw, "charts": o.Charts})
	}))
	api.Set("debug", guarded("debug", func(args []js.Value) any {
		g.mu.Lock()
		defer g.mu.Unlock()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return js.ValueOf(map[string]any{
			"mallocs": float64(ms.Mallocs), "heapMB": float64(ms.HeapAlloc) / (1 << 20),
			"draws": g.draws, "lastDrawMs": g.lastDraw.Seconds() * 1000, "maxDrawMs": g.maxDraw.Seconds() * 1000,
			"frameCostMs": g.frameCost.Seconds() * 1000, "timingsMs": timings(g.rend.Timings[:]), "width": g.w, "height": g.h, "dpr": g.dpr, "frames": g.scene.Version, "step": g.scene.Step,
			"hasField": g.scene.HasField, "fieldVersion": g.scene.FieldVersion, "fieldNX": g.scene.Field.NX, "fieldNY": g.scene.Field.NY,
			"targets": len(g.scene.Targets) / 2, "runs": g.scene.NRuns,
		})
	}))
	installCapture(api, g)
	js.Global().Set("lipflowView", api)
	js.Global().Set("lipflowViewReady", true)
	host := js.Global().Get("parent").Get("lipflowHost")
	if hasMethod(host, "viewReady") {
		safeCall(host, "viewReady")
	}
}

// guarded wraps a callback so that a panic is logged instead of stopping the program.
func guarded(name string, f func(args []js.Value) any) js.Func {
	return js.FuncOf(func(this js.Value, args []js.Value) (ret any) {
		defer func() {
			if e := recover(); e != nil {
				js.Global().Get("console").Call("error", fmt.Sprintf("lipflow view: %s: %v", name, e))
				ret = nil
			}
		}()
		return f(args)
	})
}

func timings(ds []time.Duration) []any {
	out := make([]any, len(ds))
	for i, d := range ds {
		out[i] = d.Seconds() * 1000
	}
	return out
}

func isObject(v js.Value) bool { return v.Type() == js.TypeObject && !v.IsNull() }

func setBool(o js.Value, key string, dst *bool) {
	if v := o.Get(key); v.Type() == js.TypeBoolean {
		*dst = v.Bool()
	} else if v.Type() == js.TypeNumber {
		*dst = v.Float() != 0
	}
}

func num(v js.Value) float64 {
	switch v.Type() {
	case js.TypeNumber:
		return v.Float()
	case js.TypeBoolean:
		if v.Bool() {
			return 1
		}
		return 0
	}
	return math.NaN()
}

func str(v js.Value) string {
	switch v.Type() {
	case js.TypeString:
		return v.String()
	case js.TypeUndefined, js.TypeNull:
		return ""
	}
	return v.Call("toString").String()
}

// decoder copies numbers out of JS typed arrays without keeping references to them.
type decoder struct {
	uint8Array, arrayBuffer, array, tag js.Value
	inited                              bool
}

func (d *decoder) init() {
	if d.inited {
		return
	}
	d.inited = true
	g := js.Global()
	d.uint8Array, d.arrayBuffer, d.array = g.Get("Uint8Array"), g.Get("ArrayBuffer"), g.Get("Array")
	d.tag = g.Get("Object").Get("prototype").Get("toString")
}

// kind tells what v is: 4 for a Float32Array, 8 for a Float64Array, 1 for a plain array, 0 otherwise.
// The arrays come from the parent page, another realm, so instanceof cannot be used.
func (d *decoder) kind(v js.Value) int {
	if v.Type() != js.TypeObject || v.IsNull() {
		return 0
	}
	if d.array.Call("isArray", v).Bool() {
		return 1
	}
	if !d.arrayBuffer.Call("isView", v).Bool() {
		return 0
	}
	switch d.tag.Call("call", v).String() {
	case "[object Float32Array]":
		return 4
	case "[object Float64Array]":
		return 8
	}
	return 0
}

// bytesView is a Uint8Array over the typed array's bytes.
func (d *decoder) bytesView(v js.Value) js.Value {
	return d.uint8Array.New(v.Get("buffer"), v.Get("byteOffset"), v.Get("byteLength"))
}

// f32 copies a Float32Array (or Float64Array, or plain array of numbers) into dst, reusing its capacity.
func (d *decoder) f32(v js.Value, dst []float32) []float32 {
	d.init()
	switch d.kind(v) {
	case 4:
		n := v.Length()
		dst = grow32(dst, n)
		if n > 0 {
			js.CopyBytesToGo(bytesOf32(dst), d.bytesView(v))
		}
	case 8:
		n := v.Length()
		tmp := make([]float64, n)
		if n > 0 {
			js.CopyBytesToGo(bytesOf64(tmp), d.bytesView(v))
		}
		dst = grow32(dst, n)
		for i, x := range tmp {
			dst[i] = float32(x)
		}
	case 1:
		n := v.Length()
		dst = grow32(dst, n)
		for i := 0; i < n; i++ {
			dst[i] = float32(num(v.Index(i)))
		}
	default:
		dst = dst[:0]
	}
	return dst
}

// f64 is f32 for float64.
func (d *decoder) f64(v js.Value, dst []float64) []float64 {
	d.init()
	switch d.kind(v) {
	case 8:
		n := v.Length()
		dst = grow64(dst, n)
		if n > 0 {
			js.CopyBytesToGo(bytesOf64(dst), d.bytesView(v))
		}
	case 4:
		n := v.Length()
		tmp := make([]float32, n)
		if n > 0 {
			js.CopyBytesToGo(bytesOf32(tmp), d.bytesView(v))
		}
		dst = grow64(dst, n)
		for i, x := range tmp {
			dst[i] = float64(x)
		}
	case 1:
		n := v.Length()
		dst = grow64(dst, n)
		for i := 0; i < n; i++ {
			dst[i] = num(v.Index(i))
		}
	default:
		dst = dst[:0]
	}
	return dst
}

func grow32(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n, n+n/4)
	}
	return s[:n]
}

func grow64(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n, n+n/4)
	}
	return s[:n]
}

func present(v js.Value) bool { return !v.IsUndefined() && !v.IsNull() }

// frame copies a frame object into the scene.
func (d *decoder) frame(sc *render.Scene, f js.Value) {
	prevStep := sc.Step
	step := num(f.Get("step"))
	if isFinite(step) {
		sc.Step = int(step)
	}
	if dim := num(f.Get("dim")); isFinite(dim) {
		sc.Dim = int(dim)
	}
	if t := f.Get("targets"); present(t) {
		sc.Targets = d.f32(t, sc.Targets)
		sc.TargetsVersion++
	}
	if l := f.Get("targetLabel"); present(l) {
		sc.TargetLabel = str(l)
	}
	runs := f.Get("runs")
	n := 0
	if present(runs) {
		n = min(runs.Length(), render.MaxRuns)
	}
	sc.NRuns = n
	for k := 0; k < n; k++ {
		rv := runs.Index(k)
		run := &sc.Runs[k]
		if !isObject(rv) {
			run.Particles = run.Particles[:0]
			run.Error = "no data"
			continue
		}
		run.Label = str(rv.Get("label"))
		if p := rv.Get("particles"); present(p) {
			run.Particles = d.f32(p, run.Particles)
		} else {
			run.Particles = run.Particles[:0]
		}
		st := rv.Get("stats")
		if isObject(st) {
			run.Stats = render.Stats{Divergence: num(st.Get("divergence")), KE: num(st.Get("ke")), Speed: num(st.Get("speed")), Metric: num(st.Get("metric"))}
		} else {
			run.Stats = render.Stats{Divergence: math.NaN(), KE: math.NaN(), Speed: math.NaN(), Metric: math.NaN()}
		}
		run.MetricName = str(rv.Get("metricName"))
		if c := rv.Get("curves"); isObject(c) {
			run.Curves.Step = d.f64(c.Get("step"), run.Curves.Step)
			run.Curves.Divergence = d.f64(c.Get("divergence"), run.Curves.Divergence)
			run.Curves.KE = d.f64(c.Get("ke"), run.Curves.KE)
			run.Curves.Metric = d.f64(c.Get("metric"), run.Curves.Metric)
		}
		run.Error = str(rv.Get("error"))
	}
	if fl := f.Get("field"); isObject(fl) {
		fd := &sc.Field
		fd.X0, fd.X1, fd.Y0, fd.Y1 = num(fl.Get("x0")), num(fl.Get("x1")), num(fl.Get("y0")), num(fl.Get("y1"))
		fd.NX, fd.NY = int(num(fl.Get("nx"))), int(num(fl.Get("ny")))
		fd.Log = fl.Get("log").Truthy()
		fd.Phi = d.f32(fl.Get("phi"), fd.Phi)
		fd.GX = d.f32(fl.Get("gx"), fd.GX)
		fd.GY = d.f32(fl.Get("gy"), fd.GY)
		fd.Analyze()
		sc.HasField = fd.Valid()
		sc.FieldVersion++
	} else if sc.HasFrame && sc.Step < prevStep {
		// A new run: the old potential no longer applies.
		sc.HasField = false
	}
	sc.Heavy = f.Get("heavy").Truthy()
	sc.HasFrame = true
	sc.Version++
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
