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
// RecordReplicas is read as the SDK decoded it: the v1.30.0 client decodes an absent
// "recordParticipantReplicas" as false, and it cannot tell the two apart. The service returns the field
// filled in, so this matters only for hand-built inputs.
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
