package recording_test

import (
	"context"
	"errors"
	"net/http"
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
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
)

// The whole life of a storage configuration against stagetest: create, get, list page by page, delete,
// and a get of the deleted one answering 404.
func TestStorageLifecycle(t *testing.T) {
	t.Parallel()
	srv := stagetest.New()
	c := recording.NewClientFromConfig(srv.Config())
	ctx := t.Context()

	created, err := c.CreateStorage(ctx, recording.NewStorage("rec-bucket").WithName("main").WithTag("team", "media"))
	require.NoError(t, err)
	assert.Regexp(t, `^arn:aws:ivs:us-east-1:[0-9]+:storage-configuration/[a-zA-Z0-9]{12}$`, created.ARN)
	assert.Equal(t, created.ARN[strings.LastIndexByte(created.ARN, '/')+1:], created.ID())
	assert.Equal(t, recording.StorageConfiguration{ARN: created.ARN, Name: "main", BucketName: "rec-bucket",
		Tags: map[string]string{"team": "media"}}, created)
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "CreateStorageConfiguration", reqs[0].Operation)
	assert.Equal(t, map[string]any{"name": "main", "s3": map[string]any{"bucketName": "rec-bucket"},
		"tags": map[string]any{"team": "media"}}, body(t, reqs[0].Body))

	second, err := c.CreateStorage(ctx, recording.NewStorage("other-bucket"))
	require.NoError(t, err)
	assert.Equal(t, recording.StorageConfiguration{ARN: second.ARN, BucketName: "other-bucket"}, second, "no name, no tags")
	assert.Equal(t, map[string]any{"s3": map[string]any{"bucketName": "other-bucket"}}, body(t, srv.Requests()[1].Body),
		"nothing unset is sent")

	got, err := c.GetStorage(ctx, created.ARN)
	require.NoError(t, err)
	assert.Equal(t, created, got)
	assert.Equal(t, map[string]any{"arn": created.ARN}, body(t, srv.Requests()[2].Body))

	before := srv.RequestCount()
	all, err := testutil.Collect(c.ListStorage(ctx, recording.WithPageSize(1)))
	require.NoError(t, err)
	assert.Equal(t, []recording.StorageConfiguration{created, second}, all)
	reqs = srv.Requests()[before:]
	require.GreaterOrEqual(t, len(reqs), 2, "one request per page")
	for i, r := range reqs {
		assert.Equal(t, "ListStorageConfigurations", r.Operation)
		b := body(t, r.Body)
		assert.EqualValues(t, 1, b["maxResults"], "request %d", i)
		if i == 0 {
			assert.NotContains(t, b, "nextToken")
		} else {
			assert.NotEmpty(t, b["nextToken"], "request %d follows the previous page", i)
		}
	}

	require.NoError(t, c.DeleteStorage(ctx, created.ARN))
	_, err = c.GetStorage(ctx, created.ARN)
	var notFound *types.ResourceNotFoundException
	require.ErrorAs(t, err, &notFound)
	assert.NotEmpty(t, notFound.ErrorMessage())
	assert.True(t, strings.HasSuffix(err.Error(), notFound.ErrorMessage()), "the service's words end the text: %v", err)

	all, err = testutil.Collect(c.ListStorage(ctx))
	require.NoError(t, err)
	assert.Equal(t, []recording.StorageConfiguration{second}, all)
}

