//go:build js && wasm

package main

// The digits worker: the Go side of the page <-> worker protocol of the digits page
// (www/worker.js?wasm=digits.wasm&layer=digits-worker.js loads wasm_exec.js, the page's layer
// digits-worker.js and digits.wasm, and queues early messages in self.lipflowQueue). Plain objects by structured clone; typed arrays of replies transferred.
// Every request may carry an id that the reply echoes. Errors never throw: the reply carries
// error (a sentence naming the culprit) and the current state stays.
//
// page -> worker
//
//	{type:'data', id, train: ArrayBuffer, heldout: ArrayBuffer, settings?}   the gzip files of
//	    assets/mnist/data/ -> {type:'data', id, train: n, heldout: n} or {..., error}; with
//	    settings ({per_class, seed}, as in configure) the reply also has the targets they
//	    choose (targets: Uint8Array M x 784, target_labels), which need no autoencoder
//	{type:'ae-config', id, ae: {latent, width, depth, epochs, batch, lr, seed}}  omitted fields
//	    take the defaults -> {type:'ae-config', id, ae: {...}} or {..., error}; a change
//	    discards the autoencoder (and the runs)
//	{type:'ae-train', id, restart?}  start or resume training (restart: from fresh weights,
//	                         discarding a trained or imported one) -> {type:'ae-train', id} or {..., error}
//	{type:'ae-cancel', id}   stop where it is (ae-train resumes) -> {type:'ae-cancel', id}
//	    while training, at most 5 a second and once at the end or on cancel:
//	    {type:'ae-progress', epoch, epochs, step, steps, loss, heldout_loss, done, error,
//	     curve: Float64Array, heldout_curve: Float64Array, originals: Uint8Array k x 784,
//	     recon: Uint8Array k x 784, k}
//	{type:'ae-export', id} -> {type:'ae-export', id, json} or {..., error}
//	{type:'ae-import', id, json} -> {type:'ae-import', id, ae: {...config}, heldout_loss} or
//	    {..., error} (the current autoencoder stays)
//	{type:'configure', id, settings: {...} | runs: [{...}, up to 3], run: bool}  settings: the
//	    engine's vocabulary plus method (gpa, gan, wgan-gp), mobility (latent, decoder), noise
//	    (gaussian, logistic), per_class, label; over DefaultSettings. The runs share the targets
//	    (the first run's per_class and seed) -> {type:'configured', id} or {type:'configured',
//	    id, error, setting, run}
//	{type:'reset', id} -> {type:'configured', id, reset: true}
//	{type:'run'} {type:'pause'} {type:'hold', on} {type:'step', id, k} -> {type:'stepped', ...}
//	    answered by the runner (runner.Serve; k from 1 to 10^6)
//	{type:'particles', id} -> {type:'particles', id, latent: Float32Array n x dim, samples:
//	    Float32Array n x 784, labels: Int32Array, dim}
//
// worker -> page
//
//	{type:'ready', go_version, defaults: {ae, settings}}
//	{type:'frame', config, step, running, held, done, runs: [{label, method, mobility, step,
//	    steps, running, error, stats ({divergence, ke, speed} or for GANs {d_loss, g_loss}),
//	    scores ({agreement, nn_distance, nn_train_distance, nn_decoded, nn_decoded_ref, copies}:
//	    see package digits; null until measured, agreement null until the classifier is
//	    trained), samples: Uint8Array rows x 784, labels: Int32Array, rows}],
//	    targets: Uint8Array M x 784, target_labels: Int32Array, classifier: {ready, accuracy}}
//	    at most 5 a second while running, and once when a step request or a run ends
//	{type:'error', error, id?}   a failure (the worker goes on); id: the request that failed
//
// The runner computes in slices of about 30 ms, then yields to the event loop so that messages
// are handled. The classifier (for the scores) trains in the background once the data are in,
// a few mini-batches per slice.

import (
	"errors"
	"math"
	"runtime"
	"strconv"
	"syscall/js"
	"time"

	"lipflow/flow/ae"
	"lipflow/flow/digits"
	"lipflow/wasm/internal/jsworker"
	"lipflow/wasm/internal/runner"
)

const (
	classifierBudget = 6 * time.Millisecond // per slice, beside the main work
	progressInterval = time.Second / 5
	scoreInterval    = time.Second
	reconK           = 16
)

type obj = jsworker.Obj

// worker is the digits page's runner.Model: the lab, the autoencoder's training and the
// classifier (its chores) and the frames.
type worker struct {
	r            *runner.Runner
	lab          *Lab
	training     bool
	lastProgress time.Time
	lastScore    time.Time
	progDirty    bool
}

