package recording_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/event"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// filesBucket is the bucket the stagetest-backed tests record into.
const filesBucket = "files-test-recordings"

// filesStart is where the stagetest-backed tests' clock starts.
var filesStart = time.Date(2026, 3, 13, 12, 0, 0, 0, time.UTC)

// s3Log is the S3 client's HTTP client: it records each request ("ListObjectsV2 <prefix>" or "GetObject
// <key>") before passing it on.
type s3Log struct {
	next aws.HTTPClient
	mu   sync.Mutex
	reqs []string
}

func (l *s3Log) Do(r *http.Request) (*http.Response, error) {
	op := "GetObject " + strings.TrimPrefix(r.URL.Path, "/"+filesBucket+"/")
	if q := r.URL.Query(); q.Has("list-type") {
		op = "ListObjectsV2 " + q.Get("prefix")
	}
	l.mu.Lock()
	l.reqs = append(l.reqs, op)
	l.mu.Unlock()
	return l.next.Do(r)
}

// requests returns the requests so far and forgets them.
func (l *s3Log) requests() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.reqs
	l.reqs = nil
	return out
}

// countOp returns how many of reqs start with op.
func countOp(reqs []string, op string) int {
	n := 0
	for _, r := range reqs {
		if strings.HasPrefix(r, op+" ") {
			n++
		}
	}
	return n
}

// filesWorld is a stagetest server on a manual clock with a stage recording into filesBucket, and Files on
// its S3 listener through an S3 client configured as a user would (path style).
type filesWorld struct {
	t      *testing.T
	clock  *stagetest.Clock
	srv    *stagetest.Server
	stage  stage.Stage
	tokens map[string]token.Token // by user ID
	pids   map[string]string      // participant ID by user ID
	files  *recording.Files
	log    *s3Log
	s3     *s3.Client
}

func newFilesWorld(t *testing.T, window time.Duration, users ...string) *filesWorld {
	t.Helper()
	clock := stagetest.NewClock(filesStart)
	srv := stagetest.New(stagetest.WithClock(clock.Now))
	t.Cleanup(srv.Close)
	rec := recording.New(srv.MustAddStorageConfiguration(filesBucket))
	if window > 0 {
		rec = rec.WithReconnectWindow(window)
	}
	var participants []token.Config
	for _, u := range users {
		participants = append(participants, token.New().WithUserID(u).WithCapabilities(token.Publish))
	}
	st, toks, err := stage.NewClientFromConfig(srv.Config()).Create(t.Context(), stage.New().WithRecording(rec).WithParticipants(participants...))
	require.NoError(t, err)
	require.Len(t, toks, len(users))
	w := &filesWorld{t: t, clock: clock, srv: srv, stage: st, tokens: map[string]token.Token{}, pids: map[string]string{}}
	for _, tok := range toks {
		w.tokens[tok.UserID] = tok
		w.pids[tok.UserID] = tok.ParticipantID
	}
	s3cfg := srv.S3Config()
	w.log = &s3Log{next: s3cfg.HTTPClient}
	w.s3 = s3.NewFromConfig(s3cfg, func(o *s3.Options) {
		o.UsePathStyle = true
		o.HTTPClient = w.log
	})
	w.files = recording.NewFiles(w.s3)
	return w
}

// publish joins user and publishes.
func (w *filesWorld) publish(user string) {
	w.t.Helper()
	pid, err := w.srv.Join(w.stage.ARN, w.tokens[user].Value())
	require.NoError(w.t, err)
	require.NoError(w.t, w.srv.Publish(w.stage.ARN, pid))
}

// leave ends user's connection.
func (w *filesWorld) leave(user string) {
	w.t.Helper()
	require.NoError(w.t, w.srv.Leave(w.stage.ARN, w.pids[user]))
}

// locations returns the Location of each participant's recordings from the Recording events, in order.
func (w *filesWorld) locations() map[string][]recording.Location {
	w.t.Helper()
	out := map[string][]recording.Location{}
	for _, raw := range w.srv.Events() {
		ev, err := event.Parse(raw)
		require.NoError(w.t, err)
		if r, ok := ev.(event.Recording); ok && r.Name == event.RecordingStart {
			out[r.ParticipantID] = append(out[r.ParticipantID], r.Location)
		}
	}
	return out
}

// The recordings of a stage, read with the S3 client from stagetest's S3 server: a reconnect within the
// window is one recording (one prefix), a publisher whose window has not run out is STARTED, one who left
// after it ENDED with the duration; one GetObject per recording, the newest file's.
func TestFilesRecordingsAgainstStagetest(t *testing.T) {
	t.Parallel()
	w := newFilesWorld(t, 30*time.Second, "alice", "bob", "carol")
	w.publish("alice")
	w.publish("bob")
	w.clock.Advance(time.Minute)
	w.leave("alice")
	w.clock.Advance(20 * time.Second) // within alice's window
	w.publish("alice")
	w.clock.Advance(10 * time.Second)
	w.leave("alice")
	w.leave("bob")
	w.clock.Advance(31 * time.Second) // both windows have run out
	w.publish("carol")
	w.clock.Advance(5 * time.Second)
	w.leave("carol") // carol's window has not run out: STARTED only
	require.Empty(t, w.log.requests(), "nothing sent yet")

	got := testutil.MustCollect(t, w.files.Recordings(t.Context(), filesBucket, w.stage.ID()+"/"))
	locs := w.locations()
	want := []struct {
		user     string
		status   recording.Status
		duration time.Duration
	}{
		{user: "alice", status: recording.StatusEnded, duration: 70 * time.Second},
		{user: "bob", status: recording.StatusEnded, duration: 90 * time.Second},
		{user: "carol", status: recording.StatusStarted},
	}
	require.Len(t, got, len(want))
	byParticipant := map[string]recording.Recording{}
	for _, r := range got {
		byParticipant[r.ParticipantID] = r
	}
	for _, tt := range want {
		t.Run(tt.user, func(t *testing.T) {
			pid := w.pids[tt.user]
			r, ok := byParticipant[pid]
			require.True(t, ok, "no recording of %s", tt.user)
			require.Len(t, locs[pid], 1, "one Recording Start")
			assert.Equal(t, locs[pid][0], r.Location, "the events' location")
			assert.Equal(t, w.stage.ID(), r.StageID)
			assert.Equal(t, strings.Split(r.Location.Prefix, "/")[1], r.SessionID)
			assert.Equal(t, tt.status, r.Status)
			assert.Equal(t, tt.status, r.Metadata.Status)
			assert.Equal(t, tt.duration, r.Metadata.Duration)
			assert.Equal(t, w.stage.ARN, r.Metadata.StageARN)
			assert.Equal(t, pid, r.Metadata.ParticipantID)
		})
	}
	assert.True(t, slices.IsSortedFunc(got, func(a, b recording.Recording) int { return strings.Compare(a.Location.Prefix, b.Location.Prefix) }), "key order")

	reqs := w.log.requests()
	assert.Equal(t, []string{"ListObjectsV2 " + w.stage.ID() + "/"}, reqs[:1])
	assert.Equal(t, 1, countOp(reqs, "ListObjectsV2"), "one page")
	assert.Equal(t, len(want), countOp(reqs, "GetObject"), "one GetObject per recording")
	for _, r := range got {
		assert.Contains(t, reqs, "GetObject "+r.Location.MetadataKey(r.Status), "the newest file only")
	}
}

