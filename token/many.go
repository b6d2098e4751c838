package token

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/smithy-go"
	"golang.org/x/sync/errgroup"
	"golang.org/x/time/rate"

	"github.com/ivsrt/ivsrt/internal/budget"
	"github.com/ivsrt/ivsrt/internal/rules"
)

// CreateMany's defaults.
const (
	// DefaultRate is the rate, in requests per second, of the limiter a Client's Create and CreateMany
	// calls share by default: the CreateParticipantToken quota, CreateRequestsPerSecond (50).
	DefaultRate = CreateRequestsPerSecond
	// DefaultBurst is how many requests that limiter lets start at once before it paces them: 1, so
	// requests are evenly spaced (every 20 ms at DefaultRate).
	DefaultBurst = 1
	// DefaultConcurrency is how many of CreateMany's requests may be in flight at once: 8.
	DefaultConcurrency = 8
)

// Field names of CreateMany's options, as they appear in error paths ("ManyOption.Rate").
const (
	manyOptionContext = "ManyOption"
	fieldRate         = "Rate"
	fieldBurst        = "Burst"
	fieldLimiter      = "Limiter"
	fieldConcurrency  = "Concurrency"
)

// ManyOption sets how CreateMany sends its requests: WithLimiter or WithRate, WithConcurrency,
// WithProgress. Options are checked before anything is sent; an invalid one fails the batch like an invalid
// Config.
type ManyOption func(*manyOptions)

type manyOptions struct {
	rate        float64
	burst       int
	rateSet     bool
	limiter     *rate.Limiter
	limiterSet  bool
	concurrency int
	progress    func(done, total int)
}

// WithLimiter has CreateMany pace its requests with l instead of the Client's own limiter: one wait on l
// per request, so every batch, client and caller that waits on l shares its rate (for instance the limiter
// of another Client, Client.Limiter, so that two clients built separately for one account and region stay
// within the quota together). l must not be nil; unless its limit is rate.Inf, its limit must be positive
// and its burst at least 1. It cannot be combined with WithRate (both name the limiter of the batch: an
// error "ManyOption.Limiter" with rule "conflict"). Default: the Client's limiter (Client.Limiter), at
// DefaultRate and DefaultBurst, shared by the Create and CreateMany calls of the Client and of every client
// derived from it with WithOptions.
func WithLimiter(l *rate.Limiter) ManyOption {
	return func(o *manyOptions) { o.limiter, o.limiterSet = l, true }
}

// WithRate gives the batch a limiter of its own: at most perSecond requests per second on average, with up
// to burst of them at once, not shared with anything else (math.Inf(1) turns the limit off). perSecond
// must be positive and burst at least 1. It takes the batch out of the shared quota: its requests no
// longer wait for the Client's limiter, nor count against it, so they add to what the Client's other calls
// send. Use it when the batch is the only caller of CreateParticipantToken for the account and region, or
// against a fake (math.Inf(1)); to share a limiter, use WithLimiter, and to change the shared pace, the
// Client's Limiter (SetLimit). It cannot be combined with WithLimiter. Default: the Client's shared limiter
// (DefaultRate, 50/s, DefaultBurst, 1). The limit paces the calls CreateMany makes; the SDK's retries of a
// throttled call (HTTP 429) are paced by its retryer's backoff.
func WithRate(perSecond float64, burst int) ManyOption {
	return func(o *manyOptions) { o.rate, o.burst, o.rateSet = perSecond, burst, true }
}

// WithConcurrency sets how many of CreateMany's requests may be in flight at once: at least 1. Default:
// DefaultConcurrency (8).
func WithConcurrency(n int) ManyOption {
	return func(o *manyOptions) { o.concurrency = n }
}

// WithProgress has CreateMany call fn after each request completes, successfully or not, with the number
// of completed requests and the batch size. Calls are made one at a time (never concurrently), with done
// increasing by one each call, from the goroutines that send the requests: fn must be quick. Requests not
// sent because the context ended are not reported, so done reaches total only when every request was
// made. Default: none; nil means none.
func WithProgress(fn func(done, total int)) ManyOption {
	return func(o *manyOptions) { o.progress = fn }
}

