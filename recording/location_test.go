package recording_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/recording"
)

func TestLocationKeys(t *testing.T) {
	t.Parallel()
	const prefix = "AbCdef1G2hij/st-ZyXwvu1T2s1234/xYz1c2d3e4f/2024-01-01T12-00-55Z"
	tests := []struct {
		name string
		loc  recording.Location
		dir  string // the prefix as the keys start with it
		uri  string
		zero bool
	}{
		{"prefix", recording.Location{Bucket: "b", Prefix: prefix}, prefix + "/", "s3://b/" + prefix + "/", false},
		{"trailing slash", recording.Location{Bucket: "b", Prefix: prefix + "/"}, prefix + "/", "s3://b/" + prefix + "/", false},
		{"leading slash", recording.Location{Bucket: "b", Prefix: "/" + prefix}, prefix + "/", "s3://b/" + prefix + "/", false},
		{"bucket only", recording.Location{Bucket: "b"}, "", "s3://b/", false},
		{"zero", recording.Location{}, "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.zero, tt.loc.IsZero())
			assert.Equal(t, tt.uri, tt.loc.URI())
			assert.Equal(t, tt.dir+"media/hls/multivariant.m3u8", tt.loc.PlaylistKey())
			assert.Equal(t, tt.dir+"media/thumbnails/high/", tt.loc.ThumbnailsPrefix())
			assert.Equal(t, tt.dir+"media/latest_thumbnail/high/thumb.jpg", tt.loc.LatestThumbnailKey())
			assert.Equal(t, tt.dir+"events/recording-started.json", tt.loc.MetadataKey(recording.StatusStarted))
			assert.Equal(t, tt.dir+"events/recording-ended.json", tt.loc.MetadataKey(recording.StatusEnded))
			assert.Equal(t, tt.dir+"events/recording-failed.json", tt.loc.MetadataKey(recording.StatusEndedWithFailure))
			assert.Equal(t, tt.dir+"events/recording-failed.json", tt.loc.MetadataKey(recording.StatusStartFailed))
			assert.Empty(t, tt.loc.MetadataKey("RECORDING_PAUSED"))
			assert.Empty(t, tt.loc.MetadataKey(""))
		})
	}
}

func TestStatusValues(t *testing.T) {
	t.Parallel()
	values := recording.Status("").Values()
	assert.Equal(t, []recording.Status{"RECORDING_STARTED", "RECORDING_ENDED", "RECORDING_START_FAILED", "RECORDING_ENDED_WITH_FAILURE"}, values)
	for _, s := range values {
		assert.True(t, s.Valid(), s)
	}
	for _, s := range []recording.Status{"", "recording_ended", "RECORDING_ENDED "} {
		assert.False(t, s.Valid(), s)
	}
}

func TestStateValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		state      recording.State
		valid      bool
		inProgress bool
	}{
		{recording.StateStarting, true, true},
		{recording.StateActive, true, true},
		{recording.StateStopping, true, true},
		{recording.StateStopped, true, false},
		{recording.StateFailed, true, false},
		{recording.StateDisabled, true, false},
		{"", false, false},
		{"active", false, false},
		{"PAUSED", false, false},
	}
	var valid []recording.State
	for _, tt := range tests {
		t.Run(string(tt.state), func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.valid, tt.state.Valid())
			assert.Equal(t, tt.inProgress, tt.state.InProgress())
		})
		if tt.valid {
			valid = append(valid, tt.state)
		}
	}
	assert.Equal(t, valid, recording.State("").Values(), "every valid state, in the model's order")
}

// A Location whose bucket or prefix is not valid UTF-8, or whose prefix has a ".." segment, is invalid: its
// key methods return "" rather than a key that names another object (or, in a local copy, another place).
func TestLocationValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		loc  recording.Location
		want string // Validate's error text; "" when valid
	}{
		{"documented shape", recording.Location{Bucket: "b", Prefix: "AbC/st-1/p/2024-01-01T12-00-55Z"}, ""},
		{"zero", recording.Location{}, ""},
		{"dots that are no segment", recording.Location{Bucket: "b", Prefix: "a/..b/c../.../."}, ""},
		{"UTF-8 prefix", recording.Location{Bucket: "b", Prefix: "stage/é/😀"}, ""},
		{"U+FFFD is a character", recording.Location{Bucket: "b", Prefix: "p\uFFFD"}, ""},
		{"invalid UTF-8 in the prefix", recording.Location{Bucket: "b", Prefix: "p\xffq"}, `recording: location: Prefix "p\xffq" is not valid UTF-8`},
		{"invalid UTF-8 in the bucket", recording.Location{Bucket: "b\xc3", Prefix: "p"}, `recording: location: Bucket "b\xc3" is not valid UTF-8`},
		{"'..' in the middle", recording.Location{Bucket: "b", Prefix: "stage/../other"}, `recording: location: Prefix "stage/../other" has a ".." segment`},
		{"'..' first", recording.Location{Bucket: "b", Prefix: "../other"}, `recording: location: Prefix "../other" has a ".." segment`},
		{"'..' last, with a trailing slash", recording.Location{Bucket: "b", Prefix: "stage/../"}, `recording: location: Prefix "stage/../" has a ".." segment`},
		{"only '..'", recording.Location{Bucket: "b", Prefix: ".."}, `recording: location: Prefix ".." has a ".." segment`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.loc.Validate()
			if tt.want == "" {
				require.NoError(t, err)
				if !tt.loc.IsZero() {
					assert.NotEmpty(t, tt.loc.URI())
				}
				assert.NotEmpty(t, tt.loc.PlaylistKey())
				return
			}
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
			for _, key := range []string{tt.loc.URI(), tt.loc.PlaylistKey(), tt.loc.ThumbnailsPrefix(), tt.loc.LatestThumbnailKey(),
				tt.loc.MetadataKey(recording.StatusStarted), tt.loc.MetadataKey(recording.StatusEnded), tt.loc.MetadataKey(recording.StatusEndedWithFailure)} {
				assert.Empty(t, key)
			}
			assert.False(t, tt.loc.IsZero())
		})
	}
}
