package token

import (
	"crypto/ecdsa"
	"time"
)

// VerifyWithKeysAt is VerifyWithKeys at the time now.
func VerifyWithKeysAt(raw string, keys map[string]*ecdsa.PublicKey, now time.Time) (Claims, error) {
	return verifyWithKeys(raw, keys, now)
}

// ParsePublicKeyPEM is the parser of the public key material GetPublicKey returns.
var ParsePublicKeyPEM = parsePublicKeyPEM

// SEC1 and PKCS8 are the key structures ParseSigner reads, for tests that damage a key.
type (
	SEC1  = sec1
	PKCS8 = pkcs8
)
