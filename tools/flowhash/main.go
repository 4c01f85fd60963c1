// Command flowhash runs short flows and prints hashes of their data and of their particles after
// given steps, so that builds for different platforms (native and js/wasm, plain and SIMD, any
// vector width) can be compared to the bit: flow/samebits_test.go builds it each way and
// compares the outputs.
//
//	go run ./tools/flowhash [-workers W] RUN...
//
// Each RUN is a comma-separated list of name=value: settings (flow.Settings.Set, over
// flow.Defaults()) and three of the tool's own: steps=0;1;5 (the step counts after which to
// print, default 0;1;5), classes=K (label the targets j mod K: a class-conditional
// discriminator with K heads) and workers=W (goroutines sharing a step; 0: all cores).
package main

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"

	"lipflow/flow"
	"lipflow/flow/dist"
)

func main() {
	workers := flag.Int("workers", 1, "goroutines that share a step, for runs that do not say (0: all cores)")
	flag.Parse()
	for i, r := range flag.Args() {
		fmt.Printf("run %d: %s\n", i, r)
		if err := run(os.Stdout, r, *workers); err != nil {
			// A flow that stops is a result too, and every build must stop alike; a bad
			// argument is not.
			fmt.Printf("error: %v\n", err)
			if errors.As(err, new(*flow.SettingError)) || strings.Contains(err.Error(), "want") && !errors.Is(err, flow.ErrDiverged) {
				fmt.Fprintln(os.Stderr, "flowhash:", err)
				os.Exit(1)
			}
		}
	}
}

func run(w io.Writer, spec string, workers int) error {
	s := flow.Defaults()
	steps, classes := []int{0, 1, 5}, 0
	for _, kv := range strings.Split(spec, ",") {
		name, value, ok := strings.Cut(kv, "=")
		if !ok {
			return fmt.Errorf("%q, want name=value", kv)
		}
		var err error
		switch name {
		case "steps":
			steps = nil
			for _, f := range strings.Split(value, ";") {
				k, err := strconv.Atoi(f)
				if err != nil || k < 0 || len(steps) > 0 && k < steps[len(steps)-1] {
					return fmt.Errorf("steps = %q, want increasing step counts", value)
				}
				steps = append(steps, k)
			}
		case "classes":
			classes, err = strconv.Atoi(value)
		case "workers":
			workers, err = strconv.Atoi(value)
		default:
			err = s.Set(name, value)
		}
		if err != nil {
			return err
		}
	}
	fl, err := newFlow(s, classes)
	if err != nil {
		return err
	}
	fl.SetWorkers(workers)
	fmt.Fprintf(w, "targets %016x particles %016x\n", hash(fl.Targets()), hash(fl.Particles()))
	done := 0
	for _, k := range steps {
		if err := fl.Run(k - done); err != nil {
			return err
		}
		done = k
		st := fl.Stats()
		fmt.Fprintf(w, "step %d particles %016x J %016x KE %016x\n", k, hash(fl.Particles()),
			math.Float64bits(st.Divergence), math.Float64bits(st.KE))
	}
	return nil
}

// newFlow is flow.New, or with classes > 0 a flow whose targets (drawn as New draws them) are
// labelled j mod classes.
func newFlow(s flow.Settings, classes int) (*flow.Flow, error) {
	if classes == 0 {
		return flow.New(s)
	}
	tgt, err := dist.Parse(s.Target, s.Dim)
	if err != nil {
		return nil, err
	}
	x := make([]float64, s.M*s.Dim)
	tgt.Sample(x, rand.New(rand.NewPCG(s.Seed, 1)))
	labels := make([]int32, s.M)
	for j := range labels {
		labels[j] = int32(j % classes)
	}
	return flow.NewWithTarget(s, x, labels, classes)
}

// hash is FNV-1a over the bits of x.
func hash(x []float64) uint64 {
	h := fnv.New64a()
	var b [8]byte
	for _, v := range x {
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
		h.Write(b[:])
	}
	return h.Sum64()
}
