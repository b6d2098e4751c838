package difftest

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
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

// The tables of part two (storage configurations, participant filters, disconnect, replication) compare
// more than the verdicts: each input goes once through the library's client and once as the raw SDK input
// built from the same wire values, to a fresh fake. Then
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

// --- storage configurations ---

type storageCase struct {
	name        string
	bad         bool // the model (or S3's naming rules) refuses it
	bucket      string
	storageName *string
	tags        map[string]string
	libraryOnly string
}

func (c storageCase) wire() wireCase {
	return wireCase{
		name: c.name, bad: c.bad, libraryOnly: c.libraryOnly,
		lib: func(ctx context.Context, cl libClients, _ world) error {
			s := recording.NewStorage(c.bucket)
			if c.storageName != nil {
				s = s.WithName(*c.storageName)
			}
			if c.tags != nil {
				s = s.WithTags(c.tags)
			}
			_, err := cl.storages.CreateStorage(ctx, s)
			return err
		},
		raw: func(ctx context.Context, cl *ivsrealtime.Client, _ world) error {
			_, err := cl.CreateStorageConfiguration(ctx, &ivsrealtime.CreateStorageConfigurationInput{
				S3: &types.S3StorageConfiguration{BucketName: aws.String(c.bucket)}, Name: c.storageName, Tags: c.tags,
			})
			return err
		},
	}
}

func nTags(n int) map[string]string {
	tags := make(map[string]string, n)
	for i := range n {
		tags[fmt.Sprintf("key-%02d", i)] = "v"
	}
	return tags
}

