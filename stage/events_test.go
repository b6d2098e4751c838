package stage_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/stage"
)

// Events: every field, names the official client does not know (TOKEN_EXCHANGED) and names nobody knows
// yet pass through.
func TestParticipantEvents(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	pages(t, mock, "ListParticipantEvents",
		`{"events": [
			{"name": "JOINED", "participantId": "p1", "eventTime": "2026-04-26T20:30:34Z"},
			{"name": "SUBSCRIBE_STARTED", "participantId": "p1", "remoteParticipantId": "p2", "eventTime": "2026-04-26T20:30:35.25Z", "replica": true},
			{"name": "PUBLISH_ERROR", "participantId": "p1", "eventTime": "2026-04-26T20:30:36Z", "errorCode": "BITRATE_EXCEEDED"}]%s}`,
		`{"events": [
			{"name": "REPLICATION_STARTED", "participantId": "p1", "eventTime": "2026-04-26T20:30:37Z", "destinationStageArn": "`+destinationARN+`", "destinationSessionId": "st-000000000000A"},
			{"name": "TOKEN_EXCHANGED", "participantId": "p1", "eventTime": "2026-04-26T20:30:38Z",
			 "previousToken": {"capabilities": ["SUBSCRIBE"]}, "newToken": {"capabilities": ["PUBLISH"]}},
			{"name": "TELEPORTED", "participantId": "p1"}]%s}`)
	items, errs := testutil.CollectAll(newClient(mock).ParticipantEvents(t.Context(), stageARN, sessionID, "p1", stage.WithPageSize(3)))
	assert.Equal(t, []error{nil, nil, nil, nil, nil, nil}, errs)
	assert.Equal(t, []stage.ParticipantEvent{
		{Name: stage.EventJoined, ParticipantID: "p1", Time: date("2026-04-26T20:30:34Z")},
		{Name: stage.EventSubscribeStarted, ParticipantID: "p1", RemoteParticipantID: "p2", Time: date("2026-04-26T20:30:35.25Z"), Replica: true},
		{Name: stage.EventPublishError, ParticipantID: "p1", Time: date("2026-04-26T20:30:36Z"), ErrorCode: "BITRATE_EXCEEDED"},
		{Name: stage.EventReplicationStarted, ParticipantID: "p1", Time: date("2026-04-26T20:30:37Z"), DestinationStageARN: destinationARN, DestinationSessionID: "st-000000000000A"},
		{Name: stage.EventTokenExchanged, ParticipantID: "p1", Time: date("2026-04-26T20:30:38Z")},
		{Name: "TELEPORTED", ParticipantID: "p1"},
	}, items)
	assert.True(t, items[4].Name.Valid())
	assert.False(t, items[5].Name.Valid())
	base := `"stageArn": "` + stageARN + `", "sessionId": "` + sessionID + `", "participantId": "p1", "maxResults": 3`
	assertBodies(t, mock, `{`+base+`}`, `{`+base+`, "nextToken": "t1"}`)
}
