// Command recordings tells the whole story of individual participant recording, with no AWS account:
//
//  1. a storage configuration (where recordings go) and a stage that records each publisher, with a 30 s
//     reconnect window;
//  2. two participants join with the tokens the stage's Create returned and publish; alice drops, comes back
//     20 s later (within the window) and publishes again; both leave;
//  3. changing the recording settings right then is refused with HTTP 409 (stage.IsRecordingActiveConflict),
//     because the recordings are still being finished;
//  4. the EventBridge events arrive and are parsed with event.Parse;
//  5. the stage's recordings are listed in S3 with recording.Files over the official S3 client (stagetest
//     serves its buckets on a local S3 listener): each one's newest metadata file, WaitFinal, the playlist
//     fetched with a plain HTTP GET of its presigned URL, the media playlists with GetObject; alice's two
//     publishes are ONE recording, at the prefix the Recording events name;
//  6. once recording is idle (stage.Client.WaitRecordingIdle) the reconnect window is changed by
//     read-modify-write (Get, Settings.Config().WithReconnectWindow, Update);
//  7. the stage and the storage configuration are deleted.
//
// By default it runs against the in-memory fake of package stage/stagetest, which plays the clients and the
// service on its own clock, so the output is the same on every run (apart from the generated IDs). With
// -live it does the API parts against AWS and says which parts need real publishers.
//
//	go run ./examples/recordings                                  # offline, the whole story
//	go run ./examples/recordings -live -bucket my-recordings       # real AWS: creates (and deletes) a storage configuration
//	go run ./examples/recordings -live -storage-configuration-arn arn:aws:ivs:…:storage-configuration/…  # reuses one
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"reflect"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/ivsrt/ivsrt/examples/internal/env"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

const (
	// fakeBucket is the bucket of the storage configuration created on the in-memory fake.
	fakeBucket = "ivsrt-recordings-example"
	// reconnectWindow is the stage's recordingReconnectWindowSeconds: a publisher who comes back within it
	// continues the same recording.
	reconnectWindow = 30 * time.Second
	// newReconnectWindow is what step 6 changes it to.
	newReconnectWindow = time.Minute
	// cleanupTimeout bounds the deletion of what the run created.
	cleanupTimeout = 30 * time.Second
)

// storyStart is when the offline story begins, on the fake's clock.
var storyStart = time.Date(2026, time.January, 1, 12, 0, 0, 0, time.UTC)

func main() {
	var flags env.Flags
	flags.Register(flag.CommandLine)
	var choice env.Storage
	choice.Register(flag.CommandLine)
	flag.Parse()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := start(ctx, os.Stdout, flags, choice); err != nil {
		fmt.Fprintln(os.Stderr, "recordings:", err)
		os.Exit(1)
	}
}

// start checks the flags and runs the story offline (on a stagetest server with its own clock) or live.
func start(ctx context.Context, w io.Writer, flags env.Flags, choice env.Storage) error {
	choice, err := choice.Resolve(flags.Live, fakeBucket)
	if err != nil {
		return err
	}
	if !flags.Live {
		sim := newSimulation(w)
		defer sim.srv.Close() // the S3 listener
		fmt.Fprintf(w, "running against the in-memory IVS Real-Time fake (stagetest) on its own clock, starting %s; pass -live for real AWS\n",
			storyStart.Format(time.DateTime))
		return run(ctx, w, sim.srv.Config(), choice, sim)
	}
	cfg, where, err := flags.Config(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, where)
	return run(ctx, w, cfg, choice, nil)
}

