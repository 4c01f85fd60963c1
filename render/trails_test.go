package render

import "testing"

func TestTrailsOrder(t *testing.T) {
	tr := NewTrails(4, 0)
	pos := make([]float32, 6) // 3 particles
	for step := 1; step <= 6; step++ {
		for i := 0; i < 3; i++ {
			pos[2*i], pos[2*i+1] = float32(step), float32(10*i)
		}
		tr.Push(step, pos)
		tr.Push(step, pos) // a repeat of the same step is ignored
	}
	if tr.Len() != 4 || tr.Tracked() != 3 {
		t.Fatalf("len %d tracked %d", tr.Len(), tr.Tracked())
	}
	for j := 0; j < 3; j++ {
		for k := 0; k < 4; k++ {
			x, y := tr.At(j, k)
			if x != float32(3+k) || y != float32(10*j) {
				t.Fatalf("particle %d position %d = (%g,%g), want (%d,%d)", j, k, x, y, 3+k, 10*j)
			}
		}
	}
	// Step going backwards starts afresh.
	tr.Push(2, pos)
	if tr.Len() != 1 {
		t.Fatalf("after step went back: len %d", tr.Len())
	}
	// So does a change of n.
	tr.Push(3, pos)
	tr.Push(4, make([]float32, 10))
	if tr.Len() != 1 || tr.Tracked() != 5 {
		t.Fatalf("after n changed: len %d tracked %d", tr.Len(), tr.Tracked())
	}
}

func TestTrailsSubsample(t *testing.T) {
	tr := NewTrails(3, 100)
	pos := make([]float32, 2*1000)
	for i := range 1000 {
		pos[2*i] = float32(i)
	}
	tr.Push(0, pos)
	if tr.Stride() != 10 || tr.Tracked() != 100 {
		t.Fatalf("stride %d tracked %d", tr.Stride(), tr.Tracked())
	}
	if x, _ := tr.At(7, 0); x != 70 {
		t.Fatalf("tracked particle 7 is particle %g", x)
	}
}
