package token

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"iter"
	"maps"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/smithy-go"
	"golang.org/x/time/rate"

	"github.com/ivsrt/ivsrt/internal/budget"
	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/svc"
)

// Operation names, as *smithy.OperationError reports them.
const (
	opCreate       = "CreateParticipantToken"
	opImportKey    = "ImportPublicKey"
	opGetKey       = "GetPublicKey"
	opListKeys     = "ListPublicKeys"
	opDeleteKey    = "DeletePublicKey"
	createInput    = "CreateParticipantTokenInput"
	importKeyInput = "ImportPublicKeyInput"
	getKeyInput    = "GetPublicKeyInput"
	deleteKeyInput = "DeletePublicKeyInput"
	listKeysInput  = "ListPublicKeysInput"
)

// Service quotas of the operations Client calls (per account and region; not adjustable).
const (
	// CreateRequestsPerSecond is the CreateParticipantToken quota: 50 requests per second. It is
	// CreateMany's default rate (DefaultRate).
	CreateRequestsPerSecond = 50
	// KeyRequestsPerSecond is the quota of each public-key operation (ImportPublicKey, GetPublicKey,
	// ListPublicKeys, DeletePublicKey): 3 requests per second.
	KeyRequestsPerSecond = 3
	// MaxPublicKeys is how many public keys a region holds at most (3, not adjustable). ImportPublicKey
	// past it fails with *types.ServiceQuotaExceededException (HTTP 402).
	MaxPublicKeys = rules.PublicKeysPerRegion
)

// API is the part of the official *ivsrealtime.Client that Client uses, with the SDK's exact signatures,
// so a test can hand NewClient a fake. Implementations must not modify the inputs they are given.
type API interface {
	CreateParticipantToken(ctx context.Context, params *ivsrealtime.CreateParticipantTokenInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.CreateParticipantTokenOutput, error)
	ImportPublicKey(ctx context.Context, params *ivsrealtime.ImportPublicKeyInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.ImportPublicKeyOutput, error)
	GetPublicKey(ctx context.Context, params *ivsrealtime.GetPublicKeyInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.GetPublicKeyOutput, error)
	ListPublicKeys(ctx context.Context, params *ivsrealtime.ListPublicKeysInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.ListPublicKeysOutput, error)
	DeletePublicKey(ctx context.Context, params *ivsrealtime.DeletePublicKeyInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.DeletePublicKeyOutput, error)
}

var _ API = (*ivsrealtime.Client)(nil)

// ErrNoToken is the error (wrapped in *smithy.OperationError) of a CreateParticipantToken response that
// holds no participant token, or one without its bearer string ("token" absent or empty).
var ErrNoToken = errors.New("token: the response holds no participant token")

// ErrNoPublicKey is the error (wrapped in *smithy.OperationError) of an ImportPublicKey or GetPublicKey
// response that holds no public key (or one without an ARN).
var ErrNoPublicKey = errors.New("token: the response holds no public key")

// Client issues participant tokens through the service (CreateParticipantToken) and manages the public
// keys that self-signed tokens are verified with. It validates every input before anything is sent
// (invalid input makes no request) and is safe for concurrent use.
//
// A Client holds one rate limiter (Limiter) at DefaultRate (50 requests per second, the
// CreateParticipantToken quota) and DefaultBurst (1), shared by its Create and CreateMany calls and those
// of every client derived from it with WithOptions: concurrent batches in one process stay within the
// account's quota together. Clients built separately (NewClient, NewClientFromConfig) have limiters of
// their own; to share one, derive the clients with WithOptions, or pass one client's Limiter to the other's
// batches (WithLimiter).
//
// Each operation is one call of the official client, which signs, retries and resolves endpoints; errors
// read as the package doc's "Errors" says.
type Client struct {
	api     API
	calls   budget.Calls  // per-call options, then the pacing of the public-key operations (budget.go)
	limiter *rate.Limiter // CreateParticipantToken's, shared with the clients derived with WithOptions; nil: no limit
}

// NewClient returns a Client that calls api (an *ivsrealtime.Client, or a fake in tests), with a new rate
// limiter at DefaultRate and DefaultBurst (Limiter). api must not be nil.
func NewClient(api API) *Client {
	return &Client{api: api, calls: budget.NewCalls(svc.Base(), budget.New("token", operationRates)), limiter: rate.NewLimiter(DefaultRate, DefaultBurst)}
}

// WithOptions returns a Client on the same API that passes optFns to every call it makes, after the options
// c already passes (the SDK's per-call options, e.g. func(o *ivsrealtime.Options) { o.RetryMaxAttempts = 5 }),
// CreateMany's calls included. The new client shares c's rate limiter (Limiter), so the Create and
// CreateMany calls of both count against one quota. c itself is unchanged.
func (c *Client) WithOptions(optFns ...func(*ivsrealtime.Options)) *Client {
	return &Client{api: c.api, calls: c.calls.WithOptions(optFns...), limiter: c.limiter}
}

