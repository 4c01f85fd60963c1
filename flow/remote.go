package flow

import "fmt"

// A Remote is where a Flow sends the shards it does not compute itself: in the page, the
// engine's pool of Web Workers, each running a ShardServer. The flow keeps the first block of
// the particles' shards and of the targets' for itself, hands each server a block of both,
// computes its own while the servers compute theirs, and folds every shard's partial in shard
// order: the particles do not depend, to the bit, on how many servers there are or on which
// answers first (docs/performance.md#every-core).
//
// Per inner step there are two round trips (the weights out, phi back; dphi out, one partial
// gradient per shard back), per velocity one (the weights and the particles' rows out, grad phi
// back); the particles' rows go with the first forward job after they moved, the targets' once,
// with the setup.
type Remote interface {
	// Servers is the number of servers (0: none at the moment).
	Servers() int
	// Send posts job to server k without waiting; k's previous job has been received.
	Send(k int, job *ShardJob)
	// Receive waits for server k's reply to its last job. An error says the server is lost:
	// the flow then computes everything itself, from the same shards (the same bits).
	Receive(k int) (*ShardResult, error)
}

// RemoteMinRows is the batch size (n + m) below which a flow computes alone even with a
// Remote. A step makes 2 x Inner + 1 round trips (11 with 5 inner steps). Measured in headless
// Chromium on the quiet 2-core machine (docs/performance.md#the-pools-figures), where each
// postMessage costs its sender about a millisecond, the pool gave 1.08-1.14x at N = M = 5,000
// and 10,000 and made steps slower below (51 against 34 ms at 2,000). So only runs of 20,000
// samples and more share their steps; on machines with more cores, or cheaper messages, this
// is to be measured again (bench.html's minrows).
const RemoteMinRows = 20000

// remote is a flow's use of a Remote: who computes which shards, and the jobs' buffers.
type remote struct {
	r       Remote
	blocks  [][]int // the shards' indices of each computing thread: blocks[0] the flow's own, blocks[k+1] server k's
	sent    []bool  // server k has its setup
	dirty   bool    // the batch's particle rows changed since the servers last had them
	jobs    []ShardJob
	res     []*ShardResult
	rows    [][]float32        // server k's particle rows or dphi, gathered for its job
	own     []gradBuf[float32] // partial gradients of the flow's own shards
	params  []float32          // the effective weights, for spectral normalization
	lost    error              // a server was lost: the flow computes alone
	minRows int                // RemoteMinRows, lowered by the tests to keep them small
	// forwarded says that the servers hold the last forward pass's activations of their
	// shards: a gradient computed alone must first do their forward pass here.
	forwarded bool
}

// SetRemote makes the flow share its steps with r's servers (nil: compute alone). A flow whose
// batch is below RemoteMinRows rows, or a flow with one shard, computes alone all the same.
// The particles do not depend on it, to the bit.
func (fl *Flow) SetRemote(r Remote) {
	fl.rm = nil
	if r == nil {
		return
	}
	fl.rm = &remote{r: r, dirty: true, minRows: RemoteMinRows}
}

// SetRemoteMinRows sets the batch size (n + m) from which the flow shares its steps with its
// Remote: RemoteMinRows unless set. bench.html lowers it to measure where the pool starts to pay.
func (fl *Flow) SetRemoteMinRows(rows int) {
	if fl.rm != nil {
		fl.rm.minRows = rows
	}
}

// RemoteLost returns the error of the server whose loss made the flow compute alone, or nil.
func (fl *Flow) RemoteLost() error {
	if fl.rm == nil {
		return nil
	}
	return fl.rm.lost
}

// Sharing is the number of threads that compute the flow's steps: 1 plus the servers in use.
func (fl *Flow) Sharing() int {
	if rm := fl.useRemote(); rm != nil {
		return len(rm.blocks)
	}
	return 1
}

// useRemote returns the flow's remote when the next phase is to use it, laying out the
// blocks when the number of servers changed.
func (fl *Flow) useRemote() *remote {
	rm := fl.rm
	if rm == nil || rm.lost != nil || fl.n+fl.m < rm.minRows || len(fl.shards) < 2 {
		return nil
	}
	k := rm.r.Servers()
	if k < 1 {
		return nil
	}
	if len(rm.blocks) != k+1 {
		rm.layout(fl, k+1)
	}
	return rm
}