// The service's own refusals, through stagetest: the quota (402) and a configuration a stage records into
// (409); the message ends err.Error().
func TestStorageServiceRefusals(t *testing.T) {
	t.Parallel()
	t.Run("quota", func(t *testing.T) {
		t.Parallel()
		srv := stagetest.New()
		c := recording.NewClientFromConfig(srv.Config())
		for range recording.StorageConfigurationsQuota {
			_, err := c.CreateStorage(t.Context(), recording.NewStorage("rec-bucket"))
			require.NoError(t, err)
		}
		_, err := c.CreateStorage(t.Context(), recording.NewStorage("rec-bucket"))
		var quota *types.ServiceQuotaExceededException
		require.ErrorAs(t, err, &quota)
		assert.NotEmpty(t, quota.ErrorMessage())
		assert.True(t, strings.HasSuffix(err.Error(), ": "+quota.ErrorMessage()), err.Error())
	})
	t.Run("in use", func(t *testing.T) {
		t.Parallel()
		srv := stagetest.New()
		c := recording.NewClientFromConfig(srv.Config())
		sc, err := c.CreateStorage(t.Context(), recording.NewStorage("rec-bucket"))
		require.NoError(t, err)
		st, _, err := stage.NewClientFromConfig(srv.Config()).Create(t.Context(), stage.New().WithRecording(sc.Recording()))
		require.NoError(t, err)
		assert.Equal(t, sc.ARN, st.Recording.StorageConfigurationARN)

		err = c.DeleteStorage(t.Context(), sc.ARN)
		var conflict *types.ConflictException
		require.ErrorAs(t, err, &conflict)
		assert.True(t, strings.HasSuffix(err.Error(), ": "+conflict.ErrorMessage()), err.Error())
		var op *smithy.OperationError
		require.ErrorAs(t, err, &op)
		assert.Equal(t, "DeleteStorageConfiguration", op.OperationName)
		_, err = c.GetStorage(t.Context(), sc.ARN)
		assert.NoError(t, err, "still there")
	})
}

const storageARNPrefix = "arn:aws:ivs:us-east-1:123456789012:storage-configuration/"

var (
	storageARNOf128 = storageARNPrefix + strings.Repeat("a", 128-len(storageARNPrefix))
	storageARNOf129 = storageARNPrefix + strings.Repeat("a", 129-len(storageARNPrefix))
)

// An ARN of 128 code points, the longest, is sent; the fake does not hold it.
func TestStorageARNOf128IsSent(t *testing.T) {
	t.Parallel()
	srv := stagetest.New()
	c := recording.NewClientFromConfig(srv.Config())
	_, err := c.GetStorage(t.Context(), storageARNOf128)
	var notFound *types.ResourceNotFoundException
	require.ErrorAs(t, err, &notFound)
	err = c.DeleteStorage(t.Context(), storageARNOf128)
	require.ErrorAs(t, err, &notFound)
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	for _, r := range reqs {
		assert.Equal(t, map[string]any{"arn": storageARNOf128}, body(t, r.Body))
	}
}

