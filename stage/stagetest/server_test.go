package stagetest_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/stagetest"
)

func TestConfig(t *testing.T) {
	t.Parallel()
	srv := stagetest.New()
	cfg := srv.Config()
	assert.Equal(t, "us-east-1", cfg.Region)
	creds, err := cfg.Credentials.Retrieve(t.Context())
	require.NoError(t, err)
	assert.True(t, creds.HasKeys())
	hc, ok := cfg.HTTPClient.(*http.Client)
	require.True(t, ok)
	assert.Same(t, srv.Transport(), hc.Transport)
	require.NotNil(t, cfg.Retryer)
	assert.Equal(t, stagetest.RetryMaxAttempts, cfg.Retryer().MaxAttempts())

	// The SDK signs for service "ivs" and reaches the fake.
	client := ivsrealtime.NewFromConfig(cfg)
	_, err = client.ListStages(t.Context(), &ivsrealtime.ListStagesInput{})
	require.NoError(t, err)
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Contains(t, reqs[0].Header.Get("Authorization"), "/us-east-1/ivs/aws4_request")
}

func TestFailNextRetried(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status int
		code   string
	}{
		{http.StatusInternalServerError, "InternalServerException"},
		{http.StatusTooManyRequests, "ThrottlingException"},
		{http.StatusServiceUnavailable, "ServiceUnavailableException"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			t.Parallel()
			srv, client := newClient(t)
			srv.FailNext("CreateStage", tt.status, tt.code)
			out, err := client.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{Name: aws.String("retried")})
			require.NoError(t, err, "the SDK retries and the second attempt succeeds")
			assert.Equal(t, "retried", aws.ToString(out.Stage.Name))

			reqs := srv.Requests()
			require.Len(t, reqs, 2, "the failed attempt is recorded too")
			assert.Equal(t, "CreateStage", reqs[0].Operation)
			assert.Equal(t, reqs[0].Body, reqs[1].Body)
			assert.True(t, strings.HasPrefix(reqs[0].Header.Get("amz-sdk-request"), "attempt=1"))
			assert.True(t, strings.HasPrefix(reqs[1].Header.Get("amz-sdk-request"), "attempt=2"))

			list, err := client.ListStages(t.Context(), &ivsrealtime.ListStagesInput{})
			require.NoError(t, err)
			assert.Len(t, list.Stages, 1, "the failed attempt created nothing")
		})
	}
}

