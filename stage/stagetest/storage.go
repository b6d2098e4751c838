package stagetest

import (
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
)

// WithStorageQuota sets how many storage configurations may exist at once; CreateStorageConfiguration past
// it answers HTTP 402 ServiceQuotaExceededException, and [Server.MustAddStorageConfiguration] panics. n < 0
// counts as 0. It also sets ListStorageConfigurations' default page size: the quota or [MaxPageSize] (100),
// whichever is smaller, at least 1. Default: [StorageConfigurationsQuota] (5).
func WithStorageQuota(n int) Option {
	return func(o *options) {
		o.storageQuota = max(n, 0)
	}
}

var (
	storageARNPattern   = regexp.MustCompile(`^arn:aws:ivs:[a-z0-9-]+:[0-9]+:storage-configuration/[a-zA-Z0-9-]+$`)
	storageNamePattern  = stageNamePattern // StorageConfigurationName has the same pattern as StageName
	bucketNamePattern   = regexp.MustCompile(`^[a-z0-9-.]+$`)
	bucketIPv4Pattern   = regexp.MustCompile(`^[0-9]{1,3}(\.[0-9]{1,3}){3}$`)
	bucketReservedStart = []string{"xn--", "sthree-", "amzn-s3-demo-"}
	bucketReservedEnd   = []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"}
)

// storageConfig is a stored storage configuration.
type storageConfig struct {
	seq    int64
	arn    string
	name   string
	bucket string
	tags   map[string]string
}

type storageConfigJSON struct {
	Arn  string            `json:"arn"`
	Name string            `json:"name"`
	S3   s3JSON            `json:"s3"`
	Tags map[string]string `json:"tags"`
}

type s3JSON struct {
	BucketName string `json:"bucketName"`
}

// json is both the StorageConfiguration and the StorageConfigurationSummary of the wire (same members).
func (sc *storageConfig) json() storageConfigJSON {
	tags := make(map[string]string, len(sc.tags)) // {} when none
	maps.Copy(tags, sc.tags)
	return storageConfigJSON{Arn: sc.arn, Name: sc.name, S3: s3JSON{BucketName: sc.bucket}, Tags: tags}
}

// bucketName checks an S3 bucket name: the model's length and pattern, then, for a name the model allows, S3's
// general purpose bucket naming rules, which the model does not state but no existing bucket breaks (each
// broken rule is one violation).
func (c *checker) bucketName(path, name string) {
	before := len(c.violations)
	c.length(path, name, MinBucketNameLength, MaxBucketNameLength)
	c.pattern(path, name, bucketNamePattern)
	if len(c.violations) > before {
		return
	}
	const rules = " (S3 bucket naming rules)"
	if !isLowerAlnum(name[0]) || !isLowerAlnum(name[len(name)-1]) {
		c.fail(path, show(name), "Member must begin and end with a lowercase letter or a digit"+rules)
	}
	if strings.Contains(name, "..") {
		c.fail(path, show(name), "Member must not contain two adjacent periods"+rules)
	}
	if bucketIPv4Pattern.MatchString(name) {
		c.fail(path, show(name), "Member must not be formatted as an IPv4 address"+rules)
	}
	for _, p := range bucketReservedStart {
		if strings.HasPrefix(name, p) {
			c.fail(path, show(name), fmt.Sprintf("Member must not start with the reserved prefix '%s'%s", p, rules))
		}
	}
	for _, sfx := range bucketReservedEnd {
		if strings.HasSuffix(name, sfx) {
			c.fail(path, show(name), fmt.Sprintf("Member must not end with the reserved suffix '%s'%s", sfx, rules))
		}
	}
}

func isLowerAlnum(b byte) bool { return 'a' <= b && b <= 'z' || '0' <= b && b <= '9' }

// addStorage stores a new storage configuration, or returns false when the quota is full.
func (s *Server) addStorage(name, bucket string, tags map[string]string) (*storageConfig, bool) {
	if len(s.storage) >= s.storageQuota {
		return nil, false
	}
	sc := &storageConfig{
		seq:    s.nextSeq(),
		arn:    newARN("storage-configuration", func(a string) bool { return s.storage[a] != nil }),
		name:   name,
		bucket: bucket,
		tags:   tags,
	}
	s.storage[sc.arn] = sc
	return sc, true
}

func (s *Server) storageQuotaExceeded() response {
	return errorResponse(http.StatusPaymentRequired, "ServiceQuotaExceededException",
		"Request would cause a service quota to be exceeded: at most %d storage configurations per account and region",
		s.storageQuota)
}

