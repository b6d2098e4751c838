package stagetest_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/stagetest"
)

// TestConcurrentParticipants runs 64 goroutines that join, publish, unpublish, publish again and leave on
// four shared stages (two of them recording) while the clock moves, then checks that the state is
// consistent: every participant DISCONNECTED, no active session, every event paired.
func TestConcurrentParticipants(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	stages := []string{w.stage(nil), w.stage(nil), w.recordingStage("race-a", 0), w.recordingStage("race-b", 5)}
	const goroutines = 64
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for i := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- func() error {
				arn := stages[i%len(stages)]
				out, err := w.client.CreateParticipantToken(t.Context(), &ivsrealtime.CreateParticipantTokenInput{StageArn: aws.String(arn)})
				if err != nil {
					return err
				}
				pid, err := w.srv.Join(arn, aws.ToString(out.ParticipantToken.Token))
				if err != nil {
					return err
				}
				for range 2 {
					w.clock.Advance(time.Second)
					err := w.srv.Publish(arn, pid)
					if errors.Is(err, stagetest.ErrPublisherQuota) {
						continue // more than 12 publishers at once on the stage: a refusal, not an inconsistency
					}
					if err != nil {
						return err
					}
					if err := w.srv.Unpublish(arn, pid); err != nil {
						return err
					}
				}
				return w.srv.Leave(arn, pid)
			}()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	w.clock.Advance(time.Minute) // past every reconnect window

	total := 0
	for _, arn := range stages {
		assert.Empty(t, w.activeSession(arn), "every session ended")
		sessions, err := w.client.ListStageSessions(t.Context(), &ivsrealtime.ListStageSessionsInput{StageArn: aws.String(arn)})
		require.NoError(t, err)
		for _, s := range sessions.StageSessions {
			sess := aws.ToString(s.SessionId)
			require.NotNil(t, s.EndTime)
			for _, p := range w.participants(arn, sess, nil) {
				total++
				pid := aws.ToString(p.ParticipantId)
				assert.Equal(t, types.ParticipantStateDisconnected, p.State)
				assert.NotEqual(t, types.ParticipantRecordingStateStarting, p.RecordingState)
				assert.NotEqual(t, types.ParticipantRecordingStateActive, p.RecordingState)
				assert.NotEqual(t, types.ParticipantRecordingStateStopping, p.RecordingState)
				count := map[string]int{}
				for _, name := range w.eventNames(arn, sess, pid) {
					count[name]++
				}
				assert.Equal(t, 1, count["JOINED"], pid)
				assert.Equal(t, 1, count["LEFT"], pid)
				assert.Equal(t, count["PUBLISH_STARTED"], count["PUBLISH_STOPPED"], pid)
			}
		}
	}
	assert.Equal(t, goroutines, total, "every participant is in exactly one session")

	// EventBridge: each Published has its Unpublished, each Recording Start its Recording End.
	count := map[string]int{}
	for _, e := range w.bus() {
		count[e.Detail["event_name"].(string)]++
	}
	assert.Equal(t, count["Participant Published"], count["Participant Unpublished"])
	assert.Equal(t, count["Recording Start"], count["Recording End"])
	assert.Positive(t, count["Recording Start"])
}
