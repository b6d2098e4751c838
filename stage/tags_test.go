package stage_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/testutil"
)

// Tag and Untag go to /tags/{resourceArn} (the ARN escaped in the path) with POST and a body, DELETE and
// tagKeys in the query.
func TestTags(t *testing.T) {
	t.Parallel()
	storage := "arn:aws:ivs:us-east-1:123456789012:storage-configuration/AbCdEf123456"
	mock := testutil.NewMock()
	rec := respondTags(t, mock, 200, `{}`, "")
	c := newClient(mock)
	require.NoError(t, c.Tag(t.Context(), stageARN, map[string]string{"team": "events", "env": ""}))
	require.NoError(t, c.Untag(t.Context(), storage, "team", "env", "a b/c"))
	reqs := rec.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "POST", reqs[0].Method)
	assert.Equal(t, stageARN, reqs[0].ResourceARN)
	jsonEqual(t, []byte(`{"tags": {"team": "events", "env": ""}}`), []byte(reqs[0].Body))
	assert.Equal(t, "DELETE", reqs[1].Method)
	assert.Equal(t, storage, reqs[1].ResourceARN)
	assert.ElementsMatch(t, []string{"team", "env", "a b/c"}, reqs[1].Query["tagKeys"])
	assert.Empty(t, reqs[1].Body)
}

// Tag and Untag on a stage and a storage configuration, read back through the service.
func TestTagsAgainstFake(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := t.Context()
	st, _ := w.createStage(t, "Tagged", -1)
	require.NoError(t, w.stages.Tag(ctx, st.ARN, map[string]string{"team": "events", "env": "prod"}))
	require.NoError(t, w.stages.Untag(ctx, st.ARN, "env", "absent"))
	got, err := w.stages.Get(ctx, st.ARN)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"team": "events"}, got.Tags)

	storage := w.srv.MustAddStorageConfiguration("tagged-bucket")
	require.NoError(t, w.stages.Tag(ctx, storage, map[string]string{"a": "1", "b": "2"}))
	require.NoError(t, w.stages.Untag(ctx, storage, "a"))
	out, err := ivsrealtime.NewFromConfig(w.srv.Config()).ListTagsForResource(ctx, &ivsrealtime.ListTagsForResourceInput{ResourceArn: aws.String(storage)})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"b": "2"}, out.Tags)
}

// Tags sends one GET to /tags/{resourceArn}, the ARN percent-encoded in the path (its colons and slash
// too), with no query and no body, and returns the tags the service answered.
func TestTagsRequest(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	rec := respondTags(t, mock, 200, `{"tags": {"team": "events", "env": "", "a b/c": "é"}}`, "")
	got, err := newClient(mock).Tags(t.Context(), stageARN)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"team": "events", "env": "", "a b/c": "é"}, got)
	reqs := rec.requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "GET", reqs[0].Method)
	assert.Equal(t, "/tags/arn%3Aaws%3Aivs%3Aus-east-1%3A123456789012%3Astage%2FAbCdEf123456", reqs[0].Path)
	assert.Equal(t, stageARN, reqs[0].ResourceARN)
	assert.Empty(t, reqs[0].Query)
	assert.Empty(t, reqs[0].Body)
	assert.Equal(t, 1, mock.Count())
}

// A resource without tags is an empty, non-nil map, whether the service sends an empty tags object, a
// null one or none.
func TestTagsNone(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`{"tags": {}}`, `{"tags": null}`, `{}`} {
		t.Run(body, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			respondTags(t, mock, 200, body, "")
			got, err := newClient(mock).Tags(t.Context(), stageARN)
			require.NoError(t, err)
			require.NotNil(t, got)
			assert.Empty(t, got)
			got["added"] = "by the caller" // the caller's map: writable
			assert.Len(t, got, 1)
		})
	}
}

