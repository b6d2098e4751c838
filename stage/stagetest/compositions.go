package stagetest

import (
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"time"
)

var (
	compositionARNPattern = regexp.MustCompile(`^arn:aws:ivs:[a-z0-9-]+:[0-9]+:composition/[a-zA-Z0-9-]+$`)
	channelARNPattern     = regexp.MustCompile(`^arn:aws:ivs:[a-z0-9-]+:[0-9]+:channel/[a-zA-Z0-9-]+$`)
	compositionTokenRE    = regexp.MustCompile(`^[a-zA-Z0-9-_]*$`)
	videoAspectRatios     = []string{"AUTO", "VIDEO", "SQUARE", "PORTRAIT"}
	videoFillModes        = []string{"FILL", "COVER", "CONTAIN"}
	pipBehaviors          = []string{"STATIC", "DYNAMIC"}
	pipPositions          = []string{"TOP_LEFT", "TOP_RIGHT", "BOTTOM_LEFT", "BOTTOM_RIGHT"}
	thumbnailStorages     = []string{"SEQUENTIAL", "LATEST"}
)

// compState holds compositions, encoder and ingest configurations (made on first use).
type compState struct {
	compositions map[string]*composition
	encoders     map[string]*encoderConfig
	ingests      map[string]*ingestConfig
	tokens       map[string]string // idempotencyToken → composition ARN
}

func (s *Server) compositionState() *compState {
	if s.comp.compositions == nil {
		s.comp = compState{
			compositions: map[string]*composition{},
			encoders:     map[string]*encoderConfig{},
			ingests:      map[string]*ingestConfig{},
			tokens:       map[string]string{},
		}
	}
	return &s.comp
}

// destination is one destination of a composition.
type destination struct {
	id         string
	name       string
	state      string
	start, end time.Time
	config     object // as sent, with the defaults filled in
	channelARN string
	encoders   []string
	storageARN string
	bucket     string
	prefix     string // "" for a channel
	segment    int64
	thumbs     []string // thumbnail storages, none when no thumbnailConfigurations
}

// composition is a stored composition.
type composition struct {
	seq          int64
	arn          string
	stageARN     string
	token        string
	state        string
	start, end   time.Time
	stopAt       time.Time // Stop called
	idleSince    time.Time // when its stage last had no publisher (zero: someone publishes)
	layout       object
	destinations []*destination
	tags         map[string]string
}

func (comp *composition) usesEncoder(arn string) bool {
	for _, d := range comp.destinations {
		if slices.Contains(d.encoders, arn) {
			return true
		}
	}
	return false
}

type destinationJSON struct {
	ID            string `json:"id"`
	State         string `json:"state"`
	StartTime     string `json:"startTime,omitempty"`
	EndTime       string `json:"endTime,omitempty"`
	Configuration object `json:"configuration,omitempty"`
	Detail        *struct {
		S3 struct {
			RecordingPrefix string `json:"recordingPrefix"`
		} `json:"s3"`
	} `json:"detail,omitempty"`
}

type compositionJSON struct {
	Arn          string            `json:"arn"`
	StageArn     string            `json:"stageArn"`
	State        string            `json:"state"`
	Layout       object            `json:"layout,omitempty"`
	Destinations []destinationJSON `json:"destinations"`
	Tags         map[string]string `json:"tags"`
	StartTime    string            `json:"startTime,omitempty"`
	EndTime      string            `json:"endTime,omitempty"`
}

func optTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return wireTime(t)
}

// json is the Composition, or (summary) the CompositionSummary of the wire.
func (comp *composition) json(summary bool) compositionJSON {
	out := compositionJSON{Arn: comp.arn, StageArn: comp.stageARN, State: comp.state, Tags: maps.Clone(comp.tags),
		StartTime: optTime(comp.start), EndTime: optTime(comp.end), Destinations: []destinationJSON{}}
	if !summary {
		out.Layout = comp.layout
	}
	for _, d := range comp.destinations {
		dj := destinationJSON{ID: d.id, State: d.state, StartTime: optTime(d.start), EndTime: optTime(d.end)}
		if !summary {
			dj.Configuration = d.config
			if d.prefix != "" {
				dj.Detail = &struct {
					S3 struct {
						RecordingPrefix string `json:"recordingPrefix"`
					} `json:"s3"`
				}{}
				dj.Detail.S3.RecordingPrefix = d.prefix
			}
		}
		out.Destinations = append(out.Destinations, dj)
	}
	return out
}

// optEnum checks an optional enum member and returns it, or def.
func (c *checker) optEnum(o object, key, path string, values []string, def string) string {
	if v, ok := c.str(o, key, path); ok {
		c.enum(join(path, key), v, values)
		return v
	}
	return def
}