func TestStorageValidationAgreesWithTheFake(t *testing.T) {
	t.Parallel()
	cases := []storageCase{
		{name: "bucket 2", bad: true, bucket: "ab"},
		{name: "bucket 3", bucket: "abc"},
		{name: "bucket 63", bucket: strings.Repeat("b", 63)},
		{name: "bucket 64", bad: true, bucket: strings.Repeat("b", 64)},
		{name: "bucket with digits, dots and hyphens", bucket: "my-bucket.2026.logs"},
		{name: "bucket uppercase", bad: true, bucket: "My-bucket"},
		{name: "bucket underscore", bad: true, bucket: "my_bucket"},
		{name: "bucket é", bad: true, bucket: "bucké"},
		{name: "bucket begins with a digit", bucket: "0abc"},
		{name: "bucket begins with a hyphen", bad: true, bucket: "-abc"},
		{name: "bucket begins with a period", bad: true, bucket: ".abc"},
		{name: "bucket ends with a digit", bucket: "abc0"},
		{name: "bucket ends with a hyphen", bad: true, bucket: "abc-"},
		{name: "bucket ends with a period", bad: true, bucket: "abc."},
		{name: "bucket with periods apart", bucket: "a.b.c"},
		{name: "bucket with two adjacent periods", bad: true, bucket: "a..b"},
		{name: "bucket formatted as an IPv4 address", bad: true, bucket: "192.168.5.4"},
		{name: "bucket of three numbers", bucket: "192.168.5"},
		{name: "bucket of four numbers and a letter", bucket: "192.168.5.4a"},
		{name: "bucket of four numbers past 255", bad: true, bucket: "300.168.5.4"},
		// "Formatted as an IP address": both sides read it as four dot-separated groups of digits, whatever
		// their values (S3's rule gives only the example 192.168.5.4; whether it refuses 999.999.999.999 is
		// unconfirmed).
		{name: "bucket 1.2.3.4", bad: true, bucket: "1.2.3.4"},
		{name: "bucket 0.0.0.0", bad: true, bucket: "0.0.0.0"},
		{name: "bucket with leading zeros 192.168.05.004", bad: true, bucket: "192.168.05.004"},
		{name: "bucket of five numbers", bucket: "1.2.3.4.5"},
		{name: "bucket with a group of four digits", bucket: "1234.1.1.1"},
		{name: "bucket 999.999.999.999", bad: true, bucket: "999.999.999.999"},
		{name: "bucket prefix xn--", bad: true, bucket: "xn--abc"},
		{name: "bucket prefix xn-", bucket: "xn-abc"},
		{name: "bucket prefix sthree-", bad: true, bucket: "sthree-abc"},
		{name: "bucket prefix sthree", bucket: "sthreeabc"},
		{name: "bucket prefix amzn-s3-demo-", bad: true, bucket: "amzn-s3-demo-abc"},
		{name: "bucket prefix amzn-s3-demo", bucket: "amzn-s3-demoabc"},
		{name: "bucket suffix -s3alias", bad: true, bucket: "abc-s3alias"},
		{name: "bucket suffix s3alias", bucket: "abcs3alias"},
		{name: "bucket suffix --ol-s3", bad: true, bucket: "abc--ol-s3"},
		{name: "bucket suffix -ol-s3", bucket: "abc-ol-s3"},
		{name: "bucket suffix .mrap", bad: true, bucket: "abc.mrap"},
		{name: "bucket suffix mrap", bucket: "abcmrap"},
		{name: "bucket suffix --x-s3", bad: true, bucket: "abc--x-s3"},
		{name: "bucket suffix -x-s3", bucket: "abc-x-s3"},
		{name: "bucket suffix --table-s3", bad: true, bucket: "abc--table-s3"},
		{name: "bucket suffix -table-s3", bucket: "abc-table-s3"},
		{name: "bucket breaking three S3 rules", bad: true, bucket: "-a..b-"},
		{name: "name empty", bucket: "abc", storageName: aws.String("")},
		{name: "name 128", bucket: "abc", storageName: aws.String(strings.Repeat("n", 128))},
		{name: "name 129", bad: true, bucket: "abc", storageName: aws.String(strings.Repeat("n", 129))},
		{name: "name with - and _", bucket: "abc", storageName: aws.String("main_store-1")},
		{name: "name with a space", bad: true, bucket: "abc", storageName: aws.String("main store")},
		{name: "name é", bad: true, bucket: "abc", storageName: aws.String("é")},
		{name: "tags 50", bucket: "abc", tags: nTags(50)},
		{name: "tags 51", bad: true, bucket: "abc", tags: nTags(51)},
		{name: "tag key 128 é", bucket: "abc", tags: map[string]string{strings.Repeat("é", 128): "v"}},
		{name: "tag key 129 é", bad: true, bucket: "abc", tags: map[string]string{strings.Repeat("é", 129): "v"}},
		{name: "tag key empty", bad: true, bucket: "abc", tags: map[string]string{"": "v"}},
		{name: "tag value 256 é", bucket: "abc", tags: map[string]string{"k": strings.Repeat("é", 256)}},
		{name: "tag value 257 é", bad: true, bucket: "abc", tags: map[string]string{"k": strings.Repeat("é", 257)}},
		{name: "tag value empty", bucket: "abc", tags: map[string]string{"k": ""}},
		{name: "tag value not UTF-8", bucket: "abc", tags: map[string]string{"k": invalidUTF8}, libraryOnly: "invalid UTF-8"},
		{name: "name not UTF-8", bad: true, bucket: "abc", storageName: aws.String(invalidUTF8)},
		{name: "everything invalid", bad: true, bucket: "XN--a", storageName: aws.String("a b"), tags: map[string]string{"": strings.Repeat("v", 257)}},
	}
	runTable(t, "CreateStorageConfiguration", cases)
}

// --- participant filters (and the rest of ListParticipants' input) ---

type filterCase struct {
	name string
	bad  bool // the model refuses it
	// opts are the library's options; in is the same as the raw input's members (StageArn and SessionId
	// default to the world's).
	opts        []stage.ListOption
	in          ivsrealtime.ListParticipantsInput
	libraryOnly string
}

func (c filterCase) wire() wireCase {
	ids := func(w world) (arn, session string) {
		arn, session = aws.ToString(c.in.StageArn), aws.ToString(c.in.SessionId)
		if c.in.StageArn == nil {
			arn = w.stageARN
		}
		if c.in.SessionId == nil {
			session = w.sessionID
		}
		return arn, session
	}
	return wireCase{
		name: c.name, bad: c.bad, libraryOnly: c.libraryOnly,
		lib: func(ctx context.Context, cl libClients, w world) error {
			arn, session := ids(w)
			for _, err := range cl.stages.Participants(ctx, arn, session, c.opts...) {
				return err // the first page's verdict: one request, as the raw input's
			}
			return nil
		},
		raw: func(ctx context.Context, cl *ivsrealtime.Client, w world) error {
			in := c.in
			arn, session := ids(w)
			in.StageArn, in.SessionId = aws.String(arn), aws.String(session)
			_, err := cl.ListParticipants(ctx, &in)
			return err
		},
	}
}

