package token_test

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// day is a limiter's refill period that no test waits for: a limiter at rate.Every(day) lets its burst go
// and then nothing more, so what it lets through is decided by counting, not by time.
const day = 24 * time.Hour

// retries sets the SDK's retry count, so derived clients pass an option of their own.
func retries(n int) func(*ivsrealtime.Options) {
	return func(o *ivsrealtime.Options) { o.RetryMaxAttempts = n }
}

// created counts the tokens that were created and checks that every failed slot failed with want.
func created(t *testing.T, tokens []token.Token, err error, want error) int {
	t.Helper()
	n := 0
	for _, tok := range tokens {
		if !tok.IsZero() {
			n++
		}
	}
	for _, ie := range token.IndexErrors(err) {
		assert.ErrorIs(t, ie.Err, want, "slot %d", ie.Index)
	}
	assert.Len(t, token.IndexErrors(err), len(tokens)-n, "every slot is a token or an error")
	return n
}

// dayLimited returns a client on a token service whose limiter lets one request go and then one a day,
// and a context whose deadline is an hour away: a request that must wait for the limiter fails at once.
func dayLimited(t *testing.T) (*testutil.Mock, *token.Client, context.Context) {
	t.Helper()
	mock := testutil.NewMock()
	tokenService(mock, nil)
	c := token.NewClient(mock.Client())
	c.Limiter("CreateParticipantToken").SetLimit(rate.Every(day)) // the one request of its burst, then none today
	ctx, cancel := context.WithTimeout(t.Context(), time.Hour)
	t.Cleanup(cancel)
	return mock, c, ctx
}

func TestClientLimiter(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	c := token.NewClient(mock.Client())
	l := c.Limiter("CreateParticipantToken")
	require.NotNil(t, l)
	assert.Equal(t, rate.Limit(token.DefaultRate), l.Limit())
	assert.Equal(t, token.DefaultBurst, l.Burst())
	assert.Equal(t, rate.Limit(50), l.Limit(), "the CreateParticipantToken quota")
	assert.Equal(t, 1, l.Burst())

	derived := c.WithOptions(retries(2))
	assert.Same(t, l, derived.Limiter("CreateParticipantToken"), "a derived client shares the limiter")
	assert.Same(t, l, derived.WithOptions(retries(3)).Limiter("CreateParticipantToken"), "and so does a client derived from it")
	assert.NotSame(t, l, token.NewClient(mock.Client()).Limiter("CreateParticipantToken"), "a client built separately has its own")
	assert.NotSame(t, l, token.NewClientFromConfig(mock.Config()).Limiter("CreateParticipantToken"))
}

// The Create calls of a client and of the clients derived from it wait for one limiter: once it is
// drained (one request, then one a day), no Create of any of them is sent, while a client built separately
// is not held back.
func TestCreateWaitsForTheSharedLimiter(t *testing.T) {
	t.Parallel()
	mock, c, ctx := dayLimited(t)
	derived := c.WithOptions(retries(1))

	tok, err := c.Create(ctx, stageARN, token.New().WithUserID("first"))
	require.NoError(t, err)
	assert.Equal(t, "first", tok.UserID)
	require.Equal(t, 1, mock.Count())

	for name, client := range map[string]*token.Client{"the same client": c, "a derived client": derived} {
		var tok token.Token
		returns(t, "Create with its slot past the deadline", func() {
			tok, err = client.Create(ctx, stageARN, token.New().WithUserID("second"))
		})
		require.NoError(t, ctx.Err(), "%s: it failed at once, long before the deadline", name)
		assert.ErrorIs(t, err, context.DeadlineExceeded, name)
		var oe *smithy.OperationError
		if assert.ErrorAs(t, err, &oe, name) {
			assert.Equal(t, opCreate, oe.OperationName)
			assert.Equal(t, ivsrealtime.ServiceID, oe.ServiceID)
		}
		assert.True(t, tok.IsZero(), name)
		assert.Equal(t, 1, mock.Count(), "%s: nothing sent", name)
	}

	_, err = token.NewClient(mock.Client()).Create(ctx, stageARN, token.New().WithUserID("elsewhere"))
	require.NoError(t, err, "a separately built client has its own limiter")
	assert.Equal(t, 2, mock.Count())
}

