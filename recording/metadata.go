package recording

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/wire"
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
	// EndedAt is recording_ended_at in UTC; zero when absent (only ended files carry it). When both times
	// are present it is not before StartedAt (ParseMetadata refuses a file that says otherwise).
	EndedAt time.Time
	// Duration is media.hls.duration_ms; zero when absent (only ended files carry it) and 0 when a failure
	// came before anything was recorded.
	Duration time.Duration
	// Media lists the recording's outputs as the file writes them; ParseMetadata refuses a path with a ".."
	// segment.
	Media Media
}

// Media are the outputs of a recording (the metadata's "media" object). A nil member was absent from the
// file: HLS with media type NONE (unconfirmed), Thumbnails unless thumbnail storage includes
// StorageSequential, LatestThumbnail unless it includes StorageLatest.
//
// The paths are relative to the recording's prefix and are joined to it by the key methods. A path that is
// not valid UTF-8 or holds a ".." segment (a path such as "media/../../other-stage") would name a key
// outside the recording, or a file outside a local copy of it: ParseMetadata refuses it, and the key methods
// return "" for a key built from one (hand-built values included).
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
// <prefix>/media/hls/multivariant.m3u8 (what l.PlaylistKey assumes, here as the file says). It returns ""
// when l is invalid (Location.Validate) or Path or Playlist is not valid UTF-8 or holds a ".." segment.
func (h HLSMedia) PlaylistKey(l Location) string { return joinKey(l, h.Path, h.Playlist) }

// RenditionPlaylistKeys returns the S3 key of each rendition's media playlist under l, in order:
// <prefix>/<Path>/<rendition Path>/<rendition Playlist>, e.g. <prefix>/media/hls/high/playlist.m3u8. An
// entry is "" when its key would be built from an invalid l or a path that is not valid UTF-8 or holds a
// ".." segment.
func (h HLSMedia) RenditionPlaylistKeys(l Location) []string {
	keys := make([]string, len(h.Renditions))
	for i, r := range h.Renditions {
		keys[i] = joinKey(l, h.Path, r.Path, r.Playlist)
	}
	return keys
}

// RenditionPrefixes returns the S3 key prefix (with a trailing '/') of each rendition's thumbnails under l,
// in order: <prefix>/<Path>/<rendition Path>/, e.g. <prefix>/media/thumbnails/high/. An entry is "" when
// it would be built from an invalid l or a path that is not valid UTF-8 or holds a ".." segment.
func (t ThumbnailMedia) RenditionPrefixes(l Location) []string {
	keys := make([]string, len(t.Renditions))
	for i, r := range t.Renditions {
		if key := joinKey(l, t.Path, r.Path); key != "" {
			keys[i] = key + "/"
		}
	}
	return keys
}

// joinKey joins l's prefix (as l.dir gives it) and the non-empty parts with '/', trimming the parts' own
// leading and trailing slashes. It returns "" when l is invalid or a part is not a safe path (pathProblem).
func joinKey(l Location, parts ...string) string {
	if !l.valid() {
		return ""
	}
	key := l.dir()
	for _, p := range parts {
		if pathProblem(p) != "" {
			return ""
		}
	}
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

// pathProblem says what makes p unsafe to join to a recording's prefix: it is not valid UTF-8, or it has a
// ".." segment (between slashes, or at either end). "" when p is safe.
func pathProblem(p string) string {
	if !utf8.ValidString(p) {
		return "is not valid UTF-8"
	}
	if hasDotDot(p) {
		return rules.Quote(p) + ` has a ".." segment`
	}
	return ""
}

// checkMedia returns the first path of m that pathProblem refuses, as an error naming its member.
func checkMedia(m Media) error {
	check := func(member, p string) error {
		if problem := pathProblem(p); problem != "" {
			return fmt.Errorf("recording: metadata: %s: %s", member, problem)
		}
		return nil
	}
	renditions := func(member string, rs []Rendition) error {
		for i, r := range rs {
			at := member + ".renditions[" + strconv.Itoa(i) + "]"
			if err := check(at+".path", r.Path); err != nil {
				return err
			}
			if err := check(at+".playlist", r.Playlist); err != nil {
				return err
			}
		}
		return nil
	}
	if h := m.HLS; h != nil {
		if err := check("media.hls.path", h.Path); err != nil {
			return err
		}
		if err := check("media.hls.playlist", h.Playlist); err != nil {
			return err
		}
		if err := renditions("media.hls", h.Renditions); err != nil {
			return err
		}
	}
	for _, t := range []struct {
		member string
		media  *ThumbnailMedia
	}{{"media.thumbnails", m.Thumbnails}, {"media.latest_thumbnail", m.LatestThumbnail}} {
		if t.media == nil {
			continue
		}
		if err := check(t.member+".path", t.media.Path); err != nil {
			return err
		}
		if err := renditions(t.member, t.media.Renditions); err != nil {
			return err
		}
	}
	return nil
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

// metadataObject describes the objects of a metadata file for wire.CheckText.
var metadataObject = wire.ObjectFor[metadataJSON]()

// ParseMetadata reads a recording's metadata file (events/recording-*.json; every version-"v1" file has one
// schema). Times are RFC 3339 with any fraction of a second, returned in UTC. Unknown members are ignored,
// and so is a JSON null member. It returns an error naming the problem, never panics, for:
//   - input that is not JSON (empty, truncated, malformed), or JSON that is not an object;
//   - a string anywhere in the file that is not valid UTF-8, or a \u escape of an unpaired surrogate (which
//     encoding/json alone would turn into U+FFFD silently: an ID or path would then name nothing);
//   - a member of the schema given twice (names compared as encoding/json matches them, ignoring case);
//   - a missing or empty recording_status;
//   - a member of the wrong JSON type (e.g. "media.hls.duration_ms: want an integer, got string");
//   - a time that is not RFC 3339, or whose UTC year is outside 0000 to 9999, and a recording_ended_at
//     before recording_started_at (equal times are accepted);
//   - a negative or too large duration_ms;
//   - a media path or playlist with a ".." segment.
//
// Errors begin with "recording: metadata: " and name the member, e.g. "media.hls.renditions[0].path".
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
	if terr := wire.CheckText(data, metadataObject); terr != nil {
		return Metadata{}, fmt.Errorf("recording: metadata: %s", terr.Error())
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
	if !m.StartedAt.IsZero() && !m.EndedAt.IsZero() && m.EndedAt.Before(m.StartedAt) {
		return Metadata{}, fmt.Errorf("recording: metadata: recording_ended_at: %s is before recording_started_at %s",
			m.EndedAt.Format(time.RFC3339Nano), m.StartedAt.Format(time.RFC3339Nano))
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
	if err := checkMedia(m.Media); err != nil {
		return Metadata{}, err
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
	t = t.UTC()
	if y := t.Year(); y < 0 || y > 9999 {
		return time.Time{}, fmt.Errorf("recording: metadata: %s: %s is outside the years 0000 to 9999 in UTC", member, rules.Quote(v))
	}
	return t, nil
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
