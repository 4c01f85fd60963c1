// Package render draws lipflow's view: particles, targets, the potential phi and its gradient, trails,
// axes and the diagnostic charts.
//
// The geometry (transform.go, ticks.go, colormap.go, trails.go, charts.go, scene.go, layout.go) is plain
// Go and tested natively; the log-compressed map the view draws in is package render/logmap, which
// the engine shares. The files that import Ebitengine build only for js/wasm (//go:build js && wasm):
// Ebitengine's native build needs cgo and X11 development headers that the build machines lack, and
// the view only ever runs in the browser. Renderer.Draw (renderer.go) draws, in order, the heat map
// (heatmap.go), the grid and the arrows (axes.go, arrows.go), the targets, trails and particles
// (dots.go, traildraw.go), the legend and the cursor's readout (overlay.go), the axes (axes.go), the
// status line (status.go) and the charts (chartdraw.go), with the shapes of batch.go and the text of
// text.go: a bitmap font (font.go, plain Go: X11's misc-fixed 7x13 from golang.org/x/image's
// basicfont, drawn from one atlas, whole multiples of its pixels on high-DPI screens).
package render
