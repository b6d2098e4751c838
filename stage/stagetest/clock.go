package stagetest

import (
	"sync"
	"time"
)

// Clock is a manual clock for a [Server]: it stands still until [Clock.Advance] moves it. Give it to the
// server with [WithClock](clock.Now); the server then reads token expiry, session and event times,
// reconnect windows and rate-limit refills from it. Time-based transitions (a recording leaving STARTING,
// a reconnect window running out, a session ending) are evaluated lazily: the server settles its state up
// to the clock's current time at the start of every request and of every simulation call ([Server.Join],
// [Server.Publish], [Server.Unpublish], [Server.Leave], [Server.Events], [Server.Objects]), so the pattern
// is: advance the clock, then any call observes the result. A Clock is safe for concurrent use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock that reads start (converted to UTC) until it is advanced.
func NewClock(start time.Time) *Clock {
	return &Clock{now: start.UTC()}
}

// Now returns the clock's current time, in UTC.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d. A negative d moves it back, which the server does not expect:
// transitions that already happened are not undone.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
