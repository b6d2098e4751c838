package recording_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/fuzzgen"
	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage/stagetest"
)

func TestStorageValidateBoundaries(t *testing.T) {
	t.Parallel()
	base := recording.NewStorage("my-bucket")
	tests := []struct {
		name    string
		storage recording.Storage
		want    map[string]string // field path → rule; empty = valid
	}{
		{"minimal", base, nil},
		{"bucket of 3", recording.NewStorage("abc"), nil},
		{"bucket of 63", recording.NewStorage(strings.Repeat("a", 63)), nil},
		{"bucket of 2", recording.NewStorage("ab"), map[string]string{bucketPath: rules.RuleLength}},
		{"bucket of 64", recording.NewStorage(strings.Repeat("a", 64)), map[string]string{bucketPath: rules.RuleLength}},
		{"bucket empty", recording.NewStorage(""), map[string]string{bucketPath: rules.RuleLength}},
		{"bucket upper case", recording.NewStorage("My-bucket"), map[string]string{bucketPath: rules.RulePattern}},
		{"bucket underscore", recording.NewStorage("my_bucket"), map[string]string{bucketPath: rules.RulePattern}},
		{"bucket not UTF-8", recording.NewStorage("my-\xffbucket"), map[string]string{bucketPath: rules.RuleUTF8}},
		// S3's begin/end rule at the edges of the ranges: a name may begin and end with 'a', 'z', '0' or '9'.
		// Catches an off-by-one in isLowerAlnum's ranges ('z' or '9' refused, 'a' or '0' refused).
		{"bucket from a to a", recording.NewStorage("abca"), nil},
		{"bucket from z to z", recording.NewStorage("zbcz"), nil},
		{"bucket from 0 to 0", recording.NewStorage("0bc0"), nil},
		{"bucket from 9 to 9", recording.NewStorage("9bc9"), nil},
		{"bucket a.z", recording.NewStorage("a.z"), nil},
		{"bucket z-a", recording.NewStorage("z-a"), nil},
		{"bucket 0.9", recording.NewStorage("0.9"), nil},
		{"bucket 9-0", recording.NewStorage("9-0"), nil},
		{"bucket zzz", recording.NewStorage("zzz"), nil},
		{"bucket 999", recording.NewStorage("999"), nil},
		{"zero Storage", recording.Storage{}, map[string]string{bucketPath: rules.RuleRequired}},

		{"name of 128", base.WithName(strings.Repeat("n", 128)), nil},
		{"name of 129", base.WithName(strings.Repeat("n", 129)), map[string]string{storageCtx + "Name": rules.RuleLength}},
		{"name empty", base.WithName(""), nil},
		{"name with - and _", base.WithName("rec-main_1"), nil},
		{"name with space", base.WithName("rec main"), map[string]string{storageCtx + "Name": rules.RulePattern}},
		{"name of 128 code points not ASCII", base.WithName(strings.Repeat("é", 128)), map[string]string{storageCtx + "Name": rules.RulePattern}},
		{"name of 129 code points not ASCII", base.WithName(strings.Repeat("é", 129)), map[string]string{storageCtx + "Name": rules.RuleLength}},

		{"50 tags", base.WithTags(fuzzgen.Tags(50, "v", "", "")), nil},
		{"51 tags", base.WithTags(fuzzgen.Tags(50, "v", "k", "v")), map[string]string{storageCtx + "Tags": rules.RuleLength}},
		{"51st tag by WithTag", base.WithTags(fuzzgen.Tags(50, "v", "", "")).WithTag("k", "v"), map[string]string{storageCtx + "Tags": rules.RuleLength}},
		{"tag key of 128", base.WithTag(strings.Repeat("k", 128), "v"), nil},
		{"tag key of 129", base.WithTag(strings.Repeat("k", 129), "v"), map[string]string{storageCtx + `Tags["` + strings.Repeat("k", 129) + `"].Key`: rules.RuleLength}},
		{"tag key empty", base.WithTag("", "v"), map[string]string{storageCtx + `Tags[""].Key`: rules.RuleLength}},
		{"tag value of 256", base.WithTag("k", strings.Repeat("v", 256)), nil},
		{"tag value of 257", base.WithTag("k", strings.Repeat("v", 257)), map[string]string{storageCtx + `Tags["k"]`: rules.RuleLength}},
		{"tag value empty", base.WithTag("k", ""), nil},

		{"everything wrong at once", recording.NewStorage("ab").WithName("a b").WithTag("k", strings.Repeat("v", 257)), map[string]string{
			bucketPath:               rules.RuleLength,
			storageCtx + "Name":      rules.RulePattern,
			storageCtx + `Tags["k"]`: rules.RuleLength,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			testutil.AssertViolations(t, tt.storage.Validate(), tt.want)
		})
	}
}

