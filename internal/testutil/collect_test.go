package testutil_test

import (
	"errors"
	"iter"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
)

// pair is one value an iterator yields with its error.
type pair struct {
	v   int
	err error
}

// yields returns an iterator over pairs, counting in *pulled how many it handed out (so a test sees that
// the consumer stopped).
func yields(pulled *int, pairs ...pair) iter.Seq2[int, error] {
	return func(yield func(int, error) bool) {
		for _, p := range pairs {
			*pulled++
			if !yield(p.v, p.err) {
				return
			}
		}
	}
}

// endless yields 0, 1, 2 … for as long as its consumer asks, counting in *pulled.
func endless(pulled *int) iter.Seq2[int, error] {
	return func(yield func(int, error) bool) {
		for i := 0; ; i++ {
			*pulled++
			if !yield(i, nil) {
				return
			}
		}
	}
}

var (
	errA = errors.New("a")
	errB = errors.New("b")
)

// Collect stops at the first error, returning the values before it; CollectAll keeps every pair; FirstErr
// is Collect's error alone.
func TestCollect(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		pairs []pair

		values     []int // Collect's
		err        error
		pulled     int   // pairs Collect took
		allValues  []int // CollectAll's
		allErrs    []error
		allPulled  int
		firstError error
	}{
		{name: "nothing"},
		{name: "values only", pairs: []pair{{1, nil}, {2, nil}},
			values: []int{1, 2}, pulled: 2, allValues: []int{1, 2}, allErrs: []error{nil, nil}, allPulled: 2},
		{name: "an error first", pairs: []pair{{0, errA}, {1, nil}},
			err: errA, pulled: 1, allValues: []int{0, 1}, allErrs: []error{errA, nil}, allPulled: 2, firstError: errA},
		{name: "an error after values", pairs: []pair{{1, nil}, {2, nil}, {0, errA}, {3, errB}},
			values: []int{1, 2}, err: errA, pulled: 3, allValues: []int{1, 2, 0, 3}, allErrs: []error{nil, nil, errA, errB}, allPulled: 4, firstError: errA},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pulled := 0
			values, err := testutil.Collect(yields(&pulled, tt.pairs...))
			assert.Equal(t, tt.values, values)
			assert.Equal(t, tt.err, err)
			assert.Equal(t, tt.pulled, pulled, "Collect stops at the first error")

			pulled = 0
			allValues, allErrs := testutil.CollectAll(yields(&pulled, tt.pairs...))
			assert.Equal(t, tt.allValues, allValues)
			assert.Equal(t, tt.allErrs, allErrs)
			assert.Equal(t, tt.allPulled, pulled, "CollectAll runs to the end")

			pulled = 0
			assert.Equal(t, tt.firstError, testutil.FirstErr(yields(&pulled, tt.pairs...)))
			assert.Equal(t, tt.pulled, pulled, "FirstErr stops where Collect does")
		})
	}
}

// An endless iterator ends each helper after MaxCollect values with ErrEndless, the last value kept being
// the MaxCollect-th; exactly MaxCollect values is no error.
func TestCollectBounded(t *testing.T) {
	t.Parallel()
	pulled := 0
	values, err := testutil.Collect(endless(&pulled))
	assert.ErrorIs(t, err, testutil.ErrEndless)
	require.Len(t, values, testutil.MaxCollect)
	assert.Equal(t, testutil.MaxCollect-1, values[len(values)-1])
	assert.Equal(t, testutil.MaxCollect+1, pulled)

	pulled = 0
	allValues, allErrs := testutil.CollectAll(endless(&pulled))
	require.Len(t, allValues, testutil.MaxCollect+1)
	require.Len(t, allErrs, testutil.MaxCollect+1)
	assert.ErrorIs(t, allErrs[testutil.MaxCollect], testutil.ErrEndless)
	assert.NoError(t, allErrs[testutil.MaxCollect-1])
	assert.Equal(t, testutil.MaxCollect+1, pulled)

	pulled = 0
	assert.ErrorIs(t, testutil.FirstErr(endless(&pulled)), testutil.ErrEndless)

	exact := make([]pair, testutil.MaxCollect)
	pulled = 0
	values, err = testutil.Collect(yields(&pulled, exact...))
	assert.NoError(t, err)
	assert.Len(t, values, testutil.MaxCollect)
	pulled = 0
	_, allErrs = testutil.CollectAll(yields(&pulled, exact...))
	assert.Len(t, allErrs, testutil.MaxCollect)
	assert.NotContains(t, allErrs, testutil.ErrEndless)

	assert.Contains(t, testutil.ErrEndless.Error(), "testutil: ")
}

// MustCollect returns the values of an iterator without errors and fails the test on the first error.
func TestMustCollect(t *testing.T) {
	t.Parallel()
	pulled := 0
	assert.Equal(t, []int{1, 2}, testutil.MustCollect(t, yields(&pulled, pair{1, nil}, pair{2, nil})))

	rec := &recordingTB{TB: t}
	pulled = 0
	func() {
		defer func() { _ = recover() }() // require's FailNow on the recorder ends this goroutine's call here
		testutil.MustCollect(rec, yields(&pulled, pair{1, nil}, pair{0, errA}, pair{3, nil}))
	}()
	assert.True(t, rec.failed, "an error fails the test")
	assert.Equal(t, 2, pulled, "stopped at the error")
}

// recordingTB records a failure instead of failing the test it wraps.
type recordingTB struct {
	testing.TB
	failed bool
}

func (r *recordingTB) Errorf(string, ...any) { r.failed = true }
func (r *recordingTB) FailNow()              { r.failed = true; panic("FailNow") }
func (r *recordingTB) Helper()               {}
