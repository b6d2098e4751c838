package event_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage/event"
	"github.com/ivsrt/ivsrt/stage/event/internal/storetest"
)

// recordingEnd returns a Recording End event with the given ID, as the service sends it.
func recordingEnd(t testing.TB, id string) []byte {
	t.Helper()
	data, err := json.Marshal(event.Recording{
		Envelope: event.Envelope{ID: id, Account: "123456789012", Region: "us-east-1",
			Time: storetest.Start, Resources: []string{testStageARN}},
		Name: event.RecordingEnd, SessionID: "st-1", ParticipantID: "p1", Duration: time.Minute,
		Location: recording.Location{Bucket: "my-recordings", Prefix: "AbCdef1G2hij/st-1/p1/2026-03-13T19-43-19Z"},
	})
	require.NoError(t, err)
	return data
}

// spyStore records the calls a Processor makes, with the claimant and whether the context had ended,
// and can fail them.
type spyStore struct {
	event.Store
	mu    sync.Mutex
	calls []string // "claim <id>", "done <id>", "release <id>"
	ctxs  []context.Context
	ended []bool           // whether each call's context had ended when the call was made
	fail  map[string]error // op → error returned instead of calling the store
}

func newSpy() *spyStore { return &spyStore{Store: event.NewMemoryStore(), fail: map[string]error{}} }

func (s *spyStore) record(ctx context.Context, op, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, op+" "+id)
	s.ctxs = append(s.ctxs, ctx)
	s.ended = append(s.ended, ctx.Err() != nil)
	return s.fail[op]
}

func (s *spyStore) Claim(ctx context.Context, id string, lease time.Duration) error {
	if err := s.record(ctx, "claim", id); err != nil {
		return err
	}
	return s.Store.Claim(ctx, id, lease)
}

func (s *spyStore) Done(ctx context.Context, id string, ttl time.Duration) error {
	if err := s.record(ctx, "done", id); err != nil {
		return err
	}
	return s.Store.Done(ctx, id, ttl)
}

func (s *spyStore) Release(ctx context.Context, id string) error {
	if err := s.record(ctx, "release", id); err != nil {
		return err
	}
	return s.Store.Release(ctx, id)
}

func (s *spyStore) Calls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.calls...)
}

// counter is a handler that counts its runs and returns the next of its results (nil once they run out).
type counter struct {
	mu      sync.Mutex
	runs    int
	results []error
	seen    []event.Event
}

func (c *counter) handle(_ context.Context, ev event.Event) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.runs++
	c.seen = append(c.seen, ev)
	if len(c.results) == 0 {
		return nil
	}
	err := c.results[0]
	c.results = c.results[1:]
	return err
}

func (c *counter) Runs() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.runs
}

var errHandler = errors.New("downstream unavailable")

