package rules_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/testutil"
)

// Our entries must build the same paths as the SDK's own ParamRequiredError under the same nesting.
func TestParamErrorPathsMatchSmithy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		nested []string // applied innermost first, like nested validators
		want   string
	}{
		{name: "top level", want: "CreateStageInput.Name"},
		{name: "one level", nested: []string{"AutoParticipantRecordingConfiguration"}, want: "CreateStageInput.AutoParticipantRecordingConfiguration.Name"},
		{name: "list index", nested: []string{"[3]", "ParticipantTokenConfigurations"}, want: "CreateStageInput.ParticipantTokenConfigurations[3].Name"},
		{name: "two levels", nested: []string{"ThumbnailConfiguration", "AutoParticipantRecordingConfiguration"}, want: "CreateStageInput.AutoParticipantRecordingConfiguration.ThumbnailConfiguration.Name"},
		{name: "empty nested context", nested: []string{""}, want: "CreateStageInput.Name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			build := func(e smithy.InvalidParamError) string {
				top := smithy.InvalidParamsError{Context: "CreateStageInput"}
				if len(tt.nested) == 0 {
					top.Add(e)
				} else {
					inner := smithy.InvalidParamsError{Context: "Inner"}
					inner.Add(e)
					for _, n := range tt.nested {
						outer := smithy.InvalidParamsError{Context: "CreateStageInput"}
						outer.AddNested(n, inner)
						inner = outer
					}
					top = inner
				}
				return top.Errs()[0].(smithy.InvalidParamError).Field()
			}
			ours := build(rules.New("Name", rules.RuleLength, "x"))
			theirs := build(smithy.NewErrParamRequired("Name"))
			assert.Equal(t, theirs, ours)
			assert.Equal(t, tt.want, ours)
		})
	}
}

func TestParamErrorText(t *testing.T) {
	t.Parallel()
	errs := smithy.InvalidParamsError{Context: "CreateStageInput"}
	rules.ReconnectWindowSeconds.Check(&errs, "RecordingReconnectWindowSeconds", 301)
	require.Equal(t, 1, errs.Len())
	e := errs.Errs()[0]
	assert.Equal(t, "value 301 is out of range 0..300, CreateStageInput.RecordingReconnectWindowSeconds.", e.Error())
	assert.Equal(t, rules.RuleRange, e.(*rules.ParamError).Rule())
	assert.Equal(t, "value 301 is out of range 0..300", e.(*rules.ParamError).Reason())
}

func TestStringCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		shape rules.String
		value string
		rule  string // "" = valid
	}{
		{"stage ARN valid", rules.StageArn, "arn:aws:ivs:us-east-1:123456789012:stage/AbCd1234", ""},
		{"stage ARN empty", rules.StageArn, "", rules.RuleLength},
		{"stage ARN wrong type", rules.StageArn, "arn:aws:ivs:us-east-1:123456789012:channel/AbCd1234", rules.RulePattern},
		{"stage ARN 128", rules.StageArn, "arn:aws:ivs:us-east-1:123456789012:stage/" + strings.Repeat("a", 128-41), ""},
		{"stage ARN 129", rules.StageArn, "arn:aws:ivs:us-east-1:123456789012:stage/" + strings.Repeat("a", 129-41), rules.RuleLength},
		{"name empty", rules.StageName, "", ""},
		{"name 128", rules.StageName, strings.Repeat("a", 128), ""},
		{"name 129", rules.StageName, strings.Repeat("a", 129), rules.RuleLength},
		{"name bad char", rules.StageName, "a b", rules.RulePattern},
		{"name all allowed chars", rules.StageName, "aZ09-_", ""},
		{"storage ARN empty allowed", rules.AutoRecordingStorageArn, "", ""},
		{"storage ARN valid", rules.AutoRecordingStorageArn, "arn:aws:ivs:us-east-1:123456789012:storage-configuration/AbC123", ""},
		{"storage ARN trailing junk", rules.AutoRecordingStorageArn, "arn:aws:ivs:us-east-1:123456789012:storage-configuration/AbC123 x", rules.RulePattern},
		{"user ID 128 é", rules.UserID, strings.Repeat("é", 128), ""},
		{"user ID 129 é", rules.UserID, strings.Repeat("é", 129), rules.RuleLength},
		{"tag key empty", rules.TagKey, "", rules.RuleLength},
		{"tag key 1", rules.TagKey, "k", ""},
		{"pagination token bad char", rules.PaginationToken, "a b", rules.RulePattern},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			errs := smithy.InvalidParamsError{Context: "In"}
			tt.shape.Check(&errs, "F", tt.value)
			assert.Equal(t, tt.rule == "", tt.shape.Valid(tt.value))
			if tt.rule == "" {
				assert.NoError(t, rules.Result(errs))
				return
			}
			assert.Equal(t, map[string]string{"In.F": tt.rule}, testutil.Violations(t, rules.Result(errs)))
		})
	}
}

