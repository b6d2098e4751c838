package token

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/golang-jwt/jwt/v5"

	"github.com/ivsrt/ivsrt/internal/rules"
)

// Claims is what a self-signed token says, typed: its "kid" header and every claim of the IVS Real-Time
// user guide. Verify returns it.
type Claims struct {
	// KeyID is the "kid" header: the ARN of the public key that verifies the token.
	KeyID string
	// ExpiresAt is the "exp" claim: when the token stops being accepted (UTC, whole seconds).
	ExpiresAt time.Time
	// IssuedAt is the "iat" claim: when the token was minted (UTC, whole seconds).
	IssuedAt time.Time
	// ParticipantID is the "jti" claim: the participant's ID.
	ParticipantID string
	// UserID is the "user_id" claim ("" when absent).
	UserID string
	// StageARN is the "resource" claim: the stage the token is for.
	StageARN string
	// StageID is the "topic" claim: the stage ID, the last path segment of StageARN.
	StageID string
	// EventsURL is the "events_url" claim: the stage's events endpoint (wss://…).
	EventsURL string
	// WhipURL is the "whip_url" claim: the stage's WHIP endpoint (https://…).
	WhipURL string
	// Capabilities is the "capabilities" claim: what the participant may do.
	Capabilities ClaimCapabilities
	// Attributes is the "attributes" claim (nil when absent or empty).
	Attributes map[string]string
	// Version is the "version" claim: always ClaimsVersion ("1.0") in a token Verify accepts.
	Version string
}

// ClaimCapabilities is the "capabilities" claim of a self-signed token.
type ClaimCapabilities struct {
	// AllowPublish is "allow_publish": the participant may publish (the Publish capability).
	AllowPublish bool
	// AllowSubscribe is "allow_subscribe": the participant may subscribe (the Subscribe capability).
	AllowSubscribe bool
}

// List returns the capabilities as a list: Publish and/or Subscribe, in that order.
func (c ClaimCapabilities) List() []Capability {
	var out []Capability
	if c.AllowPublish {
		out = append(out, Publish)
	}
	if c.AllowSubscribe {
		out = append(out, Subscribe)
	}
	return out
}

// Target returns the stage the token is for and its endpoints.
func (c Claims) Target() Target {
	return Target{StageARN: c.StageARN, EventsURL: c.EventsURL, WhipURL: c.WhipURL}
}

// payload decodes a token's claims; pointers tell an absent claim from a zero one.
type payload struct {
	Exp          *int64               `json:"exp"`
	Iat          *int64               `json:"iat"`
	Jti          *string              `json:"jti"`
	Resource     *string              `json:"resource"`
	Topic        *string              `json:"topic"`
	EventsURL    *string              `json:"events_url"`
	WhipURL      *string              `json:"whip_url"`
	UserID       *string              `json:"user_id"`
	Attributes   map[string]string    `json:"attributes"`
	Capabilities *payloadCapabilities `json:"capabilities"`
	Version      *string              `json:"version"`
}

type payloadCapabilities struct {
	AllowPublish   *bool `json:"allow_publish"`
	AllowSubscribe *bool `json:"allow_subscribe"`
}

// The jwt.Claims interface. Verify checks the claims itself (parser option WithoutClaimsValidation), so
// these are never consulted.
func (*payload) GetExpirationTime() (*jwt.NumericDate, error) { return nil, nil }
func (*payload) GetIssuedAt() (*jwt.NumericDate, error)       { return nil, nil }
func (*payload) GetNotBefore() (*jwt.NumericDate, error)      { return nil, nil }
func (*payload) GetIssuer() (string, error)                   { return "", nil }
func (*payload) GetSubject() (string, error)                  { return "", nil }
func (*payload) GetAudience() (jwt.ClaimStrings, error)       { return nil, nil }

// verifyParser accepts ES384 only; the claims are checked by Verify.
var verifyParser = jwt.NewParser(jwt.WithValidMethods([]string{Algorithm}), jwt.WithoutClaimsValidation())

