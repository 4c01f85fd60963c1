//go:build js && wasm

package main

// The worker side of the page <-> engine protocol: postMessage with structured clone, the typed
// arrays of the replies transferred. worker.js queues what arrives before the engine is up.
//
// page -> worker
//
//	{type:'configure', id, runs:[settings, 1..3], points: null | {x: Float64Array, dim}, run: bool}
//	    settings: vocabulary names (numbers, strings, booleans; L may be 'inf') over
//	    flow.Defaults(), plus an optional label. Runs 2 and 3 take run 1's data settings
//	    (source, target, dim, m, seed). points: the user's own targets (override target and m).
//	    run: start running once configured (else paused at step 0).
//	{type:'reset', id, run: bool}        the same configuration from step 0
//	{type:'run'} {type:'pause'} {type:'hold', on} {type:'step', id, k}  answered by the runner
//	                                     (runner.Serve; k from 1 to 10^8)
//	{type:'speed', stepsPerFrame, budget} steps per 1/30 s (0: as fast as possible); ms per slice
//	{type:'field', region:{x0,x1,y0,y1}, nx, ny, log}  the grid of frame.field (nx < 2: none)
//	{type:'particles', id}               run 1's full particles now
//	{type:'parseCSV', id, data: ArrayBuffer, maxBytes}  dist.ReadCSV
//	{type:'data', id}                    the targets and every run's particles at full precision
//	{type:'weights', id, run}            run's discriminator (flow.Weights; the page writes the file)
//	{type:'setWeights', id, run, weights} put a weights file, as JSON.parse read it, into run's
//	                                     discriminator (params may be an array or a Float32Array)
//	{type:'bench', id, settings, steps, minRows?}  time steps particle steps after one warm-up
//	                                     step; minRows lowers flow.RemoteMinRows for the run
//	{type:'workers', id, n}              n threads compute each step, the engine and its pool of
//	                                     Web Workers (1..8; 0: navigator.hardwareConcurrency, at most
//	                                     8); never changes a result (wasm/internal/pool)
//	{type:'killPoolWorker', k}           stop pool worker k as if it had crashed (the tests)
//
// worker -> page
//
//	{type:'ready', go_version}   (the settings, their defaults and help are in www/settings.js)
//	{type:'configured', id, reset} or {type:'configured', id, error, setting, run}: an error
//	    leaves the previous runs as they were, running or not; setting names the culprit
//	    (vocabulary name) when known, run is its index (0 = the base run).
//	{type:'frame', ...}                  see Frame
//	{type:'stepped', id, step} or {..., error} or {..., error, cancelled}   runner.Serve
//	{type:'particles', id, step, dim, x: Float32Array n x dim}
//	{type:'parsedCSV', id, x: Float64Array, dim, rows} or {type:'parsedCSV', id, error}
//	{type:'data', id, step, dim, targets: Float64Array, particles: [Float64Array per run]}
//	{type:'weights', id, weights: {format, version, step, in, width, depth, heads, activation, f,
//	    alpha, L, lipschitz, params: Float32Array}} or {..., error}
//	{type:'setWeights', id} or {..., error}: a refused file leaves the run as it was
//	{type:'bench', id, result:{n,m,width,depth,inner,steps,f,method,dim,ms_per_step,total_ms,go_version,
//	    workers, pool_lost, pool_wait_ms, pool_serve_ms, pool_trips, min_rows}} or {..., error}
//	{type:'workers', id, threads, available} or {..., error, threads}: threads in use; available
//	    is false where there can be no pool (the single-file build)
//	{type:'error', error, id?}           an engine failure (the engine goes on); id: the request
//	                                     that failed
//	{type:'fatal', error}                from worker.js: the engine could not load or stopped
//
// The runner computes in slices of about budget (30 ms), one run's step at a time, then yields
// to the event loop so that messages are handled; frames go out at most 30 times a second, and
// at once when a configuration, a step request or a run ends.

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strconv"
	"syscall/js"
	"time"

	"lipflow/flow"
	"lipflow/flow/dist"
	"lipflow/wasm/internal/jsworker"
	"lipflow/wasm/internal/pool"
	"lipflow/wasm/internal/runner"
)

