package token_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha512"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/token"
)

var (
	// participantIDPattern is what Mint's jti must match.
	participantIDPattern = regexp.MustCompile(`^[A-Za-z0-9-]+$`)
	// publicKeyMaterial is the model's PublicKeyMaterial pattern, verbatim (searched, not anchored).
	publicKeyMaterial = regexp.MustCompile(`-----BEGIN PUBLIC KEY-----\r?\n([a-zA-Z0-9+/=\r\n]+)\r?\n-----END PUBLIC KEY-----(\r?\n)?`)
)

// decodeJWT splits a compact JWS with the standard library alone: header and payload as JSON objects
// (numbers kept as json.Number), the signing input and the raw signature.
// verifyES384 checks an ES384 signature with the standard library: r||s, 48 bytes each, over SHA-384.
func verifyES384(pub *ecdsa.PublicKey, signingInput string, sig []byte) bool {
	if len(sig) != 96 {
		return false
	}
	digest := sha512.Sum384([]byte(signingInput))
	r, s := new(big.Int).SetBytes(sig[:48]), new(big.Int).SetBytes(sig[48:])
	return ecdsa.Verify(pub, digest[:], r, s)
}

func integer(t *testing.T, v any) int64 {
	t.Helper()
	n, ok := v.(json.Number)
	require.True(t, ok, "%v (%T) is not a JSON number", v, v)
	require.NotContains(t, n.String(), ".", "an integer, not %s", n)
	require.NotContains(t, strings.ToLower(n.String()), "e", "an integer, not %s", n)
	i, err := n.Int64()
	require.NoError(t, err)
	return i
}

func TestMintProducesTheGuidesJWT(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		cfg        token.Config
		duration   time.Duration
		publish    bool
		subscribe  bool
		userID     string
		attributes map[string]string
	}{
		{"defaults: 12 h, both capabilities", token.New(), 12 * time.Hour, true, true, "", nil},
		{"viewer", token.New().WithCapabilities(token.Subscribe).WithDuration(30 * time.Minute).WithUserID("viewer-1"),
			30 * time.Minute, false, true, "viewer-1", nil},
		{"publisher with attributes", token.New().WithCapabilities(token.Publish).WithUserID("häst 🎥").
			WithAttributes(map[string]string{"role": "host", "seat": "<A1>&"}), 12 * time.Hour, true, false, "häst 🎥",
			map[string]string{"role": "host", "seat": "<A1>&"}},
		{"maximum: 14 days", token.New().WithDuration(token.MaxDuration), 14 * 24 * time.Hour, true, true, "", nil},
		{"minimum: 1 minute", token.New().WithDuration(token.MinDuration), time.Minute, true, true, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, key := newSigner(t)
			s = s.WithClock(func() time.Time { return fixedClock.Add(300 * time.Millisecond) })

			tok, err := s.Mint(target, tt.cfg)
			require.NoError(t, err)
			header, payload, input, sig := testutil.DecodeJWT(t, tok.Value())

			assert.Equal(t, map[string]any{"alg": "ES384", "typ": "JWT", "kid": keyARN}, header, "exactly the guide's header")
			assert.True(t, verifyES384(&key.PublicKey, input, sig), "the standard library verifies the signature")

			wantKeys := []string{"exp", "iat", "jti", "resource", "topic", "events_url", "whip_url", "capabilities", "version"}
			if tt.userID != "" {
				wantKeys = append(wantKeys, "user_id")
			}
			if tt.attributes != nil {
				wantKeys = append(wantKeys, "attributes")
			}
			gotKeys := make([]string, 0, len(payload))
			for k := range payload {
				gotKeys = append(gotKeys, k)
			}
			assert.ElementsMatch(t, wantKeys, gotKeys)

			iat, exp := integer(t, payload["iat"]), integer(t, payload["exp"])
			assert.Equal(t, fixedClock.Unix(), iat, "iat is the clock's Unix second")
			assert.Equal(t, int64(tt.duration/time.Second), exp-iat)
			jti, _ := payload["jti"].(string)
			assert.Regexp(t, participantIDPattern, jti)
			assert.Len(t, jti, token.ParticipantIDLength)
			assert.Equal(t, stageARN, payload["resource"])
			assert.Equal(t, stageID, payload["topic"])
			assert.Equal(t, eventsURL, payload["events_url"])
			assert.Equal(t, whipURL, payload["whip_url"])
			assert.Equal(t, map[string]any{"allow_publish": tt.publish, "allow_subscribe": tt.subscribe}, payload["capabilities"])
			assert.Equal(t, "1.0", payload["version"])
			if tt.userID != "" {
				assert.Equal(t, tt.userID, payload["user_id"])
			}
			if tt.attributes != nil {
				want := map[string]any{}
				for k, v := range tt.attributes {
					want[k] = v
				}
				assert.Equal(t, want, payload["attributes"])
			}

			// The Token describes the same token.
			assert.Equal(t, jti, tok.ParticipantID)
			assert.Equal(t, tt.userID, tok.UserID)
			assert.Equal(t, tt.attributes, tok.Attributes)
			assert.Equal(t, tt.duration, tok.Duration)
			assert.Equal(t, time.Unix(exp, 0).UTC(), tok.ExpiresAt)
			assert.Equal(t, tt.cfg.Capabilities(), tok.Capabilities)

			// Verify accepts it and reads every claim back.
			claims, err := token.VerifyAt(tok.Value(), &key.PublicKey, fixedClock.Add(30*time.Second))
			require.NoError(t, err)
			assert.Equal(t, token.Claims{
				KeyID:         keyARN,
				ExpiresAt:     time.Unix(exp, 0).UTC(),
				IssuedAt:      fixedClock,
				ParticipantID: jti,
				UserID:        tt.userID,
				StageARN:      stageARN,
				StageID:       stageID,
				EventsURL:     eventsURL,
				WhipURL:       whipURL,
				Capabilities:  token.ClaimCapabilities{AllowPublish: tt.publish, AllowSubscribe: tt.subscribe},
				Attributes:    tt.attributes,
				Version:       "1.0",
			}, claims)
			assert.Equal(t, tok.Capabilities, claims.Capabilities.List())
			assert.Equal(t, target, claims.Target())
		})
	}
}

