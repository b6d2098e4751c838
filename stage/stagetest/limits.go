package stagetest

import (
	"regexp"
	"time"
)

// Identity of the fake account.
const (
	// AccountID is the AWS account that owns every resource of the fake; it appears in every ARN.
	AccountID = "123456789012"

	// Region is the region of the fake's ARNs and of the aws.Config returned by [Server.Config].
	Region = "us-east-1"
)

// Resource quotas (per account and region, as the service's).
const (
	// StagesQuota is the default number of stages that may exist at once (the service's default quota of
	// 1,000 stages per region). CreateStage past it answers HTTP 402 ServiceQuotaExceededException.
	// [WithStageQuota] changes it.
	StagesQuota = 1000

	// MaxPublicKeys is the number of public keys that may exist at once (3 per region, not adjustable).
	// ImportPublicKey past it answers HTTP 402 ServiceQuotaExceededException.
	MaxPublicKeys = 3
)

// Pagination of the List operations (ListStorageConfigurations has its own default page size: see
// [WithStorageQuota]).
const (
	// DefaultPageSize is the page size when a list request sends no maxResults.
	DefaultPageSize = 50

	// MaxPageSize is the largest maxResults a list request may send (the smallest is 1).
	MaxPageSize = 100

	// MaxNextTokenLength is the longest nextToken accepted, in characters.
	MaxNextTokenLength = 1024
)

// Participant tokens (CreateParticipantToken and CreateStage's participantTokenConfigurations).
const (
	// DefaultTokenDurationMinutes is the token duration when a request sends none (12 hours).
	DefaultTokenDurationMinutes = 720

	// MaxTokenDurationMinutes is the longest token duration accepted (14 days); the shortest is 1 minute.
	MaxTokenDurationMinutes = 20160

	// MaxUserIDLength is the longest userId accepted, in Unicode code points.
	MaxUserIDLength = 128

	// MaxAttributesSize is the largest total size of a token's attributes: the sum of len(key)+len(value)
	// over all entries, in bytes (the service documents "1 KB total" without saying how it is counted).
	MaxAttributesSize = 1024

	// MaxParticipants is the most participantTokenConfigurations one CreateStage may carry.
	MaxParticipants = 12
)

// Tags (on stages, public keys and storage configurations).
const (
	// MaxTags is the most tags a resource may carry.
	MaxTags = 50

	// MaxTagKeyLength is the longest tag key, in Unicode code points (the shortest is 1).
	MaxTagKeyLength = 128

	// MaxTagValueLength is the longest tag value, in Unicode code points (it may be empty).
	MaxTagValueLength = 256
)

// Service defaults of autoParticipantRecordingConfiguration, filled into every stage response for each
// member the last CreateStage or UpdateStage did not send.
const (
	// DefaultMediaType is the single entry of mediaTypes by default.
	DefaultMediaType = "AUDIO_VIDEO"

	// DefaultThumbnailIntervalSeconds is thumbnailConfiguration.targetIntervalSeconds by default.
	DefaultThumbnailIntervalSeconds = 60

	// DefaultThumbnailStorage is the single entry of thumbnailConfiguration.storage by default.
	DefaultThumbnailStorage = "SEQUENTIAL"

	// DefaultThumbnailRecordingMode is thumbnailConfiguration.recordingMode by default.
	DefaultThumbnailRecordingMode = "DISABLED"

	// DefaultReconnectWindowSeconds is recordingReconnectWindowSeconds by default (no merging).
	DefaultReconnectWindowSeconds = 0

	// DefaultSegmentDurationSeconds is hlsConfiguration.targetSegmentDurationSeconds by default.
	DefaultSegmentDurationSeconds = 6

	// DefaultRecordParticipantReplicas is recordParticipantReplicas by default (the documented default; the
	// model's @default says false, but the service documents and returns true).
	DefaultRecordParticipantReplicas = true
)

// Limits of the participant operations.
const (
	// MaxParticipantIDLength is the longest participantId accepted (ParticipantId, ParticipantTokenId).
	MaxParticipantIDLength = 64
	// MaxDisconnectReasonLength is the longest DisconnectParticipant reason, in code points.
	MaxDisconnectReasonLength = 128
	// SessionIDLength is the length of every stage session ID (st- and 13 alphanumerics).
	SessionIDLength = 16
)

