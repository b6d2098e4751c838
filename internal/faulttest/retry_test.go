package faulttest_test

import (
	"fmt"
	"net/http"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/recording"
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
		keys, err := testutil.Collect(e.tokens.PublicKeys(t.Context()))
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
	"stage.Sessions": func(t *testing.T, _ *env, f fixture, res any) {
		got := res.([]stage.Session)
		require.Len(t, got, 1)
		assert.Equal(t, f.sessionID, got[0].ID)
		assert.True(t, got[0].Active())
	},
	"stage.Session": func(t *testing.T, _ *env, f fixture, res any) {
		s := res.(stage.Session)
		assert.Equal(t, f.sessionID, s.ID)
		assert.True(t, s.Active())
		assert.False(t, s.Start.IsZero())
	},
	"stage.Participants": func(t *testing.T, _ *env, f fixture, res any) {
		got := res.([]stage.Participant)
		require.Len(t, got, 1)
		assert.Equal(t, f.participantID, got[0].ID)
		assert.Equal(t, "host", got[0].UserID)
		assert.Equal(t, stage.ParticipantConnected, got[0].State)
	},
	"stage.Participant": func(t *testing.T, _ *env, f fixture, res any) {
		p := res.(stage.Participant)
		assert.Equal(t, f.participantID, p.ID)
		assert.Equal(t, "host", p.UserID)
		assert.Equal(t, stage.ParticipantConnected, p.State)
		assert.Equal(t, map[string]string{"role": "host"}, p.Attributes)
		assert.Equal(t, recording.StateDisabled, p.Recording)
	},
	"stage.Disconnect": func(t *testing.T, e *env, f fixture, _ any) {
		p, err := e.stages.Participant(t.Context(), f.stageARN, f.sessionID, f.participantID)
		require.NoError(t, err)
		assert.Equal(t, stage.ParticipantDisconnected, p.State)
		assert.Equal(t, []stage.EventName{stage.EventJoined, stage.EventLeft}, eventNames(t, e, f),
			"the retried DisconnectParticipant disconnected once")
		_, err = e.srv.Join(f.stageARN, f.token)
		assert.ErrorIs(t, err, stagetest.ErrParticipantDisconnected, "its token never joins again")
	},
	"stage.ParticipantEvents": func(t *testing.T, _ *env, f fixture, res any) {
		got := res.([]stage.ParticipantEvent)
		require.Len(t, got, 1)
		assert.Equal(t, stage.EventJoined, got[0].Name)
		assert.Equal(t, f.participantID, got[0].ParticipantID)
	},
	"stage.StartReplication": func(t *testing.T, e *env, f fixture, _ any) {
		replicas, err := testutil.Collect(e.stages.Replicas(t.Context(), f.stageARN, f.participantID))
		require.NoError(t, err)
		require.Len(t, replicas, 1, "the retried StartParticipantReplication replicated once")
		assert.Equal(t, f.dstStageARN, replicas[0].DestinationStageARN)
		assert.Equal(t, stage.ReplicationActive, replicas[0].State)
		assert.Equal(t, []stage.EventName{stage.EventJoined, stage.EventReplicationStarted}, eventNames(t, e, f))
		replica, err := e.stages.Participant(t.Context(), f.dstStageARN, replicas[0].DestinationSessionID, f.participantID)
		require.NoError(t, err)
		assert.Equal(t, stage.ReplicationReplica, replica.Replication.Type)
		assert.Equal(t, map[string]string{"role": "host", "replica": "yes"}, replica.Attributes)
	},
	"stage.StopReplication": func(t *testing.T, e *env, f fixture, _ any) {
		replicas, err := testutil.Collect(e.stages.Replicas(t.Context(), f.stageARN, f.participantID))
		require.NoError(t, err)
		assert.Empty(t, replicas)
		assert.Equal(t, []stage.EventName{stage.EventJoined, stage.EventReplicationStarted, stage.EventReplicationStopped},
			eventNames(t, e, f), "the retried StopParticipantReplication stopped once")
	},
	"stage.Replicas": func(t *testing.T, _ *env, f fixture, res any) {
		got := res.([]stage.Replica)
		require.Len(t, got, 1)
		assert.Equal(t, f.stageARN, got[0].SourceStageARN)
		assert.Equal(t, f.sessionID, got[0].SourceSessionID)
		assert.Equal(t, f.dstStageARN, got[0].DestinationStageARN)
		assert.Equal(t, f.participantID, got[0].ParticipantID)
	},
	"stage.Tag": func(t *testing.T, e *env, f fixture, _ any) {
		st, err := e.stages.Get(t.Context(), f.stageARN)
		require.NoError(t, err)
		assert.Equal(t, map[string]string{"keep": "changed", "drop": "d", "added": "a"}, st.Tags)
	},
	"stage.Tag(storage configuration)": func(t *testing.T, e *env, f fixture, _ any) {
		sc, err := e.storages.GetStorage(t.Context(), f.storageARN)
		require.NoError(t, err)
		assert.Equal(t, map[string]string{"keep": "k", "drop": "d", "added": "a"}, sc.Tags)
	},
	"stage.Untag": func(t *testing.T, e *env, f fixture, _ any) {
		st, err := e.stages.Get(t.Context(), f.stageARN)
		require.NoError(t, err)
		assert.Equal(t, map[string]string{"keep": "k"}, st.Tags)
	},
	"stage.Tags": func(t *testing.T, _ *env, _ fixture, res any) {
		assert.Equal(t, map[string]string{"keep": "k", "drop": "d"}, res.(map[string]string))
	},
	"stage.WaitRecordingIdle": func(t *testing.T, e *env, _ fixture, _ any) {
		assert.Empty(t, e.requests(opListParticipants, 0), "no session: GetStage is enough")
	},
	"stage.WaitRecordingIdle(session)": func(t *testing.T, e *env, _ fixture, _ any) {
		var states []any
		for _, r := range e.requests(opListParticipants, 0) {
			states = append(states, r.JSON()["filterByRecordingState"])
		}
		assert.Equal(t, []any{"STARTING", "STARTING", "ACTIVE", "STOPPING"}, states,
			"the throttled STARTING check was retried, then the poll went on")
	},
	"recording.CreateStorage": func(t *testing.T, e *env, _ fixture, res any) {
		sc := res.(recording.StorageConfiguration)
		assert.Equal(t, "created", sc.Name)
		assert.Equal(t, "created-bucket", sc.BucketName)
		assert.Equal(t, map[string]string{"k": "v"}, sc.Tags)
		assert.ElementsMatch(t, []string{e.storage, sc.ARN}, storageARNs(t, e), "the retried CreateStorageConfiguration made one")
	},
	"recording.GetStorage": func(t *testing.T, _ *env, f fixture, res any) {
		sc := res.(recording.StorageConfiguration)
		assert.Equal(t, f.storageARN, sc.ARN)
		assert.Equal(t, "fixture", sc.Name)
		assert.Equal(t, "fixture-bucket", sc.BucketName)
		assert.Equal(t, fixtureTags, sc.Tags)
	},
	"recording.ListStorage": func(t *testing.T, e *env, f fixture, res any) {
		got := res.([]recording.StorageConfiguration)
		var arns []string
		for _, sc := range got {
			arns = append(arns, sc.ARN)
		}
		assert.ElementsMatch(t, []string{e.storage, f.storageARN}, arns)
	},
	"recording.DeleteStorage": func(t *testing.T, e *env, f fixture, _ any) {
		_, err := e.storages.GetStorage(t.Context(), f.storageARN)
		var notFound *types.ResourceNotFoundException
		assert.ErrorAs(t, err, &notFound)
		assert.Equal(t, []string{e.storage}, storageARNs(t, e))
	},
}