// The prefix shapes, at each level with and without the trailing '/': each lists exactly that folder (a
// participant ID cut short lists nothing, not its longer neighbour), with the trailing '/' on the wire.
func TestFilesRecordingsPrefixShapes(t *testing.T) {
	t.Parallel()
	w := newFilesWorld(t, 0, "alice", "bob")
	w.publish("alice")
	w.publish("bob")
	w.clock.Advance(10 * time.Second)
	w.leave("alice")
	w.leave("bob")
	w.clock.Advance(time.Second)
	locs := w.locations()
	alice := locs[w.pids["alice"]][0]
	segs := strings.Split(alice.Prefix, "/")
	require.Len(t, segs, 4)
	stageP, sessionP, participantP := segs[0], segs[0]+"/"+segs[1], segs[0]+"/"+segs[1]+"/"+segs[2]
	both := []string{w.pids["alice"], w.pids["bob"]}
	slices.Sort(both)

	tests := []struct {
		name   string
		prefix string
		want   []string // participant IDs
	}{
		{name: "stage", prefix: stageP, want: both},
		{name: "stage/", prefix: stageP + "/", want: both},
		{name: "session", prefix: sessionP, want: both},
		{name: "session/", prefix: sessionP + "/", want: both},
		{name: "participant", prefix: participantP, want: []string{w.pids["alice"]}},
		{name: "participant/", prefix: participantP + "/", want: []string{w.pids["alice"]}},
		{name: "recording", prefix: alice.Prefix, want: []string{w.pids["alice"]}},
		{name: "recording/", prefix: alice.Prefix + "/", want: []string{w.pids["alice"]}},
		{name: "participant ID cut short", prefix: participantP[:len(participantP)-1] + "/"},
		{name: "recording time cut short", prefix: alice.Prefix[:len(alice.Prefix)-1]},
		{name: "another stage", prefix: "AbCdEf123456/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := testutil.MustCollect(t, w.files.Recordings(t.Context(), filesBucket, tt.prefix))
			var pids []string
			for _, r := range got {
				pids = append(pids, r.ParticipantID)
				assert.Equal(t, recording.StatusEnded, r.Status)
			}
			assert.Equal(t, tt.want, pids)
			reqs := w.log.requests()
			require.NotEmpty(t, reqs)
			assert.Equal(t, "ListObjectsV2 "+strings.TrimSuffix(tt.prefix, "/")+"/", reqs[0])
			assert.Equal(t, len(tt.want), countOp(reqs, "GetObject"))
		})
	}
}

// Metadata reads the newest file at each moment of a recording: none (ErrNoMetadata, naming the bucket
// and the events/ prefix), started, ended; one ListObjectsV2 of events/ and one GetObject.
func TestFilesMetadataAgainstStagetest(t *testing.T) {
	t.Parallel()
	w := newFilesWorld(t, 30*time.Second, "alice")
	loc := recording.Location{Bucket: filesBucket,
		Prefix: w.stage.ID() + "/st-AbCdEfGhIjKlM/" + w.pids["alice"] + "/2026-03-13T12-00-00Z"}

	_, err := w.files.Metadata(t.Context(), loc)
	require.Error(t, err)
	assert.ErrorIs(t, err, recording.ErrNoMetadata)
	assert.Equal(t, "recording: reading s3://"+filesBucket+"/"+loc.Prefix+"/events/: no metadata file (recording-started.json, recording-ended.json or recording-failed.json)", err.Error())
	assert.Equal(t, []string{"ListObjectsV2 " + loc.Prefix + "/events/"}, w.log.requests(), "no GetObject when nothing is listed")

	w.publish("alice")
	loc = w.locations()[w.pids["alice"]][0]
	md, err := w.files.Metadata(t.Context(), loc)
	require.NoError(t, err)
	assert.Equal(t, recording.StatusStarted, md.Status)
	assert.Equal(t, filesStart, md.StartedAt)
	assert.Equal(t, []string{"ListObjectsV2 " + loc.Prefix + "/events/", "GetObject " + loc.Prefix + "/events/recording-started.json"}, w.log.requests())

	w.clock.Advance(40 * time.Second)
	w.leave("alice")
	w.clock.Advance(31 * time.Second)
	md, err = w.files.Metadata(t.Context(), loc)
	require.NoError(t, err)
	assert.Equal(t, recording.StatusEnded, md.Status)
	assert.Equal(t, 40*time.Second, md.Duration)
	assert.Equal(t, filesStart.Add(70*time.Second), md.EndedAt)
	assert.Equal(t, []string{"ListObjectsV2 " + loc.Prefix + "/events/", "GetObject " + loc.Prefix + "/events/recording-ended.json"}, w.log.requests())

	w.srv.SetBucketMissing(filesBucket, true)
	_, err = w.files.Metadata(t.Context(), loc)
	var missing *s3types.NoSuchBucket
	require.ErrorAs(t, err, &missing)
	assert.NotErrorIs(t, err, recording.ErrNoMetadata, "a missing bucket is not a recording without files")
	assert.True(t, strings.HasPrefix(err.Error(), "recording: listing s3://"+filesBucket+"/"+loc.Prefix+"/events/: "), err.Error())
}

// WaitFinal polls until the reconnect window has run out and recording-ended.json is written, driven by the
// fake's clock: each wait between polls advances it by the poll interval. The number of polls follows from
// the window (the end is due once now − leave > window).
func TestFilesWaitFinal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		poll      time.Duration
		wantSleep time.Duration
		wantPolls int
	}{
		{name: "the minimum poll", poll: recording.MinWaitFinalPoll, wantSleep: time.Second, wantPolls: 32}, // at +31 s
		{name: "0 is the default", poll: 0, wantSleep: recording.DefaultWaitFinalPoll, wantPolls: 8},        // at +35 s
		{name: "a poll longer than the window", poll: time.Minute, wantSleep: time.Minute, wantPolls: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newFilesWorld(t, 30*time.Second, "alice")
			w.publish("alice")
			loc := w.locations()[w.pids["alice"]][0]
			w.clock.Advance(20 * time.Second)
			w.leave("alice")
			left := w.clock.Now()

			var sleeps []time.Duration
			recording.SetFilesSleep(w.files, func(ctx context.Context, d time.Duration) error {
				if len(sleeps) >= 100 {
					return errors.New("test: WaitFinal polls on and on")
				}
				sleeps = append(sleeps, d)
				w.clock.Advance(d)
				return ctx.Err()
			})
			md, err := w.files.WaitFinal(t.Context(), loc, tt.poll)
			require.NoError(t, err)
			assert.Equal(t, recording.StatusEnded, md.Status)
			assert.Equal(t, left.Add(30*time.Second), md.EndedAt, "the end at leave + window")
			assert.Equal(t, 20*time.Second, md.Duration)
			require.Len(t, sleeps, tt.wantPolls-1)
			for _, d := range sleeps {
				assert.Equal(t, tt.wantSleep, d)
			}
			reqs := w.log.requests()
			assert.Equal(t, tt.wantPolls, countOp(reqs, "ListObjectsV2"), "one listing per poll")
			assert.Equal(t, tt.wantPolls, countOp(reqs, "GetObject"), "one GetObject per poll")
		})
	}
}

