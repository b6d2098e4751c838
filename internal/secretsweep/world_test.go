package secretsweep_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// Groups of producers.
const (
	gTokens   = "tokens (fmt, slog, containers)"
	gSigners  = "signers"
	gNewSign  = "NewSigner errors"
	gParse    = "ParseSigner (valid and broken PEM)"
	gMint     = "Mint errors"
	gVerify   = "Verify errors and claims"
	gService  = "service errors (stagetest)"
	gMany     = "CreateMany partial results"
	gConfigs  = "configs and stages"
	gJSON     = "Token.UnmarshalJSON errors"
	gMisplace = "misplaced secrets (input echo)"
)

const storageARN = "arn:aws:ivs:us-east-1:123456789012:storage-configuration/AbCdEfGhIjKl"

var noLimit = token.WithRate(math.Inf(1), 1)

// world is what the sweep runs against: a fake service with a stage, keys, signers and tokens.
type world struct {
	ctx    context.Context
	srv    *stagetest.Server
	stages *stage.Client
	tokens *token.Client
	st     stage.Stage
	target token.Target

	keyA, keyB *ecdsa.PrivateKey // P-384; A is the signing key, B the "wrong" one
	p256, p521 *ecdsa.PrivateKey
	rsaKey     *rsa.PrivateKey
	arnA, arnB string
	signerA    *token.Signer
	minted     token.Token // minted by signerA, with user ID and attributes

	pemA8, pemA1           []byte // key A: PKCS#8, SEC1
	pem256_8, pem256_1     []byte
	pem521_8, pem521_1     []byte
	pemRSA8, pemRSA1       []byte
	pubPEMA, ecParamsBlock []byte
	apiToken               token.Token // a token issued by the fake (opaque KMS JWT)
}

func newWorld(t *testing.T, s *sweep) *world {
	w := &world{ctx: t.Context(), srv: stagetest.New()}
	cfg := w.srv.Config()
	w.stages = stage.NewClientFromConfig(cfg)
	w.tokens = token.NewClientFromConfig(cfg)

	var err error
	w.keyA, err = token.GenerateKey()
	require.NoError(t, err)
	w.keyB, err = token.GenerateKey()
	require.NoError(t, err)
	w.p256, w.p521 = ecKey(t, elliptic.P256()), ecKey(t, elliptic.P521())
	w.rsaKey, err = rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	w.pemA8, w.pemA1 = s.secrets.ecKey("key A (P-384)", w.keyA)
	s.secrets.ecKey("key B (P-384)", w.keyB)
	w.pem256_8, w.pem256_1 = s.secrets.ecKey("P-256 key", w.p256)
	w.pem521_8, w.pem521_1 = s.secrets.ecKey("P-521 key", w.p521)
	w.pemRSA8, w.pemRSA1 = s.secrets.rsaKey("RSA key", w.rsaKey)
	w.pubPEMA, err = token.PublicKeyPEM(&w.keyA.PublicKey)
	require.NoError(t, err)
	w.ecParamsBlock = pem.EncodeToMemory(&pem.Block{Type: "EC PARAMETERS", Bytes: []byte{0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22}})

	w.arnA, err = w.tokens.ImportPublicKey(w.ctx, "sweep-a", &w.keyA.PublicKey)
	require.NoError(t, err)
	w.arnB, err = w.tokens.ImportPublicKey(w.ctx, "sweep-b", &w.keyB.PublicKey)
	require.NoError(t, err)
	w.signerA, err = token.NewSigner(w.keyA, w.arnA)
	require.NoError(t, err)
	return w
}

// TestSecretsSweep renders every output the library produces on its error, format and log paths and checks
// that none shows a participant token's bearer string or private key material.
func TestSecretsSweep(t *testing.T) {
	s := &sweep{t: t}
	w := newWorld(t, s)
	w.sourceTokens(t, s)
	w.signers(t, s)
	w.newSignerErrors(s)
	w.parseSigner(s)
	w.mintErrors(s)
	w.verify(t, s)
	w.verifyWithKeys(t, s)
	w.privateKeyPEM(t, s)
	w.serviceErrors(t, s)
	w.cutAnswers(t, s)
	w.createMany(t, s)
	w.configs(t, s)
	w.unmarshalJSON(t, s)
	w.recordedSession(t, s)
	w.ingests(t, s)
	require.False(t, t.Failed(), "building the sweep failed")

	res := s.run()
	res.logCounts(t, len(s.secrets.list))
	var known map[string][]leak
	res.leaks, known = splitKnown(res.leaks, findings)
	res.report(t)
	reportFindings(t, known)
	// The documented limits do show secrets: the checker sees the real secrets in real outputs.
	require.True(t, res.limited["stage.Create token[0] | Value()"], "the checker missed a bearer string in Value()")
	require.True(t, res.limited["Mint token | MarshalJSON()"], "the checker missed a bearer string in MarshalJSON")
	require.True(t, res.limited["PrivateKeyPEM(key A)"], "the checker missed the key in PrivateKeyPEM's output")
	require.True(t, res.limited["GetIngest | StreamKey()"], "the checker missed a stream key in StreamKey()")
}

