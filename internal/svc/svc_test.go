package svc_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/svc"
)

func TestErrFillsEveryModeledError(t *testing.T) {
	t.Parallel()
	text := aws.String("the service's words")
	tests := []struct {
		name string
		err  smithy.APIError
	}{
		{"AccessDenied", &types.AccessDeniedException{ExceptionMessage: text}},
		{"Conflict", &types.ConflictException{ExceptionMessage: text}},
		{"InternalServer", &types.InternalServerException{ExceptionMessage: text}},
		{"PendingVerification", &types.PendingVerification{ExceptionMessage: text}},
		{"ResourceNotFound", &types.ResourceNotFoundException{ExceptionMessage: text}},
		{"ServiceQuotaExceeded", &types.ServiceQuotaExceededException{ExceptionMessage: text}},
		{"Validation", &types.ValidationException{ExceptionMessage: text}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wrapped := &smithy.OperationError{ServiceID: ivsrealtime.ServiceID, OperationName: "GetStage", Err: tt.err}
			got := svc.Err(wrapped)
			assert.Same(t, wrapped, got, "same error value, same wrapping")
			assert.Equal(t, "the service's words", tt.err.ErrorMessage())
			assert.Equal(t, "operation error IVS RealTime: GetStage, "+tt.err.ErrorCode()+": the service's words", got.Error())
		})
	}
}

func TestErrLeavesOtherErrorsAlone(t *testing.T) {
	t.Parallel()
	assert.NoError(t, svc.Err(nil))
	plain := errors.New("plain")
	assert.Same(t, plain, svc.Err(plain))
	set := &types.ConflictException{Message: aws.String("kept"), ExceptionMessage: aws.String("other")}
	svc.Err(set)
	assert.Equal(t, "kept", set.ErrorMessage(), "a Message already set is kept")
	empty := &types.ConflictException{}
	svc.Err(empty)
	assert.Nil(t, empty.Message, "nothing to fill from")
}

func TestOptsWithNeverSharesABackingArray(t *testing.T) {
	t.Parallel()
	// Spare capacity: an append in place would let one derived slice overwrite its sibling's option.
	base := make(svc.Opts, 1, 8)
	base[0] = func(*ivsrealtime.Options) {}
	left := base.With(func(o *ivsrealtime.Options) { o.Region = "left" })
	right := base.With(func(o *ivsrealtime.Options) { o.Region = "right" })
	require.Len(t, left, 2)
	require.Len(t, right, 2)
	assert.Len(t, base, 1, "base is unchanged")
	apply := func(opts svc.Opts) string {
		o := &ivsrealtime.Options{}
		for _, f := range opts {
			f(o)
		}
		return o.Region
	}
	assert.Equal(t, "left", apply(left), "a sibling's With did not overwrite this slice")
	assert.Equal(t, "right", apply(right))
	assert.Len(t, base.With(), 1, "With() of nothing adds nothing")
}

func TestSeq(t *testing.T) {
	t.Parallel()
	pages := map[string]struct {
		items []int
		next  string
	}{
		"":   {[]int{1, 2}, "p2"},
		"p2": {[]int{3}, "p3"},
		"p3": {nil, "p4"},
		"p4": {[]int{4}, ""},
	}
	fetch := func(calls *[]string) svc.Page[int] {
		return func(next *string) ([]int, *string, error) {
			tok := aws.ToString(next)
			*calls = append(*calls, tok)
			p := pages[tok]
			return p.items, aws.String(p.next), nil
		}
	}
	t.Run("every page, in order, an empty page included", func(t *testing.T) {
		var calls []string
		var got []int
		for v, err := range svc.Seq("ListThings", nil, fetch(&calls)) {
			require.NoError(t, err)
			got = append(got, v)
		}
		assert.Equal(t, []int{1, 2, 3, 4}, got)
		assert.Equal(t, []string{"", "p2", "p3", "p4"}, calls)
	})
	t.Run("stopping early fetches no more", func(t *testing.T) {
		var calls []string
		for v := range svc.Seq("ListThings", nil, fetch(&calls)) {
			if v == 2 {
				break
			}
		}
		assert.Equal(t, []string{""}, calls)
	})
	t.Run("invalid input yields once and fetches nothing", func(t *testing.T) {
		var calls []string
		invalid := errors.New("invalid")
		n := 0
		for v, err := range svc.Seq("ListThings", invalid, fetch(&calls)) {
			n++
			assert.Zero(t, v)
			assert.Same(t, invalid, err)
		}
		assert.Equal(t, 1, n)
		assert.Empty(t, calls)
	})
	t.Run("an error after a page is yielded once, repaired", func(t *testing.T) {
		calls := 0
		nf := &types.ResourceNotFoundException{ExceptionMessage: aws.String("gone")}
		seq := svc.Seq("ListThings", nil, func(*string) ([]int, *string, error) {
			calls++
			if calls == 2 {
				return nil, nil, nf
			}
			return []int{7}, aws.String("next"), nil
		})
		var got []int
		var errs []error
		for v, err := range seq {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			got = append(got, v)
		}
		assert.Equal(t, []int{7}, got)
		require.Len(t, errs, 1)
		assert.Equal(t, "ResourceNotFoundException: gone", errs[0].Error())
	})
}

