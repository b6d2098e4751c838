package faulttest_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
)

// settledTransport sits between the SDK and stagetest's transport for the tests that end contexts while
// requests are in flight. It reads the request body within RoundTrip and hands stagetest a copy detached
// from the caller's cancellation, so the fake answers every request it receives, synchronously, and the
// tests can count exactly what reached it (stagetest itself, like net/http, drops a request whose context
// has ended before it is served).
//
// A latency (setLatency) makes it a slow server: every request waits that long (or until its context
// ends, which fails it with the context's error) before it reaches the fake.
type settledTransport struct {
	next    http.RoundTripper
	latency atomic.Int64 // time.Duration
	sent    atomic.Int64 // requests the SDK sent (attempts), including those that never reached the fake
}

func (s *settledTransport) setLatency(d time.Duration) { s.latency.Store(int64(d)) }

func (s *settledTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	s.sent.Add(1)
	var body []byte
	if req.Body != nil {
		var err error
		body, err = io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
	}
	ctx := req.Context()
	if latency := time.Duration(s.latency.Load()); latency > 0 {
		timer := time.NewTimer(latency)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	inner := req.Clone(context.WithoutCancel(ctx))
	inner.Body = io.NopCloser(bytes.NewReader(body))
	return s.next.RoundTrip(inner)
}

// newSettledEnv is newEnv with a settledTransport in front of the fake.
func newSettledEnv(srvOpts []stagetest.Option, clientOpts ...func(*ivsrealtime.Options)) (*env, *settledTransport) {
	srv := stagetest.New(srvOpts...)
	rt := &settledTransport{next: srv.Transport()}
	cfg := srv.Config()
	cfg.HTTPClient = &http.Client{Transport: rt}
	return &env{
		srv:     srv,
		storage: srv.MustAddStorageConfiguration("faulttest-recordings"),
		stages:  stage.NewClientFromConfig(cfg, clientOpts...),
		tokens:  token.NewClientFromConfig(cfg, clientOpts...),
	}, rt
}
