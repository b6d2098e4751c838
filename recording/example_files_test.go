package recording_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// Post-processing a stage's recordings offline: stagetest plays a publisher and serves its bucket over the
// S3 protocol; Files lists the recordings with the official S3 client, waits for the end, and presigns the
// playlist. With AWS, build the client with s3.NewFromConfig(cfg) from your own aws.Config.
func ExampleFiles() {
	clock := stagetest.NewClock(time.Date(2026, time.January, 1, 12, 0, 0, 0, time.UTC))
	srv := stagetest.New(stagetest.WithClock(clock.Now))
	defer srv.Close() // stops the S3 listener
	ctx := context.Background()

	// A stage that records into my-recordings with a 30 s reconnect window, and alice publishing for 2 min.
	storageARN := srv.MustAddStorageConfiguration("my-recordings")
	st, tokens, err := stage.NewClientFromConfig(srv.Config()).Create(ctx, stage.New().
		WithRecording(recording.New(storageARN).WithReconnectWindow(30*time.Second)).
		WithParticipants(token.New().WithUserID("alice").WithCapabilities(token.Publish)))
	if err != nil {
		fmt.Println(err)
		return
	}
	pid, err := srv.Join(st.ARN, tokens[0].Value())
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = srv.Publish(st.ARN, pid)
	clock.Advance(2 * time.Minute)
	_ = srv.Leave(st.ARN, pid)
	clock.Advance(31 * time.Second) // the reconnect window has run out: Recording End

	client := s3.NewFromConfig(srv.S3Config(), func(o *s3.Options) { o.UsePathStyle = true })
	files := recording.NewFiles(client)
	for rec, err := range files.Recordings(ctx, "my-recordings", st.ID()+"/") {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("recording of alice:", rec.ParticipantID == pid, rec.Status, rec.Metadata.Duration)

		md, err := files.WaitFinal(ctx, rec.Location, recording.MinWaitFinalPoll) // already final: one poll
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("final:", md.Status, "ended", md.EndedAt.Format(time.TimeOnly))

		url, err := files.PlaylistURL(ctx, rec.Location, 5*time.Minute)
		if err != nil {
			fmt.Println(err)
			return
		}
		resp, err := http.Get(url)
		if err != nil {
			fmt.Println(err)
			return
		}
		line, _ := bufio.NewReader(resp.Body).ReadString('\n')
		resp.Body.Close()
		fmt.Printf("GET %s: %d %q\n", rec.Location.PlaylistKey()[len(rec.Location.Prefix)+1:], resp.StatusCode, line)
	}
	// Output:
	// recording of alice: true RECORDING_ENDED 2m0s
	// final: RECORDING_ENDED ended 12:02:30
	// GET media/hls/multivariant.m3u8: 200 "#EXTM3U\n"
}

// Before IVS writes recording-started.json, Metadata's error wraps ErrNoMetadata; other errors (no such
// bucket, access denied, a malformed file) do not.
func ExampleFiles_Metadata() {
	srv := stagetest.New()
	defer srv.Close()
	srv.MustAddStorageConfiguration("my-recordings")
	files := recording.NewFiles(s3.NewFromConfig(srv.S3Config(), func(o *s3.Options) { o.UsePathStyle = true }))

	loc := recording.Location{Bucket: "my-recordings", Prefix: "AbCdEf123456/st-AbCdEfGhIjKlM/participant1/2026-01-01T12-00-00Z"}
	_, err := files.Metadata(context.Background(), loc)
	fmt.Println(errors.Is(err, recording.ErrNoMetadata))
	fmt.Println(err)

	_, err = files.Metadata(context.Background(), recording.Location{Bucket: "my..recordings", Prefix: loc.Prefix})
	fmt.Println(err)
	// Output:
	// true
	// recording: reading s3://my-recordings/AbCdEf123456/st-AbCdEfGhIjKlM/participant1/2026-01-01T12-00-00Z/events/: no metadata file (recording-started.json, recording-ended.json or recording-failed.json)
	// recording: operation error S3: Metadata, 1 validation error(s) found.
	// - value "my..recordings" contains two adjacent periods ".." (S3 bucket naming rules), Metadata.Location.Bucket.
}
