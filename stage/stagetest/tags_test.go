package stagetest_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/stagetest"
)

// taggable is one kind of resource the tag operations work on: how to make one, and its tags as its own
// Get and List operations report them.
type taggable struct {
	kind   string
	create func(t *testing.T, srv *stagetest.Server, client *ivsrealtime.Client) string
	get    func(t *testing.T, client *ivsrealtime.Client, arn string) map[string]string
	list   func(t *testing.T, client *ivsrealtime.Client, arn string) map[string]string
}

var taggables = []taggable{
	{
		kind: "stage",
		create: func(t *testing.T, _ *stagetest.Server, client *ivsrealtime.Client) string {
			out, err := client.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{Tags: map[string]string{"initial": "1"}})
			require.NoError(t, err)
			return aws.ToString(out.Stage.Arn)
		},
		get: func(t *testing.T, client *ivsrealtime.Client, arn string) map[string]string {
			out, err := client.GetStage(t.Context(), &ivsrealtime.GetStageInput{Arn: aws.String(arn)})
			require.NoError(t, err)
			return out.Stage.Tags
		},
		list: func(t *testing.T, client *ivsrealtime.Client, arn string) map[string]string {
			out, err := client.ListStages(t.Context(), &ivsrealtime.ListStagesInput{})
			require.NoError(t, err)
			for _, s := range out.Stages {
				if aws.ToString(s.Arn) == arn {
					return s.Tags
				}
			}
			require.FailNow(t, "not listed", arn)
			return nil
		},
	},
	{
		kind: "public key",
		create: func(t *testing.T, _ *stagetest.Server, client *ivsrealtime.Client) string {
			_, material := p384PEM(t)
			out, err := client.ImportPublicKey(t.Context(), &ivsrealtime.ImportPublicKeyInput{
				PublicKeyMaterial: aws.String(material), Tags: map[string]string{"initial": "1"},
			})
			require.NoError(t, err)
			return aws.ToString(out.PublicKey.Arn)
		},
		get: func(t *testing.T, client *ivsrealtime.Client, arn string) map[string]string {
			out, err := client.GetPublicKey(t.Context(), &ivsrealtime.GetPublicKeyInput{Arn: aws.String(arn)})
			require.NoError(t, err)
			return out.PublicKey.Tags
		},
		list: func(t *testing.T, client *ivsrealtime.Client, arn string) map[string]string {
			out, err := client.ListPublicKeys(t.Context(), &ivsrealtime.ListPublicKeysInput{})
			require.NoError(t, err)
			for _, k := range out.PublicKeys {
				if aws.ToString(k.Arn) == arn {
					return k.Tags
				}
			}
			require.FailNow(t, "not listed", arn)
			return nil
		},
	},
	{
		kind: "storage configuration",
		create: func(t *testing.T, _ *stagetest.Server, client *ivsrealtime.Client) string {
			out, err := client.CreateStorageConfiguration(t.Context(), &ivsrealtime.CreateStorageConfigurationInput{
				S3: &types.S3StorageConfiguration{BucketName: aws.String("tagged")}, Tags: map[string]string{"initial": "1"},
			})
			require.NoError(t, err)
			return aws.ToString(out.StorageConfiguration.Arn)
		},
		get: func(t *testing.T, client *ivsrealtime.Client, arn string) map[string]string {
			out, err := client.GetStorageConfiguration(t.Context(), &ivsrealtime.GetStorageConfigurationInput{Arn: aws.String(arn)})
			require.NoError(t, err)
			return out.StorageConfiguration.Tags
		},
		list: func(t *testing.T, client *ivsrealtime.Client, arn string) map[string]string {
			out, err := client.ListStorageConfigurations(t.Context(), &ivsrealtime.ListStorageConfigurationsInput{})
			require.NoError(t, err)
			for _, sc := range out.StorageConfigurations {
				if aws.ToString(sc.Arn) == arn {
					return sc.Tags
				}
			}
			require.FailNow(t, "not listed", arn)
			return nil
		},
	},
}

