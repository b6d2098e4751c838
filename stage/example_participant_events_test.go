package stage_test

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// Find out why a participant cannot publish: its events say so (PUBLISH_ERROR with an ErrorCode). Here the
// token was issued without the PUBLISH capability. The service does not document the events' order, so
// sort them by time.
func ExampleClient_ParticipantEvents() {
	clock := stagetest.NewClock(time.Date(2026, 5, 1, 18, 0, 0, 0, time.UTC))
	srv := stagetest.New(stagetest.WithClock(clock.Now))
	stages := stage.NewClientFromConfig(srv.Config())
	ctx := context.Background()

	st, tokens, err := stages.Create(ctx, stage.New().WithParticipants(
		token.New().WithUserID("viewer").WithCapabilities(token.Subscribe)))
	if err != nil {
		fmt.Println(err)
		return
	}
	viewer := tokens[0]
	if _, err := srv.Join(st.ARN, viewer.Value()); err != nil { // the viewer's app joins…
		fmt.Println(err)
		return
	}
	clock.Advance(5 * time.Second)
	fmt.Println("publish refused:", srv.Publish(st.ARN, viewer.ParticipantID) != nil) // …and tries to publish
	clock.Advance(5 * time.Second)
	if err := srv.Leave(st.ARN, viewer.ParticipantID); err != nil {
		fmt.Println(err)
		return
	}

	session := ""
	for s, err := range stages.Sessions(ctx, st.ARN) {
		if err != nil {
			fmt.Println(err)
			return
		}
		session = s.ID // the stage's only session
	}
	var events []stage.ParticipantEvent
	for e, err := range stages.ParticipantEvents(ctx, st.ARN, session, viewer.ParticipantID) {
		if err != nil {
			fmt.Println(err)
			return
		}
		events = append(events, e)
	}
	slices.SortStableFunc(events, func(a, b stage.ParticipantEvent) int { return a.Time.Compare(b.Time) })
	for _, e := range events {
		line := e.Time.Format(time.TimeOnly) + " " + string(e.Name)
		if e.ErrorCode != "" {
			line += " " + e.ErrorCode
		}
		fmt.Println(line)
	}
	// Output:
	// publish refused: true
	// 18:00:00 JOINED
	// 18:00:05 PUBLISH_ERROR INSUFFICIENT_CAPABILITIES
	// 18:00:10 LEFT
}
