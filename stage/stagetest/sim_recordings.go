package stagetest

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Recording state values (Participant.recordingState).
const (
	recStarting = "STARTING"
	recActive   = "ACTIVE"
	recStopping = "STOPPING"
	recStopped  = "STOPPED"
	recFailed   = "FAILED"
)

// Recording Start Failure of a missing bucket, worded as the user guide's error table.
const (
	bucketMissingCode   = "ResourceNotFoundException"
	bucketMissingReason = "S3 bucket not found. Please verify your bucket exists."
)

// prefixTimeLayout is the timestamp component of a recording prefix (the user guide's 2024-01-01T12-00-55Z).
const prefixTimeLayout = "2006-01-02T15-04-05Z"

// recordingRun is one individual participant recording (possibly merged from several publishes).
type recordingRun struct {
	storageARN string
	bucket     string
	prefix     string
	cfg        recordingConfig // the stage's configuration when the recording started
	state      string
	startedAt  time.Time
	fragStart  time.Time       // start of the publish being recorded (STARTING, ACTIVE)
	stopAt     time.Time       // when STOPPING began
	parts      []time.Duration // publishing time of each finished fragment (a resumed publish adds one)
}

// recorded is the recording's duration: the sum of its fragments' publishing time.
func (r *recordingRun) recorded() time.Duration {
	var d time.Duration
	for _, p := range r.parts {
		d += p
	}
	return d
}

func (r *recordingRun) inProgress() bool {
	return r.state == recStarting || r.state == recActive || r.state == recStopping
}

func (r *recordingRun) window() time.Duration {
	return time.Duration(r.cfg.RecordingReconnectWindowSeconds) * time.Second
}

// storageBucket returns the bucket of a storage configuration ("" when the server does not hold it).
func (s *Server) storageBucket(arn string) string {
	if sc := s.storage[arn]; sc != nil {
		return sc.bucket
	}
	return ""
}

// SetBucketMissing makes a bucket "not exist" (missing true) or exist again. While it is missing, a
// publish that would start a recording into it gets a Recording Start Failure event (error_code
// ResourceNotFoundException, reason "S3 bucket not found. Please verify your bucket exists."), the
// participant's recordingState is FAILED and nothing is written. Default: every bucket exists.
func (s *Server) SetBucketMissing(bucketName string, missing bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if missing {
		s.play.missing[bucketName] = true
	} else {
		delete(s.play.missing, bucketName)
	}
}

// Objects returns what recordings wrote to bucket so far (first settling time-based transitions up to the
// clock's now): object key → content, a copy. Empty when nothing was written.
func (s *Server) Objects(bucket string) map[string][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(s.now())
	out := make(map[string][]byte, len(s.play.objects[bucket]))
	for k, v := range s.play.objects[bucket] {
		out[k] = slices.Clone(v)
	}
	return out
}

func (s *Server) put(bucket, key string, data []byte, at time.Time) {
	s.touch(bucket, key, at)
	b := s.play.objects[bucket]
	if b == nil {
		b = map[string][]byte{}
		s.play.objects[bucket] = b
	}
	b[key] = data
}

// recordingBusy reports whether any participant of the stage's active session has a recording in progress.
func (s *Server) recordingBusy(st *stage) bool {
	sess := s.activeSession(st)
	if sess == nil {
		return false
	}
	for _, p := range sess.participants {
		if p.rec != nil && p.rec.inProgress() {
			return true
		}
	}
	return false
}

// startRecording starts (or, within the reconnect window, resumes) p's recording when its stage records.
func (s *Server) startRecording(p *participant, now time.Time) {
	cfg := p.sess.stage.recording
	if cfg.StorageConfigurationArn == "" || (p.source != nil && !cfg.RecordParticipantReplicas) {
		return
	}
	if r := p.rec; r != nil && r.state == recStopping && r.storageARN == cfg.StorageConfigurationArn &&
		r.window() > 0 && now.Sub(r.stopAt) <= r.window() {
		r.state, r.fragStart = recActive, now // merged: same prefix, no second Recording Start
		delete(s.play.pending, p)
		return
	}
	r := &recordingRun{
		storageARN: cfg.StorageConfigurationArn,
		bucket:     s.storageBucket(cfg.StorageConfigurationArn),
		prefix:     strings.Join([]string{stageID(p.sess.stage.arn), p.sess.id, p.id, now.UTC().Format(prefixTimeLayout)}, "/"),
		cfg:        cfg.clone(),
		startedAt:  now,
		fragStart:  now,
	}
	p.rec = r
	if s.play.missing[r.bucket] {
		r.state = recFailed
		s.emitRecording(p, "Recording Start Failure", now, nil, bucketMissingCode, bucketMissingReason)
		return
	}
	r.state = recStarting
	s.play.pending[p] = true
	s.put(r.bucket, r.prefix+"/events/recording-started.json", s.metadata(p, "RECORDING_STARTED", time.Time{}), now)
	s.emitRecording(p, "Recording Start", now, nil, "", "")
}

