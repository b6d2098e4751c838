package eventlambda_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/event"
	"github.com/ivsrt/ivsrt/stage/event/eventlambda"
	"github.com/ivsrt/ivsrt/stage/stagetest"
)

// The loop closed: a recorded stage on stagetest, its events delivered through SQS with duplicates and
// reordering, in batches of ten, to SQS(p): every event is handled exactly once, no message fails, and a
// Tracker fed by the handler ends on the views of the events in the order sent.
func TestSQSFromStagetest(t *testing.T) {
	t.Parallel()
	clock := stagetest.NewClock(time.Date(2026, 3, 13, 19, 44, 19, 0, time.UTC))
	srv := stagetest.New(stagetest.WithClock(clock.Now), stagetest.WithEventDelivery(true, true))
	client := ivsrealtime.NewFromConfig(srv.Config())
	out, err := client.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{
		AutoParticipantRecordingConfiguration: &types.AutoParticipantRecordingConfiguration{
			StorageConfigurationArn: aws.String(srv.MustAddStorageConfiguration("lambda-recordings"))},
		ParticipantTokenConfigurations: []types.ParticipantTokenConfiguration{{UserId: aws.String("host")}, {UserId: aws.String("guest")}},
	})
	require.NoError(t, err)
	arn := aws.ToString(out.Stage.Arn)
	for i, tok := range out.ParticipantTokens {
		pid, err := srv.Join(arn, aws.ToString(tok.Token))
		require.NoError(t, err)
		require.NoError(t, srv.Publish(arn, pid))
		clock.Advance(time.Duration(10+i) * time.Second)
		require.NoError(t, srv.Unpublish(arn, pid))
		clock.Advance(time.Second)
		if i == 0 {
			require.NoError(t, srv.Publish(arn, pid)) // the host publishes again and stays
		}
	}
	clock.Advance(time.Minute)

	tracker := event.NewTracker()
	var mu sync.Mutex
	runs := map[string]int{}
	p := event.NewProcessor(event.NewMemoryStore(), func(_ context.Context, ev event.Event) error {
		mu.Lock()
		runs[ev.Header().ID]++
		mu.Unlock()
		tracker.Apply(ev)
		return nil
	}, event.WithClock(clock.Now))
	logger, buf := logged()
	consume := eventlambda.SQSWithLogger(p, logger)

	msgs := srv.SQSMessages()
	sent := srv.Events()
	require.Greater(t, len(msgs), len(sent), "duplicates delivered")
	for start := 0; start < len(msgs); start += 10 {
		resp, err := consume(t.Context(), events.SQSEvent{Records: msgs[start:min(start+10, len(msgs))]})
		require.NoError(t, err)
		assert.Empty(t, resp.BatchItemFailures)
	}

	inOrder := event.NewTracker()
	for _, raw := range sent {
		ev, err := event.Parse(raw)
		require.NoError(t, err)
		inOrder.Apply(ev)
		assert.Equal(t, 1, runs[ev.Header().ID], "event %s handled once", ev.Header().ID)
	}
	assert.Len(t, runs, len(sent))
	assert.Equal(t, inOrder.Participants(), tracker.Participants())
	views := tracker.Participants()
	require.Len(t, views, 2)
	byUser := map[string]event.ParticipantView{}
	for _, v := range views {
		byUser[v.UserID] = v
	}
	assert.True(t, byUser["host"].Published)
	assert.Equal(t, "ACTIVE", string(byUser["host"].Recording))
	assert.False(t, byUser["guest"].Published)
	assert.Equal(t, "STOPPED", string(byUser["guest"].Recording))
	assert.Contains(t, buf.String(), "duplicate delivery, skipped")
}