// participantTokenID is the service's pattern for a "jti": 1..64 of [A-Za-z0-9_-].
var participantTokenID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// MaxTokenSize is the longest token, in bytes, that Verify, VerifyAt and VerifyWithKeys read: 16 KiB
// (16,384). Longer input is refused unread, before any base64 or JSON decoding, so a forged token of
// megabytes costs a length check, not the memory and time of decoding it. A token Signer.Mint writes for a
// stage's usual Target is shorter: about 720 bytes with an empty Config, 2.3 KB with a user ID of 128
// characters and attributes of 1,024 bytes, 13.3 KB at most when every character of those takes a
// six-byte JSON escape; Mint refuses to write one longer than MaxTokenSize.
const MaxTokenSize = 16 << 10

// Verify checks a self-signed token against pub, the P-384 public key of the "kid" it names, as of the
// current time (time.Now), and returns its claims. It is VerifyAt(raw, pub, time.Now()): see VerifyAt for
// what it accepts and how it fails.
func Verify(raw string, pub *ecdsa.PublicKey) (Claims, error) {
	return VerifyAt(raw, pub, time.Now())
}

// VerifyAt checks a self-signed token against pub, the P-384 public key of the "kid" it names, as of the
// time now (Verify is VerifyAt at time.Now()), and returns its claims. It accepts exactly what the IVS
// Real-Time user guide specifies and Signer.Mint produces:
//
//   - the size: at most MaxTokenSize (16 KiB) bytes, checked first: longer input is refused unread;
//   - the key: pub a valid P-384 public key (a key on P-224, P-256, P-521 or any other curve is refused,
//     whatever the token);
//   - the signature, by github.com/golang-jwt/jwt/v5, with the algorithm ES384 only (none, HS256, ES256, the
//     service's own KMS tokens … are rejected);
//   - the header: "kid" a public-key ARN, "typ" "JWT", and no "crit" (RFC 7515 §4.1.11: a verifier must
//     refuse critical extensions it does not implement, and Verify implements none, so a "crit" of any
//     value, null and [] included, is refused);
//   - the time: "exp" and "iat" integers, exp after iat by at most MaxDuration (14 days), iat not later than
//     now + MaxClockSkew (1 minute), and now before exp;
//   - the claim set: "version" "1.0"; "jti" 1..64 of [A-Za-z0-9_-]; "resource" a stage ARN; "topic" its
//     last path segment; "events_url" a wss:// URL and "whip_url" an https:// URL; "capabilities" with both
//     "allow_publish" and "allow_subscribe" booleans; "user_id", when present, at most MaxUserIDLength code
//     points; "attributes", when present, at most MaxAttributesSize bytes. Other claims are ignored.
//
// The claims' times (ExpiresAt, IssuedAt) are in UTC, whatever now's location. On failure it returns the
// zero Claims and an error that wraps the jwt/v5 sentinel errors (errors.Is(err, jwt.ErrTokenExpired),
// jwt.ErrTokenSignatureInvalid, jwt.ErrTokenMalformed for input longer than MaxTokenSize and other
// undecodable input, jwt.ErrTokenUnverifiable for a header it refuses ("crit" included),
// jwt.ErrTokenInvalidClaims, jwt.ErrTokenUsedBeforeIssued, jwt.ErrInvalidKey) and names every problem
// found (for an oversized token: its length and the limit), never the token itself. VerifyAt does not
// panic on any input and is safe for concurrent use.
func VerifyAt(raw string, pub *ecdsa.PublicKey, now time.Time) (Claims, error) {
	if err := checkSize(raw); err != nil {
		return Claims{}, err
	}
	if reason := checkPublicKey(pub); reason != "" {
		return Claims{}, fmt.Errorf("token: verify: %w: %s", jwt.ErrInvalidKey, reason)
	}
	return verifyToken(raw, func(string) (*ecdsa.PublicKey, error) { return pub, nil }, now)
}

