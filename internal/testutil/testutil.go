// Package testutil holds the test helpers shared by the packages' tests: a recording mock transport wired
// into a real ivsrealtime client, and readers for validation errors.
package testutil

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"

	"github.com/aws/smithy-go"
	"github.com/ivsrt/ivsrt/internal/budget"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Endpoint is the endpoint the SDK resolves for us-east-1; the mock transport answers it.
const Endpoint = "https://ivsrealtime.us-east-1.amazonaws.com"

// Request is one request the mock transport received.
type Request struct {
	Operation string
	Body      []byte
}

// JSON decodes the body into a generic map.
func (r Request) JSON(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.Body, &m), "request body %s", r.Body)
	return m
}

// Mock is a per-test httpmock.MockTransport that records every request.
type Mock struct {
	Transport *httpmock.MockTransport

	mu   sync.Mutex
	reqs []Request
}

// NewMock returns a Mock that answers no operation until told to.
func NewMock() *Mock {
	return &Mock{Transport: httpmock.NewMockTransport()}
}

// Config returns an aws.Config for us-east-1 with static credentials whose HTTP client is the mock, and no
// retries (so an error response is seen once).
func (m *Mock) Config() aws.Config {
	return aws.Config{
		Region:      "us-east-1",
		Credentials: aws.CredentialsProviderFunc(func(ctx context.Context) (aws.Credentials, error) { return testCredentials, nil }),
		HTTPClient:  &http.Client{Transport: m.Transport},
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
	}
}

var testCredentials = aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret", Source: "test"}

// Client returns a real SDK client on the mock.
func (m *Mock) Client() *ivsrealtime.Client { return ivsrealtime.NewFromConfig(m.Config()) }

// Respond answers every call of operation with status and body (JSON); error statuses carry the
// x-amzn-ErrorType header errorType.
func (m *Mock) Respond(operation string, status int, body string) {
	m.RespondFunc(operation, func(*http.Request, []byte) (int, string, string) { return status, body, "" })
}

// RespondStatic answers every call of operation with status 200 and body (JSON) without reading or
// recording the request: the cheapest answer, for benchmarks, where recording would grow without bound.
// Count still counts the calls.
func (m *Mock) RespondStatic(operation, body string) {
	m.Transport.RegisterResponder(http.MethodPost, Endpoint+"/"+operation,
		httpmock.NewStringResponder(http.StatusOK, body).HeaderSet(http.Header{"Content-Type": {"application/json"}}))
}

// RespondError answers every call of operation with an error of the given type.
func (m *Mock) RespondError(operation string, status int, errorType, message string) {
	body, _ := json.Marshal(map[string]string{"exceptionMessage": message})
	m.RespondFunc(operation, func(*http.Request, []byte) (int, string, string) { return status, string(body), errorType })
}

// RespondFunc answers every call of operation with what fn returns: status, body and error type ("" for
// none).
func (m *Mock) RespondFunc(operation string, fn func(req *http.Request, body []byte) (status int, respBody, errorType string)) {
	m.Transport.RegisterResponder(http.MethodPost, Endpoint+"/"+operation, func(req *http.Request) (*http.Response, error) {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		m.mu.Lock()
		m.reqs = append(m.reqs, Request{Operation: operation, Body: body})
		m.mu.Unlock()
		status, respBody, errorType := fn(req, body)
		resp := httpmock.NewStringResponse(status, respBody)
		resp.Header.Set("Content-Type", "application/json")
		if errorType != "" {
			resp.Header.Set("X-Amzn-Errortype", errorType)
		}
		return resp, nil
	})
}

// Requests returns a copy of the requests received so far, in order.
func (m *Mock) Requests() []Request {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Request(nil), m.reqs...)
}

// Count is the number of HTTP requests that reached the transport, answered or not.
func (m *Mock) Count() int { return m.Transport.GetTotalCallCount() }

// Violations returns field path → rule for every entry of the smithy.InvalidParamsError in err. It fails
// the test when err holds none.
func Violations(t testing.TB, err error) map[string]string {
	t.Helper()
	var ipe smithy.InvalidParamsError
	require.True(t, errors.As(err, &ipe), "want a smithy.InvalidParamsError, got %T: %v", err, err)
	out := map[string]string{}
	for _, e := range ipe.Errs() {
		var pe smithy.InvalidParamError
		require.True(t, errors.As(e, &pe), "entry %T is not a smithy.InvalidParamError", e)
		rule := "?"
		if r, ok := e.(interface{ Rule() string }); ok {
			rule = r.Rule()
		}
		out[pe.Field()] = rule
	}
	return out
}

// AssertViolations asserts that err holds exactly the violations want (field path → rule); an empty want
// means err must be nil.
func AssertViolations(t testing.TB, err error, want map[string]string) {
	t.Helper()
	if len(want) == 0 {
		assert.NoError(t, err)
		return
	}
	assert.Equal(t, want, Violations(t, err))
}

// Messages returns the Error() text of every entry of the smithy.InvalidParamsError in err, joined by "\n".
func Messages(t testing.TB, err error) string {
	t.Helper()
	var ipe smithy.InvalidParamsError
	require.True(t, errors.As(err, &ipe), "want a smithy.InvalidParamsError, got %T: %v", err, err)
	var msgs []string
	for _, e := range ipe.Errs() {
		msgs = append(msgs, e.Error())
	}
	return strings.Join(msgs, "\n")
}

// StandardRetryer is a retryer with the SDK's standard policy and negligible backoff, for tests that want
// retries without waiting.
func StandardRetryer(maxAttempts int) func() aws.Retryer {
	return func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = maxAttempts
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return time.Millisecond, nil })
		})
	}
}

// DecodeJWT splits a compact JWS into its decoded header and payload (numbers as json.Number), its signing
// input (header.payload) and its raw signature. It fails the test on anything else.
func DecodeJWT(t testing.TB, raw string) (header, payload map[string]any, signingInput string, sig []byte) {
	t.Helper()
	parts := strings.Split(raw, ".")
	require.Len(t, parts, 3, "a compact JWS has three parts")
	decode := func(s string) map[string]any {
		b, err := base64.RawURLEncoding.DecodeString(s)
		require.NoError(t, err)
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		var m map[string]any
		require.NoError(t, dec.Decode(&m))
		return m
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	require.NoError(t, err)
	return decode(parts[0]), decode(parts[1]), parts[0] + "." + parts[1], sig
}

// Main runs a package's tests with the library's default rate limiters off (budget.Unpaced): the fakes
// have no quota, and the suites would otherwise wait out the service's 5 requests per second. Tests of
// pacing give their clients limiters of their own (WithLimiter), which still pace. Call it from TestMain:
//
//	func TestMain(m *testing.M) { testutil.Main(m) }
func Main(m *testing.M) {
	restore := budget.Unpaced()
	code := m.Run()
	restore()
	os.Exit(code)
}

// Golden compares got with the golden file at path (testdata/<name>.golden), after writing got there when
// update is set (a package's -update flag): the examples' check that a story still prints what it printed.
func Golden(t testing.TB, path, got string, update bool) {
	t.Helper()
	if update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(want), got)
}
