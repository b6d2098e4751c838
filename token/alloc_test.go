//go:build !race

package token_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/ivsrt/ivsrt/token"
)

// Validating a valid configuration allocates nothing.
func TestValidateValidDoesNotAllocate(t *testing.T) {
	cfg := token.New().WithUserID("alice").WithDuration(time.Hour).
		WithCapabilities(token.Publish, token.Subscribe).WithAttribute("role", "host")
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = cfg.Validate() }))
}
