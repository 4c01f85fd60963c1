//go:build js && wasm

package render

import (
	"fmt"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"
)

// statusPiece is a run of the status line in one colour, or a coloured disc.
type statusPiece struct {
	text string
	col  RGBA
	dot  bool // a coloured disc instead of text
	w    float64
}

// statusUnit is pieces the status line keeps on one line: a run's dot, label and figures.
type statusUnit struct {
	pieces []statusPiece
	w      float64
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
				p.w = r.advance(p.text)
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
		s := fmt.Sprintf("div %s   KE %s   %s %s", FormatSig(st.Divergence, 3), FormatSig(st.KE, 3), mn, FormatSig(st.Metric, 3))
		add(statusPiece{dot: true, col: c}, statusPiece{text: label + ": ", col: c}, statusPiece{text: s, col: colText})
	}
	if key == "heavy" {
		add(statusPiece{text: "heavy-tailed target: the log view shows the tails", col: colMuted})
	}
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > 300 {
		s = s[:300] + "..."
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
				t := fontText(p.text)
				if cx+p.w > s.X+s.W {
					t = truncateCells(t, int((s.X+s.W-cx)/(glyphAdv*r.textScale)))
				}
				r.cells(dst, t, cx, y+lh/2, alignStart, alignCenter, p.col)
			}
			cx += p.w
		}
		x += u.w
	}
}
