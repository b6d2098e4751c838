package recording

import (
	"context"
	"errors"
	"iter"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"

	"github.com/ivsrt/ivsrt/internal/budget"
	"github.com/ivsrt/ivsrt/internal/copymap"
	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/svc"
)

// Operation names, as *smithy.OperationError reports them.
const (
	opCreateStorage = "CreateStorageConfiguration"
	opGetStorage    = "GetStorageConfiguration"
	opListStorage   = "ListStorageConfigurations"
	opDeleteStorage = "DeleteStorageConfiguration"

	getStorageInput    = "GetStorageConfigurationInput"
	deleteStorageInput = "DeleteStorageConfigurationInput"
	listStorageInput   = "ListStorageConfigurationsInput"
	fieldArn           = "Arn"
	fieldMaxResults    = "MaxResults"
)

// The page sizes ListStorage accepts (WithPageSize).
const (
	// MinPageSize is the smallest page size WithPageSize accepts.
	MinPageSize = rules.MaxResultsMin
	// MaxPageSize is the largest page size WithPageSize accepts. Without WithPageSize the service returns
	// pages of your storage configuration quota or 100, whichever is smaller.
	MaxPageSize = rules.MaxResultsMax
)

// ErrNoStorageConfiguration is the error (wrapped in *smithy.OperationError) of a
// CreateStorageConfiguration or GetStorageConfiguration response that holds no storage configuration.
var ErrNoStorageConfiguration = errors.New("recording: the response holds no storage configuration")

// API is the part of the official *ivsrealtime.Client that Client uses, with the SDK's exact signatures,
// so a test can hand NewClient a fake. Implementations must not modify the inputs they are given (the
// official client does not): Client shares the immutable parts of its Storage values with them.
type API interface {
	CreateStorageConfiguration(ctx context.Context, params *ivsrealtime.CreateStorageConfigurationInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.CreateStorageConfigurationOutput, error)
	GetStorageConfiguration(ctx context.Context, params *ivsrealtime.GetStorageConfigurationInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.GetStorageConfigurationOutput, error)
	ListStorageConfigurations(ctx context.Context, params *ivsrealtime.ListStorageConfigurationsInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.ListStorageConfigurationsOutput, error)
	DeleteStorageConfiguration(ctx context.Context, params *ivsrealtime.DeleteStorageConfigurationInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.DeleteStorageConfigurationOutput, error)
}

var _ API = (*ivsrealtime.Client)(nil)

// StorageConfiguration is a storage configuration as the service reports it: where the recordings of the
// stages that name its ARN are written.
type StorageConfiguration struct {
	// ARN is arn:aws:ivs:<region>:<account>:storage-configuration/<id>.
	ARN string
	// Name is the configuration's name, "" when it has none.
	Name string
	// BucketName is the S3 bucket recordings are written to.
	BucketName string
	// Tags are the configuration's tags (nil when it has none). The map is the caller's: the library keeps
	// no reference to it.
	Tags map[string]string
}

// ID returns the last segment of the ARN, what follows its last '/' (the resource ID after
// "storage-configuration/"). An ARN without '/' is its own last segment and is returned whole; "" and an
// ARN ending with '/' give "". stage.Stage.ID answers the same way.
func (s StorageConfiguration) ID() string { return rules.ResourceID(s.ARN) }

// Recording returns New(s.ARN): individual participant recording into this storage configuration, every
// other setting at the service's default. Refine it with Config's With… methods.
func (s StorageConfiguration) Recording() Config { return New(s.ARN) }

func storageFromSDK(arn, name *string, s3 *types.S3StorageConfiguration, tags map[string]string) StorageConfiguration {
	out := StorageConfiguration{ARN: aws.ToString(arn), Name: aws.ToString(name), Tags: copymap.Replace(tags)}
	if s3 != nil {
		out.BucketName = aws.ToString(s3.BucketName)
	}
	return out
}

// Client creates, reads, lists and deletes storage configurations. It validates every input before anything
// is sent (invalid input makes no request) and is safe for concurrent use.
//
// Each operation is one call of the official client, which signs, retries and resolves endpoints, paced
// at its quota; errors read as the package doc's "Errors" says, quotas are under "Limits and quotas".
type Client struct {
	api   API
	calls budget.Calls // per-call options, then the pacing of each operation (budget.go)
}

// NewClient returns a Client that calls api (an *ivsrealtime.Client, or a fake in tests). api must not be
// nil.
func NewClient(api API) *Client {
	return &Client{api: api, calls: budget.NewCalls(svc.Base(), budget.New("recording", operationRates))}
}

// NewClientFromConfig returns a Client on the official client built from cfg and optFns
// (ivsrealtime.NewFromConfig): credentials, region, HTTP client, retryer and every SDK option work as usual.
func NewClientFromConfig(cfg aws.Config, optFns ...func(*ivsrealtime.Options)) *Client {
	return NewClient(ivsrealtime.NewFromConfig(cfg, optFns...))
}

// WithOptions returns a Client on the same API that passes optFns (after any it already passes) to every
// call it makes, as the SDK's per-call options: e.g. a RetryMaxAttempts or an APIOptions middleware for
// these calls only. c itself is unchanged.
func (c *Client) WithOptions(optFns ...func(*ivsrealtime.Options)) *Client {
	return &Client{api: c.api, calls: c.calls.WithOptions(optFns...)}
}

