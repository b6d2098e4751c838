package stage_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

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
			_, errs := testutil.CollectAll(newClient(mock).Participants(t.Context(), stageARN, sessionID, tt.opts...))
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
	items, errs := testutil.CollectAll(newClient(mock).Participants(t.Context(), stageARN, sessionID, stage.FilterPublished()))
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

// Two publishers and a viewer join a recording stage: the session, each participant filter, the
// participants' details and events, a disconnect whose token cannot join again, and a second session once
// the first has ended, all read through the client.
func TestParticipantsAgainstFake(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := t.Context()
	st, tokens := w.createStage(t, "TownHall", 0,
		token.New().WithUserID("host").WithAttribute("role", "host"),
		token.New().WithUserID("guest"),
		token.New().WithUserID("viewer").WithCapabilities(token.Subscribe))
	host, guest, viewer := tokens[0].ParticipantID, tokens[1].ParticipantID, tokens[2].ParticipantID

	assert.Empty(t, testutil.MustCollect(t, w.stages.Sessions(ctx, st.ARN)), "no session before anyone joins")
	w.join(t, st, tokens...)
	require.NoError(t, w.srv.Publish(st.ARN, host))
	require.NoError(t, w.srv.Publish(st.ARN, guest))
	w.clock.Advance(time.Second) // recordings leave STARTING

	sid := w.activeSession(t, st.ARN)
	require.NotEmpty(t, sid)
	sessions := testutil.MustCollect(t, w.stages.Sessions(ctx, st.ARN))
	require.Len(t, sessions, 1)
	assert.Equal(t, sid, sessions[0].ID)
	assert.True(t, sessions[0].Active())
	assert.True(t, epoch.Equal(sessions[0].Start), "%v", sessions[0].Start)
	got, err := w.stages.Session(ctx, st.ARN, sid)
	require.NoError(t, err)
	assert.Equal(t, sessions[0], got)

	all := testutil.MustCollect(t, w.stages.Participants(ctx, st.ARN, sid, stage.WithPageSize(1)))
	assert.Equal(t, []string{host, guest, viewer}, ids(all))
	for _, p := range all {
		assert.Equal(t, stage.ParticipantConnected, p.State)
		assert.True(t, epoch.Equal(p.FirstJoin))
		assert.Nil(t, p.Attributes, "Participants carries no attributes")
		assert.True(t, p.RecordingLocation.IsZero(), "Participants carries no location")
	}

	filters := []struct {
		name string
		opt  stage.ListOption
		want []string
	}{
		{"user ID", stage.FilterUserID("guest"), []string{guest}},
		{"unknown user ID", stage.FilterUserID("nobody"), nil},
		{"published", stage.FilterPublished(), []string{host, guest}},
		{"connected", stage.FilterState(stage.ParticipantConnected), []string{host, guest, viewer}},
		{"disconnected", stage.FilterState(stage.ParticipantDisconnected), nil},
		{"recording ACTIVE", stage.FilterRecordingState(recording.StateActive), []string{host, guest}},
		{"recording STOPPED", stage.FilterRecordingState(recording.StateStopped), nil},
	}
	for _, f := range filters {
		assert.Equal(t, f.want, ids(testutil.MustCollect(t, w.stages.Participants(ctx, st.ARN, sid, f.opt))), f.name)
	}

	p, err := w.stages.Participant(ctx, st.ARN, sid, host)
	require.NoError(t, err)
	assert.Equal(t, "host", p.UserID)
	assert.Equal(t, map[string]string{"role": "host"}, p.Attributes)
	assert.True(t, p.Published)
	assert.Equal(t, recording.StateActive, p.Recording)
	assert.Equal(t, "recordings-townhall", p.RecordingLocation.Bucket)
	assert.True(t, strings.HasPrefix(p.RecordingLocation.Prefix, st.ID()+"/"+sid+"/"+host+"/"), p.RecordingLocation.Prefix)
	assert.Equal(t, stagetest.ParticipantProtocol, p.Protocol)
	assert.Equal(t, stage.ReplicationNone, p.Replication.Type)
	v, err := w.stages.Participant(ctx, st.ARN, sid, viewer)
	require.NoError(t, err)
	assert.Equal(t, recording.StateDisabled, v.Recording, "a viewer is not recorded")
	assert.True(t, v.RecordingLocation.IsZero())

	// The guest leaves: its recording stops (window 0), it is DISCONNECTED.
	require.NoError(t, w.srv.Leave(st.ARN, guest))
	w.clock.Advance(time.Second)
	assert.Equal(t, []string{guest}, ids(testutil.MustCollect(t, w.stages.Participants(ctx, st.ARN, sid, stage.FilterState(stage.ParticipantDisconnected)))))
	assert.Equal(t, []string{guest}, ids(testutil.MustCollect(t, w.stages.Participants(ctx, st.ARN, sid, stage.FilterRecordingState(recording.StateStopped)))))

	// The viewer is disconnected and cannot come back with its token.
	require.NoError(t, w.stages.Disconnect(ctx, st.ARN, viewer, "spam"))
	_, err = w.srv.Join(st.ARN, tokens[2].Value())
	assert.ErrorIs(t, err, stagetest.ErrParticipantDisconnected)
	v, err = w.stages.Participant(ctx, st.ARN, sid, viewer)
	require.NoError(t, err)
	assert.Equal(t, stage.ParticipantDisconnected, v.State)
	events := testutil.MustCollect(t, w.stages.ParticipantEvents(ctx, st.ARN, sid, viewer, stage.WithPageSize(1)))
	assert.Equal(t, []stage.EventName{stage.EventJoined, stage.EventLeft, stage.EventJoinError}, names(events))
	assert.Equal(t, "INSUFFICIENT_CAPABILITIES", events[2].ErrorCode)
	hostEvents := testutil.MustCollect(t, w.stages.ParticipantEvents(ctx, st.ARN, sid, host))
	assert.Equal(t, []stage.EventName{stage.EventJoined, stage.EventPublishStarted}, names(hostEvents))
	assert.True(t, epoch.Equal(hostEvents[0].Time))
	assert.Equal(t, host, hostEvents[0].ParticipantID)

	// What went over the wire: one filter per ListParticipants request, the reason on DisconnectParticipant.
	var filtersSent, disconnects int
	for _, r := range w.srv.Requests() {
		body := r.JSON()
		switch r.Operation {
		case "ListParticipants":
			n := 0
			for _, k := range []string{"filterByUserId", "filterByPublished", "filterByState", "filterByRecordingState"} {
				if _, ok := body[k]; ok {
					n++
				}
			}
			assert.LessOrEqual(t, n, 1, "%v", body)
			filtersSent += n
		case "DisconnectParticipant":
			disconnects++
			assert.Equal(t, map[string]any{"stageArn": st.ARN, "participantId": viewer, "reason": "spam"}, body)
		}
	}
	assert.Equal(t, len(filters)+2, filtersSent)
	assert.Equal(t, 1, disconnects)

	// The host leaves too: the session ends; a new join starts a second one.
	require.NoError(t, w.srv.Leave(st.ARN, host))
	w.clock.Advance(time.Second)
	assert.Empty(t, w.activeSession(t, st.ARN))
	ended, err := w.stages.Session(ctx, st.ARN, sid)
	require.NoError(t, err)
	assert.False(t, ended.Active())
	assert.False(t, ended.End.IsZero())
	w.clock.Advance(time.Minute)
	w.join(t, st, tokens[0])
	sid2 := w.activeSession(t, st.ARN)
	require.NotEmpty(t, sid2)
	assert.NotEqual(t, sid, sid2)
	sessions = testutil.MustCollect(t, w.stages.Sessions(ctx, st.ARN, stage.WithPageSize(1)))
	require.Len(t, sessions, 2)
	var active []string
	for _, s := range sessions {
		if s.Active() {
			active = append(active, s.ID)
		}
	}
	assert.Equal(t, []string{sid2}, active)
	assert.ElementsMatch(t, []string{sid, sid2}, []string{sessions[0].ID, sessions[1].ID})
}

