package event_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/event"
)

// FuzzParse checks that Parse never panics, that it returns either an event or a *ParseError, and that an
// event it accepts is consistent: MarshalJSON writes it back as JSON that Parse reads into the same value.
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
		`{"source":"aws.ivs","detail-type":"IVS Composition State Change","detail":"x"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ev, err := event.Parse(data)
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
		switch e := ev.(type) {
		case event.Recording:
			assert.Equal(t, event.TypeRecordingChange, h.DetailType)
			assert.NotEmpty(t, e.Name)
			assert.GreaterOrEqual(t, e.Duration, 0*e.Duration)
		case event.StageUpdate:
			assert.Equal(t, event.TypeStageUpdate, h.DetailType)
			assert.NotEmpty(t, e.Name)
		case event.Unknown:
			assert.NotEqual(t, event.TypeRecordingChange, h.DetailType)
			assert.NotEqual(t, event.TypeStageUpdate, h.DetailType)
		default:
			t.Fatalf("Parse returned a %T", ev)
		}

		again, err := json.Marshal(ev)
		require.NoError(t, err)
		ev2, err := event.Parse(again)
		require.NoError(t, err, "%s", again)
		assertSameEvent(t, ev, ev2)
	})
}
