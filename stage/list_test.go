package stage_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/stage"
)

func summaryARN(i int) string {
	return fmt.Sprintf("arn:aws:ivs:us-east-1:123456789012:stage/Stage%d", i)
}

// pagedMock answers ListStages with pages of the given sizes (stages numbered from 0), keyed by nextToken
// "page<n>". failPage ≥ 0 answers that page with AccessDeniedException.
func pagedMock(t *testing.T, sizes []int, failPage int) *testutil.Mock {
	t.Helper()
	mock := testutil.NewMock()
	mock.RespondFunc("ListStages", func(_ *http.Request, body []byte) (int, string, string) {
		var in struct{ NextToken string }
		if err := json.Unmarshal(body, &in); err != nil {
			return 400, `{"exceptionMessage": "bad body"}`, "ValidationException"
		}
		page := 0
		if in.NextToken != "" {
			if _, err := fmt.Sscanf(in.NextToken, "page%d", &page); err != nil {
				return 400, `{"exceptionMessage": "bad token"}`, "ValidationException"
			}
		}
		if page == failPage {
			return 403, `{"exceptionMessage": "denied"}`, "AccessDeniedException"
		}
		first := 0
		for _, n := range sizes[:page] {
			first += n
		}
		var out struct {
			Stages    []map[string]any `json:"stages"`
			NextToken string           `json:"nextToken,omitempty"`
		}
		out.Stages = []map[string]any{}
		for i := first; i < first+sizes[page]; i++ {
			out.Stages = append(out.Stages, map[string]any{"arn": summaryARN(i), "name": fmt.Sprint("s", i)})
		}
		if page+1 < len(sizes) {
			out.NextToken = fmt.Sprint("page", page+1)
		}
		b, _ := json.Marshal(out)
		return 200, string(b), ""
	})
	return mock
}

// Three pages are followed transparently, in order, with the page size on every request.
func TestListPages(t *testing.T) {
	t.Parallel()
	mock := pagedMock(t, []int{2, 2, 1}, -1)
	var arns []string
	for s, err := range stage.NewClientFromConfig(mock.Config()).List(t.Context(), stage.WithPageSize(2)) {
		require.NoError(t, err)
		arns = append(arns, s.ARN)
	}
	assert.Equal(t, []string{summaryARN(0), summaryARN(1), summaryARN(2), summaryARN(3), summaryARN(4)}, arns)
	reqs := mock.Requests()
	require.Len(t, reqs, 3)
	jsonEqual(t, []byte(`{"maxResults": 2}`), reqs[0].Body)
	jsonEqual(t, []byte(`{"maxResults": 2, "nextToken": "page1"}`), reqs[1].Body)
	jsonEqual(t, []byte(`{"maxResults": 2, "nextToken": "page2"}`), reqs[2].Body)
}

// Breaking out of the loop stops fetching: after the first item of page 1, or after its last.
func TestListStopsWhenTheCallerBreaks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		take      int
		wantCalls int
	}{
		{"first item of page 1", 1, 1},
		{"last item of page 1", 2, 1},
		{"first item of page 2", 3, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := pagedMock(t, []int{2, 2, 1}, -1)
			n := 0
			for _, err := range stage.NewClientFromConfig(mock.Config()).List(t.Context()) {
				require.NoError(t, err)
				n++
				if n == tt.take {
					break
				}
			}
			assert.Equal(t, tt.take, n)
			assert.Equal(t, tt.wantCalls, mock.Count())
		})
	}
}

// A failed page yields the stages before it, then the SDK's error, then ends.
func TestListErrorMidway(t *testing.T) {
	t.Parallel()
	mock := pagedMock(t, []int{2, 2, 1}, 1)
	var arns []string
	var errs []error
	for s, err := range stage.NewClientFromConfig(mock.Config()).List(t.Context()) {
		if err != nil {
			assert.Equal(t, stage.Summary{}, s)
			errs = append(errs, err)
			continue
		}
		arns = append(arns, s.ARN)
	}
	assert.Equal(t, []string{summaryARN(0), summaryARN(1)}, arns)
	require.Len(t, errs, 1)
	var denied *types.AccessDeniedException
	assert.ErrorAs(t, errs[0], &denied)
	assert.Equal(t, 2, mock.Count())
}

