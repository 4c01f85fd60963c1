package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/chromedp/chromedp"
)

type benchResult struct {
	Method    string  `json:"method"`
	N         int     `json:"n"`
	M         int     `json:"m"`
	Steps     int     `json:"steps"`
	MsPerStep float64 `json:"ms_per_step"`
	Workers   int     `json:"workers"`
	PoolLost  string  `json:"pool_lost"`
	PoolWait  float64 `json:"pool_wait_ms"`
	PoolServe float64 `json:"pool_serve_ms"`
	PoolTrips int     `json:"pool_trips"`
	Error     string  `json:"error"`
}

// runBenchPage opens bench.html with the query and returns the JSON it writes into #result.
func runBenchPage(t *testing.T, p *page, query string) benchResult {
	t.Helper()
	if err := chromedp.Do(p.ctx, chromedp.Navigate(site.url+"/bench.html?"+query)); err != nil {
		t.Fatal(err)
	}
	var res benchResult
	p.eval(`(async () => { for (let i = 0; i < 6000; i++) { const t = document.querySelector('#result').textContent; if (t.trim().startsWith('{')) return JSON.parse(t); await new Promise(r => setTimeout(r, 100)); } throw new Error('no result') })()`, &res)
	return res
}

// TestBenchSizes measures one particle step in the browser at the sizes of docs/performance.md#speed
// (the figures of the README), on 1, 2 and all threads, and on 2 threads with the pool forced
// below its threshold (bench.html's minrows; flow.RemoteMinRows): where the pool starts to pay.
// It runs with LIPFLOW_BENCH=1 (./build.sh bench).
func TestBenchSizes(t *testing.T) {
	if os.Getenv("LIPFLOW_BENCH") != "1" {
		t.Skip("set LIPFLOW_BENCH=1 (./build.sh bench)")
	}
	p := openPage(t, 800, 600)
	// The configurations interleaved at each size: the machine is shared, so each one's figure
	// is taken beside the others'.
	for _, c := range []struct{ n, steps int }{{200, 50}, {1000, 20}, {2000, 10}, {5000, 6}, {10000, 4}} {
		for _, cf := range []struct{ workers, extra string }{{"1", ""}, {"2", ""}, {"all", ""}, {"2", "&minrows=1"}} {
			res := runBenchPage(t, p, fmt.Sprintf("n=%d&m=%d&steps=%d&workers=%s%s", c.n, c.n, c.steps, cf.workers, cf.extra))
			out, _ := json.Marshal(res)
			t.Logf("bench.html workers=%s%s %s", cf.workers, cf.extra, out)
			if res.N != c.n || !(res.MsPerStep > 0) || res.PoolLost != "" || cf.workers != "all" && fmt.Sprint(res.Workers) != cf.workers {
				t.Errorf("n=%d workers=%s%s: %+v", c.n, cf.workers, cf.extra, res)
			}
			if cf.extra != "" && res.Workers > 1 && res.PoolTrips == 0 {
				t.Errorf("n=%d workers=%s%s: the pool was not used: %+v", c.n, cf.workers, cf.extra, res)
			}
		}
	}
}

// TestBenchMethods times a step of GPA and of each of its peers in the browser at N = M = 200 and
// 1,000 (docs/peers.md). It runs with LIPFLOW_BENCH=1 (./build.sh bench).
func TestBenchMethods(t *testing.T) {
	if os.Getenv("LIPFLOW_BENCH") != "1" {
		t.Skip("set LIPFLOW_BENCH=1 (./build.sh bench)")
	}
	p := openPage(t, 800, 600)
	for _, method := range []string{"gpa", "svgd", "mmd", "langevin", "sinkhorn"} {
		for _, n := range []int{200, 1000} {
			res := runBenchPage(t, p, fmt.Sprintf("method=%s&n=%d&m=%d&steps=5", method, n, n))
			t.Logf("bench.html method=%s n=%d: %.2f ms a step", res.Method, res.N, res.MsPerStep)
			if res.Method != method || res.N != n || !(res.MsPerStep > 0) {
				t.Errorf("method=%s n=%d: %+v", method, n, res)
			}
		}
	}
}
