package stagetest

import (
	"cmp"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"time"
)

// What GetParticipant reports about a participant's connection: the fake has no real client, so these are
// fixed, plausible values (a WHIP publisher in a browser).
const (
	// ParticipantProtocol is every participant's protocol (the fake's participants join over WebRTC).
	ParticipantProtocol = "WHIP"
	// ParticipantISPName is every participant's ispName.
	ParticipantISPName = "Stagetest ISP"
	// ParticipantOSName is every participant's osName.
	ParticipantOSName = "Linux"
	// ParticipantOSVersion is every participant's osVersion.
	ParticipantOSVersion = "6.8"
	// ParticipantBrowserName is every participant's browserName.
	ParticipantBrowserName = "Chrome"
	// ParticipantBrowserVersion is every participant's browserVersion.
	ParticipantBrowserVersion = "131.0"
	// ParticipantSDKVersion is every participant's sdkVersion (the IVS Web Broadcast SDK's version string).
	ParticipantSDKVersion = "1.20.0"
)

var (
	sessionIDPattern          = regexp.MustCompile(`^st-[a-zA-Z0-9]+$`)
	participantIDPattern      = regexp.MustCompile(`^[a-zA-Z0-9-]*$`)
	participantTokenIDPattern = regexp.MustCompile(`^[a-zA-Z0-9-_]*$`)
	participantStateValues    = []string{"CONNECTED", "DISCONNECTED"}
	recordingFilterValues     = []string{"STARTING", "ACTIVE", "STOPPING", "STOPPED", "FAILED"}
)

// participant is one participant of one stage session.
type participant struct {
	seq          int64
	id           string
	sess         *session
	userID       string
	attributes   map[string]string
	canPublish   bool
	canSubscribe bool
	connected    bool
	firstJoin    time.Time
	published    bool // ever, in the session
	publishing   bool
	protocol     string // "": ParticipantProtocol; an ingest's RTMP or RTMPS (ConnectIngest)
	events       []participantEvent
	rec          *recordingRun // the current or last recording; nil when never recorded

	replType  string // NONE, SOURCE, REPLICA
	replState string // "" (never replicated), ACTIVE, STOPPED
	source    *replication
}

// participantEvent is one ListParticipantEvents item, in its wire shape.
type participantEvent struct {
	Name                 string    `json:"name"`
	ParticipantID        string    `json:"participantId"`
	EventTime            time.Time `json:"-"`
	Time                 string    `json:"eventTime"`
	ErrorCode            string    `json:"errorCode,omitempty"`
	Replica              bool      `json:"replica"`
	DestinationStageArn  string    `json:"destinationStageArn,omitempty"`
	DestinationSessionID string    `json:"destinationSessionId,omitempty"`
}

func (p *participant) addEvent(e participantEvent) {
	e.ParticipantID = p.id
	e.Time = wireTime(e.EventTime)
	p.events = append(p.events, e)
}

// wireTime formats a time like the service's timestamps (RFC 3339, UTC, fraction when not whole seconds).
func wireTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func (s *Server) newParticipant(sess *session, id string, now time.Time) *participant {
	p := &participant{seq: s.nextSeq(), id: id, sess: sess, firstJoin: now, replType: "NONE"}
	sess.participants[id] = p
	return p
}

// participantsOf returns the session's participants (none for a nil session).
func (s *Server) participantsOf(sess *session) map[string]*participant {
	if sess == nil {
		return nil
	}
	return sess.participants
}

// findParticipant returns the participant of sess (nil-safe).
func (s *Server) findParticipant(sess *session, id string) *participant {
	return s.participantsOf(sess)[id]
}

// recordingState is the participant's recordingState: its recording's state, DISABLED when not recorded.
func (p *participant) recordingState() string {
	if p.rec == nil {
		return "DISABLED"
	}
	return p.rec.state
}

// simParticipant finds a participant of the stage's active session for a simulation verb.
func (s *Server) simParticipant(stageARN, participantID string) (*participant, time.Time, error) {
	now := s.now()
	s.settle(now)
	st := s.stages[stageARN]
	if st == nil {
		return nil, now, fmt.Errorf("%w: %s", ErrUnknownStage, showARN(stageARN))
	}
	p := s.findParticipant(s.activeSession(st), participantID)
	if p == nil {
		return nil, now, fmt.Errorf("%w: %s in the active session of stage %s", ErrUnknownParticipant, participantID, stageARN)
	}
	if p.replType == "REPLICA" {
		return nil, now, fmt.Errorf("%w: %s in stage %s follows its source; use StopParticipantReplication", ErrReplica, participantID, stageARN)
	}
	return p, now, nil
}

