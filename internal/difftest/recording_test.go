package difftest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/recording"
)

// recCase describes a recording configuration by its wire values, so that the same input can be built
// both through the library and as a raw SDK input that bypasses it.
type recCase struct {
	name string
	arn  string
	// unheld marks a well-formed ARN of a storage configuration the fake does not hold: the fake's only
	// complaint is then that it does not exist, a state check the library cannot make.
	unheld    bool
	media     string
	thumbMode string // "" = no thumbnail object
	interval  int32  // seconds; 0 = not sent
	storage   []string
	hls       int32 // 0 = not sent
	reconnect int32
}

func (c recCase) library() recording.Config {
	r := recording.New(c.arn)
	if c.media != "" {
		r = r.WithMediaType(recording.MediaType(c.media))
	}
	switch c.thumbMode {
	case "INTERVAL":
		st := make([]recording.ThumbnailStorage, len(c.storage))
		for i, s := range c.storage {
			st[i] = recording.ThumbnailStorage(s)
		}
		r = r.WithThumbnails(recording.ThumbnailsEvery(time.Duration(c.interval)*time.Second, st...))
	case "DISABLED":
		r = r.WithThumbnails(recording.ThumbnailsOff())
	}
	if c.hls != 0 {
		r = r.WithHLSSegmentDuration(time.Duration(c.hls) * time.Second)
	}
	if c.reconnect != 0 {
		r = r.WithReconnectWindow(time.Duration(c.reconnect) * time.Second)
	}
	return r
}

func (c recCase) raw() *types.AutoParticipantRecordingConfiguration {
	r := &types.AutoParticipantRecordingConfiguration{
		StorageConfigurationArn:         aws.String(c.arn),
		RecordingReconnectWindowSeconds: c.reconnect,
	}
	if c.media != "" {
		r.MediaTypes = []types.ParticipantRecordingMediaType{types.ParticipantRecordingMediaType(c.media)}
	}
	if c.thumbMode != "" {
		t := &types.ParticipantThumbnailConfiguration{RecordingMode: types.ThumbnailRecordingMode(c.thumbMode)}
		if c.thumbMode == "INTERVAL" {
			t.TargetIntervalSeconds = aws.Int32(c.interval)
		}
		for _, s := range c.storage {
			t.Storage = append(t.Storage, types.ThumbnailStorageType(s))
		}
		r.ThumbnailConfiguration = t
	}
	if c.hls != 0 {
		r.HlsConfiguration = &types.ParticipantRecordingHlsConfiguration{TargetSegmentDurationSeconds: aws.Int32(c.hls)}
	}
	return r
}

