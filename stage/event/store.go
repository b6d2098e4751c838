package event

import (
	"context"
	"errors"
	"sync"
	"time"
)

// The answers of a Store, which Process passes on (wrapped in a *ProcessError: test them with errors.Is).
var (
	// ErrInProgress: another consumer holds a claim on the event ID and its lease has not ended. The event
	// may still succeed there, or fail and be released: deliver it again later (an SQS consumer reports it
	// as a batch item failure).
	ErrInProgress = errors.New("event: in progress: another consumer holds the claim on this event ID; retry later")
	// ErrDuplicate: the event ID is done (its handler returned nil) and its TTL has not ended. Process
	// returns it for a duplicate delivery; callers treat it as success.
	ErrDuplicate = errors.New("event: duplicate: this event ID is already done")
	// ErrClaimLost: Done or Release found that the caller no longer holds the claim it made: its lease
	// ended and another consumer claimed the ID (or it was released or done already). A Done that fails so
	// means that the handler may run, or have run, twice: delivery is at least once.
	ErrClaimLost = errors.New("event: claim lost: the lease on this event ID ended and another consumer claimed it")
)

// Store remembers event IDs: claimed (in progress, until a lease ends) and done (until a TTL ends). A
// Processor claims an event's ID before it runs the handler, marks it done after the handler returned nil,
// and releases it after the handler failed.
//
// A Store decides expiry and ownership by the Claimant the Processor puts in the context of each call
// (ClaimantFromContext): its clock, and the owner that made the claim, so that a consumer whose lease
// ended and was taken over can neither mark done nor release the new owner's claim (ErrClaimLost). The
// Stores of this module are NewMemoryStore (one process) and eventdb.New (DynamoDB, many consumers).
type Store interface {
	// Claim claims id for lease: nil when the ID is unknown, or its claim's lease has ended, or its done
	// mark's TTL has ended; ErrInProgress while another claim's lease runs; ErrDuplicate while the ID is
	// done. Any other error is the Store's own (the ID's state is then unknown).
	Claim(ctx context.Context, id string, lease time.Duration) error
	// Done marks the ID claimed by the context's owner as done for ttl; ErrClaimLost when that owner no
	// longer holds the claim. An owner whose lease ended may still mark its claim done while nobody else
	// has claimed the ID.
	Done(ctx context.Context, id string, ttl time.Duration) error
	// Release forgets the claim of the context's owner, so that the next delivery runs the handler again
	// (the handler failed); ErrClaimLost when that owner no longer holds the claim.
	Release(ctx context.Context, id string) error
}

// Claimant is who calls a Store and by which clock. Processor.Process puts one in the context of its
// Claim, Done and Release calls (ContextWithClaimant); a Store reads it with ClaimantFromContext.
type Claimant struct {
	// Owner identifies one claim: Process makes a new one for every call (unique across processes), and a
	// Store writes it with the claim and requires it of Done and Release.
	Owner string
	// Now is the clock by which the Store decides whether a lease or a TTL has ended; nil means time.Now.
	Now func() time.Time
}

type claimantKey struct{}

// ContextWithClaimant returns a copy of ctx that carries c, for the Store calls made with it.
func ContextWithClaimant(ctx context.Context, c Claimant) context.Context {
	return context.WithValue(ctx, claimantKey{}, c)
}

// ClaimantFromContext returns the Claimant ctx carries and whether it carries one. A Store called without
// one (directly rather than by a Processor) uses an owner of its own and time.Now: all such calls are then
// one owner.
func ClaimantFromContext(ctx context.Context) (Claimant, bool) {
	c, ok := ctx.Value(claimantKey{}).(Claimant)
	return c, ok
}

// claimantOf returns the context's claimant, with defaultOwner and time.Now in place of what it lacks.
func claimantOf(ctx context.Context, defaultOwner string) (owner string, now time.Time) {
	c, _ := ClaimantFromContext(ctx)
	if c.Owner == "" {
		c.Owner = defaultOwner
	}
	if c.Now == nil {
		return c.Owner, time.Now()
	}
	return c.Owner, c.Now()
}

// NewMemoryStore returns a Store that keeps IDs in this process's memory: for one consumer process (a
// Lambda function's IDs do not survive its execution environment, and two environments do not share
// them; use eventdb there). It is safe for concurrent use. Expired IDs are forgotten as new ones arrive
// (a sweep each time the number held doubles), so memory stays within about twice the IDs claimed within
// the last lease or TTL.
//
// A claim holds while now < claim time + lease, a done mark while now < done time + ttl, by the
// Claimant's clock (so at claim time + lease exactly, the ID can be claimed again).
func NewMemoryStore() Store {
	return &memoryStore{records: map[string]memoryRecord{}, owner: newOwnerPrefix(), sweepAt: minSweep}
}

// minSweep is the number of records below which the memory store does not look for expired ones.
const minSweep = 64

type memoryStore struct {
	owner string // of calls without a Claimant

	mu      sync.Mutex
	records map[string]memoryRecord
	sweepAt int // sweep the expired records when len(records) reaches it
}

type memoryRecord struct {
	owner string
	done  bool
	until time.Time // end of the lease (in progress) or of the TTL (done)
}

func (m *memoryStore) Claim(ctx context.Context, id string, lease time.Duration) error {
	if err := checkStoreArgs("Claim", id, "lease", lease); err != nil {
		return err
	}
	owner, now := claimantOf(ctx, m.owner)
	m.mu.Lock()
	defer m.mu.Unlock()
	if r, ok := m.records[id]; ok && now.Before(r.until) {
		if r.done {
			return ErrDuplicate
		}
		return ErrInProgress
	}
	m.records[id] = memoryRecord{owner: owner, until: now.Add(lease)}
	if len(m.records) >= m.sweepAt {
		for k, r := range m.records {
			if !now.Before(r.until) {
				delete(m.records, k)
			}
		}
		m.sweepAt = max(2*len(m.records), minSweep)
	}
	return nil
}

func (m *memoryStore) Done(ctx context.Context, id string, ttl time.Duration) error {
	if err := checkStoreArgs("Done", id, "ttl", ttl); err != nil {
		return err
	}
	owner, now := claimantOf(ctx, m.owner)
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.records[id]
	if !ok || r.done || r.owner != owner {
		return ErrClaimLost
	}
	m.records[id] = memoryRecord{owner: owner, done: true, until: now.Add(ttl)}
	return nil
}

func (m *memoryStore) Release(ctx context.Context, id string) error {
	if err := checkStoreArgs("Release", id, "", 1); err != nil {
		return err
	}
	owner, _ := claimantOf(ctx, m.owner)
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.records[id]
	if !ok || r.done || r.owner != owner {
		return ErrClaimLost
	}
	delete(m.records, id)
	return nil
}

// checkStoreArgs refuses an empty ID and a duration (named name) that is not positive.
func checkStoreArgs(method, id, name string, d time.Duration) error {
	if id == "" {
		return errors.New("event: MemoryStore." + method + ": the event ID is empty")
	}
	if d <= 0 {
		return errors.New("event: MemoryStore." + method + ": " + name + " " + d.String() + " is not positive")
	}
	return nil
}
