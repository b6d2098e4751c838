package stage_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/stage"
)

// modeledErrors lists the errors the model declares for each operation (as the official client decodes
// them), with their HTTP status.
var modeledErrors = map[string][]string{
	"CreateStage":                 {"AccessDeniedException", "PendingVerification", "ServiceQuotaExceededException", "ValidationException"},
	"GetStage":                    {"AccessDeniedException", "ResourceNotFoundException", "ValidationException"},
	"UpdateStage":                 {"AccessDeniedException", "ConflictException", "PendingVerification", "ResourceNotFoundException", "ServiceQuotaExceededException", "ValidationException"},
	"DeleteStage":                 {"AccessDeniedException", "ConflictException", "PendingVerification", "ResourceNotFoundException", "ValidationException"},
	"ListStages":                  {"AccessDeniedException", "ConflictException", "ValidationException"},
	"GetStageSession":             {"AccessDeniedException", "ResourceNotFoundException", "ValidationException"},
	"ListStageSessions":           {"AccessDeniedException", "ValidationException"},
	"GetParticipant":              {"AccessDeniedException", "ResourceNotFoundException", "ValidationException"},
	"ListParticipants":            {"AccessDeniedException", "ValidationException"},
	"DisconnectParticipant":       {"AccessDeniedException", "PendingVerification", "ResourceNotFoundException", "ValidationException"},
	"ListParticipantEvents":       {"AccessDeniedException", "ValidationException"},
	"StartParticipantReplication": {"AccessDeniedException", "ConflictException", "InternalServerException", "PendingVerification", "ResourceNotFoundException", "ServiceQuotaExceededException", "ValidationException"},
	"StopParticipantReplication":  {"AccessDeniedException", "InternalServerException", "ResourceNotFoundException", "ValidationException"},
	"ListParticipantReplicas":     {"AccessDeniedException", "ValidationException"},
	"TagResource":                 {"InternalServerException", "ResourceNotFoundException", "ValidationException"},
	"UntagResource":               {"InternalServerException", "ResourceNotFoundException", "ValidationException"},
}

var errorStatus = map[string]int{
	"ValidationException":           400,
	"ServiceQuotaExceededException": 402,
	"AccessDeniedException":         403,
	"PendingVerification":           403,
	"ResourceNotFoundException":     404,
	"ConflictException":             409,
	"InternalServerException":       500,
}

// isErrorType reports whether err holds the SDK's typed error of that code.
func isErrorType(err error, code string) bool {
	switch code {
	case "ValidationException":
		return isType[*types.ValidationException](err)
	case "ServiceQuotaExceededException":
		return isType[*types.ServiceQuotaExceededException](err)
	case "AccessDeniedException":
		return isType[*types.AccessDeniedException](err)
	case "PendingVerification":
		return isType[*types.PendingVerification](err)
	case "ResourceNotFoundException":
		return isType[*types.ResourceNotFoundException](err)
	case "ConflictException":
		return isType[*types.ConflictException](err)
	case "InternalServerException":
		return isType[*types.InternalServerException](err)
	}
	return false
}

// Every method, every error its operation models (400, 402, 403, 404, 409, 500): the SDK's typed error,
// wrapped in *smithy.OperationError of the operation, whose text ends with the service's message.
func TestServiceErrorText(t *testing.T) {
	t.Parallel()
	for _, m := range methods() {
		codes := modeledErrors[m.op]
		require.NotEmpty(t, codes, m.op)
		for _, code := range codes {
			t.Run(m.op+"/"+code, func(t *testing.T) {
				t.Parallel()
				const message = "the service's own words"
				mock := testutil.NewMock()
				if strings.HasSuffix(m.op, "Resource") {
					respondTags(t, mock, errorStatus[code], `{"exceptionMessage": "`+message+`"}`, code)
				} else {
					mock.RespondError(m.op, errorStatus[code], code, message)
				}
				err := m.call(t, newClient(mock))
				require.Error(t, err)
				assert.True(t, isErrorType(err, code), "want %s, got %T: %v", code, err, err)
				var opErr *smithy.OperationError
				require.ErrorAs(t, err, &opErr)
				assert.Equal(t, m.op, opErr.OperationName)
				assert.Equal(t, ivsrealtime.ServiceID, opErr.ServiceID)
				var apiErr smithy.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, code, apiErr.ErrorCode())
				assert.Equal(t, message, apiErr.ErrorMessage())
				assert.True(t, strings.HasSuffix(err.Error(), message), "err.Error() = %q", err.Error())
				assert.Equal(t, 1, mock.Count(), "the mock answers with no retries")
				assert.Equal(t, m.op == "UpdateStage" && code == "ConflictException", stage.IsRecordingActiveConflict(err))
			})
		}
	}
}