func TestRecordingValidationAgreesWithTheFake(t *testing.T) {
	t.Parallel()
	prefix := "arn:aws:ivs:us-east-1:123456789012:storage-configuration/"
	cases := []recCase{
		{name: "minimal", arn: storageARN},
		{name: "ARN 128", arn: prefix + strings.Repeat("a", 128-len(prefix)), unheld: true},
		{name: "ARN 129", arn: prefix + strings.Repeat("a", 129-len(prefix))},
		{name: "ARN of a stage", arn: "arn:aws:ivs:us-east-1:123456789012:stage/AbC"},
		{name: "ARN with a space", arn: storageARN + " "},
		{name: "media AUDIO_ONLY", arn: storageARN, media: "AUDIO_ONLY"},
		{name: "media NONE", arn: storageARN, media: "NONE"},
		{name: "media unknown", arn: storageARN, media: "VIDEO_ONLY"},
		{name: "thumbnails 1 s", arn: storageARN, thumbMode: "INTERVAL", interval: 1},
		{name: "thumbnails 86400 s", arn: storageARN, thumbMode: "INTERVAL", interval: 86400},
		{name: "thumbnails 86401 s", arn: storageARN, thumbMode: "INTERVAL", interval: 86401},
		{name: "thumbnails 0 s", arn: storageARN, thumbMode: "INTERVAL", interval: 0},
		{name: "thumbnails off", arn: storageARN, thumbMode: "DISABLED"},
		{name: "thumbnails both storages", arn: storageARN, thumbMode: "INTERVAL", interval: 60, storage: []string{"SEQUENTIAL", "LATEST"}},
		{name: "thumbnails duplicate storage", arn: storageARN, thumbMode: "INTERVAL", interval: 60, storage: []string{"LATEST", "LATEST"}},
		{name: "thumbnails three storages", arn: storageARN, thumbMode: "INTERVAL", interval: 60, storage: []string{"LATEST", "SEQUENTIAL", "LATEST"}},
		{name: "thumbnails unknown storage", arn: storageARN, thumbMode: "INTERVAL", interval: 60, storage: []string{"S3"}},
		{name: "HLS 2", arn: storageARN, hls: 2},
		{name: "HLS 10", arn: storageARN, hls: 10},
		{name: "HLS 1", arn: storageARN, hls: 1},
		{name: "HLS 11", arn: storageARN, hls: 11},
		{name: "reconnect 1", arn: storageARN, reconnect: 1},
		{name: "reconnect 300", arn: storageARN, reconnect: 300},
		{name: "reconnect 301", arn: storageARN, reconnect: 301},
		{name: "reconnect -1", arn: storageARN, reconnect: -1},
		{name: "everything valid", arn: storageARN, media: "AUDIO_VIDEO", thumbMode: "INTERVAL", interval: 30, storage: []string{"LATEST"}, hls: 4, reconnect: 120},
		{name: "everything invalid", arn: "x", media: "X", thumbMode: "INTERVAL", interval: -5, storage: []string{"Y"}, hls: 99, reconnect: 999},
	}
	raw := ivsrealtime.NewFromConfig(srv.Config())
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			libErr := c.library().Validate()
			_, srvErr := raw.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{AutoParticipantRecordingConfiguration: c.raw()})
			if c.unheld {
				require.NoError(t, libErr)
				var ve *types.ValidationException
				require.ErrorAs(t, srvErr, &ve)
				assert.Equal(t, "1 validation error detected: Value '"+c.arn+"' at 'autoParticipantRecordingConfiguration.storageConfigurationArn' failed to satisfy constraint: Member must be the ARN of an existing storage configuration",
					aws.ToString(ve.ExceptionMessage), "the fake's only complaint is that it does not hold it")
				return
			}
			assertAgree(t, libErr, srvErr)
		})
	}
}

// storageCase is a storage configuration (CreateStorageConfiguration's input) by its wire values.
type storageCase struct {
	name        string
	bad         bool // the model (or S3's naming rules) refuses it
	bucket      string
	storageName *string
	tags        map[string]string
	libraryOnly string
}

func (c storageCase) wire() wireCase {
	return wireCase{
		name: c.name, bad: c.bad, libraryOnly: c.libraryOnly,
		lib: func(ctx context.Context, cl libClients, _ world) error {
			s := recording.NewStorage(c.bucket)
			if c.storageName != nil {
				s = s.WithName(*c.storageName)
			}
			if c.tags != nil {
				s = s.WithTags(c.tags)
			}
			_, err := cl.storages.CreateStorage(ctx, s)
			return err
		},
		raw: func(ctx context.Context, cl *ivsrealtime.Client, _ world) error {
			_, err := cl.CreateStorageConfiguration(ctx, &ivsrealtime.CreateStorageConfigurationInput{
				S3: &types.S3StorageConfiguration{BucketName: aws.String(c.bucket)}, Name: c.storageName, Tags: c.tags,
			})
			return err
		},
	}
}

