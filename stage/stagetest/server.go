package stagetest

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/x509"
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
	rateLimits   map[string]rateLimit
	stageQuota   int
	storageQuota int
	delivery     delivery // WithEventDelivery (delivery.go)
}

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

// WithStageQuota sets how many stages may exist at once; CreateStage past it answers HTTP 402
// ServiceQuotaExceededException. n < 0 counts as 0. Default: [MaxStages] (1,000).
func WithStageQuota(n int) Option {
	return func(o *options) {
		o.stageQuota = max(n, 0)
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
	delivery     delivery // how SQSMessages delivers (delivery.go)

	mu       sync.Mutex
	requests []Request
	faults   map[string][]fault
	limiters map[string]*bucket
	stages   map[string]*stage
	keys     map[string]*publicKey
	storage  map[string]*storageConfig
	active   map[string]bool
	seq      int64
	play     play    // participants, sessions, recordings, replications, events (participants.go & co.)
	s3       s3State // the S3 listener (S3Config, Close) and the objects' write times (s3.go)
}

type fault struct {
	status int
	code   string
}

// New returns an empty server: no stages, no public keys, no rate limits (unless opts say otherwise).
func New(opts ...Option) *Server {
	o := options{now: time.Now, rateLimits: map[string]rateLimit{}, stageQuota: MaxStages, storageQuota: MaxStorageConfigurations}
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
// rejected, failed by [Server.FailNext] or throttled. A request whose context had already ended when it
// reached the server is not served and not recorded: the caller gets the context's error, as net/http
// would not have sent it.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		out[i] = Request{Operation: r.Operation, Path: r.Path, Query: cloneQuery(r.Query), Body: bytes.Clone(r.Body), Header: r.Header.Clone(), Time: r.Time}
	}
	return out
}

// RequestCount returns the number of requests received so far (every attempt counts).
func (s *Server) RequestCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

// SetRecordingActive marks the stage's individual participant recording as active (or not). While it is
// active, an UpdateStage that carries autoParticipantRecordingConfiguration answers HTTP 409
// ConflictException, as the service documents. The mark may be set before the stage exists; DeleteStage
// clears it. Default: not active. The server also answers that 409 by itself while a participant's recording
// on the stage is STARTING, ACTIVE or STOPPING (see [Server.Publish]); the mark forces it regardless.
func (s *Server) SetRecordingActive(stageARN string, active bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if active {
		s.active[stageARN] = true
	} else {
		delete(s.active, stageARN)
	}
}

// FailNext makes the next call of operation (e.g. "CreateStage") answer the given HTTP status (meant to be
// an error status, ≥ 400) with the header x-amzn-ErrorType: errorType (omitted when errorType is "") and an
// exceptionMessage naming the injected fault. The SDK retries 429 and 5xx statuses and throttling codes. Calls queue up: calling it twice fails the next two calls. An injected fault is answered
// before validation and rate limiting, and the request is still recorded in [Server.Requests].
func (s *Server) FailNext(operation string, status int, errorType string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[operation] = append(s.faults[operation], fault{status: status, code: errorType})
}

// PublicKey returns the parsed ECDSA P-384 public key imported under arn, and whether it exists. Each call
// returns a new value.
func (s *Server) PublicKey(arn string) (*ecdsa.PublicKey, bool) {
	s.mu.Lock()
	k, ok := s.keys[arn]
	s.mu.Unlock()
	if !ok {
		return nil, false
	}
	pub, err := x509.ParsePKIXPublicKey(k.der)
	if err != nil {
		return nil, false // cannot happen: the DER was parsed at import
	}
	ecPub, ok := pub.(*ecdsa.PublicKey)
	return ecPub, ok
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

// handler answers one operation; it runs with s.mu held.
type handler func(s *Server, body object, now time.Time) response

var handlers = map[string]handler{
	"CreateStage":            (*Server).createStage,
	"GetStage":               (*Server).getStage,
	"UpdateStage":            (*Server).updateStage,
	"DeleteStage":            (*Server).deleteStage,
	"ListStages":             (*Server).listStages,
	"CreateParticipantToken": (*Server).createParticipantToken,
	"ImportPublicKey":        (*Server).importPublicKey,
	"GetPublicKey":           (*Server).getPublicKey,
	"ListPublicKeys":         (*Server).listPublicKeys,
	"DeletePublicKey":        (*Server).deletePublicKey,
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

func (s *Server) handle(method string, u *url.URL, body []byte, header http.Header) response {
	op, bound := route(method, u)
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.settle(now) // time-based transitions up to now, before the request observes the state
	s.requests = append(s.requests, Request{
		Operation: op, Path: u.EscapedPath(), Query: cloneQuery(u.Query()), Body: bytes.Clone(body), Header: header.Clone(), Time: now,
	})

	if q := s.faults[op]; len(q) > 0 {
		f := q[0]
		if len(q) == 1 {
			delete(s.faults, op)
		} else {
			s.faults[op] = q[1:]
		}
		return errorResponse(f.status, f.code, "injected fault for %s: %s (HTTP %d)", op, f.code, f.status)
	}
	h, known := handlers[op]
	if !known || !serves(method, op, bound) {
		return errorResponse(http.StatusNotFound, "UnknownOperationException",
			"stagetest does not implement %s /%s", method, op)
	}
	if b := s.limiters[op]; b != nil && !b.take(now) {
		return errorResponse(http.StatusTooManyRequests, "ThrottlingException", "Rate exceeded for %s", op)
	}
	obj, err := decodeBody(body)
	if err != nil {
		return validationError("%v", err)
	}
	maps.Copy(obj, bound) // members bound to the URL (tag operations)
	return h(s, obj, now)
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
