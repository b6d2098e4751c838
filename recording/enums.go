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

var mediaTypes = rules.NewEnum(MediaAudioVideo, MediaAudioOnly, MediaNone)

// Values lists every MediaType, in the model's order, in a new slice the caller may modify.
func (MediaType) Values() []MediaType { return mediaTypes.Values() }

// Valid reports whether m is one of Values().
func (m MediaType) Valid() bool { return mediaTypes.Has(m) }

// ThumbnailStorage says where thumbnails are kept (the model's ThumbnailStorageType). Default:
// StorageSequential. Both may be used together.
type ThumbnailStorage string

// The thumbnail storage types.
const (
	StorageSequential ThumbnailStorage = "SEQUENTIAL" // every thumbnail, in sequence (the service default)
	StorageLatest     ThumbnailStorage = "LATEST"     // only the latest thumbnail, overwritten
)

var thumbnailStorages = rules.NewEnum(StorageSequential, StorageLatest)

// Values lists every ThumbnailStorage, in the model's order, in a new slice the caller may modify.
func (ThumbnailStorage) Values() []ThumbnailStorage { return thumbnailStorages.Values() }

// Valid reports whether s is one of Values().
func (s ThumbnailStorage) Valid() bool { return thumbnailStorages.Has(s) }

// ThumbnailMode turns thumbnail recording on or off (the model's ThumbnailRecordingMode).
// Default: ThumbnailsDisabled.
type ThumbnailMode string

// The thumbnail modes.
const (
	ThumbnailsInterval ThumbnailMode = "INTERVAL" // a thumbnail every interval
	ThumbnailsDisabled ThumbnailMode = "DISABLED" // no thumbnails (the service default)
)

var thumbnailModes = rules.NewEnum(ThumbnailsInterval, ThumbnailsDisabled)

// Values lists every ThumbnailMode, in the model's order, in a new slice the caller may modify.
func (ThumbnailMode) Values() []ThumbnailMode { return thumbnailModes.Values() }

// Valid reports whether m is one of Values().
func (m ThumbnailMode) Valid() bool { return thumbnailModes.Has(m) }

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
