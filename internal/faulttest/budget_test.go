package faulttest_test

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// budgeted is what stage.Client, recording.Client and token.Client have in common for their budgets.
type budgeted[C any] interface {
	Limiter(operation string) *rate.Limiter
	WithLimiter(operation string, l *rate.Limiter) C
	WithOptions(optFns ...func(*ivsrealtime.Options)) C
}

// operationsOf returns the method names of an API interface: the SDK operations the client calls.
func operationsOf(api reflect.Type) []string {
	ops := make([]string, api.NumMethod())
	for i := range ops {
		ops[i] = api.Method(i).Name
	}
	return ops
}

// stageRate is the documented pace of a stage operation: TagRequestsPerSecond for the tag operations,
// the CreateParticipantToken quota for that one, RequestsPerSecond for the others.
func stageRate(op string) rate.Limit {
	switch {
	case strings.Contains(strings.ToLower(op), "tag") && strings.HasSuffix(op, "Resource"):
		return stage.TagRequestsPerSecond
	case op == opCreateToken:
		return token.CreateRequestsPerSecond
	}
	return stage.RequestsPerSecond
}

// tokenRate is the documented pace of a token operation: DefaultRate for CreateParticipantToken,
// KeyRequestsPerSecond for the public-key operations.
func tokenRate(op string) rate.Limit {
	if op == opCreateToken {
		return token.DefaultRate
	}
	return token.KeyRequestsPerSecond
}

// checkBudget checks every operation of api (by reflection, so that an operation added to the interface
// cannot be left out): a default limiter at rateOf(op) with burst 1; derived clients (WithOptions,
// WithLimiter of another operation) share it; WithLimiter replaces it for that operation only, and nil
// leaves it unpaced, the original client unchanged throughout.
func checkBudget[C budgeted[C]](t *testing.T, api reflect.Type, newClient func() C, rateOf func(op string) rate.Limit) {
	t.Helper()
	ops := operationsOf(api)
	require.NotEmpty(t, ops)
	c := newClient()
	other := newClient()
	for _, op := range ops {
		t.Run(op, func(t *testing.T) {
			l := c.Limiter(op)
			require.NotNil(t, l, "%s has a default limiter", op)
			assert.Equal(t, rateOf(op), l.Limit(), "the documented rate")
			assert.Equal(t, 1, l.Burst())
			assert.NotSame(t, l, other.Limiter(op), "a client built separately has its own")

			assert.Same(t, l, c.WithOptions(func(o *ivsrealtime.Options) { o.RetryMaxAttempts = 1 }).Limiter(op), "WithOptions shares it")
			assert.Same(t, l, c.WithLimiter("NoSuchOperation", rate.NewLimiter(1, 1)).Limiter(op), "WithLimiter of another operation shares it")
			for _, o := range ops {
				if o != op {
					assert.Same(t, l, c.WithLimiter(o, rate.NewLimiter(1, 1)).WithOptions().Limiter(op), "WithLimiter(%s) shares it", o)
				}
			}

			mine := rate.NewLimiter(2, 3)
			w := c.WithLimiter(op, mine)
			assert.Same(t, mine, w.Limiter(op), "WithLimiter replaces it")
			assert.Same(t, mine, w.WithOptions().Limiter(op), "and a client derived from that shares the new one")
			assert.Nil(t, c.WithLimiter(op, nil).Limiter(op), "nil: not paced")
			assert.Same(t, l, c.Limiter(op), "the original is unchanged")
		})
	}
}

func TestBudgetsOfEveryOperation(t *testing.T) {
	t.Parallel()
	srv := stagetest.New()
	t.Run("stage", func(t *testing.T) {
		checkBudget(t, reflect.TypeFor[stage.API](), func() *stage.Client { return stage.NewClientFromConfig(srv.Config()) }, stageRate)
	})
	t.Run("recording", func(t *testing.T) {
		checkBudget(t, reflect.TypeFor[recording.API](), func() *recording.Client { return recording.NewClientFromConfig(srv.Config()) },
			func(string) rate.Limit { return recording.StorageRequestsPerSecond })
	})
	t.Run("token", func(t *testing.T) {
		checkBudget(t, reflect.TypeFor[token.API](), func() *token.Client { return token.NewClientFromConfig(srv.Config()) }, tokenRate)
	})
}

