package recording

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
)

// Settings is a resolved, read-only view of a recording configuration: every field holds the value in
// force, defaults included. It comes from Config.Effective (what the service will apply) or SettingsFromSDK
// (what the service reports).
type Settings struct {
	// StorageConfigurationARN is the storage configuration recorded to; "" when recording is off.
	StorageConfigurationARN string
	// Enabled is StorageConfigurationARN != "".
	Enabled bool
	// MediaType is the media recorded. Default: MediaAudioVideo.
	MediaType MediaType
	// ThumbnailMode is ThumbnailsInterval or ThumbnailsDisabled. Default: ThumbnailsDisabled.
	ThumbnailMode ThumbnailMode
	// ThumbnailInterval is the thumbnail interval. Default: DefaultThumbnailInterval (60 s).
	ThumbnailInterval time.Duration
	// ThumbnailStorage lists where thumbnails are kept. Default: [StorageSequential].
	ThumbnailStorage []ThumbnailStorage
	// HLSSegmentDuration is the target HLS segment duration. Default: DefaultHLSSegmentDuration (6 s).
	HLSSegmentDuration time.Duration
	// ReconnectWindow is recordingReconnectWindowSeconds. Default: 0 (no merging).
	ReconnectWindow time.Duration
	// RecordReplicas is whether replica participants are recorded. Default: true.
	RecordReplicas bool
}

func defaultSettings() Settings {
	return Settings{
		MediaType:          DefaultMediaType,
		ThumbnailMode:      DefaultThumbnailMode,
		ThumbnailInterval:  DefaultThumbnailInterval,
		ThumbnailStorage:   []ThumbnailStorage{DefaultThumbnailStorage},
		HLSSegmentDuration: DefaultHLSSegmentDuration,
		ReconnectWindow:    DefaultReconnectWindow,
		RecordReplicas:     DefaultRecordReplicas,
	}
}

// SettingsFromSDK reads a recording configuration as the service returns it (in a Stage). nil means
// recording is off with every field at its default; a nil or empty field reads as its default.
//
// RecordReplicas is read as the SDK type holds it. The v1.30.0 client decodes an absent
// "recordParticipantReplicas" as false, and the service does omit it (the CLI reference's create-stage
// response has none), so stage.Client reads CreateStage, GetStage and UpdateStage responses through a
// middleware that sets the field to true, its documented default, when the member is absent or null: a stage
// read through stage.Client reports RecordReplicas false only when the service said false. A configuration
// decoded by the official client alone, or built by hand, is read as it is.
//
// Durations are read as the service reports them, a negative one included (Settings.Config carries it on to
// validation).
func SettingsFromSDK(c *types.AutoParticipantRecordingConfiguration) Settings {
	s := defaultSettings()
	if c == nil {
		return s
	}
	if c.StorageConfigurationArn != nil {
		s.StorageConfigurationARN = *c.StorageConfigurationArn
	}
	s.Enabled = s.StorageConfigurationARN != ""
	if len(c.MediaTypes) > 0 {
		s.MediaType = MediaType(c.MediaTypes[0])
	}
	if t := c.ThumbnailConfiguration; t != nil {
		if t.RecordingMode != "" {
			s.ThumbnailMode = ThumbnailMode(t.RecordingMode)
		}
		if t.TargetIntervalSeconds != nil {
			s.ThumbnailInterval = time.Duration(*t.TargetIntervalSeconds) * time.Second
		}
		if len(t.Storage) > 0 {
			s.ThumbnailStorage = make([]ThumbnailStorage, len(t.Storage))
			for i, v := range t.Storage {
				s.ThumbnailStorage[i] = ThumbnailStorage(v)
			}
		}
	}
	if h := c.HlsConfiguration; h != nil && h.TargetSegmentDurationSeconds != nil {
		s.HLSSegmentDuration = time.Duration(*h.TargetSegmentDurationSeconds) * time.Second
	}
	s.ReconnectWindow = time.Duration(c.RecordingReconnectWindowSeconds) * time.Second
	s.RecordReplicas = c.RecordParticipantReplicas
	return s
}

// Config returns the Config that sends exactly s, for read-modify-write: read a stage's settings, change
// what you want with Config's With… methods, and send the result, which leaves every other field as it was.
// Every field is set explicitly (WithMediaType, WithThumbnails, WithHLSSegmentDuration,
// WithReconnectWindow, WithRecordReplicas), so the update does not depend on the service's defaults.
// s.Enabled false gives Disabled() (recording off, every other field at its default).
//
// Thumbnails whose mode is not ThumbnailsInterval come back off: ThumbnailsOff() with s's thumbnail storage
// (the model allows storage whatever the mode). Their interval is not sent, since the service refuses an
// interval unless the mode is INTERVAL, so it returns to DefaultThumbnailInterval (60 s). A stage cannot
// hold another interval with thumbnails off in practice (the service stores the default when none is
// sent), so for settings the service reported, Config().Effective() equals s.
//
// A zero field (as in a hand-built Settings: MediaType "", ThumbnailMode "", a zero HLSSegmentDuration or
// ThumbnailInterval, no ThumbnailStorage) stands for the service's default and is sent as that default.
// Other values are put in the Config as they are, RecordReplicas included (false is a value, not "unset"),
// and Config.Validate (which every client method runs) reports the invalid ones. In particular a negative
// HLSSegmentDuration, ThumbnailInterval (with ThumbnailsInterval) or ReconnectWindow is never replaced by a
// default: it fails validation, with its field path, and nothing is sent.
func (s Settings) Config() Config {
	if !s.Enabled {
		return Disabled()
	}
	media := s.MediaType
	if media == "" {
		media = DefaultMediaType
	}
	hls := s.HLSSegmentDuration
	if hls == 0 {
		hls = DefaultHLSSegmentDuration
	}
	storage := s.ThumbnailStorage
	if len(storage) == 0 {
		storage = []ThumbnailStorage{DefaultThumbnailStorage}
	}
	var thumbs Thumbnails
	if s.ThumbnailMode == ThumbnailsInterval {
		interval := s.ThumbnailInterval
		if interval == 0 {
			interval = DefaultThumbnailInterval
		}
		thumbs = ThumbnailsEvery(interval, storage...)
	} else {
		thumbs = thumbnailsOff(storage)
	}
	return New(s.StorageConfigurationARN).
		WithMediaType(media).
		WithThumbnails(thumbs).
		WithHLSSegmentDuration(hls).
		WithReconnectWindow(s.ReconnectWindow).
		WithRecordReplicas(s.RecordReplicas)
}
