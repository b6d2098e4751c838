package faulttest_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/svc"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// modeledCodes finds each of the service model's seven error types in an error tree and returns its
// Message and ExceptionMessage.
var modeledCodes = map[string]func(error) (msg, exc *string, ok bool){
	"AccessDeniedException": typed(func(e *types.AccessDeniedException) (*string, *string) { return e.Message, e.ExceptionMessage }),
	"ConflictException":     typed(func(e *types.ConflictException) (*string, *string) { return e.Message, e.ExceptionMessage }),
	"InternalServerException": typed(func(e *types.InternalServerException) (*string, *string) {
		return e.Message, e.ExceptionMessage
	}),
	"PendingVerification": typed(func(e *types.PendingVerification) (*string, *string) { return e.Message, e.ExceptionMessage }),
	"ResourceNotFoundException": typed(func(e *types.ResourceNotFoundException) (*string, *string) {
		return e.Message, e.ExceptionMessage
	}),
	"ServiceQuotaExceededException": typed(func(e *types.ServiceQuotaExceededException) (*string, *string) {
		return e.Message, e.ExceptionMessage
	}),
	"ValidationException": typed(func(e *types.ValidationException) (*string, *string) { return e.Message, e.ExceptionMessage }),
}

func typed[T error](get func(T) (*string, *string)) func(error) (*string, *string, bool) {
	return func(err error) (*string, *string, bool) {
		var target T
		if !errors.As(err, &target) {
			return nil, nil, false
		}
		m, e := get(target)
		return m, e, true
	}
}

// wireRoute returns the method and URL pattern of op's requests.
func wireRoute(op string) (string, *regexp.Regexp) {
	base := `^https://ivsrealtime\.` + regexp.QuoteMeta(stagetest.Region) + `\.amazonaws\.com/`
	switch op {
	case opTag:
		return http.MethodPost, regexp.MustCompile(base + `tags/`)
	case opUntag:
		return http.MethodDelete, regexp.MustCompile(base + `tags/`)
	case opListTags:
		return http.MethodGet, regexp.MustCompile(base + `tags/`)
	}
	return http.MethodPost, regexp.MustCompile(base + op + `$`)
}

// answerOp makes the fake's transport answer every request of op with the response of answer (ahead of
// the fake itself, which keeps serving every other operation) and returns the count of those requests.
func answerOp(e *env, op string, answer func() *http.Response) *atomic.Int32 {
	var n atomic.Int32
	method, url := wireRoute(op)
	e.srv.Transport().RegisterRegexpResponder(method, url, func(*http.Request) (*http.Response, error) {
		n.Add(1)
		return answer(), nil
	})
	return &n
}

func errorAnswer(status int, body string, header ...string) func() *http.Response {
	return func() *http.Response {
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		for i := 0; i+1 < len(header); i += 2 {
			resp.Header.Set(header[i], header[i+1])
		}
		return resp
	}
}

// retried reports whether the SDK's standard retryer retries an answer of status with code: 5xx, a
// throttling code, or a 429 that is not one of the modeled errors.
func retried(status int, code string) bool {
	_, isModeled := modeledCodes[code]
	return status >= 500 || code == "ThrottlingException" || status == http.StatusTooManyRequests && !isModeled
}

