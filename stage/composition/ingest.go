package composition

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"

	"github.com/ivsrt/ivsrt/internal/copymap"
	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/secret"
	"github.com/ivsrt/ivsrt/internal/svc"
	"github.com/ivsrt/ivsrt/internal/wire"
)

// Shape and field names of the ingest configuration inputs, as they appear in error paths.
const (
	createIngestInput = "CreateIngestConfigurationInput"
	getIngestInput    = "GetIngestConfigurationInput"
	updateIngestInput = "UpdateIngestConfigurationInput"
	deleteIngestInput = "DeleteIngestConfigurationInput"
	listIngestsInput  = "ListIngestConfigurationsInput"
	fieldProtocol     = "IngestProtocol"
	fieldInsecure     = "InsecureIngest"
	fieldUserID       = "UserId"
	fieldAttributes   = "Attributes"
	insecureJSON      = "insecureIngest"
)

// Redacted stands in for a stream key wherever an IngestConfiguration is printed, logged or encoded.
const Redacted = secret.Redacted

// ErrNoIngest is the error (wrapped in *smithy.OperationError) of a CreateIngestConfiguration,
// GetIngestConfiguration or UpdateIngestConfiguration response that holds no ingest configuration.
var ErrNoIngest = errors.New("composition: the response holds no ingest configuration")

// Ingest is an ingest configuration to create (CreateIngestConfiguration): a publisher that sends RTMP or
// RTMPS into a stage (an encoder such as OBS) instead of WebRTC. Build it with NewIngest and With…
// methods; Client.CreateIngest sends it and returns the stream key.
//
// An Ingest is an immutable value: every With… returns a modified copy and copies the maps it is given.
// Nothing it leaves unset is sent. The zero Ingest has no protocol and is invalid.
type Ingest struct {
	stageARN    string
	protocol    IngestProtocol
	name        string
	nameSet     bool
	userID      string
	userIDSet   bool
	attrs       map[string]string // never written after construction
	insecure    bool
	insecureSet bool
	tags        map[string]string // never written after construction
}

// NewIngest returns an Ingest into the stage stageARN (arn:aws:ivs:<region>:<account>:stage/<id>, at most
// 128 code points; "" for none yet: UpdateIngest attaches it later) over protocol (RTMP or RTMPS; RTMP
// needs WithInsecure(true)).
func NewIngest(stageARN string, protocol IngestProtocol) Ingest {
	return Ingest{stageARN: stageARN, protocol: protocol}
}

// WithName sets the name: at most MaxNameLength (128) code points of [a-zA-Z0-9-_]. Default: none.
func (in Ingest) WithName(name string) Ingest {
	in.name, in.nameSet = name, true
	return in
}

// WithUserID sets the user ID of the participant that publishes through the configuration: at most
// MaxUserIDLength (128) code points of any UTF-8, visible to every participant of the stage (no personal
// data). Default: none.
func (in Ingest) WithUserID(userID string) Ingest {
	in.userID, in.userIDSet = userID, true
	return in
}

// WithAttributes replaces the participant's attributes with a copy of attrs (nil or empty: none): at most
// MaxAttributesSize (1,024) bytes of keys and values together, visible to every participant of the stage.
// Default: none.
func (in Ingest) WithAttributes(attrs map[string]string) Ingest {
	in.attrs = copymap.Replace(attrs)
	return in
}

// WithInsecure sets insecureIngest: whether the stage accepts the stream over plain RTMP. The service
// requires true with RTMP. Default: false. WithInsecure(false) is sent as "insecureIngest": false.
func (in Ingest) WithInsecure(insecure bool) Ingest {
	in.insecure, in.insecureSet = insecure, true
	return in
}

// WithTags replaces the tags with a copy of tags (nil or empty: none): at most MaxTags (50), keys of 1 to
// 128 code points, values of at most 256. Default: no tags.
func (in Ingest) WithTags(tags map[string]string) Ingest {
	in.tags = copymap.Replace(tags)
	return in
}