// Each of S3's naming rules, with one name it accepts and one it refuses (the refused ones pass the IVS
// model's length and pattern).
func TestStorageValidateS3Rules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rule     string
		accepted string
		refused  string
		reason   string
	}{
		{"begins with a letter or digit", "0bucket", ".bucket", "does not begin with a lowercase letter or a digit"},
		{"begins with a letter or digit (hyphen)", "a-bucket", "-bucket", "does not begin with a lowercase letter or a digit"},
		{"ends with a letter or digit", "bucket9", "bucket-", "does not end with a lowercase letter or a digit"},
		{"ends with a letter or digit (period)", "bucket.a", "bucket.", "does not end with a lowercase letter or a digit"},
		{"no adjacent periods", "my.bucket", "my..bucket", `contains two adjacent periods ".."`},
		{"not an IPv4 address", "192.168.5.4a", "192.168.5.4", "is formatted as an IPv4 address"},
		{"not an IPv4 address (three groups)", "192.168.5", "10.0.0.255", "is formatted as an IPv4 address"},
		{"not an IPv4 address (five groups)", "1.2.3.4.5", "999.01.1.1", "is formatted as an IPv4 address"},
		{"prefix xn--", "xn-abc", "xn--abc", `starts with the reserved prefix "xn--"`},
		{"prefix sthree-", "sthree", "sthree-bucket", `starts with the reserved prefix "sthree-"`},
		{"prefix amzn-s3-demo-", "amzn-s3-demo", "amzn-s3-demo-bucket", `starts with the reserved prefix "amzn-s3-demo-"`},
		{"suffix -s3alias", "logs-s3aliases", "logs-s3alias", `ends with the reserved suffix "-s3alias"`},
		{"suffix --ol-s3", "logs-ol-s3", "logs--ol-s3", `ends with the reserved suffix "--ol-s3"`},
		{"suffix .mrap", "logs-mrap", "logs.mrap", `ends with the reserved suffix ".mrap"`},
		{"suffix --x-s3", "logs-x-s3", "logs--x-s3", `ends with the reserved suffix "--x-s3"`},
		{"suffix --table-s3", "logs-table-s3", "logs--table-s3", `ends with the reserved suffix "--table-s3"`},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			t.Parallel()
			assert.NoError(t, recording.NewStorage(tt.accepted).Validate(), "accepted %q", tt.accepted)
			err := recording.NewStorage(tt.refused).Validate()
			require.Error(t, err)
			got := entries(t, err)
			require.Len(t, got, 1, "one violation for %q", tt.refused)
			assert.Equal(t, fmt.Sprintf("%s: value %q %s (S3 bucket naming rules), %s.", bucketPath, tt.refused, tt.reason, bucketPath), got[0])
			testutil.AssertViolations(t, err, map[string]string{bucketPath: rules.RulePattern})
		})
	}
}

// Several S3 rules broken by one name are reported together, after the model's own violations.
func TestStorageValidateS3RulesAllAtOnce(t *testing.T) {
	t.Parallel()
	err := recording.NewStorage("xn--a..b-s3alias-").WithName("bad name").Validate()
	require.Error(t, err)
	assert.Equal(t, []string{
		bucketPath + `: value "xn--a..b-s3alias-" does not end with a lowercase letter or a digit (S3 bucket naming rules), ` + bucketPath + ".",
		bucketPath + `: value "xn--a..b-s3alias-" contains two adjacent periods ".." (S3 bucket naming rules), ` + bucketPath + ".",
		bucketPath + `: value "xn--a..b-s3alias-" starts with the reserved prefix "xn--" (S3 bucket naming rules), ` + bucketPath + ".",
		storageCtx + `Name: value "bad name" does not match pattern ^[a-zA-Z0-9-_]*$, ` + storageCtx + "Name.",
	}, entries(t, err))

	err = recording.NewStorage("-A").Validate()
	assert.Equal(t, []string{
		bucketPath + `: length 2 is out of range 3..63 code points (value "-A"), ` + bucketPath + ".",
		bucketPath + `: value "-A" does not begin with a lowercase letter or a digit (S3 bucket naming rules), ` + bucketPath + ".",
		bucketPath + `: value "-A" does not end with a lowercase letter or a digit (S3 bucket naming rules), ` + bucketPath + ".",
	}, entries(t, err))
}

