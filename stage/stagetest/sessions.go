package stagetest

import (
	"sort"
	"time"
)

// session is one stage session: it starts with the first join and ends once its last participant has left
// and none of its recordings is in progress.
type session struct {
	seq          int64
	id           string
	stage        *stage
	start, end   time.Time // end is zero while active
	participants map[string]*participant
}

// session returns the stage's session with that ID, or nil.
func (st *stage) session(id string) *session {
	for _, sess := range st.sessions {
		if sess.id == id {
			return sess
		}
	}
	return nil
}

// activeSession returns the stage's active session, or nil.
func (s *Server) activeSession(st *stage) *session {
	if st.sessionID == "" {
		return nil
	}
	return st.session(st.sessionID)
}

func (s *Server) startSession(st *stage, now time.Time) *session {
	sess := &session{
		seq:          s.nextSeq(),
		id:           "st-" + randomString(alnum, sessionIDRandomLength),
		stage:        st,
		start:        now,
		participants: map[string]*participant{},
	}
	st.sessions = append(st.sessions, sess)
	st.sessionID = sess.id
	return sess
}

// maybeEndSession ends the stage's active session sess at `at` when no participant is connected and no
// recording is in progress. (The service keeps a session a few minutes longer; the fake ends it at once.)
func (s *Server) maybeEndSession(sess *session, at time.Time) {
	if sess.stage.sessionID != sess.id {
		return
	}
	for _, p := range sess.participants {
		if p.connected || (p.rec != nil && p.rec.inProgress()) {
			return
		}
	}
	sess.end = at
	sess.stage.sessionID = ""
}

// shutDown disconnects every participant of the stage's active session (DeleteStage): replicas by stopping
// their replication, the others as Leave does; recordings end at once (the stage is gone, no reconnect can
// follow), so the session ends now.
func (s *Server) shutDown(st *stage, now time.Time) {
	sess := s.activeSession(st)
	if sess == nil {
		return
	}
	for _, p := range sortedParticipants(sess) {
		switch {
		case !p.connected:
		case p.source != nil:
			s.stopReplication(p.source, now)
		default:
			s.leave(p, now)
		}
	}
	for _, p := range sortedParticipants(sess) {
		if r := p.rec; r != nil && r.state == recStopping {
			delete(s.play.pending, p)
			s.finishRecording(p, now)
		}
	}
}

// sortedParticipants returns the session's participants in join order.
func sortedParticipants(sess *session) []*participant {
	out := make([]*participant, 0, len(sess.participants))
	for _, p := range sess.participants {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].seq < out[j].seq })
	return out
}

// publishers counts the session's publishing participants.
func (sess *session) publishers() int {
	n := 0
	for _, p := range sess.participants {
		if p.publishing {
			n++
		}
	}
	return n
}

// sessionJSON is a stage session (GetStageSession) or its summary (ListStageSessions): the same members.
type sessionJSON struct {
	SessionID string `json:"sessionId"`
	StartTime string `json:"startTime"`
	EndTime   string `json:"endTime,omitempty"`
}

func (sess *session) json() sessionJSON {
	out := sessionJSON{SessionID: sess.id, StartTime: wireTime(sess.start)}
	if !sess.end.IsZero() {
		out.EndTime = wireTime(sess.end)
	}
	return out
}

func (s *Server) getStageSession(body object, _ time.Time) response {
	var c checker
	sess, errResp, found := s.lookupSession(body, &c, true)
	if !found {
		return errResp
	}
	return success(map[string]any{"stageSession": sess.json()})
}

// newestFirst turns ascending sequence numbers into positive keys that order newest first.
const newestFirst = 1 << 62

// listStageSessions lists the stage's sessions newest first (the order is undocumented; the fake's choice).
func (s *Server) listStageSessions(body object, _ time.Time) response {
	var c checker
	limit, token := c.page(body)
	arn, _ := c.arn(body, "stageArn", "", stageARNPattern)
	if !c.ok() {
		return validationError("%s", c.message())
	}
	all := map[string]*session{}
	if st := s.stages[arn]; st != nil { // an unknown stage has no sessions (the operation models no 404)
		for _, sess := range st.sessions {
			all[sess.id] = sess
		}
	}
	page, next, err := paginate(all, func(sess *session) int64 { return newestFirst - sess.seq }, "stageSessions", token, limit)
	if err != nil {
		return validationError("%v", err)
	}
	out := struct {
		StageSessions []sessionJSON `json:"stageSessions"`
		NextToken     string        `json:"nextToken,omitempty"`
	}{StageSessions: []sessionJSON{}, NextToken: next}
	for _, sess := range page {
		out.StageSessions = append(out.StageSessions, sess.json())
	}
	return success(out)
}