// Invalid input is reported, wrapped like the SDK's own validation errors, and sends nothing.
func TestStorageClientInvalidInput(t *testing.T) {
	t.Parallel()
	require.Len(t, []rune(storageARNOf129), 129)
	tests := []struct {
		name string
		op   string
		call func(ctx context.Context, c *recording.Client) error
		want map[string]string
	}{
		{"create: zero Storage", "CreateStorageConfiguration", func(ctx context.Context, c *recording.Client) error {
			_, err := c.CreateStorage(ctx, recording.Storage{})
			return err
		}, map[string]string{bucketPath: rules.RuleRequired}},
		{"create: S3 rule", "CreateStorageConfiguration", func(ctx context.Context, c *recording.Client) error {
			_, err := c.CreateStorage(ctx, recording.NewStorage("my..bucket").WithName("n!"))
			return err
		}, map[string]string{bucketPath: rules.RulePattern, storageCtx + "Name": rules.RulePattern}},
		{"get: empty ARN", "GetStorageConfiguration", func(ctx context.Context, c *recording.Client) error {
			_, err := c.GetStorage(ctx, "")
			return err
		}, map[string]string{"GetStorageConfigurationInput.Arn": rules.RuleLength}},
		{"get: stage ARN", "GetStorageConfiguration", func(ctx context.Context, c *recording.Client) error {
			_, err := c.GetStorage(ctx, "arn:aws:ivs:us-east-1:123456789012:stage/AbCdEf123456")
			return err
		}, map[string]string{"GetStorageConfigurationInput.Arn": rules.RulePattern}},
		{"get: ARN of 129", "GetStorageConfiguration", func(ctx context.Context, c *recording.Client) error {
			_, err := c.GetStorage(ctx, storageARNOf129)
			return err
		}, map[string]string{"GetStorageConfigurationInput.Arn": rules.RuleLength}},
		{"delete: empty ARN", "DeleteStorageConfiguration", func(ctx context.Context, c *recording.Client) error {
			return c.DeleteStorage(ctx, "")
		}, map[string]string{"DeleteStorageConfigurationInput.Arn": rules.RuleLength}},
		{"delete: ARN of 129", "DeleteStorageConfiguration", func(ctx context.Context, c *recording.Client) error {
			return c.DeleteStorage(ctx, storageARNOf129)
		}, map[string]string{"DeleteStorageConfigurationInput.Arn": rules.RuleLength}},
		{"delete: ARN with a newline", "DeleteStorageConfiguration", func(ctx context.Context, c *recording.Client) error {
			return c.DeleteStorage(ctx, storageARN+"\n")
		}, map[string]string{"DeleteStorageConfigurationInput.Arn": rules.RulePattern}},
		{"list: page size 0", "ListStorageConfigurations", func(ctx context.Context, c *recording.Client) error {
			_, err := testutil.Collect(c.ListStorage(ctx, recording.WithPageSize(0)))
			return err
		}, map[string]string{"ListStorageConfigurationsInput.MaxResults": rules.RuleRange}},
		{"list: page size 101", "ListStorageConfigurations", func(ctx context.Context, c *recording.Client) error {
			_, err := testutil.Collect(c.ListStorage(ctx, recording.WithPageSize(101)))
			return err
		}, map[string]string{"ListStorageConfigurationsInput.MaxResults": rules.RuleRange}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := stagetest.New()
			err := tt.call(t.Context(), recording.NewClientFromConfig(srv.Config()))
			require.Error(t, err)
			var op *smithy.OperationError
			require.ErrorAs(t, err, &op)
			assert.Equal(t, "IVS RealTime", op.ServiceID)
			assert.Equal(t, tt.op, op.OperationName)
			testutil.AssertViolations(t, err, tt.want)
			assert.Zero(t, srv.RequestCount(), "invalid input sends nothing")
		})
	}
}

// The page size boundaries that are accepted reach the wire as maxResults.
func TestListStoragePageSize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts []recording.ListOption
		want any // maxResults on the wire; nil = not sent
	}{
		{"default", nil, nil},
		{"nil option", []recording.ListOption{nil}, nil},
		{"1", []recording.ListOption{recording.WithPageSize(1)}, 1.0},
		{"100", []recording.ListOption{recording.WithPageSize(100)}, 100.0},
		{"last one wins", []recording.ListOption{recording.WithPageSize(0), recording.WithPageSize(7)}, 7.0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := stagetest.New()
			srv.MustAddStorageConfiguration("rec-bucket")
			all, err := testutil.Collect(recording.NewClientFromConfig(srv.Config()).ListStorage(t.Context(), tt.opts...))
			require.NoError(t, err)
			assert.Len(t, all, 1)
			reqs := srv.Requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, tt.want, body(t, reqs[0].Body)["maxResults"])
		})
	}
}

// Stopping a range loop stops the requests; a new range starts from the first page.
func TestListStorageStops(t *testing.T) {
	t.Parallel()
	srv := stagetest.New()
	for range 3 {
		srv.MustAddStorageConfiguration("rec-bucket")
	}
	seq := recording.NewClientFromConfig(srv.Config()).ListStorage(t.Context(), recording.WithPageSize(1))
	for _, err := range seq {
		require.NoError(t, err)
		break
	}
	assert.Equal(t, 1, srv.RequestCount(), "no page fetched after break")
	all, err := testutil.Collect(seq)
	require.NoError(t, err)
	assert.Len(t, all, 3)
	reqs := srv.Requests()
	assert.NotContains(t, body(t, reqs[1].Body), "nextToken", "a second range starts over")
}

