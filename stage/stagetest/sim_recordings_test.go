package stagetest_test

import (
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ivsrec "github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage/stagetest"
)

// recEvent is a Participant Recording State Change event, reduced to what the scenarios check.
type recEvent struct {
	Name, Prefix string
	Time         string
	DurationMs   float64 // -1 when absent
	ErrorCode    string
}

// recordingEvents returns the recording events of participant pid, in order.
func (w *world) recordingEvents(pid string) []recEvent {
	w.t.Helper()
	var out []recEvent
	for _, e := range w.bus() {
		if e.DetailType != stagetest.DetailTypeRecordingState || e.Detail["participant_id"] != pid {
			continue
		}
		r := recEvent{Name: e.Detail["event_name"].(string), Prefix: e.Detail["recording_s3_key_prefix"].(string), Time: e.Time, DurationMs: -1}
		if d, ok := e.Detail["recording_duration_ms"].(float64); ok {
			r.DurationMs = d
		}
		r.ErrorCode, _ = e.Detail["error_code"].(string)
		out = append(out, r)
	}
	return out
}

// keys returns the object keys of bucket under prefix, relative to it, sorted.
func (w *world) keys(bucket, prefix string) []string {
	w.t.Helper()
	var out []string
	for k := range w.srv.Objects(bucket) {
		if rest, ok := strings.CutPrefix(k, prefix+"/"); ok {
			out = append(out, rest)
		}
	}
	sort.Strings(out)
	return out
}

// metadata parses one metadata file of a recording with the library's parser.
func (w *world) metadata(bucket, prefix string, status ivsrec.Status) ivsrec.Metadata {
	w.t.Helper()
	loc := ivsrec.Location{Bucket: bucket, Prefix: prefix}
	data, ok := w.srv.Objects(bucket)[loc.MetadataKey(status)]
	require.True(w.t, ok, "no %s under %s", loc.MetadataKey(status), prefix)
	m, err := ivsrec.ParseMetadata(data)
	require.NoError(w.t, err)
	return m
}