// atLeast checks an optional integer member ≥ lo and returns it, or def.
func (c *checker) atLeast(o object, key, path string, lo, def int64) int64 {
	if n, ok := c.integer(o, key, path); ok {
		c.between(join(path, key), n, lo, 1<<31-1)
		return n
	}
	return def
}

// layout checks a LayoutConfiguration and returns it with the service's defaults filled in (a grid when
// none is sent).
func (c *checker) layout(body object) object {
	o, sent := c.obj(body, "layout", "")
	if !sent {
		o = object{}
	}
	_, hasPip := member(o, "pip")
	if g, ok := c.obj(o, "grid", "layout"); ok || !hasPip {
		if g == nil {
			g = object{}
		}
		p := "layout.grid"
		featured, _ := c.name(g, "featuredParticipantAttribute", p, stageNamePattern)
		order, _ := c.name(g, "participantOrderAttribute", p, stageNamePattern)
		omit, _ := c.boolean(g, "omitStoppedVideo", p)
		grid := object{
			"featuredParticipantAttribute": featured,
			"participantOrderAttribute":    order,
			"omitStoppedVideo":             omit,
			"videoAspectRatio":             c.optEnum(g, "videoAspectRatio", p, videoAspectRatios, "VIDEO"),
			"videoFillMode":                c.optEnum(g, "videoFillMode", p, videoFillModes, "COVER"),
			"gridGap":                      c.atLeast(g, "gridGap", p, 0, 2),
		}
		return object{"grid": grid}
	}
	pp, _ := c.obj(o, "pip", "layout")
	p := "layout.pip"
	featured, _ := c.name(pp, "featuredParticipantAttribute", p, stageNamePattern)
	order, _ := c.name(pp, "participantOrderAttribute", p, stageNamePattern)
	pipAttr, _ := c.name(pp, "pipParticipantAttribute", p, stageNamePattern)
	omit, _ := c.boolean(pp, "omitStoppedVideo", p)
	pip := object{
		"featuredParticipantAttribute": featured,
		"participantOrderAttribute":    order,
		"pipParticipantAttribute":      pipAttr,
		"omitStoppedVideo":             omit,
		"videoFillMode":                c.optEnum(pp, "videoFillMode", p, videoFillModes, "COVER"),
		"gridGap":                      c.atLeast(pp, "gridGap", p, 0, 0),
		"pipBehavior":                  c.optEnum(pp, "pipBehavior", p, pipBehaviors, "STATIC"),
		"pipOffset":                    c.atLeast(pp, "pipOffset", p, 0, 0),
		"pipPosition":                  c.optEnum(pp, "pipPosition", p, pipPositions, "BOTTOM_RIGHT"),
	}
	if n := c.atLeast(pp, "pipWidth", p, 1, 0); n > 0 {
		pip["pipWidth"] = n
	}
	if n := c.atLeast(pp, "pipHeight", p, 1, 0); n > 0 {
		pip["pipHeight"] = n
	}
	return object{"pip": pip}
}

// destinationsOf checks the destinations member; each S3 destination's configuration gets its defaults.
func (s *Server) destinationsOf(c *checker, body object) []*destination {
	c.required(body, "destinations", "")
	l, ok := c.list(body, "destinations", "")
	if !ok {
		return nil
	}
	if len(l) < 1 || len(l) > MaxCompositionDestinations {
		c.fail("destinations", fmt.Sprintf("'<%d destinations>'", len(l)),
			fmt.Sprintf("Member must have length between 1 and %d", MaxCompositionDestinations))
	}
	var out []*destination
	channels, s3s := 0, 0
	for i, item := range l {
		p := fmt.Sprintf("destinations[%d]", i)
		o, isObj := item.(object)
		if !isObj {
			c.wrongType(p, item, "an object")
			continue
		}
		d := &destination{config: object{}}
		d.name, _ = c.name(o, "name", p, stageNamePattern)
		d.config["name"] = d.name
		ch, hasCh := c.obj(o, "channel", p)
		s3, hasS3 := c.obj(o, "s3", p)
		if hasCh == hasS3 {
			c.fail(p, "'<destination>'", "Either a channel or an s3 must be specified")
		}
		if hasCh {
			channels++
			pc := p + ".channel"
			d.channelARN, _ = c.arn(ch, "channelArn", pc, channelARNPattern)
			cfg := object{"channelArn": d.channelARN}
			if e, ok := c.str(ch, "encoderConfigurationArn", pc); ok {
				c.length(pc+".encoderConfigurationArn", e, 1, maxARNLength)
				c.pattern(pc+".encoderConfigurationArn", e, encoderARNPattern)
				s.checkEncoderExists(c, pc+".encoderConfigurationArn", e)
				d.encoders = []string{e}
				cfg["encoderConfigurationArn"] = e
			}
			d.config["channel"] = cfg
		}
		if hasS3 {
			s3s++
			d.config["s3"] = s.s3Destination(c, d, s3, p+".s3")
		}
		out = append(out, d)
	}
	if channels > 1 || s3s > 1 {
		c.fail("destinations", fmt.Sprintf("'<%d channel, %d s3>'", channels, s3s),
			"Member must hold at most one channel and one s3 destination")
	}
	return out
}

