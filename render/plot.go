//go:build js && wasm

package render

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"golang.org/x/image/font/gofont/goregular"
)

// Overlay is what the view draws besides the scene.
type Overlay struct {
	CursorX, CursorY float64
	CursorIn         bool
	Stroke           []float32 // points drawn in draw mode and not yet sent, data coordinates
}

// Trail settings: positions kept, particles tracked per run.
const (
	TrailLen   = 30
	TrailTrack = 400
)

const maxQuad = maxBatchVerts / 4

// Renderer draws Scenes. It keeps its images and vertex slices across frames.
type Renderer struct {
	lineTex  *ebiten.Image
	dots     map[int]*ebiten.Image // particle sprites by diameter in quarter pixels
	b        batch
	quadIdx  []uint16 // 0,1,2, 0,2,3 for every quad of a batch
	dotVerts []ebiten.Vertex
	dotOpts  ebiten.DrawTrianglesOptions

	faceSrc          *text.GoTextFaceSource
	face, small      *text.GoTextFace
	faceDPR          float64
	top              text.DrawOptions
	lineH, smallLine float64

	heat           *ebiten.Image
	heatNX, heatNY int
	heatPix        []byte
	heatVersion    int
	heatRow        []float64
	heatSX         []float32
	heatVerts      []ebiten.Vertex
	heatIdx        []uint16
	heatOpts       ebiten.DrawTrianglesOptions
	trailVerts     []ebiten.Vertex
	trailIdx       []uint16
	trailPts       []float64
	trails         [MaxRuns]*Trails
	trailVersion   int

	layout Layout
	dpr    float64

	// Timings accumulates the time spent in parts of Draw: heat, arrows and targets, trails,
	// particles, chrome (legend, axes, status), charts.
	Timings [6]time.Duration

	// Cached per scene version.
	statusVersion int
	statusKey     string
	units         []statusUnit

	xt, yt  axisTicks
	placed  [][2]float64
	ticks   []float64
	minor   []float64
	env     []float32
	charts  [3]chartCache
	chartOK int
}

type statusPiece struct {
	text string
	col  RGBA
	dot  bool // a coloured disc instead of text
	w    float64
}

type statusUnit struct {
	pieces []statusPiece
	w      float64
}

type axisTicks struct {
	pos    []float64 // screen coordinate of each labelled tick
	labels []string
	minor  []float64 // screen coordinates of minor ticks
}

// Colours of the chrome.
var (
	colText   = gray(0.13, 1)
	colMuted  = gray(0.4, 1)
	colAxis   = gray(0.25, 1)
	colGrid   = gray(0, 0.09)
	colError  = RGBA{0.78, 0.05, 0.05, 1}
	colTarget = gray(0.18, 0.55)
	colArrow  = gray(0.1, 0.5)
	colPanel  = RGBA{1, 1, 1, 0.88}
	colBorder = gray(0.7, 1)
)

// NewRenderer makes a Renderer.
func NewRenderer() (*Renderer, error) {
	src, err := text.NewGoTextFaceSource(bytes.NewReader(goregular.TTF))
	if err != nil {
		return nil, err
	}
	r := &Renderer{faceSrc: src, lineTex: newLineTex(), dots: map[int]*ebiten.Image{}, statusVersion: -1, chartOK: -1, trailVersion: -1}
	for k := range r.trails {
		r.trails[k] = NewTrails(TrailLen, TrailTrack)
	}
	r.quadIdx = make([]uint16, maxQuad*6)
	for q := 0; q < maxQuad; q++ {
		n := uint16(4 * q)
		copy(r.quadIdx[6*q:], []uint16{n, n + 1, n + 2, n, n + 2, n + 3})
	}
	// Sprites are drawn at their own size and the heat map is upsampled on the CPU, so that the GPU
	// only ever samples with the nearest filter: its cheapest path (software WebGL is fill-bound).
	r.dotOpts.Filter = ebiten.FilterNearest
	r.heatOpts.Filter = ebiten.FilterNearest
	r.heatOpts.DisableMipmaps = true
	r.setDPR(1)
	r.layout = ComputeLayout(1, 1, 1, true, 1)
	return r, nil
}