const (
	fieldInterval  = time.Second / 10 // the field is recomputed at most this often while running
	framesPerSec   = 30.0
	csvLimit       = 5 << 20
	maxStepRequest = 100_000_000
)

func main() {
	jsworker.Start()
	if pool.Role() == "shards" {
		pool.Serve() // a worker of the engine's pool (wasm/internal/pool)
		return
	}
	w := &worker{pool: pool.New(), threads: pool.DefaultThreads()}
	w.pool.Resize(w.threads - 1)
	w.r = runner.New(w, runner.Options{Budget: 30 * time.Millisecond, FrameInterval: time.Second / framesPerSec, MaxSteps: maxStepRequest})
	jsworker.Post(obj{"type": "ready", "go_version": runtime.Version()}, nil)
	w.r.Serve(w.handle)
}

type obj = jsworker.Obj

// worker is the engine's runner.Model: its runs, the pace of a free run and the field.
type worker struct {
	r             *runner.Runner
	e             Engine
	stepsPerFrame float64 // 0: as fast as the budget allows
	tokens        float64
	lastRefill    time.Time
	field         *FieldRequest
	fieldDirty    bool // the request changed
	fieldStep     int
	lastField     time.Time
	newField      *Field
	pool          *pool.Pool // the Web Workers that share the GPA runs' steps
	threads       int        // the threads computing a step, the engine included (the page's workers setting)
	lostShown     string     // the last loss of the pool reported to the page
}

// share gives every GPA run the pool, and makes the workers forget the runs that are gone.
func (w *worker) share() {
	var keep []int
	for _, fl := range w.e.GPA() {
		r, id := w.pool.For()
		fl.SetRemote(r)
		keep = append(keep, id)
	}
	w.pool.Drop(keep)
}

// setWorkers answers {type:'workers', id, n}: n threads compute a step, the engine included
// (1..pool.MaxWorkers; 0 or absent: the default). It never changes a run's particles.
func (w *worker) setWorkers(m js.Value) {
	reply := obj{"type": "workers", "id": m.Get("id")}
	n := pool.DefaultThreads()
	if v := m.Get("n"); v.Type() == js.TypeNumber && v.Float() != 0 {
		if v.Float() != math.Trunc(v.Float()) || v.Float() < 1 || v.Float() > pool.MaxWorkers {
			reply["error"] = fmt.Sprintf("workers = %v, want a whole number from 1 to %d", v.Float(), pool.MaxWorkers)
			reply["threads"] = w.threads
			jsworker.Post(reply, nil)
			return
		}
		n = v.Int()
	}
	w.threads = n
	w.pool.Resize(n - 1)
	w.lostShown = ""
	w.share()
	reply["threads"] = 1 + w.pool.Size()
	reply["available"] = pool.Available()
	jsworker.Post(reply, nil)
}

func (w *worker) Step() int    { return w.e.Step() }
func (w *worker) Active() bool { return w.e.Active() }

func (w *worker) Ready() error {
	if w.e.Runs() == 0 {
		return w.stuck()
	}
	return nil
}

// Advance does the next run's step of a step request's tick.
func (w *worker) Advance() error {
	done, stepped := w.e.StepOne(true)
	w.r.Changed()
	if !done {
		return nil
	}
	if !stepped {
		return w.stuck()
	}
	w.maybeField(false)
	return nil
}

// Free does the next run's step of a free run's tick; a tick starts only when the pace allows
// (stepsPerFrame ticks per 1/30 s).
func (w *worker) Free() (time.Duration, bool) {
	if !w.e.MidTick() {
		w.refill()
		if w.stepsPerFrame > 0 && w.tokens < 1 {
			return w.untilToken(), true
		}
		if !w.e.Active() {
			return 0, false
		}
	}
	done, _ := w.e.StepOne(false)
	w.r.Changed()
	if done {
		w.tokens--
		w.maybeField(false)
		if !w.e.Active() {
			return 0, false
		}
	}
	return 0, true
}

