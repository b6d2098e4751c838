package faulttest_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// ending is one way a call's context ends: its deadline passes, or it is canceled. make returns the
// context for the call, a function that ends it now, and one that tells when it was ended.
type ending struct {
	name      string
	want, not error
	make      func(t *testing.T) (ctx context.Context, end func(), endedAt func() time.Time)
}

var (
	// deadlinePasses ends the context as a passed deadline does, on the test's event (expiringContext).
	deadlinePasses = ending{name: "deadline", want: context.DeadlineExceeded, not: context.Canceled,
		make: func(t *testing.T) (context.Context, func(), func() time.Time) {
			ctx := newExpiringContext(t.Context())
			return ctx, ctx.expire, ctx.endedAt
		}}
	// canceled ends the context with its cancel function.
	canceled = ending{name: "cancel", want: context.Canceled, not: context.DeadlineExceeded,
		make: func(t *testing.T) (context.Context, func(), func() time.Time) {
			ctx, cancel := context.WithCancel(t.Context())
			t.Cleanup(cancel)
			var (
				mu sync.Mutex
				at time.Time
			)
			end := func() {
				mu.Lock()
				if at.IsZero() {
					at = time.Now()
				}
				mu.Unlock()
				cancel()
			}
			endedAt := func() time.Time {
				mu.Lock()
				defer mu.Unlock()
				return at
			}
			return ctx, end, endedAt
		}}

	// endings are both ways a context ends.
	endings = []ending{deadlinePasses, canceled}
)

// scenario calls one method once under one kind of context end and checks what reached the server; it
// returns when the context ended and the call's error.
type scenario struct {
	name string
	run  func(t *testing.T, m method, en ending) (endedAt time.Time, err error)
}

// endedBeforeTheCall: the context has ended before the call starts. Nothing is sent.
var endedBeforeTheCall = scenario{"before the call", func(t *testing.T, m method, en ending) (time.Time, error) {
	e, rt := newSettledEnv(nil)
	f := m.setup(t, e)
	before := e.srv.RequestCount()
	rt.arm("", nil)
	ctx, end, endedAt := en.make(t)
	end()
	res, err := m.call(ctx, e, f)
	assertZeroResult(t, m.name, res)
	assert.Zero(t, rt.sentOf(m.op), "nothing sent once the context has ended")
	assert.Empty(t, e.requests(m.op, before))
	return endedAt(), err
}}

// endedWhileTheServerHangs: the server never answers m's first request; the context ends as that request
// arrives. The call returns with the context's error after that one attempt, and the request never
// reached the fake, so nothing changed there.
var endedWhileTheServerHangs = scenario{"while the server hangs", func(t *testing.T, m method, en ending) (time.Time, error) {
	e, rt := newSettledEnv(nil)
	f := m.setup(t, e)
	before := e.srv.RequestCount()
	ctx, end, endedAt := en.make(t)
	rt.arm(m.op, func(op string, n int) {
		if op == m.op && n == 1 {
			end()
		}
	})
	res, err := m.call(ctx, e, f)
	assertZeroResult(t, m.name, res)
	assert.Equal(t, 1, rt.sentOf(m.op), "one attempt: an ended context is not retried")
	assert.Empty(t, e.requests(m.op, before), "the request never reached the server")
	return endedAt(), err
}}

// endOnAttempt is the attempt of a throttled call on whose arrival endedWhileThrottled ends the context.
const endOnAttempt = 3

// endedWhileThrottled: the server throttles every request of m.op (and the retryer has attempts to
// spare, so the context and not the attempt limit ends the call); the context ends as the third attempt
// arrives. The first two reached the server and were retried; the third did not reach it, and no fourth
// was made.
var endedWhileThrottled = scenario{"while the server throttles every attempt", func(t *testing.T, m method, en ending) (time.Time, error) {
	e, rt := newSettledEnv([]stagetest.Option{stagetest.WithRateLimit(m.op, 0, 0)}, maxAttempts(1_000_000))
	f := m.setup(t, e)
	before := e.srv.RequestCount()
	ctx, end, endedAt := en.make(t)
	rt.arm("", func(op string, n int) {
		if op == m.op && n == endOnAttempt {
			end()
		}
	})
	res, err := m.call(ctx, e, f)
	assertZeroResult(t, m.name, res)
	var maxAttemptsErr *retry.MaxAttemptsError
	assert.False(t, errors.As(err, &maxAttemptsErr), "the context, not the attempt limit, ended the call: %v", err)
	assert.Equal(t, endOnAttempt, rt.sentOf(m.op), "no attempt after the context ended")
	reqs := e.requests(m.op, before)
	assert.Equal(t, []int{1, 2}, attempts(reqs), "throttled attempts were retried until the context ended")
	for _, r := range reqs {
		assert.Equal(t, reqs[0].JSON(), r.JSON(), "every attempt sends the same input")
	}
	return endedAt(), err
}}

