package runner

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// clock is a fake time that each piece of work moves on by tick.
type clock struct {
	t    time.Time
	tick time.Duration
}

func (c *clock) now() time.Time { return c.t }
func (c *clock) work()          { c.t = c.t.Add(c.tick) }

// model is a Model of one flow with a steps limit, recording what the runner asks of it.
type model struct {
	c       *clock
	step    int
	limit   int
	noFlow  error // Ready's answer
	failAt  int   // Advance fails from this step on (0: never)
	pause   time.Duration
	show    bool // Frame's answer
	frames  []bool
	events  []Event
	settled int
}

func (m *model) Step() int    { return m.step }
func (m *model) Active() bool { return m.step < m.limit }
func (m *model) Ready() error { return m.noFlow }
func (m *model) Advance() error {
	if m.failAt > 0 && m.step >= m.failAt {
		return errors.New("the flow diverged")
	}
	m.c.work()
	m.step++
	return nil
}
func (m *model) Free() (time.Duration, bool) {
	if m.pause > 0 {
		return m.pause, true
	}
	if !m.Active() {
		return 0, false
	}
	m.c.work()
	m.step++
	return 0, true
}
func (m *model) Settle()               { m.settled++ }
func (m *model) Frame(force bool) bool { m.frames = append(m.frames, force); return m.show }
func (m *model) Notify(e Event)        { m.events = append(m.events, e) }

func setup(limit int) (*Runner, *model, *[]Reply) {
	c := &clock{t: time.Unix(1e9, 0), tick: time.Millisecond}
	m := &model{c: c, limit: limit, show: true}
	var replies []Reply
	r := newRunner(m, Options{Budget: 30 * time.Millisecond, FrameInterval: time.Second / 30, MaxSteps: 1000}, c.now,
		func(rep Reply) { replies = append(replies, rep) })
	return r, m, &replies
}

// drain runs slices until nothing is left to compute (at most n).
func drain(r *Runner, n int) int {
	i := 0
	for ; i < n && r.busy(); i++ {
		r.slice()
	}
	return i
}

func TestSteps(t *testing.T) {
	for _, c := range []struct {
		k    float64
		want int
	}{{1, 1}, {7, 7}, {1000, 1000}} {
		if n, err := Steps(c.k, 1000); err != nil || n != c.want {
			t.Errorf("Steps(%v) = %d, %v, want %d", c.k, n, err, c.want)
		}
	}
	for _, k := range []float64{math.NaN(), 0, -3, 2.5, 1001, 1e300, math.Inf(1), math.Inf(-1)} {
		n, err := Steps(k, 1000)
		if err == nil || !strings.Contains(err.Error(), "from 1 to 1000") {
			t.Errorf("Steps(%v) = %d, %v, want refused", k, n, err)
		}
	}
	if _, err := Steps(math.NaN(), 10); err == nil || !strings.Contains(err.Error(), "k = NaN") {
		t.Errorf("Steps(NaN): %v, want the error to name NaN", err)
	}
}

func TestRequestsQueueAndAnswerInOrder(t *testing.T) {
	r, m, replies := setup(1000)
	r.running = true
	r.request("a", 3)
	r.request("b", 2)
	if r.Running() {
		t.Error("a step request did not pause the free run")
	}
	drain(r, 10)
	want := []Reply{{ID: "a", Step: 3}, {ID: "b", Step: 5}}
	if !slices.Equal(*replies, want) || m.step != 5 {
		t.Errorf("replies %+v at step %d, want %+v at 5", *replies, m.step, want)
	}
	if m.settled != 2 || len(m.frames) != 2 || !m.frames[0] || !m.frames[1] {
		t.Errorf("settled %d times, frames %v: want each answer measured and shown at once", m.settled, m.frames)
	}
}