// assertTags checks a resource's tags as ListTagsForResource, its Get and its List operation report them.
func assertTags(t *testing.T, client *ivsrealtime.Client, res taggable, arn string, want map[string]string) {
	t.Helper()
	out, err := client.ListTagsForResource(t.Context(), &ivsrealtime.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	require.NoError(t, err)
	assert.Equal(t, want, out.Tags, "ListTagsForResource")
	assert.Equal(t, want, res.get(t, client, arn), "Get")
	assert.Equal(t, want, res.list(t, client, arn), "List")
}

func TestTagOperations(t *testing.T) {
	t.Parallel()
	for _, res := range taggables {
		t.Run(res.kind, func(t *testing.T) {
			t.Parallel()
			srv, client := newClient(t)
			arn := res.create(t, srv, client)
			assertTags(t, client, res, arn, map[string]string{"initial": "1"})

			// TagResource adds and overwrites.
			before := srv.RequestCount()
			_, err := client.TagResource(t.Context(), &ivsrealtime.TagResourceInput{
				ResourceArn: aws.String(arn), Tags: map[string]string{"initial": "2", "team": "video", "empty": ""},
			})
			require.NoError(t, err)
			reqs := srv.Requests()
			tag := reqs[before]
			assert.Equal(t, "TagResource", tag.Operation)
			assert.Equal(t, "/tags/"+strings.NewReplacer(":", "%3A", "/", "%2F").Replace(arn), tag.Path,
				"the SDK percent-encodes the ARN label, ':' and '/' included")
			assert.Nil(t, tag.Query)
			assert.JSONEq(t, `{"tags":{"initial":"2","team":"video","empty":""}}`, string(tag.Body))
			assertTags(t, client, res, arn, map[string]string{"initial": "2", "team": "video", "empty": ""})

			// UntagResource removes the keys named; a key the resource does not carry is ignored.
			before = srv.RequestCount()
			_, err = client.UntagResource(t.Context(), &ivsrealtime.UntagResourceInput{
				ResourceArn: aws.String(arn), TagKeys: []string{"initial", "missing", "empty"},
			})
			require.NoError(t, err)
			untag := srv.Requests()[before]
			assert.Equal(t, "UntagResource", untag.Operation)
			assert.Equal(t, tag.Path, untag.Path)
			require.Len(t, untag.Query, 1)
			assert.ElementsMatch(t, []string{"initial", "missing", "empty"}, untag.Query["tagKeys"]) // the SDK sorts them
			assert.Empty(t, untag.Body)
			assertTags(t, client, res, arn, map[string]string{"team": "video"})

			// ListTagsForResource was sent as GET /tags/{resourceArn}, and the raw tags are {} once all are gone.
			list := srv.Requests()[before+1]
			assert.Equal(t, "ListTagsForResource", list.Operation)
			assert.Equal(t, tag.Path, list.Path)
			_, err = client.UntagResource(t.Context(), &ivsrealtime.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"team"}})
			require.NoError(t, err)
			r := postRaw(t, srv, http.MethodGet, "tags/"+url.PathEscape(arn), "")
			require.Equal(t, http.StatusOK, r.Status, "%v", r.Body)
			assert.Equal(t, map[string]any{"tags": map[string]any{}}, r.Body)

			// TagResource and UntagResource answer {}.
			r = postRaw(t, srv, http.MethodPost, "tags/"+url.PathEscape(arn), `{"tags":{"a":"b"}}`)
			require.Equal(t, http.StatusOK, r.Status, "%v", r.Body)
			assert.Equal(t, map[string]any{}, r.Body)
			r = postRaw(t, srv, http.MethodDelete, "tags/"+url.PathEscape(arn)+"?tagKeys=a", "")
			require.Equal(t, http.StatusOK, r.Status, "%v", r.Body)
			assert.Equal(t, map[string]any{}, r.Body)

			// A label sent without percent-encoding names the same resource.
			r = postRaw(t, srv, http.MethodPost, "tags/"+arn, `{"tags":{"plain":"path"}}`)
			require.Equal(t, http.StatusOK, r.Status, "%v", r.Body)
			assertTags(t, client, res, arn, map[string]string{"plain": "path"})
		})
	}
}

