package stage_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

const (
	sweepKey   = "owner"
	sweepValue = "ci"
)

// sweepBy is the sweep of the stages tagged owner=ci, idle for d, on the world's clock.
func sweepBy(w *sweepWorld, d time.Duration) stage.Sweep {
	return stage.NewSweep().WithTag(sweepKey, sweepValue).WithIdleFor(d).WithClock(w.clock.Now)
}

// ownedStage creates a stage tagged owner=ci plus extra tags (key, value pairs).
func (w *sweepWorld) ownedStage(t *testing.T, name string, extra ...string) stage.Stage {
	t.Helper()
	cfg := stage.New().WithName(name).WithTag(sweepKey, sweepValue).WithParticipants(token.New().WithUserID("u"))
	for i := 0; i+1 < len(extra); i += 2 {
		cfg = cfg.WithTag(extra[i], extra[i+1])
	}
	st, tokens, err := w.stages.Create(t.Context(), cfg)
	require.NoError(t, err)
	w.tokens[st.ARN] = tokens[0]
	return st
}

// visit joins the stage's participant and leaves after d, on the clock: a session that ends then.
func (w *sweepWorld) visit(t *testing.T, st stage.Stage, d time.Duration) {
	t.Helper()
	id, err := w.srv.Join(st.ARN, w.tokens[st.ARN].Value())
	require.NoError(t, err)
	w.clock.Advance(d)
	require.NoError(t, w.srv.Leave(st.ARN, id))
}

// count is the number of requests of op the server received.
func count(srv *stagetest.Server, op string) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Operation == op {
			n++
		}
	}
	return n
}

// exists reports whether the stage is still there.
func (w *sweepWorld) exists(t *testing.T, arn string) bool {
	t.Helper()
	_, err := w.stages.Get(t.Context(), arn)
	return err == nil
}

// Idle by the last session's end: idle ≥ d is chosen (exactly d deleted), d−1ns kept, on both sides of the
// boundary; the reason names the session and the duration.
func TestSweepIdleBySessionEnd(t *testing.T) {
	t.Parallel()
	const d = time.Hour
	for _, tc := range []struct {
		name    string
		after   time.Duration // from the session's end to the sweep
		deleted bool
	}{
		{"idle d-1ns: kept", d - time.Nanosecond, false},
		{"idle exactly d: deleted", d, true},
		{"idle d+1ns: deleted", d + time.Nanosecond, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newSweepWorld(t)
			st := w.ownedStage(t, "used")
			w.visit(t, st, time.Minute)
			ended := w.clock.Now()
			sweep := sweepBy(w, d).WithClock(func() time.Time { return ended.Add(tc.after) })
			mark := w.srv.RequestCount()

			got := testutil.MustCollect(t, w.stages.Sweep(t.Context(), sweep))

			require.Len(t, got, 1)
			sw := got[0]
			assert.Equal(t, st.ARN, sw.Stage.ARN)
			assert.Equal(t, tc.after, sw.Idle)
			assert.Equal(t, tc.deleted, sw.Deleted)
			assert.NoError(t, sw.Err)
			assert.Contains(t, sw.Reason, "since session st-")
			assert.Equal(t, !tc.deleted, strings.HasPrefix(sw.Reason, "kept: "), sw.Reason)
			assert.Equal(t, !tc.deleted, w.exists(t, st.ARN))

			var ops []string
			for _, r := range w.srv.Requests()[mark:] {
				ops = append(ops, r.Operation)
			}
			want := []string{"ListStages", "ListStageSessions"}
			if tc.deleted {
				want = append(want, "DeleteStage")
			}
			assert.Equal(t, want, ops[:len(want)], "no GetStageSession: the summary has the end time")
			sessions := w.srv.Requests()[mark+1].JSON()
			assert.Equal(t, map[string]any{"stageArn": st.ARN, "maxResults": float64(1)}, sessions)
			list := w.srv.Requests()[mark].JSON()
			assert.Equal(t, float64(stage.MaxPageSize), list["maxResults"])
		})
	}
}

