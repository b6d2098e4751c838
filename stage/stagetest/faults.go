package stagetest

import "time"

// Faults and throttling: what a test injects between the client and the handlers (see [Server.handle] for
// the order in which a request meets them).

type rateLimit struct {
	perSecond float64
	burst     int
}

// WithRateLimit throttles one operation (e.g. "CreateStage") like the service's TPS quotas: a token bucket
// that holds at most burst requests and refills at perSecond requests per second on the server's clock
// (see [WithClock]), starting full. A request that finds the bucket empty answers HTTP 429 with the
// unmodeled error code ThrottlingException, which the SDK's retryer retries. burst ≤ 0 throttles every
// request; perSecond ≤ 0 never refills. Calling it again for the same operation replaces the limit. A
// throttled request is recorded in [Server.Requests]; a request answered by [Server.FailNext] takes no token.
// Default: no limits.
func WithRateLimit(operation string, perSecond float64, burst int) Option {
	return func(o *options) {
		o.rateLimits[operation] = rateLimit{perSecond: perSecond, burst: burst}
	}
}

// faultKind tells what a queued fault does: fail the request before it takes effect, or lose the
// response of a request that took effect.
type faultKind int

const (
	failFault faultKind = iota // FailNext
	loseFault                  // LoseNextResponse
)

type fault struct {
	kind   faultKind
	status int
	code   string
}

// FailNext makes the next call of operation (e.g. "CreateStage") answer the given HTTP status (meant to be
// an error status, ≥ 400) with the header x-amzn-ErrorType: errorType (omitted when errorType is "") and an
// exceptionMessage naming the injected fault. The request does not take effect. The SDK retries 429 and 5xx
// statuses and throttling codes. Calls queue up: calling it twice fails the next two calls. An injected
// fault is answered before validation and rate limiting, and the request is still recorded in
// [Server.Requests].
func (s *Server) FailNext(operation string, status int, errorType string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[operation] = append(s.faults[operation], fault{kind: failFault, status: status, code: errorType})
}

// LoseNextResponse makes the next call of operation take effect as usual while its caller gets HTTP 500
// InternalServerException instead of the response, as when a response is lost on its way back: a
// CreateStage so answered has created its stage. The SDK retries the 500 (unless retries are off), and the
// retry is a new call. Calls queue up, apart from [Server.FailNext]'s queue; a request refused by
// FailNext, unknown to the server or throttled does not consume a queued loss; a request the handler
// refuses (a 400, a 404) does, and its refusal is lost like a success. The request is recorded in
// [Server.Requests] with Status 500.
func (s *Server) LoseNextResponse(operation string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[operation] = append(s.faults[operation], fault{kind: loseFault, status: 500, code: "InternalServerException"})
}

// nextFault takes the first queued fault of kind for operation, if any. It runs with s.mu held.
func (s *Server) nextFault(operation string, kind faultKind) (fault, bool) {
	q := s.faults[operation]
	for i, f := range q {
		if f.kind != kind {
			continue
		}
		q = append(q[:i:i], q[i+1:]...)
		if len(q) == 0 {
			delete(s.faults, operation)
		} else {
			s.faults[operation] = q
		}
		return f, true
	}
	return fault{}, false
}

// bucket is a token bucket on the server's clock.
type bucket struct {
	rate     float64
	capacity float64
	tokens   float64
	last     time.Time
}

func (b *bucket) take(now time.Time) bool {
	if b.last.IsZero() {
		b.tokens, b.last = b.capacity, now
	}
	if elapsed := now.Sub(b.last).Seconds(); elapsed > 0 {
		if b.rate > 0 {
			b.tokens = min(b.capacity, b.tokens+elapsed*b.rate)
		}
		b.last = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true
	}
	return false
}
