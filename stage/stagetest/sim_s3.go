package stagetest

import (
	"bytes"
	"crypto/md5"
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"path"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/johannesboyne/gofakes3"
)

// s3State is the server's S3 side: the loopback listener that [Server.S3Config] starts and [Server.Close]
// stops, and when each object was written.
type s3State struct {
	mu        sync.Mutex // guards the listener fields below, never held with Server.mu
	srv       *http.Server
	done      chan struct{} // closed when Serve has returned
	endpoint  string        // "http://127.0.0.1:<port>"
	transport *http.Transport

	// modified is bucket → key → when the object was last written, on the server's clock. Guarded by
	// Server.mu, like the objects themselves.
	modified map[string]map[string]time.Time
}

// touch records that bucket/key was written at at. It runs with s.mu held.
func (s *Server) touch(bucket, key string, at time.Time) {
	if s.s3.modified == nil {
		s.s3.modified = map[string]map[string]time.Time{}
	}
	b := s.s3.modified[bucket]
	if b == nil {
		b = map[string]time.Time{}
		s.s3.modified[bucket] = b
	}
	b[key] = at.UTC()
}

// S3Config returns an aws.Config for an S3 client (github.com/aws/aws-sdk-go-v2/service/s3) that reads the
// buckets recordings write to, served over the S3 protocol by github.com/johannesboyne/gofakes3 on a
// loopback listener (http://127.0.0.1:<port>) in this process:
//
//	client := s3.NewFromConfig(srv.S3Config(), func(o *s3.Options) { o.UsePathStyle = true })
//
// Path-style addressing is required (the listener has no DNS name for virtual-hosted buckets). The Config
// has region [Region], the same static dummy credentials and retryer as [Server.Config], BaseEndpoint set
// to the listener (so it is meant for S3 clients only) and its own HTTP client.
//
// The first call starts the listener; later calls return a Config for the same one, until [Server.Close]
// stops it (a call after Close starts a new listener, on a new port: close it again). Close the server
// when done, e.g. t.Cleanup(srv.Close). S3Config panics if no loopback address can be listened on, as
// httptest.NewServer does.
//
// What the S3 server answers, read-only:
//
//   - ListObjectsV2 (and ListObjects), GetObject (with Range), HeadObject, HeadBucket and ListBuckets serve
//     exactly what [Server.Objects] returns at that moment: each request first applies what the clock has
//     made due (a reconnect window running out writes recording-ended.json and the media), as every request
//     to the fake does. Listings are in key order (UTF-8 binary), paginated by max-keys (default and
//     maximum 1,000) with a continuation token, prefix and delimiter as S3 applies them.
//   - Every object carries LastModified = when the fake wrote it, on its clock; ETag = the MD5 of its
//     content; Content-Type by extension (application/json, application/vnd.apple.mpegurl for .m3u8,
//     video/mp4, image/jpeg; binary/octet-stream otherwise).
//   - A bucket exists when a storage configuration the server holds names it or a recording wrote to it,
//     and [Server.SetBucketMissing] has not marked it missing. Any other bucket answers HTTP 404
//     NoSuchBucket, a missing key 404 NoSuchKey.
//   - Any method other than GET, HEAD and OPTIONS (PutObject, DeleteObject, CreateBucket, …) answers HTTP
//     403 AccessDenied: only the simulated service writes recordings.
//   - Presigned URLs (s3.NewPresignClient) work with a plain http.Get. Neither signatures nor expiry times
//     are checked, and S3 requests are not counted in [Server.Requests].
func (s *Server) S3Config() aws.Config {
	endpoint, transport := s.s3.start(s)
	cfg := s.Config()
	cfg.BaseEndpoint = aws.String(endpoint)
	cfg.HTTPClient = &http.Client{Transport: transport}
	return cfg
}

// Close stops the S3 listener that [Server.S3Config] started, closing its connections. It is safe to call
// more than once, and when no listener was started; the rest of the server keeps working.
func (s *Server) Close() {
	st := &s.s3
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.srv == nil {
		return
	}
	_ = st.srv.Close() // the listener's error, if any, is of no use: it is closed either way
	<-st.done
	st.transport.CloseIdleConnections()
	st.srv, st.done, st.endpoint, st.transport = nil, nil, "", nil
}

