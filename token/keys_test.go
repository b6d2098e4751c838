package token_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/token"
)

// Key ARNs of a rotation: the key signing until the switch, and the one after.
const (
	oldKeyARN = "arn:aws:ivs:us-east-1:123456789012:public-key/OldKey000001"
	newKeyARN = "arn:aws:ivs:us-east-1:123456789012:public-key/NewKey000002"
)

func TestPrivateKeyPEMRoundTrip(t *testing.T) {
	t.Parallel()
	fromFile := testKey(t, "p384-pkcs8.pem")
	generated, err := token.GenerateKey()
	require.NoError(t, err)
	for name, key := range map[string]*ecdsa.PrivateKey{"testdata key": fromFile, "generated key": generated} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			data, err := token.PrivateKeyPEM(key)
			require.NoError(t, err)

			block, rest := pem.Decode(data)
			require.NotNil(t, block)
			assert.Empty(t, rest, "one block, nothing after it")
			assert.Equal(t, "PRIVATE KEY", block.Type)
			assert.Empty(t, block.Headers, "not encrypted")
			for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
				assert.LessOrEqual(t, len(line), 64)
			}
			parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
			require.NoError(t, err, "PKCS#8")
			require.IsType(t, &ecdsa.PrivateKey{}, parsed)
			assert.True(t, key.Equal(parsed), "the same key comes back")
			var outer token.PKCS8
			_, err = asn1.Unmarshal(block.Bytes, &outer)
			require.NoError(t, err)
			var inner token.SEC1
			_, err = asn1.Unmarshal(outer.PrivateKey, &inner)
			require.NoError(t, err)
			assert.NotEmpty(t, inner.PublicKey.Bytes, "the public key is embedded, so ParseSigner can check the PEM")

			// Round trip with ParseSigner: the parsed Signer signs as NewSigner does with the key.
			s, err := token.ParseSigner(data, keyARN)
			require.NoError(t, err)
			assert.True(t, s.PublicKey().Equal(&key.PublicKey))
			assert.Equal(t, keyARN, s.KeyID())
			tok, err := s.Mint(target, token.New().WithUserID("round-trip"))
			require.NoError(t, err)
			claims, err := token.Verify(tok.Value(), &key.PublicKey)
			require.NoError(t, err)
			assert.Equal(t, "round-trip", claims.UserID)
		})
	}
	// The key in testdata was written by OpenSSL; Go writes the same bytes.
	data, err := token.PrivateKeyPEM(fromFile)
	require.NoError(t, err)
	assert.Equal(t, string(readTestdata(t, "p384-pkcs8.pem")), string(data))
}

func TestPrivateKeyPEMRejects(t *testing.T) {
	t.Parallel()
	p256 := testKey(t, "p256-pkcs8.pem")
	p521, err := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	require.NoError(t, err)
	a, b := testKey(t, "p384-pkcs8.pem"), mustKey(t)
	mismatched := &ecdsa.PrivateKey{PublicKey: b.PublicKey, D: a.D}
	outOfRange := &ecdsa.PrivateKey{PublicKey: a.PublicKey, D: new(big.Int).Add(elliptic.P384().Params().N, a.D)}

	tests := []struct {
		name string
		key  *ecdsa.PrivateKey
		want string
	}{
		{"nil", nil, "no private key given"},
		{"zero key", &ecdsa.PrivateKey{}, "curve (none) is not P-384"},
		{"P-256", p256, "curve P-256 is not P-384"},
		{"P-521", p521, "curve P-521 is not P-384"},
		{"PublicKey of another key", mismatched, "does not belong to it"},
		{"scalar beyond the order", outOfRange, "not a valid P-384 scalar"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data, err := token.PrivateKeyPEM(tt.key)
			require.Error(t, err)
			assert.Nil(t, data)
			assert.Contains(t, err.Error(), tt.want)
			if tt.key != nil && tt.key.D != nil {
				for _, secret := range []string{tt.key.D.String(), hex.EncodeToString(tt.key.D.Bytes()), tt.key.D.Text(16)} {
					assert.NotContains(t, err.Error(), secret, "no key material in the error")
				}
			}
		})
	}
}

func mustKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := token.GenerateKey()
	require.NoError(t, err)
	return k
}

// rotation holds two signers, the one before a key rotation and the one after, minting at fixedClock.
type rotation struct {
	old, new       *token.Signer
	oldKey, newKey *ecdsa.PrivateKey
}

func newRotation(t *testing.T) rotation {
	t.Helper()
	r := rotation{oldKey: mustKey(t), newKey: mustKey(t)}
	var err error
	r.old, err = token.NewSigner(r.oldKey, oldKeyARN)
	require.NoError(t, err)
	r.new, err = token.NewSigner(r.newKey, newKeyARN)
	require.NoError(t, err)
	fixed := func() time.Time { return fixedClock }
	r.old, r.new = r.old.WithClock(fixed), r.new.WithClock(fixed)
	return r
}

// assertUnknownKey asserts that err is VerifyWithKeys' refusal of a kid it holds no key for, naming kid and
// showing no part of raw.
func assertUnknownKey(t *testing.T, err error, kid, raw string) {
	t.Helper()
	require.Error(t, err)
	assert.ErrorIs(t, err, token.ErrUnknownKey)
	assert.ErrorIs(t, err, jwt.ErrTokenUnverifiable)
	assert.NotErrorIs(t, err, jwt.ErrTokenSignatureInvalid, "no other key was tried")
	assert.Contains(t, err.Error(), `no key for the token's "kid" "`+kid+`"`, "the error names the kid")
	assertShowsNoPart(t, err, raw)
}

// TestKeyRotation plays a rotation: tokens signed with the old key verify while only it is held; the new
// key is imported and both are held while the signer switches; the old key is removed once its last token
// has expired, and its tokens then fail naming its ARN.
func TestKeyRotation(t *testing.T) {
	t.Parallel()
	r := newRotation(t)
	oldPub, newPub := r.old.PublicKey(), r.new.PublicKey()
	at := fixedClock.Add(time.Minute)
	oldTok := mint(t, r.old, token.New().WithUserID("before"))
	lastOld := mint(t, r.old, token.New().WithUserID("last-old").WithDuration(token.MaxDuration))
	newTok := mint(t, r.new, token.New().WithUserID("after"))

	// 1. Only the old key.
	before := map[string]*ecdsa.PublicKey{oldKeyARN: oldPub}
	claims, err := token.VerifyWithKeysAt(oldTok, before, at)
	require.NoError(t, err)
	assert.Equal(t, oldKeyARN, claims.KeyID)
	assert.Equal(t, "before", claims.UserID)
	_, err = token.VerifyWithKeysAt(newTok, before, at)
	assertUnknownKey(t, err, newKeyARN, newTok)

	// 2. Overlap: both keys; each token is checked with its own key.
	both := map[string]*ecdsa.PublicKey{oldKeyARN: oldPub, newKeyARN: newPub}
	for raw, want := range map[string]struct{ kid, user string }{
		oldTok:  {oldKeyARN, "before"},
		lastOld: {oldKeyARN, "last-old"},
		newTok:  {newKeyARN, "after"},
	} {
		claims, err := token.VerifyWithKeysAt(raw, both, at)
		require.NoError(t, err, want.user)
		assert.Equal(t, want.kid, claims.KeyID)
		assert.Equal(t, want.user, claims.UserID)
	}

	// The last token signed with the old key lives token.MaxDuration after the switch: the old key must
	// be kept until then.
	expires := fixedClock.Add(token.MaxDuration)
	_, err = token.VerifyWithKeysAt(lastOld, both, expires.Add(-time.Second))
	require.NoError(t, err, "a second before it expires")
	_, err = token.VerifyWithKeysAt(lastOld, both, expires)
	assert.ErrorIs(t, err, jwt.ErrTokenExpired, "at its expiry")

	// 3. After the old key is removed, its tokens fail naming it, the new key's still pass.
	after := map[string]*ecdsa.PublicKey{newKeyARN: newPub}
	_, err = token.VerifyWithKeysAt(oldTok, after, at)
	assertUnknownKey(t, err, oldKeyARN, oldTok)
	claims, err = token.VerifyWithKeysAt(newTok, after, at)
	require.NoError(t, err)
	assert.Equal(t, newKeyARN, claims.KeyID)
}