// WithTag returns in with one tag added (or replaced), leaving in's own tags untouched.
func (in Ingest) WithTag(key, value string) Ingest {
	in.tags = copymap.With(in.tags, key, value)
	return in
}

// Validate checks every rule: the model's (the stage ARN, "" or a stage's; the protocol, RTMP or RTMPS;
// the name; the user ID at most 128 code points; the tags), the documented ones (RTMP requires
// WithInsecure(true); attributes at most 1,024 bytes) and valid UTF-8 everywhere. All violations are
// reported at once as a smithy.InvalidParamsError with the paths Client.CreateIngest reports, e.g.
// "CreateIngestConfigurationInput.InsecureIngest". A valid Ingest is checked without allocating.
func (in Ingest) Validate() error {
	errs := smithy.InvalidParamsError{Context: createIngestInput}
	ingestStageArn.Check(&errs, fieldStageArn, in.stageARN)
	rules.CheckEnum(&errs, fieldProtocol, in.protocol)
	if in.protocol == RTMP && !in.insecure {
		errs.Add(rules.New(fieldInsecure, rules.RuleConflict, "ingest protocol RTMP requires insecureIngest true: add WithInsecure(true), or use RTMPS"))
	}
	if in.nameSet {
		name.Check(&errs, fieldName, in.name)
	}
	if in.userIDSet {
		userID.Check(&errs, fieldUserID, in.userID)
	}
	rules.CheckAttributes(&errs, fieldAttributes, in.attrs)
	rules.CheckTags(&errs, fieldTags, in.tags)
	return rules.Result(errs)
}

// input validates in and returns the CreateIngestConfiguration input and the members the official client
// would drop. It shares in's maps.
func (in Ingest) input() (*ivsrealtime.CreateIngestConfigurationInput, []wire.Member, error) {
	if err := in.Validate(); err != nil {
		return nil, nil, err
	}
	out := &ivsrealtime.CreateIngestConfigurationInput{
		IngestProtocol: types.IngestProtocol(in.protocol),
		StageArn:       optional(in.stageARN, in.stageARN != ""),
		Name:           optional(in.name, in.nameSet),
		UserId:         optional(in.userID, in.userIDSet),
		Attributes:     in.attrs,
		InsecureIngest: in.insecure,
		Tags:           in.tags,
	}
	if in.insecureSet && !in.insecure {
		return out, []wire.Member{{Path: []string{insecureJSON}, Value: "false"}}, nil
	}
	return out, nil, nil
}

// String describes in as the calls that build it. Attribute and tag values are not shown, only their keys.
func (in Ingest) String() string {
	s := fmt.Sprintf("composition.NewIngest(%q, %s)", in.stageARN, in.protocol)
	if in.nameSet {
		s += fmt.Sprintf(".WithName(%q)", in.name)
	}
	if in.userIDSet {
		s += fmt.Sprintf(".WithUserID(%q)", in.userID)
	}
	if len(in.attrs) > 0 {
		s += fmt.Sprintf(".WithAttributes(keys %q)", slices.Sorted(maps.Keys(in.attrs)))
	}
	if in.insecureSet {
		s += fmt.Sprintf(".WithInsecure(%t)", in.insecure)
	}
	if len(in.tags) > 0 {
		s += fmt.Sprintf(".WithTags(keys %q)", slices.Sorted(maps.Keys(in.tags)))
	}
	return s
}

