package stage_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/stage"
)

// waitClock is a fake clock for WaitRecordingIdle: sleeping advances it at once.
type waitClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
	// onSleep, when set, is called (without the lock) before each sleep with its index.
	onSleep func(i int)
}

var epoch = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

func (c *waitClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *waitClock) sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	i := len(c.sleeps)
	c.sleeps = append(c.sleeps, d)
	hook := c.onSleep
	c.mu.Unlock()
	if hook != nil {
		hook(i)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
	return nil
}

func (c *waitClock) option() stage.WaitOption { return stage.WithWaitClock(c.now, c.sleep) }

// since is the clock's time since epoch.
func (c *waitClock) since() time.Duration { return c.now().Sub(epoch) }

// timedRequest is a request of the wait, stamped with the fake clock.
type timedRequest struct {
	at    time.Duration // since epoch
	op    string
	state string // ListParticipants' filterByRecordingState
	body  map[string]any
}

// busyStage answers GetStage and ListParticipants from a script of the fake clock: session(at) is the
// active session ID ("" for none) and recording(at) the recording states that have a participant.
type busyStage struct {
	clock     *waitClock
	session   func(at time.Duration) string
	recording func(at time.Duration) map[string]bool

	mu   sync.Mutex
	reqs []timedRequest
}

func (b *busyStage) install(mock *testutil.Mock) {
	mock.RespondFunc("GetStage", func(_ *http.Request, body []byte) (int, string, string) {
		at := b.clock.since()
		b.record(at, "GetStage", body)
		return 200, fmt.Sprintf(`{"stage": {"arn": %q, "activeSessionId": %q}}`, stageARN, b.session(at)), ""
	})
	mock.RespondFunc("ListParticipants", func(_ *http.Request, body []byte) (int, string, string) {
		at := b.clock.since()
		r := b.record(at, "ListParticipants", body)
		if b.recording(at)[r.state] {
			return 200, `{"participants": [{"participantId": "p", "recordingState": "` + r.state + `"}], "nextToken": "more"}`, ""
		}
		return 200, `{"participants": []}`, ""
	})
}

func (b *busyStage) record(at time.Duration, op string, body []byte) timedRequest {
	var m map[string]any
	_ = json.Unmarshal(body, &m)
	state, _ := m["filterByRecordingState"].(string)
	r := timedRequest{at: at, op: op, state: state, body: m}
	b.mu.Lock()
	b.reqs = append(b.reqs, r)
	b.mu.Unlock()
	return r
}

func (b *busyStage) requests() []timedRequest {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]timedRequest(nil), b.reqs...)
}

// assertQuota checks that no operation was called more than stage.RequestsPerSecond times in any window of
// one second, and never twice within 200 ms.
func assertQuota(t *testing.T, reqs []timedRequest) {
	t.Helper()
	byOp := map[string][]time.Duration{}
	for _, r := range reqs {
		byOp[r.op] = append(byOp[r.op], r.at)
	}
	for op, times := range byOp {
		for i := 1; i < len(times); i++ {
			assert.GreaterOrEqual(t, times[i]-times[i-1], 200*time.Millisecond, "%s requests %d and %d", op, i-1, i)
		}
		assert.LessOrEqual(t, maxPerSecond(reqs, op), stage.RequestsPerSecond, "%s requests in one second", op)
	}
}

func sec(f float64) time.Duration { return time.Duration(f * float64(time.Second)) }

