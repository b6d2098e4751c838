package token_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/token"
)

func TestVerifyAcceptsTheGuidesToken(t *testing.T) {
	t.Parallel()
	key := testKey(t, "p384-pkcs8.pem")
	raw := craft(t, jwt.SigningMethodES384, key, guideHeader, guideClaims(fixedClock))
	claims, err := token.VerifyAt(raw, &key.PublicKey, fixedClock.Add(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, token.Claims{
		KeyID:         keyARN,
		ExpiresAt:     fixedClock.Add(12 * time.Hour),
		IssuedAt:      fixedClock,
		ParticipantID: "ABCDEfghij01234KLMN5678",
		UserID:        "alice",
		StageARN:      stageARN,
		StageID:       stageID,
		EventsURL:     eventsURL,
		WhipURL:       whipURL,
		Capabilities:  token.ClaimCapabilities{AllowPublish: true},
		Attributes:    map[string]string{"role": "host"},
		Version:       "1.0",
	}, claims)
	assert.Equal(t, []token.Capability{token.Publish}, claims.Capabilities.List())
}

func TestVerifyRejects(t *testing.T) {
	t.Parallel()
	key := testKey(t, "p384-pkcs8.pem")
	other, err := token.GenerateKey()
	require.NoError(t, err)
	p256 := testKey(t, "p256-pkcs8.pem")
	p521, err := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	require.NoError(t, err)

	es384 := func(claims jwt.MapClaims) string { return craft(t, jwt.SigningMethodES384, key, guideHeader, claims) }
	claimsWith := func(f func(jwt.MapClaims)) jwt.MapClaims {
		c := guideClaims(fixedClock)
		f(c)
		return c
	}
	without := func(name string) string { return es384(claimsWith(func(c jwt.MapClaims) { delete(c, name) })) }
	set := func(name string, v any) string { return es384(claimsWith(func(c jwt.MapClaims) { c[name] = v })) }
	pemKey, err := token.PublicKeyPEM(&key.PublicKey)
	require.NoError(t, err)

	const day = 24 * 60 * 60
	tests := []struct {
		name string
		raw  string
		pub  *ecdsa.PublicKey
		at   time.Time // zero: an hour after fixedClock
		want error     // the jwt/v5 sentinel the error wraps
	}{
		{"signed with a different key", craft(t, jwt.SigningMethodES384, other, guideHeader, guideClaims(fixedClock)), nil, time.Time{}, jwt.ErrTokenSignatureInvalid},
		{"verified with a different key", es384(guideClaims(fixedClock)), &other.PublicKey, time.Time{}, jwt.ErrTokenSignatureInvalid},
		{"alg none", craft(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, guideHeader, guideClaims(fixedClock)), nil, time.Time{}, jwt.ErrTokenSignatureInvalid},
		{"HS256 keyed with the public key's PEM", craft(t, jwt.SigningMethodHS256, pemKey, guideHeader, guideClaims(fixedClock)), nil, time.Time{}, jwt.ErrTokenSignatureInvalid},
		{"ES256", craft(t, jwt.SigningMethodES256, p256, guideHeader, guideClaims(fixedClock)), nil, time.Time{}, jwt.ErrTokenSignatureInvalid},
		{"ES512", craft(t, jwt.SigningMethodES512, p521, guideHeader, guideClaims(fixedClock)), nil, time.Time{}, jwt.ErrTokenSignatureInvalid},
		{"a P-256 public key", es384(guideClaims(fixedClock)), &p256.PublicKey, time.Time{}, jwt.ErrInvalidKey},
		{"no kid", craft(t, jwt.SigningMethodES384, key, map[string]any{"typ": "JWT"}, guideClaims(fixedClock)), nil, time.Time{}, jwt.ErrTokenUnverifiable},
		{"empty kid", craft(t, jwt.SigningMethodES384, key, map[string]any{"typ": "JWT", "kid": ""}, guideClaims(fixedClock)), nil, time.Time{}, jwt.ErrTokenUnverifiable},
		{"kid not an ARN", craft(t, jwt.SigningMethodES384, key, map[string]any{"typ": "JWT", "kid": "key-1"}, guideClaims(fixedClock)), nil, time.Time{}, jwt.ErrTokenUnverifiable},
		{"kid a number", craft(t, jwt.SigningMethodES384, key, map[string]any{"typ": "JWT", "kid": 7}, guideClaims(fixedClock)), nil, time.Time{}, jwt.ErrTokenUnverifiable},
		{"no typ", craft(t, jwt.SigningMethodES384, key, map[string]any{"kid": keyARN}, guideClaims(fixedClock)), nil, time.Time{}, jwt.ErrTokenUnverifiable},

		{"expired", es384(guideClaims(fixedClock)), nil, fixedClock.Add(13 * time.Hour), jwt.ErrTokenExpired},
		{"at exp exactly", es384(guideClaims(fixedClock)), nil, fixedClock.Add(12 * time.Hour), jwt.ErrTokenExpired},
		{"issued 2 minutes in the future", es384(guideClaims(fixedClock)), nil, fixedClock.Add(-2 * time.Minute), jwt.ErrTokenUsedBeforeIssued},
		{"lifetime 14 days + 1 s", set("exp", fixedClock.Unix()+14*day+1), nil, time.Time{}, jwt.ErrTokenInvalidClaims},
		{"lifetime 15 days", set("exp", fixedClock.Unix()+15*day), nil, time.Time{}, jwt.ErrTokenInvalidClaims},
		{"lifetime of everything", set("exp", int64(1<<63-1)), nil, time.Time{}, jwt.ErrTokenInvalidClaims},
		{"exp before iat", set("exp", fixedClock.Unix()-1), nil, fixedClock.Add(-time.Hour), jwt.ErrTokenInvalidClaims},
		{"exp equal to iat", set("exp", fixedClock.Unix()), nil, fixedClock.Add(-time.Hour), jwt.ErrTokenInvalidClaims},
		{"exp not an integer", set("exp", float64(fixedClock.Unix())+0.5), nil, time.Time{}, jwt.ErrTokenMalformed},
		{"exp a string", set("exp", "tomorrow"), nil, time.Time{}, jwt.ErrTokenMalformed},
		{"iat not an integer", set("iat", 1.5), nil, time.Time{}, jwt.ErrTokenMalformed},

		{"no exp", without("exp"), nil, time.Time{}, jwt.ErrTokenInvalidClaims},
		{"no iat", without("iat"), nil, time.Time{}, jwt.ErrTokenInvalidClaims},
		{"no jti", without("jti"), nil, time.Time{}, jwt.ErrTokenInvalidClaims},
		{"no resource", without("resource"), nil, time.Time{}, jwt.ErrTokenInvalidClaims},
		{"no topic", without("topic"), nil, time.Time{}, jwt.ErrTokenInvalidClaims},
		{"no events_url", without("events_url"), nil, time.Time{}, jwt.ErrTokenInvalidClaims},
		{"no whip_url", without("whip_url"), nil, time.Time{}, jwt.ErrTokenInvalidClaims},
		{"no capabilities", without("capabilities"), nil, time.Time{}, jwt.ErrTokenInvalidClaims},
		{"no version", without("version"), nil, time.Time{}, jwt.ErrTokenInvalidClaims},
		{"null version", set("version", nil), nil, time.Time{}, jwt.ErrTokenInvalidClaims},

		{"version 2.0", set("version", "2.0"), nil, time.Time{}, jwt.ErrTokenInvalidClaims},
		{"version a number", set("version", 1.0), nil, time.Time{}, jwt.ErrTokenMalformed},
		{"topic of another stage", set("topic", "otherStage"), nil, time.Time{}, jwt.ErrTokenInvalidClaims},
		{"resource not a stage ARN", set("resource", keyARN), nil, time.Time{}, jwt.ErrTokenInvalidClaims},
		{"jti with a space", set("jti", "ABC DEF"), nil, time.Time{}, jwt.ErrTokenInvalidClaims},
		{"jti empty", set("jti", ""), nil, time.Time{}, jwt.ErrTokenInvalidClaims},
		{"jti of 65", set("jti", strings.Repeat("a", 65)), nil, time.Time{}, jwt.ErrTokenInvalidClaims},
		{"events_url https", set("events_url", "https://global.events.live-video.net"), nil, time.Time{}, jwt.ErrTokenInvalidClaims},
		{"whip_url wss", set("whip_url", "wss://x.whip.live-video.net"), nil, time.Time{}, jwt.ErrTokenInvalidClaims},
		{"capabilities without allow_subscribe", set("capabilities", map[string]bool{"allow_publish": true}), nil, time.Time{}, jwt.ErrTokenInvalidClaims},
		{"capabilities a list", set("capabilities", []string{"PUBLISH"}), nil, time.Time{}, jwt.ErrTokenMalformed},
		{"user_id of 129", set("user_id", strings.Repeat("ü", 129)), nil, time.Time{}, jwt.ErrTokenInvalidClaims},
		{"attributes of 1025 bytes", set("attributes", map[string]string{"k": strings.Repeat("v", 1024)}), nil, time.Time{}, jwt.ErrTokenInvalidClaims},

		{"empty string", "", nil, time.Time{}, jwt.ErrTokenMalformed},
		{"two parts", "a.b", nil, time.Time{}, jwt.ErrTokenMalformed},
		{"not base64", "!!.??.**", nil, time.Time{}, jwt.ErrTokenMalformed},
		{"the service's KMS token", "eyJhbGciOiJLTVMiLCJ0eXAiOiJKV1QifQ.eyJleHAiOjF9.c2ln", nil, time.Time{}, jwt.ErrTokenUnverifiable},
		{"signature truncated", func() string { r := es384(guideClaims(fixedClock)); return r[:len(r)-4] }(), nil, time.Time{}, jwt.ErrTokenSignatureInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pub := tt.pub
			if pub == nil {
				pub = &key.PublicKey
			}
			at := tt.at
			if at.IsZero() {
				at = fixedClock.Add(time.Hour)
			}
			claims, err := token.VerifyAt(tt.raw, pub, at)
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.want, "%v", err)
			assert.Equal(t, token.Claims{}, claims, "no claims on failure")
			if len(tt.raw) > 0 {
				for _, part := range strings.Split(tt.raw, ".") {
					if len(part) > 16 {
						assert.NotContains(t, err.Error(), part, "the error shows no part of the token")
					}
				}
			}
		})
	}
}