// WithOptions reaches every call of every method: a per-call RetryMaxAttempts is seen in the number of
// requests (two 500s, then success: 1 attempt fails after one request, 3 attempts succeed after three), and
// the client it was derived from keeps its own options.
func TestWithOptionsRetryMaxAttempts(t *testing.T) {
	t.Parallel()
	for _, m := range methods() {
		t.Run(m.op, func(t *testing.T) {
			t.Parallel()
			tests := []struct {
				name     string
				client   func(base *stage.Client) *stage.Client
				requests int
				fails    bool
			}{
				{"original, 3 attempts", func(base *stage.Client) *stage.Client { return base }, 3, false},
				{"derived, 1 attempt", func(base *stage.Client) *stage.Client {
					return base.WithOptions(func(o *ivsrealtime.Options) { o.RetryMaxAttempts = 1 })
				}, 1, true},
				{"derived, 2 attempts", func(base *stage.Client) *stage.Client {
					return base.WithOptions(func(o *ivsrealtime.Options) { o.RetryMaxAttempts = 2 })
				}, 2, true},
				{"derived twice, the later option wins", func(base *stage.Client) *stage.Client {
					return base.WithOptions(func(o *ivsrealtime.Options) { o.RetryMaxAttempts = 1 }).
						WithOptions(func(o *ivsrealtime.Options) { o.RetryMaxAttempts = 3 })
				}, 3, false},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					t.Parallel()
					mock := testutil.NewMock()
					var n atomic.Int32
					answer := func() (int, string, string) {
						if n.Add(1) <= 2 {
							return 500, `{"exceptionMessage": "try again"}`, "InternalServerException"
						}
						body := okBodies[m.op]
						if body == "" {
							body = `{}`
						}
						return 200, body, ""
					}
					if strings.HasSuffix(m.op, "Resource") {
						respondTagsFunc(t, mock, answer)
					} else {
						mock.RespondFunc(m.op, func(*http.Request, []byte) (int, string, string) { return answer() })
					}
					cfg := mock.Config()
					cfg.Retryer = testutil.StandardRetryer(3)
					base := stage.NewClientFromConfig(cfg)
					err := m.call(t, tt.client(base))
					if tt.fails {
						assert.Error(t, err)
					} else {
						assert.NoError(t, err)
					}
					assert.Equal(t, tt.requests, mock.Count())
				})
			}
		})
	}
}

// The options of WithOptions reach every page of an iterator, and the calls that add their own options
// (Create and Update with recordParticipantReplicas: false) keep both; the original client adds none.
func TestWithOptionsOnEveryCall(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	respondAll(t, mock)
	pages(t, mock, "ListParticipants", `{"participants": [{"participantId": "a"}]%s}`, `{"participants": [{"participantId": "b"}]%s}`, `{"participants": []%s}`)
	var seen atomic.Int32
	count := func(o *ivsrealtime.Options) {
		o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
			return s.Initialize.Add(middleware.InitializeMiddlewareFunc("count", func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				seen.Add(1)
				return next.HandleInitialize(ctx, in)
			}), middleware.Before)
		})
	}
	base := newClient(mock)
	derived := base.WithOptions(count)
	for _, m := range methods() {
		require.NoError(t, m.call(t, base), m.op)
	}
	assert.Zero(t, seen.Load(), "the original client passes no option")
	before := mock.Count()
	for _, m := range methods() {
		require.NoError(t, m.call(t, derived), m.op)
	}
	items, errs := collect(derived.Participants(t.Context(), stageARN, sessionID))
	assert.Len(t, items, 2)
	assert.Equal(t, []error{nil, nil}, errs)
	_, _, err := derived.Create(t.Context(), stage.New().WithRecording(fullRecording().WithRecordReplicas(false)))
	require.NoError(t, err)
	// methods() lists ListParticipants once (3 pages), then the 3 pages again, then one CreateStage.
	assert.Equal(t, int32(mock.Count()-before), seen.Load(), "every request carried the option")
	reqs := mock.Requests()
	body := reqs[len(reqs)-1].JSON(t)
	assert.Equal(t, false, body["autoParticipantRecordingConfiguration"].(map[string]any)["recordParticipantReplicas"],
		"the call's own option still applies")
}