func TestFailNextQueue(t *testing.T) {
	t.Parallel()
	srv, client := newClient(t)
	for range stagetest.RetryMaxAttempts {
		srv.FailNext("GetStage", http.StatusInternalServerError, "InternalServerException")
	}
	srv.FailNext("ListStages", http.StatusForbidden, "AccessDeniedException")

	// Other operations are not affected.
	created, err := client.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{})
	require.NoError(t, err)

	// Three queued faults exhaust the retries.
	_, err = client.GetStage(t.Context(), &ivsrealtime.GetStageInput{Arn: created.Stage.Arn})
	code, status := apiError(t, err)
	assert.Equal(t, "InternalServerException", code)
	assert.Equal(t, http.StatusInternalServerError, status)
	assert.Equal(t, 1+stagetest.RetryMaxAttempts, srv.RequestCount())

	// The queue is empty now.
	_, err = client.GetStage(t.Context(), &ivsrealtime.GetStageInput{Arn: created.Stage.Arn})
	require.NoError(t, err)

	// A non-retryable fault fails at once, with the modeled type and the message.
	before := srv.RequestCount()
	_, err = client.ListStages(t.Context(), &ivsrealtime.ListStagesInput{})
	var denied *types.AccessDeniedException
	require.ErrorAs(t, err, &denied)
	assert.Contains(t, aws.ToString(denied.ExceptionMessage), "injected")
	assert.Equal(t, before+1, srv.RequestCount())

	// A fault is answered before validation.
	srv.FailNext("GetStage", http.StatusInternalServerError, "")
	r := post(t, srv, "GetStage", `{"arn":"not an ARN"}`)
	assert.Equal(t, http.StatusInternalServerError, r.Status)
	assert.Empty(t, r.ErrorType)
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	clock := stagetest.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	srv, client := newClient(t,
		stagetest.WithClock(clock.Now),
		stagetest.WithRateLimit("GetStage", 1, 2),
	)
	created, err := client.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{})
	require.NoError(t, err)
	get := func() error {
		_, err := client.GetStage(t.Context(), &ivsrealtime.GetStageInput{Arn: created.Stage.Arn})
		return err
	}

	// The bucket starts full: burst calls pass.
	require.NoError(t, get())
	require.NoError(t, get())

	// The clock stands still, so every retry is throttled too and the SDK gives up.
	before := srv.RequestCount()
	err = get()
	code, status := apiError(t, err)
	assert.Equal(t, "ThrottlingException", code)
	assert.Equal(t, http.StatusTooManyRequests, status)
	assert.Equal(t, before+stagetest.RetryMaxAttempts, srv.RequestCount(), "throttled attempts are recorded")

	// Other operations are not limited.
	for range 5 {
		_, err := client.ListStages(t.Context(), &ivsrealtime.ListStagesInput{})
		require.NoError(t, err)
	}

	// One second refills one request.
	clock.Advance(time.Second)
	require.NoError(t, get())
	r := post(t, srv, "GetStage", `{"arn":"`+aws.ToString(created.Stage.Arn)+`"}`)
	assert.Equal(t, http.StatusTooManyRequests, r.Status)
	assert.Equal(t, "ThrottlingException", r.ErrorType)
	assert.Equal(t, map[string]any{"exceptionMessage": "Rate exceeded for GetStage"}, r.Body, "the text in exceptionMessage only, as the service writes it")

	// A long pause refills no more than the burst.
	clock.Advance(time.Hour)
	require.NoError(t, get())
	require.NoError(t, get())
	assert.Equal(t, http.StatusTooManyRequests, post(t, srv, "GetStage", `{"arn":"`+aws.ToString(created.Stage.Arn)+`"}`).Status)
}

func TestRateLimitZeroBurst(t *testing.T) {
	t.Parallel()
	srv := stagetest.New(stagetest.WithRateLimit("CreateStage", 100, 0))
	r := post(t, srv, "CreateStage", `{}`)
	assert.Equal(t, http.StatusTooManyRequests, r.Status)
	r = post(t, srv, "ListStages", `{}`)
	assert.Equal(t, http.StatusOK, r.Status)
}

func TestUnknownOperation(t *testing.T) {
	t.Parallel()
	srv, _ := newClient(t)
	tests := []struct{ method, op string }{
		{http.MethodPost, "ListChannels"}, // Amazon IVS low-latency, not Real-Time
		{http.MethodGet, "GetStage"},
		{http.MethodPut, "tags/arn%3Aaws%3Aivs"},
		{http.MethodPost, "ListTagsForResource"},
		{http.MethodPost, "TagResource"},
		{http.MethodDelete, "UntagResource"},
		{http.MethodGet, "ListTagsForResource"},
		{http.MethodPost, ""},
	}
	for _, tt := range tests {
		r := postRaw(t, srv, tt.method, tt.op, `{}`)
		assert.Equal(t, http.StatusNotFound, r.Status, "%s /%s", tt.method, tt.op)
		assert.Equal(t, "UnknownOperationException", r.ErrorType)
	}

	// Every operation of the SDK v1.30.0 is served: an unknown operation is reachable only with a raw request.
}

