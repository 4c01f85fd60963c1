package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/tracing"
	"github.com/chromedp/chromedp"
)

// traceEvent is what TestHandoffTrace reads of a Chrome trace event: a complete event ("X")
// with its wall duration and its thread's CPU time (tdur), in µs.
type traceEvent struct {
	Name string  `json:"name"`
	Ph   string  `json:"ph"`
	Pid  int     `json:"pid"`
	Tid  int     `json:"tid"`
	Ts   float64 `json:"ts"`
	Dur  float64 `json:"dur"`
	TDur float64 `json:"tdur"`
	Args struct {
		Name string `json:"name"`
		Data struct {
			FunctionName string `json:"functionName"`
		} `json:"data"`
	} `json:"args"`
}

// TestHandoffTrace records a Chrome trace of the three-way heavy-tail comparison's first seconds
// with every layer on, and prints, for each hand-off of a frame to the full view (the lab's
// requestAnimationFrame callback, which calls the view's Go), its wall time beside the CPU time
// of the page's thread during it. A hand-off whose wall time far exceeds its CPU time waited for
// a core (docs/performance.md#responsiveness). It runs with LIPFLOW_BENCH=1 (./build.sh bench).
func TestHandoffTrace(t *testing.T) {
	if os.Getenv("LIPFLOW_BENCH") != "1" {
		t.Skip("set LIPFLOW_BENCH=1 (./build.sh bench)")
	}
	p := openPage(t, 1280, 800)
	var mu sync.Mutex
	var raw []json.RawMessage
	done := make(chan struct{})
	if err := chromedp.Listen(p.ctx, func(ev any) {
		switch e := ev.(type) {
		case *tracing.EventDataCollected:
			mu.Lock()
			for _, v := range e.Value {
				b, _ := json.Marshal(v)
				raw = append(raw, b)
			}
			mu.Unlock()
		case *tracing.EventTracingComplete:
			close(done)
		}
	}); err != nil {
		t.Fatal(err)
	}
	p.open("index.html?preset=heavy-tails-compare&view=heat,arrows,trails,log,charts&play=0&viewer=full")
	p.eval(`(async () => { const w = document.getElementById('view').contentWindow; for (let i = 0; i < 600 && !w.lipflowView; i++) await new Promise(r => setTimeout(r, 100)); return !!w.lipflowView })()`, nil)
	time.Sleep(2 * time.Second) // the view's own first frames
	if _, err := chromedp.Call(p.ctx, tracing.Start, tracing.StartParams{
		TransferMode: tracing.StartTransferModeReportEvents,
		TraceConfig:  &tracing.TraceConfig{IncludedCategories: []string{"devtools.timeline", "v8.execute", "toplevel"}},
	}); err != nil {
		t.Fatal(err)
	}
	p.eval(`window.lipflow.run(), true`, nil)
	time.Sleep(8 * time.Second)
	p.eval(`window.lipflow.pause(), true`, nil)
	if _, err := chromedp.Call(p.ctx, tracing.End, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	<-done
	mu.Lock()
	defer mu.Unlock()
	var evs []traceEvent
	main := map[[2]int]bool{}
	for _, r := range raw {
		var e traceEvent
		if json.Unmarshal(r, &e) != nil {
			continue
		}
		if e.Ph == "M" && e.Name == "thread_name" && e.Args.Name == "CrRendererMain" {
			main[[2]int{e.Pid, e.Tid}] = true
		}
		evs = append(evs, e)
	}
	var calls []traceEvent
	for _, e := range evs {
		if e.Ph == "X" && e.Name == "FunctionCall" && main[[2]int{e.Pid, e.Tid}] && strings.Contains(e.Args.Data.FunctionName, "onAnimationFrame") {
			calls = append(calls, e)
		}
	}
	if len(calls) < 5 {
		t.Fatalf("only %d hand-offs in the trace", len(calls))
	}
	slices.SortFunc(calls, func(a, b traceEvent) int { return int(a.Ts - b.Ts) })
	var wall, cpu []float64
	var b strings.Builder
	for i, c := range calls {
		wall, cpu = append(wall, c.Dur/1000), append(cpu, c.TDur/1000)
		if c.Dur > 20000 {
			b.WriteString("\n  " + strings.Join([]string{fmt.Sprintf("#%d", i), "at +" + ms((c.Ts-calls[0].Ts)/1000), "wall " + ms(c.Dur/1000), "CPU " + ms(c.TDur/1000)}, ", "))
		}
	}
	t.Logf("handoff: %d hand-offs in 8 s; wall median %s max %s; the page thread's CPU median %s max %s; over 20 ms:%s",
		len(calls), ms(median(wall)), ms(slices.Max(wall)), ms(median(cpu)), ms(slices.Max(cpu)), b.String())
}

func ms(x float64) string { return fmt.Sprintf("%.1f ms", x) }

func median(x []float64) float64 {
	s := slices.Sorted(slices.Values(x))
	return s[len(s)/2]
}
