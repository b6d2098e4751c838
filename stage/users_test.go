package stage_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// opHook passes requests to next, calling before (when set) ahead of each request and after (when set)
// once its response is back, with the operation and how many requests of it there have been, this one
// included.
type opHook struct {
	next          http.RoundTripper
	before, after func(op string, n int)

	mu     sync.Mutex
	counts map[string]int
}

func (h *opHook) RoundTrip(req *http.Request) (*http.Response, error) {
	op := strings.TrimPrefix(req.URL.Path, "/")
	h.mu.Lock()
	if h.counts == nil {
		h.counts = map[string]int{}
	}
	h.counts[op]++
	n := h.counts[op]
	h.mu.Unlock()
	if h.before != nil {
		h.before(op, n)
	}
	resp, err := h.next.RoundTrip(req)
	if h.after != nil {
		h.after(op, n)
	}
	return resp, err
}

// hooked returns a client on w's server whose requests go through hook.
func (w *world) hooked(hook *opHook) *stage.Client {
	hook.next = w.srv.Transport()
	cfg := w.srv.Config()
	cfg.HTTPClient = &http.Client{Transport: hook}
	return stage.NewClientFromConfig(cfg)
}

// usersStage is a stage (recording off) where alice has two connected participants and one that left, and
// bob one connected participant, joined in the order alice, bob, alice, alice (who leaves).
type usersStage struct {
	st                          stage.Stage
	alice1, bob, alice2, alice3 string // alice3 has left
}

func (w *world) usersStage(t *testing.T) usersStage {
	t.Helper()
	st, toks := w.createStage(t, "Users", -1,
		token.New().WithUserID("alice"), token.New().WithUserID("bob"), token.New().WithUserID("alice"), token.New().WithUserID("alice"))
	ids := w.join(t, st, toks...)
	require.NoError(t, w.srv.Leave(st.ARN, ids[3]))
	return usersStage{st: st, alice1: ids[0], bob: ids[1], alice2: ids[2], alice3: ids[3]}
}

// states returns the state of every participant of the stage's active session, by ID.
func (w *world) states(t *testing.T, arn string) map[string]stage.ParticipantState {
	t.Helper()
	out := map[string]stage.ParticipantState{}
	for _, p := range testutil.MustCollect(t, w.stages.ActiveParticipants(t.Context(), arn)) {
		out[p.ID] = p.State
	}
	return out
}

// ActiveParticipants reads the active session (GetStage), then lists it (ListParticipants, paged as
// asked, one filter passed on to the service); a stage without an active session yields nothing.
func TestActiveParticipants(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		opts    []stage.ListOption
		want    func(u usersStage) []string
		wantOps []string
		// wantList is the body of the first ListParticipants, the session ID left out.
		wantList map[string]any
	}{
		{"everyone", nil, func(u usersStage) []string { return []string{u.alice1, u.bob, u.alice2, u.alice3} },
			[]string{"GetStage", "ListParticipants"}, map[string]any{}},
		{"connected", []stage.ListOption{stage.FilterState(stage.ParticipantConnected)},
			func(u usersStage) []string { return []string{u.alice1, u.bob, u.alice2} },
			[]string{"GetStage", "ListParticipants"}, map[string]any{"filterByState": "CONNECTED"}},
		{"alice, two per page", []stage.ListOption{stage.FilterUserID("alice"), stage.WithPageSize(2)},
			func(u usersStage) []string { return []string{u.alice1, u.alice2, u.alice3} },
			[]string{"GetStage", "ListParticipants", "ListParticipants"}, map[string]any{"filterByUserId": "alice", "maxResults": float64(2)}},
		{"nobody", []stage.ListOption{stage.FilterUserID("carol")}, func(usersStage) []string { return nil },
			[]string{"GetStage", "ListParticipants"}, map[string]any{"filterByUserId": "carol"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			u := w.usersStage(t)
			session := w.activeSession(t, u.st.ARN)
			n := w.srv.RequestCount()

			got := testutil.MustCollect(t, w.stages.ActiveParticipants(t.Context(), u.st.ARN, tt.opts...))
			assert.Equal(t, tt.want(u), ids(got))
			reqs := since(w.srv, n)
			assert.Equal(t, tt.wantOps, operations(reqs))
			assert.Equal(t, map[string]any{"arn": u.st.ARN}, reqs[0].JSON())
			want := map[string]any{"stageArn": u.st.ARN, "sessionId": session}
			for k, v := range tt.wantList {
				want[k] = v
			}
			assert.Equal(t, want, reqs[1].JSON())
		})
	}
	t.Run("no active session", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t)
		st, toks := w.createStage(t, "Empty", -1, token.New().WithUserID("alice"))
		before := testutil.MustCollect(t, w.stages.ActiveParticipants(t.Context(), st.ARN))
		id := w.join(t, st, toks[0])[0]
		require.NoError(t, w.srv.Leave(st.ARN, id)) // the session ends with its last participant
		n := w.srv.RequestCount()
		after := testutil.MustCollect(t, w.stages.ActiveParticipants(t.Context(), st.ARN))
		assert.Empty(t, before, "never had a session")
		assert.Empty(t, after, "the session has ended")
		assert.Equal(t, []string{"GetStage"}, operations(since(w.srv, n)))
	})
	t.Run("unknown stage", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t)
		_, errs := testutil.CollectAll(w.stages.ActiveParticipants(t.Context(), "arn:aws:ivs:us-east-1:123456789012:stage/Unknown12345"))
		require.Len(t, errs, 1)
		var notFound *types.ResourceNotFoundException
		assert.ErrorAs(t, errs[0], &notFound)
		assert.Equal(t, []string{"GetStage"}, operations(w.srv.Requests()))
	})
	t.Run("stopping early sends no more", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t)
		u := w.usersStage(t)
		n := w.srv.RequestCount()
		for p, err := range w.stages.ActiveParticipants(t.Context(), u.st.ARN, stage.WithPageSize(1)) {
			require.NoError(t, err)
			assert.Equal(t, u.alice1, p.ID)
			break
		}
		assert.Equal(t, []string{"GetStage", "ListParticipants"}, operations(since(w.srv, n)))
	})
}