// checkSize refuses raw when it is longer than MaxTokenSize, without reading it.
func checkSize(raw string) error {
	if len(raw) > MaxTokenSize {
		return &sizeError{size: len(raw)}
	}
	return nil
}

// sizeError is the refusal of a token longer than MaxTokenSize. It holds the length only, so that the
// refusal of a forged token of megabytes costs one small allocation.
type sizeError struct{ size int }

func (e *sizeError) Error() string {
	return "token: verify: " + jwt.ErrTokenMalformed.Error() + ": the token is " + strconv.Itoa(e.size) +
		" bytes, more than MaxTokenSize (" + strconv.Itoa(MaxTokenSize) + "): refused unread"
}

// Unwrap returns jwt.ErrTokenMalformed.
func (e *sizeError) Unwrap() error { return jwt.ErrTokenMalformed }

// ErrUnknownKey is wrapped by VerifyWithKeys' error when the token's "kid" names none of the keys given
// (the error also wraps jwt.ErrTokenUnverifiable and names the kid). During a key rotation it means the
// token was signed with a key the verifier does not hold (yet, or any more): fetch it with
// Client.GetPublicKey if it should be trusted.
var ErrUnknownKey = errors.New(`token: no key for the token's "kid"`)

// unknownKeyError is VerifyWithKeys' refusal of a kid it holds no key for: it is ErrUnknownKey (errors.Is)
// and names the kid and the number of keys held, without the package prefix its enclosing
// "token: verify: …" error already has.
type unknownKeyError struct {
	kid  string // as rules.PublicKeyArn.Show shows it
	keys int
}

func (e *unknownKeyError) Error() string {
	return `no key for the token's "kid" ` + e.kid + " (keys held: " + strconv.Itoa(e.keys) + ")"
}

// Is reports whether target is ErrUnknownKey.
func (e *unknownKeyError) Is(target error) bool { return target == ErrUnknownKey }

// VerifyWithKeys checks a self-signed token like Verify (as of time.Now, MaxTokenSize and "crit" refused
// first), with the key that keys holds for the token's "kid" header (the ARN of a public key, as
// ImportPublicKey returned it), and returns its claims. It is for verifiers that trust several keys at
// once, as during a key rotation: keys maps each public-key ARN to its P-384 public key (PublicKey.Key from
// GetPublicKey, or Signer.PublicKey).
//
// The kid is looked up exactly as written, and only the key it names is tried: a token whose kid is not in
// keys fails with an error wrapping ErrUnknownKey and jwt.ErrTokenUnverifiable that names the kid (an
// ARN, not a secret), never by falling back to another key; a token signed with one key but naming
// another fails its signature check. keys must hold at least one key and no nil key (an error wrapping
// jwt.ErrInvalidKey that names the kid: delete a key ID from the map rather than setting it to nil); the
// key for the token's kid must be a valid P-384 key (a P-224, P-256 or P-521 key for it fails with an
// error wrapping jwt.ErrInvalidKey that names its curve). keys is only read, so one map may serve concurrent
// calls as long as nobody writes to it meanwhile. Errors never show the token.
func VerifyWithKeys(raw string, keys map[string]*ecdsa.PublicKey) (Claims, error) {
	return verifyWithKeys(raw, keys, time.Now())
}

