package stagetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/jarcoal/httpmock"
)

// Retry settings of the aws.Config returned by [Server.Config].
const (
	// RetryMaxAttempts is the number of attempts the SDK makes per operation (the SDK's default, 3).
	RetryMaxAttempts = 3

	// RetryBackoff is the SDK's delay between attempts: tiny, so tests with injected 429 and 500 stay fast.
	RetryBackoff = time.Millisecond
)

// Option configures a [Server] built by [New].
type Option func(*options)

type options struct {
	now          func() time.Time
	rateLimits   map[string]rateLimit // WithRateLimit (faults.go)
	stageQuota   int                  // WithStageQuota (stages.go)
	storageQuota int                  // WithStorageQuota (storage.go)
	delivery     delivery             // WithEventDelivery (sim_delivery.go)
}

// WithClock sets the server's clock, used for token expiration times, [Request.Time], rate-limit refills,
// and what the simulation plays out by time: token expiry at Join, session and event times, recordings'
// STARTING→ACTIVE and reconnect windows. A [Clock] (WithClock(clock.Now)) makes all of it deterministic.
// Default: time.Now.
func WithClock(now func() time.Time) Option {
	return func(o *options) {
		if now != nil {
			o.now = now
		}
	}
}

// Request is one HTTP request the server received, as [Server.Requests] reports it.
type Request struct {
	// Operation is the operation name, e.g. "CreateStage": the URL path without its leading "/", or for
	// /tags/{resourceArn} "TagResource" (POST), "UntagResource" (DELETE) or "ListTagsForResource" (GET).
	Operation string
	// Path is the URL path as sent (percent-encoded), e.g. "/CreateStage" or "/tags/arn%3Aaws%3Aivs%3A…".
	Path string
	// Query is the URL query as sent (UntagResource's tagKeys); nil when there is none.
	Query url.Values
	// Body is the raw request body (JSON).
	Body []byte
	// Header is the request's HTTP header, including the SDK's amz-sdk-request ("attempt=2; max=3").
	Header http.Header
	// Time is when the server received the request, on the server's clock.
	Time time.Time
	// Status is the HTTP status the server answered: 200, the status of an error (one injected by
	// [Server.FailNext] too), or 500 for a request that took effect but whose response was lost
	// ([Server.LoseNextResponse]).
	Status int
}

// JSON decodes Body as a JSON object (numbers as float64); it returns nil if Body is not a JSON object.
func (r Request) JSON() map[string]any {
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		return nil
	}
	return m
}

// Server is an in-memory IVS Real-Time service. Build it with [New]; it is safe for concurrent use.
type Server struct {
	transport    *httpmock.MockTransport
	now          func() time.Time
	quota        int
	storageQuota int
	delivery     delivery // how SQSMessages delivers (sim_delivery.go)

	mu       sync.Mutex
	requests []Request
	faults   map[string][]fault // FailNext and LoseNextResponse, per operation (faults.go)
	limiters map[string]*bucket // WithRateLimit, per operation (faults.go)
	stages   map[string]*stage
	keys     map[string]*publicKey
	storage  map[string]*storageConfig
	active   map[string]bool // SetRecordingActive (stages.go)
	seq      int64
	play     play      // participants, sessions, recordings, replications, events (sim.go & co.)
	s3       s3State   // the S3 listener (S3Config, Close) and the objects' write times (sim_s3.go)
	comp     compState // compositions, encoder and ingest configurations (compositions.go)
}

// New returns an empty server: no stages, no public keys, no storage configurations, no rate limits
// (unless opts say otherwise). A nil option is ignored.
func New(opts ...Option) *Server {
	o := options{now: time.Now, rateLimits: map[string]rateLimit{}, stageQuota: StagesQuota, storageQuota: StorageConfigurationsQuota}
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	s := &Server{
		transport:    httpmock.NewMockTransport(),
		now:          o.now,
		quota:        o.stageQuota,
		storageQuota: o.storageQuota,
		delivery:     o.delivery,
		faults:       map[string][]fault{},
		limiters:     map[string]*bucket{},
		stages:       map[string]*stage{},
		keys:         map[string]*publicKey{},
		storage:      map[string]*storageConfig{},
		active:       map[string]bool{},
		play:         newPlay(),
	}
	for op, l := range o.rateLimits {
		s.limiters[op] = &bucket{rate: l.perSecond, capacity: float64(max(l.burst, 0))}
	}
	s.transport.RegisterNoResponder(s.serve)
	return s
}

// Config returns an aws.Config that sends every request to the server: region [Region], static dummy
// credentials, an HTTP client whose transport is [Server.Transport], and the SDK's standard retryer with
// [RetryMaxAttempts] attempts, a fixed [RetryBackoff] delay and no retry quota (ratelimit.None), so tests
// may retry as often as they like. Each call returns a new value that the caller may modify.
func (s *Server) Config() aws.Config {
	return aws.Config{
		Region: Region,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{
				AccessKeyID:     "AKIASTAGETEST0000000",
				SecretAccessKey: "stagetest-secret-access-key",
				Source:          "stagetest",
			}, nil
		}),
		HTTPClient: &http.Client{Transport: s.transport},
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = RetryMaxAttempts
				o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) {
					return RetryBackoff, nil
				})
				o.RateLimiter = ratelimit.None
			})
		},
	}
}

