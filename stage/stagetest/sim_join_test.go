package stagetest_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// importKey imports a new P-384 public key and returns the private key and the key's ARN.
func (w *world) importKey() (*ecdsa.PrivateKey, string) {
	w.t.Helper()
	key, err := token.GenerateKey()
	require.NoError(w.t, err)
	pemText, err := token.PublicKeyPEM(&key.PublicKey)
	require.NoError(w.t, err)
	out, err := w.client.ImportPublicKey(w.t.Context(), &ivsrealtime.ImportPublicKeyInput{PublicKeyMaterial: aws.String(string(pemText))})
	require.NoError(w.t, err)
	return key, aws.ToString(out.PublicKey.Arn)
}

// claims returns the claims of a valid self-signed token for stageARN issued at the world's clock.
func (w *world) claims(stageARN, jti string) jwt.MapClaims {
	now := w.clock.Now()
	return jwt.MapClaims{
		"exp": now.Add(time.Hour).Unix(), "iat": now.Unix(), "jti": jti,
		"resource": stageARN, "topic": stageARN[strings.LastIndex(stageARN, "/")+1:],
		"events_url": "wss://global.events.live-video.net", "whip_url": "https://abc.global-bm.whip.live-video.net",
		"capabilities": map[string]any{"allow_publish": true, "allow_subscribe": true},
		"user_id":      "self-signed-user", "attributes": map[string]any{"role": "host"}, "version": "1.0",
	}
}

// sign signs claims with key under the given alg, with kid in the header.
func sign(t testing.TB, method jwt.SigningMethod, key any, kid string, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	tok.Header["kid"] = kid
	raw, err := tok.SignedString(key)
	require.NoError(t, err)
	return raw
}

func TestJoinSelfSigned(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	arn := w.stage(nil)
	key, kid := w.importKey()
	raw := sign(t, jwt.SigningMethodES384, key, kid, w.claims(arn, "self-1"))
	pid, err := w.srv.Join(arn, raw)
	require.NoError(t, err)
	assert.Equal(t, "self-1", pid)
	p := w.participant(arn, w.activeSession(arn), pid)
	assert.Equal(t, "self-signed-user", aws.ToString(p.UserId))
	assert.Equal(t, map[string]string{"role": "host"}, p.Attributes)
	assert.Equal(t, types.ParticipantStateConnected, p.State)
	require.NoError(t, w.srv.Publish(arn, pid))
}

// TestJoinTokenSigner joins with tokens minted by the library's token.Signer given the server's clock
// (WithClock(clock.Now)): the fake accepts them at any date the clock reads, until their exp by that clock.
func TestJoinTokenSigner(t *testing.T) {
	t.Parallel()
	for _, start := range []time.Time{
		time.Date(2001, 9, 9, 1, 46, 40, 0, time.UTC),
		t0,
		time.Date(2090, 12, 31, 23, 0, 0, 0, time.UTC),
		time.Date(2040, 6, 1, 12, 0, 0, 0, time.FixedZone("UTC+9", 9*60*60)),
	} {
		t.Run(start.Format(time.RFC3339), func(t *testing.T) {
			t.Parallel()
			clock := stagetest.NewClock(start)
			srv := stagetest.New(stagetest.WithClock(clock.Now))
			w := &world{t: t, srv: srv, client: ivsrealtime.NewFromConfig(srv.Config()), clock: clock}
			key, kid := w.importKey()
			out, err := w.client.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{})
			require.NoError(t, err)
			arn := aws.ToString(out.Stage.Arn)
			signer, err := token.NewSigner(key, kid)
			require.NoError(t, err)
			signer = signer.WithClock(clock.Now)
			tok, err := signer.Mint(token.Target{StageARN: arn, EventsURL: aws.ToString(out.Stage.Endpoints.Events), WhipURL: aws.ToString(out.Stage.Endpoints.Whip)},
				token.New().WithUserID("minted").WithCapabilities(token.Subscribe).WithDuration(time.Hour))
			require.NoError(t, err)
			assert.Equal(t, start.UTC().Add(time.Hour), tok.ExpiresAt)

			pid, err := srv.Join(arn, tok.Value())
			require.NoError(t, err, "accepted at the clock's own date")
			assert.Equal(t, tok.ParticipantID, pid)
			require.ErrorIs(t, srv.Publish(arn, pid), stagetest.ErrNoPublishCapability)

			// A second before exp by the server's clock it joins again; at exp it is refused, naming both.
			require.NoError(t, srv.Leave(arn, pid))
			clock.Advance(time.Hour - time.Second)
			_, err = srv.Join(arn, tok.Value())
			require.NoError(t, err, "a second before exp")
			require.NoError(t, srv.Leave(arn, pid))
			clock.Advance(time.Second)
			_, err = srv.Join(arn, tok.Value())
			require.ErrorIs(t, err, stagetest.ErrTokenExpired)
			exp := start.UTC().Add(time.Hour).Format(time.RFC3339)
			assert.EqualError(t, err, "stagetest: join refused: token expired: exp "+exp+" is the fake's clock "+exp+": a token is valid only before it")
		})
	}
}

