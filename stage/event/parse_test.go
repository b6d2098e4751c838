package event_test

import (
	"encoding/json"
	"errors"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/event"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// The envelopes of the guide's examples.
var (
	recordingStartEnv = event.Envelope{
		ID: "12345678-1a23-4567-a1bc-1a2b34567890", DetailType: event.TypeRecordingChange, Source: event.Source,
		Account: "123456789012", Region: "us-east-1", Time: time.Date(2024, 3, 13, 22, 9, 58, 0, time.UTC),
		Resources: []string{"arn:aws:ivs:us-west-2:aws_account_id:stage/AbCdef1G2hij"},
	}
	recordingEndEnv = withTime(recordingStartEnv, time.Date(2024, 3, 13, 22, 19, 4, 0, time.UTC))
	stageUpdateEnv  = event.Envelope{
		ID: "12345678-1a23-4567-a1bc-1a2b34567890", DetailType: event.TypeStageUpdate, Source: event.Source,
		Account: "123456789012", Region: "us-west-2", Time: time.Date(2020, 6, 23, 20, 12, 36, 0, time.UTC),
		Resources: []string{"arn:aws:ivs:us-west-2:123456789012:stage/AbCdef1G2hij"},
	}
	exampleLocation = recording.Location{Bucket: "bucket-name", Prefix: "<stage_id>/<session_id>/<participant_id>/2024-01-01T12-00-55Z"}
)

func withTime(e event.Envelope, t time.Time) event.Envelope { e.Time = t; return e }

func TestParseGuideExamples(t *testing.T) {
	t.Parallel()
	const accessDenied = "e.g., Access denied to S3 bucket. Please verify your bucket policy"
	published := event.StageUpdate{
		Envelope: stageUpdateEnv, Name: event.ParticipantPublished, SessionID: "st-ZyXwvu1T2s",
		ParticipantID: "xYz1c2d3e4f", UserID: "Your User Id",
		Time:    time.Date(2025, 11, 18, 16, 40, 32, 123456000, time.UTC), // event_time_precise, not event_time
		Replica: true, SourceStageARN: "arn:aws:ivs:us-west-2:123456789012:stage/AbCdef1G2hij", SourceSessionID: "st-sdfdfdfgdfgh",
	}
	unpublished := published
	unpublished.Name = event.ParticipantUnpublished
	publishError := published
	publishError.Name = event.ParticipantPublishError
	publishError.Time = time.Date(2024, 8, 13, 14, 38, 17, 89061676, time.UTC) // event_time with nanoseconds
	publishError.ErrorCode = "BITRATE_EXCEEDED"
	replicationStart := event.StageUpdate{
		Envelope: stageUpdateEnv, Name: event.ParticipantReplicationStart, SessionID: "st-ZyXwvu1T2s",
		ParticipantID: "xYz1c2d3e4f", UserID: "Your User Id", Time: time.Date(2025, 11, 18, 16, 40, 32, 0, time.UTC),
		DestinationStageARN: "arn:aws:ivs:us-west-2:123456789012:stage/XYZdef1G2hij", DestinationSessionID: "aBC1c2d3e4f",
	}
	replicationEnd := replicationStart
	replicationEnd.Name = event.ParticipantReplicationEnd

	tests := []struct {
		file string
		want event.Event
	}{
		{"recording-start.json", event.Recording{
			Envelope: recordingStartEnv, Name: event.RecordingStart, SessionID: "st-ZyXwvu1T2s",
			ParticipantID: "xYz1c2d3e4f", Location: exampleLocation,
		}},
		{"recording-end.json", event.Recording{
			Envelope: recordingEndEnv, Name: event.RecordingEnd, SessionID: "st-ZyXwvu1T2s",
			ParticipantID: "xYz1c2d3e4f", Location: exampleLocation, Duration: 547327 * time.Millisecond,
		}},
		{"recording-start-failure.json", event.Recording{
			Envelope: recordingStartEnv, Name: event.RecordingStartFailure, SessionID: "st-ZyXwvu1T2s",
			ParticipantID: "xYz1c2d3e4f", Location: exampleLocation,
			ErrorCode: "e.g., AccessDeniedException", Reason: accessDenied,
		}},
		{"recording-end-failure.json", event.Recording{
			Envelope: recordingEndEnv, Name: event.RecordingEndFailure, SessionID: "st-ZyXwvu1T2s",
			ParticipantID: "xYz1c2d3e4f", Location: exampleLocation, Duration: 547327 * time.Millisecond,
			ErrorCode: "e.g., AccessDeniedException", Reason: accessDenied,
		}},
		{"participant-published.json", published},
		{"participant-unpublished.json", unpublished},
		{"participant-publish-error.json", publishError},
		{"participant-replication-start.json", replicationStart},
		{"participant-replication-end.json", replicationEnd},
		{"token-exchanged.json", event.StageUpdate{
			Envelope: stageUpdateEnv, Name: event.TokenExchanged, SessionID: "st-ZyXwvu1T2s",
			ParticipantID: "xYz1c2d3e4f", UserID: "UpdatedUser", Time: time.Date(2025, 11, 12, 20, 54, 53, 0, time.UTC),
			PreviousToken: &event.TokenInfo{
				Capabilities: []token.Capability{token.Subscribe}, Attributes: map[string]string{"role": "viewer"},
				UserID: "InitialUser", ExpiresAt: time.Date(2025, 11, 12, 21, 54, 52, 0, time.UTC),
			},
			NewToken: &event.TokenInfo{
				Capabilities: []token.Capability{token.Subscribe, token.Publish}, Attributes: map[string]string{"role": "moderator"},
				UserID: "UpdatedUser", ExpiresAt: time.Date(2025, 11, 12, 22, 54, 52, 0, time.UTC),
			},
		}},
	}
	for _, tt := range tests {
		t.Run(strings.TrimSuffix(tt.file, ".json"), func(t *testing.T) {
			t.Parallel()
			got, err := event.Parse(example(t, tt.file))
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.want.Header(), got.Header())
		})
	}
}

func TestParseRecordingEndLocation(t *testing.T) {
	t.Parallel()
	ev, err := event.Parse(example(t, "recording-end.json"))
	require.NoError(t, err)
	rec, ok := ev.(event.Recording)
	require.True(t, ok, "got %T", ev)
	assert.Equal(t, "arn:aws:ivs:us-west-2:aws_account_id:stage/AbCdef1G2hij", rec.StageARN())
	assert.Equal(t, "s3://bucket-name/<stage_id>/<session_id>/<participant_id>/2024-01-01T12-00-55Z/", rec.Location.URI())
	assert.Equal(t, "<stage_id>/<session_id>/<participant_id>/2024-01-01T12-00-55Z/media/hls/multivariant.m3u8", rec.Location.PlaylistKey())
	assert.Equal(t, 9*time.Minute+7*time.Second+327*time.Millisecond, rec.Duration)
}