// WaitRecordingIdle against scripted stages on a fake clock: it returns once nothing records (within one
// poll interval of the end), asks the service the documented questions, and never exceeds 5 requests per
// second of either operation.
func TestWaitRecordingIdle(t *testing.T) {
	t.Parallel()
	const session = sessionID
	none := func(time.Duration) map[string]bool { return nil }
	tests := []struct {
		name      string
		interval  time.Duration // 0: the default
		session   func(at time.Duration) string
		recording func(at time.Duration) map[string]bool
		end       time.Duration // when the scripted recording ends
		wantOps   []string      // the operations of the first poll
	}{
		{"no active session", 0, func(time.Duration) string { return "" }, none, 0, []string{"GetStage"}},
		{"active session, nobody recording", 0, func(time.Duration) string { return session }, none, 0,
			[]string{"GetStage", "ListParticipants", "ListParticipants", "ListParticipants"}},
		{"STARTING for 1 s", 0, func(time.Duration) string { return session },
			func(at time.Duration) map[string]bool { return map[string]bool{"STARTING": at < time.Second} }, time.Second,
			[]string{"GetStage", "ListParticipants"}},
		{"ACTIVE for 10 s, then STOPPING for 30 s", 0, func(time.Duration) string { return session },
			func(at time.Duration) map[string]bool {
				return map[string]bool{"ACTIVE": at < 10*time.Second, "STOPPING": at >= 10*time.Second && at < 40*time.Second}
			}, 40 * time.Second, []string{"GetStage", "ListParticipants", "ListParticipants"}},
		{"STOPPING until 7.3 s, polled every 200 ms", stage.MinPollInterval, func(time.Duration) string { return session },
			func(at time.Duration) map[string]bool { return map[string]bool{"STOPPING": at < sec(7.3)} }, sec(7.3),
			[]string{"GetStage", "ListParticipants", "ListParticipants", "ListParticipants"}},
		{"STOPPING until 3.1 s, polled every 5 s", 5 * time.Second, func(time.Duration) string { return session },
			func(at time.Duration) map[string]bool { return map[string]bool{"STOPPING": at < sec(3.1)} }, sec(3.1),
			[]string{"GetStage", "ListParticipants", "ListParticipants", "ListParticipants"}},
		{"session ends at 6 s while ACTIVE is still reported", 0,
			func(at time.Duration) string {
				if at < 6*time.Second {
					return session
				}
				return ""
			},
			func(time.Duration) map[string]bool { return map[string]bool{"ACTIVE": true} }, 6 * time.Second,
			[]string{"GetStage", "ListParticipants", "ListParticipants"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := &waitClock{t: epoch}
			b := &busyStage{clock: clock, session: tt.session, recording: tt.recording}
			mock := testutil.NewMock()
			b.install(mock)
			opts := []stage.WaitOption{clock.option()}
			interval := stage.DefaultPollInterval
			if tt.interval != 0 {
				interval = tt.interval
				opts = append(opts, stage.WithPollInterval(tt.interval))
			}
			require.NoError(t, newClient(mock).WaitRecordingIdle(t.Context(), stageARN, opts...))

			returned := clock.since()
			assert.GreaterOrEqual(t, returned, tt.end, "returned before the recording ended")
			// A poll's three checks are 200 ms apart, so polls come at least 600 ms apart.
			assert.LessOrEqual(t, returned, tt.end+max(interval, 3*stage.MinPollInterval), "returned more than one poll interval after the end")
			reqs := b.requests()
			assertQuota(t, reqs)
			var ops []string
			for _, r := range reqs {
				if r.op == "GetStage" && len(ops) > 0 {
					break
				}
				ops = append(ops, r.op)
			}
			assert.Equal(t, tt.wantOps, ops, "the first poll")
			// Every ListParticipants asks for a page of the participants of the active session in one
			// in-progress state (the page names them if the wait runs out of time), in the order STARTING,
			// ACTIVE, STOPPING within a poll.
			last := ""
			for _, r := range reqs {
				switch r.op {
				case "GetStage":
					assert.Equal(t, map[string]any{"arn": stageARN}, r.body)
					last = ""
				case "ListParticipants":
					assert.Equal(t, map[string]any{"stageArn": stageARN, "sessionId": session, "filterByRecordingState": r.state, "maxResults": float64(stage.MaxPageSize)}, r.body)
					order := map[string]int{"": 0, "STARTING": 1, "ACTIVE": 2, "STOPPING": 3}
					assert.Greater(t, order[r.state], order[last], "%s after %s", r.state, last)
					last = r.state
				}
			}
			// A poll that finds someone recording does not ask further.
			for i, r := range reqs {
				if r.op == "ListParticipants" && tt.recording(r.at)[r.state] && i+1 < len(reqs) {
					assert.Equal(t, "GetStage", reqs[i+1].op, "after a busy answer comes the next poll")
				}
			}
		})
	}
}

