package composition_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage/composition"
)

// fullConfig is a composition with every part set: a grid layout, a channel and an S3 destination with
// HLS segments and thumbnails, a request key and tags.
func fullConfig() composition.Config {
	return composition.New(stageARN).
		WithLayout(composition.Grid().WithGridGap(4).WithOmitStoppedVideo(true).
			WithFeaturedParticipantAttribute("featured").WithParticipantOrderAttribute("order").
			WithVideoAspectRatio(composition.AspectRatioVideo)).
		WithDestinations(
			composition.ToChannel(channelARN).WithName("live").WithEncoders(encoderARN),
			composition.ToS3(storageARN).WithName("rec").WithEncoders(encoder2ARN).
				WithHLSSegment(4*time.Second).WithThumbnails(30*time.Second, recording.StorageLatest, recording.StorageSequential)).
		WithRequestKey("nightly").WithTag("team", "a")
}

// rawStartInput is fullConfig as the official client's input, built by hand.
func rawStartInput() *ivsrealtime.StartCompositionInput {
	return &ivsrealtime.StartCompositionInput{
		StageArn:         aws.String(stageARN),
		IdempotencyToken: aws.String(composition.IdempotencyToken(stageARN, "nightly")),
		Layout: &types.LayoutConfiguration{Grid: &types.GridConfiguration{
			GridGap: 4, OmitStoppedVideo: true, FeaturedParticipantAttribute: aws.String("featured"),
			ParticipantOrderAttribute: aws.String("order"), VideoAspectRatio: types.VideoAspectRatioVideo,
		}},
		Destinations: []types.DestinationConfiguration{
			{Name: aws.String("live"), Channel: &types.ChannelDestinationConfiguration{
				ChannelArn: aws.String(channelARN), EncoderConfigurationArn: aws.String(encoderARN)}},
			{Name: aws.String("rec"), S3: &types.S3DestinationConfiguration{
				StorageConfigurationArn:  aws.String(storageARN),
				EncoderConfigurationArns: []string{encoder2ARN},
				RecordingConfiguration: &types.RecordingConfiguration{Format: types.RecordingConfigurationFormatHls,
					HlsConfiguration: &types.CompositionRecordingHlsConfiguration{TargetSegmentDurationSeconds: aws.Int32(4)}},
				ThumbnailConfigurations: []types.CompositionThumbnailConfiguration{{
					TargetIntervalSeconds: aws.Int32(30),
					Storage:               []types.ThumbnailStorageType{types.ThumbnailStorageTypeLatest, types.ThumbnailStorageTypeSequential}}},
			}},
		},
		Tags: map[string]string{"team": "a"},
	}
}

// BenchmarkStart measures Start beside the raw StartComposition call with the same input, both on a
// mocked transport answering the CLI's response.
func BenchmarkStart(b *testing.B) {
	body := readTestdata(b, "start_s3_response.json")
	ctx := context.Background()
	b.Run("raw", func(b *testing.B) {
		m := testutil.NewMock()
		m.RespondStatic("StartComposition", body)
		api := m.Client()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := api.StartComposition(ctx, rawStartInput()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("composition", func(b *testing.B) {
		m := testutil.NewMock()
		m.RespondStatic("StartComposition", body)
		c := composition.NewClientFromConfig(m.Config())
		cfg := fullConfig()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Start(ctx, cfg); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkValidate measures Validate of fullConfig (the goal: under 5 µs, 0 allocations).
func BenchmarkValidate(b *testing.B) {
	cfg := fullConfig()
	b.ReportAllocs()
	for b.Loop() {
		if err := cfg.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}