func TestParticipantFilterValidationAgreesWithTheFake(t *testing.T) {
	t.Parallel()
	cases := []filterCase{
		{name: "no filter"},
		{name: "user ID 128 é", opts: []stage.ListOption{stage.FilterUserID(strings.Repeat("é", 128))},
			in: ivsrealtime.ListParticipantsInput{FilterByUserId: aws.String(strings.Repeat("é", 128))}},
		{name: "user ID 129 é", bad: true, opts: []stage.ListOption{stage.FilterUserID(strings.Repeat("é", 129))},
			in: ivsrealtime.ListParticipantsInput{FilterByUserId: aws.String(strings.Repeat("é", 129))}},
		{name: "user ID empty", opts: []stage.ListOption{stage.FilterUserID("")},
			in: ivsrealtime.ListParticipantsInput{FilterByUserId: aws.String("")}},
		{name: "user ID not UTF-8", opts: []stage.ListOption{stage.FilterUserID(invalidUTF8)},
			in: ivsrealtime.ListParticipantsInput{FilterByUserId: aws.String(invalidUTF8)}, libraryOnly: "invalid UTF-8"},
		{name: "published", opts: []stage.ListOption{stage.FilterPublished()},
			in: ivsrealtime.ListParticipantsInput{FilterByPublished: true}},
		{name: "state CONNECTED", opts: []stage.ListOption{stage.FilterState(stage.ParticipantConnected)},
			in: ivsrealtime.ListParticipantsInput{FilterByState: types.ParticipantStateConnected}},
		{name: "state DISCONNECTED", opts: []stage.ListOption{stage.FilterState(stage.ParticipantDisconnected)},
			in: ivsrealtime.ListParticipantsInput{FilterByState: types.ParticipantStateDisconnected}},
		{name: "state lowercase", bad: true, opts: []stage.ListOption{stage.FilterState("connected")},
			in: ivsrealtime.ListParticipantsInput{FilterByState: "connected"}},
		{name: "state unknown", bad: true, opts: []stage.ListOption{stage.FilterState("GONE")},
			in: ivsrealtime.ListParticipantsInput{FilterByState: "GONE"}},
		{name: "recording state DISABLED", bad: true, opts: []stage.ListOption{stage.FilterRecordingState(recording.StateDisabled)},
			in: ivsrealtime.ListParticipantsInput{FilterByRecordingState: "DISABLED"}},
		{name: "recording state lowercase", bad: true, opts: []stage.ListOption{stage.FilterRecordingState("active")},
			in: ivsrealtime.ListParticipantsInput{FilterByRecordingState: "active"}},
		{name: "recording state unknown", bad: true, opts: []stage.ListOption{stage.FilterRecordingState("PAUSED")},
			in: ivsrealtime.ListParticipantsInput{FilterByRecordingState: "PAUSED"}},
		{name: "user ID and state", bad: true, opts: []stage.ListOption{stage.FilterUserID("u"), stage.FilterState(stage.ParticipantConnected)},
			in: ivsrealtime.ListParticipantsInput{FilterByUserId: aws.String("u"), FilterByState: types.ParticipantStateConnected}},
		{name: "published and recording state", bad: true, opts: []stage.ListOption{stage.FilterPublished(), stage.FilterRecordingState(recording.StateActive)},
			in: ivsrealtime.ListParticipantsInput{FilterByPublished: true, FilterByRecordingState: types.ParticipantRecordingFilterByRecordingStateActive}},
		{name: "all four filters", bad: true, opts: []stage.ListOption{stage.FilterUserID("u"), stage.FilterPublished(),
			stage.FilterState(stage.ParticipantDisconnected), stage.FilterRecordingState(recording.StateFailed)},
			in: ivsrealtime.ListParticipantsInput{FilterByUserId: aws.String("u"), FilterByPublished: true,
				FilterByState: types.ParticipantStateDisconnected, FilterByRecordingState: types.ParticipantRecordingFilterByRecordingStateFailed}},
		{name: "two filters, one invalid", bad: true, opts: []stage.ListOption{stage.FilterUserID(strings.Repeat("u", 129)), stage.FilterState("connected")},
			in: ivsrealtime.ListParticipantsInput{FilterByUserId: aws.String(strings.Repeat("u", 129)), FilterByState: "connected"}},
		{name: "page size 1", opts: []stage.ListOption{stage.WithPageSize(1)}, in: ivsrealtime.ListParticipantsInput{MaxResults: aws.Int32(1)}},
		{name: "page size 100", opts: []stage.ListOption{stage.WithPageSize(100)}, in: ivsrealtime.ListParticipantsInput{MaxResults: aws.Int32(100)}},
		{name: "page size 0", bad: true, opts: []stage.ListOption{stage.WithPageSize(0)}, in: ivsrealtime.ListParticipantsInput{MaxResults: aws.Int32(0)}},
		{name: "page size 101", bad: true, opts: []stage.ListOption{stage.WithPageSize(101)}, in: ivsrealtime.ListParticipantsInput{MaxResults: aws.Int32(101)}},
		{name: "unknown session", in: ivsrealtime.ListParticipantsInput{SessionId: aws.String(unknownSession)}},
		{name: "session ID 15", bad: true, in: ivsrealtime.ListParticipantsInput{SessionId: aws.String("st-a1b2c3d4e5f6")}},
		{name: "session ID 17", bad: true, in: ivsrealtime.ListParticipantsInput{SessionId: aws.String("st-a1b2c3d4e5f6gh")}},
		{name: "session ID without st-", bad: true, in: ivsrealtime.ListParticipantsInput{SessionId: aws.String("xx-a1b2c3d4e5f6g")}},
		{name: "session ID with a hyphen inside", bad: true, in: ivsrealtime.ListParticipantsInput{SessionId: aws.String("st-a1b2c3d4e5f6-")}},
		{name: "unknown stage", in: ivsrealtime.ListParticipantsInput{StageArn: aws.String(unknownStage)}},
		{name: "stage ARN 128", in: ivsrealtime.ListParticipantsInput{StageArn: aws.String(arn128)}},
		{name: "stage ARN 129", bad: true, in: ivsrealtime.ListParticipantsInput{StageArn: aws.String(arn129)}},
		{name: "ARN of a channel", bad: true, in: ivsrealtime.ListParticipantsInput{StageArn: aws.String("arn:aws:ivs:us-east-1:123456789012:channel/abc")}},
		{name: "everything invalid", bad: true, opts: []stage.ListOption{stage.FilterState("x"), stage.FilterRecordingState("y"), stage.WithPageSize(0)},
			in: ivsrealtime.ListParticipantsInput{StageArn: aws.String("x"), SessionId: aws.String("y"), FilterByState: "x",
				FilterByRecordingState: "y", MaxResults: aws.Int32(0)}},
	}
	for _, s := range recording.StateStarting.Values() {
		if s == recording.StateDisabled {
			continue
		}
		cases = append(cases, filterCase{name: "recording state " + string(s), opts: []stage.ListOption{stage.FilterRecordingState(s)},
			in: ivsrealtime.ListParticipantsInput{FilterByRecordingState: types.ParticipantRecordingFilterByRecordingState(s)}})
	}
	runTable(t, "ListParticipants", cases)
}

