package stagetest

import (
	"crypto/ecdsa"
	"crypto/x509"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/golang-jwt/jwt/v5"
)

// Errors of the simulation verbs ([Server.Join], [Server.Publish], [Server.Unpublish], [Server.Leave]).
// Each returned error wraps one or more of them (test with errors.Is) and adds the detail of the case; a
// refused join wraps ErrJoinRefused and the reason. Error texts never hold a token.
var (
	// ErrUnknownStage: no stage with that ARN exists.
	ErrUnknownStage = errors.New("stagetest: unknown stage")
	// ErrUnknownParticipant: the stage's active session has no participant with that ID.
	ErrUnknownParticipant = errors.New("stagetest: unknown participant")

	// ErrJoinRefused: Join refused the token; the error also wraps one of the reasons below.
	ErrJoinRefused = errors.New("stagetest: join refused")
	// ErrTokenMalformed: the token is neither an API token the server issued nor a well-formed self-signed
	// JWT with every mandatory claim.
	ErrTokenMalformed = errors.New("stagetest: malformed token")
	// ErrTokenSignature: the self-signed token's signature does not verify with the key its kid names, or
	// its algorithm is not ES384 (a forged or tampered token).
	ErrTokenSignature = errors.New("stagetest: token signature does not verify")
	// ErrUnknownKey: the self-signed token's kid names no public key the server holds (never imported, or
	// deleted).
	ErrUnknownKey = errors.New("stagetest: unknown public key")
	// ErrTokenExpired: the token's expiration time (an API token's expirationTime, a self-signed token's
	// exp) is not after the server's clock.
	ErrTokenExpired = errors.New("stagetest: token expired")
	// ErrTokenNotYetValid: the self-signed token's iat (or nbf, when it has one) is after the server's
	// clock: it was minted by a clock ahead of the server's. Give the Signer the server's clock
	// (token.Signer.WithClock(clock.Now)) to mint tokens valid at any date the server's clock reads.
	ErrTokenNotYetValid = errors.New("stagetest: token not valid yet")
	// ErrWrongStage: the token was issued for another stage.
	ErrWrongStage = errors.New("stagetest: token is for another stage")
	// ErrParticipantDisconnected: DisconnectParticipant disconnected this participant; its token never
	// joins again.
	ErrParticipantDisconnected = errors.New("stagetest: participant was disconnected")
	// ErrAlreadyConnected: the participant is connected already (the fake refuses a second connection with
	// the same token instead of replacing the first).
	ErrAlreadyConnected = errors.New("stagetest: participant is already connected")

	// ErrNotConnected: the participant has left or was disconnected.
	ErrNotConnected = errors.New("stagetest: participant is not connected")
	// ErrNoPublishCapability: the participant's token does not grant PUBLISH.
	ErrNoPublishCapability = errors.New("stagetest: token does not allow publishing")
	// ErrAlreadyPublishing: the participant is publishing already.
	ErrAlreadyPublishing = errors.New("stagetest: participant is already publishing")
	// ErrNotPublishing: the participant is not publishing.
	ErrNotPublishing = errors.New("stagetest: participant is not publishing")
	// ErrPublisherQuota: the stage has [MaxPublishers] publishers already.
	ErrPublisherQuota = errors.New("stagetest: too many publishers on the stage")
	// ErrReplica: the participant is a replica, which only its source's replication moves.
	ErrReplica = errors.New("stagetest: participant is a replica")
)

// selfSignedMaxLifetime is the longest exp−iat of a self-signed token (14 days).
const selfSignedMaxLifetime = 14 * 24 * time.Hour

// jtiPattern is what the user guide allows as a self-signed token's jti (participant ID).
var jtiPattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)

// grant is what a token allows: who joins and what they may do.
type grant struct {
	stageARN      string
	participantID string
	userID        string
	attributes    map[string]string
	publish       bool
	subscribe     bool
	expires       time.Time
}

