package event_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/event"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// A Recording End, as a Lambda function or an SQS consumer receives it, routed with a type switch.
func ExampleParse() {
	body := []byte(`{
	  "version": "0",
	  "id": "12345678-1a23-4567-a1bc-1a2b34567890",
	  "detail-type": "IVS Participant Recording State Change",
	  "source": "aws.ivs",
	  "account": "123456789012",
	  "time": "2024-03-13T22:19:04Z",
	  "region": "us-west-2",
	  "resources": ["arn:aws:ivs:us-west-2:123456789012:stage/AbCdef1G2hij"],
	  "detail": {
	    "session_id": "st-ZyXwvu1T2s",
	    "event_name": "Recording End",
	    "participant_id": "xYz1c2d3e4f",
	    "recording_s3_bucket_name": "my-recordings",
	    "recording_s3_key_prefix": "AbCdef1G2hij/st-ZyXwvu1T2s/xYz1c2d3e4f/2024-03-13T22-09-58Z",
	    "recording_duration_ms": 547327
	  }
	}`)

	ev, err := event.Parse(body)
	if err != nil {
		fmt.Println(err)
		return
	}
	switch e := ev.(type) {
	case event.Recording:
		fmt.Println(e.Name, "of participant", e.ParticipantID, "on", e.StageARN())
		fmt.Println("bucket:  ", e.Location.Bucket)
		fmt.Println("playlist:", e.Location.PlaylistKey())
		fmt.Println("duration:", e.Duration)
	case event.StageUpdate:
		fmt.Println(e.Name, e.ParticipantID, e.Time)
	case event.Unknown:
		fmt.Println("not decoded:", e.DetailType)
	}
	// Output:
	// Recording End of participant xYz1c2d3e4f on arn:aws:ivs:us-west-2:123456789012:stage/AbCdef1G2hij
	// bucket:   my-recordings
	// playlist: AbCdef1G2hij/st-ZyXwvu1T2s/xYz1c2d3e4f/2024-03-13T22-09-58Z/media/hls/multivariant.m3u8
	// duration: 9m7.327s
}

