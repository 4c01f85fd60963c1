//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

// The merge engine only runs in a browser's Web Worker; natively its core is exercised by the
// tests, and lipflow-merge is the native runner.
func main() {
	fmt.Fprintln(os.Stderr, "lipflow merge engine: build with GOOS=js GOARCH=wasm (see build.sh); natively, use lipflow-merge")
	os.Exit(2)
}
