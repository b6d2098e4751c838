package event_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/event"
)

const testCompositionARN = "arn:aws:ivs:us-east-1:123456789012:composition/s2AdaGUbvQgp"

// compositionWith returns a Composition State Change event whose detail holds the given members after
// event_name.
func compositionWith(name, members string) string {
	return `{"id":"e1","source":"aws.ivs","detail-type":"IVS Composition State Change","time":"2024-06-12T10:23:43Z",` +
		`"resources":["` + testCompositionARN + `"],"detail":{"event_name":"` + name + `"` + members + `}}`
}

func TestParseComposition(t *testing.T) {
	t.Parallel()
	at := time.Date(2024, 6, 12, 10, 23, 43, 0, time.UTC)
	env := event.Envelope{ID: "e1", DetailType: event.TypeCompositionChange, Source: event.Source, Time: at,
		Resources: []string{testCompositionARN}}
	tests := []struct {
		name string
		data string
		want event.Composition
	}{
		{"session end (the guide's example file)", string(example(t, "composition-session-end.json")), event.Composition{
			Envelope: event.Envelope{ID: "01234567-0123-0123-0123-012345678901", DetailType: event.TypeCompositionChange,
				Source: event.Source, Account: "aws_account_id", Region: "us-east-1", Time: time.Date(2017, 6, 12, 10, 23, 43, 0, time.UTC),
				Resources: []string{"arn:aws:ivs:us-east-1:aws_account_id:composition/123456789012"}},
			Name: event.CompositionSessionEnd, CompositionARN: "arn:aws:ivs:us-east-1:aws_account_id:composition/123456789012",
			StageARN: "<stage-arn>"}},
		{"session start", compositionWith("Session Start", `,"stage_arn":"`+testStageARN+`"`), event.Composition{
			Envelope: env, Name: event.CompositionSessionStart, CompositionARN: testCompositionARN, StageARN: testStageARN}},
		{"session failure", compositionWith("Session Failure", `,"stage_arn":"`+testStageARN+`","error_code":"StageDeleted","reason":"The stage was deleted"`), event.Composition{
			Envelope: env, Name: event.CompositionSessionFailure, CompositionARN: testCompositionARN, StageARN: testStageARN,
			ErrorCode: "StageDeleted", Reason: "The stage was deleted"}},
		{"destination start", compositionWith("Destination Start", `,"stage_arn":"`+testStageARN+`","id":"2pBRKrNgX1ff"`), event.Composition{
			Envelope: env, Name: event.CompositionDestinationStart, CompositionARN: testCompositionARN, StageARN: testStageARN,
			DestinationID: "2pBRKrNgX1ff"}},
		{"destination failure", compositionWith("Destination Failure", `,"stage_arn":"`+testStageARN+`","id":"2pBRKrNgX1ff","error_code":"ResourceNotFoundException","reason":"bucket not found"`), event.Composition{
			Envelope: env, Name: event.CompositionDestinationFailure, CompositionARN: testCompositionARN, StageARN: testStageARN,
			DestinationID: "2pBRKrNgX1ff", ErrorCode: "ResourceNotFoundException", Reason: "bucket not found"}},
		{"an unknown event name passes", compositionWith("Destination Paused", `,"stage_arn":"`+testStageARN+`"`), event.Composition{
			Envelope: env, Name: "Destination Paused", CompositionARN: testCompositionARN, StageARN: testStageARN}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ev, err := event.Parse([]byte(tt.data))
			require.NoError(t, err)
			assert.Equal(t, tt.want, ev)
			assert.Empty(t, ev.Header().StageARN(), "resources[0] is the composition, not a stage")

			// MarshalJSON writes what Parse reads back.
			data, err := json.Marshal(ev)
			require.NoError(t, err)
			again, err := event.Parse(data)
			require.NoError(t, err)
			assert.Equal(t, tt.want, again)
		})
	}
}

func TestParseCompositionErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, data, field string
	}{
		{"no detail", `{"id":"e1","source":"aws.ivs","detail-type":"IVS Composition State Change"}`, "detail"},
		{"detail not an object", `{"id":"e1","source":"aws.ivs","detail-type":"IVS Composition State Change","detail":"x"}`, "detail"},
		{"no event_name", `{"id":"e1","source":"aws.ivs","detail-type":"IVS Composition State Change","detail":{"stage_arn":"x"}}`, "detail.event_name"},
		{"stage_arn a number", compositionWith("Session End", `,"stage_arn":5`), "detail.stage_arn"},
		{"id a number", compositionWith("Destination End", `,"id":5`), "detail.id"},
		{"id twice", compositionWith("Destination End", `,"id":"a","id":"b"`), "detail.id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ev, err := event.Parse([]byte(tt.data))
			assert.Nil(t, ev)
			var pe *event.ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.field, pe.Field, "%v", err)
		})
	}
}

func TestCompositionNames(t *testing.T) {
	t.Parallel()
	names := event.CompositionName("").Values()
	assert.Len(t, names, 7)
	for _, n := range names {
		assert.True(t, n.Valid(), n)
	}
	assert.False(t, event.CompositionName("Session Paused").Valid())
	assert.True(t, event.CompositionDestinationFailure.Failed())
	assert.True(t, event.CompositionSessionFailure.Failed())
	assert.False(t, event.CompositionSessionEnd.Failed())
}

func TestCompositionThroughProcessorAndTracker(t *testing.T) {
	t.Parallel()
	tr := event.NewTracker()
	var got []event.Composition
	p := event.NewProcessor(event.NewMemoryStore(), func(_ context.Context, ev event.Event) error {
		tr.Apply(ev)
		c, ok := ev.(event.Composition)
		if !ok {
			return errors.New("not a composition")
		}
		got = append(got, c)
		return nil
	})
	body := []byte(compositionWith("Session End", `,"stage_arn":"`+testStageARN+`"`))
	require.NoError(t, p.Process(t.Context(), body))
	assert.ErrorIs(t, p.Process(t.Context(), body), event.ErrDuplicate, "a duplicate delivery")
	require.Len(t, got, 1, "handled once")
	assert.Equal(t, event.CompositionSessionEnd, got[0].Name)
	assert.Empty(t, tr.Participants(), "the Tracker tracks participants: it ignores compositions")
}
