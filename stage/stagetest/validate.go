package stagetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// object is a decoded JSON object whose numbers are json.Number.
type object = map[string]any

// decodeBody parses a request body: an empty body is {}, anything but a single JSON object is an error.
func decodeBody(body []byte) (object, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return object{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("request body is not valid JSON: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("request body has data after the JSON object")
	}
	obj, ok := v.(object)
	if !ok {
		return nil, errors.New("request body is not a JSON object")
	}
	return obj, nil
}

// checker reads typed members out of decoded JSON and collects every violation, worded like the service's
// ValidationException messages.
type checker struct {
	violations []string
}

func (c *checker) ok() bool { return len(c.violations) == 0 }

// message renders the violations like the service: "N validation error(s) detected: ...; ...".
func (c *checker) message() string {
	noun := "errors"
	if len(c.violations) == 1 {
		noun = "error"
	}
	return fmt.Sprintf("%d validation %s detected: %s", len(c.violations), noun, strings.Join(c.violations, "; "))
}

func (c *checker) fail(path, value, constraint string) {
	c.violations = append(c.violations,
		fmt.Sprintf("Value %s at '%s' failed to satisfy constraint: %s", value, path, constraint))
}

func (c *checker) wrongType(path string, v any, want string) {
	c.violations = append(c.violations,
		fmt.Sprintf("Value %s at '%s' has the wrong JSON type: Member must be %s", show(v), path, want))
}

// show renders a value for a message: strings quoted and shortened, lists as [a, b].
func show(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		const limit = 64
		if utf8.RuneCountInString(v) > limit {
			r := []rune(v)
			v = string(r[:limit]) + "…"
		}
		return "'" + v + "'"
	case []string:
		return "'[" + strings.Join(v, ", ") + "]'"
	case json.Number:
		return "'" + v.String() + "'"
	case int64:
		return "'" + strconv.FormatInt(v, 10) + "'"
	case bool:
		return "'" + strconv.FormatBool(v) + "'"
	case []any:
		return "'<list>'"
	case object:
		return "'<object>'"
	default:
		return fmt.Sprintf("'%v'", v)
	}
}

// showARN renders an ARN argument of the simulation verbs for an error: quoted whole when it is shaped like
// an ARN ("arn:…", at most 128 code points), else only measured, since a value that is no ARN may be a token
// or a key passed in the wrong place (Join's two string arguments swapped).
func showARN(v string) string {
	if strings.HasPrefix(v, "arn:") && utf8.RuneCountInString(v) <= maxARNLength && !strings.ContainsAny(v, " \n") {
		return "'" + v + "'"
	}
	return fmt.Sprintf("(%d bytes, not shown: not an ARN)", len(v))
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// member returns obj[key] unless it is absent or null.
func member(obj object, key string) (any, bool) {
	v, ok := obj[key]
	if !ok || v == nil {
		return nil, false
	}
	return v, true
}

func (c *checker) required(obj object, key, path string) {
	if _, ok := member(obj, key); !ok {
		c.fail(join(path, key), "null", "Member must not be null")
	}
}

func (c *checker) str(obj object, key, path string) (string, bool) {
	v, ok := member(obj, key)
	if !ok {
		return "", false
	}
	s, ok := v.(string)
	if !ok {
		c.wrongType(join(path, key), v, "a string")
		return "", false
	}
	return s, true
}

func (c *checker) integer(obj object, key, path string) (int64, bool) {
	v, ok := member(obj, key)
	if !ok {
		return 0, false
	}
	n, ok := v.(json.Number)
	if !ok {
		c.wrongType(join(path, key), v, "an integer")
		return 0, false
	}
	i, err := strconv.ParseInt(n.String(), 10, 64)
	if err != nil || i < math.MinInt32 || i > math.MaxInt32 {
		// 3.5, 3.0, 3e0 or a number beyond the model's 32-bit integers.
		c.wrongType(join(path, key), v, "a 32-bit integer")
		return 0, false
	}
	return i, true
}

func (c *checker) boolean(obj object, key, path string) (bool, bool) {
	v, ok := member(obj, key)
	if !ok {
		return false, false
	}
	b, ok := v.(bool)
	if !ok {
		c.wrongType(join(path, key), v, "a boolean")
		return false, false
	}
	return b, true
}

func (c *checker) obj(obj object, key, path string) (object, bool) {
	v, ok := member(obj, key)
	if !ok {
		return nil, false
	}
	o, ok := v.(object)
	if !ok {
		c.wrongType(join(path, key), v, "an object")
		return nil, false
	}
	return o, true
}

// list returns a present list member (possibly empty, never nil when ok).
func (c *checker) list(obj object, key, path string) ([]any, bool) {
	v, ok := member(obj, key)
	if !ok {
		return nil, false
	}
	l, ok := v.([]any)
	if !ok {
		c.wrongType(join(path, key), v, "a list")
		return nil, false
	}
	return l, true
}

// strList returns a present list of strings (never nil when ok); null or non-string items are violations.
func (c *checker) strList(obj object, key, path string) ([]string, bool) {
	l, ok := c.list(obj, key, path)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(l))
	good := true
	for i, item := range l {
		s, isStr := item.(string)
		if !isStr {
			c.wrongType(fmt.Sprintf("%s[%d]", join(path, key), i), item, "a string")
			good = false
			continue
		}
		out = append(out, s)
	}
	return out, good
}

