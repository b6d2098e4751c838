package token

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/aws/smithy-go"
	"github.com/golang-jwt/jwt/v5"

	"github.com/ivsrt/ivsrt/internal/rules"
)

// The shape of self-signed tokens, as the IVS Real-Time user guide specifies it.
const (
	// Algorithm is the JWS algorithm of self-signed tokens: ES384, ECDSA on P-384 with SHA-384. It is the
	// only algorithm the service accepts for them, and the only one Verify accepts.
	Algorithm = "ES384"
	// ClaimsVersion is the value of the "version" claim: "1.0".
	ClaimsVersion = "1.0"
	// ParticipantIDLength is the length of the participant IDs (the "jti" claim) a Signer generates: 24
	// characters of [A-Za-z0-9] drawn uniformly from crypto/rand, about 142 bits. The service allows up to
	// 64 characters of [A-Za-z0-9_-]; the library leaves out "_", which the API's ParticipantId pattern
	// (GetParticipant) does not allow.
	ParticipantIDLength = 24
	// MaxClockSkew is how far in the future Verify accepts an "iat" claim (1 minute), for clocks that
	// disagree a little. Expiry ("exp") gets no such leeway.
	MaxClockSkew = time.Minute
)

// Context and field names of the Signer's and Target's validation errors.
const (
	signerContext      = "Signer"
	targetContext      = "Target"
	fieldPrivateKey    = "PrivateKey"
	fieldPrivateKeyPEM = "PrivateKeyPEM"
	fieldPublicKeyARN  = "PublicKeyARN"
)

// GenerateKey returns a new ECDSA P-384 private key from crypto/rand: the key pair of self-signed tokens.
// Import its public half once with Client.ImportPublicKey, then sign with NewSigner.
func GenerateKey() (*ecdsa.PrivateKey, error) {
	return ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
}

