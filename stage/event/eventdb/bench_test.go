package eventdb_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/event"
	"github.com/ivsrt/ivsrt/stage/event/eventdb"
)

var benchRuns atomic.Int64

// BenchmarkRequestsPerEvent reports the DynamoDB requests one event costs through a Processor on eventdb
// (requests/event: a first delivery, 2; a duplicate, 2 on dynalite, which does not return the old item on a
// failed condition, 1 on DynamoDB), against the server IVSRT_DYNAMODB_ENDPOINT names (skipped without one).
// The time per event is the server's round trips, dynalite's here:
//
//	IVSRT_DYNAMODB_ENDPOINT=http://127.0.0.1:8000 go test -run '^$' -bench RequestsPerEvent -benchtime 200ms ./stage/event/eventdb
func BenchmarkRequestsPerEvent(b *testing.B) {
	client, calls := dynamo(b)
	table := newTable(b, client)
	p := event.NewProcessor(eventdb.New(client, table), func(context.Context, event.Event) error { return nil })
	bodies := map[string]func(i int) []byte{
		// IDs unique to each run of the sub-benchmark (-count reruns it on the same table).
		"first":     func(i int) []byte { return recordingEnd(b, fmt.Sprintf("first-%d-%d", benchRuns.Load(), i)) },
		"duplicate": func(int) []byte { return recordingEnd(b, "dup") },
	}
	require.NoError(b, p.Process(b.Context(), recordingEnd(b, "dup")))
	for _, delivery := range []string{"first", "duplicate"} {
		b.Run("delivery="+delivery, func(b *testing.B) {
			benchRuns.Add(1)
			calls.Reset()
			n := 0
			for b.Loop() {
				err := p.Process(b.Context(), bodies[delivery](n))
				if delivery == "first" && err != nil || delivery == "duplicate" && err == nil {
					b.Fatalf("delivery %d: %v", n, err)
				}
				n++
			}
			b.ReportMetric(float64(len(calls.Calls()))/float64(n), "requests/event")
		})
	}
}
