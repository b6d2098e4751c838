package token

import (
	"crypto/ecdsa"
	"time"
)

// SetClock sets the clock s mints with. Call it before s is shared.
func SetClock(s *Signer, now func() time.Time) { s.now = now }

// VerifyAt is Verify at the time now.
func VerifyAt(raw string, pub *ecdsa.PublicKey, now time.Time) (Claims, error) {
	return verify(raw, pub, now)
}

// VerifyWithKeysAt is VerifyWithKeys at the time now.
func VerifyWithKeysAt(raw string, keys map[string]*ecdsa.PublicKey, now time.Time) (Claims, error) {
	return verifyWithKeys(raw, keys, now)
}

// SEC1 and PKCS8 are the key structures ParseSigner reads, for tests that damage a key.
type (
	SEC1  = sec1
	PKCS8 = pkcs8
)
