package stagetest

import (
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"time"
)

// resourceARNPattern is the model's ResourceArn pattern with its bug fixed: the model writes the resource type
// as `[a-z-]` (one character), which no real ARN matches; the fake reads it as `[a-z-]+`.
var resourceARNPattern = regexp.MustCompile(`^arn:aws:ivs:[a-z0-9-]+:[0-9]+:[a-z-]+/[a-zA-Z0-9-]+$`)

// resourceTags returns the tags of the stage, public key or storage configuration named by arn.
func (s *Server) resourceTags(arn string) (*map[string]string, bool) {
	if st := s.stages[arn]; st != nil {
		return &st.tags, true
	}
	if k := s.keys[arn]; k != nil {
		return &k.tags, true
	}
	if sc := s.storage[arn]; sc != nil {
		return &sc.tags, true
	}
	return nil, false
}

// lookupResource validates the resourceArn member and finds the resource's tags.
func (s *Server) lookupResource(c *checker, body object) (*map[string]string, response, bool) {
	arn, _ := c.arn(body, "resourceArn", "", resourceARNPattern)
	if !c.ok() {
		return nil, validationError("%s", c.message()), false
	}
	tags, found := s.resourceTags(arn)
	if !found {
		return nil, notFound("Resource", arn), false
	}
	return tags, response{}, true
}

func (s *Server) tagResource(body object, _ time.Time) response {
	var c checker
	c.required(body, "tags", "")
	add := c.tags(body, "tags", "")
	tags, errResp, found := s.lookupResource(&c, body)
	if !found {
		return errResp
	}
	merged := len(*tags)
	for k := range add {
		if _, had := (*tags)[k]; !had {
			merged++
		}
	}
	if merged > MaxTags {
		c.fail("tags", fmt.Sprintf("'<%d tags>'", len(add)), fmt.Sprintf(
			"Resource must have at most %d tags after merging with its %d existing tags (it would have %d)",
			MaxTags, len(*tags), merged))
		return validationError("%s", c.message())
	}
	if *tags == nil {
		*tags = map[string]string{}
	}
	maps.Copy(*tags, add)
	return success(struct{}{})
}

func (s *Server) untagResource(body object, _ time.Time) response {
	var c checker
	c.required(body, "tagKeys", "")
	keys, _ := c.strList(body, "tagKeys", "")
	c.listLength("tagKeys", keys, 0, MaxUntagKeys)
	for i, k := range keys {
		c.length(fmt.Sprintf("tagKeys[%d]", i), k, 1, MaxTagKeyLength)
	}
	tags, errResp, found := s.lookupResource(&c, body)
	if !found {
		return errResp
	}
	for _, k := range keys {
		delete(*tags, k) // a key the resource does not carry is ignored
	}
	return success(struct{}{})
}

func (s *Server) listTagsForResource(body object, _ time.Time) response {
	var c checker
	tags, errResp, found := s.lookupResource(&c, body)
	if !found {
		return errResp
	}
	out := make(map[string]string, len(*tags)) // never null: the response's tags are required
	maps.Copy(out, *tags)
	return success(map[string]any{"tags": out})
}

// cloneQuery returns a deep copy of q, or nil when q is empty.
func cloneQuery(q url.Values) url.Values {
	if len(q) == 0 {
		return nil
	}
	out := make(url.Values, len(q))
	for k, v := range q {
		out[k] = slices.Clone(v)
	}
	return out
}
