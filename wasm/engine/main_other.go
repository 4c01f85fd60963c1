//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

// The engine only runs in a browser's Web Worker; natively its core is exercised by the tests.
func main() {
	fmt.Fprintln(os.Stderr, "lipflow engine: build with GOOS=js GOARCH=wasm (see build.sh); natively, run go test")
	os.Exit(2)
}
