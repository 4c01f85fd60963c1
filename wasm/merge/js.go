//go:build js && wasm

package main

// The worker side of the merge page <-> engine protocol: postMessage with structured clone, the
// typed arrays of the replies transferred. merge-worker.js queues what arrives before the
// engine is up.
//
// page -> worker
//
//	{type:'load', id, name, data: ArrayBuffer}   a data set's compact file (name: bladder, kidney)
//	{type:'configure', id, settings, run: bool}  settings: {name: value} in the vocabulary
//	    (gene.ConfigNames) over gene.DefaultConfig(); run: start at once (else paused at step 0)
//	{type:'run'}  {type:'pause'}                 pause also cancels the step requests in flight
//	{type:'step', id, k}                         pauses, then k steps (past the steps limit too)
//	{type:'particles', id}                       the latent particles now
//
// worker -> page
//
//	{type:'ready', go_version, defaults, help, names}
//	{type:'loaded', id, name} or {type:'loaded', id, name, error}
//	{type:'configured', id, problem, before: Float32Array 2 per sample, source: Uint8Array,
//	    class: Int32Array, and a frame's fields (config, running, done, status, after,
//	    particles, dim)} or {type:'configured', id, error, setting}: an error leaves the
//	    current merge as it was, running or not
//	{type:'frame', config, step, running, done, status, after: Float32Array 2 per sample,
//	    particles: Float32Array n x dim (the latent particles), dim}
//	    status: Session.Status (step, steps, stats, error, figures{before, after,
//	    standardisation, combat, floor}, figureStep, classes); at most 10 a second, and at
//	    once when a configuration, a step request or a run ends
//	{type:'stepped', id, step} or {..., error}
//	{type:'particles', id, step, dim, x: Float32Array}
//	{type:'error', error}                        an engine failure (the engine goes on)
//	{type:'fatal', error}                        from merge-worker.js: the engine could not load
//
// The loop steps in slices of about 30 ms, then yields to the event loop so that messages are
// handled. While running, the figures in probe space (a decode to 22,283 probes and a Sinkhorn
// solve, some 100 ms) are recomputed at most once a second; always when a run or request ends.

import (
	"encoding/json"
	"math"
	"runtime"
	"syscall/js"
	"time"

	"lipflow/flow/gene"
	"lipflow/wasm/internal/jsworker"
)

const (
	budget          = 30 * time.Millisecond
	frameInterval   = time.Second / 10
	measureInterval = time.Second
	maxStepRequest  = 1_000_000
	maxDataBytes    = gene.MaxFileBytes
)

func main() {
	jsworker.Start()
	def := gene.DefaultConfig()
	defaults, help := obj{}, obj{}
	names := []any{}
	for _, n := range gene.ConfigNames() {
		defaults[n] = def.Get(n)
		help[n] = gene.ConfigHelp(n)
		names = append(names, n)
	}
	jsworker.Post(obj{"type": "ready", "go_version": runtime.Version(), "defaults": defaults, "help": help, "names": names}, nil)
	w := &worker{}
	w.loop()
}

type obj = jsworker.Obj

type stepReq struct {
	id     js.Value
	target int
}

type worker struct {
	s           Session
	running     bool
	pending     []stepReq
	dirty       bool
	lastFrame   time.Time
	lastMeasure time.Time
}

func (w *worker) loop() {
	for {
		jsworker.Drain(w.handle)
		if w.busy() {
			w.slice()
		}
		w.maybeFrame(false)
		switch {
		case w.busy():
			jsworker.Yield(w.handle)
		case w.dirty:
			jsworker.Wait(time.Until(w.lastFrame.Add(frameInterval)), w.handle)
		default:
			w.handle(jsworker.Next())
		}
	}
}

func (w *worker) busy() bool {
	return w.s.Ready() && (len(w.pending) > 0 || w.running)
}

// slice steps for about one budget.
func (w *worker) slice() {
	defer w.recover("step")
	start := time.Now()
	for time.Since(start) < budget {
		if len(w.pending) > 0 {
			err := w.s.StepOne()
			w.dirty = true
			w.completeSteps(err)
			continue
		}
		if !w.running {
			return
		}
		if !w.s.Active() {
			w.stop()
			return
		}
		if err := w.s.StepOne(); err != nil {
			w.stop()
			return
		}
		w.dirty = true
	}
	if w.running && time.Since(w.lastMeasure) > measureInterval {
		w.measure()
	}
}

func (w *worker) measure() {
	if err := w.s.Measure(); err != nil {
		jsworker.Post(obj{"type": "error", "error": "figures: " + err.Error()}, nil)
	}
	w.lastMeasure = time.Now()
	w.dirty = true
}

func (w *worker) stop() {
	w.running = false
	w.measure()
	w.maybeFrame(true)
}

// completeSteps answers the step requests that are done, or all of them once the flow failed.
func (w *worker) completeSteps(err error) {
	for len(w.pending) > 0 && (err != nil || w.s.Step() >= w.pending[0].target) {
		req := w.pending[0]
		w.pending = w.pending[1:]
		if !w.s.Measured() {
			w.measure()
		}
		w.maybeFrame(true)
		m := obj{"type": "stepped", "id": req.id, "step": w.s.Step()}
		if err != nil {
			m["error"] = err.Error()
		}
		jsworker.Post(m, nil)
	}
}

func (w *worker) cancelSteps(why string) {
	for _, req := range w.pending {
		jsworker.Post(obj{"type": "stepped", "id": req.id, "step": w.s.Step(), "cancelled": true, "error": "step request cancelled by " + why}, nil)
	}
	w.pending = nil
}

