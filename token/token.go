package token

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"

	"github.com/ivsrt/ivsrt/internal/secret"
)

// Redacted stands in for the bearer string wherever a Token is printed or logged.
const Redacted = secret.Redacted

// Token is a participant token: what a client needs to join a stage, and what it says about the participant.
//
// The bearer string itself is a secret. It is reached only through Value and MarshalJSON (handing the token
// to a browser is the point of JSON); fmt (every verb), String, GoString and slog show Redacted in its
// place, and no error of this library ever contains it. Two limits of Go itself remain: slog's JSON handler
// encodes Tokens held in a container (a slice, a map, a struct's field) with MarshalJSON (log tokens one at
// a time, so LogValue applies), and dumpers that follow pointers by reflection (such as go-spew, used by
// testify's failure messages) can reach it.
type Token struct {
	// ParticipantID is the participant's ID, assigned by IVS (API tokens) or by the Signer (self-signed).
	ParticipantID string
	// UserID is the application's name for the participant ("" when none).
	UserID string
	// Attributes are the application's attributes, visible to every participant (nil when none).
	Attributes map[string]string
	// Capabilities are what the participant may do.
	Capabilities []Capability
	// Duration is the token's lifetime.
	Duration time.Duration
	// ExpiresAt is when the token stops being accepted, in UTC (zero when the service did not say).
	ExpiresAt time.Time

	// value is the bearer string behind a pointer: fmt prints a *string nested in a struct as an address,
	// so even a struct holding a Token in an unexported field (which fmt prints by reflection, without
	// calling Format) does not show it.
	value *string
}

// FromSDK converts a token the service issued (CreateStage, CreateParticipantToken) into a Token. Absent
// fields read as the service's defaults: capabilities both, duration DefaultDuration (Client.Create and
// CreateMany read an absent field as the value requested first, see Create). ExpiresAt is in UTC, whatever
// zone offset the response's expirationTime had. Like the SDK's own outputs, the result shares p's
// attributes map and token string rather than copying them: a response belongs to its caller, so nothing
// else changes them.
func FromSDK(p types.ParticipantToken) Token {
	t := fromSDK(p)
	if p.Capabilities != nil {
		t.Capabilities = make([]Capability, len(p.Capabilities))
		convertCapabilities(t.Capabilities, p.Capabilities)
	}
	return t
}

// FromSDKList converts the tokens of a response (CreateStage's ParticipantTokens) as FromSDK does, in
// order, allocating once for the Tokens and once for all their capabilities. Each token's Capabilities
// has its own capacity, so appending to one never changes another. It returns nil for no tokens.
func FromSDKList(ps []types.ParticipantToken) []Token {
	if len(ps) == 0 {
		return nil
	}
	n := 0
	for _, p := range ps {
		n += len(p.Capabilities)
	}
	caps := make([]Capability, n)
	out := make([]Token, len(ps))
	for i, p := range ps {
		out[i] = fromSDK(p)
		if p.Capabilities != nil {
			k := len(p.Capabilities)
			out[i].Capabilities = caps[:k:k]
			convertCapabilities(out[i].Capabilities, p.Capabilities)
			caps = caps[k:]
		}
	}
	return out
}

// fromSDK converts every field of p but a non-nil Capabilities, which it leaves to the caller.
func fromSDK(p types.ParticipantToken) Token {
	t := Token{
		ParticipantID: aws.ToString(p.ParticipantId),
		UserID:        aws.ToString(p.UserId),
		Attributes:    p.Attributes,
		Duration:      DefaultDuration,
		ExpiresAt:     aws.ToTime(p.ExpirationTime).UTC(),
		value:         p.Token,
	}
	if p.Duration != nil {
		t.Duration = time.Duration(*p.Duration) * time.Minute
	}
	if p.Capabilities == nil {
		t.Capabilities = []Capability{Publish, Subscribe}
	}
	return t
}

// fromCreate converts the token of a CreateParticipantToken response to the request in. Each of userId,
// duration, capabilities and attributes that the response leaves out reads as the value in requested;
// what in left unset too reads as the service's default (FromSDK: duration DefaultDuration, both
// capabilities, no user ID, no attributes). A field the response holds is the service's word and wins. The
// Token may share in's attributes map: in is the request's own copy (Config.ToSDK), used by nobody after.
func fromCreate(p types.ParticipantToken, in *ivsrealtime.CreateParticipantTokenInput) Token {
	if p.UserId == nil {
		p.UserId = in.UserId
	}
	if p.Duration == nil {
		p.Duration = in.Duration
	}
	if p.Capabilities == nil {
		p.Capabilities = in.Capabilities
	}
	if p.Attributes == nil {
		p.Attributes = in.Attributes
	}
	return FromSDK(p)
}