// An unknown resource is the service's 404, typed *types.ResourceNotFoundException with its text, inside
// the SDK's *smithy.OperationError for ListTagsForResource; no map comes back.
func TestTagsNotFound(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	rec := respondTags(t, mock, 404, `{"exceptionMessage": "resource not found"}`, "ResourceNotFoundException")
	got, err := newClient(mock).Tags(t.Context(), stageARN)
	require.Error(t, err)
	assert.Nil(t, got)
	var notFound *types.ResourceNotFoundException
	require.ErrorAs(t, err, &notFound)
	assert.Equal(t, "resource not found", aws.ToString(notFound.ExceptionMessage))
	var opErr *smithy.OperationError
	require.ErrorAs(t, err, &opErr)
	assert.Equal(t, "ListTagsForResource", opErr.OperationName)
	assert.True(t, strings.HasSuffix(err.Error(), "resource not found"), "the service's words: %v", err)
	assert.Len(t, rec.requests(), 1, "a 404 is not retried")
}

// Tags checks its ARN as Tag and Untag do (1..128 code points, an IVS Real-Time ARN), under
// ListTagsForResourceInput.ResourceArn, and sends nothing when it is invalid.
func TestTagsValidation(t *testing.T) {
	t.Parallel()
	const field = "ListTagsForResourceInput.ResourceArn"
	tests := []struct {
		name string
		arn  string
		want map[string]string
	}{
		{"stage", stageARN, nil},
		{"storage configuration", "arn:aws:ivs:us-east-1:123456789012:storage-configuration/AbCdEf123456", nil},
		{"ARN of 128", stageARNWithLength(128), nil},
		{"ARN of 129", stageARNWithLength(129), map[string]string{field: rules.RuleLength}},
		{"empty", "", map[string]string{field: rules.RuleLength}},
		{"ARN of another service", "arn:aws:s3:::bucket/key", map[string]string{field: rules.RulePattern}},
		{"a space in the ID", "arn:aws:ivs:us-east-1:123456789012:stage/a b", map[string]string{field: rules.RulePattern}},
		{"no resource type", "arn:aws:ivs:us-east-1:123456789012:AbCdEf123456", map[string]string{field: rules.RulePattern}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			respondTags(t, mock, 200, `{"tags": {}}`, "")
			got, err := newClient(mock).Tags(t.Context(), tt.arn)
			if tt.want == nil {
				require.NoError(t, err)
				assert.NotNil(t, got)
				assert.Equal(t, 1, mock.Count(), "a valid ARN is sent once")
				return
			}
			assertInvalid(t, err, "ListTagsForResource", tt.want)
			assert.Nil(t, got)
			assert.Zero(t, mock.Count(), "an invalid ARN sends nothing")
		})
	}
}

// Tags reads back what Tag and Untag wrote, on a stage and a storage configuration, through the service;
// a resource without tags is an empty map, an unknown one a 404, and the map returned is the caller's.
func TestTagsReadBackAgainstFake(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := t.Context()
	st, _ := w.createStage(t, "Listed", -1)
	got, err := w.stages.Tags(ctx, st.ARN)
	require.NoError(t, err)
	require.NotNil(t, got)
	assert.Empty(t, got)

	require.NoError(t, w.stages.Tag(ctx, st.ARN, map[string]string{"team": "events", "env": "prod"}))
	got, err = w.stages.Tags(ctx, st.ARN)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"team": "events", "env": "prod"}, got)
	got["team"] = "changed by the caller"
	delete(got, "env")

	require.NoError(t, w.stages.Untag(ctx, st.ARN, "team"))
	got, err = w.stages.Tags(ctx, st.ARN)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"env": "prod"}, got, "the caller's edits reached nothing")

	storage := w.srv.MustAddStorageConfiguration("listed-bucket")
	require.NoError(t, w.stages.Tag(ctx, storage, map[string]string{"a": "1", "b": "2"}))
	require.NoError(t, w.stages.Untag(ctx, storage, "a"))
	got, err = w.stages.Tags(ctx, storage)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"b": "2"}, got)

	require.NoError(t, w.stages.Delete(ctx, st.ARN))
	got, err = w.stages.Tags(ctx, st.ARN)
	var notFound *types.ResourceNotFoundException
	assert.ErrorAs(t, err, &notFound)
	assert.Nil(t, got)
}