func TestVerifyBoundaries(t *testing.T) {
	t.Parallel()
	key := testKey(t, "p384-pkcs8.pem")
	es384 := func(exp int64) string {
		c := guideClaims(fixedClock)
		c["exp"] = exp
		return craft(t, jwt.SigningMethodES384, key, guideHeader, c)
	}
	const day = 24 * 60 * 60
	// Exactly 14 days is the longest lifetime.
	_, err := token.VerifyAt(es384(fixedClock.Unix()+14*day), &key.PublicKey, fixedClock)
	assert.NoError(t, err)
	// A second before exp is still valid.
	_, err = token.VerifyAt(es384(fixedClock.Unix()+60), &key.PublicKey, fixedClock.Add(59*time.Second))
	assert.NoError(t, err)
	// iat up to MaxClockSkew in the future is accepted.
	_, err = token.VerifyAt(es384(fixedClock.Unix()+60), &key.PublicKey, fixedClock.Add(-token.MaxClockSkew))
	assert.NoError(t, err)
	_, err = token.VerifyAt(es384(fixedClock.Unix()+60), &key.PublicKey, fixedClock.Add(-token.MaxClockSkew-time.Second))
	assert.ErrorIs(t, err, jwt.ErrTokenUsedBeforeIssued)
	// user_id: 128 code points (each two bytes in UTF-8) is the longest accepted, 129 is refused.
	for n, ok := range map[int]bool{token.MaxUserIDLength: true, token.MaxUserIDLength + 1: false} {
		c := guideClaims(fixedClock)
		c["user_id"] = strings.Repeat("é", n)
		claims, err := token.VerifyAt(craft(t, jwt.SigningMethodES384, key, guideHeader, c), &key.PublicKey, fixedClock)
		if ok {
			require.NoError(t, err, "user_id of %d code points", n)
			assert.Equal(t, strings.Repeat("é", n), claims.UserID)
		} else {
			assert.ErrorIs(t, err, jwt.ErrTokenInvalidClaims, "user_id of %d code points", n)
			assert.Contains(t, err.Error(), `"user_id" has 129 code points, more than 128`)
		}
	}
	// attributes: 1,024 bytes is the most accepted, 1,025 is refused.
	for n, ok := range map[int]bool{token.MaxAttributesSize: true, token.MaxAttributesSize + 1: false} {
		c := guideClaims(fixedClock)
		c["attributes"] = attrsOfSize(n)
		_, err := token.VerifyAt(craft(t, jwt.SigningMethodES384, key, guideHeader, c), &key.PublicKey, fixedClock)
		if ok {
			assert.NoError(t, err, "attributes of %d bytes", n)
		} else {
			assert.ErrorIs(t, err, jwt.ErrTokenInvalidClaims, "attributes of %d bytes", n)
		}
	}
	// Unknown claims are ignored; a "_" in the jti is the service's own pattern.
	c := guideClaims(fixedClock)
	c["extra"] = "x"
	c["jti"] = "abc_DEF-123"
	delete(c, "user_id")
	delete(c, "attributes")
	claims, err := token.VerifyAt(craft(t, jwt.SigningMethodES384, key, guideHeader, c), &key.PublicKey, fixedClock)
	require.NoError(t, err)
	assert.Equal(t, "abc_DEF-123", claims.ParticipantID)
	assert.Empty(t, claims.UserID)
	assert.Nil(t, claims.Attributes)
}