// NewClientFromConfig returns a Client on the official client built from cfg and optFns
// (ivsrealtime.NewFromConfig): credentials, region, HTTP client, retryer and every SDK option work as usual.
func NewClientFromConfig(cfg aws.Config, optFns ...func(*ivsrealtime.Options)) *Client {
	return NewClient(ivsrealtime.NewFromConfig(cfg, optFns...))
}

// Create validates stageARN (arn:aws:ivs:<region>:<account>:stage/<id>, at most 128 code points) and cfg,
// and sends one CreateParticipantToken request with cfg's user ID, duration, capabilities and attributes
// (nothing cfg leaves unset is sent, so the service applies its defaults: 12 hours, both capabilities).
//
// It returns the token: participant ID, user ID, attributes, capabilities, duration, expiration time (in
// UTC) and the bearer string (Token.Value). The response is read faithfully: a userId, duration,
// capabilities or attributes it does not echo reads as the value cfg set, and, when cfg left it unset
// too, as the service's documented default where there is one (duration DefaultDuration, 720 minutes;
// capabilities Publish and Subscribe) or as none (no user ID, nil attributes); a field the response holds
// is returned as the service sent it. cfg's violations are reported at the top of
// CreateParticipantTokenInput ("CreateParticipantTokenInput.Duration"), where the configuration's fields
// sit. An unknown stage returns *types.ResourceNotFoundException (HTTP 404). For many tokens, use
// CreateMany.
//
// Create waits for the Client's rate limiter (Limiter: DefaultRate, shared with CreateMany and the clients
// derived with WithOptions) before it sends, so it may block while batches run. The wait honours ctx: when
// ctx ends first, or the limiter's next slot is past ctx's deadline, Create sends nothing and returns the
// context's error (context.DeadlineExceeded for the deadline) wrapped in *smithy.OperationError.
func (c *Client) Create(ctx context.Context, stageARN string, cfg Config) (Token, error) {
	errs := smithy.InvalidParamsError{Context: createInput}
	in := buildCreateInput(&errs, stageARN, cfg)
	if err := rules.Result(errs); err != nil {
		return Token{}, rules.OperationError(opCreate, err)
	}
	if err := wait(ctx, c.limiter); err != nil {
		return Token{}, rules.OperationError(opCreate, err)
	}
	return c.create(ctx, in)
}

// create sends one validated CreateParticipantToken request.
func (c *Client) create(ctx context.Context, in *ivsrealtime.CreateParticipantTokenInput) (Token, error) {
	out, err := c.api.CreateParticipantToken(ctx, in, c.calls.Opts...)
	if err != nil {
		return Token{}, svc.Err(err)
	}
	if out == nil || out.ParticipantToken == nil || aws.ToString(out.ParticipantToken.Token) == "" {
		return Token{}, rules.OperationError(opCreate, ErrNoToken)
	}
	return fromCreate(*out.ParticipantToken, in), nil
}

// buildCreateInput checks stageARN (as "StageArn") and cfg, adding violations to errs, and returns the
// input that sends them (nil when cfg is invalid).
func buildCreateInput(errs *smithy.InvalidParamsError, stageARN string, cfg Config) *ivsrealtime.CreateParticipantTokenInput {
	rules.StageArn.Check(errs, fieldStageArn, stageARN)
	return configInput(errs, "", stageARN, cfg)
}

// configInput validates cfg, nesting its violations under nested ("" for the top level), and returns the
// CreateParticipantTokenInput that sends it (nil when cfg is invalid). The configuration's fields sit at
// the top of CreateParticipantTokenInput, so its paths are "<context><nested>.Duration" and so on.
func configInput(errs *smithy.InvalidParamsError, nested, stageARN string, cfg Config) *ivsrealtime.CreateParticipantTokenInput {
	p, err := cfg.ToSDK()
	if err != nil {
		rules.Nest(errs, nested, err)
		return nil
	}
	return &ivsrealtime.CreateParticipantTokenInput{
		StageArn:     aws.String(stageARN),
		UserId:       p.UserId,
		Duration:     p.Duration,
		Capabilities: p.Capabilities,
		Attributes:   p.Attributes,
	}
}

const (
	fieldStageArn          = "StageArn"
	fieldName              = "Name"
	fieldArn               = "Arn"
	fieldPublicKeyMaterial = "PublicKeyMaterial"
	fieldMaxResults        = "MaxResults"
)

