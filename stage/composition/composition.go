package composition

import (
	"context"
	"errors"
	"iter"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"

	"github.com/ivsrt/ivsrt/internal/copymap"
	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/svc"
	"github.com/ivsrt/ivsrt/recording"
)

// Input shape names of the composition operations, as they appear in error paths.
const (
	getInput  = "GetCompositionInput"
	stopInput = "StopCompositionInput"
	listInput = "ListCompositionsInput"
)

// ErrNoComposition is the error (wrapped in *smithy.OperationError) of a StartComposition or
// GetComposition response that holds no composition.
var ErrNoComposition = errors.New("composition: the response holds no composition")

// Composition is a composition as the service reports it.
type Composition struct {
	// ARN is arn:aws:ivs:<region>:<account>:composition/<id>.
	ARN string
	// StageARN is the stage composed.
	StageARN string
	// State is the composition's state.
	State State
	// Start is when the composition started, in UTC (zero when the service did not say).
	Start time.Time
	// End is when it ended, in UTC (zero while it runs).
	End time.Time
	// Destinations are its destinations, in the service's order. From List, each holds only ID, State,
	// Start and End (ListCompositions returns summaries).
	Destinations []DestinationState
	// Tags are the composition's tags (nil when it has none). The map is the caller's.
	Tags map[string]string
}

// ID returns the last segment of the ARN, the composition's ID (an ARN without '/' is returned whole).
func (c Composition) ID() string { return rules.ResourceID(c.ARN) }

// Recordings returns the Location of each S3 destination that reports a recording prefix, in order. See
// DestinationState.Location for the bucket.
func (c Composition) Recordings() []recording.Location {
	var out []recording.Location
	for _, d := range c.Destinations {
		if d.Location.Prefix != "" {
			out = append(out, d.Location)
		}
	}
	return out
}

// DestinationState is one destination of a composition as the service reports it.
type DestinationState struct {
	// ID is the destination's ID, assigned by IVS (events name it as detail.id).
	ID string
	// Name is the name WithName gave it ("" when none).
	Name string
	// State is the destination's state: a State, StateReconnecting included.
	State State
	// Start is when the destination started, in UTC (zero when the service did not say).
	Start time.Time
	// End is when it ended, in UTC (zero while it runs).
	End time.Time
	// Location is where an S3 destination's composite recording is written: Prefix is the
	// recordingPrefix the service reports (e.g. "MNALAcH9j2EJ/s2AdaGUbvQgp/2pBRKrNgX1ff/composite"; treat it
	// as opaque). The response names no bucket: Bucket is "", and the bucket is the BucketName of the
	// storage configuration StorageConfigurationARN (recording.Client.GetStorage), which the caller sets.
	// Start returns it at once, while the composition is STARTING: keep it, since the composition is gone
	// from Get and List CleanupDelay after it ends, and no event carries the prefix. Zero for a channel.
	//
	// Under the prefix, IVS writes events/recording-started.json, then events/recording-ended.json or
	// recording-failed.json (Location.MetadataKey, read by recording.Files.Metadata), the HLS recording
	// under media/hls/ with its multivariant playlist media/hls/multivariant.m3u8 (Location.PlaylistKey),
	// and thumbnails under media/thumbnails/<width>x<height>/ and media/latest_thumbnail/<width>x<height>/
	// (ThumbnailsPrefix and LatestThumbnailKey here: recording.Location's thumbnail keys are those of
	// individual participant recordings). Read the files after the composition's Session End event.
	Location recording.Location
	// ChannelARN is the channel a channel destination broadcasts to ("" for S3, and from List).
	ChannelARN string
	// StorageConfigurationARN is the storage configuration an S3 destination records into ("" for a
	// channel, and from List).
	StorageConfigurationARN string
	// EncoderConfigurationARNs are the destination's encoder configurations (nil when none, and from List).
	EncoderConfigurationARNs []string
}

func compositionFromSDK(c *types.Composition) Composition {
	out := Composition{
		ARN:      aws.ToString(c.Arn),
		StageARN: aws.ToString(c.StageArn),
		State:    State(c.State),
		Start:    utc(c.StartTime),
		End:      utc(c.EndTime),
		Tags:     copymap.Replace(c.Tags),
	}
	if len(c.Destinations) > 0 {
		out.Destinations = make([]DestinationState, len(c.Destinations))
		for i, d := range c.Destinations {
			out.Destinations[i] = destinationFromSDK(d)
		}
	}
	return out
}

func destinationFromSDK(d types.Destination) DestinationState {
	out := DestinationState{ID: aws.ToString(d.Id), State: State(d.State), Start: utc(d.StartTime), End: utc(d.EndTime)}
	if cfg := d.Configuration; cfg != nil {
		out.Name = aws.ToString(cfg.Name)
		if ch := cfg.Channel; ch != nil {
			out.ChannelARN = aws.ToString(ch.ChannelArn)
			if ch.EncoderConfigurationArn != nil {
				out.EncoderConfigurationARNs = []string{*ch.EncoderConfigurationArn}
			}
		}
		if s3 := cfg.S3; s3 != nil {
			out.StorageConfigurationARN = aws.ToString(s3.StorageConfigurationArn)
			out.EncoderConfigurationARNs = slices.Clone(s3.EncoderConfigurationArns)
		}
	}
	if d.Detail != nil && d.Detail.S3 != nil {
		out.Location = recording.Location{Prefix: aws.ToString(d.Detail.S3.RecordingPrefix)}
	}
	return out
}