// Go's base64 decoders skip line breaks; Verify does not accept a token that Mint would not write.
func TestVerifyRejectsAnythingButCompactJWS(t *testing.T) {
	t.Parallel()
	key := testKey(t, "p384-pkcs8.pem")
	raw := craft(t, jwt.SigningMethodES384, key, guideHeader, guideClaims(fixedClock))
	_, err := token.VerifyAt(raw, &key.PublicKey, fixedClock)
	require.NoError(t, err, "the untouched token is valid")
	sig := strings.LastIndexByte(raw, '.') + 10
	for name, bad := range map[string]string{
		"trailing newline":    raw + "\n",
		"CRLF in signature":   raw[:sig] + "\r\n" + raw[sig:],
		"leading space":       " " + raw,
		"padding":             raw + "==",
		"standard base64 '+'": raw[:sig] + "+" + raw[sig+1:],
	} {
		_, err := token.VerifyAt(bad, &key.PublicKey, fixedClock)
		assert.ErrorIs(t, err, jwt.ErrTokenMalformed, name)
	}
}

func TestVerifyReportsEveryProblem(t *testing.T) {
	t.Parallel()
	key := testKey(t, "p384-pkcs8.pem")
	c := guideClaims(fixedClock)
	c["version"] = "0.9"
	c["topic"] = "elsewhere"
	raw := craft(t, jwt.SigningMethodES384, key, guideHeader, c)
	_, err := token.VerifyAt(raw, &key.PublicKey, fixedClock.Add(24*time.Hour))
	require.Error(t, err)
	assert.ErrorIs(t, err, jwt.ErrTokenInvalidClaims)
	assert.ErrorIs(t, err, jwt.ErrTokenExpired)
	for _, want := range []string{`"version"`, `"topic"`, `"exp"`} {
		assert.Contains(t, err.Error(), want)
	}
	assert.NotContains(t, err.Error(), "\n", "one line")
}

