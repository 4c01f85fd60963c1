package flow

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Health watches a run for the ways GPA fails without producing a NaN, so that a page or a
// runner can say so instead of showing a run that quietly went wrong:
//
//   - stalled: over the last StallWindow steps the particles moved (mean dt |grad phi|, summed)
//     less than StallFraction of the way still to go (the distance between the particles' and
//     the targets' coordinate-wise medians, plus the targets' spread), while the run's metric
//     is still above StallFloor times its floor (the metric of the targets themselves). phi has
//     gone flat where the particles are: dead units, a saturated activation, an optimizer that
//     overshot, or a bounded divergence (js, hellinger) whose optimal phi is flat on P when P
//     and Q are far apart and L is large. Particles speeding up are not stalled: when the last
//     StallRecent steps moved StallSpeedup times as far as the slowest StallRecent steps of the
//     window, rising step after step, the run is in a slow start (the heavy-tail comparison's
//     alpha = 2 run, whose speed grows sevenfold over its steps 80-170 after a trough), and a
//     stall warning lifts.
//   - flown off: the particles' median is FlownOff times farther from the targets' than it was
//     at the start (plus the targets' spread): the flow is unbounded (L = inf, or dt too large).
//   - negative estimate: for NegativeWindow steps in a row the divergence estimate J was below
//     -NegativeTol (1 + |E_P phi|). Any constant phi gives J = 0, so J far below 0 means phi
//     is worse than no discriminator at all: it is not being trained.
//
// nu cannot run away: it is solved for at every inner step (SolveNu).
type Health struct {
	r      ParticleFlow
	fl     *Flow     // r when it is GPA's; nil for a peer, whose objective is not J
	scale  float64   // the targets' spread: the RMS over coordinates of the median absolute deviation
	median []float64 // the targets' coordinate-wise median
	dist0  float64   // the particles' distance to the targets at the start (see away)
	moved  []float64 // dt * speed of the recent steps (the last StallWindow)
	negRun int       // consecutive steps with J far below 0
	kind   string    // the warning in force: "", "stalled", "flown off" or "negative"
	warn   string
}

// The thresholds of Health.
const (
	StallWindow    = 50
	StallFraction  = 1e-2
	FlownOff       = 100
	StallFloor     = 4
	StallRecent    = 10
	StallSpeedup   = 1.5
	NegativeWindow = 20
	NegativeTol    = 0.05
)

// NewHealth watches a run: GPA's, or a peer's (for which the negative-estimate check does not
// apply: its objective is no estimate of GPA's divergence, and the advice names dt).
func NewHealth(r ParticleFlow) *Health {
	h := &Health{r: r}
	h.fl, _ = r.(*Flow)
	if h.fl != nil {
		h.median, h.scale = robust(h.fl.x, h.fl.net.In)
	} else {
		h.median, h.scale = robust(r.Targets(), r.Dim())
	}
	h.dist0 = h.away()
	return h
}

// robust returns the coordinate-wise median of the rows of x and the RMS over coordinates of
// each coordinate's median absolute deviation: a location and a scale that heavy tails do not
// drag.
func robust(x []float64, d int) (median []float64, scale float64) {
	m := len(x) / d
	col := make([]float64, m)
	median = make([]float64, d)
	var ss float64
	for k := range d {
		for j := range m {
			col[j] = x[j*d+k]
		}
		slices.Sort(col)
		median[k] = col[m/2]
		for j := range col {
			col[j] = math.Abs(col[j] - median[k])
		}
		slices.Sort(col)
		ss += col[m/2] * col[m/2]
	}
	return median, math.Sqrt(ss / float64(d))
}

// away is the distance between the particles' and the targets' coordinate-wise medians (in the
// discriminator's space: a mobility flow's particles are not compared).
func (h *Health) away() float64 {
	if h.fl != nil && h.fl.mob != nil {
		return 0
	}
	med, _ := robust(h.r.Particles(), h.r.Dim())
	var ss float64
	for k, v := range med {
		ss += (v - h.median[k]) * (v - h.median[k])
	}
	return math.Sqrt(ss)
}