// A token refused for its times says which claim, its time and the server's clock, all in UTC, and wraps
// the reason: ErrTokenExpired for exp (a self-signed token) and expirationTime (an API token), and
// ErrTokenNotYetValid for an iat or nbf after the clock. One second on the valid side joins.
func TestJoinRefusalsForTimesNameTheClaimAndTheClock(t *testing.T) {
	t.Parallel()
	const clockText = "2026-03-13T19:44:19Z" // t0
	tests := []struct {
		name string
		edit func(jwt.MapClaims)
		want error  // nil: joins
		says string // the whole error
	}{
		{"iat in 2030", func(c jwt.MapClaims) {
			c["iat"] = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
			c["exp"] = time.Date(2030, 1, 2, 0, 0, 0, 0, time.UTC).Unix()
		}, stagetest.ErrTokenNotYetValid, "stagetest: join refused: token not valid yet: iat 2030-01-01T00:00:00Z is after the fake's clock " + clockText},
		{"iat a second after the clock", func(c jwt.MapClaims) { c["iat"] = t0.Add(time.Second).Unix() },
			stagetest.ErrTokenNotYetValid, "stagetest: join refused: token not valid yet: iat 2026-03-13T19:44:20Z is after the fake's clock " + clockText},
		{"iat at the clock", func(c jwt.MapClaims) { c["iat"] = t0.Unix() }, nil, ""},
		{"nbf a second after the clock", func(c jwt.MapClaims) { c["nbf"] = t0.Add(time.Second).Unix() },
			stagetest.ErrTokenNotYetValid, "stagetest: join refused: token not valid yet: nbf 2026-03-13T19:44:20Z is after the fake's clock " + clockText},
		{"nbf at the clock", func(c jwt.MapClaims) { c["nbf"] = t0.Unix() }, nil, ""},
		{"exp a second before the clock", func(c jwt.MapClaims) {
			c["iat"] = t0.Add(-time.Hour).Unix()
			c["exp"] = t0.Add(-time.Second).Unix()
		}, stagetest.ErrTokenExpired, "stagetest: join refused: token expired: exp 2026-03-13T19:44:18Z is before the fake's clock " + clockText},
		{"exp at the clock", func(c jwt.MapClaims) { c["iat"] = t0.Add(-time.Hour).Unix(); c["exp"] = t0.Unix() },
			stagetest.ErrTokenExpired, "stagetest: join refused: token expired: exp " + clockText + " is the fake's clock " + clockText + ": a token is valid only before it"},
		{"exp a second after the clock", func(c jwt.MapClaims) { c["exp"] = t0.Add(time.Second).Unix() }, nil, ""},
		{"no iat", func(c jwt.MapClaims) { delete(c, "iat") }, stagetest.ErrTokenMalformed, `stagetest: join refused: malformed token: claim "iat" is missing`},
		{"no exp", func(c jwt.MapClaims) { delete(c, "exp") }, stagetest.ErrTokenMalformed, `stagetest: join refused: malformed token: claim "exp" is missing`},
		{"neither", func(c jwt.MapClaims) { delete(c, "exp"); delete(c, "iat") }, stagetest.ErrTokenMalformed,
			`stagetest: join refused: malformed token: claim "iat" is missing; claim "exp" is missing`},
		{"iat a string", func(c jwt.MapClaims) { c["iat"] = "now" }, stagetest.ErrTokenMalformed, `stagetest: join refused: malformed token: claim "iat" must be a number`},
		{"nbf a string", func(c jwt.MapClaims) { c["nbf"] = "now" }, stagetest.ErrTokenMalformed, `stagetest: join refused: malformed token: claim "nbf" must be a number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			arn := w.stage(nil)
			key, kid := w.importKey()
			c := w.claims(arn, "p-1")
			tt.edit(c)
			var pid string
			var err error
			require.NotPanics(t, func() { pid, err = w.srv.Join(arn, sign(t, jwt.SigningMethodES384, key, kid, c)) })
			if tt.want == nil {
				require.NoError(t, err)
				assert.Equal(t, "p-1", pid)
				return
			}
			require.ErrorIs(t, err, tt.want)
			assert.ErrorIs(t, err, stagetest.ErrJoinRefused)
			assert.EqualError(t, err, tt.says)
			assert.Empty(t, pid)
			assert.Empty(t, w.activeSession(arn), "a refused join starts no session")
		})
	}

	// An API token: its expirationTime, by the same clock.
	w := newWorld(t)
	arn := w.stage(nil)
	tok, pid := w.token(arn, "")
	w.clock.Advance(12*time.Hour + time.Second)
	_, err := w.srv.Join(arn, tok)
	require.ErrorIs(t, err, stagetest.ErrTokenExpired)
	assert.EqualError(t, err, "stagetest: join refused: token expired: API token of participant "+pid+
		": expirationTime 2026-03-14T07:44:19Z is before the fake's clock 2026-03-14T07:44:20Z")
}

func TestJoinRefused(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	arn := w.stage(nil)
	other := w.stage(nil)
	key, kid := w.importKey()
	deletedKey, deletedKid := w.importKey()
	_, err := w.client.DeletePublicKey(t.Context(), &ivsrealtime.DeletePublicKeyInput{Arn: aws.String(deletedKid)})
	require.NoError(t, err)
	strangerKey, _ := p384PEM(t)
	p256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	otherTok, _ := w.token(other, "")

	es := func(edit func(jwt.MapClaims)) string {
		c := w.claims(arn, "p-1")
		if edit != nil {
			edit(c)
		}
		return sign(t, jwt.SigningMethodES384, key, kid, c)
	}
	valid := es(nil)
	parts := strings.Split(valid, ".")
	tampered := w.claims(arn, "p-1")
	tampered["user_id"] = "mallory"
	tamperedRaw := strings.Split(sign(t, jwt.SigningMethodES384, strangerKey, kid, tampered), ".")[1]
	noneTok, err := jwt.NewWithClaims(jwt.SigningMethodNone, w.claims(arn, "p-1")).SignedString(jwt.UnsafeAllowNoneSignatureType)
	require.NoError(t, err)

	tests := []struct {
		name  string
		stage string
		token string
		want  error
	}{
		{name: "unknown stage", stage: arn + "x", token: valid, want: stagetest.ErrUnknownStage},
		{name: "empty", token: "", want: stagetest.ErrTokenMalformed},
		{name: "garbage", token: "not a token", want: stagetest.ErrTokenMalformed},
		{name: "three dots", token: "...", want: stagetest.ErrTokenMalformed},
		{name: "two empty segments", token: "a.b.c", want: stagetest.ErrTokenMalformed},
		{name: "header only", token: parts[0] + "..", want: stagetest.ErrTokenMalformed},
		{name: "payload not JSON", token: parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte("{")) + "." + parts[2], want: stagetest.ErrTokenMalformed},
		{name: "binary", token: "\x00\xff.\xfe.\x01", want: stagetest.ErrTokenMalformed},
		{name: "huge", token: strings.Repeat("A", 1<<16) + ".." + strings.Repeat("B", 10), want: stagetest.ErrTokenMalformed},
		{name: "an opaque token the server never issued", token: "eyJhbGciOiJLTVMiLCJ0eXAiOiJKV1QifQ.e30.c2ln", want: stagetest.ErrTokenMalformed},
		{name: "signed by another key (forged)", token: sign(t, jwt.SigningMethodES384, strangerKey, kid, w.claims(arn, "p-1")), want: stagetest.ErrTokenSignature},
		{name: "tampered payload", token: parts[0] + "." + tamperedRaw + "." + parts[2], want: stagetest.ErrTokenSignature},
		{name: "signature cut", token: parts[0] + "." + parts[1] + ".", want: stagetest.ErrTokenSignature},
		{name: "alg none", token: noneTok, want: stagetest.ErrTokenSignature},
		{name: "alg HS384", token: sign(t, jwt.SigningMethodHS384, []byte("secret"), kid, w.claims(arn, "p-1")), want: stagetest.ErrTokenSignature},
		{name: "alg ES256", token: sign(t, jwt.SigningMethodES256, p256, kid, w.claims(arn, "p-1")), want: stagetest.ErrTokenSignature},
		{name: "key never imported", token: sign(t, jwt.SigningMethodES384, strangerKey, keyARN("NeverImported"), w.claims(arn, "p-1")), want: stagetest.ErrUnknownKey},
		{name: "key deleted", token: sign(t, jwt.SigningMethodES384, deletedKey, deletedKid, w.claims(arn, "p-1")), want: stagetest.ErrUnknownKey},
		{name: "no kid", token: sign(t, jwt.SigningMethodES384, key, "", w.claims(arn, "p-1")), want: stagetest.ErrUnknownKey},
		{name: "expired at the clock's now", token: es(func(c jwt.MapClaims) { c["exp"] = t0.Unix() }), want: stagetest.ErrTokenExpired},
		{name: "no exp", token: es(func(c jwt.MapClaims) { delete(c, "exp") }), want: stagetest.ErrTokenMalformed},
		{name: "iat in the future", token: es(func(c jwt.MapClaims) { c["iat"] = t0.Add(time.Second).Unix() }), want: stagetest.ErrTokenNotYetValid},
		{name: "no iat", token: es(func(c jwt.MapClaims) { delete(c, "iat") }), want: stagetest.ErrTokenMalformed},
		{name: "lifetime 14 days + 1 s", token: es(func(c jwt.MapClaims) { c["exp"] = t0.Add(14*24*time.Hour + time.Second).Unix() }), want: stagetest.ErrTokenMalformed},
		{name: "topic of another stage", token: es(func(c jwt.MapClaims) { c["topic"] = "Other" }), want: stagetest.ErrWrongStage},
		{name: "resource of another stage", token: es(func(c jwt.MapClaims) { c["resource"] = other }), want: stagetest.ErrWrongStage},
		{name: "valid token, other stage", stage: other, token: valid, want: stagetest.ErrWrongStage},
		{name: "API token of another stage", token: otherTok, want: stagetest.ErrWrongStage},
		{name: "no jti", token: es(func(c jwt.MapClaims) { delete(c, "jti") }), want: stagetest.ErrTokenMalformed},
		{name: "jti with a dot", token: es(func(c jwt.MapClaims) { c["jti"] = "a.b" }), want: stagetest.ErrTokenMalformed},
		{name: "jti of 65 characters", token: es(func(c jwt.MapClaims) { c["jti"] = strings.Repeat("j", 65) }), want: stagetest.ErrTokenMalformed},
		{name: "version 2.0", token: es(func(c jwt.MapClaims) { c["version"] = "2.0" }), want: stagetest.ErrTokenMalformed},
		{name: "no capabilities", token: es(func(c jwt.MapClaims) { delete(c, "capabilities") }), want: stagetest.ErrTokenMalformed},
		{name: "attributes not strings", token: es(func(c jwt.MapClaims) { c["attributes"] = map[string]any{"n": 1} }), want: stagetest.ErrTokenMalformed},
		{name: "attributes over 1 KB", token: es(func(c jwt.MapClaims) { c["attributes"] = map[string]any{"k": strings.Repeat("v", 1024)} }), want: stagetest.ErrTokenMalformed},
		{name: "user_id of 129 characters", token: es(func(c jwt.MapClaims) { c["user_id"] = strings.Repeat("é", 129) }), want: stagetest.ErrTokenMalformed},
		{name: "user_id a number", token: es(func(c jwt.MapClaims) { c["user_id"] = 7 }), want: stagetest.ErrTokenMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stageARN := arn
			if tt.stage != "" {
				stageARN = tt.stage
			}
			var pid string
			var err error
			require.NotPanics(t, func() { pid, err = w.srv.Join(stageARN, tt.token) })
			require.ErrorIs(t, err, tt.want)
			if tt.want != stagetest.ErrUnknownStage {
				assert.ErrorIs(t, err, stagetest.ErrJoinRefused)
			}
			assert.Empty(t, pid)
			if len(tt.token) > 20 {
				assert.NotContains(t, err.Error(), tt.token, "the error never holds the token")
			}
		})
	}
	assert.Empty(t, w.activeSession(arn), "no refused join started a session")

	// The boundaries on the valid side join.
	for name, edit := range map[string]func(jwt.MapClaims){
		"expires 1 s after the clock": func(c jwt.MapClaims) { c["exp"] = t0.Add(time.Second).Unix() },
		"lifetime exactly 14 days":    func(c jwt.MapClaims) { c["exp"] = t0.Add(14 * 24 * time.Hour).Unix() },
		"jti of 64 characters with _": func(c jwt.MapClaims) { c["jti"] = strings.Repeat("j_", 32) },
		"attributes of exactly 1 KB":  func(c jwt.MapClaims) { c["attributes"] = map[string]any{"k": strings.Repeat("v", 1023)} },
		"user_id of 128 characters":   func(c jwt.MapClaims) { c["user_id"] = strings.Repeat("é", 128) },
		"no user_id nor attributes":   func(c jwt.MapClaims) { delete(c, "user_id"); delete(c, "attributes") },
	} {
		c := w.claims(arn, "")
		c["jti"] = "edge" + strings.ReplaceAll(strings.ReplaceAll(name, " ", "-"), "_", "")[:10]
		edit(c)
		_, err := w.srv.Join(arn, sign(t, jwt.SigningMethodES384, key, kid, c))
		assert.NoError(t, err, name)
	}
}

func TestJoinAPITokenExpiry(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	arn := w.stage(nil)
	out, err := w.client.CreateParticipantToken(t.Context(), &ivsrealtime.CreateParticipantTokenInput{StageArn: aws.String(arn), Duration: aws.Int32(1)})
	require.NoError(t, err)
	tok, pid := aws.ToString(out.ParticipantToken.Token), aws.ToString(out.ParticipantToken.ParticipantId)

	w.clock.Advance(59 * time.Second)
	got, err := w.srv.Join(arn, tok)
	require.NoError(t, err, "valid until its expiration time")
	require.Equal(t, pid, got)
	require.NoError(t, w.srv.Leave(arn, pid))
	// The session ended with the leave; a join after expiry is refused and starts nothing.
	w.clock.Advance(time.Second)
	_, err = w.srv.Join(arn, tok)
	require.ErrorIs(t, err, stagetest.ErrTokenExpired)
	assert.Empty(t, w.activeSession(arn))
}

func TestJoinTwice(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	arn := w.stage(nil)
	tok, pid := w.token(arn, "")
	_, err := w.srv.Join(arn, tok)
	require.NoError(t, err)
	sess := w.activeSession(arn)
	_, err = w.srv.Join(arn, tok)
	require.ErrorIs(t, err, stagetest.ErrAlreadyConnected)
	require.ErrorIs(t, err, stagetest.ErrJoinRefused)
	assert.Equal(t, []string{"JOINED", "JOIN_ERROR:INVALID_INPUT"}, w.eventNames(arn, sess, pid))

	// After leaving, the same token joins again: same participant, same first join time.
	w.clock.Advance(time.Second)
	w.join(arn, "") // keeps the session alive
	require.NoError(t, w.srv.Leave(arn, pid))
	_, err = w.srv.Join(arn, tok)
	require.NoError(t, err)
	assert.Equal(t, []string{"JOINED", "JOIN_ERROR:INVALID_INPUT", "LEFT", "JOINED"}, w.eventNames(arn, sess, pid))
	assert.Equal(t, t0, aws.ToTime(w.participant(arn, sess, pid).FirstJoinTime))
	assert.Len(t, w.participants(arn, sess, nil), 2)
}

func TestSimulationVerbsRefuse(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	arn := w.stage(nil)
	pub := w.join(arn, "")
	viewer := w.join(arn, "", subscribeOnly...)
	gone := w.join(arn, "")
	require.NoError(t, w.srv.Leave(arn, gone))
	for i := range stagetest.MaxPublishers - 1 {
		require.NoError(t, w.srv.Publish(arn, w.join(arn, "")), i)
	}
	tests := []struct {
		name string
		call func() error
		want error
	}{
		{"publish on an unknown stage", func() error { return w.srv.Publish(arn+"x", pub) }, stagetest.ErrUnknownStage},
		{"publish of an unknown participant", func() error { return w.srv.Publish(arn, "nobody") }, stagetest.ErrUnknownParticipant},
		{"publish while disconnected", func() error { return w.srv.Publish(arn, gone) }, stagetest.ErrNotConnected},
		{"publish without PUBLISH", func() error { return w.srv.Publish(arn, viewer) }, stagetest.ErrNoPublishCapability},
		{"unpublish when not publishing", func() error { return w.srv.Unpublish(arn, pub) }, stagetest.ErrNotPublishing},
		{"unpublish on an unknown stage", func() error { return w.srv.Unpublish(arn+"x", pub) }, stagetest.ErrUnknownStage},
		{"leave twice", func() error { return w.srv.Leave(arn, gone) }, stagetest.ErrNotConnected},
		{"leave of an unknown participant", func() error { return w.srv.Leave(arn, "nobody") }, stagetest.ErrUnknownParticipant},
		{"the 12th publisher works", func() error { return w.srv.Publish(arn, pub) }, nil},
		{"publish twice", func() error { return w.srv.Publish(arn, pub) }, stagetest.ErrAlreadyPublishing},
		{"a 13th publisher", func() error { return w.srv.Publish(arn, w.join(arn, "")) }, stagetest.ErrPublisherQuota},
	}
	for _, tt := range tests {
		err := tt.call()
		if tt.want == nil {
			assert.NoError(t, err, tt.name)
			continue
		}
		assert.ErrorIs(t, err, tt.want, tt.name)
	}
}

// A self-signed token without a mandatory claim is malformed, whichever claim is missing; it is not taken
// for a token of another stage (a missing "resource" or "topic" would otherwise compare as "" ≠ the stage).
// Catches: the "required && !present" half of selfSignedGrant's claim check dropped.
func TestJoinRefusesMissingMandatoryClaims(t *testing.T) {
	t.Parallel()
	for _, claim := range []string{"resource", "topic", "jti", "version"} {
		t.Run(claim, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			arn := w.stage(nil)
			key, kid := w.importKey()
			c := w.claims(arn, "p-1")
			delete(c, claim)
			pid, err := w.srv.Join(arn, sign(t, jwt.SigningMethodES384, key, kid, c))
			require.ErrorIs(t, err, stagetest.ErrJoinRefused)
			assert.ErrorIs(t, err, stagetest.ErrTokenMalformed)
			assert.NotErrorIs(t, err, stagetest.ErrWrongStage)
			assert.Contains(t, err.Error(), `claim "`+claim+`"`)
			assert.Empty(t, pid)
			assert.Empty(t, w.activeSession(arn), "a refused join starts no session")
		})
	}
}

// A participant the active session knows, refused because its self-signed token has expired, gets a
// JOIN_ERROR (INVALID_INPUT) like any other refused join of a known participant.
// Catches: the expired self-signed token's refusal returning no participant ID (no JOIN_ERROR recorded).
func TestJoinExpiredSelfSignedTokenRecordsJoinError(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	arn := w.stage(nil)
	w.join(arn, "host") // keeps the session active while p-1 is away
	sess := w.activeSession(arn)
	key, kid := w.importKey()
	raw := sign(t, jwt.SigningMethodES384, key, kid, w.claims(arn, "p-1")) // exp: an hour from now
	pid, err := w.srv.Join(arn, raw)
	require.NoError(t, err)
	require.NoError(t, w.srv.Leave(arn, pid))

	w.clock.Advance(time.Hour + time.Second) // past exp
	_, err = w.srv.Join(arn, raw)
	require.ErrorIs(t, err, stagetest.ErrTokenExpired)
	assert.Equal(t, []string{"JOINED", "LEFT", "JOIN_ERROR:INVALID_INPUT"}, w.eventNames(arn, sess, pid))
}

// A former replica that joins in its own right is an ordinary participant: replicationType NONE and no
// replicationState (the member is omitted, as for a participant never replicated).
// Catches: Join resetting a former replica's replicationState to STOPPED instead of "".
func TestFormerReplicaHasNoReplicationState(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	src, dst := w.stage(nil), w.stage(nil)
	key, kid := w.importKey()
	const pid = "shared-1"
	_, err := w.srv.Join(src, sign(t, jwt.SigningMethodES384, key, kid, w.claims(src, pid)))
	require.NoError(t, err)
	require.NoError(t, w.startReplication(src, dst, pid))
	w.join(dst, "") // keeps the destination's session
	dstSess := w.activeSession(dst)
	require.NoError(t, w.stopReplication(src, dst, pid))
	require.Equal(t, types.ReplicationStateStopped, w.participant(dst, dstSess, pid).ReplicationState, "precondition: the replica stopped")

	_, err = w.srv.Join(dst, sign(t, jwt.SigningMethodES384, key, kid, w.claims(dst, pid)))
	require.NoError(t, err)
	p := w.participant(dst, dstSess, pid)
	assert.Equal(t, types.ReplicationTypeNone, p.ReplicationType)
	assert.Empty(t, p.ReplicationState)
	var summary *types.ParticipantSummary
	for _, s := range w.participants(dst, dstSess, nil) {
		if aws.ToString(s.ParticipantId) == pid {
			summary = &s
		}
	}
	require.NotNil(t, summary)
	assert.Empty(t, summary.ReplicationState)
}