// Deliveries of one event, one after the other: the handler runs until it succeeds once, then never again.
func TestProcessDeliveries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		results    []error // the handler's results, in order
		deliveries int
		wantErrs   []error // per delivery: nil, or a sentinel/handler error (errors.Is)
		wantRuns   int
		wantCalls  []string
	}{
		{name: "one delivery", results: nil, deliveries: 1, wantErrs: []error{nil}, wantRuns: 1,
			wantCalls: []string{"claim e1", "done e1"}},
		{name: "a duplicate is not run", deliveries: 3, wantErrs: []error{nil, event.ErrDuplicate, event.ErrDuplicate}, wantRuns: 1,
			wantCalls: []string{"claim e1", "done e1", "claim e1", "claim e1"}},
		{name: "a failure is released and the next delivery runs it", results: []error{errHandler}, deliveries: 3,
			wantErrs: []error{errHandler, nil, event.ErrDuplicate}, wantRuns: 2,
			wantCalls: []string{"claim e1", "release e1", "claim e1", "done e1", "claim e1"}},
		{name: "failures until success", results: []error{errHandler, errHandler, errHandler}, deliveries: 5,
			wantErrs: []error{errHandler, errHandler, errHandler, nil, event.ErrDuplicate}, wantRuns: 4,
			wantCalls: []string{"claim e1", "release e1", "claim e1", "release e1", "claim e1", "release e1", "claim e1", "done e1", "claim e1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			spy, h := newSpy(), &counter{results: tt.results}
			p := event.NewProcessor(spy, h.handle)
			body := recordingEnd(t, "e1")
			for i := range tt.deliveries {
				err := p.Process(t.Context(), body)
				if tt.wantErrs[i] == nil {
					assert.NoError(t, err, "delivery %d", i)
					continue
				}
				require.ErrorIs(t, err, tt.wantErrs[i], "delivery %d", i)
				var pe *event.ProcessError
				require.ErrorAs(t, err, &pe)
				assert.Equal(t, "e1", pe.ID)
				assert.False(t, pe.Handled)
				assert.True(t, strings.HasPrefix(err.Error(), "event: "), err.Error())
			}
			assert.Equal(t, tt.wantRuns, h.Runs())
			assert.Equal(t, tt.wantCalls, spy.Calls())
			// The handler got the parsed event.
			require.NotEmpty(t, h.seen)
			rec, ok := h.seen[0].(event.Recording)
			require.True(t, ok, "%T", h.seen[0])
			assert.Equal(t, event.RecordingEnd, rec.Name)
			assert.Equal(t, "e1", rec.ID)
		})
	}
}

// Different IDs are independent: each runs once.
func TestProcessDistinctIDs(t *testing.T) {
	t.Parallel()
	h := &counter{}
	p := event.NewProcessor(event.NewMemoryStore(), h.handle)
	ids := []string{"a", "b", "c", "a", "b"}
	want := []error{nil, nil, nil, event.ErrDuplicate, event.ErrDuplicate}
	for i, id := range ids {
		err := p.Process(t.Context(), recordingEnd(t, id))
		if want[i] == nil {
			assert.NoError(t, err, id)
		} else {
			assert.ErrorIs(t, err, want[i], id)
		}
	}
	assert.Equal(t, 3, h.Runs())
}

// Input that cannot be processed is refused before anything is claimed or run.
func TestProcessRefusesBeforeClaiming(t *testing.T) {
	t.Parallel()
	valid := recordingEnd(t, "e1")
	noID := recordingEnd(t, "")
	tests := []struct {
		name      string
		store     bool // give the processor a store
		handler   bool
		opts      []event.ProcessorOption
		body      []byte
		wantErr   string
		parseErr  bool   // a *ParseError
		wantField string // its Field
	}{
		{name: "not JSON", store: true, handler: true, body: []byte("{"), wantErr: "event: the input is not JSON", parseErr: true},
		{name: "not an IVS event", store: true, handler: true, body: []byte(`{"source":"aws.s3","detail-type":"Object Created","id":"x"}`),
			wantErr: `event: source: is "aws.s3", want "aws.ivs": not an IVS event`, parseErr: true, wantField: "source"},
		{name: "no id", store: true, handler: true, body: noID,
			wantErr: "event: id: is missing or empty", parseErr: true, wantField: "id"},
		{name: "nil store", handler: true, body: valid, wantErr: "event: NewProcessor: the Store is nil"},
		{name: "nil handler", store: true, body: valid, wantErr: "event: NewProcessor: the handler is nil"},
		{name: "zero TTL", store: true, handler: true, opts: []event.ProcessorOption{event.WithTTL(0)}, body: valid,
			wantErr: "event: WithTTL(0s): the TTL must be positive"},
		{name: "negative TTL", store: true, handler: true, opts: []event.ProcessorOption{event.WithTTL(-time.Nanosecond)}, body: valid,
			wantErr: "event: WithTTL(-1ns): the TTL must be positive"},
		{name: "zero lease", store: true, handler: true, opts: []event.ProcessorOption{event.WithLease(0)}, body: valid,
			wantErr: "event: WithLease(0s): the lease must be positive"},
		{name: "negative lease", store: true, handler: true, opts: []event.ProcessorOption{event.WithLease(-time.Minute)}, body: valid,
			wantErr: "event: WithLease(-1m0s): the lease must be positive"},
		{name: "the first invalid option is reported", store: true, handler: true,
			opts: []event.ProcessorOption{event.WithLease(0), event.WithTTL(0)}, body: valid,
			wantErr: "event: WithLease(0s): the lease must be positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			spy, h := newSpy(), &counter{}
			var store event.Store
			if tt.store {
				store = spy
			}
			var handle func(context.Context, event.Event) error
			if tt.handler {
				handle = h.handle
			}
			err := event.NewProcessor(store, handle, tt.opts...).Process(t.Context(), tt.body)
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), tt.wantErr), "got %q, want it to begin with %q", err.Error(), tt.wantErr)
			var pe *event.ParseError
			if tt.parseErr {
				require.ErrorAs(t, err, &pe)
				assert.Equal(t, tt.wantField, pe.Field)
			} else {
				assert.False(t, errors.As(err, &pe), "not a parse error")
			}
			assert.Empty(t, spy.Calls(), "nothing claimed")
			assert.Zero(t, h.Runs(), "the handler did not run")
		})
	}
}

