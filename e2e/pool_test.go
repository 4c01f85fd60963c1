package e2e

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"lipflow/flow"
)

// TestPoolSameBits: the lab's three-run comparison, stepped with 1, 2 and 3 threads (the engine
// and 0, 1 or 2 Web Workers of its pool), gives the same particles to the bit, and they are the
// native flow's for the same settings. N = M = 10,000 is at flow.RemoteMinRows, so the pool
// computes: forty shards of particles and forty of targets.
func TestPoolSameBits(t *testing.T) {
	const steps = 2
	p := openPage(t, 1280, 800)
	// An out-of-range workers value is refused with a message; the page runs with the default.
	p.open("index.html?play=0&workers=99")
	var refused struct {
		Message string
		Threads int
		Err     string
	}
	p.eval(`(async () => {
		const threads = (await window.lipflow.step(1)).pool.threads;
		const err = await window.lipflow.workers(0.5).then(() => '', (e) => e.message);
		return {message: document.getElementById('messages').textContent, threads, err};
	})()`, &refused)
	if !strings.Contains(refused.Message, `workers = "99"`) || refused.Threads < 1 || !strings.Contains(refused.Err, "workers") {
		t.Fatalf("workers=99 in the URL, then workers(0.5): messages %q, %d threads, error %q", refused.Message, refused.Threads, refused.Err)
	}
	type result struct {
		Threads   int
		Trips     int
		Settings  map[string]any
		Particles [][]float64
		Step      int
		Message   string
		EngineMB  float64
		WorkersMB float64
	}
	var want result
	for _, threads := range []int{1, 2, 3} {
		var r result
		p.eval(fmt.Sprintf(`(async () => {
			const threads = await window.lipflow.workers(%d);
			await window.lipflow.configure({preset: 'heavy-tails-compare', n: 10000, m: 10000});
			const before = window.lipflow.status().pool.trips;
			const s = await window.lipflow.step(%d);
			const d = await window.lipflow.data();
			return {threads, trips: s.pool.trips - before, engineMB: s.pool.engineMB, workersMB: s.pool.workersMB, settings: window.lipflow.settings(), particles: d.particles.map((x) => Array.from(x)), step: d.step,
				message: document.getElementById('messages').textContent};
		})()`, threads, steps), &r)
		if r.Threads != threads || r.Step != steps || len(r.Particles) != 3 {
			t.Fatalf("%d threads: %d threads in use, step %d, %d runs; messages %q", threads, r.Threads, r.Step, len(r.Particles), r.Message)
		}
		// Three runs, each step 5 inner steps of two round trips and a velocity's.
		if wantTrips := (threads - 1) * 3 * steps * 11; r.Trips != wantTrips {
			t.Fatalf("%d threads: %d round trips with the pool, want %d", threads, r.Trips, wantTrips)
		}
		// The Go memory of the engine and of the workers (status().pool, which the soak watches):
		// the engine's a few tens of MB at least, the workers' there when they computed.
		if r.EngineMB < 8 || (threads > 1) != (r.WorkersMB >= 8) {
			t.Errorf("%d threads: Go memory %.1f MB in the engine, %.1f MB in the pool's workers", threads, r.EngineMB, r.WorkersMB)
		}
		t.Logf("%d threads: Go memory %.0f MB in the engine, %.0f MB in the pool's workers", threads, r.EngineMB, r.WorkersMB)
		if threads == 1 {
			want = r
			continue
		}
		for run := range r.Particles {
			for i, v := range r.Particles[run] {
				if math.Float64bits(v) != math.Float64bits(want.Particles[run][i]) {
					t.Fatalf("%d threads: run %d coordinate %d = %v, want %v (1 thread)", threads, run+1, i, v, want.Particles[run][i])
				}
			}
		}
	}
	// A pool worker that stops mid-run: the runs go on alone to the same particles, and the page
	// says so.
	var lost result
	p.eval(fmt.Sprintf(`(async () => {
		const threads = await window.lipflow.workers(2);
		await window.lipflow.configure({preset: 'heavy-tails-compare', n: 10000, m: 10000});
		await window.lipflow.step(1);
		window.lipflow.killPoolWorker(0);
		await window.lipflow.step(%d);
		const d = await window.lipflow.data();
		return {threads, particles: d.particles.map((x) => Array.from(x)), step: d.step,
			message: document.getElementById('messages').textContent};
	})()`, steps-1), &lost)
	if lost.Step != steps || !strings.Contains(lost.Message, "stopped") {
		t.Fatalf("a pool worker stopped: step %d, messages %q", lost.Step, lost.Message)
	}
	for run := range lost.Particles {
		for i, v := range lost.Particles[run] {
			if math.Float64bits(v) != math.Float64bits(want.Particles[run][i]) {
				t.Fatalf("after a pool worker stopped: run %d coordinate %d = %v, want %v", run+1, i, v, want.Particles[run][i])
			}
		}
	}
	t.Logf("a pool worker stopped: %s", lost.Message)

	// The native runner's flows for the same settings.
	runs, _ := want.Settings["runs"].([]any)
	for run := range want.Particles {
		s := flow.Defaults()
		set := func(o map[string]any) {
			for k, v := range o {
				if k == "runs" {
					continue
				}
				text := fmt.Sprint(v)
				if f, ok := v.(float64); ok {
					text = strconv.FormatFloat(f, 'g', -1, 64)
				}
				if err := s.Set(k, text); err != nil {
					t.Fatalf("run %d: %v", run+1, err)
				}
			}
		}
		set(want.Settings)
		if run > 0 {
			set(runs[run-1].(map[string]any))
		}
		fl, err := flow.NewParticleFlow(s)
		if err != nil {
			t.Fatal(err)
		}
		for range steps {
			if err := fl.Step(); err != nil {
				t.Fatal(err)
			}
		}
		for i, v := range fl.Particles() {
			if math.Float64bits(v) != math.Float64bits(want.Particles[run][i]) {
				t.Fatalf("run %d: coordinate %d = %v in the page, %v natively", run+1, i, want.Particles[run][i], v)
			}
		}
	}
	p.noErrors()
}
