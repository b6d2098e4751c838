// Command events runs the events of a recorded stage through a production consumer, offline and
// deterministically:
//
//  1. a stage in the in-memory fake (stage/stagetest) records each publisher; a host and a guest join and
//     publish, the guest drops and publishes again (a second recording), both leave, on the fake's clock;
//  2. EventBridge delivers the events to an SQS queue at its worst: duplicated (one event in every three
//     twice) and out of order (stagetest.WithEventDelivery);
//  3. a Lambda function (eventlambda.SQS) consumes the queue in batches: an event.Processor on a memory
//     store runs the handler once per event ID, whatever the duplicates; the handler fails once (a busy
//     transcoder), the message is a batch item failure, and its redelivery runs it again;
//  4. the handler feeds an event.Tracker, whose views are the same as if the events had come once and in
//     order; ListParticipants (stage.Client.Participants) confirms them, as events alone cannot.
//
// Only the generated IDs (stage, session, participants, events) change from run to run.
//
//	go run ./examples/events
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/event"
	"github.com/ivsrt/ivsrt/stage/event/eventlambda"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

const (
	// bucket is the bucket of the stage's storage configuration, on the fake.
	bucket = "ivsrt-events-example"
	// batchSize is the SQS event source mapping's batch size.
	batchSize = 5
	// maxBatches bounds the consumer's loop: every message is settled well before.
	maxBatches = 20
)

// storyStart is when the story begins, on the fake's clock.
var storyStart = time.Date(2026, time.January, 1, 12, 0, 0, 0, time.UTC)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "events:", err)
		os.Exit(1)
	}
}

// world is the offline world of the story: the fake service on its clock, the stage and its people.
type world struct {
	w      io.Writer
	clock  *stagetest.Clock
	srv    *stagetest.Server
	stages *stage.Client
	stage  stage.Stage
	names  map[string]string // participant ID → user ID
	tokens map[string]token.Token
}

// newWorld returns the fake on its clock at storyStart, delivering as EventBridge at its worst, printing to w.
func newWorld(w io.Writer) *world {
	clock := stagetest.NewClock(storyStart)
	srv := stagetest.New(stagetest.WithClock(clock.Now), stagetest.WithEventDelivery(true, true))
	return &world{w: w, clock: clock, srv: srv, stages: stage.NewClientFromConfig(srv.Config()),
		names: map[string]string{}, tokens: map[string]token.Token{}}
}

func run(ctx context.Context, w io.Writer) error { return newWorld(w).run(ctx) }

// run tells the story.
func (wd *world) run(ctx context.Context) error {
	w, srv := wd.w, wd.srv

	section(w, "1. On the stage (stagetest plays the clients and the service)")
	st, tokens, err := wd.stages.Create(ctx, stage.New().
		WithName("ivsrt-events").
		WithRecording(recording.New(srv.MustAddStorageConfiguration(bucket))).
		WithParticipants(
			token.New().WithUserID("host").WithCapabilities(token.Publish, token.Subscribe),
			token.New().WithUserID("guest").WithCapabilities(token.Publish, token.Subscribe)))
	if err != nil {
		return fmt.Errorf("creating the stage: %w", err)
	}
	wd.stage = st
	for _, t := range tokens {
		wd.names[t.ParticipantID] = t.UserID
		wd.tokens[t.UserID] = t
	}
	fmt.Fprintf(w, "stage %s records each publisher into s3://%s\n", st.ID(), bucket)
	if err := wd.play(); err != nil {
		return err
	}

	section(w, "2. EventBridge delivers to SQS: duplicated and out of order")
	sent, msgs := srv.Events(), srv.SQSMessages()
	fmt.Fprintf(w, "%d events sent; the queue holds %d messages (%d duplicates), each group of three reordered\n",
		len(sent), len(msgs), len(msgs)-len(sent))

	section(w, "3. A Lambda function consumes the queue (eventlambda.SQS, batches of 5)")
	tracker, stats, err := wd.consume(ctx, msgs)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%d messages consumed in %d batches: %d handler runs for %d events (%d failed once and ran again), %d duplicates skipped\n",
		stats.consumed, stats.batches, stats.runs, len(sent), stats.failed, stats.consumed-stats.runs)

	section(w, "4. What the events tell (event.Tracker), and what the API confirms")
	return wd.report(ctx, tracker)
}

// play runs the story's timeline on the fake's clock.
func (wd *world) play() error {
	host, guest := wd.tokens["host"], wd.tokens["guest"]
	timeline := []struct {
		at   time.Duration
		what string
		do   func() error
	}{
		{0, "host joins and publishes", func() error { return wd.joinAndPublish(host) }},
		{5 * time.Second, "guest joins and publishes", func() error { return wd.joinAndPublish(guest) }},
		{20 * time.Second, "guest stops publishing", func() error { return wd.srv.Unpublish(wd.stage.ARN, guest.ParticipantID) }},
		{25 * time.Second, "guest publishes again (a new recording: the reconnect window is 0)", func() error {
			return wd.srv.Publish(wd.stage.ARN, guest.ParticipantID)
		}},
		{60 * time.Second, "host leaves", func() error { return wd.srv.Leave(wd.stage.ARN, host.ParticipantID) }},
		{70 * time.Second, "guest leaves", func() error { return wd.srv.Leave(wd.stage.ARN, guest.ParticipantID) }},
	}
	for _, step := range timeline {
		wd.clock.Advance(storyStart.Add(step.at).Sub(wd.clock.Now()))
		if err := step.do(); err != nil {
			return fmt.Errorf("%s: %w", step.what, err)
		}
		fmt.Fprintf(wd.w, "%s  %s\n", clock(wd.clock.Now()), step.what)
	}
	wd.clock.Advance(time.Second) // the recordings end
	return nil
}

