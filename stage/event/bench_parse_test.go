package event_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/event"
)

// plainRecordingEnd is a plain struct of the fields of a Recording End, the yardstick of BenchmarkParse.
type plainRecordingEnd struct {
	Version    string   `json:"version"`
	ID         string   `json:"id"`
	DetailType string   `json:"detail-type"`
	Source     string   `json:"source"`
	Account    string   `json:"account"`
	Time       string   `json:"time"`
	Region     string   `json:"region"`
	Resources  []string `json:"resources"`
	Detail     struct {
		SessionID     string `json:"session_id"`
		EventName     string `json:"event_name"`
		ParticipantID string `json:"participant_id"`
		BucketName    string `json:"recording_s3_bucket_name"`
		KeyPrefix     string `json:"recording_s3_key_prefix"`
		DurationMS    int64  `json:"recording_duration_ms"`
	} `json:"detail"`
}

// BenchmarkParse compares Parse of the guide's Recording End with json.Unmarshal of the same bytes into a
// plain struct of the same fields:
//
//	go test -run '^$' -bench BenchmarkParse -count 10 -benchtime 200ms ./stage/event | tee parse.txt
//	benchstat -col /impl parse.txt
func BenchmarkParse(b *testing.B) {
	data := example(b, "recording-end.json")
	b.Run("impl=json", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			var v plainRecordingEnd
			if err := json.Unmarshal(data, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=ivsrt", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			ev, err := event.Parse(data)
			if err != nil {
				b.Fatal(err)
			}
			if _, ok := ev.(event.Recording); !ok {
				b.Fatalf("got %T", ev)
			}
		}
	})
	ev, err := event.Parse(data)
	require.NoError(b, err)
	require.Equal(b, event.RecordingEnd, ev.(event.Recording).Name)
}