// dotSprite is a white disc of diameter d pixels (rounded to a quarter pixel) with a darker rim:
// tinted by a vertex colour it gives a particle with a darker outline of its own hue, which stays
// visible on any background. It returns the sprite and its size in pixels.
func (r *Renderer) dotSprite(d float64) (*ebiten.Image, int) {
	key := int(math.Round(d * 4))
	size := int(math.Ceil(float64(key)/4 + 1))
	if img, ok := r.dots[key]; ok {
		return img, size
	}
	rad := float64(key) / 8
	c := float64(size) / 2
	pix := make([]byte, size*size*4)
	const ss = 4 // supersampling per axis
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			cov, lum := 0.0, 0.0
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					dx := float64(x) + (float64(sx)+0.5)/ss - c
					dy := float64(y) + (float64(sy)+0.5)/ss - c
					dist := math.Hypot(dx, dy)
					if dist <= rad {
						cov++
						if dist > rad-math.Max(0.9, rad*0.3) {
							lum += 0.5 // the rim
						} else {
							lum++
						}
					}
				}
			}
			a := cov / ss / ss
			v := lum / ss / ss // premultiplied
			o := (y*size + x) * 4
			pix[o], pix[o+1], pix[o+2], pix[o+3] = byte(math.Round(255*v)), byte(math.Round(255*v)), byte(math.Round(255*v)), byte(math.Round(255*a))
		}
	}
	img := ebiten.NewImage(size, size)
	img.WritePixels(pix)
	r.dots[key] = img
	return img, size
}

func (r *Renderer) setDPR(dpr float64) {
	if dpr == r.faceDPR {
		return
	}
	r.faceDPR = dpr
	r.face = &text.GoTextFace{Source: r.faceSrc, Size: 12.5 * dpr}
	r.small = &text.GoTextFace{Source: r.faceSrc, Size: 11 * dpr}
	r.lineH = math.Round(LineHeightCSS * dpr)
	r.smallLine = math.Round(15 * dpr)
	r.statusVersion = -1
}

// Layout is the layout of the last Draw (or of the last Resize, before any Draw at that size).
func (r *Renderer) Layout() Layout { return r.layout }

// Resize sets a provisional layout for a new canvas size, so that the view can be fitted and
// reported before the first Draw at that size.
func (r *Renderer) Resize(w, h, dpr float64, charts bool) {
	if w != r.layout.W || h != r.layout.H || dpr != r.layout.Scale {
		r.layout = ComputeLayout(w, h, dpr, charts, 1)
	}
}

// UpdateTrails records the scene's particle positions once per new frame.
func (r *Renderer) UpdateTrails(sc *Scene) {
	if sc.Version == r.trailVersion {
		return
	}
	r.trailVersion = sc.Version
	for k := range r.trails {
		if k < sc.NRuns {
			r.trails[k].Push(sc.Step, sc.Runs[k].Particles)
		} else {
			r.trails[k].Reset()
		}
	}
}

// ResetTrails forgets every trail.
func (r *Renderer) ResetTrails() {
	for _, t := range r.trails {
		t.Reset()
	}
}

func (r *Renderer) px(v float64) float64 { return math.Round(v * r.dpr) }

