package e2e

import (
	"archive/tar"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	goruntime "runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// TF.js, pinned: what the step of bench.html is compared with (docs/performance.md). The bench
// fetches the npm packages into the user's cache once; the product never loads them.
const tfjsVersion = "4.22.0"

// tfjsFiles are the files of each package that e2e/testdata/tfjs/step.html loads.
var tfjsFiles = map[string][]string{
	"@tensorflow/tfjs": {"dist/tf.min.js"},
	"@tensorflow/tfjs-backend-wasm": {"dist/tf-backend-wasm.min.js", "dist/tfjs-backend-wasm.wasm",
		"dist/tfjs-backend-wasm-simd.wasm", "dist/tfjs-backend-wasm-threaded-simd.wasm"},
}

var tfjs struct {
	mu  sync.Mutex
	dir string // the fetched files, flat
}

// fetchTFJS returns a folder holding tfjsFiles, packing the packages with npm when the cache does
// not have them yet.
func fetchTFJS(t *testing.T) string {
	t.Helper()
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "lipflow", "tfjs-"+tfjsVersion)
	if _, err := os.Stat(filepath.Join(dir, "complete")); err == nil {
		return dir
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("npm not found: the TF.js comparison needs it to fetch TF.js")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for pkg, files := range tfjsFiles {
		cmd := exec.Command(npm, "pack", "--silent", "--pack-destination", dir, pkg+"@"+tfjsVersion)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("npm pack %s@%s: %v", pkg, tfjsVersion, err)
		}
		tgz := filepath.Join(dir, strings.TrimSpace(string(out)))
		if err := untar(tgz, dir, files); err != nil {
			t.Fatalf("%s: %v", tgz, err)
		}
		os.Remove(tgz)
	}
	if err := os.WriteFile(filepath.Join(dir, "complete"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// untar writes the named files of the npm tarball tgz (paths under package/) into dir, flat.
func untar(tgz, dir string, names []string) error {
	f, err := os.Open(tgz)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	want := map[string]bool{}
	for _, n := range names {
		want["package/"+n] = true
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if !want[h.Name] {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, path.Base(h.Name)), b, 0o644); err != nil {
			return err
		}
		delete(want, h.Name)
	}
	if len(want) > 0 {
		return fmt.Errorf("missing %v", want)
	}
	return nil
}

// serveTFJS serves the comparison page (e2e/testdata/tfjs) and the fetched TF.js files.
func serveTFJS(w http.ResponseWriter, r *http.Request) {
	name := path.Base(r.URL.Path)
	tfjs.mu.Lock()
	dir := tfjs.dir
	tfjs.mu.Unlock()
	for _, d := range []string{"testdata/tfjs", dir} {
		if p := filepath.Join(d, name); d != "" {
			if _, err := os.Stat(p); err == nil {
				http.ServeFile(w, r, p)
				return
			}
		}
	}
	http.NotFound(w, r)
}

// isolated makes h's pages cross-origin isolated (SharedArrayBuffer: TF.js's wasm threads).
func isolated(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cross-Origin-Opener-Policy", "same-origin")
		w.Header().Set("Cross-Origin-Embedder-Policy", "require-corp")
		h.ServeHTTP(w, r)
	})
}

type tfjsResult struct {
	Backend   string  `json:"backend"`
	Version   string  `json:"version"`
	N         int     `json:"n"`
	Threads   int     `json:"threads"`
	Isolated  bool    `json:"isolated"`
	MsPerStep float64 `json:"ms_per_step"`
	Finite    bool    `json:"finite"`
	SIMD      bool    `json:"simd"`
	Multi     bool    `json:"multithread"`
	Error     string  `json:"error"`
}