func main() {
	jsworker.Start()
	w := &worker{lab: NewLab()}
	// A frame decodes every run's samples (about half a latent GPA step's cost): 5 a second.
	w.r = runner.New(w, runner.Options{Budget: 30 * time.Millisecond, FrameInterval: time.Second / 5, MaxSteps: 1_000_000})
	jsworker.Post(obj{"type": "ready", "go_version": runtime.Version(), "defaults": obj{"ae": aeJS(ae.Defaults()), "settings": settingsJS(digits.DefaultSettings())}}, nil)
	w.r.Serve(w.handle)
}

func (w *worker) Step() int    { return w.lab.Step() }
func (w *worker) Active() bool { return w.lab.Active() }

func (w *worker) Ready() error {
	if len(w.lab.Runs) == 0 {
		return w.stuck()
	}
	return nil
}

// Advance steps the live run that is furthest behind (past its steps too).
func (w *worker) Advance() error {
	if !w.lab.StepOne(true) {
		return w.stuck()
	}
	w.r.Changed()
	return nil
}

func (w *worker) Free() (time.Duration, bool) {
	if !w.lab.Active() {
		return 0, false
	}
	w.lab.StepOne(false)
	w.r.Changed()
	return 0, w.lab.Active()
}

func (w *worker) Settle() { w.measure() }

func (w *worker) Notify(e runner.Event) {
	switch e {
	case runner.Paused:
		w.measure()
	case runner.Failed:
		w.training = false
	}
}

func (w *worker) classifierPending() bool { return w.lab.Clf != nil && !w.lab.Clf.Done() }

// Busy reports whether the autoencoder is training or the classifier (for the scores) has
// mini-batches to go.
func (w *worker) Busy() bool { return w.training || w.classifierPending() }

// Work gives the classifier a few milliseconds, then trains the autoencoder for the rest of the
// slice: steps wait until the training is over.
func (w *worker) Work(deadline time.Time) bool {
	if w.classifierPending() {
		for end := time.Now().Add(classifierBudget); time.Now().Before(end) && !w.lab.Clf.Done(); {
			w.lab.Clf.TrainStep()
		}
		if w.lab.Clf.Done() {
			w.lab.ClassifierDone()
			if w.lab.Runs != nil {
				w.measure()
				w.r.Changed()
			}
		}
	}
	if !w.training {
		return false
	}
	for time.Now().Before(deadline) {
		done, err := w.lab.TrainStep()
		w.progDirty = true
		if err != nil || done {
			w.training = false
			w.maybeProgress(true)
			if err != nil {
				jsworker.Post(obj{"type": "error", "error": err.Error()}, nil)
			}
			return true
		}
		w.maybeProgress(false)
	}
	return true
}

func (w *worker) measure() {
	w.lab.Measure()
	w.lastScore = time.Now()
}

// stuck is the error of step requests that no run can do.
func (w *worker) stuck() error {
	return errors.New("the runs stopped before the requested steps were done: " + w.firstError())
}

func (w *worker) firstError() string {
	for _, r := range w.lab.Runs {
		if r.Err() != nil {
			return r.Err().Error()
		}
	}
	if len(w.lab.Runs) == 0 {
		return "configure first"
	}
	return "no run can step"
}

func reply(m js.Value, typ string, fields obj) obj {
	o := obj{"type": typ, "id": m.Get("id")}
	for k, v := range fields {
		o[k] = v
	}
	return o
}

