package recording_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
)

func TestValidateBoundaries(t *testing.T) {
	t.Parallel()
	base := recording.New(storageARN)
	arnOfLength := func(n int) string {
		prefix := "arn:aws:ivs:us-east-1:123456789012:storage-configuration/"
		return prefix + strings.Repeat("a", n-len(prefix))
	}
	tests := []struct {
		name string
		cfg  recording.Config
		want map[string]string // field path → rule; empty = valid
	}{
		{"minimal", base, nil},
		{"ARN of 128", recording.New(arnOfLength(128)), nil},
		{"ARN of 129", recording.New(arnOfLength(129)), map[string]string{ctx + "StorageConfigurationArn": rules.RuleLength}},
		{"ARN of another resource", recording.New("arn:aws:ivs:us-east-1:123456789012:stage/AbCdEf123456"), map[string]string{ctx + "StorageConfigurationArn": rules.RulePattern}},
		{"ARN empty", recording.New(""), map[string]string{ctx + "StorageConfigurationArn": rules.RuleRequired}},
		{"zero Config", recording.Config{}, map[string]string{ctx + "StorageConfigurationArn": rules.RuleRequired}},
		{"disabled", recording.Disabled(), nil},

		{"reconnect 0 s", base.WithReconnectWindow(0), nil},
		{"reconnect 300 s", base.WithReconnectWindow(300 * time.Second), nil},
		{"reconnect -1 s", base.WithReconnectWindow(-time.Second), map[string]string{ctx + "RecordingReconnectWindowSeconds": rules.RuleRange}},
		{"reconnect 301 s", base.WithReconnectWindow(301 * time.Second), map[string]string{ctx + "RecordingReconnectWindowSeconds": rules.RuleRange}},
		{"reconnect 1.5 s", base.WithReconnectWindow(1500 * time.Millisecond), map[string]string{ctx + "RecordingReconnectWindowSeconds": rules.RuleUnit}},

		{"HLS 2 s", base.WithHLSSegmentDuration(2 * time.Second), nil},
		{"HLS 10 s", base.WithHLSSegmentDuration(10 * time.Second), nil},
		{"HLS 1 s", base.WithHLSSegmentDuration(time.Second), map[string]string{ctx + "HlsConfiguration.TargetSegmentDurationSeconds": rules.RuleRange}},
		{"HLS 11 s", base.WithHLSSegmentDuration(11 * time.Second), map[string]string{ctx + "HlsConfiguration.TargetSegmentDurationSeconds": rules.RuleRange}},
		{"HLS 2.5 s", base.WithHLSSegmentDuration(2500 * time.Millisecond), map[string]string{ctx + "HlsConfiguration.TargetSegmentDurationSeconds": rules.RuleUnit}},

		{"thumbnails 1 s", base.WithThumbnails(recording.ThumbnailsEvery(time.Second)), nil},
		{"thumbnails 86400 s", base.WithThumbnails(recording.ThumbnailsEvery(24 * time.Hour)), nil},
		{"thumbnails 0 s", base.WithThumbnails(recording.ThumbnailsEvery(0)), map[string]string{ctx + "ThumbnailConfiguration.TargetIntervalSeconds": rules.RuleRange}},
		{"thumbnails 86401 s", base.WithThumbnails(recording.ThumbnailsEvery(86401 * time.Second)), map[string]string{ctx + "ThumbnailConfiguration.TargetIntervalSeconds": rules.RuleRange}},
		{"thumbnails 0.5 s", base.WithThumbnails(recording.ThumbnailsEvery(500 * time.Millisecond)), map[string]string{ctx + "ThumbnailConfiguration.TargetIntervalSeconds": rules.RuleUnit}},
		{"thumbnails both storages", base.WithThumbnails(recording.ThumbnailsEvery(time.Minute, recording.StorageSequential, recording.StorageLatest)), nil},
		{"thumbnails duplicate storage", base.WithThumbnails(recording.ThumbnailsEvery(time.Minute, recording.StorageLatest, recording.StorageLatest)), map[string]string{ctx + "ThumbnailConfiguration.Storage[1]": rules.RuleUnique}},
		{"thumbnails three storages", base.WithThumbnails(recording.ThumbnailsEvery(time.Minute, recording.StorageLatest, recording.StorageSequential, recording.StorageLatest)), map[string]string{
			ctx + "ThumbnailConfiguration.Storage":    rules.RuleLength,
			ctx + "ThumbnailConfiguration.Storage[2]": rules.RuleUnique,
		}},
		{"thumbnails unknown storage", base.WithThumbnails(recording.ThumbnailsEvery(time.Minute, "S3")), map[string]string{ctx + "ThumbnailConfiguration.Storage[0]": rules.RuleEnum}},
		{"thumbnails off", base.WithThumbnails(recording.ThumbnailsOff()), nil},
		{"thumbnails zero value", base.WithThumbnails(recording.Thumbnails{}), map[string]string{ctx + "ThumbnailConfiguration": rules.RuleRequired}},

		{"media audio only", base.WithMediaType(recording.MediaAudioOnly), nil},
		{"media none", base.WithMediaType(recording.MediaNone), nil},
		{"media unknown", base.WithMediaType("VIDEO_ONLY"), map[string]string{ctx + "MediaTypes[0]": rules.RuleEnum}},

		{"replicas false", base.WithRecordReplicas(false), nil},

		{"disabled with fields", recording.Disabled().
			WithMediaType(recording.MediaAudioOnly).
			WithThumbnails(recording.ThumbnailsOff()).
			WithHLSSegmentDuration(4 * time.Second).
			WithReconnectWindow(time.Minute).
			WithRecordReplicas(false), map[string]string{
			ctx + "MediaTypes":                                    rules.RuleConflict,
			ctx + "ThumbnailConfiguration":                        rules.RuleConflict,
			ctx + "HlsConfiguration.TargetSegmentDurationSeconds": rules.RuleConflict,
			ctx + "RecordingReconnectWindowSeconds":               rules.RuleConflict,
			ctx + "RecordParticipantReplicas":                     rules.RuleConflict,
		}},
		{"every violation at once", recording.New("nope").
			WithMediaType("X").
			WithThumbnails(recording.ThumbnailsEvery(0, "Y")).
			WithHLSSegmentDuration(time.Hour).
			WithReconnectWindow(time.Hour), map[string]string{
			ctx + "StorageConfigurationArn":                       rules.RulePattern,
			ctx + "MediaTypes[0]":                                 rules.RuleEnum,
			ctx + "ThumbnailConfiguration.TargetIntervalSeconds":  rules.RuleRange,
			ctx + "ThumbnailConfiguration.Storage[0]":             rules.RuleEnum,
			ctx + "HlsConfiguration.TargetSegmentDurationSeconds": rules.RuleRange,
			ctx + "RecordingReconnectWindowSeconds":               rules.RuleRange,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.cfg.Validate()
			testutil.AssertViolations(t, err, tt.want)
			_, sdkErr := tt.cfg.ToSDK()
			assert.Equal(t, err, sdkErr, "ToSDK validates first")
		})
	}
}

