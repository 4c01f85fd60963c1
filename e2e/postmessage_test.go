package e2e

import (
	"os"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBenchPostMessage times postMessage round trips with no Go in them (e2e/testdata/tfjs/
// pingpong.html): page to worker and worker to nested worker, the topology of the engine's
// pool, with a tiny message and with a reply's 358 KB buffer transferred. The pool's profile
// found each of its messages costing its sender about a millisecond here
// (docs/performance.md#the-pools-figures); this says how much of that is the browser's. It runs
// with LIPFLOW_BENCH=1 (./build.sh bench).
func TestBenchPostMessage(t *testing.T) {
	if os.Getenv("LIPFLOW_BENCH") != "1" {
		t.Skip("set LIPFLOW_BENCH=1 (./build.sh bench)")
	}
	p := openPage(t, 800, 600)
	if err := chromedp.Do(p.ctx, chromedp.Navigate(site.url+"/_tfjs/pingpong.html")); err != nil {
		t.Fatal(err)
	}
	var out string
	p.eval(`(async () => { for (let i = 0; i < 600; i++) { const t = document.querySelector('#result').textContent; if (t.startsWith('{')) return t; await new Promise(r => setTimeout(r, 100)); } throw new Error('no result') })()`, &out)
	t.Logf("postMessage round trips (ms; postMs: the sender's call): %s", out)
}
