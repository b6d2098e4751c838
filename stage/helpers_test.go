package stage_test

// Helpers shared by the package's test files: fixtures (ARNs, IDs, full configurations), mocks of the
// service answering every operation, a world on stagetest with a manual clock, and the readers with which
// the fuzz targets compare the library's refusals with stagetest's.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

const (
	stageARN   = "arn:aws:ivs:us-east-1:123456789012:stage/AbCdEf123456"
	storageARN = "arn:aws:ivs:us-east-1:123456789012:storage-configuration/AbCdEf123456"

	// minimalStage is the smallest response body the client accepts.
	minimalStage = `{"stage":{"arn":"` + stageARN + `"}}`

	sessionID      = "st-a1b2c3d4e5f6g" // 16 code points
	participantID  = "ABCDEfghij01234KLMN5678"
	destinationARN = "arn:aws:ivs:us-east-1:123456789012:stage/Destination1"
)

// epoch is the start of the fake clocks (a world's, a waitClock's).
var epoch = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

// fullRecording sets every recording field.
func fullRecording() recording.Config { return fullRecordingInto(storageARN) }

// fullRecordingInto sets every recording field, recording into the storage configuration arn.
func fullRecordingInto(arn string) recording.Config {
	return recording.New(arn).
		WithMediaType(recording.MediaAudioOnly).
		WithThumbnails(recording.ThumbnailsEvery(30*time.Second, recording.StorageSequential, recording.StorageLatest)).
		WithHLSSegmentDuration(4 * time.Second).
		WithReconnectWindow(time.Minute).
		WithRecordReplicas(true)
}

// fullConfig is the largest valid Config: a name, 10 tags, recording with every field, 12 participants
// with every field including attributes.
func fullConfig() stage.Config {
	tags := map[string]string{}
	for i := range 10 {
		tags[fmt.Sprintf("tag%d", i)] = fmt.Sprintf("value-%d", i)
	}
	parts := make([]token.Config, stage.MaxParticipants)
	for i := range parts {
		parts[i] = token.New().
			WithUserID(fmt.Sprintf("user-%d", i)).
			WithDuration(2*time.Hour).
			WithCapabilities(token.Publish, token.Subscribe).
			WithAttributes(map[string]string{"role": "speaker", "seat": fmt.Sprintf("A%d", i)})
	}
	return stage.New().
		WithName("town-hall").
		WithTags(tags).
		WithRecording(fullRecording()).
		WithParticipants(parts...)
}

// participants returns n valid participant configurations.
func participants(n int) []token.Config {
	out := make([]token.Config, n)
	for i := range out {
		out[i] = token.New().WithUserID(fmt.Sprintf("u%d", i))
	}
	return out
}

// tagMap returns n distinct valid tags.
func tagMap(n int) map[string]string {
	m := make(map[string]string, n)
	for i := range n {
		m[fmt.Sprintf("k%d", i)] = "v"
	}
	return m
}

// stageARNWithLength returns a valid-shaped stage ARN whose total length is n code points.
func stageARNWithLength(n int) string {
	const prefix = "arn:aws:ivs:us-east-1:123456789012:stage/"
	return prefix + strings.Repeat("a", n-len(prefix))
}

// assertInvalid checks that err is a validation error of operation op holding exactly want, as the SDK
// wraps its own validation errors.
func assertInvalid(t *testing.T, err error, op string, want map[string]string) {
	t.Helper()
	require.Error(t, err)
	var opErr *smithy.OperationError
	require.True(t, errors.As(err, &opErr), "want *smithy.OperationError, got %T: %v", err, err)
	assert.Equal(t, ivsrealtime.ServiceID, opErr.ServiceID)
	assert.Equal(t, op, opErr.OperationName)
	testutil.AssertViolations(t, err, want)
}

// jsonEqual compares two JSON documents by value.
func jsonEqual(t *testing.T, want, got []byte) {
	t.Helper()
	var w, g any
	require.NoError(t, json.Unmarshal(want, &w), "want %s", want)
	require.NoError(t, json.Unmarshal(got, &g), "got %s", got)
	assert.Equal(t, w, g)
}

