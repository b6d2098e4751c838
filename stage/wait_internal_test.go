package stage

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// The default sleep returns the context's error at once when the context ends first, and nil after a
// zero wait.
func TestSleep(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	assert.Equal(t, context.Canceled, sleep(ctx, time.Hour))
	assert.NoError(t, sleep(t.Context(), 0))
}