// MustAddStorageConfiguration creates a storage configuration for bucketName directly in the server's state
// (no name, no tags; no request is recorded and no rate limit or injected fault applies) and returns its ARN,
// for tests that need one in a single line. Like regexp.MustCompile, it panics if bucketName breaks the
// rules CreateStorageConfiguration checks (the model's and S3's) or if the storage quota
// ([WithStorageQuota], default [StorageConfigurationsQuota]) is full.
func (s *Server) MustAddStorageConfiguration(bucketName string) (arn string) {
	var c checker
	c.bucketName("s3.bucketName", bucketName)
	if !c.ok() {
		panic("stagetest: MustAddStorageConfiguration: " + c.message())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sc, added := s.addStorage("", bucketName, map[string]string{})
	if !added {
		panic(fmt.Sprintf("stagetest: MustAddStorageConfiguration: the quota of %d storage configurations is full", s.storageQuota))
	}
	return sc.arn
}

func (s *Server) createStorageConfiguration(body object, _ time.Time) response {
	var c checker
	name, _ := c.name(body, "name", "", storageNamePattern)
	c.required(body, "s3", "")
	var bucket string
	if o, ok := c.obj(body, "s3", ""); ok {
		c.required(o, "bucketName", "s3")
		if b, ok := c.str(o, "bucketName", "s3"); ok {
			c.bucketName("s3.bucketName", b)
			bucket = b
		}
	}
	tags := c.tags(body, "tags", "")
	if !c.ok() {
		return validationError("%s", c.message())
	}
	sc, added := s.addStorage(name, bucket, tags)
	if !added {
		return s.storageQuotaExceeded()
	}
	return success(map[string]any{"storageConfiguration": sc.json()})
}

// lookup validates the ARN member key of body against re and finds the resource in m; kind names it in the
// 404 message.
func lookup[T any](m map[string]*T, body object, key string, re *regexp.Regexp, kind string) (*T, response, bool) {
	var c checker
	arn, _ := c.arn(body, key, "", re)
	if !c.ok() {
		return nil, validationError("%s", c.message()), false
	}
	v := m[arn]
	if v == nil {
		return nil, notFound(kind, arn), false
	}
	return v, response{}, true
}

// lookupStorage validates the arn member and finds the storage configuration.
func (s *Server) lookupStorage(body object) (*storageConfig, response, bool) {
	return lookup(s.storage, body, "arn", storageARNPattern, "Storage configuration")
}

func (s *Server) getStorageConfiguration(body object, _ time.Time) response {
	sc, errResp, found := s.lookupStorage(body)
	if !found {
		return errResp
	}
	return success(map[string]any{"storageConfiguration": sc.json()})
}

// stagesRecordingInto returns the ARNs of the stages whose recording configuration names the storage
// configuration, in creation order.
func (s *Server) stagesRecordingInto(storageARN string) []string {
	var users []*stage
	for _, st := range s.stages {
		if st.recording.StorageConfigurationArn == storageARN {
			users = append(users, st)
		}
	}
	slices.SortFunc(users, func(a, b *stage) int { return int(a.seq - b.seq) })
	arns := make([]string, len(users))
	for i, st := range users {
		arns[i] = st.arn
	}
	return arns
}

func (s *Server) deleteStorageConfiguration(body object, _ time.Time) response {
	sc, errResp, found := s.lookupStorage(body)
	if !found {
		return errResp
	}
	if users := s.stagesRecordingInto(sc.arn); len(users) > 0 {
		return errorResponse(http.StatusConflict, "ConflictException",
			"Storage configuration %s is used by %d stage(s) for individual participant recording (first: %s); "+
				"disable their recording or delete them first", sc.arn, len(users), users[0])
	}
	delete(s.storage, sc.arn)
	return success(struct{}{})
}

func (s *Server) listStorageConfigurations(body object, _ time.Time) response {
	var c checker
	limit, token := c.page(body)
	if !c.ok() {
		return validationError("%s", c.message())
	}
	if _, sent := member(body, "maxResults"); !sent {
		// "Default: your service quota or 100, whichever is smaller."
		limit = max(min(s.storageQuota, MaxPageSize), 1)
	}
	page, next, err := paginate(s.storage, func(sc *storageConfig) int64 { return sc.seq }, "storageConfigurations", token, limit)
	if err != nil {
		return validationError("%v", err)
	}
	out := struct {
		StorageConfigurations []storageConfigJSON `json:"storageConfigurations"`
		NextToken             string              `json:"nextToken,omitempty"`
	}{StorageConfigurations: []storageConfigJSON{}, NextToken: next}
	for _, sc := range page {
		out.StorageConfigurations = append(out.StorageConfigurations, sc.json())
	}
	return success(out)
}

// checkStorageExists reports a storageConfigurationArn that names no storage configuration the server holds
// (the fake's choice: the service's behaviour is not documented). "" (recording disabled) always passes.
func (s *Server) checkStorageExists(c *checker, path, arn string) {
	if arn != "" && s.storage[arn] == nil {
		c.fail(path, "'"+arn+"'", "Member must be the ARN of an existing storage configuration")
	}
}
