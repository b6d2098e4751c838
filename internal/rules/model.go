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

	BucketNameMinLength         = 3   // S3StorageConfigurationBucketName @length min
	BucketNameMaxLength         = 63  // S3StorageConfigurationBucketName @length max
	StorageNameMaxLength        = 128 // StorageConfigurationName @length max
	StorageConfigurationsQuota  = 5   // storage configurations per account and region (adjustable)
	SessionIDLength             = 16  // StageSessionId @length min and max
	ParticipantIDMaxLength      = 64  // ParticipantId, ParticipantTokenId @length max
	DisconnectReasonMaxLength   = 128 // DisconnectParticipantReason @length max
	ReplicationWindowMaxSeconds = 300 // ReconnectWindowSeconds @range max (60 in the v1.30.0-era model)
	ReplicaMaxResultsMax        = 50  // MaxParticipantReplicaResults @range max
	ReplicationsPerParticipant  = 5   // concurrent replications per participant, not adjustable
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
	// Shown, when set, is how messages print the pattern: the model's own text where Pattern had to be
	// written otherwise for Go, or where the model's text is misleading to read (doubled anchors).
	Shown string
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
	// The model writes it with doubled anchors (`^^$|^…$$`); messages print it as the API Reference does.
	AutoRecordingStorageArn = String{Min: 0, Max: StorageConfigurationArnMax, Pattern: regexp.MustCompile(`^^$|^arn:aws:ivs:[a-z0-9-]+:[0-9]+:storage-configuration/[a-zA-Z0-9-]+$$`), Prefix: arnPrefix,
		Shown: `^$|^arn:aws:ivs:[a-z0-9-]+:[0-9]+:storage-configuration/[a-zA-Z0-9-]+$`}
	UserID          = String{Min: 0, Max: UserIDMaxLength}
	TagKey          = String{Min: 1, Max: TagKeyMaxLength}
	TagValue        = String{Min: 0, Max: TagValueMaxLength}
	PaginationToken = String{Min: 0, Max: 1024, Pattern: regexp.MustCompile(`^[a-zA-Z0-9+/=_-]*$`)}

	// StorageConfigurationArn is the ARN of a storage configuration (Get/DeleteStorageConfiguration).
	StorageConfigurationArn = String{Min: 1, Max: ARNMaxLength, Pattern: regexp.MustCompile(`^arn:aws:ivs:[a-z0-9-]+:[0-9]+:storage-configuration/[a-zA-Z0-9-]+$`), Prefix: arnPrefix}
	// BucketName is the model's S3StorageConfigurationBucketName; recording.Storage.Validate adds S3's own naming rules.
	BucketName = String{Min: BucketNameMinLength, Max: BucketNameMaxLength, Pattern: regexp.MustCompile(`^[a-z0-9-.]+$`)}
	// StorageName is StorageConfigurationName: the same traits as StageName.
	StorageName = String{Min: 0, Max: StorageNameMaxLength, Pattern: regexp.MustCompile(`^[a-zA-Z0-9-_]*$`)}
	// SessionID is StageSessionId: exactly 16 code points, st-<alphanumerics>.
	SessionID = String{Min: SessionIDLength, Max: SessionIDLength, Pattern: regexp.MustCompile(`^st-[a-zA-Z0-9]+$`)}
	// ParticipantID is the model's ParticipantId (GetParticipant, ListParticipantEvents, replication): no '_'.
	ParticipantID = String{Min: 0, Max: ParticipantIDMaxLength, Pattern: regexp.MustCompile(`^[a-zA-Z0-9-]*$`)}
	// ParticipantTokenID is the model's ParticipantTokenId (DisconnectParticipant): '_' allowed.
	ParticipantTokenID = String{Min: 0, Max: ParticipantIDMaxLength, Pattern: regexp.MustCompile(`^[a-zA-Z0-9-_]*$`)}
	// DisconnectReason is DisconnectParticipantReason: free text of at most 128 code points.
	DisconnectReason = String{Min: 0, Max: DisconnectReasonMaxLength}
	// FilterUserID is ListParticipants' filterByUserId (the model's UserId): at most 128 code points.
	FilterUserID = String{Min: 0, Max: UserIDMaxLength}
	// ResourceArn is the ARN of the tag operations. The model's pattern,
	// ^arn:aws:ivs:[a-z0-9-]+:[0-9]+:[a-z-]/[a-zA-Z0-9-]+$, has no quantifier on [a-z-] and so matches no real
	// ARN (a one-letter resource type only); this is the corrected pattern, a deliberate deviation.
	ResourceArn = String{Min: 1, Max: ARNMaxLength, Pattern: regexp.MustCompile(`^arn:aws:ivs:[a-z0-9-]+:[0-9]+:[a-z-]+/[a-zA-Z0-9-]+$`), Prefix: arnPrefix}

	TokenDurationMinutes     = Int{Min: TokenDurationMinMinutes, Max: TokenDurationMaxMinutes}
	ReconnectWindowSeconds   = Int{Min: 0, Max: ReconnectWindowMaxSeconds}
	ThumbnailIntervalSeconds = Int{Min: ThumbnailIntervalMinSecs, Max: ThumbnailIntervalMaxSecs}
	HLSSegmentSeconds        = Int{Min: HLSSegmentMinSeconds, Max: HLSSegmentMaxSeconds}
	MaxResults               = Int{Min: MaxResultsMin, Max: MaxResultsMax}
	// ReplicaMaxResults is ListParticipantReplicas' maxResults: 1..50.
	ReplicaMaxResults = Int{Min: MaxResultsMin, Max: ReplicaMaxResultsMax}
	// ReplicationWindowSeconds is StartParticipantReplication's reconnectWindowSeconds: 0..300.
	ReplicationWindowSeconds = Int{Min: 0, Max: ReplicationWindowMaxSeconds}
)
