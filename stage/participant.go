package stage

import (
	"context"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/svc"
	"github.com/ivsrt/ivsrt/recording"
)

// ParticipantState is whether a participant is connected to its stage (the model's ParticipantState).
// Unknown values the service may add pass through as they are.
type ParticipantState string

// The participant states.
const (
	ParticipantConnected    ParticipantState = "CONNECTED"    // on the stage now
	ParticipantDisconnected ParticipantState = "DISCONNECTED" // left, or was disconnected
)

var participantStates = rules.NewEnum(ParticipantConnected, ParticipantDisconnected)

// Values lists every ParticipantState, in the model's order, in a new slice the caller may modify.
func (ParticipantState) Values() []ParticipantState { return participantStates.Values() }

// Valid reports whether s is one of Values().
func (s ParticipantState) Valid() bool { return participantStates.Has(s) }

func (s ParticipantState) sdk() types.ParticipantState { return types.ParticipantState(s) }

func recordingFilter(s recording.State) types.ParticipantRecordingFilterByRecordingState {
	return types.ParticipantRecordingFilterByRecordingState(s)
}

// checkParticipantFilters reports every invalid filter value and, once, more than one filter (on the
// second filter's field, naming every filter given), and writes the filters into in.
func (o *listOptions) checkParticipantFilters(errs *smithy.InvalidParamsError, in *ivsrealtime.ListParticipantsInput) {
	if set := o.filters(); len(set) > 1 {
		errs.Add(rules.New(set[1], rules.RuleConflict, fmt.Sprintf(
			"the service allows one filter per request, given %d: %s; send one and filter the rest client-side (see Client.Participants)",
			len(set), strings.Join(set, ", "))))
	}
	if o.userIDSet {
		rules.FilterUserID.Check(errs, fieldFilterUserID, o.userID)
		in.FilterByUserId = aws.String(o.userID)
	}
	in.FilterByPublished = o.published
	if o.stateSet {
		rules.CheckEnum(errs, fieldFilterState, o.state)
		in.FilterByState = o.state.sdk()
	}
	if o.recordingSet {
		if !o.recordingState.Valid() || o.recordingState == recording.StateDisabled {
			errs.Add(rules.New(fieldFilterRecordingState, rules.RuleEnum,
				fmt.Sprintf("value %s is not one of STARTING, ACTIVE, STOPPING, STOPPED, FAILED", rules.Quote(string(o.recordingState)))))
		}
		in.FilterByRecordingState = recordingFilter(o.recordingState)
	}
}

// ReplicationType is a participant's part in a replication (the model's ReplicationType): ReplicationNone
// (not replicated, the default), ReplicationSource (replicated to other stages) or ReplicationReplica (a
// replica of a participant of another stage). Unknown values pass through.
type ReplicationType string

// The replication types.
const (
	ReplicationSource  ReplicationType = "SOURCE"  // replicated from this stage to others
	ReplicationReplica ReplicationType = "REPLICA" // a replica here of a participant of another stage
	ReplicationNone    ReplicationType = "NONE"    // not replicated (the default)
)

var replicationTypes = rules.NewEnum(ReplicationSource, ReplicationReplica, ReplicationNone)

// Values lists every ReplicationType, in the model's order, in a new slice the caller may modify.
func (ReplicationType) Values() []ReplicationType { return replicationTypes.Values() }

// Valid reports whether t is one of Values().
func (t ReplicationType) Valid() bool { return replicationTypes.Has(t) }

// ReplicationState is the state of a replication (the model's ReplicationState): ReplicationActive or
// ReplicationStopped. Unknown values pass through.
type ReplicationState string

// The replication states.
const (
	ReplicationActive  ReplicationState = "ACTIVE"  // the replica is in the destination stage
	ReplicationStopped ReplicationState = "STOPPED" // the replication has ended
)

var replicationStates = rules.NewEnum(ReplicationActive, ReplicationStopped)

// Values lists every ReplicationState, in the model's order, in a new slice the caller may modify.
func (ReplicationState) Values() []ReplicationState { return replicationStates.Values() }

// Valid reports whether s is one of Values().
func (s ReplicationState) Valid() bool { return replicationStates.Has(s) }