// A stage that never had a session is aged by TagCreatedAt: at d deleted, at d−1s kept; a malformed tag
// and no tag keep it, with a reason.
func TestSweepNeverUsedStage(t *testing.T) {
	t.Parallel()
	const d = time.Hour
	created := epoch.Add(-d)
	for _, tc := range []struct {
		name    string
		tags    []string
		idle    time.Duration
		deleted bool
		reason  string
	}{
		{"created d ago: deleted", []string{stage.TagCreatedAt, created.Format(time.RFC3339)}, d, true, "since it was created at 2026-05-01T11:00:00Z"},
		{"created d-1s ago: kept", []string{stage.TagCreatedAt, created.Add(time.Second).Format(time.RFC3339)}, d - time.Second, false, "kept: idle 59m59s"},
		{"fractional seconds parse", []string{stage.TagCreatedAt, "2026-05-01T10:59:59.5Z"}, d + 500*time.Millisecond, true, "never used"},
		{"malformed tag: kept", []string{stage.TagCreatedAt, "yesterday"}, 0, false, `kept: no session ever, and its ivsrt:created-at tag "yesterday" is not an RFC 3339 time`},
		{"no tag: kept", nil, 0, false, "kept: no session ever, and no ivsrt:created-at tag to age it by"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newSweepWorld(t)
			st := w.ownedStage(t, "fresh", tc.tags...)

			got := testutil.MustCollect(t, w.stages.Sweep(t.Context(), sweepBy(w, d)))

			require.Len(t, got, 1)
			assert.Equal(t, tc.idle, got[0].Idle)
			assert.Equal(t, tc.deleted, got[0].Deleted)
			assert.Contains(t, got[0].Reason, tc.reason)
			assert.Equal(t, !tc.deleted, w.exists(t, st.ARN))
			assert.Zero(t, count(w.srv, "GetStageSession"))
		})
	}
}

// Only stages with every tag of the sweep are listed; an active session keeps a stage without any session
// request; a session that became active after the listing is seen by GetStageSession.
func TestSweepOwnershipAndActiveSessions(t *testing.T) {
	t.Parallel()
	w := newSweepWorld(t)
	old := stage.TagCreatedAt
	foreign, _, err := w.stages.Create(t.Context(), stage.New().WithTag(sweepKey, "someone-else").WithTag(old, "2020-01-01T00:00:00Z"))
	require.NoError(t, err)
	untagged, _, err := w.stages.Create(t.Context(), stage.New().WithTag(old, "2020-01-01T00:00:00Z"))
	require.NoError(t, err)
	active := w.ownedStage(t, "live")
	_, err = w.srv.Join(active.ARN, w.tokens[active.ARN].Value())
	require.NoError(t, err)
	idle := w.ownedStage(t, "idle", "team", "a")
	w.visit(t, idle, time.Minute)
	w.clock.Advance(2 * time.Hour)
	mark := w.srv.RequestCount()

	got := testutil.MustCollect(t, w.stages.Sweep(t.Context(), sweepBy(w, time.Hour).WithTag("team", "a")))
	require.Len(t, got, 1, "active lacks team=a")
	assert.Equal(t, idle.ARN, got[0].Stage.ARN)
	assert.True(t, got[0].Deleted)

	got = testutil.MustCollect(t, w.stages.Sweep(t.Context(), sweepBy(w, time.Hour)))
	require.Len(t, got, 1)
	assert.Equal(t, active.ARN, got[0].Stage.ARN)
	assert.False(t, got[0].Deleted)
	assert.Zero(t, got[0].Idle)
	assert.Regexp(t, `^kept: session st-[a-zA-Z0-9]{13} is active$`, got[0].Reason)
	assert.True(t, w.exists(t, foreign.ARN))
	assert.True(t, w.exists(t, untagged.ARN))
	for _, r := range w.srv.Requests()[mark:] {
		switch r.Operation {
		case "ListStageSessions":
			assert.Equal(t, idle.ARN, r.JSON()["stageArn"], "no session read of a stage not owned or active")
		case "DeleteStage":
			assert.Equal(t, idle.ARN, r.JSON()["arn"], "no delete of a stage not owned or active")
		}
	}
}

