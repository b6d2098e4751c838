package stagetest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/stagetest"
)

func (w *world) startReplication(src, dst, pid string) error {
	w.t.Helper()
	_, err := w.client.StartParticipantReplication(w.t.Context(), &ivsrealtime.StartParticipantReplicationInput{
		SourceStageArn: aws.String(src), DestinationStageArn: aws.String(dst), ParticipantId: aws.String(pid),
		Attributes: map[string]string{"replica": "yes"}, ReconnectWindowSeconds: aws.Int32(10),
	})
	return err
}

func (w *world) replicas(src, pid string) []types.ParticipantReplica {
	w.t.Helper()
	var out []types.ParticipantReplica
	p := ivsrealtime.NewListParticipantReplicasPaginator(w.client, &ivsrealtime.ListParticipantReplicasInput{
		SourceStageArn: aws.String(src), ParticipantId: aws.String(pid), MaxResults: aws.Int32(2),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(w.t.Context())
		require.NoError(w.t, err)
		out = append(out, page.Replicas...)
	}
	return out
}

func TestReplication(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	src := w.stage(nil)
	dst := w.recordingStage("replica-bucket", 0) // records replicas (recordParticipantReplicas defaults to true)
	pid := w.join(src, "host")
	srcSess := w.activeSession(src)
	require.NoError(t, w.srv.Publish(src, pid))
	require.Empty(t, w.activeSession(dst))

	w.clock.Advance(time.Second)
	require.NoError(t, w.startReplication(src, dst, pid))
	dstSess := w.activeSession(dst)
	require.NotEmpty(t, dstSess, "the replica started a session in the destination")

	replica := w.participant(dst, dstSess, pid)
	assert.Equal(t, types.ReplicationTypeReplica, replica.ReplicationType)
	assert.Equal(t, types.ReplicationStateActive, replica.ReplicationState)
	assert.Equal(t, src, aws.ToString(replica.SourceStageArn))
	assert.Equal(t, srcSess, aws.ToString(replica.SourceSessionId))
	assert.Equal(t, "host", aws.ToString(replica.UserId))
	assert.Equal(t, map[string]string{"replica": "yes"}, replica.Attributes)
	assert.True(t, replica.Published, "it publishes there because it publishes at the source")
	assert.Equal(t, types.ParticipantRecordingStateStarting, replica.RecordingState)
	source := w.participant(src, srcSess, pid)
	assert.Equal(t, types.ReplicationTypeSource, source.ReplicationType)
	assert.Equal(t, types.ReplicationStateActive, source.ReplicationState)

	reps := w.replicas(src, pid)
	require.Len(t, reps, 1)
	assert.Equal(t, types.ParticipantReplica{
		SourceStageArn: aws.String(src), ParticipantId: aws.String(pid), SourceSessionId: aws.String(srcSess),
		DestinationStageArn: aws.String(dst), DestinationSessionId: aws.String(dstSess), ReplicationState: types.ReplicationStateActive,
	}, reps[0])

	// A second start to the same destination conflicts.
	code, status := apiError(t, w.startReplication(src, dst, pid))
	assert.Equal(t, "ConflictException", code)
	assert.Equal(t, http.StatusConflict, status)

	// Unpublishing at the source unpublishes the replica; stopping ends the replication.
	w.clock.Advance(2 * time.Second)
	require.NoError(t, w.srv.Unpublish(src, pid))
	_, err := w.client.StopParticipantReplication(t.Context(), &ivsrealtime.StopParticipantReplicationInput{
		SourceStageArn: aws.String(src), DestinationStageArn: aws.String(dst), ParticipantId: aws.String(pid),
	})
	require.NoError(t, err)
	assert.Empty(t, w.replicas(src, pid))
	assert.Empty(t, w.activeSession(dst), "the replica left: the destination session ended")
	replica = w.participant(dst, dstSess, pid)
	assert.Equal(t, types.ParticipantStateDisconnected, replica.State)
	assert.Equal(t, types.ReplicationStateStopped, replica.ReplicationState)
	assert.Equal(t, types.ReplicationStateStopped, w.participant(src, srcSess, pid).ReplicationState)

	evs := w.events(src, srcSess, pid)
	var names []string
	for _, e := range evs {
		names = append(names, string(e.Name))
		if e.Name == types.EventNameReplicationStarted || e.Name == types.EventNameReplicationStopped {
			assert.Equal(t, dst, aws.ToString(e.DestinationStageArn))
			assert.Equal(t, dstSess, aws.ToString(e.DestinationSessionId))
		}
	}
	assert.Equal(t, []string{"JOINED", "PUBLISH_STARTED", "REPLICATION_STARTED", "PUBLISH_STOPPED", "REPLICATION_STOPPED"}, names)
	assert.Equal(t, []string{"JOINED", "PUBLISH_STARTED", "PUBLISH_STOPPED", "LEFT"}, w.eventNames(dst, dstSess, pid))

	// The EventBridge events: replica fields only on the replica's, destination fields on the replication's.
	var got []string
	for _, e := range w.bus() {
		d := e.Detail
		got = append(got, e.Detail["event_name"].(string))
		switch d["event_name"] {
		case "Participant Replication Start", "Participant Replication End":
			assert.Equal(t, []string{src}, e.Resources)
			assert.Equal(t, dst, d["destination_stage_arn"])
			assert.Equal(t, dstSess, d["destination_session_id"])
		case "Participant Published", "Participant Unpublished":
			if e.Resources[0] == dst {
				assert.Equal(t, true, d["replica"])
				assert.Equal(t, src, d["source_stage_arn"])
				assert.Equal(t, srcSess, d["source_session_id"])
			} else {
				assert.NotContains(t, d, "replica")
				assert.NotContains(t, d, "source_stage_arn")
			}
		}
	}
	assert.Equal(t, []string{"Participant Published", "Participant Replication Start", "Participant Published", "Recording Start",
		"Participant Unpublished", "Participant Unpublished", "Recording End", "Participant Replication End"}, got)
}

func TestReplicationNotRecorded(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	src := w.stage(nil)
	dst := w.stage(nil)
	// The Go client cannot send recordParticipantReplicas false; a raw request does.
	r := post(t, w.srv, "UpdateStage", `{"arn": "`+dst+`", "autoParticipantRecordingConfiguration": {"storageConfigurationArn": "`+
		w.srv.MustAddStorageConfiguration("no-replicas")+`", "recordParticipantReplicas": false}}`)
	require.Equal(t, http.StatusOK, r.Status, "%v", r.Body)
	pid := w.join(src, "")
	require.NoError(t, w.srv.Publish(src, pid))
	require.NoError(t, w.startReplication(src, dst, pid))
	sess := w.activeSession(dst)
	assert.Equal(t, types.ParticipantRecordingStateDisabled, w.participant(dst, sess, pid).RecordingState)
	assert.Empty(t, w.srv.Objects("no-replicas"))
	assert.Empty(t, w.recordingEvents(pid))

	// A participant of that stage itself is recorded.
	own := w.join(dst, "")
	require.NoError(t, w.srv.Publish(dst, own))
	assert.Equal(t, types.ParticipantRecordingStateStarting, w.participant(dst, sess, own).RecordingState)
}

func TestReplicationLimitsAndErrors(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	src := w.stage(nil)
	pid := w.join(src, "")
	var dsts []string
	for range stagetest.MaxReplicationsPerParticipant + 1 {
		dsts = append(dsts, w.stage(nil))
	}
	for i, dst := range dsts[:stagetest.MaxReplicationsPerParticipant] {
		require.NoError(t, w.startReplication(src, dst, pid), i)
	}
	code, status := apiError(t, w.startReplication(src, dsts[5], pid))
	assert.Equal(t, "ServiceQuotaExceededException", code)
	assert.Equal(t, http.StatusPaymentRequired, status)
	assert.Len(t, w.replicas(src, pid), 5)

	// A replica cannot be moved by the simulation verbs, nor replicated again.
	replicaSess := w.activeSession(dsts[0])
	require.ErrorIs(t, w.srv.Publish(dsts[0], pid), stagetest.ErrReplica)
	code, _ = apiError(t, w.startReplication(dsts[0], dsts[5], pid))
	assert.Equal(t, "ConflictException", code)

	// The source leaves: every replication stops and the replicas leave.
	require.NoError(t, w.srv.Leave(src, pid))
	assert.Empty(t, w.replicas(src, pid))
	assert.Equal(t, types.ParticipantStateDisconnected, w.participant(dsts[0], replicaSess, pid).State)

	tests := []struct {
		name     string
		src, dst string
		pid      string
		code     string
		status   int
	}{
		{"participant not connected", src, dsts[5], pid, "ResourceNotFoundException", http.StatusNotFound},
		{"unknown participant", src, dsts[5], "nobody", "ResourceNotFoundException", http.StatusNotFound},
		{"unknown source stage", stageARN("Nope"), dsts[5], pid, "ResourceNotFoundException", http.StatusNotFound},
		{"unknown destination stage", src, stageARN("Nope"), pid, "ResourceNotFoundException", http.StatusNotFound},
		{"source is the destination", src, src, pid, "ValidationException", http.StatusBadRequest},
	}
	for _, tt := range tests {
		code, status := apiError(t, w.startReplication(tt.src, tt.dst, tt.pid))
		assert.Equal(t, tt.code, code, tt.name)
		assert.Equal(t, tt.status, status, tt.name)
	}
	_, err := w.client.StopParticipantReplication(t.Context(), &ivsrealtime.StopParticipantReplicationInput{
		SourceStageArn: aws.String(src), DestinationStageArn: aws.String(dsts[0]), ParticipantId: aws.String(pid),
	})
	code, status = apiError(t, err)
	assert.Equal(t, "ResourceNotFoundException", code, "no active replication")
	assert.Equal(t, http.StatusNotFound, status)
}

func TestDisconnectReplica(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	src, dst := w.stage(nil), w.stage(nil)
	pid := w.join(src, "")
	require.NoError(t, w.startReplication(src, dst, pid))
	_, err := w.client.DisconnectParticipant(t.Context(), &ivsrealtime.DisconnectParticipantInput{
		StageArn: aws.String(dst), ParticipantId: aws.String(pid),
	})
	require.NoError(t, err)
	assert.Empty(t, w.replicas(src, pid), "disconnecting the replica stops its replication")
	assert.Equal(t, types.ParticipantStateConnected, w.participant(src, w.activeSession(src), pid).State)
}

// TestFormerReplicaJoins: after its replication stopped, the same participant joins the destination with
// its own token and is an ordinary participant there.
func TestFormerReplicaJoins(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	src, dst := w.stage(nil), w.stage(nil)
	key, kid := w.importKey()
	pid := "shared-1"
	_, err := w.srv.Join(src, sign(t, jwt.SigningMethodES384, key, kid, w.claims(src, pid)))
	require.NoError(t, err)
	require.NoError(t, w.startReplication(src, dst, pid))
	w.join(dst, "") // keeps the destination's session
	dstSess := w.activeSession(dst)
	_, err = w.client.StopParticipantReplication(t.Context(), &ivsrealtime.StopParticipantReplicationInput{
		SourceStageArn: aws.String(src), DestinationStageArn: aws.String(dst), ParticipantId: aws.String(pid),
	})
	require.NoError(t, err)
	_, err = w.srv.Join(dst, sign(t, jwt.SigningMethodES384, key, kid, w.claims(dst, pid)))
	require.NoError(t, err)
	p := w.participant(dst, dstSess, pid)
	assert.Equal(t, types.ReplicationTypeNone, p.ReplicationType)
	assert.Empty(t, aws.ToString(p.SourceStageArn))
	require.NoError(t, w.srv.Publish(dst, pid), "no longer moved by its source")
}

// The 5-replication quota and the "already replicated" check are per participant, not per participant ID:
// two participants of different stages whose self-signed tokens share a jti are two participants.
func TestReplicationQuotaIsPerParticipant(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a, b := w.stage(nil), w.stage(nil)
	key, kid := w.importKey()
	const pid = "same-id"
	for _, arn := range []string{a, b} {
		got, err := w.srv.Join(arn, sign(t, jwt.SigningMethodES384, key, kid, w.claims(arn, pid)))
		require.NoError(t, err)
		require.Equal(t, pid, got)
	}
	dests := make([]string, stagetest.MaxReplicationsPerParticipant+1)
	for i := range dests {
		dests[i] = w.stage(nil)
	}
	for _, dst := range dests[:stagetest.MaxReplicationsPerParticipant] {
		require.NoError(t, w.startReplication(a, dst, pid))
	}
	// B's participant has used none of its quota.
	require.NoError(t, w.startReplication(b, dests[len(dests)-1], pid), "B's participant is not A's")
	assert.Len(t, w.replicas(b, pid), 1)
	assert.Len(t, w.replicas(a, pid), stagetest.MaxReplicationsPerParticipant)
}

// Disconnecting a replica whose replication has already stopped (it is still in the destination's active
// session, disconnected) stops nothing a second time: one REPLICATION_STOPPED, one Replication End.
// Catches: DisconnectParticipant stopping the replication of a replica that is no longer connected.
func TestDisconnectStoppedReplicaStopsNothingAgain(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	src, dst := w.stage(nil), w.stage(nil)
	pid := w.join(src, "")
	srcSess := w.activeSession(src)
	require.NoError(t, w.startReplication(src, dst, pid))
	w.join(dst, "") // keeps the destination's session
	require.NoError(t, w.stopReplication(src, dst, pid))

	_, err := w.client.DisconnectParticipant(t.Context(), &ivsrealtime.DisconnectParticipantInput{
		StageArn: aws.String(dst), ParticipantId: aws.String(pid),
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"JOINED", "REPLICATION_STARTED", "REPLICATION_STOPPED"}, w.eventNames(src, srcSess, pid))
	assert.Equal(t, 1, w.busCount("Participant Replication End", pid))
	assert.Equal(t, types.ReplicationStateStopped, w.participant(src, srcSess, pid).ReplicationState)
}

// StartParticipantReplication takes a CONNECTED participant: one that left an active session is 404.
// Catches: the "connected" half of the source check dropped.
func TestReplicateParticipantThatLeft(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	src, dst := w.stage(nil), w.stage(nil)
	pid := w.join(src, "")
	w.join(src, "keeps-the-session")
	require.NoError(t, w.srv.Leave(src, pid))
	require.NotEmpty(t, w.activeSession(src))

	assertNotFound(t, w.startReplication(src, dst, pid))
	assert.Empty(t, w.replicas(src, pid))
	assert.Empty(t, w.activeSession(dst), "nothing joined the destination")
}

// Replication scenarios: a replication can start again after it stopped (the former replica, disconnected,
// is still in the destination's session); a replica publishes only while its source publishes now, not
// because it published before; stopping one of two replications leaves the other, and the source ACTIVE.
// Catches: a disconnected participant in the destination counted as connected (409); "published" read for
// "publishing"; the source's replicationState set to STOPPED while a replication remains; Stop ignoring
// the destination.
func TestReplicationScenarios(t *testing.T) {
	t.Parallel()

	t.Run("start again after stop", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t)
		src, dst := w.stage(nil), w.stage(nil)
		pid := w.join(src, "")
		w.join(dst, "keeps-the-session")
		dstSess := w.activeSession(dst)
		require.NoError(t, w.startReplication(src, dst, pid))
		require.NoError(t, w.stopReplication(src, dst, pid))
		require.Equal(t, types.ParticipantStateDisconnected, w.participant(dst, dstSess, pid).State)

		require.NoError(t, w.startReplication(src, dst, pid))
		replica := w.participant(dst, dstSess, pid)
		assert.Equal(t, types.ParticipantStateConnected, replica.State)
		assert.Equal(t, types.ReplicationTypeReplica, replica.ReplicationType)
		assert.Equal(t, types.ReplicationStateActive, replica.ReplicationState)
		assert.Len(t, w.replicas(src, pid), 1)
	})

	t.Run("source published before, not now", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t)
		src, dst := w.stage(nil), w.stage(nil)
		pid := w.join(src, "")
		require.NoError(t, w.srv.Publish(src, pid))
		require.NoError(t, w.srv.Unpublish(src, pid))
		require.NoError(t, w.startReplication(src, dst, pid))
		replica := w.participant(dst, w.activeSession(dst), pid)
		assert.False(t, replica.Published)
		assert.Equal(t, types.ParticipantRecordingStateDisabled, replica.RecordingState)
		assert.Equal(t, 1, w.busCount("Participant Published", pid), "only the source's own publish")
	})

	t.Run("stop one of two", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t)
		src, dst1, dst2 := w.stage(nil), w.stage(nil), w.stage(nil)
		pid := w.join(src, "")
		srcSess := w.activeSession(src)
		require.NoError(t, w.startReplication(src, dst1, pid))
		require.NoError(t, w.startReplication(src, dst2, pid))

		require.NoError(t, w.stopReplication(src, dst2, pid))
		reps := w.replicas(src, pid)
		require.Len(t, reps, 1)
		assert.Equal(t, dst1, aws.ToString(reps[0].DestinationStageArn), "the other replication goes on")
		assert.Equal(t, types.ReplicationStateActive, w.participant(src, srcSess, pid).ReplicationState)
		assert.Equal(t, types.ParticipantStateConnected, w.participant(dst1, w.activeSession(dst1), pid).State)

		require.NoError(t, w.stopReplication(src, dst1, pid))
		assert.Empty(t, w.replicas(src, pid))
		assert.Equal(t, types.ReplicationStateStopped, w.participant(src, srcSess, pid).ReplicationState)
	})
}
