package token_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/token"
)

// otherCurves are the curves crypto/ecdsa and crypto/x509 support besides P-384: each is refused wherever
// a key enters the package.
var otherCurves = []elliptic.Curve{elliptic.P224(), elliptic.P256(), elliptic.P521()}

// TestKeysOnOtherCurvesAreRefusedEverywhere gives a P-224, P-256 and P-521 key to every function that
// takes a key, private or public, as a value or as PEM. Each refuses it naming the curve (so a check that
// let one curve through, or refused it for another reason, fails here), and nothing is sent.
func TestKeysOnOtherCurvesAreRefusedEverywhere(t *testing.T) {
	t.Parallel()
	signed := craft(t, jwt.SigningMethodES384, testKey(t, "p384-pkcs8.pem"), guideHeader, guideClaims(fixedClock))
	for _, curve := range otherCurves {
		name := curve.Params().Name
		key, err := ecdsa.GenerateKey(curve, rand.Reader)
		require.NoError(t, err)
		pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
		require.NoError(t, err)
		sec1, err := x509.MarshalECPrivateKey(key)
		require.NoError(t, err)
		spki, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
		require.NoError(t, err)
		privateSays := "the private key's curve " + name + " is not P-384 (ES384 needs a P-384 key)"
		publicSays := "the public key's curve " + name + " is not P-384 (ES384 needs a P-384 key)"

		t.Run(name, func(t *testing.T) {
			t.Parallel()
			t.Run("NewSigner", func(t *testing.T) {
				s, err := token.NewSigner(key, keyARN)
				assert.Nil(t, s)
				testutil.AssertViolations(t, err, map[string]string{"Signer.PrivateKey": rules.RuleEnum})
				assert.Contains(t, err.Error(), privateSays)
			})
			for block, der := range map[string][]byte{"PRIVATE KEY": pkcs8, "EC PRIVATE KEY": sec1} {
				t.Run("ParseSigner "+block, func(t *testing.T) {
					s, err := token.ParseSigner(pem.EncodeToMemory(&pem.Block{Type: block, Bytes: der}), keyARN)
					assert.Nil(t, s)
					testutil.AssertViolations(t, err, map[string]string{"Signer.PrivateKeyPEM": rules.RuleEnum})
					assert.Contains(t, err.Error(), privateSays)
				})
			}
			t.Run("PrivateKeyPEM", func(t *testing.T) {
				data, err := token.PrivateKeyPEM(key)
				assert.Nil(t, data)
				assert.EqualError(t, err, "token: "+privateSays)
			})
			t.Run("PublicKeyPEM", func(t *testing.T) {
				data, err := token.PublicKeyPEM(&key.PublicKey)
				assert.Nil(t, data)
				assert.EqualError(t, err, "token: "+publicSays)
			})
			t.Run("ImportPublicKey", func(t *testing.T) {
				mock := testutil.NewMock()
				mock.Respond("ImportPublicKey", http.StatusOK, `{"publicKey": {"arn": "`+keyARN+`"}}`)
				arn, err := token.NewClient(mock.Client()).ImportPublicKey(t.Context(), "k", &key.PublicKey)
				assert.Empty(t, arn)
				assertOperationError(t, err, "ImportPublicKey")
				testutil.AssertViolations(t, err, map[string]string{"ImportPublicKeyInput.PublicKeyMaterial": rules.RuleEnum})
				assert.Contains(t, err.Error(), publicSays)
				assert.Zero(t, mock.Count(), "nothing sent")
			})
			t.Run("Verify, VerifyAt, VerifyWithKeys", func(t *testing.T) {
				_, err := token.Verify(signed, &key.PublicKey)
				assert.ErrorIs(t, err, jwt.ErrInvalidKey)
				assert.EqualError(t, err, "token: verify: key is invalid: "+publicSays)
				_, err = token.VerifyAt(signed, &key.PublicKey, fixedClock)
				assert.ErrorIs(t, err, jwt.ErrInvalidKey)
				assert.EqualError(t, err, "token: verify: key is invalid: "+publicSays)
				_, err = token.VerifyWithKeysAt(signed, map[string]*ecdsa.PublicKey{keyARN: &key.PublicKey}, fixedClock)
				assert.ErrorIs(t, err, jwt.ErrInvalidKey)
				assert.NotErrorIs(t, err, jwt.ErrTokenSignatureInvalid, "the key is refused before any signature is checked")
				assert.Contains(t, err.Error(), `the key for "`+keyARN+`": `+publicSays)
			})
			t.Run("public key PEM (GetPublicKey's material)", func(t *testing.T) {
				material := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: spki})
				pub, err := token.ParsePublicKeyPEM(material)
				assert.Nil(t, pub)
				assert.EqualError(t, err, "token: "+publicSays)
				assert.Nil(t, getPublicKey(t, string(material)).Key, "GetPublicKey holds no key it would refuse")
			})
		})
	}

	// A generic elliptic.CurveParams with P-384's name and parameters is not elliptic.P384().
	p384 := testKey(t, "p384-pkcs8.pem")
	generic := ecdsa.PublicKey{Curve: elliptic.P384().Params(), X: p384.X, Y: p384.Y}
	_, err := token.VerifyAt(signed, &generic, fixedClock)
	assert.ErrorIs(t, err, jwt.ErrInvalidKey)
	assert.ErrorContains(t, err, "the public key's curve is a generic elliptic.CurveParams named P-384, not elliptic.P384()")
	_, err = token.PublicKeyPEM(&generic)
	assert.ErrorContains(t, err, "generic elliptic.CurveParams")
	_, err = token.NewSigner(&ecdsa.PrivateKey{PublicKey: generic, D: p384.D}, keyARN)
	assert.ErrorContains(t, err, "the private key's curve is a generic elliptic.CurveParams named P-384")

	// The control: the P-384 key itself passes every door.
	_, err = token.VerifyAt(signed, &p384.PublicKey, fixedClock.Add(time.Hour))
	require.NoError(t, err)
	material, err := token.PublicKeyPEM(&p384.PublicKey)
	require.NoError(t, err)
	pub, err := token.ParsePublicKeyPEM(material)
	require.NoError(t, err)
	assert.True(t, pub.Equal(&p384.PublicKey))
	assert.True(t, p384.PublicKey.Equal(getPublicKey(t, string(material)).Key))
}

