package token_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
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

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/token"
)

// noLimit turns CreateMany's rate limit off, for tests that are not about it.
var noLimit = token.WithRate(math.Inf(1), 1)

// secretFor is the bearer string the fake service issues for a user ID.
func secretFor(userID string) string { return "eyJhbGciOiJLTVMifQ.SECRET-" + userID + ".c2ln" }

// tokenService answers CreateParticipantToken like the service: a token echoing the request's user ID,
// duration and capabilities. fail, when it returns a status, makes that request fail instead.
func tokenService(mock *testutil.Mock, fail func(userID string) (status int, errorType string)) {
	mock.RespondFunc(opCreate, func(_ *http.Request, body []byte) (int, string, string) {
		var req struct {
			UserID       string   `json:"userId"`
			Duration     int      `json:"duration"`
			Capabilities []string `json:"capabilities"`
		}
		if err := json.Unmarshal(body, &req); err != nil {
			return 400, `{"exceptionMessage": "bad JSON"}`, "ValidationException"
		}
		if fail != nil {
			if status, errorType := fail(req.UserID); status != 0 {
				return status, `{"exceptionMessage": "refused for this participant"}`, errorType
			}
		}
		if req.Duration == 0 {
			req.Duration = 720
		}
		resp, _ := json.Marshal(map[string]any{"participantToken": map[string]any{
			"participantId":  "p-" + req.UserID,
			"token":          secretFor(req.UserID),
			"userId":         req.UserID,
			"duration":       req.Duration,
			"capabilities":   req.Capabilities,
			"expirationTime": "2026-11-25T19:00:00Z",
		}})
		return 200, string(resp), ""
	})
}

func userConfigs(n int) []token.Config {
	base := token.New().WithCapabilities(token.Subscribe).WithDuration(time.Hour)
	cfgs := make([]token.Config, n)
	for i := range cfgs {
		cfgs[i] = base.WithUserID(fmt.Sprintf("user-%02d", i))
	}
	return cfgs
}

func TestCreateManyPartialFailureLosesNothing(t *testing.T) {
	t.Parallel()
	const n, bad = 40, 17
	mock := testutil.NewMock()
	tokenService(mock, func(userID string) (int, string) {
		time.Sleep(time.Duration(rand.IntN(3)) * time.Millisecond) // complete out of order
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

func TestCreateManyResultsInInputOrder(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	tokenService(mock, func(userID string) (int, string) {
		// Early requests answer last.
		var i int
		_, _ = fmt.Sscanf(userID, "user-%d", &i)
		time.Sleep(time.Duration(30-i) * time.Millisecond / 10)
		return 0, ""
	})
	tokens, err := token.NewClient(mock.Client()).CreateMany(t.Context(), stageARN, userConfigs(30), noLimit, token.WithConcurrency(30))
	require.NoError(t, err)
	for i, tok := range tokens {
		assert.Equal(t, fmt.Sprintf("user-%02d", i), tok.UserID)
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
	mock := testutil.NewMock()
	tokens, err := token.NewClient(mock.Client()).CreateMany(t.Context(), stageARN, nil)
	require.NoError(t, err)
	assert.Empty(t, tokens)
	assert.Zero(t, mock.Count())
}

// TestCreateManyRateLimit checks the request times the transport saw against the limit: in any window of
// w seconds, at most burst + rate·w requests. A slow machine makes the limiter slower, never faster.
func TestCreateManyRateLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		n     int
		rate  float64
		burst int
	}{
		{"20/s burst 1", 30, 20, 1},
		{"20/s burst 5", 30, 20, 5},
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
				token.WithRate(tt.rate, tt.burst), token.WithConcurrency(8))
			require.NoError(t, err)
			require.Len(t, tokens, tt.n)
			require.Len(t, times, tt.n)
			slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })

			for _, w := range []float64{0.05, 0.1, 0.25, 0.5, 1} {
				limit := float64(tt.burst) + tt.rate*w
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
			assert.GreaterOrEqual(t, time.Since(start), minElapsed-10*time.Millisecond)
		})
	}
}