// A value that fails an ARN check is quoted when it looks like an ARN, and only measured otherwise: it may be
// a secret passed in the wrong place.
func TestARNErrorsShowOnlyARNs(t *testing.T) {
	t.Parallel()
	pem := "-----BEGIN EC PRIVATE KEY-----\nMIGkAgEBBDBpRiVaTeKeYmAtErIaL\n-----END EC PRIVATE KEY-----\n"
	for _, shape := range []rules.String{rules.StageArn, rules.PublicKeyArn, rules.AutoRecordingStorageArn} {
		errs := smithy.InvalidParamsError{Context: "In"}
		shape.Check(&errs, "Pem", pem)
		shape.Check(&errs, "Long", strings.Repeat("x", 200))
		shape.Check(&errs, "Arn", "arn:aws:ivs:us-east-1:1:wrong/x")
		msgs := strings.Split(testutil.Messages(t, rules.Result(errs)), "\n")
		require.Len(t, msgs, 3)
		assert.NotContains(t, msgs[0], "pRiVaTe")
		assert.Contains(t, msgs[0], fmt.Sprintf("of %d bytes not starting with \"arn:\"", len(pem)))
		assert.NotContains(t, msgs[1], "xxxx")
		assert.Contains(t, msgs[2], `"arn:aws:ivs:us-east-1:1:wrong/x"`)
	}
}

func TestCheckDuration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		d     time.Duration
		unit  time.Duration
		shape rules.Int
		want  string // "" = valid; else the reason
	}{
		{"0 s", 0, time.Second, rules.ReconnectWindowSeconds, ""},
		{"300 s", 300 * time.Second, time.Second, rules.ReconnectWindowSeconds, ""},
		{"-1 s", -time.Second, time.Second, rules.ReconnectWindowSeconds, "value -1 is out of range 0..300"},
		{"301 s", 301 * time.Second, time.Second, rules.ReconnectWindowSeconds, "value 301 is out of range 0..300"},
		{"1.5 s", 1500 * time.Millisecond, time.Second, rules.ReconnectWindowSeconds, "value 1.5s is not a whole number of seconds"},
		{"90 s in minutes", 90 * time.Second, time.Minute, rules.TokenDurationMinutes, "value 1m30s is not a whole number of minutes"},
		{"1 minute", time.Minute, time.Minute, rules.TokenDurationMinutes, ""},
		{"0 minutes", 0, time.Minute, rules.TokenDurationMinutes, "value 0 is out of range 1..20160"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			errs := smithy.InvalidParamsError{}
			tt.shape.CheckDuration(&errs, "F", tt.d, tt.unit)
			if tt.want == "" {
				assert.Equal(t, 0, errs.Len())
				return
			}
			require.Equal(t, 1, errs.Len())
			assert.Equal(t, tt.want, errs.Errs()[0].(*rules.ParamError).Reason())
		})
	}
}

type color string

func (color) Values() []color { return []color{"RED", "BLUE"} }

func (c color) Valid() bool { return c == "RED" || c == "BLUE" }

func TestCheckList(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		items []color
		want  map[string]string
	}{
		{"empty", nil, map[string]string{}},
		{"two distinct", []color{"RED", "BLUE"}, map[string]string{}},
		{"duplicate", []color{"RED", "RED"}, map[string]string{"In.L[1]": rules.RuleUnique}},
		{"unknown", []color{"RED", "GREEN"}, map[string]string{"In.L[1]": rules.RuleEnum}},
		{"too many", []color{"RED", "BLUE", "RED"}, map[string]string{"In.L": rules.RuleLength, "In.L[2]": rules.RuleUnique}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			errs := smithy.InvalidParamsError{Context: "In"}
			rules.CheckList(&errs, "L", tt.items, 2)
			if len(tt.want) == 0 {
				assert.NoError(t, rules.Result(errs))
				return
			}
			assert.Equal(t, tt.want, testutil.Violations(t, rules.Result(errs)))
		})
	}
}

