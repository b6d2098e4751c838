package composition

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/smithy-go"
	"golang.org/x/time/rate"

	"github.com/ivsrt/ivsrt/internal/budget"
	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/svc"
	"github.com/ivsrt/ivsrt/internal/wire"
)

// Operation names, as *smithy.OperationError reports them and WithLimiter takes them.
const (
	opStart         = "StartComposition"
	opGet           = "GetComposition"
	opList          = "ListCompositions"
	opStop          = "StopComposition"
	opCreateEncoder = "CreateEncoderConfiguration"
	opGetEncoder    = "GetEncoderConfiguration"
	opListEncoders  = "ListEncoderConfigurations"
	opDeleteEncoder = "DeleteEncoderConfiguration"
	opCreateIngest  = "CreateIngestConfiguration"
	opGetIngest     = "GetIngestConfiguration"
	opListIngests   = "ListIngestConfigurations"
	opUpdateIngest  = "UpdateIngestConfiguration"
	opDeleteIngest  = "DeleteIngestConfiguration"
)

// operations are the operations a Client calls, each paced by a limiter of its own.
var operations = []string{
	opStart, opGet, opList, opStop,
	opCreateEncoder, opGetEncoder, opListEncoders, opDeleteEncoder,
	opCreateIngest, opGetIngest, opListIngests, opUpdateIngest, opDeleteIngest,
}

// Operations returns the names of the operations a Client calls (the SDK's names, as WithLimiter and
// Limiter take them), in a new slice.
func Operations() []string { return slices.Clone(operations) }

// API is the part of the official *ivsrealtime.Client that Client uses, with the SDK's exact signatures,
// so a test can hand NewClient a fake. Implementations must not modify the inputs they are given beyond
// what the official client does (it fills in StartCompositionInput.IdempotencyToken when it is nil):
// Client shares the immutable parts of its Config, Encoder and Ingest values with them.
type API interface {
	StartComposition(ctx context.Context, params *ivsrealtime.StartCompositionInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.StartCompositionOutput, error)
	GetComposition(ctx context.Context, params *ivsrealtime.GetCompositionInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.GetCompositionOutput, error)
	ListCompositions(ctx context.Context, params *ivsrealtime.ListCompositionsInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.ListCompositionsOutput, error)
	StopComposition(ctx context.Context, params *ivsrealtime.StopCompositionInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.StopCompositionOutput, error)

	CreateEncoderConfiguration(ctx context.Context, params *ivsrealtime.CreateEncoderConfigurationInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.CreateEncoderConfigurationOutput, error)
	GetEncoderConfiguration(ctx context.Context, params *ivsrealtime.GetEncoderConfigurationInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.GetEncoderConfigurationOutput, error)
	ListEncoderConfigurations(ctx context.Context, params *ivsrealtime.ListEncoderConfigurationsInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.ListEncoderConfigurationsOutput, error)
	DeleteEncoderConfiguration(ctx context.Context, params *ivsrealtime.DeleteEncoderConfigurationInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.DeleteEncoderConfigurationOutput, error)

	CreateIngestConfiguration(ctx context.Context, params *ivsrealtime.CreateIngestConfigurationInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.CreateIngestConfigurationOutput, error)
	GetIngestConfiguration(ctx context.Context, params *ivsrealtime.GetIngestConfigurationInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.GetIngestConfigurationOutput, error)
	ListIngestConfigurations(ctx context.Context, params *ivsrealtime.ListIngestConfigurationsInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.ListIngestConfigurationsOutput, error)
	UpdateIngestConfiguration(ctx context.Context, params *ivsrealtime.UpdateIngestConfigurationInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.UpdateIngestConfigurationOutput, error)
	DeleteIngestConfiguration(ctx context.Context, params *ivsrealtime.DeleteIngestConfigurationInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.DeleteIngestConfigurationOutput, error)
}

var _ API = (*ivsrealtime.Client)(nil)

// Client starts, reads, lists and stops compositions, and creates, reads, lists, updates and deletes the
// encoder and ingest configurations they use. It validates every input before anything is sent (invalid
// input makes no request) and is safe for concurrent use.
//
// Each operation is one call of the official client, which signs, retries and resolves endpoints, paced
// by the Client's limiter for that operation (RequestsPerSecond, 5 per second, by default; WithLimiter).
// Service errors keep the SDK's types (*types.ResourceNotFoundException, …) and *smithy.OperationError
// wrapping, with their Message filled from the service's exceptionMessage, so err.Error() ends with the
// service's words.
type Client struct {
	api   API
	calls budget.Calls // per-call options, then the pacing of each operation
}

