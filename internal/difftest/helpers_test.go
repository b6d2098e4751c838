// Package difftest checks the library's validation against stagetest's server-side validation, which is
// written independently: for a table of configurations, what the library accepts the fake accepts, and what
// the library rejects the fake rejects too (or the rule is one the library adds on purpose).
//
// The tables of storage configurations (recording_test.go), participant filters, participant IDs and
// disconnect (participant_test.go), replication (replication_test.go) and tags (tags_test.go) hold more:
// each row's verdict is pinned to the model, a rejected input names the same fields on both sides and
// sends nothing from the library, and an accepted one goes over the wire exactly as the raw SDK input
// does. The library's own rules, which the fake accepts on purpose, are named in their rows
// (libraryOnly): invalid UTF-8 (the SDK's JSON encoder would send U+FFFD instead) and TagResource with no
// tags (it would change nothing).
package difftest

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// srv is the fake every test of this package talks to; storageARN is a storage configuration it holds (the
// fake refuses a recording configuration whose storage configuration does not exist).
var (
	srv        = stagetest.New()
	storageARN = srv.MustAddStorageConfiguration("difftest-recordings")
)

// The tables the package doc names compare more than the verdicts: each input goes once through the
// library's client and once as the raw SDK input built from the same wire values, to a fresh fake. Then
//   - the library accepts ⇔ the fake accepts the raw input (its answer is not a ValidationException; an
//     accepted input may still meet a 404 for a participant that is not there), and what the library sent
//     is exactly what the raw input sent;
//   - the library rejects ⇒ it sent nothing, and the fake rejects the raw input naming the same fields;
//   - unless the case names a rule the library adds on purpose (libraryOnly): then the library rejects and
//     the fake accepts, and the reason is written in the case.

// world is what a case's calls may use: real resources on the case's own fake (a stage with an active
// session and a connected participant, a second stage), for the inputs that name them.
type world struct {
	stageARN, sessionID, participantID, otherStageARN string
}

// wireCase is one input, built twice from the same wire values.
type wireCase struct {
	name string
	// lib calls the library's client; raw sends the raw SDK input.
	lib func(ctx context.Context, c libClients, w world) error
	raw func(ctx context.Context, c *ivsrealtime.Client, w world) error
	// bad says the input breaks a rule of the model (or a documented rule stagetest applies): the library
	// must reject it. It pins each row's verdict, so that the two sides cannot agree on a wrong one.
	bad bool
	// sdkRefuses says the official client's own validation refuses the raw input (a required member
	// missing), so it never reaches the fake: the library must refuse it too, naming the same fields.
	sdkRefuses bool
	// libraryOnly is why the library refuses an input the fake (like the service's model) accepts, for a
	// rule the library adds on purpose; "" when there is none.
	libraryOnly string
}

// libClients are the library's clients of a case's fake.
type libClients struct {
	stages   *stage.Client
	storages *recording.Client
}

// newWorld makes a fresh fake with a stage whose active session holds a connected participant (a second
// participant keeps the session active if the first is disconnected), and a second stage.
func newWorld(t *testing.T, opts ...stagetest.Option) (*stagetest.Server, world) {
	t.Helper()
	s := stagetest.New(opts...)
	c := stage.NewClientFromConfig(s.Config())
	st, toks, err := c.Create(t.Context(), stage.New().WithParticipants(token.New().WithUserID("host"), token.New().WithUserID("guest")))
	require.NoError(t, err)
	pid, err := s.Join(st.ARN, toks[0].Value())
	require.NoError(t, err)
	_, err = s.Join(st.ARN, toks[1].Value())
	require.NoError(t, err)
	got, err := c.Get(t.Context(), st.ARN)
	require.NoError(t, err)
	other, _, err := c.Create(t.Context(), stage.New())
	require.NoError(t, err)
	return s, world{stageARN: st.ARN, sessionID: got.ActiveSessionID, participantID: pid, otherStageARN: other.ARN}
}

