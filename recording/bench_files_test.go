package recording_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/jarcoal/httpmock"

	"github.com/ivsrt/ivsrt/recording"
)

// benchRecordings is how many recordings the Recordings benchmark lists.
const benchRecordings = 1000

// benchBucket serves a stage of benchRecordings recordings from canned ListObjectsV2 pages (1,000 keys
// each, as S3 pages) and one metadata file body, over a per-benchmark httpmock transport, counting the
// requests of each kind.
type benchBucket struct {
	pages        map[string]string // continuation token → ListBucketResult
	lists, gets  atomic.Int64
	metadataBody string
}

// newBenchBucket lays out benchRecordings recordings under mockStage/, each with its HLS files and, with
// metadata, recording-started.json and recording-ended.json.
func newBenchBucket(metadata bool) *benchBucket {
	at := time.Date(2026, 3, 13, 12, 10, 0, 0, time.UTC)
	var keys []listed
	for i := range benchRecordings {
		prefix := fmt.Sprintf("%s/%s/participant%04d/2026-03-13T12-00-00Z", mockStage, mockSess, i)
		if metadata {
			keys = append(keys, listed{prefix + "/events/recording-ended.json", at}, listed{prefix + "/events/recording-started.json", at})
		}
		for _, k := range []string{"media/hls/high/0.mp4", "media/hls/high/1.mp4", "media/hls/high/init-0.mp4", "media/hls/high/playlist.m3u8", "media/hls/multivariant.m3u8"} {
			keys = append(keys, listed{prefix + "/" + k, at})
		}
	}
	b := &benchBucket{pages: map[string]string{}, metadataBody: metadataJSON(recording.StatusEnded)}
	token := ""
	for start := 0; start < len(keys); start += 1000 {
		end := min(start+1000, len(keys))
		next := ""
		if end < len(keys) {
			next = base64.URLEncoding.EncodeToString([]byte(keys[end-1].key))
		}
		b.pages[token] = listXML(mockStage+"/", keys[start:end], next != "", next)
		token = next
	}
	return b
}

// client returns an S3 client on a fresh mock transport serving b.
func (b *benchBucket) client(tb testing.TB) *s3.Client {
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		if q := req.URL.Query(); q.Has("list-type") {
			b.lists.Add(1)
			page, ok := b.pages[q.Get("continuation-token")]
			if !ok {
				tb.Errorf("unknown continuation token %q", q.Get("continuation-token"))
			}
			return xmlResponse(http.StatusOK, page), nil
		}
		b.gets.Add(1)
		return httpmock.NewStringResponse(http.StatusOK, b.metadataBody), nil
	})
	return s3.New(s3.Options{
		Region: "us-east-1",
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIAFILESBENCH000000", SecretAccessKey: "files-bench-secret"}, nil
		}),
		HTTPClient:   &http.Client{Transport: mt},
		UsePathStyle: true,
	})
}

// rawRecordings is what a user writes without Files: the ListObjectsV2 paginator over the same prefix,
// grouping keys by their first four segments and, with metadata, reading each recording's
// recording-ended.json with GetObject and ParseMetadata. It returns how many recordings it found.
func rawRecordings(ctx context.Context, client *s3.Client, readMetadata bool) (int, error) {
	n := 0
	current, ended := "", false
	flush := func() error {
		if current == "" {
			return nil
		}
		n++
		if !readMetadata || !ended {
			return nil
		}
		out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(mockBucket), Key: aws.String(current + "/events/recording-ended.json")})
		if err != nil {
			return err
		}
		defer out.Body.Close()
		data, err := io.ReadAll(out.Body)
		if err != nil {
			return err
		}
		_, err = recording.ParseMetadata(data)
		return err
	}
	p := s3.NewListObjectsV2Paginator(client, &s3.ListObjectsV2Input{Bucket: aws.String(mockBucket), Prefix: aws.String(mockStage + "/")})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return n, err
		}
		for _, o := range page.Contents {
			key := aws.ToString(o.Key)
			parts := strings.SplitN(key, "/", 5)
			if len(parts) < 5 {
				continue
			}
			prefix := strings.Join(parts[:4], "/")
			if prefix != current {
				if err := flush(); err != nil {
					return n, err
				}
				current, ended = prefix, false
			}
			ended = ended || parts[4] == "events/recording-ended.json"
		}
	}
	return n, flush()
}

// BenchmarkFilesRecordings lists a stage of 1,000 recordings with Files.Recordings and with the raw
// ListObjectsV2 paginator of the same prefix, side by side: without metadata files (the listing alone, no
// GetObject on either side) and with them (the raw side reading recording-ended.json, Files the newest
// file). gets/recording is the GetObject calls per recording; lists/op the ListObjectsV2 pages.
//
//	go test -run '^$' -bench BenchmarkFilesRecordings -benchtime 20x ./recording/
func BenchmarkFilesRecordings(b *testing.B) {
	for _, metadata := range []bool{false, true} {
		bucket := newBenchBucket(metadata)
		name := "metadata=none"
		if metadata {
			name = "metadata=ended"
		}
		b.Run(name, func(b *testing.B) {
			run := func(b *testing.B, list func(ctx context.Context, client *s3.Client) (int, error)) {
				client := bucket.client(b)
				bucket.lists.Store(0)
				bucket.gets.Store(0)
				b.ReportAllocs()
				b.ResetTimer()
				for range b.N {
					n, err := list(b.Context(), client)
					if err != nil {
						b.Fatal(err)
					}
					if n != benchRecordings {
						b.Fatalf("found %d recordings, want %d", n, benchRecordings)
					}
				}
				b.StopTimer()
				b.ReportMetric(float64(bucket.gets.Load())/float64(b.N*benchRecordings), "gets/recording")
				b.ReportMetric(float64(bucket.lists.Load())/float64(b.N), "lists/op")
			}
			b.Run("impl=paginator", func(b *testing.B) {
				run(b, func(ctx context.Context, client *s3.Client) (int, error) { return rawRecordings(ctx, client, metadata) })
			})
			b.Run("impl=Files", func(b *testing.B) {
				run(b, func(ctx context.Context, client *s3.Client) (int, error) {
					n := 0
					for rec, err := range recording.NewFiles(client).Recordings(ctx, mockBucket, mockStage+"/") {
						if err != nil {
							return n, err
						}
						if metadata && rec.Status != recording.StatusEnded {
							return n, fmt.Errorf("status %q", rec.Status)
						}
						n++
					}
					return n, nil
				})
			})
		})
	}
}
