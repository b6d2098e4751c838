package stage_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
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
	"github.com/ivsrt/ivsrt/internal/svc"
	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// waitClock is a fake clock for WaitRecordingIdle: sleeping advances it at once.
type waitClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
	// onSleep, when set, is called (without the lock) before each sleep with its index.
	onSleep func(i int)
}

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
	emptyAPI
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
	err := stage.NewClient(cancellingAPI{emptyAPI: newEmptyAPI(), cancel: cancel}).WaitRecordingIdle(ctx, stageARN, (&waitClock{t: epoch}).option())
	assert.Equal(t, &stage.WaitError{StageARN: stageARN, Err: context.Canceled}, err)
	var opErr *smithy.OperationError
	assert.False(t, errors.As(err, &opErr), "not the request's error")
}

// countingAPI counts its GetStage calls, which answer with no stage.
type countingAPI struct {
	emptyAPI
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
	err := stage.NewClient(countingAPI{emptyAPI: newEmptyAPI(), calls: &calls}).WaitRecordingIdle(ctx, stageARN, (&waitClock{t: epoch}).option())
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
		err := stage.NewClient(newEmptyAPI()).WaitRecordingIdle(t.Context(), stageARN, (&waitClock{t: epoch}).option())
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

// WaitRecordingIdle against the fake on its clock: while a recording is STOPPING in its 30 s reconnect
// window the update is refused with 409, the wait returns within one poll interval of the window's end,
// never above 5 requests per second per operation, and then the update goes through.
func TestWaitRecordingIdleAgainstFake(t *testing.T) {
	t.Parallel()
	for _, interval := range []time.Duration{stage.MinPollInterval, time.Second, stage.DefaultPollInterval, 7 * time.Second} {
		t.Run(interval.String(), func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			ctx := t.Context()
			st, tokens := w.createStage(t, "Waiting", 30*time.Second, token.New().WithUserID("host"))
			host := w.join(t, st, tokens[0])[0]
			require.NoError(t, w.srv.Publish(st.ARN, host))
			w.clock.Advance(10 * time.Second)
			require.NoError(t, w.srv.Unpublish(st.ARN, host))
			stop := w.clock.Now() // STOPPED once more than 30 s have passed

			update := stage.NewUpdate().WithRecording(st.Recording.Config().WithReconnectWindow(time.Minute))
			_, err := w.stages.Update(ctx, st.ARN, update)
			require.True(t, stage.IsRecordingActiveConflict(err), "%v", err)

			start := w.clock.Now()
			sleep := func(ctx context.Context, d time.Duration) error {
				if err := ctx.Err(); err != nil {
					return err
				}
				w.clock.Advance(d)
				return nil
			}
			require.NoError(t, w.stages.WaitRecordingIdle(ctx, st.ARN, stage.WithPollInterval(interval), stage.WithWaitClock(w.clock.Now, sleep)))
			returned := w.clock.Now()
			assert.True(t, returned.After(stop.Add(30*time.Second)), "returned at %s, before the window ended", returned.Sub(stop))
			assert.LessOrEqual(t, returned.Sub(stop.Add(30*time.Second)), max(interval, 3*stage.MinPollInterval))

			var reqs []timedRequest
			for _, r := range w.srv.Requests() {
				if !r.Time.Before(start) && (r.Operation == "GetStage" || r.Operation == "ListParticipants") {
					reqs = append(reqs, timedRequest{at: r.Time.Sub(epoch), op: r.Operation})
				}
			}
			assert.NotEmpty(t, reqs)
			assertQuota(t, reqs)

			got, err := w.stages.Update(ctx, st.ARN, update)
			require.NoError(t, err)
			assert.Equal(t, time.Minute, got.Recording.ReconnectWindow)
		})
	}
}

