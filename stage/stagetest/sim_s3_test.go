package stagetest_test

import (
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/stagetest"
)

// s3Bucket is the bucket the S3 tests record into.
const s3Bucket = "s3-test-recordings"

// s3World is a world whose stage records into s3Bucket, with an S3 client on the server's S3 listener
// (closed when the test ends).
type s3World struct {
	*world
	s3    *s3.Client
	stage string
}

// newS3World records with a 10 s reconnect window and both kinds of thumbnails every 10 s.
func newS3World(t *testing.T) *s3World {
	t.Helper()
	w := newWorld(t)
	t.Cleanup(w.srv.Close)
	stageARN := w.recordingStage(s3Bucket, 10, func(r *types.AutoParticipantRecordingConfiguration) {
		r.ThumbnailConfiguration = &types.ParticipantThumbnailConfiguration{
			RecordingMode:         types.ThumbnailRecordingModeInterval,
			TargetIntervalSeconds: aws.Int32(10),
			Storage:               []types.ThumbnailStorageType{types.ThumbnailStorageTypeSequential, types.ThumbnailStorageTypeLatest},
		}
	})
	client := s3.NewFromConfig(w.srv.S3Config(), func(o *s3.Options) { o.UsePathStyle = true })
	return &s3World{world: w, s3: client, stage: stageARN}
}

// record plays one recording of d: join, publish, leave after d. It returns the participant ID.
func (w *s3World) record(d time.Duration) string {
	w.t.Helper()
	pid := w.join(w.stage, "", types.ParticipantTokenCapabilityPublish)
	require.NoError(w.t, w.srv.Publish(w.stage, pid))
	w.clock.Advance(d)
	require.NoError(w.t, w.srv.Leave(w.stage, pid))
	return pid
}

// list returns every key ListObjectsV2 lists under prefix (all pages of maxKeys; 0: the default).
func (w *s3World) list(prefix string, maxKeys int32) ([]s3types.Object, int) {
	w.t.Helper()
	in := &s3.ListObjectsV2Input{Bucket: aws.String(s3Bucket), Prefix: aws.String(prefix)}
	if maxKeys > 0 {
		in.MaxKeys = aws.Int32(maxKeys)
	}
	var out []s3types.Object
	pages := 0
	for p := s3.NewListObjectsV2Paginator(w.s3, in); p.HasMorePages(); {
		require.Less(w.t, pages, 1000, "the listing does not end")
		page, err := p.NextPage(w.t.Context())
		require.NoError(w.t, err)
		pages++
		out = append(out, page.Contents...)
	}
	return out, pages
}

func keysOf(objs []s3types.Object) []string {
	keys := make([]string, len(objs))
	for i, o := range objs {
		keys[i] = aws.ToString(o.Key)
	}
	return keys
}

// get reads an object with GetObject.
func (w *s3World) get(key string) ([]byte, *s3.GetObjectOutput) {
	w.t.Helper()
	out, err := w.s3.GetObject(w.t.Context(), &s3.GetObjectInput{Bucket: aws.String(s3Bucket), Key: aws.String(key)})
	require.NoError(w.t, err, key)
	defer out.Body.Close()
	data, err := io.ReadAll(out.Body)
	require.NoError(w.t, err)
	return data, out
}