// sourceTokens creates tokens every way (stage.Client.Create, token.Client.Create, CreateMany, Mint) and
// adds them.
func (w *world) sourceTokens(t *testing.T, s *sweep) {
	var toks []token.Token
	var err error
	w.st, toks, err = w.stages.Create(w.ctx, stage.New().WithName("sweep").WithTag("team", "a").WithParticipants(
		token.New().WithUserID("alice").WithAttribute("role", "host"),
		token.New().WithCapabilities(token.Subscribe).WithDuration(time.Hour),
		token.New()))
	require.NoError(t, err)
	require.Len(t, toks, 3)
	w.target = w.st.TokenTarget()
	for i, tok := range toks {
		s.token(gTokens, fmt.Sprintf("stage.Create token[%d]", i), tok)
	}
	s.value(gTokens, "stage.Create tokens []token.Token", toks, map[string]string{"json.Marshal": limitMarshalJSON, "slog JSON": limitSlogJSON})

	w.apiToken, err = w.tokens.Create(w.ctx, w.st.ARN, token.New().WithUserID("bob").WithDuration(2*time.Hour))
	require.NoError(t, err)
	s.token(gTokens, "token.Create token", w.apiToken)

	many, err := w.tokens.CreateMany(w.ctx, w.st.ARN, []token.Config{token.New().WithUserID("u0"), token.New(), token.New().WithAttribute("k", "v")}, noLimit)
	require.NoError(t, err)
	for i, tok := range many {
		s.token(gTokens, fmt.Sprintf("CreateMany token[%d]", i), tok)
	}

	w.minted, err = w.signerA.Mint(w.target, token.New().WithUserID("carol").WithAttribute("seat", "1"))
	require.NoError(t, err)
	s.token(gTokens, "Mint token", w.minted)
	bare, err := w.signerA.Mint(w.target, token.New())
	require.NoError(t, err)
	s.token(gTokens, "Mint token (no user)", bare)
}

// signers adds Signers built every way.
func (w *world) signers(t *testing.T, s *sweep) {
	s.signer(gSigners, "NewSigner(key A)", w.signerA)
	for _, c := range []struct {
		name string
		pem  []byte
	}{
		{"ParseSigner(PKCS#8)", w.pemA8},
		{"ParseSigner(SEC1)", w.pemA1},
		{"ParseSigner(EC PARAMETERS + SEC1)", append(bytes.Clone(w.ecParamsBlock), w.pemA1...)},
	} {
		sg, err := token.ParseSigner(c.pem, w.arnA)
		require.NoError(t, err, c.name)
		s.signer(gSigners, c.name, sg)
		tok, err := sg.Mint(w.target, token.New().WithUserID("dave"))
		require.NoError(t, err)
		s.token(gTokens, "Mint token via "+c.name, tok)
	}
	var zero token.Signer
	s.value(gSigners, "zero Signer", &zero, nil)
}

// newSignerErrors adds NewSigner's errors for every kind of bad key.
func (w *world) newSignerErrors(s *sweep) {
	mismatched := *w.keyA
	mismatched.PublicKey = w.keyB.PublicKey
	offCurve := *w.keyA
	offCurve.PublicKey.Curve = elliptic.P256()
	for _, c := range []struct {
		name string
		key  *ecdsa.PrivateKey
		arn  string
	}{
		{"nil key", nil, w.arnA},
		{"zero key", &ecdsa.PrivateKey{}, w.arnA},
		{"P-256 key", w.p256, w.arnA},
		{"P-521 key", w.p521, w.arnA},
		{"key A with key B's PublicKey", &mismatched, w.arnA},
		{"key A with a P-256 curve", &offCurve, w.arnA},
		{"key A, empty ARN", w.keyA, ""},
		{"key A, stage ARN", w.keyA, w.st.ARN},
		{"key A, garbage ARN", w.keyA, "not an arn"},
		{"P-521 key, garbage ARN", w.p521, "arn:aws:ivs:us-east-1:123456789012:public-key/"},
	} {
		_, err := token.NewSigner(c.key, c.arn)
		s.err(gNewSign, "NewSigner("+c.name+")", err)
	}
}

