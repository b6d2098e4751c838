package stage

import (
	"context"
	"fmt"
	"iter"
	"maps"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"

	"github.com/ivsrt/ivsrt/internal/copymap"
	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/svc"
)

// Replication is a participant replication to start: a participant of a source stage made to appear in a
// destination stage as a replica, until StopReplication (or until the participant stops publishing and
// the reconnect window has passed). Build it with NewReplication and With… methods;
// Client.StartReplication sends it.
//
// A Replication is an immutable value: every With… returns a modified copy and copies the map it is given.
type Replication struct {
	source, destination, participantID string
	window                             time.Duration
	windowSet                          bool
	attributes                         map[string]string // never written after construction
}

// NewReplication returns a Replication of participantID (at most 64 code points of letters, digits and '-')
// from the stage sourceStageARN to the stage destinationStageARN, with the service's defaults: no
// reconnect window (0) and no extra attributes.
func NewReplication(sourceStageARN, destinationStageARN, participantID string) Replication {
	return Replication{source: sourceStageARN, destination: destinationStageARN, participantID: participantID}
}

// WithReconnectWindow sets how long the replica waits for the source participant to reconnect before the
// replication ends (reconnectWindowSeconds): whole seconds from 0 to MaxReplicationReconnectWindow (300
// s). A participant that reconnects within it reappears in both stages and the replication stays active.
// Default: not sent; the service applies 0.
func (r Replication) WithReconnectWindow(d time.Duration) Replication {
	r.window, r.windowSet = d, true
	return r
}

// WithAttributes replaces the attributes merged into the replica's token attributes (overriding equal
// keys) with a copy of attrs (nil or empty: none). At most MaxAttributesSize (1,024) bytes in total, the sum
// of len(key)+len(value), all valid UTF-8. Default: none.
func (r Replication) WithAttributes(attrs map[string]string) Replication {
	r.attributes = copymap.Replace(attrs)
	return r
}

// SourceStageARN returns the source stage's ARN.
func (r Replication) SourceStageARN() string { return r.source }

// DestinationStageARN returns the destination stage's ARN.
func (r Replication) DestinationStageARN() string { return r.destination }

// ParticipantID returns the ID of the participant to replicate.
func (r Replication) ParticipantID() string { return r.participantID }

// ReconnectWindow returns the reconnect window and whether one was set.
func (r Replication) ReconnectWindow() (time.Duration, bool) { return r.window, r.windowSet }

// Attributes returns a copy of the attributes (nil when none).
func (r Replication) Attributes() map[string]string { return maps.Clone(r.attributes) }

// Validate checks every rule before anything is sent: both stage ARNs
// (arn:aws:ivs:<region>:<account>:stage/<id>, ≤128 code points; the destination is not the source, the
// library's own check), the participant ID (at most 64 code points of
// letters, digits and '-'), the reconnect window (whole seconds, 0..300) and the attributes (≤1,024 bytes,
// UTF-8). All violations are reported at once as a smithy.InvalidParamsError with the paths
// Client.StartReplication reports, e.g. "StartParticipantReplicationInput.ReconnectWindowSeconds".
func (r Replication) Validate() error {
	_, err := r.input()
	return err
}

func (r Replication) input() (*ivsrealtime.StartParticipantReplicationInput, error) {
	errs := smithy.InvalidParamsError{Context: startReplicationInput}
	rules.StageArn.Check(&errs, fieldSourceStageArn, r.source)
	rules.StageArn.Check(&errs, fieldDestinationStageArn, r.destination)
	if r.source == r.destination && rules.StageArn.Valid(r.source) {
		errs.Add(rules.New(fieldDestinationStageArn, rules.RuleConflict,
			fmt.Sprintf("value %s is the source stage; a participant is replicated to another stage", rules.QuoteARN(r.destination))))
	}
	rules.ParticipantID.Check(&errs, fieldParticipantID, r.participantID)
	in := &ivsrealtime.StartParticipantReplicationInput{
		SourceStageArn:      aws.String(r.source),
		DestinationStageArn: aws.String(r.destination),
		ParticipantId:       aws.String(r.participantID),
		Attributes:          r.attributes,
	}
	if r.windowSet {
		secs := rules.ReplicationWindowSeconds.CheckDuration(&errs, fieldReconnectWindowSeconds, r.window, time.Second)
		in.ReconnectWindowSeconds = aws.Int32(int32(secs))
	}
	rules.CheckAttributes(&errs, fieldAttributes, r.attributes)
	if err := rules.Result(errs); err != nil {
		return nil, err
	}
	return in, nil
}

