package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"reflect"
	"strings"

	"lipflow/flow"
)

// report is the JSON summary written as the last line of stdout.
type report struct {
	Settings []flow.Settings `json:"settings"` // of each run, in the order of runs
	Runs     []runResult     `json:"runs"`
	Outputs  []string        `json:"outputs"` // files written
}

// runResult is one run's outcome.
type runResult struct {
	Label     string       `json:"label"`
	StepsDone int          `json:"steps_done"`
	Error     *string      `json:"error"`   // null when the run did all its steps
	Warning   *string      `json:"warning"` // flow.Health's at the end: null for a healthy run
	Seconds   float64      `json:"seconds"`
	MsPerStep float64      `json:"ms_per_step"`
	Final     flow.Stats   `json:"final"`
	Figures   figures      `json:"figures"` // the final particles against the reference sample
	Floor     *figures     `json:"floor"`   // the run's own targets against it; null for a target file
	Curve     []curvePoint `json:"curve"`
}

// writeJSON writes v as one line of JSON. encoding/json refuses NaN and ±Inf, which some
// figures legitimately are (MMD² of a single particle, a run that took no step), so every
// non-finite number is written as null.
func writeJSON(w io.Writer, v any) error {
	b, err := json.Marshal(encodable(reflect.ValueOf(v)))
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// encodable copies v into values encoding/json writes as it would v, except that non-finite
// floats become nil. Structs become objects that keep their fields' order and JSON names.
func encodable(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Invalid:
		return nil
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil
		}
		return f
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return encodable(v.Elem())
	case reflect.Slice:
		if v.IsNil() {
			return nil
		}
		fallthrough
	case reflect.Array:
		out := make([]any, v.Len())
		for i := range out {
			out[i] = encodable(v.Index(i))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return nil
		}
		out := make(map[string]any, v.Len())
		for it := v.MapRange(); it.Next(); {
			out[fmt.Sprint(it.Key().Interface())] = encodable(it.Value())
		}
		return out
	case reflect.Struct:
		var obj object
		t := v.Type()
		for i := range t.NumField() {
			sf := t.Field(i)
			name, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if !sf.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = sf.Name
			}
			fv := v.Field(i)
			if opts == "omitempty" && isEmpty(fv) {
				continue
			}
			obj = append(obj, member{name, encodable(fv)})
		}
		return obj
	}
	// Strings, booleans and integers encode as they are.
	return v.Interface()
}

// isEmpty is encoding/json's notion of an empty value, for omitempty.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	}
	return v.IsZero()
}

// object is a JSON object whose members keep their order.
type object []member

type member struct {
	key   string
	value any
}

func (o object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(m.key)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(m.value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
