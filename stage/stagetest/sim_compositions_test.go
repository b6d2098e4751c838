package stagetest_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/stagetest"
)

// compositionEvents lists "<event_name>[ <id>] @<time>" of the composition events sent so far.
func (w *world) compositionEvents() []string {
	w.t.Helper()
	var out []string
	for _, e := range w.bus() {
		if e.DetailType != stagetest.DetailTypeCompositionState {
			continue
		}
		s := e.Detail["event_name"].(string)
		if id, ok := e.Detail["id"].(string); ok {
			s += " " + id
		}
		if code, ok := e.Detail["error_code"].(string); ok {
			s += " " + code
		}
		out = append(out, s+" @"+e.Time)
	}
	return out
}

func (w *world) getComposition(arn *string) (types.Composition, error) {
	out, err := w.client.GetComposition(w.t.Context(), &ivsrealtime.GetCompositionInput{Arn: arn})
	if err != nil {
		return types.Composition{}, err
	}
	return *out.Composition, nil
}

// publisher joins the stage and publishes.
func (w *world) publisher(st string) string {
	w.t.Helper()
	pid := w.join(st, "", types.ParticipantTokenCapabilityPublish)
	require.NoError(w.t, w.srv.Publish(st, pid))
	return pid
}

func at(d time.Duration) string { return t0.Add(d).Format(time.RFC3339) }

func TestCompositionLifecycle(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	st := w.stage(nil)
	w.publisher(st)
	comp := w.compose(st, "bucket-l", func(in *ivsrealtime.StartCompositionInput) {
		in.Destinations[0].S3.ThumbnailConfigurations = []types.CompositionThumbnailConfiguration{{
			Storage: []types.ThumbnailStorageType{types.ThumbnailStorageTypeLatest, types.ThumbnailStorageTypeSequential}}}
	})
	dest := aws.ToString(comp.Destinations[0].Id)
	prefix := aws.ToString(comp.Destinations[0].Detail.S3.RecordingPrefix)
	assert.Empty(t, w.compositionEvents(), "nothing until the clock moves")

	w.clock.Advance(time.Second)
	got, err := w.getComposition(comp.Arn)
	require.NoError(t, err)
	assert.Equal(t, types.CompositionStateActive, got.State)
	assert.Equal(t, types.DestinationStateActive, got.Destinations[0].State)
	assert.Equal(t, []string{"Session Start @" + at(0), "Destination Start " + dest + " @" + at(0)}, w.compositionEvents())
	assert.Equal(t, []string{"events/recording-started.json"}, w.keys("bucket-l", prefix))

	w.clock.Advance(9 * time.Second)
	_, err = w.client.StopComposition(t.Context(), &ivsrealtime.StopCompositionInput{Arn: comp.Arn})
	require.NoError(t, err)
	got, err = w.getComposition(comp.Arn)
	require.NoError(t, err)
	assert.Equal(t, types.CompositionStateStopping, got.State)

	w.clock.Advance(time.Nanosecond)
	got, err = w.getComposition(comp.Arn)
	require.NoError(t, err)
	assert.Equal(t, types.CompositionStateStopped, got.State)
	assert.Equal(t, t0.Add(10*time.Second), aws.ToTime(got.EndTime))
	assert.Equal(t, types.DestinationStateStopped, got.Destinations[0].State)
	assert.Equal(t, []string{
		"Session Start @" + at(0), "Destination Start " + dest + " @" + at(0),
		"Destination End " + dest + " @" + at(10*time.Second), "Session End @" + at(10*time.Second),
	}, w.compositionEvents())
	assert.Equal(t, []string{
		"events/recording-ended.json",
		"events/recording-started.json",
		"media/hls/720p30-stagetest0001/0.mp4",
		"media/hls/720p30-stagetest0001/1.mp4",
		"media/hls/720p30-stagetest0001/2.mp4",
		"media/hls/720p30-stagetest0001/3.mp4",
		"media/hls/720p30-stagetest0001/4.mp4",
		"media/hls/720p30-stagetest0001/init.mp4",
		"media/hls/720p30-stagetest0001/playlist.m3u8",
		"media/hls/multivariant.m3u8",
		"media/latest_thumbnail/1280x720/thumb.jpg",
		"media/thumbnails/1280x720/0.jpg",
	}, w.keys("bucket-l", prefix), "10 s in 2 s segments")
	var meta map[string]any
	require.NoError(t, json.Unmarshal(w.srv.Objects("bucket-l")[prefix+"/events/recording-ended.json"], &meta))
	assert.Equal(t, "RECORDING_ENDED", meta["recording_status"])
	assert.Equal(t, st, meta["stage_arn"])
	assert.Equal(t, float64(10000), meta["media"].(map[string]any)["hls"].(map[string]any)["duration_ms"])

	// Five minutes after the end it is gone; a moment before, still there.
	w.clock.Advance(stagetest.CompositionRetention - 2*time.Nanosecond)
	_, err = w.getComposition(comp.Arn)
	require.NoError(t, err, "the last moment it is kept")
	w.clock.Advance(time.Nanosecond)
	_, err = w.getComposition(comp.Arn)
	code, _ := apiError(t, err)
	assert.Equal(t, "ResourceNotFoundException", code)
	assert.Empty(t, listCompositions(t, w.srv))
}

