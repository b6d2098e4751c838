package stage

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"

	"github.com/ivsrt/ivsrt/internal/budget"
	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/svc"
	"github.com/ivsrt/ivsrt/internal/wire"
	"github.com/ivsrt/ivsrt/token"
)

// Operation names, as *smithy.OperationError reports them.
const (
	opCreate = "CreateStage"
	opGet    = "GetStage"
	opUpdate = "UpdateStage"
	opDelete = "DeleteStage"
	opList   = "ListStages"

	opGetSession       = "GetStageSession"
	opListSessions     = "ListStageSessions"
	opGetParticipant   = "GetParticipant"
	opListParticipants = "ListParticipants"
	opDisconnect       = "DisconnectParticipant"
	opListEvents       = "ListParticipantEvents"
	opStartReplication = "StartParticipantReplication"
	opStopReplication  = "StopParticipantReplication"
	opListReplicas     = "ListParticipantReplicas"
	opTag              = "TagResource"
	opUntag            = "UntagResource"
	opListTags         = "ListTagsForResource"
	// opWait names WaitRecordingIdle in the *smithy.OperationError of its invalid options: it is the
	// library's operation, made of GetStage and ListParticipants calls.
	opWait = "WaitRecordingIdle"
)

// API is the part of the official *ivsrealtime.Client that Client uses, with the SDK's exact signatures,
// so a test can hand NewClient a fake. Implementations must not modify the inputs they are given (the
// official client does not): Client shares the immutable parts of its Config and Update values with them.
type API interface {
	CreateStage(ctx context.Context, params *ivsrealtime.CreateStageInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.CreateStageOutput, error)
	GetStage(ctx context.Context, params *ivsrealtime.GetStageInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.GetStageOutput, error)
	UpdateStage(ctx context.Context, params *ivsrealtime.UpdateStageInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.UpdateStageOutput, error)
	DeleteStage(ctx context.Context, params *ivsrealtime.DeleteStageInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.DeleteStageOutput, error)
	ListStages(ctx context.Context, params *ivsrealtime.ListStagesInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.ListStagesOutput, error)

	GetStageSession(ctx context.Context, params *ivsrealtime.GetStageSessionInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.GetStageSessionOutput, error)
	ListStageSessions(ctx context.Context, params *ivsrealtime.ListStageSessionsInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.ListStageSessionsOutput, error)
	GetParticipant(ctx context.Context, params *ivsrealtime.GetParticipantInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.GetParticipantOutput, error)
	ListParticipants(ctx context.Context, params *ivsrealtime.ListParticipantsInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.ListParticipantsOutput, error)
	DisconnectParticipant(ctx context.Context, params *ivsrealtime.DisconnectParticipantInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.DisconnectParticipantOutput, error)
	ListParticipantEvents(ctx context.Context, params *ivsrealtime.ListParticipantEventsInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.ListParticipantEventsOutput, error)
	StartParticipantReplication(ctx context.Context, params *ivsrealtime.StartParticipantReplicationInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.StartParticipantReplicationOutput, error)
	StopParticipantReplication(ctx context.Context, params *ivsrealtime.StopParticipantReplicationInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.StopParticipantReplicationOutput, error)
	ListParticipantReplicas(ctx context.Context, params *ivsrealtime.ListParticipantReplicasInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.ListParticipantReplicasOutput, error)
	TagResource(ctx context.Context, params *ivsrealtime.TagResourceInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.TagResourceOutput, error)
	UntagResource(ctx context.Context, params *ivsrealtime.UntagResourceInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.UntagResourceOutput, error)
	ListTagsForResource(ctx context.Context, params *ivsrealtime.ListTagsForResourceInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.ListTagsForResourceOutput, error)
}

var _ API = (*ivsrealtime.Client)(nil)

// ErrNoStage is the error (wrapped in *smithy.OperationError) of a CreateStage, GetStage or UpdateStage
// response that holds no stage.
var ErrNoStage = errors.New("stage: the response holds no stage")

// ErrTokenCount is the error (wrapped in *smithy.OperationError) of a CreateStage response that holds a
// different number of participant tokens than the Config asked for. Client.Create returns it together with
// the created stage and the tokens that did come back.
var ErrTokenCount = errors.New("stage: the response holds a different number of participant tokens than were asked for")

