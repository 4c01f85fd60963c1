//go:build js && wasm

package pool

import (
	"slices"
	"syscall/js"
	"testing"
)

// TestSparesRecycle passes arrays between two sides as the engine and a pool worker do, the
// message's spare list standing in for postMessage's transfer: each side must read the other's
// values exactly, and write its next arrays of a size it has seen into the buffers that came
// back, not new ones.
func TestSparesRecycle(t *testing.T) {
	var engine, worker spares
	var got []float32
	var sent js.Value
	for round, n := range []int{5, 5, 3, 5} {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(round*10+i) + 0.25
		}
		// The engine writes x into a spare buffer of 5 values after the first round (the one
		// sent then), into a new one for 3 values.
		arr, buf := engine.float32(x)
		reused := sent.Truthy() && buf.Equal(sent)
		if want := round == 1 || round == 3; reused != want {
			t.Errorf("round %d (%d values): buffer reused %v, want %v", round, n, reused, want)
		}
		m := obj{"rows": arr}
		if transfer := engine.give(m, []any{buf}); len(transfer) != 1 {
			t.Errorf("round %d: the engine returned %d buffers it never received", round, len(transfer)-1)
		}
		msg := js.ValueOf(m)
		// The worker reads it and keeps the buffer to send back.
		worker.take(msg)
		got = worker.read(got, msg.Get("rows"))
		if !slices.Equal(got, x) {
			t.Fatalf("round %d: read %v, want %v", round, got, x)
		}
		// Its reply carries the buffer home; the engine keeps it for its next array.
		reply := obj{"type": "shards"}
		worker.give(reply, nil)
		engine.take(js.ValueOf(reply))
		if len(worker.back) != 0 {
			t.Fatalf("round %d: the worker still holds %d buffers to return", round, len(worker.back))
		}
		if n == 5 {
			sent = buf
		}
	}
	if got := worker.read(nil, js.Undefined()); got != nil {
		t.Errorf("read of undefined: %v, want nil", got)
	}
}