// WaitFinal also waits while nothing is written, returns ctx.Err() itself when ctx ends, and any other error
// at once.
func TestFilesWaitFinalStops(t *testing.T) {
	t.Parallel()
	w := newFilesWorld(t, 30*time.Second, "alice")
	loc := recording.Location{Bucket: filesBucket, Prefix: w.stage.ID() + "/st-AbCdEfGhIjKlM/" + w.pids["alice"] + "/2026-03-13T12-00-00Z"}

	ctx, cancel := context.WithCancel(t.Context())
	polls := 0
	recording.SetFilesSleep(w.files, func(ctx context.Context, d time.Duration) error {
		polls++
		if polls == 3 {
			cancel() // nothing was ever written: the caller gives up
		}
		return ctx.Err()
	})
	_, err := w.files.WaitFinal(ctx, loc, time.Second)
	assert.Equal(t, context.Canceled, err, "ctx.Err() itself")
	assert.Equal(t, 3, polls)
	assert.Equal(t, 0, countOp(w.log.requests(), "GetObject"), "nothing to read")

	w.srv.SetBucketMissing(filesBucket, true)
	recording.SetFilesSleep(w.files, func(context.Context, time.Duration) error {
		t.Error("WaitFinal waited after a NoSuchBucket")
		return errors.New("test: no wait expected")
	})
	_, err = w.files.WaitFinal(t.Context(), loc, time.Second)
	var missing *s3types.NoSuchBucket
	assert.ErrorAs(t, err, &missing)
}

// A presigned playlist URL works with a plain http.Get; expires is sent as X-Amz-Expires.
func TestFilesPlaylistURLAgainstStagetest(t *testing.T) {
	t.Parallel()
	w := newFilesWorld(t, 0, "alice")
	w.publish("alice")
	w.clock.Advance(10 * time.Second)
	w.leave("alice")
	loc := w.locations()[w.pids["alice"]][0]
	w.log.requests()

	url, err := w.files.PlaylistURL(t.Context(), loc, time.Minute)
	require.NoError(t, err)
	assert.Empty(t, w.log.requests(), "presigning sends nothing")
	assert.Contains(t, url, "/"+filesBucket+"/"+loc.PlaylistKey()+"?")
	assert.Contains(t, url, "X-Amz-Expires=60&")

	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, w.srv.Objects(filesBucket)[loc.PlaylistKey()], body)
	assert.True(t, strings.HasPrefix(string(body), "#EXTM3U\n"))
}

// mockS3 is Files on an S3 client whose HTTP client is a per-test httpmock transport: path style on the
// default us-east-1 endpoint, the SDK's standard retryer without delays.
func mockS3(t *testing.T) (*recording.Files, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	client := s3.New(s3.Options{
		Region: "us-east-1",
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIAFILESTEST0000000", SecretAccessKey: "files-test-secret"}, nil
		}),
		HTTPClient:   &http.Client{Transport: mt},
		UsePathStyle: true,
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
			o.RateLimiter = ratelimit.None
		}),
	})
	return recording.NewFiles(client), mt
}

// listed is one object of a mocked listing.
type listed struct {
	key      string
	modified time.Time
}

// listXML is a ListObjectsV2 response (ListBucketResult, as S3 writes it).
func listXML(prefix string, objs []listed, truncated bool, next string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>%s</Name><Prefix>%s</Prefix><KeyCount>%d</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>%t</IsTruncated>`,
		mockBucket, prefix, len(objs), truncated)
	for _, o := range objs {
		fmt.Fprintf(&b, `<Contents><Key>%s</Key><LastModified>%s</LastModified><ETag>"0123456789abcdef0123456789abcdef"</ETag><Size>100</Size><StorageClass>STANDARD</StorageClass></Contents>`,
			o.key, o.modified.UTC().Format("2006-01-02T15:04:05.000Z"))
	}
	if next != "" {
		fmt.Fprintf(&b, `<NextContinuationToken>%s</NextContinuationToken>`, next)
	}
	b.WriteString(`</ListBucketResult>`)
	return b.String()
}

// errorXML is an S3 REST error response body (Amazon S3 API Reference, "Error responses").
func errorXML(code, message, resource string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<Error><Code>` + code + `</Code><Message>` + message +
		`</Message><Resource>` + resource + `</Resource><RequestId>4442587FB7D0A2F9</RequestId><HostId>aG9zdGlk</HostId></Error>`
}

// xmlResponse is an S3 response with an XML body.
func xmlResponse(status int, body string) *http.Response {
	resp := httpmock.NewStringResponse(status, body)
	resp.Header.Set("Content-Type", "application/xml")
	resp.Header.Set("x-amz-request-id", "4442587FB7D0A2F9")
	return resp
}

const (
	mockBucket = "mock-recordings"
	mockStage  = "AbCdEf123456"
	mockSess   = "st-AbCdEfGhIjKlM"
)

// mockRec is the prefix of mocked recording n.
func mockRec(n int) string {
	return fmt.Sprintf("%s/%s/participant%02d/2026-03-13T12-00-%02dZ", mockStage, mockSess, n, n)
}

// metadataJSON is a metadata file of the given status, as IVS writes it.
func metadataJSON(status recording.Status) string {
	ended := ""
	if status != recording.StatusStarted {
		ended = `"recording_ended_at":"2026-03-13T12:10:00Z","media":{"hls":{"duration_ms":600000,"path":"media/hls","playlist":"multivariant.m3u8","renditions":[{"path":"high","playlist":"playlist.m3u8"}]}},`
	} else {
		ended = `"media":{"hls":{"path":"media/hls","playlist":"multivariant.m3u8","renditions":[{"path":"high","playlist":"playlist.m3u8"}]}},`
	}
	return `{"version":"v1","stage_arn":"arn:aws:ivs:us-east-1:123456789012:stage/` + mockStage + `","session_id":"` + mockSess +
		`","participant_id":"p","recording_started_at":"2026-03-13T12:00:00Z",` + ended + `"recording_status":"` + string(status) + `"}`
}

