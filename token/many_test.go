package token_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/token"
)

func TestCreateManyPartialFailureLosesNothing(t *testing.T) {
	t.Parallel()
	const n, bad = 40, 17
	mock := testutil.NewMock()
	tokenService(mock, func(userID string) (int, string) {
		if userID == fmt.Sprintf("user-%02d", bad) {
			return 403, "AccessDeniedException"
		}
		return 0, ""
	})

	tokens, err := token.NewClient(mock.Client()).CreateMany(t.Context(), stageARN, userConfigs(n), noLimit)
	require.Error(t, err)
	require.Len(t, tokens, n, "one slot per input")
	assert.Equal(t, n, mock.Count())
	for i, tok := range tokens {
		if i == bad {
			assert.True(t, tok.IsZero(), "the failed slot holds the zero Token")
			continue
		}
		user := fmt.Sprintf("user-%02d", i)
		assert.Equal(t, user, tok.UserID, "slot %d holds its own token", i)
		assert.Equal(t, "p-"+user, tok.ParticipantID)
		assert.Equal(t, secretFor(user), tok.Value())
		assert.Equal(t, []token.Capability{token.Subscribe}, tok.Capabilities)
		assert.Equal(t, time.Hour, tok.Duration)
	}

	var ie *token.IndexError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, bad, ie.Index)
	var denied *types.AccessDeniedException
	assert.ErrorAs(t, err, &denied, "the service error is reachable through the IndexError")
	all := token.IndexErrors(err)
	require.Len(t, all, 1)
	assert.Equal(t, bad, all[0].Index)
	assert.Contains(t, err.Error(), fmt.Sprintf("cfgs[%d]", bad))
	assertNoSecret(t, err.Error(), tokens)
}

// assertNoSecret asserts that text shows none of the tokens' bearer strings, nor any part of them.
func assertNoSecret(t *testing.T, text string, tokens []token.Token) {
	t.Helper()
	assert.NotContains(t, text, "SECRET")
	for _, tok := range tokens {
		if tok.Value() == "" {
			continue
		}
		assert.NotContains(t, text, tok.Value())
		for part := range strings.SplitSeq(tok.Value(), ".") {
			if len(part) > 20 {
				assert.NotContains(t, text, part)
			}
		}
	}
}

// The service answers the batch's requests in reverse order (each request is held until all are in flight
// and the next one has been answered); every token still lands in its own slot.
func TestCreateManyResultsInInputOrder(t *testing.T) {
	t.Parallel()
	const n = 30
	guard := hangGuard(t)
	var arrived atomic.Int32
	all := make(chan struct{}) // closed when all n requests are in flight
	var answered [n + 1]chan struct{}
	for i := range answered {
		answered[i] = make(chan struct{})
	}
	close(answered[n])
	mock := testutil.NewMock()
	tokenService(mock, func(userID string) (int, string) {
		var i int
		_, _ = fmt.Sscanf(userID, "user-%d", &i) // every user ID of userConfigs scans
		switch arrived.Add(1) {
		case n:
			close(all)
		case n + 1:
			t.Errorf("request %d of a batch of %d", n+1, n)
			return 500, "InternalServerException"
		}
		awaitOrFail(t, guard, all, "all requests in flight")
		awaitOrFail(t, guard, answered[i+1], "the answer to the later request") // the later request was answered first
		close(answered[i])
		return 0, ""
	})
	tokens, err := token.NewClient(mock.Client()).CreateMany(t.Context(), stageARN, userConfigs(n), noLimit, token.WithConcurrency(n))
	require.NoError(t, err)
	require.Len(t, tokens, n)
	for i, tok := range tokens {
		assert.Equal(t, fmt.Sprintf("user-%02d", i), tok.UserID)
		assert.Equal(t, secretFor(fmt.Sprintf("user-%02d", i)), tok.Value())
	}
}