// parseSigner adds ParseSigner's outcome for valid and broken PEM built from real keys.
func (w *world) parseSigner(s *sweep) {
	lines := strings.Split(strings.TrimSuffix(string(w.pemA1), "\n"), "\n") // BEGIN, body…, END
	body := lines[1 : len(lines)-1]
	join := func(ls ...[]string) []byte {
		var all []string
		for _, l := range ls {
			all = append(all, l...)
		}
		return []byte(strings.Join(all, "\n") + "\n")
	}
	block := func(typ string, der []byte) []byte { return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}) }
	derOf := func(p []byte) []byte { b, _ := pem.Decode(p); return b.Bytes }
	flipped := bytes.Clone(w.pemA1)
	i := bytes.IndexByte(flipped, '\n') + 20
	flipped[i] = map[bool]byte{true: 'B', false: 'A'}[flipped[i] == 'A']
	encrypted := []byte(lines[0] + "\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00112233445566778899AABBCCDDEEFF\n\n" +
		strings.Join(body, "\n") + "\n" + lines[len(lines)-1] + "\n")
	d, _ := scalarBytes(w.keyA)

	cases := []struct {
		name string
		pem  []byte
		arn  string
	}{
		{"PKCS#8", w.pemA8, w.arnA},
		{"SEC1", w.pemA1, w.arnA},
		{"empty", nil, w.arnA},
		{"whitespace", []byte(" \n\t"), w.arnA},
		{"PKCS#8 cut in half", w.pemA8[:len(w.pemA8)/2], w.arnA},
		{"SEC1 cut in half", w.pemA1[:len(w.pemA1)/2], w.arnA},
		{"SEC1 without END line", join(lines[:len(lines)-1]), w.arnA},
		{"SEC1 without last body line", join(lines[:len(lines)-2], lines[len(lines)-1:]), w.arnA},
		{"SEC1 without first body line", join(lines[:1], lines[2:]), w.arnA},
		{"SEC1 body character changed", flipped, w.arnA},
		{"garbage line after header", join(lines[:1], []string{"this is not base64 !!"}, lines[1:]), w.arnA},
		{"garbage after BEGIN marker", join([]string{lines[0] + "garbage"}, lines[1:]), w.arnA},
		{"garbage glued to first body line", join(lines[:1], []string{"%%" + body[0]}, body[1:], lines[len(lines)-1:]), w.arnA},
		{"text before the block", append([]byte("my key:\n"), w.pemA1...), w.arnA},
		{"garbage after the block", append(bytes.Clone(w.pemA1), "\ngarbage"...), w.arnA},
		{"Proc-Type ENCRYPTED headers", encrypted, w.arnA},
		{"ENCRYPTED PRIVATE KEY block", block("ENCRYPTED PRIVATE KEY", derOf(w.pemA8)), w.arnA},
		{"P-256 PKCS#8", w.pem256_8, w.arnA},
		{"P-256 SEC1", w.pem256_1, w.arnA},
		{"P-521 PKCS#8", w.pem521_8, w.arnA},
		{"P-521 SEC1", w.pem521_1, w.arnA},
		{"RSA PKCS#8", w.pemRSA8, w.arnA},
		{"RSA PKCS#1", w.pemRSA1, w.arnA},
		{"RSA PKCS#1 as EC PRIVATE KEY", block("EC PRIVATE KEY", derOf(w.pemRSA1)), w.arnA},
		{"public key PEM", w.pubPEMA, w.arnA},
		{"public key DER as PRIVATE KEY", block("PRIVATE KEY", derOf(w.pubPEMA)), w.arnA},
		{"public key DER as EC PRIVATE KEY", block("EC PRIVATE KEY", derOf(w.pubPEMA)), w.arnA},
		{"SEC1 DER as PRIVATE KEY", block("PRIVATE KEY", derOf(w.pemA1)), w.arnA},
		{"PKCS#8 DER as EC PRIVATE KEY", block("EC PRIVATE KEY", derOf(w.pemA8)), w.arnA},
		{"raw scalar as EC PRIVATE KEY", block("EC PRIVATE KEY", d), w.arnA},
		{"two blocks: P-256 then key A", append(bytes.Clone(w.pem256_1), w.pemA1...), w.arnA},
		{"two blocks: key A then P-256", append(bytes.Clone(w.pemA1), w.pem256_1...), w.arnA},
		{"two blocks: RSA then key A", append(bytes.Clone(w.pemRSA1), w.pemA8...), w.arnA},
		{"EC PARAMETERS only", w.ecParamsBlock, w.arnA},
		{"DER, no PEM", derOf(w.pemA1), w.arnA},
		{"base64 body, no armor", []byte(strings.Join(body, "\n")), w.arnA},
		{"CRLF line endings", bytes.ReplaceAll(w.pemA1, []byte("\n"), []byte("\r\n")), w.arnA},
		{`literal \n escapes (env var)`, bytes.ReplaceAll(w.pemA1, []byte("\n"), []byte(`\n`)), w.arnA},
		{"lower-case block type", bytes.ReplaceAll(w.pemA1, []byte("EC PRIVATE KEY"), []byte("ec private key")), w.arnA},
		{"unknown block type", bytes.ReplaceAll(w.pemA1, []byte("EC PRIVATE KEY"), []byte("OPENSSH PRIVATE KEY")), w.arnA},
		{"SEC1, empty ARN", w.pemA1, ""},
		{"SEC1, stage ARN", w.pemA1, w.st.ARN},
		{"P-521 SEC1, garbage ARN", w.pem521_1, "garbage"},
		{"cut PEM, empty ARN", w.pemA8[:len(w.pemA8)/2], ""},
	}
	for _, c := range cases {
		sg, err := token.ParseSigner(c.pem, c.arn)
		if err == nil {
			s.signer(gParse, "ParseSigner("+c.name+") (accepted)", sg)
			continue
		}
		s.err(gParse, "ParseSigner("+c.name+")", err)
	}
	_, err := token.PublicKeyPEM(&w.p256.PublicKey)
	s.err(gParse, "PublicKeyPEM(P-256)", err)
	_, err = token.PublicKeyPEM(nil)
	s.err(gParse, "PublicKeyPEM(nil)", err)
}