// IngestConfiguration is an ingest configuration as the service reports it.
//
// Its stream key is a secret, like a participant token: whoever has it can publish into the stage. It is
// reached only through StreamKey; fmt (every verb), String, GoString, slog (LogValue) and JSON
// (MarshalJSON) show Redacted in its place, and no error of this library contains it. As with token.Token,
// dumpers that follow pointers by reflection (go-spew, testify's failure messages) can still reach it.
type IngestConfiguration struct {
	// ARN is arn:aws:ivs:<region>:<account>:ingest-configuration/<id>.
	ARN string
	// Name is its name ("" when none).
	Name string
	// StageARN is the stage it publishes into ("" when it is attached to none).
	StageARN string
	// ParticipantID is the ID of the participant that publishes through it.
	ParticipantID string
	// UserID is the participant's user ID ("" when none).
	UserID string
	// Protocol is RTMP or RTMPS.
	Protocol IngestProtocol
	// State is IngestActive while a publisher sends through it.
	State IngestState
	// Attributes are the participant's attributes (nil when none, and from Ingests).
	Attributes map[string]string
	// Tags are its tags (nil when none, and from Ingests).
	Tags map[string]string

	// streamKey is behind a pointer so that even a struct holding an IngestConfiguration in an unexported
	// field, which fmt prints by reflection without calling Format, shows an address rather than the key.
	streamKey *string
}

// StreamKey returns the stream key to configure the RTMP(S) encoder with ("" from Ingests, whose
// summaries hold none). It is a secret: do not log it.
func (c IngestConfiguration) StreamKey() string {
	if c.streamKey == nil {
		return ""
	}
	return *c.streamKey
}

// ID returns the last segment of the ARN, the ingest configuration's ID.
func (c IngestConfiguration) ID() string { return rules.ResourceID(c.ARN) }

// String describes c without its stream key.
func (c IngestConfiguration) String() string { return c.describe(false) }

// GoString is the %#v form, without the stream key.
func (c IngestConfiguration) GoString() string { return c.describe(true) }

// Format implements fmt.Formatter so that no verb ever prints the stream key.
func (c IngestConfiguration) Format(f fmt.State, verb rune) {
	secret.Format(f, verb, c.String, c.GoString)
}

func (c IngestConfiguration) describe(goSyntax bool) string {
	var b strings.Builder
	if goSyntax {
		b.WriteString("composition.IngestConfiguration")
	}
	fmt.Fprintf(&b, "{ARN: %q, Name: %q, StageARN: %q, ParticipantID: %q, UserID: %q, Protocol: %s, State: %s",
		c.ARN, c.Name, c.StageARN, c.ParticipantID, c.UserID, c.Protocol, c.State)
	if len(c.Attributes) > 0 {
		fmt.Fprintf(&b, ", Attributes: %q", slices.Sorted(maps.Keys(c.Attributes)))
	}
	if len(c.Tags) > 0 {
		fmt.Fprintf(&b, ", Tags: %q", slices.Sorted(maps.Keys(c.Tags)))
	}
	b.WriteString(", StreamKey: ")
	secret.Mark(&b, c.streamKey != nil)
	b.WriteByte('}')
	return b.String()
}

// LogValue implements slog.LogValuer: the configuration's fields without its stream key.
func (c IngestConfiguration) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("arn", c.ARN),
		slog.String("name", c.Name),
		slog.String("stage_arn", c.StageARN),
		slog.String("participant_id", c.ParticipantID),
		slog.String("user_id", c.UserID),
		slog.String("protocol", string(c.Protocol)),
		slog.String("state", string(c.State)),
	}
	if c.streamKey != nil {
		attrs = append(attrs, slog.String("stream_key", Redacted))
	}
	return slog.GroupValue(attrs...)
}

// ingestJSON is the JSON shape of an IngestConfiguration, the service's member names.
type ingestJSON struct {
	ARN           string            `json:"arn"`
	Name          string            `json:"name,omitempty"`
	StageARN      string            `json:"stageArn"`
	ParticipantID string            `json:"participantId"`
	UserID        string            `json:"userId,omitempty"`
	Protocol      IngestProtocol    `json:"ingestProtocol"`
	State         IngestState       `json:"state"`
	Attributes    map[string]string `json:"attributes,omitempty"`
	Tags          map[string]string `json:"tags,omitempty"`
	StreamKey     string            `json:"streamKey,omitempty"`
}

