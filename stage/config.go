package stage

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"

	"github.com/ivsrt/ivsrt/internal/copymap"
	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/token"
)

// The service's limits and defaults for stages, written once here for users and for validation.
const (
	// MaxNameLength is the longest stage name, in code points. A name may be empty and holds only
	// letters, digits, '-' and '_'.
	MaxNameLength = rules.NameMaxLength
	// MaxARNLength is the longest stage ARN, in code points (arn:aws:ivs:<region>:<account>:stage/<id>).
	MaxARNLength = rules.ARNMaxLength
	// MaxTags is the most tags a stage may carry.
	MaxTags = rules.TagsMax
	// MaxTagKeyLength is the longest tag key, in code points; a key is at least 1 code point long.
	MaxTagKeyLength = rules.TagKeyMaxLength
	// MaxTagValueLength is the longest tag value, in code points; a value may be empty.
	MaxTagValueLength = rules.TagValueMaxLength
	// MaxParticipants is the most participant token configurations one CreateStage accepts. For more
	// tokens, use token.Client.CreateMany after the stage exists.
	MaxParticipants = rules.ParticipantsMax
	// MinPageSize is the smallest page size WithPageSize accepts.
	MinPageSize = rules.MaxResultsMin
	// MaxPageSize is the largest page size WithPageSize accepts (the largest page a list returns), but for
	// Replicas (MaxReplicaPageSize).
	MaxPageSize = rules.MaxResultsMax
	// DefaultPageSize is the page size the service applies when WithPageSize is not given.
	DefaultPageSize = rules.MaxResultsDefault
	// MaxReplicaPageSize is the largest page size Replicas accepts (ListParticipantReplicas' maxResults is
	// 1..50); it is also that list's default page size.
	MaxReplicaPageSize = rules.ReplicaMaxResultsMax
	// RequestsPerSecond is the service quota of each operation of Client but the tag operations
	// (CreateStage, GetStage, UpdateStage, DeleteStage, ListStages, GetStageSession, ListStageSessions,
	// GetParticipant, ListParticipants, DisconnectParticipant, ListParticipantEvents and the three
	// replication operations): 5 requests per second per account and region, not adjustable. A throttled
	// call answers HTTP 429, which the SDK's standard retryer retries.
	RequestsPerSecond = 5
	// TagRequestsPerSecond is the service quota of TagResource, UntagResource and ListTagsForResource: 10
	// requests per second per account and region.
	TagRequestsPerSecond = 10

	// SessionIDLength is the length of a session ID (st-<13 alphanumerics>), in code points.
	SessionIDLength = rules.SessionIDLength
	// MaxParticipantIDLength is the longest participant ID, in code points.
	MaxParticipantIDLength = rules.ParticipantIDMaxLength
	// MaxUserIDLength is the longest user ID FilterUserID accepts, in code points.
	MaxUserIDLength = rules.UserIDMaxLength
	// MaxDisconnectReasonLength is the longest reason Disconnect accepts, in code points.
	MaxDisconnectReasonLength = rules.DisconnectReasonMaxLength
	// MaxReplicationReconnectWindow is the longest reconnect window of a Replication.
	MaxReplicationReconnectWindow = rules.ReplicationWindowMaxSeconds * time.Second
	// MaxAttributesSize is the largest size of a Replication's attributes, in bytes: the sum of
	// len(key)+len(value) over all entries.
	MaxAttributesSize = rules.AttributesMaxBytes
	// MaxReplicationsPerParticipant is the most stages one participant can be replicated to at once (5, a
	// service quota that cannot be raised; the service checks it, answering
	// *types.ServiceQuotaExceededException).
	MaxReplicationsPerParticipant = rules.ReplicationsPerParticipant
	// ReplicationsPerParticipant is MaxReplicationsPerParticipant.
	//
	// Deprecated: use MaxReplicationsPerParticipant (a quota that cannot be raised is a Max… constant).
	ReplicationsPerParticipant = MaxReplicationsPerParticipant
)