// A session listed without its end time (the stage was idle when listed, or the summary omitted it): one
// GetStageSession decides.
func TestSweepGetStageSessionWhenTheSummaryHasNoEnd(t *testing.T) {
	t.Parallel()
	arn := "arn:aws:ivs:us-east-1:123456789012:stage/AbCdEf123456"
	for _, tc := range []struct {
		name    string
		session string
		reason  string
		deletes int
	}{
		{"ended since", `{"stageSession":{"sessionId":"st-a1b2c3d4e5f6g","startTime":"2026-05-01T10:00:00Z","endTime":"2026-05-01T10:30:00Z"}}`, "idle 1h30m0s since session st-a1b2c3d4e5f6g ended at 2026-05-01T10:30:00Z, at least 1h0m0s", 1},
		{"active", `{"stageSession":{"sessionId":"st-a1b2c3d4e5f6g","startTime":"2026-05-01T10:00:00Z"}}`, "kept: session st-a1b2c3d4e5f6g is active", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			mock.Respond("ListStages", 200, `{"stages":[{"arn":"`+arn+`","name":"","activeSessionId":"","tags":{"owner":"ci"}}]}`)
			mock.Respond("ListStageSessions", 200, `{"stageSessions":[{"sessionId":"st-a1b2c3d4e5f6g","startTime":"2026-05-01T10:00:00Z"}]}`)
			mock.Respond("GetStageSession", 200, tc.session)
			mock.Respond("DeleteStage", 200, `{}`)
			sweep := stage.NewSweep().WithTag(sweepKey, sweepValue).WithIdleFor(time.Hour).WithClock(func() time.Time { return epoch })
			got := testutil.MustCollect(t, newClient(mock).Sweep(t.Context(), sweep))
			require.Len(t, got, 1)
			assert.Equal(t, tc.reason, got[0].Reason)
			var ops []string
			for _, r := range mock.Requests() {
				ops = append(ops, r.Operation)
			}
			want := []string{"ListStages", "ListStageSessions", "GetStageSession"}
			if tc.deletes == 1 {
				want = append(want, "DeleteStage")
			}
			assert.Equal(t, want, ops)
			jsonEqual(t, []byte(`{"stageArn":"`+arn+`","sessionId":"st-a1b2c3d4e5f6g"}`), mock.Requests()[2].Body)
		})
	}
}

// A dry run reports the same choices and sends no DeleteStage.
func TestSweepDryRun(t *testing.T) {
	t.Parallel()
	w := newSweepWorld(t)
	var arns []string
	for range 3 {
		st := w.ownedStage(t, "s")
		w.visit(t, st, time.Minute)
		arns = append(arns, st.ARN)
	}
	w.clock.Advance(time.Hour)

	got := testutil.MustCollect(t, w.stages.Sweep(t.Context(), sweepBy(w, time.Hour).WithDryRun()))

	require.Len(t, got, 3)
	for i, sw := range got {
		assert.Equal(t, arns[i], sw.Stage.ARN, "list order")
		assert.False(t, sw.Deleted)
		assert.NoError(t, sw.Err)
		assert.Equal(t, time.Hour+time.Duration(len(arns)-1-i)*time.Minute, sw.Idle, "each visit took a minute")
		assert.True(t, strings.HasSuffix(sw.Reason, "at least 1h0m0s (dry run: not deleted)"), sw.Reason)
		assert.True(t, w.exists(t, sw.Stage.ARN))
	}
	assert.Zero(t, count(w.srv, "DeleteStage"))
}

