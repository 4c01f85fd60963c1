package render

// Trails keeps, for a subset of a run's particles, their last few positions in a ring buffer.
type Trails struct {
	Cap      int // positions kept per particle
	MaxTrack int // at most this many particles are tracked (every Stride-th one)

	n, stride, tracked int
	buf                []float32 // Cap slots of tracked*2 floats
	head, count        int       // next slot to write; slots in use
	lastStep           int
}

// NewTrails keeps capacity positions for at most maxTrack particles.
func NewTrails(capacity, maxTrack int) *Trails {
	return &Trails{Cap: capacity, MaxTrack: maxTrack}
}

// Reset forgets every position.
func (t *Trails) Reset() { t.count, t.head, t.n = 0, 0, -1 }

// Push records the positions pos (n x 2) at step. It starts afresh when the number of particles
// changes or step goes backwards, and ignores a repeat of the last step.
func (t *Trails) Push(step int, pos []float32) {
	n := len(pos) / 2
	if n != t.n || step < t.lastStep || t.count == 0 {
		t.n = n
		t.stride = 1
		if t.MaxTrack > 0 && n > t.MaxTrack {
			t.stride = (n + t.MaxTrack - 1) / t.MaxTrack
		}
		t.tracked = (n + t.stride - 1) / t.stride
		if need := t.Cap * t.tracked * 2; cap(t.buf) < need {
			t.buf = make([]float32, need)
		} else {
			t.buf = t.buf[:need]
		}
		t.head, t.count = 0, 0
	} else if step == t.lastStep {
		return
	}
	t.lastStep = step
	if t.Cap <= 0 || n == 0 {
		return
	}
	slot := t.buf[t.head*t.tracked*2 : (t.head+1)*t.tracked*2]
	for j := 0; j < t.tracked; j++ {
		i := j * t.stride
		slot[2*j], slot[2*j+1] = pos[2*i], pos[2*i+1]
	}
	t.head = (t.head + 1) % t.Cap
	if t.count < t.Cap {
		t.count++
	}
}

// Len is the number of positions held per tracked particle.
func (t *Trails) Len() int { return t.count }

// Tracked is the number of tracked particles; tracked particle j is particle j*Stride().
func (t *Trails) Tracked() int {
	if t.count == 0 {
		return 0
	}
	return t.tracked
}

// Stride is the spacing of the tracked particles' indices.
func (t *Trails) Stride() int { return t.stride }

// At is tracked particle j's k-th oldest position held (k = 0 the oldest, Len()-1 the newest).
func (t *Trails) At(j, k int) (x, y float32) {
	s := (t.head - t.count + k + 2*t.Cap) % t.Cap
	o := (s*t.tracked + j) * 2
	return t.buf[o], t.buf[o+1]
}
