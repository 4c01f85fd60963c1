package main

import (
	"image"
	"image/color"
	"image/png"
	"os"

	"lipflow/flow/digits"
	"lipflow/flow/mnist"
)

// gridCols is the number of digits of each class a panel shows.
const gridCols = 20

// writeGrid writes panels side by side, 10 rows (the classes 0..9) each: first the targets,
// then each run's samples (its first gridCols of each class), separated by a grey band.
// Pixels are grey levels, ink white on black as in MNIST.
func writeGrid(path string, tg *digits.Targets, runs []*digits.Run) error {
	const S, gap = mnist.Side, 12
	panels := 1 + len(runs)
	w := panels*gridCols*S + (panels-1)*gap
	h := mnist.Classes * S
	img := image.NewGray(image.Rect(0, 0, w, h))
	for x := range w {
		for y := range h {
			img.SetGray(x, y, color.Gray{Y: 96})
		}
	}
	draw := func(panel int, pix []float32, labels []int32) {
		next := make([]int, mnist.Classes)
		x0 := panel * (gridCols*S + gap)
		for i, c := range labels {
			col := next[c]
			if col >= gridCols {
				continue
			}
			next[c]++
			d := pix[i*mnist.Pixels : (i+1)*mnist.Pixels]
			for y := range S {
				for x := range S {
					v := min(max(d[y*S+x], 0), 1)
					img.SetGray(x0+col*S+x, int(c)*S+y, color.Gray{Y: uint8(v*255 + 0.5)})
				}
			}
		}
		// Classes with fewer samples than columns: the rest of the row stays black.
		for c := range mnist.Classes {
			for col := next[c]; col < gridCols; col++ {
				for y := range S {
					for x := range S {
						img.SetGray(x0+col*S+x, c*S+y, color.Gray{})
					}
				}
			}
		}
	}
	draw(0, tg.Pix, tg.Labels)
	for i, r := range runs {
		draw(i+1, r.Samples(), r.Labels())
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
