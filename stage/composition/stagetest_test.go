package composition_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/composition"
	"github.com/ivsrt/ivsrt/stage/stagetest"
)

// TestLifecycleAgainstStagetest: Start → Get → List → Stop (and Stop again) against stagetest's fake
// service, with an encoder configuration created and deleted through the Client.
func TestLifecycleAgainstStagetest(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := stagetest.New()
	cfg := srv.Config()
	st, _, err := stage.NewClientFromConfig(cfg).Create(ctx, stage.New())
	require.NoError(t, err)
	sc, err := recording.NewClientFromConfig(cfg).CreateStorage(ctx, recording.NewStorage("my-recordings"))
	require.NoError(t, err)

	c := composition.NewClientFromConfig(cfg)
	enc, err := c.CreateEncoder(ctx, composition.NewEncoder().WithName("hd").WithVideo(1280, 720, 30, 2_500_000))
	require.NoError(t, err)

	started, err := c.Start(ctx, composition.New(st.ARN).
		WithLayout(composition.Grid().WithGridGap(0)).
		WithDestinations(composition.ToS3(sc.ARN).WithEncoders(enc.ARN)).
		WithRequestKey("show-1"))
	require.NoError(t, err)
	assert.Equal(t, st.ARN, started.StageARN)
	require.Len(t, started.Destinations, 1)

	again, err := c.Start(ctx, composition.New(st.ARN).
		WithLayout(composition.Grid().WithGridGap(0)).
		WithDestinations(composition.ToS3(sc.ARN).WithEncoders(enc.ARN)).
		WithRequestKey("show-1"))
	require.NoError(t, err)
	assert.Equal(t, started.ARN, again.ARN, "the same request key starts no second composition")

	got, err := c.Get(ctx, started.ARN)
	require.NoError(t, err)
	assert.Equal(t, started.ARN, got.ARN)

	listed := testutil.MustCollect(t, c.List(ctx, composition.FilterStage(st.ARN)))
	require.Len(t, listed, 1)
	assert.Equal(t, started.ARN, listed[0].ARN)

	require.NoError(t, c.Stop(ctx, started.ARN))
	require.NoError(t, c.Stop(ctx, started.ARN), "stopping twice is not an error")

	encs := testutil.MustCollect(t, c.Encoders(ctx))
	require.Len(t, encs, 1)
	assert.Equal(t, enc.ARN, encs[0].ARN)
}

// TestIngestLifecycleAgainstStagetest: CreateIngest → GetIngest → UpdateIngest → Ingests → DeleteIngest
// against stagetest, the stream key returned by Create and Get and by StreamKey only.
func TestIngestLifecycleAgainstStagetest(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := stagetest.New()
	cfg := srv.Config()
	sc := stage.NewClientFromConfig(cfg)
	st, _, err := sc.Create(ctx, stage.New())
	require.NoError(t, err)
	other, _, err := sc.Create(ctx, stage.New())
	require.NoError(t, err)

	c := composition.NewClientFromConfig(cfg)
	created, err := c.CreateIngest(ctx, composition.NewIngest(st.ARN, composition.RTMPS).WithName("studio").WithUserID("host"))
	require.NoError(t, err)
	key := created.StreamKey()
	require.NotEmpty(t, key)
	assert.NotContains(t, created.String(), key)

	got, err := c.GetIngest(ctx, created.ARN)
	require.NoError(t, err)
	assert.Equal(t, key, got.StreamKey())
	assert.Equal(t, "host", got.UserID)

	moved, err := c.UpdateIngest(ctx, created.ARN, other.ARN)
	require.NoError(t, err)
	assert.Equal(t, other.ARN, moved.StageARN)

	listed := testutil.MustCollect(t, c.Ingests(ctx, composition.FilterStage(other.ARN)))
	require.Len(t, listed, 1)
	assert.Equal(t, created.ARN, listed[0].ARN)

	require.NoError(t, c.DeleteIngest(ctx, created.ARN))
	assert.Empty(t, testutil.MustCollect(t, c.Ingests(ctx)))
}