// Transport returns the mock transport that serves the fake, for callers that build their own HTTP client
// or aws.Config. Its "no responder" is the server; registering other responders on it takes precedence.
func (s *Server) Transport() *httpmock.MockTransport {
	return s.transport
}

// Requests returns a copy of every request received so far, in arrival order, including the ones that were
// rejected, failed by [Server.FailNext], lost by [Server.LoseNextResponse] or throttled. A request whose
// context had already ended when it reached the server is not served and not recorded: the caller gets the
// context's error, as net/http would not have sent it.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		r.Query, r.Body, r.Header = cloneQuery(r.Query), bytes.Clone(r.Body), r.Header.Clone()
		out[i] = r
	}
	return out
}

// RequestCount returns the number of requests received so far (every attempt counts).
func (s *Server) RequestCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

// response is what a handler answers.
type response struct {
	status int
	code   string // x-amzn-ErrorType for errors
	body   any
}

func success(body any) response { return response{status: http.StatusOK, body: body} }

// errorResponse is an error answer as the service writes it, whatever the code (modeled or not, injected,
// throttling): the code in the x-amzn-ErrorType header and the text in the body's "exceptionMessage" only.
func errorResponse(status int, code, format string, args ...any) response {
	return response{status: status, code: code, body: map[string]string{"exceptionMessage": fmt.Sprintf(format, args...)}}
}

func validationError(format string, args ...any) response {
	return errorResponse(http.StatusBadRequest, "ValidationException", format, args...)
}

func notFound(kind, arn string) response {
	return errorResponse(http.StatusNotFound, "ResourceNotFoundException", "%s not found: %s", kind, arn)
}

// serve is the transport's responder. httpmock runs it on its own goroutine when the request has a
// context, and returns the context's error without waiting for it once the context ends, so serve must
// leave req as it is (the caller may already be closing its body): it only reads. A request whose context
// has already ended is not served nor recorded, as net/http would not send it.
func (s *Server) serve(req *http.Request) (*http.Response, error) {
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, fmt.Errorf("stagetest: reading request body: %w", err)
		}
	}
	resp := s.handle(req.Method, req.URL, body, req.Header)
	return s.write(resp)
}

// handle answers one request, in this order: the request is recorded; a fault queued by FailNext answers
// it; a request of no operation in the table is an UnknownOperationException; the operation's rate limit
// may throttle it; then its handler runs on the decoded body and the members bound to the URL, and a loss
// queued by LoseNextResponse replaces the handler's answer with a 500.
func (s *Server) handle(method string, u *url.URL, body []byte, header http.Header) response {
	op, name, bound := route(method, u)
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.settle(now) // time-based transitions up to now, before the request observes the state
	s.requests = append(s.requests, Request{
		Operation: name, Path: u.EscapedPath(), Query: cloneQuery(u.Query()), Body: bytes.Clone(body), Header: header.Clone(), Time: now,
	})
	resp := s.answer(op, name, method, body, bound, now)
	s.requests[len(s.requests)-1].Status = resp.status
	return resp
}

// answer is handle's answer to the request just recorded. It runs with s.mu held.
func (s *Server) answer(op *operation, name, method string, body []byte, bound object, now time.Time) response {
	if f, injected := s.nextFault(name, failFault); injected {
		return errorResponse(f.status, f.code, "injected fault for %s: %s (HTTP %d)", name, f.code, f.status)
	}
	if op == nil {
		return errorResponse(http.StatusNotFound, "UnknownOperationException", "stagetest does not implement %s /%s", method, name)
	}
	if b := s.limiters[name]; b != nil && !b.take(now) {
		return errorResponse(http.StatusTooManyRequests, "ThrottlingException", "Rate exceeded for %s", name)
	}
	var resp response
	if obj, err := decodeBody(body); err != nil {
		resp = validationError("%v", err)
	} else {
		maps.Copy(obj, bound) // members bound to the URL (tag operations)
		resp = op.handle(s, obj, now)
	}
	if _, lost := s.nextFault(name, loseFault); lost {
		return errorResponse(http.StatusInternalServerError, "InternalServerException",
			"injected fault for %s: the request took effect, its response was lost (HTTP %d)", name, http.StatusInternalServerError)
	}
	return resp
}

func (s *Server) write(r response) (*http.Response, error) {
	body, err := json.Marshal(r.body)
	if err != nil {
		return nil, fmt.Errorf("stagetest: encoding response: %w", err)
	}
	resp := httpmock.NewBytesResponse(r.status, body)
	resp.Header.Set("Content-Type", "application/json")
	resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
	resp.Header.Set("x-amzn-RequestId", requestID())
	if r.code != "" {
		resp.Header.Set("x-amzn-ErrorType", r.code)
	}
	return resp, nil
}