// only returns the single request of mock, failing when there is not exactly one.
func only(t *testing.T, mock *testutil.Mock) testutil.Request {
	t.Helper()
	reqs := mock.Requests()
	require.Len(t, reqs, 1)
	return reqs[0]
}

// respondCreate answers CreateStage with minimalStage's stage and one token per participant token
// configuration of the request, as the service does.
func respondCreate(mock *testutil.Mock) {
	mock.RespondFunc("CreateStage", func(_ *http.Request, body []byte) (int, string, string) {
		var in struct {
			ParticipantTokenConfigurations []json.RawMessage `json:"participantTokenConfigurations"`
		}
		if err := json.Unmarshal(body, &in); err != nil {
			return 400, `{"exceptionMessage": "bad body"}`, "ValidationException"
		}
		return 200, createResponse(len(in.ParticipantTokenConfigurations)), ""
	})
}

// createResponse is a CreateStage response with minimalStage's stage and n tokens.
func createResponse(n int) string {
	tokens := make([]string, n)
	for i := range tokens {
		tokens[i] = fmt.Sprintf(`{"participantId": "p%d", "token": "t%d"}`, i, i)
	}
	return `{"stage": {"arn": "` + stageARN + `"}, "participantTokens": [` + strings.Join(tokens, ",") + `]}`
}

// pages answers op with the given response bodies in turn, one per request, by the request's nextToken:
// the first body for no token, body i for token "t<i>". Each body may hold "%s" for its nextToken member.
func pages(t *testing.T, mock *testutil.Mock, op string, bodies ...string) {
	t.Helper()
	mock.RespondFunc(op, func(_ *http.Request, body []byte) (int, string, string) {
		var in struct{ NextToken string }
		if err := json.Unmarshal(body, &in); err != nil {
			return 400, `{"exceptionMessage": "bad body"}`, "ValidationException"
		}
		i := 0
		if in.NextToken != "" {
			if _, err := fmt.Sscanf(in.NextToken, "t%d", &i); err != nil || i >= len(bodies) {
				return 400, `{"exceptionMessage": "bad token"}`, "ValidationException"
			}
		}
		next := ""
		if i+1 < len(bodies) {
			next = fmt.Sprintf(`, "nextToken": "t%d"`, i+1)
		}
		return 200, fmt.Sprintf(bodies[i], next), ""
	})
}

// bodies returns the JSON bodies of mock's requests.
func bodies(t *testing.T, mock *testutil.Mock) []string {
	t.Helper()
	var out []string
	for _, r := range mock.Requests() {
		out = append(out, string(r.Body))
	}
	return out
}

// assertBodies checks that mock received exactly the requests want, in order, comparing their bodies as
// JSON values.
func assertBodies(t *testing.T, mock *testutil.Mock, want ...string) {
	t.Helper()
	got := bodies(t, mock)
	require.Len(t, got, len(want))
	for i := range want {
		jsonEqual(t, []byte(want[i]), []byte(got[i]))
	}
}

// date parses an RFC 3339 time, panicking on a typo in a test table.
func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

// first returns the first of two results, e.g. the values of testutil.CollectAll.
func first[A, B any](a A, _ B) A { return a }

// tagRequest is one request of a tag operation, which the SDK sends to /tags/{resourceArn}.
type tagRequest struct {
	Method      string
	ResourceARN string     // the path label, unescaped
	Path        string     // the path as sent, escaped
	Query       url.Values // UntagResource's tagKeys
	Body        string
}

// tagRecorder records the tag requests a mock receives.
type tagRecorder struct {
	mu   sync.Mutex
	reqs []tagRequest
}

// requests returns a copy of the tag requests received so far, in order.
func (r *tagRecorder) requests() []tagRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]tagRequest(nil), r.reqs...)
}

// tagsURL matches the path of the tag operations.
var tagsURL = regexp.MustCompile(`^` + regexp.QuoteMeta(testutil.Endpoint) + `/tags/`)

// respondTags answers TagResource (POST), UntagResource (DELETE) and ListTagsForResource (GET) on mock
// with status and body (and the error type, for an error status), recording each request.
func respondTags(t *testing.T, mock *testutil.Mock, status int, body, errorType string) *tagRecorder {
	t.Helper()
	return respondTagsFunc(t, mock, func() (int, string, string) { return status, body, errorType })
}

