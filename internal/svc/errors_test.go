package svc_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/svc"
	"github.com/ivsrt/ivsrt/internal/testutil"
)

const testStageARN = "arn:aws:ivs:us-east-1:123456789012:stage/AbCdEf123456"

// call is one operation of the official client, called with optFns.
type call struct {
	op string
	do func(ctx context.Context, c *ivsrealtime.Client, optFns ...func(*ivsrealtime.Options)) error
}

var calls = []call{
	{"GetStage", func(ctx context.Context, c *ivsrealtime.Client, o ...func(*ivsrealtime.Options)) error {
		_, err := c.GetStage(ctx, &ivsrealtime.GetStageInput{Arn: aws.String(testStageARN)}, o...)
		return err
	}},
	{"ListParticipants", func(ctx context.Context, c *ivsrealtime.Client, o ...func(*ivsrealtime.Options)) error {
		_, err := c.ListParticipants(ctx, &ivsrealtime.ListParticipantsInput{StageArn: aws.String(testStageARN), SessionId: aws.String("st-1")}, o...)
		return err
	}},
	{"GetPublicKey", func(ctx context.Context, c *ivsrealtime.Client, o ...func(*ivsrealtime.Options)) error {
		_, err := c.GetPublicKey(ctx, &ivsrealtime.GetPublicKeyInput{Arn: aws.String("arn:aws:ivs:us-east-1:123456789012:public-key/AbCdEf123456")}, o...)
		return err
	}},
	{"CreateStage", func(ctx context.Context, c *ivsrealtime.Client, o ...func(*ivsrealtime.Options)) error {
		_, err := c.CreateStage(ctx, &ivsrealtime.CreateStageInput{}, o...)
		return err
	}},
	{"CreateStorageConfiguration", func(ctx context.Context, c *ivsrealtime.Client, o ...func(*ivsrealtime.Options)) error {
		_, err := c.CreateStorageConfiguration(ctx, &ivsrealtime.CreateStorageConfigurationInput{
			S3: &types.S3StorageConfiguration{BucketName: aws.String("bucket")}}, o...)
		return err
	}},
}

func callOf(t *testing.T, op string) call {
	t.Helper()
	for _, c := range calls {
		if c.op == op {
			return c
		}
	}
	t.Fatalf("no call %s", op)
	return call{}
}

// answer makes mock answer every request of op with what fn returns for the n-th request (from 1).
func answer(mock *testutil.Mock, op string, fn func(n int) *http.Response) {
	var n atomic.Int32
	mock.Transport.RegisterResponder(http.MethodPost, testutil.Endpoint+"/"+op, func(*http.Request) (*http.Response, error) {
		return fn(int(n.Add(1))), nil
	})
}

// response is an HTTP answer with a JSON body and headers.
func response(status int, body string, header ...string) *http.Response {
	resp := httpmock.NewStringResponse(status, body)
	resp.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		resp.Header.Set(header[i], header[i+1])
	}
	return resp
}

// modeledTypes finds each of the model's seven error types in an error tree.
var modeledTypes = map[string]func(error) (smithy.APIError, bool){
	"AccessDeniedException":         as[*types.AccessDeniedException],
	"ConflictException":             as[*types.ConflictException],
	"InternalServerException":       as[*types.InternalServerException],
	"PendingVerification":           as[*types.PendingVerification],
	"ResourceNotFoundException":     as[*types.ResourceNotFoundException],
	"ServiceQuotaExceededException": as[*types.ServiceQuotaExceededException],
	"ValidationException":           as[*types.ValidationException],
}

func as[T smithy.APIError](err error) (smithy.APIError, bool) {
	var target T
	if errors.As(err, &target) {
		return target, true
	}
	return nil, false
}

// messages returns the Message and ExceptionMessage of a modeled error.
func messages(e smithy.APIError) (message, exceptionMessage *string) {
	switch v := e.(type) {
	case *types.AccessDeniedException:
		return v.Message, v.ExceptionMessage
	case *types.ConflictException:
		return v.Message, v.ExceptionMessage
	case *types.InternalServerException:
		return v.Message, v.ExceptionMessage
	case *types.PendingVerification:
		return v.Message, v.ExceptionMessage
	case *types.ResourceNotFoundException:
		return v.Message, v.ExceptionMessage
	case *types.ServiceQuotaExceededException:
		return v.Message, v.ExceptionMessage
	case *types.ValidationException:
		return v.Message, v.ExceptionMessage
	}
	panic(fmt.Sprintf("not a modeled error: %T", e))
}

