//go:build js && wasm

package main

import (
	"fmt"
	"math"
	"runtime"
	"syscall/js"
	"time"

	"lipflow/render"
	"lipflow/wasm/internal/jsarray"
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
		decodeFrame(&g.scene, args[0])
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
			"mallocs": float64(ms.Mallocs), "heapMB": float64(ms.HeapAlloc) / (1 << 20), "sysMB": float64(ms.Sys) / (1 << 20),
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

func str(v js.Value) string {
	switch v.Type() {
	case js.TypeString:
		return v.String()
	case js.TypeUndefined, js.TypeNull:
		return ""
	}
	return v.Call("toString").String()
}

func present(v js.Value) bool { return !v.IsUndefined() && !v.IsNull() }

// decodeFrame copies a frame object into the scene, reusing the scene's slices.
func decodeFrame(sc *render.Scene, f js.Value) {
	prevStep := sc.Step
	step := jsarray.Number(f.Get("step"))
	if isFinite(step) {
		sc.Step = int(step)
	}
	if dim := jsarray.Number(f.Get("dim")); isFinite(dim) {
		sc.Dim = int(dim)
	}
	if t := f.Get("targets"); present(t) {
		sc.Targets = jsarray.Read(sc.Targets, t)
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
			run.Particles = jsarray.Read(run.Particles, p)
		} else {
			run.Particles = run.Particles[:0]
		}
		st := rv.Get("stats")
		if isObject(st) {
			run.Stats = render.Stats{Divergence: jsarray.Number(st.Get("divergence")), KE: jsarray.Number(st.Get("ke")), Speed: jsarray.Number(st.Get("speed")), Metric: jsarray.Number(st.Get("metric"))}
		} else {
			run.Stats = render.Stats{Divergence: math.NaN(), KE: math.NaN(), Speed: math.NaN(), Metric: math.NaN()}
		}
		run.MetricName = str(rv.Get("metricName"))
		if c := rv.Get("curves"); isObject(c) {
			run.Curves.Step = jsarray.Read(run.Curves.Step, c.Get("step"))
			run.Curves.Divergence = jsarray.Read(run.Curves.Divergence, c.Get("divergence"))
			run.Curves.KE = jsarray.Read(run.Curves.KE, c.Get("ke"))
			run.Curves.Metric = jsarray.Read(run.Curves.Metric, c.Get("metric"))
		}
		run.Error = str(rv.Get("error"))
	}
	if fl := f.Get("field"); isObject(fl) {
		fd := &sc.Field
		fd.X0, fd.X1, fd.Y0, fd.Y1 = jsarray.Number(fl.Get("x0")), jsarray.Number(fl.Get("x1")), jsarray.Number(fl.Get("y0")), jsarray.Number(fl.Get("y1"))
		fd.NX, fd.NY = int(jsarray.Number(fl.Get("nx"))), int(jsarray.Number(fl.Get("ny")))
		fd.Log = fl.Get("log").Truthy()
		fd.Phi = jsarray.Read(fd.Phi, fl.Get("phi"))
		fd.GX = jsarray.Read(fd.GX, fl.Get("gx"))
		fd.GY = jsarray.Read(fd.GY, fl.Get("gy"))
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
