// Package env gives the examples their aws.Config: the in-memory stagetest service by default, or real AWS
// with -live (credentials and region from the SDK's standard chain).
package env

import (
	"context"
	"errors"
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

// Storage says where an example records: an existing storage configuration (ARN), or a new one to create on
// Bucket (and delete at the end).
type Storage struct {
	ARN    string
	Bucket string
}

// Register adds -storage-configuration-arn and -bucket to fs.
func (s *Storage) Register(fs *flag.FlagSet) {
	fs.StringVar(&s.ARN, "storage-configuration-arn", "", "an existing storage configuration to record to (with -live; instead of -bucket)")
	fs.StringVar(&s.Bucket, "bucket", "", "an S3 bucket (same region) to create a storage configuration on, deleted at the end (offline: a bucket of the fake)")
}

// Resolve checks the storage flags against -live and returns the choice to run with: offline, a bucket of
// the fake (offlineBucket unless -bucket names another); live, -bucket or -storage-configuration-arn.
func (s Storage) Resolve(live bool, offlineBucket string) (Storage, error) {
	switch {
	case s.ARN != "" && s.Bucket != "":
		return Storage{}, errors.New("give -bucket or -storage-configuration-arn, not both")
	case !live && s.ARN != "":
		return Storage{}, errors.New("-storage-configuration-arn needs -live (the in-memory fake holds no storage configuration of yours)")
	case live && s.ARN == "" && s.Bucket == "":
		return Storage{}, errors.New("-live needs -bucket (an S3 bucket in the same region) or -storage-configuration-arn")
	case !live && s.Bucket == "":
		s.Bucket = offlineBucket
	}
	return s, nil
}