// Publish makes a connected participant start publishing: PUBLISH_STARTED, a Stage Update "Participant
// Published" event, and, on a stage that records, the participant's recording starts (or continues, within
// the reconnect window). It refuses an unknown stage or participant, a participant that is not connected, one
// whose token lacks PUBLISH (recording a PUBLISH_ERROR event with INSUFFICIENT_CAPABILITIES and a
// "Participant Publish Error" event), one already publishing, and a publisher past [MaxPublishers] (PUBLISH_ERROR
// with QUOTA_EXCEEDED). Replicas of the participant publish in their stages too.
func (s *Server) Publish(stageARN, participantID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, now, err := s.simParticipant(stageARN, participantID)
	if err != nil {
		return err
	}
	switch {
	case !p.connected:
		return fmt.Errorf("%w: %s cannot publish on stage %s", ErrNotConnected, p.id, stageARN)
	case p.publishing:
		return fmt.Errorf("%w: %s on stage %s", ErrAlreadyPublishing, p.id, stageARN)
	case !p.canPublish:
		s.publishError(p, "INSUFFICIENT_CAPABILITIES", now)
		return fmt.Errorf("%w: participant %s", ErrNoPublishCapability, p.id)
	case p.sess.publishers() >= MaxPublishers:
		s.publishError(p, "QUOTA_EXCEEDED", now)
		return fmt.Errorf("%w: %d publish already", ErrPublisherQuota, MaxPublishers)
	}
	s.startPublishing(p, now)
	return nil
}

// Unpublish makes a publishing participant stop: PUBLISH_STOPPED, a Stage Update "Participant Unpublished"
// event, and its recording moves to STOPPING (it ends once the reconnect window has passed). It refuses an
// unknown stage or participant and a participant that is not publishing.
func (s *Server) Unpublish(stageARN, participantID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, now, err := s.simParticipant(stageARN, participantID)
	if err != nil {
		return err
	}
	if !p.publishing {
		return fmt.Errorf("%w: %s on stage %s", ErrNotPublishing, p.id, stageARN)
	}
	s.stopPublishing(p, now)
	return nil
}

// Leave ends a participant's connection: a publisher unpublishes first (as [Server.Unpublish]), then the
// participant becomes DISCONNECTED with a LEFT event, and its replications stop. Its token may join again.
// The session ends once its last participant has left and none of its recordings is in progress. It refuses
// an unknown stage or participant and a participant that is not connected.
func (s *Server) Leave(stageARN, participantID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, now, err := s.simParticipant(stageARN, participantID)
	if err != nil {
		return err
	}
	if !p.connected {
		return fmt.Errorf("%w: %s has left stage %s already", ErrNotConnected, p.id, stageARN)
	}
	s.leave(p, now)
	return nil
}

func (s *Server) publishError(p *participant, code string, now time.Time) {
	p.addEvent(participantEvent{Name: "PUBLISH_ERROR", EventTime: now, ErrorCode: code, Replica: p.replType == "REPLICA"})
	s.emitStageUpdate(p, "Participant Publish Error", now, code)
}

func (s *Server) startPublishing(p *participant, now time.Time) {
	p.publishing, p.published = true, true
	p.addEvent(participantEvent{Name: "PUBLISH_STARTED", EventTime: now, Replica: p.replType == "REPLICA"})
	s.emitStageUpdate(p, "Participant Published", now, "")
	s.startRecording(p, now)
	s.compositionPublishing(p.sess.stage, now)
	for _, r := range s.replicationsOf(p) {
		s.startPublishing(r.replica, now)
	}
}

func (s *Server) stopPublishing(p *participant, now time.Time) {
	p.publishing = false
	p.addEvent(participantEvent{Name: "PUBLISH_STOPPED", EventTime: now, Replica: p.replType == "REPLICA"})
	s.emitStageUpdate(p, "Participant Unpublished", now, "")
	s.stopRecording(p, now)
	s.compositionPublishing(p.sess.stage, now)
	for _, r := range s.replicationsOf(p) {
		if r.replica.publishing {
			s.stopPublishing(r.replica, now)
		}
	}
}

// leave disconnects a connected participant (Leave, DisconnectParticipant, a replica whose replication ends).
func (s *Server) leave(p *participant, now time.Time) {
	if p.publishing {
		s.stopPublishing(p, now)
	}
	for _, r := range s.replicationsOf(p) {
		s.stopReplication(r, now)
	}
	p.connected = false
	p.addEvent(participantEvent{Name: "LEFT", EventTime: now})
	s.maybeEndSession(p.sess, now)
}