// Participant is a participant of a stage session, as GetParticipant (every field) and ListParticipants
// (the fields marked "Participant only" are zero) report it. Output fields are taken as the service sends
// them, never checked against the model's patterns; a time the service omits is the zero time.
type Participant struct {
	// ID is the participant's ID (the token's participant ID, the "jti" of a self-signed token).
	ID string
	// UserID is the user ID of the participant's token ("" when none).
	UserID string
	// State is whether the participant is connected.
	State ParticipantState
	// FirstJoin is when the participant first joined the session, in UTC (the zero time when the service
	// omits it).
	FirstJoin time.Time
	// Published reports whether the participant ever published during the session.
	Published bool
	// Attributes are the attributes of the participant's token. Participant only: nil from Participants.
	Attributes map[string]string
	// Recording is the state of the participant's individual recording (recording.StateDisabled when the
	// stage does not record it).
	Recording recording.State
	// RecordingLocation is where the participant is recorded (recordingS3BucketName and
	// recordingS3Prefix). Participant only; zero when not recorded. Treat the prefix as opaque: the
	// service's examples disagree on whether it ends with the recording's timestamp.
	RecordingLocation recording.Location
	// Protocol is how the participant connected: "WHIP", "RTMP", "RTMPS" or "UNKNOWN". Participant only.
	Protocol string
	// Client describes the participant's network and software. Participant only.
	Client ClientInfo
	// Replication is the participant's part in a replication between stages.
	Replication ReplicationInfo
}

// ClientInfo describes a participant's network and software, as GetParticipant reports it ("" for what
// the service does not report).
type ClientInfo struct {
	// ISP is the participant's internet service provider (ispName).
	ISP string
	// OS and OSVersion are the participant's operating system and its version.
	OS, OSVersion string
	// Browser and BrowserVersion are the participant's browser and its version.
	Browser, BrowserVersion string
	// SDKVersion is the version of the IVS broadcast SDK the participant uses.
	SDKVersion string
}

// ReplicationInfo is a participant's part in a replication between stages.
type ReplicationInfo struct {
	// Type is ReplicationNone, ReplicationSource or ReplicationReplica ("" when the service omits it; the
	// service's default is NONE).
	Type ReplicationType
	// State is the replication's state ("" when the participant is not replicated).
	State ReplicationState
	// SourceStageARN and SourceSessionID are where a replica comes from (set when Type is
	// ReplicationReplica).
	SourceStageARN, SourceSessionID string
}

func participantFromSDK(p *types.Participant) Participant {
	return Participant{
		ID:         aws.ToString(p.ParticipantId),
		UserID:     aws.ToString(p.UserId),
		State:      ParticipantState(p.State),
		FirstJoin:  utc(p.FirstJoinTime),
		Published:  p.Published,
		Attributes: p.Attributes,
		Recording:  recording.State(p.RecordingState),
		RecordingLocation: recording.Location{
			Bucket: aws.ToString(p.RecordingS3BucketName),
			Prefix: aws.ToString(p.RecordingS3Prefix),
		},
		Protocol: string(p.Protocol),
		Client: ClientInfo{
			ISP:            aws.ToString(p.IspName),
			OS:             aws.ToString(p.OsName),
			OSVersion:      aws.ToString(p.OsVersion),
			Browser:        aws.ToString(p.BrowserName),
			BrowserVersion: aws.ToString(p.BrowserVersion),
			SDKVersion:     aws.ToString(p.SdkVersion),
		},
		Replication: replicationInfo(p.ReplicationType, p.ReplicationState, p.SourceStageArn, p.SourceSessionId),
	}
}

func replicationInfo(t types.ReplicationType, s types.ReplicationState, stageARN, sessionID *string) ReplicationInfo {
	return ReplicationInfo{
		Type:            ReplicationType(t),
		State:           ReplicationState(s),
		SourceStageARN:  aws.ToString(stageARN),
		SourceSessionID: aws.ToString(sessionID),
	}
}

func participantFromSummary(p *types.ParticipantSummary) Participant {
	return Participant{
		ID:          aws.ToString(p.ParticipantId),
		UserID:      aws.ToString(p.UserId),
		State:       ParticipantState(p.State),
		FirstJoin:   utc(p.FirstJoinTime),
		Published:   p.Published,
		Recording:   recording.State(p.RecordingState),
		Replication: replicationInfo(p.ReplicationType, p.ReplicationState, p.SourceStageArn, p.SourceSessionId),
	}
}