func TestErrorMessagesNameRuleAndValue(t *testing.T) {
	t.Parallel()
	err := recording.New(storageARN).WithReconnectWindow(301 * time.Second).Validate()
	assert.Equal(t, "value 301 is out of range 0..300, AutoParticipantRecordingConfiguration.RecordingReconnectWindowSeconds.", testutil.Messages(t, err))
	err = recording.New(storageARN).WithThumbnails(recording.ThumbnailsEvery(time.Minute, recording.StorageLatest, recording.StorageLatest)).Validate()
	assert.Contains(t, testutil.Messages(t, err), `value "LATEST" is a duplicate`)
}

func TestToSDK(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  recording.Config
		want *types.AutoParticipantRecordingConfiguration
	}{
		{
			name: "unset fields stay unset",
			cfg:  recording.New(storageARN),
			want: &types.AutoParticipantRecordingConfiguration{StorageConfigurationArn: aws.String(storageARN)},
		},
		{
			name: "disabled",
			cfg:  recording.Disabled(),
			want: &types.AutoParticipantRecordingConfiguration{StorageConfigurationArn: aws.String("")},
		},
		{
			name: "every field",
			cfg: recording.New(storageARN).
				WithMediaType(recording.MediaAudioOnly).
				WithThumbnails(recording.ThumbnailsEvery(30*time.Second, recording.StorageLatest, recording.StorageSequential)).
				WithHLSSegmentDuration(4 * time.Second).
				WithReconnectWindow(2 * time.Minute).
				WithRecordReplicas(true),
			want: &types.AutoParticipantRecordingConfiguration{
				StorageConfigurationArn: aws.String(storageARN),
				MediaTypes:              []types.ParticipantRecordingMediaType{types.ParticipantRecordingMediaTypeAudioOnly},
				ThumbnailConfiguration: &types.ParticipantThumbnailConfiguration{
					RecordingMode:         types.ThumbnailRecordingModeInterval,
					TargetIntervalSeconds: aws.Int32(30),
					Storage:               []types.ThumbnailStorageType{types.ThumbnailStorageTypeLatest, types.ThumbnailStorageTypeSequential},
				},
				HlsConfiguration:                &types.ParticipantRecordingHlsConfiguration{TargetSegmentDurationSeconds: aws.Int32(4)},
				RecordingReconnectWindowSeconds: 120,
				RecordParticipantReplicas:       true,
			},
		},
		{
			name: "thumbnails off sends only the mode",
			cfg:  recording.New(storageARN).WithThumbnails(recording.ThumbnailsOff()),
			want: &types.AutoParticipantRecordingConfiguration{
				StorageConfigurationArn: aws.String(storageARN),
				ThumbnailConfiguration:  &types.ParticipantThumbnailConfiguration{RecordingMode: types.ThumbnailRecordingModeDisabled},
			},
		},
		{
			name: "thumbnails without storage leave storage to the service",
			cfg:  recording.New(storageARN).WithThumbnails(recording.ThumbnailsEvery(recording.DefaultThumbnailInterval)),
			want: &types.AutoParticipantRecordingConfiguration{
				StorageConfigurationArn: aws.String(storageARN),
				ThumbnailConfiguration:  &types.ParticipantThumbnailConfiguration{RecordingMode: types.ThumbnailRecordingModeInterval, TargetIntervalSeconds: aws.Int32(60)},
			},
		},
		{
			name: "replicas false cannot be carried by the SDK type",
			cfg:  recording.New(storageARN).WithRecordReplicas(false),
			want: &types.AutoParticipantRecordingConfiguration{StorageConfigurationArn: aws.String(storageARN)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.cfg.ToSDK()
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestEffective(t *testing.T) {
	t.Parallel()
	defaults := recording.Settings{
		MediaType:          recording.MediaAudioVideo,
		ThumbnailMode:      recording.ThumbnailsDisabled,
		ThumbnailInterval:  60 * time.Second,
		ThumbnailStorage:   []recording.ThumbnailStorage{recording.StorageSequential},
		HLSSegmentDuration: 6 * time.Second,
		ReconnectWindow:    0,
		RecordReplicas:     true,
	}
	enabled := defaults
	enabled.StorageConfigurationARN, enabled.Enabled = storageARN, true
	full := enabled
	full.MediaType = recording.MediaNone
	full.ThumbnailMode = recording.ThumbnailsInterval
	full.ThumbnailInterval = 5 * time.Second
	full.ThumbnailStorage = []recording.ThumbnailStorage{recording.StorageLatest}
	full.HLSSegmentDuration = 10 * time.Second
	full.ReconnectWindow = 300 * time.Second
	full.RecordReplicas = false

	tests := []struct {
		name string
		cfg  recording.Config
		want recording.Settings
	}{
		{"zero", recording.Config{}, defaults},
		{"disabled", recording.Disabled(), defaults},
		{"enabled, all defaults", recording.New(storageARN), enabled},
		{"every field", recording.New(storageARN).
			WithMediaType(recording.MediaNone).
			WithThumbnails(recording.ThumbnailsEvery(5*time.Second, recording.StorageLatest)).
			WithHLSSegmentDuration(10 * time.Second).
			WithReconnectWindow(300 * time.Second).
			WithRecordReplicas(false), full},
		{"thumbnails off keep the default interval", recording.New(storageARN).WithThumbnails(recording.ThumbnailsOff()), enabled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.cfg.Effective())
		})
	}
}

func TestWithNeverChangesTheOriginal(t *testing.T) {
	t.Parallel()
	storage := []recording.ThumbnailStorage{recording.StorageLatest}
	thumbs := recording.ThumbnailsEvery(10*time.Second, storage...)
	storage[0] = "CHANGED" // the caller's slice was copied in
	base := recording.New(storageARN).WithThumbnails(thumbs)
	before := base.Effective()

	derived := []recording.Config{
		base.WithMediaType(recording.MediaNone),
		base.WithThumbnails(recording.ThumbnailsOff()),
		base.WithHLSSegmentDuration(2 * time.Second),
		base.WithReconnectWindow(time.Minute),
		base.WithRecordReplicas(false),
	}
	for _, d := range derived {
		assert.NotEqual(t, before, d.Effective())
	}
	assert.Equal(t, before, base.Effective())
	assert.NoError(t, base.Validate())

	s := base.Effective()
	s.ThumbnailStorage[0] = "CHANGED" // Settings hands out copies
	// Compared with a literal, not with an earlier Effective(): a shared slice would change both alike.
	assert.Equal(t, []recording.ThumbnailStorage{recording.StorageLatest}, base.Effective().ThumbnailStorage)
	assert.Equal(t, []recording.ThumbnailStorage{recording.StorageLatest}, before.ThumbnailStorage)
}

func TestTemplateIsSafeForConcurrentUse(t *testing.T) {
	t.Parallel()
	tmpl := recording.New(storageARN).WithThumbnails(recording.ThumbnailsEvery(time.Minute, recording.StorageLatest))
	var wg sync.WaitGroup
	for i := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := tmpl.WithReconnectWindow(time.Duration(i) * time.Second)
			got, err := c.ToSDK()
			assert.NoError(t, err)
			assert.Equal(t, int32(i), got.RecordingReconnectWindowSeconds)
			assert.Equal(t, time.Duration(i)*time.Second, c.Effective().ReconnectWindow)
		}()
	}
	wg.Wait()
	assert.Equal(t, recording.DefaultReconnectWindow, tmpl.Effective().ReconnectWindow)
}

