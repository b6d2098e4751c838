package recording_test

import (
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

// defaults is what the service reports for New(storageARN) and nothing else.
func defaults() recording.Settings { return recording.New(storageARN).Effective() }

// Settings.Config sends exactly the settings: its Effective is the settings again, and ToSDK carries every
// field explicitly.
func TestSettingsConfigRoundTrip(t *testing.T) {
	t.Parallel()
	with := func(f func(*recording.Settings)) recording.Settings {
		s := defaults()
		f(&s)
		return s
	}
	tests := []struct {
		name     string
		settings recording.Settings
		wantSDK  *types.AutoParticipantRecordingConfiguration
	}{
		{"defaults", defaults(), &types.AutoParticipantRecordingConfiguration{
			StorageConfigurationArn:   aws.String(storageARN),
			MediaTypes:                []types.ParticipantRecordingMediaType{"AUDIO_VIDEO"},
			ThumbnailConfiguration:    &types.ParticipantThumbnailConfiguration{RecordingMode: "DISABLED", Storage: []types.ThumbnailStorageType{"SEQUENTIAL"}},
			HlsConfiguration:          &types.ParticipantRecordingHlsConfiguration{TargetSegmentDurationSeconds: aws.Int32(6)},
			RecordParticipantReplicas: true,
		}},
		{"everything changed", with(func(s *recording.Settings) {
			s.MediaType = recording.MediaAudioOnly
			s.ThumbnailMode = recording.ThumbnailsInterval
			s.ThumbnailInterval = 30 * time.Second
			s.ThumbnailStorage = []recording.ThumbnailStorage{recording.StorageLatest, recording.StorageSequential}
			s.HLSSegmentDuration = 2 * time.Second
			s.ReconnectWindow = 300 * time.Second
			s.RecordReplicas = false
		}), &types.AutoParticipantRecordingConfiguration{
			StorageConfigurationArn: aws.String(storageARN),
			MediaTypes:              []types.ParticipantRecordingMediaType{"AUDIO_ONLY"},
			ThumbnailConfiguration: &types.ParticipantThumbnailConfiguration{RecordingMode: "INTERVAL", TargetIntervalSeconds: aws.Int32(30),
				Storage: []types.ThumbnailStorageType{"LATEST", "SEQUENTIAL"}},
			HlsConfiguration:                &types.ParticipantRecordingHlsConfiguration{TargetSegmentDurationSeconds: aws.Int32(2)},
			RecordingReconnectWindowSeconds: 300,
			RecordParticipantReplicas:       false, // sent as false by the stage client's wire fix
		}},
		{"thumbnails every 24 h, latest only", with(func(s *recording.Settings) {
			s.ThumbnailMode = recording.ThumbnailsInterval
			s.ThumbnailInterval = 24 * time.Hour
			s.ThumbnailStorage = []recording.ThumbnailStorage{recording.StorageLatest}
			s.MediaType = recording.MediaNone
			s.HLSSegmentDuration = 10 * time.Second
		}), &types.AutoParticipantRecordingConfiguration{
			StorageConfigurationArn: aws.String(storageARN),
			MediaTypes:              []types.ParticipantRecordingMediaType{"NONE"},
			ThumbnailConfiguration: &types.ParticipantThumbnailConfiguration{RecordingMode: "INTERVAL", TargetIntervalSeconds: aws.Int32(86400),
				Storage: []types.ThumbnailStorageType{"LATEST"}},
			HlsConfiguration:          &types.ParticipantRecordingHlsConfiguration{TargetSegmentDurationSeconds: aws.Int32(10)},
			RecordParticipantReplicas: true,
		}},
		{"thumbnails off, latest storage kept", with(func(s *recording.Settings) {
			s.ThumbnailStorage = []recording.ThumbnailStorage{recording.StorageLatest}
			s.ReconnectWindow = time.Minute
		}), &types.AutoParticipantRecordingConfiguration{
			StorageConfigurationArn:         aws.String(storageARN),
			MediaTypes:                      []types.ParticipantRecordingMediaType{"AUDIO_VIDEO"},
			ThumbnailConfiguration:          &types.ParticipantThumbnailConfiguration{RecordingMode: "DISABLED", Storage: []types.ThumbnailStorageType{"LATEST"}},
			HlsConfiguration:                &types.ParticipantRecordingHlsConfiguration{TargetSegmentDurationSeconds: aws.Int32(6)},
			RecordingReconnectWindowSeconds: 60,
			RecordParticipantReplicas:       true,
		}},
		{"recording off", recording.Disabled().Effective(), &types.AutoParticipantRecordingConfiguration{
			StorageConfigurationArn: aws.String(""),
		}},
		{"recording off, nothing reported", recording.SettingsFromSDK(nil), &types.AutoParticipantRecordingConfiguration{
			StorageConfigurationArn: aws.String(""),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := tt.settings.Config()
			require.NoError(t, cfg.Validate(), "%s", cfg)
			assert.Equal(t, tt.settings, cfg.Effective(), "Config sends exactly the settings: %s", cfg)
			sdk, err := cfg.ToSDK()
			require.NoError(t, err)
			assert.Equal(t, tt.wantSDK, sdk)
			// What the service reports for what is sent is the settings again (false replicas travel
			// through the stage client's wire fix, which SettingsFromSDK of the SDK type cannot show).
			read := recording.SettingsFromSDK(sdk)
			read.RecordReplicas = tt.settings.RecordReplicas
			if tt.settings.Enabled {
				assert.Equal(t, tt.settings, read)
			}
		})
	}
}

// Thumbnails off never come back on; an interval stored with thumbnails off cannot be sent (the service
// refuses an interval unless the mode is INTERVAL), so it returns to the default.
func TestSettingsConfigThumbnailsOff(t *testing.T) {
	t.Parallel()
	s := defaults()
	s.ThumbnailInterval = 30 * time.Second // not the default, with ThumbnailMode DISABLED
	s.ThumbnailStorage = []recording.ThumbnailStorage{recording.StorageSequential, recording.StorageLatest}
	cfg := s.Config()
	sdk, err := cfg.ToSDK()
	require.NoError(t, err)
	require.NotNil(t, sdk.ThumbnailConfiguration)
	assert.Equal(t, types.ThumbnailRecordingMode("DISABLED"), sdk.ThumbnailConfiguration.RecordingMode)
	assert.Nil(t, sdk.ThumbnailConfiguration.TargetIntervalSeconds, "no interval is sent with thumbnails off")
	assert.Equal(t, []types.ThumbnailStorageType{"SEQUENTIAL", "LATEST"}, sdk.ThumbnailConfiguration.Storage)

	want := s
	want.ThumbnailInterval = recording.DefaultThumbnailInterval
	assert.Equal(t, want, cfg.Effective(), "only the interval returns to its default")
	assert.Equal(t, `recording.New("`+storageARN+`").WithMediaType(AUDIO_VIDEO).WithThumbnails(recording.ThumbnailsOff() with storage [SEQUENTIAL LATEST]).WithHLSSegmentDuration(6s).WithReconnectWindow(0s).WithRecordReplicas(true)`, cfg.String())

	unknown := defaults()
	unknown.ThumbnailMode = "SOMETIMES" // a mode the library does not know
	sdk, err = unknown.Config().ToSDK()
	require.NoError(t, err)
	assert.Equal(t, types.ThumbnailRecordingMode("DISABLED"), sdk.ThumbnailConfiguration.RecordingMode, "not INTERVAL: off")
}

// A zero field of a hand-built Settings stands for the default; invalid values are reported by Validate.
func TestSettingsConfigHandBuilt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		settings recording.Settings
		want     recording.Settings // Config().Effective(); zero when Config is invalid
	}{
		{"zero Settings is recording off", recording.Settings{}, recording.Disabled().Effective()},
		{"disabled keeps nothing", recording.Settings{StorageConfigurationARN: storageARN, MediaType: recording.MediaNone}, recording.Disabled().Effective()},
		{"only the ARN: replicas false is a value", recording.Settings{StorageConfigurationARN: storageARN, Enabled: true},
			recording.New(storageARN).WithRecordReplicas(false).Effective()},
		{"interval mode without interval", recording.Settings{StorageConfigurationARN: storageARN, Enabled: true, ThumbnailMode: recording.ThumbnailsInterval, RecordReplicas: true},
			recording.New(storageARN).WithThumbnails(recording.ThumbnailsEvery(recording.DefaultThumbnailInterval)).Effective()},
		{"HLS out of range", recording.Settings{StorageConfigurationARN: storageARN, Enabled: true, HLSSegmentDuration: time.Second}, recording.Settings{}},
		{"enabled without ARN", recording.Settings{Enabled: true}, recording.Settings{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := tt.settings.Config()
			if tt.want.HLSSegmentDuration == 0 {
				assert.Error(t, cfg.Validate())
				return
			}
			require.NoError(t, cfg.Validate())
			assert.Equal(t, tt.want, cfg.Effective())
		})
	}
}