func TestRefusedRequestChangesNothing(t *testing.T) {
	r, m, replies := setup(1000)
	r.running = true
	r.request("ok", 4)
	r.running = true // as though a run had come meanwhile
	for i, k := range []float64{math.NaN(), -1, 1e12} {
		r.request(i, k)
	}
	if !r.Running() || r.Pending() != 1 {
		t.Errorf("after refused requests: running %v, %d pending; want them to change nothing", r.Running(), r.Pending())
	}
	if len(*replies) != 3 {
		t.Fatalf("replies %+v, want the three refusals", *replies)
	}
	for i, rep := range *replies {
		if rep.ID != i || !rep.Cancelled || !strings.HasPrefix(rep.Err, "step: k = ") || rep.Step != m.step {
			t.Errorf("refusal %d: %+v", i, rep)
		}
	}
}

func TestRequestWithoutFlows(t *testing.T) {
	r, m, replies := setup(1000)
	m.noFlow = errors.New("configure first")
	r.request(1, 5)
	if want := []Reply{{ID: 1, Err: "configure first"}}; !slices.Equal(*replies, want) || r.Pending() != 0 {
		t.Errorf("replies %+v, want %+v", *replies, want)
	}
	*replies = nil
	m.noFlow = Cancel("the lack of a configured merge")
	r.request(2, 5)
	want := []Reply{{ID: 2, Err: "step request cancelled by the lack of a configured merge", Cancelled: true}}
	if !slices.Equal(*replies, want) || r.Pending() != 0 {
		t.Errorf("replies %+v, want %+v", *replies, want)
	}
}

func TestAdvanceErrorAnswersAll(t *testing.T) {
	r, m, replies := setup(1000)
	m.failAt = 2
	r.request(1, 1)
	r.request(2, 5)
	r.request(3, 5)
	drain(r, 10)
	want := []Reply{{ID: 1, Step: 1}, {ID: 2, Step: 2, Err: "the flow diverged"}, {ID: 3, Step: 2, Err: "the flow diverged"}}
	if !slices.Equal(*replies, want) {
		t.Errorf("replies %+v, want %+v", *replies, want)
	}
}

func TestRunAndPauseCancelRequests(t *testing.T) {
	r, m, replies := setup(1000)
	r.request(1, 50)
	r.slice()
	r.run()
	if !r.Running() || r.Pending() != 0 || len(*replies) != 1 || !(*replies)[0].Cancelled || (*replies)[0].Err != "step request cancelled by run" {
		t.Errorf("after run: running %v, replies %+v", r.Running(), *replies)
	}
	r.request(2, 50)
	r.pause()
	if r.Running() || len(*replies) != 2 || (*replies)[1].Err != "step request cancelled by pause" {
		t.Errorf("after pause: running %v, replies %+v", r.Running(), *replies)
	}
	if !slices.Equal(m.events, []Event{Started, Paused}) {
		t.Errorf("events %v", m.events)
	}
	m.step = m.limit
	r.run()
	if r.Running() {
		t.Error("run started a model that is not active")
	}
}

func TestHold(t *testing.T) {
	r, m, _ := setup(1000)
	r.run()
	r.hold(true)
	if r.busy() {
		t.Error("a held free run is busy")
	}
	if d, block := r.wait(); d != time.Second/30 || block {
		t.Errorf("held, a frame due: wait %v, %v, want the frame's turn (no steps)", d, block)
	}
	r.Show(false)
	r.request(1, 3)
	if n := drain(r, 10); n == 0 || m.step != 3 {
		t.Errorf("a step request while held: %d slices, step %d, want it run", n, m.step)
	}
	r.run()
	r.hold(false)
	before := m.step
	r.slice()
	if m.step == before {
		t.Error("released, the free run did not step")
	}
	if !slices.Equal(m.events, []Event{Started, Held, Started, Released}) {
		t.Errorf("events %v", m.events)
	}
}