// TestVerifyWithKeysNeverFallsBack: only the key the kid names is tried.
func TestVerifyWithKeysNeverFallsBack(t *testing.T) {
	t.Parallel()
	r := newRotation(t)
	both := map[string]*ecdsa.PublicKey{oldKeyARN: r.old.PublicKey(), newKeyARN: r.new.PublicKey()}
	at := fixedClock.Add(time.Minute)
	oldKey, newKey := r.oldKey, r.newKey

	// Signed with the new key but naming the old one: checked with the old key only, so refused.
	claimsAtFixed := guideClaims(fixedClock)
	misnamed := craft(t, jwt.SigningMethodES384, newKey, map[string]any{"typ": "JWT", "kid": oldKeyARN}, claimsAtFixed)
	_, err := token.VerifyWithKeysAt(misnamed, both, at)
	require.Error(t, err)
	assert.ErrorIs(t, err, jwt.ErrTokenSignatureInvalid)
	assertShowsNoPart(t, err, misnamed)

	// Signed with a held key but naming a key not held: refused without trying the held ones.
	const thirdARN = "arn:aws:ivs:us-east-1:123456789012:public-key/ThirdKey0003"
	unheld := craft(t, jwt.SigningMethodES384, oldKey, map[string]any{"typ": "JWT", "kid": thirdARN}, claimsAtFixed)
	_, err = token.VerifyWithKeysAt(unheld, both, at)
	assertUnknownKey(t, err, thirdARN, unheld)

	// The kid is matched exactly: not case-insensitively, not trimmed, not by prefix.
	for _, kid := range []string{
		strings.Replace(oldKeyARN, "OldKey", "oldkey", 1),
		"arn:aws:ivs:us-east-1:123456789012:public-key/OldKey00000",
		"arn:aws:ivs:us-west-2:123456789012:public-key/OldKey000001",
	} {
		raw := craft(t, jwt.SigningMethodES384, oldKey, map[string]any{"typ": "JWT", "kid": kid}, claimsAtFixed)
		_, err := token.VerifyWithKeysAt(raw, both, at)
		assertUnknownKey(t, err, kid, raw)
	}
	spaced := map[string]*ecdsa.PublicKey{oldKeyARN + " ": r.old.PublicKey()}
	raw := mint(t, r.old, token.New())
	_, err = token.VerifyWithKeysAt(raw, spaced, at)
	assertUnknownKey(t, err, oldKeyARN, raw)
}

