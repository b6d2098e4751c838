package stage_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/token"
)

const (
	stageARN   = "arn:aws:ivs:us-east-1:123456789012:stage/AbCdEf123456"
	storageARN = "arn:aws:ivs:us-east-1:123456789012:storage-configuration/AbCdEf123456"

	// minimalStage is the smallest response body the client accepts.
	minimalStage = `{"stage":{"arn":"` + stageARN + `"}}`
)

// fullRecording sets every recording field.
func fullRecording() recording.Config { return fullRecordingInto(storageARN) }

// fullRecordingInto sets every recording field, recording into the storage configuration arn.
func fullRecordingInto(arn string) recording.Config {
	return recording.New(arn).
		WithMediaType(recording.MediaAudioOnly).
		WithThumbnails(recording.ThumbnailsEvery(30*time.Second, recording.StorageSequential, recording.StorageLatest)).
		WithHLSSegmentDuration(4 * time.Second).
		WithReconnectWindow(time.Minute).
		WithRecordReplicas(true)
}

// fullConfig is the largest valid Config: a name, 10 tags, recording with every field, 12 participants
// with every field including attributes.
func fullConfig() stage.Config {
	tags := map[string]string{}
	for i := range 10 {
		tags[fmt.Sprintf("tag%d", i)] = fmt.Sprintf("value-%d", i)
	}
	parts := make([]token.Config, stage.MaxParticipants)
	for i := range parts {
		parts[i] = token.New().
			WithUserID(fmt.Sprintf("user-%d", i)).
			WithDuration(2*time.Hour).
			WithCapabilities(token.Publish, token.Subscribe).
			WithAttributes(map[string]string{"role": "speaker", "seat": fmt.Sprintf("A%d", i)})
	}
	return stage.New().
		WithName("town-hall").
		WithTags(tags).
		WithRecording(fullRecording()).
		WithParticipants(parts...)
}

// participants returns n valid participant configurations.
func participants(n int) []token.Config {
	out := make([]token.Config, n)
	for i := range out {
		out[i] = token.New().WithUserID(fmt.Sprintf("u%d", i))
	}
	return out
}

// tagMap returns n distinct valid tags.
func tagMap(n int) map[string]string {
	m := make(map[string]string, n)
	for i := range n {
		m[fmt.Sprintf("k%d", i)] = "v"
	}
	return m
}

// stageARNWithLength returns a valid-shaped stage ARN whose total length is n code points.
func stageARNWithLength(n int) string {
	const prefix = "arn:aws:ivs:us-east-1:123456789012:stage/"
	return prefix + strings.Repeat("a", n-len(prefix))
}

// assertInvalid checks that err is a validation error of operation op holding exactly want, as the SDK
// wraps its own validation errors.
func assertInvalid(t *testing.T, err error, op string, want map[string]string) {
	t.Helper()
	require.Error(t, err)
	var opErr *smithy.OperationError
	require.True(t, errors.As(err, &opErr), "want *smithy.OperationError, got %T: %v", err, err)
	assert.Equal(t, ivsrealtime.ServiceID, opErr.ServiceID)
	assert.Equal(t, op, opErr.OperationName)
	testutil.AssertViolations(t, err, want)
}

// jsonEqual compares two JSON documents by value.
func jsonEqual(t *testing.T, want, got []byte) {
	t.Helper()
	var w, g any
	require.NoError(t, json.Unmarshal(want, &w), "want %s", want)
	require.NoError(t, json.Unmarshal(got, &g), "got %s", got)
	assert.Equal(t, w, g)
}

// only returns the single request of mock, failing when there is not exactly one.
func only(t *testing.T, mock *testutil.Mock) testutil.Request {
	t.Helper()
	reqs := mock.Requests()
	require.Len(t, reqs, 1)
	return reqs[0]
}

// respondCreate answers CreateStage with minimalStage's stage and one token per participant token
// configuration of the request, as the service does.
func respondCreate(mock *testutil.Mock) {
	mock.RespondFunc("CreateStage", func(_ *http.Request, body []byte) (int, string, string) {
		var in struct {
			ParticipantTokenConfigurations []json.RawMessage `json:"participantTokenConfigurations"`
		}
		if err := json.Unmarshal(body, &in); err != nil {
			return 400, `{"exceptionMessage": "bad body"}`, "ValidationException"
		}
		return 200, createResponse(len(in.ParticipantTokenConfigurations)), ""
	})
}

// createResponse is a CreateStage response with minimalStage's stage and n tokens.
func createResponse(n int) string {
	tokens := make([]string, n)
	for i := range tokens {
		tokens[i] = fmt.Sprintf(`{"participantId": "p%d", "token": "t%d"}`, i, i)
	}
	return `{"stage": {"arn": "` + stageARN + `"}, "participantTokens": [` + strings.Join(tokens, ",") + `]}`
}
