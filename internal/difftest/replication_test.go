package difftest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"

	"github.com/ivsrt/ivsrt/stage"
)

// replicationCase is a StartParticipantReplication input.
type replicationCase struct {
	name string
	bad  bool // the model refuses it
	// source, destination and participantID default to the world's stage, other stage and connected
	// participant (nil).
	source, destination, participantID *string
	window                             *int32 // seconds; nil is not set
	attrs                              map[string]string
	libraryOnly                        string
}

func (c replicationCase) wire() wireCase {
	ids := func(w world) (src, dst, pid string) {
		src, dst, pid = w.stageARN, w.otherStageARN, w.participantID
		if c.source != nil {
			src = *c.source
		}
		if c.destination != nil {
			dst = *c.destination
		}
		if c.participantID != nil {
			pid = *c.participantID
		}
		return src, dst, pid
	}
	return wireCase{
		name: c.name, bad: c.bad, libraryOnly: c.libraryOnly,
		lib: func(ctx context.Context, cl libClients, w world) error {
			r := stage.NewReplication(ids(w))
			if c.window != nil {
				r = r.WithReconnectWindow(time.Duration(*c.window) * time.Second)
			}
			if c.attrs != nil {
				r = r.WithAttributes(c.attrs)
			}
			return cl.stages.StartReplication(ctx, r)
		},
		raw: func(ctx context.Context, cl *ivsrealtime.Client, w world) error {
			src, dst, pid := ids(w)
			_, err := cl.StartParticipantReplication(ctx, &ivsrealtime.StartParticipantReplicationInput{
				SourceStageArn: aws.String(src), DestinationStageArn: aws.String(dst), ParticipantId: aws.String(pid),
				ReconnectWindowSeconds: c.window, Attributes: c.attrs,
			})
			return err
		},
	}
}

func TestReplicationValidationAgreesWithTheFake(t *testing.T) {
	t.Parallel()
	attrs := func(size int) map[string]string { return map[string]string{"k": strings.Repeat("v", size-1)} }
	cases := []replicationCase{
		{name: "connected participant"},
		{name: "window 0", window: aws.Int32(0)},
		{name: "window 300", window: aws.Int32(300)},
		{name: "window 301", bad: true, window: aws.Int32(301)},
		{name: "window -1", bad: true, window: aws.Int32(-1)},
		{name: "attributes 1024 bytes", attrs: attrs(1024)},
		{name: "attributes 1025 bytes", bad: true, attrs: attrs(1025)},
		{name: "attributes 1024 bytes of é", attrs: map[string]string{"kk": strings.Repeat("é", 511)}},
		{name: "attributes 1025 bytes of é", bad: true, attrs: map[string]string{"kkk": strings.Repeat("é", 511)}},
		{name: "attributes of two entries, 1024 bytes", attrs: map[string]string{"a": strings.Repeat("v", 500), "b": strings.Repeat("v", 522)}},
		{name: "attributes of two entries, 1025 bytes", bad: true, attrs: map[string]string{"a": strings.Repeat("v", 500), "b": strings.Repeat("v", 523)}},
		{name: "attributes not UTF-8", attrs: map[string]string{"k": invalidUTF8}, libraryOnly: "invalid UTF-8"},
		{name: "unknown participant", participantID: aws.String(unknownParticipant)},
		{name: "participant ID 64", participantID: aws.String(strings.Repeat("p", 64))},
		{name: "participant ID 65", bad: true, participantID: aws.String(strings.Repeat("p", 65))},
		{name: "participant ID with _", bad: true, participantID: aws.String("self_signed")},
		{name: "participant ID with a space", bad: true, participantID: aws.String("a b")},
		{name: "participant ID empty", participantID: aws.String("")},
		{name: "destination is the source", bad: true, destination: aws.String(unknownStage), source: aws.String(unknownStage)},
		{name: "unknown destination", destination: aws.String(unknownStage)},
		{name: "source ARN 129", bad: true, source: aws.String(arn129)},
		{name: "destination ARN 129", bad: true, destination: aws.String(arn129)},
		{name: "destination ARN of a public key", bad: true, destination: aws.String("arn:aws:ivs:us-east-1:123456789012:public-key/abc")},
		{name: "everything invalid", bad: true, source: aws.String("s"), destination: aws.String("d"), participantID: aws.String("p_"),
			window: aws.Int32(301), attrs: attrs(1025)},
	}
	runTable(t, "StartParticipantReplication", cases)
}