func (s *Server) checkEncoderExists(c *checker, path, arn string) {
	if encoderARNPattern.MatchString(arn) && s.compositionState().encoders[arn] == nil {
		c.fail(path, "'"+arn+"'", "Member must be the ARN of an existing encoder configuration")
	}
}

func (s *Server) s3Destination(c *checker, d *destination, o object, p string) object {
	d.storageARN, _ = c.arn(o, "storageConfigurationArn", p, storageARNPattern)
	if d.storageARN != "" && storageARNPattern.MatchString(d.storageARN) {
		s.checkStorageExists(c, p+".storageConfigurationArn", d.storageARN)
	}
	c.required(o, "encoderConfigurationArns", p)
	if l, ok := c.strList(o, "encoderConfigurationArns", p); ok {
		pe := p + ".encoderConfigurationArns"
		c.listLength(pe, l, 1, 1)
		for i, e := range l {
			pi := fmt.Sprintf("%s[%d]", pe, i)
			c.length(pi, e, 1, maxARNLength)
			c.pattern(pi, e, encoderARNPattern)
			s.checkEncoderExists(c, pi, e)
		}
		d.encoders = l
	}
	d.segment = DefaultCompositeHLSSegmentSeconds
	if r, ok := c.obj(o, "recordingConfiguration", p); ok {
		pr := p + ".recordingConfiguration"
		c.optEnum(r, "format", pr, []string{"HLS"}, "HLS")
		if h, ok := c.obj(r, "hlsConfiguration", pr); ok {
			if n, ok := c.integer(h, "targetSegmentDurationSeconds", pr+".hlsConfiguration"); ok {
				c.between(pr+".hlsConfiguration.targetSegmentDurationSeconds", n, MinHLSSegmentSeconds, MaxHLSSegmentSeconds)
				d.segment = n
			}
		}
	}
	cfg := object{
		"storageConfigurationArn":  d.storageARN,
		"encoderConfigurationArns": d.encoders,
		"recordingConfiguration": object{"format": "HLS",
			"hlsConfiguration": object{"targetSegmentDurationSeconds": d.segment}},
	}
	if l, ok := c.list(o, "thumbnailConfigurations", p); ok {
		pt := p + ".thumbnailConfigurations"
		if len(l) > 1 {
			c.fail(pt, fmt.Sprintf("'<%d thumbnail configurations>'", len(l)), "Member must have length less than or equal to 1")
		}
		var thumbs []any
		for i, item := range l {
			pi := fmt.Sprintf("%s[%d]", pt, i)
			t, isObj := item.(object)
			if !isObj {
				c.wrongType(pi, item, "an object")
				continue
			}
			interval := int64(DefaultThumbnailIntervalSeconds)
			if n, ok := c.integer(t, "targetIntervalSeconds", pi); ok {
				c.between(pi+".targetIntervalSeconds", n, 1, MaxCompositeThumbnailIntervalSeconds)
				interval = n
			}
			storage := []string{DefaultThumbnailStorage}
			if st, ok := c.strList(t, "storage", pi); ok {
				c.enumList(pi+".storage", st, 2, thumbnailStorages, true)
				storage = st
			}
			d.thumbs = storage
			thumbs = append(thumbs, object{"targetIntervalSeconds": interval, "storage": storage})
		}
		cfg["thumbnailConfigurations"] = thumbs
	}
	return cfg
}

// running counts the compositions not yet STOPPED or FAILED, in all and on stageARN.
func (s *Server) running(stageARN string) (all, onStage int) {
	for _, comp := range s.compositionState().compositions {
		if comp.end.IsZero() {
			all++
			if comp.stageARN == stageARN {
				onStage++
			}
		}
	}
	return all, onStage
}

