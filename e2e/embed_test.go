package e2e

import (
	"testing"
	"time"
)

func init() {
	// A course page with two lab embeds, the second far below the first.
	testPages["two-embeds.html"] = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head>
<body style="margin:0">
<iframe id="a" src="/index.html?preset=four-wells-L1&steps=100000" width="1000" height="600"></iframe>
<div style="height:4000px"></div>
<iframe id="b" src="/index.html?preset=gaussian-L10&steps=100000" width="1000" height="600"></iframe>
</body></html>`
}

type embedStatus struct {
	Step    int  `json:"step"`
	Running bool `json:"running"`
	Held    bool `json:"held"`
}

// Two embeds on one page run side by side; the one scrolled out of view holds (no steps) and
// resumes when scrolled into view.
func TestEmbedOutOfViewHolds(t *testing.T) {
	p := openPage(t, 1100, 700)
	p.openPath("_test/two-embeds.html")
	waitEmbeds := `(async () => { for (const id of ['a', 'b']) { const w = document.getElementById(id).contentWindow; for (let i = 0; i < 600 && !(w.lipflow); i++) await new Promise(r => setTimeout(r, 50)); await w.lipflow.ready; } return true })()`
	p.eval(waitEmbeds, nil)
	st := func(id string) embedStatus {
		var s embedStatus
		p.eval(`document.getElementById('`+id+`').contentWindow.lipflow.status()`, &s)
		return s
	}
	p.eval(`['a','b'].forEach(id => document.getElementById(id).contentWindow.lipflow.run()), true`, nil)
	time.Sleep(2 * time.Second)
	a0, b0 := st("a"), st("b")
	time.Sleep(2 * time.Second)
	a1, b1 := st("a"), st("b")
	t.Logf("in view: steps %d -> %d; out of view: steps %d -> %d, held %v", a0.Step, a1.Step, b0.Step, b1.Step, b1.Held)
	if a1.Step <= a0.Step || !a1.Running {
		t.Errorf("the embed in view should run: steps %d -> %d", a0.Step, a1.Step)
	}
	if !b1.Held || b1.Step != b0.Step {
		t.Errorf("the embed out of view should hold: held %v, steps %d -> %d", b1.Held, b0.Step, b1.Step)
	}
	p.eval(`document.getElementById('b').scrollIntoView(), true`, nil)
	time.Sleep(2500 * time.Millisecond)
	a2, b2 := st("a"), st("b")
	t.Logf("after scrolling: first embed steps %d -> %d (held %v); second %d -> %d (held %v)", a1.Step, a2.Step, a2.Held, b1.Step, b2.Step, b2.Held)
	if b2.Held || b2.Step <= b1.Step {
		t.Errorf("scrolled into view, the second embed should resume: held %v, steps %d -> %d", b2.Held, b1.Step, b2.Step)
	}
	if !a2.Held {
		t.Errorf("scrolled out of view, the first embed should hold")
	}
	p.noErrors()
}