// The S3 client lists and reads exactly what Objects returns, at each moment of a recording's life: nothing
// before, the started file while it runs, every file once the reconnect window has run out, the first S3
// request applying what the clock has made due (no Objects call in between), whatever the page size.
func TestS3ServesExactlyObjects(t *testing.T) {
	t.Parallel()
	w := newS3World(t)
	listed, _ := w.list("", 0)
	assert.Empty(t, listed, "the bucket of a storage configuration exists, empty")

	pid := w.join(w.stage, "", types.ParticipantTokenCapabilityPublish)
	require.NoError(t, w.srv.Publish(w.stage, pid))
	listed, _ = w.list("", 0)
	require.Len(t, listed, 1)
	assert.True(t, strings.HasSuffix(aws.ToString(listed[0].Key), "/"+pid+"/2026-03-13T19-44-19Z/events/recording-started.json"), aws.ToString(listed[0].Key))

	w.clock.Advance(25 * time.Second)
	require.NoError(t, w.srv.Leave(w.stage, pid))
	w.clock.Advance(10 * time.Second) // the window has not run out (now − stop > window is false)
	listed, _ = w.list("", 0)
	assert.Len(t, listed, 1, "still only the started file")
	w.clock.Advance(time.Second) // due now; applied by the next request, which is S3's
	listed, _ = w.list("", 0)
	assert.Contains(t, strings.Join(keysOf(listed), " "), "/events/recording-ended.json", "the first S3 request applied the end")

	want := w.srv.Objects(s3Bucket)
	require.Greater(t, len(want), 5, "playlists, segments, thumbnails and two metadata files")
	tests := []struct {
		name      string
		maxKeys   int32
		wantPages int
	}{
		{name: "default page of 1000", maxKeys: 0, wantPages: 1},
		{name: "pages of one", maxKeys: 1, wantPages: len(want)},
		{name: "pages of len-1", maxKeys: int32(len(want) - 1), wantPages: 2},
		{name: "one page of exactly len", maxKeys: int32(len(want)), wantPages: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			objs, pages := w.list("", tt.maxKeys)
			assert.Equal(t, tt.wantPages, pages)
			keys := keysOf(objs)
			assert.Equal(t, slices.Sorted(maps.Keys(want)), keys, "every key once, in order")
			for _, o := range objs {
				assert.Equal(t, int64(len(want[aws.ToString(o.Key)])), aws.ToInt64(o.Size), aws.ToString(o.Key))
			}
		})
	}
	for key, content := range want {
		data, _ := w.get(key)
		assert.Equal(t, content, data, key)
	}
}

// Each object carries when the fake wrote it (on its clock), the MD5 of its content as ETag, and a
// Content-Type by extension; HeadObject and ranged GetObject agree with GetObject.
func TestS3ObjectAttributes(t *testing.T) {
	t.Parallel()
	w := newS3World(t)
	start := w.clock.Now()
	w.record(25 * time.Second)
	w.clock.Advance(11 * time.Second)
	end := start.Add(25*time.Second + 10*time.Second) // leave + window

	objs, _ := w.list("", 0)
	byKey := map[string]s3types.Object{}
	for _, o := range objs {
		byKey[aws.ToString(o.Key)] = o
	}
	find := func(suffix string) string {
		t.Helper()
		for k := range byKey {
			if strings.HasSuffix(k, suffix) {
				return k
			}
		}
		require.Failf(t, "no such key", "no key ends with %s in %v", suffix, slices.Sorted(maps.Keys(byKey)))
		return ""
	}
	tests := []struct {
		suffix      string
		modified    time.Time
		contentType string
	}{
		{suffix: "/events/recording-started.json", modified: start, contentType: "application/json"},
		{suffix: "/events/recording-ended.json", modified: end, contentType: "application/json"},
		{suffix: "/media/hls/multivariant.m3u8", modified: end, contentType: "application/vnd.apple.mpegurl"},
		{suffix: "/media/hls/high/0.mp4", modified: end, contentType: "video/mp4"},
		{suffix: "/media/thumbnails/high/1.jpg", modified: end, contentType: "image/jpeg"},
		{suffix: "/media/latest_thumbnail/high/thumb.jpg", modified: end, contentType: "image/jpeg"},
	}
	for _, tt := range tests {
		t.Run(tt.suffix, func(t *testing.T) {
			key := find(tt.suffix)
			o := byKey[key]
			assert.Equal(t, tt.modified, aws.ToTime(o.LastModified), "LastModified in the listing")
			data, out := w.get(key)
			sum := md5.Sum(data)
			assert.Equal(t, `"`+hex.EncodeToString(sum[:])+`"`, aws.ToString(o.ETag))
			assert.Equal(t, aws.ToString(o.ETag), aws.ToString(out.ETag))
			assert.Equal(t, tt.contentType, aws.ToString(out.ContentType))
			assert.Equal(t, tt.modified, aws.ToTime(out.LastModified), "Last-Modified of GetObject")

			head, err := w.s3.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String(s3Bucket), Key: aws.String(key)})
			require.NoError(t, err)
			assert.Equal(t, int64(len(data)), aws.ToInt64(head.ContentLength))
			assert.Equal(t, tt.contentType, aws.ToString(head.ContentType))
		})
	}

	key := find("/media/hls/multivariant.m3u8")
	full, _ := w.get(key)
	ranged, err := w.s3.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String(s3Bucket), Key: aws.String(key), Range: aws.String("bytes=0-6")})
	require.NoError(t, err)
	defer ranged.Body.Close()
	part, err := io.ReadAll(ranged.Body)
	require.NoError(t, err)
	assert.Equal(t, full[:7], part)
	assert.Equal(t, "#EXTM3U", string(part))
}