// Draw draws the whole view onto screen: dpr is the device pixels per CSS pixel.
func (r *Renderer) Draw(screen *ebiten.Image, sc *Scene, v View, opt Options, ov *Overlay, dpr float64) {
	if !(dpr > 0) {
		dpr = 1
	}
	r.dpr = dpr
	r.setDPR(dpr)
	W, H := float64(screen.Bounds().Dx()), float64(screen.Bounds().Dy())
	r.buildStatus(sc, opt)
	lines := r.wrapStatus(W - r.px(16))
	l := ComputeLayout(W, H, dpr, opt.Charts, lines)
	r.layout = l
	tr := v.Transform(l.Plot)

	screen.Fill(colorWhite)
	r.computeTicks(&tr)

	// The plot's content, clipped to its rectangle.
	plot := screen.SubImage(rectImage(l.Plot)).(*ebiten.Image)
	if opt.Heat && sc.HasField && sc.Field.Valid() {
		t := time.Now()
		r.drawHeat(plot, &tr, sc)
		r.Timings[0] += time.Since(t)
	}
	r.b.begin(plot, r.lineTex)
	lw := math.Max(1, r.px(1))
	for _, x := range r.xt.pos {
		r.b.vline(x, l.Plot.Y, l.Plot.Y+l.Plot.H, lw, colGrid)
	}
	for _, y := range r.yt.pos {
		r.b.hline(l.Plot.X, l.Plot.X+l.Plot.W, y, lw, colGrid)
	}
	if opt.Arrows && sc.HasField && sc.Field.Valid() {
		r.drawArrows(&tr, &sc.Field)
	}
	r.b.flush()
	t1 := time.Now()
	if len(sc.Targets) >= 2 {
		m := len(sc.Targets) / 2
		d := r.dpr * clamp(6.8-0.85*math.Log10(float64(m)), 3, 5.5)
		r.drawDots(plot, &tr, sc.Targets, d, colTarget)
	}
	r.Timings[1] += time.Since(t1)
	t2 := time.Now()
	if opt.Trails {
		for k := 0; k < sc.NRuns; k++ {
			// Fainter when many trails overlap.
			a := clamp(0.45*math.Sqrt(200/math.Max(1, float64(r.trails[k].Tracked()*sc.NRuns))), 0.12, 0.45)
			r.drawTrail(plot, &tr, r.trails[k], rgb8(RunColor(k), float32(a)))
		}
	}
	r.Timings[2] += time.Since(t2)
	t3 := time.Now()
	for k := 0; k < sc.NRuns; k++ {
		p := sc.Runs[k].Particles
		if len(p) < 2 {
			continue
		}
		n := len(p) / 2
		d := r.dpr * clamp(9-1.25*math.Log10(float64(n)), 4, 7.5)
		r.drawDots(plot, &tr, p, d, rgb8(RunColor(k), 0.92))
	}
	r.Timings[3] += time.Since(t3)
	t4 := time.Now()
	if len(ov.Stroke) >= 2 {
		r.drawDots(plot, &tr, ov.Stroke, r.px(7), gray(0, 0.85))
	}
	if !sc.HasFrame {
		r.text(plot, "waiting for the engine…", r.face, l.Plot.X+l.Plot.W/2, l.Plot.Y+l.Plot.H/2, text.AlignCenter, text.AlignCenter, colMuted)
	}
	r.drawLegend(plot, sc, opt, &l.Plot)
	r.drawCorner(plot, &tr, opt, ov)

	// Axes, outside the plot.
	r.b.begin(screen, r.lineTex)
	r.b.frame(l.Plot.X-lw, l.Plot.Y-lw, l.Plot.W+2*lw, l.Plot.H+2*lw, lw, colAxis)
	tl := r.px(5)
	bottom := l.Plot.Y + l.Plot.H
	for _, x := range r.xt.pos {
		r.b.vline(x, bottom, bottom+tl, lw, colAxis)
	}
	for _, x := range r.xt.minor {
		r.b.vline(x, bottom, bottom+tl*0.6, lw, colAxis)
	}
	for _, y := range r.yt.pos {
		r.b.hline(l.Plot.X-tl, l.Plot.X, y, lw, colAxis)
	}
	for _, y := range r.yt.minor {
		r.b.hline(l.Plot.X-tl*0.6, l.Plot.X, y, lw, colAxis)
	}
	r.b.flush()
	r.drawTickLabels(screen, &l.Plot)
	r.drawStatus(screen, &l.Status)
	r.Timings[4] += time.Since(t4)
	if opt.Charts && l.Charts[0].W > 0 {
		t5 := time.Now()
		r.drawCharts(screen, sc, &l)
		r.Timings[5] += time.Since(t5)
	}
}

var colorWhite = rgbaColor(1, 1, 1, 1)

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