// Shape and field names of the SDK's input types, as they appear in validation error paths.
const (
	createInput = "CreateStageInput"
	updateInput = "UpdateStageInput"
	getInput    = "GetStageInput"
	deleteInput = "DeleteStageInput"
	listInput   = "ListStagesInput"

	getSessionInput       = "GetStageSessionInput"
	listSessionsInput     = "ListStageSessionsInput"
	getParticipantInput   = "GetParticipantInput"
	listParticipantsInput = "ListParticipantsInput"
	disconnectInput       = "DisconnectParticipantInput"
	listEventsInput       = "ListParticipantEventsInput"
	startReplicationInput = "StartParticipantReplicationInput"
	stopReplicationInput  = "StopParticipantReplicationInput"
	listReplicasInput     = "ListParticipantReplicasInput"
	tagInput              = "TagResourceInput"
	untagInput            = "UntagResourceInput"
	listTagsInput         = "ListTagsForResourceInput"
	waitInput             = "WaitRecordingIdle"

	fieldArn          = "Arn"
	fieldName         = "Name"
	fieldTags         = "Tags"
	fieldRecording    = "AutoParticipantRecordingConfiguration"
	fieldParticipants = "ParticipantTokenConfigurations"
	fieldMaxResults   = "MaxResults"

	fieldStageArn               = "StageArn"
	fieldSessionID              = "SessionId"
	fieldParticipantID          = "ParticipantId"
	fieldReason                 = "Reason"
	fieldFilterUserID           = "FilterByUserId"
	fieldFilterPublished        = "FilterByPublished"
	fieldFilterState            = "FilterByState"
	fieldFilterRecordingState   = "FilterByRecordingState"
	fieldSourceStageArn         = "SourceStageArn"
	fieldDestinationStageArn    = "DestinationStageArn"
	fieldReconnectWindowSeconds = "ReconnectWindowSeconds"
	fieldAttributes             = "Attributes"
	fieldResourceArn            = "ResourceArn"
	fieldTagKeys                = "TagKeys"
	fieldPollInterval           = "PollInterval"
)

// Config is what to create: a stage's name, tags, individual participant recording and the participants
// to issue tokens for. Build it with New and With… methods; Client.Create sends it.
//
// A Config is an immutable value: every With… returns a modified copy and copies the maps and slices it is
// given, so one Config can be shared between goroutines and used as a template. The zero Config is valid
// and equal to New(): a stage with no name, no tags, recording off and no tokens.
type Config struct {
	name    string
	nameSet bool
	tags    map[string]string // never written after construction
	rec     recording.Config
	recSet  bool
	parts   []token.Config // never written after construction
	// The recording and the participants are immutable values, so WithRecording and WithParticipants
	// validate and convert them once: Validate re-checks a part only when it is invalid (to report it),
	// and Create sends the converted forms, which are never written after construction.
	recSDK        *types.AutoParticipantRecordingConfiguration // nil when invalid
	replicasFalse bool                                         // rec asks for recordParticipantReplicas: false
	partsSDK      []types.ParticipantTokenConfiguration        // nil when any part is invalid
	partsValid    bool
	// Exactly-once creation (create_key.go).
	requestKey    string
	requestKeySet bool
	now           func() time.Time // TagCreatedAt's clock; nil: time.Now
}

// New returns an empty Config: no name, no tags, recording off (the service default), no participant
// tokens.
func New() Config { return Config{} }

// WithName sets the stage name: at most MaxNameLength (128) code points of letters, digits, '-' and '_'.
// Default: no name (the service stores "").
func (c Config) WithName(name string) Config {
	c.name, c.nameSet = name, true
	return c
}

// WithTags replaces the tags with a copy of tags (nil or empty: none). At most MaxTags (50) entries; keys
// are 1..MaxTagKeyLength (128) code points, values at most MaxTagValueLength (256). Default: no tags.
func (c Config) WithTags(tags map[string]string) Config {
	c.tags = copymap.Replace(tags)
	return c
}

// WithTag returns c with one tag added (or replaced), leaving c's own tags untouched. The limits are
// WithTags': at most MaxTags (50) tags, keys of 1..128 and values of at most 256 code points, checked by
// Validate.
func (c Config) WithTag(key, value string) Config {
	c.tags = copymap.With(c.tags, key, value)
	return c
}

// WithRecording sets individual participant recording (built with recording.New or recording.Disabled).
// It is validated with the rest of the Config, with paths under
// "CreateStageInput.AutoParticipantRecordingConfiguration"; a zero recording.Config is reported there.
// Default: no recording configuration is sent, and the service leaves recording off.
func (c Config) WithRecording(r recording.Config) Config {
	c.rec, c.recSet = r, true
	c.recSDK, c.replicasFalse = convertRecording(r)
	return c
}

