//go:build js && wasm

package pool

// The messages between the engine and its pool workers: a flow.ShardJob out, a
// flow.ShardResult back, their arrays as transferred typed arrays.
//
//	engine -> pool worker
//	  {type:'shards', run, op, setup?: {in, width, depth, heads, act, constraint, L, lambda,
//	   penalized, n, shards: Int32Array, targets: Float32Array, labels: Int32Array | null},
//	   params?, rows?, dphi?: Float32Array, spare?: [ArrayBuffer]}
//	  {type:'drop', keep: [run ids]}   forget the other runs' servers
//	pool worker -> engine
//	  {type:'shards', run, phi? | grads? | v?: Float32Array, spare?: [ArrayBuffer], ms, memMB, refs} or
//	  {type:'shards', run, error}
//
// spare carries back the buffers of the arrays the sender last received, for its next arrays
// (spares.go).

import (
	"syscall/js"
	"unsafe"

	"lipflow/flow"
	"lipflow/wasm/internal/jsarray"
	"lipflow/wasm/internal/jsworker"
)

type obj = jsworker.Obj

// jobJS is job as a message for run, with the buffers to transfer.
func jobJS(run int, job *flow.ShardJob, sp *spares) (obj, []any) {
	m := obj{"type": "shards", "run": run, "op": int(job.Op)}
	var transfer []any
	f32 := func(k string, x []float32) {
		if x != nil {
			a, b := sp.float32(x)
			m[k] = a
			transfer = append(transfer, b)
		}
	}
	f32("params", job.Params)
	f32("rows", job.Rows)
	f32("dphi", job.Dphi)
	if s := job.Setup; s != nil {
		shards, b1 := jsworker.Int32(s.Shards)
		targets, b2 := jsworker.Float32(s.Targets)
		transfer = append(transfer, b1, b2)
		so := obj{
			"in": s.Arch.In, "width": s.Arch.Width, "depth": s.Arch.Depth, "heads": s.Arch.Heads, "act": int(s.Arch.Act),
			"constraint": int(s.Constraint), "L": s.L, "lambda": s.Lambda, "penalized": s.Penalized, "n": s.N,
			"shards": shards, "targets": targets, "labels": nil,
		}
		if s.Labels != nil {
			labels, b3 := jsworker.Int32(s.Labels)
			so["labels"] = labels
			transfer = append(transfer, b3)
		}
		m["setup"] = so
	}
	return m, sp.give(m, transfer)
}

// jobBufs holds a pool worker's copies of a job's arrays, reused from job to job (a job's
// slices need only last until its reply).
type jobBufs struct{ params, rows, dphi []float32 }

// jobFromJS reads a job message (the server checks the sizes) into in's buffers.
func jobFromJS(m js.Value, in *jobBufs, sp *spares) *flow.ShardJob {
	sp.take(m)
	job := &flow.ShardJob{Op: flow.ShardOp(m.Get("op").Int())}
	f32 := func(k string, buf *[]float32) []float32 {
		x := sp.read(*buf, m.Get(k))
		if x != nil {
			*buf = x
		}
		return x
	}
	job.Params, job.Rows, job.Dphi = f32("params", &in.params), f32("rows", &in.rows), f32("dphi", &in.dphi)
	if so := m.Get("setup"); so.Truthy() {
		num := func(k string) int { return so.Get(k).Int() }
		job.Setup = &flow.ShardSetup{
			Arch:       flow.Arch{In: num("in"), Width: num("width"), Depth: num("depth"), Heads: num("heads"), Act: flow.Activation(num("act"))},
			Constraint: flow.Constraint(num("constraint")), L: so.Get("L").Float(), Lambda: so.Get("lambda").Float(),
			Penalized: num("penalized"), N: num("n"),
			Shards: int32s(so.Get("shards")), Targets: jsarray.Read([]float32{}, so.Get("targets")), Labels: int32s(so.Get("labels")),
		}
	}
	return job
}

// int32s copies an Int32Array into Go (nil for a falsy value).
func int32s(v js.Value) []int32 {
	if !v.Truthy() {
		return nil
	}
	x := make([]int32, v.Length())
	if len(x) > 0 {
		u8 := js.Global().Get("Uint8Array").New(v.Get("buffer"), v.Get("byteOffset"), v.Get("byteLength"))
		js.CopyBytesToGo(unsafe.Slice((*byte)(unsafe.Pointer(&x[0])), 4*len(x)), u8)
	}
	return x
}

// resultJS is r as a reply for run.
func resultJS(run int, r *flow.ShardResult, sp *spares) (obj, []any) {
	m := obj{"type": "shards", "run": run}
	var transfer []any
	for _, f := range []struct {
		k string
		x []float32
	}{{"phi", r.Phi}, {"grads", r.Grads}, {"v", r.V}} {
		if f.x != nil {
			a, b := sp.float32(f.x)
			m[f.k] = a
			transfer = append(transfer, b)
		}
	}
	return m, sp.give(m, transfer)
}

// resultFromJS reads a reply into r, its arrays into buf's slices (kept from reply to reply,
// each field's own: a forward reply has no gradients, a backward one no phi).
func resultFromJS(m js.Value, r, buf *flow.ShardResult, sp *spares) {
	sp.take(m)
	read := func(k string, dst *[]float32) []float32 {
		x := sp.read(*dst, m.Get(k))
		if x != nil {
			*dst = x
		}
		return x
	}
	r.Phi, r.Grads, r.V = read("phi", &buf.Phi), read("grads", &buf.Grads), read("v", &buf.V)
}