// mintErrors adds Mint's errors.
func (w *world) mintErrors(s *sweep) {
	var nilSigner *token.Signer
	_, err := nilSigner.Mint(w.target, token.New())
	s.err(gMint, "Mint on nil *Signer", err)
	_, err = (&token.Signer{}).Mint(w.target, token.New())
	s.err(gMint, "Mint on zero Signer", err)
	bad := []struct {
		name   string
		target token.Target
		cfg    token.Config
	}{
		{"zero target", token.Target{}, token.New()},
		{"http events URL", token.Target{StageARN: w.target.StageARN, EventsURL: "http://x", WhipURL: w.target.WhipURL}, token.New()},
		{"bad stage ARN", token.Target{StageARN: "arn:aws:ivs:us-east-1:1:stage/", EventsURL: w.target.EventsURL, WhipURL: w.target.WhipURL}, token.New()},
		{"duration too long", w.target, token.New().WithDuration(15 * 24 * time.Hour)},
		{"no capabilities", w.target, token.New().WithCapabilities()},
		{"user ID too long", w.target, token.New().WithUserID(strings.Repeat("u", 200))},
		{"attributes too big", w.target, token.New().WithAttribute("k", strings.Repeat("v", 2000))},
		{"everything wrong", token.Target{WhipURL: "ftp://x"}, token.New().WithDuration(time.Second).WithCapabilities("ADMIN")},
	}
	for _, c := range bad {
		_, err := w.signerA.Mint(c.target, c.cfg)
		s.err(gMint, "Mint("+c.name+")", err)
	}
}