// --- disconnect ---

type disconnectCase struct {
	name string
	bad  bool // the model refuses it
	// stageARN and participantID default to the world's connected participant (nil).
	stageARN, participantID *string
	reason                  string // "" is not sent
	libraryOnly             string
}

func (c disconnectCase) wire() wireCase {
	ids := func(w world) (arn, pid string) {
		arn, pid = w.stageARN, w.participantID
		if c.stageARN != nil {
			arn = *c.stageARN
		}
		if c.participantID != nil {
			pid = *c.participantID
		}
		return arn, pid
	}
	return wireCase{
		name: c.name, bad: c.bad, libraryOnly: c.libraryOnly,
		lib: func(ctx context.Context, cl libClients, w world) error {
			arn, pid := ids(w)
			return cl.stages.Disconnect(ctx, arn, pid, c.reason)
		},
		raw: func(ctx context.Context, cl *ivsrealtime.Client, w world) error {
			arn, pid := ids(w)
			in := &ivsrealtime.DisconnectParticipantInput{StageArn: aws.String(arn), ParticipantId: aws.String(pid)}
			if c.reason != "" {
				in.Reason = aws.String(c.reason)
			}
			_, err := cl.DisconnectParticipant(ctx, in)
			return err
		},
	}
}

func TestDisconnectValidationAgreesWithTheFake(t *testing.T) {
	t.Parallel()
	cases := []disconnectCase{
		{name: "connected participant"},
		{name: "connected participant, reason", reason: "spamming the chat"},
		{name: "participant ID with _", participantID: aws.String("self_signed_jti-1")},
		{name: "participant ID 64", participantID: aws.String(strings.Repeat("p", 64))},
		{name: "participant ID 65", bad: true, participantID: aws.String(strings.Repeat("p", 65))},
		{name: "participant ID empty", participantID: aws.String("")},
		{name: "participant ID with a space", bad: true, participantID: aws.String("a b")},
		{name: "participant ID é", bad: true, participantID: aws.String("é")},
		{name: "reason 128 é", reason: strings.Repeat("é", 128)},
		{name: "reason 129 é", bad: true, reason: strings.Repeat("é", 129)},
		{name: "reason not UTF-8", reason: invalidUTF8, libraryOnly: "invalid UTF-8"},
		{name: "unknown stage", stageARN: aws.String(unknownStage)},
		{name: "stage ARN 128", stageARN: aws.String(arn128)},
		{name: "stage ARN 129", bad: true, stageARN: aws.String(arn129)},
		{name: "ARN of a storage configuration", bad: true, stageARN: aws.String("arn:aws:ivs:us-east-1:123456789012:storage-configuration/abc")},
		{name: "everything invalid", bad: true, stageARN: aws.String("stage"), participantID: aws.String(strings.Repeat("_", 65)), reason: strings.Repeat("r", 129)},
	}
	runTable(t, "DisconnectParticipant", cases)
}