// A self-signed token minted with token.Signer for Stage.TokenTarget joins, and shows in Participants with
// its user ID; its jti may hold '_', which Disconnect accepts.
func TestSelfSignedParticipantAgainstFake(t *testing.T) {
	t.Parallel()
	w := newWorldAt(t, time.Now()) // the signer stamps iat with the wall clock
	ctx := t.Context()
	st, _ := w.createStage(t, "SelfSigned", -1)
	key, err := token.GenerateKey()
	require.NoError(t, err)
	keyARN, err := token.NewClientFromConfig(w.srv.Config()).ImportPublicKey(ctx, "k", &key.PublicKey)
	require.NoError(t, err)
	signer, err := token.NewSigner(key, keyARN)
	require.NoError(t, err)
	tok, err := signer.Mint(st.TokenTarget(), token.New().WithUserID("self"))
	require.NoError(t, err)
	// iat is the wall clock at Mint, which may be past the fake's clock on a slow machine: catch up to it.
	claims, err := token.Verify(tok.Value(), &key.PublicKey)
	require.NoError(t, err)
	if ahead := claims.IssuedAt.Sub(w.clock.Now()); ahead > 0 {
		w.clock.Advance(ahead)
	}
	id, err := w.srv.Join(st.ARN, tok.Value())
	require.NoError(t, err)
	sid := w.activeSession(t, st.ARN)
	assert.Equal(t, []string{id}, ids(testutil.MustCollect(t, w.stages.Participants(ctx, st.ARN, sid, stage.FilterUserID("self")))))
	require.NoError(t, w.stages.Disconnect(ctx, st.ARN, id, ""))
	_, err = w.srv.Join(st.ARN, tok.Value())
	assert.ErrorIs(t, err, stagetest.ErrParticipantDisconnected)
}

