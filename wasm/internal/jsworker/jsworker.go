//go:build js && wasm

// Package jsworker is the plumbing shared by lipflow's Web Worker programs (wasm/engine,
// wasm/digits, wasm/merge): the worker's inbox, a way back to the JS event loop that
// setTimeout's 4 ms clamp does not slow, replies with transferred buffers, and typed-array
// copies (reading them with package jsarray, which the view shares).
//
// Go's wasm has one thread: a worker computes in slices and, between them, returns to the event
// loop so that the page's messages are delivered. Yield does that with a MessageChannel round
// trip, handling the messages that arrive meanwhile.
package jsworker

import (
	"math"
	"runtime"
	"runtime/debug"
	"strconv"
	"syscall/js"
	"time"
	"unsafe"

	"lipflow/wasm/internal/jsarray"
)

// Obj is a JS object literal.
type Obj = map[string]any

var (
	self    = js.Global()
	msgs    = make(chan js.Value, 4096)
	wakes   = make(chan int, 64)
	port    js.Value
	wakeSeq int
)

// Start takes over self.onmessage, first taking the messages the worker's script queued in
// self.lipflowQueue while the wasm was loading.
func Start() {
	mc := js.Global().Get("MessageChannel").New()
	port = mc.Get("port2")
	mc.Get("port1").Set("onmessage", js.FuncOf(func(_ js.Value, args []js.Value) any {
		select {
		case wakes <- args[0].Get("data").Int():
		default:
		}
		return nil
	}))
	if q := self.Get("lipflowQueue"); q.Truthy() {
		for i := range q.Length() {
			msgs <- q.Index(i)
		}
		self.Delete("lipflowQueue")
	}
	self.Set("onmessage", js.FuncOf(func(_ js.Value, args []js.Value) any {
		msgs <- args[0].Get("data")
		return nil
	}))
}

// Next blocks until a message arrives.
func Next() js.Value { return <-msgs }

// Drain hands every message already queued to handle.
func Drain(handle func(js.Value)) {
	for {
		select {
		case m := <-msgs:
			handle(m)
		default:
			return
		}
	}
}

// Yield returns to the JS event loop and back, handling the messages that arrive meanwhile.
func Yield(handle func(js.Value)) {
	wakeSeq++
	port.Call("postMessage", wakeSeq)
	for {
		select {
		case s := <-wakes:
			if s >= wakeSeq {
				return
			}
		case m := <-msgs:
			handle(m)
		}
	}
}

// Wait handles at most one message, waiting at most d for it (d <= 0: Yield).
func Wait(d time.Duration, handle func(js.Value)) {
	if d <= 0 {
		Yield(handle)
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case m := <-msgs:
		handle(m)
	case <-t.C:
	}
}

// Post sends m to the page, transferring the given buffers (nil: none).
func Post(m Obj, transfer []any) {
	if transfer == nil {
		self.Call("postMessage", m)
		return
	}
	self.Call("postMessage", m, transfer)
}

// ID is a message's id, or undefined for a message without one (or not an object).
func ID(m js.Value) js.Value {
	if m.Type() != js.TypeObject {
		return js.Undefined()
	}
	return m.Get("id")
}

// PostFailure reports a recovered panic r as {type:'error', error, id?}: what failed, the
// panic's text and the stack. id, when defined, is the failed request's, so that the page
// answers that request instead of waiting for it. Call it from the deferred recover.
func PostFailure(what string, r any, id js.Value) {
	text := "panic"
	if err, ok := r.(error); ok {
		text = err.Error()
	} else if s, ok := r.(string); ok {
		text = s
	}
	reply := Obj{"type": "error", "error": what + ": " + text + "\n" + string(debug.Stack())}
	if !id.IsUndefined() {
		reply["id"] = id
	}
	Post(reply, nil)
}

// String is a message's value as a setting's text: numbers in Go's shortest form (Infinity as
// "inf"), booleans as true/false, anything else as JS would print it.
func String(v js.Value) string {
	switch v.Type() {
	case js.TypeNumber:
		if math.IsInf(v.Float(), 1) {
			return "inf"
		}
		return strconv.FormatFloat(v.Float(), 'g', -1, 64)
	case js.TypeBoolean:
		return strconv.FormatBool(v.Bool())
	default:
		return v.String()
	}
}