// --- replication ---

type replicationCase struct {
	name string
	bad  bool // the model refuses it
	// source, destination and participantID default to the world's stage, other stage and connected
	// participant (nil).
	source, destination, participantID *string
	window                             *int32 // seconds; nil is not set
	attrs                              map[string]string
	libraryOnly                        string
}

func (c replicationCase) wire() wireCase {
	ids := func(w world) (src, dst, pid string) {
		src, dst, pid = w.stageARN, w.otherStageARN, w.participantID
		if c.source != nil {
			src = *c.source
		}
		if c.destination != nil {
			dst = *c.destination
		}
		if c.participantID != nil {
			pid = *c.participantID
		}
		return src, dst, pid
	}
	return wireCase{
		name: c.name, bad: c.bad, libraryOnly: c.libraryOnly,
		lib: func(ctx context.Context, cl libClients, w world) error {
			r := stage.NewReplication(ids(w))
			if c.window != nil {
				r = r.WithReconnectWindow(time.Duration(*c.window) * time.Second)
			}
			if c.attrs != nil {
				r = r.WithAttributes(c.attrs)
			}
			return cl.stages.StartReplication(ctx, r)
		},
		raw: func(ctx context.Context, cl *ivsrealtime.Client, w world) error {
			src, dst, pid := ids(w)
			_, err := cl.StartParticipantReplication(ctx, &ivsrealtime.StartParticipantReplicationInput{
				SourceStageArn: aws.String(src), DestinationStageArn: aws.String(dst), ParticipantId: aws.String(pid),
				ReconnectWindowSeconds: c.window, Attributes: c.attrs,
			})
			return err
		},
	}
}