// drawDots draws one sprite per point (x, y pairs, data coordinates) of diameter d pixels, culling
// points outside the plot, in batches of one DrawTriangles call.
func (r *Renderer) drawDots(dst *ebiten.Image, tr *Transform, pts []float32, d float64, c RGBA) {
	img, size := r.dotSprite(d)
	s := float32(size)
	h := s / 2
	x0, x1 := tr.X-d, tr.X+tr.W+d
	y0, y1 := tr.Y-d, tr.Y+tr.H+d
	vs := r.dotVerts[:0]
	for i := 0; i+1 < len(pts); i += 2 {
		sx, sy := tr.ScreenX(float64(pts[i])), tr.ScreenY(float64(pts[i+1]))
		if !(sx >= x0 && sx <= x1 && sy >= y0 && sy <= y1) {
			continue // also drops NaN
		}
		// Whole pixels: the sprite maps 1:1 onto the screen.
		x, y := float32(math.Round(sx)), float32(math.Round(sy))
		vs = append(vs,
			ebiten.Vertex{DstX: x - h, DstY: y - h, SrcX: 0, SrcY: 0, ColorR: c.R, ColorG: c.G, ColorB: c.B, ColorA: c.A},
			ebiten.Vertex{DstX: x + h, DstY: y - h, SrcX: s, SrcY: 0, ColorR: c.R, ColorG: c.G, ColorB: c.B, ColorA: c.A},
			ebiten.Vertex{DstX: x + h, DstY: y + h, SrcX: s, SrcY: s, ColorR: c.R, ColorG: c.G, ColorB: c.B, ColorA: c.A},
			ebiten.Vertex{DstX: x - h, DstY: y + h, SrcX: 0, SrcY: s, ColorR: c.R, ColorG: c.G, ColorB: c.B, ColorA: c.A})
		if len(vs) >= maxQuad*4 {
			dst.DrawTriangles(vs, r.quadIdx, img, &r.dotOpts)
			vs = vs[:0]
		}
	}
	if len(vs) > 0 {
		dst.DrawTriangles(vs, r.quadIdx[:len(vs)/4*6], img, &r.dotOpts)
	}
	r.dotVerts = vs[:0]
}

// heatUpsample is the texture's size per grid cell: the grid is interpolated bilinearly on the CPU
// so that the GPU samples the texture with the nearest filter.
func heatUpsample(nx, ny int) int { return int(clamp(math.Ceil(256/float64(max(nx, ny))), 1, 8)) }