// Polls start every interval (not interval after the previous poll ended), and the sleeps between them
// are exactly what the schedule and the 200 ms spacing need.
func TestWaitRecordingIdleSchedule(t *testing.T) {
	t.Parallel()
	clock := &waitClock{t: epoch}
	b := &busyStage{clock: clock, session: func(time.Duration) string { return sessionID },
		recording: func(at time.Duration) map[string]bool { return map[string]bool{"STOPPING": at < 5*time.Second} }}
	mock := testutil.NewMock()
	b.install(mock)
	require.NoError(t, newClient(mock).WaitRecordingIdle(t.Context(), stageARN, clock.option()))
	var polls []time.Duration
	for _, r := range b.requests() {
		if r.op == "GetStage" {
			polls = append(polls, r.at)
		}
	}
	assert.Equal(t, []time.Duration{0, 2 * time.Second, 4 * time.Second, 6 * time.Second}, polls)
	// In each poll: STARTING at once, ACTIVE and STOPPING 200 ms apart; then the rest of the interval.
	assert.Equal(t, sec(6.4), clock.since())
	assert.Equal(t, []time.Duration{
		sec(0.2), sec(0.2), sec(1.6), // poll 1: ACTIVE, STOPPING, then until 2 s
		sec(0.2), sec(0.2), sec(1.6),
		sec(0.2), sec(0.2), sec(1.6),
		sec(0.2), sec(0.2), // poll 4 finds nothing
	}, clock.sleeps)
}

// An empty page with a nextToken does not prove the list empty: the wait follows it, but a repeated token
// ends the wait with an error naming ListParticipants.
func TestWaitRecordingIdleFollowsNextToken(t *testing.T) {
	t.Parallel()
	clock := &waitClock{t: epoch}
	mock := testutil.NewMock()
	mock.Respond("GetStage", 200, `{"stage": {"arn": "`+stageARN+`", "activeSessionId": "`+sessionID+`"}}`)
	var mu sync.Mutex
	var tokens []string
	mock.RespondFunc("ListParticipants", func(_ *http.Request, body []byte) (int, string, string) {
		var in struct{ NextToken, FilterByRecordingState string }
		_ = json.Unmarshal(body, &in)
		mu.Lock()
		defer mu.Unlock()
		tokens = append(tokens, in.FilterByRecordingState+":"+in.NextToken)
		switch {
		case in.FilterByRecordingState == "STARTING" && in.NextToken == "":
			return 200, `{"participants": [], "nextToken": "page2"}`, ""
		case in.FilterByRecordingState == "ACTIVE":
			return 200, `{"participants": [], "nextToken": "same"}`, ""
		}
		return 200, `{"participants": []}`, ""
	})
	err := newClient(mock).WaitRecordingIdle(t.Context(), stageARN, clock.option())
	assert.ErrorContains(t, err, `ListParticipants, nextToken "same" of page 2 repeats a token already sent`)
	assert.Equal(t, []string{"STARTING:", "STARTING:page2", "ACTIVE:", "ACTIVE:same"}, tokens)
}

// Cancellation and deadlines end the wait with the context's error, wherever it is: sleeping between
// polls, pacing requests, or inside a request.
func TestWaitRecordingIdleContext(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		stopAt  int // the sleep at which the context ends
		cancel  bool
		wantErr error
		found   bool // a poll found participant "p" before the context ended
	}{
		{"cancelled between polls", 2, true, context.Canceled, true},
		{"cancelled while pacing", 0, true, context.Canceled, false}, // after poll 1's STARTING check, before STOPPING's
		{"deadline between polls", 5, false, context.DeadlineExceeded, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := &waitClock{t: epoch}
			b := &busyStage{clock: clock, session: func(time.Duration) string { return sessionID },
				recording: func(time.Duration) map[string]bool { return map[string]bool{"STOPPING": true} }}
			mock := testutil.NewMock()
			b.install(mock)
			var ctx context.Context
			var stop func()
			if tt.cancel {
				c, cancel := context.WithCancel(t.Context())
				ctx, stop = c, cancel
			} else {
				c, cancel := context.WithCancelCause(t.Context())
				// A deadline that has passed, without waiting for the wall clock: a context whose Err is
				// DeadlineExceeded once stopped.
				ctx, stop = &deadlineCtx{Context: c}, func() { cancel(context.DeadlineExceeded) }
			}
			clock.onSleep = func(i int) {
				if i == tt.stopAt {
					stop()
				}
			}
			err := newClient(mock).WaitRecordingIdle(ctx, stageARN, clock.option())
			assert.ErrorIs(t, err, tt.wantErr)
			// Each complete poll found participant "p" STOPPING, on a page with a nextToken.
			want := "stage: WaitRecordingIdle " + stageARN + ": " + tt.wantErr.Error()
			if tt.found {
				want += "; still recording: participant p, and more"
			}
			assert.Equal(t, want, err.Error())
			assert.Equal(t, tt.stopAt+1, len(clock.sleeps), "no sleep after the context ended")
			n := len(b.requests())
			assert.Equal(t, n, mock.Count(), "no request after the context ended")
		})
	}
	t.Run("already cancelled", func(t *testing.T) {
		t.Parallel()
		mock := testutil.NewMock()
		respondAll(t, mock)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		clock := &waitClock{t: epoch}
		err := newClient(mock).WaitRecordingIdle(ctx, stageARN, clock.option())
		assert.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, "stage: WaitRecordingIdle "+stageARN+": context canceled", err.Error(), "no poll found anyone")
		assert.Zero(t, mock.Count())
	})
	t.Run("cancelled during a request, on the real clock", func(t *testing.T) {
		t.Parallel()
		mock := testutil.NewMock()
		ctx, cancel := context.WithCancel(t.Context())
		mock.RespondFunc("GetStage", func(*http.Request, []byte) (int, string, string) {
			cancel() // the wait must notice on its next step, whatever the response
			return 200, `{"stage": {"arn": "` + stageARN + `", "activeSessionId": "` + sessionID + `"}}`, ""
		})
		mock.Respond("ListParticipants", 200, `{"participants": [{"participantId": "p"}]}`)
		err := newClient(mock).WaitRecordingIdle(ctx, stageARN)
		assert.ErrorIs(t, err, context.Canceled)
		assert.LessOrEqual(t, mock.Count(), 2)
	})
}

