package token_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/token"
)

const (
	keyA = "arn:aws:ivs:us-east-1:123456789012:public-key/KeyA"
	keyB = "arn:aws:ivs:us-east-1:123456789012:public-key/KeyB"
	keyC = "arn:aws:ivs:us-east-1:123456789012:public-key/KeyC"
)

// keyPages answers ListPublicKeys with pages[0] for a request without nextToken, and pages[i] for
// nextToken "page<i>".
func keyPages(mock *testutil.Mock, pages ...string) {
	mock.RespondFunc("ListPublicKeys", func(_ *http.Request, body []byte) (int, string, string) {
		var in struct {
			NextToken string `json:"nextToken"`
		}
		if err := json.Unmarshal(body, &in); err != nil {
			return 400, `{"exceptionMessage": "not JSON"}`, "ValidationException"
		}
		for i := range pages {
			if in.NextToken == "" && i == 0 || in.NextToken == fmt.Sprintf("page%d", i) {
				return 200, pages[i], ""
			}
		}
		return 400, `{"exceptionMessage": "unknown nextToken"}`, "ValidationException"
	})
}

// requestBodies returns each request's JSON body.
func requestBodies(t *testing.T, mock *testutil.Mock) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, r := range mock.Requests() {
		out = append(out, r.JSON(t))
	}
	return out
}

func TestPublicKeysPages(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	keyPages(mock,
		`{"publicKeys": [{"arn": "`+keyA+`", "name": "a", "tags": {"k": "v"}}, {"arn": "`+keyB+`"}], "nextToken": "page1"}`,
		`{"publicKeys": [{"arn": "`+keyC+`", "name": "c"}]}`)
	keys, errs := testutil.CollectAll(token.NewClient(mock.Client()).PublicKeys(t.Context()))
	assert.Equal(t, []token.PublicKeySummary{
		{ARN: keyA, Name: "a", Tags: map[string]string{"k": "v"}},
		{ARN: keyB},
		{ARN: keyC, Name: "c"},
	}, keys)
	assert.Equal(t, []error{nil, nil, nil}, errs)
	assert.Equal(t, []map[string]any{{}, {"nextToken": "page1"}}, requestBodies(t, mock),
		"no maxResults without WithPageSize; the second page asks with the first one's nextToken")
}

// The page size reaches the wire as maxResults on every page; out of 1..100 it is a validation error and
// nothing is sent.
func TestPublicKeysPageSize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		opts  []token.ListOption
		valid bool
		want  any // maxResults on the wire (nil: absent)
	}{
		{"none", nil, true, nil},
		{"nil option ignored", []token.ListOption{nil}, true, nil},
		{"min", []token.ListOption{token.WithPageSize(token.MinPageSize)}, true, float64(1)},
		{"max", []token.ListOption{token.WithPageSize(token.MaxPageSize)}, true, float64(100)},
		{"default, sent as given", []token.ListOption{token.WithPageSize(token.DefaultPageSize)}, true, float64(50)},
		{"the later option wins", []token.ListOption{token.WithPageSize(0), token.WithPageSize(2)}, true, float64(2)},
		{"below min", []token.ListOption{token.WithPageSize(token.MinPageSize - 1)}, false, nil},
		{"above max", []token.ListOption{token.WithPageSize(token.MaxPageSize + 1)}, false, nil},
		{"negative", []token.ListOption{token.WithPageSize(-1)}, false, nil},
		{"beyond int32", []token.ListOption{token.WithPageSize(1 << 40)}, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			keyPages(mock, `{"publicKeys": [{"arn": "`+keyA+`"}], "nextToken": "page1"}`, `{"publicKeys": [{"arn": "`+keyB+`"}]}`)
			keys, errs := testutil.CollectAll(token.NewClient(mock.Client()).PublicKeys(t.Context(), tt.opts...))
			if !tt.valid {
				require.Len(t, errs, 1, "one error, then the iteration ends")
				assert.Equal(t, token.PublicKeySummary{}, keys[0])
				assertOperationError(t, errs[0], "ListPublicKeys")
				testutil.AssertViolations(t, errs[0], map[string]string{"ListPublicKeysInput.MaxResults": rules.RuleRange})
				assert.Contains(t, errs[0].Error(), "is out of range 1..100")
				assert.Zero(t, mock.Count(), "nothing sent")
				return
			}
			assert.Equal(t, []error{nil, nil}, errs)
			assert.Equal(t, []token.PublicKeySummary{{ARN: keyA}, {ARN: keyB}}, keys)
			bodies := requestBodies(t, mock)
			require.Len(t, bodies, 2)
			for i, body := range bodies {
				assert.Equal(t, tt.want, body["maxResults"], "page %d", i+1)
			}
		})
	}
}

