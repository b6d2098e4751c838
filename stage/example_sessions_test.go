package stage_test

import (
	"context"
	"fmt"
	"time"

	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// List a stage's sessions: one begins with the first join and ends after the last participant leaves
// (stagetest ends it at once; the service a few minutes later), and the next join begins another.
// stagetest lists them newest first, on its Clock's times.
func ExampleClient_Sessions() {
	clock := stagetest.NewClock(time.Date(2026, 5, 1, 18, 0, 0, 0, time.UTC))
	srv := stagetest.New(stagetest.WithClock(clock.Now))
	stages := stage.NewClientFromConfig(srv.Config())
	ctx := context.Background()

	st, tokens, err := stages.Create(ctx, stage.New().WithName("standup").WithParticipants(
		token.New().WithUserID("host").WithDuration(3*24*time.Hour)))
	if err != nil {
		fmt.Println(err)
		return
	}
	for range 2 { // two meetings: join, stay half an hour, leave; a day later, again
		pid, err := srv.Join(st.ARN, tokens[0].Value())
		if err != nil {
			fmt.Println(err)
			return
		}
		clock.Advance(30 * time.Minute)
		if err := srv.Leave(st.ARN, pid); err != nil {
			fmt.Println(err)
			return
		}
		clock.Advance(24 * time.Hour)
	}
	if _, err := srv.Join(st.ARN, tokens[0].Value()); err != nil { // the third meeting is on
		fmt.Println(err)
		return
	}

	var newest string
	for s, err := range stages.Sessions(ctx, st.ARN) {
		if err != nil {
			fmt.Println(err)
			return
		}
		if newest == "" {
			newest = s.ID
		}
		end := "-" // the zero time: not ended
		if !s.End.IsZero() {
			end = s.End.Format(time.RFC3339)
		}
		fmt.Println("active:", s.Active(), "start:", s.Start.Format(time.RFC3339), "end:", end)
	}

	st, err = stages.Get(ctx, st.ARN)
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := stages.Session(ctx, st.ARN, st.ActiveSessionID)
	fmt.Println("the active session is the newest:", s.ID == newest, s.Active(), err)
	// Output:
	// active: true start: 2026-05-03T19:00:00Z end: -
	// active: false start: 2026-05-02T18:30:00Z end: 2026-05-02T19:00:00Z
	// active: false start: 2026-05-01T18:00:00Z end: 2026-05-01T18:30:00Z
	// the active session is the newest: true true <nil>
}