// With… methods return copies: neither the receiver nor the caller's map changes afterwards.
func TestStorageImmutable(t *testing.T) {
	t.Parallel()
	tags := map[string]string{"team": "media"}
	base := recording.NewStorage("my-bucket").WithTags(tags)
	tags["team"] = "changed"
	tags["extra"] = "x"
	named := base.WithName("main")
	tagged := base.WithTag("env", "prod")

	assert.Equal(t, `recording.NewStorage("my-bucket").WithTags(keys ["team"])`, base.String())
	assert.Equal(t, `recording.NewStorage("my-bucket").WithName("main").WithTags(keys ["team"])`, named.String())
	assert.Equal(t, `recording.NewStorage("my-bucket").WithTags(keys ["env" "team"])`, tagged.String())
	assert.Equal(t, "recording.Storage{}", recording.Storage{}.String())
	assert.Equal(t, `recording.NewStorage("b").WithName("")`, recording.NewStorage("b").WithName("").String())
	assert.Equal(t, `recording.NewStorage("my-bucket")`, base.WithTags(nil).String())

	// Concurrent derivations from one template do not race (run with -race).
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := base.WithTag(fmt.Sprint("k", i), "v").WithName(fmt.Sprint("n", i))
			assert.NoError(t, s.Validate())
		}()
	}
	wg.Wait()
	assert.Equal(t, `recording.NewStorage("my-bucket").WithTags(keys ["team"])`, base.String())
}

// "Formatted as an IP address" is four dot-separated groups of one to three digits, whatever their values
// (leading zeros included): a group of four digits, in any position, makes the name an ordinary bucket
// name, which CreateStorage sends; the same name with three digits in that group is refused with zero
// requests. A name with an empty group is refused for its own reason only. Catches: an empty group counted
// as a group of digits; leading zeros taken for "not an address". (internal/difftest compares the rule
// with stagetest's; this is the library's own case.)
func TestStorageIPv4Shape(t *testing.T) {
	t.Parallel()
	const ipv4 = "is formatted as an IPv4 address"
	tests := []struct {
		name   string
		bucket string
		want   []string // the reasons it is refused for, in order; nil: sent
	}{
		{"four digits first", "1234.1.1.1", nil},
		{"three digits first", "123.1.1.1", []string{ipv4}},
		{"four digits second", "1.1234.1.1", nil},
		{"four digits third", "1.1.1234.1", nil},
		{"four digits last", "1.1.1.1234", nil},
		{"three digits last", "1.1.1.123", []string{ipv4}},
		{"four zeros", "0000.0.0.0", nil},
		{"three zeros", "000.0.0.0", []string{ipv4}},
		{"leading zeros", "01.02.03.04", []string{ipv4}},
		{"empty last group", "1.2.3.", []string{"does not end with a lowercase letter or a digit"}},
		{"empty first group", ".1.2.3", []string{"does not begin with a lowercase letter or a digit"}},
		{"empty middle group", "1..2.3", []string{`contains two adjacent periods ".."`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := stagetest.New()
			sc, err := recording.NewClientFromConfig(srv.Config()).CreateStorage(t.Context(), recording.NewStorage(tt.bucket))
			if tt.want != nil {
				require.Error(t, err)
				var want []string
				for _, r := range tt.want {
					want = append(want, bucketPath+`: value "`+tt.bucket+`" `+r+" (S3 bucket naming rules), "+bucketPath+".")
				}
				assert.Equal(t, want, entries(t, err))
				assert.Equal(t, want, entries(t, recording.NewStorage(tt.bucket).Validate()), "Validate reports the same")
				assert.Zero(t, srv.RequestCount(), "invalid input sends nothing")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.bucket, sc.BucketName)
			reqs := srv.Requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, map[string]any{"s3": map[string]any{"bucketName": tt.bucket}}, body(t, reqs[0].Body))
		})
	}
}