// issueFor issues a participant token for the stage and remembers what it grants, so that Join accepts it.
func (s *Server) issueFor(stageARN string, spec tokenSpec, now time.Time) tokenJSON {
	tok := issue(spec, now)
	g := &grant{
		stageARN:      stageARN,
		participantID: tok.ParticipantID,
		attributes:    maps.Clone(spec.attributes),
		publish:       slices.Contains(tok.Capabilities, "PUBLISH"),
		subscribe:     slices.Contains(tok.Capabilities, "SUBSCRIBE"),
		expires:       now.Add(time.Duration(spec.duration) * time.Minute),
	}
	if spec.userID != nil {
		g.userID = *spec.userID
	}
	s.play.tokens[tok.Token] = g
	return tok
}

// refuse returns a join refusal wrapping ErrJoinRefused and reason.
func refuse(reason error, format string, args ...any) error {
	return &refusal{reason: reason, detail: fmt.Sprintf(format, args...)}
}

// refusal is the error of a refused Join: "stagetest: join refused: <reason>: <detail>". errors.Is finds
// ErrJoinRefused and the reason in it.
type refusal struct {
	reason error
	detail string
}

func (r *refusal) Error() string {
	return ErrJoinRefused.Error() + ": " + strings.TrimPrefix(r.reason.Error(), "stagetest: ") + ": " + r.detail
}

func (r *refusal) Unwrap() []error { return []error{ErrJoinRefused, r.reason} }

// Join connects the holder of token to the stage and returns its participant ID. The token is either an
// API token the server issued (CreateStage or CreateParticipantToken) for that stage, or a self-signed ES384
// JWT (the user guide's format) whose header kid is the ARN of a public key imported into the server, whose
// topic is the stage's ID and resource its ARN, with the mandatory claims exp, iat, jti (the participant ID),
// capabilities and version "1.0", exp at most 14 days after iat. A token expired by the server's clock
// (exp ≤ now), not valid yet by it (iat, or nbf when present, > now: [ErrTokenNotYetValid]), for another
// stage, signed with another key or algorithm, or signed with a key that was never imported or was deleted
// is refused, as is the token of a participant that DisconnectParticipant disconnected, and a participant
// that is connected already. Every refusal wraps [ErrJoinRefused] and its reason ([ErrTokenMalformed],
// [ErrTokenSignature], [ErrUnknownKey], [ErrTokenExpired], [ErrTokenNotYetValid], [ErrWrongStage],
// [ErrParticipantDisconnected], [ErrAlreadyConnected]); an unknown stage is [ErrUnknownStage]. A refusal for
// the token's times names the claim, its time and the server's clock, in UTC (`exp
// 2026-01-01T00:00:00Z is before the fake's clock 2026-01-01T00:00:01Z`, `iat 2030-01-01T00:00:00Z is
// after the fake's clock 2026-01-01T00:00:00Z`). A refused join of a participant that the stage's active
// session knows records a JOIN_ERROR participant event.
//
// Times are the server's clock ([WithClock]): a token.Signer given the same clock
// (signer.WithClock(clock.Now)) mints tokens that Join accepts at any date the clock reads.
//
// A join with no active session starts one (st-<13 alphanumerics>). The participant becomes CONNECTED and
// gets a JOINED event; a participant that left and joins again with the same token, in the same session,
// is the same participant again (its firstJoinTime unchanged).
func (s *Server) Join(stageARN, token string) (participantID string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.settle(now)
	st := s.stages[stageARN]
	if st == nil {
		return "", fmt.Errorf("%w: %s", ErrUnknownStage, showARN(stageARN))
	}
	g, err := s.verifyToken(st, token, now)
	if err != nil {
		if g.participantID != "" {
			s.joinError(st, g.participantID, "INVALID_INPUT", now)
		}
		return "", err
	}
	if s.play.revoked[revokeKey(st.arn, g.participantID)] {
		s.joinError(st, g.participantID, "INSUFFICIENT_CAPABILITIES", now)
		return "", refuse(ErrParticipantDisconnected, "participant %s of stage %s was disconnected by DisconnectParticipant", g.participantID, st.arn)
	}
	sess := s.activeSession(st)
	if p := s.findParticipant(sess, g.participantID); p != nil && p.connected {
		s.joinError(st, g.participantID, "INVALID_INPUT", now)
		return "", refuse(ErrAlreadyConnected, "participant %s is connected to stage %s", g.participantID, st.arn)
	}
	if sess == nil {
		sess = s.startSession(st, now)
	}
	p := sess.participants[g.participantID]
	if p == nil {
		p = s.newParticipant(sess, g.participantID, now)
		p.userID, p.attributes = g.userID, g.attributes
	}
	if p.source != nil { // a former replica (its replication stopped) now joins in its own right
		p.source, p.replType, p.replState = nil, "NONE", ""
	}
	p.canPublish, p.canSubscribe = g.publish, g.subscribe
	p.connected = true
	p.addEvent(participantEvent{Name: "JOINED", EventTime: now})
	return p.id, nil
}