func TestParseUnknownDetailType(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		data       []byte
		detailType string
		detail     string // "" for none
	}{
		{"detail of any JSON type", []byte(`{"id":"e1","source":"aws.ivs","detail-type":"IVS Something New","detail":[1,"two",{"replica":"yes"}]}`),
			"IVS Something New", `[1,"two",{"replica":"yes"}]`},
		{"members of types the decoded detail-types would refuse", []byte(`{"id":"e1","source":"aws.ivs","detail-type":"IVS Publisher Recording State Change","detail":{"event_name":5,"recording_duration_ms":-1}}`),
			"IVS Publisher Recording State Change", `{"event_name":5,"recording_duration_ms":-1}`},
		{"no detail", []byte(`{"id":"e1","source":"aws.ivs","detail-type":"IVS Stream State Change"}`), "IVS Stream State Change", ""},
		{"detail null", []byte(`{"id":"e1","source":"aws.ivs","detail-type":"IVS Stream State Change","detail":null}`), "IVS Stream State Change", "null"},
		{"detail type differs only in case", []byte(`{"id":"e1","source":"aws.ivs","detail-type":"ivs stage update","detail":{}}`), "ivs stage update", `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ev, err := event.Parse(tt.data)
			require.NoError(t, err)
			u, ok := ev.(event.Unknown)
			require.True(t, ok, "got %T", ev)
			assert.Equal(t, tt.detailType, u.DetailType)
			assert.Equal(t, event.Source, u.Source)
			if tt.detail == "" {
				assert.Nil(t, u.Detail)
				return
			}
			assert.JSONEq(t, tt.detail, string(u.Detail))
		})
	}
}

func TestParseUnknownDetailKeepsNoReferenceToInput(t *testing.T) {
	t.Parallel()
	data := []byte(`{"id":"e1","source":"aws.ivs","detail-type":"IVS Something New","detail":{"event_name":"Session End"}}`)
	ev, err := event.Parse(data)
	require.NoError(t, err)
	before := string(ev.(event.Unknown).Detail)
	for i := range data {
		data[i] = 'x'
	}
	assert.Equal(t, before, string(ev.(event.Unknown).Detail))
}

func TestParseUnknownEventNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data string
		want event.Event
	}{
		{"recording", `{"id":"e1","source":"aws.ivs","detail-type":"IVS Participant Recording State Change","detail":{"event_name":"Recording Paused","participant_id":"p1","future_member":{"x":[1]}}}`,
			event.Recording{Envelope: event.Envelope{ID: "e1", DetailType: event.TypeRecordingChange, Source: event.Source}, Name: "Recording Paused", ParticipantID: "p1"}},
		{"stage update", `{"id":"e1","source":"aws.ivs","detail-type":"IVS Stage Update","detail":{"event_name":"Participant Joined","user_id":"u","event_time":"2026-01-02T03:04:05Z"}}`,
			event.StageUpdate{Envelope: event.Envelope{ID: "e1", DetailType: event.TypeStageUpdate, Source: event.Source}, Name: "Participant Joined", UserID: "u",
				Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}},
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

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		data    string
		field   string // ParseError.Field
		problem string // a part of ParseError.Problem
	}{
		{"empty input", ``, "", "not JSON"},
		{"white space only", " \n\t", "", "not JSON"},
		{"not JSON", `source=aws.ivs`, "", "not JSON"},
		{"truncated object", `{"source":"aws.ivs"`, "", "not JSON"},
		{"trailing comma (as in the guide's composition examples)", `{"id":"e1","source":"aws.ivs","detail-type":"x",}`, "", "not JSON"},
		{"two objects", `{} {}`, "", "not JSON"},
		{"nesting beyond encoding/json's limit", `{"id":"e1","source":"aws.ivs","detail-type":"x","detail":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`, "", "exceeded max depth"},
		{"null", `null`, "", "JSON null, not an object"},
		{"array", ` [{"source":"aws.ivs"}]`, "", "a JSON array, not an object"},
		{"string", `"aws.ivs"`, "", "a JSON string, not an object"},
		{"number", `42`, "", "a JSON number, not an object"},
		{"boolean", `true`, "", "a JSON boolean, not an object"},
		// A boolean is named a boolean, false as well as true, for the input and for the detail. Catches:
		// 'f' missing from kindOf's booleans (false named a number).
		{"false", `false`, "", "a JSON boolean, not an object"},
		{"false after CRLF", "\r\nfalse", "", "a JSON boolean, not an object"},
		{"recording detail false", `{"id":"e1","source":"aws.ivs","detail-type":"IVS Participant Recording State Change","detail":false}`, "detail", "is a JSON boolean, want an object"},
		{"stage update detail true", `{"id":"e1","source":"aws.ivs","detail-type":"IVS Stage Update","detail":true}`, "detail", "is a JSON boolean, want an object"},
		{"no source", `{"detail-type":"IVS Stage Update"}`, "source", `is "", want "aws.ivs"`},
		{"other source", `{"source":"aws.s3","detail-type":"Object Created"}`, "source", `is "aws.s3", want "aws.ivs"`},
		{"source in another case", `{"source":"AWS.IVS","detail-type":"IVS Stage Update"}`, "source", `"AWS.IVS"`},
		{"source of the wrong type", `{"source":["aws.ivs"],"detail-type":"IVS Stage Update"}`, "source", "is a JSON array, want a string"},
		{"no detail-type", `{"id":"e1","source":"aws.ivs","detail":{"event_name":"Recording End"}}`, "detail-type", "missing"},
		{"empty detail-type", `{"id":"e1","source":"aws.ivs","detail-type":""}`, "detail-type", "missing"},
		{"detail-type of the wrong type", `{"id":"e1","source":"aws.ivs","detail-type":7}`, "detail-type", "is a JSON number, want a string"},
		{"id of the wrong type", `{"id":"e1","source":"aws.ivs","detail-type":"x","id":1}`, "id", "is a JSON number, want a string"},
		{"resources not a list", `{"id":"e1","source":"aws.ivs","detail-type":"x","resources":"arn:aws:ivs:us-east-1:1:stage/a"}`, "resources", "is a JSON string, want an array"},
		{"resources holding a number", `{"id":"e1","source":"aws.ivs","detail-type":"x","resources":[1]}`, "resources", "is a JSON number, want a string"},
		{"unparseable time", `{"id":"e1","source":"aws.ivs","detail-type":"x","time":"2024-03-13 22:19:04"}`, "time", `"2024-03-13 22:19:04" is not an RFC 3339 time`},
		{"time without zone", `{"id":"e1","source":"aws.ivs","detail-type":"x","time":"2024-03-13T22:19:04"}`, "time", "not an RFC 3339 time"},
		{"time out of range", `{"id":"e1","source":"aws.ivs","detail-type":"x","time":"2024-02-30T00:00:00Z"}`, "time", "not an RFC 3339 time"},
		{"time before year 0 in UTC", `{"id":"e1","source":"aws.ivs","detail-type":"x","time":"0000-01-01T00:30:00+01:00"}`, "time", "outside the years 0000 to 9999"},
		{"time a number", `{"id":"e1","source":"aws.ivs","detail-type":"x","time":1710368344}`, "time", "is a JSON number, want a string"},
		{"recording without detail", `{"id":"e1","source":"aws.ivs","detail-type":"IVS Participant Recording State Change"}`, "detail", "missing"},
		{"recording detail null", `{"id":"e1","source":"aws.ivs","detail-type":"IVS Participant Recording State Change","detail":null}`, "detail", "is JSON null, want an object"},
		{"recording detail a string", `{"id":"e1","source":"aws.ivs","detail-type":"IVS Participant Recording State Change","detail":"Recording End"}`, "detail", "is a JSON string, want an object"},
		{"stage update detail an array", `{"id":"e1","source":"aws.ivs","detail-type":"IVS Stage Update","detail":[]}`, "detail", "is a JSON array, want an object"},
		{"recording without event_name", `{"id":"e1","source":"aws.ivs","detail-type":"IVS Participant Recording State Change","detail":{"participant_id":"p"}}`, "detail.event_name", "missing"},
		{"stage update with empty event_name", `{"id":"e1","source":"aws.ivs","detail-type":"IVS Stage Update","detail":{"event_name":""}}`, "detail.event_name", "missing"},
		{"event_name a number", `{"id":"e1","source":"aws.ivs","detail-type":"IVS Stage Update","detail":{"event_name":1}}`, "detail.event_name", "is a JSON number, want a string"},
		{"duration a string", recordingWith(`,"recording_duration_ms":"547327"`), "detail.recording_duration_ms", "is a JSON string, want an integer"},
		{"duration fractional", recordingWith(`,"recording_duration_ms":1.5`), "detail.recording_duration_ms", "is a JSON number 1.5, want an integer"},
		{"duration negative", recordingWith(`,"recording_duration_ms":-1`), "detail.recording_duration_ms", "is negative (-1)"},
		{"duration beyond time.Duration", recordingWith(`,"recording_duration_ms":` + strconv.FormatInt(math.MaxInt64/int64(time.Millisecond)+1, 10)), "detail.recording_duration_ms", "more than a time.Duration holds"},
		{"duration beyond int64", recordingWith(`,"recording_duration_ms":9223372036854775808`), "detail.recording_duration_ms", "want an integer"},
		{"bucket an object", recordingWith(`,"recording_s3_bucket_name":{}`), "detail.recording_s3_bucket_name", "is a JSON object, want a string"},
		{"replica a string", stageUpdateWith(`,"replica":"true"`), "detail.replica", "is a JSON string, want a boolean"},
		{"member of the other detail-type with a wrong type", recordingWith(`,"replica":1`), "detail.replica", "is a JSON number, want a boolean"},
		{"unparseable event_time", stageUpdateWith(`,"event_time":"yesterday"`), "detail.event_time", `"yesterday" is not an RFC 3339 time`},
		{"unparseable event_time beside a good precise one", stageUpdateWith(`,"event_time":"x","event_time_precise":"2025-11-18T16:40:32.123Z"`), "detail.event_time", "not an RFC 3339 time"},
		{"unparseable event_time_precise", stageUpdateWith(`,"event_time":"2025-11-18T16:40:32Z","event_time_precise":"2025-11-18T16:40:32.Z"`), "detail.event_time_precise", "not an RFC 3339 time"},
		{"token capabilities a string", stageUpdateWith(`,"new_token":{"capabilities":"PUBLISH"}`), "detail.new_token.capabilities", "is a JSON string, want an array"},
		{"token attribute a number", stageUpdateWith(`,"previous_token":{"attributes":{"seat":3}}`), "detail.previous_token.attributes", "is a JSON number, want a string"},
		{"token a string", stageUpdateWith(`,"new_token":"abc"`), "detail.new_token", "is a JSON string, want an object"},
		{"token expiration unparseable", stageUpdateWith(`,"new_token":{"expiration_time":"tomorrow"}`), "detail.new_token.expiration_time", `"tomorrow" is not an RFC 3339 time`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ev, err := event.Parse([]byte(tt.data))
			require.Error(t, err)
			assert.Nil(t, ev)
			var pe *event.ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.field, pe.Field)
			assert.Contains(t, pe.Problem, tt.problem)
			assert.True(t, strings.HasPrefix(err.Error(), "event: "), err.Error())
		})
	}
}

func TestParseErrorUnwraps(t *testing.T) {
	t.Parallel()
	_, err := event.Parse([]byte(`{"id":"e1","source":"aws.ivs","detail-type":"x","time":"soon"}`))
	var pe *time.ParseError
	assert.False(t, errors.As(err, &pe), "a bad time keeps no time.ParseError: it holds the whole value, which may be a secret in the wrong place")
	assert.Nil(t, errors.Unwrap(err))

	_, err = event.Parse([]byte(`{"source":`))
	var se *json.SyntaxError
	assert.ErrorAs(t, err, &se, "bad JSON unwraps to json.SyntaxError")

	_, err = event.Parse([]byte(stageUpdateWith(`,"replica":"x"`)))
	var te *json.UnmarshalTypeError
	assert.ErrorAs(t, err, &te, "a wrong type unwraps to json.UnmarshalTypeError")

	_, err = event.Parse([]byte(`{"source":"aws.ivs"}`))
	assert.Nil(t, errors.Unwrap(err), "a problem of the event itself has no underlying error")
}

func TestParseDurationBoundaries(t *testing.T) {
	t.Parallel()
	const maxMS = math.MaxInt64 / int64(time.Millisecond)
	tests := []struct {
		name    string
		ms      string
		want    time.Duration
		wantErr bool
	}{
		{"absent", "", 0, false},
		{"zero", "0", 0, false},
		{"first negative", "-1", 0, true},
		{"one", "1", time.Millisecond, false},
		{"the guide's", "547327", 547327 * time.Millisecond, false},
		{"exponent form of a whole number is refused", "1e3", 0, true},
		{"largest a time.Duration holds", strconv.FormatInt(maxMS, 10), time.Duration(maxMS) * time.Millisecond, false},
		{"one more", strconv.FormatInt(maxMS+1, 10), 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			members := ""
			if tt.ms != "" {
				members = `,"recording_duration_ms":` + tt.ms
			}
			ev, err := event.Parse([]byte(recordingWith(members)))
			if tt.wantErr {
				var pe *event.ParseError
				require.ErrorAs(t, err, &pe)
				assert.Equal(t, "detail.recording_duration_ms", pe.Field)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, ev.(event.Recording).Duration)
		})
	}
}

func TestParseTimes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		members string
		want    time.Time
	}{
		{"neither", ``, time.Time{}},
		{"event_time only, seconds", `,"event_time":"2025-11-18T16:40:32Z"`, time.Date(2025, 11, 18, 16, 40, 32, 0, time.UTC)},
		{"event_time only, nanoseconds", `,"event_time":"2024-08-13T14:38:17.089061676Z"`, time.Date(2024, 8, 13, 14, 38, 17, 89061676, time.UTC)},
		{"event_time only, one digit", `,"event_time":"2024-08-13T14:38:17.5Z"`, time.Date(2024, 8, 13, 14, 38, 17, 5e8, time.UTC)},
		{"event_time beyond nanoseconds is cut", `,"event_time":"2024-08-13T14:38:17.0890616769Z"`, time.Date(2024, 8, 13, 14, 38, 17, 89061676, time.UTC)},
		{"precise wins", `,"event_time":"2025-11-18T16:40:32Z","event_time_precise":"2025-11-18T16:40:32.123Z"`, time.Date(2025, 11, 18, 16, 40, 32, 123e6, time.UTC)},
		{"precise wins whatever the order", `,"event_time_precise":"2025-11-18T16:40:32.123Z","event_time":"2025-11-18T16:40:33Z"`, time.Date(2025, 11, 18, 16, 40, 32, 123e6, time.UTC)},
		{"precise only", `,"event_time_precise":"2025-11-18T16:40:32.123456Z"`, time.Date(2025, 11, 18, 16, 40, 32, 123456000, time.UTC)},
		{"empty precise falls back", `,"event_time":"2025-11-18T16:40:32Z","event_time_precise":""`, time.Date(2025, 11, 18, 16, 40, 32, 0, time.UTC)},
		{"offset converted to UTC", `,"event_time":"2025-11-18T18:40:32+02:00"`, time.Date(2025, 11, 18, 16, 40, 32, 0, time.UTC)},
		{"last year in UTC", `,"event_time":"9999-12-31T23:59:59.999999999Z"`, time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)},
		{"first year in UTC", `,"event_time":"0000-01-01T00:00:00Z"`, time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ev, err := event.Parse([]byte(stageUpdateWith(tt.members)))
			require.NoError(t, err)
			got := ev.(event.StageUpdate).Time
			assert.Equal(t, tt.want, got)
			assert.Equal(t, time.UTC, got.Location())
		})
	}
	for _, tt := range []struct {
		name, time string
		wantErr    bool
	}{
		{"last instant of 9999 in UTC", "9999-12-31T23:59:59.999999999Z", false},
		{"9999 in its zone, 10000 in UTC", "9999-12-31T23:59:59-01:00", true},
		{"0000 in UTC", "0000-01-01T00:00:00Z", false},
		{"0000 in its zone, year -1 in UTC", "0000-01-01T00:00:00+00:01", true},
	} {
		t.Run("envelope "+tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := event.Parse([]byte(`{"id":"e1","source":"aws.ivs","detail-type":"x","time":"` + tt.time + `"}`))
			if tt.wantErr {
				var pe *event.ParseError
				require.ErrorAs(t, err, &pe)
				assert.Equal(t, "time", pe.Field)
				return
			}
			assert.NoError(t, err)
		})
	}
}

func TestParseLenience(t *testing.T) {
	t.Parallel()
	is := func(want event.Event) func(t *testing.T, ev event.Event) {
		return func(t *testing.T, ev event.Event) { assert.Equal(t, want, ev) }
	}
	tests := []struct {
		name  string
		data  string
		check func(t *testing.T, ev event.Event)
	}{
		// Every kind of JSON white space may come before the event (an SQS body written with CRLF line ends
		// starts with "\r\n"), on both of Parse's paths: a decoded detail-type and an Unknown one. Catches:
		// '\r' missing from the white space isObject skips.
		{"recording after CRLF", "\r\n" + recordingWith(`,"participant_id":"p1"`),
			is(event.Recording{Envelope: event.Envelope{ID: "e1", DetailType: event.TypeRecordingChange, Source: event.Source}, Name: event.RecordingEnd, ParticipantID: "p1"})},
		{"stage update after CR", "\r" + stageUpdateWith(`,"user_id":"u"`),
			is(event.StageUpdate{Envelope: event.Envelope{ID: "e1", DetailType: event.TypeStageUpdate, Source: event.Source}, Name: event.ParticipantPublished, UserID: "u"})},
		{"unknown after every white space", " \t\r\n" + `{"id":"e1","source":"aws.ivs","detail-type":"IVS Something New","detail":{}}`,
			is(event.Unknown{Envelope: event.Envelope{ID: "e1", DetailType: "IVS Something New", Source: event.Source}, Detail: []byte(`{}`)})},
		{"empty resources", `{"id":"e1","source":"aws.ivs","detail-type":"x","resources":[]}`, func(t *testing.T, ev event.Event) {
			assert.Nil(t, ev.Header().Resources)
			assert.Empty(t, ev.Header().StageARN())
		}},
		{"null members are absent", `{"id":"e1","source":"aws.ivs","detail-type":"IVS Participant Recording State Change","version":null,"account":null,"time":null,"resources":null,"detail":{"event_name":"Recording Start","recording_duration_ms":null,"reason":null}}`,
			func(t *testing.T, ev event.Event) {
				assert.Equal(t, event.Recording{Envelope: event.Envelope{ID: "e1", DetailType: event.TypeRecordingChange, Source: event.Source}, Name: event.RecordingStart}, ev)
			}},
		{"unknown top-level members", `{"version":"1","id":"e1","source":"aws.ivs","detail-type":"IVS Stage Update","replay-name":"r","detail":{"event_name":"Participant Published"}}`,
			func(t *testing.T, ev event.Event) {
				assert.Equal(t, event.ParticipantPublished, ev.(event.StageUpdate).Name)
			}},
		{"replica false and no source stage", stageUpdateWith(`,"replica":false,"user_id":""`), func(t *testing.T, ev event.Event) {
			u := ev.(event.StageUpdate)
			assert.False(t, u.Replica)
			assert.Empty(t, u.SourceStageARN)
		}},
		{"empty token", stageUpdateWith(`,"new_token":{"capabilities":[],"attributes":{}}`), func(t *testing.T, ev event.Event) {
			assert.Equal(t, &event.TokenInfo{}, ev.(event.StageUpdate).NewToken)
			assert.Nil(t, ev.(event.StageUpdate).PreviousToken)
		}},
		{"unknown capability passes", stageUpdateWith(`,"new_token":{"capabilities":["MODERATE"]}`), func(t *testing.T, ev event.Event) {
			assert.Equal(t, []token.Capability{"MODERATE"}, ev.(event.StageUpdate).NewToken.Capabilities)
		}},
		{"U+FFFD written in the input is a character", stageUpdateWith(`,"user_id":"a\ufffdb","session_id":"st-` + "\uFFFD" + `"`),
			func(t *testing.T, ev event.Event) {
				assert.Equal(t, "a\uFFFDb", ev.(event.StageUpdate).UserID)
				assert.Equal(t, "st-\uFFFD", ev.(event.StageUpdate).SessionID)
			}},
		{"a surrogate pair", stageUpdateWith(`,"user_id":"\ud83d\ude00"`),
			func(t *testing.T, ev event.Event) { assert.Equal(t, "😀", ev.(event.StageUpdate).UserID) }},
		{"an ID differing in case is the ID (encoding/json matches names ignoring case)", `{"ID":"e2","source":"aws.ivs","detail-type":"x"}`,
			func(t *testing.T, ev event.Event) { assert.Equal(t, "e2", ev.Header().ID) }},
		{"a repeated unknown member is not read", `{"id":"e1","source":"aws.ivs","detail-type":"IVS Stage Update","x":1,"x":{"y":2},"detail":{"event_name":"e","z":1,"z":2}}`,
			func(t *testing.T, ev event.Event) {
				assert.Equal(t, event.StageUpdateName("e"), ev.(event.StageUpdate).Name)
			}},
		{"the same attribute key in two cases is two keys", stageUpdateWith(`,"new_token":{"attributes":{"role":"a","Role":"b"}}`),
			func(t *testing.T, ev event.Event) {
				assert.Equal(t, map[string]string{"role": "a", "Role": "b"}, ev.(event.StageUpdate).NewToken.Attributes)
			}},
		{"repeated members in an Unknown's detail are kept raw", `{"id":"e1","source":"aws.ivs","detail-type":"IVS Something New","detail":{"a":1,"a":2}}`,
			func(t *testing.T, ev event.Event) {
				assert.Equal(t, `{"a":1,"a":2}`, string(ev.(event.Unknown).Detail))
			}},
		{"dots in a key prefix that are no segment", recordingWith(`,"recording_s3_key_prefix":"a/..b/c../."`),
			func(t *testing.T, ev event.Event) {
				assert.Equal(t, "a/..b/c.././media/hls/multivariant.m3u8", ev.(event.Recording).Location.PlaylistKey())
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ev, err := event.Parse([]byte(tt.data))
			require.NoError(t, err)
			tt.check(t, ev)
		})
	}
}

func TestStageARN(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		resources []string
		want      string
	}{
		{"stage", []string{"arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij"}, "arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij"},
		{"the guide's placeholder account", []string{"arn:aws:ivs:us-west-2:aws_account_id:stage/AbCdef1G2hij"}, "arn:aws:ivs:us-west-2:aws_account_id:stage/AbCdef1G2hij"},
		{"other partition", []string{"arn:aws-cn:ivs:cn-north-1:123456789012:stage/x"}, "arn:aws-cn:ivs:cn-north-1:123456789012:stage/x"},
		{"first of several", []string{"arn:aws:ivs:us-east-1:1:stage/a", "arn:aws:ivs:us-east-1:1:stage/b"}, "arn:aws:ivs:us-east-1:1:stage/a"},
		{"none", nil, ""},
		{"composition", []string{"arn:aws:ivs:us-east-1:123456789012:composition/123456789012"}, ""},
		{"stage not first", []string{"arn:aws:ivs:us-east-1:1:composition/c", "arn:aws:ivs:us-east-1:1:stage/a"}, ""},
		{"channel of another service", []string{"arn:aws:s3:us-east-1:1:stage/a"}, ""},
		{"no id", []string{"arn:aws:ivs:us-east-1:1:stage/"}, ""},
		{"nested path", []string{"arn:aws:ivs:us-east-1:1:stage/a/b"}, ""},
		{"too few parts", []string{"arn:aws:ivs:stage/a"}, ""},
		{"not an ARN", []string{"stage/a"}, ""},
		{"no partition", []string{"arn::ivs:us-east-1:1:stage/a"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, event.Envelope{Resources: tt.resources}.StageARN())
		})
	}
}

func TestNames(t *testing.T) {
	t.Parallel()
	for _, n := range event.RecordingName("").Values() {
		assert.True(t, n.Valid(), n)
		assert.Equal(t, n == event.RecordingStartFailure || n == event.RecordingEndFailure, n.Failed(), n)
	}
	assert.Len(t, event.RecordingName("").Values(), 4)
	for _, n := range []event.RecordingName{"", "recording start", "Recording Paused"} {
		assert.False(t, n.Valid(), n)
		assert.False(t, n.Failed(), n)
	}
	for _, n := range event.StageUpdateName("").Values() {
		assert.True(t, n.Valid(), n)
	}
	assert.Len(t, event.StageUpdateName("").Values(), 6)
	for _, n := range []event.StageUpdateName{"", "Participant Joined", "token exchanged"} {
		assert.False(t, n.Valid(), n)
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "examples", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Parallel()
			ev, err := event.Parse(example(t, filepath.Base(f)))
			require.NoError(t, err)
			data, err := json.Marshal(ev)
			require.NoError(t, err)
			again, err := event.Parse(data)
			require.NoError(t, err, "%s", data)
			assertSameEvent(t, ev, again)
		})
	}
}

func TestMarshalJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		ev   event.Event
		want string
	}{
		{"recording end from a bare value", event.Recording{
			Envelope: event.Envelope{ID: "id-1", Account: "123456789012", Region: "us-east-1", Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600)),
				Resources: []string{"arn:aws:ivs:us-east-1:123456789012:stage/abc"}},
			Name: event.RecordingEnd, SessionID: "st-1", ParticipantID: "p1",
			Location: recording.Location{Bucket: "b", Prefix: "abc/st-1/p1/2026-01-02T02-00-00Z"}, Duration: 1500*time.Millisecond + 999*time.Microsecond,
		}, `{"version":"0","id":"id-1","detail-type":"IVS Participant Recording State Change","source":"aws.ivs","account":"123456789012",
			"time":"2026-01-02T02:04:05Z","region":"us-east-1","resources":["arn:aws:ivs:us-east-1:123456789012:stage/abc"],
			"detail":{"session_id":"st-1","event_name":"Recording End","participant_id":"p1","recording_s3_bucket_name":"b",
			"recording_s3_key_prefix":"abc/st-1/p1/2026-01-02T02-00-00Z","recording_duration_ms":1500}}`},
		{"stage update", event.StageUpdate{
			Name: event.ParticipantPublished, SessionID: "st-1", ParticipantID: "p1", UserID: "u",
			Time: time.Date(2026, 1, 2, 3, 4, 5, 123e6, time.UTC),
		}, `{"version":"0","id":"","detail-type":"IVS Stage Update","source":"aws.ivs","account":"","region":"","resources":[],
			"detail":{"session_id":"st-1","event_name":"Participant Published","event_time":"2026-01-02T03:04:05.123Z","user_id":"u","participant_id":"p1"}}`},
		{"unknown", event.Unknown{Envelope: event.Envelope{DetailType: "IVS Something New"}, Detail: json.RawMessage(`{"event_name":"Session End"}`)},
			`{"version":"0","id":"","detail-type":"IVS Something New","source":"aws.ivs","account":"","region":"","resources":[],"detail":{"event_name":"Session End"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data, err := json.Marshal(tt.ev)
			require.NoError(t, err)
			assert.JSONEq(t, tt.want, string(data))
		})
	}

	_, err := json.Marshal(event.Recording{Duration: -time.Millisecond})
	assert.Error(t, err, "a negative duration")
}

// Parse refuses what it would otherwise misread: an event without an ID, text that encoding/json would turn
// into U+FFFD, members given twice, a key prefix with a ".." segment. Each error names the member.
func TestParseStrict(t *testing.T) {
	t.Parallel()
	const update = `"source":"aws.ivs","detail-type":"IVS Stage Update"`
	const published = `"detail":{"event_name":"Participant Published"}`
	tests := []struct {
		name, data, field, problem string
	}{
		{"no id", `{` + update + `,` + published + `}`, "id", "is missing or empty; every EventBridge event has one, and deduplication depends on it"},
		{"empty id", `{"id":"",` + update + `,` + published + `}`, "id", "is missing or empty; every EventBridge event has one, and deduplication depends on it"},
		{"id null", `{"id":null,` + update + `,` + published + `}`, "id", "is missing or empty; every EventBridge event has one, and deduplication depends on it"},
		{"no id on an unknown detail-type", `{"source":"aws.ivs","detail-type":"IVS Something New"}`, "id", "is missing or empty; every EventBridge event has one, and deduplication depends on it"},
		{"no id on a recording", "{" + strings.TrimPrefix(recordingWith(``), `{"id":"e1",`), "id", "is missing or empty; every EventBridge event has one, and deduplication depends on it"},

		{"invalid UTF-8 in the id", "{\"id\":\"e\xff\"," + update + "," + published + "}", "id", "is not valid UTF-8"},
		{"lone surrogate in the id", `{"id":"e\ud800",` + update + `,` + published + `}`, "id", "is not valid UTF-8"},
		{"lone low surrogate in the participant ID", stageUpdateWith(`,"participant_id":"p\udfff"`), "detail.participant_id", "is not valid UTF-8"},
		{"invalid UTF-8 in the key prefix", recordingWith(`,"recording_s3_key_prefix":"s/st/p` + "\xfe" + `"`), "detail.recording_s3_key_prefix", "is not valid UTF-8"},
		{"invalid UTF-8 in a resource", `{"id":"e1",` + update + `,"resources":["arn` + "\xff" + `"],` + published + `}`, "resources", "is not valid UTF-8"},
		{"invalid UTF-8 in an attribute key", stageUpdateWith(`,"new_token":{"attributes":{"r` + "\xff" + `":"v"}}`), "detail.new_token.attributes", "holds a member name that is not valid UTF-8"},
		{"invalid UTF-8 in an unknown member", `{"id":"e1",` + update + `,"x":{"y":"` + "\xff" + `"},` + published + `}`, "x.y", "is not valid UTF-8"},
		{"invalid UTF-8 in an Unknown's detail", `{"id":"e1","source":"aws.ivs","detail-type":"IVS Something New","detail":{"stage_arn":"` + "\xff" + `"}}`, "detail.stage_arn", "is not valid UTF-8"},

		{"id twice", `{"id":"e1","id":"e2",` + update + `,` + published + `}`, "id", "appears more than once"},
		{"id in two cases", `{"id":"e1","ID":"e2",` + update + `,` + published + `}`, "id", `appears more than once (member names match ignoring case; this one is "ID")`},
		{"source twice", `{"id":"e1","source":"other",` + update + `,` + published + `}`, "source", "appears more than once"},
		{"detail-type twice", `{"id":"e1","detail-type":"IVS Participant Recording State Change",` + update + `,` + published + `}`, "detail-type", "appears more than once"},
		{"detail twice, merged by encoding/json", `{"id":"e1",` + update + `,` + published + `,"detail":{"user_id":"u"}}`, "detail", "appears more than once"},
		{"detail twice on an unknown detail-type", `{"id":"e1","source":"aws.ivs","detail-type":"x","detail":1,"detail":2}`, "detail", "appears more than once"},
		{"event_name twice", stageUpdateWith(`,"event_name":"Participant Unpublished"`), "detail.event_name", "appears more than once"},
		{"event_name in another case", recordingWith(`,"EVENT_NAME":"Recording Start"`), "detail.event_name", `appears more than once (member names match ignoring case; this one is "EVENT_NAME")`},
		{"token member twice", stageUpdateWith(`,"new_token":{"user_id":"a","user_id":"b"}`), "detail.new_token.user_id", "appears more than once"},
		{"token twice", stageUpdateWith(`,"new_token":{"user_id":"a"},"new_token":{"capabilities":["PUBLISH"]}`), "detail.new_token", "appears more than once"},
		{"attribute key twice", stageUpdateWith(`,"previous_token":{"attributes":{"role":"a","role":"b"}}`), "detail.previous_token.attributes", `holds the member "role" more than once`},

		{"key prefix with '..'", recordingWith(`,"recording_s3_bucket_name":"b","recording_s3_key_prefix":"stage/../other"`), "detail.recording_s3_key_prefix",
			`"stage/../other" has a ".." segment: no key of the recording can be built from it`},
		{"key prefix of '..' alone", recordingWith(`,"recording_s3_key_prefix":".."`), "detail.recording_s3_key_prefix",
			`".." has a ".." segment: no key of the recording can be built from it`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ev, err := event.Parse([]byte(tt.data))
			require.Error(t, err)
			assert.Nil(t, ev)
			var pe *event.ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.field, pe.Field)
			assert.Equal(t, tt.problem, pe.Problem)
			assert.Equal(t, "event: "+tt.field+": "+tt.problem, err.Error())
		})
	}
}

// Parse has two paths (one decode of envelope and detail together for the decoded detail-types, and a
// separate decode of the detail otherwise); where the first applies, both give the same answer for the
// same input: the same event, or the same error. The inputs with repeated members are the ones where
// encoding/json's merging would make the two paths differ.
func TestParsePathsAgree(t *testing.T) {
	t.Parallel()
	const update = `"source":"aws.ivs","detail-type":"IVS Stage Update"`
	inputs := []struct {
		name string
		data string
		fast bool // the first path applies
	}{
		{"detail twice, the first with event_name", `{"id":"e1",` + update + `,"detail":{"event_name":"Participant Published"},"detail":{"user_id":"u"}}`, true},
		{"detail twice, the second null", `{"id":"e1",` + update + `,"detail":{"event_name":"Participant Published"},"detail":null}`, true},
		{"detail twice, the second empty", `{"id":"e1",` + update + `,"detail":{"event_name":"Participant Published"},"detail":{}}`, true},
		{"detail in two cases", `{"id":"e1",` + update + `,"Detail":{"event_name":"Participant Published"},"detail":{"user_id":"u"}}`, true},
		{"token twice, merged by encoding/json", stageUpdateWith(`,"new_token":{"user_id":"a"},"new_token":{"capabilities":["PUBLISH"]}`), true},
		{"attributes twice, merged by encoding/json", stageUpdateWith(`,"new_token":{"attributes":{"a":"1"},"attributes":{"b":"2"}}`), true},
		{"event_name twice", stageUpdateWith(`,"event_name":"Participant Unpublished"`), true},
		{"id twice", `{"id":"e1","id":"e2",` + update + `,"detail":{"event_name":"Participant Published"}}`, true},
		{"detail-type twice, the last decoded", `{"id":"e1","detail-type":"x",` + update + `,"detail":{"event_name":"Participant Published"}}`, true},
		{"detail-type twice, the last not decoded", `{"id":"e1",` + update + `,"detail-type":"x","detail":{"event_name":"Participant Published"}}`, false},
		{"invalid UTF-8", stageUpdateWith(`,"user_id":"` + "\xff" + `"`), true},
		{"no id", `{` + update + `,"detail":{"event_name":"Participant Published"}}`, true},
		{"key prefix with '..'", recordingWith(`,"recording_s3_key_prefix":"a/.."`), true},
		{"valid stage update", stageUpdateWith(`,"user_id":"u","event_time":"2025-11-18T18:40:32+02:00"`), true},
		{"valid recording", recordingWith(`,"recording_duration_ms":5,"recording_s3_key_prefix":"a/b"`), true},
		{"an error only the second path reports", stageUpdateWith(`,"replica":"yes"`), false},
		{"no event_name", `{"id":"e1",` + update + `,"detail":{"user_id":"u"},"detail":{"event_name":"Participant Published"}}`, true},
	}
	for _, name := range []string{"participant-published.json", "recording-end.json", "token-exchanged.json"} {
		inputs = append(inputs, struct {
			name string
			data string
			fast bool
		}{name, string(example(t, name)), true})
	}
	for _, tt := range inputs {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fastEv, ok, fastErr := event.ParseDecoded([]byte(tt.data))
			require.Equal(t, tt.fast, ok, "the first path applies")
			rawEv, rawErr := event.ParseRaw([]byte(tt.data))
			ev, err := event.Parse([]byte(tt.data))
			assert.Equal(t, rawEv, ev)
			assert.Equal(t, rawErr, err)
			if ok {
				assert.Equal(t, rawEv, fastEv)
				assert.Equal(t, rawErr, fastErr)
			}
		})
	}
}