func (w *worker) Settle() {
	w.e.MeasureAll()
	w.maybeField(true)
}

func (w *worker) Notify(e runner.Event) {
	switch e {
	case runner.Started:
		w.lastRefill, w.tokens = time.Now(), max(1, w.stepsPerFrame)
	case runner.Held, runner.Released:
		w.lastRefill = time.Now()
	}
}

func (w *worker) refill() {
	now := time.Now()
	if w.stepsPerFrame > 0 {
		w.tokens += now.Sub(w.lastRefill).Seconds() * framesPerSec * w.stepsPerFrame
		w.tokens = min(w.tokens, max(1, w.stepsPerFrame))
	}
	w.lastRefill = now
}

func (w *worker) untilToken() time.Duration {
	if w.stepsPerFrame <= 0 || w.tokens >= 1 {
		return 0
	}
	return time.Duration((1 - w.tokens) / (framesPerSec * w.stepsPerFrame) * float64(time.Second))
}

// stuck is the error of step requests that no run can do.
func (w *worker) stuck() error {
	return errors.New("all runs stopped before the requested steps were done: " + w.firstError())
}

func (w *worker) firstError() string {
	for _, r := range w.e.runs {
		if r.err != nil {
			return r.err.Error()
		}
	}
	return "no run can step"
}

// handle answers the engine's own messages (the runner answers run, pause, hold and step).
func (w *worker) handle(m js.Value) {
	typ := m.Get("type").String()
	switch typ {
	case "configure":
		w.configure(m)
	case "reset":
		w.r.Cancel("reset")
		err := w.e.Reset()
		if err == nil {
			w.share()
			w.afterConfigure(m.Get("run").Truthy())
		}
		jsworker.Post(configured(m.Get("id"), err, true), nil)
	case "speed":
		if v := m.Get("stepsPerFrame"); v.Type() == js.TypeNumber {
			w.stepsPerFrame = math.Max(v.Float(), 0)
			w.tokens = min(w.tokens, max(1, w.stepsPerFrame))
		}
		if v := m.Get("budget"); v.Type() == js.TypeNumber {
			w.r.SetBudget(time.Duration(math.Min(math.Max(v.Float(), 5), 500) * float64(time.Millisecond)))
		}
	case "field":
		w.setField(m)
	case "particles":
		x := w.e.FullParticles()
		arr, buf := jsworker.Float32(x)
		jsworker.Post(obj{"type": "particles", "id": m.Get("id"), "step": w.e.Step(), "dim": w.e.Dim(), "x": arr}, []any{buf})
	case "parseCSV":
		w.parseCSV(m)
	case "data":
		targets, particles := w.e.Data()
		arr, buf := jsworker.Float64(targets)
		transfer := []any{buf}
		ps := make([]any, len(particles))
		for i, p := range particles {
			a, b := jsworker.Float64(p)
			ps[i] = a
			transfer = append(transfer, b)
		}
		jsworker.Post(obj{"type": "data", "id": m.Get("id"), "step": w.e.Step(), "dim": w.e.Dim(), "targets": arr, "particles": ps}, transfer)
	case "weights":
		reply := obj{"type": "weights", "id": m.Get("id")}
		if wt, err := w.e.Weights(runIndex(m)); err != nil {
			reply["error"] = err.Error()
		} else {
			reply["weights"] = weightsJS(wt)
		}
		jsworker.Post(reply, nil)
	case "setWeights":
		reply := obj{"type": "setWeights", "id": m.Get("id")}
		if wt, err := weightsFromJS(m.Get("weights")); err != nil {
			reply["error"] = err.Error()
		} else if err := w.e.SetWeights(runIndex(m), wt); err != nil {
			reply["error"] = err.Error()
		} else {
			w.fieldDirty = true
			w.r.Changed()
			w.maybeField(true)
			w.r.Show(true)
		}
		jsworker.Post(reply, nil)
	case "bench":
		w.bench(m)
	case "workers":
		w.setWorkers(m)
	case "killPoolWorker": // the tests' crash of a pool worker (e2e)
		w.pool.Kill(m.Get("k").Int())
	default:
		jsworker.Post(obj{"type": "error", "error": "unknown message type " + strconv.Quote(typ)}, nil)
	}
}