func TestString(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "recording.Config{}", recording.Config{}.String())
	assert.Equal(t, "recording.Disabled()", recording.Disabled().String())
	assert.Equal(t, `recording.New("`+storageARN+`").WithMediaType(AUDIO_ONLY).WithThumbnails(recording.ThumbnailsEvery(30s, LATEST)).WithHLSSegmentDuration(4s).WithReconnectWindow(1m0s).WithRecordReplicas(false)`,
		recording.New(storageARN).
			WithMediaType(recording.MediaAudioOnly).
			WithThumbnails(recording.ThumbnailsEvery(30*time.Second, recording.StorageLatest)).
			WithHLSSegmentDuration(4*time.Second).
			WithReconnectWindow(time.Minute).
			WithRecordReplicas(false).String())
	assert.Equal(t, "recording.ThumbnailsOff()", recording.ThumbnailsOff().String())
}

func TestConstants(t *testing.T) {
	t.Parallel()
	assert.Equal(t, 300*time.Second, recording.MaxReconnectWindow)
	assert.Equal(t, time.Duration(0), recording.DefaultReconnectWindow)
	assert.Equal(t, 24*time.Hour, recording.MaxThumbnailInterval)
	assert.Equal(t, time.Second, recording.MinThumbnailInterval)
	assert.Equal(t, 60*time.Second, recording.DefaultThumbnailInterval)
	assert.Equal(t, 2*time.Second, recording.MinHLSSegmentDuration)
	assert.Equal(t, 10*time.Second, recording.MaxHLSSegmentDuration)
	assert.Equal(t, 6*time.Second, recording.DefaultHLSSegmentDuration)
	assert.True(t, recording.DefaultRecordReplicas)
	assert.Equal(t, recording.MediaAudioVideo, recording.DefaultMediaType)
	assert.Equal(t, recording.ThumbnailsDisabled, recording.DefaultThumbnailMode)
}

