//go:build js && wasm

package jsworker

import (
	"runtime"
	"syscall/js"
	"testing"
	"time"
)

// TestCollect: Collect runs Go's garbage collector once the JS values Go holds (worker.js's
// lipflowJSRefs, faked here) pass MaxRefs, not below, and not again within 5 s.
func TestCollect(t *testing.T) {
	refs := 0
	f := js.FuncOf(func(js.Value, []js.Value) any { return refs })
	defer f.Release()
	self.Set("lipflowJSRefs", f)
	defer self.Delete("lipflowJSRefs")
	gcs := func() uint32 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.NumGC
	}
	for _, c := range []struct {
		refs    int
		recent  bool // a collection by Collect less than 5 s ago
		collect bool
	}{
		{MaxRefs, false, false},
		{MaxRefs + 1, false, true},
		{MaxRefs + 1, true, false},
		{3 * MaxRefs, false, true},
	} {
		refs = c.refs
		mem.at, mem.gcAt = time.Time{}, time.Time{} // the count read now; no collection lately
		if c.recent {
			mem.gcAt = time.Now()
		}
		before := gcs()
		Collect()
		if got := gcs() > before; got != c.collect {
			t.Errorf("%d JS values (a collection just before: %v): collected %v, want %v", c.refs, c.recent, got, c.collect)
		}
		if _, r := Memory(); r != c.refs && !c.collect {
			t.Errorf("Memory reads %d JS values, want %d", r, c.refs)
		}
	}
}
