//go:build js && wasm

package pool

// The messages between the engine and its pool workers: a flow.ShardJob out, a
// flow.ShardResult back, their arrays as transferred typed arrays.
//
//	engine -> pool worker
//	  {type:'shards', run, op, setup?: {in, width, depth, heads, act, constraint, L, lambda,
//	   penalized, n, shards: Int32Array, targets: Float32Array, labels: Int32Array | null},
//	   params?, rows?, dphi?: Float32Array}
//	  {type:'drop', keep: [run ids]}   forget the other runs' servers
//	pool worker -> engine
//	  {type:'shards', run, phi? | grads? | v?: Float32Array} or {type:'shards', run, error}

import (
	"syscall/js"
	"unsafe"

	"lipflow/flow"
	"lipflow/wasm/internal/jsarray"
	"lipflow/wasm/internal/jsworker"
)

type obj = jsworker.Obj

// jobJS is job as a message for run, with the buffers to transfer.
func jobJS(run int, job *flow.ShardJob) (obj, []any) {
	m := obj{"type": "shards", "run": run, "op": int(job.Op)}
	var transfer []any
	f32 := func(k string, x []float32) {
		if x != nil {
			a, b := jsworker.Float32(x)
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
	return m, transfer
}

// jobFromJS reads a job message (the server checks the sizes).
func jobFromJS(m js.Value) *flow.ShardJob {
	job := &flow.ShardJob{Op: flow.ShardOp(m.Get("op").Int())}
	f32 := func(k string) []float32 {
		v := m.Get(k)
		if !v.Truthy() {
			return nil
		}
		return jsarray.Read([]float32{}, v)
	}
	job.Params, job.Rows, job.Dphi = f32("params"), f32("rows"), f32("dphi")
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
func resultJS(run int, r *flow.ShardResult) (obj, []any) {
	m := obj{"type": "shards", "run": run}
	var transfer []any
	for k, x := range map[string][]float32{"phi": r.Phi, "grads": r.Grads, "v": r.V} {
		if x != nil {
			a, b := jsworker.Float32(x)
			m[k] = a
			transfer = append(transfer, b)
		}
	}
	return m, transfer
}

// resultFromJS reads a reply into r, reusing its slices.
func resultFromJS(m js.Value, r *flow.ShardResult) {
	read := func(k string, dst []float32) []float32 {
		v := m.Get(k)
		if !v.Truthy() {
			return nil
		}
		return jsarray.Read(dst, v)
	}
	r.Phi, r.Grads, r.V = read("phi", r.Phi), read("grads", r.Grads), read("v", r.V)
}