func TestCreateManyRejectsInvalidInputWithoutARequest(t *testing.T) {
	t.Parallel()
	valid := userConfigs(20)
	withBad := func(bad map[int]token.Config) []token.Config {
		cfgs := slices.Clone(valid)
		for i, c := range bad {
			cfgs[i] = c
		}
		return cfgs
	}
	const at = "CreateParticipantTokenInput"
	tests := []struct {
		name string
		arn  string
		cfgs []token.Config
		opts []token.ManyOption
		want map[string]string
	}{
		{"one bad duration among many", stageARN, withBad(map[int]token.Config{3: token.New().WithDuration(30 * time.Second)}), nil,
			map[string]string{at + "[3].Duration": rules.RuleUnit}},
		{"every bad index named", stageARN, withBad(map[int]token.Config{
			0:  token.New().WithDuration(15 * 24 * time.Hour),
			11: token.New().WithCapabilities(),
			19: token.New().WithCapabilities(token.Publish, token.Publish).WithUserID(strings.Repeat("x", 129)),
		}), nil, map[string]string{
			at + "[0].Duration":         rules.RuleRange,
			at + "[11].Capabilities":    rules.RuleLength,
			at + "[19].Capabilities[1]": rules.RuleUnique,
			at + "[19].UserId":          rules.RuleLength,
		}},
		{"bad stage ARN", "arn:aws:ivs:us-east-1:123:channel/x", valid, nil, map[string]string{at + ".StageArn": rules.RulePattern}},
		{"bad options", stageARN, valid, []token.ManyOption{token.WithRate(0, 0), token.WithConcurrency(0)}, map[string]string{
			"ManyOption.Rate":        rules.RuleRange,
			"ManyOption.Burst":       rules.RuleRange,
			"ManyOption.Concurrency": rules.RuleRange,
		}},
		{"NaN rate", stageARN, valid, []token.ManyOption{token.WithRate(math.NaN(), 1)}, map[string]string{"ManyOption.Rate": rules.RuleRange}},
		{"negative rate", stageARN, valid, []token.ManyOption{token.WithRate(-1, 1), token.WithConcurrency(-3)}, map[string]string{
			"ManyOption.Rate": rules.RuleRange, "ManyOption.Concurrency": rules.RuleRange,
		}},
		{"nil limiter", stageARN, valid, []token.ManyOption{token.WithLimiter(nil)}, map[string]string{"ManyOption.Limiter": rules.RuleRequired}},
		{"limiter of limit 0", stageARN, valid, []token.ManyOption{token.WithLimiter(rate.NewLimiter(0, 1))}, map[string]string{"ManyOption.Limiter": rules.RuleRange}},
		{"limiter of negative limit", stageARN, valid, []token.ManyOption{token.WithLimiter(rate.NewLimiter(-1, 1))}, map[string]string{"ManyOption.Limiter": rules.RuleRange}},
		{"limiter of burst 0", stageARN, valid, []token.ManyOption{token.WithLimiter(rate.NewLimiter(50, 0))}, map[string]string{"ManyOption.Limiter": rules.RuleRange}},
		{"limiter and rate", stageARN, valid, []token.ManyOption{token.WithLimiter(rate.NewLimiter(50, 1)), token.WithRate(10, 1)},
			map[string]string{"ManyOption.Limiter": rules.RuleConflict}},
		{"rate and limiter, rate invalid too", stageARN, valid, []token.ManyOption{token.WithRate(0, 1), token.WithLimiter(rate.NewLimiter(50, 1))},
			map[string]string{"ManyOption.Limiter": rules.RuleConflict, "ManyOption.Rate": rules.RuleRange}},
		{"all at once", "", withBad(map[int]token.Config{5: token.New().WithAttributes(attrsOfSize(2000))}), []token.ManyOption{token.WithRate(1, -1)}, map[string]string{
			at + ".StageArn":      rules.RuleLength,
			at + "[5].Attributes": rules.RuleSize,
			"ManyOption.Burst":    rules.RuleRange,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			tokenService(mock, nil)
			tokens, err := token.NewClient(mock.Client()).CreateMany(t.Context(), tt.arn, tt.cfgs, tt.opts...)
			assertOperationError(t, err, opCreate)
			testutil.AssertViolations(t, err, tt.want)
			assert.Nil(t, tokens)
			assert.Zero(t, mock.Count(), "an invalid batch sends nothing")
		})
	}
}