// Create waiting for the limiter returns when its context is cancelled, without sending. The test cancels
// once the limiter shows Create's reservation (its tokens drop below zero), not after some time.
func TestCreateWaitingForTheLimiterHonoursCancellation(t *testing.T) {
	t.Parallel()
	mock, c, _ := dayLimited(t)
	_, err := c.Create(t.Context(), stageARN, token.New())
	require.NoError(t, err)

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go func() {
		for c.Limiter("CreateParticipantToken").Tokens() > -0.5 && ctx.Err() == nil { // Create has not reserved yet
			runtime.Gosched()
		}
		cancel()
	}()
	var tok token.Token
	returns(t, "Create after the cancellation", func() {
		tok, err = c.Create(ctx, stageARN, token.New().WithUserID("waiting"))
	})
	assert.ErrorIs(t, err, context.Canceled)
	var oe *smithy.OperationError
	assert.ErrorAs(t, err, &oe)
	assert.True(t, tok.IsZero())
	assert.Equal(t, 1, mock.Count(), "the cancelled Create sent nothing")
	assert.InDelta(t, 0, c.Limiter("CreateParticipantToken").Tokens(), 0.01, "the cancelled wait gave its reservation back")

	canceled, cancelNow := context.WithCancel(t.Context())
	cancelNow()
	c.Limiter("CreateParticipantToken").SetLimit(rate.Inf)
	_, err = c.Create(canceled, stageARN, token.New())
	assert.ErrorIs(t, err, context.Canceled, "a context that has ended sends nothing, even with a free limiter")
	assert.Equal(t, 1, mock.Count())
}

// Two batches running at once on a client and on a client derived from it share its limiter: drained to
// one request, they send one request between them, and Create none.
func TestConcurrentBatchesShareTheClientsLimiter(t *testing.T) {
	t.Parallel()
	mock, c, ctx := dayLimited(t)
	clients := []*token.Client{c, c.WithOptions(retries(1))}
	results, errs := batches(t, ctx, stageARN, clients, func(int) []token.Config { return userConfigs(4) })
	total := 0
	for i := range clients {
		require.Len(t, results[i], 4)
		total += created(t, results[i], errs[i], context.DeadlineExceeded)
	}
	assert.Equal(t, 1, total, "one token between the two batches: the limiter's one request")
	assert.Equal(t, 1, mock.Count())

	_, err := clients[1].Create(ctx, stageARN, token.New())
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, 1, mock.Count())
}

// WithLimiter shares one limiter between clients built separately, Create included when the limiter is
// one client's own.
func TestWithLimiterSharesAcrossClients(t *testing.T) {
	t.Parallel()
	t.Run("a limiter of the caller's", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithTimeout(t.Context(), time.Hour)
		defer cancel()
		const allowed = 4
		mock := testutil.NewMock()
		tokenService(mock, nil)
		shared := rate.NewLimiter(rate.Every(day), allowed)
		clients := []*token.Client{token.NewClient(mock.Client()), token.NewClientFromConfig(mock.Config())}
		results, errs := batches(t, ctx, stageARN, clients, func(int) []token.Config { return userConfigs(3) }, token.WithLimiter(shared))
		total := 0
		for i := range clients {
			total += created(t, results[i], errs[i], context.DeadlineExceeded)
		}
		assert.Equal(t, allowed, total, "the two batches took the limiter's burst between them, no more")
		assert.Equal(t, allowed, mock.Count())
		for _, client := range clients {
			tok, err := client.Create(ctx, stageARN, token.New())
			require.NoError(t, err, "Create waits for its own client's limiter, not the batches'")
			assert.False(t, tok.IsZero())
		}
	})

	t.Run("another client's limiter", func(t *testing.T) {
		t.Parallel()
		mock, a, ctx := dayLimited(t)
		b := token.NewClient(mock.Client())
		_, err := a.Create(ctx, stageARN, token.New()) // drains a's limiter
		require.NoError(t, err)

		var tokens []token.Token
		returns(t, "a batch on a drained limiter", func() {
			tokens, err = b.CreateMany(ctx, stageARN, userConfigs(3), token.WithLimiter(a.Limiter("CreateParticipantToken")))
		})
		assert.Zero(t, created(t, tokens, err, context.DeadlineExceeded))
		assert.Equal(t, 1, mock.Count(), "b's batch waited for a's limiter")

		tokens, err = b.CreateMany(ctx, stageARN, userConfigs(3))
		require.NoError(t, err, "b's own limiter is free")
		assert.Len(t, tokens, 3)
		assert.Equal(t, 4, mock.Count())
	})
}