// cancellingAPI's GetStage cancels the call's context and fails as the SDK does then: an
// *smithy.OperationError wrapping the context's error.
type cancellingAPI struct {
	nilAPI
	cancel context.CancelFunc
}

func (a cancellingAPI) GetStage(ctx context.Context, _ *ivsrealtime.GetStageInput, _ ...func(*ivsrealtime.Options)) (*ivsrealtime.GetStageOutput, error) {
	a.cancel()
	return nil, &smithy.OperationError{ServiceID: ivsrealtime.ServiceID, OperationName: "GetStage", Err: ctx.Err()}
}

// A request that fails because the context ended makes the wait return a *stage.WaitError wrapping the
// context's error itself, not the request's wrapping of it.
func TestWaitRecordingIdleReturnsContextError(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	err := stage.NewClient(cancellingAPI{cancel: cancel}).WaitRecordingIdle(ctx, stageARN, (&waitClock{t: epoch}).option())
	assert.Equal(t, &stage.WaitError{StageARN: stageARN, Err: context.Canceled}, err)
	var opErr *smithy.OperationError
	assert.False(t, errors.As(err, &opErr), "not the request's error")
}

// countingAPI counts its GetStage calls, which answer with no stage.
type countingAPI struct {
	nilAPI
	calls *atomic.Int32
}

func (a countingAPI) GetStage(context.Context, *ivsrealtime.GetStageInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.GetStageOutput, error) {
	a.calls.Add(1)
	return nil, nil
}

// A wait whose context has already ended calls nothing, whatever API is behind the client.
func TestWaitRecordingIdleEndedContextCallsNothing(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err := stage.NewClient(countingAPI{calls: &calls}).WaitRecordingIdle(ctx, stageARN, (&waitClock{t: epoch}).option())
	assert.Equal(t, &stage.WaitError{StageARN: stageARN, Err: context.Canceled}, err)
	assert.Zero(t, calls.Load())
}

// deadlineCtx reports its cause (DeadlineExceeded) as its error once done, like a context past its
// deadline.
type deadlineCtx struct{ context.Context }

func (c *deadlineCtx) Err() error {
	if c.Context.Err() != nil {
		return context.Cause(c.Context)
	}
	return nil
}