// MarshalJSON encodes c with the service's member names and "streamKey": Redacted in place of the stream
// key (absent when c has none): JSON goes to logs and APIs, so it never carries the key.
func (c IngestConfiguration) MarshalJSON() ([]byte, error) {
	j := ingestJSON{
		ARN: c.ARN, Name: c.Name, StageARN: c.StageARN, ParticipantID: c.ParticipantID, UserID: c.UserID,
		Protocol: c.Protocol, State: c.State, Attributes: c.Attributes, Tags: c.Tags,
	}
	if c.streamKey != nil {
		j.StreamKey = Redacted
	}
	return json.Marshal(j)
}

func ingestFromSDK(c *types.IngestConfiguration) IngestConfiguration {
	key := c.StreamKey
	if aws.ToString(key) == "" {
		key = nil
	}
	return IngestConfiguration{
		ARN: aws.ToString(c.Arn), Name: aws.ToString(c.Name), StageARN: aws.ToString(c.StageArn),
		ParticipantID: aws.ToString(c.ParticipantId), UserID: aws.ToString(c.UserId),
		Protocol: IngestProtocol(c.IngestProtocol), State: IngestState(c.State),
		Attributes: copymap.Replace(c.Attributes), Tags: copymap.Replace(c.Tags),
		streamKey: key,
	}
}

// CreateIngest validates in and sends one CreateIngestConfiguration request. It returns the ingest
// configuration with its stream key (StreamKey): give the key and the stage's RTMP or RTMPS endpoint
// (stage.Stage.Endpoints) to the publisher's encoder. Past IngestConfigurationsQuota (100 per account and
// region, adjustable) the service answers *types.ServiceQuotaExceededException (HTTP 402).
func (c *Client) CreateIngest(ctx context.Context, in Ingest) (IngestConfiguration, error) {
	params, zeros, err := in.input()
	if err != nil {
		return IngestConfiguration{}, rules.OperationError(opCreateIngest, err)
	}
	out, err := c.api.CreateIngestConfiguration(ctx, params, c.withMembers(zeros)...)
	return answer(opCreateIngest, out, err, func(o *ivsrealtime.CreateIngestConfigurationOutput) *types.IngestConfiguration {
		return o.IngestConfiguration
	}, ingestFromSDK, ErrNoIngest)
}

// GetIngest validates arn (arn:aws:ivs:<region>:<account>:ingest-configuration/<id>, at most 128 code
// points) and sends one GetIngestConfiguration request. It returns the configuration with its stream key.
// An unknown one returns *types.ResourceNotFoundException (HTTP 404).
func (c *Client) GetIngest(ctx context.Context, arn string) (IngestConfiguration, error) {
	if err := checkARN(getIngestInput, ingestArn, arn); err != nil {
		return IngestConfiguration{}, rules.OperationError(opGetIngest, err)
	}
	out, err := c.api.GetIngestConfiguration(ctx, &ivsrealtime.GetIngestConfigurationInput{Arn: aws.String(arn)}, c.calls.Opts...)
	return answer(opGetIngest, out, err, func(o *ivsrealtime.GetIngestConfigurationOutput) *types.IngestConfiguration {
		return o.IngestConfiguration
	}, ingestFromSDK, ErrNoIngest)
}

// UpdateIngest validates arn (as for GetIngest) and stageARN (a stage ARN, or "" to detach the
// configuration from every stage) and sends one UpdateIngestConfiguration request, which changes the stage
// only (the API can change nothing else). While a publisher is sending through the configuration the
// service refuses with *types.ConflictException (HTTP 409). It returns the updated configuration.
func (c *Client) UpdateIngest(ctx context.Context, arn, stageARN string) (IngestConfiguration, error) {
	errs := smithy.InvalidParamsError{Context: updateIngestInput}
	ingestArn.Check(&errs, fieldArn, arn)
	ingestStageArn.Check(&errs, fieldStageArn, stageARN)
	if err := rules.Result(errs); err != nil {
		return IngestConfiguration{}, rules.OperationError(opUpdateIngest, err)
	}
	in := &ivsrealtime.UpdateIngestConfigurationInput{Arn: aws.String(arn), StageArn: aws.String(stageARN)}
	out, err := c.api.UpdateIngestConfiguration(ctx, in, c.calls.Opts...)
	return answer(opUpdateIngest, out, err, func(o *ivsrealtime.UpdateIngestConfigurationOutput) *types.IngestConfiguration {
		return o.IngestConfiguration
	}, ingestFromSDK, ErrNoIngest)
}

