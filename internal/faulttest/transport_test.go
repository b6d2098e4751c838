package faulttest_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"

	"github.com/ivsrt/ivsrt/stage/stagetest"
)

// settledTransport sits between the SDK and stagetest's transport for the tests that end contexts while
// requests are in flight. It reads the request body within RoundTrip and hands stagetest a copy detached
// from the caller's cancellation, so the fake answers every request it receives, synchronously, and the
// tests can count exactly what reached it. A request whose context has already ended when it arrives is
// not passed on (as net/http would not send it, and as stagetest itself drops it).
//
// Two hooks make contexts end on events instead of timers:
//   - onSend is called as each request arrives, with its operation and how many requests of that operation
//     have arrived since the hooks were armed (this one included), before the request is handled: a test
//     ends a context there ("when the third attempt arrives");
//   - requests of the operation hang names wait until their context ends (a server that never answers),
//     and fail with the context's error without reaching the fake.
type settledTransport struct {
	next http.RoundTripper

	mu     sync.Mutex
	hang   string
	onSend func(op string, n int)
	sent   map[string]int // requests per operation (attempts), including those that never reached the fake
}

// arm sets the hooks (hang "" hangs nothing; onSend nil observes nothing) and restarts the counts.
func (s *settledTransport) arm(hang string, onSend func(op string, n int)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hang, s.onSend, s.sent = hang, onSend, map[string]int{}
}

// sentOf returns how many requests of op arrived since the last arm.
func (s *settledTransport) sentOf(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sent[op]
}

func (s *settledTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	op := operationOf(req)
	s.mu.Lock()
	if s.sent == nil {
		s.sent = map[string]int{}
	}
	s.sent[op]++
	n, hang, onSend := s.sent[op], s.hang == op, s.onSend
	s.mu.Unlock()

	var body []byte
	if req.Body != nil {
		var err error
		body, err = io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
	}
	if onSend != nil {
		onSend(op, n)
	}
	ctx := req.Context()
	if hang {
		<-ctx.Done()
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	inner := req.Clone(context.WithoutCancel(ctx))
	inner.Body = io.NopCloser(bytes.NewReader(body))
	return s.next.RoundTrip(inner)
}

// operationOf names the operation of a request as stagetest.Request.Operation does.
func operationOf(req *http.Request) string {
	path := strings.TrimPrefix(req.URL.Path, "/")
	if !strings.HasPrefix(path, "tags/") {
		return path
	}
	switch req.Method {
	case http.MethodPost:
		return opTag
	case http.MethodDelete:
		return opUntag
	default:
		return opListTags
	}
}

// newSettledEnv is newEnv with a settledTransport in front of the fake.
func newSettledEnv(srvOpts []stagetest.Option, clientOpts ...func(*ivsrealtime.Options)) (*env, *settledTransport) {
	srv := stagetest.New(srvOpts...)
	rt := &settledTransport{next: srv.Transport()}
	cfg := srv.Config()
	cfg.HTTPClient = &http.Client{Transport: rt}
	return envOn(srv, cfg, clientOpts...), rt
}

// expiringContext is a context with a deadline that passes when the test calls expire, on an event,
// instead of at a time: the call under test sees exactly what a passed deadline shows it (Done closed,
// Err context.DeadlineExceeded), at a moment that does not depend on how fast the machine runs. Until
// then it reports a deadline an hour away, which nothing in these tests reaches. Values come from the
// parent; the parent's own end is ignored.
type expiringContext struct {
	context.Context
	deadline time.Time
	done     chan struct{}
	once     sync.Once

	mu        sync.Mutex
	expiredAt time.Time
}

func newExpiringContext(parent context.Context) *expiringContext {
	// WithoutCancel: the parent's end is not this context's, and context.Cause falls back to Err.
	return &expiringContext{Context: context.WithoutCancel(parent), deadline: time.Now().Add(time.Hour), done: make(chan struct{})}
}

func (c *expiringContext) Deadline() (time.Time, bool) { return c.deadline, true }
func (c *expiringContext) Done() <-chan struct{}       { return c.done }

func (c *expiringContext) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

// expire makes the deadline pass now (once; later calls do nothing).
func (c *expiringContext) expire() {
	c.once.Do(func() {
		c.mu.Lock()
		c.expiredAt = time.Now()
		c.mu.Unlock()
		close(c.done)
	})
}

// endedAt returns when expire was first called (the zero time before).
func (c *expiringContext) endedAt() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.expiredAt
}