// layout cuts the particles' shards and the targets' into t contiguous blocks each (as even as
// the shards allow); thread j gets the j-th of both.
func (rm *remote) layout(fl *Flow, t int) {
	rm.blocks = make([][]int, t)
	np, ns := fl.np, len(fl.shards)
	for j := range t {
		for i := j * np / t; i < (j+1)*np/t; i++ {
			rm.blocks[j] = append(rm.blocks[j], i)
		}
		for i := np + j*(ns-np)/t; i < np+(j+1)*(ns-np)/t; i++ {
			rm.blocks[j] = append(rm.blocks[j], i)
		}
	}
	rm.sent = make([]bool, t-1)
	rm.jobs = make([]ShardJob, t-1)
	rm.res = make([]*ShardResult, t-1)
	rm.rows = make([][]float32, t-1)
	rm.own = rm.own[:0]
	for range rm.blocks[0] {
		rm.own = append(rm.own, fl.net.newGradBuf())
	}
	rm.dirty = true
}

// setup is server k's ShardSetup.
func (rm *remote) setup(fl *Flow, k int) *ShardSetup {
	kind := Unconstrained
	if fl.net.lip != nil {
		kind = fl.net.lip.kind
	}
	s := &ShardSetup{Arch: fl.net.Arch, Constraint: kind, L: fl.s.L, Lambda: fl.s.Lambda, Penalized: fl.penalized, N: fl.n}
	in := fl.net.In
	for _, i := range rm.blocks[k+1] {
		sh := fl.shards[i]
		s.Shards = append(s.Shards, int32(sh.lo), int32(sh.hi))
		if sh.lo >= fl.n {
			s.Targets = append(s.Targets, fl.batch[sh.lo*in:sh.hi*in]...)
		}
		if fl.labels != nil {
			s.Labels = append(s.Labels, fl.labels[sh.lo:sh.hi]...)
		}
	}
	return s
}

// weights returns the weights the forward pass uses, in Params' layout.
func (rm *remote) weights(fl *Flow) []float32 {
	n := fl.net
	if n.lip == nil || n.lip.kind != Spectral {
		return n.Params
	}
	if len(rm.params) != len(n.Params) {
		rm.params = make([]float32, len(n.Params))
	}
	off := 0
	for l := range n.w {
		off += copy(rm.params[off:], n.eff[l])
		off += copy(rm.params[off:], n.b[l])
	}
	copy(rm.params[off:], n.Params[off:])
	return rm.params
}

// gather returns the values of x (per row, width each) at server k's rows: its particles'
// only when particles is set. The slice is k's, reused by its next job.
func (rm *remote) gather(fl *Flow, k int, x []float32, width int, particles bool) []float32 {
	out := rm.rows[k][:0]
	for _, i := range rm.blocks[k+1] {
		sh := fl.shards[i]
		if particles && sh.lo >= fl.n {
			break
		}
		out = append(out, x[sh.lo*width:sh.hi*width]...)
	}
	rm.rows[k] = out
	return out
}

// send posts job to every server that has shards, with its setup when it has none yet.
func (rm *remote) send(fl *Flow, job func(k int, j *ShardJob)) {
	for k := range rm.jobs {
		if len(rm.blocks[k+1]) == 0 {
			continue
		}
		j := &rm.jobs[k]
		*j = ShardJob{}
		if !rm.sent[k] {
			j.Setup = rm.setup(fl, k)
			rm.sent[k] = true
		}
		job(k, j)
		rm.r.Send(k, j)
	}
}

// receive collects every server's reply; false when one was lost (the flow then computes
// alone from now on and the caller computes the servers' shards itself).
func (rm *remote) receive(check func(k int, r *ShardResult) error) bool {
	for k := range rm.jobs {
		rm.res[k] = nil
		if len(rm.blocks[k+1]) == 0 {
			continue
		}
		r, err := rm.r.Receive(k)
		if err == nil {
			err = check(k, r)
		}
		if err != nil && rm.lost == nil {
			rm.lost = fmt.Errorf("pool worker %d: %w", k+1, err)
		}
		rm.res[k] = r
	}
	return rm.lost == nil
}