// Every time Parse returns is in UTC, whatever zone the event writes: the envelope's, the detail's and the
// tokens' expiration times.
func TestParseTimesInUTC(t *testing.T) {
	t.Parallel()
	data := `{"id":"e1","source":"aws.ivs","detail-type":"IVS Stage Update","time":"2025-11-12T22:54:53+02:00",
		"detail":{"event_name":"Token Exchanged","event_time_precise":"2025-11-12T15:54:53.5-05:00",
		"previous_token":{"expiration_time":"2025-11-13T03:24:52+05:30"},"new_token":{"expiration_time":"2025-11-12T21:54:52Z"}}}`
	ev, err := event.Parse([]byte(data))
	require.NoError(t, err)
	u := ev.(event.StageUpdate)
	for _, tc := range []struct {
		got, want time.Time
	}{
		{u.Envelope.Time, time.Date(2025, 11, 12, 20, 54, 53, 0, time.UTC)},
		{u.Time, time.Date(2025, 11, 12, 20, 54, 53, 5e8, time.UTC)},
		{u.PreviousToken.ExpiresAt, time.Date(2025, 11, 12, 21, 54, 52, 0, time.UTC)},
		{u.NewToken.ExpiresAt, time.Date(2025, 11, 12, 21, 54, 52, 0, time.UTC)},
	} {
		assert.Equal(t, tc.want, tc.got)
		assert.Same(t, time.UTC, tc.got.Location())
	}
}

