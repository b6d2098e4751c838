package rules

import "regexp"

// The model's limits (ivs-realtime-2020-07-14, checked against aws-sdk-go-v2 service/ivsrealtime v1.30.0).
// The public packages export them as typed constants; the checks below read them from here.
const (
	TokenDurationMinMinutes     = 1     // ParticipantTokenDurationMinutes @range min
	TokenDurationMaxMinutes     = 20160 // ParticipantTokenDurationMinutes @range max (14 days)
	TokenDurationDefaultMinutes = 720   // documented default (12 hours)
	UserIDMaxLength             = 128   // ParticipantTokenUserId @length max, code points
	AttributesMaxBytes          = 1024  // documented: "1 KB total"; counted as the sum of len(key)+len(value)
	CapabilitiesMax             = 2     // ParticipantTokenCapabilities @length max
	ParticipantsMax             = 12    // ParticipantTokenConfigurations @length max

	ReconnectWindowMaxSeconds  = 300   // ParticipantRecordingReconnectWindowSeconds @range max
	ThumbnailIntervalMinSecs   = 1     // ThumbnailIntervalSeconds @range min
	ThumbnailIntervalMaxSecs   = 86400 // ThumbnailIntervalSeconds @range max
	ThumbnailIntervalDefault   = 60    // documented default
	HLSSegmentMinSeconds       = 2     // ParticipantRecordingTargetSegmentDurationSeconds @range min
	HLSSegmentMaxSeconds       = 10    // … @range max
	HLSSegmentDefaultSeconds   = 6     // … @default
	MediaTypesMax              = 1     // ParticipantRecordingMediaTypeList @length max
	ThumbnailStorageMax        = 2     // ThumbnailStorageTypeList @length max (@uniqueItems)
	StorageConfigurationArnMax = 128   // AutoParticipantRecordingStorageConfigurationArn @length max

	NameMaxLength     = 128 // StageName, PublicKeyName @length max
	ARNMaxLength      = 128 // StageArn, PublicKeyArn @length max
	TagsMax           = 50  // Tags @length max
	TagKeyMaxLength   = 128 // TagKey @length max (min 1)
	TagValueMaxLength = 256 // TagValue @length max
	MaxResultsMin     = 1   // MaxStageResults @range min
	MaxResultsMax     = 100 // MaxStageResults @range max
	MaxResultsDefault = 50  // documented default

	PublicKeysPerRegion = 3 // service quota, not adjustable
)

// String is a string shape of the model: a length range in code points and an optional pattern
// (Smithy patterns are searched, not implicitly anchored: regexp.MatchString).
type String struct {
	Min, Max int
	Pattern  *regexp.Regexp
	// Prefix, when set, is how every valid value starts ("arn:"). A rejected value that does not start
	// with it is not quoted in the error, only measured: it is not what the field holds, and may be a
	// secret handed to the wrong argument (a PEM key, a bearer token).
	Prefix string
}

// Int is an integer shape of the model with an inclusive range.
type Int struct {
	Min, Max int64
}

// arnPrefix starts every ARN.
const arnPrefix = "arn:"

// The string and integer shapes the library sends, with the model's traits verbatim.
var (
	StageArn     = String{Min: 1, Max: ARNMaxLength, Pattern: regexp.MustCompile(`^arn:aws:ivs:[a-z0-9-]+:[0-9]+:stage/[a-zA-Z0-9-]+$`), Prefix: arnPrefix}
	PublicKeyArn = String{Min: 1, Max: ARNMaxLength, Pattern: regexp.MustCompile(`^arn:aws:ivs:[a-z0-9-]+:[0-9]+:public-key/[a-zA-Z0-9-]+$`), Prefix: arnPrefix}
	StageName    = String{Min: 0, Max: NameMaxLength, Pattern: regexp.MustCompile(`^[a-zA-Z0-9-_]*$`)}
	// PublicKeyName has the same traits as StageName.
	PublicKeyName = StageName
	// AutoRecordingStorageArn allows "" (recording off) or a storage-configuration ARN.
	AutoRecordingStorageArn = String{Min: 0, Max: StorageConfigurationArnMax, Pattern: regexp.MustCompile(`^^$|^arn:aws:ivs:[a-z0-9-]+:[0-9]+:storage-configuration/[a-zA-Z0-9-]+$$`), Prefix: arnPrefix}
	UserID                  = String{Min: 0, Max: UserIDMaxLength}
	TagKey                  = String{Min: 1, Max: TagKeyMaxLength}
	TagValue                = String{Min: 0, Max: TagValueMaxLength}
	PaginationToken         = String{Min: 0, Max: 1024, Pattern: regexp.MustCompile(`^[a-zA-Z0-9+/=_-]*$`)}

	TokenDurationMinutes     = Int{Min: TokenDurationMinMinutes, Max: TokenDurationMaxMinutes}
	ReconnectWindowSeconds   = Int{Min: 0, Max: ReconnectWindowMaxSeconds}
	ThumbnailIntervalSeconds = Int{Min: ThumbnailIntervalMinSecs, Max: ThumbnailIntervalMaxSecs}
	HLSSegmentSeconds        = Int{Min: HLSSegmentMinSeconds, Max: HLSSegmentMaxSeconds}
	MaxResults               = Int{Min: MaxResultsMin, Max: MaxResultsMax}
)