func TestCreateManyEmptyBatch(t *testing.T) {
	t.Parallel()
	for name, cfgs := range map[string][]token.Config{"nil": nil, "empty": {}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			tokens, err := token.NewClient(mock.Client()).CreateMany(t.Context(), stageARN, cfgs)
			require.NoError(t, err)
			assert.NotNil(t, tokens, "an empty batch returns an empty slice, not nil")
			assert.Len(t, tokens, 0)
			assert.Zero(t, mock.Count())
		})
	}
}

// TestCreateManyRateLimit checks the request times the service saw against the limit. The limiter lets
// at most burst + rate·w requests go in any window of w seconds; a request reaches the service after the
// limiter let it go, and the requests let go but not yet received hold a slot each, so at most concurrency
// of them. In any window of w seconds the service so sees at most burst + rate·w + concurrency requests,
// however slow or busy the machine (a slow machine spreads requests out, never packs them closer than
// that). And the batch cannot end before (n - burst)/rate seconds have passed.
func TestCreateManyRateLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		n           int
		rate        float64
		burst       int
		concurrency int
	}{
		{"20/s burst 1, one at a time", 30, 20, 1, 1},
		{"20/s burst 5, one at a time", 30, 20, 5, 1},
		{"40/s burst 1, 4 in flight", 30, 40, 1, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			var times []time.Time
			mock := testutil.NewMock()
			tokenService(mock, func(string) (int, string) {
				mu.Lock()
				times = append(times, time.Now())
				mu.Unlock()
				return 0, ""
			})
			start := time.Now()
			tokens, err := token.NewClient(mock.Client()).CreateMany(t.Context(), stageARN, userConfigs(tt.n),
				token.WithRate(tt.rate, tt.burst), token.WithConcurrency(tt.concurrency))
			elapsed := time.Since(start)
			require.NoError(t, err)
			require.Len(t, tokens, tt.n)
			require.Len(t, times, tt.n)
			slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })

			for _, w := range []float64{0.02, 0.05, 0.1, 0.25, 0.5, 1} {
				limit := float64(tt.burst) + tt.rate*w + float64(tt.concurrency)
				for i := range times {
					end := times[i].Add(time.Duration(w * float64(time.Second)))
					count := 0
					for _, ts := range times[i:] {
						if ts.After(end) {
							break
						}
						count++
					}
					assert.LessOrEqual(t, float64(count), limit+1e-9, "%d requests within %.2fs of request %d", count, w, i)
				}
			}
			minElapsed := time.Duration(float64(tt.n-tt.burst) / tt.rate * float64(time.Second))
			assert.GreaterOrEqual(t, elapsed, minElapsed-time.Millisecond)
		})
	}
}

// The service holds each request until a group of three is in flight: with WithConcurrency(3), exactly
// three are ever in flight at once. A batch that never has three in flight fails the test at the hang
// guard, and a request beyond the n of the batch fails it at once.
func TestCreateManyBoundsConcurrency(t *testing.T) {
	t.Parallel()
	const n, limit = 24, 3
	guard := hangGuard(t)
	var groups [n / limit]chan struct{} // closed when the group's last request arrives
	for i := range groups {
		groups[i] = make(chan struct{})
	}
	var mu sync.Mutex
	arrived, inFlight, peak := 0, 0, 0
	mock := testutil.NewMock()
	tokenService(mock, func(string) (int, string) {
		mu.Lock()
		if arrived == n {
			mu.Unlock()
			t.Errorf("request %d of a batch of %d", n+1, n)
			return 500, "InternalServerException"
		}
		group := groups[arrived/limit]
		arrived++
		inFlight++
		peak = max(peak, inFlight)
		if arrived%limit == 0 {
			close(group)
		}
		mu.Unlock()
		awaitOrFail(t, guard, group, "a group of three requests in flight")
		mu.Lock()
		inFlight--
		mu.Unlock()
		return 0, ""
	})
	tokens, err := token.NewClient(mock.Client()).CreateMany(t.Context(), stageARN, userConfigs(n), noLimit, token.WithConcurrency(limit))
	require.NoError(t, err)
	assert.Len(t, tokens, n)
	assert.Equal(t, limit, peak, "three in flight, never more")
	assert.Equal(t, n, mock.Count())
}