func TestRecordingReconnectWindow(t *testing.T) {
	t.Parallel()
	type fragment struct{ publishAt, unpublishAt time.Duration } // from t0
	tests := []struct {
		name       string
		window     int32
		fragments  []fragment
		leave      bool // drop the connection between fragments (Leave and Join again), not just unpublish
		recordings []float64
	}{
		{name: "window 0: each publish its own recording", window: 0,
			fragments: []fragment{{0, 10 * time.Second}, {12 * time.Second, 20 * time.Second}}, recordings: []float64{10000, 8000}},
		{name: "window 30, reconnect at 29 s: merged", window: 30, leave: true,
			fragments: []fragment{{0, 10 * time.Second}, {39 * time.Second, 49 * time.Second}}, recordings: []float64{20000}},
		{name: "window 30, republish at exactly 30 s: merged", window: 30,
			fragments: []fragment{{0, 10 * time.Second}, {40 * time.Second, 45 * time.Second}}, recordings: []float64{15000}},
		{name: "window 30, reconnect at 31 s: two recordings", window: 30, leave: true,
			fragments: []fragment{{0, 10 * time.Second}, {41 * time.Second, 51 * time.Second}}, recordings: []float64{10000, 10000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			arn := w.recordingStage("rec-bucket", tt.window)
			tok, pid := w.token(arn, "alice")
			_, err := w.srv.Join(arn, tok)
			require.NoError(t, err)
			sess := w.activeSession(arn)
			at := time.Duration(0)
			for i, f := range tt.fragments {
				w.clock.Advance(f.publishAt - at)
				if i > 0 && tt.leave {
					_, err := w.srv.Join(arn, tok)
					require.NoError(t, err)
				}
				require.NoError(t, w.srv.Publish(arn, pid))
				w.clock.Advance(f.unpublishAt - f.publishAt)
				at = f.unpublishAt
				if tt.leave {
					require.NoError(t, w.srv.Leave(arn, pid))
				} else {
					require.NoError(t, w.srv.Unpublish(arn, pid))
				}
			}
			w.clock.Advance(time.Duration(tt.window+1) * time.Second)

			evs := w.recordingEvents(pid)
			var durations []float64
			var prefixes []string
			for i := 0; i < len(evs); i += 2 {
				require.Len(t, evs, 2*len(tt.recordings), "%+v", evs)
				assert.Equal(t, "Recording Start", evs[i].Name)
				assert.Equal(t, "Recording End", evs[i+1].Name)
				assert.Equal(t, evs[i].Prefix, evs[i+1].Prefix, "one prefix per recording")
				durations = append(durations, evs[i+1].DurationMs)
				prefixes = append(prefixes, evs[i].Prefix)
			}
			assert.Equal(t, tt.recordings, durations)
			assert.Len(t, slices.Compact(slices.Clone(prefixes)), len(tt.recordings), "a new prefix per recording")
			for _, prefix := range prefixes {
				assert.Regexp(t, `^[a-zA-Z0-9]{12}/st-[a-zA-Z0-9]{13}/`+pid+`/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ$`, prefix)
			}
			assert.Equal(t, strings.Split(prefixes[0], "/")[3], t0.Format("2006-01-02T15-04-05Z"))

			last := tt.fragments[len(tt.fragments)-1]
			end := evs[len(evs)-1]
			assert.Equal(t, t0.Add(last.unpublishAt+time.Duration(tt.window)*time.Second).Format(time.RFC3339), end.Time,
				"Recording End comes a window after the last unpublish")
			for i, prefix := range prefixes {
				ended := w.metadata("rec-bucket", prefix, ivsrec.StatusEnded)
				assert.Equal(t, time.Duration(tt.recordings[i])*time.Millisecond, ended.Duration)
				assert.Equal(t, arn, ended.StageARN)
				assert.Equal(t, strings.Split(prefix, "/")[1], ended.SessionID)
				if i == 0 {
					assert.Equal(t, sess, ended.SessionID)
				}
				sess = ended.SessionID // a reconnect after the window may land in a new session
				assert.Equal(t, pid, ended.ParticipantID)
				started := w.metadata("rec-bucket", prefix, ivsrec.StatusStarted)
				assert.Equal(t, ended.StartedAt, started.StartedAt)
				assert.Contains(t, w.keys("rec-bucket", prefix), "media/hls/multivariant.m3u8")
				assert.Contains(t, w.keys("rec-bucket", prefix), "media/hls/high/playlist.m3u8")
			}
			p := w.participant(arn, sess, pid)
			assert.Equal(t, types.ParticipantRecordingStateStopped, p.RecordingState)
			assert.Equal(t, "rec-bucket", aws.ToString(p.RecordingS3BucketName))
			assert.Equal(t, prefixes[len(prefixes)-1], aws.ToString(p.RecordingS3Prefix))
			if !tt.leave {
				assert.Equal(t, sess, w.activeSession(arn), "a connected participant keeps the session")
				require.NoError(t, w.srv.Leave(arn, pid))
			}
			assert.Empty(t, w.activeSession(arn), "the session ends with its last recording")
		})
	}
}

func TestRecordingStates(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	arn := w.recordingStage("states-bucket", 30)
	pid := w.join(arn, "alice")
	sess := w.activeSession(arn)
	state := func() types.ParticipantRecordingState {
		return w.participant(arn, sess, pid).RecordingState
	}
	assert.Equal(t, types.ParticipantRecordingStateDisabled, state(), "not recorded before publishing")
	require.NoError(t, w.srv.Publish(arn, pid))
	assert.Equal(t, types.ParticipantRecordingStateStarting, state(), "at the publish instant")
	w.clock.Advance(time.Millisecond)
	assert.Equal(t, types.ParticipantRecordingStateActive, state(), "once the clock moved on")
	assert.Equal(t, []string{pid}, ids(w.participants(arn, sess, func(in *ivsrealtime.ListParticipantsInput) {
		in.FilterByRecordingState = types.ParticipantRecordingFilterByRecordingStateActive
	})))
	require.NoError(t, w.srv.Leave(arn, pid))
	assert.Equal(t, types.ParticipantRecordingStateStopping, state())
	assert.Equal(t, sess, w.activeSession(arn), "the session lasts while a recording is in progress")

	// UpdateStage of the recording configuration: 409 while STOPPING, accepted after the window.
	update := func() error {
		_, err := w.client.UpdateStage(t.Context(), &ivsrealtime.UpdateStageInput{
			Arn: aws.String(arn),
			AutoParticipantRecordingConfiguration: &types.AutoParticipantRecordingConfiguration{
				StorageConfigurationArn: aws.String(""),
			},
		})
		return err
	}
	w.clock.Advance(30 * time.Second)
	code, status := apiError(t, update())
	assert.Equal(t, "ConflictException", code)
	assert.Equal(t, http.StatusConflict, status)
	_, err := w.client.UpdateStage(t.Context(), &ivsrealtime.UpdateStageInput{Arn: aws.String(arn), Name: aws.String("renamed")})
	require.NoError(t, err, "a name-only update is not refused")
	w.clock.Advance(time.Millisecond)
	require.NoError(t, update())
	assert.Equal(t, types.ParticipantRecordingStateStopped, state())
	assert.Empty(t, w.activeSession(arn))
}

