// Package env gives the examples their aws.Config: the in-memory stagetest service by default, or real AWS
// with -live (credentials and region from the SDK's standard chain).
package env

import (
	"context"
	"flag"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/ivsrt/ivsrt/stage/stagetest"
)

// Flags are the flags every example shares.
type Flags struct {
	Live bool
}

// Register adds -live to fs.
func (f *Flags) Register(fs *flag.FlagSet) {
	fs.BoolVar(&f.Live, "live", false, "run against real AWS (credentials and region from the standard SDK chain) instead of the in-memory fake")
}

// Config returns the aws.Config to run on and a line saying where that is.
func (f Flags) Config(ctx context.Context) (aws.Config, string, error) {
	if !f.Live {
		srv := stagetest.New()
		return srv.Config(), "running against the in-memory IVS Real-Time fake (stagetest); pass -live for real AWS", nil
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return aws.Config{}, "", fmt.Errorf("loading AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return aws.Config{}, "", fmt.Errorf("no AWS region: set AWS_REGION or a profile region")
	}
	return cfg, fmt.Sprintf("running against real AWS in %s", cfg.Region), nil
}
