package secretsweep_test

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/token"
)

// TestSecretsSweepMisplacedSecrets sweeps one more error path: a secret handed to the library in the wrong
// place (arguments swapped, the wrong environment variable, a bearer string pasted where an ARN goes, a
// JSON field mix-up), which validation then rejects. Validation messages quote rejected values (cut after
// 64 code points), and the library promises that no error shows a bearer string ("no error of this
// library ever contains it", Token) or key material ("no message ever shows key material", ParseSigner).
// Each case is a subtest, so a leaking case fails alone.
func TestSecretsSweepMisplacedSecrets(t *testing.T) {
	s := &sweep{t: t}
	w := newWorld(t, s)
	w.sourceTokens(t, s)
	require.False(t, t.Failed(), "building the world failed")
	secrets := s.secrets

	api, minted := w.apiToken.Value(), w.minted.Value()
	d, err := scalarBytes(w.keyA)
	require.NoError(t, err)
	doc := string(must(w.minted.MarshalJSON()))
	inExpiresAt := func(v string) []byte {
		return []byte(strings.Replace(doc, `"expiresAt":"`, `"expiresAt":"`+v+`","x":"`, 1))
	}
	type misplaced struct {
		name string
		call func() error
	}
	cases := []misplaced{
		{"ParseSigner(ARN, SEC1 PEM): arguments swapped", func() error {
			_, err := token.ParseSigner([]byte(w.arnA), string(w.pemA1))
			return err
		}},
		{"ParseSigner(ARN, PKCS#8 PEM): arguments swapped", func() error {
			_, err := token.ParseSigner([]byte(w.arnA), string(w.pemA8))
			return err
		}},
		{"NewSigner(key A, SEC1 PEM as the ARN)", func() error {
			_, err := token.NewSigner(w.keyA, string(w.pemA1))
			return err
		}},
		{"NewSigner(key A, key.D hex as the ARN)", func() error {
			_, err := token.NewSigner(w.keyA, hex.EncodeToString(d))
			return err
		}},
	}
	for _, b := range []struct{ name, bearer string }{{"service token", api}, {"minted token", minted}} {
		cases = append(cases,
			misplaced{"token.Create(" + b.name + " as the stage ARN)", func() error {
				_, err := w.tokens.Create(w.ctx, b.bearer, token.New())
				return err
			}},
			misplaced{"CreateMany(" + b.name + " as the stage ARN)", func() error {
				_, err := w.tokens.CreateMany(w.ctx, b.bearer, []token.Config{token.New()})
				return err
			}},
			misplaced{"GetPublicKey(" + b.name + " as the ARN)", func() error {
				_, err := w.tokens.GetPublicKey(w.ctx, b.bearer)
				return err
			}},
			misplaced{"stage.Get(" + b.name + " as the ARN)", func() error {
				_, err := w.stages.Get(w.ctx, b.bearer)
				return err
			}},
			misplaced{"Mint(Target.StageARN = " + b.name + ")", func() error {
				_, err := w.signerA.Mint(token.Target{StageARN: b.bearer, EventsURL: w.target.EventsURL, WhipURL: w.target.WhipURL}, token.New())
				return err
			}},
			misplaced{"Mint(user ID = " + b.name + " twice, too long)", func() error {
				_, err := w.signerA.Mint(w.target, token.New().WithUserID(b.bearer+b.bearer))
				return err
			}},
			misplaced{"Verify(" + b.name + ", key B)", func() error {
				_, err := token.Verify(b.bearer, &w.keyB.PublicKey)
				return err
			}},
			misplaced{"Token.UnmarshalJSON(" + b.name + " in expiresAt)", func() error {
				var tok token.Token
				return tok.UnmarshalJSON(inExpiresAt(b.bearer))
			}},
		)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := &sweep{t: t, secrets: secrets}
			s.err(gMisplace, c.name, c.call())
			res := s.run()
			res.report(t)
		})
	}
}
