package ae

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func small(t *testing.T) *AE {
	t.Helper()
	c := Defaults()
	c.Latent, c.Width, c.Depth = 4, 16, 2
	a, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	a.Curve, a.HeldoutCurve, a.HeldoutLoss = []float64{500.25, 200.125}, []float64{510.5, 210}, 210
	return a
}

// TestWeightsRoundTrip checks that every float32 weight comes back bit for bit.
func TestWeightsRoundTrip(t *testing.T) {
	a := small(t)
	// Awkward values: subnormal, tiny, huge, zero, many digits.
	copy(a.Enc.Params, []float32{1e-45, -3.4028235e38, 1.1754944e-38, 0.1, 0, 1.0000001})
	b, err := a.Export()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Import(b)
	if err != nil {
		t.Fatal(err)
	}
	if got.Config != a.Config {
		t.Fatalf("config %+v, want %+v", got.Config, a.Config)
	}
	for _, p := range [][2][]float32{{got.Enc.Params, a.Enc.Params}, {got.Dec.Params, a.Dec.Params}} {
		for i := range p[0] {
			if p[0][i] != p[1][i] {
				t.Fatalf("parameter %d: %v after the round trip, was %v", i, p[0][i], p[1][i])
			}
		}
	}
	b2, _ := got.Export()
	if !bytes.Equal(b, b2) {
		t.Fatal("export of the imported autoencoder differs from the original export")
	}
	// The imported network computes what the original does.
	x := make([]float32, Pixels)
	for i := range x {
		x[i] = float32(i%7) / 7
	}
	z1, z2 := make([]float32, 4), make([]float32, 4)
	a.Encode(x, 1, z1)
	got.Encode(x, 1, z2)
	for i := range z1 {
		if z1[i] != z2[i] {
			t.Fatalf("codes %v after import, %v before", z2, z1)
		}
	}
}

// TestWeightsRefused edits a valid file into malformed ones; each must be refused with a
// message naming the problem.
func TestWeightsRefused(t *testing.T) {
	good, err := small(t).Export()
	if err != nil {
		t.Fatal(err)
	}
	edit := func(f func(m map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(good, &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		b, _ := json.Marshal(m)
		return b
	}
	layer0 := func(m map[string]any, net string) map[string]any {
		return m[net].(map[string]any)["layers"].([]any)[0].(map[string]any)
	}
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"not JSON", []byte("hello"), "not valid JSON"},
		{"truncated", good[:len(good)/2], "not valid JSON"},
		{"trailing", append(append([]byte(nil), good...), []byte(" {}")...), "trailing data"},
		{"format", edit(func(m map[string]any) { m["format"] = "keras" }), `format "keras"`},
		{"version", edit(func(m map[string]any) { m["version"] = 7 }), "version 7"},
		{"config", edit(func(m map[string]any) { m["config"].(map[string]any)["latent"] = 1000 }), "latent = 1000"},
		{"unknown field", edit(func(m map[string]any) { m["extra"] = 1 }), "not valid JSON"},
		{"sizes", edit(func(m map[string]any) { m["encoder"].(map[string]any)["sizes"] = []int{784, 16, 16, 5} }), "encoder layer sizes"},
		{"layers", edit(func(m map[string]any) {
			d := m["decoder"].(map[string]any)
			d["layers"] = d["layers"].([]any)[:1]
		}), "decoder has 1 layers, want 3"},
		{"weights", edit(func(m map[string]any) {
			l := layer0(m, "encoder")
			l["w"] = l["w"].([]any)[:10]
		}), "encoder layer 1 has 10 weights"},
		{"overflow", edit(func(m map[string]any) { layer0(m, "decoder")["b"].([]any)[0] = 1e300 }), "not valid JSON"},
		{"string number", edit(func(m map[string]any) { layer0(m, "decoder")["b"].([]any)[0] = "NaN" }), "not valid JSON"},
		{"oversized", append(good, bytes.Repeat([]byte(" "), MaxJSON)...), "limit"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Import(c.data)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

func TestConfigRefused(t *testing.T) {
	for _, f := range []func(*Config){
		func(c *Config) { c.Latent = 1 },
		func(c *Config) { c.Latent = 65 },
		func(c *Config) { c.Width = 8 },
		func(c *Config) { c.Depth = 0 },
		func(c *Config) { c.Epochs = 0 },
		func(c *Config) { c.Batch = 5000 },
		func(c *Config) { c.LR = 0 },
		func(c *Config) { c.LR = 2 },
	} {
		c := Defaults()
		f(&c)
		if err := c.Validate(); err == nil {
			t.Fatalf("config %+v accepted", c)
		}
	}
}