// Participants returns an iterator over the participants of one session of a stage, in the service's
// order, sending ListParticipants requests as the iteration needs them (as List does). Each participant
// carries the summary fields (ID, UserID, State, FirstJoin, Published, Recording, Replication); use
// Participant for the rest.
//
// opts may hold WithPageSize (1..100; default: not sent, the service pages by 50) and at most one
// filter: FilterUserID, FilterPublished, FilterState or FilterRecordingState (default: none). The service
// allows one filter per request ("Only one of filterByUserId, filterByPublished, filterByState, or
// filterByRecordingState can be provided per request"), so two or more are one validation error, reported
// once on the second filter's field and naming every filter given. To combine filters, send the most
// selective one and apply the others to what comes back:
//
//	// Connected publishers of user "alice": one filter sent, two applied here.
//	for p, err := range stages.Participants(ctx, arn, session, stage.FilterUserID("alice")) {
//		if err != nil {
//			return err
//		}
//		if p.State != stage.ParticipantConnected || !p.Published {
//			continue
//		}
//		// … p is a connected publisher of alice
//	}
//
// stageARN (arn:aws:ivs:<region>:<account>:stage/<id>, ≤128 code points), sessionID (st-<13
// alphanumerics>, exactly 16) and the options are validated before the first request. FirstJoin is in UTC.
func (c *Client) Participants(ctx context.Context, stageARN, sessionID string, opts ...ListOption) iter.Seq2[Participant, error] {
	o := resolveList(opts)
	errs := smithy.InvalidParamsError{Context: listParticipantsInput}
	first := ivsrealtime.ListParticipantsInput{StageArn: aws.String(stageARN), SessionId: aws.String(sessionID)}
	rules.StageArn.Check(&errs, fieldStageArn, stageARN)
	rules.SessionID.Check(&errs, fieldSessionID, sessionID)
	o.checkParticipantFilters(&errs, &first)
	first.MaxResults = o.check(&errs, rules.MaxResults, true, opListParticipants)
	return convert(svc.Seq(opListParticipants, invalid(opListParticipants, errs), func(next *string) ([]types.ParticipantSummary, *string, error) {
		in := first // a fresh input per request: the SDK and fakes may keep it
		in.NextToken = next
		out, err := c.api.ListParticipants(ctx, &in, c.calls.Opts...)
		if err != nil || out == nil {
			return nil, nil, err
		}
		return out.Participants, out.NextToken, nil
	}), participantFromSummary)
}

// Participant validates stageARN, sessionID (st-<13 alphanumerics>, exactly 16 code points) and
// participantID (at most 64 code points of letters, digits and '-': the model's ParticipantId has no '_') and
// sends one GetParticipant request. It returns every field the service reports, the token's attributes
// and where the participant is recorded included. An unknown stage, session or participant returns
// *types.ResourceNotFoundException (HTTP 404).
func (c *Client) Participant(ctx context.Context, stageARN, sessionID, participantID string) (Participant, error) {
	errs := smithy.InvalidParamsError{Context: getParticipantInput}
	rules.StageArn.Check(&errs, fieldStageArn, stageARN)
	rules.SessionID.Check(&errs, fieldSessionID, sessionID)
	rules.ParticipantID.Check(&errs, fieldParticipantID, participantID)
	if err := invalid(opGetParticipant, errs); err != nil {
		return Participant{}, err
	}
	out, err := c.api.GetParticipant(ctx, &ivsrealtime.GetParticipantInput{
		StageArn: aws.String(stageARN), SessionId: aws.String(sessionID), ParticipantId: aws.String(participantID),
	}, c.calls.Opts...)
	if err != nil {
		return Participant{}, svc.Err(err)
	}
	if out == nil || out.Participant == nil {
		return Participant{}, rules.OperationError(opGetParticipant, ErrNoParticipant)
	}
	return participantFromSDK(out.Participant), nil
}

// Disconnect validates its arguments and sends one DisconnectParticipant request: the participant is
// disconnected from the stage (state DISCONNECTED, a LEFT event) and its token can never join again; to
// let the user back, issue a new token (a new participant ID, so a new recording prefix).
//
// participantID is at most 64 code points of letters, digits, '-' and '_' (the model's ParticipantTokenId,
// which, unlike GetParticipant's ParticipantId, allows the '_' of a self-signed token's jti). reason is
// free text of at most MaxDisconnectReasonLength (128) code points; "" sends no reason. An unknown stage
// or participant returns *types.ResourceNotFoundException (HTTP 404).
func (c *Client) Disconnect(ctx context.Context, stageARN, participantID, reason string) error {
	errs := smithy.InvalidParamsError{Context: disconnectInput}
	rules.StageArn.Check(&errs, fieldStageArn, stageARN)
	rules.ParticipantTokenID.Check(&errs, fieldParticipantID, participantID)
	rules.DisconnectReason.Check(&errs, fieldReason, reason)
	if err := invalid(opDisconnect, errs); err != nil {
		return err
	}
	in := &ivsrealtime.DisconnectParticipantInput{StageArn: aws.String(stageARN), ParticipantId: aws.String(participantID)}
	if reason != "" {
		in.Reason = aws.String(reason)
	}
	_, err := c.api.DisconnectParticipant(ctx, in, c.calls.Opts...)
	return svc.Err(err)
}
