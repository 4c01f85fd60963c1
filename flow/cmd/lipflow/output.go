package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// writeOutputs writes the particles of every run and the two figures into o.out. It tries
// every file even when one fails, and returns the paths of those written.
func writeOutputs(o *options, jobs []*job, results []runResult) ([]string, error) {
	var files []string
	var errs []error
	for i, j := range jobs {
		name := o.name + ".csv"
		if len(jobs) > 1 {
			name = fmt.Sprintf("%s-%d.csv", o.name, i+1)
		}
		path := filepath.Join(o.out, name)
		if err := writeCSV(path, j.flow.Particles(), j.flow.Dim()); err != nil {
			errs = append(errs, err)
			continue
		}
		files = append(files, path)
	}

	logAxes := o.logAxes == "on"
	if o.logAxes == "auto" {
		for _, j := range jobs {
			logAxes = logAxes || j.ref.heavy
		}
	}
	figures := []struct {
		name string
		draw func(path string) error
	}{
		{o.name + ".png", func(path string) error { return scatterPNG(path, jobs, results, logAxes) }},
		{o.name + "-curves.png", func(path string) error { return curvesPNG(path, jobs, results) }},
	}
	for _, fig := range figures {
		path := filepath.Join(o.out, fig.name)
		if err := drawSafely(path, func() error { return fig.draw(path) }); err != nil {
			errs = append(errs, err)
			continue
		}
		files = append(files, path)
	}
	return files, errors.Join(errs...)
}

// writeCSV writes the rows of x (dimension d) under the header x1,...,xd, each number in the
// shortest form that parses back to the same float64.
func writeCSV(path string, x []float64, d int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for k := 1; k <= d; k++ {
		if k > 1 {
			w.WriteByte(',')
		}
		fmt.Fprintf(w, "x%d", k)
	}
	w.WriteByte('\n')
	var buf []byte
	for i, v := range x {
		buf = strconv.AppendFloat(buf[:0], v, 'g', -1, 64)
		w.Write(buf)
		if (i+1)%d == 0 {
			w.WriteByte('\n')
		} else {
			w.WriteByte(',')
		}
	}
	// bufio keeps the first write error and returns it from Flush.
	return errors.Join(w.Flush(), f.Close())
}
