package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// TestEveryDivergenceConverges: on the gaussian-L1 preset, each f the lab offers reaches, in
// 300 steps, an energy distance within a few times KL-DV's, or stops with a message that says
// why. It also reads the objective's parts from status(): J = E_P phi - E_Q, and nu.
func TestEveryDivergenceConverges(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.open("index.html?play=0")
	type run struct {
		Step               int
		Divergence, Metric float64
		Nu, EP, EQ, Floor  float64
		Error, Warning     string
	}
	do := func(f string) run {
		var r run
		p.eval(fmt.Sprintf(`window.lipflow.configure({preset: 'gaussian-L1', %s, steps: 300}).then(() => window.lipflow.step(300)).then((s) => ({
			step: s.step, divergence: s.divergence, metric: s.metric, nu: s.nu, ep: s.ep, eq: s.eq, floor: s.floor,
			error: s.error || '', warning: s.warning || ''}))`, f), &r)
		return r
	}
	base := do(`f: 'kl-dv'`)
	t.Logf("kl-dv: energy distance %.4g after %d steps (floor %.3g)", base.Metric, base.Step, base.Floor)
	if base.Step != 300 || base.Error != "" || base.Warning != "" || !(base.Metric < 0.2) {
		t.Fatalf("kl-dv on gaussian-L1: %+v", base)
	}
	for _, f := range []string{`f: 'js'`, `f: 'hellinger'`, `f: 'reverse-kl'`, `f: 'chi2'`, `f: 'alpha', alpha: 0.5`, `f: 'kl'`} {
		r := do(f)
		t.Logf("%s: energy distance %.4g (%.1f x kl-dv's), J %.4g = E_P %.4g - E_Q %.4g, nu %.4g; %s%s",
			f, r.Metric, r.Metric/base.Metric, r.Divergence, r.EP, r.EQ, r.Nu, r.Error, r.Warning)
		if d := r.Divergence - (r.EP - r.EQ); d*d > 1e-12 {
			t.Errorf("%s: J = %g but E_P - E_Q = %g", f, r.Divergence, r.EP-r.EQ)
		}
		if r.Error != "" || r.Warning != "" {
			continue // it said why
		}
		if r.Metric > 6*base.Metric {
			t.Errorf("%s: energy distance %.4g after 300 steps, %.1f times kl-dv's %.4g, with no message", f, r.Metric, r.Metric/base.Metric, base.Metric)
		}
	}
	p.noErrors()
}

// TestPageFormIsTheTable: the lab's form, its link and configure() speak the settings table's
// names (www/settings.js, generated from flow.SettingTable, whose names are the runners' flags):
// every setting has its control, its default, its place in a copied link, and a refused value
// names it.
func TestPageFormIsTheTable(t *testing.T) {
	p := openPage(t, 1280, 800)
	p.open("index.html?play=0")
	var missing []string
	p.eval(`window.LIPFLOW_SETTINGS.filter((s) => {
		const el = document.getElementById('s-' + s.name);
		const link = new URL(window.lipflow.link());
		return !el || !link.searchParams.has(s.name);
	}).map((s) => s.name)`, &missing)
	if len(missing) > 0 {
		t.Errorf("settings without a control or a place in the link: %v", missing)
	}
	var refused string
	p.eval(`window.lipflow.configure({n: 0}).then(() => 'accepted', (e) => e.message)`, &refused)
	if !strings.HasPrefix(refused, "n = 0") {
		t.Errorf("configure({n: 0}): %q, want a refusal naming n", refused)
	}
	p.noErrors()
}