// drawHeat draws phi as a colour-mapped mesh: one vertex per grid node, so that the image follows
// the log-compressed view too.
func (r *Renderer) drawHeat(dst *ebiten.Image, tr *Transform, sc *Scene) {
	f := &sc.Field
	nx, ny := f.NX, f.NY
	k := heatUpsample(nx, ny)
	tw, th := nx*k, ny*k
	if r.heat == nil || r.heatNX != tw || r.heatNY != th {
		if r.heat != nil {
			r.heat.Deallocate()
		}
		r.heat = ebiten.NewImage(tw, th)
		r.heatNX, r.heatNY = tw, th
		r.heatVersion = -1
	}
	if r.heatVersion != sc.FieldVersion {
		r.heatVersion = sc.FieldVersion
		if cap(r.heatPix) < tw*th*4 {
			r.heatPix = make([]byte, tw*th*4)
		}
		pix := r.heatPix[:tw*th*4]
		span := f.ColorHi - f.ColorLo
		scale := 0.0
		if span > 0 {
			scale = 255 / span
		}
		// Separable bilinear interpolation: first between two grid rows, then along the row.
		if cap(r.heatRow) < nx {
			r.heatRow = make([]float64, nx)
		}
		row := r.heatRow[:nx]
		for J := 0; J < th; J++ {
			gy := clamp((float64(J)+0.5)/float64(k)-0.5, 0, float64(ny-1))
			j := min(int(gy), ny-2)
			b := gy - float64(j)
			r0, r1 := f.Phi[j*nx:(j+1)*nx], f.Phi[(j+1)*nx:(j+2)*nx]
			for i := range row {
				row[i] = (1-b)*float64(r0[i]) + b*float64(r1[i])
			}
			p := J * tw * 4
			for I := 0; I < tw; I++ {
				gx := clamp((float64(I)+0.5)/float64(k)-0.5, 0, float64(nx-1))
				i := min(int(gx), nx-2)
				a := gx - float64(i)
				v := (1-a)*row[i] + a*row[i+1]
				if !isFinite(v) {
					pix[p], pix[p+1], pix[p+2], pix[p+3] = 0, 0, 0, 0
				} else {
					t := 127.5
					if scale > 0 {
						t = (Warp(v, f.Log) - f.ColorLo) * scale
					}
					c := HeatLUT[int(clamp(t, 0, 255)+0.5)]
					pix[p], pix[p+1], pix[p+2], pix[p+3] = c[0], c[1], c[2], 255
				}
				p += 4
			}
		}
		r.heat.WritePixels(pix)
	}
	// Rows in chunks so that uint16 indices suffice.
	rows := max(2, maxBatchVerts/nx)
	if cap(r.heatSX) < nx {
		r.heatSX = make([]float32, nx)
	}
	sxs := r.heatSX[:nx]
	for i := range sxs {
		sxs[i] = float32(tr.ScreenX(f.NodeX(i)))
	}
	kf := float32(k)
	for j0 := 0; j0 < ny-1; j0 += rows - 1 {
		j1 := min(j0+rows-1, ny-1)
		vs, is := r.heatVerts[:0], r.heatIdx[:0]
		for j := j0; j <= j1; j++ {
			sy := float32(tr.ScreenY(f.NodeY(j)))
			for i := 0; i < nx; i++ {
				sx := sxs[i]
				vs = append(vs, ebiten.Vertex{DstX: sx, DstY: sy, SrcX: (float32(i) + 0.5) * kf, SrcY: (float32(j) + 0.5) * kf, ColorR: 1, ColorG: 1, ColorB: 1, ColorA: 1})
			}
		}
		for j := 0; j < j1-j0; j++ {
			for i := 0; i < nx-1; i++ {
				a := uint16(j*nx + i)
				b, c, d := a+1, a+uint16(nx)+1, a+uint16(nx)
				is = append(is, a, b, c, a, c, d)
			}
		}
		dst.DrawTriangles(vs, is, r.heat, &r.heatOpts)
		r.heatVerts, r.heatIdx = vs[:0], is[:0]
	}
}

// drawArrows draws -grad phi on a grid of about 20 x 20 screen cells, arrow length proportional to
// the gradient's norm relative to the field's largest.
func (r *Renderer) drawArrows(tr *Transform, f *Field) {
	if !(f.GradMax > 0) {
		return
	}
	sp := math.Max(math.Max(tr.W, tr.H)/20, r.px(22))
	nx, ny := max(1, int(tr.W/sp)), max(1, int(tr.H/sp))
	cw, ch := tr.W/float64(nx), tr.H/float64(ny)
	cell := math.Min(cw, ch)
	lw := math.Max(1, r.px(1.1))
	for j := 0; j < ny; j++ {
		sy := tr.Y + (float64(j)+0.5)*ch
		for i := 0; i < nx; i++ {
			sx := tr.X + (float64(i)+0.5)*cw
			x, y := tr.ToData(sx, sy)
			gx, gy, ok := f.Gradient(x, y)
			if !ok {
				continue
			}
			m := math.Hypot(gx, gy)
			if !(m > 0) {
				continue
			}
			vx, vy := -gx*WarpSlope(x, tr.Log), gy*WarpSlope(y, tr.Log)
			vl := math.Hypot(vx, vy)
			if !(vl > 0) {
				continue
			}
			vx, vy = vx/vl, vy/vl
			L := cell * 0.8 * math.Min(1, m/f.GradMax)
			if L < r.px(3) {
				L = r.px(3)
			}
			hx, hy := sx+vx*L/2, sy+vy*L/2
			tx, ty := sx-vx*L/2, sy-vy*L/2
			hl := math.Min(L*0.42, r.px(7))
			hw := hl * 0.5
			bx, by := hx-vx*hl, hy-vy*hl
			r.b.line(tx, ty, bx+vx*hl*0.3, by+vy*hl*0.3, lw, colArrow)
			r.b.tri(hx, hy, bx-vy*hw, by+vx*hw, bx+vy*hw, by-vx*hw, colArrow)
		}
	}
}