// The race ActiveParticipants documents: the session ends between the GetStage and the ListParticipants.
// The iteration then yields the participants of the session that just ended, each DISCONNECTED, with no
// error.
func TestActiveParticipantsSessionEndsInBetween(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	st, toks := w.createStage(t, "Ending", -1, token.New().WithUserID("alice"), token.New().WithUserID("bob"))
	joined := w.join(t, st, toks...)
	hook := &opHook{after: func(op string, _ int) {
		if op == "GetStage" {
			for _, id := range joined {
				assert.NoError(t, w.srv.Leave(st.ARN, id))
			}
		}
	}}
	got := testutil.MustCollect(t, w.hooked(hook).ActiveParticipants(t.Context(), st.ARN))
	assert.Equal(t, joined, ids(got))
	for _, p := range got {
		assert.Equal(t, stage.ParticipantDisconnected, p.State, p.ID)
	}
	after, err := w.stages.Get(t.Context(), st.ARN)
	require.NoError(t, err)
	assert.Empty(t, after.ActiveSessionID, "the session has ended")
}

// ActiveParticipants checks the stage ARN and Participants' options before anything is sent; the valid
// boundaries (page sizes 1 and 100, a user ID of 128 code points) go through.
func TestActiveParticipantsValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		arn  string // "" is replaced by the stage's ARN
		opts []stage.ListOption
		want map[string]string
	}{
		{"page size 1", "", []stage.ListOption{stage.WithPageSize(1)}, nil},
		{"page size 100", "", []stage.ListOption{stage.WithPageSize(100)}, nil},
		{"user ID of 128", "", []stage.ListOption{stage.FilterUserID(strings.Repeat("é", 128))}, nil},
		{"page size 0", "", []stage.ListOption{stage.WithPageSize(0)}, map[string]string{"ActiveParticipants.MaxResults": rules.RuleRange}},
		{"page size 101", "", []stage.ListOption{stage.WithPageSize(101)}, map[string]string{"ActiveParticipants.MaxResults": rules.RuleRange}},
		{"user ID of 129", "", []stage.ListOption{stage.FilterUserID(strings.Repeat("é", 129))},
			map[string]string{"ActiveParticipants.FilterByUserId": rules.RuleLength}},
		{"two filters", "", []stage.ListOption{stage.FilterUserID("alice"), stage.FilterState(stage.ParticipantConnected)},
			map[string]string{"ActiveParticipants.FilterByState": rules.RuleConflict}},
		{"not a stage ARN", storageARN, nil, map[string]string{"ActiveParticipants.StageArn": rules.RulePattern}},
		{"ARN of 129", stageARNWithLength(129), nil, map[string]string{"ActiveParticipants.StageArn": rules.RuleLength}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			u := w.usersStage(t)
			arn := tt.arn
			if arn == "" {
				arn = u.st.ARN
			}
			n := w.srv.RequestCount()
			_, errs := testutil.CollectAll(w.stages.ActiveParticipants(t.Context(), arn, tt.opts...))
			if tt.want == nil {
				for _, err := range errs {
					require.NoError(t, err)
				}
				assert.Equal(t, "GetStage", operations(since(w.srv, n))[0])
				return
			}
			require.Len(t, errs, 1)
			assertInvalid(t, errs[0], "ActiveParticipants", tt.want)
			assert.Equal(t, n, w.srv.RequestCount(), "nothing sent")
		})
	}
}