// DeleteOption changes how DeleteIngest deletes.
type DeleteOption func(*deleteOptions)

type deleteOptions struct {
	force bool
}

// WithForce makes DeleteIngest delete the configuration even while a participant publishes through it
// (force: true): the participant is disconnected first. Default: not forced, and the service refuses to
// delete an active configuration with *types.ConflictException (HTTP 409).
func WithForce() DeleteOption {
	return func(o *deleteOptions) { o.force = true }
}

// DeleteIngest validates arn (as for GetIngest) and sends one DeleteIngestConfiguration request (with
// "force": true under WithForce). An unknown one returns *types.ResourceNotFoundException (HTTP 404).
func (c *Client) DeleteIngest(ctx context.Context, arn string, opts ...DeleteOption) error {
	if err := checkARN(deleteIngestInput, ingestArn, arn); err != nil {
		return rules.OperationError(opDeleteIngest, err)
	}
	var o deleteOptions
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	_, err := c.api.DeleteIngestConfiguration(ctx, &ivsrealtime.DeleteIngestConfigurationInput{Arn: aws.String(arn), Force: o.force}, c.calls.Opts...)
	return svc.Err(err)
}

// Ingests returns an iterator over the ingest configurations of the account in the client's region, in
// the service's order, following nextToken as List does. opts: WithPageSize (1..100) and one filter,
// FilterStage or FilterIngestState (the service takes one per request, so both are a validation error);
// FilterEncoder is a validation error. The configurations are summaries: no stream key, attributes or tags
// (GetIngest has them).
func (c *Client) Ingests(ctx context.Context, opts ...ListOption) iter.Seq2[IngestConfiguration, error] {
	o := resolveList(opts)
	errs := smithy.InvalidParamsError{Context: listIngestsInput}
	maxResults := o.maxResults(&errs)
	if o.stageSet {
		stageArn.Check(&errs, fieldFilterStage, o.stageARN)
	}
	if o.stateSet {
		rules.CheckEnum(&errs, fieldFilterState, o.state)
	}
	if o.stageSet && o.stateSet {
		errs.Add(rules.New(fieldFilterState, rules.RuleConflict,
			"FilterIngestState with FilterStage: ListIngestConfigurations takes one filter (by stage ARN or by state) at a time"))
	}
	o.refuse(&errs, "Ingests", false, true, false)
	var filterState types.IngestConfigurationState
	if o.stateSet {
		filterState = types.IngestConfigurationState(o.state)
	}
	filterStage := optional(o.stageARN, o.stageSet)
	return svc.Seq(opListIngests, invalid(opListIngests, errs), func(next *string) ([]IngestConfiguration, *string, error) {
		in := &ivsrealtime.ListIngestConfigurationsInput{FilterByStageArn: filterStage, FilterByState: filterState, MaxResults: maxResults, NextToken: next}
		out, err := c.api.ListIngestConfigurations(ctx, in, c.calls.Opts...)
		if err != nil || out == nil {
			return nil, nil, err
		}
		items := make([]IngestConfiguration, len(out.IngestConfigurations))
		for i, s := range out.IngestConfigurations {
			items[i] = IngestConfiguration{
				ARN: aws.ToString(s.Arn), Name: aws.ToString(s.Name), StageARN: aws.ToString(s.StageArn),
				ParticipantID: aws.ToString(s.ParticipantId), UserID: aws.ToString(s.UserId),
				Protocol: IngestProtocol(s.IngestProtocol), State: IngestState(s.State),
			}
		}
		return items, out.NextToken, nil
	})
}