// TestCreateManyCancellation cancels the batch from its progress callback once cancelAfter tokens were
// created, while the next request waits for the rate limit (a limiter that lets exactly cancelAfter go
// and then waits a day) or for a free slot (the service holds the requests after the first cancelAfter
// until their context ends). Every outcome is decided by those events, not by time.
func TestCreateManyCancellation(t *testing.T) {
	t.Parallel()
	const n, cancelAfter, concurrency = 40, 5, 2
	tests := []struct {
		name    string
		opts    func() []token.ManyOption
		hold    bool // the service holds requests after the first cancelAfter
		maxSent int
	}{
		{"waiting for the rate limit", func() []token.ManyOption {
			return []token.ManyOption{token.WithLimiter(rate.NewLimiter(rate.Every(24*time.Hour), cancelAfter))}
		}, false, cancelAfter},
		// The request that completes cancelAfter-th holds one slot; the other may hold a request sent
		// before the cancellation.
		{"waiting for a free slot", func() []token.ManyOption {
			return []token.ManyOption{noLimit, token.WithConcurrency(concurrency)}
		}, true, cancelAfter + concurrency - 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			guard := hangGuard(t)
			mock := testutil.NewMock()
			mock.RespondFunc(opCreate, func(req *http.Request, body []byte) (int, string, string) {
				var in struct{ UserID string }
				_ = json.Unmarshal(body, &in)
				var i int
				_, _ = fmt.Sscanf(in.UserID, "user-%d", &i)
				if tt.hold && i >= cancelAfter {
					awaitOrFail(t, guard, req.Context().Done(), "the held request's context to end")
					return 503, `{"exceptionMessage": "too late"}`, "InternalServerException"
				}
				return 200, `{"participantToken": {"participantId": "p-` + in.UserID + `", "token": "` + secretFor(in.UserID) + `", "userId": "` + in.UserID + `"}}`, ""
			})
			opts := append(tt.opts(), token.WithProgress(func(done, _ int) {
				if done == cancelAfter {
					cancel()
				}
			}))

			var tokens []token.Token
			var err error
			returns(t, "CreateMany after the cancellation", func() {
				tokens, err = token.NewClient(mock.Client()).CreateMany(ctx, stageARN, userConfigs(n), opts...)
			})
			require.Error(t, err)
			require.Len(t, tokens, n)
			assert.ErrorIs(t, err, context.Canceled)

			for i, tok := range tokens[:cancelAfter] {
				assert.Equal(t, fmt.Sprintf("user-%02d", i), tok.UserID, "slot %d holds the token created before the cancellation", i)
				assert.Equal(t, secretFor(tok.UserID), tok.Value())
			}
			for i, tok := range tokens[cancelAfter:] {
				assert.True(t, tok.IsZero(), "slot %d: nothing created after the cancellation", cancelAfter+i)
			}
			failed := token.IndexErrors(err)
			require.Len(t, failed, n-cancelAfter, "every other slot has its error")
			for j, ie := range failed {
				assert.Equal(t, cancelAfter+j, ie.Index)
			}
			for _, ie := range failed[tt.maxSent-cancelAfter:] {
				assert.ErrorIs(t, ie.Err, context.Canceled, "slot %d was never sent", ie.Index)
			}
			assert.GreaterOrEqual(t, mock.Count(), cancelAfter)
			assert.LessOrEqual(t, mock.Count(), tt.maxSent, "no request after the cancellation")
			assertNoSecret(t, err.Error(), tokens)
		})
	}
}

// A context that has already ended sends nothing.
func TestCreateManyContextAlreadyDone(t *testing.T) {
	t.Parallel()
	canceled, cancel := context.WithCancel(t.Context())
	cancel()
	expired, cancel2 := context.WithDeadline(t.Context(), time.Unix(0, 0))
	defer cancel2()
	for name, tt := range map[string]struct {
		ctx  context.Context
		want error
	}{"canceled": {canceled, context.Canceled}, "past its deadline": {expired, context.DeadlineExceeded}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			tokenService(mock, nil)
			tokens, err := token.NewClient(mock.Client()).CreateMany(tt.ctx, stageARN, userConfigs(6))
			require.Len(t, tokens, 6)
			failed := token.IndexErrors(err)
			require.Len(t, failed, 6)
			for _, ie := range failed {
				assert.ErrorIs(t, ie.Err, tt.want)
			}
			assert.Zero(t, mock.Count())
		})
	}
}