// operationRates is the default pace of each operation the Client calls: the service's quota,
// RequestsPerSecond (5 per second), for each of the 13.
var operationRates = func() map[string]rate.Limit {
	m := make(map[string]rate.Limit, len(operations))
	for _, op := range operations {
		m[op] = RequestsPerSecond
	}
	return m
}()

// NewClient returns a Client that calls api (an *ivsrealtime.Client, or a fake in tests), with a limiter
// of its own for each operation (Operations) at RequestsPerSecond (5 per second) and a burst of 1, waited
// for before each attempt the official client makes (its retries included). api must not be nil.
func NewClient(api API) *Client {
	return &Client{api: api, calls: budget.NewCalls(svc.Base(), budget.New("composition", operationRates))}
}

// NewClientFromConfig returns a Client on the official client built from cfg and optFns
// (ivsrealtime.NewFromConfig): credentials, region, HTTP client, retryer and every SDK option work as usual.
func NewClientFromConfig(cfg aws.Config, optFns ...func(*ivsrealtime.Options)) *Client {
	return NewClient(ivsrealtime.NewFromConfig(cfg, optFns...))
}

// WithOptions returns a Client on the same API that passes optFns to every call it makes (the SDK's
// per-call options, e.g. a RetryMaxAttempts or an APIOptions middleware), after the options c already
// passes; the iterators pass them on every page. The new client shares c's limiters. c itself is
// unchanged.
func (c *Client) WithOptions(optFns ...func(*ivsrealtime.Options)) *Client {
	return &Client{api: c.api, calls: c.calls.WithOptions(optFns...)}
}

// WithLimiter returns a Client on the same API whose calls of operation (the SDK's name, e.g.
// "StartComposition"; see Operations) wait for l instead of c's limiter for it; nil paces that operation
// not at all. Every other operation keeps c's limiter, shared with c. l may be shared with other clients
// (a *rate.Limiter is safe for concurrent use), so that several clients of one account stay within its
// quota together. An operation the Client does not call is accepted and changes nothing. c itself is
// unchanged. The limiter is waited for by a middleware of the official client: a fake API given to
// NewClient is not paced.
func (c *Client) WithLimiter(operation string, l *rate.Limiter) *Client {
	return &Client{api: c.api, calls: c.calls.WithLimiter(operation, l)}
}

// Limiter returns the limiter that paces c's calls of operation: the one NewClient made (at
// RequestsPerSecond, burst 1), or the one given to WithLimiter; nil when the operation is not paced or not
// one the Client calls. It is the limiter itself: its SetLimit and SetBurst change the pace of every
// client that shares it.
func (c *Client) Limiter(operation string) *rate.Limiter { return c.calls.Limiter(operation) }

// withMembers returns c's options followed by the middleware that writes members into the request (nil:
// c's options as they are).
func (c *Client) withMembers(members []wire.Member) svc.Opts {
	if len(members) == 0 {
		return c.calls.Opts
	}
	add := wire.AddSetMembers(members...)
	return c.calls.Opts.With(func(o *ivsrealtime.Options) { o.APIOptions = append(slices.Clip(o.APIOptions), add) })
}

// checkARN validates arn against shape on the Arn field of the input.
func checkARN(input string, shape rules.String, arn string) error {
	errs := smithy.InvalidParamsError{Context: input}
	shape.Check(&errs, fieldArn, arn)
	return rules.Result(errs)
}

const fieldArn = "Arn"

// answer turns the result of one call of the official client into the Client's: err repaired by svc.Err
// when the call failed; none, wrapped as op's error, when the answer holds no item (a fake API's nil
// output included); otherwise conv of the item.
func answer[O, P, R any](op string, out *O, err error, item func(*O) *P, conv func(*P) R, none error) (R, error) {
	var zero R
	if err != nil {
		return zero, svc.Err(err)
	}
	if out == nil {
		return zero, rules.OperationError(op, none)
	}
	p := item(out)
	if p == nil {
		return zero, rules.OperationError(op, none)
	}
	return conv(p), nil
}
