package stage_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/token"
)

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
	items, errs := testutil.CollectAll(newClient(mock).Replicas(t.Context(), stageARN, participantID, stage.WithPageSize(50)))
	assert.Equal(t, []error{nil, nil}, errs)
	assert.Equal(t, []stage.Replica{
		{SourceStageARN: stageARN, SourceSessionID: sessionID, DestinationStageARN: destinationARN, DestinationSessionID: "st-000000000000A",
			ParticipantID: participantID, State: "ACTIVE"},
		{ParticipantID: participantID, State: "STOPPED"},
	}, items)
	base := `"sourceStageArn": "` + stageARN + `", "participantId": "` + participantID + `", "maxResults": 50`
	assertBodies(t, mock, `{`+base+`}`, `{`+base+`, "nextToken": "t1"}`)
}

// A participant replicated to a second stage shows there as a REPLICA and at the source as SOURCE, with
// REPLICATION_STARTED and REPLICATION_STOPPED events; Replicas lists the active replication.
func TestReplicationAgainstFake(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := t.Context()
	src, tokens := w.createStage(t, "Source", -1, token.New().WithUserID("host").WithAttribute("role", "host"))
	dst, _ := w.createStage(t, "Destination", -1)
	host := w.join(t, src, tokens[0])[0]
	require.NoError(t, w.srv.Publish(src.ARN, host))
	srcSession := w.activeSession(t, src.ARN)

	repl := stage.NewReplication(src.ARN, dst.ARN, host).WithReconnectWindow(30 * time.Second).WithAttributes(map[string]string{"role": "guest", "from": "source"})
	require.NoError(t, w.stages.StartReplication(ctx, repl))
	dstSession := w.activeSession(t, dst.ARN)
	require.NotEmpty(t, dstSession, "the replica starts a session in the destination")

	replicas := testutil.MustCollect(t, w.stages.Replicas(ctx, src.ARN, host, stage.WithPageSize(50)))
	assert.Equal(t, []stage.Replica{{SourceStageARN: src.ARN, SourceSessionID: srcSession, DestinationStageARN: dst.ARN,
		DestinationSessionID: dstSession, ParticipantID: host, State: stage.ReplicationActive}}, replicas)

	replica, err := w.stages.Participant(ctx, dst.ARN, dstSession, host)
	require.NoError(t, err)
	assert.Equal(t, stage.ReplicationInfo{Type: stage.ReplicationReplica, State: stage.ReplicationActive, SourceStageARN: src.ARN, SourceSessionID: srcSession}, replica.Replication)
	assert.Equal(t, map[string]string{"role": "guest", "from": "source"}, replica.Attributes, "the replication's attributes override the token's")
	source, err := w.stages.Participant(ctx, src.ARN, srcSession, host)
	require.NoError(t, err)
	assert.Equal(t, stage.ReplicationSource, source.Replication.Type)

	require.NoError(t, w.stages.StopReplication(ctx, src.ARN, dst.ARN, host))
	assert.Empty(t, testutil.MustCollect(t, w.stages.Replicas(ctx, src.ARN, host)))
	events := testutil.MustCollect(t, w.stages.ParticipantEvents(ctx, src.ARN, srcSession, host))
	assert.Equal(t, []stage.EventName{stage.EventJoined, stage.EventPublishStarted, stage.EventReplicationStarted, stage.EventReplicationStopped}, names(events))
	assert.Equal(t, dst.ARN, events[2].DestinationStageARN)
	assert.Equal(t, dstSession, events[2].DestinationSessionID)
	replica, err = w.stages.Participant(ctx, dst.ARN, dstSession, host)
	require.NoError(t, err)
	assert.Equal(t, stage.ReplicationStopped, replica.Replication.State)

	// At most five destinations at once.
	for i := range stage.MaxReplicationsPerParticipant + 1 {
		d, _ := w.createStage(t, "Many"+string(rune('A'+i)), -1)
		err := w.stages.StartReplication(ctx, stage.NewReplication(src.ARN, d.ARN, host))
		if i < stage.MaxReplicationsPerParticipant {
			require.NoError(t, err)
			continue
		}
		var quota *types.ServiceQuotaExceededException
		assert.ErrorAs(t, err, &quota)
	}
	assert.Len(t, testutil.MustCollect(t, w.stages.Replicas(ctx, src.ARN, host, stage.WithPageSize(2))), stage.MaxReplicationsPerParticipant)
}

// Replication.Validate reports what StartReplication reports, without a client.
func TestReplicationValidate(t *testing.T) {
	t.Parallel()
	r := stage.NewReplication(stageARN, "", "a_b").WithReconnectWindow(time.Millisecond)
	testutil.AssertViolations(t, r.Validate(), map[string]string{
		"StartParticipantReplicationInput.DestinationStageArn":    rules.RuleLength,
		"StartParticipantReplicationInput.ParticipantId":          rules.RulePattern,
		"StartParticipantReplicationInput.ReconnectWindowSeconds": rules.RuleUnit,
	})
	assert.NoError(t, stage.NewReplication(stageARN, destinationARN, participantID).Validate())
}
