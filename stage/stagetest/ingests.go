package stagetest

import (
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"time"
)

var (
	ingestARNPattern = regexp.MustCompile(`^arn:aws:ivs:[a-z0-9-]+:[0-9]+:ingest-configuration/[a-zA-Z0-9-]+$`)
	// ingestStageARNPattern is IngestConfigurationStageArn: a stage ARN or "" (detached from every stage).
	ingestStageARNPattern = regexp.MustCompile(`^$|^arn:aws:ivs:[a-z0-9-]+:[0-9]+:stage/[a-zA-Z0-9-]+$`)
	ingestProtocols       = []string{"RTMP", "RTMPS"}
	ingestStates          = []string{"ACTIVE", "INACTIVE"}
)

// ingestConfig is a stored ingest configuration; participantID is the participant it publishes as (fixed
// at creation, like the service's).
type ingestConfig struct {
	seq           int64
	arn           string
	name          string
	stageARN      string
	userID        string
	attributes    map[string]string
	protocol      string
	streamKey     string
	participantID string
	active        bool // ConnectIngest … DisconnectIngest
	tags          map[string]string
}

type ingestJSON struct {
	Name           string            `json:"name"`
	Arn            string            `json:"arn"`
	IngestProtocol string            `json:"ingestProtocol"`
	StreamKey      string            `json:"streamKey,omitempty"`
	StageArn       string            `json:"stageArn"`
	ParticipantID  string            `json:"participantId"`
	State          string            `json:"state"`
	UserID         string            `json:"userId,omitempty"`
	Attributes     map[string]string `json:"attributes,omitempty"`
	Tags           map[string]string `json:"tags,omitempty"`
}

func (in *ingestConfig) state() string {
	if in.active {
		return "ACTIVE"
	}
	return "INACTIVE"
}

// json is the IngestConfiguration, or without the stream key, attributes and tags the summary.
func (in *ingestConfig) json(summary bool) ingestJSON {
	out := ingestJSON{Name: in.name, Arn: in.arn, IngestProtocol: in.protocol, StageArn: in.stageARN,
		ParticipantID: in.participantID, State: in.state(), UserID: in.userID}
	if !summary {
		out.StreamKey = in.streamKey
		out.Attributes = maps.Clone(in.attributes)
		out.Tags = maps.Clone(in.tags)
	}
	return out
}

// ingestStage checks an optional IngestConfigurationStageArn member and that a non-empty one names a stage.
func (s *Server) ingestStage(c *checker, body object) string {
	arn, ok := c.str(body, "stageArn", "")
	if !ok {
		return ""
	}
	c.length("stageArn", arn, 0, maxARNLength)
	c.pattern("stageArn", arn, ingestStageARNPattern)
	if c.ok() && arn != "" && s.stages[arn] == nil {
		c.fail("stageArn", showARN(arn), "Member must be the ARN of an existing stage")
	}
	return arn
}

func (s *Server) createIngestConfiguration(body object, _ time.Time) response {
	var c checker
	name, _ := c.name(body, "name", "", stageNamePattern)
	stageARN := s.ingestStage(&c, body)
	userID, _ := c.str(body, "userId", "")
	c.length("userId", userID, 0, MaxUserIDLength)
	attrs, _ := c.strMap(body, "attributes", "")
	c.attributesSize("attributes", attrs)
	c.required(body, "ingestProtocol", "")
	protocol, ok := c.str(body, "ingestProtocol", "")
	if ok {
		c.enum("ingestProtocol", protocol, ingestProtocols)
	}
	insecure, _ := c.boolean(body, "insecureIngest", "")
	if protocol == "RTMP" && !insecure {
		c.fail("insecureIngest", "false", "Member must be true when ingestProtocol is RTMP")
	}
	tags := c.tags(body, "tags", "")
	if !c.ok() {
		return validationError("%s", c.message())
	}
	cs := s.compositionState()
	if len(cs.ingests) >= IngestConfigurationsQuota {
		return errorResponse(http.StatusPaymentRequired, "ServiceQuotaExceededException",
			"Request would cause a service quota to be exceeded: at most %d ingest configurations per account and region",
			IngestConfigurationsQuota)
	}
	in := &ingestConfig{
		seq:           s.nextSeq(),
		arn:           newARN("ingest-configuration", func(a string) bool { return cs.ingests[a] != nil }),
		name:          name,
		stageARN:      stageARN,
		userID:        userID,
		attributes:    attrs,
		protocol:      protocol,
		participantID: randomString(alnum, idLength),
		tags:          tags,
	}
	in.streamKey = fmt.Sprintf("rt_%s_%s_%s_%s", AccountID, Region, stageIDOrNone(stageARN), randomString(alnum, 32))
	cs.ingests[in.arn] = in
	return success(map[string]any{"ingestConfiguration": in.json(false)})
}

