package composition

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"

	"github.com/ivsrt/ivsrt/internal/copymap"
	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/wire"
)

// Shape and field names of StartCompositionInput, as they appear in error paths.
const (
	startInput        = "StartCompositionInput"
	fieldStageArn     = "StageArn"
	fieldLayout       = "Layout"
	fieldDestinations = "Destinations"
	fieldTags         = "Tags"
	fieldToken        = "IdempotencyToken"
)

// Config is a composition to start: the stage, the layout, the destinations (1 or 2) and tags. Build it
// with New and With… methods; Client.Start sends it.
//
// A Config is an immutable value: every With… returns a modified copy and copies the maps and slices it is
// given, so one Config can be shared between goroutines and used as a template (New(arn) for each stage,
// the rest shared). Nothing a Config leaves unset is sent, and the service applies its defaults.
type Config struct {
	stageARN  string
	layout    Layout
	layoutSet bool
	dests     []Destination     // never written after construction
	tags      map[string]string // never written after construction
	key       string
	keySet    bool
}

// New returns a Config that composes the stage stageARN (arn:aws:ivs:<region>:<account>:stage/<id>, at
// most 128 code points). It needs at least one destination (WithDestinations); the layout defaults to the
// service's grid.
func New(stageARN string) Config { return Config{stageARN: stageARN} }

// WithLayout sets the layout: Grid() or Pip() with their settings. Default: no layout is sent, and the
// service composes a grid with its defaults.
func (c Config) WithLayout(l Layout) Config {
	c.layout, c.layoutSet = l, true
	return c
}

// WithDestinations replaces the destinations with a copy of dests: one (ToChannel or ToS3) or
// MaxDestinations (2), then one channel and one S3. Default: none, which Validate refuses.
func (c Config) WithDestinations(dests ...Destination) Config {
	c.dests = slices.Clone(dests)
	return c
}

// WithTags replaces the tags with a copy of tags (nil or empty: none): at most MaxTags (50), keys of 1 to
// 128 code points, values of at most 256. Default: no tags.
func (c Config) WithTags(tags map[string]string) Config {
	c.tags = copymap.Replace(tags)
	return c
}

// WithTag returns c with one tag added (or replaced), leaving c's own tags untouched.
func (c Config) WithTag(key, value string) Config {
	c.tags = copymap.With(c.tags, key, value)
	return c
}

// WithRequestKey makes Start idempotent across calls: the idempotency token sent is derived from key and
// the stage ARN (the same key on another stage gives another token), so when the caller's own code calls
// Start again with the same Config (after a timeout, a lost response, a crash and restart), the service
// returns the composition the first call started instead of starting a second one. key is
// MinRequestKeyLength (1) to MaxRequestKeyLength (64) code points of [a-zA-Z0-9-_], e.g. an event ID
// or "<session id>-recording". How long the service remembers a token is not documented.
//
// Without a key, each Start call sends a fresh token (a UUID the official client draws), which the SDK's
// own retries of that call reuse: a retried request never starts a second composition, but a second
// Start call always does.
func (c Config) WithRequestKey(key string) Config {
	c.key, c.keySet = key, true
	return c
}

// StageARN returns the stage ARN New was given.
func (c Config) StageARN() string { return c.stageARN }

// Layout returns the layout and whether one was set.
func (c Config) Layout() (Layout, bool) { return c.layout, c.layoutSet }

// Destinations returns a copy of the destinations (nil when none).
func (c Config) Destinations() []Destination { return slices.Clone(c.dests) }

// Tags returns a copy of the tags (nil when none).
func (c Config) Tags() map[string]string { return maps.Clone(c.tags) }

// RequestKey returns the key set with WithRequestKey and whether one was set.
func (c Config) RequestKey() (string, bool) { return c.key, c.keySet }

// Validate checks every rule before anything is sent: the model's (the stage ARN, 1..2 destinations,
// each destination's and the layout's rules, the tags, the request key as the idempotency token's
// 1..64 code points of [a-zA-Z0-9-_]) and the documented ones (at most one channel and one S3 destination;
// those of Layout.Validate and Destination.Validate). All violations are reported at once as a
// smithy.InvalidParamsError with the paths Client.Start reports, e.g.
// "StartCompositionInput.Destinations[0].S3.EncoderConfigurationArns". A valid Config is checked without
// allocating.
func (c Config) Validate() error {
	errs := smithy.InvalidParamsError{Context: startInput}
	c.validate(&errs)
	return rules.Result(errs)
}

