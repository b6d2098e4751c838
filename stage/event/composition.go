package event

import "github.com/ivsrt/ivsrt/internal/rules"

// TypeCompositionChange is the detail-type of server-side composition events: Composition.
const TypeCompositionChange = "IVS Composition State Change"

// CompositionName is the event_name of a Composition. The service may add names; Parse passes an unknown
// one through as it is.
type CompositionName string

// The composition event names the user guide documents.
const (
	// CompositionSessionStart: IVS started the composition.
	CompositionSessionStart CompositionName = "Session Start"
	// CompositionSessionEnd: the composition ended (StopComposition, its stage idle for 60 s, or every
	// destination ended) after its Destination End events. Process its S3 recordings after this event.
	CompositionSessionEnd CompositionName = "Session End"
	// CompositionSessionFailure: the composition failed (ErrorCode: StageDeleted, DestinationFailure,
	// InternalServerException; Reason).
	CompositionSessionFailure CompositionName = "Session Failure"
	// CompositionDestinationStart: output to destination DestinationID started.
	CompositionDestinationStart CompositionName = "Destination Start"
	// CompositionDestinationEnd: output to destination DestinationID ended.
	CompositionDestinationEnd CompositionName = "Destination End"
	// CompositionDestinationFailure: output to DestinationID failed for good (ErrorCode, e.g.
	// ResourceNotFoundException for a missing bucket; Reason).
	CompositionDestinationFailure CompositionName = "Destination Failure"
	// CompositionDestinationReconnecting: output to DestinationID was interrupted; IVS is reconnecting.
	CompositionDestinationReconnecting CompositionName = "Destination Reconnecting"
)

var compositionNames = rules.NewEnum(CompositionSessionStart, CompositionSessionEnd, CompositionSessionFailure,
	CompositionDestinationStart, CompositionDestinationEnd, CompositionDestinationFailure,
	CompositionDestinationReconnecting)

// Values lists every documented CompositionName, in a new slice the caller may modify.
func (CompositionName) Values() []CompositionName { return compositionNames.Values() }

// Valid reports whether n is one of Values().
func (n CompositionName) Valid() bool { return compositionNames.Has(n) }

// Failed reports whether n is CompositionSessionFailure or CompositionDestinationFailure.
func (n CompositionName) Failed() bool {
	return n == CompositionSessionFailure || n == CompositionDestinationFailure
}

// Composition is an "IVS Composition State Change" event: a server-side composition, or one of its
// destinations, started, ended, failed or is reconnecting. Its envelope's Resources[0] is the composition's
// ARN, not a stage's, so Envelope.StageARN returns "": the stage is StageARN. No composition event carries
// an S3 location: keep the recordingPrefix StartComposition returned. A Tracker ignores these events (it
// tracks participants); a Processor handles them like any other event (deduplicated on ID).
type Composition struct {
	Envelope
	// Name is detail.event_name (required).
	Name CompositionName
	// CompositionARN is Resources[0], the composition the event is about; "" when resources is empty.
	CompositionARN string
	// StageARN is detail.stage_arn, the composed stage.
	StageARN string
	// DestinationID is detail.id of a Destination event: the destination's ID, as in GetComposition's
	// destinations[].id; "" for Session events.
	DestinationID string
	// ErrorCode is detail.error_code of a failure, e.g. "StageDeleted"; "" when absent.
	ErrorCode string
	// Reason is detail.reason of a failure; "" when absent.
	Reason string
}

// Header returns c's envelope.
func (c Composition) Header() Envelope { return c.Envelope }
func (Composition) event()             {}

func compositionEvent(env Envelope, d *wireDetail) (Event, error) {
	c := Composition{
		Envelope:      env,
		Name:          CompositionName(d.EventName),
		StageARN:      d.StageARN,
		DestinationID: d.DestinationID,
		ErrorCode:     d.ErrorCode,
		Reason:        d.Reason,
	}
	if len(env.Resources) > 0 {
		c.CompositionARN = env.Resources[0]
	}
	return c, nil
}

// MarshalJSON encodes c as the EventBridge event the service sends ("version" "0", "source" Source,
// "detail-type" TypeCompositionChange whatever c.Source and c.DetailType hold; resources is
// [c.CompositionARN] when Resources is empty), so that Parse reads back c. It is meant for tests of event
// consumers. Give the event an ID: Parse refuses one without.
func (c Composition) MarshalJSON() ([]byte, error) {
	env := c.Envelope
	if len(env.Resources) == 0 && c.CompositionARN != "" {
		env.Resources = []string{c.CompositionARN}
	}
	return marshalEvent(env, TypeCompositionChange, &wireDetail{
		EventName:     string(c.Name),
		StageARN:      c.StageARN,
		DestinationID: c.DestinationID,
		ErrorCode:     c.ErrorCode,
		Reason:        c.Reason,
	})
}