// Prefix and delimiter are applied as S3 does, also across pages that end on a common prefix: each
// participant's folder is listed once.
func TestS3ListPrefixAndDelimiter(t *testing.T) {
	t.Parallel()
	w := newS3World(t)
	var pids []string
	for range 3 {
		pids = append(pids, w.join(w.stage, "", types.ParticipantTokenCapabilityPublish))
	}
	for _, pid := range pids {
		require.NoError(t, w.srv.Publish(w.stage, pid))
	}
	w.clock.Advance(20 * time.Second)
	for _, pid := range pids {
		require.NoError(t, w.srv.Leave(w.stage, pid))
	}
	w.clock.Advance(11 * time.Second)
	all := w.srv.Objects(s3Bucket)
	stageID := w.stage[strings.LastIndexByte(w.stage, '/')+1:]
	session := w.activeSession(w.stage) // ended: ""; read it from a key instead
	require.Empty(t, session)
	for k := range all {
		session = strings.Split(k, "/")[1]
		break
	}
	sessionPrefix := stageID + "/" + session + "/"
	wantFolders := make([]string, 0, len(pids))
	for _, pid := range pids {
		wantFolders = append(wantFolders, sessionPrefix+pid+"/")
	}
	slices.Sort(wantFolders)

	for _, maxKeys := range []int32{1, 2, 3, 1000} {
		t.Run(fmt.Sprintf("participants in pages of %d", maxKeys), func(t *testing.T) {
			in := &s3.ListObjectsV2Input{Bucket: aws.String(s3Bucket), Prefix: aws.String(sessionPrefix), Delimiter: aws.String("/"), MaxKeys: aws.Int32(maxKeys)}
			var folders []string
			pages := 0
			for p := s3.NewListObjectsV2Paginator(w.s3, in); p.HasMorePages(); {
				require.Less(t, pages, 10, "the listing does not end")
				page, err := p.NextPage(t.Context())
				require.NoError(t, err)
				pages++
				assert.Empty(t, page.Contents, "no object directly under the session")
				for _, cp := range page.CommonPrefixes {
					folders = append(folders, aws.ToString(cp.Prefix))
				}
			}
			assert.Equal(t, wantFolders, folders)
			assert.Equal(t, (len(pids)+int(maxKeys)-1)/int(maxKeys), pages)
		})
	}

	tests := []struct {
		name   string
		prefix string
		want   int
	}{
		{name: "one participant's folder", prefix: sessionPrefix + pids[0] + "/", want: countPrefix(all, sessionPrefix+pids[0]+"/")},
		{name: "a prefix cut inside a segment", prefix: sessionPrefix + pids[0][:3], want: countPrefix(all, sessionPrefix+pids[0][:3])},
		{name: "no such prefix", prefix: stageID + "/st-none/", want: 0},
		{name: "the whole stage", prefix: stageID + "/", want: len(all)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			objs, _ := w.list(tt.prefix, 0)
			assert.Len(t, objs, tt.want)
			for _, o := range objs {
				assert.True(t, strings.HasPrefix(aws.ToString(o.Key), tt.prefix))
			}
		})
	}
}

