package ae

import (
	"encoding/json"
	"fmt"
	"strconv"
	"testing"
)

// TestConfigTable: ConfigTable names Config's JSON fields, gives Defaults() as defaults, and
// its ranges are what Validate checks (ends accepted, beyond refused, the error naming the
// field).
func TestConfigTable(t *testing.T) {
	var def map[string]any
	b, _ := json.Marshal(Defaults())
	if err := json.Unmarshal(b, &def); err != nil {
		t.Fatal(err)
	}
	if len(def) != len(ConfigTable) {
		t.Fatalf("Config has %d fields, ConfigTable %d", len(def), len(ConfigTable))
	}
	for _, f := range ConfigTable {
		v, ok := def[f.Name]
		if !ok {
			t.Fatalf("ConfigTable names %q, not a field of Config", f.Name)
		}
		if got := fmt.Sprint(v); got != f.Default {
			t.Errorf("%s: table default %q, Defaults() %q", f.Name, f.Default, got)
		}
		set := func(x float64) error {
			m := map[string]any{}
			for k, v := range def {
				m[k] = v
			}
			m[f.Name] = x
			b, _ := json.Marshal(m)
			var c Config
			if err := json.Unmarshal(b, &c); err != nil {
				t.Fatal(err)
			}
			return c.Validate()
		}
		switch f.Kind {
		case "int":
			for _, x := range []float64{f.Min, f.Max} {
				if err := set(x); err != nil {
					t.Errorf("%s = %v refused: %v", f.Name, x, err)
				}
			}
			for _, x := range []float64{f.Min - 1, f.Max + 1} {
				err := set(x)
				if err == nil || err.Error()[:len(f.Name)+3] != f.Name+" = " {
					t.Errorf("%s = %v: %v", f.Name, x, err)
				}
			}
		case "number":
			if err := set(f.Max); err != nil {
				t.Errorf("%s = %v refused: %v", f.Name, f.Max, err)
			}
			for _, x := range []float64{f.Min, f.Max * 1.5} {
				if set(x) == nil {
					t.Errorf("%s = %v accepted", f.Name, x)
				}
			}
		case "seed":
			if _, err := strconv.ParseUint(f.Default, 10, 64); err != nil {
				t.Errorf("seed default %q", f.Default)
			}
		default:
			t.Errorf("%s: kind %q not checked", f.Name, f.Kind)
		}
	}
}
