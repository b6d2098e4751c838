package token_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/token"
)

func TestValidateBoundaries(t *testing.T) {
	t.Parallel()
	base := token.New()
	tests := []struct {
		name string
		cfg  token.Config
		want map[string]string // field path → rule; empty = valid
	}{
		{"zero value", token.Config{}, nil},
		{"New", base, nil},

		{"user ID empty", base.WithUserID(""), nil},
		{"user ID 128 é", base.WithUserID(strings.Repeat("é", 128)), nil},
		{"user ID 129 é", base.WithUserID(strings.Repeat("é", 129)), map[string]string{ctx + "UserId": rules.RuleLength}},
		{"user ID 128 emoji", base.WithUserID(strings.Repeat("🎥", 128)), nil},
		{"user ID not UTF-8", base.WithUserID("\xc1"), map[string]string{ctx + "UserId": rules.RuleUTF8}},
		{"user ID U+FFFD itself", base.WithUserID("\uFFFD"), nil},

		{"duration 1 minute", base.WithDuration(time.Minute), nil},
		{"duration 14 days", base.WithDuration(14 * 24 * time.Hour), nil},
		{"duration 0", base.WithDuration(0), map[string]string{ctx + "Duration": rules.RuleRange}},
		{"duration 14 days + 1 minute", base.WithDuration(14*24*time.Hour + time.Minute), map[string]string{ctx + "Duration": rules.RuleRange}},
		{"duration -1 minute", base.WithDuration(-time.Minute), map[string]string{ctx + "Duration": rules.RuleRange}},
		{"duration 90 s", base.WithDuration(90 * time.Second), map[string]string{ctx + "Duration": rules.RuleUnit}},
		{"duration 59 s", base.WithDuration(59 * time.Second), map[string]string{ctx + "Duration": rules.RuleUnit}},

		{"publish only", base.WithCapabilities(token.Publish), nil},
		{"both", base.WithCapabilities(token.Subscribe, token.Publish), nil},
		{"none given", base.WithCapabilities(), map[string]string{ctx + "Capabilities": rules.RuleLength}},
		{"duplicate", base.WithCapabilities(token.Publish, token.Publish), map[string]string{ctx + "Capabilities[1]": rules.RuleUnique}},
		{"unknown", base.WithCapabilities("ADMIN"), map[string]string{ctx + "Capabilities[0]": rules.RuleEnum}},
		// Names are case-sensitive: the service refuses "publish", and a token minted from it would carry
		// allow_publish false.
		{"lowercase publish", base.WithCapabilities("publish"), map[string]string{ctx + "Capabilities[0]": rules.RuleEnum}},
		{"mixed case subscribe", base.WithCapabilities(token.Publish, "Subscribe"), map[string]string{ctx + "Capabilities[1]": rules.RuleEnum}},
		{"three", base.WithCapabilities(token.Publish, token.Subscribe, token.Publish), map[string]string{
			ctx + "Capabilities":    rules.RuleLength,
			ctx + "Capabilities[2]": rules.RuleUnique,
		}},

		{"attributes 1024 bytes", base.WithAttributes(attrsOfSize(1024)), nil},
		{"attributes 1025 bytes", base.WithAttributes(attrsOfSize(1025)), map[string]string{ctx + "Attributes": rules.RuleSize}},
		{"attributes counted in bytes, not code points", base.WithAttributes(map[string]string{"k": strings.Repeat("é", 512)}), map[string]string{ctx + "Attributes": rules.RuleSize}},
		{"attributes over several entries", base.WithAttribute("a", strings.Repeat("x", 511)).WithAttribute("b", strings.Repeat("y", 511)), nil},
		{"attribute value not UTF-8", base.WithAttribute("seat", "a\xffb"), map[string]string{ctx + `Attributes["seat"]`: rules.RuleUTF8}},
		{"attribute key not UTF-8", base.WithAttribute("\xfe", "v"), map[string]string{ctx + `Attributes["\xfe"].Key`: rules.RuleUTF8}},
		{"attributes over several entries, one byte more", base.WithAttribute("a", strings.Repeat("x", 511)).WithAttribute("bb", strings.Repeat("y", 511)), map[string]string{ctx + "Attributes": rules.RuleSize}},

		{"every violation at once", base.
			WithUserID(strings.Repeat("u", 129)).
			WithDuration(time.Second).
			WithCapabilities("X").
			WithAttributes(attrsOfSize(2000)), map[string]string{
			ctx + "UserId":          rules.RuleLength,
			ctx + "Duration":        rules.RuleUnit,
			ctx + "Capabilities[0]": rules.RuleEnum,
			ctx + "Attributes":      rules.RuleSize,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.cfg.Validate()
			testutil.AssertViolations(t, err, tt.want)
			_, sdkErr := tt.cfg.ToSDK()
			assert.Equal(t, err, sdkErr, "ToSDK validates first")
		})
	}
}

func TestErrorMessages(t *testing.T) {
	t.Parallel()
	err := token.New().WithDuration(20161 * time.Minute).WithAttributes(attrsOfSize(1025)).Validate()
	msgs := testutil.Messages(t, err)
	assert.Contains(t, msgs, "value 20161 is out of range 1..20160, ParticipantTokenConfiguration.Duration.")
	assert.Contains(t, msgs, "size 1025 bytes exceeds the maximum of 1024 bytes (sum of key and value lengths), ParticipantTokenConfiguration.Attributes.")
}