// The smallest valid TTL and lease are accepted, and nil options and a nil clock are ignored.
func TestProcessOptionEdges(t *testing.T) {
	t.Parallel()
	clock := storetest.NewClock()
	tests := []struct {
		name string
		opts []event.ProcessorOption
	}{
		{"1ns TTL", []event.ProcessorOption{event.WithTTL(time.Nanosecond), event.WithClock(clock.Now)}},
		{"1ns lease", []event.ProcessorOption{event.WithLease(time.Nanosecond), event.WithClock(clock.Now)}},
		{"nil option and nil clock", []event.ProcessorOption{nil, event.WithClock(nil)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := &counter{}
			p := event.NewProcessor(event.NewMemoryStore(), h.handle, tt.opts...)
			require.NoError(t, p.Process(t.Context(), recordingEnd(t, "e1")))
			assert.Equal(t, 1, h.Runs())
		})
	}
}

// The Store decides by the Processor's clock: a done ID is remembered for the TTL (the last instant
// within it is a duplicate, the first after it runs again), and a claim holds for the lease.
func TestProcessTTLAndLeaseByTheClock(t *testing.T) {
	t.Parallel()
	const ttl, lease = time.Hour, time.Minute
	tests := []struct {
		name      string
		failFirst bool          // the first run fails and its release fails too (the claim stays until its lease ends)
		second    time.Duration // when the second delivery comes, after the first
		wantErr   error
		wantRuns  int
	}{
		{name: "last instant of the TTL: duplicate", second: ttl - time.Nanosecond, wantErr: event.ErrDuplicate, wantRuns: 1},
		{name: "end of the TTL: run again", second: ttl, wantRuns: 2},
		{name: "unreleased claim within its lease: in progress", failFirst: true, second: lease - time.Nanosecond, wantErr: event.ErrInProgress, wantRuns: 1},
		{name: "unreleased claim at the end of its lease: run again", failFirst: true, second: lease, wantRuns: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock, spy := storetest.NewClock(), newSpy()
			h := &counter{}
			if tt.failFirst {
				h.results = []error{errHandler}
				spy.fail["release"] = errors.New("store unavailable")
			}
			p := event.NewProcessor(spy, h.handle, event.WithTTL(ttl), event.WithLease(lease), event.WithClock(clock.Now))
			body := recordingEnd(t, "e1")
			err := p.Process(t.Context(), body)
			if tt.failFirst {
				require.ErrorIs(t, err, errHandler)
				delete(spy.fail, "release")
			} else {
				require.NoError(t, err)
			}
			clock.Set(tt.second)
			err = p.Process(t.Context(), body)
			if tt.wantErr == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tt.wantErr)
			}
			assert.Equal(t, tt.wantRuns, h.Runs())
		})
	}
}