// WithRate gives a batch a limiter of its own: it is not held back by the client's drained limiter, and it
// paces the batch by its own burst and rate.
func TestWithRateUsesItsOwnLimiter(t *testing.T) {
	t.Parallel()
	mock, c, ctx := dayLimited(t)
	_, err := c.Create(ctx, stageARN, token.New()) // drains the client's limiter
	require.NoError(t, err)

	tokens, err := c.CreateMany(ctx, stageARN, userConfigs(5), token.WithRate(math.Inf(1), 1))
	require.NoError(t, err, "no limit at all for this batch")
	assert.Equal(t, 5, created(t, tokens, err, nil))
	assert.Equal(t, 6, mock.Count())

	returns(t, "a batch on its own slow limiter", func() {
		tokens, err = c.CreateMany(ctx, stageARN, userConfigs(5), token.WithRate(1.0/(24*60*60), 2))
	})
	assert.Equal(t, 2, created(t, tokens, err, context.DeadlineExceeded), "its own burst of 2, then its own rate")
	assert.Equal(t, 8, mock.Count())

	tokens, err = c.CreateMany(ctx, stageARN, userConfigs(5), token.WithRate(1.0/(24*60*60), 2))
	assert.Equal(t, 2, created(t, tokens, err, context.DeadlineExceeded), "every batch gets a new limiter of its own")
	assert.Equal(t, 10, mock.Count())
}

// The smallest valid limiters: a limit above zero with a burst of 1, and rate.Inf with any burst.
func TestWithLimiterBoundaries(t *testing.T) {
	t.Parallel()
	for name, l := range map[string]*rate.Limiter{
		"smallest positive limit, burst 1": rate.NewLimiter(rate.Limit(math.SmallestNonzeroFloat64), 1),
		"rate.Inf, burst 0":                rate.NewLimiter(rate.Inf, 0),
		"rate.Inf, burst -1":               rate.NewLimiter(rate.Inf, -1),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			tokenService(mock, nil)
			tokens, err := token.NewClient(mock.Client()).CreateMany(t.Context(), stageARN, userConfigs(1), token.WithLimiter(l))
			require.NoError(t, err)
			assert.Equal(t, "user-00", tokens[0].UserID)
			assert.Equal(t, 1, mock.Count())
		})
	}
}

// A limiter changed to a burst of 0 after the batch was validated fails the requests it holds back with
// an error that says so (not a deadline).
func TestLimiterWithoutBurstFailsTheRequest(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	tokenService(mock, nil)
	c := token.NewClient(mock.Client())
	c.Limiter("CreateParticipantToken").SetBurst(0)
	tok, err := c.Create(t.Context(), stageARN, token.New())
	require.Error(t, err)
	assert.NotErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "burst is 0")
	assert.True(t, tok.IsZero())
	assert.Zero(t, mock.Count())
}

