package eventlambda_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/ivsrt/ivsrt/stage/event"
	"github.com/ivsrt/ivsrt/stage/event/eventlambda"
)

// BenchmarkSQS reports the events per second SQS(p) gets through (events/s): batches of ten messages of
// new events, a Processor on the memory store, a handler that does nothing. Half the batches also carry
// each message twice (impl=duplicates: every other delivery is a skipped duplicate).
//
//	go test -run '^$' -bench BenchmarkSQS -count 10 -benchtime 200ms ./stage/event/eventlambda | tee sqs.txt
//	benchstat -col /impl sqs.txt
func BenchmarkSQS(b *testing.B) {
	for _, copies := range []int{1, 2} {
		name := "impl=unique"
		if copies == 2 {
			name = "impl=duplicates"
		}
		b.Run(name, func(b *testing.B) {
			p := event.NewProcessor(event.NewMemoryStore(), func(context.Context, event.Event) error { return nil })
			consume := eventlambda.SQSWithLogger(p, slog.New(slog.NewTextHandler(io.Discard, nil)))
			ctx := context.Background()
			n := 0
			batch := func() events.SQSEvent {
				var ev events.SQSEvent
				for len(ev.Records) < 10 {
					n++
					body := published(b, fmt.Sprint("bench-", n))
					for c := range copies {
						ev.Records = append(ev.Records, events.SQSMessage{MessageId: fmt.Sprint(n, "-", c), Body: body})
					}
				}
				return ev
			}
			b.ReportAllocs()
			messages := 0
			for b.Loop() {
				b.StopTimer()
				ev := batch()
				b.StartTimer()
				resp, err := consume(ctx, ev)
				if err != nil || len(resp.BatchItemFailures) > 0 {
					b.Fatal(err, resp.BatchItemFailures)
				}
				messages += len(ev.Records)
			}
			b.ReportMetric(float64(messages)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
