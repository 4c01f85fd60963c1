package render

import (
	"math"
	"slices"
)

// MaxRuns is the number of runs the view draws side by side.
const MaxRuns = 3

// Stats are a run's latest diagnostics.
type Stats struct{ Divergence, KE, Speed, Metric float64 }

// Curves are a run's diagnostics over its steps.
type Curves struct{ Step, Divergence, KE, Metric []float64 }

// Run is one flow's state.
type Run struct {
	Label      string
	Particles  []float32 // n x 2, row-major
	Stats      Stats
	MetricName string
	Curves     Curves
	Error      string
}

// Field is the potential phi of run 0 and the particles' velocity -grad phi on a grid of NX x NY nodes spanning
// [X0, X1] x [Y0, Y1] in data coordinates (node (i, j) at X0 + i*(X1-X0)/(NX-1), Y0 + j*(Y1-Y0)/(NY-1);
// row j = 0 at Y0; value at index j*NX + i). With Log the nodes are uniform in the log-compressed
// coordinates sign(v) log(1+|v|) instead (X0..Y1 still data coordinates).
type Field struct {
	X0, X1, Y0, Y1 float64
	NX, NY         int
	Log            bool
	Phi            []float32
	GX, GY         []float32 // -grad phi, the direction particles move
	// Derived when set: phi's finite range and the largest finite gradient norm.
	PhiMin, PhiMax, GradMax float64
	// The heat map's colour range: phi's 2nd and 98th percentiles, so that a far corner of the
	// region (phi grows like L |x|) does not wash out the structure near the data. On a Log grid
	// the colours follow Warp(phi) (sign(phi) log(1+|phi|)), and so does this range.
	ColorLo, ColorHi float64
	sorted           []float64 // reused by Analyze
}

// Analyze computes the field's derived values.
func (f *Field) Analyze() {
	f.PhiMin, f.PhiMax, f.GradMax = math.Inf(1), math.Inf(-1), 0
	f.sorted = f.sorted[:0]
	for _, v := range f.Phi {
		if x := float64(v); isFinite(x) {
			f.PhiMin, f.PhiMax = math.Min(f.PhiMin, x), math.Max(f.PhiMax, x)
			f.sorted = append(f.sorted, Warp(x, f.Log))
		}
	}
	f.ColorLo, f.ColorHi = Warp(f.PhiMin, f.Log), Warp(f.PhiMax, f.Log)
	if n := len(f.sorted); n > 0 {
		slices.Sort(f.sorted)
		f.ColorLo, f.ColorHi = f.sorted[n*2/100], f.sorted[(n-1)*98/100]
	}
	for i := range min(len(f.GX), len(f.GY)) {
		g := math.Hypot(float64(f.GX[i]), float64(f.GY[i]))
		if isFinite(g) && g > f.GradMax {
			f.GradMax = g
		}
	}
}

// Valid reports whether the field's grid can be drawn (its arrows; its heat map needs HasPhi too).
func (f *Field) Valid() bool {
	return f.NX >= 2 && f.NY >= 2 && f.X1 > f.X0 && f.Y1 > f.Y0 &&
		isFinite(f.X0) && isFinite(f.X1) && isFinite(f.Y0) && isFinite(f.Y1)
}

// HasPhi reports whether the field has a potential at every node: a GPA run's does, the
// particle methods without a discriminator (SVGD, the MMD flow, ...) send only their velocity.
func (f *Field) HasPhi() bool { return len(f.Phi) >= f.NX*f.NY }

// Gradient interpolates grad phi bilinearly at the data point (x, y); ok is false outside the
// grid or where the gradient is missing.
func (f *Field) Gradient(x, y float64) (gx, gy float64, ok bool) {
	n := f.NX * f.NY
	if len(f.GX) < n || len(f.GY) < n {
		return 0, 0, false
	}
	fx := f.gridX(x)
	fy := f.gridY(y)
	if !(fx >= 0 && fy >= 0 && fx <= float64(f.NX-1) && fy <= float64(f.NY-1)) {
		return 0, 0, false
	}
	i, j := min(int(fx), f.NX-2), min(int(fy), f.NY-2)
	a, b := fx-float64(i), fy-float64(j)
	at := func(g []float32) float64 {
		o := j*f.NX + i
		return (1-b)*((1-a)*float64(g[o])+a*float64(g[o+1])) + b*((1-a)*float64(g[o+f.NX])+a*float64(g[o+f.NX+1]))
	}
	gx, gy = -at(f.GX), -at(f.GY)
	return gx, gy, isFinite(gx) && isFinite(gy)
}

// NodeX is the data x of grid column i.
func (f *Field) NodeX(i int) float64 { return nodeAt(f.X0, f.X1, f.NX, i, f.Log) }

// NodeY is the data y of grid row j.
func (f *Field) NodeY(j int) float64 { return nodeAt(f.Y0, f.Y1, f.NY, j, f.Log) }

func nodeAt(a, b float64, n, i int, log bool) float64 {
	if i == 0 {
		return a
	}
	if i == n-1 {
		return b
	}
	wa, wb := Warp(a, log), Warp(b, log)
	return Unwarp(wa+float64(i)*(wb-wa)/float64(n-1), log)
}

// gridX is the fractional column of the data x (0 at X0, NX-1 at X1).
func (f *Field) gridX(x float64) float64 {
	a, b := Warp(f.X0, f.Log), Warp(f.X1, f.Log)
	return (Warp(x, f.Log) - a) / (b - a) * float64(f.NX-1)
}

func (f *Field) gridY(y float64) float64 {
	a, b := Warp(f.Y0, f.Log), Warp(f.Y1, f.Log)
	return (Warp(y, f.Log) - a) / (b - a) * float64(f.NY-1)
}

// Scene is the Go-side copy of the latest frame.
type Scene struct {
	HasFrame       bool
	Step, Dim      int
	Targets        []float32 // m x 2
	TargetLabel    string
	TargetsVersion int // counts changes of Targets
	NRuns          int
	Runs           [MaxRuns]Run
	Field          Field
	HasField       bool
	FieldVersion   int // counts changes of Field
	Heavy          bool
	Version        int // counts frames
}

// HasData reports whether there is anything to fit a view to.
func (s *Scene) HasData() bool {
	if len(s.Targets) >= 2 {
		return true
	}
	for k := 0; k < s.NRuns; k++ {
		if len(s.Runs[k].Particles) >= 2 {
			return true
		}
	}
	return false
}

// Options are the view's switches.
type Options struct {
	Heat, Arrows, Trails, Log, Draw, Charts bool
}

// DefaultOptions are the switches before the page sets any.
func DefaultOptions() Options {
	return Options{Heat: true, Arrows: true, Trails: true, Charts: true}
}