func stageIDOrNone(arn string) string {
	if arn == "" {
		return "none"
	}
	return stageID(arn)
}

func (s *Server) lookupIngest(body object) (*ingestConfig, response, bool) {
	return lookup(s.compositionState().ingests, body, "arn", ingestARNPattern, "Ingest configuration")
}

func (s *Server) getIngestConfiguration(body object, _ time.Time) response {
	in, errResp, found := s.lookupIngest(body)
	if !found {
		return errResp
	}
	return success(map[string]any{"ingestConfiguration": in.json(false)})
}

func (s *Server) updateIngestConfiguration(body object, _ time.Time) response {
	in, errResp, found := s.lookupIngest(body)
	if !found {
		return errResp
	}
	var c checker
	stageARN := s.ingestStage(&c, body)
	if !c.ok() {
		return validationError("%s", c.message())
	}
	if in.active {
		return errorResponse(http.StatusConflict, "ConflictException",
			"Ingest configuration %s is active (a publisher is connected); it can be updated only while inactive", in.arn)
	}
	in.stageARN = stageARN
	return success(map[string]any{"ingestConfiguration": in.json(false)})
}

func (s *Server) deleteIngestConfiguration(body object, now time.Time) response {
	in, errResp, found := s.lookupIngest(body)
	if !found {
		return errResp
	}
	var c checker
	force, _ := c.boolean(body, "force", "")
	if !c.ok() {
		return validationError("%s", c.message())
	}
	if in.active && !force {
		return errorResponse(http.StatusConflict, "ConflictException",
			"Ingest configuration %s is active (a publisher is connected); delete it with force", in.arn)
	}
	if in.active {
		s.disconnectIngest(in, now)
	}
	delete(s.compositionState().ingests, in.arn)
	return success(struct{}{})
}

func (s *Server) listIngestConfigurations(body object, _ time.Time) response {
	var c checker
	limit, token := c.page(body)
	if _, sent := member(body, "maxResults"); !sent {
		limit = MaxPageSize // the model documents no default; the fake pages by 100 like ListCompositions
	}
	byStage, _ := c.str(body, "filterByStageArn", "")
	if byStage != "" {
		c.length("filterByStageArn", byStage, 1, maxARNLength)
		c.pattern("filterByStageArn", byStage, stageARNPattern)
	}
	byState, hasState := c.str(body, "filterByState", "")
	if hasState {
		c.enum("filterByState", byState, ingestStates)
	}
	if !c.ok() {
		return validationError("%s", c.message())
	}
	matching := map[string]*ingestConfig{}
	for arn, in := range s.compositionState().ingests {
		if (byStage == "" || in.stageARN == byStage) && (!hasState || in.state() == byState) {
			matching[arn] = in
		}
	}
	page, next, err := paginate(matching, func(in *ingestConfig) int64 { return in.seq }, "ingestConfigurations", token, limit)
	if err != nil {
		return validationError("%v", err)
	}
	out := struct {
		IngestConfigurations []ingestJSON `json:"ingestConfigurations"`
		NextToken            string       `json:"nextToken,omitempty"`
	}{IngestConfigurations: []ingestJSON{}, NextToken: next}
	for _, in := range page {
		out.IngestConfigurations = append(out.IngestConfigurations, in.json(true))
	}
	return success(out)
}
