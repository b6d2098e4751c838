package token_test

import (
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/pem"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/token"
)

const (
	stageARN  = "arn:aws:ivs:us-east-1:123456789012:stage/abcdEFGH1234"
	stageID   = "abcdEFGH1234"
	keyARN    = "arn:aws:ivs:us-east-1:123456789012:public-key/KeyAbCd1234"
	eventsURL = "wss://global.events.live-video.net"
	whipURL   = "https://abcdef123456.global-bm.whip.live-video.net"
)

var target = token.Target{StageARN: stageARN, EventsURL: eventsURL, WhipURL: whipURL}

// testKey reads a PKCS#8 ECDSA private key from testdata.
func testKey(t testing.TB, name string) *ecdsa.PrivateKey {
	t.Helper()
	block, _ := pem.Decode(readTestdata(t, name))
	require.NotNil(t, block, name)
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	require.NoError(t, err)
	ec, ok := k.(*ecdsa.PrivateKey)
	require.True(t, ok, "%s holds a %T", name, k)
	return ec
}

// testPublicKey is the public half of testdata/p384-pkcs8.pem, read from testdata/p384-public.pem.
func testPublicKey(t testing.TB) *ecdsa.PublicKey {
	t.Helper()
	block, _ := pem.Decode(readTestdata(t, "p384-public.pem"))
	require.NotNil(t, block)
	k, err := x509.ParsePKIXPublicKey(block.Bytes)
	require.NoError(t, err)
	return k.(*ecdsa.PublicKey)
}

// newSigner returns a Signer with a fresh key.
func newSigner(t testing.TB) (*token.Signer, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := token.GenerateKey()
	require.NoError(t, err)
	s, err := token.NewSigner(key, keyARN)
	require.NoError(t, err)
	return s, key
}

// hangGuard returns a channel that is closed a little before the test's deadline (t.Deadline: go test's
// -timeout), so that a wait a bug would make endless fails its own test, naming what it waited for,
// before the whole binary panics at the timeout. It is a safety net only: a passing run never reaches it,
// and no verdict depends on how long anything took. Without a deadline (-timeout 0) it is never closed.
func hangGuard(t *testing.T) <-chan struct{} {
	t.Helper()
	guard := make(chan struct{})
	deadline, ok := t.Deadline()
	if !ok {
		return guard
	}
	left := time.Until(deadline)
	timer := time.AfterFunc(left-min(left/10, 30*time.Second), func() { close(guard) })
	t.Cleanup(func() { timer.Stop() })
	return guard
}

// awaitOrFail waits until ch is closed, or fails t (from any goroutine) when the hang guard is closed
// first, saying what never happened.
func awaitOrFail(t *testing.T, guard, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-guard:
		t.Errorf("waited for %s until the test's deadline", what)
	}
}