// Disabled() with any other field set is invalid, the field's zero value included: the service would reset
// the field whatever it is. Sent through the stage client, such a configuration makes no request. The empty
// media type on an enabled configuration is a value too, outside the enum, not "unset".
func TestDisabledWithZeroValues(t *testing.T) {
	t.Parallel()
	conflict := func(field string) map[string]string { return map[string]string{ctx + field: rules.RuleConflict} }
	tests := []struct {
		name string
		cfg  recording.Config
		want map[string]string
	}{
		{"media type \"\"", recording.Disabled().WithMediaType(""), conflict("MediaTypes")},
		{"thumbnails zero value", recording.Disabled().WithThumbnails(recording.Thumbnails{}), conflict("ThumbnailConfiguration")},
		{"thumbnails off (the default)", recording.Disabled().WithThumbnails(recording.ThumbnailsOff()), conflict("ThumbnailConfiguration")},
		{"HLS segment 0", recording.Disabled().WithHLSSegmentDuration(0), conflict("HlsConfiguration.TargetSegmentDurationSeconds")},
		{"reconnect window 0", recording.Disabled().WithReconnectWindow(0), conflict("RecordingReconnectWindowSeconds")},
		{"replicas true (the default)", recording.Disabled().WithRecordReplicas(true), conflict("RecordParticipantReplicas")},
		{"enabled, media type \"\"", recording.New(storageARN).WithMediaType(""), map[string]string{ctx + "MediaTypes[0]": rules.RuleEnum}},
		{"enabled, media type \"\" then a valid one", recording.New(storageARN).WithMediaType("").WithMediaType(recording.MediaNone), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			testutil.AssertViolations(t, tt.cfg.Validate(), tt.want)
			srv := stagetest.New()
			cfg := tt.cfg
			if tt.want == nil {
				cfg = recording.New(srv.MustAddStorageConfiguration("bucket")).WithMediaType("").WithMediaType(recording.MediaNone)
			}
			_, _, err := stage.NewClientFromConfig(srv.Config()).Create(t.Context(), stage.New().WithRecording(cfg))
			if tt.want == nil {
				require.NoError(t, err)
				assert.Equal(t, 1, srv.RequestCount())
				return
			}
			testutil.AssertViolations(t, err, prefixed("CreateStageInput.", tt.want))
			assert.Zero(t, srv.RequestCount(), "invalid input sends nothing")
		})
	}
	assert.Equal(t, `recording.Disabled().WithMediaType()`, recording.Disabled().WithMediaType("").String())
	assert.Equal(t, recording.Disabled().Effective(), recording.Disabled().WithReconnectWindow(0).Effective(), "Effective is unaffected")
}