// DisconnectUser disconnects the user's connected participants (not the one that has left, not another
// user's), after one filtered list, and says how many.
func TestDisconnectUser(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	u := w.usersStage(t)
	session := w.activeSession(t, u.st.ARN)
	n := w.srv.RequestCount()

	got, err := w.stages.DisconnectUser(t.Context(), u.st.ARN, "alice", "account suspended")
	require.NoError(t, err)
	assert.Equal(t, 2, got)
	reqs := since(w.srv, n)
	assert.Equal(t, []string{"GetStage", "ListParticipants", "DisconnectParticipant", "DisconnectParticipant"}, operations(reqs))
	assert.Equal(t, map[string]any{"stageArn": u.st.ARN, "sessionId": session, "filterByUserId": "alice", "maxResults": float64(100)}, reqs[1].JSON())
	assert.Equal(t, []map[string]any{
		{"stageArn": u.st.ARN, "participantId": u.alice1, "reason": "account suspended"},
		{"stageArn": u.st.ARN, "participantId": u.alice2, "reason": "account suspended"},
	}, bodiesOf(reqs, "DisconnectParticipant"))
	assert.Equal(t, map[string]stage.ParticipantState{
		u.alice1: stage.ParticipantDisconnected, u.bob: stage.ParticipantConnected,
		u.alice2: stage.ParticipantDisconnected, u.alice3: stage.ParticipantDisconnected,
	}, w.states(t, u.st.ARN))

	// Again: nobody of alice's is connected any more.
	n = w.srv.RequestCount()
	got, err = w.stages.DisconnectUser(t.Context(), u.st.ARN, "alice", "")
	require.NoError(t, err)
	assert.Zero(t, got)
	assert.Equal(t, []string{"GetStage", "ListParticipants"}, operations(since(w.srv, n)))
}

// Without an active session DisconnectUser returns 0 and nil after the GetStage; an unknown stage returns
// the service's 404, typed.
func TestDisconnectUserNobody(t *testing.T) {
	t.Parallel()
	t.Run("no active session", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t)
		st, _ := w.createStage(t, "Quiet", -1)
		n := w.srv.RequestCount()
		got, err := w.stages.DisconnectUser(t.Context(), st.ARN, "alice", "")
		require.NoError(t, err)
		assert.Zero(t, got)
		assert.Equal(t, []string{"GetStage"}, operations(since(w.srv, n)))
	})
	t.Run("unknown stage", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t)
		got, err := w.stages.DisconnectUser(t.Context(), "arn:aws:ivs:us-east-1:123456789012:stage/Unknown12345", "alice", "")
		var notFound *types.ResourceNotFoundException
		require.ErrorAs(t, err, &notFound)
		assert.Zero(t, got)
		assert.Equal(t, []string{"GetStage"}, operations(w.srv.Requests()))
	})
}

// A Disconnect that fails does not stop the others: the count is of those disconnected, and the error joins
// one error per failure, naming the participant and keeping the SDK's type.
func TestDisconnectUserPartialFailure(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		status   int
		code     string
		faults   int // injected on the second participant's Disconnect (the SDK retries 5xx)
		requests int // DisconnectParticipant requests in all
		as       func(error) bool
	}{
		{"404", http.StatusNotFound, "ResourceNotFoundException", 1, 3, func(err error) bool {
			var e *types.ResourceNotFoundException
			return assert.ErrorAs(t, err, &e)
		}},
		{"500, every attempt", http.StatusInternalServerError, "InternalServerException", stagetest.RetryMaxAttempts, 2 + stagetest.RetryMaxAttempts,
			func(err error) bool {
				var e *types.InternalServerException
				return assert.ErrorAs(t, err, &e)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			st, toks := w.createStage(t, "Partial", -1, token.New().WithUserID("alice"), token.New().WithUserID("alice"), token.New().WithUserID("alice"))
			joined := w.join(t, st, toks...)
			hook := &opHook{before: func(op string, n int) {
				if op == "DisconnectParticipant" && n == 2 {
					for range tt.faults {
						w.srv.FailNext(op, tt.status, tt.code)
					}
				}
			}}
			n := w.srv.RequestCount()

			got, err := w.hooked(hook).DisconnectUser(t.Context(), st.ARN, "alice", "")
			assert.Equal(t, 2, got, "the first and the third")
			require.Error(t, err)
			tt.as(err)
			assert.True(t, strings.HasPrefix(err.Error(), "stage: DisconnectUser "+st.ARN+": participant "+joined[1]+": "), err.Error())
			assert.NotContains(t, err.Error(), joined[0])
			assert.NotContains(t, err.Error(), joined[2])
			assert.Len(t, bodiesOf(since(w.srv, n), "DisconnectParticipant"), tt.requests)
			assert.Equal(t, map[string]stage.ParticipantState{
				joined[0]: stage.ParticipantDisconnected, joined[1]: stage.ParticipantConnected, joined[2]: stage.ParticipantDisconnected,
			}, w.states(t, st.ARN))
		})
	}
}

