package token_test

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha512"
	"testing"

	"github.com/ivsrt/ivsrt/token"
)

// BenchmarkMint compares Signer.Mint ("ivsrt": claims, JSON, base64 and one ES384 signature) with one bare
// P-384 ecdsa.Sign of a SHA-384 digest ("ecdsa"), the floor under it. Sub-benchmarks of one function run
// interleaved under -count: compare them with `benchstat -col /impl` (the first column, ecdsa, is the
// base). Each reports tokens/s, made on one goroutine, so per core.
func BenchmarkMint(b *testing.B) {
	key, err := token.GenerateKey()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("impl=ecdsa", func(b *testing.B) {
		digest := sha512.Sum384([]byte("header.payload"))
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := ecdsa.Sign(rand.Reader, key, digest[:]); err != nil {
				b.Fatal(err)
			}
		}
		reportRate(b)
	})
	b.Run("impl=ivsrt", func(b *testing.B) {
		s, cfg := benchSigner(b, key)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.Mint(target, cfg); err != nil {
				b.Fatal(err)
			}
		}
		reportRate(b)
	})
}

// benchSigner returns a Signer of key and the viewer's Config the benchmarks mint.
func benchSigner(b *testing.B, key *ecdsa.PrivateKey) (*token.Signer, token.Config) {
	b.Helper()
	s, err := token.NewSigner(key, keyARN)
	if err != nil {
		b.Fatal(err)
	}
	return s, token.New().WithUserID("viewer-0001").WithAttribute("role", "viewer").WithCapabilities(token.Subscribe)
}

// reportRate reports the operations per second as tokens/s: under RunParallel, of all goroutines together.
func reportRate(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}

// BenchmarkMintParallel mints on every core: Signer.Mint ("ivsrt") and a bare P-384 ecdsa.Sign
// ("ecdsa"), each under b.RunParallel on GOMAXPROCS goroutines, one Signer and one Config shared by all of
// them. It reports the combined tokens/s. Run it with -cpu 1,2 (or up to the machine's cores): the scaling
// is tokens/s at -cpu N divided by N × tokens/s at -cpu 1, the target ≥ 0.8 (Mint shares nothing but the
// Signer's cached claims, read through an atomic pointer):
//
//	go test -run '^$' -bench MintParallel -cpu 1,2 -benchtime 200ms -count 5 ./token/
func BenchmarkMintParallel(b *testing.B) {
	key, err := token.GenerateKey()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("impl=ecdsa", func(b *testing.B) {
		digest := sha512.Sum384([]byte("header.payload"))
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, _, err := ecdsa.Sign(rand.Reader, key, digest[:]); err != nil {
					b.Error(err)
					return
				}
			}
		})
		reportRate(b)
	})
	b.Run("impl=ivsrt", func(b *testing.B) {
		s, cfg := benchSigner(b, key)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := s.Mint(target, cfg); err != nil {
					b.Error(err)
					return
				}
			}
		})
		reportRate(b)
	})
}