func (wd *world) joinAndPublish(t token.Token) error {
	id, err := wd.srv.Join(wd.stage.ARN, t.Value())
	if err != nil {
		return err
	}
	return wd.srv.Publish(wd.stage.ARN, id)
}

// stats counts what the consumer did.
type stats struct {
	batches, consumed, redelivered int // batches, messages consumed (redeliveries included), redeliveries
	runs, failed                   int // handler runs, runs that failed
}

// consume plays Lambda's SQS event source mapping: batches of batchSize messages to the function, and the
// batch item failures back to the end of the queue (redelivered once their visibility timeout ends).
func (wd *world) consume(ctx context.Context, queue []events.SQSMessage) (*event.Tracker, stats, error) {
	var st stats
	tracker := event.NewTracker()
	busy := true // the transcoder is busy the first time a recording ends
	handle := func(ctx context.Context, ev event.Event) error {
		st.runs++
		line := fmt.Sprintf("  run %2d  %s  %-23s %s", st.runs, clock(when(ev)), name(ev), wd.names[participant(ev)])
		if rec, ok := ev.(event.Recording); ok && rec.Name == event.RecordingEnd {
			if busy {
				busy = false
				st.failed++
				fmt.Fprintln(wd.w, line+": the transcoder is busy, failing")
				return fmt.Errorf("transcoder busy")
			}
			line += ": transcoding " + rec.Location.PlaylistKey()
		}
		fmt.Fprintln(wd.w, line)
		tracker.Apply(ev)
		return nil
	}
	p := event.NewProcessor(event.NewMemoryStore(), handle, event.WithClock(wd.clock.Now))
	consume := eventlambda.SQSWithLogger(p, logger(wd.w))

	seen := map[string]bool{}
	for len(queue) > 0 {
		if st.batches == maxBatches {
			return nil, st, fmt.Errorf("%d messages still in the queue after %d batches", len(queue), maxBatches)
		}
		batch := queue[:min(batchSize, len(queue))]
		queue = queue[len(batch):]
		st.batches++
		ids := make([]string, len(batch))
		for i, m := range batch {
			ids[i] = short(m.MessageId)
			if seen[m.MessageId] {
				st.redelivered++
			}
			seen[m.MessageId] = true
		}
		fmt.Fprintf(wd.w, "batch %d: %s\n", st.batches, strings.Join(ids, " "))
		resp, err := consume(ctx, events.SQSEvent{Records: batch})
		if err != nil {
			return nil, st, err
		}
		st.consumed += len(batch)
		for _, f := range resp.BatchItemFailures {
			fmt.Fprintf(wd.w, "  batch item failure %s: back to the queue\n", short(f.ItemIdentifier))
			for _, m := range batch {
				if m.MessageId == f.ItemIdentifier {
					queue = append(queue, m)
				}
			}
		}
	}
	return tracker, st, nil
}

// report prints each participant's view, and what ListParticipants says of the session.
func (wd *world) report(ctx context.Context, tracker *event.Tracker) error {
	views := tracker.Participants()
	slices.SortFunc(views, func(a, b event.ParticipantView) int { return strings.Compare(a.UserID, b.UserID) })
	for _, v := range views {
		fmt.Fprintf(wd.w, "%-5s published %-5t recording %-7s updated %s  %s\n",
			v.UserID, v.Published, v.Recording, clock(v.Updated), v.Location.URI())
	}
	if len(views) == 0 {
		return fmt.Errorf("the events told nothing")
	}
	fmt.Fprintln(wd.w, "(joins and leaves are not EventBridge events: the views cannot say who is still connected)")
	fmt.Fprintf(wd.w, "ListParticipants of session %s (its published means \"ever published in the session\"):\n", views[0].SessionID)
	for p, err := range wd.stages.Participants(ctx, wd.stage.ARN, views[0].SessionID) {
		if err != nil {
			return fmt.Errorf("listing the participants: %w", err)
		}
		fmt.Fprintf(wd.w, "%-5s %-12s published %-5t recording %s\n", p.UserID, p.State, p.Published, p.Recording)
	}
	return nil
}

// logger logs what eventlambda reports at Info and above to w, without times.
func logger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}))
}

// when is an event's time: a Stage Update's event_time_precise, else the envelope's.
func when(ev event.Event) time.Time {
	if u, ok := ev.(event.StageUpdate); ok && !u.Time.IsZero() {
		return u.Time
	}
	return ev.Header().Time
}

func name(ev event.Event) string {
	switch e := ev.(type) {
	case event.StageUpdate:
		return string(e.Name)
	case event.Recording:
		return string(e.Name)
	}
	return ev.Header().DetailType
}

func participant(ev event.Event) string {
	switch e := ev.(type) {
	case event.StageUpdate:
		return e.ParticipantID
	case event.Recording:
		return e.ParticipantID
	}
	return ""
}

// short is the first group of a message ID.
func short(id string) string {
	if i := strings.IndexByte(id, '-'); i > 0 {
		return id[:i]
	}
	return id
}

func section(w io.Writer, title string) { fmt.Fprintf(w, "\n== %s ==\n", title) }

func clock(t time.Time) string { return t.UTC().Format("15:04:05.000") }