func (w *worker) recover(where string) {
	if r := recover(); r != nil {
		jsworker.PostFailure("engine failure in "+where, r, js.Undefined())
		w.running = false
		w.cancelSteps("an engine failure")
	}
}

func (w *worker) handle(m js.Value) {
	defer w.recover("message")
	switch typ := m.Get("type").String(); typ {
	case "load":
		w.load(m)
	case "configure":
		w.configure(m)
	case "run":
		w.cancelSteps("run")
		w.running = w.s.Active()
		w.dirty = true
		w.maybeFrame(true)
	case "pause":
		w.cancelSteps("pause")
		w.running = false
		w.measure()
		w.maybeFrame(true)
	case "step":
		w.running = false
		n := 1
		if k := m.Get("k"); k.Type() == js.TypeNumber && !math.IsNaN(k.Float()) {
			n = int(math.Min(math.Max(k.Float(), 1), maxStepRequest))
		}
		base := w.s.Step()
		if len(w.pending) > 0 {
			base = w.pending[len(w.pending)-1].target
		}
		w.pending = append(w.pending, stepReq{id: m.Get("id"), target: base + n})
		if !w.s.Ready() {
			w.cancelSteps("the lack of a configured merge")
		}
	case "particles":
		x, dim := w.s.Particles()
		arr, buf := jsworker.Float32(x)
		jsworker.Post(obj{"type": "particles", "id": m.Get("id"), "step": w.s.Step(), "dim": dim, "x": arr}, []any{buf})
	default:
		jsworker.Post(obj{"type": "error", "error": "unknown message type " + typ}, nil)
	}
}

func (w *worker) load(m js.Value) {
	id, name := m.Get("id"), m.Get("name").String()
	reply := obj{"type": "loaded", "id": id, "name": name}
	data := m.Get("data")
	if !data.InstanceOf(js.Global().Get("ArrayBuffer")) {
		reply["error"] = name + ": want the file's bytes (an ArrayBuffer)"
		jsworker.Post(reply, nil)
		return
	}
	u8 := js.Global().Get("Uint8Array").New(data)
	if u8.Length() > maxDataBytes {
		reply["error"] = name + ": file larger than the gene data limit"
		jsworker.Post(reply, nil)
		return
	}
	buf := make([]byte, u8.Length())
	js.CopyBytesToGo(buf, u8)
	if err := w.s.Load(name, buf); err != nil {
		reply["error"] = err.Error()
	}
	jsworker.Post(reply, nil)
}

func (w *worker) configure(m js.Value) {
	id := m.Get("id")
	settings := map[string]string{}
	o := m.Get("settings")
	if o.Type() == js.TypeObject {
		keys := js.Global().Get("Object").Call("keys", o)
		for i := range keys.Length() {
			k := keys.Index(i).String()
			v := o.Get(k)
			if v.IsUndefined() || v.IsNull() {
				continue
			}
			settings[k] = jsworker.String(v)
		}
	}
	if err := w.s.Configure(settings); err != nil {
		reply := obj{"type": "configured", "id": id, "error": err.Error()}
		if se, ok := err.(*SettingError); ok {
			reply["setting"] = se.Setting
		}
		jsworker.Post(reply, nil)
		return
	}
	w.cancelSteps("configure")
	w.running = m.Get("run").Truthy() && w.s.Active()
	w.lastMeasure = time.Now()
	before, _, source, class := w.s.Projections()
	b, bb := jsworker.Float32(before)
	src := js.Global().Get("Uint8Array").New(len(source))
	for i, v := range source {
		if v {
			src.SetIndex(i, 1)
		}
	}
	cls := js.Global().Get("Int32Array").New(len(class))
	for i, v := range class {
		cls.SetIndex(i, int(v))
	}
	// The reply carries the first frame's content too, so that the page's status is complete
	// when its configure promise resolves.
	_, after, _, _ := w.s.Projections()
	a, ab := jsworker.Float32(after)
	x, dim := w.s.Particles()
	pa, pb := jsworker.Float32(x)
	jsworker.Post(obj{"type": "configured", "id": id, "problem": jsonJS(w.s.Problem()), "before": b, "source": src, "class": cls,
		"config": w.s.config, "running": w.running, "done": !w.s.Active(), "status": jsonJS(w.s.Status()),
		"after": a, "particles": pa, "dim": dim}, []any{bb, ab, pb})
	w.dirty = false
	w.lastFrame = time.Now()
}

func (w *worker) maybeFrame(force bool) {
	if !w.dirty || !w.s.Ready() {
		return
	}
	if !force && time.Since(w.lastFrame) < frameInterval {
		return
	}
	_, after, _, _ := w.s.Projections()
	a, ab := jsworker.Float32(after)
	x, dim := w.s.Particles()
	p, pb := jsworker.Float32(x)
	jsworker.Post(obj{"type": "frame", "config": w.s.config, "step": w.s.Step(), "running": w.running, "done": !w.s.Active(),
		"status": jsonJS(w.s.Status()), "after": a, "particles": p, "dim": dim}, []any{ab, pb})
	w.dirty = false
	w.lastFrame = time.Now()
}

// jsonJS hands a Go value to JS as the object its JSON describes; non-finite floats, which
// JSON cannot hold, never reach here (the figures and stats are checked finite upstream).
func jsonJS(v any) js.Value {
	b, err := json.Marshal(v)
	if err != nil {
		return js.ValueOf(obj{"error": err.Error()})
	}
	return js.Global().Get("JSON").Call("parse", string(b))
}