func (o manyOptions) check(errs *smithy.InvalidParamsError) {
	if o.rateSet {
		if math.IsNaN(o.rate) || o.rate <= 0 {
			errs.Add(rules.New(manyOptionContext+"."+fieldRate, rules.RuleRange,
				fmt.Sprintf("value %v is not a positive number of requests per second", o.rate)))
		}
		if o.burst < 1 {
			errs.Add(rules.New(manyOptionContext+"."+fieldBurst, rules.RuleRange, fmt.Sprintf("value %d is less than 1", o.burst)))
		}
	}
	if o.limiterSet {
		checkLimiter(errs, o.limiter)
		if o.rateSet {
			errs.Add(rules.New(manyOptionContext+"."+fieldLimiter, rules.RuleConflict,
				"WithLimiter and WithRate both given: a batch is paced by one limiter, a shared one (WithLimiter) or its own (WithRate)"))
		}
	}
	if o.concurrency < 1 {
		errs.Add(rules.New(manyOptionContext+"."+fieldConcurrency, rules.RuleRange, fmt.Sprintf("value %d is less than 1", o.concurrency)))
	}
}

// checkLimiter adds the reasons l cannot pace a batch: nil, a limit that is not positive, a burst that
// allows no request.
func checkLimiter(errs *smithy.InvalidParamsError, l *rate.Limiter) {
	const path = manyOptionContext + "." + fieldLimiter
	if l == nil {
		errs.Add(rules.New(path, rules.RuleRequired, "no limiter given (nil *rate.Limiter)"))
		return
	}
	limit, burst := l.Limit(), l.Burst()
	if limit == rate.Inf {
		return
	}
	if math.IsNaN(float64(limit)) || limit <= 0 {
		errs.Add(rules.New(path, rules.RuleRange, fmt.Sprintf("limit %v is not a positive number of requests per second", float64(limit))))
	}
	if burst < 1 {
		errs.Add(rules.New(path, rules.RuleRange, fmt.Sprintf("burst %d is less than 1: the limiter allows no request", burst)))
	}
}

// limiterFor returns the limiter that paces a batch of c with these options (nil: no limit).
func (o manyOptions) limiterFor(c *Client) *rate.Limiter {
	switch {
	case o.limiterSet:
		return o.limiter
	case o.rateSet && math.IsInf(o.rate, 1):
		return nil
	case o.rateSet:
		return rate.NewLimiter(rate.Limit(o.rate), o.burst)
	default:
		return c.limiter
	}
}

// IndexError is the error of one token of a CreateMany batch: Index is its position in the batch (the
// index of its Config), Err what went wrong (a service error as the SDK returns it, or the context's
// error for a request that was never sent). Find them with errors.As, or all of them with IndexErrors.
type IndexError struct {
	// Index is the position of the failed token in the batch.
	Index int
	// Err is the reason.
	Err error
}

// Error returns "token: cfgs[<index>]: <reason>" (a reason of this package's is not prefixed twice).
func (e *IndexError) Error() string {
	reason := "<nil>"
	if e.Err != nil {
		reason = strings.TrimPrefix(e.Err.Error(), "token: ")
	}
	return "token: cfgs[" + strconv.Itoa(e.Index) + "]: " + reason
}

// Unwrap returns Err, so errors.Is and errors.As see through an IndexError.
func (e *IndexError) Unwrap() error { return e.Err }

// IndexErrors returns every *IndexError in err's tree (as CreateMany returns them: an errors.Join), in
// order; nil when there are none.
func IndexErrors(err error) []*IndexError {
	var out []*IndexError
	var walk func(error)
	walk = func(err error) {
		switch e := err.(type) {
		case nil:
		case *IndexError:
			out = append(out, e)
		case interface{ Unwrap() []error }:
			for _, inner := range e.Unwrap() {
				walk(inner)
			}
		case interface{ Unwrap() error }:
			walk(e.Unwrap())
		}
	}
	walk(err)
	return out
}

