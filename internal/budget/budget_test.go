package budget_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/smithy-go/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/ivsrt/ivsrt/internal/budget"
	"github.com/ivsrt/ivsrt/internal/svc"
	"github.com/ivsrt/ivsrt/internal/testutil"
)

// day is a refill period no test waits for: a limiter at rate.Every(day) lets its burst go and then
// nothing more, so what it lets through is decided by counting, not by time.
const day = 24 * time.Hour

const stageARN = "arn:aws:ivs:us-east-1:123456789012:stage/abcdEFGH1234"

// hourCtx is a context whose deadline is an hour away: a wait for a limiter at rate.Every(day) is past it,
// and fails at once.
func hourCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Hour)
	t.Cleanup(cancel)
	return ctx
}

// drained returns a limiter at rate.Every(day) whose burst of n is spent.
func drained(n int) *rate.Limiter {
	l := rate.NewLimiter(rate.Every(day), n)
	l.AllowN(time.Now(), n)
	return l
}

func TestNew(t *testing.T) {
	t.Parallel()
	b := budget.New("x", map[string]rate.Limit{"GetStage": 5, "TagResource": 10})
	for op, want := range map[string]rate.Limit{"GetStage": 5, "TagResource": 10} {
		l := b.Limiter(op)
		require.NotNil(t, l, op)
		assert.Equal(t, want, l.Limit(), op)
		assert.Equal(t, 1, l.Burst(), "burst 1: never two at once")
	}
	assert.NotSame(t, b.Limiter("GetStage"), budget.New("x", map[string]rate.Limit{"GetStage": 5}).Limiter("GetStage"),
		"each New makes limiters of its own")
	assert.Nil(t, b.Limiter("DeleteStage"), "an operation without a rate is not paced")
	assert.NoError(t, b.Wait(hourCtx(t), "DeleteStage"))
	assert.NoError(t, budget.Budget{}.Wait(hourCtx(t), "GetStage"), "the zero Budget paces nothing")
}

func TestWithSharesAndNeverWritesTheOriginal(t *testing.T) {
	t.Parallel()
	b := budget.New("x", map[string]rate.Limit{"GetStage": 5, "DeleteStage": 5})
	get, del := b.Limiter("GetStage"), b.Limiter("DeleteStage")
	mine := rate.NewLimiter(1, 1)

	w := b.With("DeleteStage", mine)
	assert.Same(t, mine, w.Limiter("DeleteStage"), "With replaces the operation's limiter")
	assert.Same(t, get, w.Limiter("GetStage"), "and shares the others")
	assert.Same(t, del, b.Limiter("DeleteStage"), "the original is unchanged")

	n := w.With("GetStage", nil).With("ListStages", mine)
	assert.Nil(t, n.Limiter("GetStage"), "nil: not paced")
	assert.Same(t, mine, n.Limiter("ListStages"), "an operation New had no rate for")
	assert.Same(t, get, w.Limiter("GetStage"), "nor is a Budget derived in between written to")
	assert.Nil(t, b.Limiter("ListStages"))
	assert.Same(t, mine, budget.Budget{}.With("GetStage", mine).Limiter("GetStage"), "the zero Budget too")

	// Calls derived with WithOptions and WithLimiter share in the same way.
	c := budget.NewCalls(svc.Base(), b)
	assert.Same(t, get, c.WithOptions(func(*ivsrealtime.Options) {}).Limiter("GetStage"))
	cw := c.WithLimiter("GetStage", mine)
	assert.Same(t, mine, cw.Limiter("GetStage"))
	assert.Same(t, del, cw.Limiter("DeleteStage"))
	assert.Same(t, get, c.Limiter("GetStage"))
}

// Unpaced turns off the limiters New made, and only those; restore turns them on again. Not parallel:
// Unpaced is process-wide.
func TestUnpaced(t *testing.T) {
	b := budget.New("x", map[string]rate.Limit{"GetStage": rate.Every(day), "DeleteStage": rate.Every(day)})
	b.Limiter("GetStage").Allow() // its burst of 1 spent
	b.Limiter("DeleteStage").Allow()
	b = b.With("DeleteStage", drained(1))
	assert.ErrorIs(t, b.Wait(hourCtx(t), "GetStage"), context.DeadlineExceeded, "paced before")

	restore := budget.Unpaced()
	assert.NoError(t, b.Wait(hourCtx(t), "GetStage"), "New's limiter paces nothing")
	assert.ErrorIs(t, b.Wait(hourCtx(t), "DeleteStage"), context.DeadlineExceeded, "a limiter given to With still paces")
	restore()

	assert.ErrorIs(t, b.Wait(hourCtx(t), "GetStage"), context.DeadlineExceeded, "paced again after restore")
}

// client returns a real SDK client on mock with maxAttempts attempts, whose calls pass c's options and
// count the attempts the retryer makes (a middleware right after Retry, before the pacing).
func client(mock *testutil.Mock, maxAttempts int, c budget.Calls) (*ivsrealtime.Client, []func(*ivsrealtime.Options), *atomic.Int32) {
	cfg := mock.Config()
	cfg.Retryer = testutil.StandardRetryer(maxAttempts)
	attempts := new(atomic.Int32)
	count := func(o *ivsrealtime.Options) {
		o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
			return s.Finalize.Insert(middleware.FinalizeMiddlewareFunc("count", func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
				attempts.Add(1)
				return next.HandleFinalize(ctx, in)
			}), "Retry", middleware.After)
		})
	}
	return ivsrealtime.NewFromConfig(cfg), append(c.Opts, count), attempts
}