// A request's error ends the wait with that error, typed as the SDK types it.
func TestWaitRecordingIdleErrors(t *testing.T) {
	t.Parallel()
	t.Run("unknown stage", func(t *testing.T) {
		t.Parallel()
		mock := testutil.NewMock()
		mock.RespondError("GetStage", 404, "ResourceNotFoundException", "Stage not found")
		err := newClient(mock).WaitRecordingIdle(t.Context(), stageARN, (&waitClock{t: epoch}).option())
		var notFound *types.ResourceNotFoundException
		require.ErrorAs(t, err, &notFound)
		assert.Contains(t, err.Error(), "Stage not found")
		assert.Equal(t, 1, mock.Count())
	})
	t.Run("access denied to participants", func(t *testing.T) {
		t.Parallel()
		mock := testutil.NewMock()
		mock.Respond("GetStage", 200, `{"stage": {"arn": "`+stageARN+`", "activeSessionId": "`+sessionID+`"}}`)
		mock.RespondError("ListParticipants", 403, "AccessDeniedException", "not allowed")
		err := newClient(mock).WaitRecordingIdle(t.Context(), stageARN, (&waitClock{t: epoch}).option())
		var denied *types.AccessDeniedException
		require.ErrorAs(t, err, &denied)
		assert.Contains(t, err.Error(), "not allowed")
		assert.Equal(t, 2, mock.Count())
	})
	t.Run("no stage in the response", func(t *testing.T) {
		t.Parallel()
		err := stage.NewClient(nilAPI{}).WaitRecordingIdle(t.Context(), stageARN, (&waitClock{t: epoch}).option())
		assert.ErrorIs(t, err, stage.ErrNoStage)
	})
}

// The stage ARN and the poll interval are checked before anything is sent; 200 ms is the shortest
// interval.
func TestWaitRecordingIdleValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		arn      string
		interval time.Duration
		want     map[string]string
	}{
		{"200 ms", stageARN, 200 * time.Millisecond, nil},
		{"an hour", stageARN, time.Hour, nil},
		{"199 ms", stageARN, 199 * time.Millisecond, map[string]string{"WaitRecordingIdle.PollInterval": rules.RuleRange}},
		{"zero", stageARN, 0, map[string]string{"WaitRecordingIdle.PollInterval": rules.RuleRange}},
		{"negative", stageARN, -time.Second, map[string]string{"WaitRecordingIdle.PollInterval": rules.RuleRange}},
		{"bad ARN and interval", "stage/x", time.Millisecond,
			map[string]string{"WaitRecordingIdle.StageArn": rules.RulePattern, "WaitRecordingIdle.PollInterval": rules.RuleRange}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			mock.Respond("GetStage", 200, minimalStage)
			err := newClient(mock).WaitRecordingIdle(t.Context(), tt.arn, stage.WithPollInterval(tt.interval), nil, (&waitClock{t: epoch}).option())
			if tt.want == nil {
				assert.NoError(t, err)
				assert.Equal(t, 1, mock.Count())
				return
			}
			assertInvalid(t, err, "WaitRecordingIdle", tt.want)
			assert.Zero(t, mock.Count())
		})
	}
}

// BenchmarkWaitRecordingIdleRate waits on a stage that stays busy for a minute of the fake clock (a
// recording STOPPING, the last state each poll checks, so every poll sends all four requests) and reports
// the highest number of requests of each operation in any one second of that clock: never above
// stage.RequestsPerSecond (5), whatever the poll interval.
func BenchmarkWaitRecordingIdleRate(b *testing.B) {
	for _, interval := range []time.Duration{stage.MinPollInterval, time.Second, stage.DefaultPollInterval} {
		b.Run("interval="+interval.String(), func(b *testing.B) {
			var maxGet, maxList int
			for b.Loop() {
				clock := &waitClock{t: epoch}
				busy := &busyStage{clock: clock, session: func(time.Duration) string { return sessionID },
					recording: func(at time.Duration) map[string]bool { return map[string]bool{"STOPPING": at < time.Minute} }}
				mock := testutil.NewMock()
				busy.install(mock)
				if err := newClient(mock).WaitRecordingIdle(context.Background(), stageARN, stage.WithPollInterval(interval), clock.option()); err != nil {
					b.Fatal(err)
				}
				reqs := busy.requests()
				maxGet = max(maxGet, maxPerSecond(reqs, "GetStage"))
				maxList = max(maxList, maxPerSecond(reqs, "ListParticipants"))
			}
			b.ReportMetric(float64(maxGet), "max-GetStage/s")
			b.ReportMetric(float64(maxList), "max-ListParticipants/s")
		})
	}
}

// maxPerSecond is the largest number of requests of op in any window of one second.
func maxPerSecond(reqs []timedRequest, op string) int {
	var times []time.Duration
	for _, r := range reqs {
		if r.op == op {
			times = append(times, r.at)
		}
	}
	most := 0
	for i := range times {
		n := 0
		for _, u := range times[i:] {
			if u-times[i] < time.Second {
				n++
			}
		}
		most = max(most, n)
	}
	return most
}
