package event_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/event"
)

// FuzzParse checks that Parse never panics, that it returns either an event or a *ParseError, that its two
// paths agree wherever the first applies, and that an event it accepts is consistent: it has an ID, every
// string is valid UTF-8 holding no U+FFFD the input does not write itself (invalid text is refused, never
// replaced), its times are in UTC, a recording's Location is valid, and MarshalJSON writes it back as JSON
// that Parse reads into the same value.
func FuzzParse(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "examples", "*.json"))
	require.NoError(f, err)
	for _, name := range files {
		data, err := os.ReadFile(name)
		require.NoError(f, err)
		f.Add(data)
	}
	for _, s := range []string{
		``, `null`, `[]`, `{}`, `{"source":"aws.ivs"}`,
		recordingWith(`,"recording_duration_ms":-1`),
		recordingWith(`,"recording_duration_ms":9223372036854`),
		stageUpdateWith(`,"event_time":"2024-08-13T14:38:17.089061676+05:30","new_token":{"capabilities":[]}`),
		`{"id":"e1","source":"aws.ivs","detail-type":"IVS Composition State Change","detail":"x"}`,
		`{"source":"aws.ivs","detail-type":"IVS Stage Update","detail":{"event_name":"Participant Published"}}`,
		`{"id":"","source":"aws.ivs","detail-type":"x"}`,
		`{"id":"e1","ID":"e2","source":"aws.ivs","detail-type":"x"}`,
		`{"id":"e1","source":"aws.ivs","detail-type":"IVS Stage Update","detail":{"event_name":"Participant Published"},"detail":{"user_id":"u"}}`,
		stageUpdateWith(`,"new_token":{"attributes":{"a":"1","a":"2"}}`),
		stageUpdateWith(`,"new_token":{"user_id":"a"},"new_token":{"capabilities":["PUBLISH"]}`),
		stageUpdateWith(`,"user_id":"\ud800"`),
		stageUpdateWith(`,"user_id":"\ud83d\ude00\ufffd"`),
		stageUpdateWith(`,"user_id":"` + "\xff" + `"`),
		recordingWith(`,"recording_s3_key_prefix":"a/../b"`),
		`{"id":"e1","source":"aws.ivs","detail-type":"IVS Composition State Change","detail":{"a":"` + "\xc3" + `"}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ev, err := event.Parse(data)
		if fastEv, ok, fastErr := event.ParseDecoded(data); ok {
			rawEv, rawErr := event.ParseRaw(data)
			require.Equal(t, rawErr, fastErr, "the paths agree on the error")
			require.Equal(t, rawEv, fastEv, "the paths agree on the event")
		}
		if err != nil {
			var pe *event.ParseError
			require.ErrorAs(t, err, &pe)
			require.Nil(t, ev)
			return
		}
		require.NotNil(t, ev)
		h := ev.Header()
		assert.Equal(t, event.Source, h.Source)
		assert.NotEmpty(t, h.DetailType)
		assert.NotEmpty(t, h.ID, "an event without an ID is refused")
		assert.Same(t, time.UTC, h.Time.Location())
		strs := append([]string{h.ID, h.DetailType, h.Account, h.Region}, h.Resources...)
		switch e := ev.(type) {
		case event.Recording:
			assert.Equal(t, event.TypeRecordingChange, h.DetailType)
			assert.NotEmpty(t, e.Name)
			assert.GreaterOrEqual(t, e.Duration, 0*e.Duration)
			assert.NoError(t, e.Location.Validate())
			strs = append(strs, string(e.Name), e.SessionID, e.ParticipantID, e.Location.Bucket, e.Location.Prefix, e.ErrorCode, e.Reason)
		case event.StageUpdate:
			assert.Equal(t, event.TypeStageUpdate, h.DetailType)
			assert.NotEmpty(t, e.Name)
			assert.Same(t, time.UTC, e.Time.Location())
			strs = append(strs, string(e.Name), e.SessionID, e.ParticipantID, e.UserID, e.ErrorCode,
				e.SourceStageARN, e.SourceSessionID, e.DestinationStageARN, e.DestinationSessionID)
			for _, tok := range []*event.TokenInfo{e.PreviousToken, e.NewToken} {
				if tok == nil {
					continue
				}
				assert.Same(t, time.UTC, tok.ExpiresAt.Location())
				strs = append(strs, tok.UserID)
				for _, c := range tok.Capabilities {
					strs = append(strs, string(c))
				}
				for k, v := range tok.Attributes {
					strs = append(strs, k, v)
				}
			}
		case event.Composition:
			assert.Equal(t, event.TypeCompositionChange, h.DetailType)
			assert.NotEmpty(t, e.Name)
			strs = append(strs, string(e.Name), e.CompositionARN, e.StageARN, e.DestinationID, e.ErrorCode, e.Reason)
		case event.Unknown:
			assert.NotEqual(t, event.TypeRecordingChange, h.DetailType)
			assert.NotEqual(t, event.TypeStageUpdate, h.DetailType)
			assert.NotEqual(t, event.TypeCompositionChange, h.DetailType)
			strs = append(strs, string(e.Detail))
		default:
			t.Fatalf("Parse returned a %T", ev)
		}
		written := strings.Count(string(data), "\uFFFD") + strings.Count(strings.ToLower(string(data)), `\ufffd`)
		replaced := 0
		for _, s := range strs {
			assert.True(t, utf8.ValidString(s), "%q", s)
			replaced += strings.Count(s, "\uFFFD")
		}
		assert.LessOrEqual(t, replaced, written, "U+FFFD the input does not write")

		again, err := json.Marshal(ev)
		require.NoError(t, err)
		ev2, err := event.Parse(again)
		require.NoError(t, err, "%s", again)
		assertSameEvent(t, ev, ev2)
	})
}