// PublicKeyPEM encodes pub, which must be a valid P-384 public key, as PEM: a "-----BEGIN PUBLIC KEY-----"
// block holding its DER SubjectPublicKeyInfo, lines of 64 characters separated by "\n". That is the
// publicKeyMaterial ImportPublicKey wants. The error, for nil or non-P-384 keys, holds no key material.
func PublicKeyPEM(pub *ecdsa.PublicKey) ([]byte, error) {
	if reason := checkPublicKey(pub); reason != "" {
		return nil, errors.New("token: " + reason)
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, errors.New("token: the public key cannot be encoded as PKIX")
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}

// PrivateKeyPEM encodes key, which must be a valid P-384 private key (GenerateKey), as PEM: a
// "-----BEGIN PRIVATE KEY-----" block holding its PKCS#8 DER (with the public key embedded), lines of 64
// characters separated by "\n". That is what ParseSigner reads, so a key can be kept in a secret store and
// turned back into a Signer: ParseSigner(PrivateKeyPEM(key), arn) signs exactly as NewSigner(key, arn).
// The PEM is the private key itself: store it as a secret and never log it. It is not encrypted. The
// error, for a nil key, a key on another curve (P-256, P-521, …) or a key whose PublicKey does not belong
// to it, holds no key material.
func PrivateKeyPEM(key *ecdsa.PrivateKey) ([]byte, error) {
	if rule, reason := checkPrivateKey(key); rule != "" {
		return nil, errors.New("token: " + reason)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, errors.New("token: the private key cannot be encoded as PKCS#8")
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// checkPublicKey returns why pub is not a usable P-384 public key, or "". Every public key the package
// takes (PublicKeyPEM, ImportPublicKey, Verify, VerifyAt, VerifyWithKeys, the material GetPublicKey parses)
// passes through it.
func checkPublicKey(pub *ecdsa.PublicKey) string {
	if pub == nil {
		return "no public key given (nil *ecdsa.PublicKey)"
	}
	if reason := curveProblem("public key", pub.Curve); reason != "" {
		return reason
	}
	if _, err := pub.ECDH(); err != nil {
		return "the public key is not a valid point of P-384"
	}
	return ""
}

// checkPrivateKey returns the rule key breaks and why, or "" when it is a usable P-384 private key. The
// reason never shows key material.
func checkPrivateKey(key *ecdsa.PrivateKey) (rule, reason string) {
	if key == nil {
		return rules.RuleRequired, "no private key given (nil *ecdsa.PrivateKey)"
	}
	if reason := curveProblem("private key", key.Curve); reason != "" {
		return rules.RuleEnum, reason
	}
	priv, err := key.ECDH()
	if err != nil {
		return rules.RuleRange, "the private key is not a valid P-384 scalar"
	}
	pub, err := key.PublicKey.ECDH()
	if err != nil || !pub.Equal(priv.PublicKey()) {
		return rules.RuleConflict, "the private key's PublicKey does not belong to it"
	}
	return "", ""
}

// curveProblem returns why c, the curve of a key (what: "public key" or "private key"), is not
// elliptic.P384(), or "". P-224, P-256, P-521 and every other curve are refused, and so is a generic
// elliptic.CurveParams that only carries P-384's name and parameters (its arithmetic is not constant-time).
func curveProblem(what string, c elliptic.Curve) string {
	if c == elliptic.P384() {
		return ""
	}
	if name := curveName(c); name != elliptic.P384().Params().Name {
		return "the " + what + "'s curve " + name + " is not P-384 (ES384 needs a P-384 key)"
	}
	return "the " + what + "'s curve is a generic elliptic.CurveParams named P-384, not elliptic.P384(): build the key with crypto/ecdsa or crypto/x509"
}

// curveName returns c's name, "(none)" for no curve.
func curveName(c elliptic.Curve) string {
	if c == nil {
		return "(none)"
	}
	if p := c.Params(); p != nil && p.Name != "" {
		return p.Name
	}
	return "(unnamed)"
}

// Signer mints self-signed participant tokens (ES384 JWTs) with a P-384 private key whose public half was
// imported with Client.ImportPublicKey. Minting makes no API call and has no quota: the cost is one
// ECDSA signature. A Signer is immutable and safe for concurrent use; build it with NewSigner or
// ParseSigner, and WithClock for one that reads another clock (default: time.Now).
//
// fmt, slog and encoding/json show no key material of a Signer (its private key is behind a pointer, and
// its fields are unexported), but dumpers that follow pointers by reflection, such as go-spew in testify's
// failure messages, print the private key: compare KeyID() or PublicKey() in tests, not Signers.
type Signer struct {
	key    *ecdsa.PrivateKey
	kid    string
	prefix string           // base64url(header) + ".", computed once
	now    func() time.Time // the clock iat and exp are stamped from (WithClock); nil means time.Now
	target atomic.Pointer[targetCache]
}

// NewSigner returns a Signer that signs with key, an ECDSA P-384 private key (GenerateKey), and names
// publicKeyARN, the ARN ImportPublicKey returned for key's public half, as every token's "kid". It
// rejects a nil key, a key on another curve (P-256, P-521, …), a key whose PublicKey does not match it, and
// an ARN that is not a public-key ARN (arn:aws:ivs:<region>:<account>:public-key/<id>, at most 128 code
// points), all at once as a smithy.InvalidParamsError (paths "Signer.PrivateKey", "Signer.PublicKeyARN")
// whose messages never show key material. key must not be modified afterwards.
func NewSigner(key *ecdsa.PrivateKey, publicKeyARN string) (*Signer, error) {
	errs := smithy.InvalidParamsError{Context: signerContext}
	if rule, reason := checkPrivateKey(key); rule != "" {
		errs.Add(rules.New(fieldPrivateKey, rule, reason))
	}
	rules.PublicKeyArn.Check(&errs, fieldPublicKeyARN, publicKeyARN)
	if err := rules.Result(errs); err != nil {
		return nil, err
	}
	return newSigner(key, publicKeyARN)
}

func newSigner(key *ecdsa.PrivateKey, kid string) (*Signer, error) {
	header, err := json.Marshal(struct {
		Alg string `json:"alg"`
		Typ string `json:"typ"`
		Kid string `json:"kid"`
	}{Algorithm, "JWT", kid})
	if err != nil {
		return nil, err
	}
	return &Signer{key: key, kid: kid, prefix: base64.RawURLEncoding.EncodeToString(header) + "."}, nil
}

// ParseSigner returns a Signer for a PEM-encoded P-384 private key: a PKCS#8 "PRIVATE KEY" block or a SEC1
// "EC PRIVATE KEY" block (as `openssl ecparam -name secp384r1 -genkey` writes it; a leading "EC PARAMETERS"
// block is skipped). Encrypted PEM is not supported. A key whose embedded public key does not match its
// private scalar (a damaged PEM, which would otherwise parse as another key whose tokens the service
// refuses) is rejected. It checks the key and publicKeyARN like NewSigner,
// reporting every problem at once as a smithy.InvalidParamsError (paths "Signer.PrivateKeyPEM",
// "Signer.PublicKeyARN"); no message ever shows key material.
func ParseSigner(privateKeyPEM []byte, publicKeyARN string) (*Signer, error) {
	errs := smithy.InvalidParamsError{Context: signerContext}
	key, reason := parsePrivateKeyPEM(privateKeyPEM)
	rule := rules.RulePattern
	if reason == "" {
		rule, reason = checkPrivateKey(key)
	}
	if reason != "" {
		errs.Add(rules.New(fieldPrivateKeyPEM, rule, reason))
	}
	rules.PublicKeyArn.Check(&errs, fieldPublicKeyARN, publicKeyARN)
	if err := rules.Result(errs); err != nil {
		return nil, err
	}
	return newSigner(key, publicKeyARN)
}

// parsePrivateKeyPEM decodes the first private-key block of data. The reason it gives on failure names
// block types and formats only, never content.
func parsePrivateKeyPEM(data []byte) (*ecdsa.PrivateKey, string) {
	if len(data) == 0 {
		return nil, "no PEM given"
	}
	rest := data
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			return nil, `no "PRIVATE KEY" or "EC PRIVATE KEY" PEM block found`
		}
		if block.Type == "EC PARAMETERS" {
			continue
		}
		if _, encrypted := block.Headers["Proc-Type"]; encrypted || strings.HasPrefix(block.Type, "ENCRYPTED") {
			return nil, "encrypted PEM is not supported: decrypt the key first"
		}
		switch block.Type {
		case "PRIVATE KEY":
			k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
			if err != nil {
				return nil, `the "PRIVATE KEY" block is not a valid PKCS#8 private key`
			}
			ec, ok := k.(*ecdsa.PrivateKey)
			if !ok {
				return nil, `the "PRIVATE KEY" block holds a key that is not ECDSA (ES384 needs a P-384 key)`
			}
			var outer pkcs8
			if _, err := asn1.Unmarshal(block.Bytes, &outer); err == nil && !embeddedPublicKeyMatches(outer.PrivateKey, ec) {
				return nil, `the "PRIVATE KEY" block's public key does not match its private key: the PEM is corrupted`
			}
			return ec, ""
		case "EC PRIVATE KEY":
			k, err := x509.ParseECPrivateKey(block.Bytes)
			if err != nil {
				return nil, `the "EC PRIVATE KEY" block is not a valid SEC1 private key on a supported curve`
			}
			if !embeddedPublicKeyMatches(block.Bytes, k) {
				return nil, `the "EC PRIVATE KEY" block's public key does not match its private key: the PEM is corrupted`
			}
			return k, ""
		default:
			return nil, `PEM block type ` + rules.Quote(block.Type) + ` is not "PRIVATE KEY" or "EC PRIVATE KEY"`
		}
	}
}

// pkcs8 is the outer structure of a PKCS#8 private key (RFC 5208); PrivateKey holds a SEC1 key for EC.
type pkcs8 struct {
	Version    int
	Algo       pkix.AlgorithmIdentifier
	PrivateKey []byte
}

// sec1 is a SEC1 EC private key (RFC 5915), with the public key its writer usually embeds.
type sec1 struct {
	Version    int
	PrivateKey []byte
	Curve      asn1.ObjectIdentifier `asn1:"optional,explicit,tag:0"`
	PublicKey  asn1.BitString        `asn1:"optional,explicit,tag:1"`
}

// embeddedPublicKeyMatches reports whether the public key embedded in the SEC1 key der (when there is one)
// is key's. x509 derives the public key from the private scalar and ignores the embedded one, so a PEM
// with a damaged scalar parses as another, valid key; the embedded public key tells. It compares the
// uncompressed (0x04‖X‖Y) or compressed (0x02|parity(Y)‖X) point. A key on another curve than P-384 is
// left to checkPrivateKey, which refuses it naming its curve.
func embeddedPublicKeyMatches(der []byte, key *ecdsa.PrivateKey) bool {
	if key.Curve != elliptic.P384() {
		return true
	}
	var k sec1
	if _, err := asn1.Unmarshal(der, &k); err != nil || len(k.PublicKey.Bytes) == 0 {
		return true // nothing embedded to compare
	}
	pub, err := key.PublicKey.ECDH()
	if err != nil {
		return false
	}
	u := pub.Bytes() // 0x04 ‖ X ‖ Y
	embedded := k.PublicKey.Bytes
	if len(embedded) > 0 && (embedded[0] == 2 || embedded[0] == 3) {
		n := (len(u) - 1) / 2
		compressed := append([]byte{2 | u[len(u)-1]&1}, u[1:1+n]...)
		return bytes.Equal(embedded, compressed)
	}
	return bytes.Equal(embedded, u)
}

// parsePublicKeyPEM decodes the first PEM block of data, which must be a "PUBLIC KEY" block holding a
// P-384 ECDSA key (an uncompressed point: crypto/x509 reads no compressed one). Any other block type
// ("CERTIFICATE" included, whatever it holds), key type or curve is an error, and the key is then nil.
func parsePublicKeyPEM(data []byte) (*ecdsa.PublicKey, error) {
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "PUBLIC KEY" {
		return nil, errors.New(`token: no "PUBLIC KEY" PEM block`)
	}
	k, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, errors.New("token: the public key does not parse as PKIX")
	}
	ec, ok := k.(*ecdsa.PublicKey)
	if !ok {
		return nil, errors.New("token: the public key is not ECDSA")
	}
	if reason := checkPublicKey(ec); reason != "" {
		return nil, errors.New("token: " + reason)
	}
	return ec, nil
}