func TestCreateManyBoundsConcurrency(t *testing.T) {
	t.Parallel()
	var inFlight, peak atomic.Int32
	mock := testutil.NewMock()
	tokenService(mock, func(string) (int, string) {
		now := inFlight.Add(1)
		for {
			p := peak.Load()
			if now <= p || peak.CompareAndSwap(p, now) {
				break
			}
		}
		time.Sleep(5 * time.Millisecond)
		inFlight.Add(-1)
		return 0, ""
	})
	_, err := token.NewClient(mock.Client()).CreateMany(t.Context(), stageARN, userConfigs(24), noLimit, token.WithConcurrency(3))
	require.NoError(t, err)
	assert.LessOrEqual(t, peak.Load(), int32(3))
	assert.Equal(t, 24, mock.Count())
}

func TestCreateManyCancellation(t *testing.T) {
	t.Parallel()
	// minCreated: the requests answered before the cancellation; a request in flight when it happens may
	// fail with the context's error.
	tests := []struct {
		name       string
		opts       []token.ManyOption
		minCreated int
	}{
		{"waiting for the rate limit", []token.ManyOption{token.WithRate(20, 1)}, 4},
		{"waiting for a free slot", []token.ManyOption{noLimit, token.WithConcurrency(2)}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			const n, cancelAfter = 40, 5
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			var served atomic.Int32
			var canceledAt atomic.Int64
			mock := testutil.NewMock()
			tokenService(mock, func(string) (int, string) {
				if served.Add(1) == cancelAfter {
					canceledAt.Store(time.Now().UnixNano())
					cancel()
				}
				time.Sleep(2 * time.Millisecond)
				return 0, ""
			})

			tokens, err := token.NewClient(mock.Client()).CreateMany(ctx, stageARN, userConfigs(n), tt.opts...)
			returned := time.Now()
			require.Error(t, err)
			require.NotZero(t, canceledAt.Load())
			assert.Less(t, returned.Sub(time.Unix(0, canceledAt.Load())), time.Second, "returns promptly")
			require.Len(t, tokens, n)
			assert.ErrorIs(t, err, context.Canceled)

			failed := map[int]bool{}
			for _, ie := range token.IndexErrors(err) {
				failed[ie.Index] = true
			}
			created := 0
			for i, tok := range tokens {
				if failed[i] {
					assert.True(t, tok.IsZero(), "slot %d failed and holds the zero Token", i)
					continue
				}
				created++
				assert.Equal(t, fmt.Sprintf("user-%02d", i), tok.UserID, "slot %d holds a created token", i)
			}
			assert.GreaterOrEqual(t, created, tt.minCreated, "the tokens created before the cancellation are kept")
			assert.Less(t, created, n/2, "no new calls after the cancellation")
			assert.Equal(t, n, created+len(failed), "every slot is a token or an error")
			assert.Less(t, mock.Count(), n/2)
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
	assert.Equal(t, "cfgs[5]: context canceled", b.Error())
}

// With a deadline, requests whose rate-limit slot comes too late fail at once instead of waiting for it.
func TestCreateManyDeadline(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	tokenService(mock, nil)
	ctx, cancel := context.WithTimeout(t.Context(), 250*time.Millisecond)
	defer cancel()
	start := time.Now()
	tokens, err := token.NewClient(mock.Client()).CreateMany(ctx, stageARN, userConfigs(20), token.WithRate(10, 1))
	assert.Less(t, time.Since(start), 2*time.Second)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	require.Len(t, tokens, 20)
	created := 0
	for _, tok := range tokens {
		if !tok.IsZero() {
			created++
		}
	}
	assert.GreaterOrEqual(t, created, 1)
	assert.LessOrEqual(t, created, 4, "at 10/s, a 250 ms deadline leaves room for about 3 requests")
	assert.Len(t, token.IndexErrors(err), 20-created)
}