// A Stage Update: the time comes from event_time_precise when the event has it.
func ExampleParse_stageUpdate() {
	ev, err := event.Parse([]byte(`{"version":"0","id":"6a7e…","detail-type":"IVS Stage Update","source":"aws.ivs",
	  "account":"123456789012","time":"2025-11-18T16:40:33Z","region":"us-west-2",
	  "resources":["arn:aws:ivs:us-west-2:123456789012:stage/AbCdef1G2hij"],
	  "detail":{"session_id":"st-ZyXwvu1T2s","event_name":"Participant Published",
	    "event_time":"2025-11-18T16:40:32Z","event_time_precise":"2025-11-18T16:40:32.123Z",
	    "user_id":"host","participant_id":"xYz1c2d3e4f"}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	u := ev.(event.StageUpdate)
	fmt.Println(u.Name, "by", u.UserID, "at", u.Time.Format(time.RFC3339Nano), "replica:", u.Replica)
	// Output:
	// Participant Published by host at 2025-11-18T16:40:32.123Z replica: false
}

// What a malformed event gives: a *ParseError naming the member and the problem.
func ExampleParseError() {
	_, err := event.Parse([]byte(`{"id":"e1","source":"aws.ivs","detail-type":"IVS Participant Recording State Change",
	  "detail":{"event_name":"Recording End","recording_duration_ms":-5}}`))
	fmt.Println(err)

	_, err = event.Parse([]byte(`{"source":"aws.s3","detail-type":"Object Created"}`))
	fmt.Println(err)

	_, err = event.Parse([]byte(`{"id":"e1","ID":"e2","source":"aws.ivs","detail-type":"IVS Stage Update"}`))
	fmt.Println(err)

	_, err = event.Parse([]byte(`{"source":"aws.ivs","detail-type":"IVS Stage Update","detail":{"event_name":"Participant Published"}}`))
	var pe *event.ParseError
	fmt.Println(errors.As(err, &pe), pe.Field)
	// Output:
	// event: detail.recording_duration_ms: is negative (-5)
	// event: source: is "aws.s3", want "aws.ivs": not an IVS event
	// event: id: appears more than once (member names match ignoring case; this one is "ID")
	// true id
}

// Build an event for a test of a consumer: json.Marshal writes what the service sends.
func ExampleRecording_MarshalJSON() {
	data, err := json.Marshal(event.Recording{
		Envelope: event.Envelope{ID: "test-1", Account: "123456789012", Region: "us-east-1",
			Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Resources: []string{"arn:aws:ivs:us-east-1:123456789012:stage/abc"}},
		Name: event.RecordingStart, SessionID: "st-1", ParticipantID: "p1",
		Location: recording.Location{Bucket: "my-recordings", Prefix: "abc/st-1/p1/2026-01-02T03-04-05Z"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(data))
	ev, _ := event.Parse(data)
	fmt.Println(ev.(event.Recording).Name, ev.Header().StageARN())
	// Output:
	// {"version":"0","id":"test-1","detail-type":"IVS Participant Recording State Change","source":"aws.ivs","account":"123456789012","time":"2026-01-02T03:04:05Z","region":"us-east-1","resources":["arn:aws:ivs:us-east-1:123456789012:stage/abc"],"detail":{"session_id":"st-1","event_name":"Recording Start","participant_id":"p1","recording_s3_bucket_name":"my-recordings","recording_s3_key_prefix":"abc/st-1/p1/2026-01-02T03-04-05Z"}}
	// Recording Start arn:aws:ivs:us-east-1:123456789012:stage/abc
}

// The package's flow: events delivered as EventBridge does at its worst (stagetest's SQS queue, with
// duplicates and every group of three reordered) go through a Processor, which runs the handler once per
// event ID, and into a Tracker, which folds them by event time: the view is what happened, in the order it
// happened. Against AWS the messages come from the queue (or eventlambda.SQS runs the Processor in a
// Lambda function), and the Store is eventdb's for many consumers.
func Example() {
	clock := stagetest.NewClock(time.Date(2026, 5, 1, 18, 0, 0, 0, time.UTC))
	srv := stagetest.New(stagetest.WithClock(clock.Now), stagetest.WithEventDelivery(true, true))
	stages := stage.NewClientFromConfig(srv.Config())
	ctx := context.Background()
	st, tokens, err := stages.Create(ctx, stage.New().
		WithRecording(recording.New(srv.MustAddStorageConfiguration("my-recordings"))).
		WithParticipants(token.New().WithUserID("host")))
	if err != nil {
		fmt.Println(err)
		return
	}
	host := tokens[0].ParticipantID
	if _, err := srv.Join(st.ARN, tokens[0].Value()); err != nil {
		fmt.Println(err)
		return
	}
	for _, play := range []func(string, string) error{srv.Publish, srv.Unpublish, srv.Publish, srv.Leave} {
		if err := play(st.ARN, host); err != nil {
			fmt.Println(err)
			return
		}
		clock.Advance(10 * time.Minute)
	}

	tracker := event.NewTracker()
	p := event.NewProcessor(event.NewMemoryStore(), func(ctx context.Context, ev event.Event) error {
		tracker.Apply(ev) // a real handler would also act: transcode a recording that ended, …
		return nil
	})
	messages := srv.SQSMessages()
	handled, duplicates := 0, 0
	for _, msg := range messages {
		switch err := p.Process(ctx, []byte(msg.Body)); {
		case err == nil:
			handled++
		case errors.Is(err, event.ErrDuplicate):
			duplicates++
		default:
			fmt.Println(err)
			return
		}
	}
	fmt.Println("events:", len(srv.Events()), "deliveries:", len(messages), "handled:", handled, "duplicates skipped:", duplicates)

	v, ok := tracker.Participant(st.ARN, host)
	fmt.Println("tracked:", ok, v.UserID, "publishing:", v.Published, "recording:", v.Recording,
		"as of", v.Updated.Format(time.TimeOnly))
	fmt.Println("latest recording:", v.Location.Bucket, strings.HasSuffix(v.Location.Prefix, "2026-05-01T18-20-00Z"))
	// Output:
	// events: 8 deliveries: 11 handled: 8 duplicates skipped: 3
	// tracked: true host publishing: false recording: STOPPED as of 18:30:00
	// latest recording: my-recordings true
}
