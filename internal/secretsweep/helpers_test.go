package secretsweep_test

// Small helpers shared by the sweep's files: keys, re-signed tokens and a token to plant.

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"testing"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/token"
)

// ecKey returns a fresh key on curve c.
func ecKey(t *testing.T, c elliptic.Curve) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(c, rand.Reader)
	require.NoError(t, err)
	return k
}

// resign re-signs raw's header and claims, as edited, with method and key.
func resign(t *testing.T, raw string, method jwt.SigningMethod, key any, edit func(header, claims map[string]any)) string {
	header, claims, _, _ := testutil.DecodeJWT(t, raw)
	if edit != nil {
		edit(header, claims)
	}
	tok := jwt.NewWithClaims(method, jwt.MapClaims(claims))
	tok.Header = header
	tok.Header["alg"] = method.Alg()
	out, err := tok.SignedString(key)
	require.NoError(t, err)
	return out
}

// must returns v, panicking on err: for values a sweep case cannot be built without.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// plantable returns a key, its signer and a token it minted: the secrets the self-tests plant.
func plantable(t *testing.T) (*ecdsa.PrivateKey, *token.Signer, token.Token) {
	key, err := token.GenerateKey()
	require.NoError(t, err)
	signer, err := token.NewSigner(key, "arn:aws:ivs:us-east-1:123456789012:public-key/AbCdEfGhIjKl")
	require.NoError(t, err)
	tok, err := signer.Mint(token.Target{
		StageARN:  "arn:aws:ivs:us-east-1:123456789012:stage/AbCdEfGhIjKl",
		EventsURL: "wss://global.events.live-video.net",
		WhipURL:   "https://global.whip.live-video.net",
	}, token.New())
	require.NoError(t, err)
	return key, signer, tok
}