// respondTagsFunc answers the tag operations with what fn returns (status, body, error type), recording
// each request.
func respondTagsFunc(t *testing.T, mock *testutil.Mock, fn func() (status int, body, errorType string)) *tagRecorder {
	t.Helper()
	rec := &tagRecorder{}
	responder := func(req *http.Request) (*http.Response, error) {
		var raw []byte
		if req.Body != nil { // DELETE has none
			var err error
			if raw, err = io.ReadAll(req.Body); err != nil {
				return nil, err
			}
		}
		arn, err := url.PathUnescape(strings.TrimPrefix(req.URL.EscapedPath(), "/tags/"))
		if err != nil {
			return nil, err
		}
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, tagRequest{Method: req.Method, ResourceARN: arn, Path: req.URL.EscapedPath(), Query: req.URL.Query(), Body: string(raw)})
		rec.mu.Unlock()
		status, body, errorType := fn()
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		if errorType != "" {
			resp.Header.Set("X-Amzn-Errortype", errorType)
		}
		return resp, nil
	}
	mock.Transport.RegisterRegexpResponder(http.MethodPost, tagsURL, responder)
	mock.Transport.RegisterRegexpResponder(http.MethodDelete, tagsURL, responder)
	mock.Transport.RegisterRegexpResponder(http.MethodGet, tagsURL, responder)
	return rec
}

// okBodies are the smallest valid success responses of the operations of stage.Client but the tag
// operations.
var okBodies = map[string]string{
	"CreateStage":                 minimalStage,
	"GetStage":                    minimalStage,
	"UpdateStage":                 minimalStage,
	"DeleteStage":                 `{}`,
	"ListStages":                  `{"stages": []}`,
	"GetStageSession":             `{"stageSession": {"sessionId": "` + sessionID + `"}}`,
	"ListStageSessions":           `{"stageSessions": []}`,
	"GetParticipant":              `{"participant": {"participantId": "` + participantID + `"}}`,
	"ListParticipants":            `{"participants": []}`,
	"DisconnectParticipant":       `{}`,
	"ListParticipantEvents":       `{"events": []}`,
	"StartParticipantReplication": `{}`,
	"StopParticipantReplication":  `{}`,
	"ListParticipantReplicas":     `{"replicas": []}`,
}

// respondAll answers every operation of stage.Client with the smallest valid success response.
func respondAll(t *testing.T, mock *testutil.Mock) *tagRecorder {
	t.Helper()
	for op, body := range okBodies {
		mock.Respond(op, 200, body)
	}
	return respondTags(t, mock, 200, `{}`, "")
}

// methods are one valid call of each method of stage.Client, by the operation it sends.
func methods() []struct {
	op   string
	call call
} {
	return []struct {
		op   string
		call call
	}{
		{"CreateStage", func(t *testing.T, c *stage.Client) error { _, _, err := c.Create(t.Context(), stage.New()); return err }},
		{"GetStage", func(t *testing.T, c *stage.Client) error { _, err := c.Get(t.Context(), stageARN); return err }},
		{"UpdateStage", func(t *testing.T, c *stage.Client) error {
			_, err := c.Update(t.Context(), stageARN, stage.NewUpdate().WithName("n"))
			return err
		}},
		{"DeleteStage", func(t *testing.T, c *stage.Client) error { return c.Delete(t.Context(), stageARN) }},
		{"ListStages", func(t *testing.T, c *stage.Client) error { return testutil.FirstErr(c.List(t.Context())) }},
		{"GetStageSession", func(t *testing.T, c *stage.Client) error {
			_, err := c.Session(t.Context(), stageARN, sessionID)
			return err
		}},
		{"ListStageSessions", func(t *testing.T, c *stage.Client) error { return testutil.FirstErr(c.Sessions(t.Context(), stageARN)) }},
		{"GetParticipant", func(t *testing.T, c *stage.Client) error {
			_, err := c.Participant(t.Context(), stageARN, sessionID, participantID)
			return err
		}},
		{"ListParticipants", func(t *testing.T, c *stage.Client) error {
			return testutil.FirstErr(c.Participants(t.Context(), stageARN, sessionID))
		}},
		{"DisconnectParticipant", func(t *testing.T, c *stage.Client) error {
			return c.Disconnect(t.Context(), stageARN, participantID, "")
		}},
		{"ListParticipantEvents", func(t *testing.T, c *stage.Client) error {
			return testutil.FirstErr(c.ParticipantEvents(t.Context(), stageARN, sessionID, participantID))
		}},
		{"StartParticipantReplication", func(t *testing.T, c *stage.Client) error {
			return c.StartReplication(t.Context(), stage.NewReplication(stageARN, destinationARN, participantID))
		}},
		{"StopParticipantReplication", func(t *testing.T, c *stage.Client) error {
			return c.StopReplication(t.Context(), stageARN, destinationARN, participantID)
		}},
		{"ListParticipantReplicas", func(t *testing.T, c *stage.Client) error {
			return testutil.FirstErr(c.Replicas(t.Context(), stageARN, participantID))
		}},
		{"TagResource", func(t *testing.T, c *stage.Client) error {
			return c.Tag(t.Context(), stageARN, map[string]string{"k": "v"})
		}},
		{"UntagResource", func(t *testing.T, c *stage.Client) error { return c.Untag(t.Context(), stageARN, "k") }},
		{"ListTagsForResource", func(t *testing.T, c *stage.Client) error { _, err := c.Tags(t.Context(), stageARN); return err }},
	}
}