// assertServiceError checks err against an answer of status with code and text, for operation op, sent
// once.
func assertServiceError(t *testing.T, err error, op string, status int, code, text string) {
	t.Helper()
	require.Error(t, err)
	_, modeled := modeledTypes[code]
	for name, find := range modeledTypes {
		got, ok := find(err)
		if !assert.Equal(t, name == code, ok, "errors.As %s in %v", name, err) || !ok {
			continue
		}
		msg, exc := messages(got)
		assert.Equal(t, text, aws.ToString(msg), "Message")
		assert.Equal(t, text, aws.ToString(exc), "ExceptionMessage")
	}
	var apiErr smithy.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, code, apiErr.ErrorCode())
	assert.Equal(t, text, apiErr.ErrorMessage())
	assert.True(t, strings.HasSuffix(err.Error(), code+": "+text), "Error() ends with the service's words: %v", err)
	if !modeled {
		var generic *smithy.GenericAPIError
		require.ErrorAs(t, err, &generic)
		want := smithy.FaultClient
		if status >= 500 {
			want = smithy.FaultServer
		}
		assert.Equal(t, want, generic.ErrorFault())
	}
	var opErr *smithy.OperationError
	require.ErrorAs(t, err, &opErr, "the SDK's wrapping is kept")
	assert.Equal(t, op, opErr.OperationName)
	var respErr *awshttp.ResponseError
	require.ErrorAs(t, err, &respErr)
	assert.Equal(t, status, respErr.HTTPStatusCode())
}

// Every operation reads every answer the same: the code from the header, else from the body's code or
// __type (namespace and suffix cut off); the text from exceptionMessage, message or Message; one of the
// seven modeled codes as its *types.… error, whether or not the operation's model lists it, any other as a
// *smithy.GenericAPIError with the right fault.
func TestErrorRepairEveryOperation(t *testing.T) {
	t.Parallel()
	codes := []struct {
		status int
		code   string
	}{
		{400, "ValidationException"}, {402, "ServiceQuotaExceededException"}, {403, "AccessDeniedException"},
		{403, "PendingVerification"}, {404, "ResourceNotFoundException"}, {409, "ConflictException"},
		{429, "ThrottlingException"}, {500, "InternalServerException"}, {503, "ServiceUnavailableException"},
		{400, "SomethingNewException"},
	}
	bodies := []struct {
		name string
		// answer returns the body and the headers of an answer with code and text.
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
		{"__type only", func(c, m string) (string, []string) {
			return fmt.Sprintf(`{"__type":"com.amazonaws.ivsrealtime#%s:http://internal.amazon.com/","exceptionMessage":%q}`, c, m), nil
		}},
		{"code only", func(c, m string) (string, []string) { return fmt.Sprintf(`{"code":%q,"message":%q}`, c, m), nil }},
		{"header over __type", func(c, m string) (string, []string) {
			return fmt.Sprintf(`{"__type":"OtherException","exceptionMessage":%q,"message":"not this"}`, m), []string{"x-amzn-ErrorType", c}
		}},
	}
	for _, c := range calls {
		for _, code := range codes {
			for _, b := range bodies {
				t.Run(fmt.Sprintf("%s/%d_%s/%s", c.op, code.status, code.code, b.name), func(t *testing.T) {
					t.Parallel()
					mock := testutil.NewMock()
					text := "the service explains " + code.code + " for " + c.op
					body, header := b.answer(code.code, text)
					answer(mock, c.op, func(int) *http.Response { return response(code.status, body, header...) })
					err := c.do(t.Context(), mock.Client(), svc.Base()...)
					assertServiceError(t, err, c.op, code.status, code.code, text)
					assert.Equal(t, 1, mock.Count())
				})
			}
		}
	}
}

