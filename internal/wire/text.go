package wire

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// TextError is a problem CheckText finds in JSON text that encoding/json accepts.
type TextError struct {
	// Path is the member at fault: the names from the top-level object down, joined by '.', as
	// encoding/json names a member in its errors ("detail.user_id"; no array indexes); "" for the top level.
	Path string
	// Problem says what is wrong, e.g. "is not valid UTF-8" or "appears more than once".
	Problem string
}

// Error returns "<path>: <problem>", or the problem alone when Path is "".
func (e *TextError) Error() string {
	if e.Path == "" {
		return e.Problem
	}
	return e.Path + ": " + e.Problem
}

// Object says how CheckText compares the member names of a JSON object, and of every object element of a
// JSON array in its place. A nil *Object compares none.
type Object struct {
	// Fields are the names of the fields of the Go struct the object decodes into. A member matches the
	// field its name equals ignoring case (bytes.EqualFold), as encoding/json matches them; two members that
	// match one field are a duplicate, whatever their spelling. Other members are not compared (they are not
	// read). In Path, a member that matches a field is named by the field.
	Fields []string
	// Keys marks an object that decodes into a map: every member is read, and two members whose names are
	// equal (exactly) are a duplicate. Fields is then not used.
	Keys bool
	// Members are the Objects of member values, by field name (or, with Keys, by member name).
	Members map[string]*Object
}

// ObjectFor returns the Object of the JSON objects that encoding/json decodes into a T: for a struct, its
// fields' JSON names (embedded structs' fields included) and the Objects of the fields whose values are
// structs or maps, through pointers, slices and arrays; for a map, Keys (the member names of its values are
// not compared). It returns nil for any other type
// and for a type that decodes itself (json.Unmarshaler, such as json.RawMessage and time.Time), whose text
// CheckText then checks without comparing member names.
func ObjectFor[T any]() *Object { return objectOf(reflect.TypeFor[T](), map[reflect.Type]*Object{}) }

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

func objectOf(t reflect.Type, done map[reflect.Type]*Object) *Object {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
		if reflect.PointerTo(t).Implements(unmarshalerType) {
			return nil
		}
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		return nil
	}
	if o, ok := done[t]; ok {
		return o
	}
	switch t.Kind() {
	case reflect.Map:
		o := &Object{Keys: true} // the map's values are not compared
		done[t] = o
		return o
	case reflect.Struct:
		o := &Object{}
		done[t] = o
		addFields(o, t, done)
		return o
	}
	return nil
}

func addFields(o *Object, t reflect.Type, done map[reflect.Type]*Object) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			addFields(o, f.Type, done)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		o.Fields = append(o.Fields, name)
		if child := objectOf(f.Type, done); child != nil {
			if o.Members == nil {
				o.Members = map[string]*Object{}
			}
			o.Members[name] = child
		}
	}
}

// field returns the index of the field that the member name (as decoded) matches, or -1.
func (o *Object) field(name []byte) int {
	for i, f := range o.Fields {
		if string(name) == f {
			return i
		}
	}
	for i, f := range o.Fields {
		if bytes.EqualFold(name, []byte(f)) {
			return i
		}
	}
	return -1
}

// CheckText walks data, JSON text that encoding/json has already accepted, and returns the first of:
//
//   - a string (a value or a member name) that is not valid UTF-8, or that holds a \u escape of an
//     unpaired UTF-16 surrogate: encoding/json silently turns both into U+FFFD, so the decoded text would
//     differ from what was sent ("is not valid UTF-8");
//   - in an object that top (and its Members, recursively) describes, a member given twice ("appears more
//     than once"): encoding/json keeps the last one, and merges the two when they are objects, where another
//     reader may keep the first.
//
// It returns nil when there is none. A U+FFFD written in the text itself (as its UTF-8 bytes or as \ufffd)
// is a character like any other. Data that is not JSON gives a *TextError saying so; CheckText never panics
// and allocates nothing unless it finds a problem, an escaped member name or a map object.
func CheckText(data []byte, top *Object) *TextError {
	w := walker{data: data}
	if err := w.value(top); err != nil {
		return err
	}
	return nil
}

// segment is the member name under which a value is: the field it matched, or the raw text of its name
// (without the quotes, escapes not decoded).
type segment struct {
	field string
	raw   []byte
}

// within returns err with its path under the member seg: the path is built as the walk unwinds, so that
// a walk that finds nothing allocates nothing for it.
func within(err *TextError, seg segment) *TextError {
	name := seg.field
	if name == "" {
		name = string(unescape(seg.raw))
	}
	if err.Path == "" {
		err.Path = name
	} else {
		err.Path = name + "." + err.Path
	}
	return err
}

type walker struct {
	data []byte
	i    int
}

func (w *walker) fail(problem string) *TextError { return &TextError{Problem: problem} }

func (w *walker) malformed() *TextError { return w.fail("is not JSON") }

func (w *walker) space() {
	for w.i < len(w.data) {
		switch w.data[w.i] {
		case ' ', '\t', '\n', '\r':
			w.i++
		default:
			return
		}
	}
}

