// Package svc holds what every client does around a call of the official client: the service's error text
// made visible (Err), the per-call SDK options a client carries (Opts) and the paging of list operations
// (Seq).
package svc

import (
	"errors"
	"iter"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
)

// Err returns err after one repair: the service sends its text as "exceptionMessage", which the official
// client (v1.30.0) decodes into ExceptionMessage while Error() prints the empty Message. For each of the
// model's typed errors found in err's chain whose Message is empty, Err sets Message to ExceptionMessage, so
// err.Error() ends with the service's words. The error's type, its *smithy.OperationError wrapping and
// everything errors.As finds stay as they are. nil stays nil.
//
// Every client method of the library passes the errors of its API calls through Err, whatever the API
// behind the client (the official client or a fake).
func Err(err error) error {
	if err == nil {
		return nil
	}
	var (
		accessDenied *types.AccessDeniedException
		conflict     *types.ConflictException
		internal     *types.InternalServerException
		pending      *types.PendingVerification
		notFound     *types.ResourceNotFoundException
		quota        *types.ServiceQuotaExceededException
		validation   *types.ValidationException
	)
	switch {
	case errors.As(err, &accessDenied):
		fill(&accessDenied.Message, accessDenied.ExceptionMessage)
	case errors.As(err, &conflict):
		fill(&conflict.Message, conflict.ExceptionMessage)
	case errors.As(err, &internal):
		fill(&internal.Message, internal.ExceptionMessage)
	case errors.As(err, &pending):
		fill(&pending.Message, pending.ExceptionMessage)
	case errors.As(err, &notFound):
		fill(&notFound.Message, notFound.ExceptionMessage)
	case errors.As(err, &quota):
		fill(&quota.Message, quota.ExceptionMessage)
	case errors.As(err, &validation):
		fill(&validation.Message, validation.ExceptionMessage)
	}
	return err
}

func fill(message **string, exceptionMessage *string) {
	if aws.ToString(*message) == "" && aws.ToString(exceptionMessage) != "" {
		*message = exceptionMessage
	}
}

// Opts are the per-call SDK options a client passes to every call it makes (the SDK's optFns). The zero
// value passes none.
type Opts []func(*ivsrealtime.Options)

// With returns o followed by more, in a new slice: o itself is never appended to, so clients derived from
// one another never share what they add.
func (o Opts) With(more ...func(*ivsrealtime.Options)) Opts {
	if len(more) == 0 {
		return o
	}
	return append(slices.Clip(o), more...)
}

// Page fetches one page of a list operation: given the nextToken of the previous page (nil for the first),
// it returns the page's items, converted, and the page's nextToken.
type Page[T any] func(nextToken *string) (items []T, next *string, err error)

// Seq returns an iterator over every item of a paginated list operation, in the service's order. When
// invalid is not nil, the iterator yields (zero, invalid) once and fetches nothing (invalid input sends no
// request). Otherwise it calls page as the iteration needs items, following nextToken, and stops fetching
// once the caller stops. A page error is yielded once, through Err, after the items of the pages before it,
// and ends the iteration. An empty nextToken ends the list; so does a token equal to the one just sent,
// which would otherwise loop forever (the SDK's paginators stop on it too). Each iteration starts again from
// the first page.
func Seq[T any](invalid error, page Page[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if invalid != nil {
			yield(zero, invalid)
			return
		}
		var token *string
		for {
			items, next, err := page(token)
			if err != nil {
				yield(zero, Err(err))
				return
			}
			for _, item := range items {
				if !yield(item, nil) {
					return
				}
			}
			if aws.ToString(next) == "" || aws.ToString(next) == aws.ToString(token) {
				return
			}
			token = next
		}
	}
}