// CreateStorage validates s and sends one CreateStorageConfiguration request. It returns the created storage
// configuration; pass its Recording() (or New(ARN)) to a stage to record into it.
//
// The bucket must already exist in the client's region, with S3 Object Ownership "bucket owner enforced" or
// "bucket owner preferred" and SSE-S3 encryption; IVS modifies its bucket policy so that it may write
// recordings. s is checked as Storage.Validate says. Past StorageConfigurationsQuota (5 per account and
// region, adjustable) the service answers *types.ServiceQuotaExceededException (HTTP 402).
func (c *Client) CreateStorage(ctx context.Context, s Storage) (StorageConfiguration, error) {
	in, err := s.input()
	if err != nil {
		return StorageConfiguration{}, rules.OperationError(opCreateStorage, err)
	}
	out, err := c.api.CreateStorageConfiguration(ctx, in, c.calls.Opts...)
	if err != nil {
		return StorageConfiguration{}, svc.Err(err)
	}
	if out == nil || out.StorageConfiguration == nil {
		return StorageConfiguration{}, rules.OperationError(opCreateStorage, ErrNoStorageConfiguration)
	}
	sc := out.StorageConfiguration
	return storageFromSDK(sc.Arn, sc.Name, sc.S3, sc.Tags), nil
}

// GetStorage validates arn (arn:aws:ivs:<region>:<account>:storage-configuration/<id>, at most 128 code
// points) and sends one GetStorageConfiguration request. An unknown one returns
// *types.ResourceNotFoundException (HTTP 404).
func (c *Client) GetStorage(ctx context.Context, arn string) (StorageConfiguration, error) {
	if err := checkStorageARN(getStorageInput, arn); err != nil {
		return StorageConfiguration{}, rules.OperationError(opGetStorage, err)
	}
	out, err := c.api.GetStorageConfiguration(ctx, &ivsrealtime.GetStorageConfigurationInput{Arn: aws.String(arn)}, c.calls.Opts...)
	if err != nil {
		return StorageConfiguration{}, svc.Err(err)
	}
	if out == nil || out.StorageConfiguration == nil {
		return StorageConfiguration{}, rules.OperationError(opGetStorage, ErrNoStorageConfiguration)
	}
	sc := out.StorageConfiguration
	return storageFromSDK(sc.Arn, sc.Name, sc.S3, sc.Tags), nil
}

// DeleteStorage validates arn (as for GetStorage) and sends one DeleteStorageConfiguration request. An
// unknown one returns *types.ResourceNotFoundException (HTTP 404), and one a composition or a stage still
// uses is refused with *types.ConflictException (HTTP 409; the model documents it for compositions, the
// user guide allows deleting only one no stage uses): turn recording off on those stages first.
func (c *Client) DeleteStorage(ctx context.Context, arn string) error {
	if err := checkStorageARN(deleteStorageInput, arn); err != nil {
		return rules.OperationError(opDeleteStorage, err)
	}
	_, err := c.api.DeleteStorageConfiguration(ctx, &ivsrealtime.DeleteStorageConfigurationInput{Arn: aws.String(arn)}, c.calls.Opts...)
	return svc.Err(err)
}

func checkStorageARN(input, arn string) error {
	errs := smithy.InvalidParamsError{Context: input}
	rules.StorageConfigurationArn.Check(&errs, fieldArn, arn)
	return rules.Result(errs)
}

// ListOption changes how Client.ListStorage pages through the storage configurations.
type ListOption func(*listOptions)

type listOptions struct {
	pageSize    int
	pageSizeSet bool
}

// WithPageSize sets how many storage configurations each ListStorageConfigurations request asks for
// (maxResults): MinPageSize (1) to MaxPageSize (100). It changes the number of requests, not the
// configurations yielded. Default: not sent, and the service returns your storage configuration quota or
// 100 per page, whichever is smaller.
func WithPageSize(n int) ListOption {
	return func(o *listOptions) { o.pageSize, o.pageSizeSet = n, true }
}

// ListStorage returns an iterator over every storage configuration of the account in the client's region,
// in the service's order. It sends ListStorageConfigurations requests as the iteration needs them,
// following nextToken transparently, and sends no more once the caller stops. Each iteration starts again
// from the first page. The options (WithPageSize) are validated before the first request.
func (c *Client) ListStorage(ctx context.Context, opts ...ListOption) iter.Seq2[StorageConfiguration, error] {
	var o listOptions
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	var maxResults *int32
	errs := smithy.InvalidParamsError{Context: listStorageInput}
	if o.pageSizeSet {
		rules.MaxResults.Check(&errs, fieldMaxResults, int64(o.pageSize))
		maxResults = aws.Int32(int32(o.pageSize))
	}
	var invalid error
	if errs.Len() > 0 {
		invalid = rules.OperationError(opListStorage, errs)
	}
	return svc.Seq(opListStorage, invalid, func(next *string) ([]StorageConfiguration, *string, error) {
		in := &ivsrealtime.ListStorageConfigurationsInput{MaxResults: maxResults, NextToken: next}
		out, err := c.api.ListStorageConfigurations(ctx, in, c.calls.Opts...)
		if err != nil || out == nil {
			return nil, nil, err
		}
		items := make([]StorageConfiguration, len(out.StorageConfigurations))
		for i, s := range out.StorageConfigurations {
			items[i] = storageFromSDK(s.Arn, s.Name, s.S3, s.Tags)
		}
		return items, out.NextToken, nil
	})
}