// A nextToken that comes back to any token already sent in the iteration ends it with an error naming the
// operation, after the items of the page that returned it; the pages before are not fetched again.
func TestSeqRepeatedTokens(t *testing.T) {
	t.Parallel()
	cycle := func(n int) map[string]string { // "" → t0 → t1 … → t(n-1) → t0
		next := map[string]string{"": "t0"}
		for i := range n {
			next[fmt.Sprintf("t%d", i)] = fmt.Sprintf("t%d", (i+1)%n)
		}
		return next
	}
	tests := []struct {
		name string
		next map[string]string // token sent → nextToken returned
		// wantCalls is the tokens sent, in order; wantRepeat the token named by the error, on page wantPage.
		wantCalls  []string
		wantRepeat string
		wantPage   int
	}{
		{"A, A", map[string]string{"": "A", "A": "A"}, []string{"", "A"}, "A", 2},
		{"A, B, A", map[string]string{"": "A", "A": "B", "B": "A"}, []string{"", "A", "B"}, "A", 3},
		{"A, B, B", map[string]string{"": "A", "A": "B", "B": "B"}, []string{"", "A", "B"}, "B", 3},
		{"A, B, C, A", map[string]string{"": "A", "A": "B", "B": "C", "C": "A"}, []string{"", "A", "B", "C"}, "A", 4},
		{"a cycle of 200", cycle(200), func() []string {
			calls := []string{""}
			for i := range 200 {
				calls = append(calls, fmt.Sprintf("t%d", i))
			}
			return calls
		}(), "t0", 201},
		{"no repeat", map[string]string{"": "A", "A": "B", "B": ""}, []string{"", "A", "B"}, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var calls []string
			seq := svc.Seq("ListThings", nil, func(tok *string) ([]int, *string, error) {
				calls = append(calls, aws.ToString(tok))
				if len(calls) > 1000 {
					return nil, nil, errors.New("bounded: the pagination never ends")
				}
				return []int{len(calls)}, aws.String(tt.next[aws.ToString(tok)]), nil
			})
			for range 2 { // each iteration starts again, with no token sent
				calls = nil
				var items []int
				var errs []error
				for v, err := range seq {
					if err != nil {
						errs = append(errs, err)
						continue
					}
					items = append(items, v)
				}
				assert.Equal(t, tt.wantCalls, calls)
				assert.Len(t, items, len(tt.wantCalls), "the items of every page fetched, the last one included")
				if tt.wantRepeat == "" {
					assert.Empty(t, errs)
					continue
				}
				require.Len(t, errs, 1, "the error is yielded once and ends the iteration")
				var opErr *smithy.OperationError
				require.ErrorAs(t, errs[0], &opErr)
				assert.Equal(t, "ListThings", opErr.OperationName)
				assert.Equal(t, ivsrealtime.ServiceID, opErr.ServiceID)
				assert.ErrorIs(t, errs[0], svc.ErrTokenRepeated)
				assert.Equal(t, fmt.Sprintf("operation error IVS RealTime: ListThings, nextToken %q of page %d repeats a token "+
					"already sent in this iteration: the list would never end", tt.wantRepeat, tt.wantPage), errs[0].Error())
			}
		})
	}
	t.Run("stopping at the error", func(t *testing.T) {
		t.Parallel()
		calls := 0
		seq := svc.Seq("ListThings", nil, func(*string) ([]int, *string, error) {
			calls++
			return nil, aws.String("same"), nil
		})
		for _, err := range seq {
			require.Error(t, err)
			break
		}
		assert.Equal(t, 2, calls)
	})
	t.Run("a long token is cut in the text", func(t *testing.T) {
		t.Parallel()
		long := strings.Repeat("n", 1024)
		var got error
		for _, err := range svc.Seq("ListThings", nil, func(*string) ([]int, *string, error) { return nil, &long, nil }) {
			got = err
		}
		require.Error(t, got)
		assert.Contains(t, got.Error(), `nextToken "`+strings.Repeat("n", 64)+`"… of page 2`)
		assert.NotContains(t, got.Error(), strings.Repeat("n", 65))
	})
}
