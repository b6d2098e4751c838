package event

import (
	"encoding/json"
	"errors"
	"time"
)

// MarshalJSON encodes r as the EventBridge event the service sends ("version" "0", "source" Source,
// "detail-type" TypeRecordingChange whatever r.Source and r.DetailType hold), so that Parse reads back r.
// It is meant for tests of event consumers. Duration is written in whole milliseconds (truncated) and only
// when positive; a negative Duration is an error. Give the event an ID: Parse refuses one without.
func (r Recording) MarshalJSON() ([]byte, error) {
	if r.Duration < 0 {
		return nil, errors.New("event: Recording.Duration is negative")
	}
	return marshalEvent(r.Envelope, TypeRecordingChange, &wireDetail{
		SessionID:     r.SessionID,
		EventName:     string(r.Name),
		ParticipantID: r.ParticipantID,
		BucketName:    r.Location.Bucket,
		KeyPrefix:     r.Location.Prefix,
		DurationMS:    r.Duration.Milliseconds(),
		ErrorCode:     r.ErrorCode,
		Reason:        r.Reason,
	})
}

// MarshalJSON encodes u as the EventBridge event the service sends ("version" "0", "source" Source,
// "detail-type" TypeStageUpdate whatever u.Source and u.DetailType hold), so that Parse reads back u. It is
// meant for tests of event consumers. Time is written as event_time with its full fraction. Give the event
// an ID: Parse refuses one without.
func (u StageUpdate) MarshalJSON() ([]byte, error) {
	return marshalEvent(u.Envelope, TypeStageUpdate, &wireDetail{
		SessionID:            u.SessionID,
		EventName:            string(u.Name),
		EventTime:            formatTime(u.Time),
		UserID:               u.UserID,
		ParticipantID:        u.ParticipantID,
		ErrorCode:            u.ErrorCode,
		Replica:              u.Replica,
		SourceStageARN:       u.SourceStageARN,
		SourceSessionID:      u.SourceSessionID,
		DestinationStageARN:  u.DestinationStageARN,
		DestinationSessionID: u.DestinationSessionID,
		PreviousToken:        wireTokenOf(u.PreviousToken),
		NewToken:             wireTokenOf(u.NewToken),
	})
}

// MarshalJSON encodes u as an EventBridge event with u's own detail-type and Detail ("source" Source), so
// that Parse reads back u. It is meant for tests of event consumers. Detail must be valid JSON or nil, and
// the event needs an ID: Parse refuses one without.
func (u Unknown) MarshalJSON() ([]byte, error) {
	return marshalEvent(u.Envelope, u.DetailType, u.Detail)
}

func marshalEvent[D any](env Envelope, detailType string, detail D) ([]byte, error) {
	res := env.Resources
	if res == nil {
		res = []string{}
	}
	return json.Marshal(eventJSON[D]{
		Version:    "0",
		ID:         env.ID,
		DetailType: detailType,
		Source:     Source,
		Account:    env.Account,
		Time:       formatTime(env.Time),
		Region:     env.Region,
		Resources:  res,
		Detail:     detail,
	})
}

func wireTokenOf(t *TokenInfo) *wireToken {
	if t == nil {
		return nil
	}
	out := &wireToken{Attributes: t.Attributes, UserID: t.UserID, ExpirationTime: formatTime(t.ExpiresAt)}
	for _, c := range t.Capabilities {
		out.Capabilities = append(out.Capabilities, string(c))
	}
	return out
}

// formatTime writes t in UTC as RFC 3339 with its full fraction; "" for the zero time.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}