// configure answers {type:'configured', id} or {type:'configured', id, error, setting, run}:
// an error leaves the previous runs as they were, running or not.
func (w *worker) configure(m js.Value) {
	id := m.Get("id")
	runsJS := m.Get("runs")
	if runsJS.Type() != js.TypeObject || runsJS.Length() < 1 {
		jsworker.Post(configured(id, &ConfigError{Err: errors.New("configure: runs must be an array of 1..3 settings objects")}, false), nil)
		return
	}
	var specs []RunSpec
	for i := range runsJS.Length() {
		sp, err := specFromJS(runsJS.Index(i))
		if err != nil {
			err.Run = i
			jsworker.Post(configured(id, err, false), nil)
			return
		}
		specs = append(specs, sp)
	}
	var points []float64
	pdim := 0
	if p := m.Get("points"); p.Truthy() {
		points = jsworker.Float64From(p.Get("x"))
		pdim = p.Get("dim").Int()
	}
	if err := w.e.Configure(specs, points, pdim); err != nil {
		jsworker.Post(configured(id, err, false), nil)
		return
	}
	w.r.Cancel("configure")
	w.share()
	w.afterConfigure(m.Get("run").Truthy())
	jsworker.Post(configured(id, nil, false), nil)
}

func (w *worker) afterConfigure(run bool) {
	w.r.SetRunning(run)
	w.lastRefill, w.tokens = time.Now(), max(1, w.stepsPerFrame)
	w.fieldDirty = true
	w.r.Changed()
	w.maybeField(true)
	w.r.Show(true)
}

func configured(id js.Value, err error, reset bool) obj {
	m := obj{"type": "configured", "id": id, "reset": reset}
	if err != nil {
		m["error"] = err.Error()
		var ce *ConfigError
		if errors.As(err, &ce) {
			m["run"] = ce.Run
			m["setting"] = ce.Setting
		}
	}
	return m
}

// specFromJS reads a settings object: every vocabulary name it holds (numbers, strings or
// booleans; L may be "inf" or Infinity) over flow.Defaults(), plus an optional label.
func specFromJS(o js.Value) (RunSpec, *ConfigError) {
	sp := RunSpec{Settings: flow.Defaults()}
	if o.Type() != js.TypeObject {
		return sp, &ConfigError{Err: errors.New("configure: a run's settings must be an object")}
	}
	keys := js.Global().Get("Object").Call("keys", o)
	for i := range keys.Length() {
		name := keys.Index(i).String()
		v := o.Get(name)
		if name == "label" {
			if v.Type() == js.TypeString {
				sp.Label = v.String()
			}
			continue
		}
		if v.IsUndefined() || v.IsNull() {
			continue
		}
		if err := sp.Settings.Set(name, jsworker.String(v)); err != nil {
			return sp, &ConfigError{Setting: flow.SettingOf(err), Err: err}
		}
	}
	return sp, nil
}

func (w *worker) setField(m js.Value) {
	nx, ny := m.Get("nx"), m.Get("ny")
	if nx.Type() != js.TypeNumber || ny.Type() != js.TypeNumber || nx.Int() < 2 || ny.Int() < 2 {
		w.field = nil
		return
	}
	r := m.Get("region")
	num := func(v js.Value, def float64) float64 {
		if v.Type() == js.TypeNumber && !math.IsNaN(v.Float()) && !math.IsInf(v.Float(), 0) {
			return v.Float()
		}
		return def
	}
	q := FieldRequest{NX: nx.Int(), NY: ny.Int(), Log: m.Get("log").Truthy()}
	if r.Type() == js.TypeObject {
		q.X0, q.X1, q.Y0, q.Y1 = num(r.Get("x0"), -1), num(r.Get("x1"), 1), num(r.Get("y0"), -1), num(r.Get("y1"), 1)
	}
	w.field = &q
	w.fieldDirty = true
	w.maybeField(true)
	if !w.r.Running() && w.r.Pending() == 0 {
		w.r.Show(true)
	}
}