// Without the repair the official client types only the codes the operation's model lists and reads an
// unmodeled error's text from "message" only: what the repair is for.
func TestOfficialClientAloneTypesOnlyModeledCodes(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	answer(mock, "GetStage", func(int) *http.Response {
		return response(500, `{"exceptionMessage":"try again"}`, "x-amzn-ErrorType", "InternalServerException")
	})
	err := callOf(t, "GetStage").do(t.Context(), mock.Client())
	_, typed := as[*types.InternalServerException](err)
	assert.False(t, typed, "GetStage's model does not list InternalServerException")
	assert.NotContains(t, err.Error(), "try again")

	err = callOf(t, "GetStage").do(t.Context(), mock.Client(), svc.Base()...)
	_, typed = as[*types.InternalServerException](err)
	assert.True(t, typed)
	assert.True(t, strings.HasSuffix(err.Error(), "InternalServerException: try again"), err.Error())
}

// For an operation whose model lists the code, the repaired error is the SDK's own, member for member
// (headers and body members alike), with Message filled in.
func TestErrorRepairMatchesTheSDK(t *testing.T) {
	t.Parallel()
	for code := range modeledTypes {
		t.Run(code, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			answer(mock, "CreateStorageConfiguration", func(int) *http.Response {
				return response(400, `{"exceptionMessage":"the words","accessControlAllowOrigin":"body-origin","cacheControl":"body-cc","xFrameOptions":"DENY"}`,
					"x-amzn-ErrorType", code, "Cache-Control", " no-store ", "Strict-Transport-Security", "max-age=1",
					"X-Content-Type-Options", "nosniff")
			})
			c := callOf(t, "CreateStorageConfiguration")
			sdkErr := c.do(t.Context(), mock.Client())
			ours := c.do(t.Context(), mock.Client(), svc.Base()...)
			want, ok := modeledTypes[code](sdkErr)
			require.True(t, ok, "the model of CreateStorageConfiguration lists %s: %v", code, sdkErr)
			got, ok := modeledTypes[code](ours)
			require.True(t, ok)
			msg, _ := messages(got)
			assert.Equal(t, "the words", aws.ToString(msg))
			// The SDK leaves Message empty; everything else must be the same.
			setMessage(want, msg)
			assert.Equal(t, want, got)
		})
	}
}

func setMessage(e smithy.APIError, m *string) {
	switch v := e.(type) {
	case *types.AccessDeniedException:
		v.Message = m
	case *types.ConflictException:
		v.Message = m
	case *types.InternalServerException:
		v.Message = m
	case *types.PendingVerification:
		v.Message = m
	case *types.ResourceNotFoundException:
		v.Message = m
	case *types.ServiceQuotaExceededException:
		v.Message = m
	case *types.ValidationException:
		v.Message = m
	}
}

