package stagetest_test

import (
	"encoding/json"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"slices"
	"testing"
	"time"
)

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