// handle answers the digits page's own messages (the runner answers run, pause, hold and step).
func (w *worker) handle(m js.Value) {
	typ := m.Get("type").String()
	switch typ {
	case "data":
		w.data(m)
	case "ae-config":
		c, err := aeFromJS(m.Get("ae"))
		if err == nil {
			if c != w.lab.AEConf {
				w.training = false
				w.r.Cancel("a new autoencoder config")
				w.r.SetRunning(false)
			}
			err = w.lab.SetAEConfig(c)
		}
		if err != nil {
			jsworker.Post(reply(m, typ, obj{"error": err.Error()}), nil)
			return
		}
		jsworker.Post(reply(m, typ, obj{"ae": aeJS(w.lab.AEConf)}), nil)
	case "ae-train":
		if m.Get("restart").Truthy() {
			w.lab.DiscardAE()
		}
		if err := w.lab.StartTraining(); err != nil {
			jsworker.Post(reply(m, typ, obj{"error": err.Error()}), nil)
			return
		}
		w.r.SetRunning(false)
		w.r.Cancel("autoencoder training")
		w.training = !w.lab.Trained && w.lab.Trainer != nil
		jsworker.Post(reply(m, typ, nil), nil)
		w.progDirty = true
		w.maybeProgress(true)
	case "ae-cancel":
		w.training = false
		jsworker.Post(reply(m, typ, nil), nil)
		w.progDirty = true
		w.maybeProgress(true)
	case "ae-export":
		if w.lab.AE == nil {
			jsworker.Post(reply(m, typ, obj{"error": "no autoencoder to export: train or import one first"}), nil)
			return
		}
		b, err := w.lab.AE.Export()
		if err != nil {
			jsworker.Post(reply(m, typ, obj{"error": err.Error()}), nil)
			return
		}
		jsworker.Post(reply(m, typ, obj{"json": string(b)}), nil)
	case "ae-import":
		j := m.Get("json")
		if j.Type() != js.TypeString {
			jsworker.Post(reply(m, typ, obj{"error": "ae-import: json must be a string"}), nil)
			return
		}
		if err := w.lab.Import([]byte(j.String())); err != nil {
			jsworker.Post(reply(m, typ, obj{"error": err.Error()}), nil)
			return
		}
		w.training = false
		w.r.SetRunning(false)
		w.r.Cancel("an autoencoder import")
		jsworker.Post(reply(m, typ, obj{"ae": aeJS(w.lab.AEConf), "heldout_loss": finite(w.lab.AE.HeldoutLoss)}), nil)
	case "configure":
		w.configure(m)
	case "reset":
		w.r.Cancel("reset")
		if err := w.lab.Reset(); err != nil {
			jsworker.Post(configured(m, err), nil)
			return
		}
		w.afterConfigure(m.Get("run").Truthy())
		c := configured(m, nil)
		c["reset"] = true
		jsworker.Post(c, nil)
	case "particles":
		w.particles(m)
	default:
		jsworker.Post(obj{"type": "error", "error": "unknown message type " + strconv.Quote(typ)}, nil)
	}
}

func (w *worker) data(m js.Value) {
	read := func(name string) ([]byte, error) {
		v := m.Get(name)
		if !v.Truthy() || !(v.InstanceOf(js.Global().Get("ArrayBuffer")) || v.InstanceOf(js.Global().Get("Uint8Array"))) {
			return nil, errors.New("data: " + name + " must be an ArrayBuffer")
		}
		u8 := js.Global().Get("Uint8Array").New(v)
		if u8.Length() > dataLimit {
			return nil, errors.New("data: " + name + " is larger than " + strconv.Itoa(dataLimit) + " bytes")
		}
		b := make([]byte, u8.Length())
		js.CopyBytesToGo(b, u8)
		return b, nil
	}
	tr, err := read("train")
	var he []byte
	if err == nil {
		he, err = read("heldout")
	}
	if err == nil {
		wasTraining := w.training
		err = w.lab.SetData(tr, he)
		if err == nil {
			w.r.SetRunning(false)
			w.r.Cancel("new data")
			w.training = wasTraining && w.lab.Trainer != nil
		}
	}
	if err != nil {
		jsworker.Post(reply(m, "data", obj{"error": err.Error()}), nil)
		return
	}
	out := obj{"train": w.lab.Data.Train.Count(), "heldout": w.lab.Data.Heldout.Count()}
	var moved []any
	if t := previewTargets(w.lab.Data, m); t != nil {
		pix, buf := uint8JS(t.Pix)
		labels, lbuf := jsworker.Int32(t.Labels)
		out["targets"], out["target_labels"] = pix, labels
		moved = []any{buf, lbuf}
	}
	jsworker.Post(reply(m, "data", out), moved)
}

// previewTargets draws the targets that a configuration with the message's settings (the
// page's first run's per_class and seed) will have, for the page to show
// while the autoencoder trains; nil when the message has none or they are refused (the
// configuration will say why).
func previewTargets(data *digits.Data, m js.Value) *digits.Targets {
	if m.Get("settings").Type() != js.TypeObject {
		return nil
	}
	st, cerr := settingsFromJS(m.Get("settings"))
	if cerr != nil {
		return nil
	}
	t, err := digits.DrawTargets(data, st.PerClass, st.Seed)
	if err != nil {
		return nil
	}
	return t
}