// assertReadable checks that err is the service's answer (status, code, text) to op: the modeled type
// for the seven modeled codes (Message and ExceptionMessage both the text) and none other, a
// *smithy.GenericAPIError with the fault of the status for the others; the code, the text at the end of
// Error(), and the SDK's wrapping (*smithy.OperationError for op, *awshttp.ResponseError with the status).
func assertReadable(t *testing.T, err error, op string, status int, code, text string) {
	t.Helper()
	require.Error(t, err)
	_, isModeled := modeledCodes[code]
	for name, find := range modeledCodes {
		msg, exc, ok := find(err)
		assert.Equal(t, name == code, ok, "errors.As %s in %v", name, err)
		if ok && name == code {
			assert.Equal(t, text, deref(msg), "Message")
			assert.Equal(t, text, deref(exc), "ExceptionMessage")
		}
	}
	var apiErr smithy.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, code, apiErr.ErrorCode())
	assert.Equal(t, text, apiErr.ErrorMessage())
	assert.True(t, strings.HasSuffix(err.Error(), code+": "+text), "Error() ends with the service's words: %v", err)
	if !isModeled {
		var generic *smithy.GenericAPIError
		if assert.ErrorAs(t, err, &generic) {
			fault := smithy.FaultClient
			if status >= 500 {
				fault = smithy.FaultServer
			}
			assert.Equal(t, fault, generic.Fault)
		}
	}
	var opErr *smithy.OperationError
	if assert.ErrorAs(t, err, &opErr) {
		assert.Equal(t, op, opErr.OperationName)
	}
	var respErr *awshttp.ResponseError
	if assert.ErrorAs(t, err, &respErr) {
		assert.Equal(t, status, respErr.HTTPStatusCode())
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// answerCodes are the statuses and codes of TestEveryMethodReadsEveryServiceError: the seven modeled codes
// at their model's statuses, throttling, an unmodeled 5xx and a code nobody knows.
var answerCodes = []struct {
	status int
	code   string
}{
	{http.StatusBadRequest, "ValidationException"},
	{http.StatusPaymentRequired, "ServiceQuotaExceededException"},
	{http.StatusForbidden, "AccessDeniedException"},
	{http.StatusForbidden, "PendingVerification"},
	{http.StatusNotFound, "ResourceNotFoundException"},
	{http.StatusConflict, "ConflictException"},
	{http.StatusTooManyRequests, "ThrottlingException"},
	{http.StatusInternalServerError, "InternalServerException"},
	{http.StatusServiceUnavailable, "ServiceUnavailableException"},
	{http.StatusBadRequest, "SomethingNewException"},
}

// answerBodies are the ways the service (or a proxy in front of it) may write an error answer.
var answerBodies = []struct {
	name string
	// answer returns the body and headers of an answer with code and text.
	answer func(code, text string) (string, []string)
}{
	{"exceptionMessage", func(c, m string) (string, []string) {
		return fmt.Sprintf(`{"exceptionMessage":%q}`, m), []string{"x-amzn-ErrorType", c}
	}},
	{"message", func(c, m string) (string, []string) {
		return fmt.Sprintf(`{"message":%q}`, m), []string{"x-amzn-ErrorType", c}
	}},
	{"Message", func(c, m string) (string, []string) {
		return fmt.Sprintf(`{"Message":%q}`, m), []string{"x-amzn-ErrorType", c + ":http://internal.amazon.com/coral/com.amazonaws.ivsrealtime/"}
	}},
	{"__type, no header", func(c, m string) (string, []string) {
		return fmt.Sprintf(`{"__type":"com.amazonaws.ivsrealtime#%s","exceptionMessage":%q}`, c, m), nil
	}},
	{"header over __type", func(c, m string) (string, []string) {
		return fmt.Sprintf(`{"__type":"com.amazonaws.ivsrealtime#OtherException","exceptionMessage":%q}`, m), []string{"x-amzn-ErrorType", c}
	}},
}

// Every method of the three clients, through the official client over httpmock, reads every error answer
// the same, whether or not its operation's model lists the code: statuses 400 to 503 × the seven modeled
// codes, throttling, an unmodeled 5xx and an unknown code × the text in exceptionMessage, message or
// Message and the code in the header or the body's __type. Retried answers are sent RetryMaxAttempts
// times and return the repaired error; the others once.
func TestEveryMethodReadsEveryServiceError(t *testing.T) {
	t.Parallel()
	for _, m := range methods {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(nil)
			f := m.setup(t, e)
			for _, c := range answerCodes {
				lists := "unmodeled for " + m.op
				if slices.Contains(modeled[m.op], c.code) {
					lists = "modeled for " + m.op
				}
				for _, b := range answerBodies {
					t.Run(fmt.Sprintf("%d_%s (%s)/%s", c.status, c.code, lists, b.name), func(t *testing.T) {
						text := fmt.Sprintf("the service explains %s to %s", c.code, m.name)
						body, header := b.answer(c.code, text)
						n := answerOp(e, m.op, errorAnswer(c.status, body, header...))
						res, err := m.call(t.Context(), e, f)
						assertReadable(t, err, m.op, c.status, c.code, text)
						assertZeroResult(t, m.name, res)
						want := 1
						if retried(c.status, c.code) {
							want = stagetest.RetryMaxAttempts
						}
						assert.Equal(t, want, int(n.Load()), "requests of %s", m.op)
						if m.name == "token.CreateMany" {
							ies := token.IndexErrors(err)
							require.Len(t, ies, 1)
							assertReadable(t, ies[0].Err, m.op, c.status, c.code, text)
						}
					})
				}
			}
		})
	}
}

// withoutRepair takes the clients' error repair out of a call's stack: what the official client alone
// returns.
func withoutRepair(o *ivsrealtime.Options) {
	o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
		_, err := s.Deserialize.Remove(svc.ErrorRepairID)
		return err
	})
}

