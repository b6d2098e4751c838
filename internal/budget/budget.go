// Package budget paces a client's calls of each operation at the service's request rate: one
// *rate.Limiter per operation, shared by every client derived from the one that made it, waited for by a
// middleware on every attempt the official client makes (its retries included), so that a loop of calls
// in one process never meets a 429 of its own making.
package budget

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/smithy-go/middleware"

	"github.com/ivsrt/ivsrt/internal/svc"
	"golang.org/x/time/rate"
)

// Budget is the limiters of a client, by operation (the SDK's names, e.g. "DeleteStage"). It is never
// written after it is made: With returns a new Budget sharing the other limiters. The zero value paces
// nothing.
type Budget struct {
	pkg      string // the package named in errors, e.g. "stage"
	limiters map[string]*rate.Limiter
	defaults map[*rate.Limiter]bool // the limiters New made (skipped while Unpaced is on)
}

// New returns a Budget with a limiter of its own for each operation of rates, at its rate with a burst of
// 1: requests spaced 1/rate apart, never two at once. pkg names the package in errors.
func New(pkg string, rates map[string]rate.Limit) Budget {
	b := Budget{pkg: pkg, limiters: make(map[string]*rate.Limiter, len(rates)), defaults: make(map[*rate.Limiter]bool, len(rates))}
	for op, r := range rates {
		l := rate.NewLimiter(r, 1)
		b.limiters[op], b.defaults[l] = l, true
	}
	return b
}

// With returns a Budget whose operation waits for l instead (nil: not paced), sharing b's other limiters.
func (b Budget) With(operation string, l *rate.Limiter) Budget {
	limiters := maps.Clone(b.limiters)
	if limiters == nil {
		limiters = map[string]*rate.Limiter{}
	}
	limiters[operation] = l
	return Budget{pkg: b.pkg, limiters: limiters, defaults: b.defaults}
}

// Limiter returns the limiter of operation, nil when it is not paced.
func (b Budget) Limiter(operation string) *rate.Limiter { return b.limiters[operation] }

// unpaced turns the default limiters off, for the library's own test suites (see Unpaced).
var unpaced atomic.Bool

// Unpaced makes the limiters New made pace nothing until restore is called (limiters given to With still
// pace). It is for the library's own tests, whose fakes have no quota; the tests of pacing itself use
// their own limiters or run with it off.
func Unpaced() (restore func()) {
	was := unpaced.Swap(true)
	return func() { unpaced.Store(was) }
}

// ErrNoBurst is the error of a call whose limiter has a burst of 0 (and a finite rate), which allows no
// request.
var ErrNoBurst = errors.New("not sent: the rate limiter's burst is 0, which allows no request")

// Wait waits for operation's turn. It returns nil at once when the operation is not paced; ctx's error
// when ctx ends first; and an error wrapping context.DeadlineExceeded when the limiter's next slot is past
// ctx's deadline (nothing is sent then).
func (b Budget) Wait(ctx context.Context, operation string) error {
	l := b.limiters[operation]
	if l != nil && b.defaults[l] && unpaced.Load() {
		l = nil
	}
	return WaitOn(ctx, l, b.pkg, operation)
}

// WaitOn waits until l (nil: no limit) allows one more request, or ctx ends: ctx's error then. It fails at
// once, with an error the SDK's retryer does not retry, when l's next slot is past ctx's deadline
// (wrapping context.DeadlineExceeded) or when its burst allows no request (ErrNoBurst). The error names
// pkg and, when not "", operation: "stage: GetStage not sent: …", "token: not sent: …".
func WaitOn(ctx context.Context, l *rate.Limiter, pkg, operation string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if l == nil {
		return nil
	}
	if err := l.Wait(ctx); err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		who := pkg + ":"
		if operation != "" {
			who += " " + operation
		}
		if l.Burst() < 1 && l.Limit() != rate.Inf {
			return notSent{fmt.Errorf("%s %w", who, ErrNoBurst)}
		}
		return notSent{fmt.Errorf("%s not sent: the rate limit's next slot is past the context's deadline: %w", who, context.DeadlineExceeded)}
	}
	return nil
}

// notSent is the error of a call its limiter did not let through. The SDK's retryer does not retry it
// (RetryableError reports false): waiting again could not succeed, and the wrapped
// context.DeadlineExceeded would otherwise read as a retryable timeout.
type notSent struct{ error }

func (e notSent) Unwrap() error { return e.error }

// RetryableError tells the SDK's retryer not to retry the call.
func (notSent) RetryableError() bool { return false }

// MiddlewareID is the ID of the pacing middleware in the Finalize step, after the SDK's Retry.
const MiddlewareID = "ivsrt.Budget"

// Option returns the per-call option that adds the pacing middleware to a call: before each attempt
// (after the SDK's Retry middleware, so retries wait too), it waits for the operation's limiter.
func (b Budget) Option() func(*ivsrealtime.Options) {
	m := middleware.FinalizeMiddlewareFunc(MiddlewareID, func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
		if err := b.Wait(ctx, middleware.GetOperationName(ctx)); err != nil {
			return middleware.FinalizeOutput{}, middleware.Metadata{}, err
		}
		return next.HandleFinalize(ctx, in)
	})
	add := func(s *middleware.Stack) error {
		if _, ok := s.Finalize.Get("Retry"); ok {
			return s.Finalize.Insert(m, "Retry", middleware.After)
		}
		return s.Finalize.Add(m, middleware.Before)
	}
	return func(o *ivsrealtime.Options) { o.APIOptions = append(o.APIOptions, add) }
}

// Calls is what a client passes to every call: its per-call SDK options (Base: svc.Base() and those of
// WithOptions) followed by the pacing of its Budget, in Opts. Derive new ones with WithOptions and
// WithLimiter; a Calls is never written after it is made.
type Calls struct {
	base   svc.Opts
	budget Budget
	// Opts are the options of every call: the base options, then the pacing middleware.
	Opts svc.Opts
}

// NewCalls returns the Calls of base and b.
func NewCalls(base svc.Opts, b Budget) Calls {
	return Calls{base: base, budget: b, Opts: base.With(b.Option())}
}

// WithOptions returns c with optFns after its options, sharing c's limiters.
func (c Calls) WithOptions(optFns ...func(*ivsrealtime.Options)) Calls {
	return NewCalls(c.base.With(optFns...), c.budget)
}

// WithLimiter returns c with l pacing operation (nil: not paced), sharing c's other limiters.
func (c Calls) WithLimiter(operation string, l *rate.Limiter) Calls {
	return NewCalls(c.base, c.budget.With(operation, l))
}

// Limiter returns the limiter that paces operation, nil when none does.
func (c Calls) Limiter(operation string) *rate.Limiter { return c.budget.Limiter(operation) }
