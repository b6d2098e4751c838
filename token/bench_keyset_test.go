package token_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/token"
)

// BenchmarkKeySetVerify measures KeySet.VerifyAt with one key beside token.VerifyAt with that key, in one
// run, on one token: the key set's look-up by kid should cost next to nothing (goal: ≤ 1.05x).
func BenchmarkKeySetVerify(b *testing.B) {
	s := signerAt(b, keyARN)
	tok, err := s.Mint(target, token.New().WithUserID("alice"))
	require.NoError(b, err)
	raw, pub, at := tok.Value(), s.PublicKey(), fixedClock.Add(time.Minute)
	ks := token.NewKeySet()
	require.NoError(b, ks.Add(keyARN, pub))

	b.Run("token.VerifyAt", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := token.VerifyAt(raw, pub, at); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("KeySet.VerifyAt", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ks.VerifyAt(raw, at); err != nil {
				b.Fatal(err)
			}
		}
	})
}