func TestMintCopiesTheAttributes(t *testing.T) {
	t.Parallel()
	s, _ := newSigner(t)
	attrs := map[string]string{"role": "host"}
	cfg := token.New().WithAttributes(attrs)
	tok, err := s.Mint(target, cfg)
	require.NoError(t, err)
	tok.Attributes["role"] = "changed"
	assert.Equal(t, map[string]string{"role": "host"}, cfg.Attributes(), "the Config is untouched")
	tok2, err := s.Mint(target, cfg)
	require.NoError(t, err)
	assert.Equal(t, "host", tok2.Attributes["role"])
}

func TestMintRejectsInvalidInput(t *testing.T) {
	t.Parallel()
	s, _ := newSigner(t)
	tests := []struct {
		name   string
		target token.Target
		cfg    token.Config
		want   map[string]string
	}{
		{"15 days", target, token.New().WithDuration(15 * 24 * time.Hour), map[string]string{"ParticipantTokenConfiguration.Duration": rules.RuleRange}},
		{"14 days + 1 minute", target, token.New().WithDuration(token.MaxDuration + time.Minute), map[string]string{"ParticipantTokenConfiguration.Duration": rules.RuleRange}},
		{"30 s", target, token.New().WithDuration(30 * time.Second), map[string]string{"ParticipantTokenConfiguration.Duration": rules.RuleUnit}},
		{"no capability", target, token.New().WithCapabilities(), map[string]string{"ParticipantTokenConfiguration.Capabilities": rules.RuleLength}},
		{"zero target", token.Target{}, token.New(), map[string]string{
			"Target.StageARN": rules.RuleLength, "Target.EventsURL": rules.RuleRequired, "Target.WhipURL": rules.RuleRequired,
		}},
		{"both", token.Target{StageARN: keyARN, EventsURL: eventsURL, WhipURL: whipURL}, token.New().WithUserID(strings.Repeat("u", 129)), map[string]string{
			"Target.StageARN": rules.RulePattern, "ParticipantTokenConfiguration.UserId": rules.RuleLength,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tok, err := s.Mint(tt.target, tt.cfg)
			testutil.AssertViolations(t, err, tt.want)
			assert.True(t, tok.IsZero())
		})
	}

	var nilSigner *token.Signer
	_, err := nilSigner.Mint(target, token.New())
	assert.Error(t, err)
	_, err = (&token.Signer{}).Mint(target, token.New())
	assert.Error(t, err)
}

