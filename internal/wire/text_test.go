package wire_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/wire"
)

// ValidString agrees with encoding/json: a string is valid exactly when decoding it produces no U+FFFD that
// the text does not itself write.
func TestValidString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		raw  string
		want bool
	}{
		{"empty", ``, true},
		{"ASCII", `abc`, true},
		{"UTF-8", `héllo 世界 😀`, true},
		{"U+FFFD written as bytes", "a\uFFFDb", true},
		{"U+FFFD written as an escape", `a\ufffdb`, true},
		{"simple escapes", `\"\\\/\b\f\n\r\t`, true},
		{"escape of a BMP character", `\u00e9\u4E16`, true},
		{"surrogate pair", `\ud83d\ude00`, true},
		{"surrogate pair, upper case", `\uD83D\uDE00`, true},
		{"first and last surrogate pair", `\ud800\udc00\udbff\udfff`, true},
		{"escaped backslash before u is no escape", `\\ud800`, true},
		{"last character before the surrogates", `\ud7ff`, true},
		{"first character after the surrogates", `\ue000`, true},
		{"invalid byte", "a\xffb", false},
		{"truncated UTF-8 sequence", "a\xe4\xb8", false},
		{"encoded surrogate bytes", "\xed\xa0\x80", false},
		{"overlong encoding", "\xc0\xaf", false},
		{"invalid byte beside an escape", "\\n\xff", false},
		{"lone high surrogate", `\ud800`, false},
		{"lone high surrogate, then text", `\ud800abcdef`, false},
		{"lone low surrogate", `\udc00`, false},
		{"low then high", `\udc00\ud800`, false},
		{"high then high", `\ud800\ud800`, false},
		{"high then a BMP escape", `\ud800\u0041`, false},
		{"high then a simple escape", `\ud800\n`, false},
		{"last high surrogate alone", `\udbff`, false},
		{"last low surrogate alone", `\udfff`, false},
		{"high surrogate cut short before the pair", `\ud800\udc0`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, wire.ValidString([]byte(tt.raw)))
			// The oracle: encoding/json's own decoding, where it accepts the text.
			var s string
			if json.Unmarshal([]byte(`"`+tt.raw+`"`), &s) == nil {
				written := strings.Count(tt.raw, "\uFFFD") + strings.Count(strings.ToLower(tt.raw), `\ufffd`)
				assert.Equal(t, tt.want, strings.Count(s, "\uFFFD") == written && utf8.ValidString(tt.raw), "decoded %q", s)
			}
		})
	}
}

var (
	tokenObj = &wire.Object{Fields: []string{"user_id", "attributes"}, Members: map[string]*wire.Object{"attributes": {Keys: true}}}
	topObj   = &wire.Object{Fields: []string{"id", "source", "detail"}, Members: map[string]*wire.Object{
		"detail": {Fields: []string{"event_name", "user_id", "new_token", "renditions"}, Members: map[string]*wire.Object{
			"new_token": tokenObj, "renditions": {Fields: []string{"path"}},
		}},
	}}
)

func TestCheckText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		data    string
		path    string // "" with problem "": no error
		problem string
	}{
		{"clean", `{"id":"a","source":"s","detail":{"event_name":"e","new_token":{"attributes":{"a":"1","A":"2"}}}}`, "", ""},
		{"scalars of every kind", ` { "id" : 1 , "x" : [ true , false , null , -1.5e3 , "s" , { } , [ ] ] } `, "", ""},
		{"unknown members repeated are not read, so not compared", `{"x":1,"x":2,"detail":{"y":1,"y":{"z":1,"z":2}}}`, "", ""},
		{"objects in unknown members are not compared", `{"other":{"id":1,"id":2}}`, "", ""},
		{"distinct attribute keys differing in case", `{"detail":{"new_token":{"attributes":{"role":"a","Role":"b"}}}}`, "", ""},

		{"top-level member twice", `{"id":"a","id":"b"}`, "id", "appears more than once"},
		{"top-level member in another case", `{"id":"a","ID":"b"}`, "id", `appears more than once (member names match ignoring case; this one is "ID")`},
		{"an escaped spelling is the same name", `{"source":"a","\u0073ource":"b"}`, "source", "appears more than once"},
		{"object member twice", `{"detail":{"event_name":"a"},"detail":{"user_id":"u"}}`, "detail", "appears more than once"},
		{"nested member twice", `{"detail":{"event_name":"a","Event_Name":"b"}}`, "detail.event_name", `appears more than once (member names match ignoring case; this one is "Event_Name")`},
		{"member of a matched object in another case", `{"DETAIL":{"new_token":{"user_id":"a","user_id":"b"}}}`, "detail.new_token.user_id", "appears more than once"},
		{"map key twice", `{"detail":{"new_token":{"attributes":{"role":"a","role":"b"}}}}`, "detail.new_token.attributes", `holds the member "role" more than once`},
		{"objects in an array", `{"detail":{"renditions":[{"path":"a"},{"path":"b","path":"c"}]}}`, "detail.renditions.path", "appears more than once"},

		{"invalid UTF-8 in a value", "{\"id\":\"a\xffb\"}", "id", "is not valid UTF-8"},
		{"lone surrogate in a value", `{"detail":{"user_id":"\ud800"}}`, "detail.user_id", "is not valid UTF-8"},
		{"invalid UTF-8 in an unknown member", "{\"x\":{\"y\":[\"\xff\"]}}", "x.y", "is not valid UTF-8"},
		{"invalid UTF-8 in a member name", "{\"detail\":{\"\xff\":1}}", "detail", "holds a member name that is not valid UTF-8"},
		{"lone surrogate in a member name", `{"\udc00":1}`, "", "holds a member name that is not valid UTF-8"},
		{"invalid UTF-8 at the top", "\"\xff\"", "", "is not valid UTF-8"},
		{"path of an escaped unknown name", "{\"\\u0078\":\"\xff\"}", "x", "is not valid UTF-8"},

		{"empty input", ``, "", "is not JSON"},
		{"truncated object", `{"id":"a"`, "", "is not JSON"},
		{"truncated string", `{"id":"a`, "id", "is not JSON"},
		{"missing colon", `{"id" "a"}`, "", "is not JSON"},
		{"member name not a string", `{id:"a"}`, "", "is not JSON"},
		{"truncated array", `[1,2`, "", "is not JSON"},
		{"bad array separator", `[1;2]`, "", "is not JSON"},
		{"bad object separator", `{"a":1;"b":2}`, "", "is not JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := wire.CheckText([]byte(tt.data), topObj)
			if tt.problem == "" {
				assert.Nil(t, err)
				return
			}
			require.NotNil(t, err)
			assert.Equal(t, tt.path, err.Path)
			assert.Equal(t, tt.problem, err.Problem)
			want := tt.problem
			if tt.path != "" {
				want = tt.path + ": " + tt.problem
			}
			assert.Equal(t, want, err.Error())
		})
	}
}