func TestCreateManyProgress(t *testing.T) {
	t.Parallel()
	const n = 25
	mock := testutil.NewMock()
	tokenService(mock, func(userID string) (int, string) {
		if userID == "user-07" {
			return 404, "ResourceNotFoundException"
		}
		return 0, ""
	})
	var calls []int
	var totals []int
	var running atomic.Int32
	_, err := token.NewClient(mock.Client()).CreateMany(t.Context(), stageARN, userConfigs(n), noLimit,
		token.WithProgress(func(done, total int) {
			if running.Add(1) != 1 {
				t.Error("progress called concurrently")
			}
			calls = append(calls, done)
			totals = append(totals, total)
			running.Add(-1)
		}))
	var nf *types.ResourceNotFoundException
	require.ErrorAs(t, err, &nf)
	want := make([]int, n)
	for i := range want {
		want[i] = i + 1
	}
	assert.Equal(t, want, calls, "every completed request, failures included, one at a time")
	for _, total := range totals {
		assert.Equal(t, n, total)
	}
}

func TestIndexErrors(t *testing.T) {
	t.Parallel()
	a := &token.IndexError{Index: 2, Err: errors.New("a")}
	b := &token.IndexError{Index: 5, Err: context.Canceled}
	joined := errors.Join(a, b)
	assert.Equal(t, []*token.IndexError{a, b}, token.IndexErrors(joined))
	assert.Equal(t, []*token.IndexError{a}, token.IndexErrors(fmt.Errorf("wrapped: %w", a)))
	assert.Nil(t, token.IndexErrors(nil))
	assert.Nil(t, token.IndexErrors(errors.New("other")))
	assert.ErrorIs(t, joined, context.Canceled)
	assert.Equal(t, "token: cfgs[5]: context canceled", b.Error())
	own := &token.IndexError{Index: 1, Err: errors.New("token: not sent: x")}
	assert.Equal(t, "token: cfgs[1]: not sent: x", own.Error(), "a reason of the package is not prefixed twice")
}

// With a deadline, requests whose rate-limit slot comes too late fail at once instead of waiting for it:
// the limiter lets three requests go and then refills once a day, the deadline is an hour away.
func TestCreateManyDeadline(t *testing.T) {
	t.Parallel()
	const n, allowed = 20, 3
	tests := map[string]func() token.ManyOption{
		"shared limiter (WithLimiter)": func() token.ManyOption {
			return token.WithLimiter(rate.NewLimiter(rate.Every(24*time.Hour), allowed))
		},
		"own limiter (WithRate)": func() token.ManyOption { return token.WithRate(1.0/(24*60*60), allowed) },
	}
	for name, opt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			tokenService(mock, nil)
			ctx, cancel := context.WithTimeout(t.Context(), time.Hour)
			defer cancel()
			var tokens []token.Token
			var err error
			returns(t, "CreateMany with slots past its deadline", func() {
				tokens, err = token.NewClient(mock.Client()).CreateMany(ctx, stageARN, userConfigs(n), opt())
			})
			require.NoError(t, ctx.Err(), "returned long before the deadline")
			require.Error(t, err)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			require.Len(t, tokens, n)
			for i, tok := range tokens {
				assert.Equal(t, i >= allowed, tok.IsZero(), "slot %d", i)
			}
			failed := token.IndexErrors(err)
			require.Len(t, failed, n-allowed)
			for j, ie := range failed {
				assert.Equal(t, allowed+j, ie.Index)
				assert.ErrorIs(t, ie.Err, context.DeadlineExceeded)
				assert.Contains(t, ie.Error(), "past the context's deadline")
			}
			assert.Equal(t, allowed, mock.Count())
		})
	}
}
