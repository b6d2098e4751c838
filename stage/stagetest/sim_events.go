package stagetest

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// EventBridge detail-types and the source of every event the server emits ([Server.Events]).
const (
	// EventSource is every event's source.
	EventSource = "aws.ivs"
	// DetailTypeStageUpdate is the detail-type of Participant Published, Unpublished, Publish Error and
	// Replication Start and End.
	DetailTypeStageUpdate = "IVS Stage Update"
	// DetailTypeRecordingState is the detail-type of Recording Start, End and Start Failure.
	DetailTypeRecordingState = "IVS Participant Recording State Change"
)

// play is the state behind the simulation: issued tokens, revocations, recordings waiting on the clock,
// replications, emitted events and written objects.
type play struct {
	tokens       map[string]*grant            // API token string → what it grants
	revoked      map[string]bool              // revokeKey(stage, participant) of disconnected participants
	pending      map[*participant]bool        // participants whose recording is STARTING or STOPPING
	replications []*replication               // active replications, in start order
	events       [][]byte                     // EventBridge events, in order
	objects      map[string]map[string][]byte // bucket → key → content
	missing      map[string]bool              // buckets that "do not exist"
}

func newPlay() play {
	return play{
		tokens:  map[string]*grant{},
		revoked: map[string]bool{},
		pending: map[*participant]bool{},
		objects: map[string]map[string][]byte{},
		missing: map[string]bool{},
	}
}

// envelope is an EventBridge event.
type envelope struct {
	Version    string   `json:"version"`
	ID         string   `json:"id"`
	DetailType string   `json:"detail-type"`
	Source     string   `json:"source"`
	Account    string   `json:"account"`
	Time       string   `json:"time"`
	Region     string   `json:"region"`
	Resources  []string `json:"resources"`
	Detail     any      `json:"detail"`
}

// stageUpdateDetail is the detail of an "IVS Stage Update" event (reference §4.3).
type stageUpdateDetail struct {
	SessionID            string `json:"session_id"`
	EventName            string `json:"event_name"`
	EventTime            string `json:"event_time"`
	EventTimePrecise     string `json:"event_time_precise,omitempty"`
	UserID               string `json:"user_id"`
	ParticipantID        string `json:"participant_id"`
	ErrorCode            string `json:"error_code,omitempty"`
	Replica              bool   `json:"replica,omitempty"`
	SourceStageArn       string `json:"source_stage_arn,omitempty"`
	SourceSessionID      string `json:"source_session_id,omitempty"`
	DestinationStageArn  string `json:"destination_stage_arn,omitempty"`
	DestinationSessionID string `json:"destination_session_id,omitempty"`
}

// recordingDetail is the detail of an "IVS Participant Recording State Change" event (reference §4.2).
type recordingDetail struct {
	SessionID             string `json:"session_id"`
	EventName             string `json:"event_name"`
	ParticipantID         string `json:"participant_id"`
	RecordingS3BucketName string `json:"recording_s3_bucket_name"`
	RecordingS3KeyPrefix  string `json:"recording_s3_key_prefix"`
	RecordingDurationMs   *int64 `json:"recording_duration_ms,omitempty"`
	ErrorCode             string `json:"error_code,omitempty"`
	Reason                string `json:"reason,omitempty"`
}

// eventTimePreciseLayout is event_time_precise: millisecond precision, UTC.
const eventTimePreciseLayout = "2006-01-02T15:04:05.000Z"

// emit appends an EventBridge event about stageARN at `at`.
func (s *Server) emit(detailType, stageARN string, at time.Time, detail any) {
	data, err := json.Marshal(envelope{
		Version:    "0",
		ID:         requestID(),
		DetailType: detailType,
		Source:     EventSource,
		Account:    AccountID,
		Time:       at.UTC().Format(time.RFC3339),
		Region:     Region,
		Resources:  []string{stageARN},
		Detail:     detail,
	})
	if err != nil {
		panic(fmt.Sprintf("stagetest: encoding an event: %v", err)) // cannot happen: plain structs
	}
	s.play.events = append(s.play.events, data)
}

// emitStageUpdate emits a Published, Unpublished or Publish Error event for p in its stage; a replica's
// carries replica, source_stage_arn and source_session_id.
func (s *Server) emitStageUpdate(p *participant, name string, at time.Time, errorCode string) {
	d := stageUpdateDetail{
		SessionID:        p.sess.id,
		EventName:        name,
		EventTime:        at.UTC().Format(time.RFC3339),
		EventTimePrecise: at.UTC().Format(eventTimePreciseLayout),
		UserID:           p.userID,
		ParticipantID:    p.id,
		ErrorCode:        errorCode,
	}
	if errorCode != "" {
		d.EventTimePrecise = "" // the reference lists event_time_precise on Published and Unpublished only
	}
	if p.source != nil {
		d.Replica = true
		d.SourceStageArn, d.SourceSessionID = p.source.participant.sess.stage.arn, p.source.participant.sess.id
	}
	s.emit(DetailTypeStageUpdate, p.sess.stage.arn, at, d)
}

// emitReplication emits a "Participant Replication Start" or "… End" event in the source stage.
func (s *Server) emitReplication(r *replication, name string, at time.Time) {
	p := r.participant
	s.emit(DetailTypeStageUpdate, p.sess.stage.arn, at, stageUpdateDetail{
		SessionID:            p.sess.id,
		EventName:            name,
		EventTime:            at.UTC().Format(time.RFC3339),
		UserID:               p.userID,
		ParticipantID:        p.id,
		DestinationStageArn:  r.replica.sess.stage.arn,
		DestinationSessionID: r.replica.sess.id,
	})
}

// emitRecording emits a Participant Recording State Change event for p's recording.
func (s *Server) emitRecording(p *participant, name string, at time.Time, durationMs *int64, errorCode, reason string) {
	s.emit(DetailTypeRecordingState, p.sess.stage.arn, at, recordingDetail{
		SessionID:             p.sess.id,
		EventName:             name,
		ParticipantID:         p.id,
		RecordingS3BucketName: p.rec.bucket,
		RecordingS3KeyPrefix:  p.rec.prefix,
		RecordingDurationMs:   durationMs,
		ErrorCode:             errorCode,
		Reason:                reason,
	})
}

// Events returns every EventBridge event the server has sent so far, as JSON, in the order sent (first
// settling time-based transitions up to the clock's now). Each event has the envelope of an EventBridge
// event: version "0", a random UUID id, detail-type ([DetailTypeStageUpdate], [DetailTypeRecordingState] or
// [DetailTypeCompositionState]), source [EventSource], account [AccountID], time (RFC 3339, whole seconds, on
// the server's clock), region [Region], resources [the stage ARN] ([the composition ARN] for a composition's
// events) and detail as the user guide documents it.
// The result is a copy.
func (s *Server) Events() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(s.now())
	out := make([][]byte, len(s.play.events))
	for i, e := range s.play.events {
		out[i] = slices.Clone(e)
	}
	return out
}