func (w *worker) configure(m js.Value) {
	var specs []digits.Settings
	if runs := m.Get("runs"); runs.Truthy() {
		if runs.Type() != js.TypeObject || runs.Length() < 1 {
			jsworker.Post(configured(m, &ConfigError{Err: errors.New("configure: runs must be an array of 1..3 settings objects")}), nil)
			return
		}
		for i := range runs.Length() {
			s, err := settingsFromJS(runs.Index(i))
			if err != nil {
				err.Run = i
				jsworker.Post(configured(m, err), nil)
				return
			}
			specs = append(specs, s)
		}
	} else {
		s, err := settingsFromJS(m.Get("settings"))
		if err != nil {
			jsworker.Post(configured(m, err), nil)
			return
		}
		specs = append(specs, s)
	}
	if err := w.lab.Configure(specs); err != nil {
		jsworker.Post(configured(m, err), nil)
		return
	}
	w.r.Cancel("configure")
	w.afterConfigure(m.Get("run").Truthy())
	jsworker.Post(configured(m, nil), nil)
}

func (w *worker) afterConfigure(run bool) {
	w.training = false
	w.r.SetRunning(run)
	w.measure()
	w.r.Changed()
	w.r.Show(true)
}

func configured(m js.Value, err error) obj {
	o := obj{"type": "configured", "id": m.Get("id")}
	if err != nil {
		o["error"] = err.Error()
		var ce *ConfigError
		if errors.As(err, &ce) {
			o["setting"] = ce.Setting
			o["run"] = ce.Run
		}
	}
	return o
}

// settingsFromJS reads a settings object over DefaultSettings: every name it holds (numbers,
// strings or booleans; L may be 'inf').
func settingsFromJS(o js.Value) (digits.Settings, *ConfigError) {
	s := digits.DefaultSettings()
	if o.Type() != js.TypeObject {
		return s, &ConfigError{Err: errors.New("configure: settings must be an object")}
	}
	keys := js.Global().Get("Object").Call("keys", o)
	for i := range keys.Length() {
		name := keys.Index(i).String()
		v := o.Get(name)
		if v.IsUndefined() || v.IsNull() {
			continue
		}
		if err := s.Set(name, jsworker.String(v)); err != nil {
			return s, &ConfigError{Setting: name, Err: err}
		}
	}
	return s, nil
}

func aeFromJS(o js.Value) (ae.Config, error) {
	c := ae.Defaults()
	if o.IsUndefined() || o.IsNull() {
		return c, nil
	}
	if o.Type() != js.TypeObject {
		return c, errors.New("ae-config: ae must be an object")
	}
	ints := map[string]*int{"latent": &c.Latent, "width": &c.Width, "depth": &c.Depth, "epochs": &c.Epochs, "batch": &c.Batch}
	keys := js.Global().Get("Object").Call("keys", o)
	for i := range keys.Length() {
		name := keys.Index(i).String()
		v := o.Get(name)
		if v.IsUndefined() || v.IsNull() {
			continue
		}
		if v.Type() != js.TypeNumber || math.IsNaN(v.Float()) || math.IsInf(v.Float(), 0) {
			return c, errors.New(name + " = " + jsworker.String(v) + " is not a number")
		}
		x := v.Float()
		switch {
		case ints[name] != nil:
			if x != math.Trunc(x) || math.Abs(x) > 1e9 {
				return c, errors.New(name + " = " + jsworker.String(v) + " is not an integer")
			}
			*ints[name] = int(x)
		case name == "lr":
			c.LR = x
		case name == "seed":
			if x < 0 || x != math.Trunc(x) || x > 1<<53 {
				return c, errors.New("seed = " + jsworker.String(v) + ", want an integer 0..2^53")
			}
			c.Seed = uint64(x)
		default:
			return c, errors.New("ae-config: unknown field " + strconv.Quote(name) + ", want latent, width, depth, epochs, batch, lr or seed")
		}
	}
	return c, c.Validate()
}

func aeJS(c ae.Config) obj {
	return obj{"latent": c.Latent, "width": c.Width, "depth": c.Depth, "epochs": c.Epochs, "batch": c.Batch, "lr": c.LR, "seed": float64(c.Seed)}
}

func settingsJS(s digits.Settings) obj {
	o := obj{}
	for _, n := range settingNames() {
		o[n] = s.Get(n)
	}
	return o
}

func settingNames() []string {
	return []string{"method", "mobility", "noise", "per_class", "n", "f", "alpha", "L", "lipschitz", "lambda",
		"width", "depth", "activation", "inner", "lr", "optimizer", "dt", "integrator", "steps", "seed"}
}

func finite(x float64) any {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return x
}

