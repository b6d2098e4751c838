package stagetest

import "regexp"

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