// String describes r as the calls that build it. Attribute values are not shown, only their keys.
func (r Replication) String() string {
	s := fmt.Sprintf("stage.NewReplication(%q, %q, %q)", r.source, r.destination, r.participantID)
	if r.windowSet {
		s += fmt.Sprintf(".WithReconnectWindow(%s)", r.window)
	}
	if len(r.attributes) > 0 {
		s += fmt.Sprintf(".WithAttributes(keys %q)", slices.Sorted(maps.Keys(r.attributes)))
	}
	return s
}

// Replica is one replication of a participant, as ListParticipantReplicas reports it.
type Replica struct {
	// SourceStageARN and SourceSessionID are where the participant is replicated from.
	SourceStageARN, SourceSessionID string
	// DestinationStageARN and DestinationSessionID are where the participant appears as a replica.
	DestinationStageARN, DestinationSessionID string
	// ParticipantID is the replicated participant.
	ParticipantID string
	// State is the replication's state: ReplicationActive or ReplicationStopped (the model's
	// ReplicationState; an unknown value the service may add passes through as it is).
	State ReplicationState
}

// StartReplication validates r and sends one StartParticipantReplication request: the participant, who
// must be connected to the source stage, appears in the destination stage as a replica (replication type
// REPLICA there, SOURCE at the source), and both stages' events say so. A participant can be replicated to
// at most MaxReplicationsPerParticipant (5) stages at once, which only the service checks. r is checked
// as Replication.Validate says. An unknown source or destination stage returns
// *types.ResourceNotFoundException (HTTP 404).
func (c *Client) StartReplication(ctx context.Context, r Replication) error {
	in, err := r.input()
	if err != nil {
		return rules.OperationError(opStartReplication, err)
	}
	_, err = c.api.StartParticipantReplication(ctx, in, c.calls.Opts...)
	return svc.Err(err)
}

// StopReplication validates its arguments (two stage ARNs; participantID at most 64 code points of letters,
// digits and '-') and sends one StopParticipantReplication request, which ends the replica in the
// destination stage. An unknown source or destination stage returns *types.ResourceNotFoundException (HTTP
// 404).
func (c *Client) StopReplication(ctx context.Context, sourceStageARN, destinationStageARN, participantID string) error {
	errs := smithy.InvalidParamsError{Context: stopReplicationInput}
	rules.StageArn.Check(&errs, fieldSourceStageArn, sourceStageARN)
	rules.StageArn.Check(&errs, fieldDestinationStageArn, destinationStageARN)
	rules.ParticipantID.Check(&errs, fieldParticipantID, participantID)
	if err := invalid(opStopReplication, errs); err != nil {
		return err
	}
	_, err := c.api.StopParticipantReplication(ctx, &ivsrealtime.StopParticipantReplicationInput{
		SourceStageArn: aws.String(sourceStageARN), DestinationStageArn: aws.String(destinationStageARN),
		ParticipantId: aws.String(participantID),
	}, c.calls.Opts...)
	return svc.Err(err)
}

// Replicas returns an iterator over the replications of one participant of a source stage, in the
// service's order, sending ListParticipantReplicas requests as the iteration needs them (as List does).
//
// sourceStageARN, participantID (at most 64 code points of letters, digits and '-') and opts (WithPageSize 1..50,
// MaxReplicaPageSize, the model's limit for this list; no filter) are validated before the first request.
func (c *Client) Replicas(ctx context.Context, sourceStageARN, participantID string, opts ...ListOption) iter.Seq2[Replica, error] {
	o := resolveList(opts)
	errs := smithy.InvalidParamsError{Context: listReplicasInput}
	rules.StageArn.Check(&errs, fieldSourceStageArn, sourceStageARN)
	rules.ParticipantID.Check(&errs, fieldParticipantID, participantID)
	maxResults := o.check(&errs, rules.ReplicaMaxResults, false, opListReplicas)
	return convert(svc.Seq(opListReplicas, invalid(opListReplicas, errs), func(next *string) ([]types.ParticipantReplica, *string, error) {
		out, err := c.api.ListParticipantReplicas(ctx, &ivsrealtime.ListParticipantReplicasInput{
			SourceStageArn: aws.String(sourceStageARN), ParticipantId: aws.String(participantID),
			MaxResults: maxResults, NextToken: next,
		}, c.calls.Opts...)
		if err != nil || out == nil {
			return nil, nil, err
		}
		return out.Replicas, out.NextToken, nil
	}), func(r *types.ParticipantReplica) Replica {
		return Replica{
			SourceStageARN:       aws.ToString(r.SourceStageArn),
			SourceSessionID:      aws.ToString(r.SourceSessionId),
			DestinationStageARN:  aws.ToString(r.DestinationStageArn),
			DestinationSessionID: aws.ToString(r.DestinationSessionId),
			ParticipantID:        aws.ToString(r.ParticipantId),
			State:                ReplicationState(r.ReplicationState),
		}
	})
}
