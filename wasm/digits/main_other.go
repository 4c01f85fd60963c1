//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

// The digits worker only runs in a browser's Web Worker; natively its core (lab.go) is
// exercised by the tests and by flow/cmd/lipflow-digits.
func main() {
	fmt.Fprintln(os.Stderr, "lipflow digits worker: build with GOOS=js GOARCH=wasm (see build.sh); natively, run go test")
	os.Exit(2)
}
