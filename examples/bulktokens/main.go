// Command bulktokens issues hundreds of participant tokens for one stage with token.Client.CreateMany:
// every configuration validated first, bounded concurrency, a client-side rate limit at the service quota
// (50 requests/s), and a progress line.
//
//	go run ./examples/bulktokens              # against the in-memory fake (no AWS account needed)
//	go run ./examples/bulktokens -live -n 100 # real AWS: creates a stage, deletes it afterwards
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/ivsrt/ivsrt/examples/internal/env"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/token"
)

func main() {
	var flags env.Flags
	flags.Register(flag.CommandLine)
	n := flag.Int("n", 300, "how many tokens to create")
	rps := flag.Float64("rate", 0, "a client-side rate limit of this batch's own, requests per second (default: the client's limiter, shared by all its calls, at the service quota of 50/s)")
	flag.Parse()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cfg, where, err := flags.Config(ctx)
	if err == nil {
		fmt.Println(where)
		err = run(ctx, os.Stdout, cfg, *n, *rps)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bulktokens:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer, cfg aws.Config, n int, rps float64) (err error) {
	stages := stage.NewClientFromConfig(cfg)
	tokens := token.NewClientFromConfig(cfg)

	st, _, err := stages.Create(ctx, stage.New().WithName("ivsrt-bulktokens"))
	if err != nil {
		return fmt.Errorf("creating a stage: %w", err)
	}
	defer func() {
		if derr := stages.Delete(ctx, st.ARN); derr != nil && err == nil {
			err = fmt.Errorf("deleting the stage: %w", derr)
		}
	}()
	// By default the batch shares the client's limiter (token.DefaultRate, the service quota) with every other
	// call of the client; -rate gives it a limiter of its own.
	var pace []token.ManyOption
	if rps > 0 {
		pace = append(pace, token.WithRate(rps, 1))
	} else {
		rps = float64(tokens.Limiter("CreateParticipantToken").Limit())
	}
	fmt.Fprintf(w, "stage %s: creating %d tokens at up to %.0f/s\n", st.ID(), n, rps)

	viewer := token.New().WithCapabilities(token.Subscribe).WithDuration(4 * time.Hour)
	cfgs := make([]token.Config, n)
	for i := range cfgs {
		cfgs[i] = viewer.WithUserID(fmt.Sprintf("viewer-%04d", i+1))
	}

	start := time.Now()
	last := -1
	issued, err := tokens.CreateMany(ctx, st.ARN, cfgs, append(pace,
		token.WithProgress(func(done, total int) {
			if pct := done * 10 / total; pct != last || done == total {
				last = pct
				fmt.Fprintf(w, "progress: %d/%d\n", done, total)
			}
		}))...)
	elapsed := time.Since(start)
	created := 0
	for _, t := range issued {
		if t.Value() != "" {
			created++
		}
	}
	fmt.Fprintf(w, "created %d of %d tokens in %s (%.0f/s)\n", created, n, elapsed.Round(10*time.Millisecond), float64(created)/elapsed.Seconds())
	if created > 0 {
		fmt.Fprintf(w, "first: %v\n", issued[0])
	}
	return err
}
