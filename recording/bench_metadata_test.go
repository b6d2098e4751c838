package recording_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ivsrt/ivsrt/recording"
)

// plainMetadata is the metadata schema as a plain struct with the same fields, what a user would decode
// with encoding/json alone: the floor under ParseMetadata.
type plainMetadata struct {
	Version       string     `json:"version"`
	StageARN      string     `json:"stage_arn"`
	SessionID     string     `json:"session_id"`
	ParticipantID string     `json:"participant_id"`
	StartedAt     *time.Time `json:"recording_started_at"`
	EndedAt       *time.Time `json:"recording_ended_at"`
	Status        string     `json:"recording_status"`
	StatusMessage string     `json:"recording_status_message"`
	Media         struct {
		HLS *struct {
			DurationMS *int64 `json:"duration_ms"`
			Path       string `json:"path"`
			Playlist   string `json:"playlist"`
			Renditions []struct {
				Path     string `json:"path"`
				Playlist string `json:"playlist"`
			} `json:"renditions"`
		} `json:"hls"`
		Thumbnails      *plainThumbnails `json:"thumbnails"`
		LatestThumbnail *plainThumbnails `json:"latest_thumbnail"`
	} `json:"media"`
}

type plainThumbnails struct {
	Path       string `json:"path"`
	Renditions []struct {
		Path string `json:"path"`
	} `json:"renditions"`
}

// BenchmarkParseMetadata compares ParseMetadata ("ivsrt") with json.Unmarshal of the same bytes (the user
// guide's recording-ended.json) into plainMetadata ("json"). Sub-benchmarks of one function run interleaved
// under -count: compare them with `benchstat -col /impl` (the first column, json, is the base).
func BenchmarkParseMetadata(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "metadata", "recording-ended.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("impl=json", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			var m plainMetadata
			if err := json.Unmarshal(data, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=ivsrt", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := recording.ParseMetadata(data); err != nil {
				b.Fatal(err)
			}
		}
	})
}
