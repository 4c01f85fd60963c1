package flow

// Shards: every sum over samples in a step is cut at the same places whatever the machine, so
// that a step gives the same bits on one core or many, natively or in the page.
//
// A step's samples are the N particles (rows 0..N-1 of the batch) and the M targets (rows
// N..N+M-1). Each set is cut, from its first row, into shards of shardSize(count) rows (the last
// may be shorter), the particles' shards first. Per-sample work (forward passes, input
// gradients, activations) does not care where the cuts are. Every sum over samples is computed
// per shard, in increasing row order within it, into a partial (a partial weight gradient, a
// partial sum of the objective, of nu's equation, of the penalty, of the kinetic energy), and the
// partials are added in shard order, from the first: a left fold. A worker may compute any
// shard at any time; only the order of the fold is fixed.
//
// The rule depends only on N and M, so a link replays the same step on any number of workers.
// The page's Web Worker pool uses the same cut: a worker given the weights and its shards' rows
// returns one partial per shard (ShardServer), and the engine folds the partials in shard order
// (remote.go, docs/performance.md#every-core).

// Bounds of the shard size: at least shardMin rows (a shard's partial weight gradient must be
// worth adding up), and at most about maxShards shards per set (a big run's partials are not
// worth more messages). Both are multiples of tnChunk, so shard and chunk boundaries agree.
const (
	shardMin  = 256
	maxShards = 64
)

// shard is the rows lo..hi-1 of a step's batch.
type shard struct{ lo, hi int }

func (s shard) rows() int { return s.hi - s.lo }

// shardSize is the number of rows per shard of a set of count samples.
func shardSize(count int) int {
	per := (count + maxShards - 1) / maxShards
	per = (per + tnChunk - 1) / tnChunk * tnChunk
	return max(shardMin, per)
}

// cut appends the shards of rows off..off+count-1 to s.
func cut(s []shard, off, count int) []shard {
	size := shardSize(count)
	for lo := 0; lo < count; lo += size {
		s = append(s, shard{off + lo, off + min(lo+size, count)})
	}
	return s
}

// shardsOf returns the shards of a step with n particles and m targets: the particles' then the
// targets'.
func shardsOf(n, m int) []shard { return cut(cut(nil, 0, n), n, m) }

// foldShards returns the sum of f over the shards of count values, in the shard rule's order:
// each shard's partial summed from 0 in increasing index, the partials added in shard order.
func foldShards(count int, f func(i int) float64) float64 {
	size := shardSize(count)
	var total float64
	for lo := 0; lo < count; lo += size {
		var part float64
		for i := lo; i < min(lo+size, count); i++ {
			part += f(i)
		}
		total += part
	}
	return total
}

// foldShards2 is foldShards for two sums at once.
func foldShards2(count int, f func(i int) (float64, float64)) (a, b float64) {
	size := shardSize(count)
	for lo := 0; lo < count; lo += size {
		var pa, pb float64
		for i := lo; i < min(lo+size, count); i++ {
			x, y := f(i)
			pa += x
			pb += y
		}
		a += pa
		b += pb
	}
	return a, b
}