// verifyWithKeys is VerifyWithKeys as of now.
func verifyWithKeys(raw string, keys map[string]*ecdsa.PublicKey, now time.Time) (Claims, error) {
	if err := checkSize(raw); err != nil {
		return Claims{}, err
	}
	if len(keys) == 0 {
		return Claims{}, fmt.Errorf("token: verify: %w: no keys given", jwt.ErrInvalidKey)
	}
	var nils []string
	for kid, pub := range keys {
		if pub == nil {
			nils = append(nils, rules.PublicKeyArn.Show(kid))
		}
	}
	if len(nils) > 0 {
		slices.Sort(nils)
		if len(nils) == 1 {
			return Claims{}, fmt.Errorf("token: verify: %w: the key for %s is nil", jwt.ErrInvalidKey, nils[0])
		}
		return Claims{}, fmt.Errorf("token: verify: %w: the keys for %s are nil", jwt.ErrInvalidKey, strings.Join(nils, ", "))
	}
	return verifyToken(raw, func(kid string) (*ecdsa.PublicKey, error) {
		pub, ok := keys[kid]
		if !ok {
			return nil, &unknownKeyError{kid: rules.PublicKeyArn.Show(kid), keys: len(keys)}
		}
		if reason := checkPublicKey(pub); reason != "" {
			return nil, fmt.Errorf("%w: the key for %s: %s", jwt.ErrInvalidKey, rules.PublicKeyArn.Show(kid), reason)
		}
		return pub, nil
	}, now)
}

// verifyToken checks raw, at most MaxTokenSize bytes (checkSize), with the key keyFor returns for its
// "kid" (a valid public-key ARN by then).
func verifyToken(raw string, keyFor func(kid string) (*ecdsa.PublicKey, error), now time.Time) (Claims, error) {
	// Go's base64 decoders skip '\r' and '\n'; Mint never writes them, so neither does a token Verify accepts.
	if i := strings.IndexFunc(raw, notCompactJWS); i >= 0 {
		return Claims{}, fmt.Errorf("token: verify: %w: byte %d is not of the base64url alphabet or '.'", jwt.ErrTokenMalformed, i)
	}
	var w payload
	var kid string
	_, err := verifyParser.ParseWithClaims(raw, &w, func(t *jwt.Token) (any, error) {
		var problems []string
		k, _ := t.Header["kid"].(string)
		switch {
		case k == "":
			problems = append(problems, `the header has no "kid" (the public-key ARN)`)
		case !rules.PublicKeyArn.Valid(k):
			problems = append(problems, `the header's "kid" `+rules.Quote(k)+" is not a public-key ARN")
		}
		if typ, _ := t.Header["typ"].(string); typ != "JWT" {
			problems = append(problems, `the header's "typ" is not "JWT"`)
		}
		if _, crit := t.Header["crit"]; crit {
			problems = append(problems, `the header has "crit": no critical extension is supported, so the token is refused`)
		}
		if len(problems) > 0 {
			return nil, errors.New(strings.Join(problems, "; "))
		}
		kid = k
		return keyFor(k)
	})
	if err != nil {
		return Claims{}, fmt.Errorf("token: verify: %w", err)
	}
	c, err := checkClaims(&w, now)
	if err != nil {
		return Claims{}, fmt.Errorf("token: verify: %w", err)
	}
	c.KeyID = kid
	return c, nil
}

// notCompactJWS reports a rune that cannot appear in a compact JWS: anything but base64url and '.'.
func notCompactJWS(r rune) bool {
	return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.')
}

// problems is a list of errors, each wrapping a jwt/v5 sentinel, shown on one line.
type problems []error

func (p problems) Error() string {
	s := make([]string, len(p))
	for i, e := range p {
		s[i] = e.Error()
	}
	return strings.Join(s, "; ")
}

func (p problems) Unwrap() []error { return p }

