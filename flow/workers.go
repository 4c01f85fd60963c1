package flow

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// workers runs the shards of a step's phases on goroutines. Which goroutine computes a shard
// does not change a bit of the result (see shard.go): shards are handed out in increasing
// order, and partials that must be folded in order wait for their turn.
type workers struct {
	n int // goroutines per phase; 1 runs everything on the caller's

	turnMu sync.Mutex
	turnC  *sync.Cond
	next   int // the next shard whose partial may be folded

	part [maxShards + 1]float64 // partial sums of sum
}

// newWorkers returns a pool of n goroutines, or of GOMAXPROCS for n <= 0. In js/wasm there is
// one thread, so there is one worker: the page's parallelism is a pool of Web Workers.
func newWorkers(n int) *workers {
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	if runtime.GOOS == "js" {
		n = 1
	}
	w := &workers{n: n}
	w.turnC = sync.NewCond(&w.turnMu)
	return w
}

// each calls f(i, worker) for every i in 0..count-1, on min(n, count) goroutines, worker being
// the goroutine's index (for its own buffers). It returns when every call has.
func (w *workers) each(count int, f func(i, worker int)) {
	g := min(w.n, count)
	if g <= 1 {
		for i := range count {
			f(i, 0)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	wg.Add(g)
	for k := range g {
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= count {
					return
				}
				f(i, k)
			}
		}()
	}
	wg.Wait()
}

// startTurns resets the order of folding: shard 0's partial goes first.
func (w *workers) startTurns() { w.next = 0 }

// inTurn runs fold once every shard before i has been folded, then lets shard i+1's in. Within
// each, shards are handed out in increasing order, so the goroutine holding the lowest
// unfolded shard never waits: no deadlock.
func (w *workers) inTurn(i int, fold func()) {
	w.turnMu.Lock()
	for w.next != i {
		w.turnC.Wait()
	}
	w.turnMu.Unlock()
	fold()
	w.turnMu.Lock()
	w.next++
	w.turnMu.Unlock()
	w.turnC.Broadcast()
}

// parallelSum is the number of shards from which sum shares its shards among goroutines: a
// goroutine's start costs about what summing a few hundred terms does.
const parallelSum = 4

// sum is foldShards(count, f) with the shards' partial sums computed on w's goroutines (w may
// be nil: the caller's only). The partials are folded in shard order: the same bits.
func (w *workers) sum(count int, f func(i int) float64) float64 {
	size := shardSize(count)
	shards := (count + size - 1) / size
	if w == nil || w.n <= 1 || shards < parallelSum {
		return foldShards(count, f)
	}
	part := w.part[:shards]
	w.each(shards, func(s, _ int) {
		var p float64
		for i := s * size; i < min((s+1)*size, count); i++ {
			p += f(i)
		}
		part[s] = p
	})
	var total float64
	for _, p := range part {
		total += p
	}
	return total
}
