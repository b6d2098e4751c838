package recording

import (
	"github.com/ivsrt/ivsrt/internal/rules"

	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"
)

// Metadata is one of the JSON files IVS writes under a recording's prefix, in events/
// (recording-started.json, recording-ended.json, recording-failed.json), read by ParseMetadata.
type Metadata struct {
	// Version is the schema version ("v1").
	Version string
	// StageARN is the stage that was recorded.
	StageARN string
	// SessionID is the stage session in which the participant is recorded.
	SessionID string
	// ParticipantID is the recorded participant.
	ParticipantID string
	// Status is recording_status. Unknown values pass through as they are (Status.Valid reports them).
	Status Status
	// StatusMessage is recording_status_message, "" when absent (it is sent only with StatusEnded and
	// StatusEndedWithFailure).
	StatusMessage string
	// StartedAt is recording_started_at in UTC; zero when absent (StatusStartFailed). It is when the event
	// was generated, which can differ from the media's own times: use Duration for the recording's length.
	StartedAt time.Time
	// EndedAt is recording_ended_at in UTC; zero when absent (only ended files carry it).
	EndedAt time.Time
	// Duration is media.hls.duration_ms; zero when absent (only ended files carry it) and 0 when a failure
	// came before anything was recorded.
	Duration time.Duration
	// Media lists the recording's outputs as the file writes them.
	Media Media
}

// Media are the outputs of a recording (the metadata's "media" object). A nil member was absent from the
// file: HLS with media type NONE (unconfirmed), Thumbnails unless thumbnail storage includes
// StorageSequential, LatestThumbnail unless it includes StorageLatest.
type Media struct {
	// HLS is media.hls: the HLS playlists.
	HLS *HLSMedia
	// Thumbnails is media.thumbnails: the sequential thumbnails.
	Thumbnails *ThumbnailMedia
	// LatestThumbnail is media.latest_thumbnail: the latest thumbnail, overwritten every interval.
	LatestThumbnail *ThumbnailMedia
}

// HLSMedia is the HLS output of a recording (media.hls), e.g. Path "media/hls", Playlist
// "multivariant.m3u8" and one rendition {Path "high", Playlist "playlist.m3u8"}.
type HLSMedia struct {
	// Path is the folder of the HLS output, relative to the recording's prefix.
	Path string `json:"path"`
	// Playlist is the file name of the multivariant playlist in Path.
	Playlist string `json:"playlist"`
	// Renditions are the renditions (at least one, "high"), each a folder relative to Path.
	Renditions []Rendition `json:"renditions"`
}

// ThumbnailMedia is a thumbnail output of a recording (media.thumbnails or media.latest_thumbnail), e.g.
// Path "media/thumbnails" and one rendition {Path "high"}.
type ThumbnailMedia struct {
	// Path is the folder of the thumbnails, relative to the recording's prefix.
	Path string `json:"path"`
	// Renditions are the renditions, each a folder relative to Path (Playlist is "").
	Renditions []Rendition `json:"renditions"`
}

// Rendition is one rendition of an output: a folder relative to its output's Path and, for HLS, the file
// name of its media playlist.
type Rendition struct {
	// Path is the rendition's folder, relative to the output's Path ("high").
	Path string `json:"path"`
	// Playlist is the file name of the rendition's media playlist ("playlist.m3u8"); "" for thumbnails.
	Playlist string `json:"playlist"`
}

// PlaylistKey returns the S3 key of the multivariant playlist under l: <prefix>/<Path>/<Playlist>, e.g.
// <prefix>/media/hls/multivariant.m3u8 (what l.PlaylistKey assumes, here as the file says).
func (h HLSMedia) PlaylistKey(l Location) string { return joinKey(l.dir(), h.Path, h.Playlist) }

// RenditionPlaylistKeys returns the S3 key of each rendition's media playlist under l, in order:
// <prefix>/<Path>/<rendition Path>/<rendition Playlist>, e.g. <prefix>/media/hls/high/playlist.m3u8.
func (h HLSMedia) RenditionPlaylistKeys(l Location) []string {
	keys := make([]string, len(h.Renditions))
	for i, r := range h.Renditions {
		keys[i] = joinKey(l.dir(), h.Path, r.Path, r.Playlist)
	}
	return keys
}

// RenditionPrefixes returns the S3 key prefix (with a trailing '/') of each rendition's thumbnails under l,
// in order: <prefix>/<Path>/<rendition Path>/, e.g. <prefix>/media/thumbnails/high/.
func (t ThumbnailMedia) RenditionPrefixes(l Location) []string {
	keys := make([]string, len(t.Renditions))
	for i, r := range t.Renditions {
		keys[i] = joinKey(l.dir(), t.Path, r.Path) + "/"
	}
	return keys
}

