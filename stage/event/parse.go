package event

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"time"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/wire"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/token"
)

// ParseError is the error Parse returns: what is wrong with the event, and where.
type ParseError struct {
	// Field is the JSON path of the offending member, e.g. "detail.recording_duration_ms" or "source"; ""
	// when the problem is the input as a whole (not JSON, not an object).
	Field string
	// Problem says what is wrong, naming the value where there is one.
	Problem string
	// Err is the underlying error (from encoding/json or time.Parse), if any.
	Err error
}

// Error returns "event: <field>: <problem>".
func (e *ParseError) Error() string {
	if e.Field == "" {
		return "event: " + e.Problem
	}
	return "event: " + e.Field + ": " + e.Problem
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

// maxDurationMS is the largest recording_duration_ms a time.Duration holds.
const maxDurationMS = math.MaxInt64 / int64(time.Millisecond)

// eventJSON is an event as EventBridge sends it, with its detail decoded as D. Parse reads it; MarshalJSON
// writes it (whence the omitempty tags, which do not change decoding).
type eventJSON[D any] struct {
	Version    string   `json:"version,omitempty"`
	ID         string   `json:"id"`
	DetailType string   `json:"detail-type"`
	Source     string   `json:"source"`
	Account    string   `json:"account"`
	Time       string   `json:"time,omitempty"`
	Region     string   `json:"region"`
	Resources  []string `json:"resources"`
	Detail     D        `json:"detail,omitempty"`
}

// wireDetail holds every detail member of both decoded detail-types, so that one pass of encoding/json reads
// a whole event whatever its detail-type.
type wireDetail struct {
	SessionID     string `json:"session_id"`
	EventName     string `json:"event_name"`
	ParticipantID string `json:"participant_id"`
	UserID        string `json:"user_id,omitempty"`
	ErrorCode     string `json:"error_code,omitempty"`

	// Recording.
	BucketName string `json:"recording_s3_bucket_name,omitempty"`
	KeyPrefix  string `json:"recording_s3_key_prefix,omitempty"`
	DurationMS int64  `json:"recording_duration_ms,omitempty"`
	Reason     string `json:"reason,omitempty"`

	// StageUpdate.
	EventTime            string     `json:"event_time,omitempty"`
	EventTimePrecise     string     `json:"event_time_precise,omitempty"`
	Replica              bool       `json:"replica,omitempty"`
	SourceStageARN       string     `json:"source_stage_arn,omitempty"`
	SourceSessionID      string     `json:"source_session_id,omitempty"`
	DestinationStageARN  string     `json:"destination_stage_arn,omitempty"`
	DestinationSessionID string     `json:"destination_session_id,omitempty"`
	PreviousToken        *wireToken `json:"previous_token,omitempty"`
	NewToken             *wireToken `json:"new_token,omitempty"`

	// Composition.
	StageARN      string `json:"stage_arn,omitempty"`
	DestinationID string `json:"id,omitempty"`
}

// wireToken is previous_token / new_token of a Token Exchanged event.
type wireToken struct {
	Capabilities   []string          `json:"capabilities,omitempty"`
	Attributes     map[string]string `json:"attributes,omitempty"`
	UserID         string            `json:"user_id"`
	ExpirationTime string            `json:"expiration_time,omitempty"`
}

// Parse decodes one whole EventBridge event, as a Lambda function (the raw JSON of its input) or an SQS
// consumer (the message body) receives it, into a Recording, a StageUpdate or, for any other detail-type, an
// Unknown.
//
// Decoding is lenient where the service may grow: unknown members are ignored, and unknown event names and
// detail-types pass through. It is strict where the input cannot be an IVS event or would be misread; the
// error is a *ParseError naming the problem:
//   - the input is not JSON, or not a JSON object;
//   - a string anywhere in the input (an unknown member or an Unknown's detail included) is not valid UTF-8,
//     or holds a \u escape of an unpaired surrogate: encoding/json alone would turn either into U+FFFD
//     silently, so an ID or a key prefix would name nothing that exists;
//   - a member that Parse reads is given twice in its object, "id" and "ID" included (encoding/json matches
//     member names to fields ignoring case, keeps the last and merges two objects, where another reader may
//     keep the first); an attribute key of a token given twice. Repeated unknown members are not read and
//     not an error;
//   - "source" is not Source, "detail-type" is missing or empty, or "id" is missing or empty (deduplication
//     depends on it);
//   - a member has the wrong JSON type (a string where a list belongs, a number where a string belongs, …);
//   - "time", "event_time", "event_time_precise" or "expiration_time" is not an RFC 3339 time (any fraction
//     of a second is accepted) in years 0000 to 9999;
//   - for TypeRecordingChange and TypeStageUpdate: "detail" is missing or not an object, or has no
//     "event_name" (nothing would tell what happened), or "recording_duration_ms" is negative, fractional or
//     too large for a time.Duration, or "recording_s3_key_prefix" has a ".." segment
//     (recording.Location.Validate).
//
// Parse gives the same answer for the same input whichever of its two internal decoding paths reads it.
// Every time it returns is in UTC. Parse reads data and keeps no reference to it.
func Parse(data []byte) (Event, error) {
	if ev, ok, err := parseDecoded(data); ok {
		return ev, err
	}
	return parseRaw(data)
}

// parseDecoded is the first path of Parse, one pass for the events this package decodes: the envelope and
// the detail of both detail-types in one struct. ok is false when it does not apply (the input does not
// decode so, or is not of a decoded detail-type with an event_name); parseRaw then reads the input. Where
// it applies, it answers as parseRaw would.
func parseDecoded(data []byte) (ev Event, ok bool, err error) {
	var w eventJSON[wireDetail]
	if json.Unmarshal(data, &w) != nil || !isObject(data) || w.Detail.EventName == "" || !decodes(w.DetailType) {
		return nil, false, nil
	}
	if err := checkText(data, w.DetailType); err != nil {
		return nil, true, err
	}
	env, err := envelope(&w)
	if err != nil {
		return nil, true, err
	}
	ev, err = decoded(env, &w.Detail)
	return ev, true, err
}

// parseRaw is the second path of Parse: the detail is read separately, so that a detail-type this package
// does not decode passes whatever its detail holds, and an error says precisely what is wrong.
func parseRaw(data []byte) (Event, error) {
	if !isObject(data) && json.Valid(data) {
		return nil, &ParseError{Problem: "the input is " + kindOf(data) + ", not an object"}
	}
	var w eventJSON[json.RawMessage]
	if err := json.Unmarshal(data, &w); err != nil {
		return nil, jsonError("", err)
	}
	if err := checkText(data, w.DetailType); err != nil {
		return nil, err
	}
	env, err := envelope(&w)
	if err != nil {
		return nil, err
	}
	if !decodes(env.DetailType) {
		var detail json.RawMessage
		if w.Detail != nil {
			detail = bytes.Clone(w.Detail)
		}
		return Unknown{Envelope: env, Detail: detail}, nil
	}
	if w.Detail == nil {
		return nil, &ParseError{Field: "detail", Problem: "is missing; an event of detail-type " + rules.Quote(env.DetailType) + " needs one"}
	}
	if !isObject(w.Detail) {
		return nil, &ParseError{Field: "detail", Problem: "is " + kindOf(w.Detail) + ", want an object"}
	}
	var d wireDetail
	if err := json.Unmarshal(w.Detail, &d); err != nil {
		return nil, jsonError("detail", err)
	}
	return decoded(env, &d)
}

// decodes reports whether Parse decodes the detail of detailType (into a Recording or a StageUpdate).
func decodes(detailType string) bool {
	return detailType == TypeRecordingChange || detailType == TypeStageUpdate || detailType == TypeCompositionChange
}

// The objects Parse reads, for wire.CheckText: the envelope, with the detail of a decoded detail-type and its
// tokens (whose attributes are a map), or with a detail kept raw (an Unknown's, whose text alone is checked).
var (
	decodedObject = wire.ObjectFor[eventJSON[wireDetail]]()
	rawObject     = wire.ObjectFor[eventJSON[json.RawMessage]]()
)

// checkText refuses input that encoding/json would misread without an error (wire.CheckText): invalid UTF-8,
// unpaired surrogate escapes, members given twice. Both paths of Parse call it on the same input with the
// same detail-type (the last "detail-type" member, as both decodes keep it), so they give the same answer.
func checkText(data []byte, detailType string) error {
	obj := rawObject
	if decodes(detailType) {
		obj = decodedObject
	}
	if terr := wire.CheckText(data, obj); terr != nil {
		return &ParseError{Field: terr.Path, Problem: terr.Problem}
	}
	return nil
}

// envelope checks and converts the envelope.
func envelope[D any](h *eventJSON[D]) (Envelope, error) {
	if h.Source != Source {
		return Envelope{}, &ParseError{Field: "source", Problem: fmt.Sprintf("is %s, want %q: not an IVS event", rules.Quote(h.Source), Source)}
	}
	if h.DetailType == "" {
		return Envelope{}, &ParseError{Field: "detail-type", Problem: "is missing or empty"}
	}
	if h.ID == "" {
		return Envelope{}, &ParseError{Field: "id", Problem: "is missing or empty; every EventBridge event has one, and deduplication depends on it"}
	}
	t, err := parseTime("time", h.Time)
	if err != nil {
		return Envelope{}, err
	}
	env := Envelope{ID: h.ID, DetailType: h.DetailType, Source: h.Source, Account: h.Account, Region: h.Region, Time: t}
	if len(h.Resources) > 0 {
		env.Resources = h.Resources
	}
	return env, nil
}

// decoded builds the event of a decoded detail-type from its detail.
func decoded(env Envelope, d *wireDetail) (Event, error) {
	if d.EventName == "" {
		return nil, &ParseError{Field: "detail.event_name", Problem: "is missing or empty"}
	}
	switch env.DetailType {
	case TypeRecordingChange:
		return recordingEvent(env, d)
	case TypeCompositionChange:
		return compositionEvent(env, d)
	}
	return stageUpdate(env, d)
}

func recordingEvent(env Envelope, d *wireDetail) (Event, error) {
	if d.DurationMS < 0 {
		return nil, &ParseError{Field: "detail.recording_duration_ms", Problem: fmt.Sprintf("is negative (%d)", d.DurationMS)}
	}
	if d.DurationMS > maxDurationMS {
		return nil, &ParseError{Field: "detail.recording_duration_ms", Problem: fmt.Sprintf("is %d, more than a time.Duration holds (%d)", d.DurationMS, maxDurationMS)}
	}
	loc := recording.Location{Bucket: d.BucketName, Prefix: d.KeyPrefix}
	if err := loc.Validate(); err != nil {
		// The text is valid UTF-8 (checkText), so only a ".." segment is left to refuse.
		return nil, &ParseError{Field: "detail.recording_s3_key_prefix", Problem: rules.Quote(d.KeyPrefix) + ` has a ".." segment: no key of the recording can be built from it`}
	}
	return Recording{
		Envelope:      env,
		Name:          RecordingName(d.EventName),
		SessionID:     d.SessionID,
		ParticipantID: d.ParticipantID,
		Location:      loc,
		Duration:      time.Duration(d.DurationMS) * time.Millisecond,
		ErrorCode:     d.ErrorCode,
		Reason:        d.Reason,
	}, nil
}

func stageUpdate(env Envelope, d *wireDetail) (Event, error) {
	u := StageUpdate{
		Envelope:             env,
		Name:                 StageUpdateName(d.EventName),
		SessionID:            d.SessionID,
		ParticipantID:        d.ParticipantID,
		UserID:               d.UserID,
		ErrorCode:            d.ErrorCode,
		Replica:              d.Replica,
		SourceStageARN:       d.SourceStageARN,
		SourceSessionID:      d.SourceSessionID,
		DestinationStageARN:  d.DestinationStageARN,
		DestinationSessionID: d.DestinationSessionID,
	}
	// Both times are checked, so that a bad event_time is reported even when event_time_precise is good.
	coarse, err := parseTime("detail.event_time", d.EventTime)
	if err != nil {
		return nil, err
	}
	precise, err := parseTime("detail.event_time_precise", d.EventTimePrecise)
	if err != nil {
		return nil, err
	}
	u.Time = coarse
	if d.EventTimePrecise != "" {
		u.Time = precise
	}
	if u.PreviousToken, err = tokenInfo("detail.previous_token", d.PreviousToken); err != nil {
		return nil, err
	}
	if u.NewToken, err = tokenInfo("detail.new_token", d.NewToken); err != nil {
		return nil, err
	}
	return u, nil
}

func tokenInfo(field string, w *wireToken) (*TokenInfo, error) {
	if w == nil {
		return nil, nil
	}
	exp, err := parseTime(field+".expiration_time", w.ExpirationTime)
	if err != nil {
		return nil, err
	}
	info := &TokenInfo{UserID: w.UserID, ExpiresAt: exp}
	if len(w.Capabilities) > 0 {
		info.Capabilities = make([]token.Capability, len(w.Capabilities))
		for i, c := range w.Capabilities {
			info.Capabilities[i] = token.Capability(c)
		}
	}
	if len(w.Attributes) > 0 {
		info.Attributes = w.Attributes
	}
	return info, nil
}

// parseTime reads an RFC 3339 time with any fraction of a second, in UTC; "" is the zero time. A time whose
// UTC year is outside 0000..9999 is refused, as RFC 3339 cannot write it back.
func parseTime(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		// time.Parse's error holds the whole value; Problem quotes it safely (rules.Quote), so it is not kept.
		return time.Time{}, &ParseError{Field: field, Problem: rules.Quote(s) + " is not an RFC 3339 time"}
	}
	t = t.UTC()
	if y := t.Year(); y < 0 || y > 9999 {
		return time.Time{}, &ParseError{Field: field, Problem: rules.Quote(s) + " is outside the years 0000 to 9999 in UTC"}
	}
	return t, nil
}

