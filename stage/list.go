package stage

import (
	"context"
	"fmt"
	"iter"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/svc"
	"github.com/ivsrt/ivsrt/recording"
)

// ListOption changes how an iterator (List, Sessions, Participants, ParticipantEvents, Replicas) pages
// through its list: the page size (WithPageSize), and for Participants one filter (FilterUserID,
// FilterPublished, FilterState, FilterRecordingState). Options are applied in order; a later option of the
// same kind replaces an earlier one. A nil ListOption is ignored.
type ListOption func(*listOptions)

type listOptions struct {
	pageSize    int
	pageSizeSet bool

	userID         string
	userIDSet      bool
	published      bool
	state          ParticipantState
	stateSet       bool
	recordingState recording.State
	recordingSet   bool
}

// WithPageSize sets how many items each request of an iterator asks for (maxResults): MinPageSize (1) to
// MaxPageSize (100), or to MaxReplicaPageSize (50) for Replicas. It changes the number of requests, not the
// items yielded. Default: not sent, and the service returns DefaultPageSize (50) items per page.
func WithPageSize(n int) ListOption {
	return func(o *listOptions) { o.pageSize, o.pageSizeSet = n, true }
}

// FilterUserID makes Participants list only the participants whose token carries userID (filterByUserId:
// at most MaxUserIDLength, 128, code points; "" is sent as given). The service takes at most one filter per
// request: combined with another filter, or given to another iterator than Participants, it is a
// validation error and nothing is sent. Default: no filter.
func FilterUserID(userID string) ListOption {
	return func(o *listOptions) { o.userID, o.userIDSet = userID, true }
}

// FilterPublished makes Participants list only the participants who published during the session
// (filterByPublished: true). The service takes at most one filter per request: combined with another
// filter, or given to another iterator than Participants, it is a validation error and nothing is sent.
// Default: no filter.
func FilterPublished() ListOption {
	return func(o *listOptions) { o.published = true }
}

// FilterState makes Participants list only the participants in state (filterByState: ParticipantConnected
// or ParticipantDisconnected). The service takes at most one filter per request: combined with another
// filter, or given to another iterator than Participants, it is a validation error and nothing is sent.
// Default: no filter.
func FilterState(state ParticipantState) ListOption {
	return func(o *listOptions) { o.state, o.stateSet = state, true }
}

// FilterRecordingState makes Participants list only the participants whose recording is in state
// (filterByRecordingState): StateStarting, StateActive, StateStopping, StateStopped or StateFailed;
// recording.StateDisabled is refused, as the service refuses it. The service takes at most one filter per
// request: combined with another filter, or given to another iterator than Participants, it is a
// validation error and nothing is sent. Default: no filter.
func FilterRecordingState(state recording.State) ListOption {
	return func(o *listOptions) { o.recordingState, o.recordingSet = state, true }
}

func resolveList(opts []ListOption) listOptions {
	var o listOptions
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	return o
}

// filters names the filter fields o sets, in the model's order.
func (o *listOptions) filters() []string {
	var set []string
	if o.userIDSet {
		set = append(set, fieldFilterUserID)
	}
	if o.published {
		set = append(set, fieldFilterPublished)
	}
	if o.stateSet {
		set = append(set, fieldFilterState)
	}
	if o.recordingSet {
		set = append(set, fieldFilterRecordingState)
	}
	return set
}

// check reports the page size outside pageSizes and, for an iterator without filters (filtered false),
// any filter; it returns maxResults to send (nil when unset or invalid).
func (o *listOptions) check(errs *smithy.InvalidParamsError, pageSizes rules.Int, filtered bool, op string) *int32 {
	if !filtered {
		for _, f := range o.filters() {
			errs.Add(rules.New(f, rules.RuleConflict,
				fmt.Sprintf("participant filters apply only to Client.Participants (ListParticipants), not to %s", op)))
		}
	}
	if !o.pageSizeSet {
		return nil
	}
	n := errs.Len()
	pageSizes.Check(errs, fieldMaxResults, int64(o.pageSize))
	if errs.Len() > n {
		return nil
	}
	return aws.Int32(int32(o.pageSize))
}

// List returns an iterator over every stage of the account in the client's region, in the service's order.
// It sends ListStages requests as the iteration needs them, following nextToken transparently, and sends no
// more once the caller stops (breaks out of the range loop). Each iteration starts again from the first
// page. opts: WithPageSize (1..100); a participant filter is a validation error here.
func (c *Client) List(ctx context.Context, opts ...ListOption) iter.Seq2[Summary, error] {
	o := resolveList(opts)
	errs := smithy.InvalidParamsError{Context: listInput}
	maxResults := o.check(&errs, rules.MaxResults, false, opList)
	return convert(svc.Seq(opList, invalid(opList, errs), func(next *string) ([]types.StageSummary, *string, error) {
		out, err := c.api.ListStages(ctx, &ivsrealtime.ListStagesInput{MaxResults: maxResults, NextToken: next}, c.calls.Opts...)
		if err != nil || out == nil {
			return nil, nil, err
		}
		return out.Stages, out.NextToken, nil
	}), summaryFromSDK)
}

// convert returns seq with each item converted by from: the items are converted one by one as they are
// yielded, straight from the response's own slice, with no slice of converted items per page. An error is
// yielded with the zero T.
func convert[S, T any](seq iter.Seq2[S, error], from func(*S) T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for item, err := range seq {
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			if !yield(from(&item), nil) {
				return
			}
		}
	}
}

// invalid returns errs wrapped as op's validation error, or nil when errs holds no violation.
func invalid(op string, errs smithy.InvalidParamsError) error {
	if err := rules.Result(errs); err != nil {
		return rules.OperationError(op, err)
	}
	return nil
}