// forwardRemote is forward with the servers: false if they were lost before it was done.
func (fl *Flow) forwardRemote(rm *remote, labels []int32) {
	params := rm.weights(fl)
	in := fl.net.In
	rows := rm.dirty
	rm.send(fl, func(k int, j *ShardJob) {
		j.Op, j.Params = OpForward, params
		if rows {
			j.Rows = rm.gather(fl, k, fl.batch, in, true)
		}
	})
	rm.dirty = false
	for _, i := range rm.blocks[0] {
		fl.forwardShard(fl.shards[i], labels)
	}
	ok := rm.receive(func(k int, r *ShardResult) error {
		off := 0
		for _, i := range rm.blocks[k+1] {
			off += fl.shards[i].rows()
		}
		if len(r.Phi) != off {
			return fmt.Errorf("%d phi values, want %d", len(r.Phi), off)
		}
		return nil
	})
	if !ok {
		fl.forwardAlone(rm, labels)
		return
	}
	rm.forwarded = true
	for k, r := range rm.res {
		off := 0
		for _, i := range rm.blocks[k+1] {
			s := fl.shards[i]
			copy(fl.phi[s.lo:s.hi], r.Phi[off:])
			off += s.rows()
		}
	}
}

// forwardAlone computes the servers' shards of a forward pass after they were lost.
func (fl *Flow) forwardAlone(rm *remote, labels []int32) {
	for _, b := range rm.blocks[1:] {
		for _, i := range b {
			fl.forwardShard(fl.shards[i], labels)
		}
	}
}

// catchUp does, here, the servers' part of the last forward pass when the gradient is to be
// computed without them (the pool was lost in between).
func (fl *Flow) catchUp(labels []int32) {
	if rm := fl.rm; rm != nil && rm.forwarded {
		rm.forwarded = false
		fl.forwardAlone(rm, labels)
	}
}

// gradientRemote is gradient with the servers.
func (fl *Flow) gradientRemote(rm *remote, labels []int32) {
	rm.forwarded = false
	rm.send(fl, func(k int, j *ShardJob) {
		j.Op, j.Dphi = OpBackward, rm.gather(fl, k, fl.dphi, 1, false)
	})
	for o, i := range rm.blocks[0] {
		fl.gradShard(fl.shards[i], labels, rm.own[o])
	}
	size := len(fl.net.Grad)
	ok := rm.receive(func(k int, r *ShardResult) error {
		if want := len(rm.blocks[k+1]) * size; len(r.Grads) != want {
			return fmt.Errorf("%d gradient values, want %d", len(r.Grads), want)
		}
		return nil
	})
	// Every shard's partial, whoever computed it, in shard order: the fold of gradient.
	part := make([][]float32, len(fl.shards))
	for o, i := range rm.blocks[0] {
		part[i] = rm.own[o].flat
	}
	if ok {
		for k, r := range rm.res {
			for o, i := range rm.blocks[k+1] {
				part[i] = r.Grads[o*size : (o+1)*size]
			}
		}
	} else {
		// The servers' activations are gone with them: the same forward pass again, here.
		fl.forwardAlone(rm, labels)
		for _, b := range rm.blocks[1:] {
			for _, i := range b {
				g := fl.net.newGradBuf()
				fl.gradShard(fl.shards[i], labels, g)
				part[i] = g.flat
			}
		}
	}
	grad := fl.net.Grad
	for _, p := range part {
		for j, v := range p {
			grad[j] += v
		}
	}
}

// velocityRemote is velocity's particles' shards with the servers; the batch's particle rows
// hold y.
func (fl *Flow) velocityRemote(rm *remote, v []float32) {
	params := rm.weights(fl)
	in := fl.net.In
	rm.send(fl, func(k int, j *ShardJob) {
		j.Op, j.Params, j.Rows = OpVelocity, params, rm.gather(fl, k, fl.batch, in, true)
	})
	rm.dirty = false
	shard := func(i int) {
		s := fl.shards[i]
		fl.net.forwardRows(s.lo, s.hi, fl.labelsY, fl.phi)
		fl.net.inputGradRows(s.lo, s.hi, fl.labelsY, v)
	}
	for _, i := range rm.blocks[0] {
		if i < fl.np {
			shard(i)
		}
	}
	ok := rm.receive(func(k int, r *ShardResult) error {
		rows := 0
		for _, i := range rm.blocks[k+1] {
			if i < fl.np {
				rows += fl.shards[i].rows()
			}
		}
		if len(r.V) != rows*in {
			return fmt.Errorf("%d velocity values, want %d", len(r.V), rows*in)
		}
		return nil
	})
	for k, b := range rm.blocks[1:] {
		off := 0
		for _, i := range b {
			if i >= fl.np {
				break
			}
			if !ok {
				shard(i)
				continue
			}
			s := fl.shards[i]
			off += copy(v[s.lo*in:s.hi*in], rm.res[k].V[off:])
		}
	}
}