// Config copies the thumbnail storage: changing the Settings afterwards changes nothing sent.
func TestSettingsConfigCopies(t *testing.T) {
	t.Parallel()
	s := defaults()
	s.ThumbnailMode = recording.ThumbnailsInterval
	s.ThumbnailStorage = []recording.ThumbnailStorage{recording.StorageLatest}
	cfg := s.Config()
	s.ThumbnailStorage[0] = recording.StorageSequential
	assert.Equal(t, []recording.ThumbnailStorage{recording.StorageLatest}, cfg.Effective().ThumbnailStorage)
}

// Settings.Config replaces only a zero duration with the service's default; a negative one (as a service
// answer could hold) is carried into the Config, whose Validate refuses it with its field path, and the
// stage client then sends nothing. Boundaries on both sides of each default: the last value that is sent
// as a default (0), the first invalid below it, and the first valid and last invalid values of the range.
func TestSettingsConfigNegativeDurations(t *testing.T) {
	t.Parallel()
	const (
		hls      = ctx + "HlsConfiguration.TargetSegmentDurationSeconds"
		interval = ctx + "ThumbnailConfiguration.TargetIntervalSeconds"
		window   = ctx + "RecordingReconnectWindowSeconds"
	)
	enabled := func(f func(*recording.Settings)) recording.Settings {
		s := defaults()
		s.ThumbnailMode = recording.ThumbnailsInterval
		f(&s)
		return s
	}
	tests := []struct {
		name     string
		settings recording.Settings
		want     map[string]string // violations; nil: valid
		sent     recording.Settings
	}{
		{"HLS 0 is the default", enabled(func(s *recording.Settings) { s.HLSSegmentDuration = 0 }), nil,
			enabled(func(s *recording.Settings) { s.HLSSegmentDuration = recording.DefaultHLSSegmentDuration })},
		{"HLS -1 s", enabled(func(s *recording.Settings) { s.HLSSegmentDuration = -time.Second }), map[string]string{hls: rules.RuleRange}, recording.Settings{}},
		{"HLS -1 ns", enabled(func(s *recording.Settings) { s.HLSSegmentDuration = -1 }), map[string]string{hls: rules.RuleUnit}, recording.Settings{}},
		{"HLS 1 s", enabled(func(s *recording.Settings) { s.HLSSegmentDuration = time.Second }), map[string]string{hls: rules.RuleRange}, recording.Settings{}},
		{"HLS 2 s", enabled(func(s *recording.Settings) { s.HLSSegmentDuration = 2 * time.Second }), nil,
			enabled(func(s *recording.Settings) { s.HLSSegmentDuration = 2 * time.Second })},
		{"interval 0 is the default", enabled(func(s *recording.Settings) { s.ThumbnailInterval = 0 }), nil,
			enabled(func(s *recording.Settings) { s.ThumbnailInterval = recording.DefaultThumbnailInterval })},
		{"interval -1 s", enabled(func(s *recording.Settings) { s.ThumbnailInterval = -time.Second }), map[string]string{interval: rules.RuleRange}, recording.Settings{}},
		{"interval -1 ns", enabled(func(s *recording.Settings) { s.ThumbnailInterval = -1 }), map[string]string{interval: rules.RuleUnit}, recording.Settings{}},
		{"interval 1 s", enabled(func(s *recording.Settings) { s.ThumbnailInterval = time.Second }), nil,
			enabled(func(s *recording.Settings) { s.ThumbnailInterval = time.Second })},
		{"interval negative with thumbnails off is not sent", func() recording.Settings {
			s := defaults()
			s.ThumbnailInterval = -time.Second
			return s
		}(), nil, defaults()},
		{"reconnect -1 s", enabled(func(s *recording.Settings) { s.ReconnectWindow = -time.Second }), map[string]string{window: rules.RuleRange}, recording.Settings{}},
		{"every negative at once", enabled(func(s *recording.Settings) {
			s.HLSSegmentDuration, s.ThumbnailInterval, s.ReconnectWindow = -6*time.Second, -60*time.Second, -time.Minute
		}), map[string]string{hls: rules.RuleRange, interval: rules.RuleRange, window: rules.RuleRange}, recording.Settings{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := tt.settings.Config()
			testutil.AssertViolations(t, cfg.Validate(), tt.want)
			srv := stagetest.New()
			if tt.want == nil {
				assert.Equal(t, tt.sent, cfg.Effective())
				return
			}
			_, _, err := stage.NewClientFromConfig(srv.Config()).Create(t.Context(), stage.New().WithRecording(cfg))
			testutil.AssertViolations(t, err, prefixed("CreateStageInput.", tt.want))
			assert.Zero(t, srv.RequestCount(), "invalid input sends nothing")
		})
	}

	// A negative value read back from the service takes the same path.
	read := recording.SettingsFromSDK(&types.AutoParticipantRecordingConfiguration{
		StorageConfigurationArn: aws.String(storageARN),
		HlsConfiguration:        &types.ParticipantRecordingHlsConfiguration{TargetSegmentDurationSeconds: aws.Int32(-6)},
	})
	assert.Equal(t, -6*time.Second, read.HLSSegmentDuration)
	testutil.AssertViolations(t, read.Config().Validate(), map[string]string{hls: rules.RuleRange})
}