// ServiceError on answers it reads and answers it leaves to the SDK (the body then reads again from its
// start).
func TestServiceError(t *testing.T) {
	t.Parallel()
	long := `{"message":"` + strings.Repeat("x", svc.MaxErrorBody) + `"}`
	tests := []struct {
		name   string
		status int
		header []string
		body   io.Reader
		// want is "code: message" of the error, "" for none (left to the SDK).
		want      string
		wantFault smithy.ErrorFault
	}{
		{"empty body, no code", 503, nil, strings.NewReader(""), "UnknownError: UnknownError", smithy.FaultServer},
		{"blank body, header code", 404, []string{"x-amzn-ErrorType", "NotHereException"}, strings.NewReader(" \n"), "NotHereException: NotHereException", smithy.FaultClient},
		{"modeled code, no text", 404, []string{"x-amzn-ErrorType", "ResourceNotFoundException"}, strings.NewReader("{}"), "ResourceNotFoundException: ", smithy.FaultClient},
		{"modeled code in another case", 409, []string{"x-amzn-ErrorType", "conflictexception"}, strings.NewReader(`{"message":"m"}`), "ConflictException: m", smithy.FaultClient},
		{"exceptionMessage over message", 400, []string{"x-amzn-ErrorType", "X"}, strings.NewReader(`{"message":"no","exceptionMessage":"yes"}`), "X: yes", smithy.FaultClient},
		{"empty exceptionMessage", 400, []string{"x-amzn-ErrorType", "X"}, strings.NewReader(`{"exceptionMessage":"","Message":"fallback"}`), "X: fallback", smithy.FaultClient},
		{"non-string members ignored", 400, nil, strings.NewReader(`{"code":7,"__type":"T","message":{"a":1}}`), "T: T", smithy.FaultClient},
		{"code over __type", 400, nil, strings.NewReader(`{"code":"C","__type":"T"}`), "C: C", smithy.FaultClient},
		{"status 3xx", 302, []string{"x-amzn-ErrorType", "X"}, strings.NewReader(`{"message":"m"}`), "X: m", smithy.FaultUnknown},
		{"not JSON", 503, nil, strings.NewReader("<html>Service Unavailable</html>"), "", 0},
		{"a JSON array", 400, nil, strings.NewReader(`[{"message":"m"}]`), "", 0},
		{"a JSON string", 400, nil, strings.NewReader(`"m"`), "", 0},
		{"null", 400, nil, strings.NewReader(`null`), "", 0},
		{"longer than MaxErrorBody", 400, nil, strings.NewReader(long), "", 0},
		{"unreadable", 500, nil, io.MultiReader(strings.NewReader(`{"message":`), failingReader{}), "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			body := &trackedBody{Reader: tt.body}
			resp := &smithyhttp.Response{Response: &http.Response{StatusCode: tt.status, Header: http.Header{}, Body: body}}
			for i := 0; i+1 < len(tt.header); i += 2 {
				resp.Header.Set(tt.header[i], tt.header[i+1])
			}
			got := svc.ServiceError(resp)
			if tt.want == "" {
				assert.Nil(t, got)
			} else {
				require.NotNil(t, got)
				assert.Equal(t, tt.want, got.ErrorCode()+": "+got.ErrorMessage())
				assert.Equal(t, tt.wantFault, got.ErrorFault())
			}
			if tt.name == "unreadable" || tt.want != "" {
				return
			}
			again, err := io.ReadAll(resp.Body)
			require.NoError(t, err, "the body reads again")
			switch tt.name {
			case "longer than MaxErrorBody":
				assert.Equal(t, long, string(again), "whole")
			case "not JSON":
				assert.Equal(t, "<html>Service Unavailable</html>", string(again))
			}
			require.NoError(t, resp.Body.Close())
			assert.True(t, body.closed, "closing the replayed body closes the original")
		})
	}
	t.Run("unreadable body replays what was read, then the error", func(t *testing.T) {
		t.Parallel()
		resp := &smithyhttp.Response{Response: &http.Response{StatusCode: 500, Header: http.Header{},
			Body: io.NopCloser(io.MultiReader(strings.NewReader(`{"message":`), failingReader{}))}}
		require.Nil(t, svc.ServiceError(resp))
		again, err := io.ReadAll(resp.Body)
		assert.Equal(t, `{"message":`, string(again))
		assert.ErrorIs(t, err, errBroken)
	})
}

var errBroken = errors.New("broken connection")

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errBroken }

type trackedBody struct {
	io.Reader
	closed bool
}

func (b *trackedBody) Close() error { b.closed = true; return nil }

