package stage_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
)

// The whole life of a stage against the in-memory service: what Create sends is what Get reads back, an
// Update replaces the recording object, recordParticipantReplicas: false is stored, Disabled resets, List
// pages, Delete removes.
func TestLifecycleAgainstFake(t *testing.T) {
	t.Parallel()
	srv := stagetest.New()
	stages := stage.NewClientFromConfig(srv.Config())
	ctx := t.Context()
	storage := srv.MustAddStorageConfiguration("recordings")

	cfg := fullConfig().WithRecording(fullRecordingInto(storage))
	before := time.Now()
	st, tokens, err := stages.Create(ctx, cfg)
	require.NoError(t, err)
	assert.Equal(t, "town-hall", st.Name)
	assert.Equal(t, cfg.Tags(), st.Tags)
	assert.Equal(t, fullRecordingInto(storage).Effective(), st.Recording)
	assert.NotEmpty(t, st.ID())
	assert.NotEmpty(t, st.Endpoints.Events)
	assert.NotEmpty(t, st.Endpoints.WHIP)
	assert.NotEmpty(t, st.Endpoints.RTMP)
	assert.NotEmpty(t, st.Endpoints.RTMPS)
	require.Len(t, tokens, stage.MaxParticipants)
	for i, tok := range tokens {
		assert.Equal(t, fmt.Sprintf("user-%d", i), tok.UserID, "tokens come back in request order")
		assert.Equal(t, map[string]string{"role": "speaker", "seat": fmt.Sprintf("A%d", i)}, tok.Attributes)
		assert.Equal(t, 2*time.Hour, tok.Duration)
		assert.WithinDuration(t, before.Add(2*time.Hour), tok.ExpiresAt, 5*time.Second)
		assert.NotEmpty(t, tok.Value())
	}

	got, err := stages.Get(ctx, st.ARN)
	require.NoError(t, err)
	assert.Equal(t, st, got)

	// Only the reconnect window set: every other recording field returns to its default.
	rec := recording.New(storage).WithReconnectWindow(2 * time.Minute)
	got, err = stages.Update(ctx, st.ARN, stage.NewUpdate().WithRecording(rec))
	require.NoError(t, err)
	assert.Equal(t, rec.Effective(), got.Recording)
	assert.Equal(t, recording.DefaultHLSSegmentDuration, got.Recording.HLSSegmentDuration)

	got, err = stages.Update(ctx, st.ARN, stage.NewUpdate().WithName("renamed").WithRecording(rec.WithRecordReplicas(false)))
	require.NoError(t, err)
	assert.Equal(t, "renamed", got.Name)
	assert.False(t, got.Recording.RecordReplicas, "recordParticipantReplicas: false reached the service")
	assert.Equal(t, 2*time.Minute, got.Recording.ReconnectWindow)

	got, err = stages.Update(ctx, st.ARN, stage.NewUpdate().WithRecording(recording.Disabled()))
	require.NoError(t, err)
	assert.Equal(t, recording.Disabled().Effective(), got.Recording)
	assert.Equal(t, "renamed", got.Name, "an Update without a name leaves it")

	for i := range 2 {
		_, _, err := stages.Create(ctx, stage.New().WithName(fmt.Sprint("extra-", i)))
		require.NoError(t, err)
	}
	var names []string
	for s, err := range stages.List(ctx, stage.WithPageSize(1)) {
		require.NoError(t, err)
		names = append(names, s.Name)
	}
	assert.Equal(t, []string{"renamed", "extra-0", "extra-1"}, names)

	require.NoError(t, stages.Delete(ctx, st.ARN))
	_, err = stages.Get(ctx, st.ARN)
	var notFound *types.ResourceNotFoundException
	assert.ErrorAs(t, err, &notFound)
}

// While recording is active, a recording change is a ConflictException that IsRecordingActiveConflict
// recognises; a name change still goes through.
func TestRecordingActiveConflictAgainstFake(t *testing.T) {
	t.Parallel()
	srv := stagetest.New()
	stages := stage.NewClientFromConfig(srv.Config())
	st, _, err := stages.Create(t.Context(), stage.New().WithRecording(recording.New(srv.MustAddStorageConfiguration("recordings"))))
	require.NoError(t, err)
	srv.SetRecordingActive(st.ARN, true)

	_, err = stages.Update(t.Context(), st.ARN, stage.NewUpdate().WithRecording(recording.Disabled()))
	assert.True(t, stage.IsRecordingActiveConflict(err), "got %v", err)
	var conflict *types.ConflictException
	assert.ErrorAs(t, err, &conflict)

	got, err := stages.Update(t.Context(), st.ARN, stage.NewUpdate().WithName("still-works"))
	require.NoError(t, err)
	assert.Equal(t, "still-works", got.Name)
	assert.True(t, got.Recording.Enabled)
}

// Invalid input never reaches the service.
func TestInvalidInputNeverReachesFake(t *testing.T) {
	t.Parallel()
	srv := stagetest.New()
	stages := stage.NewClientFromConfig(srv.Config())
	_, _, err := stages.Create(t.Context(), stage.New().WithParticipants(participants(13)...))
	assert.Error(t, err)
	_, err = stages.Get(t.Context(), "")
	assert.Error(t, err)
	_, err = stages.Update(t.Context(), stageARN, stage.NewUpdate())
	assert.Error(t, err)
	assert.Error(t, stages.Delete(t.Context(), "stage/x"))
	for _, err := range stages.List(t.Context(), stage.WithPageSize(101)) {
		assert.Error(t, err)
	}
	assert.Zero(t, srv.RequestCount())
}