func TestMintParticipantIDsAreUnique(t *testing.T) {
	t.Parallel()
	s, _ := newSigner(t)
	seen := make(map[string]bool, 1000)
	for range 1000 {
		tok, err := s.Mint(target, token.New())
		require.NoError(t, err)
		require.Regexp(t, participantIDPattern, tok.ParticipantID)
		require.Len(t, tok.ParticipantID, token.ParticipantIDLength)
		require.False(t, seen[tok.ParticipantID], "participant ID %s repeated", tok.ParticipantID)
		seen[tok.ParticipantID] = true
	}
}

func TestMintConcurrently(t *testing.T) {
	t.Parallel()
	s, key := newSigner(t)
	const goroutines, each = 16, 8
	var mu sync.Mutex
	seen := map[string]bool{}
	var wg sync.WaitGroup
	cfg := token.New().WithAttribute("shared", "template") // one Config shared by every goroutine
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				tok, err := s.Mint(target, cfg.WithUserID(strings.Repeat("g", g+1)))
				if !assert.NoError(t, err) {
					return
				}
				claims, err := token.Verify(tok.Value(), &key.PublicKey)
				if !assert.NoError(t, err) {
					return
				}
				assert.Equal(t, strings.Repeat("g", g+1), claims.UserID, "goroutine %d mint %d", g, i)
				mu.Lock()
				assert.False(t, seen[tok.ParticipantID])
				seen[tok.ParticipantID] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	assert.Len(t, seen, goroutines*each)
}

func TestNewSigner(t *testing.T) {
	t.Parallel()
	p384 := testKey(t, "p384-pkcs8.pem")
	p256 := testKey(t, "p256-pkcs8.pem")
	p521, err := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	require.NoError(t, err)
	other, err := token.GenerateKey()
	require.NoError(t, err)
	mismatched := *p384
	mismatched.PublicKey = other.PublicKey

	const key, arn = "Signer.PrivateKey", "Signer.PublicKeyARN"
	tests := []struct {
		name string
		key  *ecdsa.PrivateKey
		arn  string
		want map[string]string
	}{
		{"P-384 and a public-key ARN", p384, keyARN, nil},
		{"ARN of 128 code points", p384, "arn:aws:ivs:us-east-1:123456789012:public-key/" + strings.Repeat("k", 128-len("arn:aws:ivs:us-east-1:123456789012:public-key/")), nil},
		{"ARN of 129 code points", p384, "arn:aws:ivs:us-east-1:123456789012:public-key/" + strings.Repeat("k", 129-len("arn:aws:ivs:us-east-1:123456789012:public-key/")), map[string]string{arn: rules.RuleLength}},
		{"nil key", nil, keyARN, map[string]string{key: rules.RuleRequired}},
		{"P-256 key", p256, keyARN, map[string]string{key: rules.RuleEnum}},
		{"P-521 key", p521, keyARN, map[string]string{key: rules.RuleEnum}},
		{"PublicKey of another key", &mismatched, keyARN, map[string]string{key: rules.RuleConflict}},
		{"stage ARN", p384, stageARN, map[string]string{arn: rules.RulePattern}},
		{"empty ARN", p384, "", map[string]string{arn: rules.RuleLength}},
		{"ARN with a trailing newline", p384, keyARN + "\n", map[string]string{arn: rules.RulePattern}},
		{"both", p256, "kid", map[string]string{key: rules.RuleEnum, arn: rules.RulePattern}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := token.NewSigner(tt.key, tt.arn)
			testutil.AssertViolations(t, err, tt.want)
			if len(tt.want) > 0 {
				assert.Nil(t, s)
				assert.NotContains(t, err.Error(), "BEGIN")
				return
			}
			assert.Equal(t, tt.arn, s.KeyID())
			assert.True(t, s.PublicKey().Equal(&tt.key.PublicKey))
		})
	}
}