// TestVerifyWithKeysRejectsForgeries: tokens a forger could craft, against a verifier holding both keys.
func TestVerifyWithKeysRejectsForgeries(t *testing.T) {
	t.Parallel()
	held := testKey(t, "p384-pkcs8.pem")
	other := mustKey(t)
	keys := map[string]*ecdsa.PublicKey{keyARN: &held.PublicKey, oldKeyARN: &other.PublicKey}
	pemKey, err := token.PublicKeyPEM(&held.PublicKey)
	require.NoError(t, err)
	at := fixedClock.Add(time.Hour)
	claims := guideClaims(fixedClock)
	withKid := func(kid any) map[string]any { return map[string]any{"typ": "JWT", "kid": kid} }

	tests := []struct {
		name string
		raw  string
		want error
	}{
		{"alg none naming a held key", craft(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, guideHeader, claims), jwt.ErrTokenSignatureInvalid},
		{"HS256 keyed with the held key's PEM", craft(t, jwt.SigningMethodHS256, pemKey, guideHeader, claims), jwt.ErrTokenSignatureInvalid},
		{"ES384 with a key not held, naming a held one", craft(t, jwt.SigningMethodES384, mustKey(t), guideHeader, claims), jwt.ErrTokenSignatureInvalid},
		{"no kid", craft(t, jwt.SigningMethodES384, held, map[string]any{"typ": "JWT"}, claims), jwt.ErrTokenUnverifiable},
		{"kid a number", craft(t, jwt.SigningMethodES384, held, withKid(7), claims), jwt.ErrTokenUnverifiable},
		{"kid a stage ARN", craft(t, jwt.SigningMethodES384, held, withKid(stageARN), claims), jwt.ErrTokenUnverifiable},
		{"kid a list of held keys", craft(t, jwt.SigningMethodES384, held, withKid([]string{keyARN, oldKeyARN}), claims), jwt.ErrTokenUnverifiable},
		{"kid a held key's name, not its ARN", craft(t, jwt.SigningMethodES384, held, withKid("KeyAbCd1234"), claims), jwt.ErrTokenUnverifiable},
		{"signature of another held key's token", func() string {
			a := craft(t, jwt.SigningMethodES384, held, guideHeader, claims)
			b := craft(t, jwt.SigningMethodES384, other, withKid(oldKeyARN), claims)
			return a[:strings.LastIndexByte(a, '.')] + b[strings.LastIndexByte(b, '.'):]
		}(), jwt.ErrTokenSignatureInvalid},
		{"expired", craft(t, jwt.SigningMethodES384, held, guideHeader, guideClaims(fixedClock.Add(-13*time.Hour))), jwt.ErrTokenExpired},
		{"not a JWT", "not.a.jwt", jwt.ErrTokenMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := token.VerifyWithKeysAt(tt.raw, keys, at)
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.want, "%v", err)
			assert.NotErrorIs(t, err, token.ErrUnknownKey)
			assert.Equal(t, token.Claims{}, got)
			assertShowsNoPart(t, err, tt.raw)
		})
	}
}

// TestVerifyWithKeysBoundaries: the map itself. At least one key and no nil key; the key of the kid must be
// P-384; one key and MaxPublicKeys keys both work.
func TestVerifyWithKeysBoundaries(t *testing.T) {
	t.Parallel()
	r := newRotation(t)
	raw := mint(t, r.old, token.New().WithUserID("u"))
	at := fixedClock.Add(time.Minute)
	p256 := testKey(t, "p256-pkcs8.pem")
	const thirdARN = "arn:aws:ivs:us-east-1:123456789012:public-key/ThirdKey0003"

	tests := []struct {
		name string
		keys map[string]*ecdsa.PublicKey
		want error  // nil: accepted
		says string // what the error must say
	}{
		{"nil map", nil, jwt.ErrInvalidKey, "no keys given"},
		{"empty map", map[string]*ecdsa.PublicKey{}, jwt.ErrInvalidKey, "no keys given"},
		{"nil key for the kid", map[string]*ecdsa.PublicKey{oldKeyARN: nil}, jwt.ErrInvalidKey, `the key for "` + oldKeyARN + `" is nil`},
		{"nil key for another kid", map[string]*ecdsa.PublicKey{oldKeyARN: r.old.PublicKey(), newKeyARN: nil}, jwt.ErrInvalidKey, `the key for "` + newKeyARN + `" is nil`},
		{"two nil keys, both named", map[string]*ecdsa.PublicKey{oldKeyARN: nil, newKeyARN: nil, thirdARN: r.old.PublicKey()}, jwt.ErrInvalidKey,
			`the keys for "` + newKeyARN + `", "` + oldKeyARN + `" are nil`},
		{"P-256 key for the kid", map[string]*ecdsa.PublicKey{oldKeyARN: &p256.PublicKey}, jwt.ErrInvalidKey, `the key for "` + oldKeyARN + `": the public key's curve P-256 is not P-384`},
		{"zero key for the kid", map[string]*ecdsa.PublicKey{oldKeyARN: {}}, jwt.ErrInvalidKey, `the key for "` + oldKeyARN + `"`},
		{"P-256 key for another kid is never used", map[string]*ecdsa.PublicKey{oldKeyARN: r.old.PublicKey(), newKeyARN: &p256.PublicKey}, nil, ""},
		{"one key", map[string]*ecdsa.PublicKey{oldKeyARN: r.old.PublicKey()}, nil, ""},
		{"three keys, the most a region holds", map[string]*ecdsa.PublicKey{
			oldKeyARN: r.old.PublicKey(), newKeyARN: r.new.PublicKey(), thirdARN: &mustKey(t).PublicKey,
		}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			claims, err := token.VerifyWithKeysAt(raw, tt.keys, at)
			if tt.want == nil {
				require.NoError(t, err)
				assert.Equal(t, oldKeyARN, claims.KeyID)
				assert.Equal(t, "u", claims.UserID)
				return
			}
			assert.ErrorIs(t, err, tt.want)
			assert.Contains(t, err.Error(), tt.says)
			assert.Equal(t, token.Claims{}, claims)
			assertShowsNoPart(t, err, raw)
		})
	}
	assert.Equal(t, 3, token.MaxPublicKeys)
}