// ImportPublicKey validates name (at most 128 code points of [a-zA-Z0-9-_]; "" sends none) and pub (a
// P-384 public key), and sends one ImportPublicKey request with name and pub's PEM (PublicKeyPEM) as the
// key material. It returns the new key's ARN: the "kid" a Signer puts in every token it mints (NewSigner).
//
// A region holds at most MaxPublicKeys (3) public keys, a quota that cannot be raised; past it the call
// fails with *types.ServiceQuotaExceededException (HTTP 402). Keys never expire. To rotate: import the new
// key, switch signing to a Signer built with the new key and its ARN, verify with both (VerifyWithKeys)
// until the last token signed with the old key has expired (at most the longest duration minted, no more
// than MaxDuration, 14 days, after the switch), then delete the old key (DeletePublicKey): deleting a key
// invalidates the tokens signed with it.
//
// A nil pub, or one not on P-384, is reported on "ImportPublicKeyInput.PublicKeyMaterial" (the message
// names the curve, never key material).
func (c *Client) ImportPublicKey(ctx context.Context, name string, pub *ecdsa.PublicKey) (arn string, err error) {
	errs := smithy.InvalidParamsError{Context: importKeyInput}
	rules.PublicKeyName.Check(&errs, fieldName, name)
	material, reason := publicKeyMaterial(pub)
	if reason != nil {
		errs.Add(reason)
	}
	if err := rules.Result(errs); err != nil {
		return "", rules.OperationError(opImportKey, err)
	}
	in := &ivsrealtime.ImportPublicKeyInput{PublicKeyMaterial: aws.String(string(material))}
	if name != "" {
		in.Name = aws.String(name)
	}
	out, err := c.api.ImportPublicKey(ctx, in, c.calls.Opts...)
	if err != nil {
		return "", svc.Err(err)
	}
	if out == nil || out.PublicKey == nil || aws.ToString(out.PublicKey.Arn) == "" {
		return "", rules.OperationError(opImportKey, ErrNoPublicKey)
	}
	return *out.PublicKey.Arn, nil
}

// publicKeyMaterial returns pub's PEM, or the violation that keeps pub from being imported.
func publicKeyMaterial(pub *ecdsa.PublicKey) ([]byte, *rules.ParamError) {
	if pub == nil {
		return nil, rules.New(fieldPublicKeyMaterial, rules.RuleRequired, "no public key given (nil *ecdsa.PublicKey)")
	}
	material, err := PublicKeyPEM(pub)
	if err != nil {
		// An entry of a smithy.InvalidParamsError reads as the SDK's do: no package prefix.
		return nil, rules.New(fieldPublicKeyMaterial, rules.RuleEnum, strings.TrimPrefix(err.Error(), "token: "))
	}
	return material, nil
}

// PublicKey is an imported public key, as GetPublicKey returns it.
type PublicKey struct {
	// ARN is the key's ARN, the "kid" of the tokens signed with it.
	ARN string
	// Name is the key's name ("" when none).
	Name string
	// Fingerprint is the service's fingerprint of the key material.
	Fingerprint string
	// PEM is the key material as imported ("-----BEGIN PUBLIC KEY-----…").
	PEM string
	// Key is the parsed key material, for Verify; nil when the material is not a P-384 ECDSA public key
	// in a "PUBLIC KEY" PEM block (a key on P-256, P-521 or another curve is not taken).
	Key *ecdsa.PublicKey
	// Tags are the key's tags (nil when none).
	Tags map[string]string
}

// PublicKeySummary is an imported public key as PublicKeys yields it (ListPublicKeys' summary): no key
// material.
type PublicKeySummary struct {
	// ARN is the key's ARN.
	ARN string
	// Name is the key's name ("" when none).
	Name string
	// Tags are the key's tags (nil when none).
	Tags map[string]string
}

// GetPublicKey validates arn (arn:aws:ivs:<region>:<account>:public-key/<id>, at most 128 code points) and
// sends one GetPublicKey request. It returns the key with its material parsed (PublicKey.Key), ready for
// Verify. An unknown key returns *types.ResourceNotFoundException (HTTP 404).
func (c *Client) GetPublicKey(ctx context.Context, arn string) (PublicKey, error) {
	if err := checkKeyARN(getKeyInput, arn); err != nil {
		return PublicKey{}, rules.OperationError(opGetKey, err)
	}
	out, err := c.api.GetPublicKey(ctx, &ivsrealtime.GetPublicKeyInput{Arn: aws.String(arn)}, c.calls.Opts...)
	if err != nil {
		return PublicKey{}, svc.Err(err)
	}
	if out == nil || out.PublicKey == nil {
		return PublicKey{}, rules.OperationError(opGetKey, ErrNoPublicKey)
	}
	k := out.PublicKey
	pk := PublicKey{
		ARN:         aws.ToString(k.Arn),
		Name:        aws.ToString(k.Name),
		Fingerprint: aws.ToString(k.Fingerprint),
		PEM:         aws.ToString(k.PublicKeyMaterial),
		Tags:        maps.Clone(k.Tags),
	}
	pk.Key, _ = parsePublicKeyPEM([]byte(pk.PEM))
	return pk, nil
}

