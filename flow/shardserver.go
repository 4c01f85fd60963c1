package flow

import (
	"errors"
	"fmt"
	"slices"
)

// A ShardServer computes some of a Flow's shards (shard.go) away from it: in the page, in one
// of the engine's pool of Web Workers. It holds a network of the run's shape and the batch rows
// of its shards, and answers three jobs: forward (the weights -> phi at its rows), backward
// (dphi at its rows -> one partial weight gradient per shard, the gradient penalty's included)
// and velocity (the weights and the particles' rows -> grad phi at them). It returns one
// partial per shard, never their sum: the Flow folds every shard's partial in shard order,
// which is what makes the bits independent of who computed what (docs/performance.md#every-core).

// ShardOp is a job's kind.
type ShardOp int

const (
	OpSetup    ShardOp = iota // only the setup: (re)build the server
	OpForward                 // phi at the server's rows for Params
	OpBackward                // per-shard partial weight gradients for Dphi (after OpForward)
	OpVelocity                // grad phi at the server's particle rows for Params and Rows
)

// ShardSetup is what a server needs of a run: the network's shape and constraint, its shards
// and the rows that do not change (the targets') with the classes of all its rows.
type ShardSetup struct {
	Arch       Arch
	Constraint Constraint // only a gradient penalty matters: the weights come constrained
	L, Lambda  float64
	Penalized  int     // the penalty is over the batch's rows 0..Penalized-1 (0: none)
	Shards     []int32 // lo, hi pairs of the batch's rows: its particles' shards, then its targets'
	N          int     // rows below N are particles
	Targets    []float32
	Labels     []int32 // classes of its rows in the order of Shards (nil: one head)
}

// ShardJob is one request to a server. Its slices are the sender's: valid until the reply is
// received.
type ShardJob struct {
	Setup  *ShardSetup // non-nil: rebuild the server first
	Op     ShardOp
	Params []float32 // the weights the forward pass uses (spectral normalization applied), Params' layout
	Rows   []float32 // the server's particle rows when they changed (nil: unchanged)
	Dphi   []float32 // OpBackward: d loss / d phi at the server's rows
}

// ShardResult is a server's reply; its slices are the server's, valid until its next job.
type ShardResult struct {
	Phi   []float32 // OpForward: phi at the server's rows, in the order of its shards
	Grads []float32 // OpBackward: one partial gradient (len Params) per shard, in order
	V     []float32 // OpVelocity: grad phi at its particle rows
}

// ShardServer is a server's state; the zero value waits for a setup.
type ShardServer struct {
	s      ShardSetup
	net    *Net[float32]
	global []shard // its shards in the batch's rows
	local  []shard // the same shards in its own rows
	np     int     // its particles' shards (the first np)
	py     int     // its particle rows
	rows   int
	batch  []float32
	phi    []float32
	part   gradBuf[float32]
	grads  []float32 // the backward reply's partials
	v      []float32 // the velocity reply's
	res    ShardResult
}

