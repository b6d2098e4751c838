package stage_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
)

// cliCreateStageResponse is the AWS CLI reference's create-stage example response (service-facts.md §3): no
// recording configuration was asked for, and the one that comes back has no recordParticipantReplicas.
const cliCreateStageResponse = `{
    "stage": {
        "activeSessionId": "st-a1b2c3d4e5f6g",
        "arn": "` + stageARN + `",
        "autoParticipantRecordingConfiguration": {
            "storageConfigurationArn": "",
            "mediaTypes": [
                "AUDIO_VIDEO"
            ],
            "thumbnailConfiguration": {
                "targetIntervalSeconds": 60,
                "storage": [
                    "SEQUENTIAL"
                ],
                "recordingMode": "DISABLED"
            }
        },
        "endpoints": {
            "events": "wss://global.events.live-video.net",
            "rtmp": "rtmp://9x0y8z7s6t5u.global-contribute.live-video.net/app/",
            "rtmps": "rtmps://9x0y8z7s6t5u.global-contribute.live-video.net:443/app/",
            "whip": "https://9x0y8z7s6t5u.global-bm.whip.live-video.net"
        },
        "name": "test-stage",
        "tags": {}
    }
}`

// recordingStage is a stage recording into storageARN with a 30 s reconnect window, its recording
// configuration ending with the members replicas (JSON, "" for none).
func recordingStage(replicas string) string {
	return `{"stage": {"arn": "` + stageARN + `", "name": "s", "tags": {"note": "recordParticipantReplicas: false"},
		"autoParticipantRecordingConfiguration": {"storageConfigurationArn": "` + storageARN + `", "mediaTypes": ["AUDIO_VIDEO"],
		"thumbnailConfiguration": {"targetIntervalSeconds": 60, "storage": ["SEQUENTIAL"], "recordingMode": "DISABLED"},
		"hlsConfiguration": {"targetSegmentDurationSeconds": 6}, "recordingReconnectWindowSeconds": 30` + replicas + `}}}`
}

// Create, Get and Update read a stage whose response omits recordParticipantReplicas as the service
// documents it (true), and an explicit value as itself; a stage without any recording configuration reads
// as recording off with every default.
func TestStageReadsRecordReplicasFaithfully(t *testing.T) {
	t.Parallel()
	ops := []struct {
		op   string
		call func(t *testing.T, c *stage.Client) (stage.Stage, error)
	}{
		{"CreateStage", func(t *testing.T, c *stage.Client) (stage.Stage, error) {
			st, _, err := c.Create(t.Context(), stage.New().WithName("test-stage"))
			return st, err
		}},
		{"GetStage", func(t *testing.T, c *stage.Client) (stage.Stage, error) { return c.Get(t.Context(), stageARN) }},
		{"UpdateStage", func(t *testing.T, c *stage.Client) (stage.Stage, error) {
			return c.Update(t.Context(), stageARN, stage.NewUpdate().WithName("s"))
		}},
	}
	recorded := recording.New(storageARN).WithReconnectWindow(30 * time.Second).Effective()
	notReplicas := recorded
	notReplicas.RecordReplicas = false
	tests := []struct {
		name string
		body string
		want recording.Settings
	}{
		{"absent", recordingStage(``), recorded},
		{"null", recordingStage(`, "recordParticipantReplicas": null`), recorded},
		{"explicit true", recordingStage(`, "recordParticipantReplicas": true`), recorded},
		{"explicit false", recordingStage(`, "recordParticipantReplicas": false`), notReplicas},
		{"the CLI reference's create-stage response", cliCreateStageResponse, recording.Disabled().Effective()},
		{"no recording configuration at all", minimalStage, recording.Disabled().Effective()},
	}
	for _, op := range ops {
		for _, tt := range tests {
			t.Run(op.op+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				mock := testutil.NewMock()
				mock.Respond(op.op, 200, tt.body)
				// Through a derived client too: WithOptions keeps the read middleware.
				for _, c := range []*stage.Client{
					stage.NewClientFromConfig(mock.Config()),
					stage.NewClientFromConfig(mock.Config()).WithOptions(func(o *ivsrealtime.Options) { o.RetryMaxAttempts = 1 }),
				} {
					st, err := op.call(t, c)
					require.NoError(t, err)
					assert.Equal(t, stageARN, st.ARN)
					assert.Equal(t, tt.want, st.Recording)
				}
				assert.Equal(t, 2, mock.Count())
			})
		}
	}
}

// A read-modify-write sends back what the stage holds: Get a stage whose response omits
// recordParticipantReplicas, change the reconnect window through Settings.Config, Update. The UpdateStage
// body carries "recordParticipantReplicas": true (never false) and every other field as read; a stage that
// says false keeps false.
func TestReadModifyWriteKeepsRecordReplicas(t *testing.T) {
	t.Parallel()
	rest := `"storageConfigurationArn": "` + storageARN + `", "mediaTypes": ["AUDIO_VIDEO"],
		"thumbnailConfiguration": {"recordingMode": "DISABLED", "storage": ["SEQUENTIAL"]},
		"hlsConfiguration": {"targetSegmentDurationSeconds": 6}, "recordingReconnectWindowSeconds": 120`
	tests := []struct {
		name     string
		replicas string // the members GetStage answers with
		want     string // the recording configuration UpdateStage sends
	}{
		{"absent", ``, `{` + rest + `, "recordParticipantReplicas": true}`},
		{"null", `, "recordParticipantReplicas": null`, `{` + rest + `, "recordParticipantReplicas": true}`},
		{"explicit true", `, "recordParticipantReplicas": true`, `{` + rest + `, "recordParticipantReplicas": true}`},
		{"explicit false", `, "recordParticipantReplicas": false`, `{` + rest + `, "recordParticipantReplicas": false}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			mock.Respond("GetStage", 200, recordingStage(tt.replicas))
			mock.Respond("UpdateStage", 200, recordingStage(tt.replicas))
			c := stage.NewClientFromConfig(mock.Config())
			st, err := c.Get(t.Context(), stageARN)
			require.NoError(t, err)
			_, err = c.Update(t.Context(), stageARN,
				stage.NewUpdate().WithRecording(st.Recording.Config().WithReconnectWindow(2*time.Minute)))
			require.NoError(t, err)
			reqs := mock.Requests()
			require.Len(t, reqs, 2)
			require.Equal(t, "UpdateStage", reqs[1].Operation)
			jsonEqual(t, []byte(`{"arn": "`+stageARN+`", "autoParticipantRecordingConfiguration": `+tt.want+`}`), reqs[1].Body)
		})
	}
}

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

// Stage.ID and Summary.ID are the last segment of the ARN.
func TestID(t *testing.T) {
	t.Parallel()
	tests := []struct{ arn, want string }{
		{stageARN, "AbCdEf123456"},
		{"", ""},
		{"no-slash", "no-slash"}, // its only segment, as recording.StorageConfiguration.ID and the "topic" claim read it
		{"a/b/c", "c"},
		{"trailing/", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, stage.Stage{ARN: tt.arn}.ID(), tt.arn)
		assert.Equal(t, tt.want, stage.Summary{ARN: tt.arn}.ID(), tt.arn)
	}
}