// An answer the repair leaves to the SDK comes back exactly as the SDK alone returns it.
func TestErrorRepairLeavesOtherBodiesToTheSDK(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, body string }{
		{"HTML", "<html><body>503 Service Unavailable</body></html>"},
		{"longer than MaxErrorBody", `{"message":"` + strings.Repeat("y", svc.MaxErrorBody) + `"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			answer(mock, "GetStage", func(int) *http.Response {
				return response(503, tt.body, "x-amzn-ErrorType", "ServiceUnavailableException")
			})
			c := callOf(t, "GetStage")
			sdkErr := c.do(t.Context(), mock.Client())
			ours := c.do(t.Context(), mock.Client(), svc.Base()...)
			require.Error(t, ours)
			assert.Equal(t, sdkErr.Error(), ours.Error())
			assert.Equal(t, 2, mock.Count())
		})
	}
}

// The SDK's retryer sees the repaired errors as it saw the SDK's: 5xx and throttles are retried, and
// retries exhausted return the repaired error; other errors are not retried.
func TestErrorRepairKeepsRetries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		status   int
		code     string
		failures int // answers that fail before a 200
		// wantRequests is how many requests were sent; wantErr whether the call fails.
		wantRequests int
		wantErr      bool
	}{
		{"429 ThrottlingException then 200", 429, "ThrottlingException", 1, 2, false},
		{"429 without a code then 200", 429, "", 1, 2, false},
		{"400 ThrottlingException then 200", 400, "ThrottlingException", 1, 2, false},
		{"500 InternalServerException then 200", 500, "InternalServerException", 1, 2, false},
		{"503 then 200", 503, "ServiceUnavailableException", 1, 2, false},
		{"500 twice then 200", 500, "InternalServerException", 2, 3, false},
		{"500 exhausted", 500, "InternalServerException", 3, 3, true},
		{"429 exhausted", 429, "ThrottlingException", 3, 3, true},
		{"503 exhausted", 503, "ServiceUnavailableException", 3, 3, true},
		{"429 with a modeled code is not retried", 429, "ServiceQuotaExceededException", 1, 1, true},
		{"400 ValidationException", 400, "ValidationException", 1, 1, true},
		{"404 ResourceNotFoundException", 404, "ResourceNotFoundException", 1, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			text := "the words of " + tt.name
			answer(mock, "ListParticipants", func(n int) *http.Response {
				if n <= tt.failures {
					return response(tt.status, fmt.Sprintf(`{"exceptionMessage":%q}`, text), "x-amzn-ErrorType", tt.code)
				}
				return response(200, `{"participants":[]}`)
			})
			cfg := mock.Config()
			cfg.Retryer = testutil.StandardRetryer(3)
			err := callOf(t, "ListParticipants").do(t.Context(), ivsrealtime.NewFromConfig(cfg), svc.Base()...)
			assert.Equal(t, tt.wantRequests, mock.Count())
			if !tt.wantErr {
				assert.NoError(t, err)
				return
			}
			code := tt.code
			if code == "" {
				code = "UnknownError"
			}
			assertServiceError(t, err, "ListParticipants", tt.status, code, text)
			var maxErr *retry.MaxAttemptsError
			assert.Equal(t, tt.wantRequests > 1, errors.As(err, &maxErr), "retries exhausted")
		})
	}
}

// The middleware sits around the SDK's OperationDeserializer, once however often it is added, and Base
// never writes into a slice it was given.
func TestAddErrorMiddleware(t *testing.T) {
	t.Parallel()
	var ids []string
	record := func(o *ivsrealtime.Options) {
		o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error { ids = s.Deserialize.List(); return nil })
	}
	mock := testutil.NewMock()
	answer(mock, "GetStage", func(int) *http.Response { return response(200, `{"stage":{"arn":"`+testStageARN+`"}}`) })
	opts := svc.Base().With(svc.Base()...).With(record)
	require.NoError(t, callOf(t, "GetStage").do(t.Context(), mock.Client(), opts...))
	at := func(id string) int {
		n, i := 0, -1
		for j, v := range ids {
			if v == id {
				n, i = n+1, j
			}
		}
		assert.Equal(t, 1, n, "%s once in %v", id, ids)
		return i
	}
	od := at("OperationDeserializer")
	assert.Equal(t, od+1, at(svc.ErrorRepairID), "right inside the operation deserializer")
	assert.Equal(t, od-1, at(svc.SecretScrubID), "right outside the operation deserializer")
	assert.Less(t, at("ResponseErrorWrapper"), at(svc.SecretScrubID), "inside the SDK's error wrapping")

	base := svc.Base()
	assert.Len(t, base, 1)
	base[0] = nil
	assert.NotNil(t, svc.Base()[0], "each Base is a new slice")

	spare := make([]func(*middleware.Stack) error, 1, 4)
	o := &ivsrealtime.Options{APIOptions: spare}
	svc.Base()[0](o)
	assert.Len(t, o.APIOptions, 2)
	assert.Nil(t, spare[:2][1], "the caller's spare capacity is not written to")
}

// fakeToken returns a JWT-shaped bearer string of about n bytes, distinct per seed.
func fakeToken(seed string, n int) string {
	header := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"ES384","typ":"JWT"}`))
	var payload bytes.Buffer
	payload.WriteString(`{"jti":"` + seed + `","attributes":{`)
	for i := 0; payload.Len() < n*3/4; i++ {
		fmt.Fprintf(&payload, `"k%d":"%s-%d",`, i, seed, i*7919)
	}
	payload.WriteString(`"end":"1"}}`)
	sig := make([]byte, 96)
	for i := range sig {
		sig[i] = byte(len(seed)*31 + i*17 + int(seed[i%len(seed)]))
	}
	return header + "." + base64.RawURLEncoding.EncodeToString(payload.Bytes()) + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// A 200 answer that fails to decode leaves no part of a bearer string anywhere in the error chain: not in