func (w *walker) value(obj *Object) *TextError {
	w.space()
	if w.i >= len(w.data) {
		return w.malformed()
	}
	switch w.data[w.i] {
	case '{':
		return w.object(obj)
	case '[':
		return w.array(obj)
	case '"':
		raw, ok := w.str()
		if !ok {
			return w.malformed()
		}
		if !ValidString(raw) {
			return w.fail("is not valid UTF-8")
		}
		return nil
	}
	// A number, true, false or null: nothing to check but where it ends.
	start := w.i
	for w.i < len(w.data) && isScalarByte(w.data[w.i]) {
		w.i++
	}
	if w.i == start {
		return w.malformed()
	}
	return nil
}

// isScalarByte reports whether c can be part of a JSON number, true, false or null.
func isScalarByte(c byte) bool {
	switch {
	case '0' <= c && c <= '9', 'a' <= c && c <= 'z':
		return true
	}
	return c == '-' || c == '+' || c == '.' || c == 'E'
}

func (w *walker) array(obj *Object) *TextError {
	w.i++ // '['
	w.space()
	if w.i < len(w.data) && w.data[w.i] == ']' {
		w.i++
		return nil
	}
	for {
		if err := w.value(obj); err != nil {
			return err
		}
		w.space()
		if w.i >= len(w.data) {
			return w.malformed()
		}
		switch w.data[w.i] {
		case ',':
			w.i++
		case ']':
			w.i++
			return nil
		default:
			return w.malformed()
		}
	}
}

func (w *walker) object(obj *Object) *TextError {
	w.i++ // '{'
	var seenFields [64]bool
	var seen []bool
	var seenKeys map[string]bool
	if obj != nil && !obj.Keys {
		if len(obj.Fields) > len(seenFields) {
			seen = make([]bool, len(obj.Fields))
		} else {
			seen = seenFields[:len(obj.Fields)]
		}
	}
	w.space()
	if w.i < len(w.data) && w.data[w.i] == '}' {
		w.i++
		return nil
	}
	for {
		w.space()
		if w.i >= len(w.data) || w.data[w.i] != '"' {
			return w.malformed()
		}
		raw, ok := w.str()
		if !ok {
			return w.malformed()
		}
		if !ValidString(raw) {
			return w.fail("holds a member name that is not valid UTF-8")
		}
		seg := segment{raw: raw}
		var child *Object
		if obj != nil {
			name := unescape(raw)
			if obj.Keys {
				if seenKeys == nil {
					seenKeys = map[string]bool{}
				}
				if seenKeys[string(name)] {
					return w.fail("holds the member " + quote(name) + " more than once")
				}
				seenKeys[string(name)] = true
				child = obj.Members[string(name)]
			} else if f := obj.field(name); f >= 0 {
				seg.field = obj.Fields[f]
				if seen[f] {
					problem := "appears more than once"
					if string(name) != seg.field {
						problem += " (member names match ignoring case; this one is " + quote(name) + ")"
					}
					return within(w.fail(problem), seg)
				}
				seen[f] = true
				child = obj.Members[seg.field]
			}
		}
		w.space()
		if w.i >= len(w.data) || w.data[w.i] != ':' {
			return w.malformed()
		}
		w.i++
		if err := w.value(child); err != nil {
			return within(err, seg)
		}
		w.space()
		if w.i >= len(w.data) {
			return w.malformed()
		}
		switch w.data[w.i] {
		case ',':
			w.i++
		case '}':
			w.i++
			return nil
		default:
			return w.malformed()
		}
	}
}

// str reads the string at w.i and returns its text between the quotes, escapes not decoded.
func (w *walker) str() ([]byte, bool) {
	start := w.i + 1
	for j := start; j < len(w.data); j++ {
		switch w.data[j] {
		case '\\':
			j++
		case '"':
			w.i = j + 1
			return w.data[start:j], true
		}
	}
	return nil, false
}

// ValidString reports whether raw, the text of a JSON string between its quotes (escapes not decoded),
// decodes without a replacement: it is valid UTF-8 and every \u escape of a UTF-16 surrogate is part of a
// high-low pair. encoding/json decodes both faults as U+FFFD without an error.
func ValidString(raw []byte) bool {
	if bytes.IndexByte(raw, '\\') < 0 {
		return utf8.Valid(raw)
	}
	if !utf8.Valid(raw) {
		return false
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' {
			continue
		}
		i++
		if i >= len(raw) || raw[i] != 'u' {
			continue
		}
		r, ok := hex4(raw[i+1:])
		if !ok {
			return false
		}
		i += 4
		if !utf16.IsSurrogate(r) {
			continue
		}
		// A high surrogate must be followed at once by the escape of a low one; a low one alone is unpaired.
		if r >= 0xDC00 || i+6 >= len(raw) || raw[i+1] != '\\' || raw[i+2] != 'u' {
			return false
		}
		r2, ok := hex4(raw[i+3:])
		if !ok || utf16.DecodeRune(r, r2) == utf8.RuneError {
			return false
		}
		i += 6
	}
	return true
}

// hex4 decodes the four hexadecimal digits at the start of b.
func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// unescape returns the decoded text of a JSON string's raw text: raw itself when it holds no escape.
func unescape(raw []byte) []byte {
	if bytes.IndexByte(raw, '\\') < 0 {
		return raw
	}
	quoted := make([]byte, 0, len(raw)+2)
	quoted = append(append(append(quoted, '"'), raw...), '"')
	var s string
	if json.Unmarshal(quoted, &s) != nil {
		return raw
	}
	return []byte(s)
}

// quote quotes a member name for a message, safely whatever it holds.
func quote(name []byte) string {
	b, _ := json.Marshal(string(name))
	return string(b)
}
