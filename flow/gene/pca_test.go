package gene

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// FitPCA works on the Gram matrix; gonum's SVD of the centred data matrix is the independent
// reference: the variances are s_k^2/(n-1), and the rank-k projection of every row is the
// truncated SVD's reconstruction U_k S_k V_k^T + mean.
func TestPCAAgainstSVD(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, c := range []struct{ n, p, k int }{{6, 9, 2}, {10, 40, 5}, {8, 5, 4}, {12, 30, 11}} {
		x := randMatrix(rng, c.n, c.p)
		for i := range x {
			x[i] += float64(i%c.p) * 0.3 // a mean that is not 0
		}
		pc, err := FitPCA(x, c.n, c.p, c.k)
		if err != nil {
			t.Fatal(err)
		}
		mean := make([]float64, c.p)
		for i := range c.n {
			for j := range c.p {
				mean[j] += x[i*c.p+j] / float64(c.n)
			}
		}
		xc := mat.NewDense(c.n, c.p, nil)
		for i := range c.n {
			for j := range c.p {
				xc.Set(i, j, x[i*c.p+j]-mean[j])
			}
		}
		var svd mat.SVD
		if !svd.Factorize(xc, mat.SVDThin) {
			t.Fatal("SVD failed")
		}
		sv := svd.Values(nil)
		total := 0.0
		for _, s := range sv {
			total += s * s / float64(c.n-1)
		}
		for k := range c.k {
			if want := sv[k] * sv[k] / float64(c.n-1); math.Abs(pc.Variance[k]-want) > 1e-9*want {
				t.Errorf("%+v: variance %d = %v, SVD says %v", c, k, pc.Variance[k], want)
			}
		}
		if math.Abs(pc.Total-total) > 1e-9*total {
			t.Errorf("%+v: total variance %v, SVD says %v", c, pc.Total, total)
		}
		var u, v mat.Dense
		svd.UTo(&u)
		svd.VTo(&v)
		var rec mat.Dense
		rec.Product(u.Slice(0, c.n, 0, c.k), mat.NewDiagDense(c.k, sv[:c.k]), v.Slice(0, c.p, 0, c.k).T())
		got := pc.Decode(pc.Encode(x))
		for i := range c.n {
			for j := range c.p {
				if d := math.Abs(got[i*c.p+j] - (rec.At(i, j) + mean[j])); d > 1e-9 {
					t.Fatalf("%+v: reconstruction of (%d,%d) off by %g", c, i, j, d)
				}
			}
		}
	}
}

// Latent -> probes -> latent is the identity (V has orthonormal columns), and probes -> latent
// -> probes is a projection: applying it twice changes nothing.
func TestPCARoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	n, p, k := 9, 50, 6
	pc, err := FitPCA(randMatrix(rng, n, p), n, p, k)
	if err != nil {
		t.Fatal(err)
	}
	z := randMatrix(rng, 4, k)
	back := pc.Encode(pc.Decode(z))
	for i := range z {
		if math.Abs(back[i]-z[i]) > 1e-10 {
			t.Fatalf("code %d: %v came back as %v", i, z[i], back[i])
		}
	}
	x := randMatrix(rng, 3, p)
	once := pc.Decode(pc.Encode(x))
	twice := pc.Decode(pc.Encode(once))
	for i := range once {
		if math.Abs(once[i]-twice[i]) > 1e-10 {
			t.Fatalf("projection not idempotent at %d: %v then %v", i, once[i], twice[i])
		}
	}
}

func TestPCARefuses(t *testing.T) {
	x := randMatrix(rand.New(rand.NewPCG(1, 1)), 5, 20)
	for _, c := range []struct {
		n, k int
		want string
	}{{5, 5, "dim <= 4"}, {5, 0, "dim = 0"}, {1, 1, "at least 2"}} {
		if _, err := FitPCA(x[:c.n*20], c.n, 20, c.k); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("n=%d k=%d: got %v, want %q", c.n, c.k, err, c.want)
		}
	}
}