// drawTrail draws each tracked particle's recent positions as a ribbon fading with age.
func (r *Renderer) drawTrail(dst *ebiten.Image, tr *Transform, t *Trails, c RGBA) {
	L, J := t.Len(), t.Tracked()
	if L < 2 || J == 0 {
		return
	}
	per := 2 * L
	perCall := maxBatchVerts / per
	w := math.Max(1, r.px(1))
	h := (w + 1) / 2
	if cap(r.trailPts) < 2*L {
		r.trailPts = make([]float64, 2*L)
	}
	pts := r.trailPts[:2*L]
	x0, x1 := tr.X-tr.W, tr.X+2*tr.W
	y0, y1 := tr.Y-tr.H, tr.Y+2*tr.H
	vs, is := r.trailVerts[:0], r.trailIdx[:0]
	flush := func() {
		if len(is) > 0 {
			dst.DrawTriangles(vs, is, r.lineTex, &r.b.opts)
		}
		vs, is = vs[:0], is[:0]
	}
	r.b.opts.Filter = ebiten.FilterLinear
	r.b.opts.DisableMipmaps = true
	count := 0
	for j := 0; j < J; j++ {
		visible, bad := false, false
		for k := 0; k < L; k++ {
			px, py := t.At(j, k)
			sx, sy := tr.ScreenX(float64(px)), tr.ScreenY(float64(py))
			if !isFinite(sx) || !isFinite(sy) || math.Abs(sx) > 1e7 || math.Abs(sy) > 1e7 {
				bad = true
				break
			}
			if sx >= x0 && sx <= x1 && sy >= y0 && sy <= y1 {
				visible = true
			}
			pts[2*k], pts[2*k+1] = sx, sy
		}
		if bad || !visible {
			continue
		}
		if count == perCall {
			flush()
			count = 0
		}
		base := uint16(len(vs))
		for k := 0; k < L; k++ {
			a, b := max(k-1, 0), min(k+1, L-1)
			dx, dy := pts[2*b]-pts[2*a], pts[2*b+1]-pts[2*a+1]
			dl := math.Hypot(dx, dy)
			nx, ny := 0.0, 0.0
			if dl > 1e-9 {
				nx, ny = -dy/dl*h, dx/dl*h
			}
			al := c.A * float32(k) / float32(L-1)
			x, y := pts[2*k], pts[2*k+1]
			vs = append(vs,
				ebiten.Vertex{DstX: float32(x + nx), DstY: float32(y + ny), SrcX: 2, SrcY: 0.5, ColorR: c.R, ColorG: c.G, ColorB: c.B, ColorA: al},
				ebiten.Vertex{DstX: float32(x - nx), DstY: float32(y - ny), SrcX: 2, SrcY: 3.5, ColorR: c.R, ColorG: c.G, ColorB: c.B, ColorA: al})
		}
		for k := 0; k < L-1; k++ {
			a := base + uint16(2*k)
			is = append(is, a, a+1, a+3, a, a+3, a+2)
		}
		count++
	}
	flush()
	r.trailVerts, r.trailIdx = vs[:0], is[:0]
}

// computeTicks fills r.xt and r.yt for the plot.
func (r *Renderer) computeTicks(tr *Transform) {
	maxX := int(clamp(tr.W/r.px(80), 3, 10))
	maxY := int(clamp(tr.H/r.px(42), 3, 10))
	r.axis(&r.xt, tr, tr.U0, tr.U1, maxX, func(v float64) float64 { return tr.ScreenX(v) })
	r.axis(&r.yt, tr, tr.V0, tr.V1, maxY, func(v float64) float64 { return tr.ScreenY(v) })
}