// verify adds Verify's errors on tampered, expired, wrong-key, truncated and re-signed tokens, and the
// claims of a valid one.
func (w *world) verify(t *testing.T, s *sweep) {
	raw := w.minted.Value()
	pubA := &w.keyA.PublicKey
	claims, err := token.Verify(raw, pubA)
	require.NoError(t, err)
	s.value(gVerify, "Claims", claims, nil)
	s.value(gVerify, "*Claims", &claims, nil)
	s.value(gVerify, "Claims.Target()", claims.Target(), nil)

	parts := strings.Split(raw, ".")
	flip := func(seg string, i int) string {
		b := []byte(seg)
		b[i] = map[bool]byte{true: 'B', false: 'A'}[b[i] == 'A']
		return string(b)
	}
	now := time.Now().Unix()
	// Each edit is re-signed with key A unless the case says otherwise.
	edit := func(f func(h, c map[string]any)) string { return resign(t, raw, jwt.SigningMethodES384, w.keyA, f) }
	cases := []struct {
		name string
		raw  string
		pub  *ecdsa.PublicKey
	}{
		{"payload tampered", parts[0] + "." + flip(parts[1], 40) + "." + parts[2], pubA},
		{"signature tampered", parts[0] + "." + parts[1] + "." + flip(parts[2], 10), pubA},
		{"header tampered", flip(parts[0], 5) + "." + parts[1] + "." + parts[2], pubA},
		{"payload of another token", parts[0] + "." + strings.Split(w.apiToken.Value(), ".")[1] + "." + parts[2], pubA},
		{"wrong key", raw, &w.keyB.PublicKey},
		{"P-256 public key", raw, &w.p256.PublicKey},
		{"nil public key", raw, nil},
		{"truncated by 10", raw[:len(raw)-10], pubA},
		{"truncated in half", raw[:len(raw)/2], pubA},
		{"no signature", parts[0] + "." + parts[1] + ".", pubA},
		{"two segments", parts[0] + "." + parts[1], pubA},
		{"header only", parts[0], pubA},
		{"empty", "", pubA},
		{"Bearer prefix", "Bearer " + raw, pubA},
		// Accepted: jwt/v5 decodes segments with encoding/base64, which skips '\r' and '\n'.
		{"trailing newline", raw + "\n", pubA},
		{"CRLF inside the signature", parts[0] + "." + parts[1] + "." + parts[2][:10] + "\r\n" + parts[2][10:], pubA},
		{"four segments", raw + ".x", pubA},
		{"Token JSON instead of JWT", string(must(w.minted.MarshalJSON())), pubA},
		{"service (KMS) token", w.apiToken.Value(), pubA},
		{"expired", edit(func(_, c map[string]any) { c["iat"], c["exp"] = now-7200, now-3600 }), pubA},
		{"issued in the future", edit(func(_, c map[string]any) { c["iat"], c["exp"] = now+7200, now+9000 }), pubA},
		{"exp before iat", edit(func(_, c map[string]any) { c["exp"] = now - 10 }), pubA},
		{"lifetime over 14 days", edit(func(_, c map[string]any) { c["exp"] = now + 30*86400 }), pubA},
		{"exp a string", edit(func(_, c map[string]any) { c["exp"] = "tomorrow" }), pubA},
		{"exp a float", edit(func(_, c map[string]any) { c["exp"] = 1.5 }), pubA},
		{"claims missing", edit(func(_, c map[string]any) { clear(c) }), pubA},
		{"version wrong", edit(func(_, c map[string]any) { c["version"] = "2.0" }), pubA},
		{"jti invalid", edit(func(_, c map[string]any) { c["jti"] = "no spaces allowed" }), pubA},
		{"resource not a stage", edit(func(_, c map[string]any) { c["resource"] = w.arnA }), pubA},
		{"topic mismatch", edit(func(_, c map[string]any) { c["topic"] = "other" }), pubA},
		{"events_url http", edit(func(_, c map[string]any) { c["events_url"] = "http://x" }), pubA},
		{"capabilities half", edit(func(_, c map[string]any) { c["capabilities"] = map[string]any{"allow_publish": true} }), pubA},
		{"user_id too long", edit(func(_, c map[string]any) { c["user_id"] = strings.Repeat("u", 200) }), pubA},
		{"attributes too big", edit(func(_, c map[string]any) { c["attributes"] = map[string]any{"k": strings.Repeat("v", 2000)} }), pubA},
		{"kid missing", edit(func(h, _ map[string]any) { delete(h, "kid") }), pubA},
		{"kid not an ARN", edit(func(h, _ map[string]any) { h["kid"] = "key-a" }), pubA},
		{"typ missing", edit(func(h, _ map[string]any) { delete(h, "typ") }), pubA},
		{"re-signed with key B", resign(t, raw, jwt.SigningMethodES384, w.keyB, nil), pubA},
		{"re-signed with key B, claims edited", resign(t, raw, jwt.SigningMethodES384, w.keyB, func(_, c map[string]any) { c["user_id"] = "mallory" }), pubA},
		{"re-signed ES256 with P-256", resign(t, raw, jwt.SigningMethodES256, w.p256, nil), pubA},
		{"re-signed ES512 with P-521", resign(t, raw, jwt.SigningMethodES512, w.p521, nil), pubA},
		{"re-signed HS384 with the public PEM", resign(t, raw, jwt.SigningMethodHS384, w.pubPEMA, nil), pubA},
		{"re-signed RS384 with RSA", resign(t, raw, jwt.SigningMethodRS384, w.rsaKey, nil), pubA},
		{"alg none", resign(t, raw, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, nil), pubA},
	}
	for _, c := range cases {
		got, err := token.Verify(c.raw, c.pub)
		if err == nil && strings.ContainsAny(c.raw, "\r\n") {
			s.value(gVerify, "Verify("+c.name+") (accepted)", got, nil)
			continue
		}
		s.err(gVerify, "Verify("+c.name+")", err)
		require.Zero(t, got, c.name)
	}
}

// fault is an error the fake answers with, queued with FailNext as many times as given.
type fault struct {
	status int
	code   string
	times  int
}

var faults = []fault{
	{http.StatusBadRequest, "ValidationException", 1},
	{http.StatusForbidden, "AccessDeniedException", 1},
	{http.StatusNotFound, "ResourceNotFoundException", 1},
	{http.StatusConflict, "ConflictException", 1},
	{http.StatusPaymentRequired, "ServiceQuotaExceededException", 1},
	{http.StatusTooManyRequests, "ThrottlingException", stagetest.RetryMaxAttempts},
	{http.StatusInternalServerError, "InternalServerException", stagetest.RetryMaxAttempts},
	{http.StatusServiceUnavailable, "", stagetest.RetryMaxAttempts},
	{http.StatusTeapot, "PendingVerification", 1},
}

func (w *world) failNext(op string, f fault) {
	for range f.times {
		w.srv.FailNext(op, f.status, f.code)
	}
}

