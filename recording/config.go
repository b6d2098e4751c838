package recording

import (
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"

	"github.com/ivsrt/ivsrt/internal/rules"
)

// Field names of the SDK's types.AutoParticipantRecordingConfiguration, as they appear in error paths.
const (
	configContext    = "AutoParticipantRecordingConfiguration"
	fieldARN         = "StorageConfigurationArn"
	fieldMediaTypes  = "MediaTypes"
	fieldThumbnails  = "ThumbnailConfiguration"
	fieldMode        = "RecordingMode"
	fieldInterval    = "TargetIntervalSeconds"
	fieldStorage     = "Storage"
	fieldHLS         = "HlsConfiguration.TargetSegmentDurationSeconds"
	fieldReconnect   = "RecordingReconnectWindowSeconds"
	fieldReplicas    = "RecordParticipantReplicas"
	thumbnailsPrefix = fieldThumbnails + "."
)

type state uint8

const (
	stateZero     state = iota // the zero Config: not built, invalid
	stateEnabled               // New(arn)
	stateDisabled              // Disabled()
)

// Config is an individual participant recording configuration (the API's
// autoParticipantRecordingConfiguration), built with New or Disabled and refined with With… methods.
//
// A Config is an immutable value: every With… returns a modified copy, so one Config can be shared between
// goroutines and used as a template. Fields left unset are not sent and the service applies its defaults
// (see the Default… constants and Effective). The zero Config is invalid: Validate reports it.
type Config struct {
	state        state
	arn          string
	mediaType    MediaType
	mediaSet     bool
	thumbnails   Thumbnails
	hls          time.Duration
	hlsSet       bool
	reconnect    time.Duration
	reconnectSet bool
	replicas     bool
	replicasSet  bool
}

// New returns a Config that turns individual participant recording on, writing to the storage
// configuration storageConfigurationARN (arn:aws:ivs:<region>:<account>:storage-configuration/<id>, at most
// 128 code points). Every other field is left to the service's default.
func New(storageConfigurationARN string) Config {
	return Config{state: stateEnabled, arn: storageConfigurationARN}
}

// Disabled returns a Config that turns individual participant recording off (storageConfigurationArn ""). The
// service then resets every other recording field to its default, so Disabled combined with any With… is
// a validation error, whatever the value passed: Disabled().WithReconnectWindow(0) and
// Disabled().WithMediaType("") are invalid too.
func Disabled() Config { return Config{state: stateDisabled} }

// WithMediaType sets the media to record (one of MediaType's values). Default: MediaAudioVideo. The empty
// MediaType is a value like any other, not "unset": Validate refuses it (leave WithMediaType out for the
// default).
func (c Config) WithMediaType(m MediaType) Config {
	c.mediaType, c.mediaSet = m, true
	return c
}

// WithThumbnails sets thumbnail recording: ThumbnailsEvery(interval, storage...) or ThumbnailsOff().
// Default: thumbnails off.
func (c Config) WithThumbnails(t Thumbnails) Config {
	c.thumbnails = t
	c.thumbnails.set = true
	return c
}

// WithHLSSegmentDuration sets the target duration of recorded HLS segments: whole seconds from
// MinHLSSegmentDuration (2 s) to MaxHLSSegmentDuration (10 s). Default: DefaultHLSSegmentDuration (6 s).
func (c Config) WithHLSSegmentDuration(d time.Duration) Config {
	c.hls, c.hlsSet = d, true
	return c
}

// WithReconnectWindow sets recordingReconnectWindowSeconds: a publisher who disconnects and reconnects within
// this window is recorded as one merged recording. Whole seconds from 0 to MaxReconnectWindow (300 s).
// Default: DefaultReconnectWindow (0, no merging).
func (c Config) WithReconnectWindow(d time.Duration) Config {
	c.reconnect, c.reconnectSet = d, true
	return c
}

// WithRecordReplicas sets whether replica participants (replicated from another stage) are recorded.
// Default: DefaultRecordReplicas (true). WithRecordReplicas(false) is sent as
// "recordParticipantReplicas": false by the stage client, although the official client cannot send a
// false value.
func (c Config) WithRecordReplicas(record bool) Config {
	c.replicas, c.replicasSet = record, true
	return c
}

// Validate checks every rule: the model's (ARN pattern and length, media type enum, thumbnail interval
// 1..86,400 s, storage enum and uniqueness, HLS segment 2..10 s, reconnect window 0..300 s) and the
// library's (durations in whole seconds; Disabled with no other field, even one set to its zero value; a
// built Config). All violations are
// reported at once as a smithy.InvalidParamsError whose entries' paths start at
// "AutoParticipantRecordingConfiguration".
func (c Config) Validate() error {
	errs := smithy.InvalidParamsError{Context: configContext}
	c.validate(&errs)
	return rules.Result(errs)
}

