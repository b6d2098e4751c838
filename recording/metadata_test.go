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
	// started is a file written with white space before the object; isStarted checks what it reads as.
	started := func(space string) string {
		return space + `{"version":"v1","recording_status":"RECORDING_STARTED","recording_started_at":"2024-03-13T19:44:19Z"}`
	}
	isStarted := func(t *testing.T, m recording.Metadata) {
		assert.Equal(t, recording.Metadata{Version: "v1", Status: recording.StatusStarted,
			StartedAt: time.Date(2024, 3, 13, 19, 44, 19, 0, time.UTC)}, m)
	}
	tests := []struct {
		name  string
		input string
		check func(t *testing.T, m recording.Metadata)
	}{
		// Every kind of JSON white space before the object is skipped (a file written with CRLF line ends
		// may start with "\r\n"). Catches: '\r' missing from the white space trimmed.
		{"CRLF before", started("\r\n"), isStarted},
		{"every white space before", started(" \t\r\n"), isStarted},
		{"CR only before", started("\r"), isStarted},
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

// metadataWith returns an ended metadata file with the given members after recording_status.
func metadataWith(members string) string {
	return `{"version":"v1","recording_status":"RECORDING_ENDED"` + members + `}`
}

// The stricter reading: text that would decode to something else, repeated members, times outside
// RFC 3339's years or in the wrong order, and paths that leave the recording are errors naming the member.
func TestParseMetadataStrict(t *testing.T) {
	t.Parallel()
	const start = `,"recording_started_at":"2024-03-13T19:44:19Z"`
	tests := []struct {
		name  string
		input string
		want  string // the whole error text; "" when accepted
	}{
		{"invalid UTF-8 in an ID", metadataWith(`,"participant_id":"p` + "\xff" + `"`), "recording: metadata: participant_id: is not valid UTF-8"},
		{"lone surrogate in the stage ARN", metadataWith(`,"stage_arn":"arn:aws:ivs:us-east-1:1:stage/\ud800"`), "recording: metadata: stage_arn: is not valid UTF-8"},
		{"invalid UTF-8 in a rendition path", metadataWith(`,"media":{"hls":{"renditions":[{"path":"hi` + "\xc3" + `"}]}}`), "recording: metadata: media.hls.renditions.path: is not valid UTF-8"},
		{"invalid UTF-8 in an unknown member", metadataWith(`,"future":"` + "\xff" + `"`), "recording: metadata: future: is not valid UTF-8"},
		{"U+FFFD written in the file is a character", metadataWith(`,"session_id":"st-\ufffd"`), ""},
		{"surrogate pair", metadataWith(`,"participant_id":"\ud83d\ude00"`), ""},

		// A boolean is named a boolean, false as well as true, after white space too. Catches: 'f' missing
		// from the boolean kinds.
		{"false", `false`, "recording: metadata: want a JSON object, got a boolean"},
		{"false after CRLF", "\r\nfalse", "recording: metadata: want a JSON object, got a boolean"},
		{"only CRLF", "\r\n", "recording: metadata: empty input, want a JSON object"},

		{"status twice", `{"recording_status":"RECORDING_STARTED","recording_status":"RECORDING_ENDED"}`, "recording: metadata: recording_status: appears more than once"},
		{"status twice in two cases", `{"recording_status":"RECORDING_STARTED","Recording_Status":"RECORDING_ENDED"}`,
			`recording: metadata: recording_status: appears more than once (member names match ignoring case; this one is "Recording_Status")`},
		{"HLS path twice", metadataWith(`,"media":{"hls":{"path":"media/hls","path":"../x"}}`), "recording: metadata: media.hls.path: appears more than once"},
		{"media twice", metadataWith(`,"media":{"hls":{"path":"a"}},"media":{}`), "recording: metadata: media: appears more than once"},
		{"unknown member twice is not read", metadataWith(`,"future":1,"future":2`), ""},

		{"end equal to the start", metadataWith(start + `,"recording_ended_at":"2024-03-13T19:44:19Z"`), ""},
		{"end 1 ns before the start", metadataWith(start + `,"recording_ended_at":"2024-03-13T19:44:18.999999999Z"`),
			"recording: metadata: recording_ended_at: 2024-03-13T19:44:18.999999999Z is before recording_started_at 2024-03-13T19:44:19Z"},
		{"end equal to the start in another zone", metadataWith(start + `,"recording_ended_at":"2024-03-13T21:44:19+02:00"`), ""},
		{"end before the start, later on its own clock", metadataWith(start + `,"recording_ended_at":"2024-03-13T20:44:18+01:00"`),
			"recording: metadata: recording_ended_at: 2024-03-13T19:44:18Z is before recording_started_at 2024-03-13T19:44:19Z"},
		{"end without a start", metadataWith(`,"recording_ended_at":"0001-01-01T00:00:00Z"`), ""},

		{"first instant of year 0000", metadataWith(`,"recording_started_at":"0000-01-01T00:00:00Z"`), ""},
		{"year -1 in UTC", metadataWith(`,"recording_started_at":"0000-01-01T00:30:00+01:00"`),
			`recording: metadata: recording_started_at: "0000-01-01T00:30:00+01:00" is outside the years 0000 to 9999 in UTC`},
		{"last instant of 9999", metadataWith(`,"recording_ended_at":"9999-12-31T23:59:59.999999999Z"`), ""},
		{"year 10000 in UTC", metadataWith(`,"recording_ended_at":"9999-12-31T23:59:59-01:00"`),
			`recording: metadata: recording_ended_at: "9999-12-31T23:59:59-01:00" is outside the years 0000 to 9999 in UTC`},

		{"HLS path leaving the prefix", metadataWith(`,"media":{"hls":{"path":"../other"}}`), `recording: metadata: media.hls.path: "../other" has a ".." segment`},
		{"playlist leaving the folder", metadataWith(`,"media":{"hls":{"path":"media/hls","playlist":"../../x.m3u8"}}`), `recording: metadata: media.hls.playlist: "../../x.m3u8" has a ".." segment`},
		{"second rendition", metadataWith(`,"media":{"hls":{"renditions":[{"path":"high"},{"path":"low/.."}]}}`), `recording: metadata: media.hls.renditions[1].path: "low/.." has a ".." segment`},
		{"rendition playlist", metadataWith(`,"media":{"hls":{"renditions":[{"path":"high","playlist":"a/../../b"}]}}`), `recording: metadata: media.hls.renditions[0].playlist: "a/../../b" has a ".." segment`},
		{"thumbnails", metadataWith(`,"media":{"thumbnails":{"path":"media/.."}}`), `recording: metadata: media.thumbnails.path: "media/.." has a ".." segment`},
		{"latest thumbnail rendition", metadataWith(`,"media":{"latest_thumbnail":{"path":"m","renditions":[{"path":".."}]}}`), `recording: metadata: media.latest_thumbnail.renditions[0].path: ".." has a ".." segment`},
		{"dots that are no segment", metadataWith(`,"media":{"hls":{"path":"media/..hls","playlist":"multivariant..m3u8","renditions":[{"path":"...","playlist":"./p"}]}}`), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := recording.ParseMetadata([]byte(tt.input))
			if tt.want == "" {
				require.NoError(t, err)
				assert.Equal(t, recording.StatusEnded, m.Status)
				return
			}
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
			assert.Zero(t, m)
		})
	}
}