// Float32 copies x into a new Float32Array; it returns the array and its buffer (to transfer).
func Float32(x []float32) (js.Value, js.Value) { return typed("Float32Array", x, 4) }

// Float64 copies x into a new Float64Array.
func Float64(x []float64) (js.Value, js.Value) { return typed("Float64Array", x, 8) }

// Int32 copies x into a new Int32Array.
func Int32(x []int32) (js.Value, js.Value) { return typed("Int32Array", x, 4) }

func typed[T float32 | float64 | int32](ctor string, x []T, size int) (js.Value, js.Value) {
	arr := js.Global().Get(ctor).New(len(x))
	if len(x) > 0 {
		js.CopyBytesToJS(js.Global().Get("Uint8Array").New(arr.Get("buffer")), unsafe.Slice((*byte)(unsafe.Pointer(&x[0])), size*len(x)))
	}
	return arr, arr.Get("buffer")
}

// Float64From copies a Float64Array, a Float32Array or an array of numbers into Go; nil for a falsy
// value.
func Float64From(v js.Value) []float64 {
	if !v.Truthy() {
		return nil
	}
	if k := jsarray.KindOf(v); k == jsarray.Float64Array || k == jsarray.Float32Array {
		return jsarray.Read(make([]float64, 0, v.Length()), v)
	}
	// Not jsarray.Read, which reads a non-number as NaN: a message's numbers are read strictly, an
	// element that is not a number panics and the worker's handler reports the request as failed.
	x := make([]float64, v.Length())
	for i := range x {
		x[i] = v.Index(i).Float()
	}
	return x
}

// Float32From copies a Float32Array into Go; ok is false for anything else.
func Float32From(v js.Value) (x []float32, ok bool) {
	if !v.Truthy() || jsarray.KindOf(v) != jsarray.Float32Array {
		return nil, false
	}
	return jsarray.Read(make([]float32, 0, v.Length()), v), true
}

var mem struct {
	at    time.Time
	mb    float64
	refs  int
	numGC uint32
	gcAt  time.Time // Collect's last collection
}

// Memory is the memory the Go runtime holds, in MB (runtime.MemStats.Sys: in wasm about the
// linear memory, which never shrinks), and the JS values it holds references to (worker.js's
// lipflowJSRefs; 0 where there is none), read at most once a second (ReadMemStats stops the
// world). The soak test watches both for each of the page's Go programs.
func Memory() (mb float64, refs int) {
	if time.Since(mem.at) >= time.Second {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		mem.at, mem.mb, mem.numGC = time.Now(), float64(ms.Sys)/(1<<20), ms.NumGC
		if f := self.Get("lipflowJSRefs"); f.Type() == js.TypeFunction {
			mem.refs = f.Invoke().Int()
		}
	}
	return mem.mb, mem.refs
}

// GCs is the number of garbage collections the Go runtime has done, as Memory last read it.
func GCs() uint32 { return mem.numGC }

// MaxRefs is how many JS values Go may hold before Collect runs the garbage collector.
// wasm_exec.js frees a JS value only once Go's collector has finalized the js.Value that refers
// to it, and a program that allocates little between its messages (a pool worker: its buffers
// are reused) went minutes without a collection while every message added a dozen values: in
// the soak its JS values grew by 20,000 a minute, its memory with them
// (docs/performance.md#the-soak).
var MaxRefs = 20000

// Collect runs Go's garbage collector when Go holds more than MaxRefs JS values, at most once
// every 5 s (the values are freed by the finalizers that run after it). Call it between
// messages; it reads the count at most once a second (Memory).
func Collect() {
	if _, refs := Memory(); refs > MaxRefs && time.Since(mem.gcAt) > 5*time.Second {
		runtime.GC()
		mem.gcAt, mem.at = time.Now(), time.Time{}
	}
}
