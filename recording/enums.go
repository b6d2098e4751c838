package recording

import (
	"time"

	"github.com/ivsrt/ivsrt/internal/rules"
)

// MediaType is the kind of media recorded for each participant (the model's ParticipantRecordingMediaType).
// Default: MediaAudioVideo.
type MediaType string

// The media types.
const (
	MediaAudioVideo MediaType = "AUDIO_VIDEO" // audio and video (the service default)
	MediaAudioOnly  MediaType = "AUDIO_ONLY"  // audio only
	MediaNone       MediaType = "NONE"        // no media; with thumbnails on, only thumbnails are recorded
)

// Values lists every MediaType.
func (MediaType) Values() []MediaType { return []MediaType{MediaAudioVideo, MediaAudioOnly, MediaNone} }

// Valid reports whether m is one of Values().
func (m MediaType) Valid() bool { return m == MediaAudioVideo || m == MediaAudioOnly || m == MediaNone }

// ThumbnailStorage says where thumbnails are kept (the model's ThumbnailStorageType). Default:
// StorageSequential. Both may be used together.
type ThumbnailStorage string

// The thumbnail storage types.
const (
	StorageSequential ThumbnailStorage = "SEQUENTIAL" // every thumbnail, in sequence (the service default)
	StorageLatest     ThumbnailStorage = "LATEST"     // only the latest thumbnail, overwritten
)

// Values lists every ThumbnailStorage.
func (ThumbnailStorage) Values() []ThumbnailStorage {
	return []ThumbnailStorage{StorageSequential, StorageLatest}
}

// Valid reports whether s is one of Values().
func (s ThumbnailStorage) Valid() bool { return s == StorageSequential || s == StorageLatest }

// ThumbnailMode turns thumbnail recording on or off (the model's ThumbnailRecordingMode).
// Default: ThumbnailsDisabled.
type ThumbnailMode string

// The thumbnail modes.
const (
	ThumbnailsInterval ThumbnailMode = "INTERVAL" // a thumbnail every interval
	ThumbnailsDisabled ThumbnailMode = "DISABLED" // no thumbnails (the service default)
)

// Values lists every ThumbnailMode.
func (ThumbnailMode) Values() []ThumbnailMode {
	return []ThumbnailMode{ThumbnailsInterval, ThumbnailsDisabled}
}

// The service's defaults and limits for individual participant recording. A field left unset is not sent,
// and the service applies the default.
const (
	// DefaultMediaType is the media recorded when none is set.
	DefaultMediaType = MediaAudioVideo
	// DefaultThumbnailMode is the thumbnail mode when none is set: no thumbnails.
	DefaultThumbnailMode = ThumbnailsDisabled
	// DefaultThumbnailStorage is the thumbnail storage when none is set.
	DefaultThumbnailStorage = StorageSequential
	// DefaultThumbnailInterval is the thumbnail interval when none is set (60 s).
	DefaultThumbnailInterval = rules.ThumbnailIntervalDefault * time.Second
	// MinThumbnailInterval is the shortest thumbnail interval (1 s).
	MinThumbnailInterval = rules.ThumbnailIntervalMinSecs * time.Second
	// MaxThumbnailInterval is the longest thumbnail interval (24 h, 86,400 s).
	MaxThumbnailInterval = rules.ThumbnailIntervalMaxSecs * time.Second
	// DefaultHLSSegmentDuration is the target HLS segment duration when none is set (6 s).
	DefaultHLSSegmentDuration = rules.HLSSegmentDefaultSeconds * time.Second
	// MinHLSSegmentDuration is the shortest target HLS segment duration (2 s).
	MinHLSSegmentDuration = rules.HLSSegmentMinSeconds * time.Second
	// MaxHLSSegmentDuration is the longest target HLS segment duration (10 s).
	MaxHLSSegmentDuration = rules.HLSSegmentMaxSeconds * time.Second
	// DefaultReconnectWindow is the reconnect window when none is set: 0, no merging of recordings.
	DefaultReconnectWindow = 0 * time.Second
	// MaxReconnectWindow is the longest reconnect window (300 s).
	MaxReconnectWindow = rules.ReconnectWindowMaxSeconds * time.Second
	// DefaultRecordReplicas is whether replica participants are recorded when not set (documented: true).
	DefaultRecordReplicas = true
	// MaxStorageConfigurationARNLength is the longest storage configuration ARN (128 code points).
	MaxStorageConfigurationARNLength = rules.StorageConfigurationArnMax
)