// the DeserializationError's Snapshot (redacted, the rest kept), not in the response body the
// ResponseError keeps (replaced by http.NoBody). Without the scrub, the walk finds it: the check can fail.
func TestSecretScrub(t *testing.T) {
	t.Parallel()
	tok := fakeToken("alice", 700)
	tok2 := fakeToken("bob", 700)
	require.Greater(t, len(tok), 600)
	one := `{"participantToken":{"attributes":{"role":"host"},"capabilities":["PUBLISH","SUBSCRIBE"],"duration":60,` +
		`"expirationTime":"2026-01-01T00:00:00Z","participantId":"AbCdEf123456","token":"` + tok + `","userId":"alice"}}`
	tokenAt := strings.Index(one, tok)
	stage := `{"stage":{"arn":"` + testStageARN + `","name":"town-hall","tags":{"team":"events"}},"participantTokens":[` +
		`{"participantId":"P1","token":"` + tok + `","userId":"alice"},{"participantId":"P2","token":"` + tok2 + `","userId":"bob"}]}`
	secondAt := strings.Index(stage, tok2)
	tests := []struct {
		name, op, body string
		// keep is a part of the body the snapshot still shows.
		keep string
	}{
		{"token: cut inside the value, early", "CreateParticipantToken", one[:tokenAt+20], `"participantId":"AbCdEf123456"`},
		{"token: cut inside the value, half way", "CreateParticipantToken", one[:tokenAt+len(tok)/2], `"participantId":"AbCdEf123456"`},
		{"token: cut before the closing quote", "CreateParticipantToken", one[:tokenAt+len(tok)], `"participantId":"AbCdEf123456"`},
		{"token: cut right after the value", "CreateParticipantToken", one[:tokenAt+len(tok)+1], `"participantId":"AbCdEf123456"`},
		{"token: cut inside a later member", "CreateParticipantToken", one[:len(one)-6], `"userId":"al`},
		{"token: a later member of the wrong type", "CreateParticipantToken", strings.Replace(one, `"userId":"alice"`, `"userId":5`, 1), `"userId":5`},
		{"stage: cut inside the second token", "CreateStage", stage[:secondAt+len(tok2)/2], `"participantId":"P2"`},
		{"stage: cut inside the first token", "CreateStage", stage[:strings.Index(stage, tok)+300], `"participantId":"P1"`},
		{"stage: cut after both tokens", "CreateStage", stage[:len(stage)-5], `"userId":"b`},
	}
	do := func(t *testing.T, op, body string, optFns ...func(*ivsrealtime.Options)) error {
		mock := testutil.NewMock()
		answer(mock, op, func(int) *http.Response { return response(200, body) })
		var err error
		switch op {
		case "CreateParticipantToken":
			_, err = mock.Client().CreateParticipantToken(t.Context(), &ivsrealtime.CreateParticipantTokenInput{StageArn: aws.String(testStageARN)}, optFns...)
		default:
			err = callOf(t, op).do(t.Context(), mock.Client(), optFns...)
		}
		assert.Equal(t, 1, mock.Count(), "not retried")
		return err
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := do(t, tt.op, tt.body, svc.Base()...)
			var de *smithy.DeserializationError
			require.ErrorAs(t, err, &de)
			for _, secret := range []string{tok, tok2} {
				assert.Empty(t, testutil.SecretPaths(t, err, secret, 16), "a part of a bearer string in the error chain")
			}
			assert.Contains(t, string(de.Snapshot), svc.Redacted)
			assert.Contains(t, string(de.Snapshot), tt.keep, "the rest of the snapshot is kept")
			var respErr *awshttp.ResponseError
			require.ErrorAs(t, err, &respErr)
			assert.Equal(t, http.NoBody, respErr.Response.Body)
			assert.Equal(t, 200, respErr.HTTPStatusCode())

			unscrubbed := do(t, tt.op, tt.body)
			assert.NotEmpty(t, testutil.SecretPaths(t, unscrubbed, tok, 16), "without the scrub the walk finds the bearer string")
		})
	}
}
