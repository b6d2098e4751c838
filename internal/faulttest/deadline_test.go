package faulttest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// Every method of both clients honours its context's deadline: whether it has already passed, passes while
// the server throttles every attempt (with attempts to spare, so the deadline and not the retryer ends the
// call), or passes while the server is slow to answer. The error wraps context.DeadlineExceeded (for List,
// the first error yielded) and the call returns promptly.
func TestDeadlineHonouredByEveryMethod(t *testing.T) {
	t.Parallel()
	const deadline = 150 * time.Millisecond
	scenarios := []struct {
		name string
		// run sets up the environment, calls m once and returns when the deadline was and the error.
		run func(t *testing.T, m method) (due time.Time, err error)
	}{
		{"already passed", func(t *testing.T, m method) (time.Time, error) {
			e := newEnv(nil)
			f := m.setup(t, e)
			before := e.srv.RequestCount()
			due := time.Now().Add(-time.Second)
			ctx, cancel := context.WithDeadline(t.Context(), due)
			defer cancel()
			res, err := m.call(ctx, e, f)
			assertZeroResult(t, m.name, res)
			assert.Empty(t, e.requests(m.op, before), "nothing sent once the deadline has passed")
			return due, err
		}},
		{"server throttles every attempt", func(t *testing.T, m method) (time.Time, error) {
			// Enough attempts that the retryer would go on for minutes at stagetest's 1 ms backoff.
			e, _ := newSettledEnv([]stagetest.Option{stagetest.WithRateLimit(m.op, 0, 0)}, maxAttempts(1_000_000))
			f := m.setup(t, e)
			before := e.srv.RequestCount()
			ctx, cancel := context.WithTimeout(t.Context(), deadline)
			defer cancel()
			due, _ := ctx.Deadline()
			res, err := m.call(ctx, e, f)
			assertZeroResult(t, m.name, res)
			var maxAttemptsErr *retry.MaxAttemptsError
			assert.False(t, errors.As(err, &maxAttemptsErr), "the deadline, not the attempt limit, ended the call: %v", err)
			reqs := e.requests(m.op, before)
			assert.Greater(t, len(reqs), 1, "throttled attempts were retried until the deadline")
			for i, a := range attempts(reqs) {
				assert.Equal(t, i+1, a)
			}
			return due, err
		}},
		{"server answers too late", func(t *testing.T, m method) (time.Time, error) {
			e, rt := newSettledEnv(nil)
			f := m.setup(t, e)
			before, sentBefore := e.srv.RequestCount(), rt.sent.Load()
			rt.setLatency(time.Minute)
			ctx, cancel := context.WithTimeout(t.Context(), deadline)
			defer cancel()
			due, _ := ctx.Deadline()
			res, err := m.call(ctx, e, f)
			assertZeroResult(t, m.name, res)
			assert.EqualValues(t, 1, rt.sent.Load()-sentBefore, "one attempt: a deadline is not retried")
			assert.Empty(t, e.requests(m.op, before), "the request never reached the server")
			return due, err
		}},
	}
	for _, sc := range scenarios {
		for _, m := range methods {
			t.Run(sc.name+"/"+m.name, func(t *testing.T) {
				t.Parallel()
				due, err := sc.run(t, m)
				returned := time.Now()
				require.ErrorIs(t, err, context.DeadlineExceeded)
				assert.NotErrorIs(t, err, context.Canceled)
				assert.Less(t, returned.Sub(due), promptly, "returns promptly after the deadline")
				if m.name == "token.CreateMany" {
					ies := token.IndexErrors(err)
					require.Len(t, ies, 1)
					assert.Equal(t, 0, ies[0].Index)
					assert.ErrorIs(t, ies[0].Err, context.DeadlineExceeded)
				}
			})
		}
	}
}
