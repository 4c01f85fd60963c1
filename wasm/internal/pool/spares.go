//go:build js && wasm

package pool

import (
	"syscall/js"
	"unsafe"

	"lipflow/wasm/internal/jsarray"
)

// spares recycles the ArrayBuffers of the messages between the engine and one pool worker.
//
// A step at N = M = 10,000 sends about 2 MB each way, mostly the per-shard partial gradients.
// Written into a new ArrayBuffer each time, those messages cost more than the shards' compute:
// allocating a JS buffer of a few hundred KB takes about half a millisecond, a hundred times
// the copy into an existing one, and a profile of the pool (docs/performance.md#the-pools-figures)
// found the engine and its worker spending a third of a step in allocation, copies and
// postMessage. So a side that has copied a message's arrays into Go sends their buffers back,
// transferred, with its next message ("spare"), and the other side writes its next arrays into
// them. Transferring a buffer moves it: no copy, and it is detached where it came from.
type spares struct {
	free []spare    // buffers to write into (at most maxSpares)
	back []js.Value // buffers read, to return with the next message
}

type spare struct {
	buf   js.Value
	bytes int
}

// maxSpares bounds the buffers a side keeps: a message has at most three arrays.
const maxSpares = 8

var (
	arrayBufferCtor  = js.Global().Get("ArrayBuffer")
	float32ArrayCtor = js.Global().Get("Float32Array")
	uint8ArrayCtor   = js.Global().Get("Uint8Array")
)

// float32 returns x as a Float32Array over a spare buffer of the right size (a new one when
// there is none), and that buffer, to transfer.
func (s *spares) float32(x []float32) (arr, buf js.Value) {
	n := 4 * len(x)
	buf = js.Undefined()
	for i, sp := range s.free {
		if sp.bytes == n {
			buf = sp.buf
			s.free = append(s.free[:i], s.free[i+1:]...)
			break
		}
	}
	if buf.IsUndefined() {
		buf = arrayBufferCtor.New(n)
	}
	if n > 0 {
		js.CopyBytesToJS(uint8ArrayCtor.New(buf), unsafe.Slice((*byte)(unsafe.Pointer(&x[0])), n))
	}
	return float32ArrayCtor.New(buf), buf
}

// read copies the Float32Array v into dst (jsarray.Read, reusing dst's capacity) and keeps v's
// buffer to send back; nil for a falsy v.
func (s *spares) read(dst []float32, v js.Value) []float32 {
	if !v.Truthy() {
		return nil
	}
	dst = jsarray.Read(dst, v)
	if len(s.back) < maxSpares {
		s.back = append(s.back, v.Get("buffer"))
	}
	return dst
}

// give puts the buffers read since the last message into m as its "spare" list, and returns
// transfer with them added.
func (s *spares) give(m obj, transfer []any) []any {
	if len(s.back) == 0 {
		return transfer
	}
	list := make([]any, len(s.back))
	for i, b := range s.back {
		list[i] = b
		transfer = append(transfer, b)
	}
	m["spare"] = list
	s.back = s.back[:0]
	return transfer
}

// take keeps the buffers of m's "spare" list for the next messages, the newest first.
func (s *spares) take(m js.Value) {
	list := m.Get("spare")
	if !list.Truthy() {
		return
	}
	for i := range list.Length() {
		b := list.Index(i)
		sp := spare{buf: b, bytes: b.Get("byteLength").Int()}
		s.free = append([]spare{sp}, s.free...)
	}
	if len(s.free) > maxSpares {
		s.free = s.free[:maxSpares]
	}
}