// A DeleteStage that fails (a 500, retries off) is that stage's Err; the others are deleted. One already
// gone (404) is not Deleted, has no Err, and says so.
func TestSweepDeleteFailures(t *testing.T) {
	t.Parallel()
	w := newSweepWorld(t)
	var sts []stage.Stage
	for range 4 {
		st := w.ownedStage(t, "s", stage.TagCreatedAt, "2026-01-01T00:00:00Z")
		sts = append(sts, st)
	}
	// The second DeleteStage fails; the fourth stage is deleted behind the sweep's back (after listing).
	once := w.stages.WithOptions(func(o *ivsrealtime.Options) { o.RetryMaxAttempts = 1 })
	n := 0
	wrapped := func(yield func(stage.Swept, error) bool) {
		for sw, err := range once.Sweep(t.Context(), sweepBy(w, time.Hour)) {
			n++
			if n == 1 {
				require.NoError(t, w.stages.Delete(t.Context(), sts[3].ARN))
				w.srv.FailNext("DeleteStage", 500, "InternalServerException")
			}
			if !yield(sw, err) {
				return
			}
		}
	}
	got := testutil.MustCollect(t, wrapped)

	require.Len(t, got, 4)
	assert.True(t, got[0].Deleted)
	assert.False(t, got[1].Deleted)
	var ise interface{ ErrorCode() string }
	require.ErrorAs(t, got[1].Err, &ise)
	assert.Equal(t, "InternalServerException", ise.ErrorCode())
	assert.True(t, w.exists(t, sts[1].ARN))
	assert.True(t, got[2].Deleted)
	assert.False(t, got[3].Deleted, "already gone")
	assert.NoError(t, got[3].Err)
	assert.Contains(t, got[3].Reason, "already deleted (DeleteStage answered 404)")
	assert.False(t, w.exists(t, sts[0].ARN))
	assert.False(t, w.exists(t, sts[2].ARN))
}

// A listing failure ends the sequence with it, before anything is deleted.
func TestSweepListingFailure(t *testing.T) {
	t.Parallel()
	w := newSweepWorld(t)
	w.ownedStage(t, "s", stage.TagCreatedAt, "2026-01-01T00:00:00Z")
	w.srv.FailNext("ListStages", 500, "InternalServerException")
	once := w.stages.WithOptions(func(o *ivsrealtime.Options) { o.RetryMaxAttempts = 1 })
	got, errs := testutil.CollectAll(once.Sweep(t.Context(), sweepBy(w, time.Hour)))
	assert.Equal(t, []stage.Swept{{}}, got)
	require.Len(t, errs, 1)
	assert.ErrorContains(t, errs[0], "ListStages")
	assert.Zero(t, count(w.srv, "DeleteStage"))
}

