//go:build js && wasm

// Package pool is the engine's pool of Web Workers that share the steps of its GPA runs
// (flow.Remote): nested dedicated workers, each running engine.wasm as a flow.ShardServer
// (worker.js?role=shards, Serve). The engine computes its own shards while they compute
// theirs and folds every shard's partial in shard order, so the particles are the same to the
// bit whatever the number of workers (docs/performance.md#every-core).
//
// Go's js/wasm has one thread: a step runs on the engine's main goroutine (the runner's loop,
// not a js.FuncOf callback), so it may block on a channel for the workers' replies; their
// onmessage callbacks only hand the reply to a buffered channel. A worker that fails (its error
// event, or a loading failure) ends the pool: the runs compute alone and Lost says why.
package pool

import (
	"errors"
	"fmt"
	"syscall/js"
	"time"

	"lipflow/flow"
)

// MaxWorkers bounds the threads that compute a step, the engine included.
const MaxWorkers = 8

// Pool is the engine's pool of workers.
type Pool struct {
	members []*member
	want    int // the workers Resize asked for (started by ensure)
	lost    error
	dead    chan struct{}
	nextRun int
	// Waited and Trips add up the time the engine waited for replies and the round trips,
	// Served the time the workers took to do the jobs, decoding and encoding included (the
	// bench reports them: Waited - Served is the messaging's cost and the waiting for the
	// slowest).
	Waited time.Duration
	Served time.Duration
	Trips  int
}

type member struct {
	w       js.Value
	replies chan js.Value
	funcs   []js.Func
	res     flow.ShardResult // the last reply
	buf     flow.ShardResult // its arrays' memory, kept from reply to reply
	sp      spares
	memMB   float64 // the worker's Go memory and JS references, from its last reply (jsworker.Memory)
	refs    int
	gcs     int
}

// DefaultThreads is the number of threads that compute a step by default, the engine
// included: navigator.hardwareConcurrency, at most MaxWorkers.
func DefaultThreads() int {
	n := 1
	if h := js.Global().Get("navigator").Get("hardwareConcurrency"); h.Type() == js.TypeNumber {
		n = h.Int()
	}
	return max(1, min(n, MaxWorkers))
}

// New returns an empty pool.
func New() *Pool { return &Pool{dead: make(chan struct{})} }

// Available reports whether this engine can have a pool: not in the single-file build, whose
// worker is a blob: that cannot load worker.js.
func Available() bool {
	return js.Global().Get("LIPFLOW_BUNDLED").Type() != js.TypeBoolean && js.Global().Get("Worker").Truthy()
}

// Resize makes the pool hold n workers (0: none), ending workers at once and starting them
// when a run first needs them (a run below flow.RemoteMinRows never does: the page's load is
// not slowed by workers it may not use). A pool that lost a worker starts afresh.
func (p *Pool) Resize(n int) {
	n = max(0, min(n, MaxWorkers-1))
	if !Available() {
		n = 0
	}
	if p.lost != nil {
		p.stopAll()
		p.lost, p.dead = nil, make(chan struct{})
	}
	for len(p.members) > n {
		p.members[len(p.members)-1].stop()
		p.members = p.members[:len(p.members)-1]
	}
	p.want = n
}

// ensure starts the workers that Resize asked for.
func (p *Pool) ensure() {
	for p.lost == nil && len(p.members) < p.want {
		p.members = append(p.members, p.start(len(p.members)))
	}
}

// Size is the number of workers (the engine not counted); 0 once one was lost.
func (p *Pool) Size() int {
	if p.lost != nil {
		return 0
	}
	return p.want
}

// MemMB is the Go memory of the pool's workers, the JS values they hold references to and
// their garbage collections so far, summed, as their last replies said.
func (p *Pool) MemMB() (mb float64, refs, gcs int) {
	for _, m := range p.members {
		mb += m.memMB
		refs += m.refs
		gcs += m.gcs
	}
	return mb, refs, gcs
}

// Lost returns why the pool stopped, or nil.
func (p *Pool) Lost() error { return p.lost }

func (p *Pool) stopAll() {
	for _, m := range p.members {
		m.stop()
	}
	p.members = nil
}