// The page sizes PublicKeys accepts (WithPageSize): ListPublicKeys' maxResults, the model's
// MaxPublicKeyResults.
const (
	// MinPageSize is the smallest page size WithPageSize accepts (1).
	MinPageSize = rules.MaxResultsMin
	// MaxPageSize is the largest page size WithPageSize accepts (100).
	MaxPageSize = rules.MaxResultsMax
	// DefaultPageSize is the page size the service applies when WithPageSize is not given (50).
	DefaultPageSize = rules.MaxResultsDefault
)

// ListOption changes how Client.PublicKeys pages through the public keys: the page size (WithPageSize).
// Options are applied in order; a later one replaces an earlier one. A nil ListOption is ignored.
type ListOption func(*listOptions)

type listOptions struct {
	pageSize    int
	pageSizeSet bool
}

// WithPageSize sets how many public keys each ListPublicKeys request of PublicKeys asks for (maxResults):
// MinPageSize (1) to MaxPageSize (100); another n is a validation error and nothing is sent. It changes the
// number of requests, not the keys yielded. Default: not sent, and the service returns DefaultPageSize
// (50) keys per page (a region holds at most MaxPublicKeys, 3, so one page).
func WithPageSize(n int) ListOption {
	return func(o *listOptions) { o.pageSize, o.pageSizeSet = n, true }
}

// PublicKeys returns an iterator over every public key of the region (at most MaxPublicKeys, 3), in the
// service's order, without key material (GetPublicKey has it). It sends ListPublicKeys requests as the
// iteration needs them, following nextToken transparently (a nextToken that repeats one already sent ends
// the iteration with an error naming ListPublicKeys), and sends no more once the caller stops. Each
// iteration starts again from the first page. The options (WithPageSize) are validated before the first
// request.
func (c *Client) PublicKeys(ctx context.Context, opts ...ListOption) iter.Seq2[PublicKeySummary, error] {
	var o listOptions
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	errs := smithy.InvalidParamsError{Context: listKeysInput}
	var maxResults *int32
	if o.pageSizeSet {
		rules.MaxResults.Check(&errs, fieldMaxResults, int64(o.pageSize))
		maxResults = aws.Int32(int32(o.pageSize))
	}
	var invalid error
	if err := rules.Result(errs); err != nil {
		invalid = rules.OperationError(opListKeys, err)
	}
	return svc.Seq(opListKeys, invalid, func(next *string) ([]PublicKeySummary, *string, error) {
		out, err := c.api.ListPublicKeys(ctx, &ivsrealtime.ListPublicKeysInput{MaxResults: maxResults, NextToken: next}, c.calls.Opts...)
		if err != nil || out == nil {
			return nil, nil, err
		}
		page := make([]PublicKeySummary, len(out.PublicKeys))
		for i, k := range out.PublicKeys {
			page[i] = PublicKeySummary{ARN: aws.ToString(k.Arn), Name: aws.ToString(k.Name), Tags: maps.Clone(k.Tags)}
		}
		return page, out.NextToken, nil
	})
}

// ListPublicKeys returns every public key of the region: what PublicKeys(ctx) yields, collected. On the
// first error it returns that error (as PublicKeys yields it) and nothing listed.
//
// Deprecated: use PublicKeys, which pages as the range loop needs and takes ListOptions.
func (c *Client) ListPublicKeys(ctx context.Context) ([]PublicKeySummary, error) {
	var keys []PublicKeySummary
	for k, err := range c.PublicKeys(ctx) {
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// DeletePublicKey validates arn and sends one DeletePublicKey request. Tokens signed with the key are no
// longer accepted once it is deleted. arn is checked as for GetPublicKey. An unknown key returns
// *types.ResourceNotFoundException (HTTP 404).
func (c *Client) DeletePublicKey(ctx context.Context, arn string) error {
	if err := checkKeyARN(deleteKeyInput, arn); err != nil {
		return rules.OperationError(opDeleteKey, err)
	}
	_, err := c.api.DeletePublicKey(ctx, &ivsrealtime.DeletePublicKeyInput{Arn: aws.String(arn)}, c.calls.Opts...)
	return svc.Err(err)
}

func checkKeyARN(context, arn string) error {
	errs := smithy.InvalidParamsError{Context: context}
	rules.PublicKeyArn.Check(&errs, fieldArn, arn)
	return rules.Result(errs)
}
