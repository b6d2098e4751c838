package stagetest_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/stagetest"
)

var (
	publishOnly   = []types.ParticipantTokenCapability{types.ParticipantTokenCapabilityPublish}
	subscribeOnly = []types.ParticipantTokenCapability{types.ParticipantTokenCapabilitySubscribe}
)

// TestSessionLifecycle plays two publishers and a viewer through a session, a disconnect and a second session.
func TestSessionLifecycle(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	arn := w.stage(nil)
	require.Empty(t, w.activeSession(arn), "a new stage has no session")

	alice := w.join(arn, "alice", publishOnly...)
	sess := w.activeSession(arn)
	require.Regexp(t, sessionIDRe, sess)
	w.clock.Advance(time.Second)
	bobTok, bob := w.token(arn, "bob")
	_, err := w.srv.Join(arn, bobTok)
	require.NoError(t, err)
	viewer := w.join(arn, "", subscribeOnly...)
	require.NoError(t, w.srv.Publish(arn, alice))
	require.NoError(t, w.srv.Publish(arn, bob))
	w.clock.Advance(10 * time.Second)
	require.NoError(t, w.srv.Leave(arn, alice)) // a publisher unpublishes first

	// Participants and each filter.
	assert.Equal(t, sorted(alice, bob, viewer), ids(w.participants(arn, sess, nil)))
	assert.Equal(t, []string{bob}, ids(w.participants(arn, sess, func(in *ivsrealtime.ListParticipantsInput) {
		in.FilterByUserId = aws.String("bob")
	})))
	assert.Equal(t, sorted(alice, bob), ids(w.participants(arn, sess, func(in *ivsrealtime.ListParticipantsInput) {
		in.FilterByPublished = true
	})))
	assert.Equal(t, sorted(bob, viewer), ids(w.participants(arn, sess, func(in *ivsrealtime.ListParticipantsInput) {
		in.FilterByState = types.ParticipantStateConnected
	})))
	assert.Equal(t, []string{alice}, ids(w.participants(arn, sess, func(in *ivsrealtime.ListParticipantsInput) {
		in.FilterByState = types.ParticipantStateDisconnected
	})))
	assert.Empty(t, w.participants(arn, sess, func(in *ivsrealtime.ListParticipantsInput) {
		in.FilterByRecordingState = types.ParticipantRecordingFilterByRecordingStateActive
	}), "the stage does not record")

	a := w.participant(arn, sess, alice)
	assert.Equal(t, types.ParticipantStateDisconnected, a.State)
	assert.Equal(t, "alice", aws.ToString(a.UserId))
	assert.True(t, a.Published)
	assert.Equal(t, t0, aws.ToTime(a.FirstJoinTime))
	assert.Equal(t, types.ParticipantRecordingStateDisabled, a.RecordingState)
	assert.Empty(t, aws.ToString(a.RecordingS3BucketName))
	assert.Empty(t, aws.ToString(a.RecordingS3Prefix))
	assert.Equal(t, types.ReplicationTypeNone, a.ReplicationType)
	assert.Equal(t, types.ParticipantProtocolWhip, a.Protocol)
	assert.Equal(t, []string{"JOINED", "PUBLISH_STARTED", "PUBLISH_STOPPED", "LEFT"}, w.eventNames(arn, sess, alice))
	v := w.participant(arn, sess, viewer)
	assert.False(t, v.Published)
	assert.Equal(t, types.ParticipantStateConnected, v.State)

	// The viewer tries to publish without the capability.
	require.ErrorIs(t, w.srv.Publish(arn, viewer), stagetest.ErrNoPublishCapability)
	assert.Equal(t, []string{"JOINED", "PUBLISH_ERROR:INSUFFICIENT_CAPABILITIES"}, w.eventNames(arn, sess, viewer))

	// Bob is disconnected and tries to rejoin: refused, JOIN_ERROR.
	_, err = w.client.DisconnectParticipant(t.Context(), &ivsrealtime.DisconnectParticipantInput{
		StageArn: aws.String(arn), ParticipantId: aws.String(bob), Reason: aws.String("spam"),
	})
	require.NoError(t, err)
	_, err = w.srv.Join(arn, bobTok)
	require.ErrorIs(t, err, stagetest.ErrJoinRefused)
	require.ErrorIs(t, err, stagetest.ErrParticipantDisconnected)
	assert.Equal(t, []string{"JOINED", "PUBLISH_STARTED", "PUBLISH_STOPPED", "LEFT", "JOIN_ERROR:INSUFFICIENT_CAPABILITIES"},
		w.eventNames(arn, sess, bob))
	assert.Equal(t, types.ParticipantStateDisconnected, w.participant(arn, sess, bob).State)

	// Alice comes back with the same token's participant in the same session: same participant.
	require.Equal(t, sess, w.activeSession(arn))

	// The viewer leaves: the session ends at that moment.
	w.clock.Advance(5 * time.Second)
	require.NoError(t, w.srv.Leave(arn, viewer))
	assert.Empty(t, w.activeSession(arn))
	got, err := w.client.GetStageSession(t.Context(), &ivsrealtime.GetStageSessionInput{StageArn: aws.String(arn), SessionId: aws.String(sess)})
	require.NoError(t, err)
	assert.Equal(t, t0, aws.ToTime(got.StageSession.StartTime))
	assert.Equal(t, t0.Add(16*time.Second), aws.ToTime(got.StageSession.EndTime))

	// A second session starts with the next join; sessions are listed newest first.
	w.clock.Advance(time.Minute)
	carol := w.join(arn, "carol")
	sess2 := w.activeSession(arn)
	require.NotEqual(t, sess, sess2)
	list, err := w.client.ListStageSessions(t.Context(), &ivsrealtime.ListStageSessionsInput{StageArn: aws.String(arn)})
	require.NoError(t, err)
	require.Len(t, list.StageSessions, 2)
	assert.Equal(t, sess2, aws.ToString(list.StageSessions[0].SessionId))
	assert.Nil(t, list.StageSessions[0].EndTime)
	assert.Equal(t, sess, aws.ToString(list.StageSessions[1].SessionId))
	assert.Equal(t, []string{carol}, ids(w.participants(arn, sess2, nil)))

	// The Stage Update events of the publishes, in order.
	assert.Equal(t, []string{
		"Participant Published " + alice, "Participant Published " + bob,
		"Participant Unpublished " + alice, "Participant Publish Error " + viewer, "Participant Unpublished " + bob,
	}, w.busNames())
}

