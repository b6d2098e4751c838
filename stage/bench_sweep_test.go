package stage_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// The account BenchmarkSweep sweeps: 1,000 stages (the default stage quota), 400 owned and used once (a
// session that ended), 400 owned and never used (TagCreatedAt an hour before), 200 of someone else.
const (
	benchUsed    = 400
	benchNever   = 400
	benchForeign = 200
	benchStages  = benchUsed + benchNever + benchForeign
)

// fillSweepAccount creates the account on srv, on its clock, and returns the time to sweep at (every owned
// stage idle for an hour or more).
func fillSweepAccount(b *testing.B, srv *stagetest.Server, clock *stagetest.Clock) time.Time {
	b.Helper()
	ctx := context.Background()
	stages := stage.NewClientFromConfig(srv.Config())
	ci := stage.New().WithTag(sweepKey, sweepValue)
	for range benchUsed {
		st, tokens, err := stages.Create(ctx, ci.WithParticipants(token.New()))
		require.NoError(b, err)
		id, err := srv.Join(st.ARN, tokens[0].Value())
		require.NoError(b, err)
		require.NoError(b, srv.Leave(st.ARN, id))
	}
	created := clock.Now().Format(time.RFC3339)
	for range benchNever {
		_, _, err := stages.Create(ctx, ci.WithTag(stage.TagCreatedAt, created))
		require.NoError(b, err)
	}
	for range benchForeign {
		_, _, err := stages.Create(ctx, stage.New().WithTag(sweepKey, "someone-else"))
		require.NoError(b, err)
	}
	return clock.Now().Add(time.Hour)
}

// BenchmarkSweep sweeps (deletes) the 800 idle owned stages of a 1,000-stage account on stagetest, with the
// default limiters off (testutil.Main) to measure the CPU, beside the same calls made with the official
// client alone (ListStages pages of 100, the tag compared, ListStageSessions of 1, DeleteStage). The account
// is rebuilt, outside the timer, before each sweep.
//
// Metrics: <operation>/stage, the requests of each operation per stage of the account; and
// owned-stages/s-budget, the pace the default budget allows, in owned stages swept per second. Each
// operation has a limiter of its own, so the sweep goes as fast as its slowest operation allows:
//
//	stages/s = min over operations of rate(operation) / (requests of operation per stage)
//
// Here ListStageSessions and DeleteStage (0.8 per stage each, 5/s) bound it at 6.25 account stages per
// second, 5 owned stages per second: 800 owned stages take 160 s; ListStages (0.01 per stage) alone would
// allow 500.
func BenchmarkSweep(b *testing.B) {
	rates := map[string]float64{"ListStages": stage.RequestsPerSecond, "ListStageSessions": stage.RequestsPerSecond,
		"GetStageSession": stage.RequestsPerSecond, "DeleteStage": stage.RequestsPerSecond}
	run := func(b *testing.B, sweep func(ctx context.Context, cfg aws.Config, now time.Time) int) {
		var srv *stagetest.Server
		for b.Loop() {
			b.StopTimer()
			clock := stagetest.NewClock(epoch)
			srv = stagetest.New(stagetest.WithClock(clock.Now))
			now := fillSweepAccount(b, srv, clock)
			mark := srv.RequestCount()
			b.StartTimer()
			if n := sweep(context.Background(), srv.Config(), now); n != benchUsed+benchNever {
				b.Fatalf("deleted %d stages, want %d", n, benchUsed+benchNever)
			}
			b.StopTimer()
			perOp := map[string]float64{}
			for _, r := range srv.Requests()[mark:] {
				perOp[r.Operation]++
			}
			allowed := 0.0
			for op, n := range perOp {
				b.ReportMetric(n/benchStages, op+"/stage")
				if pace := rates[op] / (n / benchStages); allowed == 0 || pace < allowed {
					allowed = pace
				}
			}
			b.ReportMetric(allowed*float64(benchUsed+benchNever)/benchStages, "owned-stages/s-budget")
			b.StartTimer()
		}
	}
	b.Run("Sweep", func(b *testing.B) {
		run(b, func(ctx context.Context, cfg aws.Config, now time.Time) int {
			s := stage.NewSweep().WithTag(sweepKey, sweepValue).WithIdleFor(time.Hour).WithClock(func() time.Time { return now })
			n := 0
			for sw, err := range stage.NewClientFromConfig(cfg).Sweep(ctx, s) {
				if err != nil || sw.Err != nil {
					b.Fatal(err, sw.Err)
				}
				if sw.Deleted {
					n++
				}
			}
			return n
		})
	})
	b.Run("raw-sdk", func(b *testing.B) {
		run(b, func(ctx context.Context, cfg aws.Config, now time.Time) int {
			return rawSweep(b, ctx, ivsrealtime.NewFromConfig(cfg), now)
		})
	})
}

// rawSweep is what Sweep does, written with the official client alone (no validation, no TagCreatedAt
// parsing errors, no GetStageSession).
func rawSweep(b *testing.B, ctx context.Context, api *ivsrealtime.Client, now time.Time) int {
	var owned []string
	var created []string
	p := ivsrealtime.NewListStagesPaginator(api, &ivsrealtime.ListStagesInput{MaxResults: aws.Int32(stage.MaxPageSize)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		require.NoError(b, err)
		for _, st := range out.Stages {
			if st.Tags[sweepKey] == sweepValue && aws.ToString(st.ActiveSessionId) == "" {
				owned, created = append(owned, aws.ToString(st.Arn)), append(created, st.Tags[stage.TagCreatedAt])
			}
		}
	}
	n := 0
	for i, arn := range owned {
		out, err := api.ListStageSessions(ctx, &ivsrealtime.ListStageSessionsInput{StageArn: aws.String(arn), MaxResults: aws.Int32(1)})
		require.NoError(b, err)
		var since time.Time
		if len(out.StageSessions) > 0 {
			since = aws.ToTime(out.StageSessions[0].EndTime)
		} else if since, err = time.Parse(time.RFC3339, created[i]); err != nil {
			continue
		}
		if now.Sub(since) >= time.Hour {
			_, err := api.DeleteStage(ctx, &ivsrealtime.DeleteStageInput{Arn: aws.String(arn)})
			require.NoError(b, err)
			n++
		}
	}
	return n
}