func TestParseSigner(t *testing.T) {
	t.Parallel()
	pkcs8 := readTestdata(t, "p384-pkcs8.pem")
	sec1 := readTestdata(t, "p384-sec1.pem")
	encrypted := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Headers: map[string]string{
		"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-256-CBC,00112233445566778899AABBCCDDEEFF",
	}, Bytes: []byte("0123456789abcdef0123456789abcdef")})
	const field = "Signer.PrivateKeyPEM"
	tests := []struct {
		name string
		pem  []byte
		want map[string]string
	}{
		{"PKCS#8", pkcs8, nil},
		{"SEC1 after EC PARAMETERS", sec1, nil},
		{"SEC1 alone", sec1[bytes.Index(sec1, []byte("-----BEGIN EC PRIVATE KEY")):], nil},
		{"CRLF line ends", bytes.ReplaceAll(pkcs8, []byte("\n"), []byte("\r\n")), nil},
		{"nil", nil, map[string]string{field: rules.RulePattern}},
		{"garbage", []byte("not a key at all"), map[string]string{field: rules.RulePattern}},
		{"public key", readTestdata(t, "p384-public.pem"), map[string]string{field: rules.RulePattern}},
		{"P-256 PKCS#8", readTestdata(t, "p256-pkcs8.pem"), map[string]string{field: rules.RuleEnum}},
		{"Ed25519 PKCS#8", readTestdata(t, "ed25519-pkcs8.pem"), map[string]string{field: rules.RulePattern}},
		{"corrupt PKCS#8 body", corruptPEM(pkcs8), map[string]string{field: rules.RulePattern}},
		{"corrupt SEC1 body", corruptPEM(sec1[bytes.Index(sec1, []byte("-----BEGIN EC PRIVATE KEY")):]), map[string]string{field: rules.RulePattern}},
		{"PKCS#8 scalar with a bit flipped", flipScalarBit(t, pkcs8), map[string]string{field: rules.RulePattern}},
		{"SEC1 scalar with a bit flipped", flipScalarBit(t, sec1), map[string]string{field: rules.RulePattern}},
		{"encrypted", encrypted, map[string]string{field: rules.RulePattern}},
		{"encrypted PKCS#8", pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte{0x30, 0x03, 0x02, 0x01, 0x01}}), map[string]string{field: rules.RulePattern}},
	}
	pub := testPublicKey(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := token.ParseSigner(tt.pem, keyARN)
			testutil.AssertViolations(t, err, tt.want)
			if len(tt.want) > 0 {
				assert.Nil(t, s)
				assertNoKeyMaterial(t, err.Error(), tt.pem)
				return
			}
			tok, err := s.Mint(target, token.New())
			require.NoError(t, err)
			_, err = token.Verify(tok.Value(), pub)
			assert.NoError(t, err, "the testdata public key verifies tokens of the parsed key")
		})
	}

	_, err := token.ParseSigner(pkcs8, "arn:aws:ivs:us-east-1:123:stage/x")
	testutil.AssertViolations(t, err, map[string]string{"Signer.PublicKeyARN": rules.RulePattern})
}

// corruptPEM flips the first bytes of the block's DER, so that its structure no longer parses.
func corruptPEM(data []byte) []byte {
	block, _ := pem.Decode(data)
	der := bytes.Clone(block.Bytes)
	for i := range 4 {
		der[i] ^= 0xA5
	}
	return pem.EncodeToMemory(&pem.Block{Type: block.Type, Bytes: der})
}

// flipScalarBit flips one bit of the private scalar of a SEC1 or PKCS#8 PEM and re-encodes it: still a
// well-formed key, but another one than its embedded public key says.
func flipScalarBit(t *testing.T, data []byte) []byte {
	t.Helper()
	block, rest := pem.Decode(data)
	if block.Type == "EC PARAMETERS" {
		block, _ = pem.Decode(rest)
	}
	flip := func(der []byte) []byte {
		var k token.SEC1
		_, err := asn1.Unmarshal(der, &k)
		require.NoError(t, err)
		require.NotEmpty(t, k.PublicKey.Bytes, "the key embeds its public key")
		k.PrivateKey[len(k.PrivateKey)/2] ^= 1
		out, err := asn1.Marshal(k)
		require.NoError(t, err)
		return out
	}
	der := block.Bytes
	if block.Type == "PRIVATE KEY" {
		var p token.PKCS8
		_, err := asn1.Unmarshal(der, &p)
		require.NoError(t, err)
		p.PrivateKey = flip(p.PrivateKey)
		der, err = asn1.Marshal(p)
		require.NoError(t, err)
	} else {
		der = flip(der)
	}
	return pem.EncodeToMemory(&pem.Block{Type: block.Type, Bytes: der})
}

