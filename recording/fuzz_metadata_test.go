package recording_test

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

	"github.com/ivsrt/ivsrt/recording"
)

// metadataToJSON writes m in the schema of the metadata files, the way ParseMetadata reads it back.
func metadataToJSON(m recording.Metadata) ([]byte, error) {
	doc := map[string]any{
		"version":                  m.Version,
		"stage_arn":                m.StageARN,
		"session_id":               m.SessionID,
		"participant_id":           m.ParticipantID,
		"recording_status":         m.Status,
		"recording_status_message": m.StatusMessage,
	}
	if !m.StartedAt.IsZero() {
		doc["recording_started_at"] = m.StartedAt.Format(time.RFC3339Nano)
	}
	if !m.EndedAt.IsZero() {
		doc["recording_ended_at"] = m.EndedAt.Format(time.RFC3339Nano)
	}
	media := map[string]any{}
	if h := m.Media.HLS; h != nil {
		media["hls"] = map[string]any{"path": h.Path, "playlist": h.Playlist, "renditions": h.Renditions,
			"duration_ms": m.Duration.Milliseconds()}
	}
	if m.Media.Thumbnails != nil {
		media["thumbnails"] = m.Media.Thumbnails
	}
	if m.Media.LatestThumbnail != nil {
		media["latest_thumbnail"] = m.Media.LatestThumbnail
	}
	doc["media"] = media
	return json.Marshal(doc)
}

// Properties of ParseMetadata: nothing panics; an error comes with the zero Metadata; an accepted document
// holds a status, a duration that is not negative, times in UTC within the years 0000 to 9999 and an end
// that is not before its start, paths without a ".." segment, and strings that are valid UTF-8 holding no
// U+FFFD the input does not write itself (invalid UTF-8 is refused, never replaced); and written again in
// the schema it parses to the same Metadata.
func FuzzParseMetadata(f *testing.F) {
	for _, name := range []string{"recording-started.json", "recording-ended.json", "recording-failed.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", "metadata", name))
		require.NoError(f, err)
		f.Add(data)
	}
	for _, s := range []string{
		``, `{}`, `null`, `[]`, `"x"`, `{"recording_status":"RECORDING_ENDED"}`,
		`{"recording_status":"RECORDING_ENDED","media":{"hls":{"duration_ms":-1}}}`,
		`{"recording_status":"RECORDING_ENDED","media":{"hls":{"duration_ms":1.5}}}`,
		`{"recording_status":"RECORDING_ENDED","media":{"hls":{"duration_ms":9223372036855}}}`,
		`{"recording_status":"RECORDING_ENDED","recording_ended_at":"2024-03-13T19:55:04.123+05:30"}`,
		`{"recording_status":"RECORDING_ENDED","recording_ended_at":"2024-03-13T19:55:04"}`,
		`{"recording_status":"RECORDING_ENDED","media":{"hls":{"renditions":[]},"thumbnails":{"renditions":null}}}`,
		`{"recording_status":1}`, `{"recording_status":"\xff"}`, `{"media":{"hls":{"path":1}}}`,
		"{\"recording_status\":\"RECORDING_ENDED\",\"participant_id\":\"p\xffq\"}",
		`{"recording_status":"RECORDING_ENDED","participant_id":"\ud800"}`,
		`{"recording_status":"RECORDING_ENDED","participant_id":"\ud83d\ude00\ufffd"}`,
		`{"recording_status":"RECORDING_ENDED","recording_status":"RECORDING_STARTED"}`,
		`{"recording_status":"RECORDING_ENDED","recording_started_at":"2024-03-13T19:44:19Z","recording_ended_at":"2024-03-13T19:44:18Z"}`,
		`{"recording_status":"RECORDING_ENDED","recording_started_at":"2024-03-13T19:44:19Z","recording_ended_at":"2024-03-13T20:44:19+01:00"}`,
		`{"recording_status":"RECORDING_ENDED","recording_started_at":"0000-01-01T00:30:00+01:00"}`,
		`{"recording_status":"RECORDING_ENDED","recording_ended_at":"9999-12-31T23:59:59-01:00"}`,
		`{"recording_status":"RECORDING_ENDED","media":{"hls":{"path":"media/../..","renditions":[{"path":"..","playlist":"../p"}]}}}`,
		`{"recording_status":"RECORDING_ENDED","media":{"thumbnails":{"path":"m","renditions":[{"path":"a/.."}]}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := recording.ParseMetadata(data)
		if err != nil {
			assert.Zero(t, m)
			assert.NotEmpty(t, err.Error())
			return
		}
		assert.NotEmpty(t, m.Status)
		assert.GreaterOrEqual(t, m.Duration, time.Duration(0))
		assert.Equal(t, time.Duration(0), m.Duration%time.Millisecond)
		for _, tm := range []time.Time{m.StartedAt, m.EndedAt} {
			if !tm.IsZero() {
				assert.Equal(t, time.UTC, tm.Location())
				assert.True(t, tm.Year() >= 0 && tm.Year() <= 9999, "year %d", tm.Year())
			}
		}
		if !m.StartedAt.IsZero() && !m.EndedAt.IsZero() {
			assert.False(t, m.EndedAt.Before(m.StartedAt), "end %s before start %s", m.EndedAt, m.StartedAt)
		}
		// U+FFFD in the output only where the input writes it (as bytes or as an escape, in any case).
		written := strings.Count(string(data), "\uFFFD") + strings.Count(strings.ToLower(string(data)), `\ufffd`)
		strs := []string{m.Version, m.StageARN, m.SessionID, m.ParticipantID, string(m.Status), m.StatusMessage}
		var paths []string
		if h := m.Media.HLS; h != nil {
			paths = append(paths, h.Path, h.Playlist)
			for _, r := range h.Renditions {
				paths = append(paths, r.Path, r.Playlist)
			}
		}
		for _, th := range []*recording.ThumbnailMedia{m.Media.Thumbnails, m.Media.LatestThumbnail} {
			if th != nil {
				paths = append(paths, th.Path)
				for _, r := range th.Renditions {
					paths = append(paths, r.Path, r.Playlist)
				}
			}
		}
		replaced := 0
		for _, s := range append(strs, paths...) {
			assert.True(t, utf8.ValidString(s), "%q", s)
			replaced += strings.Count(s, "\uFFFD")
		}
		assert.LessOrEqual(t, replaced, written, "U+FFFD the input does not write")
		for _, p := range paths {
			assert.NotContains(t, strings.Split(p, "/"), "..", "path %q", p)
		}
		again, err := metadataToJSON(m)
		require.NoError(t, err)
		m2, err := recording.ParseMetadata(again)
		require.NoError(t, err, "%s", again)
		assert.Equal(t, m, m2, "%s", again)
	})
}
