package stage_test

import (
	"context"
	"fmt"

	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// Disconnect a user rather than a participant: every connected participant of the active session whose
// token carries the user ID (here alice is on the stage from two devices) leaves, and their tokens can
// never join again.
func ExampleClient_DisconnectUser() {
	srv := stagetest.New()
	stages := stage.NewClientFromConfig(srv.Config())
	ctx := context.Background()

	st, tokens, err := stages.Create(ctx, stage.New().WithParticipants(
		token.New().WithUserID("alice"), // her laptop
		token.New().WithUserID("bob"),
		token.New().WithUserID("alice"))) // her phone
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range tokens {
		if _, err := srv.Join(st.ARN, t.Value()); err != nil {
			fmt.Println(err)
			return
		}
	}

	n, err := stages.DisconnectUser(ctx, st.ARN, "alice", "account suspended")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("disconnected:", n)

	for p, err := range stages.ActiveParticipants(ctx, st.ARN) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(p.UserID, p.State)
	}
	// Output:
	// disconnected: 2
	// alice DISCONNECTED
	// bob CONNECTED
	// alice DISCONNECTED
}

// The participants of the stage's active session, with two conditions: the service takes one filter per
// request, so one is sent (FilterPublished) and the other (connected now) is applied to what comes back.
func ExampleClient_ActiveParticipants() {
	srv := stagetest.New()
	stages := stage.NewClientFromConfig(srv.Config())
	ctx := context.Background()

	st, tokens, err := stages.Create(ctx, stage.New().WithParticipants(
		token.New().WithUserID("host"), token.New().WithUserID("guest"), token.New().WithUserID("viewer")))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range tokens {
		_, _ = srv.Join(st.ARN, t.Value())
	}
	_ = srv.Publish(st.ARN, tokens[0].ParticipantID)
	_ = srv.Publish(st.ARN, tokens[1].ParticipantID)
	_ = srv.Leave(st.ARN, tokens[1].ParticipantID) // the guest published, then left

	for p, err := range stages.ActiveParticipants(ctx, st.ARN, stage.FilterPublished()) {
		if err != nil {
			fmt.Println(err)
			return
		}
		if p.State != stage.ParticipantConnected {
			continue
		}
		fmt.Println("connected publisher:", p.UserID)
	}

	empty, _, err := stages.Create(ctx, stage.New())
	if err != nil {
		fmt.Println(err)
		return
	}
	count := 0
	for _, err := range stages.ActiveParticipants(ctx, empty.ARN) {
		if err != nil {
			fmt.Println(err)
			return
		}
		count++
	}
	fmt.Println("on a stage without a session:", count)
	// Output:
	// connected publisher: host
	// on a stage without a session: 0
}