// maybeField recomputes the field when its request changed, or when run 0 moved on and the
// last computation is old enough (force: whenever something changed).
func (w *worker) maybeField(force bool) {
	if w.field == nil || w.e.Runs() == 0 {
		return
	}
	moved := w.e.Step() != w.fieldStep
	if !w.fieldDirty && !moved {
		return
	}
	if !force && !w.fieldDirty && time.Since(w.lastField) < fieldInterval {
		return
	}
	w.newField = w.e.Field(*w.field)
	w.fieldDirty, w.fieldStep, w.lastField = false, w.e.Step(), time.Now()
	w.r.Changed()
}

// Frame posts a frame (the runner decides when: at most 30 a second, and at once when a
// configuration, a step request or a run ends):
//
//	pool: {threads, trips, lost, engineMB, workersMB, engineRefs, workersRefs, engineGCs,
//	      workersGCs}: the threads
//	      computing a step, the round trips to the pool so far, once, when a pool worker
//	      stopped, lost: the message to show (the runs go on alone); the Go memory of the engine
//	      and of the pool's workers (MB), the JS values they hold and their garbage collections
//	      (jsworker.Memory)
//
//	{type:'frame', config (counts configurations: a new one starts new histories), step (lockstep
//	 ticks), running, done (no run can go on: steps reached or failed), dim, heavy, metricName,
//	 targets?: Float32Array m x 2 (first frame after a configuration; the first two coordinates,
//	           or for dim > 2 the scores on the targets' two principal axes), target?: spec,
//	 runs:[{label, particles: Float32Array n x 2 (projected like targets), particlesFull?:
//	        Float32Array n x dim (run 1 only, when dim <= 8), stats:{step, divergence, ke, speed, dt},
//	        metric, metricStep, metricName ('energy' or 'log-KS'), error (null or the text of
//	        ErrDiverged: the run has stopped), curves:{step, divergence, ke, speed, metric}
//	        (Float64Arrays of the steps since the last frame; metric NaN where not measured)}],
//	 field: null | {x0,x1,y0,y1,nx,ny,log,step, phi, gx, gy}: Float32Arrays nx*ny of phi and
//	        -grad phi of run 1 at the nodes (x0 + i(x1-x0)/(nx-1), y0 + j(y1-y0)/(ny-1)), index
//	        j*nx + i (with log the nodes are uniform in sign(v) log(1+|v|)); only when recomputed}
func (w *worker) Frame(bool) bool {
	if w.e.Runs() == 0 {
		return false
	}
	jsworker.Collect() // between frames: the JS values of the messages since the last collection
	f := w.e.Frame(w.e.Dim() <= 8)
	var transfer []any
	add := func(a js.Value, b js.Value) js.Value {
		transfer = append(transfer, b)
		return a
	}
	runs := make([]any, len(f.Runs))
	for i, r := range f.Runs {
		rm := obj{
			"label": r.Label, "metric": r.Metric, "metricStep": r.MetricStep, "metricName": w.e.MetricFn,
			"stats": obj{"step": r.Stats.Step, "divergence": r.Stats.Divergence, "ke": r.Stats.KE, "speed": r.Stats.Speed, "dt": r.Stats.DT,
				"nu": r.Stats.Nu, "ep": r.Stats.EP, "eq": r.Stats.EQ},
			"floor":   w.e.Floor(),
			"warning": r.Warning,
			"curves": obj{
				"step": add(jsworker.Float64(r.Curves.Step)), "divergence": add(jsworker.Float64(r.Curves.Divergence)),
				"ke": add(jsworker.Float64(r.Curves.KE)), "speed": add(jsworker.Float64(r.Curves.Speed)), "metric": add(jsworker.Float64(r.Curves.Metric)),
			},
			"error":     nil,
			"particles": add(jsworker.Float32(r.Particles)),
		}
		if r.Err != "" {
			rm["error"] = r.Err
		}
		if r.Full != nil {
			rm["particlesFull"] = add(jsworker.Float32(r.Full))
		}
		runs[i] = rm
	}
	m := obj{
		"pool": w.poolStatus(nil),
		"type": "frame", "config": f.Config, "step": f.Step, "running": w.r.Running(), "held": w.r.Held(), "done": !w.e.Active(),
		"dim": f.Dim, "heavy": f.Heavy, "metricName": w.e.MetricFn, "runs": runs, "field": nil,
	}
	if text := w.lost(); text != "" && text != w.lostShown {
		// Said once: the runs go on alone, to the same bits.
		m["pool"] = w.poolStatus(text)
		w.lostShown = text
	}
	if f.Targets != nil {
		m["targets"] = add(jsworker.Float32(f.Targets))
		m["target"] = f.Target
	}
	if fl := w.newField; fl != nil {
		m["field"] = obj{
			"x0": fl.X0, "x1": fl.X1, "y0": fl.Y0, "y1": fl.Y1, "nx": fl.NX, "ny": fl.NY, "log": fl.Log, "step": w.fieldStep,
			"phi": add(jsworker.Float32(fl.Phi)), "gx": add(jsworker.Float32(fl.GX)), "gy": add(jsworker.Float32(fl.GY)),
		}
		w.newField = nil
	}
	jsworker.Post(m, transfer)
	return true
}

