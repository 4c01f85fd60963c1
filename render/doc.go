// Package render draws lipflow's view: particles, targets, the potential phi and its gradient, trails,
// axes and the diagnostic charts.
//
// The geometry (transform.go, ticks.go, colormap.go, trails.go, charts.go, scene.go, layout.go) is plain
// Go and tested natively. The files that import Ebitengine (batch.go, plot.go, chartdraw.go) build only
// for js/wasm (//go:build js && wasm): Ebitengine's native build needs cgo and X11 development headers
// that the build machines lack, and the view only ever runs in the browser.
package render