func TestRecordingOutputs(t *testing.T) {
	t.Parallel()
	thumbs := func(storage ...types.ThumbnailStorageType) func(*types.AutoParticipantRecordingConfiguration) {
		return func(c *types.AutoParticipantRecordingConfiguration) {
			c.ThumbnailConfiguration = &types.ParticipantThumbnailConfiguration{
				RecordingMode: types.ThumbnailRecordingModeInterval, TargetIntervalSeconds: aws.Int32(10), Storage: storage,
			}
		}
	}
	none := func(c *types.AutoParticipantRecordingConfiguration) {
		c.MediaTypes = []types.ParticipantRecordingMediaType{types.ParticipantRecordingMediaTypeNone}
	}
	hls := []string{"media/hls/high/0.mp4", "media/hls/high/1.mp4", "media/hls/high/2.mp4", "media/hls/high/3.mp4",
		"media/hls/high/4.mp4", "media/hls/high/init-0.mp4", "media/hls/high/playlist.m3u8", "media/hls/multivariant.m3u8"}
	events := []string{"events/recording-ended.json", "events/recording-started.json"}
	tests := []struct {
		name string
		edit []func(*types.AutoParticipantRecordingConfiguration)
		want []string
	}{
		{name: "defaults: HLS only", want: slices.Concat(events, hls)},
		{name: "NONE: no HLS", edit: []func(*types.AutoParticipantRecordingConfiguration){none}, want: events},
		{name: "NONE with sequential thumbnails", edit: []func(*types.AutoParticipantRecordingConfiguration){none, thumbs(types.ThumbnailStorageTypeSequential)},
			want: slices.Concat(events, []string{"media/thumbnails/high/1.jpg", "media/thumbnails/high/2.jpg", "media/thumbnails/high/3.jpg"})},
		{name: "latest thumbnail", edit: []func(*types.AutoParticipantRecordingConfiguration){thumbs(types.ThumbnailStorageTypeLatest)},
			want: slices.Concat(events, hls, []string{"media/latest_thumbnail/high/thumb.jpg"})},
		{name: "both thumbnails", edit: []func(*types.AutoParticipantRecordingConfiguration){thumbs(types.ThumbnailStorageTypeSequential, types.ThumbnailStorageTypeLatest)},
			want: slices.Concat(events, hls, []string{"media/latest_thumbnail/high/thumb.jpg",
				"media/thumbnails/high/1.jpg", "media/thumbnails/high/2.jpg", "media/thumbnails/high/3.jpg"})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			arn := w.recordingStage("out-bucket", 0, tt.edit...)
			pid := w.join(arn, "")
			require.NoError(t, w.srv.Publish(arn, pid))
			w.clock.Advance(25 * time.Second) // 5 segments (4 of 6 s, 1 of 1 s), 3 thumbnails at 10 s
			require.NoError(t, w.srv.Unpublish(arn, pid))
			evs := w.recordingEvents(pid)
			require.Len(t, evs, 2)
			want := slices.Clone(tt.want)
			sort.Strings(want)
			assert.Equal(t, want, w.keys("out-bucket", evs[0].Prefix))
			m := w.metadata("out-bucket", evs[0].Prefix, ivsrec.StatusEnded)
			assert.Equal(t, slices.Contains(tt.want, "media/hls/multivariant.m3u8"), m.Media.HLS != nil)
			assert.Equal(t, slices.Contains(tt.want, "media/thumbnails/high/1.jpg"), m.Media.Thumbnails != nil)
			assert.Equal(t, slices.Contains(tt.want, "media/latest_thumbnail/high/thumb.jpg"), m.Media.LatestThumbnail != nil)
			assert.Equal(t, float64(25000), evs[1].DurationMs)
		})
	}
}