// The page size: 1..100 is sent, anything else yields one validation error and sends nothing; unset sends
// no maxResults (the service default, 50).
func TestListPageSize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts []stage.ListOption
		want string // the request body; "" = invalid
	}{
		{"unset", nil, `{}`},
		{"nil option", []stage.ListOption{nil}, `{}`},
		{"-1", []stage.ListOption{stage.WithPageSize(-1)}, ""},
		{"0", []stage.ListOption{stage.WithPageSize(0)}, ""},
		{"1", []stage.ListOption{stage.WithPageSize(1)}, `{"maxResults": 1}`},
		{"100", []stage.ListOption{stage.WithPageSize(100)}, `{"maxResults": 100}`},
		{"101", []stage.ListOption{stage.WithPageSize(101)}, ""},
		{"last one wins", []stage.ListOption{stage.WithPageSize(0), stage.WithPageSize(7)}, `{"maxResults": 7}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := pagedMock(t, []int{1}, -1)
			var items []stage.Summary
			var errs []error
			for s, err := range stage.NewClientFromConfig(mock.Config()).List(t.Context(), tt.opts...) {
				items = append(items, s)
				errs = append(errs, err)
			}
			if tt.want == "" {
				require.Len(t, errs, 1)
				assert.Equal(t, []stage.Summary{{}}, items)
				assertInvalid(t, errs[0], "ListStages", map[string]string{"ListStagesInput.MaxResults": rules.RuleRange})
				assert.Zero(t, mock.Count())
				return
			}
			require.Len(t, errs, 1)
			assert.NoError(t, errs[0])
			jsonEqual(t, []byte(tt.want), only(t, mock).Body)
		})
	}
}

// Every field of a summary.
func TestListParsesSummaries(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	mock.Respond("ListStages", 200, `{"stages": [
		{"arn": "`+stageARN+`", "name": "town-hall", "activeSessionId": "st-a1b2c3d4e5f6g", "tags": {"team": "events"}},
		{"arn": "`+summaryARN(1)+`"}
	]}`)
	var got []stage.Summary
	for s, err := range stage.NewClientFromConfig(mock.Config()).List(t.Context()) {
		require.NoError(t, err)
		got = append(got, s)
	}
	assert.Equal(t, []stage.Summary{
		{ARN: stageARN, Name: "town-hall", ActiveSessionID: "st-a1b2c3d4e5f6g", Tags: map[string]string{"team": "events"}},
		{ARN: summaryARN(1)},
	}, got)
	assert.Equal(t, "AbCdEf123456", got[0].ID())
}

// A service that hands back a token already sent (the one just sent or an earlier one) would loop forever:
// the iteration ends with an error naming the operation instead. And an empty list yields nothing.
func TestListEdgeCases(t *testing.T) {
	t.Parallel()
	t.Run("repeated tokens", func(t *testing.T) {
		t.Parallel()
		// The fake fails the test after maxCalls requests and then ends the list, so a regression that
		// follows the cycle fails here instead of running into the test timeout.
		const maxCalls = 10
		for _, tt := range []struct {
			name  string
			next  map[string]string // token sent → nextToken answered
			pages int               // pages fetched before the error
			token string            // the repeated token the error names
		}{
			{"A, A", map[string]string{"": "A", "A": "A"}, 2, "A"},
			{"A, B, A", map[string]string{"": "A", "A": "B", "B": "A"}, 3, "A"},
			{"A, B, C, B", map[string]string{"": "A", "A": "B", "B": "C", "C": "B"}, 4, "B"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				mock := testutil.NewMock()
				calls := 0
				mock.RespondFunc("ListStages", func(_ *http.Request, body []byte) (int, string, string) {
					var in struct{ NextToken string }
					_ = json.Unmarshal(body, &in)
					if calls++; calls > maxCalls {
						t.Errorf("ListStages called %d times: the pagination does not end", calls)
						return 200, `{"stages": []}`, ""
					}
					return 200, `{"stages": [{"arn": "` + stageARN + `"}], "nextToken": "` + tt.next[in.NextToken] + `"}`, ""
				})
				n := 0
				var errs []error
				for _, err := range stage.NewClientFromConfig(mock.Config()).List(t.Context()) {
					if err != nil {
						errs = append(errs, err)
						continue
					}
					n++
				}
				assert.Equal(t, tt.pages, n, "the stages of every page fetched")
				assert.Equal(t, tt.pages, mock.Count())
				require.Len(t, errs, 1)
				var opErr *smithy.OperationError
				require.ErrorAs(t, errs[0], &opErr)
				assert.Equal(t, "ListStages", opErr.OperationName)
				assert.Equal(t, fmt.Sprintf("operation error IVS RealTime: ListStages, nextToken %q of page %d repeats a token "+
					"already sent in this iteration: the list would never end", tt.token, tt.pages), errs[0].Error())
			})
		}
	})
	t.Run("empty", func(t *testing.T) {
		t.Parallel()
		mock := testutil.NewMock()
		mock.Respond("ListStages", 200, `{"stages": []}`)
		for s, err := range stage.NewClientFromConfig(mock.Config()).List(t.Context()) {
			t.Fatalf("unexpected %v, %v", s, err)
		}
		assert.Equal(t, 1, mock.Count())
	})
	t.Run("each iteration starts again", func(t *testing.T) {
		t.Parallel()
		mock := pagedMock(t, []int{1, 1}, -1)
		seq := stage.NewClientFromConfig(mock.Config()).List(t.Context())
		for range 2 {
			n := 0
			for _, err := range seq {
				require.NoError(t, err)
				n++
			}
			assert.Equal(t, 2, n)
		}
		assert.Equal(t, 4, mock.Count())
	})
	t.Run("canceled context", func(t *testing.T) {
		t.Parallel()
		mock := pagedMock(t, []int{1}, -1)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		var errs []error
		for _, err := range stage.NewClientFromConfig(mock.Config()).List(ctx) {
			errs = append(errs, err)
		}
		require.Len(t, errs, 1)
		assert.ErrorIs(t, errs[0], context.Canceled)
	})
}