// parseCSV answers {type:'parsedCSV', id, x: Float64Array, dim, rows} or {..., error} with
// dist.ReadCSV's message (which names the line).
func (w *worker) parseCSV(m js.Value) {
	id := m.Get("id")
	data := m.Get("data")
	u8 := js.Global().Get("Uint8Array").New(data)
	limit := int64(csvLimit)
	if v := m.Get("maxBytes"); v.Type() == js.TypeNumber && v.Int() > 0 {
		limit = int64(v.Int())
	}
	if int64(u8.Length()) > limit {
		jsworker.Post(obj{"type": "parsedCSV", "id": id, "error": "file larger than " + strconv.FormatInt(limit, 10) + " bytes"}, nil)
		return
	}
	buf := make([]byte, u8.Length())
	js.CopyBytesToGo(buf, u8)
	x, d, err := dist.ReadCSV(bytes.NewReader(buf), limit)
	if err != nil {
		jsworker.Post(obj{"type": "parsedCSV", "id": id, "error": err.Error()}, nil)
		return
	}
	arr, b := jsworker.Float64(x)
	jsworker.Post(obj{"type": "parsedCSV", "id": id, "x": arr, "dim": d, "rows": len(x) / d}, []any{b})
}

// bench answers {type:'bench', id, result:{n, m, width, depth, inner, steps, f, method, dim, ms_per_step,
// total_ms, go_version}} or {type:'bench', id, error}.
func (w *worker) bench(m js.Value) {
	id := m.Get("id")
	sp, cerr := specFromJS(m.Get("settings"))
	if cerr != nil {
		jsworker.Post(obj{"type": "bench", "id": id, "error": cerr.Error()}, nil)
		return
	}
	s := sp.Settings
	steps := 20
	if v := m.Get("steps"); v.Type() == js.TypeNumber {
		steps = max(1, v.Int())
	}
	var remote flow.Remote
	if w.pool.Size() > 0 {
		remote, _ = w.pool.For()
	}
	w.pool.Waited, w.pool.Served, w.pool.Trips = 0, 0, 0
	minRows := 0 // bench.html's minrows: where the pool starts to share steps (flow.RemoteMinRows)
	if v := m.Get("minRows"); v.Type() == js.TypeNumber {
		minRows = max(1, v.Int())
	}
	per, total, err := Bench(s, steps, remote, minRows)
	w.share() // the pool's workers forget the bench's flow
	if err != nil {
		jsworker.Post(obj{"type": "bench", "id": id, "error": err.Error()}, nil)
		return
	}
	jsworker.Post(obj{"type": "bench", "id": id, "result": obj{
		"n": s.N, "m": s.M, "width": s.Width, "depth": s.Depth, "inner": s.Inner, "steps": steps,
		"f": s.F, "method": s.Get("method"), "dim": s.Dim, "ms_per_step": per, "total_ms": total, "go_version": runtime.Version(),
		"workers": 1 + w.pool.Size(), "pool_lost": lostText(w.pool.Lost()), "min_rows": minRows,
		"pool_wait_ms": float64(w.pool.Waited.Microseconds()) / 1000, "pool_serve_ms": float64(w.pool.Served.Microseconds()) / 1000, "pool_trips": w.pool.Trips,
	}}, nil)
}