func TestRecordingMergedPlaylist(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	arn := w.recordingStage("pl-bucket", 60)
	pid := w.join(arn, "")
	require.NoError(t, w.srv.Publish(arn, pid))
	w.clock.Advance(7 * time.Second)
	require.NoError(t, w.srv.Unpublish(arn, pid))
	w.clock.Advance(20 * time.Second)
	require.NoError(t, w.srv.Publish(arn, pid))
	w.clock.Advance(3 * time.Second)
	require.NoError(t, w.srv.Unpublish(arn, pid))
	w.clock.Advance(61 * time.Second)
	evs := w.recordingEvents(pid)
	require.Len(t, evs, 2)
	pl := string(w.srv.Objects("pl-bucket")[evs[0].Prefix+"/media/hls/high/playlist.m3u8"])
	assert.Equal(t, "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:6\n#EXT-X-PLAYLIST-TYPE:VOD\n"+
		"#EXT-X-MAP:URI=\"init-0.mp4\"\n#EXTINF:6.000,\n0.mp4\n#EXTINF:1.000,\n1.mp4\n"+
		"#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init-1.mp4\"\n#EXTINF:3.000,\n2.mp4\n#EXT-X-ENDLIST\n", pl)
	assert.Equal(t, float64(10000), evs[1].DurationMs)
}

func TestRecordingBucketMissing(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	arn := w.recordingStage("gone-bucket", 0)
	w.srv.SetBucketMissing("gone-bucket", true)
	pid := w.join(arn, "")
	sess := w.activeSession(arn)
	require.NoError(t, w.srv.Publish(arn, pid))
	evs := w.recordingEvents(pid)
	require.Len(t, evs, 1)
	assert.Equal(t, "Recording Start Failure", evs[0].Name)
	assert.Equal(t, "ResourceNotFoundException", evs[0].ErrorCode)
	reason := w.bus()[1].Detail["reason"]
	assert.Equal(t, "S3 bucket not found. Please verify your bucket exists.", reason)
	assert.Equal(t, types.ParticipantRecordingStateFailed, w.participant(arn, sess, pid).RecordingState)
	assert.Empty(t, w.srv.Objects("gone-bucket"))

	// The bucket is back: the next recording starts.
	w.srv.SetBucketMissing("gone-bucket", false)
	require.NoError(t, w.srv.Unpublish(arn, pid))
	require.NoError(t, w.srv.Publish(arn, pid))
	assert.Equal(t, "Recording Start", w.recordingEvents(pid)[1].Name)
	assert.NotEmpty(t, w.srv.Objects("gone-bucket"))
}

func TestRecordingDisabledStage(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	arn := w.stage(nil)
	pid := w.join(arn, "")
	require.NoError(t, w.srv.Publish(arn, pid))
	w.clock.Advance(time.Second)
	require.NoError(t, w.srv.Unpublish(arn, pid))
	assert.Empty(t, w.recordingEvents(pid))
	assert.Equal(t, types.ParticipantRecordingStateDisabled, w.participant(arn, w.activeSession(arn), pid).RecordingState)
}

func TestRecordingEventEnvelope(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	arn := w.recordingStage("env-bucket", 0)
	pid := w.join(arn, "u-1")
	sess := w.activeSession(arn)
	w.clock.Advance(1500 * time.Millisecond)
	require.NoError(t, w.srv.Publish(arn, pid))
	bus := w.bus()
	require.Len(t, bus, 2)
	for _, e := range bus {
		assert.Equal(t, "0", e.Version)
		assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, e.ID)
		assert.Equal(t, "aws.ivs", e.Source)
		assert.Equal(t, stagetest.AccountID, e.Account)
		assert.Equal(t, stagetest.Region, e.Region)
		assert.Equal(t, "2026-03-13T19:44:20Z", e.Time)
		assert.Equal(t, []string{arn}, e.Resources)
	}
	assert.Equal(t, stagetest.DetailTypeStageUpdate, bus[0].DetailType)
	assert.Equal(t, map[string]any{
		"session_id": sess, "event_name": "Participant Published", "event_time": "2026-03-13T19:44:20Z",
		"event_time_precise": "2026-03-13T19:44:20.500Z", "user_id": "u-1", "participant_id": pid,
	}, bus[0].Detail)
	assert.Equal(t, stagetest.DetailTypeRecordingState, bus[1].DetailType)
	assert.Equal(t, map[string]any{
		"session_id": sess, "event_name": "Recording Start", "participant_id": pid,
		"recording_s3_bucket_name": "env-bucket",
		"recording_s3_key_prefix":  strings.Join([]string{arn[strings.LastIndex(arn, "/")+1:], sess, pid, "2026-03-13T19-44-20Z"}, "/"),
	}, bus[1].Detail)
}

