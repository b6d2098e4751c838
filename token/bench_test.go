package token_test

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha512"
	"testing"

	"github.com/ivsrt/ivsrt/token"
)

// BenchmarkMint and BenchmarkECDSASign run side by side: minting a token costs one P-384 signature plus
// the claims' JSON and base64, so Mint should stay within a few percent of a bare ecdsa.Sign.
func BenchmarkMint(b *testing.B) {
	key, err := token.GenerateKey()
	if err != nil {
		b.Fatal(err)
	}
	s, err := token.NewSigner(key, keyARN)
	if err != nil {
		b.Fatal(err)
	}
	cfg := token.New().WithUserID("viewer-0001").WithAttribute("role", "viewer").WithCapabilities(token.Subscribe)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Mint(target, cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkECDSASign is one bare ecdsa.Sign of a SHA-384 digest, the floor under BenchmarkMint.
func BenchmarkECDSASign(b *testing.B) {
	key, err := token.GenerateKey()
	if err != nil {
		b.Fatal(err)
	}
	digest := sha512.Sum384([]byte("header.payload"))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ecdsa.Sign(rand.Reader, key, digest[:]); err != nil {
			b.Fatal(err)
		}
	}
}
