//go:build js && wasm

package main

import (
	"syscall/js"

	"github.com/hajimehoshi/ebiten/v2"
)

// lipflowView.capture() returns a Promise of the next drawn picture: {width, height, rgba:
// Uint8ClampedArray} (premultiplied, opaque here: the view paints its background). The page
// turns it into a PNG with a canvas, whose encoder runs off the main thread. WebGL's drawing
// buffer is cleared once shown, so the pixels are read inside Draw, right after drawing.
func installCapture(api js.Value, g *Game) {
	api.Set("capture", guarded("capture", func(args []js.Value) any {
		var resolve js.Value
		executor := js.FuncOf(func(_ js.Value, a []js.Value) any {
			resolve = a[0]
			return nil
		})
		p := js.Global().Get("Promise").New(executor)
		executor.Release()
		g.mu.Lock()
		g.captures = append(g.captures, resolve)
		g.dirty = true
		g.mu.Unlock()
		return p
	}))
}

// finishCaptures answers the pending captures with the screen just drawn (g.mu held).
func (g *Game) finishCaptures(screen *ebiten.Image) {
	if len(g.captures) == 0 {
		return
	}
	b := screen.Bounds()
	pix := make([]byte, 4*b.Dx()*b.Dy())
	screen.ReadPixels(pix)
	arr := js.Global().Get("Uint8ClampedArray").New(len(pix))
	js.CopyBytesToJS(arr, pix)
	for _, resolve := range g.captures {
		resolve.Invoke(map[string]any{"width": b.Dx(), "height": b.Dy(), "rgba": arr})
	}
	g.captures = nil
}