func (c Config) validate(errs *smithy.InvalidParamsError) {
	switch c.state {
	case stateZero:
		errs.Add(rules.New(fieldARN, rules.RuleRequired, "missing: build the configuration with recording.New(arn) or recording.Disabled()"))
		return
	case stateDisabled:
		c.validateDisabled(errs)
		return
	}
	if c.arn == "" {
		errs.Add(rules.New(fieldARN, rules.RuleRequired, `value "" turns recording off: use recording.Disabled()`))
	} else {
		rules.AutoRecordingStorageArn.Check(errs, fieldARN, c.arn)
	}
	if c.mediaSet {
		rules.CheckEnum(errs, fieldMediaTypes+"[0]", c.mediaType)
	}
	if c.thumbnails.set {
		c.thumbnails.validate(errs)
	}
	if c.hlsSet {
		rules.HLSSegmentSeconds.CheckDuration(errs, fieldHLS, c.hls, time.Second)
	}
	if c.reconnectSet {
		rules.ReconnectWindowSeconds.CheckDuration(errs, fieldReconnect, c.reconnect, time.Second)
	}
}

func (c Config) validateDisabled(errs *smithy.InvalidParamsError) {
	conflict := func(field string) {
		errs.Add(rules.New(field, rules.RuleConflict,
			"set on recording.Disabled(): with storageConfigurationArn \"\" the service resets every recording field to its default"))
	}
	if c.mediaSet {
		conflict(fieldMediaTypes)
	}
	if c.thumbnails.set {
		conflict(fieldThumbnails)
	}
	if c.hlsSet {
		conflict(fieldHLS)
	}
	if c.reconnectSet {
		conflict(fieldReconnect)
	}
	if c.replicasSet {
		conflict(fieldReplicas)
	}
}

// ToSDK validates c and returns it as the SDK's type. Unset fields are nil (or zero) so the service applies
// its defaults. The SDK type cannot carry RecordParticipantReplicas=false: the stage client sends it.
func (c Config) ToSDK() (*types.AutoParticipantRecordingConfiguration, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	out := &types.AutoParticipantRecordingConfiguration{StorageConfigurationArn: aws.String(c.arn)}
	if c.state == stateDisabled {
		return out, nil
	}
	if c.mediaSet {
		out.MediaTypes = []types.ParticipantRecordingMediaType{types.ParticipantRecordingMediaType(c.mediaType)}
	}
	if c.thumbnails.set {
		out.ThumbnailConfiguration = c.thumbnails.toSDK()
	}
	if c.hlsSet {
		out.HlsConfiguration = &types.ParticipantRecordingHlsConfiguration{
			TargetSegmentDurationSeconds: aws.Int32(int32(c.hls / time.Second)),
		}
	}
	if c.reconnectSet {
		out.RecordingReconnectWindowSeconds = int32(c.reconnect / time.Second)
	}
	out.RecordParticipantReplicas = c.replicasSet && c.replicas
	return out, nil
}

// Effective returns the settings the service will apply for c: set fields as set, unset fields at their
// defaults. For Disabled (or the zero Config) every field is at its default and Enabled is false.
func (c Config) Effective() Settings {
	s := defaultSettings()
	if c.state != stateEnabled {
		return s
	}
	s.StorageConfigurationARN = c.arn
	s.Enabled = c.arn != ""
	if c.mediaSet {
		s.MediaType = c.mediaType
	}
	if c.thumbnails.set {
		s.ThumbnailMode = c.thumbnails.mode
		if c.thumbnails.mode == ThumbnailsInterval {
			s.ThumbnailInterval = c.thumbnails.interval
		}
		if len(c.thumbnails.storage) > 0 {
			s.ThumbnailStorage = slices.Clone(c.thumbnails.storage)
		}
	}
	if c.hlsSet {
		s.HLSSegmentDuration = c.hls
	}
	if c.reconnectSet {
		s.ReconnectWindow = c.reconnect
	}
	if c.replicasSet {
		s.RecordReplicas = c.replicas
	}
	return s
}

// String describes c for logs as the calls that build it, e.g.
// recording.New("arn:…").WithReconnectWindow(1m0s).
func (c Config) String() string {
	var s string
	switch c.state {
	case stateZero:
		s = "recording.Config{}"
	case stateDisabled:
		s = "recording.Disabled()"
	default:
		s = fmt.Sprintf("recording.New(%q)", c.arn)
	}
	if c.mediaSet {
		s += fmt.Sprintf(".WithMediaType(%s)", c.mediaType)
	}
	if c.thumbnails.set {
		s += ".WithThumbnails(" + c.thumbnails.String() + ")"
	}
	if c.hlsSet {
		s += fmt.Sprintf(".WithHLSSegmentDuration(%s)", c.hls)
	}
	if c.reconnectSet {
		s += fmt.Sprintf(".WithReconnectWindow(%s)", c.reconnect)
	}
	if c.replicasSet {
		s += fmt.Sprintf(".WithRecordReplicas(%t)", c.replicas)
	}
	return s
}
