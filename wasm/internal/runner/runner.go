// Package runner is the part that lipflow's Web Worker programs (wasm/engine, wasm/digits,
// wasm/merge) share above package jsworker: the loop that steps a model in short slices between
// the page's messages, run / pause / hold, the step requests ({type:'step', id, k}, answered by
// {type:'stepped', id, step} once done), the pacing of frames and the recovery from a panic.
// A worker program keeps only what is its own: its model, its messages and its frames.
//
// Go's wasm has one thread: the runner computes for about a budget (30 ms), then returns to the
// event loop so that messages are handled (jsworker.Yield). It answers run, pause, hold and
// step itself and hands every other message to the worker's handler.
//
// The runner's logic is plain Go, tested natively; js.go connects it to the worker.
package runner

import (
	"errors"
	"time"
)

// A Model is a worker's own part: its flows, their steps and its frames. The Runner decides
// when it steps and answers the step requests.
type Model interface {
	// Step is the lockstep count: a step request's k steps are counted in it.
	Step() int
	// Active reports whether a free run has steps to go (some flow below its steps limit).
	Active() bool
	// Ready returns nil when there are flows to step; otherwise the error that answers a step
	// request at once (made by Cancel to answer it as cancelled).
	Ready() error
	// Advance does the next piece of a step request's work (one flow's step, past the steps
	// limit too). An error says that no step can be done: it answers every request in flight.
	Advance() error
	// Free does the next piece of a free run's work. more is false when the run has come to its
	// end (the runner stops it); a pause > 0 says that the run is paced: the slice ends and the
	// runner comes back after pause.
	Free() (pause time.Duration, more bool)
	// Settle brings up to date what a frame shows (the measurements) before a run stops or a
	// step request is answered.
	Settle()
	// Frame posts a frame (force: the runner posts it at once, not when due). It reports false
	// when there is nothing to show until the next message (nothing configured, or the page out
	// of sight): the runner then waits for a message instead of retrying.
	Frame(force bool) bool
	// Notify tells the model of a change of the runner's state that it may act on.
	Notify(e Event)
}

// Chores is implemented by a model with work of its own beside the steps (the digits page's
// autoencoder training and classifier): the runner offers it each slice first.
type Chores interface {
	// Busy reports whether there is such work to do.
	Busy() bool
	// Work does it until about deadline. It reports whether the slice is used up: then no step
	// is done in it.
	Work(deadline time.Time) bool
}

// An Event is a change of the runner's state (Model.Notify).
type Event int

const (
	Started  Event = iota // a run message: the flows go on on their own, when active
	Paused                // a pause message
	Held                  // the page is out of sight: a free run waits, costing nothing
	Released              // the page is in sight again
	Failed                // a panic was recovered: the model stops its own work
)

// Options are what tell the workers' runners apart.
type Options struct {
	Budget        time.Duration // the length of a slice of computing
	FrameInterval time.Duration // frames are posted at most this often (but when forced)
	MaxSteps      int           // the largest k of a step request
}

// A Reply answers a step request: {type:'stepped', id, step} or {..., error} or, for a request
// refused or cancelled before it was done, {..., error, cancelled: true}.
type Reply struct {
	ID        any // the request's id (a js.Value in the worker)
	Step      int // the model's step when answered
	Err       string
	Cancelled bool
}

// A Runner runs a Model: it owns the state the three workers share (running, held, the step
// requests in flight, when the last frame went out).
type Runner struct {
	m      Model
	opt    Options
	now    func() time.Time
	answer func(Reply)

	running  bool
	held     bool // the page is out of sight
	pending  []request
	dirty    bool // something to show since the last frame
	declined bool // the model had nothing to show (Frame false) since the last change
	last     time.Time
	pace     time.Time // a paced free run goes on at pace
}

type request struct {
	id     any
	target int // the model's step at which the request is done
}

func newRunner(m Model, o Options, now func() time.Time, answer func(Reply)) *Runner {
	return &Runner{m: m, opt: o, now: now, answer: answer}
}

// Running reports whether the flows run on their own (held or not).
func (r *Runner) Running() bool { return r.running }

// Held reports whether the page is out of sight.
func (r *Runner) Held() bool { return r.held }

// Pending is the number of step requests in flight.
func (r *Runner) Pending() int { return len(r.pending) }

// SetRunning starts the free run (when the model is active) or stops it.
func (r *Runner) SetRunning(on bool) { r.running = on && r.m.Active() }

// SetBudget sets the length of a slice.
func (r *Runner) SetBudget(d time.Duration) { r.opt.Budget = d }

// Changed says that there is something new to show: a frame is due.
func (r *Runner) Changed() { r.dirty, r.declined = true, false }

// Show posts a frame when something changed and the last frame is old enough (force: whenever
// something changed).
func (r *Runner) Show(force bool) {
	if !r.dirty || (!force && r.now().Sub(r.last) < r.opt.FrameInterval) {
		return
	}
	if !r.m.Frame(force) {
		r.declined = true
		return
	}
	r.Shown()
}