// assertNoKeyMaterial asserts that text shows no base64 line of the PEM.
func assertNoKeyMaterial(t *testing.T, text string, pemData []byte) {
	t.Helper()
	for line := range strings.Lines(string(pemData)) {
		line = strings.TrimSpace(line)
		if len(line) >= 8 && !strings.HasPrefix(line, "-----") && !strings.Contains(line, ":") {
			assert.NotContains(t, text, line)
		}
	}
}

func TestPublicKeyPEM(t *testing.T) {
	t.Parallel()
	pub := testPublicKey(t)
	got, err := token.PublicKeyPEM(pub)
	require.NoError(t, err)
	assert.Equal(t, string(readTestdata(t, "p384-public.pem")), string(got), "the same PEM as openssl writes")
	assert.Regexp(t, publicKeyMaterial, string(got), "matches the model's PublicKeyMaterial pattern")
	assert.True(t, strings.HasPrefix(string(got), "-----BEGIN PUBLIC KEY-----\n"))

	for range 20 {
		key, err := token.GenerateKey()
		require.NoError(t, err)
		assert.Equal(t, elliptic.P384(), key.Curve)
		material, err := token.PublicKeyPEM(&key.PublicKey)
		require.NoError(t, err)
		assert.Regexp(t, publicKeyMaterial, string(material))
		block, rest := pem.Decode(material)
		require.NotNil(t, block)
		assert.Empty(t, rest)
		assert.Equal(t, "PUBLIC KEY", block.Type)
		parsed, err := x509.ParsePKIXPublicKey(block.Bytes)
		require.NoError(t, err)
		assert.True(t, key.PublicKey.Equal(parsed))
	}

	_, err = token.PublicKeyPEM(nil)
	assert.Error(t, err)
	_, err = token.PublicKeyPEM(&testKey(t, "p256-pkcs8.pem").PublicKey)
	assert.ErrorContains(t, err, "P-256")
	// (1, 2) is not a point of P-384.
	offCurve := ecdsa.PublicKey{Curve: elliptic.P384(), X: big.NewInt(1), Y: big.NewInt(2)}
	_, err = token.PublicKeyPEM(&offCurve)
	assert.Error(t, err)
}

func TestTargetValidate(t *testing.T) {
	t.Parallel()
	arnPrefix := "arn:aws:ivs:us-east-1:123456789012:stage/"
	with := func(f func(*token.Target)) token.Target {
		tt := target
		f(&tt)
		return tt
	}
	const arn, events, whip = "Target.StageARN", "Target.EventsURL", "Target.WhipURL"
	tests := []struct {
		name   string
		target token.Target
		want   map[string]string
	}{
		{"valid", target, nil},
		{"ARN of 128", with(func(t *token.Target) { t.StageARN = arnPrefix + strings.Repeat("a", 128-len(arnPrefix)) }), nil},
		{"ARN of 129", with(func(t *token.Target) { t.StageARN = arnPrefix + strings.Repeat("a", 129-len(arnPrefix)) }), map[string]string{arn: rules.RuleLength}},
		{"ARN of a public key", with(func(t *token.Target) { t.StageARN = keyARN }), map[string]string{arn: rules.RulePattern}},
		{"ARN with an underscore", with(func(t *token.Target) { t.StageARN = arnPrefix + "a_b" }), map[string]string{arn: rules.RulePattern}},
		{"events with path and port", with(func(t *token.Target) { t.EventsURL = "wss://events.example.com:443/v1" }), nil},
		{"events ws://", with(func(t *token.Target) { t.EventsURL = "ws://global.events.live-video.net" }), map[string]string{events: rules.RulePattern}},
		{"events https://", with(func(t *token.Target) { t.EventsURL = "https://global.events.live-video.net" }), map[string]string{events: rules.RulePattern}},
		{"events WSS:// upper case", with(func(t *token.Target) { t.EventsURL = "WSS://global.events.live-video.net" }), map[string]string{events: rules.RulePattern}},
		{"events without host", with(func(t *token.Target) { t.EventsURL = "wss://" }), map[string]string{events: rules.RulePattern}},
		{"events port only", with(func(t *token.Target) { t.EventsURL = "wss://:443" }), map[string]string{events: rules.RulePattern}},
		{"events host only", with(func(t *token.Target) { t.EventsURL = "global.events.live-video.net" }), map[string]string{events: rules.RulePattern}},
		{"events with a space", with(func(t *token.Target) { t.EventsURL = "wss://global events" }), map[string]string{events: rules.RulePattern}},
		{"whip http://", with(func(t *token.Target) { t.WhipURL = "http://abc.whip.live-video.net" }), map[string]string{whip: rules.RulePattern}},
		{"whip wss://", with(func(t *token.Target) { t.WhipURL = "wss://abc.whip.live-video.net" }), map[string]string{whip: rules.RulePattern}},
		{"whip with user info", with(func(t *token.Target) { t.WhipURL = "https://user:pw@abc.whip.live-video.net" }), map[string]string{whip: rules.RulePattern}},
		{"whip not UTF-8", with(func(t *token.Target) { t.WhipURL = "https://abc.net/\xff" }), map[string]string{whip: rules.RuleUTF8}},
		{"whip with a control character", with(func(t *token.Target) { t.WhipURL = "https://abc\x7f.net" }), map[string]string{whip: rules.RulePattern}},
		{"zero", token.Target{}, map[string]string{arn: rules.RuleLength, events: rules.RuleRequired, whip: rules.RuleRequired}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			testutil.AssertViolations(t, tt.target.Validate(), tt.want)
		})
	}
}