// A request that fails after the first page: the first page's keys, then the SDK's typed error (its text
// ending with the service's), then nothing more.
func TestPublicKeysErrorAfterTheFirstPage(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	mock.RespondFunc("ListPublicKeys", func(*http.Request, []byte) (int, string, string) {
		if len(mock.Requests()) == 1 {
			return 200, `{"publicKeys": [{"arn": "` + keyA + `"}, {"arn": "` + keyB + `"}], "nextToken": "page1"}`, ""
		}
		return 403, `{"exceptionMessage": "not allowed to list keys"}`, "AccessDeniedException"
	})
	keys, errs := testutil.CollectAll(token.NewClient(mock.Client()).PublicKeys(t.Context()))
	require.Len(t, errs, 3)
	assert.Equal(t, []token.PublicKeySummary{{ARN: keyA}, {ARN: keyB}, {}}, keys)
	assert.NoError(t, errs[0])
	assert.NoError(t, errs[1])
	var denied *types.AccessDeniedException
	require.ErrorAs(t, errs[2], &denied)
	assert.Contains(t, errs[2].Error(), "ListPublicKeys")
	assert.Contains(t, errs[2].Error(), "not allowed to list keys")
	assert.Equal(t, 2, mock.Count())
}

// Breaking out of the range loop sends no further request; each iteration starts again from the first
// page.
func TestPublicKeysStopsWithTheLoop(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	keyPages(mock, `{"publicKeys": [{"arn": "`+keyA+`"}, {"arn": "`+keyB+`"}], "nextToken": "page1"}`, `{"publicKeys": [{"arn": "`+keyC+`"}]}`)
	seq := token.NewClient(mock.Client()).PublicKeys(t.Context(), token.WithPageSize(2))
	for k, err := range seq {
		require.NoError(t, err)
		assert.Equal(t, keyA, k.ARN)
		break
	}
	assert.Equal(t, 1, mock.Count(), "the second page is never asked for")

	keys, errs := testutil.CollectAll(seq)
	assert.Equal(t, []error{nil, nil, nil}, errs)
	assert.Equal(t, []token.PublicKeySummary{{ARN: keyA}, {ARN: keyB}, {ARN: keyC}}, keys)
	bodies := requestBodies(t, mock)
	require.Len(t, bodies, 3)
	assert.Equal(t, map[string]any{"maxResults": float64(2)}, bodies[1], "the second iteration starts from the first page")
}

// A nextToken that repeats one already sent ends the iteration with an error naming the operation,
// instead of listing the same pages forever.
func TestPublicKeysRepeatedNextToken(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	keyPages(mock, `{"publicKeys": [{"arn": "`+keyA+`"}], "nextToken": "page1"}`, `{"publicKeys": [{"arn": "`+keyB+`"}], "nextToken": "page1"}`)
	keys, errs := testutil.CollectAll(token.NewClient(mock.Client()).PublicKeys(t.Context()))
	require.Len(t, errs, 3)
	assert.Equal(t, []token.PublicKeySummary{{ARN: keyA}, {ARN: keyB}, {}}, keys)
	require.Error(t, errs[2])
	assert.Contains(t, errs[2].Error(), "ListPublicKeys")
	assert.Contains(t, errs[2].Error(), `nextToken "page1" of page 2 repeats a token already sent`)
	assert.Equal(t, 2, mock.Count())
}

// The deprecated ListPublicKeys is PublicKeys collected: every key, or the first error and nothing.
func TestListPublicKeysCollectsPublicKeys(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	keyPages(mock, `{"publicKeys": [{"arn": "`+keyA+`"}], "nextToken": "page1"}`, `{"publicKeys": [{"arn": "`+keyB+`"}]}`)
	c := token.NewClient(mock.Client())
	keys, err := c.ListPublicKeys(t.Context())
	require.NoError(t, err)
	assert.Equal(t, []token.PublicKeySummary{{ARN: keyA}, {ARN: keyB}}, keys)
	assert.Equal(t, 2, mock.Count())

	mock = testutil.NewMock()
	keyPages(mock, `{"publicKeys": [{"arn": "`+keyA+`"}], "nextToken": "page1"}`) // page1 is unknown: a 400
	keys, err = token.NewClient(mock.Client()).ListPublicKeys(t.Context())
	var invalid *types.ValidationException
	require.ErrorAs(t, err, &invalid)
	assert.Nil(t, keys, "nothing listed with an error")
	assert.Equal(t, 2, mock.Count())
}
