package faulttest_test

import (
	"context"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/token"
)

// A CreateMany of 200 tokens canceled midway returns promptly with what it made: every created token in
// its input slot, the zero Token in every other slot, one *IndexError (context.Canceled) per slot not
// created, and no request sent after the cancellation but those already in flight. Every bound is counted
// from events (progress, the cancellation, the rate limit over the measured time), never from a guess of how
// fast the machine runs.
func TestCreateManyCanceledMidway(t *testing.T) {
	t.Parallel()
	const n = 200
	tests := []struct {
		name        string
		limit       []token.ManyOption
		concurrency int
		cancelAt    int           // cancel from the progress callback once this many requests completed
		timer       time.Duration // or cancel this long after the first request completed
		minCreated  int
	}{
		// At 20 tokens a second the batch would need 10 s.
		{name: "rate limited, canceled from progress after 10", limit: []token.ManyOption{token.WithRate(20, 1)},
			concurrency: token.DefaultConcurrency, cancelAt: 10, minCreated: 10},
		// The timer starts once the first token is made (an event), so the verdict does not depend on how
		// long the machine takes to get there; what the timer then cuts short varies, and the checks allow it.
		{name: "rate limited, canceled by a timer", limit: []token.ManyOption{token.WithRate(20, 1)},
			concurrency: token.DefaultConcurrency, timer: 300 * time.Millisecond, minCreated: 1},
		{name: "waiting for a free slot, canceled from progress after 10", limit: []token.ManyOption{noLimit},
			concurrency: 2, cancelAt: 10, minCreated: 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, _ := newSettledEnv(nil) // requests in flight at the cancellation: see settledTransport
			arn := e.createStage(t, "big")
			before := e.srv.RequestCount()

			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			var canceledAt atomic.Int64
			cancelNow := func() {
				canceledAt.CompareAndSwap(0, time.Now().UnixNano())
				cancel()
			}
			var timer atomic.Pointer[time.Timer]
			defer func() {
				if tm := timer.Load(); tm != nil {
					tm.Stop()
				}
			}()
			var maxDone atomic.Int64
			opts := append(slices.Clone(tt.limit), token.WithConcurrency(tt.concurrency),
				token.WithProgress(func(done, _ int) {
					maxDone.Store(int64(done))
					if done == tt.cancelAt {
						cancelNow()
					}
					if done == 1 && tt.timer > 0 {
						timer.Store(time.AfterFunc(tt.timer, cancelNow))
					}
				}))

			start := time.Now()
			toks, err := e.tokens.CreateMany(ctx, arn, userConfigs(n), opts...)
			returned := time.Now()

			require.Error(t, err)
			require.ErrorIs(t, err, context.Canceled)
			require.NotZero(t, canceledAt.Load(), "the context was canceled during the batch")
			require.Less(t, returned.Sub(time.Unix(0, canceledAt.Load())), promptly, "returns promptly once canceled")
			require.Len(t, toks, n, "one slot per config")

			created := map[int]bool{}
			for i, tok := range toks {
				if tok.IsZero() {
					continue
				}
				created[i] = true
				assert.Equal(t, userID(i), tok.UserID, "slot %d holds its own token", i)
				assert.NotEmpty(t, tok.Value(), "slot %d", i)
			}
			assert.GreaterOrEqual(t, len(created), tt.minCreated, "tokens made before the cancellation are kept")
			if tt.cancelAt > 0 {
				assert.LessOrEqual(t, len(created), tt.cancelAt+tt.concurrency,
					"the batch stopped: after the cancellation only the requests in flight completed")
			} else {
				// Canceled by a timer: however long the machine took to get there, the batch's limiter (20/s
				// from a burst of 1) bounds what it let go before the cancellation; nothing goes after it.
				elapsed := time.Unix(0, canceledAt.Load()).Sub(start)
				assert.LessOrEqual(t, len(created), 2+int(20*elapsed.Seconds()), "the batch kept to its rate and stopped")
			}

			ies := token.IndexErrors(err)
			var failed []int
			for _, ie := range ies {
				failed = append(failed, ie.Index)
				assert.ErrorIs(t, ie.Err, context.Canceled, "slot %d", ie.Index)
				assert.False(t, created[ie.Index], "slot %d is both created and failed", ie.Index)
			}
			var notCreated []int
			for i := range n {
				if !created[i] {
					notCreated = append(notCreated, i)
				}
			}
			assert.Equal(t, notCreated, failed, "IndexErrors names every slot not created, in order")

			// On the wire: a request per created token, plus at most the requests in flight when the
			// context ended (their outcome is the SDK's); nothing retried, nothing sent twice.
			reqs := e.requests(opCreateToken, before)
			assert.GreaterOrEqual(t, len(reqs), len(created))
			assert.LessOrEqual(t, len(reqs), len(created)+tt.concurrency)
			seen := map[string]bool{}
			for _, r := range reqs {
				id := userIDOf(r)
				assert.False(t, seen[id], "%s requested twice", id)
				seen[id] = true
				assert.Equal(t, 1, attempt(r))
			}
			for i := range created {
				assert.True(t, seen[userID(i)], "created token %d was requested", i)
			}
			// Progress counts completed requests only: the created ones and those in flight, never the ones
			// that were not sent.
			done := int(maxDone.Load())
			assert.GreaterOrEqual(t, done, len(created))
			assert.LessOrEqual(t, done, len(created)+tt.concurrency)
		})
	}
}
