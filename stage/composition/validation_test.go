package composition_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage/composition"
)

// boundary is one value at a rule's edge: the call it makes and the field path it must be refused at
// ("" when it is the last valid value).
type boundary struct {
	name string
	call func(ctx context.Context, c *composition.Client) error
	path string
}

// start, encoder and ingest make the call of a boundary case.
func start(cfg composition.Config) func(context.Context, *composition.Client) error {
	return func(ctx context.Context, c *composition.Client) error { _, err := c.Start(ctx, cfg); return err }
}

func encoder(e composition.Encoder) func(context.Context, *composition.Client) error {
	return func(ctx context.Context, c *composition.Client) error { _, err := c.CreateEncoder(ctx, e); return err }
}

func ingest(in composition.Ingest) func(context.Context, *composition.Client) error {
	return func(ctx context.Context, c *composition.Client) error { _, err := c.CreateIngest(ctx, in); return err }
}

func withLayout(l composition.Layout) func(context.Context, *composition.Client) error {
	return start(validConfig().WithLayout(l))
}

func withDest(d composition.Destination) func(context.Context, *composition.Client) error {
	return start(composition.New(stageARN).WithDestinations(d))
}

func video(w, h int, fps float64, bitrate int) func(context.Context, *composition.Client) error {
	return encoder(composition.NewEncoder().WithVideo(w, h, fps, bitrate))
}