// Once the context ends DisconnectUser sends nothing more: it returns those disconnected so far and an
// error wrapping the context's, naming the participants left connected.
func TestDisconnectUserContextEnds(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	st, toks := w.createStage(t, "Cancelled", -1, token.New().WithUserID("alice"), token.New().WithUserID("alice"), token.New().WithUserID("alice"))
	joined := w.join(t, st, toks...)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	hook := &opHook{after: func(op string, _ int) {
		if op == "DisconnectParticipant" {
			cancel()
		}
	}}
	n := w.srv.RequestCount()

	got, err := w.hooked(hook).DisconnectUser(ctx, st.ARN, "alice", "")
	assert.Equal(t, 1, got)
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, "stage: DisconnectUser "+st.ARN+": participants "+joined[1]+", "+joined[2]+" not disconnected: context canceled", err.Error())
	assert.Len(t, bodiesOf(since(w.srv, n), "DisconnectParticipant"), 1)
}

// The arguments are checked before anything is sent, with their boundaries: a user ID of 1..128 code
// points (multi-byte ones count once), valid UTF-8; a reason of at most 128 code points, "" allowed; a
// stage ARN.
func TestDisconnectUserValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		arn            string // "" is replaced by the stage's ARN
		userID, reason string
		want           map[string]string
	}{
		{"user ID of 1", "", "a", "", nil},
		{"user ID of 128", "", strings.Repeat("é", 128), "", nil},
		{"reason of 128", "", "alice", strings.Repeat("ü", 128), nil},
		{"empty user ID", "", "", "", map[string]string{"DisconnectUser.UserId": rules.RuleLength}},
		{"user ID of 129", "", strings.Repeat("é", 129), "", map[string]string{"DisconnectUser.UserId": rules.RuleLength}},
		{"user ID not UTF-8", "", "al\xffice", "", map[string]string{"DisconnectUser.UserId": rules.RuleUTF8}},
		{"reason of 129", "", "alice", strings.Repeat("ü", 129), map[string]string{"DisconnectUser.Reason": rules.RuleLength}},
		{"not a stage ARN", storageARN, "alice", "", map[string]string{"DisconnectUser.StageArn": rules.RulePattern}},
		{"everything at once", "stage/x", "", strings.Repeat("x", 129), map[string]string{
			"DisconnectUser.StageArn": rules.RulePattern, "DisconnectUser.UserId": rules.RuleLength, "DisconnectUser.Reason": rules.RuleLength,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			user := "alice" // a token's user ID cannot be invalid
			if tt.want == nil {
				user = tt.userID
			}
			st, toks := w.createStage(t, "Valid", -1, token.New().WithUserID(user))
			id := w.join(t, st, toks[0])[0]
			arn := tt.arn
			if arn == "" {
				arn = st.ARN
			}
			n := w.srv.RequestCount()
			got, err := w.stages.DisconnectUser(t.Context(), arn, tt.userID, tt.reason)
			if tt.want == nil {
				require.NoError(t, err)
				assert.Equal(t, 1, got)
				reqs := since(w.srv, n)
				require.Equal(t, []string{"GetStage", "ListParticipants", "DisconnectParticipant"}, operations(reqs))
				assert.Equal(t, tt.userID, reqs[1].JSON()["filterByUserId"])
				assert.Equal(t, id, reqs[2].JSON()["participantId"])
				return
			}
			assertInvalid(t, err, "DisconnectUser", tt.want)
			assert.Zero(t, got)
			assert.Equal(t, n, w.srv.RequestCount(), "nothing sent")
		})
	}
}
