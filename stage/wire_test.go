package stage_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
)

// pages answers op with the given response bodies in turn, one per request, by the request's nextToken:
// the first body for no token, body i for token "t<i>". Each body may hold "%s" for its nextToken member.
func pages(t *testing.T, mock *testutil.Mock, op string, bodies ...string) {
	t.Helper()
	mock.RespondFunc(op, func(_ *http.Request, body []byte) (int, string, string) {
		var in struct{ NextToken string }
		if err := json.Unmarshal(body, &in); err != nil {
			return 400, `{"exceptionMessage": "bad body"}`, "ValidationException"
		}
		i := 0
		if in.NextToken != "" {
			if _, err := fmt.Sscanf(in.NextToken, "t%d", &i); err != nil || i >= len(bodies) {
				return 400, `{"exceptionMessage": "bad token"}`, "ValidationException"
			}
		}
		next := ""
		if i+1 < len(bodies) {
			next = fmt.Sprintf(`, "nextToken": "t%d"`, i+1)
		}
		return 200, fmt.Sprintf(bodies[i], next), ""
	})
}

// bodies returns the JSON bodies of mock's requests.
func bodies(t *testing.T, mock *testutil.Mock) []string {
	t.Helper()
	var out []string
	for _, r := range mock.Requests() {
		out = append(out, string(r.Body))
	}
	return out
}

func assertBodies(t *testing.T, mock *testutil.Mock, want ...string) {
	t.Helper()
	got := bodies(t, mock)
	require.Len(t, got, len(want))
	for i := range want {
		jsonEqual(t, []byte(want[i]), []byte(got[i]))
	}
}

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestSessions(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	pages(t, mock, "ListStageSessions",
		`{"stageSessions": [{"sessionId": "st-a1b2c3d4e5f6g", "startTime": "2026-04-26T20:30:29.602Z"}]%s}`,
		`{"stageSessions": [{"sessionId": "st-000000000000A", "startTime": "2026-04-26T19:00:00Z", "endTime": "2026-04-26T20:00:00Z"}, {}]%s}`)
	items, errs := collect(newClient(mock).Sessions(t.Context(), stageARN, stage.WithPageSize(2)))
	assert.Equal(t, []error{nil, nil, nil}, errs)
	assert.Equal(t, []stage.Session{
		{ID: "st-a1b2c3d4e5f6g", Start: date("2026-04-26T20:30:29.602Z")},
		{ID: "st-000000000000A", Start: date("2026-04-26T19:00:00Z"), End: date("2026-04-26T20:00:00Z")},
		{},
	}, items)
	assert.True(t, items[0].Active())
	assert.False(t, items[1].Active(), "an ended session")
	assert.False(t, items[2].Active(), "the zero session")
	assertBodies(t, mock,
		`{"stageArn": "`+stageARN+`", "maxResults": 2}`,
		`{"stageArn": "`+stageARN+`", "maxResults": 2, "nextToken": "t1"}`)
}

func TestSession(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want stage.Session
	}{
		{"active", `{"stageSession": {"sessionId": "st-a1b2c3d4e5f6g", "startTime": "2026-04-26T20:30:29.602Z"}}`,
			stage.Session{ID: sessionID, Start: date("2026-04-26T20:30:29.602Z")}},
		{"ended", `{"stageSession": {"sessionId": "st-a1b2c3d4e5f6g", "startTime": "2026-04-26T20:30:29Z", "endTime": "2026-04-26T20:36:29+00:00"}}`,
			stage.Session{ID: sessionID, Start: date("2026-04-26T20:30:29Z"), End: date("2026-04-26T20:36:29Z")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			mock.Respond("GetStageSession", 200, tt.body)
			got, err := newClient(mock).Session(t.Context(), stageARN, sessionID)
			require.NoError(t, err)
			assert.True(t, tt.want.Start.Equal(got.Start) && tt.want.End.Equal(got.End), "%v", got)
			assert.Equal(t, tt.want.ID, got.ID)
			assert.Equal(t, tt.want.End.IsZero(), got.Active())
			assertBodies(t, mock, `{"stageArn": "`+stageARN+`", "sessionId": "`+sessionID+`"}`)
		})
	}
}