// wait receives from ch, failing the test if nothing comes (a bug must fail, not hang the suite).
func wait[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(30 * time.Second):
		t.Fatal("timed out waiting")
		panic("unreachable")
	}
}

// blocking returns a handler that signals started, then waits for proceed and returns its result.
func blocking(started chan<- struct{}, proceed <-chan error) func(context.Context, event.Event) error {
	return func(context.Context, event.Event) error {
		started <- struct{}{}
		return <-proceed
	}
}

// Consumers racing on one ID: while one runs the handler, every other gets ErrInProgress; once it is
// done, every later one ErrDuplicate.
func TestProcessRacingConsumers(t *testing.T) {
	t.Parallel()
	store := event.NewMemoryStore()
	started, proceed := make(chan struct{}, 1), make(chan error)
	winner := event.NewProcessor(store, blocking(started, proceed))
	h := &counter{}
	body := recordingEnd(t, "e1")

	first := make(chan error, 1)
	go func() { first <- winner.Process(context.Background(), body) }()
	wait(t, started)

	// Other consumers (other processors on the same store, as other Lambda environments would be).
	const racers = 8
	errs := make(chan error, racers)
	var wg sync.WaitGroup
	for range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- event.NewProcessor(store, h.handle).Process(context.Background(), body)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.ErrorIs(t, err, event.ErrInProgress)
		assert.Contains(t, err.Error(), `event: event ID "e1" is in progress`)
	}
	proceed <- nil
	require.NoError(t, wait(t, first))
	assert.Zero(t, h.Runs(), "no racer ran the handler")
	assert.ErrorIs(t, event.NewProcessor(store, h.handle).Process(t.Context(), body), event.ErrDuplicate)
	assert.Zero(t, h.Runs())
}

// A consumer whose lease ended while its handler ran is taken over: the new owner runs the handler, and
// the first one's Done (or Release) fails with ErrClaimLost, saying that the handler ran.
func TestProcessLeaseTakeover(t *testing.T) {
	t.Parallel()
	const lease = time.Minute
	tests := []struct {
		name        string
		firstResult error // what the slow first handler returns after the takeover
		wantHandled bool
		wantText    string
	}{
		{name: "slow success", firstResult: nil, wantHandled: true,
			wantText: `event: the handler of event ID "e1" succeeded, but marking it done failed, so a redelivery may run it again: event: claim lost`},
		{name: "slow failure", firstResult: errHandler,
			wantText: `event: the handler of event ID "e1" failed: downstream unavailable; its claim was lost meanwhile (the lease ended and another consumer claimed the ID): event: claim lost`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock, store := storetest.NewClock(), event.NewMemoryStore()
			started, proceed := make(chan struct{}, 1), make(chan error)
			slow := event.NewProcessor(store, blocking(started, proceed), event.WithLease(lease), event.WithClock(clock.Now))
			h := &counter{}
			fresh := event.NewProcessor(store, h.handle, event.WithLease(lease), event.WithClock(clock.Now))
			body := recordingEnd(t, "e1")

			first := make(chan error, 1)
			go func() { first <- slow.Process(context.Background(), body) }()
			wait(t, started)
			clock.Set(lease - time.Nanosecond)
			assert.ErrorIs(t, fresh.Process(t.Context(), body), event.ErrInProgress, "the lease still holds")
			clock.Set(lease)
			require.NoError(t, fresh.Process(t.Context(), body), "taken over once the lease ended")
			assert.Equal(t, 1, h.Runs())

			proceed <- tt.firstResult
			err := wait(t, first)
			require.ErrorIs(t, err, event.ErrClaimLost)
			var pe *event.ProcessError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.wantHandled, pe.Handled)
			assert.True(t, strings.HasPrefix(err.Error(), tt.wantText), err.Error())
			if tt.firstResult != nil {
				assert.ErrorIs(t, err, tt.firstResult)
			}
			// The new owner's done mark stands.
			assert.ErrorIs(t, fresh.Process(t.Context(), body), event.ErrDuplicate)
		})
	}
}