// Every method's service errors keep their SDK type and end with the service's message.
func TestStorageClientServiceErrors(t *testing.T) {
	t.Parallel()
	calls := map[string]func(ctx context.Context, c *recording.Client) error{
		"CreateStorageConfiguration": func(ctx context.Context, c *recording.Client) error {
			_, err := c.CreateStorage(ctx, recording.NewStorage("rec-bucket"))
			return err
		},
		"GetStorageConfiguration": func(ctx context.Context, c *recording.Client) error {
			_, err := c.GetStorage(ctx, storageARN)
			return err
		},
		"ListStorageConfigurations": func(ctx context.Context, c *recording.Client) error {
			_, err := testutil.Collect(c.ListStorage(ctx))
			return err
		},
		"DeleteStorageConfiguration": func(ctx context.Context, c *recording.Client) error {
			return c.DeleteStorage(ctx, storageARN)
		},
	}
	statuses := []struct {
		status    int
		errorType string
		target    func(err error) bool
	}{
		{http.StatusBadRequest, "ValidationException", func(err error) bool { var e *types.ValidationException; return errors.As(err, &e) }},
		{http.StatusPaymentRequired, "ServiceQuotaExceededException", func(err error) bool { var e *types.ServiceQuotaExceededException; return errors.As(err, &e) }},
		{http.StatusForbidden, "AccessDeniedException", func(err error) bool { var e *types.AccessDeniedException; return errors.As(err, &e) }},
		{http.StatusNotFound, "ResourceNotFoundException", func(err error) bool { var e *types.ResourceNotFoundException; return errors.As(err, &e) }},
		{http.StatusConflict, "ConflictException", func(err error) bool { var e *types.ConflictException; return errors.As(err, &e) }},
	}
	for op, call := range calls {
		for _, st := range statuses {
			if op == "ListStorageConfigurations" && st.status == http.StatusNotFound {
				continue // not an error the model lists for this operation: the SDK decodes it as a generic one
			}
			t.Run(op+"/"+st.errorType, func(t *testing.T) {
				t.Parallel()
				m := testutil.NewMock()
				const msg = "the service's own words"
				m.RespondError(op, st.status, st.errorType, msg)
				err := call(t.Context(), recording.NewClientFromConfig(m.Config()))
				require.Error(t, err)
				assert.True(t, st.target(err), "%T: %v", err, err)
				assert.True(t, strings.HasSuffix(err.Error(), st.errorType+": "+msg), err.Error())
				var opErr *smithy.OperationError
				require.ErrorAs(t, err, &opErr)
				assert.Equal(t, op, opErr.OperationName)
				assert.Equal(t, 1, m.Count())
			})
		}
	}
}

// A response without a storage configuration is an error, not a zero value.
func TestStorageClientEmptyResponse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		op   string
		call func(ctx context.Context, c *recording.Client) (recording.StorageConfiguration, error)
	}{
		{"CreateStorageConfiguration", func(ctx context.Context, c *recording.Client) (recording.StorageConfiguration, error) {
			return c.CreateStorage(ctx, recording.NewStorage("rec-bucket"))
		}},
		{"GetStorageConfiguration", func(ctx context.Context, c *recording.Client) (recording.StorageConfiguration, error) {
			return c.GetStorage(ctx, storageARN)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			t.Parallel()
			m := testutil.NewMock()
			m.Respond(tt.op, http.StatusOK, `{}`)
			sc, err := tt.call(t.Context(), recording.NewClientFromConfig(m.Config()))
			require.ErrorIs(t, err, recording.ErrNoStorageConfiguration)
			var op *smithy.OperationError
			require.ErrorAs(t, err, &op)
			assert.Equal(t, tt.op, op.OperationName)
			assert.Zero(t, sc)
			assert.Equal(t, 1, m.Count())
		})
	}
}

