package recording

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"

	"github.com/ivsrt/ivsrt/internal/copymap"
	"github.com/ivsrt/ivsrt/internal/rules"
)

// The limits of a storage configuration, written once here for users and for validation.
const (
	// MinBucketNameLength is the shortest S3 bucket name (3 characters).
	MinBucketNameLength = rules.BucketNameMinLength
	// MaxBucketNameLength is the longest S3 bucket name (63 characters).
	MaxBucketNameLength = rules.BucketNameMaxLength
	// MaxStorageNameLength is the longest storage configuration name, in code points. A name may be empty
	// and holds only letters, digits, '-' and '_'; it need not be unique.
	MaxStorageNameLength = rules.StorageNameMaxLength
	// MaxTags is the most tags a storage configuration may carry (50, the limit stage.MaxTags names for a
	// stage). A tag key is 1 to 128 code points, a value at most 256.
	MaxTags = rules.TagsMax
	// MaxStorageTags is MaxTags.
	//
	// Deprecated: use MaxTags, the name package stage gives the same limit.
	MaxStorageTags = MaxTags
	// StorageConfigurationsQuota is the service quota of storage configurations per account and region: 5
	// by default, adjustable through Service Quotas, so the library does not check it.
	// CreateStorageConfiguration past an account's quota answers HTTP 402
	// *types.ServiceQuotaExceededException.
	StorageConfigurationsQuota = rules.StorageConfigurationsQuota
	// StorageRequestsPerSecond is the service quota of each storage configuration operation
	// (CreateStorageConfiguration, GetStorageConfiguration, ListStorageConfigurations,
	// DeleteStorageConfiguration): 5 requests per second per account and region. A throttled call answers
	// HTTP 429, which the SDK's standard retryer retries.
	StorageRequestsPerSecond = 5
)

// Shape and field names of the SDK's storage configuration inputs, as they appear in error paths.
const (
	createStorageInput = "CreateStorageConfigurationInput"
	fieldBucketName    = "S3.BucketName"
	fieldName          = "Name"
	fieldTags          = "Tags"
)

// Storage is a storage configuration to create (CreateStorageConfiguration): the S3 bucket individual
// participant recordings are written to, with an optional name and tags. Build it with NewStorage and
// With… methods; Client.CreateStorage sends it.
//
// A Storage is an immutable value: every With… returns a modified copy and copies the map it is given, so
// one Storage can be shared between goroutines and used as a template. The zero Storage (not made by
// NewStorage) is invalid.
//
// The bucket must exist before the storage configuration is created, in the same region, with S3 Object
// Ownership "bucket owner enforced" or "bucket owner preferred" and server-side encryption with S3-managed
// keys (SSE-S3). Creating the storage configuration modifies the bucket's policy so that IVS may write to it.
type Storage struct {
	built  bool
	bucket string
	name   string
	// nameSet records WithName, so that WithName("") is sent as the name "" the caller asked for.
	nameSet bool
	tags    map[string]string // never written after construction
}

// NewStorage returns a Storage writing to the S3 bucket bucketName: MinBucketNameLength (3) to
// MaxBucketNameLength (63) lowercase letters, digits, '.' and '-', and a name S3 allows (see Validate). No
// name and no tags.
func NewStorage(bucketName string) Storage {
	return Storage{built: true, bucket: bucketName}
}

// WithName sets the storage configuration's name: at most MaxStorageNameLength (128) letters, digits, '-'
// and '_'; names need not be unique. Default: none (not sent).
func (s Storage) WithName(name string) Storage {
	s.name, s.nameSet = name, true
	return s
}

// WithTags replaces the tags with a copy of tags: at most MaxTags (50), keys of 1 to 128 code points,
// values of at most 256. A nil or empty map removes every tag. Default: no tags.
func (s Storage) WithTags(tags map[string]string) Storage {
	s.tags = copymap.Replace(tags)
	return s
}

// WithTag adds the tag key=value (replacing a tag with the same key) to a copy of the tags. The limits are
// WithTags': at most MaxTags (50) tags, keys of 1 to 128 code points, values of at most 256, checked by
// Validate.
func (s Storage) WithTag(key, value string) Storage {
	s.tags = copymap.With(s.tags, key, value)
	return s
}

