package svc_test

import (
	"errors"
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
		for v, err := range svc.Seq(nil, fetch(&calls)) {
			require.NoError(t, err)
			got = append(got, v)
		}
		assert.Equal(t, []int{1, 2, 3, 4}, got)
		assert.Equal(t, []string{"", "p2", "p3", "p4"}, calls)
	})
	t.Run("stopping early fetches no more", func(t *testing.T) {
		var calls []string
		for v := range svc.Seq(nil, fetch(&calls)) {
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
		for v, err := range svc.Seq(invalid, fetch(&calls)) {
			n++
			assert.Zero(t, v)
			assert.Same(t, invalid, err)
		}
		assert.Equal(t, 1, n)
		assert.Empty(t, calls)
	})
	t.Run("a repeated token ends the list", func(t *testing.T) {
		calls := 0
		seq := svc.Seq(nil, func(*string) ([]int, *string, error) {
			calls++
			require.Less(t, calls, 10, "bounded: the loop must end by itself")
			return []int{calls}, aws.String("same"), nil
		})
		var got []int
		for v, err := range seq {
			require.NoError(t, err)
			got = append(got, v)
		}
		assert.Equal(t, []int{1, 2}, got, "the second page repeats the token it was asked with")
	})
	t.Run("an error after a page is yielded once, repaired", func(t *testing.T) {
		calls := 0
		nf := &types.ResourceNotFoundException{ExceptionMessage: aws.String("gone")}
		seq := svc.Seq(nil, func(*string) ([]int, *string, error) {
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