// WithOptions passes its options to every call of the derived client (here RetryMaxAttempts, seen in the
// number of requests) and leaves the original client as it was.
func TestStorageClientWithOptions(t *testing.T) {
	t.Parallel()
	type call func(ctx context.Context, c *recording.Client, arn string) error
	calls := map[string]call{
		"CreateStorageConfiguration": func(ctx context.Context, c *recording.Client, _ string) error {
			_, err := c.CreateStorage(ctx, recording.NewStorage("rec-bucket"))
			return err
		},
		"GetStorageConfiguration": func(ctx context.Context, c *recording.Client, arn string) error {
			_, err := c.GetStorage(ctx, arn)
			return err
		},
		"ListStorageConfigurations": func(ctx context.Context, c *recording.Client, _ string) error {
			_, err := testutil.Collect(c.ListStorage(ctx))
			return err
		},
		"DeleteStorageConfiguration": func(ctx context.Context, c *recording.Client, arn string) error {
			return c.DeleteStorage(ctx, arn)
		},
	}
	for op, fn := range calls {
		t.Run(op, func(t *testing.T) {
			t.Parallel()
			srv := stagetest.New()
			arn := srv.MustAddStorageConfiguration("rec-bucket")
			base := recording.NewClientFromConfig(srv.Config(), func(o *ivsrealtime.Options) { o.RetryMaxAttempts = 1 })
			derived := base.WithOptions(func(o *ivsrealtime.Options) { o.RetryMaxAttempts = 3 })
			require.NotSame(t, base, derived)

			srv.FailNext(op, http.StatusInternalServerError, "InternalServerException")
			srv.FailNext(op, http.StatusInternalServerError, "InternalServerException")
			require.NoError(t, fn(t.Context(), derived, arn), "the third attempt succeeds")
			assert.Equal(t, 3, srv.RequestCount())

			srv.FailNext(op, http.StatusInternalServerError, "InternalServerException")
			err := fn(t.Context(), base, arn)
			var internal *types.InternalServerException
			require.ErrorAs(t, err, &internal, "the original client makes one attempt")
			assert.Equal(t, 4, srv.RequestCount())
		})
	}
}

// Options added by WithOptions come after the client's own, in order, and derived clients do not share
// what they add.
func TestStorageClientWithOptionsChain(t *testing.T) {
	t.Parallel()
	m := testutil.NewMock()
	m.Respond("GetStorageConfiguration", http.StatusOK, `{"storageConfiguration":{"arn":"`+storageARN+`","s3":{"bucketName":"b"}}}`)
	var seen []string
	mark := func(s string) func(*ivsrealtime.Options) {
		return func(*ivsrealtime.Options) { seen = append(seen, s) }
	}
	base := recording.NewClientFromConfig(m.Config()).WithOptions(mark("a"))
	left := base.WithOptions(mark("b"))
	right := base.WithOptions(mark("c"))

	for _, tt := range []struct {
		c    *recording.Client
		want []string
	}{{base, []string{"a"}}, {left, []string{"a", "b"}}, {right, []string{"a", "c"}}} {
		seen = nil
		_, err := tt.c.GetStorage(t.Context(), storageARN)
		require.NoError(t, err)
		assert.Equal(t, tt.want, seen)
	}
}

// fakeAPI is an API that is not the official client: the repair of service errors works for it too.
type fakeAPI struct{ recording.API }

func (fakeAPI) GetStorageConfiguration(context.Context, *ivsrealtime.GetStorageConfigurationInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.GetStorageConfigurationOutput, error) {
	return nil, &smithy.OperationError{ServiceID: "IVS RealTime", OperationName: "GetStorageConfiguration",
		Err: &types.ResourceNotFoundException{ExceptionMessage: aws.String("no such storage configuration")}}
}

