package main

import (
	"bytes"
	"os"
	"testing"
)

// TestCommittedFileIsCurrent: www/settings.js is what the table generates today.
func TestCommittedFileIsCurrent(t *testing.T) {
	want, err := generate()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../www/settings.js")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("www/settings.js is stale: run `go run ./tools/settingsjs`")
	}
}
