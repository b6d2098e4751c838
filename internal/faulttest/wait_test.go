package faulttest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// WaitRecordingIdle while a participant is being recorded, with something happening as its second poll
// begins (the second GetStage arriving): every step is an event, and the fake's Clock stands still, so the
// recording stays STARTING until the test unpublishes the participant.
func TestWaitRecordingIdleWhileRecording(t *testing.T) {
	t.Parallel()
	// recordingStage makes a recording stage whose host publishes: recording STARTING on a frozen clock.
	recordingStage := func(t *testing.T) (*env, *settledTransport, fixture) {
		clock := stagetest.NewClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
		e, rt := newSettledEnv([]stagetest.Option{stagetest.WithClock(clock.Now)})
		st, toks, err := e.stages.Create(t.Context(), stage.New().WithRecording(recording.New(e.storage)).
			WithParticipants(token.New().WithUserID("host")))
		require.NoError(t, err)
		pid, err := e.srv.Join(st.ARN, toks[0].Value())
		require.NoError(t, err)
		require.NoError(t, e.srv.Publish(st.ARN, pid))
		return e, rt, fixture{stageARN: st.ARN, participantID: pid}
	}
	// onPoll arms fn to run as poll n (its GetStage) arrives, before the fake serves it.
	onPoll := func(rt *settledTransport, n int, fn func()) {
		rt.arm("", func(op string, got int) {
			if op == opGetStage && got == n {
				fn()
			}
		})
	}
	opts := []stage.WaitOption{stage.WithPollInterval(stage.MinPollInterval)}

	t.Run("returns once recording stops, a 500 retried on the way", func(t *testing.T) {
		t.Parallel()
		e, rt, f := recordingStage(t)
		before := e.srv.RequestCount()
		rt.arm("", func(op string, n int) {
			switch {
			case op == opGetStage && n == 2: // poll 2 begins: its GetStage fails once
				e.srv.FailNext(opGetStage, http.StatusInternalServerError, "InternalServerException")
			case op == opGetStage && n == 4: // poll 3 begins: the host stops publishing (window 0: recording ends)
				assert.NoError(t, e.srv.Unpublish(f.stageARN, f.participantID))
			}
		})
		require.NoError(t, e.stages.WaitRecordingIdle(t.Context(), f.stageARN, opts...))
		assert.Equal(t, []int{1, 1, 2, 1}, attempts(e.requests(opGetStage, before)), "3 polls, the second's GetStage retried")
		// Polls 1 and 2 find the participant STARTING at once; poll 3 checks every in-progress state.
		var states []any
		for _, r := range e.requests(opListParticipants, before) {
			states = append(states, r.JSON()["filterByRecordingState"])
		}
		assert.Equal(t, []any{"STARTING", "STARTING", "STARTING", "ACTIVE", "STOPPING"}, states)
		p, err := testutil.Collect(e.stages.Participants(t.Context(), f.stageARN, mustSession(t, e, f), stage.FilterUserID("host")))
		require.NoError(t, err)
		require.Len(t, p, 1)
		assert.False(t, p[0].Recording.InProgress(), "recording state %s", p[0].Recording)
	})

	t.Run("a 403 on a later poll ends the wait", func(t *testing.T) {
		t.Parallel()
		e, rt, f := recordingStage(t)
		before := e.srv.RequestCount()
		onPoll(rt, 2, func() { e.srv.FailNext(opGetStage, accessDenied.status, accessDenied.code) })
		err := e.stages.WaitRecordingIdle(t.Context(), f.stageARN, opts...)
		assertServiceError(t, err, accessDenied, opGetStage)
		assert.Equal(t, []int{1, 1}, attempts(e.requests(opGetStage, before)), "not retried, no third poll")
		assert.Len(t, e.requests(opListParticipants, before), 1, "poll 1's check only")
	})

	for _, en := range endings {
		t.Run(en.name+" between polls", func(t *testing.T) {
			t.Parallel()
			e, rt, f := recordingStage(t)
			before := e.srv.RequestCount()
			ctx, end, endedAt := en.make(t)
			onPoll(rt, 2, end)
			err := e.stages.WaitRecordingIdle(ctx, f.stageARN, opts...)
			// Poll 1 found the host STARTING: the error says which stage and who, and wraps ctx.Err() itself.
			var we *stage.WaitError
			require.ErrorAs(t, err, &we)
			assert.Equal(t, en.want, we.Err, "wraps ctx.Err() itself")
			assert.Equal(t, f.stageARN, we.StageARN)
			assert.Equal(t, "stage: WaitRecordingIdle "+f.stageARN+": "+en.want.Error()+"; still recording: participant "+
				f.participantID+" (user host)", err.Error())
			assert.Less(t, time.Since(endedAt()), promptly)
			assert.Len(t, e.requests(opGetStage, before), 1, "poll 2's GetStage never reached the server")
			assert.Equal(t, 2, rt.sentOf(opGetStage), "and nothing was sent after it")
		})
	}
}

// mustSession returns the stage's active session.
func mustSession(t *testing.T, e *env, f fixture) string {
	t.Helper()
	st, err := e.stages.Get(t.Context(), f.stageARN)
	require.NoError(t, err)
	require.NotEmpty(t, st.ActiveSessionID)
	return st.ActiveSessionID
}