// When the Store fails, Process says whether the handler ran.
func TestProcessStoreFailures(t *testing.T) {
	t.Parallel()
	errStore := errors.New("store unavailable")
	tests := []struct {
		name        string
		failOp      string
		handlerErr  error
		wantRuns    int
		wantHandled bool
		wantText    string
		wantCalls   []string
		next        error // what a second delivery gets (the claim state the failure left)
		nextRuns    int
	}{
		{name: "claim fails: the handler does not run", failOp: "claim", wantRuns: 0,
			wantText:  `event: claiming event ID "e1" failed (the handler did not run): store unavailable`,
			wantCalls: []string{"claim e1"}, nextRuns: 1},
		{name: "done fails after success: handled, may run again", failOp: "done", wantRuns: 1, wantHandled: true,
			wantText:  `event: the handler of event ID "e1" succeeded, but marking it done failed, so a redelivery may run it again: store unavailable`,
			wantCalls: []string{"claim e1", "done e1"}, next: event.ErrInProgress, nextRuns: 1},
		{name: "release fails after a failure: claimed until the lease ends", failOp: "release", handlerErr: errHandler, wantRuns: 1,
			wantText:  `event: the handler of event ID "e1" failed: downstream unavailable; releasing the claim failed too, so a delivery after the lease runs it again: store unavailable`,
			wantCalls: []string{"claim e1", "release e1"}, next: event.ErrInProgress, nextRuns: 1},
		{name: "a failure released", handlerErr: errHandler, wantRuns: 1,
			wantText:  `event: the handler of event ID "e1" failed (the claim is released: the next delivery runs it again): downstream unavailable`,
			wantCalls: []string{"claim e1", "release e1"}, nextRuns: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			spy := newSpy()
			if tt.failOp != "" {
				spy.fail[tt.failOp] = errStore
			}
			h := &counter{results: []error{tt.handlerErr}}
			p := event.NewProcessor(spy, h.handle)
			body := recordingEnd(t, "e1")
			err := p.Process(t.Context(), body)
			require.Error(t, err)
			assert.Equal(t, tt.wantText, err.Error())
			var pe *event.ProcessError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.wantHandled, pe.Handled)
			assert.Equal(t, tt.handlerErr, pe.Handler)
			if tt.failOp != "" {
				assert.ErrorIs(t, err, errStore)
				assert.Equal(t, errStore, pe.Store)
			} else {
				assert.NoError(t, pe.Store)
			}
			assert.Equal(t, tt.wantRuns, h.Runs())
			assert.Equal(t, tt.wantCalls, spy.Calls())

			delete(spy.fail, tt.failOp)
			err = p.Process(t.Context(), body)
			if tt.next == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tt.next)
			}
			assert.Equal(t, tt.nextRuns, h.Runs())
		})
	}
}

// A handler that panics: the claim is released, then the panic goes on unchanged; the next delivery runs.
func TestProcessHandlerPanic(t *testing.T) {
	t.Parallel()
	spy := newSpy()
	runs := 0
	p := event.NewProcessor(spy, func(context.Context, event.Event) error {
		runs++
		if runs == 1 {
			panic("handler bug")
		}
		return nil
	})
	body := recordingEnd(t, "e1")
	assert.PanicsWithValue(t, "handler bug", func() { _ = p.Process(t.Context(), body) })
	assert.Equal(t, []string{"claim e1", "release e1"}, spy.Calls())
	require.NoError(t, p.Process(t.Context(), body), "released: the next delivery runs it")
	assert.Equal(t, 2, runs)
}