// Cancelling the context ends a wait on the fake, which would otherwise wait for ever (the recording is
// never idle while the participant publishes).
func TestWaitRecordingIdleCancelAgainstFake(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	st, tokens := w.createStage(t, "Busy", 0, token.New())
	id := w.join(t, st, tokens[0])[0]
	require.NoError(t, w.srv.Publish(st.ARN, id))
	ctx, cancel := context.WithCancel(t.Context())
	sleeps := 0
	sleep := func(ctx context.Context, d time.Duration) error {
		sleeps++
		if sleeps == 10 {
			cancel()
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		w.clock.Advance(d)
		return nil
	}
	err := w.stages.WaitRecordingIdle(ctx, st.ARN, stage.WithWaitClock(w.clock.Now, sleep))
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 10, sleeps)
}

// A ListParticipants whose nextTokens go round in a cycle (A, B, A, B …, never the token just sent) would
// page for ever within one poll: the wait sees that a token repeats one already sent in the same check and
// returns the error the iterators return, after exactly the pages of one lap. The responder cancels the
// wait after maxCyclePages requests, so a wait that does not detect the cycle fails the test instead of
// hanging it.
func TestWaitRecordingIdleTokenCycle(t *testing.T) {
	t.Parallel()
	const maxCyclePages = 50
	tests := []struct {
		name  string
		state string            // the recording state whose list cycles
		next  map[string]string // nextToken answered for each nextToken sent ("" is the first page)
		want  []string          // the state:token requests sent
		page  int               // the page whose nextToken repeats
		token string
	}{
		{"A, B, A", "STARTING", map[string]string{"": "A", "A": "B", "B": "A"},
			[]string{"STARTING:", "STARTING:A", "STARTING:B"}, 3, "A"},
		{"A, B, C, B in the second state", "ACTIVE", map[string]string{"": "A", "A": "B", "B": "C", "C": "B"},
			[]string{"STARTING:", "ACTIVE:", "ACTIVE:A", "ACTIVE:B", "ACTIVE:C"}, 4, "B"},
		{"the first page's token comes back", "STOPPING", map[string]string{"": "A", "A": "A"},
			[]string{"STARTING:", "ACTIVE:", "STOPPING:", "STOPPING:A"}, 2, "A"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			mock := testutil.NewMock()
			mock.Respond("GetStage", 200, `{"stage": {"arn": "`+stageARN+`", "activeSessionId": "`+sessionID+`"}}`)
			var mu sync.Mutex
			var sent []string
			mock.RespondFunc("ListParticipants", func(_ *http.Request, body []byte) (int, string, string) {
				var in struct{ NextToken, FilterByRecordingState string }
				if err := json.Unmarshal(body, &in); err != nil {
					return 400, `{"exceptionMessage": "bad body"}`, "ValidationException"
				}
				mu.Lock()
				defer mu.Unlock()
				sent = append(sent, in.FilterByRecordingState+":"+in.NextToken)
				if len(sent) >= maxCyclePages {
					cancel() // the bound: a wait that misses the cycle ends here
				}
				if in.FilterByRecordingState != tt.state {
					return 200, `{"participants": []}`, ""
				}
				return 200, `{"participants": [], "nextToken": "` + tt.next[in.NextToken] + `"}`, ""
			})

			err := newClient(mock).WaitRecordingIdle(ctx, stageARN, (&waitClock{t: epoch}).option())
			require.Error(t, err)
			assert.ErrorIs(t, err, svc.ErrTokenRepeated)
			assert.NotErrorIs(t, err, context.Canceled, "ended by the guard, not by the bound")
			var opErr *smithy.OperationError
			require.True(t, errors.As(err, &opErr), "%T: %v", err, err)
			assert.Equal(t, "ListParticipants", opErr.OperationName)
			assert.Contains(t, err.Error(), `nextToken "`+tt.token+`" of page `+strconv.Itoa(tt.page)+` repeats a token already sent`)
			mu.Lock()
			defer mu.Unlock()
			assert.Equal(t, tt.want, sent)
			assert.Equal(t, 1+len(tt.want), mock.Count(), "one GetStage, then the pages of one lap")
		})
	}
}