// WithClock returns a copy of s that stamps each token's "iat" (and so "exp", iat + the duration) from
// now() instead of time.Now, truncated to the whole second: a test clock such as stagetest.Clock's Now,
// or a clock corrected for the machine's skew. nil means time.Now, the default. s itself is unchanged,
// and both are safe for concurrent use; now must be too, when the copy mints from several goroutines. The
// copy signs with the same key and kid. On a nil Signer it returns nil (whose Mint fails).
func (s *Signer) WithClock(now func() time.Time) *Signer {
	if s == nil {
		return nil
	}
	c := &Signer{key: s.key, kid: s.kid, prefix: s.prefix, now: now}
	c.target.Store(s.target.Load())
	return c
}

// KeyID returns the public-key ARN the Signer puts in every token's "kid" header.
func (s *Signer) KeyID() string { return s.kid }

// PublicKey returns the public half of the Signer's key, for Verify.
func (s *Signer) PublicKey() *ecdsa.PublicKey { return &s.key.PublicKey }

// Mint validates t and cfg and returns a new self-signed token for t's stage: an ES384 JWT with the header
// {"alg": "ES384", "typ": "JWT", "kid": <public-key ARN>} and the claims of the IVS Real-Time user guide:
// "exp" and "iat" (Unix seconds; exp = iat + cfg's duration, default DefaultDuration, 12 h, at most
// MaxDuration, 14 days), "jti" (a fresh random participant ID, ParticipantIDLength characters of
// [A-Za-z0-9]), "resource" (the stage ARN), "topic" (the stage ID, the ARN's last path segment),
// "events_url", "whip_url", "user_id" and "attributes" (left out when empty), "capabilities"
// ({"allow_publish", "allow_subscribe"}; default both) and "version" ("1.0").
//
// The Token it returns carries the participant ID (the jti), user ID, a copy of the attributes, the
// capabilities, duration and expiry (UTC); Token.Value is the JWT. iat is the Signer's clock (time.Now,
// or the one WithClock gave) truncated to the second. A token longer than MaxTokenSize (which only Target
// URLs of kilobytes can make: the largest Config makes at most 13.3 KB) is an error, not minted, so every
// token Mint returns is one Verify reads. Invalid input returns a smithy.InvalidParamsError holding every
// violation, with paths "Target.StageARN", "Target.EventsURL", "Target.WhipURL" (Target.Validate) and
// "ParticipantTokenConfiguration.Duration" and so on (Config.Validate). Mint is safe for concurrent use. Its cost is one ECDSA P-384 signature: the claims
// of the last Target are kept encoded, and the payload is written without reflection.
func (s *Signer) Mint(t Target, cfg Config) (Token, error) {
	if s == nil || s.key == nil {
		return Token{}, errors.New("token: Mint on a Signer not built by NewSigner or ParseSigner")
	}
	targetClaims, targetErr := s.targetClaims(t)
	if cfgErr := cfg.Validate(); targetErr != nil || cfgErr != nil {
		errs := smithy.InvalidParamsError{}
		rules.Nest(&errs, targetContext, targetErr)
		rules.Nest(&errs, configContext, cfgErr)
		return Token{}, errs
	}

	now := time.Now
	if s.now != nil {
		now = s.now
	}
	iat := now().Unix()
	dur := cfg.Duration()
	exp := iat + int64(dur/time.Second)
	jti := newParticipantID()
	caps := cfg.Capabilities()
	payload := appendPayload(make([]byte, 0, 192+len(targetClaims)+2*len(cfg.userID)+2*rules.AttributesSize(cfg.attrs)+8*len(cfg.attrs)),
		exp, iat, jti, targetClaims, cfg.userID, cfg.attrs, caps)

	enc := base64.RawURLEncoding
	n := len(s.prefix) + enc.EncodedLen(len(payload))
	if size := n + 1 + enc.EncodedLen(2*48); size > MaxTokenSize {
		return Token{}, errors.New("token: the token would be " + strconv.Itoa(size) + " bytes, more than MaxTokenSize (" +
			strconv.Itoa(MaxTokenSize) + "), which Verify refuses: shorten the Target's URLs")
	}
	buf := make([]byte, n, n+1+enc.EncodedLen(2*48))
	copy(buf, s.prefix)
	enc.Encode(buf[len(s.prefix):], payload)
	sig, err := jwt.SigningMethodES384.Sign(string(buf), s.key)
	if err != nil {
		return Token{}, errors.New("token: signing failed: " + err.Error())
	}
	buf = append(buf, '.')
	buf = enc.AppendEncode(buf, sig)
	raw := string(buf)
	return Token{
		ParticipantID: jti,
		UserID:        cfg.userID,
		Attributes:    maps.Clone(cfg.attrs),
		Capabilities:  caps,
		Duration:      dur,
		ExpiresAt:     time.Unix(exp, 0).UTC(),
		value:         &raw,
	}, nil
}