// joinError records a JOIN_ERROR for a participant the stage's active session knows.
func (s *Server) joinError(st *stage, participantID, code string, now time.Time) {
	if p := s.findParticipant(s.activeSession(st), participantID); p != nil {
		p.addEvent(participantEvent{Name: "JOIN_ERROR", EventTime: now, ErrorCode: code})
	}
}

func revokeKey(stageARN, participantID string) string { return stageARN + " " + participantID }

// verifyToken checks token for st. On refusal it still returns the participant ID when the token names one.
func (s *Server) verifyToken(st *stage, token string, now time.Time) (grant, error) {
	if g := s.play.tokens[token]; g != nil {
		switch {
		case g.stageARN != st.arn:
			return grant{}, refuse(ErrWrongStage, "API token of participant %s was issued for stage %s, not %s", g.participantID, g.stageARN, st.arn)
		case !now.Before(g.expires):
			return *g, refuse(ErrTokenExpired, "API token of participant %s: %s", g.participantID, expiredAt("expirationTime", g.expires, now))
		}
		return *g, nil
	}
	return s.verifySelfSigned(st, token, now)
}

// verifySelfSigned checks a self-signed ES384 token (the user guide's claims) with the server's own code:
// the signature first, then the times against the server's clock now, then the other claims.
func (s *Server) verifySelfSigned(st *stage, raw string, now time.Time) (grant, error) {
	if strings.Count(raw, ".") != 2 {
		return grant{}, refuse(ErrTokenMalformed, "neither an API token issued by the server nor a compact JWS (%d bytes)", len(raw))
	}
	parser := jwt.NewParser(jwt.WithValidMethods([]string{jwt.SigningMethodES384.Alg()}),
		jwt.WithoutClaimsValidation(), // the times are checked below, against the server's clock, with messages that name it
		jwt.WithStrictDecoding())      // canonical base64url only: no second spelling of a signed token
	claims := jwt.MapClaims{}
	_, err := parser.ParseWithClaims(raw, claims, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		k := s.keys[kid]
		if k == nil {
			return nil, fmt.Errorf("%w: kid %s", ErrUnknownKey, show(kid))
		}
		pub, err := x509.ParsePKIXPublicKey(k.der)
		if err != nil {
			return nil, err
		}
		ec, ok := pub.(*ecdsa.PublicKey)
		if !ok {
			return nil, errors.New("public key is not ECDSA")
		}
		return ec, nil
	})
	switch {
	case err == nil:
	case errors.Is(err, ErrUnknownKey):
		return grant{}, refuse(ErrUnknownKey, "%v", err)
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return grant{}, refuse(ErrTokenSignature, "%v", err)
	default:
		return grant{}, refuse(ErrTokenMalformed, "%v", err)
	}
	// The signature holds, so the jti is the signer's: a refusal for the times names the participant.
	jti, _ := claims["jti"].(string)
	iat, exp, problems := selfSignedTimes(claims)
	if len(problems) > 0 {
		return grant{}, refuse(ErrTokenMalformed, "%s", strings.Join(problems, "; "))
	}
	if !now.Before(exp) {
		return grant{participantID: jti}, refuse(ErrTokenExpired, "%s", expiredAt("exp", exp, now))
	}
	if iat.After(now) {
		return grant{participantID: jti}, refuse(ErrTokenNotYetValid, "iat %s is after the fake's clock %s", utc(iat), utc(now))
	}
	if nbf, err := claims.GetNotBefore(); err != nil {
		return grant{}, refuse(ErrTokenMalformed, "claim \"nbf\" must be a number")
	} else if nbf != nil && nbf.After(now) {
		return grant{participantID: jti}, refuse(ErrTokenNotYetValid, "nbf %s is after the fake's clock %s", utc(nbf.Time), utc(now))
	}
	g, problems := selfSignedGrant(claims)
	if len(problems) > 0 {
		return grant{}, refuse(ErrTokenMalformed, "%s", strings.Join(problems, "; "))
	}
	g.expires = exp
	if exp.Sub(iat) > selfSignedMaxLifetime {
		return grant{}, refuse(ErrTokenMalformed, "exp is more than 14 days after iat")
	}
	if topic, _ := claims["topic"].(string); topic != stageID(st.arn) || g.stageARN != st.arn {
		return grant{}, refuse(ErrWrongStage, "token's topic %s and resource %s do not name stage %s", show(topic), show(g.stageARN), st.arn)
	}
	return g, nil
}

