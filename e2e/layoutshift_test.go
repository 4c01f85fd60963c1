package e2e

import (
	"strings"
	"testing"
)

// clsJS sums the page's layout shifts (not those right after an input, as the Cumulative
// Layout Shift does) over the first ms milliseconds, with what moved each time.
const clsJS = `(async (ms) => {
  const shifts = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) shifts.push(e); }).observe({ type: 'layout-shift', buffered: true });
  await new Promise((r) => setTimeout(r, Math.max(0, ms - performance.now())));
  const name = (n) => !n ? '?' : n.id ? '#' + n.id : n.className && typeof n.className === 'string' ? n.nodeName.toLowerCase() + '.' + n.className.split(' ')[0] : n.nodeName.toLowerCase();
  return { total: shifts.reduce((s, e) => s + e.value, 0), messages: (document.getElementById('messages') || document.getElementById('message') || {}).textContent || '',
    shifts: shifts.map((e) => e.value.toFixed(3) + ' at ' + Math.round(e.startTime) + ' ms: ' + e.sources.map((s) => name(s.node)).join(' ')) };
})`

// TestLayoutShift loads the lab, the digits page and the merge page on a desktop window and
// on a phone and sums their layout shifts over 8 s of a run: under 0.1, what Lighthouse and Core
// Web Vitals call good. What builds a page after its first paint (the settings, the reduced
// view's notice, a run's warning, a table's figures) must not push what is shown already.
func TestLayoutShift(t *testing.T) {
	windows := []struct {
		name string
		open func(t *testing.T) *page
	}{
		{"desktop 1350x940", func(t *testing.T) *page { return openPage(t, 1350, 940) }},
		{"phone 390x844", func(t *testing.T) *page { return openPhone(t, 390, 844) }},
	}
	for _, path := range []string{"index.html?preset=heavy-tails-compare", "digits.html", "merge.html"} {
		for _, w := range windows {
			t.Run(strings.SplitN(path, ".", 2)[0]+" "+w.name, func(t *testing.T) {
				p := w.open(t)
				p.openPath(path)
				var cls struct {
					Total    float64  `json:"total"`
					Shifts   []string `json:"shifts"`
					Messages string   `json:"messages"`
				}
				p.eval(clsJS+`(8000)`, &cls)
				t.Logf("layout shift %.3f over 8 s: %s; the messages then: %q", cls.Total, strings.Join(cls.Shifts, "; "), cls.Messages)
				if cls.Total >= 0.1 {
					t.Errorf("cumulative layout shift %.3f, want below 0.1: %s", cls.Total, strings.Join(cls.Shifts, "; "))
				}
			})
		}
	}
}
