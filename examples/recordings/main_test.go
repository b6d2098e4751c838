package main

import (
	"bytes"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"

	"github.com/ivsrt/ivsrt/examples/internal/env"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage/event"
	"github.com/ivsrt/ivsrt/stage/stagetest"
)

var update = flag.Bool("update", false, "rewrite testdata/offline.golden")

// recordingsOf parses every event the server sent and returns the Recording events by participant, and the
// participant IDs by user ID (from the Stage Update events).
func recordingsOf(t *testing.T, srv *stagetest.Server) (map[string][]event.Recording, map[string]string) {
	t.Helper()
	recs, ids := map[string][]event.Recording{}, map[string]string{}
	for _, raw := range srv.Events() {
		ev, err := event.Parse(raw)
		require.NoError(t, err)
		switch e := ev.(type) {
		case event.Recording:
			recs[e.ParticipantID] = append(recs[e.ParticipantID], e)
		case event.StageUpdate:
			ids[e.UserID] = e.ParticipantID
		}
	}
	return recs, ids
}

// operations counts the requests the server received, by operation.
func operations(srv *stagetest.Server) map[string]int {
	ops := map[string]int{}
	for _, r := range srv.Requests() {
		ops[r.Operation]++
	}
	return ops
}

// bodies returns the JSON bodies of the requests of one operation, in order.
func bodies(srv *stagetest.Server, op string) []map[string]any {
	var out []map[string]any
	for _, r := range srv.Requests() {
		if r.Operation == op {
			out = append(out, r.JSON())
		}
	}
	return out
}

// tellStory runs the offline story on the fake bucket and returns the server it ran on and what it printed.
func tellStory(t *testing.T) (*stagetest.Server, string) {
	t.Helper()
	var out bytes.Buffer
	sim := newSimulation(&out)
	t.Cleanup(sim.srv.Close)
	require.NoError(t, run(t.Context(), &out, sim.srv.Config(), env.Storage{Bucket: fakeBucket}, sim))
	return sim.srv, out.String()
}

// normalize replaces the IDs the run generated with placeholders, so two runs print the same text.
func normalize(t *testing.T, srv *stagetest.Server, out string) string {
	t.Helper()
	deleteStage, deleteStorage := bodies(srv, "DeleteStage"), bodies(srv, "DeleteStorageConfiguration")
	require.Len(t, deleteStage, 1)
	require.Len(t, deleteStorage, 1)
	recs, ids := recordingsOf(t, srv)
	require.NotEmpty(t, recs[ids["alice"]])
	last := func(arn any) string { s, _ := arn.(string); return s[strings.LastIndexByte(s, '/')+1:] }
	return strings.NewReplacer(
		last(deleteStage[0]["arn"]), "<stage-id>",
		last(deleteStorage[0]["arn"]), "<storage-id>",
		recs[ids["alice"]][0].SessionID, "<session-id>",
		ids["alice"], "<alice-id>",
		ids["bob"], "<bob-id>",
	).Replace(out)
}

// The offline story, line by line: the run's output with its generated IDs replaced by placeholders is
// testdata/offline.golden (go test -update rewrites it).
func TestRunOfflineGolden(t *testing.T) {
	t.Parallel()
	srv, text := tellStory(t)
	got := normalize(t, srv, text)

	testutil.Golden(t, filepath.Join("testdata", "offline.golden"), got, *update)
}