// selfSignedTimes reads the mandatory iat and exp claims (NumericDates: JSON numbers of seconds), and
// lists what is missing or wrong.
func selfSignedTimes(c jwt.MapClaims) (iat, exp time.Time, problems []string) {
	for _, claim := range []struct {
		name string
		get  func() (*jwt.NumericDate, error)
		into *time.Time
	}{{"iat", c.GetIssuedAt, &iat}, {"exp", c.GetExpirationTime, &exp}} {
		switch d, err := claim.get(); {
		case err != nil:
			problems = append(problems, fmt.Sprintf("claim %q must be a number", claim.name))
		case d == nil:
			problems = append(problems, fmt.Sprintf("claim %q is missing", claim.name))
		default:
			*claim.into = d.Time
		}
	}
	return iat, exp, problems
}

// expiredAt says why a token whose claim (exp, expirationTime) is exp is refused at the server's clock
// now (exp ≤ now).
func expiredAt(claim string, exp, now time.Time) string {
	if exp.Equal(now) {
		return fmt.Sprintf("%s %s is the fake's clock %s: a token is valid only before it", claim, utc(exp), utc(now))
	}
	return fmt.Sprintf("%s %s is before the fake's clock %s", claim, utc(exp), utc(now))
}

// utc shows t as RFC 3339 in UTC.
func utc(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// selfSignedGrant reads the claims of a verified self-signed token and lists what is missing or wrong.
func selfSignedGrant(c jwt.MapClaims) (grant, []string) {
	var g grant
	var problems []string
	str := func(name string, required bool) string {
		v, present := c[name]
		s, isStr := v.(string)
		if (present && !isStr) || (required && !present) {
			problems = append(problems, fmt.Sprintf("claim %q must be a string", name))
		}
		return s
	}
	g.participantID = str("jti", true)
	if !jtiPattern.MatchString(g.participantID) {
		problems = append(problems, "claim \"jti\" must be 1 to 64 characters of [A-Za-z0-9_-]")
	}
	g.stageARN = str("resource", true)
	str("topic", true)
	if v := str("version", true); v != "1.0" {
		problems = append(problems, "claim \"version\" must be \"1.0\"")
	}
	g.userID = str("user_id", false)
	if utf8.RuneCountInString(g.userID) > MaxUserIDLength {
		problems = append(problems, fmt.Sprintf("claim \"user_id\" is longer than %d characters", MaxUserIDLength))
	}
	caps, isObj := c["capabilities"].(map[string]any)
	if !isObj {
		problems = append(problems, "claim \"capabilities\" must be an object")
	}
	g.publish, _ = caps["allow_publish"].(bool)
	g.subscribe, _ = caps["allow_subscribe"].(bool)
	if a, present := c["attributes"]; present {
		m, isMap := a.(map[string]any)
		if !isMap {
			problems = append(problems, "claim \"attributes\" must be an object of strings")
		}
		g.attributes = make(map[string]string, len(m))
		total := 0
		for k, v := range m {
			vs, isStr := v.(string)
			if !isStr {
				problems = append(problems, fmt.Sprintf("attribute %q must be a string", k))
			}
			g.attributes[k] = vs
			total += len(k) + len(vs)
		}
		if total > MaxAttributesSize {
			problems = append(problems, fmt.Sprintf("claim \"attributes\" holds %d bytes, more than %d", total, MaxAttributesSize))
		}
	}
	slices.Sort(problems)
	return g, problems
}

// stageID returns the last path segment of a stage ARN.
func stageID(arn string) string {
	return arn[strings.LastIndexByte(arn, '/')+1:]
}