// checkAgree runs c against a fresh fake and checks the agreement described above. op is the operation
// the library names in its errors.
func checkAgree(t *testing.T, op string, c wireCase, opts ...stagetest.Option) {
	t.Helper()
	s, w := newWorld(t, opts...)
	cfg := s.Config()
	from := s.RequestCount()
	libErr := c.lib(t.Context(), libClients{stage.NewClientFromConfig(cfg), recording.NewClientFromConfig(cfg)}, w)
	libReqs := s.Requests()[from:]
	rawErr := c.raw(t.Context(), ivsrealtime.NewFromConfig(cfg), w)
	rawReqs := s.Requests()[from+len(libReqs):]
	if c.sdkRefuses {
		var sdkInvalid, libInvalid smithy.InvalidParamsError
		require.ErrorAs(t, rawErr, &sdkInvalid, "the official client refuses it")
		require.ErrorAs(t, libErr, &libInvalid, "the library refuses it too")
		assert.Empty(t, libReqs)
		assert.Empty(t, rawReqs)
		assert.Equal(t, libraryFields(sdkInvalid), libraryFields(libInvalid), "the same fields: library %v; SDK %v", libErr, rawErr)
		return
	}
	require.Len(t, rawReqs, 1, "the raw input reached the fake")

	var invalid smithy.InvalidParamsError
	libRejects := errors.As(libErr, &invalid)
	var ve *types.ValidationException
	fakeRejects := errors.As(rawErr, &ve)
	if libRejects {
		assert.Empty(t, libReqs, "the library sends nothing for input it rejects")
		var opErr *smithy.OperationError
		if assert.ErrorAs(t, libErr, &opErr) {
			assert.Equal(t, op, opErr.OperationName)
		}
	}
	require.Equal(t, c.bad || c.libraryOnly != "", libRejects, "the library's verdict is the model's: %v", libErr)
	switch {
	case c.libraryOnly != "":
		require.True(t, libRejects, "the library's own rule (%s) rejects it: %v", c.libraryOnly, libErr)
		assert.False(t, fakeRejects, "the fake has no such rule (%s): %v", c.libraryOnly, rawErr)
	case libRejects:
		require.True(t, fakeRejects, "the library rejects it (%v); the fake answered %v", libErr, rawErr)
		assert.Equal(t, libraryFields(invalid), fakeFields(aws.ToString(ve.ExceptionMessage)),
			"the same fields are refused: library %v; fake %q", libErr, aws.ToString(ve.ExceptionMessage))
	default:
		assert.False(t, fakeRejects, "the library accepts it; the fake must too: %v", rawErr)
		assert.False(t, errors.As(libErr, &ve), "the fake accepts what the library sent: %v", libErr)
		if assert.Len(t, libReqs, 1, "the library sent one request") {
			assert.Equal(t, rawReqs[0].JSON(), libReqs[0].JSON(), "the library sends the same wire values")
			assert.Equal(t, rawReqs[0].Path, libReqs[0].Path)
			assert.Equal(t, rawReqs[0].Query, libReqs[0].Query)
		}
	}
}

// runTable runs checkAgree on every case of a table, in parallel subtests named after the cases.
func runTable[C interface{ wire() wireCase }](t *testing.T, op string, cases []C) {
	t.Helper()
	for _, c := range cases {
		wc := c.wire()
		t.Run(wc.name, func(t *testing.T) {
			t.Parallel()
			checkAgree(t, op, wc)
		})
	}
}

// brackets matches a map key or list index of a field path.
var brackets = regexp.MustCompile(`\[[^\]]*\]`)