// The Store calls carry a Claimant: one owner per Process call (the same for its Claim and Done), and the
// processor's clock. Done is made on a live context even when the caller's ended during the handler.
func TestProcessClaimantAndEndedContext(t *testing.T) {
	t.Parallel()
	clock, spy := storetest.NewClock(), newSpy()
	ctx, cancel := context.WithCancel(t.Context())
	var handlerClaimant event.Claimant
	p := event.NewProcessor(spy, func(hctx context.Context, _ event.Event) error {
		if handlerClaimant.Owner == "" {
			handlerClaimant, _ = event.ClaimantFromContext(hctx)
		}
		cancel() // the caller's context ends while the handler runs (a Lambda deadline)
		return nil
	}, event.WithClock(clock.Now))
	require.NoError(t, p.Process(ctx, recordingEnd(t, "e1")))
	require.NoError(t, p.Process(t.Context(), recordingEnd(t, "e2")))

	require.Equal(t, []string{"claim e1", "done e1", "claim e2", "done e2"}, spy.Calls())
	var owners []string
	for i, c := range spy.ctxs {
		cl, ok := event.ClaimantFromContext(c)
		require.True(t, ok, "call %d", i)
		require.NotNil(t, cl.Now)
		assert.Equal(t, storetest.Start, cl.Now(), "the processor's clock")
		owners = append(owners, cl.Owner)
	}
	assert.Equal(t, owners[0], owners[1], "Claim and Done of one call: one owner")
	assert.Equal(t, owners[2], owners[3])
	assert.NotEqual(t, owners[0], owners[2], "each call its own owner")
	assert.Equal(t, owners[0], handlerClaimant.Owner, "the handler's context carries the claimant")
	assert.Equal(t, []bool{false, false, false, false}, spy.ended, "no call was made on an ended context")
	assert.Error(t, ctx.Err(), "the caller's context ended")
	_, hasDeadline := spy.ctxs[1].Deadline()
	assert.True(t, hasDeadline, "bounded by AfterHandlerTimeout")
}

// Owners are unique across processors (processes): a prefix of random digits per processor.
func TestProcessOwnersAreUniqueAcrossProcessors(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for i := range 50 {
		spy := newSpy()
		p := event.NewProcessor(spy, func(context.Context, event.Event) error { return nil })
		require.NoError(t, p.Process(t.Context(), recordingEnd(t, fmt.Sprint("e", i))))
		cl, ok := event.ClaimantFromContext(spy.ctxs[0])
		require.True(t, ok)
		assert.False(t, seen[cl.Owner], cl.Owner)
		seen[cl.Owner] = true
	}
}

// ProcessError's text for each case, and what it wraps.
func TestProcessErrorText(t *testing.T) {
	t.Parallel()
	errStore := errors.New("throttled")
	tests := []struct {
		name   string
		err    *event.ProcessError
		want   string
		is     []error
		isNot  []error
		unwrap int
	}{
		{name: "duplicate", err: &event.ProcessError{ID: "a", Store: event.ErrDuplicate},
			want: `event: event ID "a" is already done (a duplicate delivery; the handler did not run)`,
			is:   []error{event.ErrDuplicate}, isNot: []error{event.ErrInProgress}, unwrap: 1},
		{name: "in progress", err: &event.ProcessError{ID: "a", Store: event.ErrInProgress},
			want: `event: event ID "a" is in progress: another consumer holds its claim (the handler did not run; retry later)`,
			is:   []error{event.ErrInProgress}, isNot: []error{event.ErrDuplicate}, unwrap: 1},
		{name: "an ID needing quotes", err: &event.ProcessError{ID: "a\"b\n", Store: event.ErrDuplicate},
			want: `event: event ID "a\"b\n" is already done (a duplicate delivery; the handler did not run)`, is: []error{event.ErrDuplicate}, unwrap: 1},
		{name: "handler and store", err: &event.ProcessError{ID: "a", Handler: errHandler, Store: errStore},
			want: `event: the handler of event ID "a" failed: downstream unavailable; releasing the claim failed too, so a delivery after the lease runs it again: throttled`,
			is:   []error{errHandler, errStore}, isNot: []error{event.ErrClaimLost}, unwrap: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.err.Error())
			for _, target := range tt.is {
				assert.ErrorIs(t, tt.err, target)
			}
			for _, target := range tt.isNot {
				assert.NotErrorIs(t, tt.err, target)
			}
			assert.Len(t, tt.err.Unwrap(), tt.unwrap)
		})
	}
}