// The offline story tells what happened: alice's two publishes are one merged recording (one prefix, one
// Recording Start, one Recording End, a duration covering both), bob's one publish another, the files are
// where the events say, the update is refused with 409 while recording and accepted after, and the example
// sends exactly the requests the story needs.
func TestRunOffline(t *testing.T) {
	t.Parallel()
	srv, text := tellStory(t)

	// What the service emitted, parsed independently of the example.
	recs, ids := recordingsOf(t, srv)
	require.Len(t, recs, 2, "two participants were recorded")
	tests := []struct {
		name      string
		user      string
		duration  time.Duration
		fragments int
		summary   string
	}{
		{name: "reconnect within the window is one recording", user: "alice", duration: 130 * time.Second, fragments: 2,
			summary: "alice: 2 publishes, 1 recording: ONE merged recording"},
		{name: "single publish is one recording", user: "bob", duration: 110 * time.Second, fragments: 1,
			summary: "bob: 1 publish, 1 recording\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs := recs[ids[tt.user]]
			require.Len(t, evs, 2, "one Recording Start and one Recording End")
			start, end := evs[0], evs[1]
			assert.Equal(t, event.RecordingStart, start.Name)
			assert.Equal(t, event.RecordingEnd, end.Name)
			assert.Equal(t, start.Location, end.Location, "one prefix")
			assert.Equal(t, tt.duration, end.Duration)
			loc := end.Location
			assert.Equal(t, fakeBucket, loc.Bucket)

			assert.Contains(t, text, tt.summary)
			assert.Contains(t, text, "  prefix    "+loc.Prefix+"\n")
			assert.Contains(t, text, "  playlist  "+loc.PlaylistKey()+"\n")
			assert.Contains(t, text, "  events    1 Recording Start ("+start.Time.Format(time.TimeOnly)+"), 1 Recording End ("+end.Time.Format(time.TimeOnly)+")\n")
			assert.Contains(t, text, "  duration  "+tt.duration.String()+" (Recording End)")
			assert.Contains(t, text, "  metadata  events/recording-ended.json: RECORDING_ENDED, "+start.Time.Format(time.TimeOnly)+" to "+end.Time.Format(time.TimeOnly)+", duration "+tt.duration.String()+"\n")

			objects := srv.Objects(loc.Bucket)
			assert.Contains(t, objects, loc.PlaylistKey(), "the playlist the example names exists")
			// Read through Files and the S3 client: the presigned GET returned the playlist as written.
			assert.Contains(t, text, "  playlist  "+loc.PlaylistKey()+"\n            presigned for 5m0s, plain HTTP GET: 200 application/vnd.apple.mpegurl, "+
				fmt.Sprint(len(objects[loc.PlaylistKey()]))+" bytes, first line \"#EXTM3U\"\n")
			assert.Contains(t, text, "  WaitFinal RECORDING_ENDED ")
			md, err := recording.ParseMetadata(objects[loc.MetadataKey(recording.StatusEnded)])
			require.NoError(t, err)
			assert.Equal(t, tt.duration, md.Duration)
			require.NotNil(t, md.Media.HLS)
			keys := md.Media.HLS.RenditionPlaylistKeys(loc)
			require.Len(t, keys, 1)
			assert.Equal(t, tt.fragments-1, bytes.Count(objects[keys[0]], []byte("#EXT-X-DISCONTINUITY")))
		})
	}

	assert.Contains(t, text, "covering 2 publishes: 1m0s + 1m10s = 2m10s\n")
	stageID := strings.TrimPrefix(bodies(srv, "DeleteStage")[0]["arn"].(string), "arn:aws:ivs:us-east-1:123456789012:stage/")
	assert.Contains(t, text, `Files.Recordings("`+fakeBucket+`", "`+stageID+`/"): 2 recordings`+"\n")
	assert.Contains(t, text, "12:02:30  UpdateStage refused: HTTP 409 ConflictException: ")
	assert.Contains(t, text, "recording states: alice STOPPING, bob STOPPING\n")
	assert.Contains(t, text, "updated: on, media AUDIO_VIDEO, thumbnails INTERVAL every 10s [LATEST], HLS segments 6s, reconnect window 1m0s\n")
	assert.Contains(t, text, "only the reconnect window changed")

	assert.Equal(t, map[string]int{
		"CreateStorageConfiguration": 1, "CreateStage": 1,
		"GetStage":         3, // step 3, WaitRecordingIdle (the session has ended: no ListParticipants), step 6's read
		"ListParticipants": 1, // step 3's recording states
		"UpdateStage":      2, // refused with 409, then accepted
		"DeleteStage":      1, "DeleteStorageConfiguration": 1,
	}, operations(srv))

	// The wire: the stage records with a 30 s window and issues alice's and bob's tokens; both updates send
	// the whole recording configuration as the stage reported it, with a 60 s window.
	creates := bodies(srv, "CreateStage")
	require.Len(t, creates, 1)
	storageARN := bodies(srv, "DeleteStorageConfiguration")[0]["arn"]
	assert.Equal(t, map[string]any{"storageConfigurationArn": storageARN, "recordingReconnectWindowSeconds": 30.0,
		"thumbnailConfiguration": map[string]any{"recordingMode": "INTERVAL", "targetIntervalSeconds": 10.0, "storage": []any{"LATEST"}}},
		creates[0]["autoParticipantRecordingConfiguration"])
	assert.Equal(t, []any{
		map[string]any{"userId": "alice", "capabilities": []any{"PUBLISH", "SUBSCRIBE"}},
		map[string]any{"userId": "bob", "capabilities": []any{"PUBLISH", "SUBSCRIBE"}},
	}, creates[0]["participantTokenConfigurations"])
	updates := bodies(srv, "UpdateStage")
	require.Len(t, updates, 2)
	for _, u := range updates {
		assert.Equal(t, map[string]any{"storageConfigurationArn": storageARN, "recordingReconnectWindowSeconds": 60.0,
			"mediaTypes": []any{"AUDIO_VIDEO"}, "hlsConfiguration": map[string]any{"targetSegmentDurationSeconds": 6.0},
			"recordParticipantReplicas": true,
			"thumbnailConfiguration":    map[string]any{"recordingMode": "INTERVAL", "targetIntervalSeconds": 10.0, "storage": []any{"LATEST"}}},
			u["autoParticipantRecordingConfiguration"])
	}
}