func summaryFromSDK(c types.CompositionSummary) Composition {
	out := Composition{
		ARN:      aws.ToString(c.Arn),
		StageARN: aws.ToString(c.StageArn),
		State:    State(c.State),
		Start:    utc(c.StartTime),
		End:      utc(c.EndTime),
		Tags:     copymap.Replace(c.Tags),
	}
	if len(c.Destinations) > 0 {
		out.Destinations = make([]DestinationState, len(c.Destinations))
		for i, d := range c.Destinations {
			out.Destinations[i] = DestinationState{ID: aws.ToString(d.Id), State: State(d.State), Start: utc(d.StartTime), End: utc(d.EndTime)}
		}
	}
	return out
}

// utc returns *t in UTC, the zero time for nil.
func utc(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// Start validates c and sends one StartComposition request: the stage, the layout, the destinations and
// the tags as c sets them (nothing c leaves unset is sent), with the 0 and false values of the layout
// that the official client drops (gridGap, pipOffset, omitStoppedVideo) written into the request.
//
// Without a request key (Config.WithRequestKey) the official client sends a fresh idempotency token with
// each Start call, reused by its own retries of that call; with one, the token is derived from the key, so
// a Start repeated by the caller's code starts no second composition.
//
// It returns the composition as started (State StateStarting), each S3 destination's Location (the
// recording prefix; keep it) included. The composition then runs until StopComposition, until no
// participant has published for 60 seconds, until the stage is deleted, until every destination has failed
// or for MaxDuration (24 h), and is gone from Get and List CleanupDelay after it ends. The service refuses
// a start with *types.ValidationException (HTTP 400: a channel that is broadcasting, a resource in another
// account or region), *types.ResourceNotFoundException (404: an unknown stage, channel, storage or encoder
// configuration), *types.ConflictException (409) or *types.ServiceQuotaExceededException (402: past
// CompositionsQuota or CompositionsPerStageQuota).
//
// A middleware the caller adds cannot see the zero values in the SDK input (the official client's types
// cannot hold them): they are written into the serialized request, after the SDK's serializer. A fake
// API given to NewClient sees the input as the official client would have sent it without them.
func (c *Client) Start(ctx context.Context, cfg Config) (Composition, error) {
	in, zeros, err := cfg.input()
	if err != nil {
		return Composition{}, rules.OperationError(opStart, err)
	}
	out, err := c.api.StartComposition(ctx, in, c.withMembers(zeros)...)
	return answer(opStart, out, err, func(o *ivsrealtime.StartCompositionOutput) *types.Composition { return o.Composition }, compositionFromSDK, ErrNoComposition)
}

// Get validates arn (arn:aws:ivs:<region>:<account>:composition/<id>, at most 128 code points) and sends
// one GetComposition request. A composition that is unknown, or that ended more than CleanupDelay ago,
// returns *types.ResourceNotFoundException (HTTP 404).
func (c *Client) Get(ctx context.Context, arn string) (Composition, error) {
	if err := checkARN(getInput, compositionArn, arn); err != nil {
		return Composition{}, rules.OperationError(opGet, err)
	}
	out, err := c.api.GetComposition(ctx, &ivsrealtime.GetCompositionInput{Arn: aws.String(arn)}, c.calls.Opts...)
	return answer(opGet, out, err, func(o *ivsrealtime.GetCompositionOutput) *types.Composition { return o.Composition }, compositionFromSDK, ErrNoComposition)
}

// Stop validates arn (as for Get) and sends one StopComposition request, which stops the composition
// gracefully (its destinations end, then the session) and deletes it. A composition that is already gone
// (*types.ResourceNotFoundException, HTTP 404: stopped on its own and cleaned up, or never there) is not
// an error: Stop returns nil, so stopping is safe to repeat.
func (c *Client) Stop(ctx context.Context, arn string) error {
	if err := checkARN(stopInput, compositionArn, arn); err != nil {
		return rules.OperationError(opStop, err)
	}
	_, err := c.api.StopComposition(ctx, &ivsrealtime.StopCompositionInput{Arn: aws.String(arn)}, c.calls.Opts...)
	if err != nil {
		var notFound *types.ResourceNotFoundException
		if errors.As(err, &notFound) {
			return nil
		}
	}
	return svc.Err(err)
}

// List returns an iterator over the compositions of the account in the client's region, in the service's
// order: those running and those that ended less than CleanupDelay ago. It sends ListCompositions requests
// as the iteration needs them, following nextToken, and sends no more once the caller stops. opts:
// WithPageSize (1..100), FilterStage and FilterEncoder (both may be given: the model does not limit them to
// one); FilterIngestState is a validation error. The compositions are summaries: their destinations hold
// only ID, State, Start and End (Get has the rest).
func (c *Client) List(ctx context.Context, opts ...ListOption) iter.Seq2[Composition, error] {
	o := resolveList(opts)
	errs := smithy.InvalidParamsError{Context: listInput}
	maxResults := o.maxResults(&errs)
	if o.stageSet {
		stageArn.Check(&errs, fieldFilterStage, o.stageARN)
	}
	if o.encoderSet {
		encoderArn.Check(&errs, fieldFilterEncoder, o.encoderARN)
	}
	o.refuse(&errs, "List", false, false, true)
	filterStage, filterEncoder := optional(o.stageARN, o.stageSet), optional(o.encoderARN, o.encoderSet)
	return svc.Seq(opList, invalid(opList, errs), func(next *string) ([]Composition, *string, error) {
		in := &ivsrealtime.ListCompositionsInput{
			FilterByStageArn: filterStage, FilterByEncoderConfigurationArn: filterEncoder, MaxResults: maxResults, NextToken: next,
		}
		out, err := c.api.ListCompositions(ctx, in, c.calls.Opts...)
		if err != nil || out == nil {
			return nil, nil, err
		}
		items := make([]Composition, len(out.Compositions))
		for i, s := range out.Compositions {
			items[i] = summaryFromSDK(s)
		}
		return items, out.NextToken, nil
	})
}