func TestVerifyNilKey(t *testing.T) {
	t.Parallel()
	s, _ := newSigner(t)
	tok, err := s.Mint(target, token.New())
	require.NoError(t, err)
	_, err = token.Verify(tok.Value(), nil)
	assert.ErrorIs(t, err, jwt.ErrInvalidKey)
	_, err = token.Verify(tok.Value(), &ecdsa.PublicKey{})
	assert.ErrorIs(t, err, jwt.ErrInvalidKey)
}

// TestVerifyMutations flips every byte of a valid token in turn: Verify never panics and never accepts.
func TestVerifyMutations(t *testing.T) {
	t.Parallel()
	s, key := newSigner(t)
	tok, err := s.Mint(target, token.New().WithUserID("u").WithAttribute("a", "b"))
	require.NoError(t, err)
	raw := []byte(tok.Value())
	for i := range raw {
		for _, c := range []byte{'A', '.', '_', '=', 0x00, 0xff} {
			if raw[i] == c {
				continue
			}
			mutated := append([]byte(nil), raw...)
			mutated[i] = c
			require.NotPanics(t, func() {
				if _, err := token.Verify(string(mutated), &key.PublicKey); err == nil {
					// Base64 has slack in the last character of a segment; the decoded bytes are then equal.
					assert.True(t, sameDecoding(string(mutated), tok.Value()), "mutation at %d accepted", i)
				}
			})
		}
	}
}

