//go:build js && wasm

package jsarray

import (
	"math"
	"slices"
	"syscall/js"
	"testing"
)

func TestRead(t *testing.T) {
	g := js.Global()
	f32 := g.Get("Float32Array").New(js.ValueOf([]any{1.5, -2, 3}))
	f64 := g.Get("Float64Array").New(js.ValueOf([]any{0.1, -1e300, 7}))
	plain := js.ValueOf([]any{1, true, "x", nil})

	if got := Read([]float32(nil), f32); !slices.Equal(got, []float32{1.5, -2, 3}) {
		t.Errorf("Float32Array as float32: %v", got)
	}
	if got := Read([]float64(nil), f32); !slices.Equal(got, []float64{1.5, -2, 3}) {
		t.Errorf("Float32Array as float64: %v", got)
	}
	if got := Read([]float64(nil), f64); !slices.Equal(got, []float64{0.1, -1e300, 7}) {
		t.Errorf("Float64Array as float64: %v", got)
	}
	if got := Read([]float32(nil), f64); got[0] != float32(0.1) || !math.IsInf(float64(got[1]), -1) || got[2] != 7 {
		t.Errorf("Float64Array as float32: %v", got)
	}
	if got := Read([]float64(nil), plain); len(got) != 4 || got[0] != 1 || got[1] != 1 || !math.IsNaN(got[2]) || !math.IsNaN(got[3]) {
		t.Errorf("plain array: %v", got)
	}

	// A view into the middle of a buffer: only its own bytes.
	sub := f64.Call("subarray", 1, 3)
	if got := Read([]float64(nil), sub); !slices.Equal(got, []float64{-1e300, 7}) {
		t.Errorf("subarray: %v", got)
	}

	// dst's memory is reused when it is large enough.
	dst := make([]float32, 1, 8)
	if got := Read(dst, f32); &got[0] != &dst[0] || len(got) != 3 {
		t.Error("capacity not reused")
	}
	for _, v := range []js.Value{js.Undefined(), js.Null(), js.ValueOf(3), js.ValueOf(map[string]any{"length": 2}), g.Get("Int32Array").New(2)} {
		if KindOf(v) != None {
			t.Errorf("KindOf(%v) = %v, want None", v, KindOf(v))
		}
		if got := Read(dst, v); len(got) != 0 {
			t.Errorf("Read(%v) = %v, want empty", v, got)
		}
	}
}
