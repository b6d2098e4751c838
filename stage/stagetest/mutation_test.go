package stagetest_test

// Tests written for the mutation pass over part two (issue 13 item 5): each one fails on a realistic
// single-line bug that the rest of the package's tests let through. The comment above each test names the
// bug it catches.

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ivsrec "github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage/stagetest"
)

// stopReplication sends StopParticipantReplication.
func (w *world) stopReplication(src, dst, pid string) error {
	w.t.Helper()
	_, err := w.client.StopParticipantReplication(w.t.Context(), &ivsrealtime.StopParticipantReplicationInput{
		SourceStageArn: aws.String(src), DestinationStageArn: aws.String(dst), ParticipantId: aws.String(pid),
	})
	return err
}

// busCount counts the EventBridge events named name about participant pid.
func (w *world) busCount(name, pid string) int {
	w.t.Helper()
	return countOf(w.busNames(), name+" "+pid)
}

// assertNotFound checks that err is the service's HTTP 404 ResourceNotFoundException.
func assertNotFound(t *testing.T, err error) {
	t.Helper()
	code, status := apiError(t, err)
	assert.Equal(t, "ResourceNotFoundException", code)
	assert.Equal(t, http.StatusNotFound, status)
}

func countOf(s []string, v string) int {
	n := 0
	for _, x := range s {
		if x == v {
			n++
		}
	}
	return n
}

// A self-signed token without a mandatory claim is malformed, whichever claim is missing; it is not taken
// for a token of another stage (a missing "resource" or "topic" would otherwise compare as "" ≠ the stage).
// Catches: the "required && !present" half of selfSignedGrant's claim check dropped.
func TestJoinRefusesMissingMandatoryClaims(t *testing.T) {
	t.Parallel()
	for _, claim := range []string{"resource", "topic", "jti", "version"} {
		t.Run(claim, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			arn := w.stage(nil)
			key, kid := w.importKey()
			c := w.claims(arn, "p-1")
			delete(c, claim)
			pid, err := w.srv.Join(arn, sign(t, jwt.SigningMethodES384, key, kid, c))
			require.ErrorIs(t, err, stagetest.ErrJoinRefused)
			assert.ErrorIs(t, err, stagetest.ErrTokenMalformed)
			assert.NotErrorIs(t, err, stagetest.ErrWrongStage)
			assert.Contains(t, err.Error(), `claim "`+claim+`"`)
			assert.Empty(t, pid)
			assert.Empty(t, w.activeSession(arn), "a refused join starts no session")
		})
	}
}

// A participant the active session knows, refused because its self-signed token has expired, gets a
// JOIN_ERROR (INVALID_INPUT) like any other refused join of a known participant.
// Catches: the expired self-signed token's refusal returning no participant ID (no JOIN_ERROR recorded).
func TestJoinExpiredSelfSignedTokenRecordsJoinError(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	arn := w.stage(nil)
	w.join(arn, "host") // keeps the session active while p-1 is away
	sess := w.activeSession(arn)
	key, kid := w.importKey()
	raw := sign(t, jwt.SigningMethodES384, key, kid, w.claims(arn, "p-1")) // exp: an hour from now
	pid, err := w.srv.Join(arn, raw)
	require.NoError(t, err)
	require.NoError(t, w.srv.Leave(arn, pid))

	w.clock.Advance(time.Hour + time.Second) // past exp
	_, err = w.srv.Join(arn, raw)
	require.ErrorIs(t, err, stagetest.ErrTokenExpired)
	assert.Equal(t, []string{"JOINED", "LEFT", "JOIN_ERROR:INVALID_INPUT"}, w.eventNames(arn, sess, pid))
}

