package flow

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// goRemote runs its ShardServers on goroutines, one each, as the page's pool runs them in Web
// Workers.
type goRemote struct {
	in  []chan *ShardJob
	out []chan goReply
}

type goReply struct {
	r   *ShardResult
	err error
}

func newGoRemote(k int) *goRemote {
	g := &goRemote{}
	for range k {
		in, out := make(chan *ShardJob), make(chan goReply, 1)
		g.in, g.out = append(g.in, in), append(g.out, out)
		go func() {
			var sv ShardServer
			for job := range in {
				r, err := sv.Do(job)
				out <- goReply{r, err}
			}
		}()
	}
	return g
}

func (g *goRemote) close() {
	for _, c := range g.in {
		close(c)
	}
}
func (g *goRemote) Servers() int                        { return len(g.in) }
func (g *goRemote) Send(k int, job *ShardJob)           { g.in[k] <- job }
func (g *goRemote) Receive(k int) (*ShardResult, error) { r := <-g.out[k]; return r.r, r.err }

// lateRemote runs the jobs only when their replies are asked for, all of a round at once in a
// scrambled order; it loses server `lose` at its job `at` (0: never).
type lateRemote struct {
	sv      []ShardServer
	pending []*ShardJob
	res     []*ShardResult
	errs    []error
	rng     *rand.Rand
	jobs    int
	lose    int
	at      int
	vanish  int // Servers is 0 once this many jobs ran (0: never)
}

func newLateRemote(k int, seed uint64) *lateRemote {
	return &lateRemote{sv: make([]ShardServer, k), pending: make([]*ShardJob, k), res: make([]*ShardResult, k), errs: make([]error, k), rng: rand.New(rand.NewPCG(seed, 1))}
}

func (l *lateRemote) Servers() int {
	if l.vanish > 0 && l.jobs >= l.vanish {
		return 0 // the pool is gone: its servers are no more
	}
	return len(l.sv)
}
func (l *lateRemote) Send(k int, job *ShardJob) { l.pending[k] = job }
func (l *lateRemote) Receive(k int) (*ShardResult, error) {
	if l.pending[k] != nil {
		for _, j := range l.rng.Perm(len(l.sv)) {
			job := l.pending[j]
			if job == nil {
				continue
			}
			l.pending[j] = nil
			l.jobs++
			if l.at > 0 && j == l.lose && l.jobs >= l.at {
				l.res[j], l.errs[j] = nil, errors.New("worker died")
				continue
			}
			// Scramble what the server owns between jobs: it must not depend on it.
			l.res[j], l.errs[j] = l.sv[j].Do(job)
		}
	}
	return l.res[k], l.errs[k]
}

// TestRemoteSameBits steps the same flows alone and with 1, 2 and 3 servers (on goroutines, and
// run late in a scrambled order): the particles and the stats must agree to the bit.
func TestRemoteSameBits(t *testing.T) {
	steps := 3
	if testing.Short() {
		steps = 2
	}
	for _, c := range sameBitsCases {
		t.Run(c.name, func(t *testing.T) {
			s := Defaults()
			s.N, s.M, s.Inner = 1900, 2200, 3 // above testMinRows
			c.edit(&s)
			newFlow := func() *Flow { return c.flow(t, s) }
			alone := newFlow()
			if err := alone.Run(steps); err != nil {
				t.Fatal(err)
			}
			for _, k := range []int{1, 2, 3} {
				g := newGoRemote(k)
				late := newLateRemote(k, uint64(k))
				for _, r := range []struct {
					name string
					r    Remote
				}{{"goroutines", g}, {"scrambled", late}} {
					fl := newFlow()
					fl.SetRemote(r.r)
					fl.rm.minRows = testMinRows
					if fl.Sharing() != k+1 {
						t.Fatalf("%d servers: sharing %d, want %d", k, fl.Sharing(), k+1)
					}
					if err := fl.Run(steps); err != nil {
						t.Fatal(err)
					}
					if err := fl.RemoteLost(); err != nil {
						t.Fatalf("%s, %d servers: %v", r.name, k, err)
					}
					sameFlow(t, fmt.Sprintf("%s, %d servers", r.name, k), fl, alone)
				}
				g.close()
				if late.jobs == 0 {
					t.Fatalf("%d servers: no job ran", k)
				}
			}
		})
	}
}

