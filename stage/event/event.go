package event

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/token"
)

// Source is the source of every IVS event ("aws.ivs"). Parse refuses an event from any other source.
const Source = "aws.ivs"

// The detail-types this package decodes. Parse returns any other detail-type as an Unknown.
const (
	// TypeStageUpdate is the detail-type of participant publishing, replication and token events: StageUpdate.
	TypeStageUpdate = "IVS Stage Update"
	// TypeRecordingChange is the detail-type of individual participant recording events: Recording.
	TypeRecordingChange = "IVS Participant Recording State Change"
)

// Envelope is the EventBridge envelope every event carries. Parse fills it from the event's top-level
// members; the JSON member "version" is not kept (it is always "0").
type Envelope struct {
	// ID is the event's unique ID (a UUID) from "id". EventBridge may deliver the same event more than once:
	// deduplicate on ID. Parse refuses an event without one (absent, null or "").
	ID string
	// DetailType is "detail-type": TypeStageUpdate, TypeRecordingChange, TypeCompositionChange or a type
	// this package does not decode (Unknown). Parse refuses an event without one.
	DetailType string
	// Source is "source"; always Source in an event Parse returns.
	Source string
	// Account is the AWS account ID from "account".
	Account string
	// Region is the AWS Region from "region".
	Region string
	// Time is "time" in UTC: when the service emitted the event (whole seconds in the service's examples;
	// any RFC 3339 fraction is kept). Zero when the event has no "time".
	Time time.Time
	// Resources is "resources": for IVS Real-Time events, the ARN of the stage the event is about
	// (StageARN). Nil when the list is absent or empty.
	Resources []string
}

// StageARN returns Resources[0] when it is an IVS stage ARN (arn:<partition>:ivs:<region>:<account>:stage/<id>),
// else "". The service puts the stage's ARN there: the events' details do not repeat it.
func (e Envelope) StageARN() string {
	if len(e.Resources) == 0 || !isStageARN(e.Resources[0]) {
		return ""
	}
	return e.Resources[0]
}

// isStageARN reports whether s has the shape arn:<partition>:ivs:<region>:<account>:stage/<id>, with every
// part but the region and account present. It checks the shape only, so the placeholders of the service's
// examples (an account "aws_account_id") pass.
func isStageARN(s string) bool {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] == "" || parts[2] != "ivs" {
		return false
	}
	id, ok := strings.CutPrefix(parts[5], "stage/")
	return ok && id != "" && !strings.Contains(id, "/")
}

// Event is one IVS event: a Recording, a StageUpdate, a Composition or an Unknown, as values (never
// pointers). The set is closed; route with a type switch:
//
//	switch e := ev.(type) {
//	case event.Recording:   // IVS Participant Recording State Change
//	case event.StageUpdate: // IVS Stage Update
//	case event.Composition: // IVS Composition State Change
//	case event.Unknown:     // any other detail-type: e.DetailType, e.Detail
//	}
type Event interface {
	// Header returns the event's EventBridge envelope.
	Header() Envelope
	event() // seals the interface: only this package's types are events
}

// RecordingName is the event_name of a Recording: what happened to the recording. The service may add
// names; Parse passes an unknown one through as it is.
type RecordingName string

// The recording event names the service documents.
const (
	// RecordingStart: a publisher connected and is being recorded to S3.
	RecordingStart RecordingName = "Recording Start"
	// RecordingEnd: the publisher disconnected and every remaining file is written to S3; with a reconnect
	// window, at least that window after the publisher left. Process the recording after this event.
	RecordingEnd RecordingName = "Recording End"
	// RecordingStartFailure: the publisher connected but recording could not start (ErrorCode, Reason);
	// this stream is not recorded.
	RecordingStartFailure RecordingName = "Recording Start Failure"
	// RecordingEndFailure: recording ended with an error (ErrorCode, Reason); some files may be in S3.
	RecordingEndFailure RecordingName = "Recording End Failure"
)

var recordingNames = rules.NewEnum(RecordingStart, RecordingEnd, RecordingStartFailure, RecordingEndFailure)

// Values lists every documented RecordingName, in a new slice the caller may modify.
func (RecordingName) Values() []RecordingName { return recordingNames.Values() }

// Valid reports whether n is one of Values().
func (n RecordingName) Valid() bool { return recordingNames.Has(n) }

// Failed reports whether n is RecordingStartFailure or RecordingEndFailure.
func (n RecordingName) Failed() bool { return n == RecordingStartFailure || n == RecordingEndFailure }

// Recording is an "IVS Participant Recording State Change" event: one participant's individual recording
// started, ended or failed.
type Recording struct {
	Envelope
	// Name is detail.event_name (required).
	Name RecordingName
	// SessionID is detail.session_id, the stage session of the event. With a reconnect window it can differ
	// from the session in Location.Prefix, which is the session where the recording started.
	SessionID string
	// ParticipantID is detail.participant_id, the recorded participant.
	ParticipantID string
	// Location is where the recording is: detail.recording_s3_bucket_name and
	// detail.recording_s3_key_prefix. Zero when both are absent. Parse refuses a prefix that
	// recording.Location.Validate refuses (a ".." segment), so its key methods always give keys.
	Location recording.Location
	// Duration is detail.recording_duration_ms (Recording End and Recording End Failure); zero when absent.
	// Parse refuses a negative one, or one beyond what a time.Duration holds (about 292 years).
	Duration time.Duration
	// ErrorCode is detail.error_code of a failure, e.g. "AccessDeniedException"; "" when absent.
	ErrorCode string
	// Reason is detail.reason of a failure, e.g. "Access denied to S3 bucket. Please verify your bucket
	// policy."; "" when absent.
	Reason string
}

