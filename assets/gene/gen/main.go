// Command gen converts the plain files that assets/gene/generate.R extracts from Debian's
// Bioconductor packages into the compact files the merge page and runner read
// (flow/gene's format: per-probe uint16 quantisation with a stored offset and scale).
//
//	go run ./assets/gene/gen -in /tmp/gene-raw -out assets/gene/data
package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"lipflow/flow/gene"
)

// credits go into each file's header, so that the data carry their source wherever they go.
var credits = map[string]string{
	"bladder": "bladderbatch 1.36.0 (Bioconductor, J. T. Leek; Artistic-2.0), data of Dyrskjot et al., Cancer Research 2004 (GEO GSE3167): RMA log2 expression, HG-U133A",
	"kidney":  "GSE781 (GEO, public; Lenburg et al., BMC Cancer 2003) as shipped in GEOquery 2.66.0 extdata: HG-U133A MAS 5.0 signal, stored as log2(max(signal, 1))",
}

func main() {
	in := flag.String("in", "", "`directory` written by generate.R")
	out := flag.String("out", "assets/gene/data", "`directory` for the compact files")
	flag.Parse()
	for _, name := range []string{"bladder", "kidney"} {
		if err := convert(*in, *out, name); err != nil {
			fmt.Fprintf(os.Stderr, "gen: %s: %v\n", name, err)
			os.Exit(1)
		}
	}
}

func convert(in, out, name string) error {
	probes, err := lines(filepath.Join(in, name+"-probes.txt"))
	if err != nil {
		return err
	}
	rows, err := lines(filepath.Join(in, name+"-samples.tsv"))
	if err != nil {
		return err
	}
	if len(rows) < 2 || rows[0] != "id\tbatch\tclass" {
		return fmt.Errorf("samples.tsv: want the header id, batch, class and one row per sample")
	}
	set := &gene.Set{Dataset: name, Credit: credits[name], Probes: probes}
	for _, r := range rows[1:] {
		f := strings.Split(r, "\t")
		if len(f) != 3 {
			return fmt.Errorf("samples.tsv: %q has %d fields, want 3", r, len(f))
		}
		set.Samples = append(set.Samples, gene.Sample{ID: f[0], Batch: f[1], Class: f[2]})
	}
	raw, err := os.ReadFile(filepath.Join(in, name+"-values.f64"))
	if err != nil {
		return err
	}
	if len(raw) != 8*len(probes)*len(set.Samples) {
		return fmt.Errorf("values.f64: %d bytes for %d probes x %d samples", len(raw), len(probes), len(set.Samples))
	}
	set.X = make([]float64, len(raw)/8)
	for i := range set.X {
		set.X[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:]))
	}
	var buf bytes.Buffer
	if err := gene.Write(&buf, set); err != nil {
		return err
	}
	// Read back what was written: the file must pass the reader, and its worst quantisation
	// error is reported.
	back, err := gene.Read(buf.Bytes())
	if err != nil {
		return err
	}
	worst := 0.0
	for i, v := range back.X {
		worst = math.Max(worst, math.Abs(v-set.X[i]))
	}
	path := filepath.Join(out, name+".bin")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Printf("%s: %d probes x %d samples, %d bytes, largest quantisation error %.2g\n", path, len(probes), len(set.Samples), buf.Len(), worst)
	return nil
}

func lines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimRight(sc.Text(), "\r"); l != "" {
			out = append(out, l)
		}
	}
	return out, sc.Err()
}
