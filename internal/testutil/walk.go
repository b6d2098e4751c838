package testutil

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// MaxWalk is the most values Walk visits; a graph larger than that is cut off (Walk returns false).
const MaxWalk = 1 << 20

// Walk visits, by reflection and read-only, every string held anywhere in v: it follows pointers,
// interfaces, struct fields (unexported ones too), slice and array elements and map keys and values, and
// calls visit with each string and each byte slice or byte array (as a string), with the path that leads
// to it (e.g. `.Err.(*smithy.DeserializationError).Snapshot`). Each pointer, map and slice is visited once,
// so cycles end; funcs, channels and unsafe pointers are not entered (reflection cannot look inside a
// closure). It returns false when it stopped after MaxWalk values, true when it saw everything.
func Walk(v any, visit func(path, text string)) bool {
	w := walker{visit: visit, seen: map[seenKey]bool{}}
	w.walk(reflect.ValueOf(v), "")
	return w.n <= MaxWalk
}

type seenKey struct {
	ptr uintptr
	typ reflect.Type
	len int
}

type walker struct {
	visit func(path, text string)
	seen  map[seenKey]bool
	n     int
}

// once reports whether the reference value v is seen for the first time.
func (w *walker) once(v reflect.Value, n int) bool {
	k := seenKey{ptr: v.Pointer(), typ: v.Type(), len: n}
	if w.seen[k] {
		return false
	}
	w.seen[k] = true
	return true
}

func (w *walker) walk(v reflect.Value, path string) {
	if !v.IsValid() {
		return
	}
	if w.n++; w.n > MaxWalk {
		return
	}
	switch v.Kind() {
	case reflect.String:
		w.visit(path, v.String())
	case reflect.Pointer:
		if v.IsNil() || !w.once(v, 0) {
			return
		}
		w.walk(v.Elem(), path)
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		e := v.Elem()
		w.walk(e, fmt.Sprintf("%s.(%s)", path, e.Type()))
	case reflect.Struct:
		t := v.Type()
		for i := range v.NumField() {
			w.walk(v.Field(i), path+"."+t.Field(i).Name)
		}
	case reflect.Slice:
		if v.IsNil() || !w.once(v, v.Len()) {
			return
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			w.visit(path, string(v.Bytes()))
			return
		}
		for i := range v.Len() {
			w.walk(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			b := make([]byte, v.Len())
			for i := range b {
				b[i] = byte(v.Index(i).Uint())
			}
			w.visit(path, string(b))
			return
		}
		for i := range v.Len() {
			w.walk(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Map:
		if v.IsNil() || !w.once(v, 0) {
			return
		}
		i := 0
		for it := v.MapRange(); it.Next(); i++ {
			// A short string key names the entry; any other key is numbered, so that a path never shows
			// a secret held in a key.
			name := fmt.Sprintf("#%d", i)
			if k := it.Key(); k.Kind() == reflect.String && len(k.String()) <= 32 && !strings.Contains(k.String(), "eyJ") {
				name = fmt.Sprintf("%q", k.String())
			}
			w.walk(it.Key(), path+"{key "+name+"}")
			w.walk(it.Value(), path+"["+name+"]")
		}
	}
}

// Texts returns every string Walk finds in v, with its path, in the order found. It fails t when the walk
// was cut off.
func Texts(t testing.TB, v any) []Found {
	t.Helper()
	var out []Found
	if !Walk(v, func(path, text string) { out = append(out, Found{Path: path, Text: text}) }) {
		t.Errorf("testutil: the walk of %T stopped after %d values", v, MaxWalk)
	}
	return out
}

// Found is one string Walk found: where, and what.
type Found struct {
	Path string
	Text string
}

// SecretPaths returns the paths of the strings Walk finds in v that contain secret or any of its
// substrings of minLen bytes (all of secret when it is shorter). It never returns the secret nor the text
// that holds it. It fails t when the walk was cut off.
func SecretPaths(t testing.TB, v any, secret string, minLen int) []string {
	t.Helper()
	n := min(minLen, len(secret))
	var paths []string
	for _, f := range Texts(t, v) {
		for i := 0; i+n <= len(secret); i++ {
			if strings.Contains(f.Text, secret[i:i+n]) {
				paths = append(paths, f.Path)
				break
			}
		}
	}
	return paths
}