// A run that fails midway still deletes what it created, and says what failed.
func TestRunCleansUpAfterAFailure(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		failOp      string
		wantErr     string
		wantDeleted map[string]int
	}{
		{name: "stage not created", failOp: "CreateStage", wantErr: "creating the stage",
			wantDeleted: map[string]int{"DeleteStorageConfiguration": 1}},
		{name: "participants unreadable", failOp: "ListParticipants", wantErr: "listing the participants",
			wantDeleted: map[string]int{"DeleteStage": 1, "DeleteStorageConfiguration": 1}},
		{name: "update refused otherwise than with 409", failOp: "UpdateStage", wantErr: "updating the reconnect window",
			wantDeleted: map[string]int{"DeleteStage": 1, "DeleteStorageConfiguration": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			sim := newSimulation(&out)
			t.Cleanup(sim.srv.Close)
			sim.srv.FailNext(tt.failOp, 403, "AccessDeniedException")
			err := run(t.Context(), &out, sim.srv.Config(), env.Storage{Bucket: fakeBucket}, sim)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.Contains(t, err.Error(), "AccessDeniedException")
			ops := operations(sim.srv)
			for _, op := range []string{"DeleteStage", "DeleteStorageConfiguration"} {
				assert.Equal(t, tt.wantDeleted[op], ops[op], op)
			}
			assert.Contains(t, out.String(), "deleted storage configuration")
		})
	}
}

// With -live the example does only the API parts and says which parts need real publishers; run here
// against stagetest (no simulation), where nobody joins.
func TestRunLive(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		choice  func(srv *stagetest.Server) env.Storage
		wantOut []string
		wantOps map[string]int
	}{
		{
			name:    "creates its storage configuration",
			choice:  func(*stagetest.Server) env.Storage { return env.Storage{Bucket: "my-recordings"} },
			wantOut: []string{"created storage configuration", "on bucket my-recordings", "deleted storage configuration"},
			wantOps: map[string]int{"CreateStorageConfiguration": 1, "DeleteStorageConfiguration": 1},
		},
		{
			name: "reuses a storage configuration and keeps it",
			choice: func(srv *stagetest.Server) env.Storage {
				return env.Storage{ARN: srv.MustAddStorageConfiguration("existing-recordings")}
			},
			wantOut: []string{"using storage configuration", "on bucket existing-recordings"},
			wantOps: map[string]int{"GetStorageConfiguration": 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := stagetest.New()
			var out bytes.Buffer
			require.NoError(t, run(t.Context(), &out, srv.Config(), tt.choice(srv), nil))
			text := out.String()
			creates := bodies(srv, "CreateStage")
			require.Len(t, creates, 1)
			stageARN := bodies(srv, "DeleteStage")[0]["arn"].(string)
			for _, want := range append([]string{
				"This program does not join or publish: real clients do, with the IVS broadcast SDK",
				"The events arrive on Amazon EventBridge, not here.",
				`{"source":["aws.ivs"],"detail-type":["IVS Participant Recording State Change"],"resources":["` + stageARN + `"]}`,
				"the stage has had 0 sessions so far",
				"WaitRecordingIdle: nobody on the stage is being recorded\n",
				"reconnect window 1m0s\n",
				"deleted stage",
			}, tt.wantOut...) {
				assert.Contains(t, text, want)
			}
			for _, made := range []string{"Recording Start (", "  prefix    ", "ONE merged", "UpdateStage refused"} {
				assert.NotContains(t, text, made, "nothing is made up")
			}
			assert.Empty(t, srv.Events())

			want := map[string]int{"CreateStage": 1, "ListStageSessions": 1, "GetStage": 2, "UpdateStage": 1, "DeleteStage": 1}
			for op, n := range tt.wantOps {
				want[op] = n
			}
			assert.Equal(t, want, operations(srv))
		})
	}
}

// start refuses contradictory flags before doing anything, and runs the offline story otherwise.
func TestStart(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		live    bool
		choice  env.Storage
		wantErr string
		wantOut []string
	}{
		{name: "both storage flags", choice: env.Storage{ARN: "arn:aws:ivs:us-east-1:123456789012:storage-configuration/abc", Bucket: "b-1"},
			wantErr: "give -bucket or -storage-configuration-arn, not both"},
		{name: "both storage flags live", live: true, choice: env.Storage{ARN: "arn:aws:ivs:us-east-1:123456789012:storage-configuration/abc", Bucket: "b-1"},
			wantErr: "give -bucket or -storage-configuration-arn, not both"},
		{name: "storage configuration offline", choice: env.Storage{ARN: "arn:aws:ivs:us-east-1:123456789012:storage-configuration/abc"},
			wantErr: "-storage-configuration-arn needs -live"},
		{name: "live without storage", live: true, wantErr: "-live needs -bucket"},
		{name: "offline default bucket", wantOut: []string{"running against the in-memory IVS Real-Time fake", "on bucket " + fakeBucket, "ONE merged recording"}},
		{name: "offline own bucket", choice: env.Storage{Bucket: "my-bucket"}, wantOut: []string{"on bucket my-bucket", "  bucket    my-bucket\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			err := start(t.Context(), &out, env.Flags{Live: tt.live}, tt.choice)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				assert.Empty(t, out.String(), "nothing done")
				return
			}
			require.NoError(t, err)
			for _, want := range tt.wantOut {
				assert.Contains(t, out.String(), want)
			}
		})
	}
}
