package recording_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/recording"
)

// The media object of the three examples of the user guide (reference §2).
func exampleMedia() recording.Media {
	return recording.Media{
		HLS: &recording.HLSMedia{Path: "media/hls", Playlist: "multivariant.m3u8",
			Renditions: []recording.Rendition{{Path: "high", Playlist: "playlist.m3u8"}}},
		Thumbnails:      &recording.ThumbnailMedia{Path: "media/thumbnails", Renditions: []recording.Rendition{{Path: "high"}}},
		LatestThumbnail: &recording.ThumbnailMedia{Path: "media/latest_thumbnail", Renditions: []recording.Rendition{{Path: "high"}}},
	}
}

func readExample(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "metadata", name))
	require.NoError(t, err)
	return data
}

func TestParseMetadataExamples(t *testing.T) {
	t.Parallel()
	common := recording.Metadata{
		Version:       "v1",
		StageARN:      "arn:aws:ivs:us-west-2:aws_account_id:stage/AbCdef1G2hij",
		SessionID:     "st-ZyXwvu1T2s",
		ParticipantID: "xYz1c2d3e4f",
		Media:         exampleMedia(),
	}
	ended := common
	ended.Status = recording.StatusEnded
	ended.StartedAt = time.Date(2024, 3, 13, 19, 44, 19, 0, time.UTC)
	ended.EndedAt = time.Date(2024, 3, 13, 19, 55, 4, 0, time.UTC)
	ended.Duration = 645237 * time.Millisecond
	failed := ended
	failed.Status = recording.StatusEndedWithFailure
	started := common
	started.Status = recording.StatusStarted
	started.StartedAt = time.Date(2024, 3, 13, 13, 17, 17, 0, time.UTC)

	tests := []struct {
		file string
		want recording.Metadata
	}{
		{"recording-started.json", started},
		{"recording-ended.json", ended},
		{"recording-failed.json", failed},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			got, err := recording.ParseMetadata(readExample(t, tt.file))
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			loc := recording.Location{Bucket: "b", Prefix: "stage/st-1/p/2024-01-01T12-00-55Z"}
			assert.Equal(t, tt.file, filepath.Base(loc.MetadataKey(got.Status)), "the status names its own file")
		})
	}
}

func TestParseMetadataValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		input string
		check func(t *testing.T, m recording.Metadata)
	}{
		{"fraction of a second", `{"recording_status":"RECORDING_ENDED","recording_started_at":"2024-03-13T19:44:19.123456789Z","recording_ended_at":"2024-03-13T19:55:04.5Z"}`,
			func(t *testing.T, m recording.Metadata) {
				assert.Equal(t, time.Date(2024, 3, 13, 19, 44, 19, 123456789, time.UTC), m.StartedAt)
				assert.Equal(t, time.Date(2024, 3, 13, 19, 55, 4, 500000000, time.UTC), m.EndedAt)
			}},
		{"offset converted to UTC", `{"recording_status":"RECORDING_STARTED","recording_started_at":"2024-03-13T21:44:19+02:00"}`,
			func(t *testing.T, m recording.Metadata) {
				assert.Equal(t, time.Date(2024, 3, 13, 19, 44, 19, 0, time.UTC), m.StartedAt)
			}},
		{"unknown members ignored", `{"recording_status":"RECORDING_STARTED","future":{"a":[1,2]},"media":{"hls":{"path":"p","codec":"x"},"composite":{}}}`,
			func(t *testing.T, m recording.Metadata) {
				assert.Equal(t, recording.StatusStarted, m.Status)
				require.NotNil(t, m.Media.HLS)
				assert.Equal(t, "p", m.Media.HLS.Path)
			}},
		{"absent media and times are zero", `{"recording_status":"RECORDING_START_FAILED"}`,
			func(t *testing.T, m recording.Metadata) {
				assert.Equal(t, recording.Metadata{Status: recording.StatusStartFailed}, m)
			}},
		{"null members read as absent", `{"recording_status":"RECORDING_ENDED","recording_ended_at":null,"media":{"hls":{"duration_ms":null},"thumbnails":null}}`,
			func(t *testing.T, m recording.Metadata) {
				assert.Zero(t, m.EndedAt)
				assert.Zero(t, m.Duration)
				assert.Nil(t, m.Media.Thumbnails)
				assert.Equal(t, &recording.HLSMedia{}, m.Media.HLS)
			}},
		{"duration 0 after an early failure", `{"recording_status":"RECORDING_ENDED_WITH_FAILURE","recording_status_message":"bucket gone","media":{"hls":{"duration_ms":0}}}`,
			func(t *testing.T, m recording.Metadata) {
				assert.Zero(t, m.Duration)
				assert.Equal(t, "bucket gone", m.StatusMessage)
			}},
		{"largest duration", `{"recording_status":"RECORDING_ENDED","media":{"hls":{"duration_ms":9223372036854}}}`,
			func(t *testing.T, m recording.Metadata) {
				assert.Equal(t, 9223372036854*time.Millisecond, m.Duration)
			}},
		{"unknown status passes through", `{"recording_status":"RECORDING_PAUSED"}`,
			func(t *testing.T, m recording.Metadata) {
				assert.Equal(t, recording.Status("RECORDING_PAUSED"), m.Status)
				assert.False(t, m.Status.Valid())
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := recording.ParseMetadata([]byte(tt.input))
			require.NoError(t, err)
			tt.check(t, m)
		})
	}
}