func TestRequests(t *testing.T) {
	t.Parallel()
	clock := stagetest.NewClock(time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC))
	srv, client := newClient(t, stagetest.WithClock(clock.Now))
	assert.Empty(t, srv.Requests())
	assert.Equal(t, 0, srv.RequestCount())

	_, err := client.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{
		Name: aws.String("a"),
		AutoParticipantRecordingConfiguration: &types.AutoParticipantRecordingConfiguration{
			StorageConfigurationArn: aws.String(""),
		},
	})
	require.NoError(t, err)
	_, err = client.GetStage(t.Context(), &ivsrealtime.GetStageInput{Arn: aws.String("bad")})
	require.Error(t, err)

	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, 2, srv.RequestCount())
	assert.Equal(t, "CreateStage", reqs[0].Operation)
	assert.JSONEq(t, `{"name":"a","autoParticipantRecordingConfiguration":{"storageConfigurationArn":""}}`, string(reqs[0].Body))
	assert.Equal(t, map[string]any{"name": "a", "autoParticipantRecordingConfiguration": map[string]any{"storageConfigurationArn": ""}}, reqs[0].JSON())
	assert.Equal(t, "application/json", reqs[0].Header.Get("Content-Type"))
	assert.Equal(t, clock.Now(), reqs[0].Time)
	assert.Equal(t, "GetStage", reqs[1].Operation, "rejected requests are recorded")
	assert.Nil(t, stagetest.Request{Body: []byte("[1]")}.JSON())

	// Requests returns copies.
	reqs[0].Body[0] = 'X'
	reqs[0].Header.Set("Content-Type", "text/plain")
	again := srv.Requests()
	assert.Equal(t, byte('{'), again[0].Body[0])
	assert.Equal(t, "application/json", again[0].Header.Get("Content-Type"))
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	const (
		goroutines      = 32
		tokensPerStage  = 3
		requestsPerGoro = 1 + tokensPerStage + 1 // create, tokens, get
	)
	srv, client := newClient(t)
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		arns   = map[string]bool{}
		tokens = map[string]bool{}
		errs   []error
	)
	for i := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fail := func(err error) {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
			out, err := client.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{Name: aws.String(fmt.Sprintf("s%d", i))})
			if err != nil {
				fail(err)
				return
			}
			mu.Lock()
			arns[aws.ToString(out.Stage.Arn)] = true
			mu.Unlock()
			for range tokensPerStage {
				tok, err := client.CreateParticipantToken(t.Context(), &ivsrealtime.CreateParticipantTokenInput{StageArn: out.Stage.Arn})
				if err != nil {
					fail(err)
					return
				}
				mu.Lock()
				tokens[aws.ToString(tok.ParticipantToken.ParticipantId)] = true
				mu.Unlock()
			}
			if _, err := client.GetStage(t.Context(), &ivsrealtime.GetStageInput{Arn: out.Stage.Arn}); err != nil {
				fail(err)
			}
			_ = srv.Requests() // readers race with writers
		}()
	}
	wg.Wait()
	require.Empty(t, errs)
	assert.Len(t, arns, goroutines)
	assert.Len(t, tokens, goroutines*tokensPerStage)
	assert.Equal(t, goroutines*requestsPerGoro, srv.RequestCount())

	list, err := client.ListStages(t.Context(), &ivsrealtime.ListStagesInput{MaxResults: aws.Int32(100)})
	require.NoError(t, err)
	assert.Len(t, list.Stages, goroutines)
	for _, s := range list.Stages {
		assert.True(t, arns[aws.ToString(s.Arn)])
	}
}

// A request whose context has ended is neither served nor recorded (net/http would not send it), and the
// server leaves the caller's request untouched: httpmock runs the server on its own goroutine and returns
// as soon as the context ends, while the caller goes on to close the request's body.
func TestCanceledRequestIsNotServed(t *testing.T) {
	t.Parallel()
	srv := stagetest.New()
	for range 20 {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		body := io.NopCloser(strings.NewReader(`{"name":"never"}`))
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://ivsrealtime.us-east-1.amazonaws.com/CreateStage", body)
		require.NoError(t, err)
		resp, err := srv.Transport().RoundTrip(req)
		if resp != nil {
			_ = resp.Body.Close()
		}
		require.ErrorIs(t, err, context.Canceled)
		assert.True(t, req.Body == body, "the request's body is still the caller's")
		_ = req.Body.Close()
	}
	time.Sleep(10 * time.Millisecond) // the server's goroutines, had they served, would have recorded by now
	assert.Zero(t, srv.RequestCount())
}