// lost is the message of the pool's loss, or of a run's server failing ("" for none).
func (w *worker) lost() string {
	err := w.pool.Lost()
	for _, fl := range w.e.GPA() {
		if err == nil {
			err = fl.RemoteLost()
		}
	}
	return lostText(err)
}

// lostText is the message of a pool's loss ("" for none).
func lostText(err error) string {
	if err == nil {
		return ""
	}
	return "a Web Worker of the pool stopped (" + err.Error() + "): the runs compute on the engine alone, to the same results"
}

// weightsJS is w as a JS object with the file's field names.
func weightsJS(w flow.Weights) obj {
	params, _ := jsworker.Float32(w.Params)
	return obj{
		"format": w.Format, "version": w.Version, "step": w.Step, "in": w.In, "width": w.Width, "depth": w.Depth,
		"heads": w.Heads, "activation": w.Activation, "f": w.F, "alpha": w.Alpha, "L": w.L, "lipschitz": w.Lipschitz,
		"params": params,
	}
}

// weightsFromJS reads a weights file's object; a field of the wrong type is named.
func weightsFromJS(o js.Value) (flow.Weights, error) {
	var w flow.Weights
	if o.Type() != js.TypeObject || o.IsNull() {
		return w, errors.New("weights: want an object")
	}
	str := func(k string, dst *string) error {
		if v := o.Get(k); v.Type() == js.TypeString {
			*dst = v.String()
			return nil
		}
		return fmt.Errorf("weights: %s must be a string", k)
	}
	integer := func(k string, dst *int) error {
		v := o.Get(k)
		if v.Type() != js.TypeNumber || v.Float() != math.Trunc(v.Float()) || math.Abs(v.Float()) > 1<<30 {
			return fmt.Errorf("weights: %s must be an integer", k)
		}
		*dst = v.Int()
		return nil
	}
	for _, err := range []error{
		str("format", &w.Format), integer("version", &w.Version), integer("step", &w.Step), integer("in", &w.In),
		integer("width", &w.Width), integer("depth", &w.Depth), integer("heads", &w.Heads), str("activation", &w.Activation),
	} {
		if err != nil {
			return w, err
		}
	}
	p := o.Get("params")
	if p.Type() != js.TypeObject || p.IsNull() || p.Length() > 1<<26 {
		return w, errors.New("weights: params must be an array of at most 2^26 numbers")
	}
	if x, ok := jsworker.Float32From(p); ok {
		w.Params = x
		return w, nil
	}
	w.Params = make([]float32, p.Length())
	for i := range w.Params {
		v := p.Index(i)
		if v.Type() != js.TypeNumber {
			return w, fmt.Errorf("weights: parameter %d is not a number", i)
		}
		w.Params[i] = float32(v.Float())
	}
	return w, nil
}

// runIndex is a message's run (0 = run 1), 0 when it names none.
func runIndex(m js.Value) int {
	if r := m.Get("run"); r.Type() == js.TypeNumber {
		return r.Int()
	}
	return 0
}

// poolStatus is a frame's pool object; lost the message of a worker's loss, said once (nil:
// none).
func (w *worker) poolStatus(lost any) obj {
	threads := 1 + w.pool.Size()
	if lost != nil {
		threads = 1
	}
	emb, erefs := jsworker.Memory()
	wmb, wrefs, wgcs := w.pool.MemMB()
	return obj{"threads": threads, "trips": w.pool.Trips, "lost": lost,
		"engineMB": emb, "workersMB": wmb, "engineRefs": erefs, "workersRefs": wrefs, "engineGCs": jsworker.GCs(), "workersGCs": wgcs}
}