func TestToSDK(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  token.Config
		want types.ParticipantTokenConfiguration
	}{
		{"unset fields stay unset", token.New(), types.ParticipantTokenConfiguration{}},
		{"every field", token.New().
			WithUserID("alice").
			WithDuration(2 * time.Hour).
			WithCapabilities(token.Subscribe).
			WithAttributes(map[string]string{"role": "viewer"}),
			types.ParticipantTokenConfiguration{
				UserId:       aws.String("alice"),
				Duration:     aws.Int32(120),
				Capabilities: []types.ParticipantTokenCapability{types.ParticipantTokenCapabilitySubscribe},
				Attributes:   map[string]string{"role": "viewer"},
			}},
		{"empty attributes are none", token.New().WithAttributes(map[string]string{}), types.ParticipantTokenConfiguration{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.cfg.ToSDK()
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestAccessorsReportEffectiveValues(t *testing.T) {
	t.Parallel()
	c := token.New()
	assert.Equal(t, token.DefaultDuration, c.Duration())
	assert.Equal(t, []token.Capability{token.Publish, token.Subscribe}, c.Capabilities())
	assert.Nil(t, c.Attributes())
	assert.Empty(t, c.UserID())

	c = c.WithDuration(time.Hour).WithCapabilities(token.Publish).WithUserID("u").WithAttribute("a", "b")
	assert.Equal(t, time.Hour, c.Duration())
	assert.Equal(t, []token.Capability{token.Publish}, c.Capabilities())
	assert.Equal(t, map[string]string{"a": "b"}, c.Attributes())
	assert.Equal(t, "u", c.UserID())
}

func TestWithNeverChangesTheOriginal(t *testing.T) {
	t.Parallel()
	attrs := map[string]string{"a": "1"}
	caps := []token.Capability{token.Publish}
	base := token.New().WithAttributes(attrs).WithCapabilities(caps...)
	attrs["a"] = "changed" // the caller's map and slice were copied in
	attrs["b"] = "added"
	caps[0] = token.Subscribe

	derived := base.WithAttribute("c", "3").WithUserID("x").WithDuration(time.Hour).WithCapabilities(token.Subscribe)
	assert.Equal(t, map[string]string{"a": "1", "c": "3"}, derived.Attributes())

	assert.Equal(t, map[string]string{"a": "1"}, base.Attributes())
	assert.Equal(t, []token.Capability{token.Publish}, base.Capabilities())
	assert.Empty(t, base.UserID())
	assert.Equal(t, token.DefaultDuration, base.Duration())

	out := base.Attributes() // accessors hand out copies
	out["a"] = "changed"
	sdk, err := base.ToSDK()
	require.NoError(t, err)
	sdk.Attributes["a"] = "changed"
	sdk.Capabilities[0] = types.ParticipantTokenCapabilitySubscribe
	assert.Equal(t, map[string]string{"a": "1"}, base.Attributes())
	assert.Equal(t, []token.Capability{token.Publish}, base.Capabilities())
}

func TestTemplateIsSafeForConcurrentUse(t *testing.T) {
	t.Parallel()
	tmpl := token.New().WithAttribute("room", "lobby").WithCapabilities(token.Subscribe)
	var wg sync.WaitGroup
	for i := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := tmpl.WithAttribute("seat", strings.Repeat("s", i)).WithDuration(time.Duration(i+1) * time.Minute)
			sdk, err := c.ToSDK()
			assert.NoError(t, err)
			assert.Equal(t, int32(i+1), *sdk.Duration)
			assert.Equal(t, "lobby", sdk.Attributes["room"])
			assert.Len(t, sdk.Attributes["seat"], i)
		}()
	}
	wg.Wait()
	assert.Equal(t, map[string]string{"room": "lobby"}, tmpl.Attributes())
}

func TestCapabilityValuesMatchSDK(t *testing.T) {
	t.Parallel()
	var ours, sdk []string
	for _, v := range token.Capability("").Values() {
		ours = append(ours, string(v))
	}
	for _, v := range types.ParticipantTokenCapability("").Values() {
		sdk = append(sdk, string(v))
	}
	assert.ElementsMatch(t, sdk, ours)
}

func TestConstants(t *testing.T) {
	t.Parallel()
	assert.Equal(t, 12*time.Hour, token.DefaultDuration)
	assert.Equal(t, time.Minute, token.MinDuration)
	assert.Equal(t, 20160*time.Minute, token.MaxDuration)
	assert.Equal(t, 128, token.MaxUserIDLength)
	assert.Equal(t, 1024, token.MaxAttributesSize)
}

func TestConfigString(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "token.New()", token.New().String())
	assert.Equal(t, `token.New().WithUserID("a").WithDuration(1h0m0s).WithCapabilities(PUBLISH).WithAttributes(keys ["k"])`,
		token.New().WithUserID("a").WithDuration(time.Hour).WithCapabilities(token.Publish).WithAttribute("k", "secret-ish").String())
}
