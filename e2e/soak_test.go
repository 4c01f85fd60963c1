package e2e

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	goruntime "runtime"

	"github.com/chromedp/chromedp"
)

// TestSoak runs the three-way heavy-tail comparison with every layer of the view on, at
// N = M = 10,000 on every worker (the pool in use: flow.RemoteMinRows), for
// LIPFLOW_SOAK_MINUTES (default 60), and samples each minute the browser's memory (the PSS of Chromium's processes: the page, the
// workers' renderer, the GPU process), the page's JS heap, the view's Go heap and the steps
// done. It then checks what a long lecture needs: the memory flat within 10% after the first
// minutes, no error, no worker lost, the step rate steady. A benchmark, not in CI:
// LIPFLOW_SOAK=1 LIPFLOW_E2E=1 go test -run TestSoak -timeout 2h -v ./e2e/.
func TestSoak(t *testing.T) {
	if os.Getenv("LIPFLOW_SOAK") != "1" {
		t.Skip("set LIPFLOW_SOAK=1 (a benchmark of an hour)")
	}
	minutes := 60
	if v := os.Getenv("LIPFLOW_SOAK_MINUTES"); v != "" {
		m, err := strconv.Atoi(v)
		if err != nil || m < 3 {
			t.Fatalf("LIPFLOW_SOAK_MINUTES = %q: want 3 or more", v)
		}
		minutes = m
	}
	pageTimeout = time.Duration(minutes+10) * time.Minute
	defer func() { pageTimeout = 8 * time.Minute }()
	p := openPage(t, 1280, 800)
	p.open("index.html?preset=heavy-tails-compare&view=heat,arrows,trails,log,charts&n=10000&m=10000&steps=0&workers=all&play=0&viewer=full")
	p.eval(`(async () => { const w = document.getElementById('view').contentWindow; for (let i = 0; i < 600 && !w.lipflowView; i++) await new Promise(r => setTimeout(r, 100)); return !!w.lipflowView })()`, nil)
	p.eval(`window.lipflow.run(), true`, nil)
	browser := chromedp.FromContext(p.ctx).Browser.Process()
	if browser == nil {
		t.Fatal("no browser process")
	}

	type sample struct {
		min               int
		step              int
		pssMB, jsMB, goMB float64
		threads           int
		trips             float64
	}
	var samples []sample
	start := time.Now()
	for m := 1; m <= minutes; m++ {
		time.Sleep(time.Until(start.Add(time.Duration(m) * time.Minute)))
		var s struct {
			Step  int    `json:"step"`
			Error string `json:"error"`
			Pool  struct {
				Threads     int     `json:"threads"`
				Trips       float64 `json:"trips"`
				EngineMB    float64 `json:"engineMB"`
				WorkersMB   float64 `json:"workersMB"`
				EngineRefs  int     `json:"engineRefs"`
				WorkersRefs int     `json:"workersRefs"`
				EngineGCs   int     `json:"engineGCs"`
				WorkersGCs  int     `json:"workersGCs"`
			} `json:"pool"`
			JS    float64 `json:"js"`
			Go    float64 `json:"go"`
			GoSys float64 `json:"goSys"`
		}
		p.eval(`(() => { const s = window.lipflow.status(); const v = document.getElementById('view').contentWindow.lipflowView;
			return { step: s.step, error: s.error || '', pool: s.pool || null, js: performance.memory ? performance.memory.usedJSHeapSize / 1048576 : 0,
				go: v && v.debug ? v.debug().heapMB : 0, goSys: v && v.debug ? v.debug().sysMB : 0 } })()`, &s)
		if s.Error != "" {
			t.Fatalf("minute %d: the run stopped: %s", m, s.Error)
		}
		pss, parts, err := treePSS(browser.Pid)
		if err != nil {
			t.Fatal(err)
		}
		samples = append(samples, sample{m, s.Step, pss, s.JS, s.Go, s.Pool.Threads, s.Pool.Trips})
		t.Logf("soak minute %d: step %d, browser PSS %.0f MB (%s), page JS heap %.1f MB, view Go heap %.1f MB, Go memory: view %.0f MB, engine %.0f MB, pool workers %.0f MB; JS values held by Go: engine %d, pool workers %d; Go's collections: engine %d, pool workers %d; pool: %d threads, %.0f round trips (%s)",
			m, s.Step, pss, parts, s.JS, s.Go, s.GoSys, s.Pool.EngineMB, s.Pool.WorkersMB, s.Pool.EngineRefs, s.Pool.WorkersRefs, s.Pool.EngineGCs, s.Pool.WorkersGCs, s.Pool.Threads, s.Pool.Trips, loadavg())
		// No worker lost: the pool keeps every thread (a lost worker leaves the engine alone)
		// and goes on computing.
		if want := min(goruntime.NumCPU(), 8); s.Pool.Threads != want {
			t.Errorf("minute %d: the pool computes on %d threads, want %d (workers=all)", m, s.Pool.Threads, want)
		}
		if m > 1 && s.Pool.Trips <= samples[len(samples)-2].trips {
			t.Errorf("minute %d: no round trip to the pool since the minute before", m)
		}
	}
	p.noErrors()

	// Memory: the median of the last quarter of the samples within 10% of the median of the
	// quarter after the first 3 minutes (caches and buffers filling); single samples swing with
	// the collectors of V8 and Go.
	q := max(1, (minutes-3)/4)
	early := medianOf(samples[2:2+q], func(s sample) float64 { return s.pssMB })
	late := medianOf(samples[len(samples)-q:], func(s sample) float64 { return s.pssMB })
	if late > 1.1*early || late < 0.9*early {
		t.Errorf("the browser's memory went from %.0f MB (median of minutes 3-%d) to %.0f MB (the last %d minutes): over 10%%", early, 2+q, late, q)
	}
	// Step rate: steps per minute, each within a factor of 2 of the median (a shared machine).
	var rates []float64
	for i := 1; i < len(samples); i++ {
		rates = append(rates, float64(samples[i].step-samples[i-1].step))
	}
	med := slices.Sorted(slices.Values(rates))[len(rates)/2]
	for i, r := range rates {
		if r < med/2 {
			t.Errorf("minute %d: %.0f steps against a median of %.0f a minute", i+2, r, med)
		}
	}
	t.Logf("soak: %d minutes, steps a minute: median %.0f, min %.0f, max %.0f; browser PSS (medians) %.0f MB early, %.0f MB late",
		minutes, med, slices.Min(rates), slices.Max(rates), early, late)
}

