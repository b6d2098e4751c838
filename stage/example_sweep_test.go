package stage_test

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// Delete the stages a CI job left behind: those tagged owner=ci whose last session ended at least an hour
// ago, or which were never used and were created (TagCreatedAt) that long ago. A dry run first says what
// would go; the sweep then deletes it. A stage in use and a stage of someone else are left alone.
func ExampleClient_Sweep() {
	clock := stagetest.NewClock(time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC))
	srv := stagetest.New(stagetest.WithClock(clock.Now))
	stages := stage.NewClientFromConfig(srv.Config())
	ctx := context.Background()

	ci := stage.New().WithTag("owner", "ci")
	used, tokens, _ := stages.Create(ctx, ci.WithName("used").WithParticipants(token.New()))
	id, _ := srv.Join(used.ARN, tokens[0].Value())
	clock.Advance(10 * time.Minute)
	_ = srv.Leave(used.ARN, id) // its session ends at 12:10
	_, _, _ = stages.Create(ctx, ci.WithName("never-used").WithTag(stage.TagCreatedAt, "2026-05-01T11:00:00Z"))
	live, tokens, _ := stages.Create(ctx, ci.WithName("live").WithParticipants(token.New()))
	_, _ = srv.Join(live.ARN, tokens[0].Value())
	_, _, _ = stages.Create(ctx, stage.New().WithName("not-ours").WithTag("owner", "alice"))
	clock.Advance(2 * time.Hour) // 14:10

	sessionID := regexp.MustCompile(`st-[a-zA-Z0-9]{13}`) // random: shown as st-…
	sweep := stage.NewSweep().WithTag("owner", "ci").WithIdleFor(time.Hour).WithClock(clock.Now)
	for _, s := range []stage.Sweep{sweep.WithDryRun(), sweep} {
		for sw, err := range stages.Sweep(ctx, s) {
			if err != nil {
				fmt.Println(err)
				return
			}
			fmt.Printf("%-10s deleted=%-5v %s\n", sw.Stage.Name, sw.Deleted, sessionID.ReplaceAllString(sw.Reason, "st-…"))
		}
		fmt.Println("--")
	}
	// Output:
	// used       deleted=false idle 2h0m0s since session st-… ended at 2026-05-01T12:10:00Z, at least 1h0m0s (dry run: not deleted)
	// never-used deleted=false idle 3h10m0s since it was created at 2026-05-01T11:00:00Z (ivsrt:created-at), never used, at least 1h0m0s (dry run: not deleted)
	// live       deleted=false kept: session st-… is active
	// --
	// used       deleted=true  idle 2h0m0s since session st-… ended at 2026-05-01T12:10:00Z, at least 1h0m0s
	// never-used deleted=true  idle 3h10m0s since it was created at 2026-05-01T11:00:00Z (ivsrt:created-at), never used, at least 1h0m0s
	// live       deleted=false kept: session st-… is active
	// --
}