// sameDecoding reports whether two compact JWS decode to the same bytes.
func sameDecoding(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	if len(pa) != 3 || len(pb) != 3 {
		return false
	}
	for i := range pa {
		da, errA := base64.RawURLEncoding.DecodeString(pa[i])
		db, errB := base64.RawURLEncoding.DecodeString(pb[i])
		if errA != nil || errB != nil || string(da) != string(db) {
			return false
		}
	}
	return true
}

// FuzzVerify checks that Verify never panics, accepts only tokens whose claims are complete, and refuses
// every input longer than MaxTokenSize (saying so) and every token whose header has "crit".
func FuzzVerify(f *testing.F) {
	key := testKey(f, "p384-pkcs8.pem")
	s, err := token.NewSigner(key, keyARN)
	require.NoError(f, err)
	tok, err := s.Mint(target, token.New().WithUserID("fuzz").WithAttribute("k", "v"))
	require.NoError(f, err)
	critHeader := maps.Clone(guideHeader)
	critHeader["crit"] = []string{"exp"}
	now := guideClaims(time.Now()) // valid at the fuzzing time, so that crit alone refuses it
	for _, seed := range []string{
		tok.Value(), "", ".", "..", "...", "a.b.c", "eyJhbGciOiJub25lIn0.e30.",
		"eyJhbGciOiJFUzM4NCIsImtpZCI6IngifQ.e30." + strings.Repeat("A", 128),
		strings.Repeat("eyJ", 1000), "\x00.\xff.\x80",
		craft(f, jwt.SigningMethodES384, key, critHeader, now),
		tok.Value() + strings.Repeat("A", token.MaxTokenSize+1-len(tok.Value())),
		strings.Repeat(".", token.MaxTokenSize+1),
	} {
		f.Add(seed)
	}
	keys := map[string]*ecdsa.PublicKey{keyARN: &key.PublicKey}
	f.Fuzz(func(t *testing.T, raw string) {
		claims, err := token.Verify(raw, &key.PublicKey)
		// With the one key, VerifyWithKeys decides as Verify does, except that a kid other than keyARN is
		// an unknown key (Verify tries its key and fails the signature, or the claims).
		byKid, kidErr := token.VerifyWithKeys(raw, keys)
		switch {
		case errors.Is(kidErr, token.ErrUnknownKey):
			if err == nil {
				t.Errorf("VerifyWithKeys refused the kid of a token Verify accepts: %v", kidErr)
			}
		case (err == nil) != (kidErr == nil):
			t.Errorf("Verify: %v; VerifyWithKeys: %v", err, kidErr)
		case err == nil && !reflect.DeepEqual(claims, byKid):
			t.Errorf("claims differ: %+v and %+v", claims, byKid)
		}
		if len(raw) > token.MaxTokenSize {
			for _, err := range []error{err, kidErr} {
				if !errors.Is(err, jwt.ErrTokenMalformed) || !strings.Contains(fmt.Sprint(err), "more than MaxTokenSize") {
					t.Errorf("input of %d bytes not refused for its size: %v", len(raw), err)
				}
			}
		}
		if hasCrit(raw) && (err == nil || kidErr == nil) {
			t.Errorf("a header with crit accepted: %v, %v", err, kidErr)
		}
		if err != nil {
			if !errors.Is(err, jwt.ErrTokenMalformed) && !errors.Is(err, jwt.ErrTokenSignatureInvalid) &&
				!errors.Is(err, jwt.ErrTokenUnverifiable) && !errors.Is(err, jwt.ErrTokenInvalidClaims) &&
				!errors.Is(err, jwt.ErrTokenExpired) && !errors.Is(err, jwt.ErrTokenUsedBeforeIssued) {
				t.Errorf("error %v wraps no jwt sentinel", err)
			}
			return
		}
		if claims.Version != token.ClaimsVersion || claims.KeyID != keyARN || claims.ParticipantID == "" ||
			claims.StageID == "" || !claims.ExpiresAt.After(claims.IssuedAt) {
			t.Errorf("accepted incomplete claims %+v", claims)
		}
	})
}