// call is one call of a stage.Client method, reduced to its error (an iterator's first error).
type call func(t *testing.T, c *stage.Client) error

// newClient returns a client on mock.
func newClient(mock *testutil.Mock) *stage.Client { return stage.NewClientFromConfig(mock.Config()) }

// world is a stagetest server on a manual clock with a client on it.
type world struct {
	srv    *stagetest.Server
	clock  *stagetest.Clock
	stages *stage.Client
}

// newWorld is a world whose clock starts at epoch.
func newWorld(t *testing.T) *world {
	t.Helper()
	return newWorldAt(t, epoch)
}

// newWorldAt is newWorld with the clock at start.
func newWorldAt(t *testing.T, start time.Time) *world {
	t.Helper()
	clock := stagetest.NewClock(start)
	srv := stagetest.New(stagetest.WithClock(clock.Now))
	return &world{srv: srv, clock: clock, stages: stage.NewClientFromConfig(srv.Config())}
}

// createStage creates a stage recording into a new storage configuration (bucket "recordings-<name>")
// with the given reconnect window (recording off when window < 0) and tokens for users, in order.
func (w *world) createStage(t *testing.T, name string, window time.Duration, users ...token.Config) (stage.Stage, []token.Token) {
	t.Helper()
	cfg := stage.New().WithName(name).WithParticipants(users...)
	if window >= 0 {
		cfg = cfg.WithRecording(recording.New(w.srv.MustAddStorageConfiguration("recordings-" + strings.ToLower(name))).WithReconnectWindow(window))
	}
	st, tokens, err := w.stages.Create(t.Context(), cfg)
	require.NoError(t, err)
	return st, tokens
}

// join joins every token to st and returns the participant IDs.
func (w *world) join(t *testing.T, st stage.Stage, tokens ...token.Token) []string {
	t.Helper()
	ids := make([]string, len(tokens))
	for i, tok := range tokens {
		id, err := w.srv.Join(st.ARN, tok.Value())
		require.NoError(t, err)
		require.Equal(t, tok.ParticipantID, id)
		ids[i] = id
	}
	return ids
}

// activeSession returns the active session ID of the stage arn ("" for none), read with Get.
func (w *world) activeSession(t *testing.T, arn string) string {
	t.Helper()
	st, err := w.stages.Get(t.Context(), arn)
	require.NoError(t, err)
	return st.ActiveSessionID
}

// ids lists the IDs of ps, in order.
func ids(ps []stage.Participant) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

// names lists the names of es, in order.
func names(es []stage.ParticipantEvent) []stage.EventName {
	out := make([]stage.EventName, len(es))
	for i, e := range es {
		out[i] = e.Name
	}
	return out
}

