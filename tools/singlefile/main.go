// Command singlefile writes the whole lab as one self-contained HTML file, for ./build.sh dist:
//
//	go run ./tools/singlefile -www www -o dist/lipflow.html [-charset utf-8]
//
// It reads the built site (www/ after ./build.sh build) and rewrites index.html: every
// stylesheet becomes a <style>, every script an inline <script>, the view's iframe a srcdoc
// holding view.html inlined the same way, and engine.wasm and view.wasm gzip-compressed
// payloads in non-executing blocks (codec.go: raw bytes in a windows-1252 page by default, 7
// bits a character in a UTF-8 page with -charset utf-8). A bootstrap script (bootstrap.js) defines
// window.LIPFLOW_BUNDLE, which lipflow.js and view.js use instead of fetching: the engine
// worker and the view's decoder are blob: workers built from blocks of the page. The page's
// Content-Security-Policy allows nothing but the inline blocks, by their sha256 hashes, blob:
// workers and Go's WebAssembly ('wasm-unsafe-eval'): opened from disk it runs without a server
// and no request leaves the file.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	www := flag.String("www", "www", "the built site")
	out := flag.String("o", "dist/lipflow.html", "the file to write")
	cs := flag.String("charset", "windows-1252", "the page's charset: windows-1252 (the smallest file), or utf-8 (14% larger payloads, for servers that send every page as UTF-8)")
	flag.Parse()
	c, ok := charsets[*cs]
	if !ok {
		fmt.Fprintf(os.Stderr, "singlefile: -charset %q: windows-1252 or utf-8\n", *cs)
		os.Exit(2)
	}
	b, err := build(os.DirFS(*www), c)
	if err != nil {
		fmt.Fprintln(os.Stderr, "singlefile:", err)
		os.Exit(1)
	}
	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "singlefile:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, b.html, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "singlefile:", err)
		os.Exit(1)
	}
	fmt.Printf("%s: %d bytes\n", *out, len(b.html))
	for _, p := range b.parts {
		fmt.Printf("  %-46s %9d bytes\n", p.name, p.size)
	}
}