func countPrefix(objects map[string][]byte, prefix string) int {
	n := 0
	for k := range objects {
		if strings.HasPrefix(k, prefix) {
			n++
		}
	}
	return n
}

// A bucket no storage configuration names and nobody wrote to, and one SetBucketMissing hides, answer 404
// NoSuchBucket; a missing key 404 NoSuchKey.
func TestS3Missing(t *testing.T) {
	t.Parallel()
	w := newS3World(t)
	w.record(10 * time.Second)
	w.clock.Advance(11 * time.Second)
	require.NotEmpty(t, w.srv.Objects(s3Bucket))
	hidden := "hidden-recordings"
	w.srv.MustAddStorageConfiguration(hidden)
	w.srv.SetBucketMissing(hidden, true)

	list := func(bucket string) error {
		_, err := w.s3.ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
		return err
	}
	get := func(bucket, key string) error {
		out, err := w.s3.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
		if err == nil {
			out.Body.Close()
		}
		return err
	}
	tests := []struct {
		name     string
		call     func() error
		wantCode string
		wantType any
	}{
		{name: "list an unknown bucket", call: func() error { return list("no-such-bucket") }, wantCode: "NoSuchBucket", wantType: new(*s3types.NoSuchBucket)},
		{name: "list a bucket marked missing", call: func() error { return list(hidden) }, wantCode: "NoSuchBucket", wantType: new(*s3types.NoSuchBucket)},
		{name: "get from an unknown bucket", call: func() error { return get("no-such-bucket", "a/b") }, wantCode: "NoSuchBucket"},
		{name: "get a missing key", call: func() error { return get(s3Bucket, "no/such/key") }, wantCode: "NoSuchKey", wantType: new(*s3types.NoSuchKey)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, status := apiError(t, tt.call())
			assert.Equal(t, tt.wantCode, code)
			assert.Equal(t, http.StatusNotFound, status)
			if tt.wantType != nil {
				assert.True(t, errors.As(tt.call(), tt.wantType), "typed %T", tt.wantType)
			}
		})
	}

	w.srv.SetBucketMissing(s3Bucket, true)
	code, _ := apiError(t, list(s3Bucket))
	assert.Equal(t, "NoSuchBucket", code, "a bucket with objects, marked missing")
	w.srv.SetBucketMissing(s3Bucket, false)
	assert.NoError(t, list(s3Bucket))
}

// Every write answers 403 AccessDenied and changes nothing.
func TestS3ReadOnly(t *testing.T) {
	t.Parallel()
	w := newS3World(t)
	w.record(10 * time.Second)
	w.clock.Advance(11 * time.Second)
	before := w.srv.Objects(s3Bucket)
	some := slices.Sorted(maps.Keys(before))[0]

	tests := []struct {
		name string
		call func() error
	}{
		{name: "PutObject", call: func() error {
			_, err := w.s3.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String(s3Bucket), Key: aws.String("x/y.txt"), Body: strings.NewReader("x")})
			return err
		}},
		{name: "PutObject over a recording's file", call: func() error {
			_, err := w.s3.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String(s3Bucket), Key: aws.String(some), Body: strings.NewReader("x")})
			return err
		}},
		{name: "DeleteObject", call: func() error {
			_, err := w.s3.DeleteObject(t.Context(), &s3.DeleteObjectInput{Bucket: aws.String(s3Bucket), Key: aws.String(some)})
			return err
		}},
		{name: "CreateBucket", call: func() error {
			_, err := w.s3.CreateBucket(t.Context(), &s3.CreateBucketInput{Bucket: aws.String("new-bucket")})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, status := apiError(t, tt.call())
			assert.Equal(t, "AccessDenied", code)
			assert.Equal(t, http.StatusForbidden, status)
		})
	}
	assert.Equal(t, before, w.srv.Objects(s3Bucket), "nothing changed")
	code, _ := apiError(t, func() error {
		_, err := w.s3.HeadBucket(t.Context(), &s3.HeadBucketInput{Bucket: aws.String("new-bucket")})
		return err
	}())
	assert.Equal(t, "NotFound", code, "no bucket was created")
}

