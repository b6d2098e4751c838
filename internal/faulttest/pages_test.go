package faulttest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
)

// pager is one iterator of the clients, run with pages of one item over a fixture that holds two, so that
// a fault can be put on the second page.
type pager struct {
	name  string
	op    string
	setup func(testing.TB, *env) fixture
	// ids runs the iterator with page size 1 and returns an ID of each item yielded before the first error.
	ids func(ctx context.Context, e *env, f fixture) ([]string, error)
}

// ids2 runs seq until its first error and returns id of each item yielded before it.
func ids2[T any](seq func(yield func(T, error) bool), id func(T) string) ([]string, error) {
	items, err := testutil.Collect(seq)
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = id(it)
	}
	return out, err
}

// withTwoStages is withStage and a second stage.
func withTwoStages(t testing.TB, e *env) fixture {
	t.Helper()
	f := withStage(t, e)
	e.createStage(t, "second")
	return f
}

// withTwoSessions is withParticipant whose first session ended (the host left and joined again: a new
// session, with the host as a new participant).
func withTwoSessions(t testing.TB, e *env) fixture {
	t.Helper()
	f := withParticipant(t, e)
	require.NoError(t, e.srv.Leave(f.stageARN, f.participantID))
	pid, err := e.srv.Join(f.stageARN, f.token)
	require.NoError(t, err)
	st, err := e.stages.Get(t.Context(), f.stageARN)
	require.NoError(t, err)
	require.NotEqual(t, f.sessionID, st.ActiveSessionID, "a second session")
	f.sessionID, f.participantID = st.ActiveSessionID, pid
	return f
}

// withTwoParticipants is withParticipant with the guest connected too.
func withTwoParticipants(t testing.TB, e *env) fixture {
	t.Helper()
	f := withParticipant(t, e)
	guest, err := e.tokens.Create(t.Context(), f.stageARN, userConfigs(1)[0])
	require.NoError(t, err)
	_, err = e.srv.Join(f.stageARN, guest.Value())
	require.NoError(t, err)
	return f
}

// withTwoEvents is withParticipant after the host published: JOINED and PUBLISH_STARTED.
func withTwoEvents(t testing.TB, e *env) fixture {
	t.Helper()
	f := withParticipant(t, e)
	require.NoError(t, e.srv.Publish(f.stageARN, f.participantID))
	return f
}

// withTwoReplications is withReplication with the host replicated to a second destination too.
func withTwoReplications(t testing.TB, e *env) fixture {
	t.Helper()
	f := withReplication(t, e)
	dst := e.createStage(t, "second-destination")
	require.NoError(t, e.stages.StartReplication(t.Context(), stage.NewReplication(f.stageARN, dst, f.participantID)))
	return f
}

var pagers = []pager{
	{"stage.List", opListStages, withTwoStages, func(ctx context.Context, e *env, _ fixture) ([]string, error) {
		return ids2(e.stages.List(ctx, stage.WithPageSize(1)), func(s stage.Summary) string { return s.ARN })
	}},
	{"stage.Sessions", opListSessions, withTwoSessions, func(ctx context.Context, e *env, f fixture) ([]string, error) {
		return ids2(e.stages.Sessions(ctx, f.stageARN, stage.WithPageSize(1)), func(s stage.Session) string { return s.ID })
	}},
	{"stage.Participants", opListParticipants, withTwoParticipants, func(ctx context.Context, e *env, f fixture) ([]string, error) {
		return ids2(e.stages.Participants(ctx, f.stageARN, f.sessionID, stage.WithPageSize(1)), func(p stage.Participant) string { return p.ID })
	}},
	{"stage.ParticipantEvents", opListEvents, withTwoEvents, func(ctx context.Context, e *env, f fixture) ([]string, error) {
		return ids2(e.stages.ParticipantEvents(ctx, f.stageARN, f.sessionID, f.participantID, stage.WithPageSize(1)),
			func(ev stage.ParticipantEvent) string { return string(ev.Name) })
	}},
	{"stage.Replicas", opListReplicas, withTwoReplications, func(ctx context.Context, e *env, f fixture) ([]string, error) {
		return ids2(e.stages.Replicas(ctx, f.stageARN, f.participantID, stage.WithPageSize(1)),
			func(r stage.Replica) string { return r.DestinationStageARN })
	}},
	{"recording.ListStorage", opListStorage, withStorage, func(ctx context.Context, e *env, _ fixture) ([]string, error) {
		return ids2(e.storages.ListStorage(ctx, recording.WithPageSize(1)), func(s recording.StorageConfiguration) string { return s.ARN })
	}},
}