func getStage(ctx context.Context, api *ivsrealtime.Client, opts []func(*ivsrealtime.Options)) error {
	_, err := api.GetStage(ctx, &ivsrealtime.GetStageInput{Arn: aws.String(stageARN)}, opts...)
	return err
}

// The pacing sits after the SDK's Retry: each attempt waits for the limiter. A 500 answered every time
// with 3 attempts takes 3 of a limiter's burst of 5; with a burst of 2, the third attempt is not sent.
func TestEveryAttemptWaits(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		burst     int
		sent      int32
		tokenLeft float64
		deadline  bool
	}{
		{name: "burst 5: 3 attempts, 3 reservations", burst: 5, sent: 3, tokenLeft: 2},
		{name: "burst 3: all 3 attempts, none left", burst: 3, sent: 3, tokenLeft: 0},
		{name: "burst 2: the third attempt waits past the deadline", burst: 2, sent: 2, tokenLeft: 0, deadline: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			mock.RespondError("GetStage", http.StatusInternalServerError, "InternalServerException", "try again")
			l := rate.NewLimiter(rate.Every(day), tc.burst)
			api, opts, _ := client(mock, 3, budget.NewCalls(svc.Base(), budget.Budget{}.With("GetStage", l)))
			err := getStage(hourCtx(t), api, opts)
			require.Error(t, err)
			assert.Equal(t, int(tc.sent), mock.Count(), "attempts sent")
			assert.InDelta(t, tc.tokenLeft, l.Tokens(), 0.01, "reservations taken: one per attempt sent")
			if tc.deadline {
				assert.ErrorIs(t, err, context.DeadlineExceeded)
			} else {
				assert.NotErrorIs(t, err, context.DeadlineExceeded)
				assert.Contains(t, err.Error(), "try again")
			}
		})
	}
}

// A limiter whose next slot is past the deadline fails the call at once: nothing sent, no retry (one
// attempt through the retryer), an error naming the package and operation that wraps
// context.DeadlineExceeded.
func TestPastDeadlineFailsAtOnce(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	mock.Respond("GetStage", http.StatusOK, `{"stage":{"arn":"`+stageARN+`"}}`)
	api, opts, attempts := client(mock, 5, budget.NewCalls(svc.Base(), budget.Budget{}.With("GetStage", drained(1))))
	err := getStage(hourCtx(t), api, opts)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Zero(t, mock.Count(), "nothing sent")
	assert.Equal(t, int32(1), attempts.Load(), "not retried")
	assert.Contains(t, err.Error(), "GetStage not sent: the rate limit's next slot is past the context's deadline")

	// The same through Budget.Wait, with the package's name.
	b := budget.New("stage", map[string]rate.Limit{"GetStage": rate.Every(day)})
	b.Limiter("GetStage").Allow()
	err = b.Wait(hourCtx(t), "GetStage")
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.True(t, strings.HasPrefix(err.Error(), "stage: GetStage not sent"), err.Error())
	var retryable interface{ RetryableError() bool }
	require.ErrorAs(t, err, &retryable)
	assert.False(t, retryable.RetryableError())
}

// A burst of 0 with a finite rate allows no request: ErrNoBurst, nothing sent, not retried. With rate.Inf
// the burst does not matter.
func TestNoBurst(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		l     *rate.Limiter
		want  error
		sends int
	}{
		{name: "burst 0", l: rate.NewLimiter(10, 0), want: budget.ErrNoBurst},
		{name: "burst 1, the least that sends", l: rate.NewLimiter(10, 1), sends: 1},
		{name: "rate.Inf, burst 0", l: rate.NewLimiter(rate.Inf, 0), sends: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			mock.Respond("GetStage", http.StatusOK, `{"stage":{"arn":"`+stageARN+`"}}`)
			api, opts, attempts := client(mock, 5, budget.NewCalls(svc.Base(), budget.Budget{}.With("GetStage", tc.l)))
			err := getStage(t.Context(), api, opts)
			assert.Equal(t, tc.sends, mock.Count())
			assert.Equal(t, int32(1), attempts.Load(), "one attempt")
			if tc.want == nil {
				assert.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.want)
			assert.Contains(t, err.Error(), "GetStage")
		})
	}
	b := budget.New("recording", nil).With("GetStage", rate.NewLimiter(10, 0))
	err := b.Wait(t.Context(), "GetStage")
	require.ErrorIs(t, err, budget.ErrNoBurst)
	assert.True(t, strings.HasPrefix(err.Error(), "recording: GetStage "), err.Error())
}

// A context that ends while the call waits for its turn returns the context's error; nothing is sent.
func TestContextEndsWhileWaiting(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	mock.Respond("GetStage", http.StatusOK, `{"stage":{"arn":"`+stageARN+`"}}`)
	api, opts, _ := client(mock, 3, budget.NewCalls(svc.Base(), budget.Budget{}.With("GetStage", drained(1))))
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- getStage(ctx, api, opts) }()
	cancel()
	err := <-done
	assert.ErrorIs(t, err, context.Canceled)
	assert.False(t, errors.Is(err, context.DeadlineExceeded))
	assert.Zero(t, mock.Count(), "nothing sent")

	// Ended before the call: the same, without touching the limiter.
	l := rate.NewLimiter(rate.Every(day), 1)
	b := budget.Budget{}.With("GetStage", l)
	assert.ErrorIs(t, b.Wait(ctx, "GetStage"), context.Canceled)
	assert.InDelta(t, 1, l.Tokens(), 0.01, "no reservation taken")
}