// serviceErrors adds the errors of every client call on the fake: injected faults, the fake's own errors,
// and the library's validation.
func (w *world) serviceErrors(t *testing.T, s *sweep) {
	parts := []token.Config{token.New().WithUserID("p0"), token.New().WithAttribute("a", "b")}
	for _, f := range faults {
		tag := fmt.Sprintf("%d %s", f.status, f.code)
		w.failNext("CreateStage", f)
		_, toks, err := w.stages.Create(w.ctx, stage.New().WithName("fails").WithParticipants(parts...))
		s.err(gService, "stage.Create("+tag+")", err)
		require.Empty(t, toks)
		w.failNext("CreateParticipantToken", f)
		_, err = w.tokens.Create(w.ctx, w.st.ARN, token.New().WithUserID("x"))
		s.err(gService, "token.Create("+tag+")", err)
		w.failNext("ImportPublicKey", f)
		_, err = w.tokens.ImportPublicKey(w.ctx, "k", &ecKey(t, elliptic.P384()).PublicKey)
		s.err(gService, "ImportPublicKey("+tag+")", err)
	}
	// A fault, then success: the retried call returns tokens and no error.
	w.srv.FailNext("CreateStage", http.StatusInternalServerError, "InternalServerException")
	st2, toks, err := w.stages.Create(w.ctx, stage.New().WithParticipants(parts...))
	require.NoError(t, err)
	s.token(gTokens, "stage.Create after a retried 500, token[1]", toks[1])

	unknownStage := strings.TrimSuffix(w.st.ARN, w.st.ID()) + "AAAAAAAAAAAA"
	unknownKey := strings.TrimSuffix(w.arnA, w.arnA[strings.LastIndexByte(w.arnA, '/')+1:]) + "AAAAAAAAAAAA"
	_, err = w.tokens.Create(w.ctx, unknownStage, token.New())
	s.err(gService, "token.Create(unknown stage)", err)
	_, err = w.tokens.Create(w.ctx, "arn:bad", token.New().WithDuration(time.Second))
	s.err(gService, "token.Create(invalid input)", err)
	_, err = w.tokens.ImportPublicKey(w.ctx, "dup", &w.keyA.PublicKey)
	s.err(gService, "ImportPublicKey(duplicate key A)", err)
	_, err = w.tokens.ImportPublicKey(w.ctx, "bad name!", &w.p256.PublicKey)
	s.err(gService, "ImportPublicKey(P-256, bad name)", err)
	_, err = w.tokens.ImportPublicKey(w.ctx, "", nil)
	s.err(gService, "ImportPublicKey(nil)", err)
	_, err = w.tokens.GetPublicKey(w.ctx, unknownKey)
	s.err(gService, "GetPublicKey(unknown)", err)
	_, err = w.tokens.GetPublicKey(w.ctx, "nope")
	s.err(gService, "GetPublicKey(invalid)", err)
	pk, err := w.tokens.GetPublicKey(w.ctx, w.arnA)
	require.NoError(t, err)
	s.value(gService, "GetPublicKey(key A) PublicKey", pk, nil)
	err = w.tokens.DeletePublicKey(w.ctx, unknownKey)
	s.err(gService, "DeletePublicKey(unknown)", err)
	w.failNext("ListPublicKeys", faults[6])
	err = nil
	for _, listErr := range w.tokens.PublicKeys(w.ctx) {
		err = listErr // the first page fails, which ends the iteration
	}
	s.err(gService, "ListPublicKeys(500)", err)

	_, _, err = w.stages.Create(w.ctx, stage.New().WithName("bad name!").WithParticipants(token.New().WithDuration(time.Second)))
	s.err(gService, "stage.Create(invalid input)", err)
	_, err = w.stages.Get(w.ctx, unknownStage)
	s.err(gService, "stage.Get(unknown)", err)
	w.srv.SetRecordingActive(st2.ARN, true)
	_, err = w.stages.Update(w.ctx, st2.ARN, stage.NewUpdate().WithRecording(recording.New(storageARN)))
	s.err(gService, "stage.Update(recording active)", err)
	err = w.stages.Delete(w.ctx, unknownStage)
	s.err(gService, "stage.Delete(unknown)", err)
	w.failNext("ListStages", faults[6])
	for _, err := range w.stages.List(w.ctx) {
		if err != nil {
			s.err(gService, "stage.List(500)", err)
			break
		}
	}
}

