package dist

import (
	"fmt"
	"slices"
	"strings"
)

// shapeDef is one entry of the registry Parse and Names read.
type shapeDef struct {
	name  string
	keys  []string // the shape's own keys; loc and scale are common to all
	build func(p *params, d int) (drawer, error)
}

// shapes is in menu order: Names returns it as is.
var shapes = []shapeDef{
	{"gaussian", []string{"mean", "sd", "cov"}, buildGaussian},
	{"student-t", []string{"nu"}, buildStudentT},
	{"four-gaussians", []string{"sd", "gap"}, buildFourGaussians},
	{"stretched-exp", []string{"beta", "form"}, buildStretchedExp},
	{"swiss-roll", []string{"noise"}, buildSwissRoll},
	{"sierpinski", []string{"level"}, buildSierpinski},
	{"moons", []string{"noise"}, buildMoons},
	{"spiral", []string{"noise"}, buildSpiral},
	{"checkerboard", nil, buildCheckerboard},
	// points is served by the Points type, not by a drawer.
	{pointsName, []string{"x"}, nil},
}

var commonKeys = []string{"loc", "scale"}

// Names lists the shape names Parse accepts, in a stable order for menus.
// "points" comes last and needs its x setting (or NewPoints).
func Names() []string {
	out := make([]string, len(shapes))
	for i, s := range shapes {
		out[i] = s.name
	}
	return out
}

// Parse builds a sampler from a spec string and a dimension d (d >= 1).
// See the package documentation for the grammar, the shapes and their
// parameters. Parse never panics; every refusal is an error naming the
// setting and what it accepts.
func Parse(spec string, d int) (Sampler, error) {
	if d < 1 {
		return nil, fmt.Errorf("dist: d = %d, want d >= 1", d)
	}
	name, raw, err := splitSpec(spec)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(shapes, func(s shapeDef) bool { return s.name == name })
	if i < 0 {
		return nil, fmt.Errorf("dist: unknown shape %q, want one of %s", name, strings.Join(Names(), ", "))
	}
	def := shapes[i]
	p := &params{shape: name, raw: raw}
	if err := p.onlyKeys(append(slices.Clip(def.keys), commonKeys...)); err != nil {
		return nil, err
	}
	loc, scale, err := p.affine(d)
	if err != nil {
		return nil, err
	}
	if def.build == nil {
		return parsePoints(p, d, loc, scale)
	}
	dr, err := def.build(p, d)
	if err != nil {
		return nil, err
	}
	return &shape{name: name, dim: d, loc: loc, scale: scale, d: dr}, nil
}

// splitSpec cuts "name(k=v,...)" into its name and settings.
func splitSpec(spec string) (name string, raw map[string]string, err error) {
	s := strings.TrimSpace(spec)
	raw = map[string]string{}
	body, hasBody := "", false
	if i := strings.IndexByte(s, '('); i >= 0 {
		if !strings.HasSuffix(s, ")") {
			return "", nil, fmt.Errorf("dist: spec %q: missing closing ')'", spec)
		}
		s, body, hasBody = s[:i], s[i+1:len(s)-1], true
	}
	name = strings.ToLower(strings.TrimSpace(s))
	if name == "" {
		return "", nil, fmt.Errorf("dist: spec %q: missing shape name, want one of %s", spec, strings.Join(Names(), ", "))
	}
	if strings.ContainsAny(name, "(),=;") {
		return "", nil, fmt.Errorf("dist: spec %q: malformed shape name %q", spec, name)
	}
	if strings.ContainsAny(body, "()") {
		return "", nil, fmt.Errorf("dist: spec %q: unexpected parenthesis inside the settings", spec)
	}
	if !hasBody || strings.TrimSpace(body) == "" {
		return name, raw, nil
	}
	for item := range strings.SplitSeq(body, ",") {
		key, val, ok := strings.Cut(item, "=")
		key = strings.ToLower(strings.TrimSpace(key))
		val = strings.TrimSpace(val)
		switch {
		case !ok:
			return "", nil, fmt.Errorf("dist: %s: setting %q is not key=value", name, strings.TrimSpace(item))
		case key == "":
			return "", nil, fmt.Errorf("dist: %s: setting %q has no key", name, strings.TrimSpace(item))
		case val == "":
			return "", nil, fmt.Errorf("dist: %s: %s has no value", name, key)
		}
		if _, dup := raw[key]; dup {
			return "", nil, fmt.Errorf("dist: %s: %s given twice", name, key)
		}
		raw[key] = val
	}
	return name, raw, nil
}

// onlyKeys refuses a key the shape does not know; the first in sorted order,
// so the message does not depend on map order.
func (p *params) onlyKeys(known []string) error {
	given := make([]string, 0, len(p.raw))
	for k := range p.raw {
		given = append(given, k)
	}
	slices.Sort(given)
	for _, k := range given {
		if !slices.Contains(known, k) {
			return p.errf("unknown key %q, want one of %s", k, strings.Join(known, ", "))
		}
	}
	return nil
}

// affine reads the loc and scale every shape accepts. A zero loc comes back
// nil so that Sample skips it and String leaves it out.
func (p *params) affine(d int) (loc []float64, scale float64, err error) {
	loc, err = p.vector("loc", d, 0)
	if err != nil {
		return nil, 0, err
	}
	if !slices.ContainsFunc(loc, func(x float64) bool { return x != 0 }) {
		loc = nil
	}
	scale, err = p.positive("scale", 1)
	return loc, scale, err
}