// hasCrit reports whether raw's first segment decodes to a JSON object with a "crit" member.
func hasCrit(raw string) bool {
	header, _, _ := strings.Cut(raw, ".")
	b, err := base64.RawURLEncoding.DecodeString(header)
	if err != nil {
		return false
	}
	var h map[string]json.RawMessage
	if json.Unmarshal(b, &h) != nil {
		return false
	}
	_, ok := h["crit"]
	return ok
}

// tokenOfSize signs the guide's claims with key into a token of exactly size bytes, padded with a header
// member and a claim that Verify ignores ("pad").
func tokenOfSize(t testing.TB, key *ecdsa.PrivateKey, size int) string {
	t.Helper()
	sign := func(h, p int) string {
		header := maps.Clone(guideHeader)
		header["pad"] = strings.Repeat("h", h)
		claims := guideClaims(fixedClock)
		claims["pad"] = strings.Repeat("p", p)
		tok := jwt.NewWithClaims(jwt.SigningMethodES384, claims)
		tok.Header = header
		tok.Header["alg"] = "ES384"
		raw, err := tok.SignedString(key)
		require.NoError(t, err)
		return raw
	}
	// Base64 makes a segment of n bytes 4n/3 characters long, rounded up, and never 4k+1: two segments
	// of free length reach every size.
	for h := range 4 {
		p := max(0, (size-len(sign(h, 0)))*3/4-2)
		for end := p + 8; p < end; p++ {
			if raw := sign(h, p); len(raw) == size {
				return raw
			}
		}
	}
	t.Fatalf("no token of %d bytes", size)
	return ""
}

// MaxTokenSize bytes is the longest token read; one byte more is refused unread, with its length and the
// limit in the error and no part of the token.
func TestVerifyRefusesTokensLongerThanMaxTokenSize(t *testing.T) {
	t.Parallel()
	key := testKey(t, "p384-pkcs8.pem")
	require.Equal(t, 16384, token.MaxTokenSize)
	longest := tokenOfSize(t, key, token.MaxTokenSize)
	tooLong := tokenOfSize(t, key, token.MaxTokenSize+1)
	forged := "eyJhbGciOiJFUzM4NCJ9." + strings.Repeat("A", 1<<20) + ".AAAA"
	tests := []struct {
		name string
		raw  string
		says string // "": accepted
	}{
		{"MaxTokenSize bytes", longest, ""},
		{"MaxTokenSize+1 bytes, otherwise valid", tooLong, "the token is 16385 bytes, more than MaxTokenSize (16384): refused unread"},
		{"a forged token of 1 MiB", forged, "the token is " + strconv.Itoa(len(forged)) + " bytes, more than MaxTokenSize (16384)"},
		{"MaxTokenSize+1 bytes of garbage that is not even base64", strings.Repeat("\xff", token.MaxTokenSize+1), "the token is 16385 bytes"},
	}
	for _, tt := range tests {
		for via, verify := range verifiers(&key.PublicKey) {
			t.Run(via+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				claims, err := verify(tt.raw)
				if tt.says == "" {
					require.NoError(t, err)
					assert.Equal(t, "alice", claims.UserID)
					return
				}
				require.Error(t, err)
				assert.ErrorIs(t, err, jwt.ErrTokenMalformed)
				assert.Equal(t, token.Claims{}, claims)
				assert.True(t, strings.HasPrefix(err.Error(), "token: verify: "), err.Error())
				assert.Contains(t, err.Error(), tt.says)
				assert.Less(t, len(err.Error()), 200, "the error is short: it holds no part of the token")
				assertShowsNoPart(t, err, tt.raw)
			})
		}
	}
	// Verify (at the wall clock) refuses the same: the size is checked before anything else, the key too.
	_, err := token.Verify(tooLong, &key.PublicKey)
	assert.ErrorContains(t, err, "16385 bytes, more than MaxTokenSize")
	_, err = token.Verify(tooLong, nil)
	assert.ErrorIs(t, err, jwt.ErrTokenMalformed, "the size first, then the key")
	assert.NotErrorIs(t, err, jwt.ErrInvalidKey)
	_, err = token.VerifyWithKeys(tooLong, nil)
	assert.ErrorIs(t, err, jwt.ErrTokenMalformed, "the size first, then the keys")
	assert.NotErrorIs(t, err, jwt.ErrInvalidKey)
}