// jsonRoundTrip is what encoding/json makes of s: invalid UTF-8 bytes become U+FFFD.
func jsonRoundTrip(t testing.TB, s string) string {
	t.Helper()
	b, err := json.Marshal(s)
	require.NoError(t, err)
	var out string
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}

// mintedStrings mints a token with userID and one attribute, and reads them back from the payload with
// encoding/json.
func mintedStrings(t testing.TB, s *token.Signer, userID, key, value string) (gotUser, gotKey, gotValue string, ok bool) {
	t.Helper()
	tok, err := s.Mint(target, token.New().WithUserID(userID).WithAttribute(key, value))
	if err != nil {
		return "", "", "", false // an invalid Config (too long)
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.Split(tok.Value(), ".")[1])
	require.NoError(t, err)
	require.True(t, json.Valid(payload), "payload %q", payload)
	var claims struct {
		UserID     string            `json:"user_id"`
		Attributes map[string]string `json:"attributes"`
	}
	require.NoError(t, json.Unmarshal(payload, &claims))
	require.Len(t, claims.Attributes, 1)
	for k, v := range claims.Attributes {
		gotKey, gotValue = k, v
	}
	return claims.UserID, gotKey, gotValue, true
}

// The payload is written without encoding/json; encoding/json reads every string back as it would have
// written it.
func TestMintEncodesStringsLikeEncodingJSON(t *testing.T) {
	t.Parallel()
	s, _ := newSigner(t)
	for _, v := range []string{
		`plain`, `"quoted"`, `back\slash`, "tab\tnew\nline\rcr", "\x00\x01\x1f\x7f", "<script>&amp;</script>",
		"häst 🎥 日本", "\u2028\u2029", "\uFFFD", `\u0041`, "",
	} {
		user, key, value, ok := mintedStrings(t, s, "u"+v, "k"+v, v)
		require.True(t, ok, "%q", v)
		assert.Equal(t, v, user[1:])
		assert.Equal(t, v, key[1:])
		assert.Equal(t, v, value)
	}
	// Strings that are not UTF-8 would read back as something else, so Mint refuses them.
	for _, v := range []string{"bad \xff\xfe utf-8 \xc3", "\xed\xa0\x80 surrogate"} {
		_, err := s.Mint(target, token.New().WithUserID(v).WithAttribute("k", v))
		testutil.AssertViolations(t, err, map[string]string{
			"ParticipantTokenConfiguration.UserId":          rules.RuleUTF8,
			`ParticipantTokenConfiguration.Attributes["k"]`: rules.RuleUTF8,
		})
	}
}