// answer is one scripted S3 response.
type answer struct {
	status int
	body   string
	xml    bool
}

// ok is a 200 answer with body.
func ok(body string) answer { return answer{status: http.StatusOK, body: body} }

// xmlAnswer is an answer with an XML body (a listing or an S3 error).
func xmlAnswer(status int, body string) answer { return answer{status: status, body: body, xml: true} }

// response builds a fresh response for a.
func (a answer) response() *http.Response {
	if a.xml {
		return xmlResponse(a.status, a.body)
	}
	return httpmock.NewStringResponse(a.status, a.body)
}

// mockServer answers a script of S3 requests: list pages by continuation token ("" the first), and
// objects by key, each a queue of answers, one per attempt (the last repeats; an object without a script
// is 404 NoSuchKey). It records every request as "LIST <prefix> <token>" or "GET <key>".
type mockServer struct {
	mu    sync.Mutex
	pages map[string][]answer
	gets  map[string][]answer
	log   []string
}

func newMockServer(t *testing.T, mt *httpmock.MockTransport) *mockServer {
	t.Helper()
	m := &mockServer{pages: map[string][]answer{}, gets: map[string][]answer{}}
	mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		m.mu.Lock()
		defer m.mu.Unlock()
		queues, key := m.gets, strings.TrimPrefix(req.URL.Path, "/"+mockBucket+"/")
		if q := req.URL.Query(); q.Has("list-type") {
			if !assert.Equal(t, "/"+mockBucket, req.URL.Path) {
				return xmlResponse(400, errorXML("InvalidRequest", "wrong path", req.URL.Path)), nil
			}
			queues, key = m.pages, q.Get("continuation-token")
			m.log = append(m.log, "LIST "+q.Get("prefix")+" "+key)
		} else {
			m.log = append(m.log, "GET "+key)
		}
		queue := queues[key]
		if len(queue) == 0 {
			return xmlResponse(404, errorXML("NoSuchKey", "The specified key does not exist.", req.URL.Path)), nil
		}
		if len(queue) > 1 {
			queues[key] = queue[1:]
		}
		return queue[0].response(), nil
	})
	return m
}

func (m *mockServer) page(token string, answers ...answer) { m.pages[token] = answers }
func (m *mockServer) object(key string, answers ...answer) { m.gets[key] = answers }

func (m *mockServer) requests() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.log)
}

// keysOf lists the keys of a recording with the given metadata files plus its playlist.
func keysOf(prefix string, at time.Time, files ...string) []listed {
	var out []listed
	for _, f := range files {
		out = append(out, listed{key: prefix + "/events/" + f, modified: at})
	}
	return append(out, listed{key: prefix + "/media/hls/multivariant.m3u8", modified: at})
}