// Without an Object, only the text is checked; with one of more than 64 fields, duplicates are still found.
func TestCheckTextObjects(t *testing.T) {
	t.Parallel()
	assert.Nil(t, wire.CheckText([]byte(`{"id":1,"id":2}`), nil))
	require.NotNil(t, wire.CheckText([]byte("{\"id\":\"\xff\"}"), nil))

	fields := make([]string, 70)
	for i := range fields {
		fields[i] = "f" + strings.Repeat("x", i)
	}
	wide := &wire.Object{Fields: fields}
	assert.Nil(t, wire.CheckText([]byte(`{"f":1,"`+fields[69]+`":2}`), wide))
	err := wire.CheckText([]byte(`{"`+fields[69]+`":1,"`+fields[69]+`":2}`), wide)
	require.NotNil(t, err)
	assert.Equal(t, fields[69], err.Path)
}

// A clean document is checked without allocating.
func TestCheckTextDoesNotAllocate(t *testing.T) {
	data := []byte(`{"id":"a","SOURCE":"s","x":[1,{"y":"z"}],"detail":{"event_name":"e","user_id":"\u00e9","new_token":{"user_id":"u"}}}`)
	require.Nil(t, wire.CheckText(data, topObj))
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = wire.CheckText(data, topObj) }))
}

// CheckText never panics and, on text encoding/json accepts, finds a problem only where there is one.
func FuzzCheckText(f *testing.F) {
	for _, s := range []string{`{}`, `{"id":"a","id":"b"}`, `{"detail":{"new_token":{"attributes":{"a":"1","a":"2"}}}}`,
		"{\"id\":\"\xff\"}", `["\ud800"]`, `{"a":"\\"}`, `"x`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := wire.CheckText(data, topObj)
		if !json.Valid(data) {
			return
		}
		if err != nil {
			assert.NotEqual(t, "is not JSON", err.Problem, "valid JSON read as not JSON: %q", data)
			return
		}
		var v any
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber() // a number beyond float64 is valid JSON
		require.NoError(t, dec.Decode(&v))
		// Valid text decodes without a replacement the text does not write.
		written := strings.Count(string(data), "\uFFFD") + strings.Count(strings.ToLower(string(data)), `\ufffd`)
		got, _ := json.Marshal(v) // re-encoded; U+FFFD stays as its UTF-8 bytes
		assert.LessOrEqual(t, strings.Count(string(got), "\uFFFD"), written, "%q", data)
	})
}

type inner struct {
	Path string `json:"path"`
}

type embedded struct {
	Version string `json:"version"`
}

type outer struct {
	embedded
	ID         string            `json:"id,omitempty"`
	Skipped    string            `json:"-"`
	Untagged   int               // the Go name is the JSON name
	Detail     *inner            `json:"detail"`
	Renditions []inner           `json:"renditions"`
	Attributes map[string]string `json:"attributes"`
	Raw        json.RawMessage   `json:"raw"`
	When       time.Time         `json:"when"`
	Self       *outer            `json:"self"`
	unexported string
}

// ObjectFor reads the names as encoding/json does, and describes nested structs and maps.
func TestObjectFor(t *testing.T) {
	t.Parallel()
	o := wire.ObjectFor[outer]()
	require.NotNil(t, o)
	assert.Equal(t, []string{"version", "id", "Untagged", "detail", "renditions", "attributes", "raw", "when", "self"}, o.Fields)
	assert.Equal(t, []string{"path"}, o.Members["detail"].Fields)
	assert.Same(t, o.Members["detail"], o.Members["renditions"], "one Object per type")
	assert.True(t, o.Members["attributes"].Keys)
	assert.Same(t, o, o.Members["self"], "a recursive type refers to itself")
	assert.NotContains(t, o.Members, "raw", "json.RawMessage decodes itself")
	assert.NotContains(t, o.Members, "when", "time.Time decodes itself")
	assert.Nil(t, wire.ObjectFor[string]())
	assert.Nil(t, wire.ObjectFor[json.RawMessage]())
	assert.True(t, wire.ObjectFor[map[string]inner]().Keys)

	err := wire.CheckText([]byte(`{"self":{"renditions":[{"path":"a","PATH":"b"}]}}`), o)
	require.NotNil(t, err)
	assert.Equal(t, "self.renditions.path", err.Path)
	assert.Nil(t, wire.CheckText([]byte(`{"raw":{"a":1,"a":2},"when":"x"}`), o), "what decodes itself is not compared")
	_ = outer{}.unexported
}