// getPublicKey returns what GetPublicKey makes of a response holding material.
func getPublicKey(t *testing.T, material string) token.PublicKey {
	t.Helper()
	body, err := json.Marshal(map[string]any{"publicKey": map[string]any{"arn": keyARN, "publicKeyMaterial": material}})
	require.NoError(t, err)
	mock := testutil.NewMock()
	mock.Respond("GetPublicKey", http.StatusOK, string(body))
	pk, err := token.NewClient(mock.Client()).GetPublicKey(t.Context(), keyARN)
	require.NoError(t, err)
	assert.Equal(t, material, pk.PEM, "the material is returned as it came")
	return pk
}

// negated returns the private key n−d of key's d: its public point is (x, p−y), of the other parity.
func negated(key *ecdsa.PrivateKey) *ecdsa.PrivateKey {
	params := key.Curve.Params()
	return &ecdsa.PrivateKey{
		PublicKey: ecdsa.PublicKey{Curve: key.Curve, X: new(big.Int).Set(key.X), Y: new(big.Int).Sub(params.P, key.Y)},
		D:         new(big.Int).Sub(params.N, key.D),
	}
}

// compressedSEC1 returns key as SEC1 DER whose embedded public key is the compressed point of X with the
// prefix byte given (2: even Y, 3: odd Y).
func compressedSEC1(t *testing.T, key *ecdsa.PrivateKey, prefix byte) []byte {
	t.Helper()
	der, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	var k token.SEC1
	_, err = asn1.Unmarshal(der, &k)
	require.NoError(t, err)
	point := append([]byte{prefix}, key.X.FillBytes(make([]byte, 48))...)
	k.PublicKey = asn1.BitString{Bytes: point, BitLength: 8 * len(point)}
	der, err = asn1.Marshal(k)
	require.NoError(t, err)
	return der
}

