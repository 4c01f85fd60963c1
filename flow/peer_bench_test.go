package flow

import (
	"fmt"
	"testing"
)

// BenchmarkPeerStep is one step of each of GPA's peers on the data of BenchmarkStep (the
// heavy-tail experiment, N = M), so that the two read side by side. Their cost is in pairwise
// sums: O((N + M)^2) for SVGD and the MMD flow, O(N) for Langevin's step plus its O(200^2) KSD
// diagnostic, and the Sinkhorn iterations' O(N M) each for the Sinkhorn flow.
func BenchmarkPeerStep(b *testing.B) {
	for _, method := range Methods[1:] {
		for _, n := range []int{200, 1000} {
			b.Run(fmt.Sprintf("method=%s/N=%d", method, n), func(b *testing.B) {
				s := Defaults()
				s.Method, s.N, s.M = method, n, n
				r, err := NewParticleFlow(s)
				if err != nil {
					b.Fatal(err)
				}
				benchSteps(b, r)
			})
		}
	}
}