// A header with "crit", whatever its value, is refused: the token says it needs an extension that Verify
// does not implement. The same token without it verifies.
func TestVerifyRefusesCrit(t *testing.T) {
	t.Parallel()
	key := testKey(t, "p384-pkcs8.pem")
	withCrit := func(v any) string {
		h := maps.Clone(guideHeader)
		h["crit"] = v
		return craft(t, jwt.SigningMethodES384, key, h, guideClaims(fixedClock))
	}
	tests := []struct {
		name string
		raw  string
		ok   bool
	}{
		{"no crit", craft(t, jwt.SigningMethodES384, key, guideHeader, guideClaims(fixedClock)), true},
		{`crit ["exp"]`, withCrit([]string{"exp"}), false},
		{`crit ["b64"] (RFC 7797)`, withCrit([]string{"b64"}), false},
		{"crit []", withCrit([]string{}), false},
		{"crit null", withCrit(nil), false},
		{`crit ""`, withCrit(""), false},
		{"crit {}", withCrit(map[string]any{}), false},
		{"crit false", withCrit(false), false},
	}
	for _, tt := range tests {
		for via, verify := range verifiers(&key.PublicKey) {
			t.Run(via+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				claims, err := verify(tt.raw)
				if tt.ok {
					require.NoError(t, err)
					assert.Equal(t, keyARN, claims.KeyID)
					return
				}
				require.Error(t, err)
				assert.ErrorIs(t, err, jwt.ErrTokenUnverifiable)
				assert.Contains(t, err.Error(), `the header has "crit": no critical extension is supported`)
				assert.Equal(t, token.Claims{}, claims)
				assertShowsNoPart(t, err, tt.raw)
			})
		}
	}
}

// The claims' times are in UTC whatever now's location, and now is compared as an instant.
func TestVerifyAtInAnotherZone(t *testing.T) {
	t.Parallel()
	s, key := newSigner(t)
	kolkata := time.FixedZone("IST", 5*60*60+30*60)
	raw := mint(t, s.WithClock(func() time.Time { return fixedClock.In(kolkata) }), token.New().WithDuration(time.Hour))
	claims, err := token.VerifyAt(raw, &key.PublicKey, fixedClock.Add(59*time.Minute).In(kolkata))
	require.NoError(t, err)
	assert.Equal(t, fixedClock, claims.IssuedAt, "UTC (== compares the location)")
	assert.Equal(t, fixedClock.Add(time.Hour), claims.ExpiresAt)
	assert.Equal(t, time.UTC, claims.IssuedAt.Location())
	assert.Equal(t, time.UTC, claims.ExpiresAt.Location())
	_, err = token.VerifyAt(raw, &key.PublicKey, fixedClock.Add(time.Hour).In(kolkata))
	assert.ErrorIs(t, err, jwt.ErrTokenExpired, "at exp, in any zone")
	assert.Contains(t, err.Error(), `"exp" 2026-11-25T13:00:00Z is not after now (2026-11-25T13:00:00Z)`, "times shown in UTC")
}
