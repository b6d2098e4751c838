package composition

import (
	"math"
	"regexp"
	"time"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/recording"
)

// The service's quotas and request rates for compositions, encoder configurations and ingest
// configurations, per account and region (the user guide's service quotas page).
const (
	// RequestsPerSecond is the rate quota of each operation the Client calls (StartComposition,
	// GetComposition, ListCompositions, StopComposition and the encoder and ingest configuration
	// operations): 5 requests per second, not adjustable. The Client paces each operation at this rate
	// (WithLimiter).
	RequestsPerSecond = 5
	// CompositionsQuota is the most compositions running at once in an account and region: 20,
	// adjustable. Past it StartComposition answers *types.ServiceQuotaExceededException (HTTP 402).
	CompositionsQuota = 20
	// CompositionsPerStageQuota is the most compositions running at once on one stage: 5, adjustable.
	CompositionsPerStageQuota = 5
	// MaxDestinations is the most destinations of one composition: 2 (one channel and one S3), not
	// adjustable. Config.Validate checks it.
	MaxDestinations = 2
	// MaxDuration is the longest a composition runs: 24 hours, not adjustable; the service stops it then.
	MaxDuration = 24 * time.Hour
	// EncoderConfigurationsQuota is the most encoder configurations in an account and region: 20,
	// adjustable. Past it CreateEncoderConfiguration answers *types.ServiceQuotaExceededException.
	EncoderConfigurationsQuota = 20
	// IngestConfigurationsQuota is the most ingest configurations in an account and region: 100,
	// adjustable. Past it CreateIngestConfiguration answers *types.ServiceQuotaExceededException.
	IngestConfigurationsQuota = 100
	// CleanupDelay is how long a composition that has stopped or failed remains readable: about five
	// minutes (the user guide's word), after which GetComposition answers 404 and ListCompositions no
	// longer lists it. Keep what Start returns.
	CleanupDelay = 5 * time.Minute
)

// The model's limits on the values the builders take.
const (
	// MaxARNLength is the longest ARN of every kind the package takes (stage, composition, channel,
	// storage, encoder and ingest configuration), in code points.
	MaxARNLength = rules.ARNMaxLength
	// MaxNameLength is the longest name of a destination, an encoder configuration or an ingest
	// configuration, in code points of [a-zA-Z0-9-_]; a name may be empty.
	MaxNameLength = 128
	// MaxAttributeKeyLength is the longest attribute name a layout takes (featured, order and PiP
	// participant attributes), in code points of [a-zA-Z0-9-_].
	MaxAttributeKeyLength = 128
	// MinRequestKeyLength is the shortest key Config.WithRequestKey takes, in code points of [a-zA-Z0-9-_]
	// (the model's idempotency token).
	MinRequestKeyLength = 1
	// MaxRequestKeyLength is the longest key Config.WithRequestKey takes, in code points.
	MaxRequestKeyLength = 64
	// MaxTags is the most tags a composition, encoder or ingest configuration carries; keys are 1..128
	// code points, values at most 256.
	MaxTags = rules.TagsMax
	// MaxUserIDLength is the longest user ID of an ingest configuration, in code points.
	MaxUserIDLength = rules.UserIDMaxLength
	// MaxAttributesSize is the largest size of an ingest configuration's attributes, in bytes: the sum of
	// len(key)+len(value) over all entries.
	MaxAttributesSize = rules.AttributesMaxBytes
	// MaxEncodersPerS3 is the number of encoder configuration ARNs an S3 destination takes: exactly 1. A
	// channel destination takes at most 1.
	MaxEncodersPerS3 = 1
	// MinPageSize is the smallest page size WithPageSize takes.
	MinPageSize = rules.MaxResultsMin
	// MaxPageSize is the largest page size WithPageSize takes.
	MaxPageSize = rules.MaxResultsMax
	// DefaultPageSize is the page size of List and Encoders when WithPageSize is not given.
	DefaultPageSize = 100
	// DefaultIngestPageSize is the page size of Ingests when WithPageSize is not given.
	DefaultIngestPageSize = 50
)