// A presigned GetObject URL works with a plain http.Get.
func TestS3PresignedURL(t *testing.T) {
	t.Parallel()
	w := newS3World(t)
	w.record(10 * time.Second)
	w.clock.Advance(11 * time.Second)
	var playlist string
	for k := range w.srv.Objects(s3Bucket) {
		if strings.HasSuffix(k, "/media/hls/multivariant.m3u8") {
			playlist = k
		}
	}
	require.NotEmpty(t, playlist)
	req, err := s3.NewPresignClient(w.s3).PresignGetObject(t.Context(),
		&s3.GetObjectInput{Bucket: aws.String(s3Bucket), Key: aws.String(playlist)}, s3.WithPresignExpires(time.Minute))
	require.NoError(t, err)
	assert.Contains(t, req.URL, "X-Amz-Signature=")
	assert.Contains(t, req.URL, "/"+s3Bucket+"/", "path style")

	resp, err := http.Get(req.URL)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "application/vnd.apple.mpegurl", resp.Header.Get("Content-Type"))
	assert.Equal(t, w.srv.Objects(s3Bucket)[playlist], body)
}

// Close is safe before any listener, twice, and stops the listener: a client of the old endpoint fails; a
// later S3Config starts a new one.
func TestS3Close(t *testing.T) {
	t.Parallel()
	srv := stagetest.New()
	t.Cleanup(srv.Close)
	srv.MustAddStorageConfiguration(s3Bucket)
	srv.Close() // none started
	cfg := srv.S3Config()
	again := srv.S3Config()
	assert.Equal(t, aws.ToString(cfg.BaseEndpoint), aws.ToString(again.BaseEndpoint), "one listener")
	assert.True(t, strings.HasPrefix(aws.ToString(cfg.BaseEndpoint), "http://127.0.0.1:") || strings.HasPrefix(aws.ToString(cfg.BaseEndpoint), "http://[::1]:"))
	assert.Equal(t, stagetest.Region, cfg.Region)

	client := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	_, err := client.ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String(s3Bucket)})
	require.NoError(t, err)

	srv.Close()
	srv.Close() // twice
	_, err = client.ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String(s3Bucket)})
	require.Error(t, err, "the listener is closed")
	var dial *net.OpError
	assert.True(t, errors.As(err, &dial), "the connection is refused, no response: %v", err)

	restarted := s3.NewFromConfig(srv.S3Config(), func(o *s3.Options) { o.UsePathStyle = true })
	_, err = restarted.ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String(s3Bucket)})
	assert.NoError(t, err)
}

// Concurrent readers, a clock moving and recordings ending meanwhile: safe for concurrent use (run with
// -race), and every listing is one of the states the bucket went through.
func TestS3Concurrent(t *testing.T) {
	t.Parallel()
	w := newS3World(t)
	pid := w.join(w.stage, "", types.ParticipantTokenCapabilityPublish)
	require.NoError(t, w.srv.Publish(w.stage, pid))
	w.clock.Advance(10 * time.Second)
	require.NoError(t, w.srv.Leave(w.stage, pid))

	var wg sync.WaitGroup
	counts := make([][]int, 4)
	for i := range counts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				out, err := w.s3.ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String(s3Bucket)})
				if !assert.NoError(t, err) {
					return
				}
				counts[i] = append(counts[i], len(out.Contents))
			}
		}()
	}
	for range 3 {
		w.clock.Advance(5 * time.Second)
	}
	wg.Wait()
	final := len(w.srv.Objects(s3Bucket))
	for _, c := range counts {
		for _, n := range c {
			assert.True(t, n == 1 || n == final, "a listing of %d keys: neither before (1) nor after (%d) the end", n, final)
		}
	}
}