func TestTagLimitAfterMerge(t *testing.T) {
	t.Parallel()
	tags := func(prefix string, n int) map[string]string {
		m := make(map[string]string, n)
		for i := range n {
			m[fmt.Sprintf("%s%d", prefix, i)] = "v"
		}
		return m
	}
	tests := []struct {
		name     string
		existing int
		add      map[string]string
		wantErr  string
		wantSize int
	}{
		{"0 + 50 new", 0, tags("new", 50), "", 50},
		{"0 + 51 new", 0, tags("new", 51), "at 'tags'", 0},
		{"49 + 1 new", 49, tags("new", 1), "", 50},
		{"49 + 2 new", 49, tags("new", 2), "Resource must have at most 50 tags after merging with its 49 existing tags (it would have 51)", 49},
		{"50 + 0 new (overwrite)", 50, tags("old", 50), "", 50},
		{"50 + 1 new", 50, tags("new", 1), "it would have 51", 50},
		{"30 + 30 of which 20 overwrite", 30, tags("old", 20), "", 30},
		{"30 + 21 new", 30, tags("new", 21), "it would have 51", 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, client := newClient(t)
			created, err := client.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{Tags: tags("old", tt.existing)})
			require.NoError(t, err)
			_, err = client.TagResource(t.Context(), &ivsrealtime.TagResourceInput{ResourceArn: created.Stage.Arn, Tags: tt.add})
			if tt.wantErr != "" {
				var ve *types.ValidationException
				require.ErrorAs(t, err, &ve)
				assert.Contains(t, aws.ToString(ve.ExceptionMessage), tt.wantErr)
			} else {
				require.NoError(t, err)
			}
			out, err := client.ListTagsForResource(t.Context(), &ivsrealtime.ListTagsForResourceInput{ResourceArn: created.Stage.Arn})
			require.NoError(t, err)
			assert.Len(t, out.Tags, tt.wantSize)
		})
	}
}