func TestStorageValidationAgreesWithTheFake(t *testing.T) {
	t.Parallel()
	cases := []storageCase{
		{name: "bucket 2", bad: true, bucket: "ab"},
		{name: "bucket 3", bucket: "abc"},
		{name: "bucket 63", bucket: strings.Repeat("b", 63)},
		{name: "bucket 64", bad: true, bucket: strings.Repeat("b", 64)},
		{name: "bucket with digits, dots and hyphens", bucket: "my-bucket.2026.logs"},
		{name: "bucket uppercase", bad: true, bucket: "My-bucket"},
		{name: "bucket underscore", bad: true, bucket: "my_bucket"},
		{name: "bucket é", bad: true, bucket: "bucké"},
		{name: "bucket begins with a digit", bucket: "0abc"},
		{name: "bucket begins with a hyphen", bad: true, bucket: "-abc"},
		{name: "bucket begins with a period", bad: true, bucket: ".abc"},
		{name: "bucket ends with a digit", bucket: "abc0"},
		{name: "bucket ends with a hyphen", bad: true, bucket: "abc-"},
		{name: "bucket ends with a period", bad: true, bucket: "abc."},
		{name: "bucket with periods apart", bucket: "a.b.c"},
		{name: "bucket with two adjacent periods", bad: true, bucket: "a..b"},
		{name: "bucket formatted as an IPv4 address", bad: true, bucket: "192.168.5.4"},
		{name: "bucket of three numbers", bucket: "192.168.5"},
		{name: "bucket of four numbers and a letter", bucket: "192.168.5.4a"},
		{name: "bucket of four numbers past 255", bad: true, bucket: "300.168.5.4"},
		// "Formatted as an IP address": both sides read it as four dot-separated groups of digits, whatever
		// their values (S3's rule gives only the example 192.168.5.4; whether it refuses 999.999.999.999 is
		// unconfirmed).
		{name: "bucket 1.2.3.4", bad: true, bucket: "1.2.3.4"},
		{name: "bucket 0.0.0.0", bad: true, bucket: "0.0.0.0"},
		{name: "bucket with leading zeros 192.168.05.004", bad: true, bucket: "192.168.05.004"},
		{name: "bucket of five numbers", bucket: "1.2.3.4.5"},
		{name: "bucket with a group of four digits", bucket: "1234.1.1.1"},
		{name: "bucket 999.999.999.999", bad: true, bucket: "999.999.999.999"},
		{name: "bucket prefix xn--", bad: true, bucket: "xn--abc"},
		{name: "bucket prefix xn-", bucket: "xn-abc"},
		{name: "bucket prefix sthree-", bad: true, bucket: "sthree-abc"},
		{name: "bucket prefix sthree", bucket: "sthreeabc"},
		{name: "bucket prefix amzn-s3-demo-", bad: true, bucket: "amzn-s3-demo-abc"},
		{name: "bucket prefix amzn-s3-demo", bucket: "amzn-s3-demoabc"},
		{name: "bucket suffix -s3alias", bad: true, bucket: "abc-s3alias"},
		{name: "bucket suffix s3alias", bucket: "abcs3alias"},
		{name: "bucket suffix --ol-s3", bad: true, bucket: "abc--ol-s3"},
		{name: "bucket suffix -ol-s3", bucket: "abc-ol-s3"},
		{name: "bucket suffix .mrap", bad: true, bucket: "abc.mrap"},
		{name: "bucket suffix mrap", bucket: "abcmrap"},
		{name: "bucket suffix --x-s3", bad: true, bucket: "abc--x-s3"},
		{name: "bucket suffix -x-s3", bucket: "abc-x-s3"},
		{name: "bucket suffix --table-s3", bad: true, bucket: "abc--table-s3"},
		{name: "bucket suffix -table-s3", bucket: "abc-table-s3"},
		{name: "bucket breaking three S3 rules", bad: true, bucket: "-a..b-"},
		{name: "name empty", bucket: "abc", storageName: aws.String("")},
		{name: "name 128", bucket: "abc", storageName: aws.String(strings.Repeat("n", 128))},
		{name: "name 129", bad: true, bucket: "abc", storageName: aws.String(strings.Repeat("n", 129))},
		{name: "name with - and _", bucket: "abc", storageName: aws.String("main_store-1")},
		{name: "name with a space", bad: true, bucket: "abc", storageName: aws.String("main store")},
		{name: "name é", bad: true, bucket: "abc", storageName: aws.String("é")},
		{name: "tags 50", bucket: "abc", tags: nTags(50)},
		{name: "tags 51", bad: true, bucket: "abc", tags: nTags(51)},
		{name: "tag key 128 é", bucket: "abc", tags: map[string]string{strings.Repeat("é", 128): "v"}},
		{name: "tag key 129 é", bad: true, bucket: "abc", tags: map[string]string{strings.Repeat("é", 129): "v"}},
		{name: "tag key empty", bad: true, bucket: "abc", tags: map[string]string{"": "v"}},
		{name: "tag value 256 é", bucket: "abc", tags: map[string]string{"k": strings.Repeat("é", 256)}},
		{name: "tag value 257 é", bad: true, bucket: "abc", tags: map[string]string{"k": strings.Repeat("é", 257)}},
		{name: "tag value empty", bucket: "abc", tags: map[string]string{"k": ""}},
		{name: "tag value not UTF-8", bucket: "abc", tags: map[string]string{"k": invalidUTF8}, libraryOnly: "invalid UTF-8"},
		{name: "name not UTF-8", bad: true, bucket: "abc", storageName: aws.String(invalidUTF8)},
		{name: "everything invalid", bad: true, bucket: "XN--a", storageName: aws.String("a b"), tags: map[string]string{"": strings.Repeat("v", 257)}},
	}
	runTable(t, "CreateStorageConfiguration", cases)
}