// stopRecording moves p's recording to STOPPING (STOPPED at once when the reconnect window is 0).
func (s *Server) stopRecording(p *participant, now time.Time) {
	r := p.rec
	if r == nil || (r.state != recStarting && r.state != recActive) {
		return
	}
	r.parts = append(r.parts, now.Sub(r.fragStart))
	r.state, r.stopAt = recStopping, now
	if r.window() == 0 {
		delete(s.play.pending, p)
		s.finishRecording(p, now)
		return
	}
	s.play.pending[p] = true
}

// settle applies every time-based transition due by now, in time order: a STARTING recording becomes ACTIVE
// once the clock has moved past its start; a STOPPING recording whose reconnect window has passed
// (now − stop > window) becomes STOPPED at stop + window, and its session may end then.
func (s *Server) settle(now time.Time) {
	type due struct {
		at time.Time
		p  *participant
	}
	var ends []due
	for p := range s.play.pending {
		switch r := p.rec; r.state {
		case recStarting:
			if now.After(r.startedAt) {
				r.state = recActive
				delete(s.play.pending, p)
			}
		case recStopping:
			if now.Sub(r.stopAt) > r.window() {
				ends = append(ends, due{at: r.stopAt.Add(r.window()), p: p})
			}
		default:
			delete(s.play.pending, p)
		}
	}
	sort.Slice(ends, func(i, j int) bool {
		if !ends[i].at.Equal(ends[j].at) {
			return ends[i].at.Before(ends[j].at)
		}
		return ends[i].p.seq < ends[j].p.seq
	})
	for _, e := range ends {
		delete(s.play.pending, e.p)
		s.finishRecording(e.p, e.at)
	}
	s.settleCompositions(now)
}

// finishRecording ends p's recording at `at`: STOPPED, the HLS output and thumbnails, recording-ended.json,
// a Recording End event; the session may end.
func (s *Server) finishRecording(p *participant, at time.Time) {
	r := p.rec
	r.state = recStopped
	r.cfg.media(func(key string, data []byte) { s.put(r.bucket, r.prefix+"/"+key, data, at) }, r.parts)
	s.put(r.bucket, r.prefix+"/events/recording-ended.json", s.metadata(p, "RECORDING_ENDED", at), at)
	ms := r.recorded().Milliseconds()
	s.emitRecording(p, "Recording End", at, &ms, "", "")
	s.maybeEndSession(p.sess, at)
}

// hls reports whether the configuration records media (mediaTypes other than NONE).
func (c recordingConfig) hls() bool { return !slices.Contains(c.MediaTypes, "NONE") }

func (c recordingConfig) thumbnails(storage string) bool {
	t := c.ThumbnailConfiguration
	return t.RecordingMode == "INTERVAL" && slices.Contains(t.Storage, storage)
}

// jpeg is the content of every thumbnail: the smallest byte sequence that starts and ends like a JPEG.
var jpeg = []byte{0xFF, 0xD8, 0xFF, 0xD9}