// createMany adds CreateMany's partial results: some tokens created, the others failed by the fake or by
// the context, and the batch's validation error.
func (w *world) createMany(t *testing.T, s *sweep) {
	cfgs := make([]token.Config, len(faults)+3)
	for i := range cfgs {
		cfgs[i] = token.New().WithUserID(fmt.Sprintf("user-%02d", i))
	}
	for _, f := range faults {
		w.failNext("CreateParticipantToken", f)
	}
	toks, err := w.tokens.CreateMany(w.ctx, w.st.ARN, cfgs, noLimit, token.WithConcurrency(1))
	s.err(gMany, "CreateMany(every fault)", err)
	require.Len(t, token.IndexErrors(err), len(faults))
	created := 0
	for i, tok := range toks {
		if tok.Value() != "" {
			created++
			s.token(gMany, fmt.Sprintf("CreateMany(every fault) token[%d]", i), tok)
		}
	}
	require.Equal(t, 3, created)
	s.value(gMany, "CreateMany(every fault) []token.Token", toks, map[string]string{"json.Marshal": limitMarshalJSON, "slog JSON": limitSlogJSON})
	s.text(gMany, "CreateMany(every fault) joined with its tokens' descriptions", fmt.Sprintf("%v: %v", toks, err))

	// Concurrent, with faults spread over the batch.
	for range 3 {
		w.srv.FailNext("CreateParticipantToken", http.StatusForbidden, "AccessDeniedException")
	}
	toks, err = w.tokens.CreateMany(w.ctx, w.st.ARN, cfgs, noLimit, token.WithConcurrency(4))
	s.err(gMany, "CreateMany(concurrent, 3 faults)", err)
	for i, tok := range toks {
		if tok.Value() != "" {
			s.secrets.bearer(fmt.Sprintf("CreateMany(concurrent) token[%d]", i), tok)
		}
	}

	// The context ends after two tokens.
	ctx, cancel := context.WithCancel(w.ctx)
	defer cancel()
	toks, err = w.tokens.CreateMany(ctx, w.st.ARN, cfgs[:6], noLimit, token.WithConcurrency(1),
		token.WithProgress(func(done, _ int) {
			if done == 2 {
				cancel()
			}
		}))
	s.err(gMany, "CreateMany(canceled after 2)", err)
	for i, tok := range toks {
		if tok.Value() != "" {
			s.secrets.bearer(fmt.Sprintf("CreateMany(canceled) token[%d]", i), tok)
		}
	}

	// A deadline the rate limit cannot meet.
	dctx, dcancel := context.WithTimeout(w.ctx, 50*time.Millisecond)
	defer dcancel()
	toks, err = w.tokens.CreateMany(dctx, w.st.ARN, cfgs[:4], token.WithRate(1, 1))
	s.err(gMany, "CreateMany(deadline past the rate limit)", err)
	for i, tok := range toks {
		if tok.Value() != "" {
			s.secrets.bearer(fmt.Sprintf("CreateMany(deadline) token[%d]", i), tok)
		}
	}

	_, err = w.tokens.CreateMany(w.ctx, w.st.ARN, []token.Config{token.New(), token.New().WithDuration(time.Second)},
		token.WithRate(0, 0), token.WithConcurrency(0))
	s.err(gMany, "CreateMany(invalid batch)", err)
}

// configs adds the String and fmt forms of every configuration type and of stages.
func (w *world) configs(t *testing.T, s *sweep) {
	tc := token.New().WithUserID("alice").WithDuration(time.Hour).WithCapabilities(token.Publish).WithAttribute("role", "host")
	rec := recording.New(storageARN).WithMediaType(recording.MediaAudioOnly).WithThumbnails(recording.ThumbnailsEvery(30 * time.Second))
	sc := stage.New().WithName("n").WithTag("k", "v").WithRecording(rec).WithParticipants(tc, token.New())
	up := stage.NewUpdate().WithName("m").WithRecording(recording.Disabled())
	for _, c := range []struct {
		name string
		v    fmt.Stringer
	}{
		{"token.Config", tc}, {"stage.Config", sc}, {"stage.Update", up}, {"recording.Config", rec},
		{"recording.Thumbnails", recording.ThumbnailsEvery(time.Minute)},
	} {
		s.text(gConfigs, c.name+" | String()", c.v.String())
		s.value(gConfigs, c.name, c.v, nil)
	}
	s.value(gConfigs, "token.Target", w.target, nil)
	s.value(gConfigs, "stage.Stage", w.st, nil)
	s.value(gConfigs, "recording.Settings", rec.Effective(), nil)
	for sum, err := range w.stages.List(w.ctx) {
		require.NoError(t, err)
		s.value(gConfigs, "stage.Summary", sum, nil)
		break
	}
}

// unmarshalJSON adds Token.UnmarshalJSON's errors on broken JSON built from a token's own JSON.
func (w *world) unmarshalJSON(t *testing.T, s *sweep) {
	doc := string(must(w.minted.MarshalJSON()))
	v := w.minted.Value()
	cut := strings.Index(doc, v) + len(v)/2
	cases := []struct{ name, doc string }{
		{"cut inside the token", doc[:cut]},
		{"cut after the token", doc[:len(doc)-1]},
		{"token a number", strings.Replace(doc, `"`+v+`"`, "12345", 1)},
		{"token an object", strings.Replace(doc, `"`+v+`"`, `{"v":"`+v+`"}`, 1)},
		{"control character in token", strings.Replace(doc, v, v[:50]+"\x01"+v[50:], 1)},
		{"invalid escape in token", strings.Replace(doc, v, v[:50]+`\x`+v[50:], 1)},
		{"durationSeconds a string", strings.Replace(doc, `"durationSeconds":`, `"durationSeconds":"`+v+`","x":`, 1)},
		{"capabilities a string", strings.Replace(doc, `"capabilities":`, `"capabilities":"`+v+`","x":`, 1)},
		{"attributes a list", strings.Replace(doc, `"attributes":`, `"attributes":["`+v+`"],"x":`, 1)},
	}
	for _, c := range cases {
		var tok token.Token
		err := json.Unmarshal([]byte(c.doc), &tok)
		s.err(gJSON, "json.Unmarshal(Token, "+c.name+")", err)
		err = tok.UnmarshalJSON([]byte(c.doc))
		s.err(gJSON, "Token.UnmarshalJSON("+c.name+")", err)
	}
	var list []token.Token
	err := json.Unmarshal([]byte("["+doc+","+doc[:cut]+"]"), &list)
	s.err(gJSON, "json.Unmarshal([]Token, second cut)", err)
}