// ErrTokenCount: a CreateStage response with fewer (or more) tokens than asked for returns the stage, the
// tokens that came back and the error, never a short slice with nil.
func TestCreateTokenCount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		asked    int
		returned int
	}{
		{"fewer", 3, 2},
		{"none of 12", 12, 0},
		{"more", 1, 2},
		{"as many", 2, 2},
		{"none asked, one returned", 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			mock.Respond("CreateStage", 200, createResponse(tt.returned))
			st, tokens, err := newClient(mock).Create(t.Context(), stage.New().WithParticipants(participants(tt.asked)...))
			assert.Equal(t, stageARN, st.ARN, "the stage exists: it is returned")
			require.Len(t, tokens, tt.returned)
			for i, tok := range tokens {
				assert.Equal(t, "t"+string(rune('0'+i)), tok.Value())
			}
			if tt.asked == tt.returned {
				assert.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, stage.ErrTokenCount)
			var opErr *smithy.OperationError
			require.True(t, errors.As(err, &opErr))
			assert.Equal(t, "CreateStage", opErr.OperationName)
			assert.Contains(t, err.Error(), "asked for")
		})
	}
}

// A throttled call (HTTP 429, which the service sends unmodeled) and a 500 are retried by the SDK's
// retryer for every method, and the call then succeeds: one failure, one success, two requests.
func TestTransientErrorsRetried(t *testing.T) {
	t.Parallel()
	faults := []struct {
		status int
		code   string
	}{
		{429, "ThrottlingException"},
		{500, "InternalServerException"},
	}
	for _, m := range methods() {
		for _, f := range faults {
			t.Run(m.op+"/"+f.code, func(t *testing.T) {
				t.Parallel()
				mock := testutil.NewMock()
				var n atomic.Int32
				answer := func() (int, string, string) {
					if n.Add(1) == 1 {
						return f.status, `{"exceptionMessage": "slow down"}`, f.code
					}
					if body := okBodies[m.op]; body != "" {
						return 200, body, ""
					}
					return 200, `{}`, ""
				}
				if strings.HasSuffix(m.op, "Resource") {
					respondTagsFunc(t, mock, answer)
				} else {
					mock.RespondFunc(m.op, func(*http.Request, []byte) (int, string, string) { return answer() })
				}
				cfg := mock.Config()
				cfg.Retryer = testutil.StandardRetryer(3)
				require.NoError(t, m.call(t, stage.NewClientFromConfig(cfg)))
				assert.Equal(t, 2, mock.Count())
			})
		}
	}
}

// 64 goroutines share one client (derived with WithOptions) and call every method: every call gets its
// answer, nothing races, the base client is unchanged.
func TestPartTwoConcurrentUse(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	respondAll(t, mock)
	base := newClient(mock)
	var calls atomic.Int32
	shared := base.WithOptions(func(o *ivsrealtime.Options) { calls.Add(1) })
	const goroutines = 64
	var wg sync.WaitGroup
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, m := range methods() {
				assert.NoError(t, m.call(t, shared), m.op)
			}
		}()
	}
	wg.Wait()
	n := goroutines * len(methods())
	assert.Equal(t, n, mock.Count())
	assert.Equal(t, int32(n), calls.Load(), "every call applied the shared client's option once")
	require.NoError(t, base.Delete(t.Context(), stageARN))
	assert.Equal(t, int32(n), calls.Load(), "the base client passes no option")
}