// What Effective predicts is what SettingsFromSDK reads back from the service's answer with defaults
// filled in.
func TestSettingsFromSDK(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   *types.AutoParticipantRecordingConfiguration
		want recording.Settings
	}{
		{"nil", nil, recording.Disabled().Effective()},
		{"as the service answers with no recording", &types.AutoParticipantRecordingConfiguration{
			StorageConfigurationArn:   aws.String(""),
			MediaTypes:                []types.ParticipantRecordingMediaType{"AUDIO_VIDEO"},
			ThumbnailConfiguration:    &types.ParticipantThumbnailConfiguration{TargetIntervalSeconds: aws.Int32(60), Storage: []types.ThumbnailStorageType{"SEQUENTIAL"}, RecordingMode: "DISABLED"},
			HlsConfiguration:          &types.ParticipantRecordingHlsConfiguration{TargetSegmentDurationSeconds: aws.Int32(6)},
			RecordParticipantReplicas: true,
		}, recording.Disabled().Effective()},
		{"every field set", &types.AutoParticipantRecordingConfiguration{
			StorageConfigurationArn:         aws.String(storageARN),
			MediaTypes:                      []types.ParticipantRecordingMediaType{"AUDIO_ONLY"},
			ThumbnailConfiguration:          &types.ParticipantThumbnailConfiguration{TargetIntervalSeconds: aws.Int32(20), Storage: []types.ThumbnailStorageType{"SEQUENTIAL", "LATEST"}, RecordingMode: "INTERVAL"},
			HlsConfiguration:                &types.ParticipantRecordingHlsConfiguration{TargetSegmentDurationSeconds: aws.Int32(3)},
			RecordingReconnectWindowSeconds: 90,
			RecordParticipantReplicas:       false,
		}, recording.New(storageARN).
			WithMediaType(recording.MediaAudioOnly).
			WithThumbnails(recording.ThumbnailsEvery(20*time.Second, recording.StorageSequential, recording.StorageLatest)).
			WithHLSSegmentDuration(3 * time.Second).
			WithReconnectWindow(90 * time.Second).
			WithRecordReplicas(false).Effective()},
		{"sparse: missing parts read as defaults", &types.AutoParticipantRecordingConfiguration{
			StorageConfigurationArn:   aws.String(storageARN),
			RecordParticipantReplicas: true,
		}, recording.New(storageARN).Effective()},
		// Catches: SettingsFromSDK copying an empty mode.
		{"thumbnails without a recordingMode read as the default mode, keeping the rest", &types.AutoParticipantRecordingConfiguration{
			StorageConfigurationArn: aws.String(storageARN),
			ThumbnailConfiguration: &types.ParticipantThumbnailConfiguration{
				TargetIntervalSeconds: aws.Int32(30), Storage: []types.ThumbnailStorageType{types.ThumbnailStorageTypeLatest},
			},
			RecordParticipantReplicas: true,
		}, func() recording.Settings {
			s := recording.New(storageARN).Effective() // ThumbnailMode: ThumbnailsDisabled
			s.ThumbnailInterval = 30 * time.Second
			s.ThumbnailStorage = []recording.ThumbnailStorage{recording.StorageLatest}
			return s
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, recording.SettingsFromSDK(tt.in))
		})
	}
}