// S3 errors are clear errors naming the bucket and key, with the SDK's types, never a silent skip: a
// listing error ends the iteration, a recording's unreadable metadata is yielded with that recording and
// the listing goes on; 500 is retried by the SDK.
func TestFilesRecordingsErrors(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 13, 12, 10, 0, 0, time.UTC)
	listPrefix := mockStage + "/"
	two := append(keysOf(mockRec(1), at, "recording-ended.json", "recording-started.json"), keysOf(mockRec(2), at, "recording-ended.json", "recording-started.json")...)
	type result struct {
		prefix string // the recording's prefix, "" for a listing error
		status recording.Status
		err    string // what the error's text contains, "" for none
	}
	tests := []struct {
		name     string
		script   func(m *mockServer)
		want     []result
		wantReqs []string
		check    func(t *testing.T, errs []error)
	}{
		{
			name: "404 NoSuchBucket",
			script: func(m *mockServer) {
				m.page("", xmlAnswer(404, errorXML("NoSuchBucket", "The specified bucket does not exist", "/"+mockBucket)))
			},
			want:     []result{{err: "recording: listing s3://" + mockBucket + "/" + listPrefix + ": operation error S3: ListObjectsV2, https response error StatusCode: 404"}},
			wantReqs: []string{"LIST " + listPrefix + " "},
			check: func(t *testing.T, errs []error) {
				var nsb *s3types.NoSuchBucket
				assert.ErrorAs(t, errs[0], &nsb)
				assert.Contains(t, errs[0].Error(), "NoSuchBucket: The specified bucket does not exist")
			},
		},
		{
			name: "403 AccessDenied on the listing, not retried",
			script: func(m *mockServer) {
				m.page("", xmlAnswer(403, errorXML("AccessDenied", "Access Denied", "/"+mockBucket)))
			},
			want:     []result{{err: "recording: listing s3://" + mockBucket + "/" + listPrefix + ": "}},
			wantReqs: []string{"LIST " + listPrefix + " "},
			check: func(t *testing.T, errs []error) {
				var ae smithy.APIError
				require.ErrorAs(t, errs[0], &ae)
				assert.Equal(t, "AccessDenied", ae.ErrorCode())
				assert.Contains(t, errs[0].Error(), "StatusCode: 403")
			},
		},
		{
			name: "500 retried, then the page",
			script: func(m *mockServer) {
				m.page("", xmlAnswer(500, errorXML("InternalError", "We encountered an internal error. Please try again.", "/"+mockBucket)),
					xmlAnswer(200, listXML(listPrefix, two, false, "")))
				m.object(mockRec(1)+"/events/recording-ended.json", ok(metadataJSON(recording.StatusEnded)))
				m.object(mockRec(2)+"/events/recording-ended.json", ok(metadataJSON(recording.StatusEnded)))
			},
			want: []result{{prefix: mockRec(1), status: recording.StatusEnded}, {prefix: mockRec(2), status: recording.StatusEnded}},
			wantReqs: []string{"LIST " + listPrefix + " ", "LIST " + listPrefix + " ",
				"GET " + mockRec(1) + "/events/recording-ended.json", "GET " + mockRec(2) + "/events/recording-ended.json"},
		},
		{
			name: "500 on every attempt",
			script: func(m *mockServer) {
				m.page("", xmlAnswer(500, errorXML("InternalError", "We encountered an internal error. Please try again.", "/"+mockBucket)))
			},
			want:     []result{{err: "exceeded maximum number of attempts, 3"}},
			wantReqs: []string{"LIST " + listPrefix + " ", "LIST " + listPrefix + " ", "LIST " + listPrefix + " "},
		},
		{
			name: "403 on one recording's file: that recording's error, the next one read",
			script: func(m *mockServer) {
				m.page("", xmlAnswer(200, listXML(listPrefix, two, false, "")))
				m.object(mockRec(1)+"/events/recording-ended.json", xmlAnswer(403, errorXML("AccessDenied", "Access Denied", "/"+mockBucket+"/"+mockRec(1)+"/events/recording-ended.json")))
				m.object(mockRec(2)+"/events/recording-ended.json", ok(metadataJSON(recording.StatusEnded)))
			},
			want: []result{
				{prefix: mockRec(1), err: "recording: reading s3://" + mockBucket + "/" + mockRec(1) + "/events/recording-ended.json: operation error S3: GetObject, https response error StatusCode: 403"},
				{prefix: mockRec(2), status: recording.StatusEnded},
			},
			wantReqs: []string{"LIST " + listPrefix + " ", "GET " + mockRec(1) + "/events/recording-ended.json", "GET " + mockRec(2) + "/events/recording-ended.json"},
		},
		{
			name: "malformed metadata JSON",
			script: func(m *mockServer) {
				m.page("", xmlAnswer(200, listXML(listPrefix, two, false, "")))
				m.object(mockRec(1)+"/events/recording-ended.json", ok(`{"version":"v1","recording_status":`))
				m.object(mockRec(2)+"/events/recording-ended.json", ok(metadataJSON(recording.StatusEnded)))
			},
			want: []result{
				{prefix: mockRec(1), err: "recording: reading s3://" + mockBucket + "/" + mockRec(1) + "/events/recording-ended.json: metadata: not JSON: "},
				{prefix: mockRec(2), status: recording.StatusEnded},
			},
			wantReqs: []string{"LIST " + listPrefix + " ", "GET " + mockRec(1) + "/events/recording-ended.json", "GET " + mockRec(2) + "/events/recording-ended.json"},
		},
		{
			name: "a recording split across two pages is one recording",
			script: func(m *mockServer) {
				m.page("", xmlAnswer(200, listXML(listPrefix, two[:1], true, "dG9rZW4x")))
				m.page("dG9rZW4x", xmlAnswer(200, listXML(listPrefix, two[1:], false, "")))
				m.object(mockRec(1)+"/events/recording-ended.json", ok(metadataJSON(recording.StatusEnded)))
				m.object(mockRec(2)+"/events/recording-ended.json", ok(metadataJSON(recording.StatusEnded)))
			},
			want: []result{{prefix: mockRec(1), status: recording.StatusEnded}, {prefix: mockRec(2), status: recording.StatusEnded}},
			wantReqs: []string{"LIST " + listPrefix + " ", "LIST " + listPrefix + " dG9rZW4x",
				"GET " + mockRec(1) + "/events/recording-ended.json", "GET " + mockRec(2) + "/events/recording-ended.json"},
		},
		{
			name: "a truncated page without a continuation token",
			script: func(m *mockServer) {
				m.page("", xmlAnswer(200, listXML(listPrefix, two[:3], true, "")))
				m.object(mockRec(1)+"/events/recording-ended.json", ok(metadataJSON(recording.StatusEnded)))
			},
			want:     []result{{err: "recording: listing s3://" + mockBucket + "/" + listPrefix + ": ListObjectsV2 answered a truncated page (IsTruncated) without a NextContinuationToken: the listing is incomplete"}},
			wantReqs: []string{"LIST " + listPrefix + " "},
		},
		{
			name: "a continuation token that comes back",
			script: func(m *mockServer) {
				m.page("", xmlAnswer(200, listXML(listPrefix, two[:1], true, "dG9rZW4x")))
				m.page("dG9rZW4x", xmlAnswer(200, listXML(listPrefix, nil, true, "dG9rZW4x")))
			},
			want:     []result{{err: `NextContinuationToken "dG9rZW4x" a second time: the listing would not end`}},
			wantReqs: []string{"LIST " + listPrefix + " ", "LIST " + listPrefix + " dG9rZW4x"},
		},
		{
			name: "keys out of order",
			script: func(m *mockServer) {
				m.page("", xmlAnswer(200, listXML(listPrefix, []listed{two[4], two[0]}, false, "")))
			},
			want:     []result{{err: "out of order"}},
			wantReqs: []string{"LIST " + listPrefix + " "},
		},
		{
			name: "a key outside the prefix",
			script: func(m *mockServer) {
				m.page("", xmlAnswer(200, listXML(listPrefix, []listed{{key: "Other/" + mockSess + "/p/t/events/recording-ended.json", modified: at}}, false, "")))
			},
			want:     []result{{err: "outside the prefix"}},
			wantReqs: []string{"LIST " + listPrefix + " "},
		},
		{
			name: "keys that are not a participant recording's are skipped",
			script: func(m *mockServer) {
				m.page("", xmlAnswer(200, listXML(listPrefix, []listed{
					{key: mockStage + "/composition1/destination1/composite/events/recording-ended.json", modified: at}, // no session ID
					{key: mockStage + "/readme.txt", modified: at},
					{key: mockStage + "/" + mockSess + "/p/t", modified: at}, // four segments: not under a recording
				}, false, "")))
			},
			wantReqs: []string{"LIST " + listPrefix + " "},
		},
		{
			name: "a recording without metadata yet: Status empty, no GetObject",
			script: func(m *mockServer) {
				m.page("", xmlAnswer(200, listXML(listPrefix, keysOf(mockRec(1), at), false, "")))
			},
			want:     []result{{prefix: mockRec(1)}},
			wantReqs: []string{"LIST " + listPrefix + " "},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			files, mt := mockS3(t)
			m := newMockServer(t, mt)
			tt.script(m)
			var got []result
			var errs []error
			for rec, err := range files.Recordings(t.Context(), mockBucket, mockStage) {
				require.Less(t, len(got), 100, "the iteration does not end")
				r := result{prefix: rec.Location.Prefix, status: rec.Status}
				if err != nil {
					r.err = err.Error()
					errs = append(errs, err)
					assert.True(t, strings.HasPrefix(err.Error(), "recording: "), err.Error())
					assert.Equal(t, recording.Status(""), rec.Status)
				}
				got = append(got, r)
			}
			require.Len(t, got, len(tt.want), "%+v", got)
			for i, w := range tt.want {
				assert.Equal(t, w.prefix, got[i].prefix)
				assert.Equal(t, w.status, got[i].status)
				if w.err == "" {
					assert.Empty(t, got[i].err)
				} else {
					assert.Contains(t, got[i].err, w.err)
				}
			}
			assert.Equal(t, tt.wantReqs, m.requests())
			if tt.check != nil {
				tt.check(t, errs)
			}
			assert.NotContains(t, fmt.Sprint(errs), "files-test-secret")
		})
	}
}