// checkClaims checks the claim set and the time, and returns the typed claims.
func checkClaims(w *payload, now time.Time) (Claims, error) {
	var errs problems
	invalid := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{jwt.ErrTokenInvalidClaims}, args...)...))
	}
	missing := func(name string) { invalid("the %q claim is missing", name) }
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}

	switch {
	case w.Version == nil:
		missing("version")
	case *w.Version != ClaimsVersion:
		invalid(`"version" %s is not %q`, rules.Quote(*w.Version), ClaimsVersion)
	}
	switch {
	case w.Jti == nil:
		missing("jti")
	case !participantTokenID.MatchString(*w.Jti):
		invalid(`"jti" %s is not 1..64 characters of [A-Za-z0-9_-]`, rules.Quote(*w.Jti))
	}
	resource := str(w.Resource)
	switch {
	case w.Resource == nil:
		missing("resource")
	case !rules.StageArn.Valid(resource):
		invalid(`"resource" %s is not a stage ARN`, rules.Quote(resource))
	}
	switch {
	case w.Topic == nil:
		missing("topic")
	case rules.StageArn.Valid(resource) && *w.Topic != stageID(resource):
		invalid(`"topic" %s is not the stage ID of "resource" (%q)`, rules.Quote(*w.Topic), stageID(resource))
	}
	for _, u := range []struct {
		name, scheme string
		v            *string
	}{{"events_url", "wss", w.EventsURL}, {"whip_url", "https", w.WhipURL}} {
		if u.v == nil {
			missing(u.name)
		} else if rule, _ := urlProblem(*u.v, u.scheme); rule != "" {
			invalid("%q %s is not a URL starting with %s:// and naming a host", u.name, rules.Quote(*u.v), u.scheme)
		}
	}
	switch {
	case w.Capabilities == nil:
		missing("capabilities")
	case w.Capabilities.AllowPublish == nil || w.Capabilities.AllowSubscribe == nil:
		invalid(`"capabilities" needs both "allow_publish" and "allow_subscribe"`)
	}
	if n := utf8.RuneCountInString(str(w.UserID)); n > MaxUserIDLength {
		invalid(`"user_id" has %d code points, more than %d`, n, MaxUserIDLength)
	}
	if n := rules.AttributesSize(w.Attributes); n > MaxAttributesSize {
		invalid(`"attributes" total %d bytes, more than %d`, n, MaxAttributesSize)
	}

	// Time. exp-iat is computed without overflow: both are arbitrary int64.
	const maxSeconds = uint64(MaxDuration / time.Second)
	const skew = int64(MaxClockSkew / time.Second)
	switch {
	case w.Exp == nil && w.Iat == nil:
		missing("exp")
		missing("iat")
	case w.Exp == nil:
		missing("exp")
	case w.Iat == nil:
		missing("iat")
	default:
		exp, iat, t := *w.Exp, *w.Iat, now.Unix()
		switch {
		case exp <= iat:
			invalid(`"exp" %d is not after "iat" %d`, exp, iat)
		case uint64(exp)-uint64(iat) > maxSeconds:
			invalid(`"exp" is %d s after "iat", more than the maximum lifetime of %d s (14 days)`, uint64(exp)-uint64(iat), maxSeconds)
		}
		if iat > t && iat-t > skew {
			errs = append(errs, fmt.Errorf("%w: \"iat\" %s is in the future (now %s)", jwt.ErrTokenUsedBeforeIssued,
				unixString(iat), unixString(t)))
		}
		if t >= exp {
			errs = append(errs, fmt.Errorf("%w: \"exp\" %s is not after now (%s)", jwt.ErrTokenExpired,
				unixString(exp), unixString(t)))
		}
	}
	if len(errs) > 0 {
		return Claims{}, errs
	}

	c := Claims{
		ExpiresAt:     time.Unix(*w.Exp, 0).UTC(),
		IssuedAt:      time.Unix(*w.Iat, 0).UTC(),
		ParticipantID: *w.Jti,
		UserID:        str(w.UserID),
		StageARN:      resource,
		StageID:       *w.Topic,
		EventsURL:     *w.EventsURL,
		WhipURL:       *w.WhipURL,
		Capabilities: ClaimCapabilities{
			AllowPublish:   *w.Capabilities.AllowPublish,
			AllowSubscribe: *w.Capabilities.AllowSubscribe,
		},
		Version: *w.Version,
	}
	if len(w.Attributes) > 0 {
		c.Attributes = w.Attributes
	}
	return c, nil
}

// unixString shows Unix seconds as RFC 3339 UTC.
func unixString(sec int64) string {
	return time.Unix(sec, 0).UTC().Format(time.RFC3339)
}