func FuzzMintStrings(f *testing.F) {
	s, err := token.NewSigner(testKey(f, "p384-pkcs8.pem"), keyARN)
	require.NoError(f, err)
	f.Add("alice", "role", "host")
	f.Add("\x00\"\\", "\u2028", "\xff")
	f.Fuzz(func(t *testing.T, userID, key, value string) {
		user, k, v, ok := mintedStrings(t, s, userID, key, value)
		if !ok {
			return
		}
		assert.Equal(t, jsonRoundTrip(t, userID), user)
		assert.Equal(t, jsonRoundTrip(t, key), k)
		assert.Equal(t, jsonRoundTrip(t, value), v)
	})
}

// A Signer keeps the last Target encoded; another Target is validated and encoded afresh.
func TestMintSwitchesTargets(t *testing.T) {
	t.Parallel()
	s, key := newSigner(t)
	other := token.Target{StageARN: "arn:aws:ivs:eu-west-1:123456789012:stage/OtherStage99", EventsURL: eventsURL, WhipURL: "https://other.whip.example"}
	for i := range 6 {
		tt := target
		if i%2 == 1 {
			tt = other
		}
		tok, err := s.Mint(tt, token.New())
		require.NoError(t, err)
		claims, err := token.Verify(tok.Value(), &key.PublicKey)
		require.NoError(t, err)
		assert.Equal(t, tt, claims.Target())
		_, err = s.Mint(token.Target{StageARN: tt.StageARN, EventsURL: "ws://x", WhipURL: tt.WhipURL}, token.New())
		testutil.AssertViolations(t, err, map[string]string{"Target.EventsURL": rules.RulePattern})
	}
}

// clockAt returns a clock that reads t.
func clockAt(t time.Time) func() time.Time { return func() time.Time { return t } }

// WithClock stamps iat and exp from its clock: a token of one minute verifies until a second before its
// exp, and is expired at it; the copy signs with the same key and kid; the original keeps its own clock.
func TestSignerWithClock(t *testing.T) {
	t.Parallel()
	s, key := newSigner(t)
	tests := []struct {
		name  string
		clock time.Time
	}{
		{"the tests' clock", fixedClock},
		{"2001", time.Date(2001, 9, 9, 1, 46, 40, 0, time.UTC)},
		{"2090", time.Date(2090, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"a clock in another zone, with nanoseconds", time.Date(2031, 3, 4, 5, 6, 7, 999_999_999, time.FixedZone("UTC-7", -7*60*60))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			iat := tt.clock.Truncate(time.Second).UTC()
			c := s.WithClock(clockAt(tt.clock))
			require.NotSame(t, s, c)
			assert.Equal(t, s.KeyID(), c.KeyID())
			assert.True(t, c.PublicKey().Equal(s.PublicKey()))

			tok, err := c.Mint(target, token.New().WithDuration(time.Minute))
			require.NoError(t, err)
			assert.Equal(t, iat.Add(time.Minute), tok.ExpiresAt, "UTC, whole seconds")
			assert.Equal(t, time.UTC, tok.ExpiresAt.Location())

			claims, err := token.VerifyAt(tok.Value(), &key.PublicKey, iat.Add(59*time.Second))
			require.NoError(t, err, "valid a second before exp")
			assert.Equal(t, iat, claims.IssuedAt)
			assert.Equal(t, iat.Add(time.Minute), claims.ExpiresAt)
			_, err = token.VerifyAt(tok.Value(), &key.PublicKey, iat.Add(time.Minute))
			assert.ErrorIs(t, err, jwt.ErrTokenExpired, "expired at exp")
			_, err = token.VerifyAt(tok.Value(), &key.PublicKey, iat.Add(-token.MaxClockSkew-time.Second))
			assert.ErrorIs(t, err, jwt.ErrTokenUsedBeforeIssued, "not yet issued by a clock behind it")
		})
	}

	// Copies of copies: each has its own clock, and WithClock changes none of the others.
	a := s.WithClock(clockAt(fixedClock))
	b := a.WithClock(clockAt(fixedClock.Add(time.Hour)))
	issued := func(s *token.Signer) time.Time {
		t.Helper()
		tok, err := s.Mint(target, token.New())
		require.NoError(t, err)
		claims, err := token.VerifyAt(tok.Value(), &key.PublicKey, fixedClock.Add(2*time.Hour))
		require.NoError(t, err)
		return claims.IssuedAt
	}
	assert.Equal(t, fixedClock, issued(a), "the original copy keeps its clock")
	assert.Equal(t, fixedClock.Add(time.Hour), issued(b))

	// The original, and WithClock(nil), read time.Now.
	for name, signer := range map[string]*token.Signer{"original": s, "WithClock(nil)": b.WithClock(nil)} {
		before := time.Now().Truncate(time.Second)
		tok, err := signer.Mint(target, token.New())
		after := time.Now()
		require.NoError(t, err)
		claims, err := token.Verify(tok.Value(), &key.PublicKey)
		require.NoError(t, err, name)
		assert.False(t, claims.IssuedAt.Before(before) || claims.IssuedAt.After(after), "%s: iat %s within [%s, %s]", name, claims.IssuedAt, before, after)
	}

	var nilSigner *token.Signer
	assert.Nil(t, nilSigner.WithClock(time.Now))
	_, err := nilSigner.WithClock(time.Now).Mint(target, token.New())
	assert.Error(t, err)
}

