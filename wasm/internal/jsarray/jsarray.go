//go:build js && wasm

// Package jsarray copies numbers out of JavaScript arrays into Go slices: a typed array with one
// bulk copy of its bytes, a plain array element by element. The view (wasm/view) decodes its
// frames with it and the workers (through wasm/internal/jsworker) their messages.
//
// A typed array is recognized by its tag (Object.prototype.toString), not with instanceof: the
// view's frames come from its parent page, another realm, whose Float32Array is not the view's.
package jsarray

import (
	"math"
	"syscall/js"
	"unsafe"
)

// Kind is what a JS value is as a source of numbers.
type Kind int

const (
	None         Kind = iota // not an array of numbers
	Array                    // a plain array
	Float32Array             // a Float32Array
	Float64Array             // a Float64Array
)

// The constructors and functions used on every call, looked up once.
var (
	uint8Array  = js.Global().Get("Uint8Array")
	arrayBuffer = js.Global().Get("ArrayBuffer")
	array       = js.Global().Get("Array")
	tag         = js.Global().Get("Object").Get("prototype").Get("toString")
)

// KindOf tells what v is.
func KindOf(v js.Value) Kind {
	if v.Type() != js.TypeObject || v.IsNull() {
		return None
	}
	if array.Call("isArray", v).Bool() {
		return Array
	}
	if !arrayBuffer.Call("isView", v).Bool() {
		return None
	}
	switch tag.Call("call", v).String() {
	case "[object Float32Array]":
		return Float32Array
	case "[object Float64Array]":
		return Float64Array
	}
	return None
}

// Read copies v (a Float32Array, a Float64Array or a plain array of numbers) into dst, reusing its
// capacity, and returns it; for anything else it returns dst[:0]. The elements of a plain array
// are read with Number.
func Read[T float32 | float64](dst []T, v js.Value) []T {
	switch KindOf(v) {
	case Float32Array:
		return readTyped[float32](dst, v)
	case Float64Array:
		return readTyped[float64](dst, v)
	case Array:
		n := v.Length()
		dst = grow(dst, n)
		for i := range n {
			dst[i] = T(Number(v.Index(i)))
		}
		return dst
	}
	return dst[:0]
}

// readTyped copies the typed array v, of elements S, into dst: its bytes straight into dst's memory
// when S is T, through a temporary slice otherwise.
func readTyped[S, T float32 | float64](dst []T, v js.Value) []T {
	n := v.Length()
	dst = grow(dst, n)
	if n == 0 {
		return dst
	}
	if same, ok := any(dst).([]S); ok {
		js.CopyBytesToGo(bytesOf(same), bytesView(v))
		return dst
	}
	tmp := make([]S, n)
	js.CopyBytesToGo(bytesOf(tmp), bytesView(v))
	for i, x := range tmp {
		dst[i] = T(x)
	}
	return dst
}

// Number is v as a number: a number itself, a boolean 1 or 0, anything else NaN.
func Number(v js.Value) float64 {
	switch v.Type() {
	case js.TypeNumber:
		return v.Float()
	case js.TypeBoolean:
		if v.Bool() {
			return 1
		}
		return 0
	}
	return math.NaN()
}

// grow returns s with length n, reallocated with a quarter's headroom when its capacity is short,
// so that arrays growing frame by frame are not reallocated every frame.
func grow[T float32 | float64](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n, n+n/4)
	}
	return s[:n]
}

// bytesView is a Uint8Array over the typed array's bytes.
func bytesView(v js.Value) js.Value {
	return uint8Array.New(v.Get("buffer"), v.Get("byteOffset"), v.Get("byteLength"))
}

// bytesOf views a float slice's memory as bytes (GOARCH=wasm is little-endian, like typed arrays).
func bytesOf[T float32 | float64](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*int(unsafe.Sizeof(s[0])))
}
