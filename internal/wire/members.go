package wire

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// SetMembersID is the ID of the serialize-step middleware added by AddSetMembers.
const SetMembersID = "ivsrt.SetMembers"

// Member is one JSON member to write into a request body that the official client leaves out: it writes
// an integer member only when it is not 0 and a bool member only when it is true, so a caller's explicit
// gridGap: 0, pipOffset: 0 or omitStoppedVideo: false never reaches the wire without it.
type Member struct {
	// Path names the member from the top of the body: the names of the objects that lead to it, then its
	// own name ("layout", "grid", "gridGap"). Every object on the way must be in the body.
	Path []string
	// Value is the member's JSON value, written as it is ("0", "false").
	Value string
}

// AddSetMembers returns an SDK APIOptions function that adds, right after the SDK's
// "OperationSerializer", a middleware writing members into the request body (SetMembers). Use it as a
// per-call option of the one call whose input holds the objects the members belong to; a stack that
// already has a SetMembersID middleware gets an error (pass all the members of a call at once).
func AddSetMembers(members ...Member) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Serialize.Insert(setMembers{members: members}, "OperationSerializer", middleware.After)
	}
}

type setMembers struct {
	members []Member
}

func (setMembers) ID() string { return SetMembersID }

func (m setMembers) HandleSerialize(ctx context.Context, in middleware.SerializeInput, next middleware.SerializeHandler) (
	middleware.SerializeOutput, middleware.Metadata, error,
) {
	req, ok := in.Request.(*smithyhttp.Request)
	if !ok {
		return middleware.SerializeOutput{}, middleware.Metadata{}, &smithy.SerializationError{Err: fmt.Errorf("unknown transport type %T", in.Request)}
	}
	var body []byte
	if s := req.GetStream(); s != nil {
		var err error
		if body, err = io.ReadAll(s); err != nil {
			return middleware.SerializeOutput{}, middleware.Metadata{}, &smithy.SerializationError{Err: err}
		}
	}
	patched, err := SetMembers(body, m.members...)
	if err != nil {
		return middleware.SerializeOutput{}, middleware.Metadata{}, &smithy.SerializationError{Err: err}
	}
	if req, err = req.SetStream(bytes.NewReader(patched)); err != nil {
		return middleware.SerializeOutput{}, middleware.Metadata{}, &smithy.SerializationError{Err: err}
	}
	in.Request = req
	return next.HandleSerialize(ctx, in)
}

// SetMembers returns body, a JSON object, with each member written at its path: its value replaced when
// the member is there, the member added first in its object otherwise. Everything else is kept byte for
// byte. An object on a member's path that the body lacks, a path that leads through something other than
// an object, or a body that is not a JSON object is an error: asking for a member of an object the request
// does not send is a programming error, reported rather than ignored. body itself is not modified.
//
// It reads body with a small scanner rather than decoding it (a request body holds no secret to decode,
// and this costs one pass and one copy per member).
func SetMembers(body []byte, members ...Member) ([]byte, error) {
	for _, m := range members {
		if len(m.Path) == 0 {
			return nil, errors.New("wire: set member: empty path")
		}
		if !json.Valid([]byte(m.Value)) {
			return nil, fmt.Errorf("wire: set member %s: value %q is not JSON", strings.Join(m.Path, "."), m.Value)
		}
		var err error
		if body, err = setMember(body, m); err != nil {
			return nil, err
		}
	}
	return body, nil
}

func setMember(body []byte, m Member) ([]byte, error) {
	start := skipSpace(body, 0)
	if start >= len(body) || body[start] != '{' {
		return nil, fmt.Errorf("wire: set member %s: the request body is not a JSON object", strings.Join(m.Path, "."))
	}
	obj := start
	for i, name := range m.Path[:len(m.Path)-1] {
		vs, _, found, err := findMember(body, obj, name)
		if err != nil {
			return nil, err
		}
		if !found || body[vs] != '{' {
			return nil, fmt.Errorf("wire: set member %s: the request has no object %s", strings.Join(m.Path, "."), strings.Join(m.Path[:i+1], "."))
		}
		obj = vs
	}
	name := m.Path[len(m.Path)-1]
	vs, ve, found, err := findMember(body, obj, name)
	if err != nil {
		return nil, err
	}
	var out []byte
	if found {
		out = make([]byte, 0, len(body)-(ve-vs)+len(m.Value))
		out = append(out, body[:vs]...)
		out = append(out, m.Value...)
		return append(out, body[ve:]...), nil
	}
	key, _ := json.Marshal(name) // a string always marshals
	empty := body[skipSpace(body, obj+1)] == '}'
	out = make([]byte, 0, len(body)+len(key)+len(m.Value)+2)
	out = append(out, body[:obj+1]...)
	out = append(append(append(out, key...), ':'), m.Value...)
	if !empty {
		out = append(out, ',')
	}
	return append(out, body[obj+1:]...), nil
}

var errSyntax = errors.New("wire: set member: the request body is not valid JSON")

// findMember looks for the member name in the object starting at b[obj] ('{'). It returns the bounds of
// its value, b[vs:ve], and whether it is there.
func findMember(b []byte, obj int, name string) (vs, ve int, found bool, err error) {
	i := skipSpace(b, obj+1)
	if i < len(b) && b[i] == '}' {
		return 0, 0, false, nil
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return 0, 0, false, errSyntax
		}
		ks := i
		if i, err = skipString(b, i); err != nil {
			return 0, 0, false, err
		}
		match := keyIs(b[ks:i], name)
		i = skipSpace(b, i)
		if i >= len(b) || b[i] != ':' {
			return 0, 0, false, errSyntax
		}
		vs = skipSpace(b, i+1)
		if ve, err = skipValue(b, vs); err != nil {
			return 0, 0, false, err
		}
		if match {
			return vs, ve, true, nil
		}
		i = skipSpace(b, ve)
		switch {
		case i < len(b) && b[i] == ',':
			i = skipSpace(b, i+1)
		case i < len(b) && b[i] == '}':
			return 0, 0, false, nil
		default:
			return 0, 0, false, errSyntax
		}
	}
}

// keyIs reports whether the JSON string quoted (with its quotes) decodes to name.
func keyIs(quoted []byte, name string) bool {
	raw := quoted[1 : len(quoted)-1]
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw) == name
	}
	var s string
	return json.Unmarshal(quoted, &s) == nil && s == name
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index just past the string starting at b[i] ('"').
func skipString(b []byte, i int) (int, error) {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1, nil
		}
	}
	return 0, errSyntax
}

// skipValue returns the index just past the value starting at b[i].
func skipValue(b []byte, i int) (int, error) {
	if i >= len(b) {
		return 0, errSyntax
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				end, err := skipString(b, i)
				if err != nil {
					return 0, err
				}
				i = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1, nil
				}
			}
		}
		return 0, errSyntax
	}
	start := i
	for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r' {
		i++
	}
	if i == start {
		return 0, errSyntax
	}
	return i, nil
}