// strMap returns a present map of strings (never nil when ok).
func (c *checker) strMap(obj object, key, path string) (map[string]string, bool) {
	o, ok := c.obj(obj, key, path)
	if !ok {
		return nil, false
	}
	out := make(map[string]string, len(o))
	good := true
	for _, k := range sortedKeys(o) {
		s, isStr := o[k].(string)
		if !isStr {
			c.wrongType(fmt.Sprintf("%s[%s]", join(path, key), k), o[k], "a string")
			good = false
			continue
		}
		out[k] = s
	}
	return out, good
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// length checks a string's length in Unicode code points.
func (c *checker) length(path, s string, lo, hi int) {
	n := utf8.RuneCountInString(s)
	switch {
	case n < lo:
		c.fail(path, show(s), fmt.Sprintf("Member must have length greater than or equal to %d", lo))
	case hi >= 0 && n > hi:
		c.fail(path, show(s), fmt.Sprintf("Member must have length less than or equal to %d", hi))
	}
}

func (c *checker) pattern(path, s string, re *regexp.Regexp) {
	if !re.MatchString(s) {
		c.fail(path, show(s), "Member must satisfy regular expression pattern: "+re.String())
	}
}

func (c *checker) between(path string, v, lo, hi int64) {
	switch {
	case v < lo:
		c.fail(path, show(v), fmt.Sprintf("Member must have value greater than or equal to %d", lo))
	case v > hi:
		c.fail(path, show(v), fmt.Sprintf("Member must have value less than or equal to %d", hi))
	}
}

func (c *checker) enum(path, v string, values []string) {
	if !slices.Contains(values, v) {
		c.fail(path, show(v), "Member must satisfy enum value set: ["+strings.Join(values, ", ")+"]")
	}
}

func (c *checker) listLength(path string, l []string, lo, hi int) {
	switch {
	case len(l) < lo:
		c.fail(path, show(l), fmt.Sprintf("Member must have length greater than or equal to %d", lo))
	case len(l) > hi:
		c.fail(path, show(l), fmt.Sprintf("Member must have length less than or equal to %d", hi))
	}
}

// enumList checks a list of enum values: its size, each item, and (if unique) duplicates.
func (c *checker) enumList(path string, l []string, hi int, values []string, unique bool) {
	c.listLength(path, l, 0, hi)
	for i, v := range l {
		c.enum(fmt.Sprintf("%s[%d]", path, i), v, values)
	}
	if unique {
		seen := make(map[string]bool, len(l))
		for _, v := range l {
			if seen[v] {
				c.fail(path, show(l), "Member must have unique items")
				return
			}
			seen[v] = true
		}
	}
}

// arn checks a required ARN member: present, 1..128 code points, pattern.
func (c *checker) arn(obj object, key, path string, re *regexp.Regexp) (string, bool) {
	c.required(obj, key, path)
	s, ok := c.str(obj, key, path)
	if !ok {
		return "", false
	}
	p := join(path, key)
	before := len(c.violations)
	c.length(p, s, 1, maxARNLength)
	c.pattern(p, s, re)
	return s, len(c.violations) == before
}

// name checks an optional stage or public key name: 0..128 code points, pattern.
func (c *checker) name(obj object, key, path string, re *regexp.Regexp) (string, bool) {
	s, ok := c.str(obj, key, path)
	if !ok {
		return "", false
	}
	p := join(path, key)
	c.length(p, s, 0, maxNameLength)
	c.pattern(p, s, re)
	return s, true
}

// tags checks an optional tags map: at most 50 entries, keys 1..128 and values 0..256 code points.
// It returns an empty, non-nil map when the member is absent.
func (c *checker) tags(obj object, key, path string) map[string]string {
	m, ok := c.strMap(obj, key, path)
	if !ok {
		return map[string]string{}
	}
	p := join(path, key)
	if len(m) > MaxTags {
		c.fail(p, fmt.Sprintf("'<%d tags>'", len(m)), fmt.Sprintf("Member must have length less than or equal to %d", MaxTags))
	}
	for _, k := range sortedKeys(m) {
		if n := utf8.RuneCountInString(k); n < 1 || n > MaxTagKeyLength {
			c.fail(p, show(k), fmt.Sprintf("Map keys must have length between 1 and %d", MaxTagKeyLength))
		}
		c.length(fmt.Sprintf("%s[%s]", p, k), m[k], 0, MaxTagValueLength)
	}
	return m
}

// page reads and checks maxResults and nextToken.
func (c *checker) page(obj object) (limit int, token string) {
	return c.pageUpTo(obj, MaxPageSize)
}

// pageUpTo is page for an operation whose maxResults is 1..hi (default [DefaultPageSize] or hi, whichever
// is smaller).
func (c *checker) pageUpTo(obj object, hi int64) (limit int, token string) {
	limit = min(DefaultPageSize, int(hi))
	if n, ok := c.integer(obj, "maxResults", ""); ok {
		c.between("maxResults", n, minMaxResults, hi)
		limit = int(n)
	}
	if s, ok := c.str(obj, "nextToken", ""); ok {
		c.length("nextToken", s, 0, MaxNextTokenLength)
		c.pattern("nextToken", s, nextTokenPattern)
		token = s
	}
	return limit, token
}

// attributesSize checks that attributes hold at most [MaxAttributesSize] in total.
func (c *checker) attributesSize(path string, m map[string]string) {
	total := 0
	for k, v := range m {
		total += len(k) + len(v)
	}
	if total > MaxAttributesSize {
		c.fail(path, fmt.Sprintf("'<%d bytes>'", total),
			fmt.Sprintf("Member must have a total size (sum of len(key)+len(value)) less than or equal to %d bytes", MaxAttributesSize))
	}
}

// tokenSpec is a validated participant token request (CreateParticipantToken or one
// participantTokenConfigurations entry).
type tokenSpec struct {
	userID       *string
	attributes   map[string]string // nil when absent
	capabilities []string          // nil when absent
	duration     int64
}

// token reads and checks the members of a participant token request found in o.
func (c *checker) token(o object, path string) tokenSpec {
	spec := tokenSpec{duration: DefaultTokenDurationMinutes}
	if n, ok := c.integer(o, "duration", path); ok {
		c.between(join(path, "duration"), n, minTokenDurationMinutes, MaxTokenDurationMinutes)
		spec.duration = n
	}
	if s, ok := c.str(o, "userId", path); ok {
		c.length(join(path, "userId"), s, 0, MaxUserIDLength)
		spec.userID = &s
	}
	if m, ok := c.strMap(o, "attributes", path); ok {
		c.attributesSize(join(path, "attributes"), m)
		spec.attributes = m
	}
	if l, ok := c.strList(o, "capabilities", path); ok {
		c.enumList(join(path, "capabilities"), l, maxTokenCapabilities, capabilityValues, false)
		spec.capabilities = l
	}
	return spec
}

// recording reads and checks an autoParticipantRecordingConfiguration object and returns the configuration
// the service stores: every member not sent takes its default, and storageConfigurationArn "" resets every
// member to its default.
func (c *checker) recording(o object, path string) recordingConfig {
	rec := defaultRecording()
	c.required(o, "storageConfigurationArn", path)
	if s, ok := c.str(o, "storageConfigurationArn", path); ok {
		p := join(path, "storageConfigurationArn")
		c.length(p, s, 0, maxARNLength)
		c.pattern(p, s, recordingARNPattern)
		rec.StorageConfigurationArn = s
	}
	if l, ok := c.strList(o, "mediaTypes", path); ok {
		c.enumList(join(path, "mediaTypes"), l, maxMediaTypes, mediaTypeValues, false)
		rec.MediaTypes = l
	}
	if t, ok := c.obj(o, "thumbnailConfiguration", path); ok {
		tp := join(path, "thumbnailConfiguration")
		if m, ok := c.str(t, "recordingMode", tp); ok {
			c.enum(join(tp, "recordingMode"), m, thumbnailModeValues)
			rec.ThumbnailConfiguration.RecordingMode = m
		}
		if n, ok := c.integer(t, "targetIntervalSeconds", tp); ok {
			ip := join(tp, "targetIntervalSeconds")
			c.between(ip, n, minThumbnailIntervalSeconds, maxThumbnailIntervalSeconds)
			if mode := rec.ThumbnailConfiguration.RecordingMode; mode != "INTERVAL" {
				c.fail(ip, show(n), fmt.Sprintf(
					"Member is configurable only if recordingMode is INTERVAL (recordingMode is %s)", mode))
			}
			rec.ThumbnailConfiguration.TargetIntervalSeconds = n
		}
		if l, ok := c.strList(t, "storage", tp); ok {
			c.enumList(join(tp, "storage"), l, maxThumbnailStorage, thumbnailStoreVals, true)
			rec.ThumbnailConfiguration.Storage = l
		}
	}
	if n, ok := c.integer(o, "recordingReconnectWindowSeconds", path); ok {
		c.between(join(path, "recordingReconnectWindowSeconds"), n, minReconnectWindowSeconds, maxReconnectWindowSeconds)
		rec.RecordingReconnectWindowSeconds = n
	}
	if h, ok := c.obj(o, "hlsConfiguration", path); ok {
		hp := join(path, "hlsConfiguration")
		if n, ok := c.integer(h, "targetSegmentDurationSeconds", hp); ok {
			c.between(join(hp, "targetSegmentDurationSeconds"), n, minSegmentDurationSeconds, maxSegmentDurationSeconds)
			rec.HlsConfiguration.TargetSegmentDurationSeconds = n
		}
	}
	if b, ok := c.boolean(o, "recordParticipantReplicas", path); ok {
		rec.RecordParticipantReplicas = b
	}
	if rec.StorageConfigurationArn == "" {
		// "To disable individual participant recording, set this to ""; other fields in this object will get
		// reset to their defaults when sending ""."
		return defaultRecording()
	}
	return rec
}