// A former replica that joins in its own right is an ordinary participant: replicationType NONE and no
// replicationState (the member is omitted, as for a participant never replicated).
// Catches: Join resetting a former replica's replicationState to STOPPED instead of "".
func TestFormerReplicaHasNoReplicationState(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	src, dst := w.stage(nil), w.stage(nil)
	key, kid := w.importKey()
	const pid = "shared-1"
	_, err := w.srv.Join(src, sign(t, jwt.SigningMethodES384, key, kid, w.claims(src, pid)))
	require.NoError(t, err)
	require.NoError(t, w.startReplication(src, dst, pid))
	w.join(dst, "") // keeps the destination's session
	dstSess := w.activeSession(dst)
	require.NoError(t, w.stopReplication(src, dst, pid))
	require.Equal(t, types.ReplicationStateStopped, w.participant(dst, dstSess, pid).ReplicationState, "precondition: the replica stopped")

	_, err = w.srv.Join(dst, sign(t, jwt.SigningMethodES384, key, kid, w.claims(dst, pid)))
	require.NoError(t, err)
	p := w.participant(dst, dstSess, pid)
	assert.Equal(t, types.ReplicationTypeNone, p.ReplicationType)
	assert.Empty(t, p.ReplicationState)
	var summary *types.ParticipantSummary
	for _, s := range w.participants(dst, dstSess, nil) {
		if aws.ToString(s.ParticipantId) == pid {
			summary = &s
		}
	}
	require.NotNil(t, summary)
	assert.Empty(t, summary.ReplicationState)
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

// DeleteStage disconnects the active session's participants in join order, so its events come in that
// order. Catches: sortedParticipants sorting newest first.
func TestDeleteStageEventsInJoinOrder(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	arn := w.recordingStage("order-bucket", 30)
	first := w.join(arn, "first")
	second := w.join(arn, "second")
	require.NoError(t, w.srv.Publish(arn, first))
	require.NoError(t, w.srv.Publish(arn, second))
	w.clock.Advance(3 * time.Second)
	before := len(w.bus())

	_, err := w.client.DeleteStage(t.Context(), &ivsrealtime.DeleteStageInput{Arn: aws.String(arn)})
	require.NoError(t, err)
	assert.Equal(t, []string{
		"Participant Unpublished " + first, "Participant Unpublished " + second,
		"Recording End " + first, "Recording End " + second,
	}, w.busNames()[before:])
}

// Two recordings whose reconnect windows end at the same instant end in join order.
// Catches: settle's tie-break on the participants' sequence reversed.
func TestRecordingsEndingTogetherEndInJoinOrder(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	arn := w.recordingStage("tie-bucket", 10)
	var pids []string
	for _, u := range []string{"a", "b", "c"} {
		pid := w.join(arn, u)
		pids = append(pids, pid)
		require.NoError(t, w.srv.Publish(arn, pid))
	}
	w.join(arn, "keeps-the-session")
	w.clock.Advance(5 * time.Second)
	for _, pid := range pids {
		require.NoError(t, w.srv.Unpublish(arn, pid))
	}
	w.clock.Advance(11 * time.Second) // every window has passed; all three end at unpublish + 10 s
	var ends []string
	for _, n := range w.busNames() {
		if strings.HasPrefix(n, "Recording End ") {
			ends = append(ends, strings.TrimPrefix(n, "Recording End "))
		}
	}
	assert.Equal(t, pids, ends)
}

// The session's start time and the participant's first join time keep the clock's fraction of a second.
// Catches: the session's start truncated to whole seconds.
func TestSessionStartKeepsFraction(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	arn := w.stage(nil)
	w.clock.Advance(1500 * time.Millisecond)
	pid := w.join(arn, "")
	sess := w.activeSession(arn)
	out, err := w.client.GetStageSession(t.Context(), &ivsrealtime.GetStageSessionInput{StageArn: aws.String(arn), SessionId: aws.String(sess)})
	require.NoError(t, err)
	want := t0.Add(1500 * time.Millisecond)
	assert.Equal(t, want, aws.ToTime(out.StageSession.StartTime).UTC())
	assert.Equal(t, want, aws.ToTime(w.participant(arn, sess, pid).FirstJoinTime).UTC())
}

// The outputs of a recording: AUDIO_ONLY writes HLS like AUDIO_VIDEO; a recording of no length still has
// one segment and one thumbnail; the ended metadata carries the end time and the thumbnail paths where the
// thumbnails are. Catches: hls() true only for AUDIO_VIDEO; "at least one" dropped from the segment and
// thumbnail counts; recording_ended_at written from the start time; the wrong thumbnails path.
func TestRecordingOutputDetails(t *testing.T) {
	t.Parallel()
	const bucket = "detail-bucket"
	thumbs := func(c *types.AutoParticipantRecordingConfiguration) {
		c.ThumbnailConfiguration = &types.ParticipantThumbnailConfiguration{
			RecordingMode: types.ThumbnailRecordingModeInterval, TargetIntervalSeconds: aws.Int32(10),
			Storage: []types.ThumbnailStorageType{types.ThumbnailStorageTypeSequential, types.ThumbnailStorageTypeLatest},
		}
	}
	audioOnly := func(c *types.AutoParticipantRecordingConfiguration) {
		c.MediaTypes = []types.ParticipantRecordingMediaType{types.ParticipantRecordingMediaTypeAudioOnly}
	}
	tests := []struct {
		name       string
		edit       []func(*types.AutoParticipantRecordingConfiguration)
		publishFor time.Duration
		window     int32
		segments   []string // media segments of the rendition playlist, in order
		thumbnails int      // sequential thumbnails
	}{
		{"audio only", []func(*types.AutoParticipantRecordingConfiguration){audioOnly}, 7 * time.Second, 0, []string{"0.mp4", "1.mp4"}, 0},
		{"no length", []func(*types.AutoParticipantRecordingConfiguration){thumbs}, 0, 0, []string{"0.mp4"}, 1},
		{"with a reconnect window", []func(*types.AutoParticipantRecordingConfiguration){thumbs}, 12 * time.Second, 5, []string{"0.mp4", "1.mp4"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			arn := w.recordingStage(bucket, tt.window, tt.edit...)
			pid := w.join(arn, "")
			w.join(arn, "keeps-the-session")
			require.NoError(t, w.srv.Publish(arn, pid))
			w.clock.Advance(tt.publishFor)
			require.NoError(t, w.srv.Unpublish(arn, pid))
			stop := w.clock.Now()
			w.clock.Advance(time.Duration(tt.window)*time.Second + time.Second)
			evs := w.recordingEvents(pid)
			require.Len(t, evs, 2)
			require.Equal(t, "Recording End", evs[1].Name)
			loc := ivsrec.Location{Bucket: bucket, Prefix: evs[0].Prefix}
			objects := w.srv.Objects(bucket)

			m := w.metadata(bucket, loc.Prefix, ivsrec.StatusEnded)
			assert.Equal(t, t0, m.StartedAt)
			assert.Equal(t, stop.Add(time.Duration(tt.window)*time.Second), m.EndedAt, "ended at stop + window")
			require.NotNil(t, m.Media.HLS, "HLS is written for every media type but NONE")
			require.Contains(t, objects, m.Media.HLS.PlaylistKey(loc))
			keys := m.Media.HLS.RenditionPlaylistKeys(loc)
			require.Len(t, keys, 1)
			playlist := string(objects[keys[0]])
			var segments []string
			for line := range strings.SplitSeq(playlist, "\n") {
				if strings.HasSuffix(line, ".mp4") {
					segments = append(segments, line)
					assert.Contains(t, objects, loc.Prefix+"/media/hls/high/"+line)
				}
			}
			assert.Equal(t, tt.segments, segments, playlist)

			var seq []string
			for k := range objects {
				if strings.HasPrefix(k, loc.ThumbnailsPrefix()) {
					seq = append(seq, k)
				}
			}
			assert.Len(t, seq, tt.thumbnails)
			if tt.thumbnails == 0 {
				assert.Nil(t, m.Media.Thumbnails)
				assert.Nil(t, m.Media.LatestThumbnail)
				return
			}
			require.NotNil(t, m.Media.Thumbnails)
			require.NotNil(t, m.Media.LatestThumbnail)
			assert.Equal(t, []string{loc.ThumbnailsPrefix()}, m.Media.Thumbnails.RenditionPrefixes(loc), "the metadata points where the thumbnails are")
			assert.Equal(t, []string{loc.Prefix + "/media/latest_thumbnail/high/"}, m.Media.LatestThumbnail.RenditionPrefixes(loc))
			assert.Contains(t, objects, loc.LatestThumbnailKey())
		})
	}
}

// With a reconnect window of 1 s the recording is STOPPING at the unpublish and for exactly 1 s, STOPPED
// right after. Catches: a window of up to one second treated as no window.
func TestRecordingOneSecondWindow(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	arn := w.recordingStage("one-second", 1)
	pid := w.join(arn, "")
	w.join(arn, "keeps-the-session")
	sess := w.activeSession(arn)
	require.NoError(t, w.srv.Publish(arn, pid))
	w.clock.Advance(5 * time.Second)
	require.NoError(t, w.srv.Unpublish(arn, pid))
	state := func() types.ParticipantRecordingState { return w.participant(arn, sess, pid).RecordingState }
	assert.Equal(t, types.ParticipantRecordingStateStopping, state(), "at the unpublish")
	w.clock.Advance(time.Second)
	assert.Equal(t, types.ParticipantRecordingStateStopping, state(), "exactly the window later")
	w.clock.Advance(time.Millisecond)
	assert.Equal(t, types.ParticipantRecordingStateStopped, state(), "past the window")
	evs := w.recordingEvents(pid)
	require.Len(t, evs, 2)
	assert.Equal(t, t0.Add(6*time.Second).Format(time.RFC3339), evs[1].Time)
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

// A Participant Publish Error event carries no event_time_precise (the reference lists it on Published and
// Unpublished only); a Published event does. Catches: event_time_precise kept on Publish Error.
func TestPublishErrorEventHasNoPreciseTime(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	arn := w.stage(nil)
	viewer := w.join(arn, "viewer", types.ParticipantTokenCapabilitySubscribe)
	host := w.join(arn, "host")
	w.clock.Advance(250 * time.Millisecond)
	require.ErrorIs(t, w.srv.Publish(arn, viewer), stagetest.ErrNoPublishCapability)
	require.NoError(t, w.srv.Publish(arn, host))
	bus := w.bus()
	require.Len(t, bus, 2)
	assert.Equal(t, "Participant Publish Error", bus[0].Detail["event_name"])
	assert.Equal(t, "INSUFFICIENT_CAPABILITIES", bus[0].Detail["error_code"])
	assert.NotContains(t, bus[0].Detail, "event_time_precise")
	assert.Equal(t, "Participant Published", bus[1].Detail["event_name"])
	assert.Equal(t, "2026-03-13T19:44:19.250Z", bus[1].Detail["event_time_precise"])
}

// Events returns copies: writing into what it returned changes nothing the server holds.
// Catches: Events handing out the server's own byte slices.
func TestEventsReturnsCopies(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	arn := w.stage(nil)
	pid := w.join(arn, "")
	require.NoError(t, w.srv.Publish(arn, pid))
	first := w.srv.Events()
	require.Len(t, first, 1)
	want := slices.Clone(first[0])
	for i := range first[0] {
		first[0][i] = ' '
	}
	again := w.srv.Events()
	require.Len(t, again, 1)
	assert.Equal(t, string(want), string(again[0]))
	assert.True(t, json.Valid(again[0]))
}
