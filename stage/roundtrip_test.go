package stage_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
)

// Read-modify-write on the wire: Get → Settings.Config() → Update sends the recording object Get
// returned. Two kinds of member cannot be sent and are left out, each giving the value Get returned: a
// recordingReconnectWindowSeconds of 0 (the official client never sends 0; 0 is the service's default), and
// targetIntervalSeconds while recordingMode is DISABLED (the service refuses an interval then).
func TestSettingsConfigRoundTripOnTheWire(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		rec     string   // the recording object GetStage returns
		omitted []string // members of rec that Update cannot send
	}{
		{"every member set", `{"storageConfigurationArn": "` + storageARN + `", "mediaTypes": ["AUDIO_ONLY"],
			"thumbnailConfiguration": {"targetIntervalSeconds": 30, "storage": ["SEQUENTIAL", "LATEST"], "recordingMode": "INTERVAL"},
			"recordingReconnectWindowSeconds": 60, "hlsConfiguration": {"targetSegmentDurationSeconds": 4}, "recordParticipantReplicas": false}`, nil},
		{"the service's defaults", `{"storageConfigurationArn": "` + storageARN + `", "mediaTypes": ["AUDIO_VIDEO"],
			"thumbnailConfiguration": {"targetIntervalSeconds": 60, "storage": ["SEQUENTIAL"], "recordingMode": "DISABLED"},
			"recordingReconnectWindowSeconds": 0, "hlsConfiguration": {"targetSegmentDurationSeconds": 6}, "recordParticipantReplicas": true}`,
			[]string{"recordingReconnectWindowSeconds", "thumbnailConfiguration.targetIntervalSeconds"}},
		{"thumbnails off, LATEST kept", `{"storageConfigurationArn": "` + storageARN + `", "mediaTypes": ["NONE"],
			"thumbnailConfiguration": {"targetIntervalSeconds": 60, "storage": ["LATEST"], "recordingMode": "DISABLED"},
			"recordingReconnectWindowSeconds": 300, "hlsConfiguration": {"targetSegmentDurationSeconds": 10}, "recordParticipantReplicas": true}`,
			[]string{"thumbnailConfiguration.targetIntervalSeconds"}},
		{"thumbnails every second, both storages", `{"storageConfigurationArn": "` + storageARN + `", "mediaTypes": ["AUDIO_VIDEO"],
			"thumbnailConfiguration": {"targetIntervalSeconds": 1, "storage": ["LATEST", "SEQUENTIAL"], "recordingMode": "INTERVAL"},
			"recordingReconnectWindowSeconds": 1, "hlsConfiguration": {"targetSegmentDurationSeconds": 2}, "recordParticipantReplicas": false}`, nil},
		{"recording off", `{"storageConfigurationArn": ""}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			stageJSON := `{"stage": {"arn": "` + stageARN + `", "autoParticipantRecordingConfiguration": ` + tt.rec + `}}`
			mock.Respond("GetStage", 200, stageJSON)
			mock.Respond("UpdateStage", 200, stageJSON)
			c := newClient(mock)
			st, err := c.Get(t.Context(), stageARN)
			require.NoError(t, err)
			_, err = c.Update(t.Context(), stageARN, stage.NewUpdate().WithRecording(st.Recording.Config()))
			require.NoError(t, err)

			reqs := mock.Requests()
			require.Len(t, reqs, 2)
			sent := reqs[1].JSON(t)["autoParticipantRecordingConfiguration"]
			var want map[string]any
			require.NoError(t, json.Unmarshal([]byte(tt.rec), &want))
			for _, path := range tt.omitted {
				deletePath(want, path)
			}
			assert.Equal(t, want, sent)
		})
	}
}

// deletePath removes a member named by a dotted path from a decoded JSON object.
func deletePath(m map[string]any, path string) {
	for {
		head, rest, nested := strings.Cut(path, ".")
		if !nested {
			delete(m, head)
			return
		}
		m = m[head].(map[string]any)
		path = rest
	}
}

// The same round trip against stagetest: a stage updated with its own Settings.Config() reads back
// unchanged.
func TestSettingsConfigRoundTripAgainstFake(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	storage := w.srv.MustAddStorageConfiguration("round-trip")
	for _, rec := range []recording.Config{
		recording.New(storage),
		recording.Disabled(),
		recording.New(storage).WithMediaType(recording.MediaNone).WithThumbnails(recording.ThumbnailsOff()).WithReconnectWindow(300 * time.Second),
		recording.New(storage).WithThumbnails(recording.ThumbnailsEvery(time.Second, recording.StorageLatest)).WithRecordReplicas(false),
		fullRecordingInto(storage),
	} {
		t.Run(rec.String(), func(t *testing.T) {
			st, _, err := w.stages.Create(t.Context(), stage.New().WithRecording(rec))
			require.NoError(t, err)
			got, err := w.stages.Update(t.Context(), st.ARN, stage.NewUpdate().WithRecording(st.Recording.Config()))
			require.NoError(t, err)
			assert.Equal(t, st.Recording, got.Recording)
		})
	}
}