// eventNames returns the names of the fixture participant's events, in the service's (time) order.
func eventNames(t *testing.T, e *env, f fixture) []stage.EventName {
	t.Helper()
	events, err := testutil.Collect(e.stages.ParticipantEvents(t.Context(), f.stageARN, f.sessionID, f.participantID))
	require.NoError(t, err)
	var names []stage.EventName
	for _, ev := range events {
		names = append(names, ev.Name)
	}
	return names
}

func storageARNs(t *testing.T, e *env) []string {
	t.Helper()
	all, err := testutil.Collect(e.storages.ListStorage(t.Context()))
	require.NoError(t, err)
	var arns []string
	for _, sc := range all {
		arns = append(arns, sc.ARN)
	}
	return arns
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
// retried once by the SDK: the call succeeds, exactly one extra request went out (attempt=1 then
// attempt=2, with the same path, query and body), and the operation took effect once (each method's check
// reads the state back: one stage, one storage configuration, one disconnect, one replication, …).
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

				// The first request of m.op failed and was retried; the call's other requests of m.op (if
				// any) went out once each.
				reqs := e.requests(m.op, before)
				want := []int{1, 2}
				for range m.requestsOfOp() - 1 {
					want = append(want, 1)
				}
				require.Equal(t, want, attempts(reqs), "one failed attempt, one retry")
				assert.Equal(t, reqs[0].JSON(), reqs[1].JSON(), "the retry resends the same input")
				assert.Equal(t, reqs[0].Path, reqs[1].Path)
				assert.Equal(t, reqs[0].Query, reqs[1].Query)
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
		// CreateMany starts 4 requests at once and then paces at 50/s, 8 in flight. The server allows 100/s
		// from a burst of 1 on its own clock, which moves 2 ms per request: one request in five finds a
		// token, however fast or slow the machine sends them, so requests are throttled and retried until
		// they get through. stagetest's 1 ms backoff needs more than 3 attempts to wait that out.
		var ticks atomic.Int64
		base := time.Now()
		clock := func() time.Time { return base.Add(time.Duration(ticks.Add(1)) * 2 * time.Millisecond) }
		e := newEnv([]stagetest.Option{stagetest.WithClock(clock), stagetest.WithRateLimit(opCreateToken, 100, 1)}, maxAttempts(1000))
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

// WithOptions reaches every method: on clients derived with RetryMaxAttempts 1, a 429 on the first attempt
// of any method is returned after that one attempt (the SDK's throttling error, wrapped for the operation),
// while the clients they were derived from, unchanged, still retry it.
func TestWithOptionsReachesEveryMethod(t *testing.T) {
	t.Parallel()
	for _, m := range methods {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(nil)
			f := m.setup(t, e)
			derived := &env{srv: e.srv, storage: e.storage,
				stages: e.stages.WithOptions(maxAttempts(1)), tokens: e.tokens.WithOptions(maxAttempts(1)),
				storages: e.storages.WithOptions(maxAttempts(1))}

			before := e.srv.RequestCount()
			e.srv.FailNext(m.op, http.StatusTooManyRequests, "ThrottlingException")
			res, err := m.call(t.Context(), derived, f)
			assertZeroResult(t, m.name, res)
			var apiErr smithy.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, "ThrottlingException", apiErr.ErrorCode())
			var opErr *smithy.OperationError
			if assert.ErrorAs(t, err, &opErr) {
				assert.Equal(t, m.op, opErr.OperationName)
			}
			assert.Equal(t, []int{1}, attempts(e.requests(m.op, before)), "one attempt: the derived client's option applied")

			// The original clients are unchanged: the same fault is retried. (Methods that change state
			// need a fresh fixture for their second call.)
			f = m.setup(t, e)
			before = e.srv.RequestCount()
			e.srv.FailNext(m.op, http.StatusTooManyRequests, "ThrottlingException")
			_, err = m.call(t.Context(), e, f)
			require.NoError(t, err)
			assert.Equal(t, []int{1, 2}, attempts(e.requests(m.op, before))[:2], "the original client retries")
		})
	}
}