// Do runs a job.
func (sv *ShardServer) Do(job *ShardJob) (*ShardResult, error) {
	if job.Setup != nil {
		if err := sv.setup(job.Setup); err != nil {
			sv.net = nil
			return nil, err
		}
	}
	if job.Op == OpSetup {
		return &ShardResult{}, nil
	}
	if sv.net == nil {
		return nil, errors.New("shard server: a job before the setup")
	}
	if job.Rows != nil {
		if len(job.Rows) != sv.py*sv.net.In {
			return nil, fmt.Errorf("shard server: %d particle values, want %d", len(job.Rows), sv.py*sv.net.In)
		}
		copy(sv.batch, job.Rows)
	}
	if job.Op != OpBackward {
		if len(job.Params) != len(sv.net.Params) {
			return nil, fmt.Errorf("shard server: %d parameters, want %d", len(job.Params), len(sv.net.Params))
		}
		copy(sv.net.Params, job.Params)
		sv.net.Refresh()
	}
	sv.res = ShardResult{}
	switch job.Op {
	case OpForward:
		sv.net.begin(sv.batch, sv.rows)
		for _, s := range sv.local {
			sv.net.forwardRows(s.lo, s.hi, sv.s.Labels, sv.phi)
		}
		sv.res.Phi = sv.phi
	case OpBackward:
		if len(job.Dphi) != sv.rows {
			return nil, fmt.Errorf("shard server: %d dphi, want %d", len(job.Dphi), sv.rows)
		}
		if sv.s.Penalized > 0 {
			sv.net.tangentBuffers()
		}
		size := len(sv.net.Grad)
		grads := grow(&sv.grads, len(sv.local)*size)
		for k, s := range sv.local {
			g := sv.part
			clear(g.flat)
			sv.net.backwardRows(s.lo, s.hi, sv.s.Labels, job.Dphi, g.w, g.b, nil)
			if sv.global[k].hi <= sv.s.Penalized {
				sv.net.penaltyRows(s.lo, s.hi, sv.s.Penalized, sv.s.Labels, g.w, g.b)
			}
			copy(grads[k*size:], g.flat)
		}
		sv.res.Grads = grads
	case OpVelocity:
		v := grow(&sv.v, sv.py*sv.net.In)
		clear(v)
		sv.net.begin(sv.batch, sv.py)
		for _, s := range sv.local[:sv.np] {
			sv.net.forwardRows(s.lo, s.hi, sv.s.Labels, sv.phi)
			sv.net.inputGradRows(s.lo, s.hi, sv.s.Labels, v)
		}
		sv.res.V = v
	default:
		return nil, fmt.Errorf("shard server: unknown job %d", job.Op)
	}
	return &sv.res, nil
}

// grow returns *buf with length n, reallocating it when short: a reply's slices are the
// server's until its next job (ShardResult).
func grow(buf *[]float32, n int) []float32 {
	if cap(*buf) < n {
		*buf = make([]float32, n)
	}
	*buf = (*buf)[:n]
	return *buf
}

// setup builds the server for s.
func (sv *ShardServer) setup(s *ShardSetup) error {
	if err := s.Arch.validate(); err != nil {
		return err
	}
	if len(s.Shards)%2 != 0 {
		return errors.New("shard server: shards must be lo, hi pairs")
	}
	sizes := []int{s.Arch.In}
	for range s.Arch.Depth {
		sizes = append(sizes, s.Arch.Width)
	}
	net := alloc[float32](s.Arch, append(sizes, s.Arch.Heads), 1)
	if net == nil {
		return fmt.Errorf("shard server: network %v too large", sizes)
	}
	if s.Constraint.soft() {
		net.lip = &lipschitz[float32]{kind: s.Constraint, L: s.L, lambda: s.Lambda}
	}
	*sv = ShardServer{s: *s, net: net}
	sv.s.Targets, sv.s.Labels, sv.s.Shards = nil, slices.Clone(s.Labels), nil // the sender's slices
	rows := 0
	for i := 0; i < len(s.Shards); i += 2 {
		lo, hi := int(s.Shards[i]), int(s.Shards[i+1])
		if lo < 0 || hi <= lo || (lo < s.N) != (hi <= s.N) {
			return fmt.Errorf("shard server: bad shard %d..%d", lo, hi)
		}
		g := shard{lo, hi}
		if lo < s.N {
			if sv.np != len(sv.global) {
				return errors.New("shard server: particles' shards must come first")
			}
			sv.np++
			sv.py += g.rows()
		}
		sv.global = append(sv.global, g)
		sv.local = append(sv.local, shard{rows, rows + g.rows()})
		rows += g.rows()
	}
	in := s.Arch.In
	if len(s.Targets) != (rows-sv.py)*in {
		return fmt.Errorf("shard server: %d target values, want %d", len(s.Targets), (rows-sv.py)*in)
	}
	if s.Labels != nil && len(s.Labels) != rows {
		return fmt.Errorf("shard server: %d labels, want %d", len(s.Labels), rows)
	}
	for _, c := range sv.s.Labels {
		if c < 0 || int(c) >= s.Arch.Heads {
			return fmt.Errorf("shard server: label %d, want 0..%d", c, s.Arch.Heads-1)
		}
	}
	sv.rows = rows
	sv.batch = make([]float32, rows*in)
	copy(sv.batch[sv.py*in:], s.Targets)
	sv.phi = make([]float32, rows)
	sv.part = net.newGradBuf()
	net.reserve(max(rows, 1))
	return nil
}