func TestTagValidation(t *testing.T) {
	t.Parallel()
	const (
		ok  = http.StatusOK
		bad = http.StatusBadRequest
		nf  = http.StatusNotFound
	)
	const placeholder = "$ARN"
	stage128 := stageARN(repeat("a", 128-len(stageARN(""))))
	keys := func(n int) string {
		q := make([]string, n)
		for i := range q {
			q[i] = fmt.Sprintf("tagKeys=k%d", i)
		}
		return "?" + strings.Join(q, "&")
	}
	tests := []struct {
		name   string
		method string
		label  string // the resource ARN, before percent-encoding
		query  string
		body   string
		status int
		want   []string
	}{
		// resourceArn: 1..128, the corrected pattern.
		{"empty ARN", http.MethodGet, "", "", "", bad, []string{"at 'resourceArn'", "length greater than or equal to 1"}},
		{"128 unknown", http.MethodGet, stage128, "", "", nf, []string{"Resource not found: " + stage128}},
		{"129", http.MethodGet, stage128 + "b", "", "", bad, []string{"at 'resourceArn'", "length less than or equal to 128"}},
		{"corrected pattern accepts real ARNs", http.MethodGet, placeholder, "", "", ok, nil},
		{"unknown resource type of valid shape", http.MethodGet, "arn:aws:ivs:us-east-1:123456789012:composition/abc", "", "", nf, []string{"Resource not found"}},
		{"no resource ID", http.MethodGet, "arn:aws:ivs:us-east-1:123456789012:stage", "", "", bad, []string{"at 'resourceArn'", "pattern: ^arn:aws:ivs:[a-z0-9-]+:[0-9]+:[a-z-]+/[a-zA-Z0-9-]+$"}},
		{"other service", http.MethodGet, "arn:aws:s3:::bucket/abc", "", "", bad, []string{"at 'resourceArn'", "pattern"}},
		{"uppercase type", http.MethodGet, "arn:aws:ivs:us-east-1:123456789012:Stage/abc", "", "", bad, []string{"at 'resourceArn'", "pattern"}},

		// TagResource: tags required, the tag rules.
		{"tags missing", http.MethodPost, placeholder, "", `{}`, bad, []string{"Value null at 'tags'", "must not be null"}},
		{"tags empty", http.MethodPost, placeholder, "", `{"tags":{}}`, ok, nil},
		{"tags 51 in one request", http.MethodPost, placeholder, "", tagsBody(51), bad, []string{"at 'tags'", "less than or equal to 50"}},
		{"tag key empty", http.MethodPost, placeholder, "", `{"tags":{"":"v"}}`, bad, []string{"at 'tags'", "Map keys"}},
		{"tag key 128", http.MethodPost, placeholder, "", `{"tags":{"` + repeat("é", 128) + `":"v"}}`, ok, nil},
		{"tag key 129", http.MethodPost, placeholder, "", `{"tags":{"` + repeat("k", 129) + `":"v"}}`, bad, []string{"at 'tags'", "Map keys"}},
		{"tag value 256", http.MethodPost, placeholder, "", `{"tags":{"k":"` + repeat("é", 256) + `"}}`, ok, nil},
		{"tag value 257", http.MethodPost, placeholder, "", `{"tags":{"k":"` + repeat("v", 257) + `"}}`, bad, []string{"at 'tags[k]'", "less than or equal to 256"}},
		{"tags wrong type", http.MethodPost, placeholder, "", `{"tags":[]}`, bad, []string{"at 'tags'", "wrong JSON type"}},
		{"body ARN does not replace the label", http.MethodPost, stage128, "", `{"resourceArn":"` + placeholder + `","tags":{}}`, nf, nil},
		{"violations of label and body at once", http.MethodPost, "x", "", `{"tags":{"":"v"}}`, bad, []string{"2 validation errors", "resourceArn", "Map keys"}},

		// UntagResource: tagKeys required, 0..50 keys of 1..128.
		{"tagKeys missing", http.MethodDelete, placeholder, "", "", bad, []string{"Value null at 'tagKeys'", "must not be null"}},
		{"tagKeys 1", http.MethodDelete, placeholder, keys(1), "", ok, nil},
		{"tagKeys 50", http.MethodDelete, placeholder, keys(50), "", ok, nil},
		{"tagKeys 51", http.MethodDelete, placeholder, keys(51), "", bad, []string{"at 'tagKeys'", "less than or equal to 50"}},
		{"tag key empty", http.MethodDelete, placeholder, "?tagKeys=", "", bad, []string{"at 'tagKeys[0]'", "greater than or equal to 1"}},
		{"tag key 128", http.MethodDelete, placeholder, "?tagKeys=" + repeat("k", 128), "", ok, nil},
		{"tag key 129", http.MethodDelete, placeholder, "?tagKeys=a&tagKeys=" + repeat("k", 129), "", bad, []string{"at 'tagKeys[1]'", "less than or equal to 128"}},
		{"body tagKeys do not count", http.MethodDelete, placeholder, "", `{"tagKeys":["initial"]}`, bad, []string{"at 'tagKeys'", "must not be null"}},

		// Other methods on /tags/ are no operation.
		{"PUT", http.MethodPut, placeholder, "", `{"tags":{}}`, nf, []string{"does not implement PUT"}},
		{"PATCH", http.MethodPatch, placeholder, "", `{"tags":{}}`, nf, []string{"does not implement PATCH"}},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.name, func(t *testing.T) {
			t.Parallel()
			srv, client := newClient(t)
			created, err := client.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{Tags: map[string]string{"initial": "1"}})
			require.NoError(t, err)
			arn := aws.ToString(created.Stage.Arn)
			label := strings.ReplaceAll(tt.label, placeholder, arn)
			body := strings.ReplaceAll(tt.body, placeholder, arn)

			r := postRaw(t, srv, tt.method, "tags/"+url.PathEscape(label)+tt.query, body)
			require.Equal(t, tt.status, r.Status, "%v", r.Body)
			for _, w := range tt.want {
				assert.Contains(t, r.message(), w)
			}
			if tt.status == ok {
				assert.Empty(t, r.ErrorType)
				return
			}
			wantType := map[int]string{bad: "ValidationException", nf: "ResourceNotFoundException"}[tt.status]
			if tt.method != http.MethodGet && tt.method != http.MethodPost && tt.method != http.MethodDelete {
				wantType = "UnknownOperationException"
			}
			assert.Equal(t, wantType, r.ErrorType)
			out, err := client.ListTagsForResource(t.Context(), &ivsrealtime.ListTagsForResourceInput{ResourceArn: created.Stage.Arn})
			require.NoError(t, err)
			assert.Equal(t, map[string]string{"initial": "1"}, out.Tags, "a rejected request changes nothing")
		})
	}
}