// A response without the item asked for is an error naming it, never a zero value and nil.
func TestResponseWithoutItem(t *testing.T) {
	t.Parallel()
	tests := []struct {
		op   string
		call func(c *stage.Client) error
		want error
	}{
		{"GetStageSession", func(c *stage.Client) error { _, err := c.Session(t.Context(), stageARN, sessionID); return err }, stage.ErrNoSession},
		{"GetParticipant", func(c *stage.Client) error {
			_, err := c.Participant(t.Context(), stageARN, sessionID, participantID)
			return err
		}, stage.ErrNoParticipant},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			t.Parallel()
			for _, c := range []*stage.Client{stage.NewClient(nilAPI{}), func() *stage.Client {
				mock := testutil.NewMock()
				mock.Respond(tt.op, 200, `{}`)
				return newClient(mock)
			}()} {
				err := tt.call(c)
				require.ErrorIs(t, err, tt.want)
				var opErr *smithy.OperationError
				require.ErrorAs(t, err, &opErr)
				assert.Equal(t, tt.op, opErr.OperationName)
			}
		})
	}
	t.Run("iterators with nil outputs yield nothing", func(t *testing.T) {
		t.Parallel()
		c := stage.NewClient(nilAPI{})
		for _, n := range []int{
			len(first(collect(c.Sessions(t.Context(), stageARN)))),
			len(first(collect(c.Participants(t.Context(), stageARN, sessionID)))),
			len(first(collect(c.ParticipantEvents(t.Context(), stageARN, sessionID, participantID)))),
			len(first(collect(c.Replicas(t.Context(), stageARN, participantID)))),
		} {
			assert.Zero(t, n)
		}
	})
}

func first[A, B any](a A, _ B) A { return a }