// The newest metadata file is chosen by the lifecycle, then LastModified, then failed on a tie; only it is
// read.
func TestFilesMetadataNewest(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 3, 13, 12, 0, 0, 0, time.UTC)
	rec := mockRec(1)
	loc := recording.Location{Bucket: mockBucket, Prefix: rec}
	events := rec + "/events/"
	tests := []struct {
		name  string
		files []listed
		want  string
	}{
		{name: "started only", files: []listed{{events + "recording-started.json", t0}}, want: "recording-started.json"},
		{name: "ended beats started", files: []listed{{events + "recording-ended.json", t0}, {events + "recording-started.json", t0.Add(time.Hour)}}, want: "recording-ended.json"},
		{name: "failed beats started", files: []listed{{events + "recording-failed.json", t0}, {events + "recording-started.json", t0.Add(time.Hour)}}, want: "recording-failed.json"},
		{name: "ended a second later than failed", files: []listed{{events + "recording-ended.json", t0.Add(time.Second)}, {events + "recording-failed.json", t0}}, want: "recording-ended.json"},
		{name: "failed a second later than ended", files: []listed{{events + "recording-ended.json", t0}, {events + "recording-failed.json", t0.Add(time.Second)}}, want: "recording-failed.json"},
		{name: "a tie goes to failed", files: []listed{{events + "recording-ended.json", t0}, {events + "recording-failed.json", t0}}, want: "recording-failed.json"},
		{name: "an unknown file in events/ is no metadata", files: []listed{{events + "recording-paused.json", t0}, {events + "recording-started.json", t0}}, want: "recording-started.json"},
	}
	statuses := map[string]recording.Status{"recording-started.json": recording.StatusStarted, "recording-ended.json": recording.StatusEnded, "recording-failed.json": recording.StatusEndedWithFailure}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			files, mt := mockS3(t)
			m := newMockServer(t, mt)
			m.page("", xmlAnswer(200, listXML(events, tt.files, false, "")))
			for name, st := range statuses {
				m.object(events+name, ok(metadataJSON(st)))
			}
			md, err := files.Metadata(t.Context(), loc)
			require.NoError(t, err)
			assert.Equal(t, statuses[tt.want], md.Status)
			assert.Equal(t, []string{"LIST " + events + " ", "GET " + events + tt.want}, m.requests())
		})
	}
}

// A file listed and gone before it is read is ErrNoMetadata too (and the SDK's NoSuchKey); the size limit
// is MaxMetadataFileSize bytes, the last valid and first invalid size.
func TestFilesMetadataReadErrors(t *testing.T) {
	t.Parallel()
	rec := mockRec(1)
	loc := recording.Location{Bucket: mockBucket, Prefix: rec + "/"}
	ended := rec + "/events/recording-ended.json"
	body := metadataJSON(recording.StatusEnded)
	tests := []struct {
		name    string
		object  answer
		wantErr string
		check   func(t *testing.T, err error)
	}{
		{name: "deleted since listed", object: xmlAnswer(404, errorXML("NoSuchKey", "The specified key does not exist.", "/"+mockBucket+"/"+ended)),
			wantErr: "recording: reading s3://" + mockBucket + "/" + ended + ": operation error S3: GetObject, https response error StatusCode: 404",
			check: func(t *testing.T, err error) {
				assert.ErrorIs(t, err, recording.ErrNoMetadata)
				var nsk *s3types.NoSuchKey
				assert.ErrorAs(t, err, &nsk)
			}},
		{name: "exactly MaxMetadataFileSize", object: ok(body + strings.Repeat(" ", recording.MaxMetadataFileSize-len(body)))},
		{name: "one byte more", object: ok(body + strings.Repeat(" ", recording.MaxMetadataFileSize-len(body)+1)),
			wantErr: "recording: reading s3://" + mockBucket + "/" + ended + ": the object is larger than MaxMetadataFileSize (1048576 bytes): not a metadata file"},
		{name: "an end before the start", object: ok(strings.Replace(body, "2026-03-13T12:10:00Z", "2026-03-13T11:00:00Z", 1)),
			wantErr: "recording: reading s3://" + mockBucket + "/" + ended + ": metadata: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			files, mt := mockS3(t)
			m := newMockServer(t, mt)
			m.page("", xmlAnswer(200, listXML(rec+"/events/", []listed{{key: ended, modified: time.Now()}}, false, "")))
			m.object(ended, tt.object)
			md, err := files.Metadata(t.Context(), loc)
			if tt.wantErr == "" {
				require.NoError(t, err)
				assert.Equal(t, recording.StatusEnded, md.Status)
				assert.Equal(t, 10*time.Minute, md.Duration)
				return
			}
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), tt.wantErr), err.Error())
			if tt.check != nil {
				tt.check(t, err)
			} else {
				assert.NotErrorIs(t, err, recording.ErrNoMetadata)
			}
		})
	}
}

// paramErrors returns the field paths and messages of a validation error, after checking its shape.
func paramErrors(t *testing.T, err error, operation string) []string {
	t.Helper()
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "recording: operation error S3: "+operation+", "), err.Error())
	var op *smithy.OperationError
	require.ErrorAs(t, err, &op)
	assert.Equal(t, "S3", op.ServiceID)
	assert.Equal(t, operation, op.OperationName)
	var ipe smithy.InvalidParamsError
	require.ErrorAs(t, err, &ipe)
	var out []string
	for _, e := range ipe.Errs() {
		var pe smithy.InvalidParamError
		require.ErrorAs(t, e, &pe)
		out = append(out, pe.Field()+": "+e.Error())
	}
	return out
}