// Participant replication limits.
const (
	// MaxReplicationsPerParticipant is how many replications of one participant may be active at once (the
	// service's quota of 5, not adjustable); one more answers HTTP 402 ServiceQuotaExceededException.
	MaxReplicationsPerParticipant = 5

	// MaxReplicationReconnectWindowSeconds is the largest StartParticipantReplication reconnectWindowSeconds.
	MaxReplicationReconnectWindowSeconds = 300

	// MaxReplicaPageSize is the largest ListParticipantReplicas maxResults (its default too).
	MaxReplicaPageSize = 50
)

// Storage configurations.
const (
	// StorageConfigurationsQuota is the default number of storage configurations that may exist at once (the
	// service's default quota of 5 per account and region). CreateStorageConfiguration past it answers HTTP
	// 402 ServiceQuotaExceededException. [WithStorageQuota] changes it.
	StorageConfigurationsQuota = 5

	// MinBucketNameLength is the shortest s3.bucketName accepted, in characters.
	MinBucketNameLength = 3

	// MaxBucketNameLength is the longest s3.bucketName accepted, in characters.
	MaxBucketNameLength = 63
)

// MaxUntagKeys is the most tag keys one UntagResource may name (the model's TagKeyList, 0..50).
const MaxUntagKeys = 50

// MaxPublishers is the most participants that may publish on one stage at once (the service's quota of 12,
// not adjustable); one more Publish fails with [ErrPublisherQuota] and a PUBLISH_ERROR event.
const MaxPublishers = 12

// Compositions (StartComposition and its quotas).
const (
	// CompositionsQuota is the number of compositions that may run at once (not yet STOPPED or FAILED: the
	// service's default quota of 20 per account and region). StartComposition past it answers HTTP 402
	// ServiceQuotaExceededException.
	CompositionsQuota = 20

	// CompositionsPerStageQuota is the number of compositions that may run at once on one stage (the
	// service's default quota of 5). StartComposition past it answers HTTP 402.
	CompositionsPerStageQuota = 5

	// MaxCompositionDestinations is the most destinations one composition may have (2, not adjustable:
	// one channel and one S3, or one of either).
	MaxCompositionDestinations = 2

	// MaxIdempotencyTokenLength is the longest idempotencyToken accepted (the shortest is 1).
	MaxIdempotencyTokenLength = 64

	// MinHLSSegmentSeconds, MaxHLSSegmentSeconds and DefaultCompositeHLSSegmentSeconds bound and default an S3
	// destination's recordingConfiguration.hlsConfiguration.targetSegmentDurationSeconds.
	MinHLSSegmentSeconds              = 2
	MaxHLSSegmentSeconds              = 10
	DefaultCompositeHLSSegmentSeconds = 2

	// MaxCompositeThumbnailIntervalSeconds is the longest thumbnailConfigurations[].targetIntervalSeconds
	// (the shortest is 1, the default [DefaultThumbnailIntervalSeconds]).
	MaxCompositeThumbnailIntervalSeconds = 86400

	// CompositionIdleTimeout is how long a composition lives with no one publishing on its stage (also
	// counted from its start): it then stops by itself, as the service's.
	CompositionIdleTimeout = 60 * time.Second

	// CompositionRetention is how long a STOPPED or FAILED composition is still returned by GetComposition
	// and ListCompositions (five minutes); then both answer as if it never existed.
	CompositionRetention = 5 * time.Minute
)

// Encoder configurations (CreateEncoderConfiguration's video and the quota).
const (
	// EncoderConfigurationsQuota is the number of encoder configurations that may exist at once (the service's
	// default quota of 20 per account and region). CreateEncoderConfiguration past it answers HTTP 402
	// ServiceQuotaExceededException.
	EncoderConfigurationsQuota = 20

	// DefaultVideoWidth, DefaultVideoHeight, DefaultVideoFramerate and DefaultVideoBitrate are an encoder
	// configuration's video when the request omits a member (1280×720, 30 fps, 2.5 Mbps).
	DefaultVideoWidth     = 1280
	DefaultVideoHeight    = 720
	DefaultVideoFramerate = 30.0
	DefaultVideoBitrate   = 2_500_000

	// MinVideoDimension and MaxVideoDimension bound video.width and video.height (each also even).
	MinVideoDimension = 2
	MaxVideoDimension = 1920

	// MaxVideoPixels is the largest width×height (1920×1080).
	MaxVideoPixels = 2_073_600

	// MinVideoFramerate and MaxVideoFramerate bound video.framerate, in frames per second.
	MinVideoFramerate = 1.0
	MaxVideoFramerate = 60.0

	// MaxVideoBitrate is the largest video.bitrate, in bits per second (the smallest is 1).
	MaxVideoBitrate = 8_500_000
)

