package main

import (
	"errors"
	"fmt"
	"strings"

	"lipflow/flow"
)

// runSpec is one flow to run: its settings, and the label of its points and curves.
type runSpec struct {
	label    string
	settings flow.Settings
}

// expandRuns returns the runs asked for: the base settings alone, or one run per -compare
// entry, each the base with the entry's overrides. Every run is validated here, so that a bad
// third entry is refused at once rather than after two runs of minutes.
func expandRuns(o *options) ([]runSpec, error) {
	if o.compare == "" {
		if err := o.base.Validate(); err != nil {
			return nil, err
		}
		return []runSpec{{defaultLabel(o.base), o.base}}, nil
	}
	// Every run is drawn in one figure against one set of targets, so none may change their
	// dimension, nor, when they come from a file, the targets themselves.
	fixed := []string{"dim"}
	if o.targetCSV != "" {
		fixed = append(fixed, "m", "target")
	}
	var runs []runSpec
	for i, entry := range strings.Split(o.compare, "|") {
		entry = strings.TrimSpace(entry)
		s, err := override(o.base, entry, fixed)
		if err == nil {
			err = s.Validate()
		}
		if err != nil {
			return nil, fmt.Errorf("compare entry %d %q: %w", i+1, entry, err)
		}
		runs = append(runs, runSpec{entry, s})
	}
	return runs, nil
}

// override returns base with the entry's comma-separated key=value settings applied.
func override(base flow.Settings, entry string, fixed []string) (flow.Settings, error) {
	s := base
	if entry == "" {
		return s, errors.New("empty entry, want comma-separated key=value settings")
	}
	for _, item := range splitTopLevel(entry) {
		key, value, ok := strings.Cut(item, "=")
		key = strings.TrimSpace(key)
		if !ok || key == "" {
			return s, fmt.Errorf("%q is not key=value", item)
		}
		for _, f := range fixed {
			if key == f {
				return s, fmt.Errorf("%s cannot differ between the runs of one comparison", key)
			}
		}
		if err := s.Set(key, strings.TrimSpace(value)); err != nil {
			return s, err
		}
	}
	return s, nil
}

// splitTopLevel splits at the commas outside parentheses, since a distribution spec such as
// student-t(nu=1,scale=2) holds commas of its own.
func splitTopLevel(s string) []string {
	var parts []string
	depth, start := 0, 0
	for i, c := range s {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, s[start:])
}

// defaultLabel names a single run by its method, or GPA's by its divergence, the setting a
// reader looks for first.
func defaultLabel(s flow.Settings) string {
	if m := s.Get("method"); m != flow.MethodGPA {
		return "method=" + m
	}
	if s.F == "alpha" {
		return "f=alpha,alpha=" + s.Get("alpha")
	}
	return "f=" + s.F
}