// A SEC1 key may embed its public key compressed (0x02 or 0x03 by the parity of Y, then X). ParseSigner
// accepts it when the prefix is the key's own parity, and refuses the other prefix, which names the point
// (x, p−y) of another key, as a corrupted PEM: for a key of each parity, as SEC1 and inside PKCS#8.
func TestParseSignerReadsCompressedEmbeddedPoints(t *testing.T) {
	t.Parallel()
	key := testKey(t, "p384-pkcs8.pem")
	neg := negated(key)
	_, err := token.NewSigner(neg, keyARN)
	require.NoError(t, err, "n−d is a valid key, whose public point is (x, p−y)")
	require.NotEqual(t, key.Y.Bit(0), neg.Y.Bit(0), "one key of each parity")
	for _, key := range []*ecdsa.PrivateKey{key, neg} {
		parity := byte(key.Y.Bit(0))
		own, other := 2|parity, 3-parity
		for _, tt := range []struct {
			prefix byte
			ok     bool
		}{{own, true}, {other, false}} {
			sec1 := compressedSEC1(t, key, tt.prefix)
			outer, err := x509.MarshalPKCS8PrivateKey(key)
			require.NoError(t, err)
			var p token.PKCS8
			_, err = asn1.Unmarshal(outer, &p)
			require.NoError(t, err)
			p.PrivateKey = sec1
			pkcs8, err := asn1.Marshal(p)
			require.NoError(t, err)

			for block, der := range map[string][]byte{"EC PRIVATE KEY": sec1, "PRIVATE KEY": pkcs8} {
				s, err := token.ParseSigner(pem.EncodeToMemory(&pem.Block{Type: block, Bytes: der}), keyARN)
				what := []any{"Y parity %d, prefix 0x%02x, %s", parity, tt.prefix, block}
				if tt.ok {
					require.NoError(t, err, what...)
					assert.True(t, s.PublicKey().Equal(&key.PublicKey), what...)
					continue
				}
				assert.Nil(t, s, what...)
				testutil.AssertViolations(t, err, map[string]string{"Signer.PrivateKeyPEM": rules.RulePattern})
				assert.Contains(t, err.Error(), `block's public key does not match its private key: the PEM is corrupted`, what...)
			}
		}
	}
}

// crypto/x509 reads no compressed point in a SubjectPublicKeyInfo, so public key material holding one
// gives no key (GetPublicKey's Key is nil) rather than a key decoded some other way.
func TestParsePublicKeyPEMRefusesCompressedPoints(t *testing.T) {
	t.Parallel()
	key := testKey(t, "p384-pkcs8.pem")
	spki, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	require.NoError(t, err)
	var info struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	_, err = asn1.Unmarshal(spki, &info)
	require.NoError(t, err)
	for _, prefix := range []byte{2, 3} {
		point := append([]byte{prefix}, key.X.FillBytes(make([]byte, 48))...)
		info.PublicKey = asn1.BitString{Bytes: point, BitLength: 8 * len(point)}
		der, err := asn1.Marshal(info)
		require.NoError(t, err)
		material := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
		pub, err := token.ParsePublicKeyPEM(material)
		assert.Nil(t, pub, "prefix 0x%02x", prefix)
		assert.EqualError(t, err, "token: the public key does not parse as PKIX", "prefix 0x%02x", prefix)
		assert.Nil(t, getPublicKey(t, string(material)).Key, "prefix 0x%02x", prefix)
	}
}

// Only a "PUBLIC KEY" block is public key material: a "CERTIFICATE" block gives no key and an error,
// whether it holds a certificate of a P-384 key or the bytes of a "PUBLIC KEY" block relabelled.
func TestParsePublicKeyPEMRefusesCertificates(t *testing.T) {
	t.Parallel()
	key := testKey(t, "p384-pkcs8.pem")
	spki, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	require.NoError(t, err)
	template := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "ivsrt"},
		NotBefore: fixedClock, NotAfter: fixedClock.Add(time.Hour)}
	cert, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	require.NoError(t, err)
	tests := []struct {
		name     string
		material []byte
		says     string
	}{
		{"a certificate of the P-384 key", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert}), `token: no "PUBLIC KEY" PEM block`},
		{"a public key labelled CERTIFICATE", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: spki}), `token: no "PUBLIC KEY" PEM block`},
		{"a certificate labelled PUBLIC KEY", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: cert}), "token: the public key does not parse as PKIX"},
		{"not PEM", []byte("-----BEGIN PUBLIC KEY-----"), `token: no "PUBLIC KEY" PEM block`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pub, err := token.ParsePublicKeyPEM(tt.material)
			assert.Nil(t, pub)
			assert.EqualError(t, err, tt.says)
			assert.Nil(t, getPublicKey(t, string(tt.material)).Key)
		})
	}
	// The control: the same key as a "PUBLIC KEY" block.
	pub, err := token.ParsePublicKeyPEM(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: spki}))
	require.NoError(t, err)
	assert.True(t, pub.Equal(&key.PublicKey))
	// ParseSigner takes no certificate for a private key either.
	s, err := token.ParseSigner(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert}), keyARN)
	assert.Nil(t, s)
	testutil.AssertViolations(t, err, map[string]string{"Signer.PrivateKeyPEM": rules.RulePattern})
	assert.Contains(t, err.Error(), `PEM block type "CERTIFICATE" is not "PRIVATE KEY" or "EC PRIVATE KEY"`)
}
