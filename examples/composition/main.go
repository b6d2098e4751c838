// Command composition composes a stage into a grid recorded to S3, offline and deterministically, on the
// in-memory fake (stage/stagetest) and its clock:
//
//  1. a stage with a host and a guest who join and publish;
//  2. an encoder configuration (720p30) and a composition of the stage in a grid without gaps into S3
//     (stage/composition): STARTING, with the recording's prefix known at once;
//  3. the clock moves: ACTIVE; the composition is stopped after 20 seconds: STOPPED;
//  4. the "IVS Composition State Change" events, parsed with stage/event, and the files written under the
//     recording's prefix; five minutes later the composition is gone from Get.
//
// Nothing generated (ARNs, IDs) is printed, so every run prints the same.
//
//	go run ./examples/composition
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"

	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/composition"
	"github.com/ivsrt/ivsrt/stage/event"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// bucket is the bucket of the composite recording, on the fake.
const bucket = "ivsrt-composition-example"

// storyStart is when the story begins, on the fake's clock.
var storyStart = time.Date(2026, time.January, 1, 12, 0, 0, 0, time.UTC)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "composition:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer) error {
	clock := stagetest.NewClock(storyStart)
	srv := stagetest.New(stagetest.WithClock(clock.Now))
	defer srv.Close()
	stages := stage.NewClientFromConfig(srv.Config())
	comps := composition.NewClientFromConfig(srv.Config())

	fmt.Fprintln(w, "== 1. The stage")
	st, tokens, err := stages.Create(ctx, stage.New().WithName("ivsrt-composition").WithParticipants(
		token.New().WithUserID("host").WithCapabilities(token.Publish, token.Subscribe),
		token.New().WithUserID("guest").WithCapabilities(token.Publish, token.Subscribe)))
	if err != nil {
		return fmt.Errorf("creating the stage: %w", err)
	}
	for _, t := range tokens {
		id, err := srv.Join(st.ARN, t.Value())
		if err != nil {
			return fmt.Errorf("joining as %s: %w", t.UserID, err)
		}
		if err := srv.Publish(st.ARN, id); err != nil {
			return fmt.Errorf("publishing as %s: %w", t.UserID, err)
		}
		fmt.Fprintf(w, "%s joins and publishes\n", t.UserID)
	}

	fmt.Fprintln(w, "== 2. A grid composition into S3")
	enc, err := comps.CreateEncoder(ctx, composition.NewEncoder().WithName("grid-720p").WithVideo(1280, 720, 30, 2_500_000))
	if err != nil {
		return fmt.Errorf("creating the encoder configuration: %w", err)
	}
	storage := srv.MustAddStorageConfiguration(bucket)
	c, err := comps.Start(ctx, composition.New(st.ARN).
		WithLayout(composition.Grid().WithGridGap(0)).
		WithDestinations(composition.ToS3(storage).WithEncoders(enc.ARN).
			WithThumbnails(10*time.Second, recording.StorageLatest)).
		WithRequestKey("ivsrt-composition-example"))
	if err != nil {
		return fmt.Errorf("starting the composition: %w", err)
	}
	rec := c.Recordings()[0]
	rec.Bucket = bucket // the response names no bucket: it is the storage configuration's
	fmt.Fprintf(w, "composition %s, %d destination(s); recording under s3://%s/<prefix> (the prefix known at once: keep it)\n",
		c.State, len(c.Destinations), rec.Bucket)
	if sent := lastBody(srv, "StartComposition"); strings.Contains(sent, `"gridGap":0`) {
		fmt.Fprintln(w, `the request says "gridGap":0 (the official client alone would drop it)`)
	}

	fmt.Fprintln(w, "== 3. Over the clock")
	clock.Advance(time.Second)
	if c, err = comps.Get(ctx, c.ARN); err != nil {
		return err
	}
	fmt.Fprintf(w, "+1s: %s\n", c.State)
	clock.Advance(19 * time.Second)
	if err := comps.Stop(ctx, c.ARN); err != nil {
		return fmt.Errorf("stopping: %w", err)
	}
	clock.Advance(time.Second)
	if c, err = comps.Get(ctx, c.ARN); err != nil {
		return err
	}
	fmt.Fprintf(w, "+21s: %s after %s\n", c.State, c.End.Sub(c.Start))

	fmt.Fprintln(w, "== 4. Events and files")
	for _, raw := range srv.Events() {
		ev, err := event.Parse(raw)
		if err != nil {
			return fmt.Errorf("parsing an event: %w", err)
		}
		if e, ok := ev.(event.Composition); ok {
			dest := ""
			if e.DestinationID != "" {
				dest = " (the S3 destination)"
			}
			fmt.Fprintf(w, "event %s %s%s, stage matches: %t, composition matches: %t\n",
				e.Envelope.Time.Sub(storyStart), e.Name, dest, e.StageARN == st.ARN, e.CompositionARN == c.ARN)
		}
	}
	var keys []string
	for key := range srv.Objects(bucket) {
		if rest, ok := strings.CutPrefix(key, rec.Prefix+"/"); ok {
			keys = append(keys, rest)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "file <prefix>/%s\n", k)
	}
	clock.Advance(composition.CleanupDelay)
	_, err = comps.Get(ctx, c.ARN)
	var nf *types.ResourceNotFoundException
	fmt.Fprintf(w, "five minutes later, Get: not found: %t\n", errors.As(err, &nf))
	return nil
}

// lastBody returns the body of the last request of operation op.
func lastBody(srv *stagetest.Server, op string) string {
	reqs := srv.Requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		if reqs[i].Operation == op {
			return string(reqs[i].Body)
		}
	}
	return ""
}
