package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// site writes a small site into a temporary folder and returns the folder.
func site(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// get requests path from h with the given Accept-Encoding and returns the response with its
// body decoded (gunzipped when it says gzip).
func get(t *testing.T, h http.Handler, path, accept string) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if accept != "" {
		req.Header.Set("Accept-Encoding", accept)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	var body io.Reader = res.Body
	if res.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			t.Fatalf("%s: gzip body: %v", path, err)
		}
		body = zr
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

func TestServe(t *testing.T) {
	script := strings.Repeat("console.log('lipflow');\n", 200)
	wasm := "\x00asm\x01\x00\x00\x00" + strings.Repeat("\x00", 5000)
	dir := site(t, map[string]string{
		"index.html":  "<!doctype html><title>lab</title>",
		"lipflow.js":  script,
		"engine.wasm": wasm,
		"kidney.bin":  "\x01\x02\x03",
	})
	h := newHandler(dir)
	for _, c := range []struct {
		path, accept, body, ctype, encoding string
	}{
		{"/lipflow.js", "gzip, deflate, br", script, "text/javascript; charset=utf-8", "gzip"},
		{"/lipflow.js", "", script, "text/javascript; charset=utf-8", ""},
		{"/lipflow.js", "br", script, "text/javascript; charset=utf-8", ""},
		{"/lipflow.js", "gzip;q=0, br", script, "text/javascript; charset=utf-8", ""},
		{"/lipflow.js", "deflate, gzip;q=0.5", script, "text/javascript; charset=utf-8", "gzip"},
		{"/engine.wasm", "gzip", wasm, "application/wasm", "gzip"},                             // streaming compilation needs the type
		{"/", "gzip", "<!doctype html><title>lab</title>", "text/html; charset=utf-8", "gzip"}, // the folder's index
		{"/kidney.bin", "gzip", "\x01\x02\x03", "", ""},                                        // binary data as it is
	} {
		res, body := get(t, h, c.path, c.accept)
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s (%q): status %d", c.path, c.accept, res.StatusCode)
			continue
		}
		if body != c.body {
			t.Errorf("%s (%q): body of %d bytes, want the file's %d", c.path, c.accept, len(body), len(c.body))
		}
		if got := res.Header.Get("Content-Encoding"); got != c.encoding {
			t.Errorf("%s (%q): Content-Encoding %q, want %q", c.path, c.accept, got, c.encoding)
		}
		if c.ctype != "" && res.Header.Get("Content-Type") != c.ctype {
			t.Errorf("%s (%q): Content-Type %q, want %q", c.path, c.accept, res.Header.Get("Content-Type"), c.ctype)
		}
	}
	if res, _ := get(t, h, "/missing.js", "gzip"); res.StatusCode != http.StatusNotFound {
		t.Errorf("/missing.js: status %d, want 404", res.StatusCode)
	}
	if res, _ := get(t, h, "/../main.go", "gzip"); res.StatusCode == http.StatusOK {
		t.Errorf("/../main.go: served a file outside the folder")
	}
}

// TestServeFresh checks that a file changed on disk is sent changed (the compressed copy kept
// in memory is made again), and that a precompressed NAME.gz is sent only while it is as new
// as the file.
func TestServeFresh(t *testing.T) {
	dir := site(t, map[string]string{"a.js": "var a = 1;"})
	h := newHandler(dir)
	if _, body := get(t, h, "/a.js", "gzip"); body != "var a = 1;" {
		t.Fatalf("a.js: %q", body)
	}
	later := time.Now().Add(time.Minute)
	write := func(name, body string, mod time.Time) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(filepath.Join(dir, name), mod, mod); err != nil {
			t.Fatal(err)
		}
	}
	write("a.js", "var a = 2;", later)
	if _, body := get(t, h, "/a.js", "gzip"); body != "var a = 2;" {
		t.Errorf("a.js after a change: %q, want the new contents", body)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("var a = 'precompressed';"))
	zw.Close()
	write("a.js.gz", gz.String(), later.Add(time.Minute))
	if _, body := get(t, h, "/a.js", "gzip"); body != "var a = 'precompressed';" {
		t.Errorf("a.js beside a newer a.js.gz: %q, want a.js.gz's contents", body)
	}
	write("a.js", "var a = 3;", later.Add(2*time.Minute))
	if _, body := get(t, h, "/a.js", "gzip"); body != "var a = 3;" {
		t.Errorf("a.js newer than a.js.gz: %q, want a.js's contents", body)
	}
}