// The official client alone types only the codes its operation's model lists (modeled) and returns the
// others as a *smithy.GenericAPIError without the service's text: with the repair taken out, every method
// shows it, which is both what the repair is for and a check of the modeled table.
func TestOfficialClientAloneTypesOnlyWhatTheModelLists(t *testing.T) {
	t.Parallel()
	for _, m := range methods {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(nil)
			f := m.setup(t, e)
			e.stages, e.tokens, e.storages = e.stages.WithOptions(withoutRepair), e.tokens.WithOptions(withoutRepair),
				e.storages.WithOptions(withoutRepair)
			for code, find := range modeledCodes {
				text := "the words for " + code
				answerOp(e, m.op, errorAnswer(http.StatusBadRequest, fmt.Sprintf(`{"exceptionMessage":%q}`, text), "x-amzn-ErrorType", code))
				_, err := m.call(t.Context(), e, f)
				require.Error(t, err)
				_, _, ok := find(err)
				listed := slices.Contains(modeled[m.op], code)
				assert.Equal(t, listed, ok, "%s typed as %s by the official client alone", m.op, code)
				assert.Equal(t, listed, strings.HasSuffix(err.Error(), text), "the text shows only for a listed code: %v", err)
				if !listed {
					var generic *smithy.GenericAPIError
					assert.ErrorAs(t, err, &generic)
				}
			}
		})
	}
}

// The table of methods is the one list the fault tests run over: it reaches every operation of the three
// clients' API interfaces.
func TestMethodsCoverEveryOperation(t *testing.T) {
	t.Parallel()
	ops := map[string]bool{}
	for _, m := range methods {
		ops[m.op] = true
	}
	for _, api := range []reflect.Type{
		reflect.TypeFor[stage.API](), reflect.TypeFor[token.API](), reflect.TypeFor[recording.API](),
	} {
		for i := range api.NumMethod() {
			name := api.Method(i).Name
			assert.True(t, ops[name], "%s.%s has no method in the table", api, name)
			assert.Contains(t, modeled, name, "modeled lists %s", name)
		}
	}
}

// The fake answers every error as the service does, whatever its origin (validation, a refusal, an
// injected fault, throttling, an unknown operation): the code in x-amzn-ErrorType, the text in the body's
// exceptionMessage and nothing else.
func TestFakeErrorBodiesHoldExceptionMessageOnly(t *testing.T) {
	t.Parallel()
	srv := stagetest.New(stagetest.WithRateLimit(opListStages, 0, 0))
	srv.FailNext(opGetKey, http.StatusServiceUnavailable, "ServiceUnavailableException")
	srv.FailNext(opGetStage, http.StatusInternalServerError, "")
	tests := []struct {
		name, method, path, body string
		status                   int
		code                     string
	}{
		{"validation", http.MethodPost, "/CreateStage", `{"name":"has spaces"}`, http.StatusBadRequest, "ValidationException"},
		{"refusal", http.MethodPost, "/GetStage", `{"arn":"` + unknownStageARN + `"}`, http.StatusInternalServerError, ""},
		{"refusal after the fault", http.MethodPost, "/GetStage", `{"arn":"` + unknownStageARN + `"}`, http.StatusNotFound, "ResourceNotFoundException"},
		{"injected unmodeled fault", http.MethodPost, "/GetPublicKey", `{"arn":"` + unknownKeyARN + `"}`, http.StatusServiceUnavailable, "ServiceUnavailableException"},
		{"throttled", http.MethodPost, "/ListStages", `{}`, http.StatusTooManyRequests, "ThrottlingException"},
		{"unknown operation", http.MethodPost, "/NoSuchOperation", `{}`, http.StatusNotFound, "UnknownOperationException"},
	}
	for _, tt := range tests { // in order: the second GetStage comes after the injected fault
		req, err := http.NewRequestWithContext(t.Context(), tt.method, "https://ivsrealtime."+stagetest.Region+".amazonaws.com"+tt.path, strings.NewReader(tt.body))
		require.NoError(t, err)
		resp, err := srv.Transport().RoundTrip(req)
		require.NoError(t, err, tt.name)
		var body map[string]any
		require.NoError(t, jsonDecode(resp, &body), tt.name)
		assert.Equal(t, tt.status, resp.StatusCode, tt.name)
		assert.Equal(t, tt.code, resp.Header.Get("x-amzn-ErrorType"), tt.name)
		require.Len(t, body, 1, "%s: %v", tt.name, body)
		assert.NotEmpty(t, body["exceptionMessage"], tt.name)
	}
}

// jsonDecode decodes resp's body into v and closes it.
func jsonDecode(resp *http.Response, v any) error {
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(v)
}