// TestParticipantWire checks GetParticipant's JSON as it goes over the wire for a recorded publisher.
func TestParticipantWire(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	arn := w.recordingStage("wire-bucket", 0)
	tok, pid := w.token(arn, "ana")
	_, err := w.srv.Join(arn, tok)
	require.NoError(t, err)
	sess := w.activeSession(arn)
	w.clock.Advance(250 * time.Millisecond)
	require.NoError(t, w.srv.Publish(arn, pid))
	w.clock.Advance(time.Second)
	r := post(t, w.srv, "GetParticipant", `{"stageArn": "`+arn+`", "sessionId": "`+sess+`", "participantId": "`+pid+`"}`)
	require.Equal(t, http.StatusOK, r.Status, "%v", r.Body)
	prefix := strings.Join([]string{arn[strings.LastIndex(arn, "/")+1:], sess, pid, "2026-03-13T19-44-19Z"}, "/")
	assert.Equal(t, map[string]any{
		"participantId": pid, "userId": "ana", "state": "CONNECTED", "firstJoinTime": "2026-03-13T19:44:19Z",
		"published": true, "recordingState": "ACTIVE", "replicationType": "NONE", "attributes": map[string]any{},
		"recordingS3BucketName": "wire-bucket", "recordingS3Prefix": prefix,
		"protocol": "WHIP", "ispName": stagetest.ParticipantISPName, "osName": stagetest.ParticipantOSName,
		"osVersion": stagetest.ParticipantOSVersion, "browserName": stagetest.ParticipantBrowserName,
		"browserVersion": stagetest.ParticipantBrowserVersion, "sdkVersion": stagetest.ParticipantSDKVersion,
	}, r.Body["participant"])

	r = post(t, w.srv, "ListParticipantEvents", `{"stageArn": "`+arn+`", "sessionId": "`+sess+`", "participantId": "`+pid+`"}`)
	require.Equal(t, http.StatusOK, r.Status, "%v", r.Body)
	assert.Equal(t, []any{
		map[string]any{"name": "JOINED", "participantId": pid, "eventTime": "2026-03-13T19:44:19Z", "replica": false},
		map[string]any{"name": "PUBLISH_STARTED", "participantId": pid, "eventTime": "2026-03-13T19:44:19.25Z", "replica": false},
	}, r.Body["events"])
	assert.NotContains(t, r.Body, "nextToken")
}

// Two recordings whose reconnect windows end at the same instant end in join order.
// Catches: settle's tie-break on the participants' sequence reversed.
func TestRecordingsEndingTogetherEndInJoinOrder(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	arn := w.recordingStage("tie-bucket", 10)
	var pids []string
	for _, u := range []string{"a", "b", "c"} {
		pid := w.join(arn, u)
		pids = append(pids, pid)
		require.NoError(t, w.srv.Publish(arn, pid))
	}
	w.join(arn, "keeps-the-session")
	w.clock.Advance(5 * time.Second)
	for _, pid := range pids {
		require.NoError(t, w.srv.Unpublish(arn, pid))
	}
	w.clock.Advance(11 * time.Second) // every window has passed; all three end at unpublish + 10 s
	var ends []string
	for _, n := range w.busNames() {
		if strings.HasPrefix(n, "Recording End ") {
			ends = append(ends, strings.TrimPrefix(n, "Recording End "))
		}
	}
	assert.Equal(t, pids, ends)
}

