package faulttest_test

import (
	"fmt"
	"net/http"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// retryableFaults are the faults the SDK's standard retryer retries.
var retryableFaults = []struct {
	status int
	code   string
}{
	{http.StatusTooManyRequests, "ThrottlingException"},
	{http.StatusInternalServerError, "InternalServerException"},
}

// verifyAfterRetry checks, per method, that the call that was retried did its job exactly once.
var verifyAfterRetry = map[string]func(t *testing.T, e *env, f fixture, res any){
	"stage.Create": func(t *testing.T, e *env, _ fixture, res any) {
		r := res.(createResult)
		assert.Equal(t, "created", r.stage.Name)
		assert.Equal(t, map[string]string{"k": "v"}, r.stage.Tags)
		require.Len(t, r.tokens, 1)
		assert.Equal(t, "p0", r.tokens[0].UserID)
		assert.NotEmpty(t, r.tokens[0].Value())
		assert.Equal(t, []string{r.stage.ARN}, listARNs(t, e), "the retried CreateStage made one stage")
	},
	"stage.Get": func(t *testing.T, _ *env, f fixture, res any) {
		st := res.(stage.Stage)
		assert.Equal(t, f.stageARN, st.ARN)
		assert.Equal(t, "fixture", st.Name)
	},
	"stage.Update": func(t *testing.T, e *env, f fixture, res any) {
		st := res.(stage.Stage)
		assert.Equal(t, "renamed", st.Name)
		assert.True(t, st.Recording.Enabled)
		got, err := e.stages.Get(t.Context(), f.stageARN)
		require.NoError(t, err)
		assert.Equal(t, st, got)
	},
	"stage.Delete": func(t *testing.T, e *env, f fixture, _ any) {
		_, err := e.stages.Get(t.Context(), f.stageARN)
		var notFound *types.ResourceNotFoundException
		assert.ErrorAs(t, err, &notFound)
	},
	"stage.List": func(t *testing.T, _ *env, f fixture, res any) {
		got := res.([]stage.Summary)
		require.Len(t, got, 1)
		assert.Equal(t, f.stageARN, got[0].ARN)
		assert.Equal(t, "fixture", got[0].Name)
	},
	"token.Create": func(t *testing.T, _ *env, _ fixture, res any) {
		tok := res.(token.Token)
		assert.Equal(t, "single", tok.UserID)
		assert.NotEmpty(t, tok.Value())
	},
	"token.CreateMany": func(t *testing.T, _ *env, _ fixture, res any) {
		toks := res.([]token.Token)
		require.Len(t, toks, 1)
		assert.Equal(t, userID(0), toks[0].UserID)
		assert.NotEmpty(t, toks[0].Value())
	},
	"token.ImportPublicKey": func(t *testing.T, e *env, _ fixture, res any) {
		arn := res.(string)
		pub, ok := e.srv.PublicKey(arn)
		require.True(t, ok, "key %s exists", arn)
		assert.True(t, pub.Equal(keyForImport))
		keys, err := e.tokens.ListPublicKeys(t.Context())
		require.NoError(t, err)
		assert.Len(t, keys, 1, "the retried ImportPublicKey imported one key")
	},
	"token.GetPublicKey": func(t *testing.T, _ *env, f fixture, res any) {
		k := res.(token.PublicKey)
		assert.Equal(t, f.keyARN, k.ARN)
		assert.NotNil(t, k.Key)
	},
	"token.ListPublicKeys": func(t *testing.T, _ *env, f fixture, res any) {
		keys := res.([]token.PublicKeySummary)
		require.Len(t, keys, 1)
		assert.Equal(t, f.keyARN, keys[0].ARN)
	},
	"token.DeletePublicKey": func(t *testing.T, e *env, f fixture, _ any) {
		_, err := e.tokens.GetPublicKey(t.Context(), f.keyARN)
		var notFound *types.ResourceNotFoundException
		assert.ErrorAs(t, err, &notFound)
	},
}

func listARNs(t *testing.T, e *env) []string {
	t.Helper()
	var arns []string
	for s, err := range e.stages.List(t.Context()) {
		require.NoError(t, err)
		arns = append(arns, s.ARN)
	}
	return arns
}

// A 429 ThrottlingException or a 500 InternalServerException on the first attempt of any method is
// retried once by the SDK: the call succeeds, exactly two requests went out (attempt=1 then attempt=2,
// with the same body), and the operation took effect once.
func TestRetriedFaultsEveryMethod(t *testing.T) {
	t.Parallel()
	require.Len(t, verifyAfterRetry, len(methods), "every method has a check")
	for _, m := range methods {
		for _, fault := range retryableFaults {
			t.Run(fmt.Sprintf("%s/%d_%s", m.name, fault.status, fault.code), func(t *testing.T) {
				t.Parallel()
				e, f, before, res, err := m.callAfterFault(t, fault.status, fault.code)
				require.NoError(t, err)
				verifyAfterRetry[m.name](t, e, f, res)

				reqs := e.requests(m.op, before)
				require.Len(t, reqs, 2, "one failed attempt, one retry")
				assert.Equal(t, []int{1, 2}, attempts(reqs))
				assert.Equal(t, reqs[0].JSON(), reqs[1].JSON(), "the retry resends the same input")
			})
		}
	}
}

// CreateMany of 20 tokens absorbs injected 429s and 500s: every token is created, in input order, and no
// error is returned; each fault costs exactly one extra request.
func TestCreateManyAbsorbsInjectedFaults(t *testing.T) {
	t.Parallel()
	const n = 20

	t.Run("faults queued up front, 8 in flight", func(t *testing.T) {
		t.Parallel()
		faults := []int{429, 500, 429, 500, 429, 500}
		// The faults are taken by whichever requests arrive first, so one call could meet all of them: give
		// every call enough attempts to outlast them (stagetest's default is 3).
		e := newEnv(nil, maxAttempts(len(faults)+1))
		arn := e.createStage(t, "batch")
		before := e.srv.RequestCount()
		for _, status := range faults {
			e.srv.FailNext(opCreateToken, status, codeFor(status))
		}

		toks, err := e.tokens.CreateMany(t.Context(), arn, userConfigs(n), noLimit, token.WithConcurrency(8))
		require.NoError(t, err)
		assertBatch(t, toks, n)

		reqs := e.requests(opCreateToken, before)
		assert.Len(t, reqs, n+len(faults), "one extra request per fault")
		firsts := 0
		for _, a := range attempts(reqs) {
			if a == 1 {
				firsts++
			}
		}
		assert.Equal(t, n, firsts, "one first attempt per token")
		assert.ElementsMatch(t, userIDsOf(toks), uniqueUserIDs(reqs), "every token was asked for")
	})

	t.Run("one fault before every third call, default retryer", func(t *testing.T) {
		t.Parallel()
		e := newEnv(nil)
		arn := e.createStage(t, "batch")
		before := e.srv.RequestCount()
		var injected atomic.Int32
		inject := func(done, _ int) {
			// Sequential calls (concurrency 1): the fault armed after call done-1 hits the first attempt of
			// call done, which its second attempt survives.
			if done%3 == 1 {
				status := []int{429, 500}[injected.Add(1)%2]
				e.srv.FailNext(opCreateToken, status, codeFor(status))
			}
		}
		toks, err := e.tokens.CreateMany(t.Context(), arn, userConfigs(n), noLimit,
			token.WithConcurrency(1), token.WithProgress(inject))
		require.NoError(t, err)
		assertBatch(t, toks, n)

		reqs := e.requests(opCreateToken, before)
		// Faults armed after calls 1, 4, …, 19 hit calls 2, 5, …, 20: seven of them.
		require.EqualValues(t, 7, injected.Load())
		require.Len(t, reqs, n+7)
		// Requests go out in input order, each faulted call's retry right after its first attempt.
		var wantAttempts []int
		var wantUsers []string
		for i := range n {
			wantAttempts = append(wantAttempts, 1)
			wantUsers = append(wantUsers, userID(i))
			if i%3 == 1 {
				wantAttempts = append(wantAttempts, 2)
				wantUsers = append(wantUsers, userID(i))
			}
		}
		assert.Equal(t, wantAttempts, attempts(reqs))
		var gotUsers []string
		for _, r := range reqs {
			gotUsers = append(gotUsers, userIDOf(r))
		}
		assert.Equal(t, wantUsers, gotUsers)
	})
}

func codeFor(status int) string {
	if status == http.StatusTooManyRequests {
		return "ThrottlingException"
	}
	return "InternalServerException"
}

// assertBatch checks a complete CreateMany result: n tokens, token i for user i, each with its value.
func assertBatch(t *testing.T, toks []token.Token, n int) {
	t.Helper()
	require.Len(t, toks, n)
	for i, tok := range toks {
		assert.Equal(t, userID(i), tok.UserID, "slot %d", i)
		assert.NotEmpty(t, tok.Value(), "slot %d", i)
		assert.Equal(t, time.Hour, tok.Duration, "slot %d", i)
		assert.Equal(t, map[string]string{"batch": "yes"}, tok.Attributes, "slot %d", i)
	}
	values := map[string]bool{}
	for _, tok := range toks {
		values[tok.Value()] = true
	}
	assert.Len(t, values, n, "every slot holds a distinct token")
}

func userIDsOf(toks []token.Token) []string {
	var out []string
	for _, tok := range toks {
		if !tok.IsZero() {
			out = append(out, tok.UserID)
		}
	}
	return out
}

func userIDOf(r stagetest.Request) string {
	id, _ := r.JSON()["userId"].(string)
	return id
}

func uniqueUserIDs(reqs []stagetest.Request) []string {
	var out []string
	for _, r := range reqs {
		if id := userIDOf(r); !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// CreateMany against a server that throttles CreateParticipantToken (stagetest.WithRateLimit): the SDK's
// retryer absorbs the 429s, every token is created in input order and no error is returned.
func TestCreateManyAbsorbsServerThrottling(t *testing.T) {
	t.Parallel()
	const n = 20

	t.Run("one token per two requests, sequential", func(t *testing.T) {
		t.Parallel()
		// The server's clock moves 2 ms per request and its bucket refills 250/s from a burst of 1: every
		// other request finds a token, whatever the wall clock does. With one call at a time, every call
		// after the first is throttled once and succeeds on its second attempt.
		var ticks atomic.Int64
		base := time.Now()
		clock := func() time.Time { return base.Add(time.Duration(ticks.Add(1)) * 2 * time.Millisecond) }
		e := newEnv([]stagetest.Option{stagetest.WithClock(clock), stagetest.WithRateLimit(opCreateToken, 250, 1)})
		arn := e.createStage(t, "batch")
		before := e.srv.RequestCount()

		toks, err := e.tokens.CreateMany(t.Context(), arn, userConfigs(n), noLimit, token.WithConcurrency(1))
		require.NoError(t, err)
		assertBatch(t, toks, n)

		reqs := e.requests(opCreateToken, before)
		want := []int{1}
		for range n - 1 {
			want = append(want, 1, 2)
		}
		assert.Equal(t, want, attempts(reqs), "every call but the first throttled exactly once")
	})

	t.Run("client bursts past the server's quota", func(t *testing.T) {
		t.Parallel()
		// The server allows 100/s from a burst of 1; CreateMany starts 4 requests at once and then paces at
		// 50/s, so the first ones are throttled until the bucket refills (10 ms a token). stagetest's 1 ms
		// backoff needs more than 3 attempts to wait that out.
		e := newEnv([]stagetest.Option{stagetest.WithRateLimit(opCreateToken, 100, 1)}, maxAttempts(1000))
		arn := e.createStage(t, "batch")
		before := e.srv.RequestCount()

		toks, err := e.tokens.CreateMany(t.Context(), arn, userConfigs(n), token.WithRate(50, 4))
		require.NoError(t, err)
		assertBatch(t, toks, n)

		reqs := e.requests(opCreateToken, before)
		assert.Greater(t, len(reqs), n, "some requests were throttled and retried")
		assert.ElementsMatch(t, userIDsOf(toks), uniqueUserIDs(reqs))
	})
}
