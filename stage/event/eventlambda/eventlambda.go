// Package eventlambda runs an event.Processor as an AWS Lambda function (github.com/aws/aws-lambda-go):
// the target of an EventBridge rule, or the consumer of an SQS queue that is the rule's target, with
// partial batch failures.
//
//	store := eventdb.New(dynamodb.NewFromConfig(cfg), "ivs-events")   // or event.NewMemoryStore()
//	p := event.NewProcessor(store, handle)                             // handle(ctx, ev) runs once per event ID
//	lambda.Start(eventlambda.SQS(p))                                   // or eventlambda.EventBridge(p)
//
// What each outcome of Processor.Process becomes:
//
//	outcome                                        EventBridge(p) returns   SQS(p) reports the message
//	handler ran and succeeded                      nil                      as a success
//	duplicate (event.ErrDuplicate)                 nil                      as a success
//	does not parse (*event.ParseError)             nil, logged              as a success, logged: it would never parse
//	another consumer has it (event.ErrInProgress)  the error (retried)      as a batch item failure (redelivered)
//	handler failed                                 the error (retried)      as a batch item failure (redelivered)
//	Claim failed (the Store's error)               the error (retried)      as a batch item failure (redelivered)
//	handler succeeded, Done failed (Handled)       nil, logged              as a success, logged: the work is done
//
// A handler that succeeded but whose ID could not be marked done is not retried here: its work is done,
// and a retry could only run it again. (Its ID stays claimed until the lease ends; a duplicate delivered
// after that runs the handler again: delivery is at least once.) Logs go to log/slog, to slog.Default()
// unless SQSWithLogger or EventBridgeWithLogger is given a logger; they carry the message ID (SQS), the
// event ID when known and the error, never the message body.
//
// For SQS, turn on partial batch responses on the event source mapping (FunctionResponseTypes:
// ReportBatchItemFailures), or a single failure makes Lambda retry the whole batch. The SQS message body of
// an EventBridge rule's SQS target is the event JSON itself, which is what Process reads. Give the queue a
// visibility timeout above the function's timeout, and a redrive policy (dead-letter queue) for messages
// that keep failing.
package eventlambda

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"

	"github.com/aws/aws-lambda-go/events"

	"github.com/ivsrt/ivsrt/stage/event"
)

// EventBridge returns a Lambda handler for an EventBridge rule target that processes each event with p,
// logging to slog.Default(). See EventBridgeWithLogger.
func EventBridge(p *event.Processor) func(ctx context.Context, ev json.RawMessage) error {
	return EventBridgeWithLogger(p, nil)
}

// EventBridgeWithLogger is EventBridge logging to logger (slog.Default() when nil). The handler returns nil
// when the event is processed, a duplicate (event.ErrDuplicate), malformed (logged at Error: a retry would
// not parse it either), or handled but not marked done (logged at Warn); else Process's error, so that
// Lambda retries the asynchronous invocation (twice by default) and then sends it to the function's
// on-failure destination or dead-letter queue.
func EventBridgeWithLogger(p *event.Processor, logger *slog.Logger) func(ctx context.Context, ev json.RawMessage) error {
	return func(ctx context.Context, ev json.RawMessage) error {
		err := p.Process(ctx, ev)
		if retry(ctx, log(logger), err) {
			return err
		}
		return nil
	}
}

// SQS returns a Lambda handler for an SQS queue (the target of an EventBridge rule) that processes each
// message's body with p, logging to slog.Default(). See SQSWithLogger.
func SQS(p *event.Processor) func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
	return SQSWithLogger(p, nil)
}

// SQSWithLogger is SQS logging to logger (slog.Default() when nil). The handler processes the batch's
// messages one after the other, in order, and reports the ones to redeliver as BatchItemFailures
// (ItemIdentifier = MessageId), in the batch's order: the messages whose handler failed, whose ID another
// consumer holds (event.ErrInProgress) or whose claim failed. Duplicates, malformed messages (logged at
// Error with the message ID and the parse error) and messages handled but not marked done (logged at Warn)
// are successes. Once ctx has ended, the remaining messages are reported as failures without being
// processed. The returned error is always nil: failures are per message.
func SQSWithLogger(p *event.Processor, logger *slog.Logger) func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
	return func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
		var resp events.SQSEventResponse
		l := log(logger)
		for _, msg := range ev.Records {
			if ctx.Err() != nil {
				resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: msg.MessageId})
				continue
			}
			err := p.Process(ctx, []byte(msg.Body))
			if retry(ctx, l.With("message_id", msg.MessageId), err) {
				resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: msg.MessageId})
			}
		}
		return resp, nil
	}
}

func log(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.Default()
	}
	return l
}

// retry logs the outcome err of Process and reports whether the delivery should be made again.
func retry(ctx context.Context, l *slog.Logger, err error) bool {
	var parse *event.ParseError
	var pe *event.ProcessError
	switch {
	case err == nil:
		return false
	case errors.As(err, &parse):
		l.LogAttrs(ctx, slog.LevelError, "eventlambda: dropping a message that is not an IVS event (it would never parse)",
			slog.String("error", parse.Error()))
		return false
	case !errors.As(err, &pe):
		l.LogAttrs(ctx, slog.LevelError, "eventlambda: cannot process events", slog.String("error", err.Error()))
		return true
	case errors.Is(err, event.ErrDuplicate):
		l.LogAttrs(ctx, slog.LevelDebug, "eventlambda: duplicate delivery, skipped", slog.String("event_id", pe.ID))
		return false
	case pe.Handled:
		l.LogAttrs(ctx, slog.LevelWarn, "eventlambda: handled, but not marked done (a later duplicate may run it again)",
			slog.String("event_id", pe.ID), slog.String("error", err.Error()))
		return false
	case errors.Is(err, event.ErrInProgress):
		l.LogAttrs(ctx, slog.LevelInfo, "eventlambda: another consumer is processing the event; to be redelivered",
			slog.String("event_id", pe.ID))
		return true
	}
	l.LogAttrs(ctx, slog.LevelError, "eventlambda: processing failed; to be redelivered",
		slog.String("event_id", pe.ID), slog.String("error", err.Error()))
	return true
}