func TestCheckTags(t *testing.T) {
	t.Parallel()
	many := func(n int) map[string]string {
		m := map[string]string{}
		for i := range n {
			m[strings.Repeat("k", i+1)] = "v"
		}
		return m
	}
	tests := []struct {
		name string
		tags map[string]string
		want map[string]string
	}{
		{"none", nil, map[string]string{}},
		{"50 tags", many(50), map[string]string{}},
		{"51 tags", many(51), map[string]string{"In.Tags": rules.RuleLength}},
		{"key 128, value 256", map[string]string{strings.Repeat("k", 128): strings.Repeat("v", 256)}, map[string]string{}},
		{"key 129", map[string]string{strings.Repeat("k", 129): ""}, map[string]string{`In.Tags["` + strings.Repeat("k", 129) + `"].Key`: rules.RuleLength}},
		{"value 257", map[string]string{"k": strings.Repeat("é", 257)}, map[string]string{`In.Tags["k"]`: rules.RuleLength}},
		{"empty key", map[string]string{"": "v"}, map[string]string{`In.Tags[""].Key`: rules.RuleLength}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			errs := smithy.InvalidParamsError{Context: "In"}
			rules.CheckTags(&errs, "Tags", tt.tags)
			if len(tt.want) == 0 {
				assert.NoError(t, rules.Result(errs))
				return
			}
			assert.Equal(t, tt.want, testutil.Violations(t, rules.Result(errs)))
		})
	}
}

func TestQuoteCutsLongValues(t *testing.T) {
	t.Parallel()
	assert.Equal(t, `"abc"`, rules.Quote("abc"))
	q := rules.Quote(strings.Repeat("é", 100))
	assert.Equal(t, `"`+strings.Repeat("é", 64)+`"…`, q)
	arn := "arn:aws:ivs:us-east-1:123456789012:stage/" + strings.Repeat("A", 128-41)
	require.Len(t, arn, 128)
	assert.Equal(t, `"`+arn+`"`, rules.QuoteARN(arn), "an ARN of 128 code points is shown whole")
	assert.Equal(t, `"`+arn+`"…`, rules.QuoteARN(arn+"B"), "cut after 128")
}

// Values that look like a token or a key given in the wrong place are measured, not shown.
func TestQuoteHidesWhatLooksSecret(t *testing.T) {
	t.Parallel()
	jwt := "eyJhbGciOiJFUzM4NCJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
	for _, v := range []string{jwt, "user " + jwt, "-----BEGIN EC PRIVATE KEY-----\nMIGkAgEB\n-----END EC PRIVATE KEY-----\n"} {
		q := rules.Quote(v)
		assert.Equal(t, fmt.Sprintf("(%d bytes, not shown: it looks like a token or a key)", len(v)), q)
	}
	// One dot, or no JSON header: shown.
	assert.Equal(t, `"eyJ.x"`, rules.Quote("eyJ.x"))
	assert.Equal(t, `"a.b.c"`, rules.Quote("a.b.c"))
}

func TestValidCheckDoesNotAllocate(t *testing.T) {
	errs := smithy.InvalidParamsError{Context: "In"}
	allocs := testing.AllocsPerRun(100, func() {
		rules.StageArn.Check(&errs, "Arn", "arn:aws:ivs:us-east-1:123456789012:stage/AbCd1234")
		rules.StageName.Check(&errs, "Name", "my-stage")
		rules.ReconnectWindowSeconds.CheckDuration(&errs, "W", time.Minute, time.Second)
		rules.CheckTags(&errs, "Tags", map[string]string{"a": "b"})
	})
	assert.Zero(t, allocs)
	assert.Zero(t, errs.Len())
}

func TestPatternShownAsTheAPIReferencePrintsIt(t *testing.T) {
	errs := smithy.InvalidParamsError{Context: "X"}
	rules.AutoRecordingStorageArn.Check(&errs, "StorageConfigurationArn", "arn:aws:ivs:us-east-1:123456789012:stage/AbC")
	require.Equal(t, 1, errs.Len())
	msg := errs.Error()
	assert.Contains(t, msg, "pattern ^$|^arn:aws:ivs:[a-z0-9-]+:[0-9]+:storage-configuration/[a-zA-Z0-9-]+$,")
	assert.NotContains(t, msg, "^^$", "no doubled anchors")
}