// fakeDeadline drives WaitRecordingIdle on a stagetest Clock: each sleep of the wait advances the clock,
// steps run once the clock has reached their time, and once it reaches the deadline the context ends as a
// passed deadline does (DeadlineExceeded). Nothing is decided by the wall clock.
type fakeDeadline struct {
	clock    *stagetest.Clock
	start    time.Time
	deadline time.Duration // since start
	steps    []fakeStep
	expire   func()

	mu     sync.Mutex
	sleeps int
}

// maxSleeps bounds a wait: a wait that does not end by its deadline fails the test instead of hanging it.
const maxSleeps = 1000

func (f *fakeDeadline) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	f.sleeps++
	n := f.sleeps
	f.mu.Unlock()
	if n > maxSleeps {
		f.expire()
		return ctx.Err()
	}
	f.clock.Advance(d)
	elapsed := f.clock.Now().Sub(f.start)
	for len(f.steps) > 0 && elapsed >= f.steps[0].at {
		if err := f.steps[0].do(); err != nil {
			return err
		}
		f.steps = f.steps[1:]
	}
	if elapsed >= f.deadline {
		f.expire()
		return ctx.Err()
	}
	return nil
}

// A wait that runs out of time says which stage and who is still being recorded at the last poll that
// found someone (participant IDs, and user IDs when the token had one), and still wraps
// context.DeadlineExceeded. On stagetest with its Clock: recordings are STARTING at the publish instant and
// ACTIVE once the clock has moved on; a participant who leaves (reconnect window 0) stops being recorded
// at once.
func TestWaitRecordingIdleSaysWhoIsStillRecording(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// leaveAt, when set, is when the second participant (no user ID) leaves.
		leaveAt   time.Duration
		deadline  time.Duration
		wantState recording.State
		wantBoth  bool // both participants named; else only the first
	}{
		{name: "both still publishing", deadline: 10 * time.Second, wantState: recording.StateActive, wantBoth: true},
		{name: "deadline before the first sleep ends the first poll", deadline: time.Nanosecond, wantState: recording.StateStarting, wantBoth: true},
		{name: "one left on the way", leaveAt: 3 * time.Second, deadline: 10 * time.Second, wantState: recording.StateActive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
			clock := stagetest.NewClock(start)
			srv := stagetest.New(stagetest.WithClock(clock.Now))
			c := stage.NewClientFromConfig(srv.Config())
			st, toks, err := c.Create(t.Context(), stage.New().WithRecording(recording.New(srv.MustAddStorageConfiguration("rec"))).
				WithParticipants(token.New().WithUserID("u1"), token.New()))
			require.NoError(t, err)
			var ids []string
			for _, tok := range toks {
				id, err := srv.Join(st.ARN, tok.Value())
				require.NoError(t, err)
				require.NoError(t, srv.Publish(st.ARN, id))
				ids = append(ids, id)
			}
			base, cause := context.WithCancelCause(t.Context())
			ctx := &deadlineCtx{Context: base}
			f := &fakeDeadline{clock: clock, start: start, deadline: tt.deadline, expire: func() { cause(context.DeadlineExceeded) }}
			if tt.leaveAt > 0 {
				f.steps = append(f.steps, fakeStep{at: tt.leaveAt, do: func() error { return srv.Leave(st.ARN, ids[1]) }})
			}
			before := srv.RequestCount()

			err = c.WaitRecordingIdle(ctx, st.ARN, stage.WithPollInterval(stage.MinPollInterval), stage.WithWaitClock(clock.Now, f.sleep))
			require.ErrorIs(t, err, context.DeadlineExceeded)
			assert.NotErrorIs(t, err, context.Canceled)
			var we *stage.WaitError
			require.ErrorAs(t, err, &we)
			assert.LessOrEqual(t, f.sleeps, maxSleeps, "ended by its deadline, not by the bound")

			want := "stage: WaitRecordingIdle " + st.ARN + ": context deadline exceeded; still recording: participant " + ids[0] + " (user u1)"
			wantIDs := ids[:1]
			if tt.wantBoth {
				want += ", " + ids[1]
				wantIDs = ids
			}
			assert.Equal(t, want, err.Error())
			assert.Equal(t, st.ARN, we.StageARN)
			got, err := c.Get(t.Context(), st.ARN)
			require.NoError(t, err)
			assert.Equal(t, got.ActiveSessionID, we.SessionID)
			var gotIDs []string
			for _, p := range we.Recording {
				gotIDs = append(gotIDs, p.ID)
				assert.Equal(t, tt.wantState, p.Recording, p.ID)
			}
			assert.Equal(t, wantIDs, gotIDs)
			assert.Equal(t, "u1", we.Recording[0].UserID)
			assert.False(t, we.More)
			for _, r := range srv.Requests()[before:] {
				assert.Contains(t, []string{"GetStage", "ListParticipants"}, r.Operation)
			}
		})
	}
}

