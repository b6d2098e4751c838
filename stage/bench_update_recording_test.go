package stage_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
)

// idleRecordingStage is the canned GetStage and UpdateStage answer of BenchmarkUpdateRecording: a stage
// recording audio only, every field set, no active session (so a wait is one GetStage).
const idleRecordingStage = `{"stage": {"arn": "` + stageARN + `", "name": "bench", "activeSessionId": "", "tags": {},
	"autoParticipantRecordingConfiguration": {"storageConfigurationArn": "` + storageARN + `", "mediaTypes": ["AUDIO_ONLY"],
		"thumbnailConfiguration": {"recordingMode": "INTERVAL", "targetIntervalSeconds": 30, "storage": ["SEQUENTIAL", "LATEST"]},
		"hlsConfiguration": {"targetSegmentDurationSeconds": 4}, "recordingReconnectWindowSeconds": 0,
		"recordParticipantReplicas": true}}}`

// BenchmarkUpdateRecording changes the reconnect window of an idle stage over the same mock transport and
// canned answers: the raw official client ("raw": GetStage, then UpdateStage with the configuration read
// and the window changed, two requests) against Client.UpdateRecording ("UpdateRecording": GetStage, the
// wait's GetStage, UpdateStage, with validation and conversion). Compare with `benchstat -col /impl`.
func BenchmarkUpdateRecording(b *testing.B) {
	mock := testutil.NewMock()
	mock.RespondStatic("GetStage", idleRecordingStage)
	mock.RespondStatic("UpdateStage", idleRecordingStage)
	ctx := context.Background()
	b.Run("impl=raw", func(b *testing.B) {
		client := mock.Client()
		runtime.GC()
		b.ReportAllocs()
		for b.Loop() {
			got, err := client.GetStage(ctx, &ivsrealtime.GetStageInput{Arn: aws.String(stageARN)})
			if err != nil {
				b.Fatal(err)
			}
			rec := *got.Stage.AutoParticipantRecordingConfiguration
			rec.RecordingReconnectWindowSeconds = 60
			if _, err := client.UpdateStage(ctx, &ivsrealtime.UpdateStageInput{
				Arn: aws.String(stageARN), AutoParticipantRecordingConfiguration: &rec,
			}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=UpdateRecording", func(b *testing.B) {
		client := stage.NewClientFromConfig(mock.Config())
		change := func(c recording.Config) recording.Config { return c.WithReconnectWindow(time.Minute) }
		runtime.GC()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := client.UpdateRecording(ctx, stageARN, change); err != nil {
				b.Fatal(err)
			}
		}
	})
}