// libraryFields returns the fields an InvalidParamsError names, as wire paths without map keys or list
// indexes: "CreateStorageConfigurationInput.S3.BucketName" is "s3.bucketName", `…Input.Tags["k"]` and
// `…Input.Tags["k"].Key` are "tags".
func libraryFields(invalid smithy.InvalidParamsError) []string {
	set := map[string]bool{}
	for _, err := range invalid.Errs() {
		f, ok := err.(interface{ Field() string })
		if !ok {
			set["?"+err.Error()] = true
			continue
		}
		// Without "…Input"; a map key's violation (`Tags["k"].Key`) is the map's, as the fake names it.
		parts := strings.Split(strings.TrimSuffix(brackets.ReplaceAllString(f.Field(), ""), ".Key"), ".")[1:]
		for i, p := range parts {
			r, size := utf8.DecodeRuneInString(p)
			parts[i] = string(unicode.ToLower(r)) + p[size:]
		}
		set[strings.Join(parts, ".")] = true
		// More than one participant filter is one violation that names every filter given, as the fake does.
		if m := libOnlyOne.FindStringSubmatch(err.Error()); m != nil {
			for f := range strings.SplitSeq(m[1], ", ") {
				set[strings.ToLower(f[:1])+f[1:]] = true
			}
		}
	}
	return sortedKeys(set)
}

var (
	fakeAt      = regexp.MustCompile(`at '([^']*)' failed to satisfy`)
	fakeOnlyOne = regexp.MustCompile(`can be provided per request \(got \d+: \[([^\]]*)\]\)`)
	libOnlyOne  = regexp.MustCompile(`one filter per request, given \d+: ([A-Za-z, ]+);`)
)

// fakeFields returns the fields a stagetest ValidationException message names ("Value 'x' at
// 'filterByState' failed to satisfy constraint: …", and the filters of "Only one of … (got 2: [a b])"),
// without map keys or list indexes.
func fakeFields(msg string) []string {
	set := map[string]bool{}
	for _, m := range fakeAt.FindAllStringSubmatch(msg, -1) {
		set[brackets.ReplaceAllString(m[1], "")] = true
	}
	for _, m := range fakeOnlyOne.FindAllStringSubmatch(msg, -1) {
		for f := range strings.FieldsSeq(m[1]) {
			set[f] = true
		}
	}
	return sortedKeys(set)
}

// sortedKeys returns the members of set, sorted.
func sortedKeys(set map[string]bool) []string {
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Wire values shared by the tables.
const (
	stageARNPrefix = "arn:aws:ivs:us-east-1:123456789012:stage/"
	// unknownStage and unknownSession are well-formed; the fake holds no such stage or session.
	unknownStage   = stageARNPrefix + "NoSuchStage0"
	unknownSession = "st-NoSuchSession"
	// unknownParticipant is a well-formed participant ID the fake never issued.
	unknownParticipant = "NoSuchParticipant0000000"
	// invalidUTF8 is not UTF-8. The SDK's JSON encoder sends U+FFFD in place of its byte, which is valid,
	// so the fake never sees it: refusing it is the library's own rule (it would not send what it was
	// given).
	invalidUTF8 = "ok\xff"
)

var (
	arn128 = stageARNPrefix + strings.Repeat("a", 128-len(stageARNPrefix))
	arn129 = stageARNPrefix + strings.Repeat("a", 129-len(stageARNPrefix))
)

// assertAgree checks the verdicts of the library (libErr) and of the fake (srvErr) on the same input: the
// fake accepts what the library accepts and answers a ValidationException to what it rejects.
func assertAgree(t *testing.T, libErr, srvErr error) {
	t.Helper()
	if libErr == nil {
		assert.NoError(t, srvErr, "the library accepts it, the fake must too")
		return
	}
	var ve *types.ValidationException
	assert.True(t, errors.As(srvErr, &ve), "the library rejects it (%v); the fake answered %v", libErr, srvErr)
}

func nTags(n int) map[string]string {
	tags := make(map[string]string, n)
	for i := range n {
		tags[fmt.Sprintf("key-%02d", i)] = "v"
	}
	return tags
}