func (r *Renderer) axis(a *axisTicks, tr *Transform, lo, hi float64, maxTicks int, screen func(float64) float64) {
	a.pos, a.labels, a.minor = a.pos[:0], a.labels[:0], a.minor[:0]
	if tr.Log {
		ticks, minor, dec, step := LogTicks(r.ticks[:0], r.minor[:0], lo, hi, maxTicks)
		r.ticks, r.minor = ticks, minor
		for _, v := range ticks {
			a.pos = append(a.pos, screen(v))
			if dec {
				a.labels = append(a.labels, FormatLogTick(v))
			} else {
				a.labels = append(a.labels, FormatTick(v, step))
			}
		}
		for _, v := range minor {
			a.minor = append(a.minor, screen(v))
		}
		return
	}
	ticks, step := NiceTicks(r.ticks[:0], lo, hi, maxTicks)
	r.ticks = ticks
	for _, v := range ticks {
		a.pos = append(a.pos, screen(v))
		a.labels = append(a.labels, FormatTick(v, step))
	}
}

// drawTickLabels writes the axes' labels. A label that would overlap one already placed is left
// out; 0 is placed first, so that it survives where the log view crowds 0 and ±1.
func (r *Renderer) drawTickLabels(dst *ebiten.Image, p *Rect) {
	gap := r.px(6)
	r.placed = r.placed[:0]
	for pass := 0; pass < 2; pass++ {
		for i, x := range r.xt.pos {
			if (r.xt.labels[i] == "0") != (pass == 0) {
				continue
			}
			w := text.Advance(r.xt.labels[i], r.small)
			if r.overlaps(x-w/2-gap/2, x+w/2+gap/2) {
				continue
			}
			r.placed = append(r.placed, [2]float64{x - w/2 - gap/2, x + w/2 + gap/2})
			r.text(dst, minus(r.xt.labels[i]), r.small, x, p.Y+p.H+r.px(7), text.AlignCenter, text.AlignStart, colText)
		}
	}
	r.placed = r.placed[:0]
	lh := r.smallLine
	for pass := 0; pass < 2; pass++ {
		for i, y := range r.yt.pos {
			if (r.yt.labels[i] == "0") != (pass == 0) {
				continue
			}
			if r.overlaps(y-lh/2, y+lh/2) {
				continue
			}
			r.placed = append(r.placed, [2]float64{y - lh/2, y + lh/2})
			r.text(dst, minus(r.yt.labels[i]), r.small, p.X-r.px(8), y, text.AlignEnd, text.AlignCenter, colText)
		}
	}
}

func (r *Renderer) overlaps(a, b float64) bool {
	for _, iv := range r.placed {
		if a < iv[1] && b > iv[0] {
			return true
		}
	}
	return false
}

// minus writes a leading minus sign as the typographic one.
func minus(s string) string {
	if strings.HasPrefix(s, "-") {
		return "−" + s[1:]
	}
	return s
}

// text draws s with its anchor at (x, y).
func (r *Renderer) text(dst *ebiten.Image, s string, face *text.GoTextFace, x, y float64, ha, va text.Align, c RGBA) {
	r.top.GeoM.Reset()
	r.top.GeoM.Translate(math.Round(x), math.Round(y))
	r.top.ColorScale.Reset()
	r.top.ColorScale.Scale(c.R*c.A, c.G*c.A, c.B*c.A, c.A)
	r.top.PrimaryAlign, r.top.SecondaryAlign = ha, va
	text.Draw(dst, s, face, &r.top)
}