// Recordings checks bucket and prefix before anything is sent, at both edges of each rule: the last valid
// value lists (one request, the prefix with its trailing '/'), the first invalid one is a validation error
// naming the field, the rule's reason and the value, with zero requests.
func TestFilesRecordingsValidation(t *testing.T) {
	t.Parallel()
	p := mockStage + "/" + mockSess + "/"
	tests := []struct {
		name    string
		bucket  string
		prefix  string
		wantErr []string // substrings, one per violation; nil: valid
	}{
		{name: "bucket of 3", bucket: "abc", prefix: mockStage},
		{name: "bucket of 2", bucket: "ab", prefix: mockStage, wantErr: []string{`ListObjectsV2Input.Bucket: length 2 is out of range 3..63 code points (value "ab")`}},
		{name: "bucket of 63", bucket: strings.Repeat("a", 63), prefix: mockStage},
		{name: "bucket of 64", bucket: strings.Repeat("a", 64), prefix: mockStage, wantErr: []string{"ListObjectsV2Input.Bucket: length 64 is out of range 3..63"}},
		{name: "bucket S3 refuses", bucket: "my..bucket", prefix: mockStage, wantErr: []string{`contains two adjacent periods ".." (S3 bucket naming rules), ListObjectsV2Input.Bucket.`}},
		{name: "bucket IPv4-shaped", bucket: "192.168.5.4", prefix: mockStage, wantErr: []string{"is formatted as an IPv4 address"}},
		{name: "empty prefix", bucket: mockBucket, prefix: "", wantErr: []string{`ListObjectsV2Input.Prefix: value "" names no stage`}},
		{name: "only a slash", bucket: mockBucket, prefix: "/", wantErr: []string{`value "/" names no stage`}},
		{name: "a leading slash", bucket: mockBucket, prefix: "/" + mockStage, wantErr: []string{"starts with '/'"}},
		{name: "two trailing slashes", bucket: mockBucket, prefix: mockStage + "//", wantErr: []string{"segment 2 (the session ID) is empty"}},
		{name: "an empty segment", bucket: mockBucket, prefix: mockStage + "//p/", wantErr: []string{"segment 2 (the session ID) is empty"}},
		{name: "four segments", bucket: mockBucket, prefix: p + "p/2026-03-13T12-00-00Z/"},
		{name: "five segments", bucket: mockBucket, prefix: p + "p/2026-03-13T12-00-00Z/events/", wantErr: []string{"has 5 segments, at most 4"}},
		{name: "stage ID with '_'", bucket: mockBucket, prefix: "AbC_def/", wantErr: []string{`segment 1 (the stage ID): value "AbC_def" does not match pattern ^[a-zA-Z0-9-]+$`}},
		{name: "session ID of 16", bucket: mockBucket, prefix: p},
		{name: "session ID of 15", bucket: mockBucket, prefix: mockStage + "/st-AbCdEfGhIjKl/", wantErr: []string{"segment 2 (the session ID): length 15 is out of range 16..16"}},
		{name: "session ID of 17", bucket: mockBucket, prefix: mockStage + "/st-AbCdEfGhIjKlMn/", wantErr: []string{"length 17 is out of range 16..16"}},
		{name: "session ID without st-", bucket: mockBucket, prefix: mockStage + "/xx-AbCdEfGhIjKlM/", wantErr: []string{"does not match pattern ^st-[a-zA-Z0-9]+$"}},
		{name: "participant ID of 64 with '_'", bucket: mockBucket, prefix: p + strings.Repeat("a_", 32)},
		{name: "participant ID of 65", bucket: mockBucket, prefix: p + strings.Repeat("a", 65), wantErr: []string{"segment 3 (the participant ID): length 65 is out of range 1..64"}},
		{name: "participant ID with '.'", bucket: mockBucket, prefix: p + "a.b/", wantErr: []string{"segment 3 (the participant ID): value \"a.b\" does not match"}},
		{name: "time of 64", bucket: mockBucket, prefix: p + "p/" + strings.Repeat("1", 64)},
		{name: "time of 65", bucket: mockBucket, prefix: p + "p/" + strings.Repeat("1", 65), wantErr: []string{"segment 4 (the recording time): length 65 is out of range 1..64"}},
		{name: "time ..", bucket: mockBucket, prefix: p + "p/..", wantErr: []string{`segment 4 (the recording time) is ".."`}},
		{name: "time .", bucket: mockBucket, prefix: p + "p/./", wantErr: []string{`segment 4 (the recording time) is "."`}},
		{name: "invalid UTF-8", bucket: mockBucket, prefix: "Ab\xffC/", wantErr: []string{"ListObjectsV2Input.Prefix"}},
		{name: "both fields at once", bucket: "AB", prefix: "", wantErr: []string{"ListObjectsV2Input.Bucket: length 2", "ListObjectsV2Input.Bucket: value \"AB\" does not begin with a lowercase letter",
			"ListObjectsV2Input.Bucket: value \"AB\" does not end with a lowercase letter", "ListObjectsV2Input.Prefix"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			files, mt := mockS3(t)
			var sent []string
			mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
				sent = append(sent, req.URL.Path+" "+req.URL.Query().Get("prefix"))
				return xmlResponse(200, listXML(req.URL.Query().Get("prefix"), nil, false, "")), nil
			})
			var errs []error
			n := 0
			for _, err := range files.Recordings(t.Context(), tt.bucket, tt.prefix) {
				n++
				require.Less(t, n, 10)
				if err != nil {
					errs = append(errs, err)
				}
			}
			if tt.wantErr == nil {
				assert.Empty(t, errs)
				assert.Equal(t, []string{"/" + tt.bucket + " " + strings.TrimSuffix(tt.prefix, "/") + "/"}, sent)
				return
			}
			require.Len(t, errs, 1, "one error, the only element")
			assert.Equal(t, 1, n)
			got := paramErrors(t, errs[0], "ListObjectsV2")
			require.Len(t, got, len(tt.wantErr), "%q", got)
			for i, want := range tt.wantErr {
				assert.Contains(t, got[i], want)
			}
			assert.Empty(t, sent, "nothing sent")
			assert.Equal(t, 0, mt.GetTotalCallCount())
		})
	}
}