func TestReplicationValidationAgreesWithTheFake(t *testing.T) {
	t.Parallel()
	attrs := func(size int) map[string]string { return map[string]string{"k": strings.Repeat("v", size-1)} }
	cases := []replicationCase{
		{name: "connected participant"},
		{name: "window 0", window: aws.Int32(0)},
		{name: "window 300", window: aws.Int32(300)},
		{name: "window 301", bad: true, window: aws.Int32(301)},
		{name: "window -1", bad: true, window: aws.Int32(-1)},
		{name: "attributes 1024 bytes", attrs: attrs(1024)},
		{name: "attributes 1025 bytes", bad: true, attrs: attrs(1025)},
		{name: "attributes 1024 bytes of é", attrs: map[string]string{"kk": strings.Repeat("é", 511)}},
		{name: "attributes 1025 bytes of é", bad: true, attrs: map[string]string{"kkk": strings.Repeat("é", 511)}},
		{name: "attributes of two entries, 1024 bytes", attrs: map[string]string{"a": strings.Repeat("v", 500), "b": strings.Repeat("v", 522)}},
		{name: "attributes of two entries, 1025 bytes", bad: true, attrs: map[string]string{"a": strings.Repeat("v", 500), "b": strings.Repeat("v", 523)}},
		{name: "attributes not UTF-8", attrs: map[string]string{"k": invalidUTF8}, libraryOnly: "invalid UTF-8"},
		{name: "unknown participant", participantID: aws.String(unknownParticipant)},
		{name: "participant ID 64", participantID: aws.String(strings.Repeat("p", 64))},
		{name: "participant ID 65", bad: true, participantID: aws.String(strings.Repeat("p", 65))},
		{name: "participant ID with _", bad: true, participantID: aws.String("self_signed")},
		{name: "participant ID with a space", bad: true, participantID: aws.String("a b")},
		{name: "participant ID empty", participantID: aws.String("")},
		{name: "destination is the source", bad: true, destination: aws.String(unknownStage), source: aws.String(unknownStage)},
		{name: "unknown destination", destination: aws.String(unknownStage)},
		{name: "source ARN 129", bad: true, source: aws.String(arn129)},
		{name: "destination ARN 129", bad: true, destination: aws.String(arn129)},
		{name: "destination ARN of a public key", bad: true, destination: aws.String("arn:aws:ivs:us-east-1:123456789012:public-key/abc")},
		{name: "everything invalid", bad: true, source: aws.String("s"), destination: aws.String("d"), participantID: aws.String("p_"),
			window: aws.Int32(301), attrs: attrs(1025)},
	}
	runTable(t, "StartParticipantReplication", cases)
}

// --- participant IDs of GetParticipant (the model's ParticipantId: no '_', unlike DisconnectParticipant's) ---

type participantCase struct {
	name          string
	bad           bool    // the model refuses it
	participantID *string // nil: the world's connected participant
}

func (c participantCase) wire() wireCase {
	ids := func(w world) (arn, session, pid string) {
		pid = w.participantID
		if c.participantID != nil {
			pid = *c.participantID
		}
		return w.stageARN, w.sessionID, pid
	}
	return wireCase{
		name: c.name, bad: c.bad,
		lib: func(ctx context.Context, cl libClients, w world) error {
			arn, session, pid := ids(w)
			_, err := cl.stages.Participant(ctx, arn, session, pid)
			return err
		},
		raw: func(ctx context.Context, cl *ivsrealtime.Client, w world) error {
			arn, session, pid := ids(w)
			_, err := cl.GetParticipant(ctx, &ivsrealtime.GetParticipantInput{
				StageArn: aws.String(arn), SessionId: aws.String(session), ParticipantId: aws.String(pid),
			})
			return err
		},
	}
}

func TestParticipantIDValidationAgreesWithTheFake(t *testing.T) {
	t.Parallel()
	runTable(t, "GetParticipant", []participantCase{
		{name: "connected participant"},
		{name: "unknown participant", participantID: aws.String(unknownParticipant)},
		{name: "participant ID 64", participantID: aws.String(strings.Repeat("p", 64))},
		{name: "participant ID 65", bad: true, participantID: aws.String(strings.Repeat("p", 65))},
		{name: "participant ID with _", bad: true, participantID: aws.String("self_signed")},
		{name: "participant ID with -", participantID: aws.String("self-signed")},
		{name: "participant ID empty", participantID: aws.String("")},
	})
}

// --- tags (any IVS Real-Time ARN; the library and the fake both read the model's resource type [a-z-] as
// [a-z-]+, a documented correction) ---

type tagCase struct {
	name        string
	bad         bool // the model (with the corrected ARN pattern) refuses it
	arn         *string
	untag       bool // UntagResource with keys; TagResource with tags otherwise
	tags        map[string]string
	keys        []string
	sdkRefuses  bool
	libraryOnly string
}

func (c tagCase) wire() wireCase {
	arnOf := func(w world) string {
		if c.arn != nil {
			return *c.arn
		}
		return w.stageARN
	}
	return wireCase{
		name: c.name, bad: c.bad, sdkRefuses: c.sdkRefuses, libraryOnly: c.libraryOnly,
		lib: func(ctx context.Context, cl libClients, w world) error {
			if c.untag {
				return cl.stages.Untag(ctx, arnOf(w), c.keys...)
			}
			return cl.stages.Tag(ctx, arnOf(w), c.tags)
		},
		raw: func(ctx context.Context, cl *ivsrealtime.Client, w world) error {
			if c.untag {
				_, err := cl.UntagResource(ctx, &ivsrealtime.UntagResourceInput{ResourceArn: aws.String(arnOf(w)), TagKeys: c.keys})
				return err
			}
			_, err := cl.TagResource(ctx, &ivsrealtime.TagResourceInput{ResourceArn: aws.String(arnOf(w)), Tags: c.tags})
			return err
		},
	}
}