// verb is what a participant does at a step of a scenario.
type verb int

const (
	join verb = iota
	publish
	unpublish
	leave
)

// step is one participant's action at an offset from the start of the scenario.
type step struct {
	at   time.Duration
	who  string // a user ID: "host" or "guest"
	verb verb
}

// wantRecording is a recording the events must tell, times as offsets from the start.
type wantRecording struct {
	who        string
	start, end time.Duration // Recording Start and Recording End times; end is unused for a failure
	duration   time.Duration
	failure    string // the error_code of a Recording Start Failure; "" for a recording that started
}

// gotRecording is a recording as the parsed events tell it.
type gotRecording struct {
	who        string
	start, end time.Duration
	duration   time.Duration
	failure    string
}

var scenarioStart = time.Date(2026, 3, 13, 19, 44, 19, 0, time.UTC)

// The loop closed: what stagetest emits while participants publish on a recording stage is what Parse
// reads, and the events tell each participant's recordings as the scenario plays them.
func TestParseStagetestEvents(t *testing.T) {
	t.Parallel()
	s := time.Second
	tests := []struct {
		name          string
		window        time.Duration
		bucketMissing bool
		steps         []step
		want          []wantRecording
	}{
		{
			name:   "window 0: each publish its own recording",
			window: 0,
			steps: []step{{0, "host", join}, {0, "host", publish}, {10 * s, "host", unpublish},
				{20 * s, "host", publish}, {35 * s, "host", leave}},
			want: []wantRecording{
				{who: "host", start: 0, end: 10 * s, duration: 10 * s},
				{who: "host", start: 20 * s, end: 35 * s, duration: 15 * s},
			},
		},
		{
			name:   "window 30s, reconnect at 29s: one merged recording",
			window: 30 * s,
			steps: []step{{0, "host", join}, {0, "host", publish}, {10 * s, "host", leave},
				{39 * s, "host", join}, {39 * s, "host", publish}, {60 * s, "host", leave}},
			want: []wantRecording{
				{who: "host", start: 0, end: 90 * s, duration: 31 * s},
			},
		},
		{
			name:   "window 30s, reconnect at 31s: two recordings",
			window: 30 * s,
			steps: []step{{0, "host", join}, {0, "host", publish}, {10 * s, "host", leave},
				{41 * s, "host", join}, {41 * s, "host", publish}, {60 * s, "host", leave}},
			want: []wantRecording{
				{who: "host", start: 0, end: 40 * s, duration: 10 * s},
				{who: "host", start: 41 * s, end: 90 * s, duration: 19 * s},
			},
		},
		{
			name:   "two publishers, window 30s",
			window: 30 * s,
			steps: []step{{0, "host", join}, {0, "host", publish}, {5 * s, "guest", join}, {6 * s, "guest", publish},
				{20 * s, "guest", unpublish}, {45 * s, "host", leave}, {50 * s, "guest", leave}},
			want: []wantRecording{
				{who: "host", start: 0, end: 75 * s, duration: 45 * s},
				{who: "guest", start: 6 * s, end: 50 * s, duration: 14 * s},
			},
		},
		{
			name:          "bucket missing: Recording Start Failure",
			window:        0,
			bucketMissing: true,
			steps:         []step{{0, "host", join}, {0, "host", publish}, {10 * s, "host", leave}},
			want:          []wantRecording{{who: "host", start: 0, failure: "ResourceNotFoundException"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := stagetest.NewClock(scenarioStart)
			srv := stagetest.New(stagetest.WithClock(clock.Now))
			const bucket = "recordings-bucket"
			storageARN := srv.MustAddStorageConfiguration(bucket)
			srv.SetBucketMissing(bucket, tt.bucketMissing)
			st, toks, err := stage.NewClientFromConfig(srv.Config()).Create(t.Context(), stage.New().
				WithRecording(recording.New(storageARN).WithReconnectWindow(tt.window)).
				WithParticipants(token.New().WithUserID("host"), token.New().WithUserID("guest")))
			require.NoError(t, err)
			require.Len(t, toks, 2)
			tokens := map[string]token.Token{"host": toks[0], "guest": toks[1]}
			who := map[string]string{toks[0].ParticipantID: "host", toks[1].ParticipantID: "guest"}

			// Play the steps; note the Stage Update events they should cause.
			type update struct {
				name event.StageUpdateName
				who  string
				at   time.Duration
			}
			var wantUpdates []update
			publishing := map[string]bool{}
			var now time.Duration
			for _, sp := range tt.steps {
				require.GreaterOrEqual(t, sp.at, now, "steps in time order")
				clock.Advance(sp.at - now)
				now = sp.at
				pid := tokens[sp.who].ParticipantID
				switch sp.verb {
				case join:
					got, err := srv.Join(st.ARN, tokens[sp.who].Value())
					require.NoError(t, err)
					require.Equal(t, pid, got)
				case publish:
					require.NoError(t, srv.Publish(st.ARN, pid))
					publishing[sp.who] = true
					wantUpdates = append(wantUpdates, update{event.ParticipantPublished, sp.who, sp.at})
				case unpublish, leave:
					if publishing[sp.who] {
						wantUpdates = append(wantUpdates, update{event.ParticipantUnpublished, sp.who, sp.at})
						publishing[sp.who] = false
					}
					if sp.verb == unpublish {
						require.NoError(t, srv.Unpublish(st.ARN, pid))
					} else {
						require.NoError(t, srv.Leave(st.ARN, pid))
					}
				}
			}
			clock.Advance(10 * time.Minute) // every reconnect window is over

			raw := srv.Events()
			require.NotEmpty(t, raw)
			ids := map[string]bool{}
			var gotUpdates []update
			var got []gotRecording
			open := map[string]int{} // prefix → index in got of a recording not yet ended
			for i, data := range raw {
				ev, err := event.Parse(data)
				require.NoError(t, err, "event %d: %s", i, data)
				h := ev.Header()
				assert.False(t, ids[h.ID], "event %d repeats the ID %s", i, h.ID)
				ids[h.ID] = true
				assert.Equal(t, event.Source, h.Source)
				assert.Equal(t, stagetest.AccountID, h.Account)
				assert.Equal(t, stagetest.Region, h.Region)
				assert.Equal(t, st.ARN, h.StageARN())
				at := h.Time.Sub(scenarioStart)

				switch e := ev.(type) {
				case event.StageUpdate:
					assert.Equal(t, e.Time, h.Time, "event_time_precise on the fake's clock, as the envelope's")
					assert.Equal(t, tokens[who[e.ParticipantID]].UserID, e.UserID)
					assert.False(t, e.Replica)
					gotUpdates = append(gotUpdates, update{e.Name, who[e.ParticipantID], at})
				case event.Recording:
					require.Contains(t, who, e.ParticipantID)
					assert.Equal(t, bucket, e.Location.Bucket)
					switch e.Name {
					case event.RecordingStart, event.RecordingStartFailure:
						assert.Equal(t, st.ID()+"/"+e.SessionID+"/"+e.ParticipantID+"/"+h.Time.Format("2006-01-02T15-04-05Z"), e.Location.Prefix,
							"a new recording's prefix: <stage_id>/<session_id>/<participant_id>/<timestamp>")
						assert.Zero(t, e.Duration)
						got = append(got, gotRecording{who: who[e.ParticipantID], start: at, failure: e.ErrorCode})
						if e.Name == event.RecordingStart {
							assert.Empty(t, e.ErrorCode)
							assert.NotContains(t, open, e.Location.Prefix, "a second Recording Start for one prefix")
							open[e.Location.Prefix] = len(got) - 1
						} else {
							assert.NotEmpty(t, e.Reason)
						}
					case event.RecordingEnd:
						k, ok := open[e.Location.Prefix]
						require.True(t, ok, "Recording End without its Start: %s", data)
						delete(open, e.Location.Prefix)
						assert.Equal(t, got[k].who, who[e.ParticipantID])
						got[k].end, got[k].duration = at, e.Duration
					default:
						t.Errorf("unexpected recording event %q", e.Name)
					}
				default:
					t.Errorf("event %d is a %T: %s", i, ev, data)
				}
			}
			assert.Empty(t, open, "recordings that never ended")

			want := make([]gotRecording, len(tt.want))
			for i, w := range tt.want {
				want[i] = gotRecording(w)
			}
			assert.Equal(t, want, got)
			assert.ElementsMatch(t, wantUpdates, gotUpdates)
		})
	}
}