// maybeProgress posts ae-progress at most 5 times a second while training (force: now).
func (w *worker) maybeProgress(force bool) {
	if !w.progDirty || w.lab.AE == nil || (!force && time.Since(w.lastProgress) < progressInterval) {
		return
	}
	l := w.lab
	var transfer []any
	add := func(a, b js.Value) js.Value { transfer = append(transfer, b); return a }
	c := l.AE.Config
	m := obj{"type": "ae-progress", "epochs": c.Epochs, "done": l.Trained, "error": nil,
		"curve": add(jsworker.Float64(l.AE.Curve)), "heldout_curve": add(jsworker.Float64(l.AE.HeldoutCurve)),
		"heldout_loss": finite(l.AE.HeldoutLoss), "running": w.training}
	if t := l.Trainer; t != nil {
		m["epoch"], m["step"], m["steps"], m["loss"] = t.Epoch(), t.Step(), t.Steps(), finite(t.LastLoss())
		if t.Err() != nil {
			m["error"] = t.Err().Error()
		}
	} else {
		m["epoch"], m["step"], m["steps"], m["loss"] = c.Epochs, 0, 0, nil
	}
	if l.Data != nil {
		k := min(reconK, len(l.Data.EvalIdx))
		orig := digits.Pixels(l.Data.Heldout, l.Data.EvalIdx[:k])
		rec := make([]float32, len(orig))
		z := make([]float32, k*c.Latent)
		l.AE.Encode(orig, k, z)
		l.AE.Decode(z, k, rec)
		m["originals"] = add(uint8JS(orig))
		m["recon"] = add(uint8JS(rec))
		m["k"] = k
	}
	jsworker.Post(m, transfer)
	w.progDirty = false
	w.lastProgress = time.Now()
}

// Frame posts a frame (the runner decides when: at most 5 a second, and at once when a step
// request or a run ends); none while the page is out of sight unless forced.
func (w *worker) Frame(force bool) bool {
	l := w.lab
	if len(l.Runs) == 0 || (w.r.Held() && !force) {
		return false
	}
	if time.Since(w.lastScore) >= scoreInterval {
		w.measure()
	}
	var transfer []any
	add := func(a, b js.Value) js.Value { transfer = append(transfer, b); return a }
	runs := make([]any, len(l.Runs))
	for i, r := range l.Runs {
		st := obj{}
		for k, v := range r.Stats() {
			st[k] = finite(v)
		}
		var scores any
		if s := l.Scores[i]; s != nil {
			scores = obj{"agreement": finite(s.Agreement), "nn_distance": finite(s.NNDistance),
				"nn_train_distance": finite(s.NNTrainDistance), "nn_decoded": finite(s.NNDecoded),
				"nn_decoded_ref": finite(s.NNDecodedRef), "copies": finite(s.Copies)}
		}
		rm := obj{"label": r.S.Label, "method": r.S.Method, "mobility": r.S.Mobility, "step": r.Steps(), "steps": r.S.Steps,
			"running": w.r.Running() && !r.Done(), "error": nil, "stats": st, "scores": scores,
			"samples": add(uint8JS(r.Samples())), "labels": add(jsworker.Int32(r.Labels())), "rows": len(r.Labels())}
		if r.Err() != nil {
			rm["error"] = r.Err().Error()
		}
		runs[i] = rm
	}
	clf := obj{"ready": l.Clf != nil && l.Clf.Done(), "accuracy": finite(l.ClfAccuracy)}
	m := obj{"type": "frame", "config": l.config, "step": l.Step(), "running": w.r.Running(), "held": w.r.Held(), "done": !l.Active(),
		"runs": runs, "targets": add(uint8JS(l.Targets.Pix)), "target_labels": add(jsworker.Int32(l.Targets.Labels)), "classifier": clf}
	jsworker.Post(m, transfer)
	return true
}

func (w *worker) particles(m js.Value) {
	l := w.lab
	if len(l.Runs) == 0 {
		jsworker.Post(reply(m, "particles", obj{"error": "configure first"}), nil)
		return
	}
	r := l.Runs[0]
	codes := r.Codes()
	lat := make([]float32, len(codes))
	for i, v := range codes {
		lat[i] = float32(v)
	}
	var transfer []any
	add := func(a, b js.Value) js.Value { transfer = append(transfer, b); return a }
	jsworker.Post(reply(m, "particles", obj{"latent": add(jsworker.Float32(lat)), "samples": add(jsworker.Float32(r.Samples())),
		"labels": add(jsworker.Int32(r.Labels())), "dim": l.Space.Dim(), "n": len(r.Labels()), "step": r.Steps()}), transfer)
}

// uint8JS turns pixels in [0,1] into a Uint8Array of grey levels.
func uint8JS(x []float32) (js.Value, js.Value) {
	b := make([]byte, len(x))
	for i, v := range x {
		switch {
		case v >= 1:
			b[i] = 255
		case v > 0:
			b[i] = byte(v*255 + 0.5)
		}
	}
	arr := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(arr, b)
	return arr, arr.Get("buffer")
}
