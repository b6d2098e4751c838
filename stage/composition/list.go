package composition

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"

	"github.com/ivsrt/ivsrt/internal/rules"
)

// Field names of the list inputs, as they appear in error paths.
const (
	fieldMaxResults    = "MaxResults"
	fieldFilterStage   = "FilterByStageArn"
	fieldFilterEncoder = "FilterByEncoderConfigurationArn"
	fieldFilterState   = "FilterByState"
)

// ListOption changes how an iterator (List, Encoders, Ingests) pages through its list: the page size
// (WithPageSize) and the filters each list takes (FilterStage and FilterEncoder for List; FilterStage or
// FilterIngestState for Ingests). Options are applied in order; a later option of the same kind replaces
// an earlier one. A nil ListOption is ignored. A filter given to a list that does not take it is a
// validation error, and nothing is sent.
type ListOption func(*listOptions)

type listOptions struct {
	pageSize    int
	pageSizeSet bool
	stageARN    string
	stageSet    bool
	encoderARN  string
	encoderSet  bool
	state       IngestState
	stateSet    bool
}

// WithPageSize sets how many items each request of an iterator asks for (maxResults): MinPageSize (1) to
// MaxPageSize (100). It changes the number of requests, not the items yielded. Default: not sent, and the
// service returns DefaultPageSize (100) compositions or encoder configurations, or DefaultIngestPageSize
// (50) ingest configurations, per page.
func WithPageSize(n int) ListOption {
	return func(o *listOptions) { o.pageSize, o.pageSizeSet = n, true }
}

// FilterStage makes List list only the compositions of the stage stageARN (filterByStageArn), and Ingests
// only the ingest configurations attached to it. stageARN is a stage ARN (at most 128 code points).
// Default: no filter.
func FilterStage(stageARN string) ListOption {
	return func(o *listOptions) { o.stageARN, o.stageSet = stageARN, true }
}

// FilterEncoder makes List list only the compositions that use the encoder configuration encoderARN in at
// least one destination (filterByEncoderConfigurationArn). It combines with FilterStage. List only.
// Default: no filter.
func FilterEncoder(encoderARN string) ListOption {
	return func(o *listOptions) { o.encoderARN, o.encoderSet = encoderARN, true }
}

// FilterIngestState makes Ingests list only the ingest configurations in state (filterByState):
// IngestActive or IngestInactive. The service takes one filter per ListIngestConfigurations request, so it
// does not combine with FilterStage. Ingests only. Default: no filter.
func FilterIngestState(state IngestState) ListOption {
	return func(o *listOptions) { o.state, o.stateSet = state, true }
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

// maxResults checks the page size and returns maxResults to send (nil when unset or invalid).
func (o *listOptions) maxResults(errs *smithy.InvalidParamsError) *int32 {
	if !o.pageSizeSet {
		return nil
	}
	n := errs.Len()
	pageSize.Check(errs, fieldMaxResults, int64(o.pageSize))
	if errs.Len() > n {
		return nil
	}
	return aws.Int32(int32(o.pageSize))
}

// refuse reports each filter o sets among those of fields that the list does not take.
func (o *listOptions) refuse(errs *smithy.InvalidParamsError, method string, stage, encoder, state bool) {
	report := func(field, option string) {
		errs.Add(rules.New(field, rules.RuleConflict, fmt.Sprintf("%s does not apply to Client.%s", option, method)))
	}
	if stage && o.stageSet {
		report(fieldFilterStage, "FilterStage")
	}
	if encoder && o.encoderSet {
		report(fieldFilterEncoder, "FilterEncoder")
	}
	if state && o.stateSet {
		report(fieldFilterState, "FilterIngestState")
	}
}

// invalid returns errs wrapped as op's validation error, or nil when errs holds no violation.
func invalid(op string, errs smithy.InvalidParamsError) error {
	if err := rules.Result(errs); err != nil {
		return rules.OperationError(op, err)
	}
	return nil
}

// optional returns &s when set, nil otherwise.
func optional(s string, set bool) *string {
	if !set {
		return nil
	}
	return aws.String(s)
}
