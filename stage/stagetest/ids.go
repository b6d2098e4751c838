package stagetest

import (
	crand "crypto/rand"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
)

const (
	alnum      = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"
)

// randomString returns n characters drawn from alphabet (math/rand/v2's top-level functions are safe for
// concurrent use).
func randomString(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rand.IntN(len(alphabet))]
	}
	return string(b)
}

// tokenHeader is base64url({"alg":"KMS","typ":"JWT"}): the header of the service's opaque tokens.
const tokenHeader = "eyJhbGciOiJLTVMiLCJ0eXAiOiJKV1QifQ"

// participantTokenString returns an opaque, JWT-shaped random token string (about 200 characters).
func participantTokenString() string {
	payload := make([]byte, 96)
	sig := make([]byte, 48)
	_, _ = crand.Read(payload) // never fails (Go 1.24+)
	_, _ = crand.Read(sig)
	enc := base64.RawURLEncoding
	return tokenHeader + "." + enc.EncodeToString(payload) + "." + enc.EncodeToString(sig)
}

// requestID returns a random (version 4) UUID, for the x-amzn-RequestId header and event IDs.
func requestID() string {
	var b [16]byte
	_, _ = crand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
