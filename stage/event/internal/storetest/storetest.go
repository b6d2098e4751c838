// Package storetest is the contract every event.Store of this module passes (the memory store and
// eventdb's), as one table of scenarios run against a new store per scenario.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/event"
)

// Start is when every scenario's clock starts: a whole second, so that leases and TTLs of whole seconds
// end exactly on a unit of every store (eventdb keeps milliseconds and seconds).
var Start = time.Date(2026, 3, 13, 19, 44, 19, 0, time.UTC)

// The durations of the scenarios (whole seconds).
const (
	Lease = 30 * time.Second
	TTL   = 10 * time.Minute
)

// Clock is a manual clock, safe for concurrent use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock at Start.
func NewClock() *Clock { return &Clock{now: Start} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to Start + d.
func (c *Clock) Set(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = Start.Add(d)
}

// step is one call of a scenario: at Start + at, owner calls op ("claim", "done" or "release") and expects
// want (nil, or an error that errors.Is one of the event package's sentinels).
type step struct {
	at    time.Duration
	owner string
	op    string
	want  error
}

// Scenario is one sequence of calls on one event ID.
type Scenario struct {
	Name  string
	steps []step
}

// Scenarios are the Store contract: claims, leases, TTLs and owners, with the last valid and the first
// invalid instant of each lease and TTL.
var Scenarios = []Scenario{
	{"a new ID is claimed", []step{{0, "a", "claim", nil}}},
	{"a claim holds until its lease ends, then another owner takes it", []step{
		{0, "a", "claim", nil},
		{0, "b", "claim", event.ErrInProgress},
		{0, "a", "claim", event.ErrInProgress}, // not re-entrant
		{Lease - time.Nanosecond, "b", "claim", event.ErrInProgress},
		{Lease, "b", "claim", nil},
		{Lease, "c", "claim", event.ErrInProgress}, // b's claim holds from its own claim time
		{2*Lease - time.Nanosecond, "c", "claim", event.ErrInProgress},
		{2 * Lease, "c", "claim", nil},
	}},
	{"a done ID is a duplicate until its TTL ends", []step{
		{0, "a", "claim", nil},
		{time.Second, "a", "done", nil},
		{time.Second, "b", "claim", event.ErrDuplicate},
		{time.Second + TTL - time.Nanosecond, "b", "claim", event.ErrDuplicate},
		{time.Second + TTL, "b", "claim", nil},
		{time.Second + TTL, "b", "done", nil},
		{time.Second + TTL, "c", "claim", event.ErrDuplicate},
	}},
	{"a released ID is claimed again at once", []step{
		{0, "a", "claim", nil},
		{time.Second, "a", "release", nil},
		{time.Second, "b", "claim", nil},
		{time.Second, "b", "done", nil},
	}},
	{"an owner whose claim was taken over can neither mark done nor release", []step{
		{0, "a", "claim", nil},
		{Lease, "b", "claim", nil},
		{Lease, "a", "done", event.ErrClaimLost},
		{Lease, "a", "release", event.ErrClaimLost},
		{Lease, "c", "claim", event.ErrInProgress}, // b's claim is intact
		{Lease, "b", "done", nil},
		{Lease, "c", "claim", event.ErrDuplicate},
	}},
	{"an owner whose lease ended marks done while nobody took over", []step{
		{0, "a", "claim", nil},
		{2 * Lease, "a", "done", nil},
		{2 * Lease, "b", "claim", event.ErrDuplicate},
	}},
	{"an owner whose lease ended releases while nobody took over", []step{
		{0, "a", "claim", nil},
		{2 * Lease, "a", "release", nil},
		{2 * Lease, "b", "claim", nil},
	}},
	{"done and release need a claim", []step{
		{0, "a", "done", event.ErrClaimLost},
		{0, "a", "release", event.ErrClaimLost},
		{0, "a", "claim", nil},
	}},
	{"a done ID cannot be done again, released, or claimed by its owner", []step{
		{0, "a", "claim", nil},
		{0, "a", "done", nil},
		{0, "a", "done", event.ErrClaimLost},
		{0, "a", "release", event.ErrClaimLost},
		{0, "a", "claim", event.ErrDuplicate},
	}},
	{"a released claim cannot be done or released again", []step{
		{0, "a", "claim", nil},
		{0, "a", "release", nil},
		{0, "a", "done", event.ErrClaimLost},
		{0, "a", "release", event.ErrClaimLost},
	}},
	{"another owner cannot mark done or release a claim that holds", []step{
		{0, "a", "claim", nil},
		{0, "b", "done", event.ErrClaimLost},
		{0, "b", "release", event.ErrClaimLost},
		{0, "c", "claim", event.ErrInProgress},
		{0, "a", "done", nil},
	}},
}

// NewStore returns a new, empty store for one scenario (t names it, e.g. for a table name).
type NewStore func(t *testing.T) event.Store

// Run runs every scenario on a new store, and the other checks of the contract.
func Run(t *testing.T, newStore NewStore) {
	for _, sc := range Scenarios {
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			store, clock := newStore(t), NewClock()
			id := "id-" + strings.ReplaceAll(t.Name(), "/", "-")
			for i, s := range sc.steps {
				clock.Set(s.at)
				ctx := event.ContextWithClaimant(t.Context(), event.Claimant{Owner: s.owner, Now: clock.Now})
				var err error
				switch s.op {
				case "claim":
					err = store.Claim(ctx, id, Lease)
				case "done":
					err = store.Done(ctx, id, TTL)
				case "release":
					err = store.Release(ctx, id)
				default:
					t.Fatalf("step %d: unknown op %q", i, s.op)
				}
				what := fmt.Sprintf("step %d: %s by %s at %s", i, s.op, s.owner, s.at)
				if s.want == nil {
					assert.NoError(t, err, what)
				} else {
					assert.ErrorIs(t, err, s.want, what)
				}
			}
		})
	}

	t.Run("racing claims: exactly one wins", func(t *testing.T) {
		t.Parallel()
		store, clock := newStore(t), NewClock()
		const racers = 16
		errs := make([]error, racers)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range racers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				ctx := event.ContextWithClaimant(context.Background(), event.Claimant{Owner: fmt.Sprint("racer-", i), Now: clock.Now})
				errs[i] = store.Claim(ctx, "raced-id", Lease)
			}()
		}
		close(start)
		wg.Wait()
		won := 0
		for i, err := range errs {
			if err == nil {
				won++
				continue
			}
			assert.ErrorIs(t, err, event.ErrInProgress, "racer %d", i)
		}
		assert.Equal(t, 1, won, "exactly one racer claims the ID")
	})

	t.Run("calls without a claimant are one owner on the real clock", func(t *testing.T) {
		t.Parallel()
		store := newStore(t)
		ctx := t.Context()
		require.NoError(t, store.Claim(ctx, "no-claimant", time.Hour))
		assert.ErrorIs(t, store.Claim(ctx, "no-claimant", time.Hour), event.ErrInProgress)
		require.NoError(t, store.Done(ctx, "no-claimant", time.Hour))
		assert.ErrorIs(t, store.Claim(ctx, "no-claimant", time.Hour), event.ErrDuplicate)
		require.NoError(t, store.Claim(ctx, "no-claimant-2", time.Hour))
		require.NoError(t, store.Release(ctx, "no-claimant-2"))
	})

	t.Run("invalid arguments", func(t *testing.T) {
		t.Parallel()
		store, clock := newStore(t), NewClock()
		ctx := event.ContextWithClaimant(t.Context(), event.Claimant{Owner: "a", Now: clock.Now})
		tests := []struct {
			name    string
			call    func() error
			wantErr string // a part of the text
		}{
			{"claim of an empty ID", func() error { return store.Claim(ctx, "", Lease) }, "event ID is empty"},
			{"done of an empty ID", func() error { return store.Done(ctx, "", TTL) }, "event ID is empty"},
			{"release of an empty ID", func() error { return store.Release(ctx, "") }, "event ID is empty"},
			{"zero lease", func() error { return store.Claim(ctx, "x", 0) }, "lease 0s is not positive"},
			{"negative lease", func() error { return store.Claim(ctx, "x", -time.Nanosecond) }, "lease -1ns is not positive"},
			{"zero TTL", func() error { return store.Done(ctx, "x", 0) }, "ttl 0s is not positive"},
			{"negative TTL", func() error { return store.Done(ctx, "x", -time.Second) }, "ttl -1s is not positive"},
		}
		for _, tt := range tests {
			err := tt.call()
			require.Error(t, err, tt.name)
			assert.Contains(t, err.Error(), tt.wantErr, tt.name)
			for _, sentinel := range []error{event.ErrInProgress, event.ErrDuplicate, event.ErrClaimLost} {
				assert.False(t, errors.Is(err, sentinel), "%s: not %v", tt.name, sentinel)
			}
		}
		// The smallest valid lease and TTL.
		require.NoError(t, store.Claim(ctx, "x", time.Nanosecond))
		require.NoError(t, store.Done(ctx, "x", time.Nanosecond))
	})
}
