package testutil

import (
	"fmt"
	"iter"
	"testing"

	"github.com/stretchr/testify/require"
)

// MaxCollect is the most values Collect, CollectAll and MustCollect take from one iterator: an iterator
// that never ends fails the test with ErrEndless instead of hanging the suite. No list in these tests comes
// near it.
const MaxCollect = 10_000

// ErrEndless is the error Collect, CollectAll and MustCollect report for an iterator that yielded more than
// MaxCollect values.
var ErrEndless = fmt.Errorf("testutil: the iterator yielded more than %d values", MaxCollect)

// Collect ranges over seq until its first error, at most MaxCollect values, and returns the values yielded
// before that error and the error (nil when seq ended without one, ErrEndless past MaxCollect).
func Collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		if len(out) == MaxCollect {
			return out, ErrEndless
		}
		out = append(out, v)
	}
	return out, nil
}

// CollectAll ranges over seq to its end, at most MaxCollect times, and keeps every pair it yielded:
// values[i] came with errs[i] (nil for a pair without an error). Both are nil when seq yielded nothing.
// Past MaxCollect it stops and ends errs with ErrEndless (beside a zero value).
func CollectAll[T any](seq iter.Seq2[T, error]) (values []T, errs []error) {
	for v, err := range seq {
		if len(values) == MaxCollect {
			var zero T
			return append(values, zero), append(errs, ErrEndless)
		}
		values = append(values, v)
		errs = append(errs, err)
	}
	return values, errs
}

// FirstErr ranges over seq until its first error, at most MaxCollect values, and returns that error (nil
// when seq yielded none, ErrEndless past MaxCollect): an iterator's call reduced to its error.
func FirstErr[T any](seq iter.Seq2[T, error]) error {
	_, err := Collect(seq)
	return err
}

// MustCollect is Collect that fails the test on an error (ErrEndless included) and returns the values.
func MustCollect[T any](t testing.TB, seq iter.Seq2[T, error]) []T {
	t.Helper()
	out, err := Collect(seq)
	require.NoError(t, err)
	return out
}
