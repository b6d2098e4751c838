package stage_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

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

// fakeStep is something that happens once the fake clock has reached at (since start).
type fakeStep struct {
	at time.Duration
	do func() error
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