// WithParticipants replaces the participant token configurations with a copy of parts: CreateStage issues
// one token for each, returned by Client.Create in the same order. At most MaxParticipants (12). Default:
// none (no tokens are issued).
func (c Config) WithParticipants(parts ...token.Config) Config {
	c.parts, c.partsSDK, c.partsValid = nil, nil, true
	if len(parts) == 0 {
		return c
	}
	c.parts = slices.Clone(parts)
	c.partsSDK = make([]types.ParticipantTokenConfiguration, len(parts))
	for i, p := range c.parts {
		var err error
		if c.partsSDK[i], err = p.ToSDK(); err != nil {
			c.partsSDK, c.partsValid = nil, false
			break
		}
	}
	return c
}

// Name returns the name set with WithName ("" when none).
func (c Config) Name() string { return c.name }

// Tags returns a copy of the tags (nil when none).
func (c Config) Tags() map[string]string { return maps.Clone(c.tags) }

// Recording returns the recording configuration and whether one was set.
func (c Config) Recording() (recording.Config, bool) { return c.rec, c.recSet }

// Participants returns a copy of the participant token configurations (nil when none).
func (c Config) Participants() []token.Config { return slices.Clone(c.parts) }

// Validate checks every rule before anything is sent: the name (≤128 code points, pattern
// ^[a-zA-Z0-9-_]*$), the tags (≤50; keys 1..128 and values ≤256 code points), the recording configuration
// (every rule of recording.Config.Validate), the participants (≤12, each valid as token.Config.Validate
// says) and a request key (1..128 code points, on `CreateStageInput.Tags["ivsrt:request-key"]`; with one,
// at most 48 tags of your own, none named TagRequestKey or TagCreatedAt). All violations are reported at once as a smithy.InvalidParamsError with the paths Client.Create
// reports, e.g. "CreateStageInput.ParticipantTokenConfigurations[3].Duration". A valid Config is checked
// without allocating.
func (c Config) Validate() error {
	errs := smithy.InvalidParamsError{Context: createInput}
	if c.nameSet {
		rules.StageName.Check(&errs, fieldName, c.name)
	}
	rules.CheckTags(&errs, fieldTags, c.tags)
	c.checkRequestKey(&errs)
	if c.recSet && c.recSDK == nil {
		rules.Nest(&errs, fieldRecording, c.rec.Validate())
	}
	if len(c.parts) > rules.ParticipantsMax {
		errs.Add(rules.New(fieldParticipants, rules.RuleLength,
			fmt.Sprintf("%d participant token configurations exceed the maximum of %d", len(c.parts), rules.ParticipantsMax)))
	}
	if !c.partsValid {
		for i, p := range c.parts {
			if err := p.Validate(); err != nil {
				rules.Nest(&errs, fieldParticipants+rules.Index(i), err)
			}
		}
	}
	return rules.Result(errs)
}

// input validates c and returns the CreateStage input and the per-call options to send it with. The input
// shares c's tags and converted parts: the SDK only reads them (API implementations must not write them).
func (c Config) input() (*ivsrealtime.CreateStageInput, []func(*ivsrealtime.Options), error) {
	if err := c.Validate(); err != nil {
		return nil, nil, err
	}
	in := &ivsrealtime.CreateStageInput{
		Tags:                                  c.tags,
		AutoParticipantRecordingConfiguration: c.recSDK,
		ParticipantTokenConfigurations:        c.partsSDK,
	}
	if c.nameSet {
		in.Name = aws.String(c.name)
	}
	if c.replicasFalse {
		return in, replicasFalseOpts, nil
	}
	return in, nil, nil
}

// String describes c as the calls that build it. Tag values are not shown, only their keys.
func (c Config) String() string {
	s := "stage.New()"
	if c.nameSet {
		s += fmt.Sprintf(".WithName(%q)", c.name)
	}
	if len(c.tags) > 0 {
		s += fmt.Sprintf(".WithTags(keys %q)", slices.Sorted(maps.Keys(c.tags)))
	}
	if c.requestKeySet {
		s += ".WithRequestKey(…)"
	}
	if c.recSet {
		s += ".WithRecording(" + c.rec.String() + ")"
	}
	if len(c.parts) > 0 {
		s += ".WithParticipants("
		for i, p := range c.parts {
			if i > 0 {
				s += ", "
			}
			s += p.String()
		}
		s += ")"
	}
	return s
}

