package token

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"

	"github.com/ivsrt/ivsrt/internal/copymap"
	"github.com/ivsrt/ivsrt/internal/rules"
)

// Capability is what a participant may do on a stage (the model's ParticipantTokenCapability).
type Capability string

// The capabilities. A token with none set gets both (the service default).
const (
	Publish   Capability = "PUBLISH"   // send audio and video to the stage
	Subscribe Capability = "SUBSCRIBE" // receive the other participants' media
)

var capabilities = rules.NewEnum(Publish, Subscribe)

// Values lists every Capability, in the model's order, in a new slice the caller may modify.
func (Capability) Values() []Capability { return capabilities.Values() }

// Valid reports whether c is one of Values().
func (c Capability) Valid() bool { return capabilities.Has(c) }

// The service's defaults and limits for participant tokens.
const (
	// DefaultDuration is a token's lifetime when none is set (720 minutes).
	DefaultDuration = rules.TokenDurationDefaultMinutes * time.Minute
	// MinDuration is the shortest token lifetime (1 minute).
	MinDuration = rules.TokenDurationMinMinutes * time.Minute
	// MaxDuration is the longest token lifetime (14 days, 20,160 minutes).
	MaxDuration = rules.TokenDurationMaxMinutes * time.Minute
	// MaxUserIDLength is the longest user ID, in code points.
	MaxUserIDLength = rules.UserIDMaxLength
	// MaxAttributesSize is the largest attributes map, in bytes: the sum of len(key)+len(value) over all
	// attributes (the service documents "1 KB total").
	MaxAttributesSize = rules.AttributesMaxBytes
)

// Field names of the SDK's types.ParticipantTokenConfiguration, as they appear in error paths.
const (
	configContext    = "ParticipantTokenConfiguration"
	fieldDuration    = "Duration"
	fieldUserID      = "UserId"
	fieldAttributes  = "Attributes"
	fieldCapabilites = "Capabilities"
)

// Config is a participant token configuration: who the token is for, what it allows and how long it lives.
// Build it with New and With… methods.
//
// A Config is an immutable value: every With… returns a modified copy and copies the slices and maps it is
// given, so one Config can be shared between goroutines and used as a template. The zero Config is valid
// and equal to New(): every field is left to the service's default.
type Config struct {
	userID      string
	duration    time.Duration
	durationSet bool
	caps        []Capability // never written after construction
	capsSet     bool
	attrs       map[string]string // never written after construction
}

// New returns an empty Config: no user ID, no attributes, DefaultDuration (12 h), both capabilities.
func New() Config { return Config{} }

// WithUserID sets the user ID, an application name for the participant, any UTF-8 of at most
// MaxUserIDLength (128) code points; "" means none. It is visible to every participant of the stage.
func (c Config) WithUserID(id string) Config { c.userID = id; return c }

// WithDuration sets the token's lifetime: whole minutes from MinDuration (1 minute) to MaxDuration
// (14 days). Default: DefaultDuration (12 h).
func (c Config) WithDuration(d time.Duration) Config {
	c.duration, c.durationSet = d, true
	return c
}

// WithCapabilities sets what the participant may do: one or both of Publish and Subscribe, each at most
// once. Default (not called): both. Calling it with no capability is a validation error, since a token that
// can do nothing is never what is meant; leave it out for the default.
func (c Config) WithCapabilities(caps ...Capability) Config {
	c.caps, c.capsSet = slices.Clone(caps), true
	return c
}

// WithAttributes replaces the attributes with a copy of attrs (nil or empty: none). Keys and values are any
// UTF-8; together they may total MaxAttributesSize (1,024) bytes, counted as the sum of len(key)+len(value).
// They are visible to every participant of the stage.
func (c Config) WithAttributes(attrs map[string]string) Config {
	c.attrs = copymap.Replace(attrs)
	return c
}

// WithAttribute returns c with one attribute added (or replaced), leaving c's own attributes untouched. All
// the attributes together may total MaxAttributesSize (1,024) bytes, as for WithAttributes, checked by
// Validate. Default: none.
func (c Config) WithAttribute(key, value string) Config {
	c.attrs = copymap.With(c.attrs, key, value)
	return c
}

// UserID returns the user ID ("" when none).
func (c Config) UserID() string { return c.userID }

// Duration returns the token lifetime the service will apply: the one set, or DefaultDuration.
func (c Config) Duration() time.Duration {
	if c.durationSet {
		return c.duration
	}
	return DefaultDuration
}

// Capabilities returns a copy of the capabilities the token will carry: the ones set, or both.
func (c Config) Capabilities() []Capability {
	if c.capsSet {
		return slices.Clone(c.caps)
	}
	return []Capability{Publish, Subscribe}
}

// Attributes returns a copy of the attributes (nil when none).
func (c Config) Attributes() map[string]string { return maps.Clone(c.attrs) }

// Validate checks every rule: user ID length (≤128 code points), duration (whole minutes, 1..20,160),
// capabilities (1..2, each Publish or Subscribe, no duplicates), attributes size (≤1,024 bytes). All
// violations are reported at once as a smithy.InvalidParamsError whose entries' paths start at
// "ParticipantTokenConfiguration".
func (c Config) Validate() error {
	errs := smithy.InvalidParamsError{Context: configContext}
	c.validate(&errs)
	return rules.Result(errs)
}

func (c Config) validate(errs *smithy.InvalidParamsError) {
	rules.UserID.Check(errs, fieldUserID, c.userID)
	if c.durationSet {
		rules.TokenDurationMinutes.CheckDuration(errs, fieldDuration, c.duration, time.Minute)
	}
	if c.capsSet {
		if len(c.caps) == 0 {
			errs.Add(rules.New(fieldCapabilites, rules.RuleLength,
				"no capability given: name Publish and/or Subscribe, or leave capabilities unset for both"))
		}
		rules.CheckList(errs, fieldCapabilites, c.caps, rules.CapabilitiesMax)
	}
	rules.CheckAttributes(errs, fieldAttributes, c.attrs)
}

// ToSDK validates c and returns it as the SDK's type. Unset fields are nil so the service applies its
// defaults; the attributes map is a copy.
func (c Config) ToSDK() (types.ParticipantTokenConfiguration, error) {
	if err := c.Validate(); err != nil {
		return types.ParticipantTokenConfiguration{}, err
	}
	var out types.ParticipantTokenConfiguration
	if c.userID != "" {
		out.UserId = aws.String(c.userID)
	}
	if c.durationSet {
		out.Duration = aws.Int32(int32(c.duration / time.Minute))
	}
	if c.capsSet {
		out.Capabilities = make([]types.ParticipantTokenCapability, len(c.caps))
		for i, v := range c.caps {
			out.Capabilities[i] = types.ParticipantTokenCapability(v)
		}
	}
	out.Attributes = maps.Clone(c.attrs)
	return out, nil
}

// String describes c as the calls that build it. Attribute values are not shown, only their keys.
func (c Config) String() string {
	s := "token.New()"
	if c.userID != "" {
		s += fmt.Sprintf(".WithUserID(%q)", c.userID)
	}
	if c.durationSet {
		s += fmt.Sprintf(".WithDuration(%s)", c.duration)
	}
	if c.capsSet {
		names := make([]string, len(c.caps))
		for i, v := range c.caps {
			names[i] = string(v)
		}
		s += ".WithCapabilities(" + strings.Join(names, ", ") + ")"
	}
	if len(c.attrs) > 0 {
		keys := slices.Sorted(maps.Keys(c.attrs))
		s += fmt.Sprintf(".WithAttributes(keys %q)", keys)
	}
	return s
}