// More than one participant filter is one violation, whatever the number of filters: on the second
// filter's field (in the model's order), its message naming every filter given and saying that the service
// takes one per request. One filter, or the same filter twice (the last wins), is no violation. Nothing is
// sent either way for the invalid ones.
func TestParticipantFiltersReportedOnce(t *testing.T) {
	t.Parallel()
	const lp = "ListParticipantsInput."
	tests := []struct {
		name      string
		opts      []stage.ListOption
		wantField string // "" = valid
		wantMsg   string
	}{
		{name: "no filter"},
		{name: "one filter", opts: []stage.ListOption{stage.FilterPublished()}},
		{name: "the same filter twice", opts: []stage.ListOption{stage.FilterState(stage.ParticipantConnected), stage.FilterState(stage.ParticipantDisconnected)}},
		{name: "two filters", opts: []stage.ListOption{stage.FilterState(stage.ParticipantConnected), stage.FilterUserID("u")},
			wantField: lp + "FilterByState",
			wantMsg: "the service allows one filter per request, given 2: FilterByUserId, FilterByState; " +
				"send one and filter the rest client-side (see Client.Participants), ListParticipantsInput.FilterByState."},
		{name: "three filters", opts: []stage.ListOption{stage.FilterRecordingState(recording.StateActive), stage.FilterPublished(), stage.FilterState(stage.ParticipantConnected)},
			wantField: lp + "FilterByState",
			wantMsg: "the service allows one filter per request, given 3: FilterByPublished, FilterByState, FilterByRecordingState; " +
				"send one and filter the rest client-side (see Client.Participants), ListParticipantsInput.FilterByState."},
		{name: "four filters", opts: []stage.ListOption{stage.FilterRecordingState(recording.StateActive), stage.FilterState(stage.ParticipantConnected),
			stage.FilterPublished(), stage.FilterUserID("u")},
			wantField: lp + "FilterByPublished",
			wantMsg: "the service allows one filter per request, given 4: FilterByUserId, FilterByPublished, FilterByState, FilterByRecordingState; " +
				"send one and filter the rest client-side (see Client.Participants), ListParticipantsInput.FilterByPublished."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			mock.Respond("ListParticipants", 200, `{"participants": []}`)
			_, errs := testutil.CollectAll(newClient(mock).Participants(t.Context(), stageARN, sessionID, tt.opts...))
			if tt.wantField == "" {
				assert.Equal(t, []error(nil), errs)
				assert.Equal(t, 1, mock.Count())
				return
			}
			require.Len(t, errs, 1, "yielded once")
			var invalid smithy.InvalidParamsError
			require.ErrorAs(t, errs[0], &invalid)
			require.Len(t, invalid.Errs(), 1, "one violation, not one per filter: %v", invalid)
			assert.Equal(t, map[string]string{tt.wantField: rules.RuleConflict}, testutil.Violations(t, errs[0]))
			assert.Equal(t, tt.wantMsg, invalid.Errs()[0].Error())
			assert.Zero(t, mock.Count(), "nothing sent")
		})
	}
}

// Two filters and an invalid value of one of them: the conflict once, the value's own violation beside it,
// and the other iterators still refuse every filter one by one (they take none).
func TestParticipantFiltersWithAnInvalidValue(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	err := testutil.FirstErr(newClient(mock).Participants(t.Context(), stageARN, sessionID, stage.FilterUserID("u"), stage.FilterState("connected")))
	var invalid smithy.InvalidParamsError
	require.ErrorAs(t, err, &invalid)
	msgs := testutil.Messages(t, err)
	assert.Len(t, invalid.Errs(), 2, msgs)
	assert.Contains(t, msgs, "given 2: FilterByUserId, FilterByState;")
	assert.Contains(t, msgs, `value "connected" is not one of CONNECTED, DISCONNECTED, ListParticipantsInput.FilterByState.`)
	assert.Zero(t, mock.Count())
}