// joinKey joins dir (empty or ending in '/') and the non-empty parts with '/', trimming the parts' own
// leading and trailing slashes.
func joinKey(dir string, parts ...string) string {
	key := dir
	for _, p := range parts {
		p = trimSlashes(p)
		if p == "" {
			continue
		}
		if key != "" && key[len(key)-1] != '/' {
			key += "/"
		}
		key += p
	}
	return key
}

func trimSlashes(s string) string {
	for len(s) > 0 && s[0] == '/' {
		s = s[1:]
	}
	for len(s) > 0 && s[len(s)-1] == '/' {
		s = s[:len(s)-1]
	}
	return s
}

// metadataJSON is the file's schema; renditions and thumbnail outputs decode straight into the public
// types.
type metadataJSON struct {
	Version       string `json:"version"`
	StageARN      string `json:"stage_arn"`
	SessionID     string `json:"session_id"`
	ParticipantID string `json:"participant_id"`
	StartedAt     string `json:"recording_started_at"`
	EndedAt       string `json:"recording_ended_at"`
	Status        string `json:"recording_status"`
	StatusMessage string `json:"recording_status_message"`
	Media         struct {
		HLS *struct {
			DurationMS *int64      `json:"duration_ms"`
			Path       string      `json:"path"`
			Playlist   string      `json:"playlist"`
			Renditions []Rendition `json:"renditions"`
		} `json:"hls"`
		Thumbnails      *ThumbnailMedia `json:"thumbnails"`
		LatestThumbnail *ThumbnailMedia `json:"latest_thumbnail"`
	} `json:"media"`
}

// maxDurationMS is the longest duration_ms a time.Duration holds.
const maxDurationMS = math.MaxInt64 / int64(time.Millisecond)

// ParseMetadata reads a recording's metadata file (events/recording-*.json; every version-"v1" file has one
// schema). Times are RFC 3339 with any fraction of a second, returned in UTC. Unknown members are ignored,
// and so is a JSON null member. It returns an error naming the problem, never panics, for: input that is not
// JSON (empty, truncated, malformed), JSON that is not an object, a missing or empty recording_status, a
// member of the wrong JSON type (e.g. "media.hls.duration_ms: want a number, got string"), a time that is
// not RFC 3339, and a negative or too large duration_ms.
func ParseMetadata(data []byte) (Metadata, error) {
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) == 0 {
		return Metadata{}, errors.New("recording: metadata: empty input, want a JSON object")
	}
	if trimmed[0] != '{' {
		if !json.Valid(data) {
			return Metadata{}, fmt.Errorf("recording: metadata: not JSON: %w", jsonSyntaxError(data))
		}
		return Metadata{}, fmt.Errorf("recording: metadata: want a JSON object, got %s", jsonKind(trimmed[0]))
	}
	var w metadataJSON
	if err := json.Unmarshal(data, &w); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return Metadata{}, fmt.Errorf("recording: metadata: %s: want %s, got %s", typeErr.Field, goKind(typeErr.Type.Kind().String()), typeErr.Value)
		}
		return Metadata{}, fmt.Errorf("recording: metadata: not JSON: %w", err)
	}
	if w.Status == "" {
		return Metadata{}, errors.New("recording: metadata: recording_status is missing")
	}
	m := Metadata{
		Version:       w.Version,
		StageARN:      w.StageARN,
		SessionID:     w.SessionID,
		ParticipantID: w.ParticipantID,
		Status:        Status(w.Status),
		StatusMessage: w.StatusMessage,
		Media:         Media{Thumbnails: w.Media.Thumbnails, LatestThumbnail: w.Media.LatestThumbnail},
	}
	var err error
	if m.StartedAt, err = parseTime("recording_started_at", w.StartedAt); err != nil {
		return Metadata{}, err
	}
	if m.EndedAt, err = parseTime("recording_ended_at", w.EndedAt); err != nil {
		return Metadata{}, err
	}
	if h := w.Media.HLS; h != nil {
		m.Media.HLS = &HLSMedia{Path: h.Path, Playlist: h.Playlist, Renditions: h.Renditions}
		if d := h.DurationMS; d != nil {
			if *d < 0 || *d > maxDurationMS {
				return Metadata{}, fmt.Errorf("recording: metadata: media.hls.duration_ms: %d is out of range 0..%d", *d, maxDurationMS)
			}
			m.Duration = time.Duration(*d) * time.Millisecond
		}
	}
	return m, nil
}

func parseTime(member, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("recording: metadata: %s: %s is not an RFC 3339 time", member, rules.Quote(v))
	}
	return t.UTC(), nil
}

// jsonSyntaxError returns json's own description of what is wrong with data.
func jsonSyntaxError(data []byte) error {
	var v any
	return json.Unmarshal(data, &v)
}

// jsonKind names the JSON value that starts with b.
func jsonKind(b byte) string {
	switch b {
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// goKind names, in JSON's words, what a Go kind decodes from.
func goKind(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "int64", "int", "int32":
		return "an integer"
	case "struct", "map":
		return "an object"
	case "slice", "array":
		return "an array"
	case "bool":
		return "a boolean"
	}
	return kind
}