// targetCache is a validated Target and its claims, encoded.
type targetCache struct {
	target Target
	claims []byte // "resource":…,"topic":…,"events_url":…,"whip_url":…
}

// targetClaims returns t's claims, encoded, or t's validation error. The last valid Target is kept, so
// a Signer minting for one stage validates and encodes it once.
func (s *Signer) targetClaims(t Target) ([]byte, error) {
	if c := s.target.Load(); c != nil && c.target == t {
		return c.claims, nil
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	b := append([]byte(nil), `"resource":`...)
	b = appendJSONString(b, t.StageARN)
	b = append(b, `,"topic":`...)
	b = appendJSONString(b, stageID(t.StageARN))
	b = append(b, `,"events_url":`...)
	b = appendJSONString(b, t.EventsURL)
	b = append(b, `,"whip_url":`...)
	b = appendJSONString(b, t.WhipURL)
	s.target.Store(&targetCache{target: t, claims: b})
	return b, nil
}

// appendPayload appends the JSON claims of a token, in the order of the user guide's example: exp, iat,
// jti, resource, topic, events_url, whip_url, user_id, attributes (keys sorted), capabilities, version.
func appendPayload(b []byte, exp, iat int64, jti string, targetClaims []byte, userID string, attrs map[string]string, caps []Capability) []byte {
	b = append(b, `{"exp":`...)
	b = strconv.AppendInt(b, exp, 10)
	b = append(b, `,"iat":`...)
	b = strconv.AppendInt(b, iat, 10)
	b = append(b, `,"jti":`...)
	b = appendJSONString(b, jti)
	b = append(b, ',')
	b = append(b, targetClaims...)
	if userID != "" {
		b = append(b, `,"user_id":`...)
		b = appendJSONString(b, userID)
	}
	if len(attrs) > 0 {
		b = append(b, `,"attributes":{`...)
		for i, k := range slices.Sorted(maps.Keys(attrs)) {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = append(b, ':')
			b = appendJSONString(b, attrs[k])
		}
		b = append(b, '}')
	}
	b = append(b, `,"capabilities":{"allow_publish":`...)
	b = strconv.AppendBool(b, slices.Contains(caps, Publish))
	b = append(b, `,"allow_subscribe":`...)
	b = strconv.AppendBool(b, slices.Contains(caps, Subscribe))
	b = append(b, `},"version":"`+ClaimsVersion+`"}`...)
	return b
}

// appendJSONString appends s as a JSON string, as encoding/json writes it except that <, > and & are
// left as they are: ", \ and control characters escaped, each byte of invalid UTF-8 replaced by U+FFFD,
// U+2028 and U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// stageID returns the last segment of a stage ARN (rules.ResourceID): the stage ID, the "topic" claim, as
// stage.Stage.ID gives it.
func stageID(arn string) string { return rules.ResourceID(arn) }

const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// newParticipantID returns ParticipantIDLength characters drawn uniformly from idAlphabet with crypto/rand
// (bytes ≥ 248 are rejected so that every character is equally likely).
func newParticipantID() string {
	const limit = 256 - 256%len(idAlphabet)
	var id [ParticipantIDLength]byte
	var buf [ParticipantIDLength + 8]byte
	for n := 0; n < len(id); {
		_, _ = rand.Read(buf[:]) // never fails since Go 1.24
		for _, v := range buf {
			if int(v) >= limit {
				continue
			}
			id[n] = idAlphabet[int(v)%len(idAlphabet)]
			if n++; n == len(id) {
				break
			}
		}
	}
	return string(id[:])
}
