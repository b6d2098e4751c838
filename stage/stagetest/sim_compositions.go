package stagetest

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"time"
)

// DetailTypeCompositionState is the detail-type of a composition's events: Session Start, Session End,
// Session Failure, Destination Start, Destination End (resources[0] is the composition's ARN).
const DetailTypeCompositionState = "IVS Composition State Change"

// compositionDetail is the detail of an "IVS Composition State Change" event (the user guide's EventBridge
// page).
type compositionDetail struct {
	EventName string `json:"event_name"`
	StageArn  string `json:"stage_arn"`
	ID        string `json:"id,omitempty"`
	ErrorCode string `json:"error_code,omitempty"`
	Reason    string `json:"reason,omitempty"`
}

func (s *Server) emitComposition(comp *composition, name, destID string, at time.Time, errorCode, reason string) {
	s.emit(DetailTypeCompositionState, comp.arn, at, compositionDetail{
		EventName: name, StageArn: comp.stageARN, ID: destID, ErrorCode: errorCode, Reason: reason,
	})
}

// compositionsByAge returns every stored composition, oldest first.
func (s *Server) compositionsByAge() []*composition {
	all := make([]*composition, 0, len(s.compositionState().compositions))
	for _, comp := range s.compositionState().compositions {
		all = append(all, comp)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].seq < all[j].seq })
	return all
}

// compositionPublishing tells a stage's running compositions that someone publishes there (busy) or that the
// last publisher stopped (quiet): CompositionIdleTimeout counts from then.
func (s *Server) compositionPublishing(st *stage, now time.Time) {
	if s.comp.compositions == nil {
		return
	}
	busy := false
	if sess := s.activeSession(st); sess != nil {
		busy = sess.publishers() > 0
	}
	for _, comp := range s.comp.compositions {
		if comp.stageARN != st.arn || !comp.end.IsZero() {
			continue
		}
		switch {
		case busy:
			comp.idleSince = time.Time{}
		case comp.idleSince.IsZero():
			comp.idleSince = now
		}
	}
}

// settleCompositions plays every composition up to now, in time order: STARTING becomes ACTIVE once the
// clock has moved past its start (Session Start, then Destination Start for each destination, and
// recording-started.json under each S3 destination's prefix, dated at the start); a composition stopped by
// StopComposition (STOPPING) becomes STOPPED once the clock has moved past the stop; one whose stage has
// had no publisher for CompositionIdleTimeout stops at the end of that minute; a STOPPED or FAILED
// composition is forgotten CompositionRetention after its end.
func (s *Server) settleCompositions(now time.Time) {
	if s.comp.compositions == nil {
		return
	}
	for _, comp := range s.compositionsByAge() {
		if comp.state == "STARTING" && now.After(comp.start) {
			s.activate(comp)
		}
		if comp.end.IsZero() && !comp.idleSince.IsZero() && now.Sub(comp.idleSince) > CompositionIdleTimeout {
			at := comp.idleSince.Add(CompositionIdleTimeout)
			if comp.stopAt.IsZero() || at.Before(comp.stopAt) {
				comp.stopAt = at
			}
		}
		if comp.end.IsZero() && !comp.stopAt.IsZero() && now.After(comp.stopAt) {
			if comp.state == "STARTING" {
				s.activate(comp)
			}
			s.endComposition(comp, comp.stopAt, "", "")
		}
		if !comp.end.IsZero() && now.Sub(comp.end) >= CompositionRetention {
			delete(s.comp.compositions, comp.arn)
			if s.comp.tokens[comp.token] == comp.arn {
				delete(s.comp.tokens, comp.token)
			}
		}
	}
}

// activate makes a STARTING composition ACTIVE, as of its start.
func (s *Server) activate(comp *composition) {
	if comp.stopAt.IsZero() {
		comp.state = "ACTIVE"
	}
	s.emitComposition(comp, "Session Start", "", comp.start, "", "")
	for _, d := range comp.destinations {
		d.start = comp.start
		if comp.stopAt.IsZero() {
			d.state = "ACTIVE"
		}
		s.emitComposition(comp, "Destination Start", d.id, comp.start, "", "")
		if d.prefix != "" {
			s.put(d.bucket, d.prefix+"/events/recording-started.json", compositeMetadata(comp, d, "RECORDING_STARTED", time.Time{}), comp.start)
		}
	}
}