func convertCapabilities(dst []Capability, src []types.ParticipantTokenCapability) {
	for i, c := range src {
		dst[i] = Capability(c)
	}
}

// Value returns the bearer string to hand to the participant's client. It is a secret: do not log it.
func (t Token) Value() string {
	if t.value == nil {
		return ""
	}
	return *t.value
}

// IsZero reports whether t is the zero Token (no bearer string, no participant).
func (t Token) IsZero() bool {
	return t.value == nil && t.ParticipantID == "" && t.UserID == "" && t.Attributes == nil &&
		t.Capabilities == nil && t.Duration == 0 && t.ExpiresAt.IsZero()
}

// String describes the token without its bearer string.
func (t Token) String() string { return t.describe(false) }

// GoString is the %#v form, without the bearer string.
func (t Token) GoString() string { return t.describe(true) }

// Format implements fmt.Formatter so that no verb ever prints the bearer string.
func (t Token) Format(f fmt.State, verb rune) { secret.Format(f, verb, t.String, t.GoString) }

func (t Token) describe(goSyntax bool) string {
	var b strings.Builder
	if goSyntax {
		b.WriteString("token.Token")
	}
	fmt.Fprintf(&b, "{ParticipantID: %q, UserID: %q", t.ParticipantID, t.UserID)
	if len(t.Attributes) > 0 {
		fmt.Fprintf(&b, ", Attributes: %q", slices.Sorted(maps.Keys(t.Attributes)))
	}
	fmt.Fprintf(&b, ", Capabilities: %v, Duration: %s, ExpiresAt: %s, Value: ", t.Capabilities, t.Duration, t.ExpiresAt.Format(time.RFC3339))
	secret.Mark(&b, t.value != nil)
	b.WriteByte('}')
	return b.String()
}

// LogValue implements slog.LogValuer: the token's fields without its bearer string.
func (t Token) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("participant_id", t.ParticipantID),
		slog.String("user_id", t.UserID),
		slog.Any("capabilities", t.Capabilities),
		slog.Duration("duration", t.Duration),
		slog.Time("expires_at", t.ExpiresAt),
	}
	if t.value != nil {
		attrs = append(attrs, slog.String("token", Redacted))
	}
	return slog.GroupValue(attrs...)
}

// tokenJSON is the JSON shape of a Token.
type tokenJSON struct {
	ParticipantID   string            `json:"participantId"`
	UserID          string            `json:"userId,omitempty"`
	Attributes      map[string]string `json:"attributes,omitempty"`
	Capabilities    []Capability      `json:"capabilities"`
	DurationSeconds int64             `json:"durationSeconds"`
	ExpiresAt       time.Time         `json:"expiresAt"`
	Token           string            `json:"token"`
}

// MarshalJSON encodes the token for a client, bearer string included as "token":
// {"participantId", "userId", "attributes", "capabilities", "durationSeconds", "expiresAt", "token"}.
func (t Token) MarshalJSON() ([]byte, error) {
	return json.Marshal(tokenJSON{
		ParticipantID:   t.ParticipantID,
		UserID:          t.UserID,
		Attributes:      t.Attributes,
		Capabilities:    t.Capabilities,
		DurationSeconds: int64(t.Duration / time.Second),
		ExpiresAt:       t.ExpiresAt,
		Token:           t.Value(),
	})
}

// UnmarshalJSON decodes what MarshalJSON encodes, "expiresAt" read into UTC whatever its offset. Its
// errors never show a value of the document (a bearer string pasted into the wrong field would otherwise
// appear in the error).
func (t *Token) UnmarshalJSON(b []byte) error {
	var j struct {
		tokenJSON
		ExpiresAt json.RawMessage `json:"expiresAt"` // decoded below, where its error can be kept free of the value
	}
	if err := json.Unmarshal(b, &j); err != nil {
		var syntax *json.SyntaxError
		var typ *json.UnmarshalTypeError
		if errors.As(err, &syntax) || errors.As(err, &typ) { // their texts name offsets and types, not values
			return fmt.Errorf("token: decoding JSON: %w", err)
		}
		return errors.New("token: decoding JSON: the document does not have the shape MarshalJSON writes")
	}
	var expires time.Time
	if len(j.ExpiresAt) > 0 {
		if err := expires.UnmarshalJSON(j.ExpiresAt); err != nil {
			return errors.New(`token: decoding JSON: "expiresAt" is not an RFC 3339 time string (value not shown)`)
		}
	}
	*t = Token{
		ParticipantID: j.ParticipantID,
		UserID:        j.UserID,
		Attributes:    j.Attributes,
		Capabilities:  j.Capabilities,
		Duration:      time.Duration(j.DurationSeconds) * time.Second,
		ExpiresAt:     expires.UTC(),
	}
	if j.Token != "" {
		t.value = &j.Token
	}
	return nil
}