func runTFJSPage(t *testing.T, p *page, n, steps, threads int) tfjsResult {
	t.Helper()
	url := fmt.Sprintf("%s/_tfjs/step.html?n=%d&steps=%d&threads=%d", site.url, n, steps, threads)
	if err := chromedp.Do(p.ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	var res tfjsResult
	p.eval(`(async () => { for (let i = 0; i < 6000; i++) { const t = document.querySelector('#result').textContent; if (t.trim().startsWith('{')) return JSON.parse(t); await new Promise(r => setTimeout(r, 100)); } throw new Error('no result') })()`, &res)
	if res.Error != "" {
		t.Fatalf("TF.js page, n = %d, threads = %d: %s", n, threads, res.Error)
	}
	if res.Backend != "wasm" || res.Version != tfjsVersion || res.N != n || !res.Finite || !(res.MsPerStep > 0) {
		t.Fatalf("TF.js page, n = %d, threads = %d: %+v", n, threads, res)
	}
	return res
}

// TestBenchTFJS prints, side by side in one run, a step of bench.html on 1, 2 and all workers
// and the same step in TF.js's wasm backend on 1 and all threads, at N = M = 200, 2,000 and
// 10,000, each size's configurations interleaved over rounds (the machine is shared: the ratios
// within a round are what counts), 5 rounds unless LIPFLOW_TFJS_ROUNDS says otherwise. Each
// ratio line ends with the median of the rounds' ratios and the ratio of the two medians. It
// runs with LIPFLOW_BENCH=1 (./build.sh bench).
func TestBenchTFJS(t *testing.T) {
	if os.Getenv("LIPFLOW_BENCH") != "1" {
		t.Skip("set LIPFLOW_BENCH=1 (./build.sh bench)")
	}
	dir := fetchTFJS(t)
	tfjs.mu.Lock()
	tfjs.dir = dir
	tfjs.mu.Unlock()
	p := openPage(t, 800, 600)
	cores := goruntime.NumCPU()
	type config struct {
		name  string
		query string // bench.html's; "" for TF.js
		tfjs  int    // TF.js threads
	}
	configs := []config{
		{"lipflow, 1 worker", "workers=1", 0},
		{"lipflow, 2 workers", "workers=2", 0},
		{"lipflow, all workers", "workers=all", 0},
		{"TF.js wasm, 1 thread", "", 1},
		{"TF.js wasm, threaded", "", cores},
	}
	rounds := 5
	if v, err := strconv.Atoi(os.Getenv("LIPFLOW_TFJS_ROUNDS")); err == nil && v > 0 {
		rounds = v
	}
	// Each round times about a second of steps or more: shorter, a round is one scheduling
	// hiccup of this shared machine.
	for _, c := range []struct{ n, steps int }{{200, 60}, {2000, 20}, {10000, 5}} {
		ms := make([][]float64, len(configs))
		for round := range rounds {
			for i, cf := range configs {
				if cf.query != "" {
					res := runBenchPage(t, p, fmt.Sprintf("%s&n=%d&m=%d&steps=%d&f=kl-dv", cf.query, c.n, c.n, c.steps))
					if res.N != c.n || !(res.MsPerStep > 0) {
						t.Fatalf("bench.html %s n=%d: %+v", cf.query, c.n, res)
					}
					ms[i] = append(ms[i], res.MsPerStep)
				} else {
					res := runTFJSPage(t, p, c.n, c.steps, cf.tfjs)
					if cf.tfjs > 1 && round == 0 {
						// TF.js sizes its pool itself (its threaded build: about half the cores).
						t.Logf("TF.js threaded build: asked for %d threads, runs %d (cross-origin isolated %v, SIMD %v, threads supported %v)", cf.tfjs, res.Threads, res.Isolated, res.SIMD, res.Multi)
					}
					ms[i] = append(ms[i], res.MsPerStep)
				}
			}
		}
		var b strings.Builder
		fmt.Fprintf(&b, "N = M = %d, ms a step (rounds):", c.n)
		for i, cf := range configs {
			fmt.Fprintf(&b, "\n  %-24s %s", cf.name, joinMs(ms[i]))
		}
		tf1 := ms[3]
		for i := range 3 {
			fmt.Fprintf(&b, "\n  TF.js 1 thread / %-10s %s", strings.TrimPrefix(configs[i].name, "lipflow, "), ratios(tf1, ms[i]))
		}
		fmt.Fprintf(&b, "\n  TF.js threaded / all workers %s", ratios(ms[4], ms[2]))
		t.Logf("tfjs %s", b.String())
	}
}

func joinMs(v []float64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprintf("%.1f", x)
	}
	return strings.Join(s, ", ")
}

// ratios returns a[i] / b[i] per round, then their median and the ratio of the medians.
func ratios(a, b []float64) string {
	s := make([]string, len(a))
	r := make([]float64, len(a))
	for i := range a {
		r[i] = a[i] / b[i]
		s[i] = fmt.Sprintf("%.2fx", r[i])
	}
	return fmt.Sprintf("%s (median %.2fx; medians' ratio %.2fx)", strings.Join(s, ", "), median(r), median(a)/median(b))
}