// Update is what to change on an existing stage: its name, its recording configuration, or both. Parts
// left unset are left as they are on the stage. Build it with NewUpdate and With… methods;
// Client.Update sends it.
//
// An Update is an immutable value: every With… returns a modified copy, so one Update can be shared
// between goroutines and reused. The zero Update equals NewUpdate() and, changing nothing, is invalid.
type Update struct {
	name          string
	nameSet       bool
	rec           recording.Config
	recSet        bool
	recSDK        *types.AutoParticipantRecordingConfiguration // converted once, as Config does; nil when invalid
	replicasFalse bool
}

// NewUpdate returns an Update that changes nothing yet: add WithName and/or WithRecording.
func NewUpdate() Update { return Update{} }

// WithName sets the new stage name: at most MaxNameLength (128) code points of letters, digits, '-' and
// '_'; "" clears the name. Default: the name is left as it is.
func (u Update) WithName(name string) Update {
	u.name, u.nameSet = name, true
	return u
}

// WithRecording sets the new recording configuration. UpdateStage replaces the stage's whole recording
// object: every field r leaves unset goes back to the service's default, not to the stage's current value,
// so send the complete configuration you want (keep the recording.Config you created the stage with and
// derive from it). recording.Disabled() turns recording off and resets every recording field. The service
// refuses the change with a ConflictException (HTTP 409) while recording is active on the stage. Default:
// the recording configuration is left as it is.
func (u Update) WithRecording(r recording.Config) Update {
	u.rec, u.recSet = r, true
	u.recSDK, u.replicasFalse = convertRecording(r)
	return u
}

// Name returns the new name and whether one was set.
func (u Update) Name() (string, bool) { return u.name, u.nameSet }

// Recording returns the new recording configuration and whether one was set.
func (u Update) Recording() (recording.Config, bool) { return u.rec, u.recSet }

// Validate checks every rule before anything is sent: the Update changes something (a name or a recording
// configuration is set; otherwise the violation is reported on "UpdateStageInput.Name"), the name (≤128
// code points, pattern ^[a-zA-Z0-9-_]*$) and the recording configuration (every rule of
// recording.Config.Validate). All violations are reported at once as a smithy.InvalidParamsError with the
// paths Client.Update reports, e.g.
// "UpdateStageInput.AutoParticipantRecordingConfiguration.RecordingReconnectWindowSeconds".
func (u Update) Validate() error {
	errs := smithy.InvalidParamsError{Context: updateInput}
	u.check(&errs)
	return rules.Result(errs)
}

func (u Update) check(errs *smithy.InvalidParamsError) {
	if !u.nameSet && !u.recSet {
		errs.Add(rules.New(fieldName, rules.RuleRequired,
			"nothing to update: set a name (WithName) and/or a recording configuration (WithRecording)"))
		return
	}
	if u.nameSet {
		rules.StageName.Check(errs, fieldName, u.name)
	}
	if u.recSet && u.recSDK == nil {
		rules.Nest(errs, fieldRecording, u.rec.Validate())
	}
}

// input returns the UpdateStage input for arn after validating both, and the per-call options to send it
// with.
func (u Update) input(arn string) (*ivsrealtime.UpdateStageInput, []func(*ivsrealtime.Options), error) {
	errs := smithy.InvalidParamsError{Context: updateInput}
	rules.StageArn.Check(&errs, fieldArn, arn)
	u.check(&errs)
	if err := rules.Result(errs); err != nil {
		return nil, nil, err
	}
	in := &ivsrealtime.UpdateStageInput{Arn: aws.String(arn), AutoParticipantRecordingConfiguration: u.recSDK}
	if u.nameSet {
		in.Name = aws.String(u.name)
	}
	if u.recSet && u.replicasFalse {
		return in, replicasFalseOpts, nil
	}
	return in, nil, nil
}

// convertRecording converts r for the wire (nil when r is invalid) and reports whether it asks for
// recordParticipantReplicas: false, which the official client drops.
func convertRecording(r recording.Config) (*types.AutoParticipantRecordingConfiguration, bool) {
	sdk, err := r.ToSDK()
	if err != nil {
		return nil, false
	}
	eff := r.Effective()
	return sdk, eff.Enabled && !eff.RecordReplicas
}

// String describes u as the calls that build it.
func (u Update) String() string {
	s := "stage.NewUpdate()"
	if u.nameSet {
		s += fmt.Sprintf(".WithName(%q)", u.name)
	}
	if u.recSet {
		s += ".WithRecording(" + u.rec.String() + ")"
	}
	return s
}
