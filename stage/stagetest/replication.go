package stagetest

import (
	"fmt"
	"maps"
	"net/http"
	"time"
)

// replication is one active participant replication.
type replication struct {
	seq         int64
	participant *participant // the source participant, in the source stage's active session
	replica     *participant // the replica, in the destination stage's session
	window      int64        // reconnectWindowSeconds, stored only
}

// replicationsOf returns the active replications whose source is p.
func (s *Server) replicationsOf(p *participant) []*replication {
	var out []*replication
	for _, r := range s.play.replications {
		if r.participant == p {
			out = append(out, r)
		}
	}
	return out
}

// replicationArgs validates the members common to Start and StopParticipantReplication.
func replicationArgs(c *checker, body object) (src, dst, pid string) {
	src, _ = c.arn(body, "sourceStageArn", "", stageARNPattern)
	dst, _ = c.arn(body, "destinationStageArn", "", stageARNPattern)
	pid = c.participantID(body, "participantId", participantIDPattern)
	return src, dst, pid
}

func (s *Server) startParticipantReplication(body object, now time.Time) response {
	var c checker
	src, dst, pid := replicationArgs(&c, body)
	var window int64
	if n, ok := c.integer(body, "reconnectWindowSeconds", ""); ok {
		c.between("reconnectWindowSeconds", n, 0, MaxReplicationReconnectWindowSeconds)
		window = n
	}
	attrs, _ := c.strMap(body, "attributes", "")
	c.attributesSize("attributes", attrs)
	if c.ok() && src == dst {
		c.fail("destinationStageArn", show(dst), "Member must name a stage other than sourceStageArn")
	}
	if !c.ok() {
		return validationError("%s", c.message())
	}
	srcStage, dstStage := s.stages[src], s.stages[dst]
	switch {
	case srcStage == nil:
		return notFound("Stage", src)
	case dstStage == nil:
		return notFound("Stage", dst)
	}
	p := s.findParticipant(s.activeSession(srcStage), pid)
	if p == nil || !p.connected {
		return errorResponse(http.StatusNotFound, "ResourceNotFoundException",
			"Participant not found: %s is not connected to stage %s", pid, src)
	}
	if p.source != nil {
		return errorResponse(http.StatusConflict, "ConflictException", "Participant %s is a replica in stage %s; replicate its source", pid, src)
	}
	active := 0
	for _, r := range s.play.replications {
		// The quota is per participant: a participant of another stage whose self-signed token has the same
		// jti is someone else.
		if r.participant != p {
			continue
		}
		active++
		if r.replica.sess.stage == dstStage {
			return errorResponse(http.StatusConflict, "ConflictException",
				"Participant %s is already replicated from %s to %s", pid, src, dst)
		}
	}
	if active >= MaxReplicationsPerParticipant {
		return errorResponse(http.StatusPaymentRequired, "ServiceQuotaExceededException",
			"Request would cause a service quota to be exceeded: at most %d concurrent replications per participant", MaxReplicationsPerParticipant)
	}
	if q := s.findParticipant(s.activeSession(dstStage), pid); q != nil && q.connected {
		return errorResponse(http.StatusConflict, "ConflictException", "Participant %s is connected to stage %s already", pid, dst)
	}
	sess := s.activeSession(dstStage)
	if sess == nil {
		sess = s.startSession(dstStage, now)
	}
	replica := sess.participants[pid]
	if replica == nil {
		replica = s.newParticipant(sess, pid, now)
	}
	replica.userID = p.userID
	replica.attributes = maps.Clone(p.attributes)
	if replica.attributes == nil {
		replica.attributes = map[string]string{}
	}
	maps.Copy(replica.attributes, attrs) // the replication's attributes override the token's
	replica.canPublish, replica.canSubscribe = p.canPublish, p.canSubscribe
	replica.replType, replica.replState = "REPLICA", "ACTIVE"
	r := &replication{seq: s.nextSeq(), participant: p, replica: replica, window: window}
	replica.source = r
	replica.connected = true
	replica.addEvent(participantEvent{Name: "JOINED", EventTime: now, Replica: true})
	s.play.replications = append(s.play.replications, r)
	p.replType, p.replState = "SOURCE", "ACTIVE"
	p.addEvent(participantEvent{Name: "REPLICATION_STARTED", EventTime: now, DestinationStageArn: dst, DestinationSessionID: sess.id})
	s.emitReplication(r, "Participant Replication Start", now)
	if p.publishing {
		s.startPublishing(replica, now)
	}
	return success(struct{}{})
}

