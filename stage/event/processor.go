package event

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"
)

// The Processor's defaults.
const (
	// DefaultTTL is how long a Processor remembers a done event ID (WithTTL): 24 hours, beyond the
	// "several hours" for which IVS retries a delivery.
	DefaultTTL = 24 * time.Hour
	// DefaultLease is how long a Processor's claim on an event ID holds while its handler runs (WithLease):
	// 5 minutes.
	DefaultLease = 5 * time.Minute
	// AfterHandlerTimeout bounds the Done or Release call that follows the handler when the caller's
	// context has ended meanwhile (that call is then made on a context without its cancellation, so that
	// the outcome is still recorded): 10 seconds.
	AfterHandlerTimeout = 10 * time.Second
)

// Processor runs a handler once per event ID, however often EventBridge, SQS or a replay delivers it.
// An ID is marked done only after the handler returns nil: a handler that fails is run again on the next
// delivery. Two consumers racing on one ID: one runs, the other gets ErrInProgress (retry later).
//
// It is the idempotency pattern of AWS Lambda Powertools on a Store: one record per event ID, "in
// progress" with a lease while the handler runs, "done" with a TTL after it succeeded. The lease makes a
// consumer that crashed mid-handler block the ID only until the lease ends; the TTL bounds how long a done
// ID is remembered (a duplicate arriving later runs again).
//
// Delivery stays at least once, never exactly once: a handler may run twice when its lease ends before it
// returns (give it a lease longer than it can run, e.g. longer than the Lambda function's timeout), or when
// marking it done fails. Make handlers idempotent where running twice would matter. A Processor is safe for
// concurrent use.
type Processor struct {
	store  Store
	handle func(ctx context.Context, ev Event) error
	ttl    time.Duration
	lease  time.Duration
	now    func() time.Time
	err    error // a construction error, returned by every Process

	owner string // random, per Processor; an owner is owner + "-" + seq
	seq   atomic.Uint64
}

// ProcessorOption configures a Processor built by NewProcessor.
type ProcessorOption func(*Processor)

// WithTTL sets how long a done event ID is remembered (default DefaultTTL, 24 h): a duplicate delivered
// within d of the success is not run (ErrDuplicate). d must be positive; Process refuses to run otherwise.
// A Store may keep it a little longer (eventdb rounds up to the second).
func WithTTL(d time.Duration) ProcessorOption {
	return func(p *Processor) {
		p.ttl = d
		if d <= 0 && p.err == nil {
			p.err = fmt.Errorf("event: WithTTL(%s): the TTL must be positive", d)
		}
	}
}

// WithLease sets how long a claim on an event ID holds while the handler runs (default DefaultLease,
// 5 min): within it, another delivery of the ID gets ErrInProgress; after it, another consumer may claim
// the ID and run the handler (the first one's Done then fails with ErrClaimLost). d must be positive;
// Process refuses to run otherwise. A Store may hold it a little longer (eventdb rounds up to the
// millisecond).
func WithLease(d time.Duration) ProcessorOption {
	return func(p *Processor) {
		p.lease = d
		if d <= 0 && p.err == nil {
			p.err = fmt.Errorf("event: WithLease(%s): the lease must be positive", d)
		}
	}
}

// WithClock sets the clock by which the Store decides whether leases and TTLs have ended (default
// time.Now; nil keeps it), e.g. a stagetest.Clock's Now in tests. It reaches the Store through the
// Claimant in the context of each call.
func WithClock(now func() time.Time) ProcessorOption {
	return func(p *Processor) {
		if now != nil {
			p.now = now
		}
	}
}

// NewProcessor returns a Processor that runs handle once per event ID, remembering IDs in store, with a
// TTL of DefaultTTL (24 h) and a lease of DefaultLease (5 min) unless opts change them (WithTTL,
// WithLease, WithClock). A nil store or handle makes every Process fail (as does an invalid option),
// before anything is read or claimed.
func NewProcessor(store Store, handle func(ctx context.Context, ev Event) error, opts ...ProcessorOption) *Processor {
	p := &Processor{store: store, handle: handle, ttl: DefaultTTL, lease: DefaultLease, now: time.Now, owner: newOwnerPrefix()}
	switch {
	case store == nil:
		p.err = errors.New("event: NewProcessor: the Store is nil")
	case handle == nil:
		p.err = errors.New("event: NewProcessor: the handler is nil")
	}
	for _, opt := range opts {
		if opt != nil {
			opt(p)
		}
	}
	return p
}

