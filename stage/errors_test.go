package stage_test

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"
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
	"ListTagsForResource":         {"InternalServerException", "ResourceNotFoundException", "ValidationException"},
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

// A session, participant, replication or tagged resource the fake does not hold is a typed
// ResourceNotFoundException with the fake's text; Participants of an unknown session lists nothing.
func TestResourceNotFoundAgainstFake(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := t.Context()
	st, _ := w.createStage(t, "Errors", -1)
	_, err := w.stages.Session(ctx, st.ARN, sessionID)
	var notFound *types.ResourceNotFoundException
	assert.ErrorAs(t, err, &notFound)
	_, err = w.stages.Participant(ctx, st.ARN, sessionID, participantID)
	assert.ErrorAs(t, err, &notFound)
	err = w.stages.Disconnect(ctx, st.ARN, participantID, "")
	assert.ErrorAs(t, err, &notFound)
	err = w.stages.StopReplication(ctx, st.ARN, destinationARN, participantID)
	assert.ErrorAs(t, err, &notFound)
	err = w.stages.Tag(ctx, "arn:aws:ivs:us-east-1:123456789012:stage/Unknown1", map[string]string{"k": "v"})
	require.ErrorAs(t, err, &notFound)
	assert.NotEmpty(t, aws.ToString(notFound.Message), "the fake's text reaches Message")
	assert.True(t, strings.HasSuffix(err.Error(), aws.ToString(notFound.Message)), err.Error())
	assert.Empty(t, testutil.MustCollect(t, w.stages.Participants(ctx, st.ARN, sessionID)), "an unknown session lists nothing")
	// A replication from a stage where the participant is not connected.
	dst, _ := w.createStage(t, "Dst", -1)
	err = w.stages.StartReplication(ctx, stage.NewReplication(st.ARN, dst.ARN, participantID))
	assert.ErrorAs(t, err, &notFound)
}