// The outputs of a recording: AUDIO_ONLY writes HLS like AUDIO_VIDEO; a recording of no length still has
// one segment and one thumbnail; the ended metadata carries the end time and the thumbnail paths where the
// thumbnails are. Catches: hls() true only for AUDIO_VIDEO; "at least one" dropped from the segment and
// thumbnail counts; recording_ended_at written from the start time; the wrong thumbnails path.
func TestRecordingOutputDetails(t *testing.T) {
	t.Parallel()
	const bucket = "detail-bucket"
	thumbs := func(c *types.AutoParticipantRecordingConfiguration) {
		c.ThumbnailConfiguration = &types.ParticipantThumbnailConfiguration{
			RecordingMode: types.ThumbnailRecordingModeInterval, TargetIntervalSeconds: aws.Int32(10),
			Storage: []types.ThumbnailStorageType{types.ThumbnailStorageTypeSequential, types.ThumbnailStorageTypeLatest},
		}
	}
	audioOnly := func(c *types.AutoParticipantRecordingConfiguration) {
		c.MediaTypes = []types.ParticipantRecordingMediaType{types.ParticipantRecordingMediaTypeAudioOnly}
	}
	tests := []struct {
		name       string
		edit       []func(*types.AutoParticipantRecordingConfiguration)
		publishFor time.Duration
		window     int32
		segments   []string // media segments of the rendition playlist, in order
		thumbnails int      // sequential thumbnails
	}{
		{"audio only", []func(*types.AutoParticipantRecordingConfiguration){audioOnly}, 7 * time.Second, 0, []string{"0.mp4", "1.mp4"}, 0},
		{"no length", []func(*types.AutoParticipantRecordingConfiguration){thumbs}, 0, 0, []string{"0.mp4"}, 1},
		{"with a reconnect window", []func(*types.AutoParticipantRecordingConfiguration){thumbs}, 12 * time.Second, 5, []string{"0.mp4", "1.mp4"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			arn := w.recordingStage(bucket, tt.window, tt.edit...)
			pid := w.join(arn, "")
			w.join(arn, "keeps-the-session")
			require.NoError(t, w.srv.Publish(arn, pid))
			w.clock.Advance(tt.publishFor)
			require.NoError(t, w.srv.Unpublish(arn, pid))
			stop := w.clock.Now()
			w.clock.Advance(time.Duration(tt.window)*time.Second + time.Second)
			evs := w.recordingEvents(pid)
			require.Len(t, evs, 2)
			require.Equal(t, "Recording End", evs[1].Name)
			loc := ivsrec.Location{Bucket: bucket, Prefix: evs[0].Prefix}
			objects := w.srv.Objects(bucket)

			m := w.metadata(bucket, loc.Prefix, ivsrec.StatusEnded)
			assert.Equal(t, t0, m.StartedAt)
			assert.Equal(t, stop.Add(time.Duration(tt.window)*time.Second), m.EndedAt, "ended at stop + window")
			require.NotNil(t, m.Media.HLS, "HLS is written for every media type but NONE")
			require.Contains(t, objects, m.Media.HLS.PlaylistKey(loc))
			keys := m.Media.HLS.RenditionPlaylistKeys(loc)
			require.Len(t, keys, 1)
			playlist := string(objects[keys[0]])
			var segments []string
			for line := range strings.SplitSeq(playlist, "\n") {
				if strings.HasSuffix(line, ".mp4") {
					segments = append(segments, line)
					assert.Contains(t, objects, loc.Prefix+"/media/hls/high/"+line)
				}
			}
			assert.Equal(t, tt.segments, segments, playlist)

			var seq []string
			for k := range objects {
				if strings.HasPrefix(k, loc.ThumbnailsPrefix()) {
					seq = append(seq, k)
				}
			}
			assert.Len(t, seq, tt.thumbnails)
			if tt.thumbnails == 0 {
				assert.Nil(t, m.Media.Thumbnails)
				assert.Nil(t, m.Media.LatestThumbnail)
				return
			}
			require.NotNil(t, m.Media.Thumbnails)
			require.NotNil(t, m.Media.LatestThumbnail)
			assert.Equal(t, []string{loc.ThumbnailsPrefix()}, m.Media.Thumbnails.RenditionPrefixes(loc), "the metadata points where the thumbnails are")
			assert.Equal(t, []string{loc.Prefix + "/media/latest_thumbnail/high/"}, m.Media.LatestThumbnail.RenditionPrefixes(loc))
			assert.Contains(t, objects, loc.LatestThumbnailKey())
		})
	}
}

// With a reconnect window of 1 s the recording is STOPPING at the unpublish and for exactly 1 s, STOPPED
// right after. Catches: a window of up to one second treated as no window.
func TestRecordingOneSecondWindow(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	arn := w.recordingStage("one-second", 1)
	pid := w.join(arn, "")
	w.join(arn, "keeps-the-session")
	sess := w.activeSession(arn)
	require.NoError(t, w.srv.Publish(arn, pid))
	w.clock.Advance(5 * time.Second)
	require.NoError(t, w.srv.Unpublish(arn, pid))
	state := func() types.ParticipantRecordingState { return w.participant(arn, sess, pid).RecordingState }
	assert.Equal(t, types.ParticipantRecordingStateStopping, state(), "at the unpublish")
	w.clock.Advance(time.Second)
	assert.Equal(t, types.ParticipantRecordingStateStopping, state(), "exactly the window later")
	w.clock.Advance(time.Millisecond)
	assert.Equal(t, types.ParticipantRecordingStateStopped, state(), "past the window")
	evs := w.recordingEvents(pid)
	require.Len(t, evs, 2)
	assert.Equal(t, t0.Add(6*time.Second).Format(time.RFC3339), evs[1].Time)
}