// Each filter and the page size reach the wire as ListParticipants members; nothing unset is sent.
func TestParticipantsRequestBody(t *testing.T) {
	t.Parallel()
	base := `"stageArn": "` + stageARN + `", "sessionId": "` + sessionID + `"`
	tests := []struct {
		name string
		opts []stage.ListOption
		want string
	}{
		{"no options", nil, `{` + base + `}`},
		{"page size", []stage.ListOption{stage.WithPageSize(100)}, `{` + base + `, "maxResults": 100}`},
		{"user ID", []stage.ListOption{stage.FilterUserID("host")}, `{` + base + `, "filterByUserId": "host"}`},
		{"empty user ID", []stage.ListOption{stage.FilterUserID("")}, `{` + base + `, "filterByUserId": ""}`},
		{"published", []stage.ListOption{stage.FilterPublished()}, `{` + base + `, "filterByPublished": true}`},
		{"connected", []stage.ListOption{stage.FilterState(stage.ParticipantConnected)}, `{` + base + `, "filterByState": "CONNECTED"}`},
		{"disconnected", []stage.ListOption{stage.FilterState(stage.ParticipantDisconnected)}, `{` + base + `, "filterByState": "DISCONNECTED"}`},
		{"recording STARTING", []stage.ListOption{stage.FilterRecordingState(recording.StateStarting)}, `{` + base + `, "filterByRecordingState": "STARTING"}`},
		{"recording STOPPED, page 7", []stage.ListOption{stage.WithPageSize(7), stage.FilterRecordingState(recording.StateStopped)},
			`{` + base + `, "filterByRecordingState": "STOPPED", "maxResults": 7}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			mock.Respond("ListParticipants", 200, `{"participants": []}`)
			_, errs := collect(newClient(mock).Participants(t.Context(), stageARN, sessionID, tt.opts...))
			assert.Empty(t, errs)
			assertBodies(t, mock, tt.want)
		})
	}
}

// Summaries: every field, paging with the filter kept on every page, no attributes, no location.
func TestParticipants(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	pages(t, mock, "ListParticipants",
		`{"participants": [{"participantId": "p1", "userId": "host", "state": "CONNECTED", "firstJoinTime": "2026-04-26T20:30:34+00:00",
			"published": true, "recordingState": "ACTIVE", "replicationType": "SOURCE", "replicationState": "ACTIVE"}]%s}`,
		`{"participants": [{"participantId": "p2", "state": "DISCONNECTED", "recordingState": "SOMETHING_NEW", "replicationType": "REPLICA",
			"replicationState": "STOPPED", "sourceStageArn": "`+destinationARN+`", "sourceSessionId": "st-000000000000A"}]%s}`)
	items, errs := collect(newClient(mock).Participants(t.Context(), stageARN, sessionID, stage.FilterPublished()))
	assert.Equal(t, []error{nil, nil}, errs)
	assert.Equal(t, []stage.Participant{
		{ID: "p1", UserID: "host", State: stage.ParticipantConnected, FirstJoin: date("2026-04-26T20:30:34Z"), Published: true,
			Recording: recording.StateActive, Replication: stage.ReplicationInfo{Type: stage.ReplicationSource, State: stage.ReplicationActive}},
		{ID: "p2", State: stage.ParticipantDisconnected, Recording: "SOMETHING_NEW",
			Replication: stage.ReplicationInfo{Type: stage.ReplicationReplica, State: stage.ReplicationStopped, SourceStageARN: destinationARN, SourceSessionID: "st-000000000000A"}},
	}, items)
	assert.Nil(t, items[0].Attributes)
	assert.True(t, items[0].RecordingLocation.IsZero())
	base := `"stageArn": "` + stageARN + `", "sessionId": "` + sessionID + `", "filterByPublished": true`
	assertBodies(t, mock, `{`+base+`}`, `{`+base+`, "nextToken": "t1"}`)
}

// GetParticipant: every field, the recording location taken as sent (a prefix with '/', which the model's
// pattern for it forbids), unknown enum values passed through.
func TestParticipant(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want stage.Participant
	}{
		{"every field", `{"participant": {"participantId": "` + participantID + `", "userId": "host", "state": "CONNECTED",
			"firstJoinTime": "2026-04-26T20:30:34.5Z", "attributes": {"role": "host"}, "published": true,
			"ispName": "Example ISP", "osName": "Microsoft Windows 10 Pro", "osVersion": "10.0.19044", "browserName": "Chrome",
			"browserVersion": "112.0", "sdkVersion": "1.4.0", "recordingS3BucketName": "my.bucket-1",
			"recordingS3Prefix": "AbCdEf123456/st-a1b2c3d4e5f6g/` + participantID + `/2026-04-26T20-30-40Z",
			"recordingState": "ACTIVE", "protocol": "WHIP", "replicationType": "NONE"}}`,
			stage.Participant{ID: participantID, UserID: "host", State: stage.ParticipantConnected, FirstJoin: date("2026-04-26T20:30:34.5Z"),
				Published: true, Attributes: map[string]string{"role": "host"}, Recording: recording.StateActive,
				RecordingLocation: recording.Location{Bucket: "my.bucket-1", Prefix: "AbCdEf123456/st-a1b2c3d4e5f6g/" + participantID + "/2026-04-26T20-30-40Z"},
				Protocol:          "WHIP",
				Client:            stage.ClientInfo{ISP: "Example ISP", OS: "Microsoft Windows 10 Pro", OSVersion: "10.0.19044", Browser: "Chrome", BrowserVersion: "112.0", SDKVersion: "1.4.0"},
				Replication:       stage.ReplicationInfo{Type: stage.ReplicationNone}}},
		{"not recorded", `{"participant": {"participantId": "p", "recordingS3BucketName": "", "recordingS3Prefix": "", "recordingState": "DISABLED", "protocol": "RTMPS"}}`,
			stage.Participant{ID: "p", Recording: recording.StateDisabled, Protocol: "RTMPS"}},
		{"unknown values", `{"participant": {"participantId": "p", "state": "RECONNECTING", "protocol": "SRT", "replicationType": "MIRROR", "replicationState": "PAUSED"}}`,
			stage.Participant{ID: "p", State: "RECONNECTING", Protocol: "SRT", Replication: stage.ReplicationInfo{Type: "MIRROR", State: "PAUSED"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			mock.Respond("GetParticipant", 200, tt.body)
			got, err := newClient(mock).Participant(t.Context(), stageARN, sessionID, participantID)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.want.RecordingLocation.IsZero(), got.RecordingLocation.IsZero())
			assertBodies(t, mock, `{"stageArn": "`+stageARN+`", "sessionId": "`+sessionID+`", "participantId": "`+participantID+`"}`)
		})
	}
}

func TestDisconnect(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, id, reason, want string
	}{
		{"with a reason", participantID, "spam", `{"stageArn": "` + stageARN + `", "participantId": "` + participantID + `", "reason": "spam"}`},
		{"empty reason is not sent", participantID, "", `{"stageArn": "` + stageARN + `", "participantId": "` + participantID + `"}`},
		{"self-signed jti with _", "my_participant-1", "bye", `{"stageArn": "` + stageARN + `", "participantId": "my_participant-1", "reason": "bye"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			mock.Respond("DisconnectParticipant", 200, `{}`)
			require.NoError(t, newClient(mock).Disconnect(t.Context(), stageARN, tt.id, tt.reason))
			assertBodies(t, mock, tt.want)
		})
	}
}

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
	items, errs := collect(newClient(mock).ParticipantEvents(t.Context(), stageARN, sessionID, "p1", stage.WithPageSize(3)))
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

