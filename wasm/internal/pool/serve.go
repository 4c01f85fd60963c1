//go:build js && wasm

package pool

import (
	"fmt"
	"syscall/js"
	"time"

	"lipflow/flow"
	"lipflow/wasm/internal/jsworker"
)

// Role is the worker's role, from worker.js's URL (worker.js?role=shards): "shards" for a pool
// worker, "" for the engine.
func Role() string {
	if r := js.Global().Get("lipflowRole"); r.Type() == js.TypeString {
		return r.String()
	}
	return ""
}

// Serve is a pool worker's loop, for good (after jsworker.Start): one flow.ShardServer per run
// of the engine, a job at a time.
func Serve() {
	servers := map[int]*flow.ShardServer{}
	var in jobBufs
	var sp spares
	for {
		m := jsworker.Next()
		switch m.Get("type").String() {
		case "shards":
			run := m.Get("run").Int()
			t0 := time.Now()
			reply, transfer := serveJob(servers, run, m, &in, &sp)
			reply["ms"] = float64(time.Since(t0).Microseconds()) / 1000 // for the bench: the time it took here
			reply["memMB"], reply["refs"] = jsworker.Memory()
			reply["gcs"] = jsworker.GCs()
			jsworker.Post(reply, transfer)
			jsworker.Collect()
		case "drop":
			keep := map[int]bool{}
			if k := m.Get("keep"); k.Truthy() {
				for i := range k.Length() {
					keep[k.Index(i).Int()] = true
				}
			}
			for run := range servers {
				if !keep[run] {
					delete(servers, run)
				}
			}
		}
	}
}

// serveJob runs one job of run's server; a panic or an error is the reply's error.
func serveJob(servers map[int]*flow.ShardServer, run int, m js.Value, in *jobBufs, sp *spares) (reply obj, transfer []any) {
	defer func() {
		if p := recover(); p != nil {
			reply, transfer = obj{"type": "shards", "run": run, "error": fmt.Sprint("pool worker failure: ", p)}, nil
		}
	}()
	sv := servers[run]
	if sv == nil {
		sv = &flow.ShardServer{}
		servers[run] = sv
	}
	r, err := sv.Do(jobFromJS(m, in, sp))
	if err != nil {
		return obj{"type": "shards", "run": run, "error": err.Error()}, nil
	}
	return resultJS(run, r, sp)
}