func TestSliceBudget(t *testing.T) {
	r, m, _ := setup(1000)
	r.run()
	r.slice()
	if m.step != 30 {
		t.Errorf("a 30 ms slice of 1 ms steps did %d steps", m.step)
	}
	r.SetBudget(5 * time.Millisecond)
	r.slice()
	if m.step != 35 {
		t.Errorf("a 5 ms slice: step %d, want 35", m.step)
	}
}

func TestFreeRunStops(t *testing.T) {
	r, m, _ := setup(45)
	r.run()
	m.frames = nil
	drain(r, 10)
	if r.Running() || m.step != 45 || m.settled != 1 || len(m.frames) != 1 || !m.frames[0] {
		t.Errorf("at its end: running %v, step %d, settled %d, frames %v; want stopped, measured and shown", r.Running(), m.step, m.settled, m.frames)
	}
	if _, block := r.wait(); !block {
		t.Error("stopped and shown, the loop does not wait for a message")
	}
}

func TestPacedRun(t *testing.T) {
	r, m, _ := setup(1000)
	r.run()
	m.pause = 20 * time.Millisecond
	r.slice()
	if d, block := r.wait(); block || d != 20*time.Millisecond {
		t.Errorf("paced: wait %v, %v, want 20ms", d, block)
	}
	m.pause = 0
	r.slice()
	if d, _ := r.wait(); d > 0 {
		t.Errorf("no longer paced: wait %v", d)
	}
}

func TestFramePacing(t *testing.T) {
	r, m, _ := setup(1000)
	r.Changed()
	r.Show(false)
	r.Changed()
	r.Show(false)
	if len(m.frames) != 1 {
		t.Fatalf("two frames within the interval: %v", m.frames)
	}
	if d, block := r.wait(); block || d != time.Second/30 {
		t.Errorf("a frame due: wait %v, %v, want the interval", d, block)
	}
	r.Show(true)
	if len(m.frames) != 2 {
		t.Errorf("a forced frame did not go out: %v", m.frames)
	}
	// A model with nothing to show is not asked again until something changes.
	m.show = false
	m.c.t = m.c.t.Add(time.Second)
	r.Changed()
	r.Show(false)
	if _, block := r.wait(); !block {
		t.Error("the model declined the frame: the loop should wait for a message")
	}
	r.Changed()
	if _, block := r.wait(); block {
		t.Error("changed again: the frame is due")
	}
	r.Shown()
	if _, block := r.wait(); !block {
		t.Error("shown by the model: nothing is due")
	}
}

func TestFailCancels(t *testing.T) {
	r, m, replies := setup(1000)
	r.request(1, 10)
	r.running = true
	r.fail()
	if r.Running() || r.Pending() != 0 || len(*replies) != 1 || (*replies)[0].Err != "step request cancelled by an engine failure" {
		t.Errorf("after a failure: running %v, replies %+v", r.Running(), *replies)
	}
	if !slices.Equal(m.events, []Event{Failed}) {
		t.Errorf("events %v", m.events)
	}
}

// choresModel has work of its own that takes whole slices.
type choresModel struct {
	*model
	left int
}

func (c *choresModel) Busy() bool { return c.left > 0 }
func (c *choresModel) Work(deadline time.Time) bool {
	if c.left == 0 {
		return false
	}
	c.left--
	return true
}

func TestChoresComeFirst(t *testing.T) {
	r, m, replies := setup(1000)
	cm := &choresModel{model: m, left: 2}
	r.m = cm
	r.request(1, 2)
	r.slice()
	r.slice()
	if m.step != 0 || len(*replies) != 0 {
		t.Errorf("during the chores: step %d, replies %+v", m.step, *replies)
	}
	if d, block := r.wait(); d > 0 || block {
		t.Errorf("chores to do: wait %v, %v", d, block)
	}
	r.slice()
	if m.step != 2 || len(*replies) != 1 {
		t.Errorf("after the chores: step %d, replies %+v", m.step, *replies)
	}
}
