package stage

import (
	"context"
	"iter"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/smithy-go"

	"github.com/ivsrt/ivsrt/internal/rules"
)

// ListOption changes how Client.List pages through the stages.
type ListOption func(*listOptions)

type listOptions struct {
	pageSize    int
	pageSizeSet bool
}

// WithPageSize sets how many stages each ListStages request asks for (maxResults): MinPageSize (1) to
// MaxPageSize (100). It changes the number of requests, not the stages yielded. Default: not sent, and the
// service returns DefaultPageSize (50) per page.
func WithPageSize(n int) ListOption {
	return func(o *listOptions) { o.pageSize, o.pageSizeSet = n, true }
}

// List returns an iterator over every stage of the account in the client's region, in the service's order.
// It sends ListStages requests as the iteration needs them, following nextToken transparently, and sends no
// more once the caller stops (breaks out of the range loop). Each iteration starts again from the first
// page.
//
// The options are validated before the first request: invalid options yield a single (Summary{}, err),
// err a smithy.InvalidParamsError ("ListStagesInput.MaxResults") wrapped in *smithy.OperationError, and
// send nothing. A failed request yields (Summary{}, err) with the SDK's error, after the stages of the
// pages before it, and ends the iteration. Quota: 5 requests per second (one request per page).
func (c *Client) List(ctx context.Context, opts ...ListOption) iter.Seq2[Summary, error] {
	var o listOptions
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	var first ivsrealtime.ListStagesInput
	errs := smithy.InvalidParamsError{Context: listInput}
	if o.pageSizeSet {
		rules.MaxResults.Check(&errs, fieldMaxResults, int64(o.pageSize))
		if errs.Len() == 0 {
			first.MaxResults = aws.Int32(int32(o.pageSize))
		}
	}
	invalid := rules.Result(errs)
	return func(yield func(Summary, error) bool) {
		if invalid != nil {
			yield(Summary{}, rules.OperationError(opList, invalid))
			return
		}
		next := first
		for {
			in := next // a fresh input per request: the SDK and fakes may keep it
			out, err := c.api.ListStages(ctx, &in)
			if err != nil {
				yield(Summary{}, err)
				return
			}
			if out == nil {
				return
			}
			for _, s := range out.Stages {
				if !yield(summaryFromSDK(s), nil) {
					return
				}
			}
			token := aws.ToString(out.NextToken)
			// An empty token ends the list; a repeated one would loop forever (the SDK's paginators stop on
			// it too).
			if token == "" || token == aws.ToString(in.NextToken) {
				return
			}
			next.NextToken = out.NextToken
		}
	}
}