// start starts the listener unless it runs, and returns its endpoint and the transport of its clients.
func (st *s3State) start(s *Server) (string, *http.Transport) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.srv != nil {
		return st.endpoint, st.transport
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		if ln, err = net.Listen("tcp6", "[::1]:0"); err != nil {
			panic(fmt.Sprintf("stagetest: S3Config: listening on a loopback address: %v", err))
		}
	}
	fake := gofakes3.New(s3Backend{s: s}, gofakes3.WithTimeSkewLimit(0))
	srv := &http.Server{Handler: readOnly(fake.Server()), ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln) // returns http.ErrServerClosed once Close is called
	}()
	st.srv, st.done, st.endpoint = srv, done, "http://"+ln.Addr().String()
	st.transport = &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
		MaxIdleConnsPerHost: 16,
		IdleConnTimeout:     30 * time.Second,
	}
	return st.endpoint, st.transport
}

// s3ErrorBody is S3's XML error document.
type s3ErrorBody struct {
	XMLName   xml.Name `xml:"Error"`
	Code      string   `xml:"Code"`
	Message   string   `xml:"Message"`
	Resource  string   `xml:"Resource,omitempty"`
	RequestID string   `xml:"RequestId"`
}

// readOnly answers every request that could write with HTTP 403 AccessDenied, and passes GET, HEAD and
// OPTIONS on to next.
func readOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			next.ServeHTTP(w, r)
			return
		}
		body, err := xml.Marshal(s3ErrorBody{
			Code:      "AccessDenied",
			Message:   "stagetest serves recordings read-only: only the simulated service writes to its buckets",
			Resource:  r.URL.Path,
			RequestID: requestID(),
		})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError) // cannot happen: a plain struct
			return
		}
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write(append([]byte(xml.Header), body...))
	})
}

// s3Backend is a read-only gofakes3.Backend over the server's own objects: what Server.Objects returns.
type s3Backend struct{ s *Server }

var _ gofakes3.Backend = s3Backend{}

// errReadOnly is what the backend's write methods answer. readOnly refuses writes before they reach it.
var errReadOnly = gofakes3.ErrorMessage(gofakes3.ErrNotImplemented, "stagetest: the S3 server is read-only")

// lock takes the server's lock and applies what the clock has made due, as every request does; the caller
// unlocks.
func (b s3Backend) lock() {
	b.s.mu.Lock()
	b.s.settle(b.s.now())
}

// bucketExists reports whether bucket exists (see S3Config). It runs with s.mu held.
func (s *Server) bucketExists(bucket string) bool {
	if s.play.missing[bucket] {
		return false
	}
	if s.play.objects[bucket] != nil {
		return true
	}
	for _, sc := range s.storage {
		if sc.bucket == bucket {
			return true
		}
	}
	return false
}

// ListBuckets lists the buckets that exist, by name; a bucket's creation date is its first write (the
// clock's now while nothing was written to it).
func (b s3Backend) ListBuckets() ([]gofakes3.BucketInfo, error) {
	b.lock()
	defer b.s.mu.Unlock()
	names := map[string]bool{}
	for name := range b.s.play.objects {
		names[name] = true
	}
	for _, sc := range b.s.storage {
		names[sc.bucket] = true
	}
	var out []gofakes3.BucketInfo
	for _, name := range slices.Sorted(maps.Keys(names)) {
		if !b.s.bucketExists(name) {
			continue
		}
		created := b.s.now().UTC()
		for _, at := range b.s.s3.modified[name] {
			if at.Before(created) {
				created = at
			}
		}
		out = append(out, gofakes3.BucketInfo{Name: name, CreationDate: gofakes3.NewContentTime(created)})
	}
	return out, nil
}

// ListBucket lists a page of the bucket's keys in order, after page.Marker, prefix and delimiter applied
// as S3 does: a common prefix counts as one entry, and a page that ends on one resumes after every key it
// covers. IsTruncated is set only when another entry follows.
func (b s3Backend) ListBucket(name string, prefix *gofakes3.Prefix, page gofakes3.ListBucketPage) (*gofakes3.ObjectList, error) {
	if prefix == nil {
		prefix = &gofakes3.Prefix{}
	}
	b.lock()
	defer b.s.mu.Unlock()
	if !b.s.bucketExists(name) {
		return nil, gofakes3.BucketNotFound(name)
	}
	objects := b.s.play.objects[name]
	list := gofakes3.NewObjectList()
	var (
		match      gofakes3.PrefixMatch
		n          int64
		lastCommon string
		next       string
	)
	for _, key := range slices.Sorted(maps.Keys(objects)) {
		if page.HasMarker && key <= page.Marker {
			continue
		}
		if !prefix.Match(key, &match) {
			continue
		}
		entry := key
		if match.CommonPrefix {
			entry = match.MatchedPart
			if entry == lastCommon || (page.HasMarker && entry == page.Marker) {
				continue // already listed, on this page or the previous one
			}
		}
		if page.MaxKeys > 0 && n == page.MaxKeys {
			list.IsTruncated, list.NextMarker = true, next
			break
		}
		n++
		next = entry
		if match.CommonPrefix {
			list.AddPrefix(entry)
			lastCommon = entry
			continue
		}
		data := objects[key]
		hash := md5.Sum(data)
		list.Add(&gofakes3.Content{
			Key:          key,
			LastModified: gofakes3.NewContentTime(b.s.s3.modified[name][key]),
			ETag:         gofakes3.FormatETag(hash[:]),
			Size:         int64(len(data)),
			StorageClass: gofakes3.StorageClass("STANDARD"),
		})
	}
	return list, nil
}