// Video limits and defaults of an encoder configuration (Encoder.WithVideo).
const (
	// MinVideoWidth is the narrowest video, in pixels; a width is even.
	MinVideoWidth = 2
	// MaxVideoWidth is the widest video, in pixels (within MaxVideoPixels).
	MaxVideoWidth = 1920
	// MinVideoHeight is the lowest video, in pixels; a height is even.
	MinVideoHeight = 2
	// MaxVideoHeight is the highest video, in pixels (within MaxVideoPixels).
	MaxVideoHeight = 1920
	// MaxVideoPixels is the largest width × height: 2,073,600 (1920×1080 or 1080×1920).
	MaxVideoPixels = 2_073_600
	// MinFramerate is the lowest frame rate, in frames per second.
	MinFramerate = 1.0
	// MaxFramerate is the highest frame rate, in frames per second.
	MaxFramerate = 60.0
	// MinBitrate is the lowest bitrate, in bits per second.
	MinBitrate = 1
	// MaxBitrate is the highest bitrate, in bits per second.
	MaxBitrate = 8_500_000

	// DefaultVideoWidth is the width the service applies when WithVideo is not called.
	DefaultVideoWidth = 1280
	// DefaultVideoHeight is the height the service applies when WithVideo is not called.
	DefaultVideoHeight = 720
	// DefaultFramerate is the frame rate the service applies when WithVideo is not called.
	DefaultFramerate = 30.0
	// DefaultBitrate is the bitrate the service applies when WithVideo is not called (2,500 kbps).
	DefaultBitrate = 2_500_000
)

// Layout limits and defaults (Grid, Pip and their With… methods).
const (
	// MinGridGap is the smallest gap between tiles, in pixels. The model sets no maximum; MaxPixels is
	// the wire's.
	MinGridGap = 0
	// MinPipOffset is the smallest offset of the PiP window from its corner, in pixels.
	MinPipOffset = 0
	// MinPipWidth is the narrowest PiP window, in pixels.
	MinPipWidth = 1
	// MinPipHeight is the lowest PiP window, in pixels.
	MinPipHeight = 1
	// MaxPixels is the largest gap, offset, width or height a layout takes: math.MaxInt32, the wire's
	// limit (the model has none).
	MaxPixels = math.MaxInt32

	// DefaultGridGap is the grid layout's gap between tiles when WithGridGap is not called: 2 pixels, as
	// the user guide and the API reference document it. The model's @default trait says 0, which is why
	// the official client never sends 0; WithGridGap(0) sends it.
	DefaultGridGap = 2
	// DefaultPipGridGap is the PiP layout's gap when WithGridGap is not called: 0 (documented and in the
	// model).
	DefaultPipGridGap = 0
	// DefaultPipOffset is the PiP window's offset from its corner when WithPipOffset is not called: 0.
	DefaultPipOffset = 0
	// DefaultVideoAspectRatio is the grid's tile aspect ratio when none is set.
	DefaultVideoAspectRatio = AspectRatioVideo
	// DefaultGridFillMode is how video fills a grid tile when no fill mode is set (featured participants:
	// DefaultFeaturedFillMode).
	DefaultGridFillMode = FillModeCover
	// DefaultFeaturedFillMode is how a featured participant's video fills its tile in a grid when no fill
	// mode is set.
	DefaultFeaturedFillMode = FillModeContain
	// DefaultPipFillMode is how video fills a PiP layout's tiles when no fill mode is set.
	DefaultPipFillMode = FillModeCover
	// DefaultPipBehavior is the PiP window's behaviour when every other participant has left.
	DefaultPipBehavior = PipStatic
	// DefaultPipPosition is the PiP window's corner.
	DefaultPipPosition = PipBottomRight
)