// Client creates, reads, updates, deletes and lists IVS Real-Time stages, lists their sessions,
// participants and participant events, disconnects participants, replicates them between stages, tags
// resources and waits for recording to stop. It validates every input before anything is sent (invalid
// input makes no request) and is safe for concurrent use.
//
// Each operation is one call of the official client, which signs, retries and resolves endpoints, paced
// at its quota; errors read as the package doc's "Errors" says, quotas are under "Limits and quotas".
type Client struct {
	api   API
	calls budget.Calls // per-call options, then the pacing of each operation (budget.go)
	keys  *keyMemory   // the request keys Create has used, shared by derived clients (create_key.go)
}

// NewClient returns a Client that calls api (an *ivsrealtime.Client, or a fake in tests). api must not be
// nil.
func NewClient(api API) *Client {
	return &Client{api: api, calls: budget.NewCalls(svc.Base(), budget.New("stage", operationRates)), keys: newKeyMemory()}
}

// WithOptions returns a Client on the same API that passes optFns to every call it makes (the SDK's
// per-call options, e.g. a RetryMaxAttempts or an APIOptions middleware), after the options c already
// passes; the iterators pass them on every page. c itself is unchanged.
func (c *Client) WithOptions(optFns ...func(*ivsrealtime.Options)) *Client {
	return &Client{api: c.api, calls: c.calls.WithOptions(optFns...), keys: c.keys}
}

// NewClientFromConfig returns a Client on the official client built from cfg and optFns
// (ivsrealtime.NewFromConfig): credentials, region, HTTP client, retryer and every SDK option work as usual.
func NewClientFromConfig(cfg aws.Config, optFns ...func(*ivsrealtime.Options)) *Client {
	return NewClient(ivsrealtime.NewFromConfig(cfg, optFns...))
}

// Create validates cfg and sends one CreateStage request with its name, tags, recording configuration and
// participant token configurations (nothing cfg leaves unset is sent). A recording configuration with
// WithRecordReplicas(false) is sent with "recordParticipantReplicas": false, which the official client
// alone cannot send.
//
// It returns the created stage (its recording settings with the service's defaults filled in: a
// recordParticipantReplicas the response omits reads as true) and one token per participant of cfg, in
// the order of cfg's participants. Past the account's stage quota (1,000 stages per region by default,
// adjustable) the service answers *types.ServiceQuotaExceededException (HTTP 402).
//
// A response holding a different number of tokens than cfg has participants returns the stage, the
// tokens that did come back (in response order) and an error wrapping ErrTokenCount in
// *smithy.OperationError: the stage exists, so it is never dropped, and a short token slice never comes
// with a nil error.
//
// With a request key (Config.WithRequestKey), Create is exactly-once for that key through c and the
// clients derived from it (see "Exactly-once creation" in the package doc). It adds the tags
// TagRequestKey: key and TagCreatedAt: now (RFC 3339, UTC) and sends CreateStage with the SDK's retries
// off (RetryMaxAttempts 1 for that call). A 4xx (validation, quota, access) is returned at once. After an
// ambiguous failure, where the stage may exist (a send error: timeout, broken connection, the context
// ending during the call; an unreadable response; any 5xx), it waits (CreateRetryBackoff, doubling) and
// scans ListStages, pages of MaxPageSize (100) at RequestsPerSecond (5/s): 10 pages and at least 2 s for
// 1,000 stages. A stage tagged with the key is read with GetStage and returned with the participants'
// tokens issued again with CreateParticipantToken (one request per participant, in cfg's order: the
// lost response's tokens cannot be recovered); none found, CreateStage is sent again, at most
// MaxCreateAttempts (3) times in all (a 429 is sent again without a scan). A key c has created returns
// its stage (GetStage, tokens issued again) with no CreateStage; if that stage was deleted since, it is
// created anew. A key whose last Create ended in doubt (attempts spent, ctx ended) is scanned for before
// the next create. Concurrent Creates of one key through c run one at a time. No scan runs before a
// first create.
func (c *Client) Create(ctx context.Context, cfg Config) (Stage, []token.Token, error) {
	in, optFns, err := cfg.input()
	if err != nil {
		return Stage{}, nil, rules.OperationError(opCreate, err)
	}
	if cfg.requestKeySet {
		return c.createOnce(ctx, cfg, in, optFns)
	}
	out, err := c.api.CreateStage(ctx, in, c.calls.Opts.With(optFns...).With(wire.ReadRecordReplicasDefault)...)
	if err != nil {
		return Stage{}, nil, svc.Err(err)
	}
	return created(in, out)
}