// CreateMany creates one token per config for the stage stageARN, for batches larger than CreateStage's 12
// participants, and returns them in the order of cfgs.
//
// It validates everything first: stageARN, every config and the options. One invalid input fails the batch
// before anything is sent, with a nil slice and a smithy.InvalidParamsError naming every violation
// (wrapped in *smithy.OperationError for CreateParticipantToken). Paths name the config's index:
// "CreateParticipantTokenInput.StageArn" for the stage ARN, "CreateParticipantTokenInput[3].Duration" for
// the duration of cfgs[3], "ManyOption.Rate", "ManyOption.Burst", "ManyOption.Limiter" and
// "ManyOption.Concurrency" for the options.
//
// It then sends one CreateParticipantToken request per config, at most DefaultConcurrency (8) at once
// (WithConcurrency), each after a free slot and then one wait on the rate limiter: by default the Client's
// own, at DefaultRate (50 per second, the service quota) and shared with its Create calls, its other
// batches and the clients derived from it with WithOptions, so batches running at once in one process stay
// within the quota together instead of each taking all of it. WithLimiter shares another limiter, WithRate
// gives the batch one of its own.
//
// Each token is read from its response as Create reads it: a userId, duration, capabilities or attributes
// the response does not echo is the value its config set (or the service's default when the config left
// it unset too), and ExpiresAt is in UTC.
//
// The result always has one slot per config, in input order, and partial failure loses nothing: every
// token created is in its slot, a failed slot holds the zero Token, and the error is an errors.Join of one
// *IndexError per failed slot (errors.As, IndexErrors). When ctx ends, no new request is sent: requests
// waiting for the rate limit or a free slot fail with the context's error (as may requests in flight, as
// the SDK decides), and the tokens created so far are returned. A request whose rate-limit slot would come
// after ctx's deadline fails at once, with an error wrapping context.DeadlineExceeded. No error text
// contains a token. An empty cfgs returns an empty, non-nil slice and sends nothing.
func (c *Client) CreateMany(ctx context.Context, stageARN string, cfgs []Config, opts ...ManyOption) ([]Token, error) {
	o := manyOptions{concurrency: DefaultConcurrency}
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	// One error for every violation. Its Context is "" so that each entry carries its full path.
	errs := smithy.InvalidParamsError{}
	rules.StageArn.Check(&errs, createInput+"."+fieldStageArn, stageARN)
	inputs := make([]*ivsrealtime.CreateParticipantTokenInput, len(cfgs))
	for i, cfg := range cfgs {
		inputs[i] = configInput(&errs, createInput+rules.Index(i), stageARN, cfg)
	}
	o.check(&errs)
	if err := rules.Result(errs); err != nil {
		return nil, rules.OperationError(opCreate, err)
	}

	n := len(cfgs)
	tokens := make([]Token, n)
	if n == 0 {
		return tokens, nil
	}
	failed := make([]error, n)
	limiter := o.limiterFor(c)
	var mu sync.Mutex
	done := 0
	completed := func() {
		if o.progress == nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		done++
		o.progress(done, n)
	}

	slots := make(chan struct{}, min(o.concurrency, n))
	var g errgroup.Group
	// Each request takes a free slot first and then waits for the rate limit, here, one request at a
	// time, not in the goroutines. So a request leaves as soon as the limiter lets it, and the requests the
	// limiter has let go but the service has not yet received are at most the concurrency: the limiter's
	// pacing is what the service sees, up to that many. (A reservation is booked when its wait begins:
	// goroutines waiting together would, after a stall of the process, a GC pause or a busy core, all find
	// their booked times past and send at once; waiting in turn, a stall costs at most one early request.)
	for i, in := range inputs {
		if err := acquire(ctx, slots); err != nil {
			failed[i] = err
			continue
		}
		if err := wait(ctx, limiter); err != nil {
			<-slots
			failed[i] = err
			continue
		}
		g.Go(func() error {
			defer func() { <-slots }()
			tok, err := c.create(ctx, in)
			if err != nil {
				failed[i] = err
			} else {
				tokens[i] = tok
			}
			completed()
			return nil
		})
	}
	_ = g.Wait() // the goroutines record their errors in failed

	var errList []error
	for i, err := range failed {
		if err != nil {
			errList = append(errList, &IndexError{Index: i, Err: err})
		}
	}
	return tokens, errors.Join(errList...)
}

// acquire takes a slot of slots, or returns the context's error once ctx has ended.
func acquire(ctx context.Context, slots chan struct{}) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// wait blocks until limiter (nil: no limit) allows one more request, or ctx ends. It fails at once when
// the limiter's next slot is past ctx's deadline, or when its burst allows no request (budget.WaitOn).
func wait(ctx context.Context, limiter *rate.Limiter) error {
	return budget.WaitOn(ctx, limiter, "token", "")
}