// The enums list the model's members and recognise only them.
func TestEnums(t *testing.T) {
	t.Parallel()
	assert.Len(t, stage.EventName("").Values(), 12)
	for _, n := range stage.EventName("").Values() {
		assert.True(t, n.Valid(), n)
	}
	assert.Contains(t, stage.EventName("").Values(), stage.EventName("TOKEN_EXCHANGED"))
	assert.Equal(t, []stage.ParticipantState{"CONNECTED", "DISCONNECTED"}, stage.ParticipantState("").Values())
	assert.Equal(t, []stage.ReplicationType{"SOURCE", "REPLICA", "NONE"}, stage.ReplicationType("").Values())
	assert.Equal(t, []stage.ReplicationState{"ACTIVE", "STOPPED"}, stage.ReplicationState("").Values())
	for _, s := range stage.ParticipantState("").Values() {
		assert.True(t, s.Valid())
	}
	for _, s := range stage.ReplicationType("").Values() {
		assert.True(t, s.Valid())
	}
	for _, s := range stage.ReplicationState("").Values() {
		assert.True(t, s.Valid())
	}
	for _, bad := range []string{"", "connected", "JOINED "} {
		assert.False(t, stage.ParticipantState(bad).Valid())
		assert.False(t, stage.ReplicationType(bad).Valid())
		assert.False(t, stage.ReplicationState(bad).Valid())
		assert.False(t, stage.EventName(bad).Valid())
	}
}

