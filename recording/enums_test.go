package recording_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/recording"
)

func TestThumbnailModeValid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		mode recording.ThumbnailMode
		want bool
	}{
		{recording.ThumbnailsInterval, true},
		{recording.ThumbnailsDisabled, true},
		{recording.DefaultThumbnailMode, true},
		{"", false},
		{"interval", false}, // the wire's values are upper case
		{"LATEST", false},   // a ThumbnailStorage, not a mode
		{"INTERVAL ", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.mode.Valid(), "%q", tt.mode)
	}
	for _, m := range recording.ThumbnailMode("").Values() {
		assert.True(t, m.Valid(), m)
	}
}

// Every enum's Values is a new slice on each call: a caller writing to it changes neither the next
// answer nor what Valid accepts.
func TestEnumValuesAreCopies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		values func() []string
		set0   func(v string) // writes v into element 0 of a fresh Values()
		valid  func(v string) bool
	}{
		{"MediaType", asStrings(recording.MediaType("").Values), func(v string) { recording.MediaType("").Values()[0] = recording.MediaType(v) },
			func(v string) bool { return recording.MediaType(v).Valid() }},
		{"ThumbnailStorage", asStrings(recording.ThumbnailStorage("").Values), func(v string) { recording.ThumbnailStorage("").Values()[0] = recording.ThumbnailStorage(v) },
			func(v string) bool { return recording.ThumbnailStorage(v).Valid() }},
		{"ThumbnailMode", asStrings(recording.ThumbnailMode("").Values), func(v string) { recording.ThumbnailMode("").Values()[0] = recording.ThumbnailMode(v) },
			func(v string) bool { return recording.ThumbnailMode(v).Valid() }},
		{"State", asStrings(recording.State("").Values), func(v string) { recording.State("").Values()[0] = recording.State(v) },
			func(v string) bool { return recording.State(v).Valid() }},
		{"Status", asStrings(recording.Status("").Values), func(v string) { recording.Status("").Values()[0] = recording.Status(v) },
			func(v string) bool { return recording.Status(v).Valid() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			before := tt.values()
			require.NotEmpty(t, before)
			tt.set0("CHANGED")
			assert.Equal(t, before, tt.values())
			assert.False(t, tt.valid("CHANGED"))
			assert.True(t, tt.valid(before[0]))
		})
	}
}

// asStrings turns an enum's Values method into one returning its members as strings.
func asStrings[T ~string](values func() []T) func() []string {
	return func() []string {
		var out []string
		for _, v := range values() {
			out = append(out, string(v))
		}
		return out
	}
}

// Each enum lists the official client's members, the media types in the library's order.
func TestEnumsMatchSDK(t *testing.T) {
	t.Parallel()
	media := asStrings(recording.MediaType("").Values)()
	assert.ElementsMatch(t, asStrings(types.ParticipantRecordingMediaType("").Values)(), media)
	assert.ElementsMatch(t, asStrings(types.ThumbnailStorageType("").Values)(), asStrings(recording.ThumbnailStorage("").Values)())
	assert.ElementsMatch(t, asStrings(types.ThumbnailRecordingMode("").Values)(), asStrings(recording.ThumbnailMode("").Values)())
	assert.Equal(t, []string{"AUDIO_VIDEO", "AUDIO_ONLY", "NONE"}, media)
}
