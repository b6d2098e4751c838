// Package difftest checks the library's validation against stagetest's server-side validation, which is
// written independently: for a table of configurations, what the library accepts the fake accepts, and what
// the library rejects the fake rejects too (or the rule is one the library adds on purpose).
//
// The tables of part two (part2_test.go: storage configurations, participant filters, participant IDs,
// disconnect, replication, tags) hold more: each row's verdict is pinned to the model, a rejected input
// names the same fields on both sides and sends nothing from the library, and an accepted one goes over the
// wire exactly as the raw SDK input does. The library's own rules, which the fake accepts on purpose, are
// named in their rows (libraryOnly): invalid UTF-8 (the SDK's JSON encoder would send U+FFFD instead) and
// TagResource with no tags (it would change nothing).
package difftest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// srv is the fake every test of this package talks to; storageARN is a storage configuration it holds (the
// fake refuses a recording configuration whose storage configuration does not exist).
var (
	srv        = stagetest.New()
	storageARN = srv.MustAddStorageConfiguration("difftest-recordings")
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

type tokCase struct {
	name     string
	userID   *string
	duration int32 // minutes; 0 = not sent
	caps     []string
	attrs    map[string]string
	invalid  bool // both must reject it (not merely agree)
}

func (c tokCase) library() token.Config {
	t := token.New()
	if c.userID != nil {
		t = t.WithUserID(*c.userID)
	}
	if c.duration != 0 {
		t = t.WithDuration(time.Duration(c.duration) * time.Minute)
	}
	if c.caps != nil {
		cs := make([]token.Capability, len(c.caps))
		for i, v := range c.caps {
			cs[i] = token.Capability(v)
		}
		t = t.WithCapabilities(cs...)
	}
	return t.WithAttributes(c.attrs)
}

func (c tokCase) raw() types.ParticipantTokenConfiguration {
	r := types.ParticipantTokenConfiguration{UserId: c.userID, Attributes: c.attrs}
	if c.duration != 0 {
		r.Duration = aws.Int32(c.duration)
	}
	for _, v := range c.caps {
		r.Capabilities = append(r.Capabilities, types.ParticipantTokenCapability(v))
	}
	return r
}

func TestTokenValidationAgreesWithTheFake(t *testing.T) {
	t.Parallel()
	cases := []tokCase{
		{name: "empty"},
		{name: "user ID 128 é", userID: aws.String(strings.Repeat("é", 128))},
		{name: "user ID 129 é", userID: aws.String(strings.Repeat("é", 129))},
		{name: "duration 1", duration: 1},
		{name: "duration 20160", duration: 20160},
		{name: "duration 20161", duration: 20161},
		{name: "duration -1", duration: -1},
		{name: "publish", caps: []string{"PUBLISH"}},
		{name: "both", caps: []string{"SUBSCRIBE", "PUBLISH"}},
		{name: "unknown capability", caps: []string{"ADMIN"}, invalid: true},
		{name: "lowercase publish", caps: []string{"publish"}, invalid: true},
		{name: "mixed case Subscribe", caps: []string{"PUBLISH", "Subscribe"}, invalid: true},
		{name: "three capabilities", caps: []string{"PUBLISH", "SUBSCRIBE", "PUBLISH"}},
		{name: "attributes 1024 bytes", attrs: map[string]string{"k": strings.Repeat("v", 1023)}},
		{name: "attributes 1025 bytes", attrs: map[string]string{"k": strings.Repeat("v", 1024)}},
	}
	raw := ivsrealtime.NewFromConfig(srv.Config())
	out, err := raw.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{})
	require.NoError(t, err)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			libErr := c.library().Validate()
			if c.invalid {
				require.Error(t, libErr, "the library must reject it")
			}
			// Both ways the service takes a token configuration: CreateParticipantToken and CreateStage.
			r := c.raw()
			_, srvErr := raw.CreateParticipantToken(t.Context(), &ivsrealtime.CreateParticipantTokenInput{
				StageArn: out.Stage.Arn, UserId: r.UserId, Duration: r.Duration, Capabilities: r.Capabilities, Attributes: r.Attributes,
			})
			assertAgree(t, libErr, srvErr)
			_, srvErr = raw.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{ParticipantTokenConfigurations: []types.ParticipantTokenConfiguration{r}})
			assertAgree(t, libErr, srvErr)
		})
	}
}

func assertAgree(t *testing.T, libErr, srvErr error) {
	t.Helper()
	if libErr == nil {
		assert.NoError(t, srvErr, "the library accepts it, the fake must too")
		return
	}
	var ve *types.ValidationException
	assert.True(t, errors.As(srvErr, &ve), "the library rejects it (%v); the fake answered %v", libErr, srvErr)
}