// Composite recording limits and defaults of an S3 destination (Destination.WithThumbnails,
// Destination.WithHLSSegment).
const (
	// DefaultHLSSegmentDuration is the target HLS segment duration of a composite recording when
	// WithHLSSegment is not called: 2 s (individual participant recording's default is 6 s).
	DefaultHLSSegmentDuration = 2 * time.Second
	// MinHLSSegmentDuration is the shortest target segment duration WithHLSSegment takes (whole seconds).
	MinHLSSegmentDuration = rules.HLSSegmentMinSeconds * time.Second
	// MaxHLSSegmentDuration is the longest target segment duration WithHLSSegment takes.
	MaxHLSSegmentDuration = rules.HLSSegmentMaxSeconds * time.Second
	// DefaultThumbnailInterval is the thumbnail interval of WithThumbnails' documented default: 60 s.
	DefaultThumbnailInterval = recording.DefaultThumbnailInterval
	// MinThumbnailInterval is the shortest thumbnail interval WithThumbnails takes (whole seconds).
	MinThumbnailInterval = recording.MinThumbnailInterval
	// MaxThumbnailInterval is the longest thumbnail interval WithThumbnails takes (24 h).
	MaxThumbnailInterval = recording.MaxThumbnailInterval
	// DefaultThumbnailStorage is where thumbnails go when WithThumbnails names no storage.
	DefaultThumbnailStorage = recording.StorageSequential
)

// The model's shapes, verbatim, for the checks. Patterns are the model's; Prefix keeps a value that is no
// ARN (a stream key in the wrong argument) out of the messages.
var (
	compositionArn = arnShape("composition")
	encoderArn     = arnShape("encoder-configuration")
	channelArn     = arnShape("channel")
	ingestArn      = arnShape("ingest-configuration")
	storageArn     = rules.StorageConfigurationArn
	stageArn       = rules.StageArn
	// ingestStageArn is IngestConfigurationStageArn: "" (no stage) or a stage ARN. The model writes it with
	// doubled anchors; messages print it as the API reference does.
	ingestStageArn = rules.String{Min: 0, Max: MaxARNLength,
		Pattern: regexp.MustCompile(`^^$|^arn:aws:ivs:[a-z0-9-]+:[0-9]+:stage/[a-zA-Z0-9-]+$$`), Prefix: "arn:",
		Shown: `^$|^arn:aws:ivs:[a-z0-9-]+:[0-9]+:stage/[a-zA-Z0-9-]+$`}
	// name is DestinationConfigurationName, EncoderConfigurationName and IngestConfigurationName.
	name = rules.String{Min: 0, Max: MaxNameLength, Pattern: regexp.MustCompile(`^[a-zA-Z0-9-_]*$`)}
	// attributeKey is AttributeKey (featuredParticipantAttribute, participantOrderAttribute,
	// pipParticipantAttribute).
	attributeKey = rules.String{Min: 0, Max: MaxAttributeKeyLength, Pattern: regexp.MustCompile(`^[a-zA-Z0-9-_]*$`)}
	// requestKey is CompositionClientToken, the idempotency token a request key is checked as.
	requestKey = rules.String{Min: MinRequestKeyLength, Max: MaxRequestKeyLength, Pattern: regexp.MustCompile(`^[a-zA-Z0-9-_]*$`)}
	userID     = rules.UserID

	videoWidth        = rules.Int{Min: MinVideoWidth, Max: MaxVideoWidth}
	videoHeight       = rules.Int{Min: MinVideoHeight, Max: MaxVideoHeight}
	bitrate           = rules.Int{Min: MinBitrate, Max: MaxBitrate}
	gap               = rules.Int{Min: MinGridGap, Max: MaxPixels}
	pipOffset         = rules.Int{Min: MinPipOffset, Max: MaxPixels}
	pipWidth          = rules.Int{Min: MinPipWidth, Max: MaxPixels}
	pipHeight         = rules.Int{Min: MinPipHeight, Max: MaxPixels}
	hlsSegment        = rules.HLSSegmentSeconds
	thumbnailInterval = rules.ThumbnailIntervalSeconds
	pageSize          = rules.MaxResults
)

// thumbnailStorageMax is the most thumbnail storage values (CompositionThumbnailConfiguration.storage).
const thumbnailStorageMax = rules.ThumbnailStorageMax

func arnShape(resource string) rules.String {
	return rules.String{Min: 1, Max: MaxARNLength, Prefix: "arn:",
		Pattern: regexp.MustCompile(`^arn:aws:ivs:[a-z0-9-]+:[0-9]+:` + regexp.QuoteMeta(resource) + `/[a-zA-Z0-9-]+$`)}
}
