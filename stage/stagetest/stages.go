package stagetest

import (
	"encoding/base64"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// WithStageQuota sets how many stages may exist at once; CreateStage past it answers HTTP 402
// ServiceQuotaExceededException. n < 0 counts as 0. Default: [StagesQuota] (1,000).
func WithStageQuota(n int) Option {
	return func(o *options) {
		o.stageQuota = max(n, 0)
	}
}

// SetRecordingActive marks the stage's individual participant recording as active (or not). While it is
// active, an UpdateStage that carries autoParticipantRecordingConfiguration answers HTTP 409
// ConflictException, as the service documents. The mark may be set before the stage exists; DeleteStage
// clears it. Default: not active. The server also answers that 409 by itself while a participant's recording
// on the stage is STARTING, ACTIVE or STOPPING (see [Server.Publish]); the mark forces it regardless.
func (s *Server) SetRecordingActive(stageARN string, active bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if active {
		s.active[stageARN] = true
	} else {
		delete(s.active, stageARN)
	}
}

// stage is a stored stage.
type stage struct {
	seq       int64
	arn       string
	name      string
	sessionID string // the active session's ID, "" when none
	tags      map[string]string
	recording recordingConfig
	endpoints stageEndpoints
	sessions  []*session // every session, oldest first (sessions.go)
}

type stageEndpoints struct {
	Events string `json:"events"`
	Whip   string `json:"whip"`
	Rtmp   string `json:"rtmp"`
	Rtmps  string `json:"rtmps"`
}

// recordingConfig is the stored autoParticipantRecordingConfiguration, always complete; it marshals to the
// wire shape.
type recordingConfig struct {
	StorageConfigurationArn         string          `json:"storageConfigurationArn"`
	MediaTypes                      []string        `json:"mediaTypes"`
	ThumbnailConfiguration          thumbnailConfig `json:"thumbnailConfiguration"`
	RecordingReconnectWindowSeconds int64           `json:"recordingReconnectWindowSeconds"`
	HlsConfiguration                hlsConfig       `json:"hlsConfiguration"`
	RecordParticipantReplicas       bool            `json:"recordParticipantReplicas"`
}

type thumbnailConfig struct {
	TargetIntervalSeconds int64    `json:"targetIntervalSeconds"`
	Storage               []string `json:"storage"`
	RecordingMode         string   `json:"recordingMode"`
}

type hlsConfig struct {
	TargetSegmentDurationSeconds int64 `json:"targetSegmentDurationSeconds"`
}

func defaultRecording() recordingConfig {
	return recordingConfig{
		StorageConfigurationArn: "",
		MediaTypes:              []string{DefaultMediaType},
		ThumbnailConfiguration: thumbnailConfig{
			TargetIntervalSeconds: DefaultThumbnailIntervalSeconds,
			Storage:               []string{DefaultThumbnailStorage},
			RecordingMode:         DefaultThumbnailRecordingMode,
		},
		RecordingReconnectWindowSeconds: DefaultReconnectWindowSeconds,
		HlsConfiguration:                hlsConfig{TargetSegmentDurationSeconds: DefaultSegmentDurationSeconds},
		RecordParticipantReplicas:       DefaultRecordParticipantReplicas,
	}
}

// clone returns a deep copy, so that a marshalled response never aliases stored state.
func (r recordingConfig) clone() recordingConfig {
	r.MediaTypes = slices.Clone(r.MediaTypes)
	r.ThumbnailConfiguration.Storage = slices.Clone(r.ThumbnailConfiguration.Storage)
	return r
}

type stageJSON struct {
	Arn                                   string            `json:"arn"`
	Name                                  string            `json:"name"`
	ActiveSessionID                       string            `json:"activeSessionId"`
	Tags                                  map[string]string `json:"tags"`
	AutoParticipantRecordingConfiguration recordingConfig   `json:"autoParticipantRecordingConfiguration"`
	Endpoints                             stageEndpoints    `json:"endpoints"`
}

type stageSummaryJSON struct {
	Arn             string            `json:"arn"`
	Name            string            `json:"name"`
	ActiveSessionID string            `json:"activeSessionId"`
	Tags            map[string]string `json:"tags"`
}

func (st *stage) json() stageJSON {
	return stageJSON{
		Arn:                                   st.arn,
		Name:                                  st.name,
		ActiveSessionID:                       st.sessionID,
		Tags:                                  maps.Clone(st.tags),
		AutoParticipantRecordingConfiguration: st.recording.clone(),
		Endpoints:                             st.endpoints,
	}
}

func (s *Server) nextSeq() int64 {
	s.seq++
	return s.seq
}

// newARN returns an unused ARN of the given resource type.
func newARN(resource string, taken func(string) bool) string {
	for {
		arn := fmt.Sprintf("arn:aws:ivs:%s:%s:%s/%s", Region, AccountID, resource, randomString(alnum, idLength))
		if !taken(arn) {
			return arn
		}
	}
}

func (s *Server) createStage(body object, now time.Time) response {
	var c checker
	name, _ := c.name(body, "name", "", stageNamePattern)
	tags := c.tags(body, "tags", "")
	rec := defaultRecording()
	if o, ok := c.obj(body, "autoParticipantRecordingConfiguration", ""); ok {
		rec = c.recording(o, "autoParticipantRecordingConfiguration")
	}
	var specs []tokenSpec
	if l, ok := c.list(body, "participantTokenConfigurations", ""); ok {
		if len(l) > MaxParticipants {
			c.fail("participantTokenConfigurations", fmt.Sprintf("'<%d items>'", len(l)),
				fmt.Sprintf("Member must have length less than or equal to %d", MaxParticipants))
		}
		for i, item := range l {
			path := fmt.Sprintf("participantTokenConfigurations[%d]", i)
			o, isObj := item.(object)
			if !isObj {
				c.wrongType(path, item, "an object")
				continue
			}
			specs = append(specs, c.token(o, path))
		}
	}
	if c.ok() {
		s.checkStorageExists(&c, "autoParticipantRecordingConfiguration.storageConfigurationArn", rec.StorageConfigurationArn)
	}
	if !c.ok() {
		return validationError("%s", c.message())
	}
	if len(s.stages) >= s.quota {
		return errorResponse(http.StatusPaymentRequired, "ServiceQuotaExceededException",
			"Request would cause a service quota to be exceeded: at most %d stages per account and region", s.quota)
	}
	st := &stage{
		seq:       s.nextSeq(),
		arn:       newARN("stage", func(a string) bool { return s.stages[a] != nil }),
		name:      name,
		tags:      tags,
		recording: rec,
		endpoints: stageEndpoints{
			Events: "wss://global.events.live-video.net",
			Whip:   "https://" + randomString(lowerAlnum, endpointIDLength) + ".global-bm.whip.live-video.net",
		},
	}
	ingest := randomString(lowerAlnum, endpointIDLength)
	st.endpoints.Rtmp = "rtmp://" + ingest + ".global-contribute.live-video.net/app/"
	st.endpoints.Rtmps = "rtmps://" + ingest + ".global-contribute.live-video.net:443/app/"
	s.stages[st.arn] = st

	out := struct {
		Stage             stageJSON   `json:"stage"`
		ParticipantTokens []tokenJSON `json:"participantTokens,omitempty"`
	}{Stage: st.json()}
	for _, spec := range specs {
		out.ParticipantTokens = append(out.ParticipantTokens, s.issueFor(st.arn, spec, now))
	}
	return success(out)
}

// lookupStage validates the ARN member key of body and finds the stage.
func (s *Server) lookupStage(body object, key string) (*stage, response, bool) {
	return lookup(s.stages, body, key, stageARNPattern, "Stage")
}

func (s *Server) getStage(body object, _ time.Time) response {
	st, errResp, found := s.lookupStage(body, "arn")
	if !found {
		return errResp
	}
	return success(map[string]any{"stage": st.json()})
}

func (s *Server) updateStage(body object, _ time.Time) response {
	var c checker
	arn, _ := c.arn(body, "arn", "", stageARNPattern)
	name, setName := c.name(body, "name", "", stageNamePattern)
	var rec recordingConfig
	o, setRec := c.obj(body, "autoParticipantRecordingConfiguration", "")
	if setRec {
		rec = c.recording(o, "autoParticipantRecordingConfiguration")
	}
	if c.ok() && setRec {
		s.checkStorageExists(&c, "autoParticipantRecordingConfiguration.storageConfigurationArn", rec.StorageConfigurationArn)
	}
	if !c.ok() {
		return validationError("%s", c.message())
	}
	st := s.stages[arn]
	if st == nil {
		return notFound("Stage", arn)
	}
	if setRec && (s.active[arn] || s.recordingBusy(st)) {
		return errorResponse(http.StatusConflict, "ConflictException",
			"autoParticipantRecordingConfiguration cannot be updated while recording is active on stage %s", arn)
	}
	if setName {
		st.name = name
	}
	if setRec {
		st.recording = rec // replaces the whole object: members not sent are back to their defaults
	}
	return success(map[string]any{"stage": st.json()})
}

func (s *Server) deleteStage(body object, now time.Time) response {
	st, errResp, found := s.lookupStage(body, "arn")
	if !found {
		return errResp
	}
	s.shutDown(st, now) // "disconnecting all participants"
	s.compositionsStageDeleted(st, now)
	delete(s.stages, st.arn)
	delete(s.active, st.arn)
	return success(struct{}{})
}

func (s *Server) listStages(body object, _ time.Time) response {
	var c checker
	limit, token := c.page(body)
	if !c.ok() {
		return validationError("%s", c.message())
	}
	page, next, err := paginate(s.stages, func(st *stage) int64 { return st.seq }, "stages", token, limit)
	if err != nil {
		return validationError("%v", err)
	}
	out := struct {
		Stages    []stageSummaryJSON `json:"stages"`
		NextToken string             `json:"nextToken,omitempty"`
	}{Stages: []stageSummaryJSON{}, NextToken: next}
	for _, st := range page {
		out.Stages = append(out.Stages, stageSummaryJSON{
			Arn: st.arn, Name: st.name, ActiveSessionID: st.sessionID, Tags: maps.Clone(st.tags),
		})
	}
	return success(out)
}

// paginate orders the map's items by seq and returns the page that starts at token, and the token of the next page
// ("" on the last page). Tokens are base64url("<kind>:<seq of the first item of the page>"), so a page stays
// stable when earlier items are deleted.
func paginate[T any](m map[string]T, seq func(T) int64, kind, token string, limit int) ([]T, string, error) {
	items := make([]T, 0, len(m))
	for _, v := range m {
		items = append(items, v)
	}
	sort.Slice(items, func(i, j int) bool { return seq(items[i]) < seq(items[j]) })
	start := int64(0)
	if token != "" {
		raw, err := base64.RawURLEncoding.DecodeString(token)
		rest, found := strings.CutPrefix(string(raw), kind+":")
		n, perr := strconv.ParseInt(rest, 10, 64)
		if err != nil || !found || perr != nil {
			return nil, "", fmt.Errorf(
				"1 validation error detected: Value %s at 'nextToken' failed to satisfy constraint: Member must be a nextToken returned by a previous List%s call",
				show(token), strings.ToUpper(kind[:1])+kind[1:])
		}
		start = n
	}
	i := sort.Search(len(items), func(i int) bool { return seq(items[i]) >= start })
	items = items[i:]
	if len(items) <= limit {
		return items, "", nil
	}
	next := base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%s:%d", kind, seq(items[limit])))
	return items[:limit], next, nil
}