// checkEnded checks the error of a call whose context ended with en: it wraps en.want (for CreateMany, in
// the slot's *IndexError) and not the other ending's error, and the call returned promptly.
func checkEnded(t *testing.T, m method, en ending, endedAt time.Time, err error) {
	t.Helper()
	returned := time.Now()
	require.ErrorIs(t, err, en.want)
	assert.NotErrorIs(t, err, en.not)
	require.False(t, endedAt.IsZero(), "the context was ended")
	assert.Less(t, returned.Sub(endedAt), promptly, "returns promptly once the context has ended")
	if strings.HasPrefix(m.name, "stage.WaitRecordingIdle") {
		// A *stage.WaitError naming the stage, wrapping ctx.Err() itself.
		var we *stage.WaitError
		if assert.ErrorAs(t, err, &we) {
			assert.Equal(t, en.want, we.Err, "wraps ctx.Err() itself")
			assert.Equal(t, we, err, "the error returned, not wrapped further")
			assert.True(t, strings.HasPrefix(err.Error(), "stage: WaitRecordingIdle "+we.StageARN+": "+en.want.Error()), err.Error())
		}
	}
	if m.name == "token.CreateMany" {
		ies := token.IndexErrors(err)
		require.Len(t, ies, 1)
		assert.Equal(t, 0, ies[0].Index)
		assert.ErrorIs(t, ies[0].Err, en.want)
	}
}

// Every method of the three clients honours its context's deadline: whether it has already passed, passes
// while the server throttles every attempt, or passes while the server does not answer. The error wraps
// context.DeadlineExceeded (for an iterator, the first error yielded), the call returns promptly and
// sends nothing after the deadline. Two scenarios use real deadlines (one already passed, one a short
// timeout against a server that never answers, whose checks hold however slow the machine is); the others
// let the deadline pass on an event, so that their exact request counts do not depend on timing.
func TestDeadlineHonouredByEveryMethod(t *testing.T) {
	t.Parallel()
	scenarios := []scenario{
		{"already passed", func(t *testing.T, m method, _ ending) (time.Time, error) {
			e, rt := newSettledEnv(nil)
			f := m.setup(t, e)
			before := e.srv.RequestCount()
			rt.arm("", nil)
			due := time.Now().Add(-time.Second)
			ctx, cancel := context.WithDeadline(t.Context(), due)
			defer cancel()
			res, err := m.call(ctx, e, f)
			assertZeroResult(t, m.name, res)
			assert.Zero(t, rt.sentOf(m.op), "nothing sent once the deadline has passed")
			assert.Empty(t, e.requests(m.op, before))
			return due, err
		}},
		{"a real timeout while the server hangs", func(t *testing.T, m method, _ ending) (time.Time, error) {
			e, rt := newSettledEnv(nil)
			f := m.setup(t, e)
			before := e.srv.RequestCount()
			rt.arm(m.op, nil)
			ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
			defer cancel()
			due, _ := ctx.Deadline()
			res, err := m.call(ctx, e, f)
			assertZeroResult(t, m.name, res)
			// A very slow machine may pass the deadline before the request is made: at most one attempt.
			assert.LessOrEqual(t, rt.sentOf(m.op), 1, "a deadline is not retried")
			assert.Empty(t, e.requests(m.op, before), "the request never reached the server")
			return due, err
		}},
		endedWhileThrottled,
		endedWhileTheServerHangs,
	}
	for _, sc := range scenarios {
		for _, m := range methods {
			t.Run(sc.name+"/"+m.name, func(t *testing.T) {
				t.Parallel()
				endedAt, err := sc.run(t, m, deadlinePasses)
				checkEnded(t, m, deadlinePasses, endedAt, err)
			})
		}
	}
}

// Every method of the three clients honours the cancellation of its context: canceled before the call,
// while the server throttles every attempt, or while the server does not answer. The error wraps
// context.Canceled (for an iterator, the first error yielded), the call returns promptly and sends
// nothing after the cancellation. Each cancellation happens on an event (a request arriving), never after
// a duration.
func TestCancellationHonouredByEveryMethod(t *testing.T) {
	t.Parallel()
	for _, sc := range []scenario{endedBeforeTheCall, endedWhileThrottled, endedWhileTheServerHangs} {
		for _, m := range methods {
			t.Run(sc.name+"/"+m.name, func(t *testing.T) {
				t.Parallel()
				endedAt, err := sc.run(t, m, canceled)
				checkEnded(t, m, canceled, endedAt, err)
			})
		}
	}
}
