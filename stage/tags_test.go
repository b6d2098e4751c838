package stage_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
