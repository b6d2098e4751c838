// Command sweep deletes the stages a CI job left behind, offline and deterministically, with stage.Sweep:
//
//  1. on the in-memory fake (stage/stagetest) on its own clock, an account holds stages tagged owner=ci (the
//     sweep's owner): two used by a test run (one last used 3 hours ago, one 20 minutes ago), one in use now,
//     one never used, created two days ago (its ivsrt:created-at tag), one never used without that tag; and a
//     stage of someone else (owner=alice), idle for days;
//  2. a dry run of the sweep (owner=ci, idle for at least an hour) says what it would delete and why, and
//     deletes nothing;
//  3. the sweep deletes it, within the request budget (every call waits for its operation's 5/s limiter);
//  4. the stages left are listed.
//
// Only the generated IDs (stages, sessions) change from run to run.
//
//	go run ./examples/sweep
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

const (
	// owner is the tag the sweep owns its stages by.
	ownerKey, ownerValue = "owner", "ci"
	// idleFor is how long an owned stage must have been idle to be deleted.
	idleFor = time.Hour
)

// storyStart is when the story begins, on the fake's clock.
var storyStart = time.Date(2026, time.January, 1, 9, 0, 0, 0, time.UTC)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "sweep:", err)
		os.Exit(1)
	}
}

// world is the offline world of the story: the fake service on its clock and a client on it.
type world struct {
	w      io.Writer
	clock  *stagetest.Clock
	srv    *stagetest.Server
	stages *stage.Client
}

func newWorld(w io.Writer) *world {
	clock := stagetest.NewClock(storyStart)
	srv := stagetest.New(stagetest.WithClock(clock.Now))
	return &world{w: w, clock: clock, srv: srv, stages: stage.NewClientFromConfig(srv.Config())}
}

func run(ctx context.Context, w io.Writer) error { return newWorld(w).run(ctx) }

func (wd *world) run(ctx context.Context) error {
	fmt.Fprintf(wd.w, "running against the in-memory IVS Real-Time fake (stagetest) on its own clock, starting %s\n",
		storyStart.Format(time.DateTime))
	section(wd.w, "1. The account")
	if err := wd.fill(ctx); err != nil {
		return err
	}
	if err := wd.list(ctx); err != nil {
		return err
	}

	sweep := stage.NewSweep().WithTag(ownerKey, ownerValue).WithIdleFor(idleFor).WithClock(wd.clock.Now)
	section(wd.w, fmt.Sprintf("2. Dry run: stages tagged %s=%s idle for %s or more", ownerKey, ownerValue, idleFor))
	if err := wd.sweep(ctx, sweep.WithDryRun()); err != nil {
		return err
	}
	section(wd.w, "3. The sweep")
	if err := wd.sweep(ctx, sweep); err != nil {
		return err
	}
	section(wd.w, "4. What is left")
	return wd.list(ctx)
}

// fill creates the account's stages, playing their sessions on the clock; the clock ends at 12:00.
func (wd *world) fill(ctx context.Context) error {
	ci := stage.New().WithTag(ownerKey, ownerValue)
	create := func(name string, cfg stage.Config) (stage.Stage, []token.Token, error) {
		st, tokens, err := wd.stages.Create(ctx, cfg.WithName(name))
		if err != nil {
			return stage.Stage{}, nil, fmt.Errorf("creating %s: %w", name, err)
		}
		return st, tokens, nil
	}
	// visit joins the stage's participant now and leaves after d.
	visit := func(st stage.Stage, tok token.Token, d time.Duration) error {
		id, err := wd.srv.Join(st.ARN, tok.Value())
		if err != nil {
			return err
		}
		wd.clock.Advance(d)
		return wd.srv.Leave(st.ARN, id)
	}
	guest := token.New().WithUserID("test-runner")
	twoDaysAgo := storyStart.Add(3*time.Hour - 48*time.Hour).Format(time.RFC3339)
	if _, _, err := create("alice-demo", stage.New().WithTag(ownerKey, "alice").WithTag(stage.TagCreatedAt, twoDaysAgo)); err != nil {
		return err
	}
	if _, _, err := create("ci-never-used", ci.WithTag(stage.TagCreatedAt, twoDaysAgo)); err != nil {
		return err
	}
	if _, _, err := create("ci-untagged", ci); err != nil {
		return err
	}
	old, oldTokens, err := create("ci-run-41", ci.WithParticipants(guest))
	if err != nil {
		return err
	}
	recent, recentTokens, err := create("ci-run-42", ci.WithParticipants(guest))
	if err != nil {
		return err
	}
	live, liveTokens, err := create("ci-run-43", ci.WithParticipants(guest))
	if err != nil {
		return err
	}
	if err := visit(old, oldTokens[0], 10*time.Minute); err != nil { // 09:00–09:10
		return err
	}
	wd.clock.Advance(2*time.Hour + 20*time.Minute)
	if err := visit(recent, recentTokens[0], 10*time.Minute); err != nil { // 11:30–11:40
		return err
	}
	wd.clock.Advance(10 * time.Minute)
	if _, err := wd.srv.Join(live.ARN, liveTokens[0].Value()); err != nil { // 11:50, still there
		return err
	}
	wd.clock.Advance(10 * time.Minute)
	fmt.Fprintf(wd.w, "%s  6 stages (sessions played on the fake's clock: ci-run-41 09:00–09:10, ci-run-42 11:30–11:40,\n"+
		"          ci-run-43 since 11:50; alice-demo and ci-never-used created %s, ci-untagged has no %s tag)\n",
		wd.clock.Now().Format(time.TimeOnly), twoDaysAgo, stage.TagCreatedAt)
	return nil
}

// list prints every stage of the account with its owner.
func (wd *world) list(ctx context.Context) error {
	for st, err := range wd.stages.List(ctx) {
		if err != nil {
			return fmt.Errorf("listing the stages: %w", err)
		}
		active := ""
		if st.ActiveSessionID != "" {
			active = ", active session " + st.ActiveSessionID
		}
		fmt.Fprintf(wd.w, "  %-14s %s  owner=%s%s\n", st.Name, st.ID(), st.Tags[ownerKey], active)
	}
	return nil
}

// sweep runs s and prints one line per owned stage.
func (wd *world) sweep(ctx context.Context, s stage.Sweep) error {
	deleted := 0
	for sw, err := range wd.stages.Sweep(ctx, s) {
		if err != nil {
			return fmt.Errorf("sweeping: %w", err)
		}
		verdict := "kept   "
		switch {
		case sw.Err != nil:
			verdict = "FAILED "
		case sw.Deleted:
			verdict, deleted = "deleted", deleted+1
		case !strings.HasPrefix(sw.Reason, "kept:"):
			verdict = "would delete"
		}
		fmt.Fprintf(wd.w, "  %-14s %-12s %s\n", sw.Stage.Name, verdict, sw.Reason)
		if sw.Err != nil {
			fmt.Fprintf(wd.w, "  %-14s %-12s %v\n", "", "", sw.Err)
		}
	}
	fmt.Fprintf(wd.w, "  %d deleted\n", deleted)
	return nil
}

func section(w io.Writer, title string) { fmt.Fprintf(w, "\n== %s ==\n", title) }
