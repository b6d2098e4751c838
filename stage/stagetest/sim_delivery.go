package stagetest

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// What [Server.SQSMessages] writes in the messages it delivers.
const (
	// SQSQueueARN is the eventSourceARN of every message: the standard queue the EventBridge rule targets.
	SQSQueueARN = "arn:aws:sqs:" + Region + ":" + AccountID + ":ivs-events"
	// SQSSenderID is the SenderId attribute of every message, a placeholder in the shape of the IAM ID SQS
	// reports for the sender (the Lambda developer guide's example value); EventBridge sends on the rule's
	// behalf, and the real value is not documented.
	SQSSenderID = "AIDAIENQZJOLO23YVJ4VO"
	// DeliveryGroup is the size of the groups of events [WithEventDelivery] plays with: one event of each
	// group of three (in the order sent) is delivered twice, and each group's deliveries are reordered.
	DeliveryGroup = 3
)

// deliverySeed makes every server's deliveries the same: a plan depends only on the events' positions.
const deliverySeed = 0x1f5_e7e47

// delivery is how [Server.SQSMessages] plays EventBridge's delivery (set by [WithEventDelivery]).
type delivery struct {
	duplicates, reorder bool
}

// WithEventDelivery makes [Server.SQSMessages] deliver the events as EventBridge does at its worst, and
// deterministically: the same events (by position) always give the same deliveries, run after run.
// The events are taken in groups of [DeliveryGroup] (three) in the order sent, the last group possibly
// smaller. With duplicates, one event of each group, chosen by a fixed-seed generator, is delivered twice
// (two SQS messages, each with its own MessageId, the same body), so at least one event in every three is
// delivered twice. With reorder, each group's deliveries come in a shuffled order that is never the order
// sent (newest first, a duplicate before its original, ...); events never move out of their group. Default:
// every event delivered once, in the order sent.
func WithEventDelivery(duplicates, reorder bool) Option {
	return func(o *options) {
		o.delivery = delivery{duplicates: duplicates, reorder: reorder}
	}
}

// SQSMessages returns every EventBridge event the server has sent so far ([Server.Events]) as the records
// a Lambda function reading a standard SQS queue (the target of an EventBridge rule) receives: Body is the
// event JSON itself, MessageId a UUID, ReceiptHandle an opaque string, Md5OfBody the hex MD5 of Body,
// Attributes ApproximateReceiveCount "1", SentTimestamp and ApproximateFirstReceiveTimestamp (the event's
// time in Unix milliseconds, on the server's clock) and SenderId [SQSSenderID], MessageAttributes empty
// (EventBridge sets none; Md5OfMessageAttributes ""), EventSource "aws:sqs", EventSourceARN [SQSQueueARN]
// and AWSRegion [Region].
//
// By default each event is one message, in the order sent; [WithEventDelivery] adds duplicates and
// reordering. MessageIds and receipt handles are the same run after run (derived from positions, not
// random), and a full group's deliveries do not change as later events arrive; the last, incomplete group
// may be played differently once it fills. The result is a new slice the caller may modify.
func (s *Server) SQSMessages() []events.SQSMessage {
	evs := s.Events()
	var out []events.SQSMessage
	for first := 0; first < len(evs); first += DeliveryGroup {
		group := evs[first:min(first+DeliveryGroup, len(evs))]
		rng := rand.New(rand.NewPCG(deliverySeed, uint64(first/DeliveryGroup)))
		order := make([]int, len(group)) // indexes into group, one per delivery
		for i := range group {
			order[i] = i
		}
		if s.delivery.duplicates {
			dup := rng.IntN(len(group))
			order = slices.Insert(order, dup+1, dup)
		}
		if s.delivery.reorder && len(order) > 1 {
			sent := slices.Clone(order)
			rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
			if slices.Equal(order, sent) {
				// Never the order sent: the newest first.
				order = append(order[len(order)-1:], order[:len(order)-1]...)
			}
		}
		for _, i := range order {
			out = append(out, sqsMessage(group[i], rng))
		}
	}
	return out
}

// sqsMessage is one delivery of body, with IDs drawn from rng.
func sqsMessage(body []byte, rng *rand.Rand) events.SQSMessage {
	id := uuidFrom(rng)
	sum := md5.Sum(body)
	sent := strconv.FormatInt(eventTime(body).UnixMilli(), 10)
	return events.SQSMessage{
		MessageId:     id,
		ReceiptHandle: "AQEB" + base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "stagetest/%s/%016x", id, rng.Uint64())),
		Body:          string(body),
		Md5OfBody:     hex.EncodeToString(sum[:]),
		Attributes: map[string]string{
			"ApproximateReceiveCount":          "1",
			"SentTimestamp":                    sent,
			"SenderId":                         SQSSenderID,
			"ApproximateFirstReceiveTimestamp": sent,
		},
		MessageAttributes: map[string]events.SQSMessageAttribute{},
		EventSourceARN:    SQSQueueARN,
		EventSource:       "aws:sqs",
		AWSRegion:         Region,
	}
}

// uuidFrom returns a version 4 UUID made of rng's bits.
func uuidFrom(rng *rand.Rand) string {
	var b [16]byte
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// eventTime reads the "time" of an event the server emitted (the zero time if it cannot, which does not
// happen: emit writes RFC 3339).
func eventTime(body []byte) time.Time {
	var e struct {
		Time time.Time `json:"time"`
	}
	_ = json.Unmarshal(body, &e)
	return e.Time
}
