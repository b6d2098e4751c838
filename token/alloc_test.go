//go:build !race

package token_test

import (
	"crypto/ecdsa"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/token"
)

// Validating a valid configuration allocates nothing.
func TestValidateValidDoesNotAllocate(t *testing.T) {
	cfg := token.New().WithUserID("alice").WithDuration(time.Hour).
		WithCapabilities(token.Publish, token.Subscribe).WithAttribute("role", "host")
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = cfg.Validate() }))
}

// A forged token of 63 MB is refused unread: one small allocation (the error, which holds only the
// length), the same as for a token one byte over MaxTokenSize, where decoding it allocated hundreds of
// megabytes.
func TestVerifyRefusesOversizedTokensWithoutAllocating(t *testing.T) {
	pub := testPublicKey(t)
	keys := map[string]*ecdsa.PublicKey{keyARN: pub}
	at := fixedClock.Add(time.Hour)
	verifiers := map[string]func(string) error{
		"Verify":         func(raw string) error { _, err := token.Verify(raw, pub); return err },
		"VerifyAt":       func(raw string) error { _, err := token.VerifyAt(raw, pub, at); return err },
		"VerifyWithKeys": func(raw string) error { _, err := token.VerifyWithKeys(raw, keys); return err },
	}
	forged := "eyJhbGciOiJFUzM4NCIsInR5cCI6IkpXVCJ9." + strings.Repeat("eyJ", 21<<20) + ".AAAA"
	require.Greater(t, len(forged), 63<<20)
	for name, verify := range verifiers {
		for _, raw := range []string{forged, forged[:token.MaxTokenSize+1]} {
			err := verify(raw)
			require.ErrorIs(t, err, jwt.ErrTokenMalformed, name)
			require.ErrorContains(t, err, "more than MaxTokenSize (16384): refused unread", name)

			assert.LessOrEqual(t, testing.AllocsPerRun(20, func() { _ = verify(raw) }), 1.0, "%s of %d bytes: allocations", name, len(raw))
			const runs = 20
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for range runs {
				_ = verify(raw)
			}
			runtime.ReadMemStats(&after)
			assert.Less(t, (after.TotalAlloc-before.TotalAlloc)/runs, uint64(256), "%s of %d bytes: bytes allocated per call", name, len(raw))
		}
	}
}
