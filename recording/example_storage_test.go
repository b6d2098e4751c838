package recording_test

import (
	"context"
	"fmt"
	"time"

	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage/stagetest"
)

// A bucket name the IVS model allows but S3 refuses is a validation error, before anything is sent.
func ExampleStorage_Validate() {
	err := recording.NewStorage("my..recordings-s3alias").WithName("main").Validate()
	fmt.Println(err)
	// Output:
	// 2 validation error(s) found.
	// - value "my..recordings-s3alias" contains two adjacent periods ".." (S3 bucket naming rules), CreateStorageConfigurationInput.S3.BucketName.
	// - value "my..recordings-s3alias" ends with the reserved suffix "-s3alias" (S3 bucket naming rules), CreateStorageConfigurationInput.S3.BucketName.
}

// The life of a storage configuration, against stagetest (use recording.NewClientFromConfig(cfg) with your
// aws.Config for the real service).
func ExampleClient() {
	srv := stagetest.New()
	c := recording.NewClientFromConfig(srv.Config())
	ctx := context.Background()

	sc, err := c.CreateStorage(ctx, recording.NewStorage("my-recordings").WithName("main").WithTag("team", "media"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("created:", sc.Name, sc.BucketName, sc.Tags, len(sc.ID()), "character ID")

	// Record a stage into it: pass this Config to stage.Config.WithRecording.
	cfg := sc.Recording().WithReconnectWindow(time.Minute)
	fmt.Println("recording into it:", cfg.Effective().StorageConfigurationARN == sc.ARN)

	got, err := c.GetStorage(ctx, sc.ARN)
	fmt.Println("get:", got.BucketName, err)

	for s, err := range c.ListStorage(ctx, recording.WithPageSize(10)) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("listed:", s.Name, s.BucketName)
	}

	fmt.Println("delete:", c.DeleteStorage(ctx, sc.ARN))
	_, err = c.GetStorage(ctx, sc.ARN)
	fmt.Println("get after delete fails:", err != nil)
	// Output:
	// created: main my-recordings map[team:media] 12 character ID
	// recording into it: true
	// get: my-recordings <nil>
	// listed: main my-recordings
	// delete: <nil>
	// get after delete fails: true
}

// Read-modify-write: turn what a stage reports into the Config that sends it, change one field, and send
// the result (stage.Update.WithRecording): every other field stays as it was.
func ExampleSettings_Config() {
	// What GetStage reported (stage.Stage.Recording); here built for the example.
	current := recording.New("arn:aws:ivs:us-east-1:123456789012:storage-configuration/AbCdEf123456").
		WithMediaType(recording.MediaAudioOnly).
		WithThumbnails(recording.ThumbnailsEvery(30*time.Second, recording.StorageLatest)).
		Effective()

	cfg := current.Config().WithReconnectWindow(2 * time.Minute)
	next := cfg.Effective()
	fmt.Println("media:", next.MediaType)
	fmt.Println("thumbnails:", next.ThumbnailMode, next.ThumbnailInterval, next.ThumbnailStorage)
	fmt.Println("reconnect window:", current.ReconnectWindow, "→", next.ReconnectWindow)

	fmt.Println("recording off:", recording.Disabled().Effective().Config())
	// Output:
	// media: AUDIO_ONLY
	// thumbnails: INTERVAL 30s [LATEST]
	// reconnect window: 0s → 2m0s
	// recording off: recording.Disabled()
}

// Read the metadata file IVS writes when a recording ends (the user guide's example), and find its files.
func ExampleParseMetadata() {
	data := []byte(`{"version":"v1","stage_arn":"arn:aws:ivs:us-west-2:123456789012:stage/AbCdef1G2hij",
	 "session_id":"st-ZyXwvu1T2s","participant_id":"xYz1c2d3e4f",
	 "recording_started_at":"2024-03-13T19:44:19Z","recording_ended_at":"2024-03-13T19:55:04Z",
	 "recording_status":"RECORDING_ENDED",
	 "media":{"hls":{"duration_ms":645237,"path":"media/hls","playlist":"multivariant.m3u8",
	                 "renditions":[{"path":"high","playlist":"playlist.m3u8"}]},
	          "thumbnails":{"path":"media/thumbnails","renditions":[{"path":"high"}]},
	          "latest_thumbnail":{"path":"media/latest_thumbnail","renditions":[{"path":"high"}]}}}`)
	m, err := recording.ParseMetadata(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Status, m.ParticipantID)
	fmt.Println("started:", m.StartedAt)
	fmt.Println("ended:", m.EndedAt)
	fmt.Println("duration:", m.Duration)

	// The prefix comes from the Recording End event or GetParticipant (stage package).
	loc := recording.Location{Bucket: "my-recordings", Prefix: "AbCdef1G2hij/st-ZyXwvu1T2s/xYz1c2d3e4f/2024-03-13T19-44-19Z"}
	fmt.Println(m.Media.HLS.PlaylistKey(loc))
	fmt.Println(m.Media.HLS.RenditionPlaylistKeys(loc))

	_, err = recording.ParseMetadata([]byte(`{"recording_status":"RECORDING_ENDED","media":{"hls":{"duration_ms":"645237"}}}`))
	fmt.Println(err)
	// Output:
	// RECORDING_ENDED xYz1c2d3e4f
	// started: 2024-03-13 19:44:19 +0000 UTC
	// ended: 2024-03-13 19:55:04 +0000 UTC
	// duration: 10m45.237s
	// AbCdef1G2hij/st-ZyXwvu1T2s/xYz1c2d3e4f/2024-03-13T19-44-19Z/media/hls/multivariant.m3u8
	// [AbCdef1G2hij/st-ZyXwvu1T2s/xYz1c2d3e4f/2024-03-13T19-44-19Z/media/hls/high/playlist.m3u8]
	// recording: metadata: media.hls.duration_ms: want an integer, got string
}

// Where one recording's files are in S3.
func ExampleLocation() {
	loc := recording.Location{Bucket: "my-recordings", Prefix: "AbCdef1G2hij/st-ZyXwvu1T2s/xYz1c2d3e4f/2024-03-13T19-44-19Z"}
	fmt.Println(loc.URI())
	fmt.Println(loc.PlaylistKey())
	fmt.Println(loc.MetadataKey(recording.StatusEnded))
	fmt.Println(loc.ThumbnailsPrefix())
	fmt.Println(loc.LatestThumbnailKey())
	// Output:
	// s3://my-recordings/AbCdef1G2hij/st-ZyXwvu1T2s/xYz1c2d3e4f/2024-03-13T19-44-19Z/
	// AbCdef1G2hij/st-ZyXwvu1T2s/xYz1c2d3e4f/2024-03-13T19-44-19Z/media/hls/multivariant.m3u8
	// AbCdef1G2hij/st-ZyXwvu1T2s/xYz1c2d3e4f/2024-03-13T19-44-19Z/events/recording-ended.json
	// AbCdef1G2hij/st-ZyXwvu1T2s/xYz1c2d3e4f/2024-03-13T19-44-19Z/media/thumbnails/high/
	// AbCdef1G2hij/st-ZyXwvu1T2s/xYz1c2d3e4f/2024-03-13T19-44-19Z/media/latest_thumbnail/high/thumb.jpg
}

// A Location that would not name the recording's own objects gives no keys, and Validate says why.
func ExampleLocation_Validate() {
	loc := recording.Location{Bucket: "my-recordings", Prefix: "AbCdef1G2hij/../other-stage"}
	fmt.Println(loc.Validate())
	fmt.Printf("%q\n", loc.PlaylistKey())
	// Output:
	// recording: location: Prefix "AbCdef1G2hij/../other-stage" has a ".." segment
	// ""
}