// endComposition ends a composition at `at`: each destination ends (Destination End; an S3 destination's
// media and recording-ended.json are written), then Session End, or Session Failure with errorCode.
func (s *Server) endComposition(comp *composition, at time.Time, errorCode, reason string) {
	final := "STOPPED"
	if errorCode != "" {
		final = "FAILED"
	}
	for _, d := range comp.destinations {
		if !d.end.IsZero() {
			continue
		}
		d.state, d.end = final, at
		s.emitComposition(comp, "Destination End", d.id, at, "", "")
		if d.prefix != "" {
			d.media(func(key string, data []byte) { s.put(d.bucket, d.prefix+"/"+key, data, at) }, at.Sub(comp.start))
			s.put(d.bucket, d.prefix+"/events/recording-ended.json", compositeMetadata(comp, d, "RECORDING_ENDED", at), at)
		}
	}
	comp.state, comp.end = final, at
	if errorCode != "" {
		s.emitComposition(comp, "Session Failure", "", at, errorCode, reason)
	} else {
		s.emitComposition(comp, "Session End", "", at, "", "")
	}
}

// compositionsStageDeleted ends the stage's running compositions at once: FAILED, with a Session Failure
// StageDeleted (the error_code the user guide's table lists).
func (s *Server) compositionsStageDeleted(st *stage, now time.Time) {
	if s.comp.compositions == nil {
		return
	}
	for _, comp := range s.compositionsByAge() {
		if comp.stageARN == st.arn && comp.end.IsZero() {
			if comp.state == "STARTING" {
				s.activate(comp)
			}
			s.endComposition(comp, now, "StageDeleted", "The stage was deleted")
		}
	}
}

// compositeRendition is the rendition path of the fake's composite recordings (the guide's shape,
// "720p30-abcdeABCDE12").
const compositeRendition = "720p30-stagetest0001"

// media writes an S3 destination's HLS output for a composition that ran for d: a multivariant playlist,
// one rendition with a segment per started targetSegmentDurationSeconds, and the thumbnails asked for.
func (d *destination) media(put func(key string, data []byte), ran time.Duration) {
	put("media/hls/multivariant.m3u8", []byte("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n"+
		"#EXT-X-STREAM-INF:BANDWIDTH=2500000,RESOLUTION=1280x720\n"+compositeRendition+"/playlist.m3u8\n"))
	seg := time.Duration(d.segment) * time.Second
	n := max(1, int((ran+seg-1)/seg))
	pl := fmt.Sprintf("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:%d\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-MAP:URI=\"init.mp4\"\n", d.segment)
	put("media/hls/"+compositeRendition+"/init.mp4", []byte("stagetest init segment"))
	left := ran
	for i := 0; i < n; i++ {
		part := min(seg, max(left, 0))
		left -= part
		pl += fmt.Sprintf("#EXTINF:%.3f,\n%d.mp4\n", part.Seconds(), i)
		put(fmt.Sprintf("media/hls/%s/%d.mp4", compositeRendition, i), []byte("stagetest media segment"))
	}
	put("media/hls/"+compositeRendition+"/playlist.m3u8", []byte(pl+"#EXT-X-ENDLIST\n"))
	if slices.Contains(d.thumbs, "SEQUENTIAL") {
		put("media/thumbnails/1280x720/0.jpg", slices.Clone(jpeg))
	}
	if slices.Contains(d.thumbs, "LATEST") {
		put("media/latest_thumbnail/1280x720/thumb.jpg", slices.Clone(jpeg))
	}
}

type compositeMetadataJSON struct {
	Version            string             `json:"version"`
	StageArn           string             `json:"stage_arn"`
	RecordingStartedAt string             `json:"recording_started_at"`
	RecordingEndedAt   string             `json:"recording_ended_at,omitempty"`
	RecordingStatus    string             `json:"recording_status"`
	Media              compositeMetaMedia `json:"media"`
}

type compositeMetaMedia struct {
	HLS             *compositeMetaHLS   `json:"hls,omitempty"`
	Thumbnails      *compositeMetaThumb `json:"thumbnails,omitempty"`
	LatestThumbnail *compositeMetaThumb `json:"latest_thumbnail,omitempty"`
}

type compositeMetaHLS struct {
	DurationMs int64           `json:"duration_ms,omitempty"`
	Path       string          `json:"path"`
	Playlist   string          `json:"playlist"`
	Renditions []compositeRend `json:"renditions"`
}

