package dist

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

func TestReadCSVGood(t *testing.T) {
	cases := []struct {
		name, in string
		x        []float64
		d        int
	}{
		{"plain", "1,2\n3,4", []float64{1, 2, 3, 4}, 2},
		{"trailing newline", "1,2\n3,4\n", []float64{1, 2, 3, 4}, 2},
		{"header", "x,y\n1,2\n3,4\n", []float64{1, 2, 3, 4}, 2},
		{"quoted header", "\"x\",\"y\"\n1,2\n", []float64{1, 2}, 2},
		{"crlf", "x,y\r\n1,2\r\n3,4\r\n", []float64{1, 2, 3, 4}, 2},
		{"blank lines and spaces", "\n  \nx, y\n\n 1 , 2.5e1 \r\n\n-3,4\n\n", []float64{1, 25, -3, 4}, 2},
		{"one column", "v\n1\n2\n3\n", []float64{1, 2, 3}, 1},
		{"bom", "\ufeffa,b,c\n1,2,3\n", []float64{1, 2, 3}, 3},
		{"partly numeric header", "1,b\n1,2\n", []float64{1, 2}, 2},
	}
	for _, c := range cases {
		x, d, err := ReadCSV(strings.NewReader(c.in), 1<<20)
		if err != nil || d != c.d || !slices.Equal(x, c.x) {
			t.Errorf("%s: ReadCSV = %v, %d, %v; want %v, %d", c.name, x, d, err, c.x, c.d)
		}
	}
}

func TestReadCSVBad(t *testing.T) {
	cases := []struct {
		name, in string
		max      int64
		want     string
	}{
		{"not a number", "x,y\n1,2\n\n3,4\n5,6\n7,8\n1,abc\n", 1 << 20, `line 7: field 2 "abc" is not a number`},
		{"too many fields", "1,2\n3,4\n5,6,7\n", 1 << 20, `line 3: 3 fields, expected 2`},
		{"too few fields", "a,b\r\n1,2\r\n\r\n3\r\n", 1 << 20, `line 4: 1 fields, expected 2`},
		{"empty field", "1,2\n3,\n", 1 << 20, `line 2: field 2 "" is not a number`},
		{"nan", "x,y\n1,2\n3,4\nNaN,1\n", 1 << 20, `line 4: NaN/Inf not allowed (field 1)`},
		{"inf", "1,2\n3,-Inf\n", 1 << 20, `line 2: NaN/Inf not allowed (field 2)`},
		{"overflow", "1,2\n3,1e400\n", 1 << 20, `line 2: NaN/Inf not allowed (field 2)`},
		{"nan on first line is data", "nan,1\n", 1 << 20, `line 1: NaN/Inf not allowed (field 1)`},
		{"second header", "x,y\n1,2\nx,y\n", 1 << 20, `line 3: field 1 "x" is not a number`},
		{"too big", "1,2\n3,4\n", 7, `input larger than 7 bytes`},
		{"empty", "", 10, `no data lines`},
		{"header only", "x,y\n\n", 10, `no data lines`},
		{"bad limit", "1\n", 0, `maxBytes = 0, want maxBytes > 0`},
	}
	for _, c := range cases {
		_, _, err := ReadCSV(strings.NewReader(c.in), c.max)
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
}

func TestReadCSVLimitExact(t *testing.T) {
	// Exactly maxBytes is allowed; one more is not.
	in := "1,2\n3,4\n" // 8 bytes
	if _, _, err := ReadCSV(strings.NewReader(in), 8); err != nil {
		t.Errorf("8 bytes with limit 8: %v", err)
	}
	if _, _, err := ReadCSV(strings.NewReader(in+"5,6\n"), 8); err == nil {
		t.Error("12 bytes with limit 8 accepted")
	}
}

func TestReadCSVReaderError(t *testing.T) {
	boom := errors.New("boom")
	_, _, err := ReadCSV(iotest.ErrReader(boom), 10)
	if !errors.Is(err, boom) {
		t.Errorf("error %v, want it to wrap %v", err, boom)
	}
}

func TestReadCSVIntoPoints(t *testing.T) {
	x, d, err := ReadCSV(strings.NewReader("x,y\n1,2\n3,4\n"), 100)
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewPoints(x, d)
	if err != nil {
		t.Fatal(err)
	}
	if p.Len() != 2 || p.String() != "points(x=1;2;3;4)" {
		t.Errorf("got %d points %q", p.Len(), p.String())
	}
}