func TestStorageClientNewClientRepairsErrors(t *testing.T) {
	t.Parallel()
	_, err := recording.NewClient(fakeAPI{}).GetStorage(t.Context(), storageARN)
	var notFound *types.ResourceNotFoundException
	require.ErrorAs(t, err, &notFound)
	assert.True(t, strings.HasSuffix(err.Error(), "no such storage configuration"), err.Error())
}

func TestStorageConfigurationValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		arn  string
		id   string
	}{
		{"ARN", storageARN, "AbCdEf123456"},
		{"no slash", "AbCdEf123456", "AbCdEf123456"},
		{"empty", "", ""},
		{"trailing slash", "arn:aws:ivs:us-east-1:123456789012:storage-configuration/", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sc := recording.StorageConfiguration{ARN: tt.arn, BucketName: "b"}
			assert.Equal(t, tt.id, sc.ID())
			assert.Equal(t, recording.New(tt.arn), sc.Recording())
		})
	}
}

// An empty required string says so ("is empty", with the field's length range), rather than measuring a
// value of 0 bytes; nothing is sent. recording.New("") names its own way out.
func TestEmptyRequiredValuesSayEmpty(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		call func(ctx context.Context, c *recording.Client) error
		want string // testutil.Messages
	}{
		{"bucket", func(ctx context.Context, c *recording.Client) error {
			_, err := c.CreateStorage(ctx, recording.NewStorage(""))
			return err
		}, "value is empty; the field is required (3..63 code points), " + bucketPath + "."},
		{"tag key", func(ctx context.Context, c *recording.Client) error {
			_, err := c.CreateStorage(ctx, recording.NewStorage("bucket").WithTag("", "v"))
			return err
		}, `value is empty; the field is required (1..128 code points), ` + storageCtx + `Tags[""].Key.`},
		{"get ARN", func(ctx context.Context, c *recording.Client) error {
			_, err := c.GetStorage(ctx, "")
			return err
		}, "value is empty; the field is required (1..128 code points), GetStorageConfigurationInput.Arn."},
		{"delete ARN", func(ctx context.Context, c *recording.Client) error {
			return c.DeleteStorage(ctx, "")
		}, "value is empty; the field is required (1..128 code points), DeleteStorageConfigurationInput.Arn."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := stagetest.New()
			err := tt.call(t.Context(), recording.NewClientFromConfig(srv.Config()))
			require.Error(t, err)
			assert.Equal(t, tt.want, testutil.Messages(t, err))
			assert.NotContains(t, err.Error(), "0 bytes")
			assert.Zero(t, srv.RequestCount(), "invalid input sends nothing")
		})
	}
	assert.Equal(t, `value "" turns recording off: use recording.Disabled(), `+ctx+"StorageConfigurationArn.",
		testutil.Messages(t, recording.New("").Validate()))
}

// WithName("") is sent as the name "" the caller asked for; without WithName no name is sent.
// Catches: input() deciding on the name's value instead of on whether WithName was called.
func TestCreateStorageSendsAnEmptyName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		storage recording.Storage
		want    map[string]any // the request body
	}{
		{"no name", recording.NewStorage("name-bucket"), map[string]any{"s3": map[string]any{"bucketName": "name-bucket"}}},
		{"empty name", recording.NewStorage("name-bucket").WithName(""), map[string]any{"name": "", "s3": map[string]any{"bucketName": "name-bucket"}}},
		{"a name", recording.NewStorage("name-bucket").WithName("main"), map[string]any{"name": "main", "s3": map[string]any{"bucketName": "name-bucket"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := stagetest.New()
			c := recording.NewClientFromConfig(srv.Config())
			created, err := c.CreateStorage(t.Context(), tt.storage)
			require.NoError(t, err)
			reqs := srv.Requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, tt.want, body(t, reqs[0].Body))
			wantName, _ := tt.want["name"].(string)
			assert.Equal(t, recording.StorageConfiguration{ARN: created.ARN, Name: wantName, BucketName: "name-bucket"}, created)
		})
	}
}