// Header returns r's envelope.
func (r Recording) Header() Envelope { return r.Envelope }
func (Recording) event()             {}

// StageUpdateName is the event_name of a StageUpdate. The service adds names over time (Token Exchanged
// came in 2025); Parse passes an unknown one through as it is.
type StageUpdateName string

// The stage update event names the service documents.
const (
	// ParticipantPublished: a participant began publishing. Replica, SourceStageARN and SourceSessionID say
	// whether it is a replica of a participant of another stage.
	ParticipantPublished StageUpdateName = "Participant Published"
	// ParticipantUnpublished: a participant stopped publishing.
	ParticipantUnpublished StageUpdateName = "Participant Unpublished"
	// ParticipantPublishError: a participant's attempt to publish failed (ErrorCode, e.g. "BITRATE_EXCEEDED").
	ParticipantPublishError StageUpdateName = "Participant Publish Error"
	// ParticipantReplicationStart: a replication of the participant to DestinationStageARN started.
	ParticipantReplicationStart StageUpdateName = "Participant Replication Start"
	// ParticipantReplicationEnd: a replication ended (StopParticipantReplication, or the publisher stopped
	// and its reconnect window expired).
	ParticipantReplicationEnd StageUpdateName = "Participant Replication End"
	// TokenExchanged: the participant's token was exchanged for a new one (PreviousToken, NewToken).
	TokenExchanged StageUpdateName = "Token Exchanged"
)

var stageUpdateNames = rules.NewEnum(ParticipantPublished, ParticipantUnpublished, ParticipantPublishError,
	ParticipantReplicationStart, ParticipantReplicationEnd, TokenExchanged)

// Values lists every documented StageUpdateName, in a new slice the caller may modify.
func (StageUpdateName) Values() []StageUpdateName { return stageUpdateNames.Values() }

// Valid reports whether n is one of Values().
func (n StageUpdateName) Valid() bool { return stageUpdateNames.Has(n) }

// StageUpdate is an "IVS Stage Update" event: a participant published, unpublished, failed to publish,
// started or ended a replication, or exchanged its token.
type StageUpdate struct {
	Envelope
	// Name is detail.event_name (required).
	Name StageUpdateName
	// SessionID is detail.session_id, the stage session.
	SessionID string
	// ParticipantID is detail.participant_id.
	ParticipantID string
	// UserID is detail.user_id, the user ID of the participant's token; "" when it has none.
	UserID string
	// Time is when it happened, in UTC: detail.event_time_precise when present (millisecond precision),
	// else detail.event_time (precision varies); zero when both are absent.
	Time time.Time
	// ErrorCode is detail.error_code of a Participant Publish Error, e.g. "BITRATE_EXCEEDED".
	ErrorCode string
	// Replica is detail.replica: the participant is a replica of a participant of SourceStageARN
	// (Published, Unpublished, Publish Error). False when absent.
	Replica bool
	// SourceStageARN and SourceSessionID are detail.source_stage_arn and detail.source_session_id: where a
	// replica comes from.
	SourceStageARN, SourceSessionID string
	// DestinationStageARN and DestinationSessionID are detail.destination_stage_arn and
	// detail.destination_session_id: where a replication goes (Replication Start and End).
	DestinationStageARN, DestinationSessionID string
	// PreviousToken and NewToken are detail.previous_token and detail.new_token of a Token Exchanged event;
	// nil when absent.
	PreviousToken, NewToken *TokenInfo
}

// Header returns u's envelope.
func (u StageUpdate) Header() Envelope { return u.Envelope }
func (StageUpdate) event()             {}

// TokenInfo is what a Token Exchanged event says of a participant token (never the token itself).
type TokenInfo struct {
	// Capabilities is "capabilities" (unknown values pass through); nil when absent or empty.
	Capabilities []token.Capability
	// Attributes is "attributes"; nil when absent or empty.
	Attributes map[string]string
	// UserID is "user_id".
	UserID string
	// ExpiresAt is "expiration_time" in UTC; zero when absent.
	ExpiresAt time.Time
}

// Unknown is an event of a detail-type this package does not decode, e.g. "IVS Something New".
// It is not an error: the service adds detail-types, and a consumer may route them elsewhere.
type Unknown struct {
	Envelope
	// Detail is the event's "detail" member as it arrived (a copy of the input's bytes, white space
	// included); nil when absent, the JSON text null when the event says null.
	Detail json.RawMessage
}

// Header returns u's envelope.
func (u Unknown) Header() Envelope { return u.Envelope }
func (Unknown) event()             {}
