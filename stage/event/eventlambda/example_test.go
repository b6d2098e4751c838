package eventlambda_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/ivsrt/ivsrt/stage/event"
	"github.com/ivsrt/ivsrt/stage/event/eventlambda"
)

// A Lambda function fed by the SQS queue an EventBridge rule targets: the handler runs once per event ID
// (with eventdb.New in place of the memory store, across every instance of the function). Not run: it
// starts the Lambda runtime.
func ExampleSQS() {
	p := event.NewProcessor(event.NewMemoryStore(), func(ctx context.Context, ev event.Event) error {
		if rec, ok := ev.(event.Recording); ok && rec.Name == event.RecordingEnd {
			slog.InfoContext(ctx, "recording ready", "playlist", rec.Location.PlaylistKey())
		}
		return nil
	})
	lambda.Start(eventlambda.SQS(p))
}

// A batch as Lambda delivers it from SQS: an event, its duplicate, and a message that is not an event.
// Only failures to retry are reported, and there are none: the duplicate is skipped, the malformed
// message logged and dropped.
func ExampleSQSWithLogger() {
	body := `{"version":"0","id":"7f2c1e9a","detail-type":"IVS Stage Update","source":"aws.ivs",
	  "account":"123456789012","time":"2026-03-13T19:44:19Z","region":"us-east-1",
	  "resources":["arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij"],
	  "detail":{"session_id":"st-1","event_name":"Participant Published","participant_id":"p1","user_id":"host"}}`
	p := event.NewProcessor(event.NewMemoryStore(), func(_ context.Context, ev event.Event) error {
		u := ev.(event.StageUpdate)
		fmt.Println("handled:", u.Name, "by", u.UserID)
		return nil
	})
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr { // no time, for a stable output
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	resp, err := eventlambda.SQSWithLogger(p, logger)(context.Background(), events.SQSEvent{Records: []events.SQSMessage{
		{MessageId: "m-1", Body: body},
		{MessageId: "m-2", Body: body},
		{MessageId: "m-3", Body: "not JSON"},
	}})
	fmt.Println("failures:", len(resp.BatchItemFailures), "error:", err)
	// Output:
	// handled: Participant Published by host
	// level=ERROR msg="eventlambda: dropping a message that is not an IVS event (it would never parse)" message_id=m-3 error="event: the input is not JSON: invalid character 'o' in literal null (expecting 'u')"
	// failures: 0 error: <nil>
}
