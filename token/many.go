package token

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/smithy-go"
	"golang.org/x/sync/errgroup"
	"golang.org/x/time/rate"

	"github.com/ivsrt/ivsrt/internal/rules"
)

// CreateMany's defaults.
const (
	// DefaultRate is CreateMany's client-side rate limit, in requests per second: the CreateParticipantToken
	// quota, CreateRequestsPerSecond (50).
	DefaultRate = CreateRequestsPerSecond
	// DefaultBurst is how many of CreateMany's requests may start at once before the rate limit paces them:
	// 1, so requests are evenly spaced (every 20 ms at DefaultRate).
	DefaultBurst = 1
	// DefaultConcurrency is how many of CreateMany's requests may be in flight at once: 8.
	DefaultConcurrency = 8
)

// Field names of CreateMany's options, as they appear in error paths ("ManyOption.Rate").
const (
	manyOptionContext = "ManyOption"
	fieldRate         = "Rate"
	fieldBurst        = "Burst"
	fieldConcurrency  = "Concurrency"
)

// ManyOption sets how CreateMany sends its requests: WithRate, WithConcurrency, WithProgress. Options are
// checked before anything is sent; an invalid one fails the batch like an invalid Config.
type ManyOption func(*manyOptions)

type manyOptions struct {
	rate        float64
	burst       int
	concurrency int
	progress    func(done, total int)
}

// WithRate sets CreateMany's client-side rate limit: at most perSecond requests per second on average,
// with up to burst of them at once. perSecond must be positive (math.Inf(1) turns the limit off) and burst
// at least 1. Default: DefaultRate (50, the service quota) and DefaultBurst (1). The limit paces the calls
// CreateMany makes; the SDK's retries of a throttled call (HTTP 429) are paced by its retryer's backoff.
func WithRate(perSecond float64, burst int) ManyOption {
	return func(o *manyOptions) { o.rate, o.burst = perSecond, burst }
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
	if math.IsNaN(o.rate) || o.rate <= 0 {
		errs.Add(rules.New(manyOptionContext+"."+fieldRate, rules.RuleRange,
			fmt.Sprintf("value %v is not a positive number of requests per second", o.rate)))
	}
	if o.burst < 1 {
		errs.Add(rules.New(manyOptionContext+"."+fieldBurst, rules.RuleRange, fmt.Sprintf("value %d is less than 1", o.burst)))
	}
	if o.concurrency < 1 {
		errs.Add(rules.New(manyOptionContext+"."+fieldConcurrency, rules.RuleRange, fmt.Sprintf("value %d is less than 1", o.concurrency)))
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

// Error returns "cfgs[<index>]: <reason>".
func (e *IndexError) Error() string { return fmt.Sprintf("cfgs[%d]: %v", e.Index, e.Err) }

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
// the duration of cfgs[3], "ManyOption.Rate", "ManyOption.Burst" and "ManyOption.Concurrency" for the
// options.
//
// It then sends one CreateParticipantToken request per config, at most DefaultConcurrency (8) at once and
// at most DefaultRate (50) per second, the service quota (WithConcurrency, WithRate). The SDK's retryer
// retries throttled requests.
//
// The result always has one slot per config, in input order, and partial failure loses nothing: every
// token created is in its slot, a failed slot holds the zero Token, and the error is an errors.Join of one
// *IndexError per failed slot (errors.As, IndexErrors). When ctx ends, no new request is sent: requests
// waiting for the rate limit or a free slot fail with the context's error (as may requests in flight, as
// the SDK decides), and the tokens created so far are returned. A request whose rate-limit slot would come
// after ctx's deadline fails at once, with an error wrapping context.DeadlineExceeded. No error text
// contains a token. An empty cfgs returns an empty slice and sends nothing.
func (c *Client) CreateMany(ctx context.Context, stageARN string, cfgs []Config, opts ...ManyOption) ([]Token, error) {
	o := manyOptions{rate: DefaultRate, burst: DefaultBurst, concurrency: DefaultConcurrency}
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
	var limiter *rate.Limiter
	if !math.IsInf(o.rate, 1) {
		limiter = rate.NewLimiter(rate.Limit(o.rate), o.burst)
	}
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

	var g errgroup.Group
	g.SetLimit(min(o.concurrency, n))
	// The rate limit is waited for here, one request at a time, not in the goroutines: a reservation is
	// booked when its wait begins, so goroutines waiting together would, after a stall of the process (a
	// GC pause, a busy core), all find their booked times past and send at once, a burst as large as the
	// concurrency that the service throttles. Waiting in turn, a stall costs at most one early request.
	for i, in := range inputs {
		if err := wait(ctx, limiter); err != nil {
			failed[i] = err
			continue
		}
		g.Go(func() error {
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

// wait blocks until limiter (nil: no limit) allows one more request, or ctx ends.
func wait(ctx context.Context, limiter *rate.Limiter) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if limiter == nil {
		return nil
	}
	if err := limiter.Wait(ctx); err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		// The limiter refuses at once when its next slot is past ctx's deadline.
		return fmt.Errorf("not sent: the rate limit's next slot is past the context's deadline: %w", context.DeadlineExceeded)
	}
	return nil
}
