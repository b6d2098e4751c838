package stage_test

import (
	"context"
	"fmt"
	"time"

	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// Create a stage exactly once for an event: the CreateStage response is lost on its way back (the stage
// exists, the caller sees a 500), and Create finds the stage by its request key instead of creating a
// second one, then issues the participants' tokens again. A second Create with the key sends no
// CreateStage.
func ExampleConfig_WithRequestKey() {
	clock := stagetest.NewClock(time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC))
	srv := stagetest.New(stagetest.WithClock(clock.Now))
	stages := stage.NewClientFromConfig(srv.Config())
	ctx := context.Background()

	cfg := stage.New().WithName("order-1042").
		WithParticipants(token.New().WithUserID("host"), token.New().WithUserID("guest")).
		WithRequestKey("order-1042/created").WithClock(clock.Now)

	srv.LoseNextResponse("CreateStage")
	st, tokens, err := stages.Create(ctx, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(st.Name, st.Tags[stage.TagRequestKey], st.Tags[stage.TagCreatedAt])
	for _, tk := range tokens {
		fmt.Println("token for", tk.UserID)
	}
	for _, r := range srv.Requests() {
		fmt.Println(r.Operation, r.Status)
	}

	mark := srv.RequestCount()
	again, _, err := stages.Create(ctx, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("same stage:", again.ARN == st.ARN)
	for _, r := range srv.Requests()[mark:] {
		fmt.Println(r.Operation, r.Status)
	}

	n := 0
	for _, err := range stages.List(ctx) {
		if err != nil {
			fmt.Println(err)
			return
		}
		n++
	}
	fmt.Println("stages:", n)
	// Output:
	// order-1042 order-1042/created 2026-05-01T12:00:00Z
	// token for host
	// token for guest
	// CreateStage 500
	// ListStages 200
	// GetStage 200
	// CreateParticipantToken 200
	// CreateParticipantToken 200
	// same stage: true
	// GetStage 200
	// CreateParticipantToken 200
	// CreateParticipantToken 200
	// stages: 1
}