// deleteLoop creates n stages on srv, then deletes them one after the other through c, and returns how
// many DeleteStage requests the server throttled (429).
func deleteLoop(t *testing.T, srv *stagetest.Server, c *stage.Client, n int) (throttled int) {
	t.Helper()
	raw := ivsrealtime.NewFromConfig(srv.Config())
	arns := make([]string, n)
	for i := range arns {
		out, err := raw.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{})
		require.NoError(t, err)
		arns[i] = aws.ToString(out.Stage.Arn)
	}
	for _, arn := range arns {
		err := c.Delete(t.Context(), arn)
		var re interface{ HTTPStatusCode() int }
		if errors.As(err, &re) && re.HTTPStatusCode() == http.StatusTooManyRequests {
			continue
		}
		require.NoError(t, err)
	}
	for _, r := range srv.Requests() {
		if r.Operation == opDeleteStage && r.Status == http.StatusTooManyRequests {
			throttled++
		}
	}
	t.Logf("%d of %d DeleteStage throttled", throttled, n)
	return throttled
}

// A loop of 30 DeleteStage against a service throttling them at 200 per second, through a client whose
// DeleteStage limiter is at that rate (burst 1) and with the SDK's retries off, meets no 429: every call
// waits for its turn. The same loop with the limiter removed meets some, which shows the check can fail.
//
// The service's bucket holds 2 requests, not 1: two buckets of burst 1 at one rate, each on its own
// reading of the wall clock, cannot agree. The limiter spaces its slots exactly 1/rate apart, but each
// request reaches the service a little after its slot, by a delay that varies (scheduling, -race), so
// about half the gaps the service measures are shorter than 1/rate and a bucket of 1 refuses them (11 of
// 30 in a trial run). A bucket of 2 at the same rate forgives a request that arrives up to one slot
// (5 ms) earlier, relative to its slot, than one before it; the rate is the same, so a client that sent
// faster than 200 per second would still be throttled, as the unpaced loop shows.
func TestDeleteLoopWithinQuota(t *testing.T) {
	t.Parallel()
	const n, perSecond, serviceBurst = 30, 200, 2
	noRetries := func(o *ivsrealtime.Options) { o.RetryMaxAttempts = 1 }
	t.Run("paced", func(t *testing.T) {
		t.Parallel()
		srv := stagetest.New(stagetest.WithRateLimit(opDeleteStage, perSecond, serviceBurst))
		c := stage.NewClientFromConfig(srv.Config(), noRetries).WithLimiter(opDeleteStage, rate.NewLimiter(perSecond, 1))
		assert.Zero(t, deleteLoop(t, srv, c, n), "no DeleteStage is throttled")
	})
	t.Run("limiter removed", func(t *testing.T) {
		t.Parallel()
		srv := stagetest.New(stagetest.WithRateLimit(opDeleteStage, perSecond, serviceBurst))
		c := stage.NewClientFromConfig(srv.Config(), noRetries).WithLimiter(opDeleteStage, nil)
		assert.NotZero(t, deleteLoop(t, srv, c, n), "back to back, some DeleteStage are throttled")
	})
}

// A context that ends while a call waits for its limiter returns the context's error, and nothing is
// sent: one operation of each package.
func TestBudgetWaitEndsWithContext(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		op   string
		call func(ctx context.Context, srv *stagetest.Server, l *rate.Limiter) error
	}{
		{op: opDeleteStage, call: func(ctx context.Context, srv *stagetest.Server, l *rate.Limiter) error {
			return stage.NewClientFromConfig(srv.Config()).WithLimiter(opDeleteStage, l).Delete(ctx, unknownStageARN)
		}},
		{op: opGetStorage, call: func(ctx context.Context, srv *stagetest.Server, l *rate.Limiter) error {
			_, err := recording.NewClientFromConfig(srv.Config()).WithLimiter(opGetStorage, l).GetStorage(ctx, unknownStorageARN)
			return err
		}},
		{op: opGetKey, call: func(ctx context.Context, srv *stagetest.Server, l *rate.Limiter) error {
			_, err := token.NewClientFromConfig(srv.Config()).WithLimiter(opGetKey, l).GetPublicKey(ctx, unknownKeyARN)
			return err
		}},
	} {
		t.Run(tc.op, func(t *testing.T) {
			t.Parallel()
			srv := stagetest.New()
			l := rate.NewLimiter(rate.Every(24*time.Hour), 1)
			l.Allow() // its burst is spent: the next call waits a day
			ctx, cancel := context.WithCancel(t.Context())
			done := make(chan error, 1)
			go func() { done <- tc.call(ctx, srv, l) }()
			cancel()
			err := <-done
			assert.ErrorIs(t, err, context.Canceled)
			assert.Zero(t, srv.RequestCount(), "nothing sent")
		})
	}
}