func TestStartReplicationRequestBody(t *testing.T) {
	t.Parallel()
	base := `"sourceStageArn": "` + stageARN + `", "destinationStageArn": "` + destinationARN + `", "participantId": "` + participantID + `"`
	r := stage.NewReplication(stageARN, destinationARN, participantID)
	tests := []struct {
		name string
		r    stage.Replication
		want string
	}{
		{"defaults", r, `{` + base + `}`},
		{"window 0 is sent", r.WithReconnectWindow(0), `{` + base + `, "reconnectWindowSeconds": 0}`},
		{"window and attributes", r.WithReconnectWindow(time.Minute).WithAttributes(map[string]string{"role": "guest"}),
			`{` + base + `, "reconnectWindowSeconds": 60, "attributes": {"role": "guest"}}`},
		{"empty attributes are not sent", r.WithAttributes(map[string]string{}), `{` + base + `}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			mock.Respond("StartParticipantReplication", 200, `{}`)
			require.NoError(t, newClient(mock).StartReplication(t.Context(), tt.r))
			assertBodies(t, mock, tt.want)
		})
	}
}

// A Replication is a value: With… copies, and the map given is copied in and out.
func TestReplicationIsImmutable(t *testing.T) {
	t.Parallel()
	attrs := map[string]string{"role": "guest"}
	base := stage.NewReplication(stageARN, destinationARN, participantID)
	r := base.WithAttributes(attrs).WithReconnectWindow(time.Minute)
	attrs["role"] = "changed"
	attrs["extra"] = "x"
	assert.Equal(t, map[string]string{"role": "guest"}, r.Attributes())
	r.Attributes()["role"] = "changed again"
	assert.Equal(t, map[string]string{"role": "guest"}, r.Attributes())
	_, set := base.ReconnectWindow()
	assert.False(t, set, "base is unchanged")
	assert.Nil(t, base.Attributes())
	w, set := r.ReconnectWindow()
	assert.True(t, set)
	assert.Equal(t, time.Minute, w)
	assert.Equal(t, stageARN, r.SourceStageARN())
	assert.Equal(t, destinationARN, r.DestinationStageARN())
	assert.Equal(t, participantID, r.ParticipantID())
	assert.Equal(t, `stage.NewReplication("`+stageARN+`", "`+destinationARN+`", "`+participantID+`").WithReconnectWindow(1m0s).WithAttributes(keys ["role"])`, r.String())
	assert.NotContains(t, r.String(), "guest", "attribute values are not shown")
}

func TestStopReplication(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	mock.Respond("StopParticipantReplication", 200, `{}`)
	require.NoError(t, newClient(mock).StopReplication(t.Context(), stageARN, destinationARN, participantID))
	assertBodies(t, mock, `{"sourceStageArn": "`+stageARN+`", "destinationStageArn": "`+destinationARN+`", "participantId": "`+participantID+`"}`)
}

func TestReplicas(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	pages(t, mock, "ListParticipantReplicas",
		`{"replicas": [{"sourceStageArn": "`+stageARN+`", "sourceSessionId": "`+sessionID+`", "destinationStageArn": "`+destinationARN+`",
			"destinationSessionId": "st-000000000000A", "participantId": "`+participantID+`", "replicationState": "ACTIVE"}]%s}`,
		`{"replicas": [{"participantId": "`+participantID+`", "replicationState": "STOPPED"}]%s}`)
	items, errs := collect(newClient(mock).Replicas(t.Context(), stageARN, participantID, stage.WithPageSize(50)))
	assert.Equal(t, []error{nil, nil}, errs)
	assert.Equal(t, []stage.Replica{
		{SourceStageARN: stageARN, SourceSessionID: sessionID, DestinationStageARN: destinationARN, DestinationSessionID: "st-000000000000A",
			ParticipantID: participantID, State: "ACTIVE"},
		{ParticipantID: participantID, State: "STOPPED"},
	}, items)
	base := `"sourceStageArn": "` + stageARN + `", "participantId": "` + participantID + `", "maxResults": 50`
	assertBodies(t, mock, `{`+base+`}`, `{`+base+`, "nextToken": "t1"}`)
}

// Tag and Untag go to /tags/{resourceArn} (the ARN escaped in the path) with POST and a body, DELETE and
// tagKeys in the query.
func TestTags(t *testing.T) {
	t.Parallel()
	storage := "arn:aws:ivs:us-east-1:123456789012:storage-configuration/AbCdEf123456"
	mock := testutil.NewMock()
	rec := respondTags(t, mock, 200, `{}`, "")
	c := newClient(mock)
	require.NoError(t, c.Tag(t.Context(), stageARN, map[string]string{"team": "events", "env": ""}))
	require.NoError(t, c.Untag(t.Context(), storage, "team", "env", "a b/c"))
	reqs := rec.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "POST", reqs[0].Method)
	assert.Equal(t, stageARN, reqs[0].ResourceARN)
	jsonEqual(t, []byte(`{"tags": {"team": "events", "env": ""}}`), []byte(reqs[0].Body))
	assert.Equal(t, "DELETE", reqs[1].Method)
	assert.Equal(t, storage, reqs[1].ResourceARN)
	assert.ElementsMatch(t, []string{"team", "env", "a b/c"}, reqs[1].Query["tagKeys"])
	assert.Empty(t, reqs[1].Body)
}