// Every time ParseMetadata returns is in UTC, whatever zone the file writes.
func TestParseMetadataTimesInUTC(t *testing.T) {
	t.Parallel()
	m, err := recording.ParseMetadata([]byte(metadataWith(
		`,"recording_started_at":"2024-03-13T14:44:19.5-05:00","recording_ended_at":"2024-03-14T01:25:04+05:30"`)))
	require.NoError(t, err)
	assert.Equal(t, time.Date(2024, 3, 13, 19, 44, 19, 5e8, time.UTC), m.StartedAt)
	assert.Equal(t, time.Date(2024, 3, 13, 19, 55, 4, 0, time.UTC), m.EndedAt)
	assert.Same(t, time.UTC, m.StartedAt.Location())
	assert.Same(t, time.UTC, m.EndedAt.Location())
}

// The key methods of Media build no key from a path that leaves the recording, or from an invalid Location;
// the other entries are built as usual.
func TestMediaKeysRefuseUnsafePaths(t *testing.T) {
	t.Parallel()
	loc := recording.Location{Bucket: "b", Prefix: "s/st/p/t"}
	h := recording.HLSMedia{Path: "media/hls", Playlist: "multivariant.m3u8",
		Renditions: []recording.Rendition{{Path: "high", Playlist: "playlist.m3u8"}, {Path: "../low", Playlist: "playlist.m3u8"}, {Path: "x", Playlist: "p\xff"}}}
	assert.Equal(t, "s/st/p/t/media/hls/multivariant.m3u8", h.PlaylistKey(loc))
	assert.Equal(t, []string{"s/st/p/t/media/hls/high/playlist.m3u8", "", ""}, h.RenditionPlaylistKeys(loc))

	bad := h
	bad.Path = "media/../.."
	assert.Empty(t, bad.PlaylistKey(loc))
	assert.Equal(t, []string{"", "", ""}, bad.RenditionPlaylistKeys(loc))
	bad = h
	bad.Playlist = ".."
	assert.Empty(t, bad.PlaylistKey(loc))

	th := recording.ThumbnailMedia{Path: "media/thumbnails", Renditions: []recording.Rendition{{Path: "high"}, {Path: ".."}}}
	assert.Equal(t, []string{"s/st/p/t/media/thumbnails/high/", ""}, th.RenditionPrefixes(loc))

	for _, l := range []recording.Location{{Bucket: "b", Prefix: "s/../t"}, {Bucket: "b\xff", Prefix: "s"}} {
		assert.Empty(t, h.PlaylistKey(l))
		assert.Equal(t, []string{"", "", ""}, h.RenditionPlaylistKeys(l))
		assert.Equal(t, []string{"", ""}, th.RenditionPrefixes(l))
	}
}

// The key helpers trim every leading and trailing slash of the file's paths, not just one.
// Catches: trimSlashes trimming a single leading '/'.
func TestMetadataKeysTrimEverySlash(t *testing.T) {
	t.Parallel()
	loc := recording.Location{Bucket: "b", Prefix: "stage/session/participant/2024-01-01T12-00-55Z"}
	const dir = "stage/session/participant/2024-01-01T12-00-55Z/"
	h := recording.HLSMedia{Path: "//media/hls//", Playlist: "//multivariant.m3u8",
		Renditions: []recording.Rendition{{Path: "///high//", Playlist: "//playlist.m3u8//"}}}
	th := recording.ThumbnailMedia{Path: "///media/thumbnails", Renditions: []recording.Rendition{{Path: "//high"}}}
	assert.Equal(t, dir+"media/hls/multivariant.m3u8", h.PlaylistKey(loc))
	assert.Equal(t, []string{dir + "media/hls/high/playlist.m3u8"}, h.RenditionPlaylistKeys(loc))
	assert.Equal(t, []string{dir + "media/thumbnails/high/"}, th.RenditionPrefixes(loc))
}
