package stage_test

import (
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/stage"
)

// BenchmarkCreateWithKey measures a first Create with a request key ("key") beside the same Create
// without one ("nokey") and the raw SDK call of the input with the key's two tags ("sdk"): the full
// config, the same mock transport and response, one run. The key adds two tags, a lock and a map entry,
// and no request. Compare with `benchstat -col /impl`:
//
//	go test -run '^$' -bench CreateWithKey -benchtime=300x -count=6 ./stage/
func BenchmarkCreateWithKey(b *testing.B) {
	mock := testutil.NewMock()
	mock.RespondStatic("CreateStage", benchResponse())
	cfg := fullConfig()

	b.Run("impl=sdk", func(b *testing.B) {
		client := mock.Client()
		rec, err := fullRecording().ToSDK()
		require.NoError(b, err)
		tags := cfg.Tags()
		tags[stage.TagRequestKey], tags[stage.TagCreatedAt] = "event-0", "2026-05-01T12:00:00Z"
		in := &ivsrealtime.CreateStageInput{Name: aws.String(cfg.Name()), Tags: tags, AutoParticipantRecordingConfiguration: rec}
		for _, p := range cfg.Participants() {
			sdk, err := p.ToSDK()
			require.NoError(b, err)
			in.ParticipantTokenConfigurations = append(in.ParticipantTokenConfigurations, sdk)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := client.CreateStage(b.Context(), in, func(o *ivsrealtime.Options) { o.RetryMaxAttempts = 1 }); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, tc := range []struct {
		name string
		key  bool
	}{{"impl=nokey", false}, {"impl=key", true}} {
		b.Run(tc.name, func(b *testing.B) {
			c := newClient(mock)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				cfg := cfg
				if tc.key {
					cfg = cfg.WithRequestKey("event-" + strconv.Itoa(i))
				}
				if _, _, err := c.Create(b.Context(), cfg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