// Shown says that the model has just posted what a frame shows (in a reply of its own).
func (r *Runner) Shown() { r.dirty, r.last = false, r.now() }

// Cancel answers every step request in flight as cancelled by why.
func (r *Runner) Cancel(why string) {
	for _, q := range r.pending {
		r.answer(Reply{ID: q.id, Step: r.m.Step(), Err: "step request cancelled by " + why, Cancelled: true})
	}
	r.pending = nil
}

// Cancel returns an error that, from Model.Ready, answers the step requests as cancelled by why.
func Cancel(why string) error { return &cancellation{why} }

type cancellation struct{ why string }

func (c *cancellation) Error() string { return "step request cancelled by " + c.why }

// free reports whether the flows run on their own: running and not held.
func (r *Runner) free() bool { return r.running && !r.held }

// chores reports whether the model has work of its own to do.
func (r *Runner) chores() bool {
	c, ok := r.m.(Chores)
	return ok && c.Busy()
}

// busy reports whether there is something to compute.
func (r *Runner) busy() bool { return len(r.pending) > 0 || r.free() || r.chores() }

// run starts the free run: the step requests in flight are cancelled.
func (r *Runner) run() {
	r.Cancel("run")
	r.SetRunning(true)
	r.m.Notify(Started)
	r.Changed()
	r.Show(true)
}

// pause stops the free run and cancels the step requests in flight.
func (r *Runner) pause() {
	r.Cancel("pause")
	r.running = false
	r.m.Notify(Paused)
	r.Changed()
	r.Show(true)
}

// hold holds a free run while the page is out of sight (on) or releases it; step requests still
// run. The frame that says so goes out when due.
func (r *Runner) hold(on bool) {
	r.held = on
	if on {
		r.m.Notify(Held)
	} else {
		r.m.Notify(Released)
	}
	r.Changed()
}

// request queues a step request of k steps after those in flight; it pauses the free run. A k
// that is not a whole number of steps from 1 to MaxSteps is refused.
func (r *Runner) request(id any, k float64) {
	n, err := Steps(k, r.opt.MaxSteps)
	if err != nil {
		r.refuse(id, err)
		return
	}
	r.running = false
	base := r.m.Step()
	if len(r.pending) > 0 {
		base = r.pending[len(r.pending)-1].target
	}
	r.pending = append(r.pending, request{id: id, target: base + n})
	if err := r.m.Ready(); err != nil {
		r.complete(err)
	}
}

// refuse answers a step request that is not run, leaving everything as it was.
func (r *Runner) refuse(id any, err error) {
	r.answer(Reply{ID: id, Step: r.m.Step(), Err: err.Error(), Cancelled: true})
}

// complete answers the step requests that are done; with an error, all of them.
func (r *Runner) complete(err error) {
	var c *cancellation
	if errors.As(err, &c) {
		r.Cancel(c.why)
		return
	}
	for len(r.pending) > 0 && (err != nil || r.m.Step() >= r.pending[0].target) {
		q := r.pending[0]
		r.pending = r.pending[1:]
		r.m.Settle()
		r.Changed()
		r.Show(true)
		rep := Reply{ID: q.id, Step: r.m.Step()}
		if err != nil {
			rep.Err = err.Error()
		}
		r.answer(rep)
	}
}

// slice computes for about one budget: the model's chores first, then the step requests, then
// the free run.
func (r *Runner) slice() {
	deadline := r.now().Add(r.opt.Budget)
	r.pace = time.Time{}
	if c, ok := r.m.(Chores); ok && c.Work(deadline) {
		return
	}
	for r.now().Before(deadline) {
		switch {
		case len(r.pending) > 0:
			r.complete(r.m.Advance())
		case r.free():
			pause, more := r.m.Free()
			if !more {
				r.stop()
				return
			}
			if pause > 0 {
				r.pace = r.now().Add(pause)
				return
			}
		default:
			return
		}
	}
}

// stop ends a free run that has come to its end.
func (r *Runner) stop() {
	r.running = false
	r.m.Settle()
	r.Changed()
	r.Show(true)
}

// fail stops everything after a recovered panic: the step requests in flight are cancelled.
func (r *Runner) fail() {
	r.running = false
	r.m.Notify(Failed)
	r.Cancel("an engine failure")
}

// wait says how the loop waits before its next pass: at most d (d <= 0: a return to the event
// loop and back), or, with block, until a message comes.
func (r *Runner) wait() (d time.Duration, block bool) {
	switch {
	case len(r.pending) > 0 || r.chores():
		return 0, false
	case r.free():
		return r.pace.Sub(r.now()), false
	case r.dirty && !r.declined:
		return r.last.Add(r.opt.FrameInterval).Sub(r.now()), false
	default:
		return 0, true
	}
}