// BucketExists reports whether the bucket exists (see S3Config).
func (b s3Backend) BucketExists(name string) (bool, error) {
	b.lock()
	defer b.s.mu.Unlock()
	return b.s.bucketExists(name), nil
}

// GetObject returns a copy of the object, or the part of it rangeRequest asks for.
func (b s3Backend) GetObject(bucket, key string, rangeRequest *gofakes3.ObjectRangeRequest) (*gofakes3.Object, error) {
	return b.object(bucket, key, rangeRequest, true)
}

// HeadObject returns the object's metadata with empty contents.
func (b s3Backend) HeadObject(bucket, key string) (*gofakes3.Object, error) {
	return b.object(bucket, key, nil, false)
}

func (b s3Backend) object(bucket, key string, rangeRequest *gofakes3.ObjectRangeRequest, withBody bool) (*gofakes3.Object, error) {
	b.lock()
	defer b.s.mu.Unlock()
	if !b.s.bucketExists(bucket) {
		return nil, gofakes3.BucketNotFound(bucket)
	}
	data, ok := b.s.play.objects[bucket][key]
	if !ok {
		return nil, gofakes3.KeyNotFound(key)
	}
	hash := md5.Sum(data)
	obj := &gofakes3.Object{
		Name: key,
		Metadata: map[string]string{
			"Content-Type":  contentType(key),
			"Last-Modified": b.s.s3.modified[bucket][key].Format(http.TimeFormat),
		},
		Size:     int64(len(data)),
		Hash:     hash[:],
		Contents: io.NopCloser(bytes.NewReader(nil)),
	}
	if !withBody {
		return obj, nil
	}
	rnge, err := rangeRequest.Range(obj.Size)
	if err != nil {
		return nil, err
	}
	part := data
	if rnge != nil {
		part = data[rnge.Start : rnge.Start+rnge.Length]
	}
	obj.Range = rnge
	obj.Contents = io.NopCloser(bytes.NewReader(slices.Clone(part)))
	return obj, nil
}

// contentType is the Content-Type the fake serves key with, by its extension.
func contentType(key string) string {
	switch path.Ext(key) {
	case ".json":
		return "application/json"
	case ".m3u8":
		return "application/vnd.apple.mpegurl"
	case ".mp4":
		return "video/mp4"
	case ".jpg":
		return "image/jpeg"
	}
	return "binary/octet-stream"
}

// The write methods of gofakes3.Backend: readOnly refuses writes before they get here.

// CreateBucket refuses: the S3 server is read-only.
func (s3Backend) CreateBucket(string) error { return errReadOnly }

// DeleteBucket refuses: the S3 server is read-only.
func (s3Backend) DeleteBucket(string) error { return errReadOnly }

// ForceDeleteBucket refuses: the S3 server is read-only.
func (s3Backend) ForceDeleteBucket(string) error { return errReadOnly }

// DeleteObject refuses: the S3 server is read-only.
func (s3Backend) DeleteObject(string, string) (gofakes3.ObjectDeleteResult, error) {
	return gofakes3.ObjectDeleteResult{}, errReadOnly
}

// PutObject refuses: the S3 server is read-only.
func (s3Backend) PutObject(string, string, map[string]string, io.Reader, int64, *gofakes3.PutConditions) (gofakes3.PutObjectResult, error) {
	return gofakes3.PutObjectResult{}, errReadOnly
}

// DeleteMulti refuses: the S3 server is read-only.
func (s3Backend) DeleteMulti(string, ...string) (gofakes3.MultiDeleteResult, error) {
	return gofakes3.MultiDeleteResult{}, errReadOnly
}

// CopyObject refuses: the S3 server is read-only.
func (s3Backend) CopyObject(string, string, string, string, map[string]string) (gofakes3.CopyObjectResult, error) {
	return gofakes3.CopyObjectResult{}, errReadOnly
}
