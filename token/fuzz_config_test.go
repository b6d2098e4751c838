package token_test

import (
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/token"
)

// fuzzTokenConfig builds a Config from fuzzed fields; set is a bit mask of which With… calls to make, caps
// spells the capabilities ('p' Publish, 's' Subscribe, anything else as is).
func fuzzTokenConfig(set uint8, userID string, minutes int64, caps, k1, v1, k2, v2 string) token.Config {
	c := token.New()
	if set&1 != 0 {
		c = c.WithUserID(userID)
	}
	if set&2 != 0 {
		c = c.WithDuration(time.Duration(minutes))
	}
	if set&4 != 0 {
		var cs []token.Capability
		for _, r := range caps {
			switch r {
			case 'p':
				cs = append(cs, token.Publish)
			case 's':
				cs = append(cs, token.Subscribe)
			default:
				cs = append(cs, token.Capability(string(r)))
			}
		}
		c = c.WithCapabilities(cs...)
	}
	if set&8 != 0 {
		c = c.WithAttributes(map[string]string{k1: v1})
	}
	if set&16 != 0 {
		c = c.WithAttribute(k2, v2)
	}
	return c
}

// Properties: nothing panics; Validate() == nil exactly when ToSDK succeeds; whatever is accepted is within
// the model's limits, checked here independently of the library's rule table.
func FuzzConfig(f *testing.F) {
	f.Add(uint8(31), "alice", int64(time.Hour), "ps", "role", "host", "seat", "1")
	f.Add(uint8(2), "", int64(time.Minute), "", "", "", "", "")
	f.Add(uint8(2), "", int64(20161*time.Minute), "", "", "", "", "")
	f.Add(uint8(2), "", int64(90*time.Second), "", "", "", "", "")
	f.Add(uint8(4), "", int64(0), "", "", "", "", "")
	f.Add(uint8(4), "", int64(0), "pp", "", "", "", "")
	f.Add(uint8(1), "ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé", int64(0), "", "", "", "", "")
	f.Fuzz(func(t *testing.T, set uint8, userID string, d int64, caps, k1, v1, k2, v2 string) {
		c := fuzzTokenConfig(set, userID, d, caps, k1, v1, k2, v2)
		verr := c.Validate()
		sdk, serr := c.ToSDK()
		_ = c.String()
		require.Equal(t, verr == nil, serr == nil)
		if verr != nil {
			return
		}
		if sdk.UserId != nil {
			assert.LessOrEqual(t, utf8.RuneCountInString(*sdk.UserId), 128)
		}
		if sdk.Duration != nil {
			assert.GreaterOrEqual(t, *sdk.Duration, int32(1))
			assert.LessOrEqual(t, *sdk.Duration, int32(20160))
			assert.Equal(t, time.Duration(*sdk.Duration)*time.Minute, c.Duration())
		}
		if sdk.Capabilities != nil {
			assert.NotEmpty(t, sdk.Capabilities)
			assert.LessOrEqual(t, len(sdk.Capabilities), 2)
			if len(sdk.Capabilities) == 2 {
				assert.NotEqual(t, sdk.Capabilities[0], sdk.Capabilities[1])
			}
			for _, cp := range sdk.Capabilities {
				assert.Contains(t, []string{"PUBLISH", "SUBSCRIBE"}, string(cp))
			}
		}
		size := 0
		for k, v := range sdk.Attributes {
			size += len(k) + len(v)
		}
		assert.LessOrEqual(t, size, 1024)
	})
}
