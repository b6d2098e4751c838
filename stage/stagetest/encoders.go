package stagetest

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"strconv"
	"time"
)

var encoderARNPattern = regexp.MustCompile(`^arn:aws:ivs:[a-z0-9-]+:[0-9]+:encoder-configuration/[a-zA-Z0-9-]+$`)

// encoderConfig is a stored encoder configuration.
type encoderConfig struct {
	seq   int64
	arn   string
	name  string
	video videoJSON
	tags  map[string]string
}

type videoJSON struct {
	Width     int64   `json:"width"`
	Height    int64   `json:"height"`
	Framerate float64 `json:"framerate"`
	Bitrate   int64   `json:"bitrate"`
}

type encoderJSON struct {
	Arn   string            `json:"arn"`
	Name  string            `json:"name"`
	Video *videoJSON        `json:"video,omitempty"`
	Tags  map[string]string `json:"tags"`
}

func (e *encoderConfig) json(summary bool) encoderJSON {
	out := encoderJSON{Arn: e.arn, Name: e.name, Tags: maps.Clone(e.tags)}
	if !summary {
		v := e.video
		out.Video = &v
	}
	return out
}

// float reads a number member (JSON numbers of any form).
func (c *checker) float(obj object, key, path string) (float64, bool) {
	v, ok := member(obj, key)
	if !ok {
		return 0, false
	}
	n, ok := v.(json.Number)
	if !ok {
		c.wrongType(join(path, key), v, "a number")
		return 0, false
	}
	f, err := strconv.ParseFloat(n.String(), 64)
	if err != nil {
		c.wrongType(join(path, key), v, "a number")
		return 0, false
	}
	return f, true
}

// video checks an encoder configuration's video and fills in the defaults.
func (c *checker) video(o object, path string) videoJSON {
	v := videoJSON{Width: DefaultVideoWidth, Height: DefaultVideoHeight, Framerate: DefaultVideoFramerate, Bitrate: DefaultVideoBitrate}
	before := len(c.violations)
	for _, dim := range []struct {
		key string
		dst *int64
	}{{"width", &v.Width}, {"height", &v.Height}} {
		if n, ok := c.integer(o, dim.key, path); ok {
			p := join(path, dim.key)
			c.between(p, n, MinVideoDimension, MaxVideoDimension)
			if n%2 != 0 {
				c.fail(p, show(n), "Member must be an even number")
			}
			*dim.dst = n
		}
	}
	if f, ok := c.float(o, "framerate", path); ok {
		if f < MinVideoFramerate || f > MaxVideoFramerate {
			c.fail(join(path, "framerate"), strconv.FormatFloat(f, 'g', -1, 64),
				fmt.Sprintf("Member must have value between %g and %g", MinVideoFramerate, MaxVideoFramerate))
		}
		v.Framerate = f
	}
	if n, ok := c.integer(o, "bitrate", path); ok {
		c.between(join(path, "bitrate"), n, 1, MaxVideoBitrate)
		v.Bitrate = n
	}
	if len(c.violations) == before && v.Width*v.Height > MaxVideoPixels {
		c.fail(path, fmt.Sprintf("'%dx%d'", v.Width, v.Height),
			fmt.Sprintf("width × height must be at most %d pixels", MaxVideoPixels))
	}
	return v
}

func (s *Server) createEncoderConfiguration(body object, _ time.Time) response {
	var c checker
	name, _ := c.name(body, "name", "", stageNamePattern)
	video := c.video(object{}, "video")
	if o, ok := c.obj(body, "video", ""); ok {
		video = c.video(o, "video")
	}
	tags := c.tags(body, "tags", "")
	if !c.ok() {
		return validationError("%s", c.message())
	}
	cs := s.compositionState()
	if len(cs.encoders) >= EncoderConfigurationsQuota {
		return errorResponse(http.StatusPaymentRequired, "ServiceQuotaExceededException",
			"Request would cause a service quota to be exceeded: at most %d encoder configurations per account and region",
			EncoderConfigurationsQuota)
	}
	e := &encoderConfig{
		seq:   s.nextSeq(),
		arn:   newARN("encoder-configuration", func(a string) bool { return cs.encoders[a] != nil }),
		name:  name,
		video: video,
		tags:  tags,
	}
	cs.encoders[e.arn] = e
	return success(map[string]any{"encoderConfiguration": e.json(false)})
}

func (s *Server) lookupEncoder(body object) (*encoderConfig, response, bool) {
	return lookup(s.compositionState().encoders, body, "arn", encoderARNPattern, "Encoder configuration")
}

func (s *Server) getEncoderConfiguration(body object, _ time.Time) response {
	e, errResp, found := s.lookupEncoder(body)
	if !found {
		return errResp
	}
	return success(map[string]any{"encoderConfiguration": e.json(false)})
}

func (s *Server) deleteEncoderConfiguration(body object, _ time.Time) response {
	e, errResp, found := s.lookupEncoder(body)
	if !found {
		return errResp
	}
	for _, comp := range s.compositionsByAge() {
		if comp.end.IsZero() && comp.usesEncoder(e.arn) {
			return errorResponse(http.StatusConflict, "ConflictException",
				"Encoder configuration %s is used by composition %s; stop it first", e.arn, comp.arn)
		}
	}
	delete(s.compositionState().encoders, e.arn)
	return success(struct{}{})
}

func (s *Server) listEncoderConfigurations(body object, _ time.Time) response {
	var c checker
	limit, token := c.page(body)
	if _, sent := member(body, "maxResults"); !sent {
		limit = MaxPageSize // "Default: 100"
	}
	if !c.ok() {
		return validationError("%s", c.message())
	}
	page, next, err := paginate(s.compositionState().encoders, func(e *encoderConfig) int64 { return e.seq }, "encoderConfigurations", token, limit)
	if err != nil {
		return validationError("%v", err)
	}
	out := struct {
		EncoderConfigurations []encoderJSON `json:"encoderConfigurations"`
		NextToken             string        `json:"nextToken,omitempty"`
	}{EncoderConfigurations: []encoderJSON{}, NextToken: next}
	for _, e := range page {
		out.EncoderConfigurations = append(out.EncoderConfigurations, e.json(true))
	}
	return success(out)
}