func TestParseMetadataErrors(t *testing.T) {
	t.Parallel()
	ended := string(readExample(t, "recording-ended.json"))
	tests := []struct {
		name  string
		input string
		want  string // the error's text contains it
	}{
		{"empty", "", "empty input"},
		{"only spaces", " \n\t", "empty input"},
		{"not JSON", "recording ended", "not JSON"},
		{"truncated", ended[:len(ended)/2], "not JSON"},
		{"trailing garbage", `{"recording_status":"RECORDING_ENDED"} x`, "not JSON"},
		{"array", `[{"recording_status":"RECORDING_ENDED"}]`, "want a JSON object, got an array"},
		{"string", `"RECORDING_ENDED"`, "want a JSON object, got a string"},
		{"number", `42`, "want a JSON object, got a number"},
		{"null", `null`, "want a JSON object, got null"},
		{"boolean", `true`, "want a JSON object, got a boolean"},
		{"empty object", `{}`, "recording_status is missing"},
		{"status null", `{"recording_status":null}`, "recording_status is missing"},
		{"status a number", `{"recording_status":1}`, "recording_status: want a string, got number"},
		{"stage ARN an object", `{"recording_status":"RECORDING_ENDED","stage_arn":{}}`, "stage_arn: want a string, got object"},
		{"duration a string", `{"recording_status":"RECORDING_ENDED","media":{"hls":{"duration_ms":"645237"}}}`, "media.hls.duration_ms: want an integer, got string"},
		{"duration a fraction", `{"recording_status":"RECORDING_ENDED","media":{"hls":{"duration_ms":1.5}}}`, "media.hls.duration_ms: want an integer, got number 1.5"},
		{"duration negative", `{"recording_status":"RECORDING_ENDED","media":{"hls":{"duration_ms":-1}}}`, "media.hls.duration_ms: -1 is out of range"},
		{"duration too large", `{"recording_status":"RECORDING_ENDED","media":{"hls":{"duration_ms":9223372036855}}}`, "media.hls.duration_ms: 9223372036855 is out of range"},
		{"media an array", `{"recording_status":"RECORDING_ENDED","media":[]}`, "media: want an object, got array"},
		{"renditions an object", `{"recording_status":"RECORDING_ENDED","media":{"hls":{"renditions":{}}}}`, "media.hls.renditions: want an array, got object"},
		{"rendition path a number", `{"recording_status":"RECORDING_ENDED","media":{"thumbnails":{"renditions":[{"path":1}]}}}`, "media.thumbnails.renditions.path: want a string, got number"},
		{"start time not RFC 3339", `{"recording_status":"RECORDING_STARTED","recording_started_at":"2024-03-13 19:44:19"}`, `recording_started_at: "2024-03-13 19:44:19" is not an RFC 3339 time`},
		{"end time without zone", `{"recording_status":"RECORDING_ENDED","recording_ended_at":"2024-03-13T19:55:04"}`, `recording_ended_at: "2024-03-13T19:55:04" is not an RFC 3339 time`},
		{"end time a number", `{"recording_status":"RECORDING_ENDED","recording_ended_at":1710359704}`, "recording_ended_at: want a string, got number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := recording.ParseMetadata([]byte(tt.input))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.True(t, strings.HasPrefix(err.Error(), "recording: metadata: "), err.Error())
			assert.Zero(t, m)
		})
	}
}

func TestMetadataKeys(t *testing.T) {
	t.Parallel()
	m, err := recording.ParseMetadata(readExample(t, "recording-ended.json"))
	require.NoError(t, err)
	tests := []struct {
		name string
		loc  recording.Location
		dir  string
	}{
		{"prefix", recording.Location{Bucket: "b", Prefix: "AbCdef1G2hij/st-ZyXwvu1T2s/xYz1c2d3e4f/2024-01-01T12-00-55Z"}, "AbCdef1G2hij/st-ZyXwvu1T2s/xYz1c2d3e4f/2024-01-01T12-00-55Z/"},
		{"prefix with slashes", recording.Location{Bucket: "b", Prefix: "/a/b/"}, "a/b/"},
		{"no prefix", recording.Location{Bucket: "b"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.NotNil(t, m.Media.HLS)
			assert.Equal(t, tt.dir+"media/hls/multivariant.m3u8", m.Media.HLS.PlaylistKey(tt.loc))
			assert.Equal(t, tt.loc.PlaylistKey(), m.Media.HLS.PlaylistKey(tt.loc), "the file agrees with the documented layout")
			assert.Equal(t, []string{tt.dir + "media/hls/high/playlist.m3u8"}, m.Media.HLS.RenditionPlaylistKeys(tt.loc))
			assert.Equal(t, []string{tt.dir + "media/thumbnails/high/"}, m.Media.Thumbnails.RenditionPrefixes(tt.loc))
			assert.Equal(t, []string{tt.loc.ThumbnailsPrefix()}, m.Media.Thumbnails.RenditionPrefixes(tt.loc))
			assert.Equal(t, []string{tt.dir + "media/latest_thumbnail/high/"}, m.Media.LatestThumbnail.RenditionPrefixes(tt.loc))
			assert.Equal(t, tt.loc.LatestThumbnailKey(), m.Media.LatestThumbnail.RenditionPrefixes(tt.loc)[0]+"thumb.jpg")
		})
	}
}
