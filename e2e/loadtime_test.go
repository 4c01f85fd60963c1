package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func init() {
	// A course page with three embeds of the lab, all in view, as docs/embedding.md writes them.
	var b strings.Builder
	b.WriteString(`<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>three embeds</title></head><body style="margin:0">`)
	for i, preset := range []string{"four-wells-L1", "moons", "gaussian-L10"} {
		fmt.Fprintf(&b, `<iframe id="e%d" src="/index.html?embed=1&controls=L,f&autoplay=1&preset=%s" width="420" height="380" style="border:0" title="lipflow embed %d"></iframe>`, i, preset, i)
	}
	b.WriteString(`</body></html>`)
	testPages["three-embeds.html"] = b.String()
}

// loadMoments are the marks of docs/performance.md#loading, in the order they are printed.
var loadMoments = []string{
	"html", "dom-loaded", "engine-worker", "engine-response", "engine-compiled", "engine-instantiated", "engine-ready",
	"first-particles", "first-drawn", "data-loaded", "interactive",
	"view-script", "view-gate", "view-webgl", "view-compiled", "view-instantiated", "view-ready", "view-reduced",
}

// loadTimeline opens target in a fresh browser (a cold cache: a new profile) and returns, for
// each window it names (the page, or its embeds), the ms from the navigation's start to each
// lipflow:* mark, waiting until every window has its final marks (done; "a|b": either) or 3
// minutes have passed (three embeds on a machine loaded by other work took over a minute).
func loadTimeline(t *testing.T, target string, frames []string, done []string) []map[string]float64 {
	t.Helper()
	p := openPage(t, 1280, 800)
	if err := chromedp.Do(p.ctx, chromedp.Navigate(target)); err != nil {
		t.Fatal(err)
	}
	// A window's marks on the top page's clock: an embed's origin is later than the page's.
	read := `((w) => { try { const off = w.performance.timeOrigin - performance.timeOrigin;
		const o = Object.fromEntries(w.performance.getEntriesByType('mark').filter(m => m.name.startsWith('lipflow:')).map(m => [m.name.slice(8), m.startTime + off]));
		const nav = w.performance.getEntriesByType('navigation')[0];
		if (nav && nav.responseEnd > 0) o.html = nav.responseEnd + off;
		if (nav && nav.domContentLoadedEventEnd > 0) o['dom-loaded'] = nav.domContentLoadedEventEnd + off;
		return o } catch (e) { return {} } })`
	win := func(f string) string {
		if f == "" {
			return "window"
		}
		return `document.getElementById('` + f + `').contentWindow`
	}
	var out []map[string]float64
	for start := time.Now(); ; time.Sleep(100 * time.Millisecond) {
		out = out[:0]
		complete := true
		for _, f := range frames {
			var m map[string]float64
			p.eval(read+`(`+win(f)+`)`, &m)
			out = append(out, m)
			for _, d := range done {
				if !slices.ContainsFunc(strings.Split(d, "|"), func(k string) bool { _, ok := m[k]; return ok }) {
					complete = false
				}
			}
		}
		if complete {
			break
		}
		if time.Since(start) > 3*time.Minute {
			t.Errorf("%s: after 3 minutes some of %v are missing: %v", target, done, out)
			break
		}
	}
	if strings.HasPrefix(target, "file:") {
		singleFileOnly(t, p, target)
	} else {
		p.noErrors()
	}
	// The next load must not share the machine with this page's running view.
	p.close()
	return out
}

// TestLoadTime prints the loading timeline of the lab, the single file, the digits page, the
// merge page and a
// course page with three embeds: ms from the navigation to the first particles drawn, the
// engine ready, the page interactive and its view settled, each in a fresh browser profile
// (cold cache), served from 127.0.0.1 (the single file from disk). The view settled is
// view-ready where the full view starts, view-reduced where viewer=auto declines it (no GPU,
// as here); the lab is timed with viewer=full too. Medians of LIPFLOW_LOADTIME_RUNS
// (default 3) loads. A benchmark, not a test of speed: it fails only when a page does not load.
// It runs with LIPFLOW_BENCH=1 (./build.sh bench).
func TestLoadTime(t *testing.T) {
	if os.Getenv("LIPFLOW_BENCH") != "1" {
		t.Skip("set LIPFLOW_BENCH=1 (./build.sh bench)")
	}
	serveSite(t)
	runs := 3
	if n, err := strconv.Atoi(os.Getenv("LIPFLOW_LOADTIME_RUNS")); err == nil && n > 0 {
		runs = n
	}
	lab := []string{"first-particles", "engine-ready", "view-ready|view-reduced", "interactive"}
	full := []string{"first-particles", "engine-ready", "view-ready", "interactive"}
	type pageCase struct {
		name   string
		target func() string
		frames []string
		done   []string
	}
	cases := []pageCase{
		{"lab (index.html)", func() string { return site.url + "/index.html" }, []string{""}, lab},
		{"lab, viewer=full (index.html?viewer=full)", func() string { return site.url + "/index.html?viewer=full" }, []string{""}, full},
		{"single file (lipflow.html)", func() string { return "file://" + filepath.ToSlash(singleFile(t)) }, []string{""}, lab},
		{"digits (digits.html)", func() string { return site.url + "/digits.html" }, []string{""}, []string{"engine-ready", "data-loaded", "first-drawn", "interactive"}},
		{"merge (merge.html)", func() string { return site.url + "/merge.html" }, []string{""}, []string{"engine-ready", "data-loaded", "first-drawn", "interactive"}},
		{"three embeds", func() string { return site.url + "/_test/three-embeds.html" }, []string{"e0", "e1", "e2"}, lab},
	}
	if only := os.Getenv("LIPFLOW_LOADTIME_PAGES"); only != "" {
		cases = slices.DeleteFunc(cases, func(c pageCase) bool { return !strings.Contains(c.name, only) })
	}
	for _, c := range cases {
		// samples[moment] = the moment's time in each load (for embeds: the last embed's).
		samples := map[string][]float64{}
		target := c.target()
		for range runs {
			tl := loadTimeline(t, target, c.frames, c.done)
			for _, k := range loadMoments {
				worst, seen := 0.0, 0
				for _, m := range tl {
					if v, ok := m[k]; ok {
						worst = max(worst, v)
						seen++
					}
				}
				if seen == len(tl) {
					samples[k] = append(samples[k], worst)
				}
			}
		}
		var line []string
		for _, k := range loadMoments {
			if len(samples[k]) > 0 {
				line = append(line, fmt.Sprintf("%s %s", k, msRange(samples[k])))
			}
		}
		t.Logf("load %s, ms from navigation, median [min-max] of %d: %s", c.name, runs, strings.Join(line, ", "))
	}
}

// msRange formats samples as "median [min-max]".
func msRange(v []float64) string {
	s := slices.Clone(v)
	slices.Sort(s)
	med := s[len(s)/2]
	if len(s)%2 == 0 {
		med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return fmt.Sprintf("%.0f [%.0f-%.0f]", med, s[0], s[len(s)-1])
}
