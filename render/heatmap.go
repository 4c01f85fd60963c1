//go:build js && wasm

package render

import (
	"math"

	"github.com/hajimehoshi/ebiten/v2"
)

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