// run tells the story on cfg. sim plays the clients and shows the events and files offline; it is nil with
// -live, where those parts need real publishers, EventBridge and S3.
func run(ctx context.Context, w io.Writer, cfg aws.Config, choice env.Storage, sim *simulation) (err error) {
	stages := stage.NewClientFromConfig(cfg)
	storage := recording.NewClientFromConfig(cfg)

	section(w, "1. Where recordings go, and a stage that records each publisher")
	sc, err := storageConfiguration(ctx, w, storage, choice)
	if err != nil {
		return err
	}
	// Cleanup runs even when ctx is done (a failed or interrupted run), with its own time limit.
	cleanup, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	if choice.ARN == "" {
		// Deferred first, so it runs last: a storage configuration a stage records into cannot be deleted.
		defer func() {
			if derr := storage.DeleteStorage(cleanup, sc.ARN); derr != nil {
				err = errors.Join(err, fmt.Errorf("deleting the storage configuration: %w", derr))
			} else {
				fmt.Fprintf(w, "deleted storage configuration %s\n", sc.ID())
			}
		}()
	}

	// Record every publisher into sc (recording.New(sc.ARN)), merging the recordings of a publisher who
	// comes back within 30 s, with the latest thumbnail kept every 10 s.
	rec := sc.Recording().
		WithThumbnails(recording.ThumbnailsEvery(10*time.Second, recording.StorageLatest)).
		WithReconnectWindow(reconnectWindow)
	st, tokens, err := stages.Create(ctx, stage.New().
		WithName("ivsrt-recordings").
		WithRecording(rec).
		WithParticipants(
			token.New().WithUserID("alice").WithCapabilities(token.Publish, token.Subscribe),
			token.New().WithUserID("bob").WithCapabilities(token.Publish, token.Subscribe)))
	if err != nil {
		return fmt.Errorf("creating the stage: %w", err)
	}
	defer func() {
		if derr := stages.Delete(cleanup, st.ARN); derr != nil {
			err = errors.Join(err, fmt.Errorf("deleting the stage: %w", derr))
		} else {
			fmt.Fprintf(w, "deleted stage %s\n", st.ID())
		}
	}()
	fmt.Fprintf(w, "created stage %s (%s)\n", st.ID(), st.Name)
	fmt.Fprintf(w, "  recording: %s\n", describe(st.Recording))
	for _, t := range tokens {
		fmt.Fprintf(w, "  token for %s: participant %s, %v\n", t.UserID, t.ParticipantID, t.Capabilities)
	}

	if sim == nil {
		if err := explainLive(ctx, w, stages, st, sc); err != nil {
			return err
		}
	} else {
		if err := sim.play(ctx, stages, st, tokens); err != nil {
			return err
		}
	}

	section(w, "6. Changing the reconnect window once recording is idle")
	before, after, err := changeReconnectWindow(ctx, w, stages, st.ARN, newReconnectWindow)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "before:  %s\n", describe(before))
	fmt.Fprintf(w, "updated: %s\n", describe(after))
	if before.ReconnectWindow = after.ReconnectWindow; reflect.DeepEqual(before, after) {
		fmt.Fprintln(w, "only the reconnect window changed: Settings.Config() sent every other setting as it was")
	}

	section(w, "7. Cleaning up")
	return nil
}

// storageConfiguration creates the storage configuration on choice.Bucket, or reads the one choice.ARN names.
func storageConfiguration(ctx context.Context, w io.Writer, storage *recording.Client, choice env.Storage) (recording.StorageConfiguration, error) {
	if choice.ARN != "" {
		sc, err := storage.GetStorage(ctx, choice.ARN)
		if err != nil {
			return sc, fmt.Errorf("reading the storage configuration: %w", err)
		}
		fmt.Fprintf(w, "using storage configuration %s on bucket %s\n", sc.ID(), sc.BucketName)
		return sc, nil
	}
	sc, err := storage.CreateStorage(ctx, recording.NewStorage(choice.Bucket).WithName("ivsrt-recordings"))
	if err != nil {
		return sc, fmt.Errorf("creating the storage configuration: %w", err)
	}
	fmt.Fprintf(w, "created storage configuration %s on bucket %s\n", sc.ID(), sc.BucketName)
	return sc, nil
}

