// Command serve serves a built site over HTTP for ./build.sh serve, as a static host would:
//
//	go run ./tools/serve -dir www -addr 127.0.0.1:8080
//
// Text and WebAssembly go gzip-compressed to browsers that accept it, as every common host
// sends them: the lab's scripts shrink 3x and engine.wasm from 4.6 to 1.2 MB, which a phone
// on a slow network feels (Lighthouse's mobile setting counts every byte before the first
// paint: docs/performance.md#lighthouse). A precompressed NAME.gz beside a file (./build.sh
// dist writes them) is sent as it is; otherwise the file is compressed once and kept in memory
// until it changes on disk. Everything else is net/http's FileServer.
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"log"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

func main() {
	dir := flag.String("dir", "www", "the folder to serve")
	addr := flag.String("addr", "127.0.0.1:8080", "the address to listen on")
	flag.Parse()
	if st, err := os.Stat(*dir); err != nil || !st.IsDir() {
		log.Fatalf("serve: %s is not a folder (build the site first: ./build.sh build)", *dir)
	}
	fmt.Printf("serving %s at http://%s/\n", *dir, *addr)
	log.Fatal(http.ListenAndServe(*addr, newHandler(*dir)))
}

// compressible lists the extensions sent gzip-compressed: text and WebAssembly. Images and the
// data files (.gz already, or binary floats that gzip barely shrinks) go as they are.
var compressible = map[string]bool{
	".html": true, ".js": true, ".css": true, ".wasm": true, ".json": true, ".svg": true,
	".txt": true, ".csv": true, ".md": true,
}

// handler serves dir, gzip-compressed where the browser accepts it.
type handler struct {
	dir   string
	files http.Handler
	mu    sync.Mutex
	cache map[string]gzipped // by file path
}

// gzipped is a file's compressed bytes and the version of the file they were made from.
type gzipped struct {
	mod  time.Time
	size int64
	body []byte
}

func newHandler(dir string) *handler {
	return &handler{dir: dir, files: http.FileServer(http.Dir(dir)), cache: map[string]gzipped{}}
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := path.Clean("/" + r.URL.Path) // no trailing slash but the root's
	if name == "/" {
		name = "/index.html"
	}
	ext := path.Ext(name)
	if r.Method != http.MethodGet || !compressible[ext] || !acceptsGzip(r) {
		h.files.ServeHTTP(w, r)
		return
	}
	file := filepath.Join(h.dir, filepath.FromSlash(name))
	body, err := h.gzip(file)
	if err != nil { // missing, a folder, unreadable: FileServer says so
		h.files.ServeHTTP(w, r)
		return
	}
	ctype := mime.TypeByExtension(ext)
	if ctype == "" { // .txt, .csv, .md where the system has no MIME table
		ctype = "text/plain; charset=utf-8"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Encoding", "gzip")
	w.Header().Set("Vary", "Accept-Encoding")
	w.Header().Set("Content-Length", fmt.Sprint(len(body)))
	w.Write(body)
}

// gzip returns file's compressed bytes: its NAME.gz if that is at least as new, else the file
// compressed (once per version of the file).
func (h *handler) gzip(file string) ([]byte, error) {
	st, err := os.Stat(file)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a file", file)
	}
	if gz, err := os.Stat(file + ".gz"); err == nil && gz.Mode().IsRegular() && !gz.ModTime().Before(st.ModTime()) {
		return os.ReadFile(file + ".gz")
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if c, ok := h.cache[file]; ok && c.mod.Equal(st.ModTime()) && c.size == st.Size() {
		return c.body, nil
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	zw.Write(raw)
	if err := zw.Close(); err != nil {
		return nil, err
	}
	h.cache[file] = gzipped{mod: st.ModTime(), size: st.Size(), body: buf.Bytes()}
	return buf.Bytes(), nil
}

// acceptsGzip reports whether the request's Accept-Encoding allows gzip (not with q=0).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(coding) != "gzip" {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}
