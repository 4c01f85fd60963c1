package flow

// A step's work over its shards (shard.go). Each phase hands the shards to the flow's workers;
// the functions that compute one shard (forwardShard, gradShard) see only the weights, the
// shard's rows and its part of the batch's buffers, which is what a Web Worker holding those
// rows would need (docs/performance.md#shards), and what a ShardServer does in the page's
// pool (remote.go).

// forward evaluates phi on the rows of batch, shard by shard.
func (fl *Flow) forward(batch []float32, rows int, labels []int32) {
	fl.net.begin(batch, rows)
	if rm := fl.useRemote(); rm != nil {
		fl.forwardRemote(rm, labels)
		return
	}
	fl.work.each(len(fl.shards), func(i, _ int) { fl.forwardShard(fl.shards[i], labels) })
}

// forwardShard writes phi at the shard's rows and keeps their activations.
func (fl *Flow) forwardShard(s shard, labels []int32) {
	fl.net.forwardRows(s.lo, s.hi, labels, fl.phi)
}

// gradient sets Grad to the discriminator's loss gradient for the dphi of the last forward pass
// (and the gradient penalty's): every shard's partial, added in shard order.
func (fl *Flow) gradient(labels []int32) {
	clear(fl.net.Grad)
	if fl.penalized > 0 {
		fl.net.tangentBuffers() // before the shards share them
	}
	if rm := fl.useRemote(); rm != nil {
		fl.gradientRemote(rm, labels)
		return
	}
	fl.catchUp(labels)
	fl.work.startTurns()
	fl.work.each(len(fl.shards), func(i, k int) {
		g := fl.part[k]
		fl.gradShard(fl.shards[i], labels, g)
		fl.work.inTurn(i, func() {
			grad := fl.net.Grad[:len(g.flat)]
			for j, v := range g.flat {
				grad[j] += v
			}
		})
	})
}

// gradShard sets g to the shard's partial loss gradient: the objective's through dphi, plus the
// gradient penalty's where the shard's rows are penalized.
func (fl *Flow) gradShard(s shard, labels []int32, g gradBuf[float32]) {
	clear(g.flat)
	fl.net.backwardRows(s.lo, s.hi, labels, fl.dphi, g.w, g.b, nil)
	if s.hi <= fl.penalized {
		fl.net.penaltyRows(s.lo, s.hi, fl.penalized, labels, g.w, g.b)
	}
}