// Settings.Config sends every field explicitly: a zero field of a hand-built Settings is sent as the
// service's default, on the wire (ToSDK), not only in Effective. Catches: the media type's default
// dropped; an empty (non-nil) thumbnail storage list not taken for "none".
func TestSettingsConfigSendsDefaultsForZeroFields(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		settings recording.Settings
	}{
		{"only the ARN", recording.Settings{StorageConfigurationARN: storageARN, Enabled: true}},
		{"empty thumbnail storage", recording.Settings{StorageConfigurationARN: storageARN, Enabled: true, ThumbnailStorage: []recording.ThumbnailStorage{}}},
		{"interval mode, empty storage", recording.Settings{StorageConfigurationARN: storageARN, Enabled: true,
			ThumbnailMode: recording.ThumbnailsInterval, ThumbnailStorage: []recording.ThumbnailStorage{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := tt.settings.Config().ToSDK()
			require.NoError(t, err)
			assert.Equal(t, []types.ParticipantRecordingMediaType{types.ParticipantRecordingMediaTypeAudioVideo}, out.MediaTypes)
			require.NotNil(t, out.ThumbnailConfiguration)
			assert.Equal(t, []types.ThumbnailStorageType{types.ThumbnailStorageTypeSequential}, out.ThumbnailConfiguration.Storage)
			require.NotNil(t, out.HlsConfiguration)
			assert.Equal(t, int32(recording.DefaultHLSSegmentDuration/time.Second), aws.ToInt32(out.HlsConfiguration.TargetSegmentDurationSeconds))
		})
	}
}
