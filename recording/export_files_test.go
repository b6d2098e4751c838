package recording

import (
	"context"
	"time"
)

// SetFilesSleep replaces the wait between WaitFinal's polls in tests (it must return ctx.Err() once ctx is
// done), so a test drives WaitFinal with a fake clock instead of the wall clock.
func SetFilesSleep(f *Files, sleep func(ctx context.Context, d time.Duration) error) { f.sleep = sleep }
