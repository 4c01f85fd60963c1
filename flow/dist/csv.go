package dist

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
)

// ReadCSV reads samples: one point per line, comma-separated numbers,
// optional header line (a first line with any non-numeric field is a header),
// blank lines ignored, at most maxBytes bytes read (bigger input is refused).
// LF and CRLF line ends and a leading UTF-8 byte order mark are accepted; the
// first data line fixes d. Errors name the line number (counted from 1,
// blank lines included) and the problem, e.g.
//
//	line 7: field 2 "abc" is not a number
//	line 9: 3 fields, expected 2
//	line 4: NaN/Inf not allowed (field 1)
//	input larger than 1048576 bytes
func ReadCSV(r io.Reader, maxBytes int64) (x []float64, d int, err error) {
	if maxBytes <= 0 {
		return nil, 0, fmt.Errorf("maxBytes = %d, want maxBytes > 0", maxBytes)
	}
	// One byte past the limit tells "exactly maxBytes" from "more".
	buf, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, 0, fmt.Errorf("reading input: %w", err)
	}
	if int64(len(buf)) > maxBytes {
		return nil, 0, fmt.Errorf("input larger than %d bytes", maxBytes)
	}
	buf = bytes.TrimPrefix(buf, []byte("\ufeff"))

	first := true // the next non-blank line may be a header
	lineNo := 0
	for len(buf) > 0 {
		var line []byte
		line, buf, _ = bytes.Cut(buf, []byte("\n"))
		lineNo++
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		fields := bytes.Split(line, []byte(","))
		if first {
			first = false
			if isHeader(fields) {
				continue
			}
		}
		if d == 0 {
			d = len(fields)
		} else if len(fields) != d {
			return nil, 0, fmt.Errorf("line %d: %d fields, expected %d", lineNo, len(fields), d)
		}
		for i, f := range fields {
			v, err := parseField(f)
			switch {
			case errors.Is(err, errNotFinite):
				return nil, 0, fmt.Errorf("line %d: NaN/Inf not allowed (field %d)", lineNo, i+1)
			case err != nil:
				return nil, 0, fmt.Errorf("line %d: field %d %q is not a number", lineNo, i+1, bytes.TrimSpace(f))
			}
			x = append(x, v)
		}
	}
	if d == 0 {
		return nil, 0, errors.New("no data lines")
	}
	return x, d, nil
}

var errNotFinite = errors.New("not finite")

// parseField reads one number; an overflow such as 1e999 counts as Inf.
func parseField(f []byte) (float64, error) {
	v, err := strconv.ParseFloat(string(bytes.TrimSpace(f)), 64)
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, errNotFinite
	}
	return v, err
}

func isHeader(fields [][]byte) bool {
	for _, f := range fields {
		if _, err := parseField(f); err != nil && !errors.Is(err, errNotFinite) {
			return true
		}
	}
	return false
}