func TestDisconnectUnknownParticipant(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	arn := w.stage(nil)
	_, err := w.client.DisconnectParticipant(t.Context(), &ivsrealtime.DisconnectParticipantInput{
		StageArn: aws.String(arn), ParticipantId: aws.String("nobody_here"),
	})
	var nf *types.ResourceNotFoundException
	require.True(t, errors.As(err, &nf), "%v", err)
	code, status := apiError(t, err)
	assert.Equal(t, "ResourceNotFoundException", code)
	assert.Equal(t, http.StatusNotFound, status)
}

// TestDeleteStageDisconnectsEveryone: DeleteStage "shuts down … (disconnecting all participants)": publishers
// unpublish, recordings end at once, replications into the stage stop.
func TestDeleteStageDisconnectsEveryone(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	arn := w.recordingStage("deleted-bucket", 30)
	src := w.stage(nil)
	host := w.join(arn, "host")
	guest := w.join(src, "guest")
	srcSess := w.activeSession(src)
	require.NoError(t, w.srv.Publish(arn, host))
	require.NoError(t, w.startReplication(src, arn, guest))
	w.clock.Advance(4 * time.Second)

	_, err := w.client.DeleteStage(t.Context(), &ivsrealtime.DeleteStageInput{Arn: aws.String(arn)})
	require.NoError(t, err)
	evs := w.recordingEvents(host)
	require.Len(t, evs, 2)
	assert.Equal(t, "Recording End", evs[1].Name)
	assert.Equal(t, float64(4000), evs[1].DurationMs)
	assert.Equal(t, t0.Add(4*time.Second).Format(time.RFC3339), evs[1].Time, "at once, not a window later")
	assert.Equal(t, []string{"JOINED", "REPLICATION_STARTED", "REPLICATION_STOPPED"}, w.eventNames(src, srcSess, guest))
	assert.Empty(t, w.replicas(src, guest))
	assert.Equal(t, srcSess, w.activeSession(src), "the source stage's session goes on")
	_, err = w.srv.Join(arn, "any")
	require.ErrorIs(t, err, stagetest.ErrUnknownStage)
}

func TestStageSessionsPages(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	arn := w.stage(nil)
	var want []string
	for range 5 {
		pid := w.join(arn, "")
		want = append([]string{w.activeSession(arn)}, want...) // newest first
		w.clock.Advance(time.Second)
		require.NoError(t, w.srv.Leave(arn, pid))
	}
	var got []string
	pages := 0
	p := ivsrealtime.NewListStageSessionsPaginator(w.client, &ivsrealtime.ListStageSessionsInput{StageArn: aws.String(arn), MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(t.Context())
		require.NoError(t, err)
		pages++
		for _, s := range page.StageSessions {
			got = append(got, aws.ToString(s.SessionId))
			assert.Equal(t, time.Second, aws.ToTime(s.EndTime).Sub(aws.ToTime(s.StartTime)))
		}
	}
	assert.Equal(t, want, got)
	assert.Equal(t, 3, pages)
}

// The list operations model no 404: an unknown stage (a well-formed ARN) lists nothing, as an unknown
// session does. Catches: lookupSession answering 404 for an unknown stage whatever "must" says.
func TestListOfUnknownStageIsEmpty(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	unknown := stageARN("NoSuchStage1")
	const sess = "st-AbCdEfGhIjKlM"
	tests := []struct {
		name string
		list func() (int, error)
	}{
		{"ListParticipants", func() (int, error) {
			out, err := w.client.ListParticipants(t.Context(), &ivsrealtime.ListParticipantsInput{StageArn: aws.String(unknown), SessionId: aws.String(sess)})
			if err != nil {
				return 0, err
			}
			return len(out.Participants), nil
		}},
		{"ListParticipantEvents", func() (int, error) {
			out, err := w.client.ListParticipantEvents(t.Context(), &ivsrealtime.ListParticipantEventsInput{
				StageArn: aws.String(unknown), SessionId: aws.String(sess), ParticipantId: aws.String("p1"),
			})
			if err != nil {
				return 0, err
			}
			return len(out.Events), nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := tt.list()
			require.NoError(t, err)
			assert.Zero(t, n)
		})
	}
	// GetParticipant, which models a 404, still answers it.
	_, err := w.client.GetParticipant(t.Context(), &ivsrealtime.GetParticipantInput{
		StageArn: aws.String(unknown), SessionId: aws.String(sess), ParticipantId: aws.String("p1"),
	})
	assertNotFound(t, err)
}