func TestTagUnknownResource(t *testing.T) {
	t.Parallel()
	srv, client := newClient(t)
	stage := createStage(t, client, "")
	_, err := client.DeleteStage(t.Context(), &ivsrealtime.DeleteStageInput{Arn: stage})
	require.NoError(t, err)
	for _, arn := range []string{aws.ToString(stage), keyARN("AbCdEfGhIjKl"), storageARN("AbCdEfGhIjKl")} {
		calls := map[string]func() error{
			"TagResource": func() error {
				_, err := client.TagResource(t.Context(), &ivsrealtime.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{"a": "b"}})
				return err
			},
			"UntagResource": func() error {
				_, err := client.UntagResource(t.Context(), &ivsrealtime.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"a"}})
				return err
			},
			"ListTagsForResource": func() error {
				_, err := client.ListTagsForResource(t.Context(), &ivsrealtime.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
				return err
			},
		}
		for op, call := range calls {
			t.Run(op+" "+arn, func(t *testing.T) {
				before := srv.RequestCount()
				err := call()
				var nf *types.ResourceNotFoundException
				require.ErrorAs(t, err, &nf)
				assert.Equal(t, "Resource not found: "+arn, aws.ToString(nf.ExceptionMessage))
				_, status := apiError(t, err)
				assert.Equal(t, http.StatusNotFound, status)
				reqs := srv.Requests()
				require.Len(t, reqs, before+1, "a 404 is not retried")
				assert.Equal(t, op, reqs[before].Operation)
			})
		}
	}
}

func TestTagFailNext(t *testing.T) {
	t.Parallel()
	srv, client := newClient(t)
	arn := createStage(t, client, "")
	for _, op := range []string{"TagResource", "UntagResource", "ListTagsForResource"} {
		srv.FailNext(op, http.StatusInternalServerError, "InternalServerException")
		srv.FailNext(op, http.StatusNotFound, "ResourceNotFoundException")
	}

	// The first attempt gets the 500, the SDK retries and gets the 404, which it does not retry.
	_, err := client.TagResource(t.Context(), &ivsrealtime.TagResourceInput{ResourceArn: arn, Tags: map[string]string{"a": "b"}})
	var nf *types.ResourceNotFoundException
	require.ErrorAs(t, err, &nf)
	assert.Contains(t, aws.ToString(nf.ExceptionMessage), "injected fault for TagResource")
	_, err = client.UntagResource(t.Context(), &ivsrealtime.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"a"}})
	require.ErrorAs(t, err, &nf)
	assert.Contains(t, aws.ToString(nf.ExceptionMessage), "injected fault for UntagResource")
	_, err = client.ListTagsForResource(t.Context(), &ivsrealtime.ListTagsForResourceInput{ResourceArn: arn})
	require.ErrorAs(t, err, &nf)
	assert.Contains(t, aws.ToString(nf.ExceptionMessage), "injected fault for ListTagsForResource")

	var ops []string
	for _, r := range srv.Requests()[1:] {
		ops = append(ops, r.Operation)
	}
	assert.Equal(t, []string{
		"TagResource", "TagResource", "UntagResource", "UntagResource", "ListTagsForResource", "ListTagsForResource",
	}, ops)

	// The faults are used up, and the tag was never set.
	out, err := client.ListTagsForResource(t.Context(), &ivsrealtime.ListTagsForResourceInput{ResourceArn: arn})
	require.NoError(t, err)
	assert.Empty(t, out.Tags)
}

