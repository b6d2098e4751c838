package event_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/event"
	"github.com/ivsrt/ivsrt/stage/event/internal/storetest"
)

func TestMemoryStore(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(*testing.T) event.Store { return event.NewMemoryStore() })
}

// Expired IDs are forgotten as new ones are claimed: the store holds at most about twice the IDs of the
// last lease or TTL, not every ID it ever saw (800 expired IDs, then 300 new ones: a sweep at 1,024).
func TestMemoryStoreForgetsExpiredIDs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		done    bool // mark each ID done (else leave it claimed)
		advance time.Duration
		wantMax int // IDs held after the second round, at most
		wantMin int
	}{
		{name: "expired claims are forgotten", advance: storetest.Lease, wantMax: 2 * 300, wantMin: 300},
		{name: "expired done marks are forgotten", done: true, advance: storetest.TTL, wantMax: 2 * 300, wantMin: 300},
		{name: "claims within their lease are kept", advance: storetest.Lease - time.Nanosecond, wantMax: 1100, wantMin: 1100},
		{name: "done marks within their TTL are kept", done: true, advance: storetest.TTL - time.Nanosecond, wantMax: 1100, wantMin: 1100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			store, clock := event.NewMemoryStore(), storetest.NewClock()
			ctx := event.ContextWithClaimant(t.Context(), event.Claimant{Owner: "a", Now: clock.Now})
			claim := func(round, n int) {
				for i := range n {
					id := fmt.Sprintf("r%d-%d", round, i)
					require.NoError(t, store.Claim(ctx, id, storetest.Lease))
					if tt.done {
						require.NoError(t, store.Done(ctx, id, storetest.TTL))
					}
				}
			}
			claim(1, 800)
			require.Equal(t, 800, event.MemoryStoreLen(store))
			clock.Set(tt.advance)
			claim(2, 300)
			got := event.MemoryStoreLen(store)
			assert.LessOrEqual(t, got, tt.wantMax)
			assert.GreaterOrEqual(t, got, tt.wantMin)
			// Whatever was forgotten had expired: the second round's IDs are all still known.
			for i := range 300 {
				err := store.Claim(ctx, fmt.Sprintf("r2-%d", i), storetest.Lease)
				if tt.done {
					assert.ErrorIs(t, err, event.ErrDuplicate)
				} else {
					assert.ErrorIs(t, err, event.ErrInProgress)
				}
			}
		})
	}
}
