package event_test

// Tests written for the mutation pass over part two (issue 13 item 5): each one fails on a realistic
// single-line bug that the rest of the package's tests let through. The comment above each test names the
// bug it catches.

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/event"
)

// Every kind of JSON white space may come before the event (an SQS body written with CRLF line ends starts
// with "\r\n"), on both of Parse's paths: a decoded detail-type and an Unknown one.
// Catches: '\r' missing from the white space isObject skips.
func TestParseAfterEveryWhiteSpace(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data string
		want event.Event
	}{
		{"recording after CRLF", "\r\n" + recordingWith(`,"participant_id":"p1"`),
			event.Recording{Envelope: event.Envelope{ID: "e1", DetailType: event.TypeRecordingChange, Source: event.Source}, Name: event.RecordingEnd, ParticipantID: "p1"}},
		{"stage update after CR", "\r" + stageUpdateWith(`,"user_id":"u"`),
			event.StageUpdate{Envelope: event.Envelope{ID: "e1", DetailType: event.TypeStageUpdate, Source: event.Source}, Name: event.ParticipantPublished, UserID: "u"}},
		{"unknown after every white space", " \t\r\n" + `{"id":"e1","source":"aws.ivs","detail-type":"IVS Composition State Change","detail":{}}`,
			event.Unknown{Envelope: event.Envelope{ID: "e1", DetailType: "IVS Composition State Change", Source: event.Source}, Detail: []byte(`{}`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := event.Parse([]byte(tt.data))
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// A JSON boolean where an object belongs is named a boolean, false as well as true, for the input and for
// the detail. Catches: 'f' missing from kindOf's booleans (false named a number).
func TestParseNamesFalseABoolean(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data string
		want string // the whole error text
	}{
		{"input false", `false`, "event: the input is a JSON boolean, not an object"},
		{"input false after CRLF", "\r\nfalse", "event: the input is a JSON boolean, not an object"},
		{"recording detail false", `{"id":"e1","source":"aws.ivs","detail-type":"IVS Participant Recording State Change","detail":false}`, "event: detail: is a JSON boolean, want an object"},
		{"stage update detail true", `{"id":"e1","source":"aws.ivs","detail-type":"IVS Stage Update","detail":true}`, "event: detail: is a JSON boolean, want an object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ev, err := event.Parse([]byte(tt.data))
			assert.Nil(t, ev)
			assert.EqualError(t, err, tt.want)
			assert.IsType(t, &event.ParseError{}, err)
		})
	}
}
