package recording_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/fuzzgen"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
)

// Properties: nothing panics; Validate() == nil exactly when ToSDK succeeds; what ToSDK sends is within the
// model's ranges; the service's reading of what is sent (SettingsFromSDK) is what Effective predicts; and,
// sent in a CreateStage to stagetest (whose validation is written independently from the model), a config
// the library accepts is accepted and reads back as Effective, while one it rejects sends no request. The
// stage's settings, turned back into a Config (Settings.Config), predict the same settings.
func FuzzConfig(f *testing.F) {
	f.Add(false, storageARN, uint8(31), "AUDIO_ONLY", true, int64(30*time.Second), "sl", int64(4*time.Second), int64(time.Minute), false)
	f.Add(false, storageARN, uint8(8), "", false, int64(0), "", int64(0), int64(300*time.Second), true)
	f.Add(false, storageARN, uint8(8), "", false, int64(0), "", int64(0), int64(301*time.Second), true)
	f.Add(false, storageARN, uint8(8), "", false, int64(0), "", int64(0), int64(1500*time.Millisecond), true)
	f.Add(true, "", uint8(0), "", false, int64(0), "", int64(0), int64(0), true)
	f.Add(true, "", uint8(16), "", false, int64(0), "", int64(0), int64(0), false)
	f.Add(false, "", uint8(0), "", false, int64(0), "", int64(0), int64(0), false)
	f.Add(false, storageARN, uint8(2), "", true, int64(0), "ll", int64(0), int64(0), false)
	f.Add(false, "arn:aws:ivs:us-east-1:1:storage-configuration/a\n", uint8(1), "NONE", false, int64(0), "", int64(0), int64(0), false)
	f.Fuzz(func(t *testing.T, disabled bool, arn string, set uint8, media string, thumbsOn bool, interval int64,
		storage string, hls, reconnect int64, replicas bool) {
		r := fuzzgen.Recording{Disabled: disabled, ARN: arn, Set: set, Media: media, ThumbsOn: thumbsOn,
			Interval: interval, Storage: storage, HLS: hls, Reconnect: reconnect, Replicas: replicas}
		c := r.Config()
		verr := c.Validate()
		sdk, serr := c.ToSDK()
		_ = c.String()
		eff := c.Effective()
		require.Equal(t, verr == nil, serr == nil)
		srv := stagetest.New()
		sent := c
		if verr == nil && eff.Enabled {
			// stagetest refuses a storage configuration it does not hold: record into one it holds, with the
			// same other settings.
			r.ARN = srv.MustAddStorageConfiguration("fuzz-bucket")
			sent = r.Config()
		}
		st, _, cerr := stage.NewClientFromConfig(srv.Config()).Create(t.Context(), stage.New().WithRecording(sent))
		if verr != nil {
			assert.Nil(t, sdk)
			require.Error(t, cerr)
			require.Zero(t, srv.RequestCount(), "a rejected config sends nothing")
			return
		}
		require.NoError(t, cerr, "stagetest refuses what the library accepts: %s", sent)
		assert.Equal(t, sent.Effective(), st.Recording, "the stage reads back as Effective predicts")
		assert.Equal(t, st.Recording, st.Recording.Config().Effective(), "Settings.Config sends back what the stage holds")
		require.NotNil(t, sdk.StorageConfigurationArn)
		assert.LessOrEqual(t, len([]rune(*sdk.StorageConfigurationArn)), recording.MaxStorageConfigurationARNLength)
		assert.LessOrEqual(t, len(sdk.MediaTypes), 1)
		assert.GreaterOrEqual(t, sdk.RecordingReconnectWindowSeconds, int32(0))
		assert.LessOrEqual(t, sdk.RecordingReconnectWindowSeconds, int32(300))
		if h := sdk.HlsConfiguration; h != nil {
			assert.GreaterOrEqual(t, *h.TargetSegmentDurationSeconds, int32(2))
			assert.LessOrEqual(t, *h.TargetSegmentDurationSeconds, int32(10))
		}
		if th := sdk.ThumbnailConfiguration; th != nil {
			if th.TargetIntervalSeconds != nil {
				assert.Equal(t, "INTERVAL", string(th.RecordingMode))
				assert.GreaterOrEqual(t, *th.TargetIntervalSeconds, int32(1))
				assert.LessOrEqual(t, *th.TargetIntervalSeconds, int32(86400))
			}
			assert.LessOrEqual(t, len(th.Storage), 2)
			if len(th.Storage) == 2 {
				assert.NotEqual(t, th.Storage[0], th.Storage[1])
			}
		}
		if disabled {
			assert.Equal(t, "", *sdk.StorageConfigurationArn)
			assert.Nil(t, sdk.MediaTypes)
			assert.Nil(t, sdk.ThumbnailConfiguration)
			assert.Nil(t, sdk.HlsConfiguration)
		}
		// The service reads what is sent; false replicas travel through the wire fix, not the SDK type.
		read := recording.SettingsFromSDK(sdk)
		if !eff.RecordReplicas {
			read.RecordReplicas = false
		}
		if !sdk.RecordParticipantReplicas && eff.RecordReplicas {
			read.RecordReplicas = true // absent on the wire: the service default
		}
		assert.Equal(t, eff, read)
	})
}