// changeReconnectWindow sets the stage's reconnect window and changes nothing else, the safe way: wait until
// no participant is being recorded, then read-modify-write (Get, Settings.Config, Update). A publisher may
// start being recorded between the wait and the update; the service then answers 409, and the loop waits
// again.
// It returns the recording settings before and after.
func changeReconnectWindow(ctx context.Context, w io.Writer, stages *stage.Client, arn string, window time.Duration) (before, after recording.Settings, err error) {
	for {
		if err := stages.WaitRecordingIdle(ctx, arn); err != nil {
			return before, after, fmt.Errorf("waiting for recording to be idle: %w", err)
		}
		fmt.Fprintln(w, "WaitRecordingIdle: nobody on the stage is being recorded")
		st, err := stages.Get(ctx, arn)
		if err != nil {
			return before, after, fmt.Errorf("reading the stage: %w", err)
		}
		got, err := stages.Update(ctx, arn, withReconnectWindow(st, window))
		if err == nil {
			return st.Recording, got.Recording, nil
		}
		if !stage.IsRecordingActiveConflict(err) {
			return before, after, fmt.Errorf("updating the reconnect window: %w", err)
		}
		fmt.Fprintln(w, "409: a publisher started being recorded since the wait; waiting again")
	}
}

// withReconnectWindow is the update that changes st's reconnect window and nothing else: Settings.Config
// gives the Config that sends exactly the settings the stage reported (UpdateStage replaces the whole
// recording configuration, so every other field must be sent as it is).
func withReconnectWindow(st stage.Stage, window time.Duration) stage.Update {
	return stage.NewUpdate().WithRecording(st.Recording.Config().WithReconnectWindow(window))
}

// explainLive is what -live does in place of the simulation: it says which parts need real clients, and
// shows what the API knows.
func explainLive(ctx context.Context, w io.Writer, stages *stage.Client, st stage.Stage, sc recording.StorageConfiguration) error {
	section(w, "2-5. Publishing, events and files need real publishers")
	fmt.Fprintf(w, `This program does not join or publish: real clients do, with the IVS broadcast SDK (web, iOS, Android),
each with one of the tokens above, on the stage's endpoint %s.
Each publisher is then recorded to s3://%s/%s/<session_id>/<participant_id>/<timestamp>/.
The events arrive on Amazon EventBridge, not here. A rule with the event pattern
  {"source":["aws.ivs"],"detail-type":["IVS Participant Recording State Change"],"resources":["%s"]}
sends them to a Lambda function or an SQS queue, which hands each one to event.Parse; a Recording End
event's Location names the recording. recording.NewFiles(s3.NewFromConfig(cfg)) then reads it from S3
(s3:ListBucket and s3:GetObject on the bucket): Recordings lists the stage's recordings with their
metadata, WaitFinal waits for the end, PlaylistURL presigns the playlist for a player.
`, st.Endpoints.WHIP, sc.BucketName, st.ID(), st.ARN)
	n := 0
	for s, err := range stages.Sessions(ctx, st.ARN) {
		if err != nil {
			return fmt.Errorf("listing the stage's sessions: %w", err)
		}
		n++
		fmt.Fprintf(w, "session %s started %s (active %t)\n", s.ID, s.Start.Format(time.DateTime), s.Active())
	}
	fmt.Fprintf(w, "the stage has had %d sessions so far (a session starts when the first participant joins)\n", n)
	return nil
}

// describe is one line about a stage's recording settings.
func describe(s recording.Settings) string {
	if !s.Enabled {
		return "off"
	}
	return fmt.Sprintf("on, media %s, thumbnails %s every %s %v, HLS segments %s, reconnect window %s",
		s.MediaType, s.ThumbnailMode, s.ThumbnailInterval, s.ThumbnailStorage, s.HLSSegmentDuration, s.ReconnectWindow)
}

// section prints a heading.
func section(w io.Writer, title string) {
	fmt.Fprintf(w, "\n== %s ==\n", title)
}

// newSimulation returns the offline world: a stagetest server on a clock that starts at storyStart. Its S3
// listener starts when step 5 reads the bucket; sim.srv.Close stops it.
func newSimulation(w io.Writer) *simulation {
	clock := stagetest.NewClock(storyStart)
	return &simulation{w: w, clock: clock, srv: stagetest.New(stagetest.WithClock(clock.Now))}
}
