//go:build js && wasm

package runner

import (
	"fmt"
	"syscall/js"
	"time"

	"lipflow/wasm/internal/jsworker"
)

// New returns a Runner of m whose replies to the step requests are posted to the page.
func New(m Model, o Options) *Runner { return newRunner(m, o, time.Now, postReply) }

func postReply(rep Reply) {
	msg := jsworker.Obj{"type": "stepped", "id": rep.ID, "step": rep.Step}
	if rep.Err != "" {
		msg["error"] = rep.Err
	}
	if rep.Cancelled {
		msg["cancelled"] = true
	}
	jsworker.Post(msg, nil)
}

// Serve runs the worker for good (after jsworker.Start). It answers these messages itself and
// hands every other one to handle:
//
//	{type:'run'}          the flows run on their own; cancels the step requests in flight
//	{type:'pause'}        stops them; cancels the step requests in flight
//	{type:'hold', on}     the page is out of sight: a free run waits (no steps, no frames) until
//	                      released; step requests still run
//	{type:'step', id, k}  pauses, then k lockstep steps (past the steps limit too; k defaults to
//	                      1) -> {type:'stepped', id, step} or {..., error} when the flows stopped
//	                      first, or {..., error, cancelled: true} when cancelled (by a run, a
//	                      pause, a configuration) or refused (k not a whole number from 1 to
//	                      MaxSteps)
//
// A panic while handling a message or stepping is reported as {type:'error', error, id?}
// (jsworker.PostFailure; id: the request that failed) and stops the flows; the worker goes on.
func (r *Runner) Serve(handle func(js.Value)) {
	h := func(m js.Value) { r.handle(m, handle) }
	for {
		jsworker.Drain(h)
		if r.busy() {
			r.safeSlice()
		}
		r.Show(false)
		if d, block := r.wait(); block {
			h(jsworker.Next())
		} else {
			jsworker.Wait(d, h)
		}
	}
}

func (r *Runner) handle(m js.Value, own func(js.Value)) {
	defer r.recover("message", jsworker.ID(m))
	switch m.Get("type").String() {
	case "run":
		r.run()
	case "pause":
		r.pause()
	case "hold":
		r.hold(m.Get("on").Truthy())
	case "step":
		switch k := m.Get("k"); k.Type() {
		case js.TypeUndefined, js.TypeNull:
			r.request(m.Get("id"), 1)
		case js.TypeNumber:
			r.request(m.Get("id"), k.Float())
		default:
			r.refuse(m.Get("id"), fmt.Errorf("step: k is a %s, want a whole number of steps from 1 to %d", k.Type(), r.opt.MaxSteps))
		}
	default:
		own(m)
	}
}

func (r *Runner) safeSlice() {
	defer r.recover("step", js.Undefined())
	r.slice()
}

// recover reports a panic as an engine failure (under the request's id, when it was one) and
// stops the flows.
func (r *Runner) recover(where string, id js.Value) {
	if p := recover(); p != nil {
		jsworker.PostFailure("engine failure in "+where, p, id)
		r.fail()
	}
}