// fakeStep is something that happens once the fake clock has reached at (since start).
type fakeStep struct {
	at time.Duration
	do func() error
}

// isType reports whether err holds an error of type T.
func isType[T error](err error) bool {
	var target T
	return errors.As(err, &target)
}

// The fuzz targets of the request builders (FuzzReplication, FuzzParticipantFilters) share what follows.
// Each input goes through the library (Validate, then the client against stagetest, whose validation is
// written independently from the model) and, when the library rejects it and the input can be written on
// the wire as it is, as the same raw SDK input straight to stagetest: accepted by the library ⇔ accepted
// by stagetest, a rejection names the same members on both sides and sends no request, and an accepted
// request carries what was asked.

// fuzzFields returns the wire names of the members a library validation error names
// ("StartParticipantReplicationInput.Attributes[\"k\"].Key" → "attributes"), sorted, each once. With
// conflictsLast, a cross-field violation (rules.RuleConflict) counts only when no member is invalid on its
// own: the service, like stagetest, checks how members relate only once each is valid.
func fuzzFields(t *testing.T, err error, conflictsLast bool) []string {
	t.Helper()
	var invalid smithy.InvalidParamsError
	require.ErrorAs(t, err, &invalid)
	type ruled interface{ Rule() string }
	own := false
	for _, e := range invalid.Errs() {
		if r, ok := e.(ruled); !ok || r.Rule() != rules.RuleConflict {
			own = true
		}
	}
	var out []string
	for _, e := range invalid.Errs() {
		if r, ok := e.(ruled); ok && r.Rule() == rules.RuleConflict && conflictsLast && own {
			continue
		}
		var p smithy.InvalidParamError
		require.ErrorAs(t, e, &p)
		_, f, _ := strings.Cut(p.Field(), ".")
		if i := strings.IndexAny(f, ".["); i >= 0 {
			f = f[:i]
		}
		out = append(out, lowerFirst(f))
		// More than one participant filter is one violation that names every filter given.
		if m := libFilters.FindStringSubmatch(e.Error()); m != nil {
			for f := range strings.SplitSeq(m[1], ", ") {
				out = append(out, lowerFirst(f))
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// lowerFirst turns a Go field name into its wire name: "FilterByState" → "filterByState".
func lowerFirst(f string) string {
	r, n := utf8.DecodeRuneInString(f)
	return string(unicode.ToLower(r)) + f[n:]
}

var (
	fakeMember  = regexp.MustCompile(`at '([A-Za-z]+)`)
	fakeFilters = regexp.MustCompile(`can be provided per request \(got \d+: \[([A-Za-z ]+)\]\)`)
	libFilters  = regexp.MustCompile(`one filter per request, given \d+: ([A-Za-z, ]+);`)
)

// fakeFields returns the members a ValidationException of stagetest names: each "at '<member>'" of its
// message, and the filters it lists when more than one was given; sorted, each once.
func fakeFields(t *testing.T, err error) []string {
	t.Helper()
	var invalid *types.ValidationException
	require.ErrorAs(t, err, &invalid, "stagetest answers no ValidationException")
	msg := aws.ToString(invalid.ExceptionMessage) // the service's text; the SDK leaves Message empty
	var out []string
	for _, m := range fakeMember.FindAllStringSubmatch(msg, -1) {
		out = append(out, m[1])
	}
	if m := fakeFilters.FindStringSubmatch(msg); m != nil {
		out = append(out, strings.Fields(m[1])...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// fuzzRejected checks a rejection by the library: Validate's violations, wrapped as the SDK wraps its
// own, and no request sent since mark.
func fuzzRejected(t *testing.T, srv *stagetest.Server, mark int, op string, verr, err error) {
	t.Helper()
	var opErr *smithy.OperationError
	require.ErrorAs(t, err, &opErr)
	assert.Equal(t, "IVS RealTime", opErr.ServiceID)
	assert.Equal(t, op, opErr.OperationName)
	var invalid smithy.InvalidParamsError
	require.ErrorAs(t, err, &invalid)
	assert.Equal(t, verr.Error(), invalid.Error(), "the client reports what Validate reports")
	assert.Equal(t, mark, srv.RequestCount(), "a rejected input sends nothing")
}
