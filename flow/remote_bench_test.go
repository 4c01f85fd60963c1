package flow

import (
	"fmt"
	"testing"
	"time"
)

// inlineRemote runs its one server's job inside Receive, on the caller's thread, and adds up
// the time the server took: a step then costs what the flow alone costs plus what the server
// path costs more for the same rows (its setup, copies and per-job work), with no messaging.
type inlineRemote struct {
	sv     ShardServer
	job    *ShardJob
	served time.Duration
}

func (r *inlineRemote) Servers() int              { return 1 }
func (r *inlineRemote) Send(_ int, job *ShardJob) { r.job = job }
func (r *inlineRemote) Receive(int) (*ShardResult, error) {
	t0 := time.Now()
	res, err := r.sv.Do(r.job)
	r.served += time.Since(t0)
	return res, err
}

// BenchmarkStepRemoteInline is BenchmarkStep's step alone and with one ShardServer run inline
// (on the same thread, after the flow's own half): the two should cost the same, the server's
// half as much as the flow's. served/step is the server's share (docs/performance.md#every-core).
func BenchmarkStepRemoteInline(b *testing.B) {
	for _, n := range []int{2000, 10000} {
		for _, inline := range []bool{false, true} {
			b.Run(fmt.Sprintf("N=%d/inline=%v", n, inline), func(b *testing.B) {
				s := Defaults()
				s.F, s.N, s.M = "kl-dv", n, n
				fl, err := New(s)
				if err != nil {
					b.Fatal(err)
				}
				r := &inlineRemote{}
				if inline {
					fl.SetRemote(r)
					fl.rm.minRows = 0
				}
				benchSteps(b, fl)
				if inline {
					b.ReportMetric(float64(r.served.Microseconds())/1000/float64(b.N+1), "served-ms/step")
				}
			})
		}
	}
}
