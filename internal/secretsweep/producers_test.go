package secretsweep_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"

	"github.com/aws/smithy-go"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/token"
)

// A producer is one way the library's outputs reach a log, a terminal or a response: a value rendered one
// way (fmt verb, slog handler, JSON), an error's text, the entries of its tree. Its name says what was
// rendered and how; group sorts producers for the report.
type producer struct {
	group string
	name  string
	// limit, when set, is the documented limit that lets this producer show a secret: its leaks are
	// reported in the log but do not fail the sweep.
	limit   string
	produce func() []string
}

// A renderer turns any value into one text.
type renderer struct {
	name   string
	render func(v any) string
}

// renderers are how a value is printed or logged. Every subject of the sweep goes through all of them.
var renderers = []renderer{
	{"fmt %v", func(v any) string { return fmt.Sprintf("%v", v) }},
	{"fmt %+v", func(v any) string { return fmt.Sprintf("%+v", v) }},
	{"fmt %#v", func(v any) string { return fmt.Sprintf("%#v", v) }},
	{"fmt %s", func(v any) string { return fmt.Sprintf("%s", v) }},
	{"fmt %q", func(v any) string { return fmt.Sprintf("%q", v) }},
	{"fmt %x", func(v any) string { return fmt.Sprintf("%x", v) }},
	{"fmt.Sprint", func(v any) string { return fmt.Sprint(v) }},
	{"slog text", slogText},
	{"slog JSON", slogJSON},
	{"json.Marshal", marshal},
}

func slogText(v any) string {
	var b bytes.Buffer
	slog.New(slog.NewTextHandler(&b, nil)).Info("sweep", "v", v, slog.Any("any", v), slog.Group("g", "v", v))
	return b.String()
}

func slogJSON(v any) string {
	var b bytes.Buffer
	slog.New(slog.NewJSONHandler(&b, nil)).Info("sweep", "v", v, slog.Any("any", v), slog.Group("g", "v", v))
	return b.String()
}

// marshal returns v's JSON, or the text of the error that kept it from being encoded.
func marshal(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "json error: " + err.Error()
	}
	return string(b)
}

// errorTree returns, for each error in err's tree (Unwrap() error and Unwrap() []error, depth first), its
// Error(), %+v, %#v and JSON, and the details the SDK's error types expose.
func errorTree(err error) []string {
	var out []string
	var walk func(e error, depth int)
	walk = func(e error, depth int) {
		if e == nil || depth > 64 {
			return
		}
		out = append(out, e.Error(), fmt.Sprintf("%+v", e), fmt.Sprintf("%#v", e), marshal(e))
		out = append(out, errorDetails(e)...)
		switch u := e.(type) {
		case interface{ Unwrap() []error }:
			for _, inner := range u.Unwrap() {
				walk(inner, depth+1)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap(), depth+1)
		}
	}
	walk(err, 0)
	for e := err; e != nil; e = errors.Unwrap(e) { // the single-error chain, as errors.Unwrap sees it
		out = append(out, e.Error())
	}
	return out
}

// walkTexts returns every string and byte slice held anywhere in v, walked by reflection (testutil.Walk:
// pointers, interfaces, struct fields exported or not, slices, arrays, maps): what a debugger, a reflective
// dumper or code that keeps the error's fields could show, beyond what its methods print. A snapshot of a
// response body (smithy.DeserializationError) or the body an *awshttp.ResponseError keeps is found here.
func walkTexts(v any) []string {
	var out []string
	if !testutil.Walk(v, func(_, text string) { out = append(out, text) }) {
		out = append(out, "walk cut off") // never a secret; the sweep's self-test checks walks end
	}
	return out
}

// errorDetails returns what an error's own methods expose beyond Error(): the entries of a
// smithy.InvalidParamsError, an API error's code and message, an operation error's names.
func errorDetails(e error) []string {
	var out []string
	switch v := e.(type) {
	case smithy.InvalidParamsError:
		for _, entry := range v.Errs() {
			out = append(out, entry.Error(), fmt.Sprintf("%#v", entry))
			if p, ok := entry.(smithy.InvalidParamError); ok {
				out = append(out, p.Field())
			}
			if r, ok := entry.(interface{ Reason() string }); ok {
				out = append(out, r.Reason())
			}
		}
	case *smithy.OperationError:
		out = append(out, v.Service(), v.Operation())
	}
	if api, ok := e.(smithy.APIError); ok {
		out = append(out, api.ErrorCode(), api.ErrorMessage(), api.ErrorFault().String())
	}
	return out
}

// indexErrors renders every token.IndexError of err.
func indexErrors(err error) []string {
	var out []string
	for _, ie := range token.IndexErrors(err) {
		out = append(out, ie.Error(), fmt.Sprintf("%+v", ie), fmt.Sprintf("%#v", ie), fmt.Sprintf("%#v", *ie), marshal(ie))
		if ie.Err != nil {
			out = append(out, ie.Err.Error(), fmt.Sprintf("%#v", ie.Err))
		}
	}
	return out
}

// recordT is a testify TestingT that keeps the failure messages it is given.
type recordT struct{ messages []string }

func (r *recordT) Errorf(format string, args ...any) {
	r.messages = append(r.messages, fmt.Sprintf(format, args...))
}

// deref returns a copy of what p points to, by reflection: values holding a sync/atomic field (Signer) may
// not be copied by plain Go code.
func deref(p any) any { return reflect.ValueOf(p).Elem().Interface() }