// stopReplication ends an active replication: the replica unpublishes and leaves the destination,
// REPLICATION_STOPPED and "Participant Replication End" at the source.
func (s *Server) stopReplication(r *replication, now time.Time) {
	for i, x := range s.play.replications {
		if x == r {
			s.play.replications = append(s.play.replications[:i:i], s.play.replications[i+1:]...)
			break
		}
	}
	p, replica := r.participant, r.replica
	replica.replState = "STOPPED"
	if replica.connected {
		s.leave(replica, now)
	}
	p.addEvent(participantEvent{Name: "REPLICATION_STOPPED", EventTime: now,
		DestinationStageArn: replica.sess.stage.arn, DestinationSessionID: replica.sess.id})
	s.emitReplication(r, "Participant Replication End", now)
	if len(s.replicationsOf(p)) == 0 {
		p.replState = "STOPPED"
	}
}

func (s *Server) stopParticipantReplication(body object, now time.Time) response {
	var c checker
	src, dst, pid := replicationArgs(&c, body)
	if !c.ok() {
		return validationError("%s", c.message())
	}
	for _, r := range s.play.replications {
		if r.participant.sess.stage.arn == src && r.replica.sess.stage.arn == dst && r.participant.id == pid {
			s.stopReplication(r, now)
			return success(struct{}{})
		}
	}
	return errorResponse(http.StatusNotFound, "ResourceNotFoundException",
		"No active replication of participant %s from %s to %s", pid, src, dst)
}

// replicaJSON is a ListParticipantReplicas item.
type replicaJSON struct {
	SourceStageArn       string `json:"sourceStageArn"`
	ParticipantID        string `json:"participantId"`
	SourceSessionID      string `json:"sourceSessionId"`
	DestinationStageArn  string `json:"destinationStageArn"`
	DestinationSessionID string `json:"destinationSessionId"`
	ReplicationState     string `json:"replicationState"`
}

func (s *Server) listParticipantReplicas(body object, _ time.Time) response {
	var c checker
	limit, token := c.pageUpTo(body, MaxReplicaPageSize)
	src, _ := c.arn(body, "sourceStageArn", "", stageARNPattern)
	pid := c.participantID(body, "participantId", participantIDPattern)
	if !c.ok() {
		return validationError("%s", c.message())
	}
	matching := map[string]*replication{}
	for _, r := range s.play.replications {
		if r.participant.sess.stage.arn == src && r.participant.id == pid {
			matching[fmt.Sprint(r.seq)] = r
		}
	}
	page, next, err := paginate(matching, func(r *replication) int64 { return r.seq }, "participantReplicas", token, limit)
	if err != nil {
		return validationError("%v", err)
	}
	out := struct {
		Replicas  []replicaJSON `json:"replicas"`
		NextToken string        `json:"nextToken,omitempty"`
	}{Replicas: []replicaJSON{}, NextToken: next}
	for _, r := range page {
		out.Replicas = append(out.Replicas, replicaJSON{
			SourceStageArn:       src,
			ParticipantID:        pid,
			SourceSessionID:      r.participant.sess.id,
			DestinationStageArn:  r.replica.sess.stage.arn,
			DestinationSessionID: r.replica.sess.id,
			ReplicationState:     "ACTIVE",
		})
	}
	return success(out)
}