func (s *Server) startComposition(body object, now time.Time) response {
	var c checker
	stageARN, _ := c.arn(body, "stageArn", "", stageARNPattern)
	token, hasToken := c.str(body, "idempotencyToken", "")
	if hasToken {
		c.length("idempotencyToken", token, 1, MaxIdempotencyTokenLength)
		c.pattern("idempotencyToken", token, compositionTokenRE)
	}
	layout := c.layout(body)
	dests := s.destinationsOf(&c, body)
	tags := c.tags(body, "tags", "")
	if !c.ok() {
		return validationError("%s", c.message())
	}
	cs := s.compositionState()
	if arn, seen := cs.tokens[token]; hasToken && seen {
		if comp := cs.compositions[arn]; comp != nil {
			return success(map[string]any{"composition": comp.json(false)})
		}
	}
	st := s.stages[stageARN]
	if st == nil {
		return notFound("Stage", stageARN)
	}
	all, onStage := s.running(stageARN)
	if all >= CompositionsQuota || onStage >= CompositionsPerStageQuota {
		return errorResponse(http.StatusPaymentRequired, "ServiceQuotaExceededException",
			"Request would cause a service quota to be exceeded: at most %d compositions per account and region, %d per stage",
			CompositionsQuota, CompositionsPerStageQuota)
	}
	comp := &composition{
		seq:          s.nextSeq(),
		arn:          newARN("composition", func(a string) bool { return cs.compositions[a] != nil }),
		stageARN:     stageARN,
		token:        token,
		state:        "STARTING",
		start:        now,
		layout:       layout,
		destinations: dests,
		tags:         tags,
	}
	if sess := s.activeSession(st); sess == nil || sess.publishers() == 0 {
		comp.idleSince = now
	}
	for _, d := range dests {
		d.id = randomString(alnum, idLength)
		d.state = "STARTING"
		if d.storageARN != "" {
			d.bucket = s.storageBucket(d.storageARN)
			d.prefix = stageID(stageARN) + "/" + idOf(comp.arn) + "/" + d.id + "/composite"
		}
	}
	cs.compositions[comp.arn] = comp
	if hasToken {
		cs.tokens[token] = comp.arn
	}
	return success(map[string]any{"composition": comp.json(false)})
}

// idOf is the last segment of an ARN.
func idOf(arn string) string {
	for i := len(arn) - 1; i >= 0; i-- {
		if arn[i] == '/' {
			return arn[i+1:]
		}
	}
	return arn
}

func (s *Server) lookupComposition(body object) (*composition, response, bool) {
	return lookup(s.compositionState().compositions, body, "arn", compositionARNPattern, "Composition")
}

func (s *Server) getComposition(body object, _ time.Time) response {
	comp, errResp, found := s.lookupComposition(body)
	if !found {
		return errResp
	}
	return success(map[string]any{"composition": comp.json(false)})
}

func (s *Server) stopComposition(body object, now time.Time) response {
	comp, errResp, found := s.lookupComposition(body)
	if !found {
		return errResp
	}
	if comp.end.IsZero() && comp.stopAt.IsZero() {
		comp.stopAt = now
		comp.state = "STOPPING"
		for _, d := range comp.destinations {
			if d.end.IsZero() {
				d.state = "STOPPING"
			}
		}
	}
	return success(struct{}{})
}

func (s *Server) listCompositions(body object, _ time.Time) response {
	var c checker
	limit, token := c.page(body)
	if _, sent := member(body, "maxResults"); !sent {
		limit = MaxPageSize // "Default: 100"
	}
	byStage, _ := c.str(body, "filterByStageArn", "")
	if byStage != "" {
		c.length("filterByStageArn", byStage, 1, maxARNLength)
		c.pattern("filterByStageArn", byStage, stageARNPattern)
	}
	byEncoder, _ := c.str(body, "filterByEncoderConfigurationArn", "")
	if byEncoder != "" {
		c.length("filterByEncoderConfigurationArn", byEncoder, 1, maxARNLength)
		c.pattern("filterByEncoderConfigurationArn", byEncoder, encoderARNPattern)
	}
	if !c.ok() {
		return validationError("%s", c.message())
	}
	matching := map[string]*composition{}
	for arn, comp := range s.compositionState().compositions {
		if (byStage == "" || comp.stageARN == byStage) && (byEncoder == "" || comp.usesEncoder(byEncoder)) {
			matching[arn] = comp
		}
	}
	page, next, err := paginate(matching, func(comp *composition) int64 { return comp.seq }, "compositions", token, limit)
	if err != nil {
		return validationError("%v", err)
	}
	out := struct {
		Compositions []compositionJSON `json:"compositions"`
		NextToken    string            `json:"nextToken,omitempty"`
	}{Compositions: []compositionJSON{}, NextToken: next}
	for _, comp := range page {
		out.Compositions = append(out.Compositions, comp.json(true))
	}
	return success(out)
}