func medianOf[S any](s []S, f func(S) float64) float64 {
	v := make([]float64, len(s))
	for i, x := range s {
		v[i] = f(x)
	}
	slices.Sort(v)
	return v[len(v)/2]
}

// treePSS returns the proportional set size of pid and its descendants, in MB (Linux), and
// each process's, as "kind pid: MB" (kind: Chromium's --type, browser for the first), so that
// a change of the total can be traced to one process.
func treePSS(pid int) (float64, string, error) {
	children := map[int][]int{}
	dirs, err := filepath.Glob("/proc/[0-9]*/stat")
	if err != nil {
		return 0, "", err
	}
	for _, d := range dirs {
		b, err := os.ReadFile(d)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so read after the last ')'.
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		me, _ := strconv.Atoi(strings.Fields(s)[0])
		if len(f) > 1 {
			pp, _ := strconv.Atoi(f[1])
			children[pp] = append(children[pp], me)
		}
	}
	var total float64
	var parts []string
	stack := []int{pid}
	for len(stack) > 0 {
		q := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		stack = append(stack, children[q]...)
		f, err := os.Open(fmt.Sprintf("/proc/%d/smaps_rollup", q))
		if err != nil {
			continue // gone meanwhile
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if kb, ok := strings.CutPrefix(sc.Text(), "Pss:"); ok {
				v, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(kb), " kB"), 64)
				total += v / 1024
				if v >= 10*1024 {
					parts = append(parts, fmt.Sprintf("%s %d: %.0f", procKind(q), q, v/1024))
				}
			}
		}
		f.Close()
	}
	slices.Sort(parts)
	return total, strings.Join(parts, ", "), nil
}

// procKind is a Chromium process's --type (renderer, gpu-process, utility, ...), "browser"
// without one.
func procKind(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return "?"
	}
	// A child rewrites its command line as one string: the flags are split at spaces too.
	for _, a := range strings.FieldsFunc(string(b), func(r rune) bool { return r == 0 || r == ' ' }) {
		if k, ok := strings.CutPrefix(a, "--type="); ok {
			return k
		}
	}
	return "browser"
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "load ?"
	}
	return "load " + strings.Join(strings.Fields(string(b))[:3], " ")
}
