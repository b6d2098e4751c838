// Package svc holds what every client does around a call of the official client: the per-call SDK options
// a client carries (Opts), starting from Base, whose middleware (AddErrorMiddleware) reads every service
// error the same whatever the operation and takes secrets out of failed calls' errors (RedactSecrets); the
// repair of the errors of any API, official or fake (Err); and the paging of list operations (Seq), which
// ends on a repeated nextToken.
package svc

import (
	"errors"
	"fmt"
	"iter"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"

	"github.com/ivsrt/ivsrt/internal/rules"
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

// ErrTokenRepeated is the error (wrapped in *smithy.OperationError for the list operation, with the token
// and the page) of a list whose nextToken repeats a token already sent in the same iteration: following it
// would fetch the same pages again, forever.
var ErrTokenRepeated = errors.New("repeats a token already sent in this iteration: the list would never end")

// Seq returns an iterator over every item of a paginated list operation op (e.g. "ListStages"), in the
// service's order. When invalid is not nil, the iterator yields (zero, invalid) once and fetches nothing
// (invalid input sends no request). Otherwise it calls page as the iteration needs items, following
// nextToken, and stops fetching once the caller stops. A page error is yielded once, through Err, after the
// items of the pages before it, and ends the iteration. An empty nextToken ends the list. A nextToken equal
// to any token already sent in this iteration (the one just sent, or an earlier one: A, B, A …) is not
// followed: after the items of its page, the iterator yields (zero, err), err a *smithy.OperationError for
// op wrapping ErrTokenRepeated (`nextToken "A" of page 3 repeats a token already sent …`), and stops. Each
// iteration starts again from the first page, with no token sent.
func Seq[T any](op string, invalid error, page Page[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if invalid != nil {
			yield(zero, invalid)
			return
		}
		var token *string
		var sent map[string]bool // the tokens sent in this iteration
		for n := 1; ; n++ {
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
			tok := aws.ToString(next)
			if tok == "" {
				return
			}
			if sent[tok] {
				yield(zero, rules.OperationError(op, fmt.Errorf("nextToken %s of page %d %w", rules.Quote(tok), n, ErrTokenRepeated)))
				return
			}
			if sent == nil {
				sent = map[string]bool{}
			}
			sent[tok] = true
			token = next
		}
	}
}