// VerifyWithKeys and Verify agree on every token when the map holds the one key for its kid.
func TestVerifyWithKeysAgreesWithVerify(t *testing.T) {
	t.Parallel()
	key := testKey(t, "p384-pkcs8.pem")
	keys := map[string]*ecdsa.PublicKey{keyARN: &key.PublicKey}
	s, err := token.NewSigner(key, keyARN)
	require.NoError(t, err)
	s = s.WithClock(func() time.Time { return fixedClock })
	valid := mint(t, s, token.New().WithUserID(strings.Repeat("é", token.MaxUserIDLength)))
	for name, raw := range map[string]string{
		"valid":     valid,
		"truncated": valid[:len(valid)-3],
		"expired":   mint(t, s.WithClock(func() time.Time { return fixedClock.Add(-24 * time.Hour) }), token.New()),
		"empty":     "",
		"oversized": valid + "." + strings.Repeat("A", token.MaxTokenSize),
		"crit":      craft(t, jwt.SigningMethodES384, key, map[string]any{"typ": "JWT", "kid": keyARN, "crit": []string{"exp"}}, guideClaims(fixedClock)),
	} {
		for _, at := range []time.Time{fixedClock, fixedClock.Add(13 * time.Hour)} {
			want, wantErr := token.VerifyAt(raw, &key.PublicKey, at)
			got, gotErr := token.VerifyWithKeysAt(raw, keys, at)
			assert.Equal(t, want, got, name)
			assert.Equal(t, wantErr == nil, gotErr == nil, name)
			if wantErr != nil {
				assert.Equal(t, wantErr.Error(), gotErr.Error(), name)
			}
		}
	}
}

// VerifyWithKeys at the real time: a token just minted verifies.
func TestVerifyWithKeysNow(t *testing.T) {
	t.Parallel()
	s, key := newSigner(t)
	tok, err := s.Mint(target, token.New())
	require.NoError(t, err)
	claims, err := token.VerifyWithKeys(tok.Value(), map[string]*ecdsa.PublicKey{keyARN: &key.PublicKey})
	require.NoError(t, err)
	assert.Equal(t, tok.ParticipantID, claims.ParticipantID)
	_, err = token.VerifyWithKeys(tok.Value(), map[string]*ecdsa.PublicKey{oldKeyARN: &key.PublicKey})
	assertUnknownKey(t, err, keyARN, tok.Value())
}