// participantSummaryJSON is a ListParticipants item.
type participantSummaryJSON struct {
	ParticipantID    string `json:"participantId"`
	UserID           string `json:"userId"`
	State            string `json:"state"`
	FirstJoinTime    string `json:"firstJoinTime"`
	Published        bool   `json:"published"`
	RecordingState   string `json:"recordingState"`
	ReplicationType  string `json:"replicationType"`
	ReplicationState string `json:"replicationState,omitempty"`
	SourceStageArn   string `json:"sourceStageArn,omitempty"`
	SourceSessionID  string `json:"sourceSessionId,omitempty"`
}

// participantJSON is GetParticipant's participant.
type participantJSON struct {
	participantSummaryJSON
	Attributes            map[string]string `json:"attributes"`
	RecordingS3BucketName string            `json:"recordingS3BucketName"`
	RecordingS3Prefix     string            `json:"recordingS3Prefix"`
	Protocol              string            `json:"protocol"`
	IspName               string            `json:"ispName"`
	OsName                string            `json:"osName"`
	OsVersion             string            `json:"osVersion"`
	BrowserName           string            `json:"browserName"`
	BrowserVersion        string            `json:"browserVersion"`
	SdkVersion            string            `json:"sdkVersion"`
}

func (p *participant) state() string {
	if p.connected {
		return "CONNECTED"
	}
	return "DISCONNECTED"
}

func (p *participant) summary() participantSummaryJSON {
	out := participantSummaryJSON{
		ParticipantID:    p.id,
		UserID:           p.userID,
		State:            p.state(),
		FirstJoinTime:    wireTime(p.firstJoin),
		Published:        p.published,
		RecordingState:   p.recordingState(),
		ReplicationType:  p.replType,
		ReplicationState: p.replState,
	}
	if p.source != nil {
		out.SourceStageArn, out.SourceSessionID = p.source.participant.sess.stage.arn, p.source.participant.sess.id
	}
	return out
}

func (p *participant) json() participantJSON {
	out := participantJSON{
		participantSummaryJSON: p.summary(),
		Attributes:             maps.Clone(p.attributes),
		Protocol:               cmp.Or(p.protocol, ParticipantProtocol),
		IspName:                ParticipantISPName,
		OsName:                 ParticipantOSName,
		OsVersion:              ParticipantOSVersion,
		BrowserName:            ParticipantBrowserName,
		BrowserVersion:         ParticipantBrowserVersion,
		SdkVersion:             ParticipantSDKVersion,
	}
	if out.Attributes == nil {
		out.Attributes = map[string]string{}
	}
	if p.rec != nil {
		out.RecordingS3BucketName, out.RecordingS3Prefix = p.rec.bucket, p.rec.prefix
	}
	return out
}

// sessionID checks a required stage session ID member.
func (c *checker) sessionID(obj object, key string) string {
	c.required(obj, key, "")
	s, ok := c.str(obj, key, "")
	if ok {
		c.length(key, s, SessionIDLength, SessionIDLength)
		c.pattern(key, s, sessionIDPattern)
	}
	return s
}

// participantID checks a required participant ID member against re (ParticipantId or ParticipantTokenId).
func (c *checker) participantID(obj object, key string, re *regexp.Regexp) string {
	c.required(obj, key, "")
	s, ok := c.str(obj, key, "")
	if ok {
		c.length(key, s, 0, MaxParticipantIDLength)
		c.pattern(key, s, re)
	}
	return s
}

// lookupSession validates stageArn and sessionId and finds the session. An unknown stage or session is a
// 404 when must is set (Get operations); otherwise (List operations, which model no 404) it is a nil session.
func (s *Server) lookupSession(body object, c *checker, must bool) (*session, response, bool) {
	arn, _ := c.arn(body, "stageArn", "", stageARNPattern)
	id := c.sessionID(body, "sessionId")
	if !c.ok() {
		return nil, validationError("%s", c.message()), false
	}
	st := s.stages[arn]
	if st == nil && must {
		return nil, notFound("Stage", arn), false
	}
	var sess *session
	if st != nil {
		sess = st.session(id)
	}
	if sess == nil && must {
		return nil, errorResponse(http.StatusNotFound, "ResourceNotFoundException", "Stage session not found: %s of stage %s", id, arn), false
	}
	return sess, response{}, true
}

func (s *Server) getParticipant(body object, _ time.Time) response {
	var c checker
	pid := c.participantID(body, "participantId", participantIDPattern)
	sess, errResp, found := s.lookupSession(body, &c, true)
	if !found {
		return errResp
	}
	p := sess.participants[pid]
	if p == nil {
		return errorResponse(http.StatusNotFound, "ResourceNotFoundException",
			"Participant not found: %s in session %s of stage %s", pid, sess.id, sess.stage.arn)
	}
	return success(map[string]any{"participant": p.json()})
}