// armSecondPage makes the fake answer the second request of op that arrives from now on with status and
// code: the hook runs as that request arrives, before the fake serves it.
func armSecondPage(e *env, rt *settledTransport, op string, status int, code string) {
	rt.arm("", func(got string, n int) {
		if got == op && n == 2 {
			e.srv.FailNext(op, status, code)
		}
	})
}

// A fault on the second page of any iterator: a 429 or 500 is retried (the retry asks for the same page,
// and the iteration yields every item once, in order), a 402, 403, 404, 409 or 400 ends the iteration after
// the first page's item with the typed error, and the iterator sends nothing more. Each subtest first
// iterates once cleanly over the same fixture (a read, changing nothing) for what a full run yields.
func TestIteratorFaultOnALaterPage(t *testing.T) {
	t.Parallel()
	// run sets p up, iterates once without faults (the items and the number of pages), makes the fake
	// answer the next run's second page with status and code, and iterates again: it returns the
	// environment, the clean run's items and pages, the request count before the faulted run, and what that
	// run yielded.
	run := func(t *testing.T, p pager, status int, code string) (e *env, want []string, pages, before int, got []string, err error) {
		e, rt := newSettledEnv(nil)
		f := p.setup(t, e)
		before = e.srv.RequestCount()
		want, err = p.ids(t.Context(), e, f)
		require.NoError(t, err)
		require.Len(t, want, 2, "the fixture holds two items")
		pages = len(e.requests(p.op, before))
		require.GreaterOrEqual(t, pages, 2)
		before = e.srv.RequestCount()
		armSecondPage(e, rt, p.op, status, code)
		got, err = p.ids(t.Context(), e, f)
		return e, want, pages, before, got, err
	}
	for _, p := range pagers {
		for _, fault := range retryableFaults {
			t.Run(fmt.Sprintf("%s/%d_%s", p.name, fault.status, fault.code), func(t *testing.T) {
				t.Parallel()
				e, want, pages, before, got, err := run(t, p, fault.status, fault.code)
				require.NoError(t, err)
				assert.Equal(t, want, got, "every item once, in order")
				// The second page's first attempt failed and was retried: one extra request, right after it.
				wantAttempts := []int{1, 1, 2}
				for range pages - 2 {
					wantAttempts = append(wantAttempts, 1)
				}
				reqs := e.requests(p.op, before)
				require.Equal(t, wantAttempts, attempts(reqs), "page 2 retried once, the other pages not")
				assert.Equal(t, reqs[1].JSON(), reqs[2].JSON(), "the retry asks for the same page")
				assert.NotEqual(t, reqs[0].JSON(), reqs[1].JSON(), "page 2 carries page 1's nextToken")
			})
		}
		for _, se := range serviceErrors {
			t.Run(fmt.Sprintf("%s/%d_%s", p.name, se.status, se.code), func(t *testing.T) {
				t.Parallel()
				e, want, _, before, got, err := run(t, p, se.status, se.code)
				assertServiceError(t, err, se, p.op)
				assert.Equal(t, want[:1], got, "the first page's item, then the error")
				assert.Equal(t, []int{1, 1}, attempts(e.requests(p.op, before)), "not retried, nothing after")
			})
		}
	}
}

// An iteration whose context ends between two pages (as the second page's request arrives) yields the
// first page's item and then the context's error, and sends nothing after.
func TestIteratorContextEndsBetweenPages(t *testing.T) {
	t.Parallel()
	for _, en := range endings {
		for _, p := range pagers {
			t.Run(en.name+"/"+p.name, func(t *testing.T) {
				t.Parallel()
				e, rt := newSettledEnv(nil)
				f := p.setup(t, e)
				before := e.srv.RequestCount()
				ctx, end, endedAt := en.make(t)
				rt.arm("", func(op string, n int) {
					if op == p.op && n == 2 {
						end()
					}
				})
				got, err := p.ids(ctx, e, f)
				require.ErrorIs(t, err, en.want)
				assert.NotErrorIs(t, err, en.not)
				assert.False(t, endedAt().IsZero())
				assert.Len(t, got, 1, "the first page's item")
				assert.Equal(t, 2, rt.sentOf(p.op), "the second page was asked for, nothing after")
				assert.Len(t, e.requests(p.op, before), 1, "only the first page reached the server")
			})
		}
	}
}