// Process handles one delivery of an event: the whole EventBridge event as JSON (a Lambda function's
// input, an SQS message's body). It makes these calls, in this order:
//
//  1. Parse; an event that does not parse (Parse refuses one without "id") is refused with its *ParseError
//     and nothing is claimed (it will not parse any better on a redelivery: drop it).
//  2. Store.Claim of the event's ID for the lease. ErrDuplicate (already done) and ErrInProgress (another
//     consumer has it) are returned wrapped, and the handler does not run.
//  3. The handler, with ctx (carrying the Claimant).
//  4. Store.Done for the TTL when the handler returned nil, else Store.Release so that the next delivery
//     runs it again.
//
// It returns nil when the handler ran and succeeded and the ID is marked done. Every other error, once
// the event has parsed, is a *ProcessError that says whether the handler ran: ErrDuplicate and
// ErrInProgress (errors.Is); a Claim failure (the handler did not run); the handler's error (the claim was
// released, or could not be: then the ID stays claimed until its lease ends, and a delivery after that runs
// the handler); a Done failure after the handler succeeded (Handled: the work is done, but the ID is not
// remembered, so a redelivery after the lease may run the handler again: at least once).
//
// A handler that panics: the claim is released (so the next delivery runs it), then the panic goes on
// unchanged, as if Process were not there. When ctx has ended by the time the handler returns, Done or
// Release is still made, on a context without ctx's cancellation, within AfterHandlerTimeout.
func (p *Processor) Process(ctx context.Context, data []byte) error {
	if p.err != nil {
		return p.err
	}
	ev, err := Parse(data)
	if err != nil {
		return err
	}
	id := ev.Header().ID // never "": Parse refuses an event without one
	ctx = ContextWithClaimant(ctx, Claimant{Owner: p.owner + "-" + strconv.FormatUint(p.seq.Add(1), 36), Now: p.now})
	if err := p.store.Claim(ctx, id, p.lease); err != nil {
		return &ProcessError{ID: id, Store: err}
	}
	if herr := p.run(ctx, id, ev); herr != nil {
		after, cancel := afterHandler(ctx)
		defer cancel()
		return &ProcessError{ID: id, Handler: herr, Store: p.store.Release(after, id)}
	}
	after, cancel := afterHandler(ctx)
	defer cancel()
	if err := p.store.Done(after, id, p.ttl); err != nil {
		return &ProcessError{ID: id, Handled: true, Store: err}
	}
	return nil
}

// run calls the handler; if it panics, it releases the claim and lets the panic go on.
func (p *Processor) run(ctx context.Context, id string, ev Event) error {
	returned := false
	defer func() {
		if !returned {
			after, cancel := afterHandler(ctx)
			defer cancel()
			_ = p.store.Release(after, id) // best effort: the panic is what the caller will see
		}
	}()
	err := p.handle(ctx, ev)
	returned = true
	return err
}

// afterHandler returns ctx, or when ctx has ended, ctx without its cancellation bounded by
// AfterHandlerTimeout.
func afterHandler(ctx context.Context) (context.Context, context.CancelFunc) {
	if ctx.Err() == nil {
		return ctx, func() {}
	}
	return context.WithTimeout(context.WithoutCancel(ctx), AfterHandlerTimeout)
}

// ProcessError is the error Process returns once the event has parsed: which event, whether the handler
// ran, and what failed. It wraps Handler and Store (errors.Is(err, ErrDuplicate), errors.As, …).
type ProcessError struct {
	// ID is the event's ID.
	ID string
	// Handled is true when the handler ran and returned nil but Store.Done failed (Store): the event's work
	// is done, yet a redelivery after the lease may run the handler again.
	Handled bool
	// Handler is the handler's error; nil when the handler did not run or succeeded.
	Handler error
	// Store is the Store's error: of Claim when Handler is nil and Handled false (the handler did not run:
	// ErrDuplicate, ErrInProgress or a failure of the Store), of Release when Handler is set (nil when the
	// claim was released), of Done when Handled.
	Store error
}

// Error says what happened to the event, starting with "event: ".
func (e *ProcessError) Error() string {
	id := strconv.Quote(e.ID)
	switch {
	case e.Handled:
		return "event: the handler of event ID " + id + " succeeded, but marking it done failed, so a redelivery may run it again: " + errText(e.Store)
	case e.Handler != nil && e.Store == nil:
		return "event: the handler of event ID " + id + " failed (the claim is released: the next delivery runs it again): " + errText(e.Handler)
	case e.Handler != nil && errors.Is(e.Store, ErrClaimLost):
		return "event: the handler of event ID " + id + " failed: " + errText(e.Handler) +
			"; its claim was lost meanwhile (the lease ended and another consumer claimed the ID): " + errText(e.Store)
	case e.Handler != nil:
		return "event: the handler of event ID " + id + " failed: " + errText(e.Handler) +
			"; releasing the claim failed too, so a delivery after the lease runs it again: " + errText(e.Store)
	case errors.Is(e.Store, ErrDuplicate):
		return "event: event ID " + id + " is already done (a duplicate delivery; the handler did not run)"
	case errors.Is(e.Store, ErrInProgress):
		return "event: event ID " + id + " is in progress: another consumer holds its claim (the handler did not run; retry later)"
	}
	return "event: claiming event ID " + id + " failed (the handler did not run): " + errText(e.Store)
}

// Unwrap returns the handler's and the Store's errors (those that are not nil).
func (e *ProcessError) Unwrap() []error {
	var errs []error
	for _, err := range []error{e.Handler, e.Store} {
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// newOwnerPrefix returns 16 random hex digits: owners made from it are unique across processes.
func newOwnerPrefix() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails (Go 1.24+)
	return hex.EncodeToString(b[:])
}
