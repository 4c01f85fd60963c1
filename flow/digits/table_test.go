package digits

import (
	"strconv"
	"testing"
)

// TestExtraTable: the page's description of the experiment's names says what Set, Get and
// Validate do: the same defaults, every option accepted, the range's ends accepted and the
// values beyond them refused.
func TestExtraTable(t *testing.T) {
	if len(ExtraTable)+1 != len(ExtraNames) { // label is per run and free text: not a form field
		t.Fatalf("ExtraTable has %d names, ExtraNames %d", len(ExtraTable), len(ExtraNames))
	}
	for _, st := range ExtraTable {
		def := DefaultSettings()
		if got := def.Get(st.Name); got != st.Default {
			t.Errorf("%s: table default %q, DefaultSettings %q", st.Name, st.Default, got)
		}
		var ok, bad []string
		switch st.Kind {
		case "choice":
			ok, bad = st.Options, []string{"nonsense"}
		case "int":
			ok = []string{strconv.Itoa(int(st.Min)), strconv.Itoa(int(st.Max))}
			bad = []string{strconv.Itoa(int(st.Min) - 1), strconv.Itoa(int(st.Max) + 1)}
		default:
			t.Fatalf("%s: kind %q not checked", st.Name, st.Kind)
		}
		for _, v := range ok {
			s := DefaultSettings()
			if err := s.Set(st.Name, v); err != nil {
				t.Errorf("%s = %s: %v", st.Name, v, err)
			} else if err := s.Validate(); err != nil {
				t.Errorf("%s = %s refused: %v", st.Name, v, err)
			}
		}
		for _, v := range bad {
			s := DefaultSettings()
			if s.Set(st.Name, v) == nil && s.Validate() == nil {
				t.Errorf("%s = %s accepted", st.Name, v)
			} else if err := s.Validate(); err != nil && SettingName(err) != st.Name {
				t.Errorf("%s = %s: the error names %q: %v", st.Name, v, SettingName(err), err)
			}
		}
	}
}