func TestTagRateLimit(t *testing.T) {
	t.Parallel()
	clock := stagetest.NewClock(time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC))
	srv, client := newClient(t, stagetest.WithClock(clock.Now), stagetest.WithRateLimit("ListTagsForResource", 10, 2))
	arn := createStage(t, client, "")
	list := func() error {
		_, err := client.ListTagsForResource(t.Context(), &ivsrealtime.ListTagsForResourceInput{ResourceArn: arn})
		return err
	}
	require.NoError(t, list())
	require.NoError(t, list())
	before := srv.RequestCount()
	code, status := apiError(t, list())
	assert.Equal(t, "ThrottlingException", code)
	assert.Equal(t, http.StatusTooManyRequests, status)
	assert.Equal(t, before+stagetest.RetryMaxAttempts, srv.RequestCount(), "throttled attempts are retried and recorded")

	// The other tag operations are not limited.
	for range 5 {
		_, err := client.TagResource(t.Context(), &ivsrealtime.TagResourceInput{ResourceArn: arn, Tags: map[string]string{"a": "b"}})
		require.NoError(t, err)
		_, err = client.UntagResource(t.Context(), &ivsrealtime.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"a"}})
		require.NoError(t, err)
	}

	// A tenth of a second on the clock refills one request.
	clock.Advance(100 * time.Millisecond)
	require.NoError(t, list())
}

// TestTagsConcurrent tags and untags one stage, and creates and tags storage configurations, from many
// goroutines at once; under -race this checks the locking, and the end state shows that no change was lost.
func TestTagsConcurrent(t *testing.T) {
	t.Parallel()
	const goroutines = 16
	srv, client := newClient(t, stagetest.WithStorageQuota(goroutines))
	stage := createStage(t, client, "")

	var wg sync.WaitGroup
	errs := make(chan error, goroutines*5)
	for i := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := fmt.Sprintf("k%d", i)
			_, err := client.TagResource(t.Context(), &ivsrealtime.TagResourceInput{
				ResourceArn: stage, Tags: map[string]string{key: "v", "drop" + key: "v"},
			})
			errs <- err
			_, err = client.UntagResource(t.Context(), &ivsrealtime.UntagResourceInput{ResourceArn: stage, TagKeys: []string{"drop" + key}})
			errs <- err
			_, err = client.ListTagsForResource(t.Context(), &ivsrealtime.ListTagsForResourceInput{ResourceArn: stage})
			errs <- err
			created, err := client.CreateStorageConfiguration(t.Context(), &ivsrealtime.CreateStorageConfigurationInput{
				S3: &types.S3StorageConfiguration{BucketName: aws.String("bucket-" + key)},
			})
			errs <- err
			if err == nil {
				_, err = client.TagResource(t.Context(), &ivsrealtime.TagResourceInput{
					ResourceArn: created.StorageConfiguration.Arn, Tags: map[string]string{"owner": key},
				})
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}

	out, err := client.ListTagsForResource(t.Context(), &ivsrealtime.ListTagsForResourceInput{ResourceArn: stage})
	require.NoError(t, err)
	want := map[string]string{}
	for i := range goroutines {
		want[fmt.Sprintf("k%d", i)] = "v"
	}
	assert.Equal(t, want, out.Tags)

	owners := map[string]bool{}
	list, err := client.ListStorageConfigurations(t.Context(), &ivsrealtime.ListStorageConfigurationsInput{})
	require.NoError(t, err)
	require.Len(t, list.StorageConfigurations, goroutines)
	for _, sc := range list.StorageConfigurations {
		owner := sc.Tags["owner"]
		assert.Equal(t, "bucket-"+owner, aws.ToString(sc.S3.BucketName))
		owners[owner] = true
	}
	assert.Len(t, owners, goroutines)
	assert.Equal(t, 1+goroutines*5+2, srv.RequestCount(), "every call was one request")
}
