package token_test

import (
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/fuzzgen"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// Properties: nothing panics; Validate() == nil exactly when ToSDK succeeds; whatever is accepted is within
// the model's limits, checked here independently of the library's rule table; and, sent by Client.Create to
// stagetest (whose validation is written independently from the model), a config the library accepts is
// accepted and issued as asked, while one it rejects sends no request.
func FuzzConfig(f *testing.F) {
	f.Add(uint8(31), "alice", int64(time.Hour), "ps", "role", "host", "seat", "1")
	f.Add(uint8(2), "", int64(time.Minute), "", "", "", "", "")
	f.Add(uint8(2), "", int64(20161*time.Minute), "", "", "", "", "")
	f.Add(uint8(2), "", int64(90*time.Second), "", "", "", "", "")
	f.Add(uint8(4), "", int64(0), "", "", "", "", "")
	f.Add(uint8(4), "", int64(0), "pp", "", "", "", "")
	f.Add(uint8(1), "ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé", int64(0), "", "", "", "", "")
	f.Fuzz(func(t *testing.T, set uint8, userID string, d int64, caps, k1, v1, k2, v2 string) {
		c := fuzzgen.Token{Set: set, UserID: userID, Duration: d, Caps: caps, K1: k1, V1: v1, K2: k2, V2: v2}.Config()
		verr := c.Validate()
		sdk, serr := c.ToSDK()
		_ = c.String()
		require.Equal(t, verr == nil, serr == nil)
		srv := stagetest.New()
		st, _, err := stage.NewClientFromConfig(srv.Config()).Create(t.Context(), stage.New())
		require.NoError(t, err)
		tok, cerr := token.NewClientFromConfig(srv.Config()).Create(t.Context(), st.ARN, c)
		if verr != nil {
			require.Error(t, cerr)
			require.Equal(t, 1, srv.RequestCount(), "a rejected config sends nothing (the one request made the stage)")
			return
		}
		require.NoError(t, cerr, "stagetest refuses what the library accepts: %s", c)
		assert.Equal(t, c.UserID(), tok.UserID)
		assert.Equal(t, c.Duration(), tok.Duration)
		assert.Equal(t, c.Capabilities(), tok.Capabilities)
		if attrs := c.Attributes(); len(attrs) > 0 {
			assert.Equal(t, attrs, tok.Attributes)
		} else {
			assert.Empty(t, tok.Attributes)
		}
		assert.NotEmpty(t, tok.Value())
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