// created reads the response out of a CreateStage sent with in: the stage and its tokens, ErrNoStage when
// it holds no stage, and ErrTokenCount (with the stage and the tokens that came back) when it holds another
// number of tokens than in asked for.
func created(in *ivsrealtime.CreateStageInput, out *ivsrealtime.CreateStageOutput) (Stage, []token.Token, error) {
	if out == nil || out.Stage == nil {
		return Stage{}, nil, rules.OperationError(opCreate, ErrNoStage)
	}
	st, tokens := fromSDK(out.Stage), token.FromSDKList(out.ParticipantTokens)
	if asked, got := len(in.ParticipantTokenConfigurations), len(out.ParticipantTokens); got != asked {
		return st, tokens, rules.OperationError(opCreate, fmt.Errorf("%w: asked for %d, got %d", ErrTokenCount, asked, got))
	}
	return st, tokens, nil
}

// Get validates arn (arn:aws:ivs:<region>:<account>:stage/<id>, at most 128 code points) and sends one
// GetStage request. It returns the stage, its recording settings with the service's defaults filled in (a
// recordParticipantReplicas the response omits reads as true, so Recording.Config() sends it back). An
// unknown stage returns *types.ResourceNotFoundException (HTTP 404).
func (c *Client) Get(ctx context.Context, arn string) (Stage, error) {
	if err := checkARN(getInput, arn); err != nil {
		return Stage{}, rules.OperationError(opGet, err)
	}
	out, err := c.api.GetStage(ctx, &ivsrealtime.GetStageInput{Arn: aws.String(arn)}, c.calls.Opts.With(wire.ReadRecordReplicasDefault)...)
	if err != nil {
		return Stage{}, svc.Err(err)
	}
	if out == nil || out.Stage == nil {
		return Stage{}, rules.OperationError(opGet, ErrNoStage)
	}
	return fromSDK(out.Stage), nil
}

// Update validates arn and u and sends one UpdateStage request with what u sets: the name, the recording
// configuration, or both. It returns the updated stage, read as Get reads it.
//
// The recording configuration is sent whole and replaces the stage's: fields it leaves unset return to the
// service's defaults (not to the stage's current values), so send the complete configuration you want.
// recording.Disabled() turns recording off and resets every recording field to its default.
// WithRecordReplicas(false) is sent as "recordParticipantReplicas": false.
//
// While individual participant recording is active on the stage, the service refuses a recording change
// with *types.ConflictException (HTTP 409); IsRecordingActiveConflict recognises it, WaitRecordingIdle
// waits until recording has stopped, and UpdateRecording does the whole read-modify-write, waiting and
// retrying on that 409. An unknown stage returns *types.ResourceNotFoundException (HTTP 404).
func (c *Client) Update(ctx context.Context, arn string, u Update) (Stage, error) {
	in, optFns, err := u.input(arn)
	if err != nil {
		return Stage{}, rules.OperationError(opUpdate, err)
	}
	out, err := c.api.UpdateStage(ctx, in, c.calls.Opts.With(optFns...).With(wire.ReadRecordReplicasDefault)...)
	if err != nil {
		return Stage{}, svc.Err(err)
	}
	if out == nil || out.Stage == nil {
		return Stage{}, rules.OperationError(opUpdate, ErrNoStage)
	}
	return fromSDK(out.Stage), nil
}

// Delete validates arn and sends one DeleteStage request, which shuts the stage down and disconnects every
// participant. arn is checked as for Get. An unknown stage returns *types.ResourceNotFoundException (HTTP
// 404).
func (c *Client) Delete(ctx context.Context, arn string) error {
	if err := checkARN(deleteInput, arn); err != nil {
		return rules.OperationError(opDelete, err)
	}
	_, err := c.api.DeleteStage(ctx, &ivsrealtime.DeleteStageInput{Arn: aws.String(arn)}, c.calls.Opts...)
	return svc.Err(err)
}

// IsRecordingActiveConflict reports whether err is the *types.ConflictException of an UpdateStage call (as
// Client.Update returns it): the service refuses to change the recording configuration while recording
// is active on the stage. Retry once recording has stopped (WaitRecordingIdle).
func IsRecordingActiveConflict(err error) bool {
	var conflict *types.ConflictException
	if !errors.As(err, &conflict) {
		return false
	}
	var op *smithy.OperationError
	return !errors.As(err, &op) || op.OperationName == opUpdate
}

func checkARN(context, arn string) error {
	errs := smithy.InvalidParamsError{Context: context}
	rules.StageArn.Check(&errs, fieldArn, arn)
	return rules.Result(errs)
}

// replicasFalseOpts are the per-call options that put "recordParticipantReplicas": false on the wire.
var replicasFalseOpts = []func(*ivsrealtime.Options){
	func(o *ivsrealtime.Options) { o.APIOptions = append(o.APIOptions, wire.AddRecordReplicasFalse) },
}