// buildStatus prepares the status line's pieces when the frame or the options changed.
func (r *Renderer) buildStatus(sc *Scene, opt Options) {
	key := ""
	if sc.Heavy && !opt.Log {
		key = "heavy"
	}
	if r.statusVersion == sc.Version && r.statusKey == key {
		return
	}
	r.statusVersion, r.statusKey = sc.Version, key
	r.units = r.units[:0]
	add := func(ps ...statusPiece) {
		u := statusUnit{pieces: ps}
		for i := range u.pieces {
			p := &u.pieces[i]
			if p.dot {
				p.w = r.px(12)
			} else {
				p.w = text.Advance(p.text, r.face)
			}
			u.w += p.w
		}
		r.units = append(r.units, u)
	}
	if !sc.HasFrame {
		add(statusPiece{text: "lipflow view: no frame yet", col: colMuted})
		return
	}
	head := fmt.Sprintf("step %d", sc.Step)
	if sc.Dim > 2 {
		head += fmt.Sprintf("  (d = %d, shown in 2D)", sc.Dim)
	}
	add(statusPiece{text: head, col: colText})
	for k := 0; k < sc.NRuns; k++ {
		run := &sc.Runs[k]
		label := run.Label
		if label == "" {
			label = fmt.Sprintf("run %d", k+1)
		}
		c := rgb8(RunColor(k), 1)
		if run.Error != "" {
			add(statusPiece{dot: true, col: c}, statusPiece{text: label + ": ", col: c}, statusPiece{text: oneLine(run.Error), col: colError})
			continue
		}
		mn := run.MetricName
		if mn == "" {
			mn = "metric"
		}
		st := run.Stats
		s := fmt.Sprintf("div %s   KE %s   %s %s", minus(FormatSig(st.Divergence, 3)), minus(FormatSig(st.KE, 3)), mn, minus(FormatSig(st.Metric, 3)))
		add(statusPiece{dot: true, col: c}, statusPiece{text: label + ": ", col: c}, statusPiece{text: s, col: colText})
	}
	if key == "heavy" {
		add(statusPiece{text: "heavy-tailed target: the log view shows the tails", col: colMuted})
	}
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// wrapStatus assigns the status units to lines no wider than w and returns the number of lines.
func (r *Renderer) wrapStatus(w float64) int {
	gap := r.px(22)
	x, lines := 0.0, 1
	for i := range r.units {
		u := &r.units[i]
		if x > 0 && x+gap+u.w > w {
			lines++
			x = 0
		}
		if x > 0 {
			x += gap
		}
		x += u.w
	}
	return lines
}

func (r *Renderer) drawStatus(dst *ebiten.Image, s *Rect) {
	gap := r.px(22)
	x, y := 0.0, s.Y
	lh := r.lineH
	for i := range r.units {
		u := &r.units[i]
		if x > 0 && x+gap+u.w > s.W {
			y += lh
			x = 0
		}
		if x > 0 {
			x += gap
		}
		cx := s.X + x
		for _, p := range u.pieces {
			if p.dot {
				r.disc(dst, cx+p.w*0.4, y+lh/2, r.px(8), p.col)
			} else {
				// Truncate what does not fit on one line.
				t := p.text
				if cx+p.w > s.X+s.W {
					t = truncate(t, r.face, s.X+s.W-cx)
				}
				r.text(dst, t, r.face, cx, y+lh/2, text.AlignStart, text.AlignCenter, p.col)
			}
			cx += p.w
		}
		x += u.w
	}
}

func truncate(s string, face *text.GoTextFace, w float64) string {
	rs := []rune(s)
	for n := len(rs); n > 0; n-- {
		t := string(rs[:n]) + "…"
		if text.Advance(t, face) <= w {
			return t
		}
	}
	return ""
}

// disc draws one particle sprite of diameter d centred at (x, y).
func (r *Renderer) disc(dst *ebiten.Image, x, y, d float64, c RGBA) {
	img, size := r.dotSprite(d)
	s := float32(size)
	h := s / 2
	fx, fy := float32(math.Round(x)), float32(math.Round(y))
	vs := append(r.dotVerts,
		ebiten.Vertex{DstX: fx - h, DstY: fy - h, SrcX: 0, SrcY: 0, ColorR: c.R, ColorG: c.G, ColorB: c.B, ColorA: c.A},
		ebiten.Vertex{DstX: fx + h, DstY: fy - h, SrcX: s, SrcY: 0, ColorR: c.R, ColorG: c.G, ColorB: c.B, ColorA: c.A},
		ebiten.Vertex{DstX: fx + h, DstY: fy + h, SrcX: s, SrcY: s, ColorR: c.R, ColorG: c.G, ColorB: c.B, ColorA: c.A},
		ebiten.Vertex{DstX: fx - h, DstY: fy + h, SrcX: 0, SrcY: s, ColorR: c.R, ColorG: c.G, ColorB: c.B, ColorA: c.A})
	dst.DrawTriangles(vs, r.quadIdx[:6], img, &r.dotOpts)
	r.dotVerts = vs[:0]
}
