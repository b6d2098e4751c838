package event_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage/event"
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