// start starts worker k.
func (p *Pool) start(k int) *member {
	m := &member{replies: make(chan js.Value, 4)}
	url := "worker.js?role=shards"
	if prog := js.Global().Get("URLSearchParams").New(js.Global().Get("location").Get("search")).Call("get", "wasm"); prog.Type() == js.TypeString {
		url += "&wasm=" + js.Global().Call("encodeURIComponent", prog).String() // this program, should the module not come
	}
	m.w = js.Global().Get("Worker").New(url)
	onMessage := js.FuncOf(func(_ js.Value, args []js.Value) any {
		d := args[0].Get("data")
		switch d.Get("type").String() {
		case "shards":
			select {
			case m.replies <- d:
			default:
				p.fail(fmt.Errorf("pool worker %d answered more than it was asked", k+1))
			}
		case "fatal", "error":
			p.fail(fmt.Errorf("pool worker %d: %s", k+1, d.Get("error").String()))
		}
		return nil
	})
	onError := js.FuncOf(func(_ js.Value, args []js.Value) any {
		msg := "it stopped"
		if e := args[0]; e.Truthy() && e.Get("message").Truthy() {
			msg = e.Get("message").String()
		}
		args[0].Call("preventDefault")
		p.fail(fmt.Errorf("pool worker %d: %s", k+1, msg))
		return nil
	})
	m.w.Call("addEventListener", "message", onMessage)
	m.w.Call("addEventListener", "error", onError)
	m.funcs = []js.Func{onMessage, onError}
	// The engine's compiled module (worker.js keeps it): the worker neither downloads nor
	// compiles engine.wasm again (undefined: it fetches it).
	m.w.Call("postMessage", obj{"type": "module", "module": js.Global().Get("lipflowModule")})
	return m
}

func (m *member) stop() {
	m.w.Call("terminate")
	for _, f := range m.funcs {
		f.Release()
	}
}

// fail ends the pool: the flows waiting for a reply get the error at once.
func (p *Pool) fail(err error) {
	if p.lost != nil {
		return
	}
	p.lost = err
	close(p.dead)
}

// Kill makes worker k fail as if it had crashed (the page's test of the fallback).
func (p *Pool) Kill(k int) {
	if k >= 0 && k < len(p.members) && p.lost == nil {
		p.members[k].w.Call("terminate")
		p.fail(fmt.Errorf("pool worker %d was stopped", k+1))
	}
}

// Drop tells the workers to forget every run but those of keep.
func (p *Pool) Drop(keep []int) {
	ids := make([]any, len(keep))
	for i, k := range keep {
		ids[i] = k
	}
	for _, m := range p.members {
		m.w.Call("postMessage", obj{"type": "drop", "keep": ids})
	}
}

// For returns the flow.Remote of a new run, and the run's id (for Drop).
func (p *Pool) For() (flow.Remote, int) {
	p.nextRun++
	return &runRemote{p: p, run: p.nextRun}, p.nextRun
}

// runRemote is one run's use of the pool: its jobs carry its id.
type runRemote struct {
	p   *Pool
	run int
}

func (r *runRemote) Servers() int {
	r.p.ensure()
	return r.p.Size()
}

func (r *runRemote) Send(k int, job *flow.ShardJob) {
	if r.p.lost != nil || k >= len(r.p.members) {
		return // Receive says why
	}
	m := r.p.members[k]
	msg, transfer := jobJS(r.run, job, &m.sp)
	m.w.Call("postMessage", msg, transfer)
}

func (r *runRemote) Receive(k int) (*flow.ShardResult, error) {
	if k >= len(r.p.members) {
		return nil, errors.New("no such pool worker")
	}
	m := r.p.members[k]
	t0 := time.Now()
	defer func() { r.p.Waited += time.Since(t0); r.p.Trips++ }()
	select {
	case d := <-m.replies:
		if e := d.Get("error"); e.Truthy() {
			return nil, errors.New(e.String())
		}
		if d.Get("run").Int() != r.run {
			return nil, fmt.Errorf("pool worker %d answered run %d, want %d", k+1, d.Get("run").Int(), r.run)
		}
		resultFromJS(d, &m.res, &m.buf, &m.sp)
		if mb := d.Get("memMB"); mb.Type() == js.TypeNumber {
			m.memMB, m.refs, m.gcs = mb.Float(), d.Get("refs").Int(), d.Get("gcs").Int()
		}
		if ms := d.Get("ms"); ms.Type() == js.TypeNumber {
			r.p.Served += time.Duration(ms.Float() * float64(time.Millisecond))
		}
		return &m.res, nil
	case <-r.p.dead:
		return nil, r.p.lost
	}
}