func TestCompositionIdleTimeout(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		publish bool          // a publisher before the start
		quiet   time.Duration // when it unpublishes, after the start
		end     time.Duration // the composition's end
	}{
		{"no one publishes from the start", false, 0, stagetest.CompositionIdleTimeout},
		{"the last publisher stops", true, 30 * time.Second, 30*time.Second + stagetest.CompositionIdleTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			st := w.stage(nil)
			var pid string
			if tt.publish {
				pid = w.publisher(st)
			}
			comp := w.compose(st, "bucket-idle")
			if tt.publish {
				w.clock.Advance(tt.quiet)
				require.NoError(t, w.srv.Unpublish(st, pid))
			}
			w.clock.Advance(t0.Add(tt.end).Sub(w.clock.Now()))
			got, err := w.getComposition(comp.Arn)
			require.NoError(t, err)
			assert.Equal(t, types.CompositionStateActive, got.State, "the last moment of the idle minute")
			w.clock.Advance(time.Nanosecond)
			got, err = w.getComposition(comp.Arn)
			require.NoError(t, err)
			assert.Equal(t, types.CompositionStateStopped, got.State)
			assert.Equal(t, t0.Add(tt.end), aws.ToTime(got.EndTime))
			evs := w.compositionEvents()
			assert.Equal(t, "Session End @"+at(tt.end), evs[len(evs)-1])
		})
	}
}

func TestCompositionPublisherKeepsItAlive(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	st := w.stage(nil)
	comp := w.compose(st, "bucket-alive")
	w.clock.Advance(59 * time.Second)
	w.publisher(st)
	w.clock.Advance(time.Hour)
	got, err := w.getComposition(comp.Arn)
	require.NoError(t, err)
	assert.Equal(t, types.CompositionStateActive, got.State)
}

func TestCompositionStageDeleted(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	st := w.stage(nil)
	w.publisher(st)
	comp := w.compose(st, "bucket-del")
	dest := aws.ToString(comp.Destinations[0].Id)
	w.clock.Advance(5 * time.Second)
	_, err := w.client.DeleteStage(t.Context(), &ivsrealtime.DeleteStageInput{Arn: aws.String(st)})
	require.NoError(t, err)
	got, err := w.getComposition(comp.Arn)
	require.NoError(t, err)
	assert.Equal(t, types.CompositionStateFailed, got.State)
	assert.Equal(t, []string{
		"Session Start @" + at(0), "Destination Start " + dest + " @" + at(0),
		"Destination End " + dest + " @" + at(5*time.Second), "Session Failure StageDeleted @" + at(5*time.Second),
	}, w.compositionEvents())
}

func TestCompositionEventEnvelope(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	st := w.stage(nil)
	w.publisher(st)
	comp := w.compose(st, "bucket-env")
	w.clock.Advance(time.Second)
	var found bool
	for _, e := range w.bus() {
		if e.DetailType != stagetest.DetailTypeCompositionState {
			continue
		}
		found = true
		assert.Equal(t, []string{aws.ToString(comp.Arn)}, e.Resources, "resources[0] is the composition")
		assert.Equal(t, st, e.Detail["stage_arn"])
		assert.Equal(t, "aws.ivs", e.Source)
	}
	assert.True(t, found)
	msgs := w.srv.SQSMessages()
	assert.Len(t, msgs, len(w.srv.Events()), "delivered through SQS like the others")
}