// media writes the media objects of a finished recording made of parts (each fragment's publishing time)
// through put: the HLS multivariant and media playlists with placeholder fMP4 segments (a discontinuity and a
// new init segment where a fragment was stitched on), and the thumbnails the configuration asks for (one per
// started interval of the whole recording, at least one).
func (c recordingConfig) media(put func(key string, data []byte), parts []time.Duration) {
	var total time.Duration
	for _, p := range parts {
		total += p
	}
	if c.hls() {
		put("media/hls/multivariant.m3u8", []byte("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n"+
			"#EXT-X-STREAM-INF:BANDWIDTH=2500000,RESOLUTION=1280x720\nhigh/playlist.m3u8\n"))
		target := c.HlsConfiguration.TargetSegmentDurationSeconds
		seg := time.Duration(target) * time.Second
		var pl strings.Builder
		fmt.Fprintf(&pl, "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:%d\n#EXT-X-PLAYLIST-TYPE:VOD\n", target)
		n := 0
		for k, part := range parts {
			if k > 0 {
				pl.WriteString("#EXT-X-DISCONTINUITY\n")
			}
			fmt.Fprintf(&pl, "#EXT-X-MAP:URI=\"init-%d.mp4\"\n", k)
			put(fmt.Sprintf("media/hls/high/init-%d.mp4", k), []byte("stagetest init segment"))
			for left := part; left > 0 || n == 0; n++ {
				d := min(seg, left)
				left -= d
				fmt.Fprintf(&pl, "#EXTINF:%.3f,\n%d.mp4\n", d.Seconds(), n)
				put(fmt.Sprintf("media/hls/high/%d.mp4", n), []byte("stagetest media segment"))
			}
		}
		pl.WriteString("#EXT-X-ENDLIST\n")
		put("media/hls/high/playlist.m3u8", []byte(pl.String()))
	}
	interval := time.Duration(c.ThumbnailConfiguration.TargetIntervalSeconds) * time.Second
	if c.thumbnails("SEQUENTIAL") {
		n := max(1, int((total+interval-1)/interval))
		for i := 1; i <= n; i++ {
			put(fmt.Sprintf("media/thumbnails/high/%d.jpg", i), slices.Clone(jpeg))
		}
	}
	if c.thumbnails("LATEST") {
		put("media/latest_thumbnail/high/thumb.jpg", slices.Clone(jpeg))
	}
}

// metadataJSON is a recording's events/*.json file (reference §2).
type metadataJSON struct {
	Version            string        `json:"version"`
	StageArn           string        `json:"stage_arn"`
	SessionID          string        `json:"session_id"`
	ParticipantID      string        `json:"participant_id"`
	RecordingStartedAt string        `json:"recording_started_at,omitempty"`
	RecordingEndedAt   string        `json:"recording_ended_at,omitempty"`
	RecordingStatus    string        `json:"recording_status"`
	Media              metadataMedia `json:"media"`
}

type metadataMedia struct {
	HLS             *metadataHLS   `json:"hls,omitempty"`
	Thumbnails      *metadataThumb `json:"thumbnails,omitempty"`
	LatestThumbnail *metadataThumb `json:"latest_thumbnail,omitempty"`
}

type metadataHLS struct {
	DurationMs *int64              `json:"duration_ms,omitempty"`
	Path       string              `json:"path"`
	Playlist   string              `json:"playlist"`
	Renditions []map[string]string `json:"renditions"`
}

type metadataThumb struct {
	Path       string              `json:"path"`
	Renditions []map[string]string `json:"renditions"`
}

// metadata renders p's recording metadata file with the given status; ended is zero for RECORDING_STARTED.
func (s *Server) metadata(p *participant, status string, ended time.Time) []byte {
	r := p.rec
	m := metadataJSON{
		Version:            "v1",
		StageArn:           p.sess.stage.arn,
		SessionID:          p.sess.id,
		ParticipantID:      p.id,
		RecordingStartedAt: r.startedAt.UTC().Format(time.RFC3339),
		RecordingStatus:    status,
	}
	if r.cfg.hls() {
		m.Media.HLS = &metadataHLS{Path: "media/hls", Playlist: "multivariant.m3u8",
			Renditions: []map[string]string{{"path": "high", "playlist": "playlist.m3u8"}}}
	}
	if !ended.IsZero() {
		m.RecordingEndedAt = ended.UTC().Format(time.RFC3339)
		if m.Media.HLS != nil {
			ms := r.recorded().Milliseconds()
			m.Media.HLS.DurationMs = &ms
		}
	}
	if r.cfg.thumbnails("SEQUENTIAL") {
		m.Media.Thumbnails = &metadataThumb{Path: "media/thumbnails", Renditions: []map[string]string{{"path": "high"}}}
	}
	if r.cfg.thumbnails("LATEST") {
		m.Media.LatestThumbnail = &metadataThumb{Path: "media/latest_thumbnail", Renditions: []map[string]string{{"path": "high"}}}
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		panic(fmt.Sprintf("stagetest: encoding recording metadata: %v", err)) // cannot happen: plain structs
	}
	return data
}