func (c Config) validate(errs *smithy.InvalidParamsError) {
	stageArn.Check(errs, fieldStageArn, c.stageARN)
	if c.layoutSet {
		var sub smithy.InvalidParamsError
		c.layout.validate(&sub)
		if sub.Len() > 0 {
			errs.AddNested(fieldLayout, sub)
		}
	}
	switch n := len(c.dests); {
	case n == 0:
		errs.Add(rules.New(fieldDestinations, rules.RuleRequired,
			"missing: a composition needs 1 or 2 destinations (WithDestinations(composition.ToChannel(arn), composition.ToS3(arn)))"))
	case n > MaxDestinations:
		errs.Add(rules.New(fieldDestinations, rules.RuleLength,
			fmt.Sprintf("%d destinations exceed the maximum of %d (one channel and one s3)", n, MaxDestinations)))
	}
	channels, s3s := 0, 0
	for i, d := range c.dests {
		var sub smithy.InvalidParamsError
		d.validate(&sub)
		switch d.kind {
		case destinationChannel:
			if channels++; channels == 2 {
				sub.Add(rules.New(fieldChannel, rules.RuleConflict, "a second channel destination: a composition has at most one channel and one s3 destination"))
			}
		case destinationS3:
			if s3s++; s3s == 2 {
				sub.Add(rules.New(fieldS3, rules.RuleConflict, "a second s3 destination: a composition has at most one channel and one s3 destination"))
			}
		}
		if sub.Len() > 0 {
			errs.AddNested(fieldDestinations+rules.Index(i), sub)
		}
	}
	rules.CheckTags(errs, fieldTags, c.tags)
	if c.keySet {
		requestKey.Check(errs, fieldToken, c.key)
	}
}

// input validates c and returns the StartComposition input and the members the official client would
// drop (for wire.AddSetMembers). The input shares c's tags and encoder ARN slices: the SDK only reads
// them.
func (c Config) input() (*ivsrealtime.StartCompositionInput, []wire.Member, error) {
	if err := c.Validate(); err != nil {
		return nil, nil, err
	}
	in := &ivsrealtime.StartCompositionInput{
		StageArn:     aws.String(c.stageARN),
		Destinations: make([]types.DestinationConfiguration, len(c.dests)),
		Tags:         c.tags,
	}
	for i, d := range c.dests {
		in.Destinations[i] = d.toSDK()
	}
	var zeros []wire.Member
	if c.layoutSet {
		in.Layout, zeros = c.layout.toSDK()
	}
	if c.keySet {
		in.IdempotencyToken = aws.String(idempotencyToken(c.stageARN, c.key))
	}
	return in, zeros, nil
}

// tokenPrefix starts every idempotency token derived from a request key.
const tokenPrefix = "ivsrt-"

// idempotencyToken derives the token of a request key: tokenPrefix and the unpadded base64url SHA-256 of
// the stage ARN and the key (49 characters of [a-zA-Z0-9-_], within the model's 64).
func idempotencyToken(stageARN, key string) string {
	sum := sha256.Sum256([]byte(stageARN + "\x00" + key))
	return tokenPrefix + base64.RawURLEncoding.EncodeToString(sum[:])
}

// String describes c as the calls that build it. Tag values are not shown, only their keys.
func (c Config) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "composition.New(%q)", c.stageARN)
	if c.layoutSet {
		b.WriteString(".WithLayout(" + c.layout.String() + ")")
	}
	if c.dests != nil {
		b.WriteString(".WithDestinations(")
		for i, d := range c.dests {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(d.String())
		}
		b.WriteByte(')')
	}
	if len(c.tags) > 0 {
		fmt.Fprintf(&b, ".WithTags(keys %q)", slices.Sorted(maps.Keys(c.tags)))
	}
	if c.keySet {
		fmt.Fprintf(&b, ".WithRequestKey(%q)", c.key)
	}
	return b.String()
}
