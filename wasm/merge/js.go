//go:build js && wasm

package main

// The worker side of the merge page <-> engine protocol: postMessage with structured clone, the
// typed arrays of the replies transferred. www/worker.js?wasm=merge.wasm queues what arrives
// before the engine is up.
//
// page -> worker
//
//	{type:'load', id, name, data: ArrayBuffer}   a data set's compact file (name: bladder, kidney)
//	{type:'configure', id, settings, run: bool}  settings: {name: value} in the vocabulary
//	    (gene.ConfigNames) over gene.DefaultConfig(); run: start at once (else paused at step 0)
//	{type:'run'} {type:'pause'} {type:'hold', on} {type:'step', id, k}  answered by the runner
//	                                             (runner.Serve; k from 1 to 10^6)
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
//	    once when a configuration, a step request or a run ends. A new merge's configured
//	    reply has no figures (figureStep -1): they come in the next frame, measured in the
//	    slice after it (about a second), so that the page draws the data first
//	{type:'stepped', id, step} or {..., error} or {..., error, cancelled}   runner.Serve
//	{type:'particles', id, step, dim, x: Float32Array}
//	{type:'error', error, id?}                   an engine failure (the engine goes on); id: the
//	                                             request that failed
//	{type:'fatal', error}                        from worker.js: the engine could not load
//
// The runner steps in slices of about 30 ms, then yields to the event loop so that messages are
// handled. While running, the figures in probe space (a decode to 22,283 probes and a Sinkhorn
// solve, some 100 ms) are recomputed at most once a second; always when a run or request ends.

import (
	"encoding/json"
	"runtime"
	"syscall/js"
	"time"

	"lipflow/flow/gene"
	"lipflow/wasm/internal/jsworker"
	"lipflow/wasm/internal/pool"
	"lipflow/wasm/internal/runner"
)

const (
	measureInterval = time.Second
	maxDataBytes    = gene.MaxFileBytes
)

func main() {
	jsworker.Start()
	if pool.Role() == "shards" {
		pool.Serve() // a worker of this engine's pool (wasm/internal/pool)
		return
	}
	def := gene.DefaultConfig()
	defaults, help := obj{}, obj{}
	names := []any{}
	for _, n := range gene.ConfigNames() {
		defaults[n] = def.Get(n)
		help[n] = gene.ConfigHelp(n)
		names = append(names, n)
	}
	jsworker.Post(obj{"type": "ready", "go_version": runtime.Version(), "defaults": defaults, "help": help, "names": names}, nil)
	// The flow's steps are shared with a pool of Web Workers, one per core beside this one
	// (docs/performance.md#every-core); they never change its particles.
	w := &worker{pool: pool.New()}
	w.pool.Resize(pool.DefaultThreads() - 1)
	w.r = runner.New(w, runner.Options{Budget: 30 * time.Millisecond, FrameInterval: time.Second / 10, MaxSteps: 1_000_000})
	w.r.Serve(w.handle)
}

type obj = jsworker.Obj

// worker is the merge page's runner.Model: one Session and its frames.
type worker struct {
	r           *runner.Runner
	s           Session
	pool        *pool.Pool
	lastMeasure time.Time
	failed      int // the configuration whose first figures failed: not measured again by Work
}

func (w *worker) Step() int    { return w.s.Step() }
func (w *worker) Active() bool { return w.s.Active() }

func (w *worker) Ready() error {
	if !w.s.Ready() {
		return runner.Cancel("the lack of a configured merge")
	}
	return nil
}

func (w *worker) Advance() error {
	err := w.s.StepOne()
	w.r.Changed()
	return err
}

// Free steps the merge; while it runs, the figures in probe space (some 100 ms) are recomputed
// at most once a second.
func (w *worker) Free() (time.Duration, bool) {
	if !w.s.Active() {
		return 0, false
	}
	if err := w.s.StepOne(); err != nil {
		return 0, false
	}
	w.r.Changed()
	if time.Since(w.lastMeasure) > measureInterval {
		w.measure()
	}
	return 0, true
}

// Busy and Work (runner.Chores) measure a new merge's first figures in the slice after its
// configured reply, which has let the page draw the data.
func (w *worker) Busy() bool { return w.s.Ready() && !w.s.Figured() && w.failed != w.s.config }

func (w *worker) Work(time.Time) bool {
	if !w.Busy() {
		return false
	}
	if !w.measure() {
		w.failed = w.s.config // said once; a step or a run measures again
	}
	return true
}

// Settle measures the figures unless they are those of the current step.
func (w *worker) Settle() {
	if w.s.Ready() && !w.s.Measured() {
		w.measure()
	}
}

func (w *worker) Notify(e runner.Event) {
	if e == runner.Paused {
		w.Settle()
	}
}

// measure recomputes the figures, or posts why it could not; it reports whether it could.
func (w *worker) measure() bool {
	err := w.s.Measure()
	if err != nil {
		jsworker.Post(obj{"type": "error", "error": "figures: " + err.Error()}, nil)
	}
	w.lastMeasure = time.Now()
	w.r.Changed()
	return err == nil
}

// handle answers the merge page's own messages (the runner answers run, pause, hold and step).
func (w *worker) handle(m js.Value) {
	switch typ := m.Get("type").String(); typ {
	case "load":
		w.load(m)
	case "configure":
		w.configure(m)
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
	w.r.Cancel("configure")
	if w.s.run != nil {
		r, id := w.pool.For()
		w.s.run.Flow.SetRemote(r)
		w.pool.Drop([]int{id})
	}
	w.r.SetRunning(m.Get("run").Truthy())
	w.lastMeasure = time.Now()
	before, after, source, class := w.s.Projections()
	b, bb := jsworker.Float32(before)
	src := js.Global().Get("Uint8Array").New(len(source))
	for i, v := range source {
		if v {
			src.SetIndex(i, 1)
		}
	}
	cls, cb := jsworker.Int32(class)
	// The reply carries the first frame's content too, so that the page's status is complete
	// when its configure promise resolves.
	a, ab := jsworker.Float32(after)
	x, dim := w.s.Particles()
	pa, pb := jsworker.Float32(x)
	jsworker.Post(obj{"type": "configured", "id": id, "problem": jsonJS(w.s.Problem()), "before": b, "source": src, "class": cls,
		"config": w.s.config, "running": w.r.Running(), "done": !w.s.Active(), "status": jsonJS(w.s.Status()),
		"after": a, "particles": pa, "dim": dim}, []any{bb, cb, ab, pb})
	w.r.Shown()
}

// Frame posts a frame (the runner decides when: at most 10 a second, and at once when a step
// request or a run ends).
func (w *worker) Frame(bool) bool {
	if !w.s.Ready() {
		return false
	}
	_, after, _, _ := w.s.Projections()
	a, ab := jsworker.Float32(after)
	x, dim := w.s.Particles()
	p, pb := jsworker.Float32(x)
	jsworker.Post(obj{"type": "frame", "config": w.s.config, "step": w.s.Step(), "running": w.r.Running(), "done": !w.s.Active(),
		"status": jsonJS(w.s.Status()), "after": a, "particles": p, "dim": dim}, []any{ab, pb})
	return true
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
