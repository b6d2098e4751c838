package event_test

import (
	"bytes"
	"context"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/event"
)

// idBodies returns a func that gives the guide's Recording End with a new ID at each call (the same
// bytes but for the ID's digits, rewritten in place), for both sides of BenchmarkProcess alike.
func idBodies(b *testing.B) func() []byte {
	const placeholder = "00000000-0000-4000-8000-000000000000"
	body := bytes.Replace(example(b, "recording-end.json"), []byte("12345678-1a23-4567-a1bc-1a2b34567890"), []byte(placeholder), 1)
	at := bytes.Index(body, []byte(placeholder))
	require.GreaterOrEqual(b, at, 0)
	n := uint64(0)
	return func() []byte {
		n++
		digits := strconv.AppendUint(nil, n, 10)
		copy(body[at+len(placeholder)-len(digits):], digits)
		return body
	}
}

// BenchmarkProcess compares Processor.Process on the memory store (parse, claim, handler, done) with Parse
// and the same handler alone (the goal: at most 1.3 times the time), each event with a new ID:
//
//	go test -run '^$' -bench BenchmarkProcess -count 10 -benchtime 200ms ./stage/event | tee process.txt
//	benchstat -col /impl process.txt
func BenchmarkProcess(b *testing.B) {
	handle := func(_ context.Context, ev event.Event) error {
		if _, ok := ev.(event.Recording); !ok {
			b.Fatalf("got %T", ev)
		}
		return nil
	}
	b.Run("impl=parse+handler", func(b *testing.B) {
		next := idBodies(b)
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			ev, err := event.Parse(next())
			if err != nil {
				b.Fatal(err)
			}
			if err := handle(ctx, ev); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=processor", func(b *testing.B) {
		next := idBodies(b)
		ctx := context.Background()
		p := event.NewProcessor(event.NewMemoryStore(), handle)
		b.ReportAllocs()
		for b.Loop() {
			if err := p.Process(ctx, next()); err != nil {
				b.Fatal(err)
			}
		}
	})
}