// Signers derived with WithClock mint concurrently, each from its own clock, while more are derived from
// the same original (run with -race).
func TestSignerWithClockConcurrently(t *testing.T) {
	t.Parallel()
	s, key := newSigner(t)
	const goroutines, each = 8, 4
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			at := fixedClock.Add(time.Duration(g) * time.Hour)
			c := s.WithClock(clockAt(at))
			for range each {
				tok, err := c.Mint(target, token.New())
				if !assert.NoError(t, err) {
					return
				}
				claims, err := token.VerifyAt(tok.Value(), &key.PublicKey, at)
				if assert.NoError(t, err) {
					assert.Equal(t, at, claims.IssuedAt, "goroutine %d", g)
				}
			}
		}()
	}
	wg.Wait()
}

// Mint writes no token longer than MaxTokenSize, which Verify would refuse: only Target URLs of
// kilobytes make one that long. The longest WhipURL that fits makes a token Verify accepts; one byte more
// is an error saying the size and the limit.
func TestMintRefusesTokensLongerThanMaxTokenSize(t *testing.T) {
	t.Parallel()
	s, key := newSigner(t)
	s = s.WithClock(clockAt(fixedClock))
	withWhip := func(n int) token.Target {
		tt := target
		tt.WhipURL = "https://abc.whip.example/" + strings.Repeat("p", n)
		return tt
	}
	// Find the longest path that fits, counting up in bounded steps.
	short, err := s.Mint(withWhip(0), token.New())
	require.NoError(t, err)
	n := (token.MaxTokenSize-len(short.Value()))*3/4 - 8
	for end := n + 16; n < end; n++ {
		if _, err := s.Mint(withWhip(n+1), token.New()); err != nil {
			break
		}
	}
	longest, err := s.Mint(withWhip(n), token.New())
	require.NoError(t, err)
	assert.GreaterOrEqual(t, len(longest.Value()), token.MaxTokenSize-2, "base64 skips a length now and then")
	assert.LessOrEqual(t, len(longest.Value()), token.MaxTokenSize)
	_, err = token.VerifyAt(longest.Value(), &key.PublicKey, fixedClock)
	require.NoError(t, err, "the longest token Mint writes is one Verify reads")

	tok, err := s.Mint(withWhip(n+1), token.New())
	require.Error(t, err)
	assert.True(t, tok.IsZero())
	assert.Regexp(t, `^token: the token would be 1638[5-7] bytes, more than MaxTokenSize \(16384\), which Verify refuses`, err.Error())

	// The largest Config with the service's usual Target fits easily: a user ID of 128 code points and
	// attributes of 1,024 bytes, all characters JSON escapes six bytes long.
	attrs := map[string]string{}
	for i := range token.MaxAttributesSize / 2 {
		attrs[string([]byte{byte(i / 32), byte(i % 32)})] = ""
	}
	worst := token.New().WithUserID(strings.Repeat("\x01", token.MaxUserIDLength)).WithAttributes(attrs)
	require.NoError(t, worst.Validate())
	tok, err = s.Mint(target, worst)
	require.NoError(t, err)
	assert.Less(t, len(tok.Value()), token.MaxTokenSize)
	_, err = token.VerifyAt(tok.Value(), &key.PublicKey, fixedClock)
	require.NoError(t, err)
}