// Metadata, WaitFinal and PlaylistURL check loc (and poll, expires) before anything is sent, at both edges.
func TestFilesLocationValidation(t *testing.T) {
	t.Parallel()
	good := recording.Location{Bucket: mockBucket, Prefix: mockRec(1)}
	long := strings.Repeat("a", recording.MaxKeyLength-len("/events/recording-started.json"))
	tests := []struct {
		name    string
		call    func(f *recording.Files, ctx context.Context) error
		op      string
		wantErr []string // nil: valid (it sends or presigns)
	}{
		{name: "Metadata valid", op: "Metadata", call: func(f *recording.Files, ctx context.Context) error {
			_, err := f.Metadata(ctx, good)
			return err
		}},
		{name: "Metadata with a trailing slash", op: "Metadata", call: func(f *recording.Files, ctx context.Context) error {
			_, err := f.Metadata(ctx, recording.Location{Bucket: mockBucket, Prefix: mockRec(1) + "/"})
			return err
		}},
		{name: "Metadata zero location", op: "Metadata", call: func(f *recording.Files, ctx context.Context) error {
			_, err := f.Metadata(ctx, recording.Location{})
			return err
		}, wantErr: []string{"Metadata.Location.Bucket: value is empty", `Metadata.Location.Prefix: value "" is empty`}},
		{name: "Metadata prefix of slashes", op: "Metadata", call: func(f *recording.Files, ctx context.Context) error {
			_, err := f.Metadata(ctx, recording.Location{Bucket: mockBucket, Prefix: "//"})
			return err
		}, wantErr: []string{`Metadata.Location.Prefix: value "//" is empty`}},
		{name: "Metadata prefix with ..", op: "Metadata", call: func(f *recording.Files, ctx context.Context) error {
			_, err := f.Metadata(ctx, recording.Location{Bucket: mockBucket, Prefix: "a/../b"})
			return err
		}, wantErr: []string{`segment 2 is ".."`}},
		{name: "Metadata prefix with an empty segment", op: "Metadata", call: func(f *recording.Files, ctx context.Context) error {
			_, err := f.Metadata(ctx, recording.Location{Bucket: mockBucket, Prefix: "a//b"})
			return err
		}, wantErr: []string{`segment 2 is ""`}},
		{name: "Metadata longest prefix", op: "Metadata", call: func(f *recording.Files, ctx context.Context) error {
			_, err := f.Metadata(ctx, recording.Location{Bucket: mockBucket, Prefix: long})
			return err
		}},
		{name: "Metadata prefix one byte too long", op: "Metadata", call: func(f *recording.Files, ctx context.Context) error {
			_, err := f.Metadata(ctx, recording.Location{Bucket: mockBucket, Prefix: long + "a"})
			return err
		}, wantErr: []string{"makes keys of up to 1025 bytes, more than S3's 1024"}},
		{name: "Metadata bucket S3 refuses", op: "Metadata", call: func(f *recording.Files, ctx context.Context) error {
			_, err := f.Metadata(ctx, recording.Location{Bucket: "logs-s3alias", Prefix: mockRec(1)})
			return err
		}, wantErr: []string{`ends with the reserved suffix "-s3alias" (S3 bucket naming rules), Metadata.Location.Bucket.`}},
		{name: "WaitFinal poll at the minimum", op: "WaitFinal", call: func(f *recording.Files, ctx context.Context) error {
			_, err := f.WaitFinal(ctx, good, recording.MinWaitFinalPoll)
			return err
		}},
		{name: "WaitFinal poll below the minimum", op: "WaitFinal", call: func(f *recording.Files, ctx context.Context) error {
			_, err := f.WaitFinal(ctx, good, recording.MinWaitFinalPoll-time.Millisecond)
			return err
		}, wantErr: []string{"WaitFinal.Poll: value 999ms is below the minimum of 1s"}},
		{name: "WaitFinal negative poll and no bucket", op: "WaitFinal", call: func(f *recording.Files, ctx context.Context) error {
			_, err := f.WaitFinal(ctx, recording.Location{Prefix: mockRec(1)}, -time.Second)
			return err
		}, wantErr: []string{"WaitFinal.Location.Bucket", "WaitFinal.Poll: value -1s"}},
		{name: "PlaylistURL 1s", op: "PlaylistURL", call: func(f *recording.Files, ctx context.Context) error {
			_, err := f.PlaylistURL(ctx, good, recording.MinPlaylistURLExpiry)
			return err
		}},
		{name: "PlaylistURL 7 days", op: "PlaylistURL", call: func(f *recording.Files, ctx context.Context) error {
			_, err := f.PlaylistURL(ctx, good, recording.MaxPlaylistURLExpiry)
			return err
		}},
		{name: "PlaylistURL 999ms", op: "PlaylistURL", call: func(f *recording.Files, ctx context.Context) error {
			_, err := f.PlaylistURL(ctx, good, time.Second-time.Millisecond)
			return err
		}, wantErr: []string{"PlaylistURL.Expires: value 999ms is out of range 1s..168h0m0s"}},
		{name: "PlaylistURL 7 days and a second", op: "PlaylistURL", call: func(f *recording.Files, ctx context.Context) error {
			_, err := f.PlaylistURL(ctx, good, recording.MaxPlaylistURLExpiry+time.Second)
			return err
		}, wantErr: []string{"PlaylistURL.Expires: value 168h0m1s is out of range"}},
		{name: "PlaylistURL not whole seconds", op: "PlaylistURL", call: func(f *recording.Files, ctx context.Context) error {
			_, err := f.PlaylistURL(ctx, good, 1500*time.Millisecond)
			return err
		}, wantErr: []string{"PlaylistURL.Expires: value 1.5s is not a whole number of seconds"}},
		{name: "PlaylistURL invalid UTF-8 prefix", op: "PlaylistURL", call: func(f *recording.Files, ctx context.Context) error {
			_, err := f.PlaylistURL(ctx, recording.Location{Bucket: mockBucket, Prefix: "a\xff"}, 0)
			return err
		}, wantErr: []string{"PlaylistURL.Location.Prefix"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			files, mt := mockS3(t)
			m := newMockServer(t, mt)
			m.page("", xmlAnswer(200, listXML("", []listed{{key: "x/events/recording-ended.json", modified: time.Now()}}, false, "")))
			m.object("x/events/recording-ended.json", ok(metadataJSON(recording.StatusEnded)))
			recording.SetFilesSleep(files, func(context.Context, time.Duration) error { return errors.New("test: no wait expected") })
			err := tt.call(files, t.Context())
			if tt.wantErr == nil {
				var ipe smithy.InvalidParamsError
				assert.False(t, errors.As(err, &ipe), "valid: %v", err)
				return
			}
			got := paramErrors(t, err, tt.op)
			require.Len(t, got, len(tt.wantErr), "%q", got)
			for i, want := range tt.wantErr {
				assert.Contains(t, got[i], want)
			}
			assert.Equal(t, 0, mt.GetTotalCallCount(), "nothing sent")
		})
	}
}

// PlaylistURL presigns the documented key with the expiry asked (0: the default), and sends nothing.
func TestFilesPlaylistURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		expires time.Duration
		want    string
	}{
		{expires: 0, want: "X-Amz-Expires=900"},
		{expires: time.Second, want: "X-Amz-Expires=1"},
		{expires: recording.MaxPlaylistURLExpiry, want: "X-Amz-Expires=604800"},
	}
	for _, tt := range tests {
		t.Run(tt.expires.String(), func(t *testing.T) {
			t.Parallel()
			files, mt := mockS3(t)
			url, err := files.PlaylistURL(t.Context(), recording.Location{Bucket: mockBucket, Prefix: mockRec(1)}, tt.expires)
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(url, "https://s3.us-east-1.amazonaws.com/"+mockBucket+"/"+mockRec(1)+"/media/hls/multivariant.m3u8?"), url)
			assert.Contains(t, url, tt.want+"&")
			assert.Contains(t, url, "X-Amz-Signature=")
			assert.Equal(t, 0, mt.GetTotalCallCount())
		})
	}
}

// Breaking out of Recordings stops it: no further GetObject or page.
func TestFilesRecordingsBreak(t *testing.T) {
	t.Parallel()
	files, mt := mockS3(t)
	m := newMockServer(t, mt)
	at := time.Date(2026, 3, 13, 12, 10, 0, 0, time.UTC)
	var objs []listed
	for i := 1; i <= 3; i++ {
		objs = append(objs, keysOf(mockRec(i), at, "recording-ended.json")...)
		m.object(mockRec(i)+"/events/recording-ended.json", ok(metadataJSON(recording.StatusEnded)))
	}
	m.page("", xmlAnswer(200, listXML(mockStage+"/", objs, true, "bmV4dA")))
	for rec, err := range files.Recordings(t.Context(), mockBucket, mockStage+"/") {
		require.NoError(t, err)
		assert.Equal(t, mockRec(1), rec.Location.Prefix)
		break
	}
	assert.Equal(t, []string{"LIST " + mockStage + "/ ", "GET " + mockRec(1) + "/events/recording-ended.json"}, m.requests())
}
