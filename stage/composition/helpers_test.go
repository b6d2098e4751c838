package composition_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/stage/composition"
)

// ARNs shaped like the service's, in the mock's region.
const (
	stageARN       = "arn:aws:ivs:us-east-1:123456789012:stage/WyGkzNFGwiwr"
	otherStageARN  = "arn:aws:ivs:us-east-1:123456789012:stage/defgABCDabcd"
	channelARN     = "arn:aws:ivs:us-east-1:123456789012:channel/abcABCdefDEg"
	storageARN     = "arn:aws:ivs:us-east-1:123456789012:storage-configuration/FefABabCDcdE"
	encoderARN     = "arn:aws:ivs:us-east-1:123456789012:encoder-configuration/ABabCDcdEFef"
	encoder2ARN    = "arn:aws:ivs:us-east-1:123456789012:encoder-configuration/ZYxwVUtsRQpo"
	compositionARN = "arn:aws:ivs:us-east-1:123456789012:composition/s2AdaGUbvQgp"
	ingestARN      = "arn:aws:ivs:us-east-1:123456789012:ingest-configuration/AbCdEf123456"
	// streamKey has the model's StreamKey shape (rt_<account>_<region>_<id>_<secret>).
	streamKey = "rt_123456789012_us-east-1_AbCdEf123456_Xy9Z8w7V6u5T4s3R2q1P0oNmLkJiHgFe"
)

// newClient returns a Client on the mock (its default limiters are off in this suite: TestMain).
func newClient(m *testutil.Mock) *composition.Client {
	return composition.NewClientFromConfig(m.Config())
}

func readTestdata(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return string(b)
}

// s3Destination is a valid S3 destination.
func s3Destination() composition.Destination {
	return composition.ToS3(storageARN).WithEncoders(encoderARN)
}

// validConfig is a valid Config with one destination of each kind.
func validConfig() composition.Config {
	return composition.New(stageARN).WithDestinations(composition.ToChannel(channelARN), s3Destination())
}

// nTags returns n distinct tags.
func nTags(n int) map[string]string {
	tags := make(map[string]string, n)
	for i := range n {
		tags[fmt.Sprintf("k%d", i)] = "v"
	}
	return tags
}