func nKeys(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("key-%02d", i)
	}
	return keys
}

func TestTagValidationAgreesWithTheFake(t *testing.T) {
	t.Parallel()
	arnPrefix := "arn:aws:ivs:us-east-1:123456789012:storage-configuration/"
	one := map[string]string{"k": "v"}
	tag := func(name string, bad bool, arn *string, tags map[string]string) tagCase {
		return tagCase{name: "tag " + name, bad: bad, arn: arn, tags: tags}
	}
	untag := func(name string, bad bool, arn *string, keys ...string) tagCase {
		return tagCase{name: "untag " + name, bad: bad, arn: arn, untag: true, keys: keys}
	}
	cases := []tagCase{
		tag("stage", false, nil, one),
		tag("unknown storage configuration", false, aws.String(arnPrefix+"NoSuchStore0"), one),
		tag("unknown public key", false, aws.String("arn:aws:ivs:us-east-1:123456789012:public-key/NoSuchKey000"), one),
		tag("resource type of one letter", false, aws.String("arn:aws:ivs:us-east-1:123456789012:s/abc"), one),
		tag("resource type uppercase", true, aws.String("arn:aws:ivs:us-east-1:123456789012:Stage/abc"), one),
		tag("resource ID with _", true, aws.String(stageARNPrefix+"ab_c"), one),
		tag("account not numeric", true, aws.String("arn:aws:ivs:us-east-1:acct:stage/abc"), one),
		tag("another service", true, aws.String("arn:aws:s3:us-east-1:123456789012:stage/abc"), one),
		tag("ARN 128", false, aws.String(arnPrefix+strings.Repeat("a", 128-len(arnPrefix))), one),
		tag("ARN 129", true, aws.String(arnPrefix+strings.Repeat("a", 129-len(arnPrefix))), one),
		tag("50 tags", false, nil, nTags(50)),
		tag("51 tags", true, nil, nTags(51)),
		tag("key 128 é", false, nil, map[string]string{strings.Repeat("é", 128): "v"}),
		tag("key 129 é", true, nil, map[string]string{strings.Repeat("é", 129): "v"}),
		tag("key empty", true, nil, map[string]string{"": "v"}),
		tag("value 256 é", false, nil, map[string]string{"k": strings.Repeat("é", 256)}),
		tag("value 257 é", true, nil, map[string]string{"k": strings.Repeat("é", 257)}),
		tag("value empty", false, nil, map[string]string{"k": ""}),
		{name: "tag no tags", tags: map[string]string{}, libraryOnly: "an empty tag map changes nothing"},
		{name: "tag value not UTF-8", tags: map[string]string{"k": invalidUTF8}, libraryOnly: "invalid UTF-8"},
		tag("everything invalid", true, aws.String("arn:aws:ivs:us-east-1:123456789012:stage/a_b"), map[string]string{"": strings.Repeat("v", 257)}),
		untag("one key", false, nil, "k"),
		untag("50 keys", false, nil, nKeys(50)...),
		untag("51 keys", true, nil, nKeys(51)...),
		untag("key 128 é", false, nil, strings.Repeat("é", 128)),
		untag("key 129 é", true, nil, strings.Repeat("é", 129)),
		untag("key empty", true, nil, ""),
		// The model allows an empty tagKeys, but the official client sends a nil one as no tagKeys at all,
		// and refuses it as a missing required member.
		{name: "untag no keys", bad: true, untag: true, sdkRefuses: true},
		untag("unknown public key", false, aws.String("arn:aws:ivs:us-east-1:123456789012:public-key/NoSuchKey000"), "k"),
		untag("ARN 129", true, aws.String(arnPrefix+strings.Repeat("a", 129-len(arnPrefix))), "k"),
		untag("resource ID with _", true, aws.String(stageARNPrefix+"ab_c"), "k"),
	}
	for _, op := range []string{"TagResource", "UntagResource"} {
		var sub []tagCase
		for _, c := range cases {
			if c.untag == (op == "UntagResource") {
				sub = append(sub, c)
			}
		}
		runTable(t, op, sub)
	}
}
