package stage

import (
	"context"
	"iter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/svc"
)

// EventName names a participant event (the model's EventName). The service adds names over time
// (TOKEN_EXCHANGED in 2025, which the official client v1.30.0 does not list): unknown names pass through
// as they are.
type EventName string

// The participant events of the model.
const (
	EventJoined             EventName = "JOINED"              // the participant joined the stage
	EventLeft               EventName = "LEFT"                // the participant left (or was disconnected)
	EventPublishStarted     EventName = "PUBLISH_STARTED"     // the participant started publishing
	EventPublishStopped     EventName = "PUBLISH_STOPPED"     // the participant stopped publishing
	EventSubscribeStarted   EventName = "SUBSCRIBE_STARTED"   // started subscribing to RemoteParticipantID
	EventSubscribeStopped   EventName = "SUBSCRIBE_STOPPED"   // stopped subscribing to RemoteParticipantID
	EventPublishError       EventName = "PUBLISH_ERROR"       // a publish attempt failed (ErrorCode says why)
	EventSubscribeError     EventName = "SUBSCRIBE_ERROR"     // a subscribe attempt failed (ErrorCode says why)
	EventJoinError          EventName = "JOIN_ERROR"          // a join attempt failed (ErrorCode says why)
	EventReplicationStarted EventName = "REPLICATION_STARTED" // replication to DestinationStageARN started
	EventReplicationStopped EventName = "REPLICATION_STOPPED" // replication to DestinationStageARN stopped
	EventTokenExchanged     EventName = "TOKEN_EXCHANGED"     // the participant's token was exchanged for a new one
)

var eventNames = rules.NewEnum(EventJoined, EventLeft, EventPublishStarted, EventPublishStopped,
	EventSubscribeStarted, EventSubscribeStopped, EventPublishError, EventSubscribeError, EventJoinError,
	EventReplicationStarted, EventReplicationStopped, EventTokenExchanged)

// Values lists every EventName of the model, in its order, in a new slice the caller may modify.
func (EventName) Values() []EventName { return eventNames.Values() }

// Valid reports whether n is one of Values().
func (n EventName) Valid() bool { return eventNames.Has(n) }

// ParticipantEvent is one event of a participant, as ListParticipantEvents reports it. Fields the event
// does not carry are zero.
type ParticipantEvent struct {
	// Name is what happened.
	Name EventName
	// ParticipantID is the participant the event is about.
	ParticipantID string
	// RemoteParticipantID is, for subscribe events, the publisher subscribed to ("" otherwise).
	RemoteParticipantID string
	// Time is when the event happened, in UTC (the zero time when the service omits it).
	Time time.Time
	// ErrorCode says why an error event (PUBLISH_ERROR, SUBSCRIBE_ERROR, JOIN_ERROR) happened, e.g.
	// "INSUFFICIENT_CAPABILITIES" or "QUOTA_EXCEEDED" ("" for other events).
	ErrorCode string
	// Replica reports whether the event is about a replica (for subscribe events: whether
	// RemoteParticipantID is one).
	Replica bool
	// DestinationStageARN and DestinationSessionID are where a REPLICATION_STARTED or REPLICATION_STOPPED
	// event replicates to ("" otherwise).
	DestinationStageARN, DestinationSessionID string
}

func eventFromSDK(e *types.Event) ParticipantEvent {
	return ParticipantEvent{
		Name:                 EventName(e.Name),
		ParticipantID:        aws.ToString(e.ParticipantId),
		RemoteParticipantID:  aws.ToString(e.RemoteParticipantId),
		Time:                 utc(e.EventTime),
		ErrorCode:            string(e.ErrorCode),
		Replica:              e.Replica,
		DestinationStageARN:  aws.ToString(e.DestinationStageArn),
		DestinationSessionID: aws.ToString(e.DestinationSessionId),
	}
}

// ParticipantEvents returns an iterator over the events of one participant in one session of a stage, in
// the service's order (which the service does not document: sort by Time where order matters), sending
// ListParticipantEvents requests as the iteration needs them (as List does). Read it when a participant
// cannot join or publish: JOIN_ERROR and PUBLISH_ERROR carry an ErrorCode. Not every failure is an event
// (network and token-signature errors produce none).
//
// stageARN, sessionID (st-<13 alphanumerics>, exactly 16 code points), participantID (at most 64 code points
// of letters, digits and '-') and opts (WithPageSize 1..100; no filter) are validated before the first
// request.
func (c *Client) ParticipantEvents(ctx context.Context, stageARN, sessionID, participantID string, opts ...ListOption) iter.Seq2[ParticipantEvent, error] {
	o := resolveList(opts)
	errs := smithy.InvalidParamsError{Context: listEventsInput}
	rules.StageArn.Check(&errs, fieldStageArn, stageARN)
	rules.SessionID.Check(&errs, fieldSessionID, sessionID)
	rules.ParticipantID.Check(&errs, fieldParticipantID, participantID)
	maxResults := o.check(&errs, rules.MaxResults, false, opListEvents)
	return convert(svc.Seq(opListEvents, invalid(opListEvents, errs), func(next *string) ([]types.Event, *string, error) {
		out, err := c.api.ListParticipantEvents(ctx, &ivsrealtime.ListParticipantEventsInput{
			StageArn: aws.String(stageARN), SessionId: aws.String(sessionID), ParticipantId: aws.String(participantID),
			MaxResults: maxResults, NextToken: next,
		}, c.calls.Opts...)
		if err != nil || out == nil {
			return nil, nil, err
		}
		return out.Events, out.NextToken, nil
	}), eventFromSDK)
}
