// Command singlefile writes the whole lab as one self-contained HTML file, for ./build.sh dist:
//
//	go run ./tools/singlefile -www www -o dist/lipflow.html [-charset utf-8]
//
// It reads the built site (www/ after ./build.sh build) and rewrites index.html: every
// stylesheet becomes a <style>, every script an inline <script>, the view's iframe a srcdoc
// holding view.html inlined the same way, and engine.wasm and view.wasm compressed payloads
// (LZMA with xz's strongest setting where the xz command is installed, else gzip: codec.go)
// in non-executing blocks (codec.go: raw bytes in a windows-1252 page by default, 7
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
	codec := flag.String("codec", "", "the payloads' compression: lzma (needs the xz command; the default where it is installed) or gzip (the default elsewhere, a 4.1 MB file)")
	flag.Parse()
	pk, ok := packers[*codec]
	if *codec == "" {
		if pk, ok = defaultPacker(); !ok {
			fmt.Fprintln(os.Stderr, "singlefile: no xz command (apt-get install xz-utils): the payloads are gzip, the file 1 MB larger")
		}
		ok = true
	}
	if !ok {
		fmt.Fprintf(os.Stderr, "singlefile: -codec %q: lzma or gzip\n", *codec)
		os.Exit(2)
	}
	c, ok := charsets[*cs]
	if !ok {
		fmt.Fprintf(os.Stderr, "singlefile: -charset %q: windows-1252 or utf-8\n", *cs)
		os.Exit(2)
	}
	b, err := build(os.DirFS(*www), c, pk)
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
