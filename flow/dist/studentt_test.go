package dist

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

func studentCDF(nu, scale float64) func(int) func(float64) float64 {
	return func(int) func(float64) float64 { return distuv.StudentsT{Mu: 0, Sigma: scale, Nu: nu}.CDF }
}

func TestStudentTKS(t *testing.T) {
	runKS(t, []ksCase{
		{"student-t", 2, studentCDF(0.5, 1), studentCDF(0.7, 1)},
		{"student-t(nu=3)", 1, studentCDF(3, 1), studentCDF(4.5, 1)},
		{"student-t(nu=0.1)", 2, studentCDF(0.1, 1), studentCDF(0.13, 1)},
		{"student-t(nu=2,scale=3)", 2, studentCDF(2, 3), studentCDF(2, 3.5)},
	})
}

func TestStudentTIndependent(t *testing.T) {
	// For independent symmetric coordinates P(x0 x1 > 0) = 1/2 and the
	// ranks are uncorrelated; a shared radius (a multivariate t) would still
	// pass the first but not |x0| vs |x1| concordance.
	const n = 40000
	x := sample(t, "student-t(nu=0.5)", 2, n, 3)
	same, bothBig := 0, 0
	med := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: 0.5}.Quantile(0.75) // median of |t|
	for i := 0; i < len(x); i += 2 {
		if x[i]*x[i+1] > 0 {
			same++
		}
		if math.Abs(x[i]) > med && math.Abs(x[i+1]) > med {
			bothBig++
		}
	}
	checkFrac(t, "same sign", same, n, 0.5)
	checkFrac(t, "both |x| above median", bothBig, n, 0.25)
}