// WaitError's text: the stage, the context's error, then who was still recording (", and more" past the
// page); IDs that are not plain are quoted, and one that looks like a token is only measured.
func TestWaitErrorText(t *testing.T) {
	t.Parallel()
	jwt := "eyJhbGciOiJFUzM4NCJ9.eyJzdWIiOiJ4In0.c2ln"
	const prefix = "stage: WaitRecordingIdle " + stageARN + ": "
	tests := []struct {
		name string
		err  stage.WaitError
		want string
	}{
		{"nobody found", stage.WaitError{StageARN: stageARN, Err: context.Canceled}, prefix + "context canceled"},
		{"one without a user", stage.WaitError{StageARN: stageARN, Err: context.DeadlineExceeded,
			Recording: []stage.Participant{{ID: "p1"}}}, prefix + "context deadline exceeded; still recording: participant p1"},
		{"two, one with a user", stage.WaitError{StageARN: stageARN, Err: context.DeadlineExceeded,
			Recording: []stage.Participant{{ID: "p1", UserID: "u1"}, {ID: "p2"}}},
			prefix + "context deadline exceeded; still recording: participant p1 (user u1), p2"},
		{"more than the page", stage.WaitError{StageARN: stageARN, Err: context.DeadlineExceeded, More: true,
			Recording: []stage.Participant{{ID: "p1"}}}, prefix + "context deadline exceeded; still recording: participant p1, and more"},
		{"plain IDs with every allowed sign", stage.WaitError{StageARN: stageARN, Err: context.Canceled,
			Recording: []stage.Participant{{ID: "a_B-9", UserID: "alice@corp:1"}}},
			prefix + "context canceled; still recording: participant a_B-9 (user alice@corp:1)"},
		{"user ID with a dot", stage.WaitError{StageARN: stageARN, Err: context.Canceled,
			Recording: []stage.Participant{{ID: "p1", UserID: "alice@example.com"}}},
			prefix + `context canceled; still recording: participant p1 (user "alice@example.com")`},
		{"user ID with a space and a comma", stage.WaitError{StageARN: stageARN, Err: context.Canceled,
			Recording: []stage.Participant{{ID: "p1", UserID: "Ann, p2"}}},
			prefix + `context canceled; still recording: participant p1 (user "Ann, p2")`},
		{"user ID that looks like a token", stage.WaitError{StageARN: stageARN, Err: context.Canceled,
			Recording: []stage.Participant{{ID: "p1", UserID: jwt}}},
			prefix + fmt.Sprintf("context canceled; still recording: participant p1 (user (%d bytes, not shown: it looks like a token or a key))", len(jwt))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := &tt.err
			assert.Equal(t, tt.want, err.Error())
			assert.True(t, strings.HasPrefix(err.Error(), "stage: "))
			assert.NotContains(t, err.Error(), "eyJ")
			assert.Equal(t, tt.err.Err, errors.Unwrap(err))
			assert.ErrorIs(t, err, tt.err.Err)
		})
	}
}
