package flow

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// forms writes x the ways a URL, a JSON file or JavaScript may: shortest, exponent, plain.
func forms(x float64) []string {
	f := []string{strconv.FormatFloat(x, 'g', -1, 64), strconv.FormatFloat(x, 'e', -1, 64), strconv.FormatFloat(x, 'E', -1, 64)}
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		f = append(f, strconv.FormatFloat(x, 'f', -1, 64), strconv.FormatFloat(x, 'f', 1, 64))
	}
	return f
}

// boundsBase is a valid setting whose network is small enough for n, m = 1e6 to stay within the
// memory limit.
func boundsBase() Settings {
	s := Defaults()
	s.Width, s.Depth = 1, 1
	return s
}

// TestSettingBounds walks every numeric setting's range: its ends are accepted however they
// are written, and the values just outside are refused with the setting's name and range.
func TestSettingBounds(t *testing.T) {
	isInt := func(name string) bool {
		s := boundsBase()
		return s.Set(name, "0.5") != nil
	}
	for _, st := range SettingTable {
		if st.value == nil {
			continue
		}
		r := struct {
			name    string
			lo, hi  float64
			openLow bool
			want    string
			get     func(*Settings) float64
		}{st.Name, st.Min, st.Max, st.OpenMin, st.Range, st.value}
		integer := isInt(r.name)
		var inside, outside []float64
		if !r.openLow {
			inside = append(inside, r.lo)
		} else {
			outside = append(outside, r.lo)
		}
		if r.hi < math.MaxFloat64 {
			inside = append(inside, r.hi)
		}
		if integer {
			outside = append(outside, r.lo-1, r.hi+1)
		} else {
			outside = append(outside, math.Nextafter(r.lo, math.Inf(-1)))
			if r.hi < math.MaxFloat64 {
				outside = append(outside, math.Nextafter(r.hi, math.Inf(1)))
			}
		}
		for _, x := range inside {
			for _, text := range forms(x) {
				s := boundsBase()
				if err := s.Set(r.name, text); err != nil {
					t.Errorf("%s = %q: %v", r.name, text, err)
					continue
				}
				if got := r.get(&s); got != x {
					t.Errorf("%s = %q read as %v", r.name, text, got)
				}
				if err := s.Validate(); err != nil {
					t.Errorf("%s = %q refused: %v", r.name, text, err)
				}
			}
		}
		for _, x := range outside {
			for _, text := range forms(x) {
				s := boundsBase()
				if err := s.Set(r.name, text); err != nil {
					t.Errorf("%s = %q: %v (a number: the range check should refuse it)", r.name, text, err)
					continue
				}
				err := s.Validate()
				if err == nil {
					t.Errorf("%s = %q accepted, want %s", r.name, text, r.want)
					continue
				}
				if got := SettingOf(err); got != r.name {
					t.Errorf("%s = %q refused as setting %q", r.name, text, got)
				}
				if msg := err.Error(); !strings.HasPrefix(msg, r.name+" = ") || !strings.Contains(msg, r.want) {
					t.Errorf("%s = %q refused as %q, want the setting's name and %q", r.name, text, msg, r.want)
				}
			}
		}
	}
}

// TestIntegerSettingsRefuseNonIntegers: a fraction or a word is refused by name, with the reason.
func TestIntegerSettingsRefuseNonIntegers(t *testing.T) {
	for _, c := range []struct{ value, reason string }{
		{"2.5", "is not an integer"}, {"1e-3", "is not an integer"}, {"ten", "is not a number"},
		{"NaN", "is not an integer"}, {"1e400", "is too large"},
	} {
		s := Defaults()
		err := s.Set("steps", c.value)
		if err == nil || !strings.Contains(err.Error(), "steps = ") || !strings.Contains(err.Error(), c.reason) {
			t.Errorf("steps = %q: error %v, want %q", c.value, err, c.reason)
		}
	}
}