func TestKeyMeasuresWhatLooksSecret(t *testing.T) {
	t.Parallel()
	assert.Equal(t, `["team"]`, rules.Key("team"))
	jwt := "eyJhbGciOiJFUzM4NCJ9.eyJzdWIiOiJ4In0.c2ln"
	k := rules.Key(jwt)
	assert.NotContains(t, k, "eyJ", "a key that looks like a token is not shown")
	assert.Equal(t, fmt.Sprintf("[(%d bytes, not shown: it looks like a token or a key)]", len(jwt)), k)
}

// An empty value where the shape needs at least one code point says so: "is empty", the field is required,
// and the length the shape takes; never a measurement of zero bytes or a "not shown". One code point more
// is judged by the length and the pattern as usual, and shapes that allow "" accept it.
func TestEmptyRequiredString(t *testing.T) {
	t.Parallel()
	required := []struct {
		name    string
		shape   rules.String
		lengths string
		oneMore string // the shortest non-empty value, and the rule it breaks ("" = valid)
		rule    string
	}{
		{"stage ARN", rules.StageArn, "1..128 code points", "a", rules.RulePattern},
		{"public key ARN", rules.PublicKeyArn, "1..128 code points", "a", rules.RulePattern},
		{"storage configuration ARN", rules.StorageConfigurationArn, "1..128 code points", "a", rules.RulePattern},
		{"resource ARN", rules.ResourceArn, "1..128 code points", "a", rules.RulePattern},
		{"session ID", rules.SessionID, "exactly 16 code points", "s", rules.RuleLength},
		{"tag key", rules.TagKey, "1..128 code points", "k", ""},
		{"bucket name", rules.BucketName, "3..63 code points", "a", rules.RuleLength},
	}
	for _, tt := range required {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			errs := smithy.InvalidParamsError{Context: "In"}
			tt.shape.Check(&errs, "F", "")
			require.Equal(t, 1, errs.Len(), "one violation")
			e := errs.Errs()[0].(*rules.ParamError)
			assert.Equal(t, rules.RuleLength, e.Rule())
			assert.Equal(t, "value is empty; the field is required ("+tt.lengths+"), In.F.", e.Error())
			assert.NotContains(t, e.Error(), "bytes")
			assert.NotContains(t, e.Error(), "not shown")
			assert.False(t, tt.shape.Valid(""))

			errs = smithy.InvalidParamsError{Context: "In"}
			tt.shape.Check(&errs, "F", tt.oneMore)
			assert.Equal(t, tt.rule == "", tt.shape.Valid(tt.oneMore))
			if tt.rule == "" {
				assert.Zero(t, errs.Len())
				return
			}
			assert.Equal(t, map[string]string{"In.F": tt.rule}, testutil.Violations(t, rules.Result(errs)))
			assert.NotContains(t, errs.Error(), "is empty")
		})
	}
	optional := map[string]rules.String{
		"stage name": rules.StageName, "public key name": rules.PublicKeyName, "auto-recording storage ARN": rules.AutoRecordingStorageArn,
		"user ID": rules.UserID, "tag value": rules.TagValue, "pagination token": rules.PaginationToken, "storage name": rules.StorageName,
		"participant ID": rules.ParticipantID, "participant token ID": rules.ParticipantTokenID, "disconnect reason": rules.DisconnectReason,
		"filter user ID": rules.FilterUserID,
	}
	for name, shape := range optional {
		errs := smithy.InvalidParamsError{Context: "In"}
		shape.Check(&errs, "F", "")
		assert.Zero(t, errs.Len(), "%s: the model allows \"\"", name)
		assert.True(t, shape.Valid(""), name)
	}
}

// Show renders "" as "" even for a shape with a Prefix: an empty value hides nothing.
func TestShowEmpty(t *testing.T) {
	t.Parallel()
	assert.Equal(t, `""`, rules.StageArn.Show(""))
	assert.Equal(t, `""`, rules.PublicKeyArn.Show(""))
	assert.Equal(t, `""`, rules.StageName.Show(""))
	assert.Equal(t, `"arn:x"`, rules.StageArn.Show("arn:x"))
	assert.Contains(t, rules.StageArn.Show("x"), `not starting with "arn:" (not shown`, "one byte is measured, not shown")
}