// verifyWithKeys adds VerifyWithKeys' claims for a valid token and its errors: unknown kid, keys missing,
// nil or wrong keys, tampered, re-signed and expired tokens, and key maps keyed by a secret.
func (w *world) verifyWithKeys(t *testing.T, s *sweep) {
	raw := w.minted.Value()
	parts := strings.Split(raw, ".")
	both := map[string]*ecdsa.PublicKey{w.arnA: &w.keyA.PublicKey, w.arnB: &w.keyB.PublicKey}
	claims, err := token.VerifyWithKeys(raw, both)
	require.NoError(t, err)
	s.value(gVerify, "VerifyWithKeys Claims", claims, nil)
	d, err := scalarBytes(w.keyA)
	require.NoError(t, err)
	now := time.Now().Unix()
	edit := func(f func(h, c map[string]any)) string { return resign(t, raw, jwt.SigningMethodES384, w.keyA, f) }
	for _, c := range []struct {
		name string
		raw  string
		keys map[string]*ecdsa.PublicKey
	}{
		{"kid unknown", raw, map[string]*ecdsa.PublicKey{w.arnB: &w.keyB.PublicKey}},
		{"no keys", raw, nil},
		{"nil key for the kid", raw, map[string]*ecdsa.PublicKey{w.arnA: nil}},
		{"key B under key A's kid", raw, map[string]*ecdsa.PublicKey{w.arnA: &w.keyB.PublicKey}},
		{"P-256 key under the kid", raw, map[string]*ecdsa.PublicKey{w.arnA: &w.p256.PublicKey}},
		{"zero key under the kid", raw, map[string]*ecdsa.PublicKey{w.arnA: {}}},
		{"payload of another token", parts[0] + "." + strings.Split(w.apiToken.Value(), ".")[1] + "." + parts[2], both},
		{"signature of another token", parts[0] + "." + parts[1] + "." + strings.Split(w.apiToken.Value(), ".")[2], both},
		{"cut", raw[:len(raw)-10], both},
		{"with a newline", raw + "\n", both},
		{"service (KMS) token", w.apiToken.Value(), both},
		{"expired", edit(func(_, c map[string]any) { c["iat"], c["exp"] = now-7200, now-3600 }), both},
		{"kid edited to key B", edit(func(h, _ map[string]any) { h["kid"] = w.arnB }), both},
		{"kid missing", edit(func(h, _ map[string]any) { delete(h, "kid") }), both},
		{"re-signed with key B", resign(t, raw, jwt.SigningMethodES384, w.keyB, nil), both},
		{"alg none", resign(t, raw, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, nil), both},
		// Key maps keyed by a secret given in the wrong place.
		{"the token as a nil key's ID", raw, map[string]*ecdsa.PublicKey{raw: nil}},
		{"the token as the only key's ID", raw, map[string]*ecdsa.PublicKey{raw: &w.keyA.PublicKey}},
		{"SEC1 PEM as a nil key's ID", raw, map[string]*ecdsa.PublicKey{string(w.pemA1): nil}},
		{"key.D hex as a nil key's ID", raw, map[string]*ecdsa.PublicKey{hex.EncodeToString(d): nil}},
	} {
		if strings.Count(c.raw, ".") >= 2 {
			s.secrets.bearerString("VerifyWithKeys("+c.name+") token", c.raw)
		}
		got, err := token.VerifyWithKeys(c.raw, c.keys)
		s.err(gVerify, "VerifyWithKeys("+c.name+")", err)
		require.Zero(t, got, c.name)
	}
}

// privateKeyPEM adds PrivateKeyPEM's errors for keys it refuses (its output is the key, by design).
func (w *world) privateKeyPEM(t *testing.T, s *sweep) {
	out, err := token.PrivateKeyPEM(w.keyA)
	require.NoError(t, err)
	s.limited(gSigners, "PrivateKeyPEM(key A)", "PrivateKeyPEM returns the private key", string(out))
	mismatched := *w.keyA
	mismatched.PublicKey = w.keyB.PublicKey
	for _, c := range []struct {
		name string
		key  *ecdsa.PrivateKey
	}{
		{"nil", nil}, {"zero key", &ecdsa.PrivateKey{}}, {"P-256 key", w.p256}, {"P-521 key", w.p521},
		{"key A with key B's public key", &mismatched},
	} {
		_, err := token.PrivateKeyPEM(c.key)
		s.err(gNewSign, "PrivateKeyPEM("+c.name+")", err)
	}
}