// Ingest configurations.
const (
	// IngestConfigurationsQuota is the number of ingest configurations that may exist at once (the service's
	// default quota of 100 per account and region). CreateIngestConfiguration past it answers HTTP 402
	// ServiceQuotaExceededException.
	IngestConfigurationsQuota = 100
)

// Other limits of the model, and the shapes of generated IDs.
const (
	maxNameLength               = 128
	maxARNLength                = 128
	minThumbnailIntervalSeconds = 1
	maxThumbnailIntervalSeconds = 86400
	maxThumbnailStorage         = 2
	maxMediaTypes               = 1
	minReconnectWindowSeconds   = 0
	maxReconnectWindowSeconds   = 300
	minSegmentDurationSeconds   = 2
	maxSegmentDurationSeconds   = 10
	maxTokenCapabilities        = 2
	minTokenDurationMinutes     = 1
	minMaxResults               = 1
	idLength                    = 12 // stage and public key IDs, the last ARN segment
	participantIDLength         = 24
	endpointIDLength            = 12
	sessionIDRandomLength       = 13 // "st-" + 13 = 16 characters
)

// Enum values, in the model's order.
var (
	mediaTypeValues     = []string{"AUDIO_VIDEO", "AUDIO_ONLY", "NONE"}
	thumbnailModeValues = []string{"INTERVAL", "DISABLED"}
	thumbnailStoreVals  = []string{"SEQUENTIAL", "LATEST"}
	capabilityValues    = []string{"PUBLISH", "SUBSCRIBE"}
)

// Patterns, verbatim from the model (Smithy patterns are not implicitly anchored: MatchString).
var (
	stageNamePattern     = regexp.MustCompile(`^[a-zA-Z0-9-_]*$`)
	stageARNPattern      = regexp.MustCompile(`^arn:aws:ivs:[a-z0-9-]+:[0-9]+:stage/[a-zA-Z0-9-]+$`)
	publicKeyARNPattern  = regexp.MustCompile(`^arn:aws:ivs:[a-z0-9-]+:[0-9]+:public-key/[a-zA-Z0-9-]+$`)
	publicKeyNamePattern = regexp.MustCompile(`^[a-zA-Z0-9-_]*$`)
	recordingARNPattern  = regexp.MustCompile(`^^$|^arn:aws:ivs:[a-z0-9-]+:[0-9]+:storage-configuration/[a-zA-Z0-9-]+$$`)
	nextTokenPattern     = regexp.MustCompile(`^[a-zA-Z0-9+/=_-]*$`)
	keyMaterialPattern   = regexp.MustCompile(`-----BEGIN PUBLIC KEY-----\r?\n([a-zA-Z0-9+/=\r\n]+)\r?\n-----END PUBLIC KEY-----(\r?\n)?`)
)

// Former names of the limits above, kept so that code written against them still builds. Limits are named
// as in packages stage, token and recording: Max<Thing>, Min<Thing> and Default<Thing>, <Thing>Quota for a
// quota that can be raised, and the same name as there where those packages export the limit too.
const (
	// Deprecated: use [StagesQuota].
	MaxStages = StagesQuota
	// Deprecated: use [StorageConfigurationsQuota].
	MaxStorageConfigurations = StorageConfigurationsQuota
	// Deprecated: use [DefaultPageSize].
	DefaultMaxResults = DefaultPageSize
	// Deprecated: use [MaxPageSize].
	MaxMaxResults = MaxPageSize
	// Deprecated: use [MaxReplicaPageSize].
	MaxReplicaResults = MaxReplicaPageSize
	// Deprecated: use [MaxUserIDLength].
	MaxTokenUserIDLength = MaxUserIDLength
	// Deprecated: use [MaxAttributesSize].
	MaxTokenAttributesBytes = MaxAttributesSize
	// Deprecated: use [MaxParticipants].
	MaxTokenConfigurations = MaxParticipants
)