// Once ctx is cancelled the sweep sends nothing more and ends with an error wrapping context.Canceled.
func TestSweepStopsWhenCtxIsCancelled(t *testing.T) {
	t.Parallel()
	w := newSweepWorld(t)
	for range 3 {
		w.ownedStage(t, "s", stage.TagCreatedAt, "2026-01-01T00:00:00Z")
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var got []stage.Swept
	var last error
	for sw, err := range w.stages.Sweep(ctx, sweepBy(w, time.Hour)) {
		if err != nil {
			last = err
			continue
		}
		got = append(got, sw)
		cancel()
	}
	require.Len(t, got, 1)
	assert.True(t, got[0].Deleted)
	require.ErrorIs(t, last, context.Canceled)
	assert.EqualError(t, last, "stage: Sweep stopped with 2 of 3 owned stages left: context canceled")
	assert.Equal(t, 1, count(w.srv, "DeleteStage"))
	assert.Equal(t, 1, count(w.srv, "ListStageSessions"))
}

// An invalid Sweep yields one validation error naming every violation, and sends nothing; the limits are
// those of stage tags, checked on both sides.
func TestSweepValidation(t *testing.T) {
	t.Parallel()
	long := func(n int) string { return strings.Repeat("k", n) }
	for _, tc := range []struct {
		name  string
		sweep stage.Sweep
		want  map[string]string
	}{
		{"no tag", stage.NewSweep(), map[string]string{"Sweep.Tags": "required"}},
		{"zero value", stage.Sweep{}, map[string]string{"Sweep.Tags": "required"}},
		{"idle 0", stage.NewSweep().WithTag("k", "v").WithIdleFor(0), map[string]string{"Sweep.IdleFor": "range"}},
		{"idle negative and no tag", stage.NewSweep().WithIdleFor(-time.Second), map[string]string{"Sweep.Tags": "required", "Sweep.IdleFor": "range"}},
		{"idle 1ns", stage.NewSweep().WithTag("k", "v").WithIdleFor(time.Nanosecond), nil},
		{"empty key", stage.NewSweep().WithTag("", "v"), map[string]string{`Sweep.Tags[""].Key`: "length"}},
		{"key 128", stage.NewSweep().WithTag(long(128), "v"), nil},
		{"key 129", stage.NewSweep().WithTag(long(129), "v"), map[string]string{`Sweep.Tags["` + long(129) + `"].Key`: "length"}},
		{"value empty", stage.NewSweep().WithTag("k", ""), nil},
		{"value 256", stage.NewSweep().WithTag("k", strings.Repeat("v", 256)), nil},
		{"value 257", stage.NewSweep().WithTag("k", strings.Repeat("v", 257)), map[string]string{`Sweep.Tags["k"]`: "length"}},
		{"value not UTF-8", stage.NewSweep().WithTag("k", "\xff"), map[string]string{`Sweep.Tags["k"]`: "utf8"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			testutil.AssertViolations(t, tc.sweep.Validate(), tc.want)
			if tc.want == nil {
				return
			}
			mock := testutil.NewMock()
			got, errs := testutil.CollectAll(newClient(mock).Sweep(t.Context(), tc.sweep))
			assert.Len(t, got, 1)
			require.Len(t, errs, 1)
			assertInvalid(t, errs[0], "Sweep", tc.want)
			assert.Zero(t, mock.Count(), "nothing sent")
		})
	}
	msgs := testutil.Messages(t, stage.NewSweep().WithIdleFor(-time.Second).Validate())
	assert.Contains(t, msgs, "at least one tag is required (none given): a sweep never touches stages it does not own, Sweep.Tags.")
	assert.Contains(t, msgs, "value -1s is not positive, Sweep.IdleFor.")
}

// The 51st tag is refused as a stage's would be.
func TestSweepTooManyTags(t *testing.T) {
	t.Parallel()
	s := stage.NewSweep()
	for k := range tagMap(stage.MaxTags) {
		s = s.WithTag(k, "v")
	}
	require.NoError(t, s.Validate())
	testutil.AssertViolations(t, s.WithTag("one-more", "v").Validate(), map[string]string{"Sweep.Tags": "length"})
}

// Sweep values are immutable: a With… leaves its receiver as it was.
func TestSweepIsAValue(t *testing.T) {
	t.Parallel()
	base := stage.NewSweep().WithTag("a", "1")
	more := base.WithTag("b", "2").WithDryRun()
	assert.Equal(t, map[string]string{"a": "1"}, base.Tags())
	assert.Equal(t, map[string]string{"a": "1", "b": "2"}, more.Tags())
	tags := base.Tags()
	tags["a"] = "changed"
	assert.Equal(t, map[string]string{"a": "1"}, base.Tags())
}

// A sweep of 30 stages through a client paced at the server's rate r, SDK retries off, against a server that
// throttles DeleteStage at r: no 429 of its own making. The limiter lets delete i go at t_i, at least 1/r
// after t_(i-1); one request is in flight at a time, so delete i reaches the server at a_i in [t_i,
// t_(i+1)), and deletes i..j arrive within a_j-a_i ≥ (j-i-1)/r. The server's bucket refills r per second, so
// it must hold 2 requests, plus 1 for the rounding of its float arithmetic: 3. (With a bucket of 1, two
// deletes can arrive closer than 1/r apart, a late one followed by a prompt one, and the test sees 429s.)
// Without the client's limiter, against a bucket of 3 that never refills (the server's clock stands
// still), exactly the deletes past the third are throttled, each that stage's Err.
func TestSweepStaysWithinTheDeleteBudget(t *testing.T) {
	t.Parallel()
	const (
		n      = 30
		r      = 200 // per second: a quick test
		bucket = 3
	)
	for _, paced := range []bool{true, false} {
		t.Run(map[bool]string{true: "paced", false: "unpaced"}[paced], func(t *testing.T) {
			t.Parallel()
			opts := []stagetest.Option{stagetest.WithRateLimit("DeleteStage", r, bucket)}
			if !paced {
				opts = append(opts, stagetest.WithClock(stagetest.NewClock(epoch).Now))
			}
			srv := stagetest.New(opts...)
			base := stage.NewClientFromConfig(srv.Config())
			for range n {
				_, _, err := base.Create(t.Context(), stage.New().WithTag(sweepKey, sweepValue).WithTag(stage.TagCreatedAt, "2026-01-01T00:00:00Z"))
				require.NoError(t, err)
			}
			c := base.WithOptions(func(o *ivsrealtime.Options) { o.RetryMaxAttempts = 1 })
			if paced {
				c = c.WithLimiter("DeleteStage", rate.NewLimiter(r, 1))
			}
			sweep := stage.NewSweep().WithTag(sweepKey, sweepValue).WithIdleFor(time.Hour).WithClock(func() time.Time { return epoch })
			got := testutil.MustCollect(t, c.Sweep(t.Context(), sweep))
			require.Len(t, got, n)
			throttled, failed := 0, 0
			for _, req := range srv.Requests() {
				if req.Status == 429 {
					throttled++
					assert.Equal(t, "DeleteStage", req.Operation)
					assert.Equal(t, "attempt=1; max=1", req.Header.Get("Amz-Sdk-Request"), "the SDK's retries are off")
				}
			}
			for _, sw := range got {
				if sw.Err != nil {
					failed++
				}
			}
			assert.Equal(t, n, count(srv, "DeleteStage"), "one request per stage: nothing retried")
			if paced {
				assert.Zero(t, throttled, "no 429 of its own making")
				assert.Zero(t, failed)
				return
			}
			assert.Equal(t, n-bucket, throttled, "past the bucket, every delete throttled")
			assert.Equal(t, n-bucket, failed, "a 429 with retries off is that stage's Err")
		})
	}
}

// newSweepWorld is a world with the tokens of its stages.
func newSweepWorld(t *testing.T) *sweepWorld {
	t.Helper()
	return &sweepWorld{world: newWorld(t), tokens: map[string]token.Token{}}
}

type sweepWorld struct {
	*world
	tokens map[string]token.Token // stage ARN → its participant's token
}

// A stage whose last session cannot be read (ListStageSessions fails, retries off) is kept with that Err;
// the sweep goes on to the next.
func TestSweepSessionReadFailure(t *testing.T) {
	t.Parallel()
	w := newSweepWorld(t)
	first := w.ownedStage(t, "a", stage.TagCreatedAt, "2026-01-01T00:00:00Z")
	second := w.ownedStage(t, "b", stage.TagCreatedAt, "2026-01-01T00:00:00Z")
	w.srv.FailNext("ListStageSessions", 500, "InternalServerException")
	once := w.stages.WithOptions(func(o *ivsrealtime.Options) { o.RetryMaxAttempts = 1 })

	got := testutil.MustCollect(t, once.Sweep(t.Context(), sweepBy(w, time.Hour)))

	require.Len(t, got, 2)
	assert.False(t, got[0].Deleted)
	assert.Equal(t, "kept: its last session could not be read", got[0].Reason)
	require.Error(t, got[0].Err)
	assert.ErrorContains(t, got[0].Err, "ListStageSessions")
	assert.True(t, w.exists(t, first.ARN))
	assert.True(t, got[1].Deleted)
	assert.False(t, w.exists(t, second.ARN))
}