// isObject reports whether the JSON text data starts with '{' (after white space).
func isObject(data []byte) bool {
	for _, c := range data {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c == '{'
	}
	return false
}

// kindOf names the kind of the valid JSON text data: "a JSON array", "a JSON string", … or "JSON null".
func kindOf(data []byte) string {
	data = bytes.TrimLeft(data, " \t\r\n")
	if len(data) == 0 {
		return "nothing"
	}
	switch data[0] {
	case '{':
		return "a JSON object"
	case '[':
		return "a JSON array"
	case '"':
		return "a JSON string"
	case 't', 'f':
		return "a JSON boolean"
	case 'n':
		return "JSON null"
	}
	return "a JSON number"
}

// jsonError turns an error of encoding/json reading the member at path prefix into a *ParseError.
func jsonError(prefix string, err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		if prefix != "" {
			field = prefix + "." + field
		}
		if te.Field == "" {
			field = prefix
		}
		return &ParseError{Field: field, Problem: fmt.Sprintf("is a JSON %s, want %s", te.Value, wantKind(te.Type)), Err: err}
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &ParseError{Problem: "the input is not JSON: " + err.Error(), Err: err}
	}
	return &ParseError{Field: prefix, Problem: err.Error(), Err: err}
}

// wantKind names the JSON kind that decodes into t.
func wantKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "an integer"
	case reflect.Slice:
		return "an array"
	case reflect.Struct, reflect.Map, reflect.Pointer:
		return "an object"
	}
	return t.String()
}