func (s *Server) listParticipants(body object, _ time.Time) response {
	var c checker
	limit, token := c.page(body)
	var filters []string
	keep := func(*participant) bool { return true }
	if u, ok := c.str(body, "filterByUserId", ""); ok {
		c.length("filterByUserId", u, 0, MaxUserIDLength)
		filters = append(filters, "filterByUserId")
		keep = func(p *participant) bool { return p.userID == u }
	}
	if b, ok := c.boolean(body, "filterByPublished", ""); ok && b {
		filters = append(filters, "filterByPublished")
		keep = func(p *participant) bool { return p.published }
	}
	if v, ok := c.str(body, "filterByState", ""); ok {
		c.enum("filterByState", v, participantStateValues)
		filters = append(filters, "filterByState")
		keep = func(p *participant) bool { return p.state() == v }
	}
	if v, ok := c.str(body, "filterByRecordingState", ""); ok {
		c.enum("filterByRecordingState", v, recordingFilterValues)
		filters = append(filters, "filterByRecordingState")
		keep = func(p *participant) bool { return p.recordingState() == v }
	}
	if len(filters) > 1 {
		c.violations = append(c.violations, fmt.Sprintf(
			"Only one of filterByUserId, filterByPublished, filterByState, or filterByRecordingState can be provided per request (got %d: %v)",
			len(filters), filters))
	}
	sess, errResp, found := s.lookupSession(body, &c, false)
	if !found {
		return errResp
	}
	matching := map[string]*participant{}
	for id, p := range s.participantsOf(sess) {
		if keep(p) {
			matching[id] = p
		}
	}
	page, next, err := paginate(matching, func(p *participant) int64 { return p.seq }, "participants", token, limit)
	if err != nil {
		return validationError("%v", err)
	}
	out := struct {
		Participants []participantSummaryJSON `json:"participants"`
		NextToken    string                   `json:"nextToken,omitempty"`
	}{Participants: []participantSummaryJSON{}, NextToken: next}
	for _, p := range page {
		out.Participants = append(out.Participants, p.summary())
	}
	return success(out)
}

func (s *Server) listParticipantEvents(body object, _ time.Time) response {
	var c checker
	limit, token := c.page(body)
	pid := c.participantID(body, "participantId", participantIDPattern)
	sess, errResp, found := s.lookupSession(body, &c, false)
	if !found {
		return errResp
	}
	page, next, err := participantEvents(s.participantsOf(sess)[pid], token, limit)
	if err != nil {
		return validationError("%v", err)
	}
	out := struct {
		Events    []participantEvent `json:"events"`
		NextToken string             `json:"nextToken,omitempty"`
	}{Events: page, NextToken: next}
	return success(out)
}

// participantEvents pages through a participant's events in time order (nil participant: no events).
func participantEvents(p *participant, token string, limit int) ([]participantEvent, string, error) {
	items := map[string]int64{}
	if p != nil {
		for i := range p.events {
			items[fmt.Sprint(i)] = int64(i)
		}
	}
	idx, next, err := paginate(items, func(i int64) int64 { return i }, "participantEvents", token, limit)
	if err != nil {
		return nil, "", err
	}
	out := make([]participantEvent, 0, len(idx))
	for _, i := range idx {
		out = append(out, p.events[i])
	}
	return out, next, nil
}

func (s *Server) disconnectParticipant(body object, now time.Time) response {
	var c checker
	arn, _ := c.arn(body, "stageArn", "", stageARNPattern)
	pid := c.participantID(body, "participantId", participantTokenIDPattern)
	if r, ok := c.str(body, "reason", ""); ok {
		c.length("reason", r, 0, MaxDisconnectReasonLength)
	}
	if !c.ok() {
		return validationError("%s", c.message())
	}
	st := s.stages[arn]
	if st == nil {
		return notFound("Stage", arn)
	}
	p := s.findParticipant(s.activeSession(st), pid)
	if p == nil {
		return errorResponse(http.StatusNotFound, "ResourceNotFoundException",
			"Participant not found: %s in the active session of stage %s", pid, arn)
	}
	s.play.revoked[revokeKey(arn, pid)] = true
	switch {
	case p.replType == "REPLICA" && p.source != nil && p.connected:
		s.stopReplication(p.source, now)
	case p.connected:
		s.leave(p, now)
	}
	return success(struct{}{})
}
