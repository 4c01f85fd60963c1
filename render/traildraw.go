//go:build js && wasm

package render

import (
	"math"

	"github.com/hajimehoshi/ebiten/v2"
)

// Trail settings: positions kept, particles tracked per run.
const (
	TrailLen   = 30
	TrailTrack = 400
)

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