type compositeRend struct {
	Path             string `json:"path"`
	Playlist         string `json:"playlist,omitempty"`
	ResolutionWidth  int    `json:"resolution_width"`
	ResolutionHeight int    `json:"resolution_height"`
}

type compositeMetaThumb struct {
	Path        string          `json:"path"`
	Resolutions []compositeRend `json:"resolutions"`
}

// compositeMetadata is an S3 destination's events/recording-*.json (the guide's composite recording
// metadata).
func compositeMetadata(comp *composition, d *destination, status string, ended time.Time) []byte {
	m := compositeMetadataJSON{
		Version:            "v1",
		StageArn:           comp.stageARN,
		RecordingStartedAt: comp.start.UTC().Format(time.RFC3339),
		RecordingStatus:    status,
	}
	if !ended.IsZero() {
		m.RecordingEndedAt = ended.UTC().Format(time.RFC3339)
		m.Media.HLS = &compositeMetaHLS{
			DurationMs: ended.Sub(comp.start).Milliseconds(),
			Path:       "media/hls",
			Playlist:   "multivariant.m3u8",
			Renditions: []compositeRend{{Path: compositeRendition, Playlist: "playlist.m3u8", ResolutionWidth: 1280, ResolutionHeight: 720}},
		}
		res := []compositeRend{{Path: "1280x720", ResolutionWidth: 1280, ResolutionHeight: 720}}
		if slices.Contains(d.thumbs, "SEQUENTIAL") {
			m.Media.Thumbnails = &compositeMetaThumb{Path: "media/thumbnails", Resolutions: res}
		}
		if slices.Contains(d.thumbs, "LATEST") {
			m.Media.LatestThumbnail = &compositeMetaThumb{Path: "media/latest_thumbnail", Resolutions: res}
		}
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		panic(fmt.Sprintf("stagetest: encoding composite metadata: %v", err)) // cannot happen: plain structs
	}
	return data
}

// ConnectIngest makes the publisher of an ingest configuration connect over its protocol (RTMP or RTMPS)
// and publish: the configuration becomes ACTIVE, and it joins its stage as a participant (its participantId,
// userId and attributes) that publishes at once, like [Server.Join] then [Server.Publish]. It refuses an
// unknown ARN, a configuration detached from every stage and one already active.
func (s *Server) ConnectIngest(arn string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.settle(now)
	in := s.compositionState().ingests[arn]
	switch {
	case in == nil:
		return fmt.Errorf("stagetest: ConnectIngest: no ingest configuration %s", showARN(arn))
	case in.active:
		return fmt.Errorf("stagetest: ConnectIngest: ingest configuration %s is already active", arn)
	case in.stageARN == "" || s.stages[in.stageARN] == nil:
		return fmt.Errorf("stagetest: ConnectIngest: ingest configuration %s has no stage", arn)
	}
	st := s.stages[in.stageARN]
	sess := s.activeSession(st)
	if sess == nil {
		sess = s.startSession(st, now)
	}
	p := sess.participants[in.participantID]
	if p == nil {
		p = s.newParticipant(sess, in.participantID, now)
		p.userID, p.attributes = in.userID, in.attributes
	}
	p.protocol = in.protocol
	p.canPublish, p.canSubscribe = true, false
	p.connected = true
	p.addEvent(participantEvent{Name: "JOINED", EventTime: now})
	s.startPublishing(p, now)
	in.active = true
	return nil
}

// DisconnectIngest makes an active ingest configuration's publisher stop and leave its stage; the
// configuration becomes INACTIVE. It refuses an unknown ARN and one that is not active.
func (s *Server) DisconnectIngest(arn string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.settle(now)
	in := s.compositionState().ingests[arn]
	switch {
	case in == nil:
		return fmt.Errorf("stagetest: DisconnectIngest: no ingest configuration %s", showARN(arn))
	case !in.active:
		return fmt.Errorf("stagetest: DisconnectIngest: ingest configuration %s is not active", arn)
	}
	s.disconnectIngest(in, now)
	return nil
}

func (s *Server) disconnectIngest(in *ingestConfig, now time.Time) {
	in.active = false
	if st := s.stages[in.stageARN]; st != nil {
		if p := s.findParticipant(s.activeSession(st), in.participantID); p != nil && p.connected {
			s.leave(p, now)
		}
	}
}
