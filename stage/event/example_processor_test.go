package event_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ivsrt/ivsrt/stage/event"
)

// recordingEndJSON is a Recording End as EventBridge delivers it.
const recordingEndJSON = `{"version":"0","id":"7f2c1e9a-3b4d-4e5f-8a6b-9c0d1e2f3a4b",
  "detail-type":"IVS Participant Recording State Change","source":"aws.ivs","account":"123456789012",
  "time":"2026-03-13T19:46:20Z","region":"us-east-1","resources":["arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij"],
  "detail":{"session_id":"st-1","event_name":"Recording End","participant_id":"p1",
    "recording_s3_bucket_name":"my-recordings","recording_s3_key_prefix":"AbCdef1G2hij/st-1/p1/2026-03-13T19-44-20Z",
    "recording_duration_ms":120000}}`

// One event delivered three times (EventBridge delivers at least once): the handler fails the first time,
// so the second delivery runs it again; once it has succeeded, the third is a duplicate.
func ExampleProcessor() {
	runs := 0
	handle := func(ctx context.Context, ev event.Event) error {
		rec, ok := ev.(event.Recording)
		if !ok || rec.Name != event.RecordingEnd {
			return nil
		}
		runs++
		if runs == 1 {
			return errors.New("transcoder busy")
		}
		fmt.Println("transcoding", rec.Location.PlaylistKey())
		return nil
	}
	p := event.NewProcessor(event.NewMemoryStore(), handle, event.WithTTL(48*time.Hour))

	for delivery := 1; delivery <= 3; delivery++ {
		err := p.Process(context.Background(), []byte(recordingEndJSON))
		switch {
		case err == nil:
			fmt.Printf("delivery %d: done\n", delivery)
		case errors.Is(err, event.ErrDuplicate):
			fmt.Printf("delivery %d: duplicate, skipped\n", delivery)
		case errors.Is(err, event.ErrInProgress):
			fmt.Printf("delivery %d: another consumer has it, retry later\n", delivery)
		default:
			fmt.Printf("delivery %d: %v\n", delivery, err)
		}
	}
	// Output:
	// delivery 1: event: the handler of event ID "7f2c1e9a-3b4d-4e5f-8a6b-9c0d1e2f3a4b" failed (the claim is released: the next delivery runs it again): transcoder busy
	// transcoding AbCdef1G2hij/st-1/p1/2026-03-13T19-44-20Z/media/hls/multivariant.m3u8
	// delivery 2: done
	// delivery 3: duplicate, skipped
}

// Events applied newest first, one of them twice, give the view of the order they happened in.
func ExampleTracker() {
	stageARN := "arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij"
	at := func(s int) time.Time { return time.Date(2026, 3, 13, 19, 44, s, 0, time.UTC) }
	envelope := func(id string, s int) event.Envelope {
		return event.Envelope{ID: id, Source: event.Source, Time: at(s), Resources: []string{stageARN}}
	}
	published := event.StageUpdate{Envelope: envelope("e1", 1), Name: event.ParticipantPublished,
		SessionID: "st-1", ParticipantID: "p1", UserID: "host", Time: at(1)}
	started := event.Recording{Envelope: envelope("e2", 2), Name: event.RecordingStart, SessionID: "st-1", ParticipantID: "p1"}
	unpublished := event.StageUpdate{Envelope: envelope("e3", 30), Name: event.ParticipantUnpublished,
		SessionID: "st-1", ParticipantID: "p1", UserID: "host", Time: at(30)}

	tr := event.NewTracker()
	for _, ev := range []event.Event{unpublished, started, published, unpublished} {
		tr.Apply(ev)
	}
	v, ok := tr.Participant(stageARN, "p1")
	fmt.Println(ok, v.UserID, "published:", v.Published, "recording:", v.Recording, "updated:", v.Updated.Format(time.TimeOnly))
	// Output:
	// true host published: false recording: ACTIVE updated: 19:44:30
}