// TestConcurrentBatchesStayWithinTheQuota runs two CreateMany batches at once, on a client and on a client
// derived from it, against stagetest throttled at the service's quota (DefaultRate, 50/s) with the SDK's
// retries off: a single 429 would lose a token. The verdict does not depend on the machine's speed or
// load. The shared limiter lets at most DefaultBurst + 50·w requests go in any window of w seconds; a
// request reaches the server after the limiter let it go, and the requests let go but not yet received
// hold a slot each, at most 2×concurrency for the two batches. So the server sees at most
// DefaultBurst + 2×concurrency + 50·w requests in any window of w seconds, and its bucket, of
// DefaultBurst + 2×concurrency + 1 (one for rounding), never runs dry. With a limiter per batch the two
// would send up to 100/s and drain it within a fraction of a second. The rate they reach is measured by
// BenchmarkCreateManyConcurrentBatches.
func TestConcurrentBatchesStayWithinTheQuota(t *testing.T) {
	t.Parallel()
	const (
		perBatch    = 40
		concurrency = 4
		bucket      = token.DefaultBurst + 2*concurrency + 1
	)
	srv := stagetest.New(stagetest.WithRateLimit(opCreate, token.DefaultRate, bucket))
	st, _, err := stage.NewClientFromConfig(srv.Config()).Create(t.Context(), stage.New())
	require.NoError(t, err)
	c := token.NewClientFromConfig(srv.Config(), retries(1))
	clients := []*token.Client{c, c.WithOptions(retries(1))}

	results, errs := batches(t, t.Context(), st.ARN, clients, func(i int) []token.Config {
		cfgs := make([]token.Config, perBatch)
		for j := range cfgs {
			cfgs[j] = token.New().WithUserID(batchUser(i, j)).WithCapabilities(token.Subscribe)
		}
		return cfgs
	}, token.WithConcurrency(concurrency))

	sent := 0
	var first, last time.Time
	for _, r := range srv.Requests() {
		if r.Operation == opCreate {
			if sent == 0 {
				first = r.Time
			}
			last = r.Time
			sent++
			assert.Equal(t, "attempt=1; max=1", r.Header.Get("Amz-Sdk-Request"), "the SDK's retries are off")
		}
	}
	// For the record only (it depends on the machine): the combined rate the server saw.
	t.Logf("%d requests in %v: %.1f/s (limit %d/s)", sent, last.Sub(first), float64(sent-1)/last.Sub(first).Seconds(), token.DefaultRate)
	// With retries off, a throttled request is a token lost: every token created is zero 429s.
	for i := range clients {
		require.NoError(t, errs[i], "batch %d: every token created, none throttled", i)
		require.Len(t, results[i], perBatch)
		for j, tok := range results[i] {
			assert.Equal(t, batchUser(i, j), tok.UserID)
			assert.NotEmpty(t, tok.Value())
		}
	}
	assert.Equal(t, 2*perBatch, sent, "one request per token: nothing throttled, nothing retried")
}

func batchUser(batch, i int) string { return fmt.Sprintf("batch%d-user%02d", batch, i) }

func TestLimiterOptionMessages(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	_, err := token.NewClient(mock.Client()).CreateMany(t.Context(), stageARN, userConfigs(2), token.WithLimiter(rate.NewLimiter(0, 0)))
	msgs := testutil.Messages(t, err)
	assert.Contains(t, msgs, "limit 0 is not a positive number of requests per second, ManyOption.Limiter.")
	assert.Contains(t, msgs, "burst 0 is less than 1: the limiter allows no request, ManyOption.Limiter.")

	_, err = token.NewClient(mock.Client()).CreateMany(t.Context(), stageARN, userConfigs(2), token.WithLimiter(nil))
	assert.Contains(t, testutil.Messages(t, err), "no limiter given (nil *rate.Limiter), ManyOption.Limiter.")

	_, err = token.NewClient(mock.Client()).CreateMany(t.Context(), stageARN, userConfigs(2), token.WithRate(5, 1), token.WithLimiter(rate.NewLimiter(5, 1)))
	assert.Contains(t, testutil.Messages(t, err), "WithLimiter and WithRate both given")
	assert.Zero(t, mock.Count())
}