// Observe takes the flow's last step and the run's latest metric and its floor (NaN when the
// caller has none: then stalls are not judged), and returns the run's warning: empty while the
// run is healthy. A warning stays until the run recovers from it.
func (h *Health) Observe(metric, floor float64) string {
	st := h.r.Stats()
	h.moved = append(h.moved, st.DT*st.Speed)
	if len(h.moved) > StallWindow {
		h.moved = h.moved[1:]
	}
	if h.fl != nil && st.Divergence < -NegativeTol*(1+math.Abs(st.EP)) {
		h.negRun++
	} else {
		h.negRun = 0
	}
	var total float64
	for _, m := range h.moved {
		total += m
	}
	far := metric > StallFloor*floor && floor > 0 && !math.IsInf(metric, 0)
	away := h.away()
	togo := away + h.scale
	// A warning in force is lifted only by a clear recovery (hysteresis), so that a run near a
	// threshold does not flicker.
	switch {
	case away > FlownOff*(h.dist0+h.scale)/relaxed(h.kind == "flown off"):
		h.kind = "flown off"
		h.warn = fmt.Sprintf("the particles have flown off: their median is %.3g from the targets', %.0f times farther than at the start. %s",
			away, away/(h.dist0+h.scale), h.adviceFlown())
	case h.negRun >= NegativeWindow || h.kind == "negative" && h.negRun > 0:
		h.kind = "negative"
		h.warn = fmt.Sprintf("the divergence estimate has been below 0 for %d steps (now %.3g; a constant phi gives 0): phi is not being trained. %s",
			h.negRun, st.Divergence, h.advice())
	case len(h.moved) == StallWindow && total < StallFraction*togo*relaxed(h.kind == "stalled") && far && !speedingUp(h.moved):
		h.kind = "stalled"
		flat := "phi is flat"
		if h.fl == nil {
			flat = "the method's drift is flat"
		}
		h.warn = fmt.Sprintf("the particles have stalled: they moved %.2g in the last %d steps with %.3g still to go, while the metric is %.3g, %.0f times its floor: %s where the particles are. %s",
			total, StallWindow, togo, metric, metric/floor, flat, h.advice())
	default:
		h.kind, h.warn = "", ""
	}
	return h.warn
}

// speedingUp reports whether the last StallRecent of the moves moved StallSpeedup times as far
// as the slowest StallRecent consecutive moves, each but at most one of them farther than the
// one before: a steady rise, not the spikes of a phi that jitters in place (a stalled run's
// moves vary 50-fold from step to step).
func speedingUp(moved []float64) bool {
	if len(moved) < 2*StallRecent {
		return false
	}
	falls := 0
	for i := len(moved) - StallRecent + 1; i < len(moved); i++ {
		if moved[i] <= moved[i-1] {
			falls++
		}
	}
	if falls > 1 {
		return false
	}
	var run float64 // the sum of the StallRecent moves ending at i
	slowest := math.Inf(1)
	for i, m := range moved {
		run += m
		if i >= StallRecent {
			run -= moved[i-StallRecent]
		}
		if i >= StallRecent-1 {
			slowest = min(slowest, run)
		}
	}
	return run > 0 && run >= StallSpeedup*slowest
}

// relaxed is the factor by which a threshold moves while its warning is in force.
func relaxed(inForce bool) float64 {
	if inForce {
		return 3
	}
	return 1
}

// Kind names the warning in force: "", "stalled", "flown off" or "negative".
func (h *Health) Kind() string { return h.kind }

// Warning is the last warning Observe returned.
func (h *Health) Warning() string { return h.warn }

// adviceFlown names the settings that bound the flow.
func (h *Health) adviceFlown() string {
	if h.fl == nil {
		return fmt.Sprintf("Try: lower dt (%g).", h.r.Settings().DT)
	}
	s := h.fl.s
	if s.L == 0 || math.IsInf(s.L, 1) {
		return "With L = inf nothing bounds phi's slope, hence the particles' speed: set a finite L (this is what the Lipschitz constraint is for), or lower lr."
	}
	return fmt.Sprintf("Try: lower dt (%g) or lr (%g).", s.DT, s.LR)
}

// advice names the settings most likely at fault.
func (h *Health) advice() string {
	if h.fl == nil {
		return h.peerAdvice()
	}
	s := h.fl.s
	var tips []string
	if (s.F == "js" || s.F == "hellinger") && (s.L == 0 || s.L > 10) {
		tips = append(tips, fmt.Sprintf("lower L (%s is bounded: with a large L its optimal phi is flat on the particles when they are far from the targets)", s.F))
	}
	if s.LR > 0.1 {
		tips = append(tips, fmt.Sprintf("lower lr (%g)", s.LR))
	}
	if s.Activation == "sigmoid" || s.Activation == "tanh" {
		tips = append(tips, fmt.Sprintf("use relu or leaky-relu (%s saturates)", s.Activation))
	}
	if s.L > 0 && !math.IsInf(s.L, 1) && s.DT*s.L > h.scale {
		tips = append(tips, fmt.Sprintf("lower dt (a move may reach dt*L = %g, more than the targets' spread %.2g)", s.DT*s.L, h.scale))
	}
	if s.Optimizer == "sgd" {
		tips = append(tips, "use adam")
	}
	if s.Inner < 5 {
		tips = append(tips, "raise inner")
	}
	if len(tips) == 0 {
		tips = append(tips, "lower lr or dt, or raise inner")
	}
	return "Try: " + strings.Join(tips, "; ") + "."
}

// peerAdvice names the settings of GPA's peers that most often stall them.
func (h *Health) peerAdvice() string {
	s := h.r.Settings()
	switch s.Method {
	case MethodMMD:
		if s.MMDNoise == 0 {
			return fmt.Sprintf("Try: noise injection (mmd_noise > 0: the plain MMD flow is known to stall), or a wider kernel (mmd_sigma = %g).", s.MMDSigma)
		}
		return fmt.Sprintf("Try: a wider kernel (mmd_sigma = %g) or a larger dt (%g).", s.MMDSigma, s.DT)
	case MethodSVGD:
		return fmt.Sprintf("Try: a larger dt (%g) or svgd_adagrad.", s.DT)
	}
	return fmt.Sprintf("Try: a larger dt (%g).", s.DT)
}