// Validate checks every rule: the model's (bucket name 3..63 characters of `^[a-z0-9-.]+$`; name at most
// 128 code points of `^[a-zA-Z0-9-_]*$`; at most 50 tags, keys 1..128 and values ≤ 256 code points; every
// string valid UTF-8) and S3's bucket naming rules, each its own violation: the name begins and ends with a
// letter or digit, has no two adjacent periods, is not formatted as an IPv4 address, does not start with
// "xn--", "sthree-" or "amzn-s3-demo-" and does not end with "-s3alias", "--ol-s3", ".mrap", "--x-s3" or
// "--table-s3". All violations are reported at once as a smithy.InvalidParamsError with paths such as
// "CreateStorageConfigurationInput.S3.BucketName", "CreateStorageConfigurationInput.Name" and
// `CreateStorageConfigurationInput.Tags["key"]`.
func (s Storage) Validate() error {
	errs := smithy.InvalidParamsError{Context: createStorageInput}
	if !s.built {
		errs.Add(rules.New(fieldBucketName, rules.RuleRequired, "missing: build the storage configuration with recording.NewStorage(bucketName)"))
		return errs
	}
	rules.BucketName.Check(&errs, fieldBucketName, s.bucket)
	checkS3BucketName(&errs, fieldBucketName, s.bucket)
	if s.nameSet {
		rules.StorageName.Check(&errs, fieldName, s.name)
	}
	rules.CheckTags(&errs, fieldTags, s.tags)
	return rules.Result(errs)
}

// input validates s and returns the request that creates it. The tags map is shared, not copied: s never
// writes to it and the SDK only reads it.
func (s Storage) input() (*ivsrealtime.CreateStorageConfigurationInput, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	in := &ivsrealtime.CreateStorageConfigurationInput{
		S3:   &types.S3StorageConfiguration{BucketName: aws.String(s.bucket)},
		Tags: s.tags,
	}
	if s.nameSet {
		in.Name = aws.String(s.name)
	}
	return in, nil
}

// String describes s for logs as the calls that build it, e.g.
// recording.NewStorage("my-bucket").WithName("main").WithTags(keys ["team"]). Tag values are not shown.
func (s Storage) String() string {
	if !s.built {
		return "recording.Storage{}"
	}
	out := fmt.Sprintf("recording.NewStorage(%q)", s.bucket)
	if s.nameSet {
		out += fmt.Sprintf(".WithName(%q)", s.name)
	}
	if len(s.tags) > 0 {
		out += fmt.Sprintf(".WithTags(keys %q)", slices.Sorted(maps.Keys(s.tags)))
	}
	return out
}

// S3's reserved bucket name prefixes and suffixes (Amazon S3 User Guide, general purpose bucket naming
// rules).
var (
	s3ReservedPrefixes = []string{"xn--", "sthree-", "amzn-s3-demo-"}
	s3ReservedSuffixes = []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"}
)

// checkS3BucketName reports, each as its own violation of rule "pattern", what S3's naming rules refuse in a
// bucket name beyond the IVS model's length and pattern. An empty or non-UTF-8 name is left to the model's
// checks.
func checkS3BucketName(errs *smithy.InvalidParamsError, field, name string) {
	if name == "" || !utf8.ValidString(name) {
		return
	}
	bad := func(reason string) {
		errs.Add(rules.New(field, rules.RulePattern, fmt.Sprintf("value %s %s (S3 bucket naming rules)", rules.Quote(name), reason)))
	}
	if !isLowerAlnum(name[0]) {
		bad("does not begin with a lowercase letter or a digit")
	}
	if !isLowerAlnum(name[len(name)-1]) {
		bad("does not end with a lowercase letter or a digit")
	}
	if strings.Contains(name, "..") {
		bad(`contains two adjacent periods ".."`)
	}
	if isIPv4Formatted(name) {
		bad("is formatted as an IPv4 address")
	}
	for _, p := range s3ReservedPrefixes {
		if strings.HasPrefix(name, p) {
			bad(fmt.Sprintf("starts with the reserved prefix %q", p))
		}
	}
	for _, sfx := range s3ReservedSuffixes {
		if strings.HasSuffix(name, sfx) {
			bad(fmt.Sprintf("ends with the reserved suffix %q", sfx))
		}
	}
}

func isLowerAlnum(b byte) bool { return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' }

// isIPv4Formatted reports a name of four dot-separated groups of one to three digits ("192.168.5.4"). S3
// says only "formatted as an IP address"; the library reads it as this shape, whatever the numbers' values
// ("999.1.1.1" and "01.02.03.04" included).
func isIPv4Formatted(name string) bool {
	groups := 0
	for part := range strings.SplitSeq(name, ".") {
		groups++
		if len(part) < 1 || len(part) > 3 || strings.Trim(part, "0123456789") != "" {
			return false
		}
	}
	return groups == 4
}