// TestValidationBoundaries: the last valid and the first invalid value on both sides of every range,
// length, pattern, enum and list rule; invalid values are refused at the field's full path with nothing
// sent, valid ones send one request.
func TestValidationBoundaries(t *testing.T) {
	name128, name129 := strings.Repeat("a", 128), strings.Repeat("a", 129)
	arnOf := func(kind string, n int) string {
		p := "arn:aws:ivs:us-east-1:123456789012:" + kind + "/"
		return p + strings.Repeat("a", n-len(p))
	}
	const (
		grid = "StartCompositionInput.Layout.Grid."
		pip  = "StartCompositionInput.Layout.Pip."
		d0   = "StartCompositionInput.Destinations[0]."
		enc  = "CreateEncoderConfigurationInput."
		ing  = "CreateIngestConfigurationInput."
	)
	tests := []boundary{
		// StartCompositionInput.StageArn: length 1..128, pattern.
		{"stage ARN 128", start(composition.New(arnOf("stage", 128)).WithDestinations(s3Destination())), ""},
		{"stage ARN 129", start(composition.New(arnOf("stage", 129)).WithDestinations(s3Destination())), "StartCompositionInput.StageArn"},
		{"stage ARN empty", start(composition.New("").WithDestinations(s3Destination())), "StartCompositionInput.StageArn"},
		{"stage ARN of a channel", start(composition.New(channelARN).WithDestinations(s3Destination())), "StartCompositionInput.StageArn"},
		// Destinations: 1..2.
		{"no destination", start(composition.New(stageARN)), "StartCompositionInput.Destinations"},
		{"1 destination", start(composition.New(stageARN).WithDestinations(s3Destination())), ""},
		{"2 destinations", start(validConfig()), ""},
		{"3 destinations", start(composition.New(stageARN).WithDestinations(s3Destination(), composition.ToChannel(channelARN), s3Destination().WithName("b"))), "StartCompositionInput.Destinations"},
		// Tags: 0..50.
		{"50 tags", start(validConfig().WithTags(nTags(50))), ""},
		{"51 tags", start(validConfig().WithTags(nTags(51))), "StartCompositionInput.Tags"},
		// Request key: 1..64.
		{"request key 1", start(validConfig().WithRequestKey("k")), ""},
		{"request key 64", start(validConfig().WithRequestKey(strings.Repeat("k", 64))), ""},
		{"request key empty", start(validConfig().WithRequestKey("")), "StartCompositionInput.IdempotencyToken"},
		{"request key of -_ and digits", start(validConfig().WithRequestKey("a-b_C9")), ""},
		{"request key with a dot", start(validConfig().WithRequestKey("k.y")), "StartCompositionInput.IdempotencyToken"},
		{"request key with a space", start(validConfig().WithRequestKey("k y")), "StartCompositionInput.IdempotencyToken"},
		{"request key 65", start(validConfig().WithRequestKey(strings.Repeat("k", 65))), "StartCompositionInput.IdempotencyToken"},
		// Grid: gridGap >= 0, attribute keys 0..128 of [a-zA-Z0-9-_], enums.
		{"grid gap 0", withLayout(composition.Grid().WithGridGap(0)), ""},
		{"grid gap -1", withLayout(composition.Grid().WithGridGap(-1)), grid + "GridGap"},
		{"featured 128", withLayout(composition.Grid().WithFeaturedParticipantAttribute(name128)), ""},
		{"featured 129", withLayout(composition.Grid().WithFeaturedParticipantAttribute(name129)), grid + "FeaturedParticipantAttribute"},
		{"featured pattern", withLayout(composition.Grid().WithFeaturedParticipantAttribute("a.b")), grid + "FeaturedParticipantAttribute"},
		{"featured -_ ok", withLayout(composition.Grid().WithFeaturedParticipantAttribute("a-b_c9")), ""},
		{"order 129", withLayout(composition.Grid().WithParticipantOrderAttribute(name129)), grid + "ParticipantOrderAttribute"},
		{"aspect ratio known", withLayout(composition.Grid().WithVideoAspectRatio(composition.AspectRatioVideo)), ""},
		{"aspect ratio unknown", withLayout(composition.Grid().WithVideoAspectRatio("WIDE")), grid + "VideoAspectRatio"},
		{"fill mode unknown", withLayout(composition.Grid().WithVideoFillMode("STRETCH")), grid + "VideoFillMode"},
		// Pip: gridGap, pipOffset >= 0, pipWidth, pipHeight >= 1, enums.
		{"pip offset 0", withLayout(composition.Pip().WithPipOffset(0)), ""},
		{"pip offset -1", withLayout(composition.Pip().WithPipOffset(-1)), pip + "PipOffset"},
		{"pip grid gap -1", withLayout(composition.Pip().WithGridGap(-1)), pip + "GridGap"},
		{"pip width 1", withLayout(composition.Pip().WithPipWidth(1)), ""},
		{"pip width 0", withLayout(composition.Pip().WithPipWidth(0)), pip + "PipWidth"},
		{"pip height 1", withLayout(composition.Pip().WithPipHeight(1)), ""},
		{"pip height 0", withLayout(composition.Pip().WithPipHeight(0)), pip + "PipHeight"},
		{"pip participant 129", withLayout(composition.Pip().WithPipParticipantAttribute(name129)), pip + "PipParticipantAttribute"},
		{"pip behavior unknown", withLayout(composition.Pip().WithPipBehavior("FLOATING")), pip + "PipBehavior"},
		{"pip position unknown", withLayout(composition.Pip().WithPipPosition("MIDDLE")), pip + "PipPosition"},
		// Destination name 0..128 of [a-zA-Z0-9-_].
		{"destination name 128", withDest(s3Destination().WithName(name128)), ""},
		{"destination name 129", withDest(s3Destination().WithName(name129)), d0 + "Name"},
		{"destination name pattern", withDest(s3Destination().WithName("a b")), d0 + "Name"},
		// Channel destination.
		{"channel ARN 128", withDest(composition.ToChannel(arnOf("channel", 128))), ""},
		{"channel ARN 129", withDest(composition.ToChannel(arnOf("channel", 129))), d0 + "Channel.ChannelArn"},
		{"channel ARN of a stage", withDest(composition.ToChannel(stageARN)), d0 + "Channel.ChannelArn"},
		{"channel encoder of a stage", withDest(composition.ToChannel(channelARN).WithEncoders(stageARN)), d0 + "Channel.EncoderConfigurationArn"},
		{"channel 2 encoders", withDest(composition.ToChannel(channelARN).WithEncoders(encoderARN, encoder2ARN)), d0 + "Channel.EncoderConfigurationArn"},
		// S3 destination: storage ARN, 1..1 encoders, HLS segment 2..10 s, thumbnails 1..86400 s and 0..2 storages.
		{"storage ARN 128", withDest(composition.ToS3(arnOf("storage-configuration", 128)).WithEncoders(encoderARN)), ""},
		{"storage ARN 129", withDest(composition.ToS3(arnOf("storage-configuration", 129)).WithEncoders(encoderARN)), d0 + "S3.StorageConfigurationArn"},
		{"S3 no encoder", withDest(composition.ToS3(storageARN)), d0 + "S3.EncoderConfigurationArns"},
		{"S3 2 encoders", withDest(composition.ToS3(storageARN).WithEncoders(encoderARN, encoder2ARN)), d0 + "S3.EncoderConfigurationArns"},
		{"S3 encoder of a channel", withDest(composition.ToS3(storageARN).WithEncoders(channelARN)), d0 + "S3.EncoderConfigurationArns[0]"},
		{"HLS 2s", withDest(s3Destination().WithHLSSegment(2 * time.Second)), ""},
		{"HLS 1s", withDest(s3Destination().WithHLSSegment(time.Second)), d0 + "S3.RecordingConfiguration.HlsConfiguration.TargetSegmentDurationSeconds"},
		{"HLS 10s", withDest(s3Destination().WithHLSSegment(10 * time.Second)), ""},
		{"HLS 11s", withDest(s3Destination().WithHLSSegment(11 * time.Second)), d0 + "S3.RecordingConfiguration.HlsConfiguration.TargetSegmentDurationSeconds"},
		{"thumbnails 1s", withDest(s3Destination().WithThumbnails(time.Second)), ""},
		{"thumbnails 0s", withDest(s3Destination().WithThumbnails(0)), d0 + "S3.ThumbnailConfigurations[0].TargetIntervalSeconds"},
		{"thumbnails 86400s", withDest(s3Destination().WithThumbnails(86400 * time.Second)), ""},
		{"thumbnails 86401s", withDest(s3Destination().WithThumbnails(86401 * time.Second)), d0 + "S3.ThumbnailConfigurations[0].TargetIntervalSeconds"},
		{"thumbnail storages 2", withDest(s3Destination().WithThumbnails(time.Minute, recording.StorageLatest, recording.StorageSequential)), ""},
		{"thumbnail storage repeated", withDest(s3Destination().WithThumbnails(time.Minute, recording.StorageLatest, recording.StorageLatest)), d0 + "S3.ThumbnailConfigurations[0].Storage[1]"},
		{"thumbnail storage unknown", withDest(s3Destination().WithThumbnails(time.Minute, "ALL")), d0 + "S3.ThumbnailConfigurations[0].Storage[0]"},
		// Encoder: width and height 2..1920, framerate 1..60, bitrate 1..8,500,000, name, tags.
		{"width 2", video(2, 720, 30, 2_500_000), ""},
		{"width 1", video(1, 720, 30, 2_500_000), enc + "Video.Width"},
		{"width 1920", video(1920, 1080, 30, 2_500_000), ""},
		{"width 1921", video(1921, 1080, 30, 2_500_000), enc + "Video.Width"},
		{"height 2", video(1280, 2, 30, 2_500_000), ""},
		{"height 1", video(1280, 1, 30, 2_500_000), enc + "Video.Height"},
		{"height 1920", video(1080, 1920, 30, 2_500_000), ""},
		{"height 1921", video(1080, 1921, 30, 2_500_000), enc + "Video.Height"},
		{"framerate 1", video(1280, 720, 1, 2_500_000), ""},
		{"framerate 0.99", video(1280, 720, 0.99, 2_500_000), enc + "Video.Framerate"},
		{"framerate 60", video(1280, 720, 60, 2_500_000), ""},
		{"framerate 60.01", video(1280, 720, 60.01, 2_500_000), enc + "Video.Framerate"},
		{"bitrate 1", video(1280, 720, 30, 1), ""},
		{"bitrate 0", video(1280, 720, 30, 0), enc + "Video.Bitrate"},
		{"bitrate 8500000", video(1280, 720, 30, 8_500_000), ""},
		{"bitrate 8500001", video(1280, 720, 30, 8_500_001), enc + "Video.Bitrate"},
		{"encoder name 128", encoder(composition.NewEncoder().WithName(name128)), ""},
		{"encoder name 129", encoder(composition.NewEncoder().WithName(name129)), enc + "Name"},
		{"encoder 50 tags", encoder(composition.NewEncoder().WithTags(nTags(50))), ""},
		{"encoder 51 tags", encoder(composition.NewEncoder().WithTags(nTags(51))), enc + "Tags"},
		// Ingest: stage ARN "" or a stage, protocol enum, name, user ID 0..128, tags.
		{"ingest without stage", ingest(composition.NewIngest("", composition.RTMPS)), ""},
		{"ingest stage ARN 128", ingest(composition.NewIngest(arnOf("stage", 128), composition.RTMPS)), ""},
		{"ingest stage ARN 129", ingest(composition.NewIngest(arnOf("stage", 129), composition.RTMPS)), ing + "StageArn"},
		{"ingest protocol unknown", ingest(composition.NewIngest(stageARN, "SRT")), ing + "IngestProtocol"},
		{"ingest name 128", ingest(composition.NewIngest(stageARN, composition.RTMPS).WithName(name128)), ""},
		{"ingest name 129", ingest(composition.NewIngest(stageARN, composition.RTMPS).WithName(name129)), ing + "Name"},
		{"ingest user ID 128", ingest(composition.NewIngest(stageARN, composition.RTMPS).WithUserID(name128)), ""},
		{"ingest user ID 129", ingest(composition.NewIngest(stageARN, composition.RTMPS).WithUserID(name129)), ing + "UserId"},
		{"ingest RTMP insecure", ingest(composition.NewIngest(stageARN, composition.RTMP).WithInsecure(true)), ""},
		{"ingest RTMP not insecure", ingest(composition.NewIngest(stageARN, composition.RTMP)), ing + "InsecureIngest"},
		{"ingest attributes 1024 bytes", ingest(composition.NewIngest(stageARN, composition.RTMPS).WithAttributes(map[string]string{"k": strings.Repeat("v", 1023)})), ""},
		{"ingest attributes 1025 bytes", ingest(composition.NewIngest(stageARN, composition.RTMPS).WithAttributes(map[string]string{"k": strings.Repeat("v", 1024)})), ing + "Attributes"},
		{"ingest 50 tags", ingest(composition.NewIngest(stageARN, composition.RTMPS).WithTags(nTags(50))), ""},
		{"ingest 51 tags", ingest(composition.NewIngest(stageARN, composition.RTMPS).WithTags(nTags(51))), ing + "Tags"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testutil.NewMock()
			m.Respond("StartComposition", 200, readTestdata(t, "start_s3_response.json"))
			m.Respond("CreateEncoderConfiguration", 200, `{"encoderConfiguration":{"arn":"`+encoderARN+`"}}`)
			m.Respond("CreateIngestConfiguration", 200, ingestResponse())
			err := tt.call(context.Background(), newClient(m))
			if tt.path == "" {
				require.NoError(t, err)
				assert.Equal(t, 1, m.Count())
				return
			}
			require.Error(t, err)
			assert.Contains(t, testutil.Violations(t, err), tt.path, "error: %v", err)
			assert.Zero(t, m.Count(), "invalid input sent a request")
			assert.True(t, strings.HasPrefix(err.Error(), "operation error IVS RealTime: ") || strings.Contains(err.Error(), "composition"), err.Error())
		})
	}
}

// TestValidationReportsEveryViolation: all violations at once, each at its path.
func TestValidationReportsEveryViolation(t *testing.T) {
	m := testutil.NewMock()
	cfg := composition.New("").WithLayout(composition.Grid().WithGridGap(-1)).
		WithDestinations(composition.ToS3(storageARN).WithHLSSegment(time.Second)).WithRequestKey("")
	_, err := newClient(m).Start(context.Background(), cfg)
	v := testutil.Violations(t, err)
	for _, p := range []string{
		"StartCompositionInput.StageArn", "StartCompositionInput.Layout.Grid.GridGap",
		"StartCompositionInput.Destinations[0].S3.EncoderConfigurationArns",
		"StartCompositionInput.Destinations[0].S3.RecordingConfiguration.HlsConfiguration.TargetSegmentDurationSeconds",
		"StartCompositionInput.IdempotencyToken",
	} {
		assert.Contains(t, v, p)
	}
	assert.Contains(t, err.Error(), "-1")
	assert.Zero(t, m.Count())
}