// TestRemoteLost loses a server mid-run: the flow goes on alone, to the same bits, and says so.
func TestRemoteLost(t *testing.T) {
	s := Defaults()
	s.N, s.M, s.Inner, s.Lipschitz, s.Optimizer, s.Integrator = 1900, 2200, 3, "penalty", "adam", "heun"
	alone, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := alone.Run(3); err != nil {
		t.Fatal(err)
	}
	// Jobs 1.. are forward, backward, ... of the first step: lose one at each phase.
	for _, at := range []int{2, 5, 6, 7, 21, 22} {
		late := newLateRemote(2, 9)
		late.lose, late.at = 1, at
		fl, err := New(s)
		if err != nil {
			t.Fatal(err)
		}
		fl.SetRemote(late)
		fl.rm.minRows = testMinRows
		if err := fl.Run(3); err != nil {
			t.Fatal(err)
		}
		if fl.RemoteLost() == nil || fl.Sharing() != 1 {
			t.Fatalf("lost at job %d: RemoteLost %v, sharing %d", at, fl.RemoteLost(), fl.Sharing())
		}
		sameFlow(t, fmt.Sprintf("lost at job %d", at), fl, alone)
	}
}

// TestRemoteVanishes: the servers go away between a forward pass and its gradient (the page's
// pool lost between two phases): the flow does their forward pass itself, to the same bits.
func TestRemoteVanishes(t *testing.T) {
	s := Defaults()
	s.N, s.M, s.Inner, s.Lipschitz, s.Optimizer = 1900, 2200, 3, "penalty", "adam"
	alone, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := alone.Run(2); err != nil {
		t.Fatal(err)
	}
	// With 2 servers and 3 inner steps, a step is 14 jobs: 1-2 the first forward pass, 3-4 its
	// gradient, ..., 13-14 the velocity. Vanish after a forward pass (2), after a gradient (4),
	// before a velocity (12), in the second step (16).
	for _, at := range []int{2, 4, 12, 16} {
		late := newLateRemote(2, 4)
		late.vanish = at
		fl, err := New(s)
		if err != nil {
			t.Fatal(err)
		}
		fl.SetRemote(late)
		fl.rm.minRows = testMinRows
		if err := fl.Run(2); err != nil {
			t.Fatal(err)
		}
		if late.jobs != at {
			t.Fatalf("vanish at %d: %d jobs", at, late.jobs)
		}
		sameFlow(t, fmt.Sprintf("servers gone at job %d", at), fl, alone)
	}
}

// testMinRows is the threshold of the tests' flows: the path is the same at any size.
const testMinRows = 4000

// TestRemoteSmallAlone: a batch below RemoteMinRows computes alone.
func TestRemoteSmallAlone(t *testing.T) {
	s := Defaults()
	s.N, s.M = RemoteMinRows/4, RemoteMinRows/4
	fl, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	late := newLateRemote(2, 1)
	fl.SetRemote(late)
	if err := fl.Run(1); err != nil {
		t.Fatal(err)
	}
	if late.jobs != 0 || fl.Sharing() != 1 {
		t.Fatalf("%d jobs, sharing %d: want the flow alone", late.jobs, fl.Sharing())
	}
}

func sameFlow(t *testing.T, what string, fl, want *Flow) {
	t.Helper()
	for i, v := range fl.Particles() {
		if math.Float64bits(v) != math.Float64bits(want.Particles()[i]) {
			t.Fatalf("%s: particle coordinate %d = %v, want %v (alone)", what, i, v, want.Particles()[i])
		}
	}
	if st, ws := fl.Stats(), want.Stats(); fmt.Sprint(st) != fmt.Sprint(ws) {
		t.Fatalf("%s: stats %+v, want %+v (alone)", what, st, ws)
	}
}
