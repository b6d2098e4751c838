package stage

import (
	"context"
	"time"
)

// WithWaitClock replaces WaitRecordingIdle's clock in tests: now tells the time and sleep waits (it must
// return ctx.Err() once ctx is done), so a test drives the wait with a fake clock instead of the wall
// clock.
func WithWaitClock(now func() time.Time, sleep func(ctx context.Context, d time.Duration) error) WaitOption {
	return func(o *waitOptions) { o.now, o.sleep = now, sleep }
}
