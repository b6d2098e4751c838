package stagetest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/stagetest"
)

var storageARNRe = regexp.MustCompile(`^arn:aws:ivs:us-east-1:123456789012:storage-configuration/[a-zA-Z0-9]{12}$`)

// createStorage creates a storage configuration through the SDK and returns it.
func createStorage(t *testing.T, client *ivsrealtime.Client, bucket string) *types.StorageConfiguration {
	t.Helper()
	out, err := client.CreateStorageConfiguration(t.Context(), &ivsrealtime.CreateStorageConfigurationInput{
		S3: &types.S3StorageConfiguration{BucketName: aws.String(bucket)},
	})
	require.NoError(t, err)
	require.NotNil(t, out.StorageConfiguration)
	return out.StorageConfiguration
}

// listStorage returns the ARNs of every storage configuration, through the SDK's paginator.
func listStorage(t *testing.T, client *ivsrealtime.Client, pageSize int32) []string {
	t.Helper()
	var arns []string
	p := ivsrealtime.NewListStorageConfigurationsPaginator(client,
		&ivsrealtime.ListStorageConfigurationsInput{MaxResults: aws.Int32(pageSize)})
	for p.HasMorePages() {
		out, err := p.NextPage(t.Context())
		require.NoError(t, err)
		for _, sc := range out.StorageConfigurations {
			arns = append(arns, aws.ToString(sc.Arn))
		}
	}
	return arns
}

func TestStorageConfigurationLifecycle(t *testing.T) {
	t.Parallel()
	srv, client := newClient(t)

	created, err := client.CreateStorageConfiguration(t.Context(), &ivsrealtime.CreateStorageConfigurationInput{
		Name: aws.String("recordings_1"),
		S3:   &types.S3StorageConfiguration{BucketName: aws.String("my-recordings.bucket")},
		Tags: map[string]string{"team": "video"},
	})
	require.NoError(t, err)
	sc := created.StorageConfiguration
	require.NotNil(t, sc)
	arn := aws.ToString(sc.Arn)
	assert.Regexp(t, storageARNRe, arn)
	assert.Equal(t, "recordings_1", aws.ToString(sc.Name))
	require.NotNil(t, sc.S3)
	assert.Equal(t, "my-recordings.bucket", aws.ToString(sc.S3.BucketName))
	assert.Equal(t, map[string]string{"team": "video"}, sc.Tags)

	// What went over the wire.
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "CreateStorageConfiguration", reqs[0].Operation)
	assert.Equal(t, "/CreateStorageConfiguration", reqs[0].Path)
	assert.JSONEq(t, `{"name":"recordings_1","s3":{"bucketName":"my-recordings.bucket"},"tags":{"team":"video"}}`, string(reqs[0].Body))

	got, err := client.GetStorageConfiguration(t.Context(), &ivsrealtime.GetStorageConfigurationInput{Arn: sc.Arn})
	require.NoError(t, err)
	assert.Equal(t, sc, got.StorageConfiguration)

	list, err := client.ListStorageConfigurations(t.Context(), &ivsrealtime.ListStorageConfigurationsInput{})
	require.NoError(t, err)
	require.Len(t, list.StorageConfigurations, 1)
	assert.Equal(t, types.StorageConfigurationSummary{Arn: sc.Arn, Name: sc.Name, S3: sc.S3, Tags: sc.Tags}, list.StorageConfigurations[0])
	assert.Nil(t, list.NextToken)

	_, err = client.DeleteStorageConfiguration(t.Context(), &ivsrealtime.DeleteStorageConfigurationInput{Arn: sc.Arn})
	require.NoError(t, err)
	_, err = client.GetStorageConfiguration(t.Context(), &ivsrealtime.GetStorageConfigurationInput{Arn: sc.Arn})
	var nf *types.ResourceNotFoundException
	require.ErrorAs(t, err, &nf)
	assert.Contains(t, aws.ToString(nf.ExceptionMessage), arn)
	code, status := apiError(t, err)
	assert.Equal(t, "ResourceNotFoundException", code)
	assert.Equal(t, http.StatusNotFound, status)
	_, err = client.DeleteStorageConfiguration(t.Context(), &ivsrealtime.DeleteStorageConfigurationInput{Arn: sc.Arn})
	require.ErrorAs(t, err, &nf)

	// The raw wire shapes: name "" and tags {} when none were sent; the list is [] when empty; delete is {}.
	r := post(t, srv, "ListStorageConfigurations", `{}`)
	require.Equal(t, http.StatusOK, r.Status)
	assert.Equal(t, map[string]any{"storageConfigurations": []any{}}, r.Body)
	r = post(t, srv, "CreateStorageConfiguration", `{"s3":{"bucketName":"abc"}}`)
	require.Equal(t, http.StatusOK, r.Status, "%v", r.Body)
	raw := r.Body["storageConfiguration"].(map[string]any)
	rawARN, _ := raw["arn"].(string)
	assert.Regexp(t, storageARNRe, rawARN)
	assert.Equal(t, map[string]any{"arn": rawARN, "name": "", "s3": map[string]any{"bucketName": "abc"}, "tags": map[string]any{}}, raw)
	r = post(t, srv, "DeleteStorageConfiguration", mustJSON(t, map[string]string{"arn": rawARN}))
	require.Equal(t, http.StatusOK, r.Status)
	assert.Equal(t, map[string]any{}, r.Body)
}

func TestMustAddStorageConfiguration(t *testing.T) {
	t.Parallel()
	srv, client := newClient(t, stagetest.WithStorageQuota(2))

	arn := srv.MustAddStorageConfiguration("test-bucket")
	assert.Regexp(t, storageARNRe, arn)
	assert.Zero(t, srv.RequestCount(), "no request is recorded")
	got, err := client.GetStorageConfiguration(t.Context(), &ivsrealtime.GetStorageConfigurationInput{Arn: aws.String(arn)})
	require.NoError(t, err)
	assert.Equal(t, &types.StorageConfiguration{
		Arn: aws.String(arn), Name: aws.String(""), S3: &types.S3StorageConfiguration{BucketName: aws.String("test-bucket")},
		Tags: map[string]string{},
	}, got.StorageConfiguration)

	// A stage can record into it at once.
	_, err = client.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{
		AutoParticipantRecordingConfiguration: &types.AutoParticipantRecordingConfiguration{StorageConfigurationArn: aws.String(arn)},
	})
	require.NoError(t, err)

	tests := []struct {
		name   string
		bucket string
		want   string
	}{
		{"too short", "ab", "length greater than or equal to 3"},
		{"uppercase", "Bucket", "regular expression pattern"},
		{"adjacent periods", "my..bucket", "two adjacent periods"},
		{"reserved suffix", "logs-s3alias", "reserved suffix '-s3alias'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := panicMessage(t, func() { srv.MustAddStorageConfiguration(tt.bucket) })
			assert.Contains(t, msg, "stagetest: MustAddStorageConfiguration: 1 validation error detected: Value '"+tt.bucket+"' at 's3.bucketName'")
			assert.Contains(t, msg, tt.want)
		})
	}
	list, err := client.ListStorageConfigurations(t.Context(), &ivsrealtime.ListStorageConfigurationsInput{})
	require.NoError(t, err)
	assert.Len(t, list.StorageConfigurations, 1, "an invalid bucket adds nothing")

	// The quota: the second fits, the third panics.
	second := srv.MustAddStorageConfiguration("second")
	assert.NotEqual(t, arn, second)
	assert.PanicsWithValue(t, "stagetest: MustAddStorageConfiguration: the quota of 2 storage configurations is full", func() {
		srv.MustAddStorageConfiguration("third")
	})
	assert.Equal(t, []string{arn, second}, listStorage(t, client, 100), "creation order")
}

// panicMessage runs f, which must panic with a string, and returns that string.
func panicMessage(t *testing.T, f func()) (msg string) {
	t.Helper()
	defer func() {
		v := recover()
		require.NotNil(t, v, "no panic")
		s, isString := v.(string)
		require.True(t, isString, "panic value %#v", v)
		msg = s
	}()
	f()
	return ""
}

func TestCreateStorageConfigurationValidation(t *testing.T) {
	t.Parallel()
	const (
		ok  = http.StatusOK
		bad = http.StatusBadRequest
	)
	bucket := func(name string) string { return mustJSON(t, map[string]any{"s3": map[string]any{"bucketName": name}}) }
	named := func(name string) string {
		return mustJSON(t, map[string]any{"name": name, "s3": map[string]any{"bucketName": "abc"}})
	}
	tagged := func(n int) string {
		tags := map[string]string{}
		for i := range n {
			tags[fmt.Sprintf("k%d", i)] = "v"
		}
		return mustJSON(t, map[string]any{"tags": tags, "s3": map[string]any{"bucketName": "abc"}})
	}
	const s3Rules = "(S3 bucket naming rules)"
	tests := []struct {
		name   string
		body   string
		status int
		want   []string // substrings of the exceptionMessage
	}{
		// The model: bucketName 3..63, ^[a-z0-9-.]+$.
		{"bucket 2", bucket("ab"), bad, []string{"Value 'ab' at 's3.bucketName'", "length greater than or equal to 3"}},
		{"bucket 3", bucket("abc"), ok, nil},
		{"bucket 63", bucket(repeat("a", 63)), ok, nil},
		{"bucket 64", bucket(repeat("a", 64)), bad, []string{"at 's3.bucketName'", "length less than or equal to 63"}},
		{"bucket empty", bucket(""), bad, []string{"at 's3.bucketName'", "length greater than or equal to 3", "pattern: ^[a-z0-9-.]+$"}},
		{"bucket uppercase", bucket("My-bucket"), bad, []string{"at 's3.bucketName'", "pattern: ^[a-z0-9-.]+$"}},
		{"bucket underscore", bucket("my_bucket"), bad, []string{"at 's3.bucketName'", "pattern"}},
		{"bucket dots and hyphens", bucket("my-bucket.example1"), ok, nil},
		{"bucket digits only", bucket("123"), ok, nil},

		// S3's naming rules.
		{"S3 starts with a hyphen", bucket("-bucket"), bad, []string{"begin and end with a lowercase letter or a digit " + s3Rules}},
		{"S3 starts with a period", bucket(".bucket"), bad, []string{"begin and end"}},
		{"S3 ends with a hyphen", bucket("bucket-"), bad, []string{"begin and end"}},
		{"S3 ends with a period", bucket("bucket."), bad, []string{"begin and end"}},
		{"S3 single periods", bucket("a.b.c"), ok, nil},
		{"S3 adjacent periods", bucket("my..bucket"), bad, []string{"Value 'my..bucket'", "two adjacent periods " + s3Rules}},
		{"S3 IPv4 address", bucket("192.168.5.4"), bad, []string{"formatted as an IPv4 address " + s3Rules}},
		{"S3 three numbers is no IPv4 address", bucket("192.168.5"), ok, nil},
		{"S3 five numbers is no IPv4 address", bucket("192.168.5.4.1"), ok, nil},
		{"S3 prefix xn--", bucket("xn--abc"), bad, []string{"reserved prefix 'xn--' " + s3Rules}},
		{"S3 xn- is fine", bucket("xn-abc"), ok, nil},
		{"S3 prefix sthree-", bucket("sthree-bucket"), bad, []string{"reserved prefix 'sthree-'"}},
		{"S3 sthree is fine", bucket("sthreebucket"), ok, nil},
		{"S3 prefix amzn-s3-demo-", bucket("amzn-s3-demo-bucket"), bad, []string{"reserved prefix 'amzn-s3-demo-'"}},
		{"S3 amzn-s3-demo is fine", bucket("amzn-s3-demobucket"), ok, nil},
		{"S3 suffix -s3alias", bucket("logs-s3alias"), bad, []string{"reserved suffix '-s3alias' " + s3Rules}},
		{"S3 s3alias is fine", bucket("logs-s3alias1"), ok, nil},
		{"S3 suffix --ol-s3", bucket("logs--ol-s3"), bad, []string{"reserved suffix '--ol-s3'"}},
		{"S3 -ol-s3 is fine", bucket("logs-ol-s3"), ok, nil},
		{"S3 suffix .mrap", bucket("logs.mrap"), bad, []string{"reserved suffix '.mrap'"}},
		{"S3 mrap is fine", bucket("logsmrap"), ok, nil},
		{"S3 suffix --x-s3", bucket("logs--x-s3"), bad, []string{"reserved suffix '--x-s3'"}},
		{"S3 -x-s3 is fine", bucket("logs-x-s3"), ok, nil},
		{"S3 suffix --table-s3", bucket("logs--table-s3"), bad, []string{"reserved suffix '--table-s3'"}},
		{"S3 -table-s3 is fine", bucket("logs-table-s3"), ok, nil},
		{"S3 rules only for names the model allows", bucket("Xn--a..b-"), bad, []string{"1 validation error detected", "pattern"}},
		{"S3 several rules at once", bucket("xn--a..b-"), bad, []string{"3 validation errors", "begin and end", "two adjacent periods", "reserved prefix 'xn--'"}},

		// s3 and bucketName are required.
		{"s3 missing", `{}`, bad, []string{"Value null at 's3'", "must not be null"}},
		{"s3 null", `{"s3":null}`, bad, []string{"at 's3'", "must not be null"}},
		{"bucketName missing", `{"s3":{}}`, bad, []string{"Value null at 's3.bucketName'", "must not be null"}},
		{"s3 not an object", `{"s3":"abc"}`, bad, []string{"at 's3'", "wrong JSON type"}},
		{"bucketName not a string", `{"s3":{"bucketName":5}}`, bad, []string{"at 's3.bucketName'", "wrong JSON type"}},

		// name: 0..128, ^[a-zA-Z0-9-_]*$.
		{"name empty", named(""), ok, nil},
		{"name 128", named(repeat("n", 128)), ok, nil},
		{"name 129", named(repeat("n", 129)), bad, []string{"at 'name'", "length less than or equal to 128"}},
		{"name pattern", named("my name"), bad, []string{"at 'name'", "pattern: ^[a-zA-Z0-9-_]*$"}},
		{"name non-ASCII", named("é"), bad, []string{"at 'name'", "pattern"}},

		// tags.
		{"tags 50", tagged(50), ok, nil},
		{"tags 51", tagged(51), bad, []string{"at 'tags'", "less than or equal to 50"}},
		{"tag key 129", `{"s3":{"bucketName":"abc"},"tags":{"` + repeat("k", 129) + `":"v"}}`, bad, []string{"at 'tags'", "Map keys"}},
		{"tag value 257", `{"s3":{"bucketName":"abc"},"tags":{"k":"` + repeat("v", 257) + `"}}`, bad, []string{"at 'tags[k]'", "less than or equal to 256"}},

		// All violations at once.
		{"every member wrong", `{"name":"a b","s3":{"bucketName":"A"},"tags":{"":"v"}}`, bad,
			[]string{"4 validation errors detected", "at 'name'", "length greater than or equal to 3", "pattern: ^[a-z0-9-.]+$", "Map keys"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, client := newClient(t)
			r := post(t, srv, "CreateStorageConfiguration", tt.body)
			require.Equal(t, tt.status, r.Status, "%v", r.Body)
			for _, w := range tt.want {
				assert.Contains(t, r.message(), w)
			}
			list, err := client.ListStorageConfigurations(t.Context(), &ivsrealtime.ListStorageConfigurationsInput{})
			require.NoError(t, err)
			if tt.status == ok {
				assert.Empty(t, r.ErrorType)
				assert.Len(t, list.StorageConfigurations, 1)
				return
			}
			assert.Equal(t, "ValidationException", r.ErrorType)
			assert.Empty(t, list.StorageConfigurations, "a rejected request creates nothing")
		})
	}
}

// TestCreateStorageConfigurationValidationThroughSDK checks that the SDK surfaces the fake's S3 rule as a
// *types.ValidationException (the SDK's own validator knows only that s3 and bucketName are required).
func TestCreateStorageConfigurationValidationThroughSDK(t *testing.T) {
	t.Parallel()
	srv, client := newClient(t)
	_, err := client.CreateStorageConfiguration(t.Context(), &ivsrealtime.CreateStorageConfigurationInput{
		S3: &types.S3StorageConfiguration{BucketName: aws.String("my..bucket")},
	})
	var ve *types.ValidationException
	require.ErrorAs(t, err, &ve)
	assert.Contains(t, aws.ToString(ve.ExceptionMessage), "two adjacent periods")
	assert.Equal(t, 1, srv.RequestCount(), "a 400 is not retried")
}

func TestStorageConfigurationARNValidation(t *testing.T) {
	t.Parallel()
	storage128 := storageARN(repeat("a", 128-len(storageARN(""))))
	tests := []struct {
		name   string
		body   string
		status int
		want   []string
	}{
		{"missing", `{}`, http.StatusBadRequest, []string{"Value null at 'arn'", "must not be null"}},
		{"empty", `{"arn":""}`, http.StatusBadRequest, []string{"at 'arn'", "length greater than or equal to 1"}},
		{"stage ARN", `{"arn":"` + stageARN("abc") + `"}`, http.StatusBadRequest, []string{"at 'arn'", "pattern", "storage-configuration"}},
		{"128 unknown", `{"arn":"` + storage128 + `"}`, http.StatusNotFound, []string{"Storage configuration not found: " + storage128}},
		{"129", `{"arn":"` + storage128 + `b"}`, http.StatusBadRequest, []string{"at 'arn'", "length less than or equal to 128"}},
		{"wrong type", `{"arn":1}`, http.StatusBadRequest, []string{"at 'arn'", "wrong JSON type"}},
	}
	for _, op := range []string{"GetStorageConfiguration", "DeleteStorageConfiguration"} {
		for _, tt := range tests {
			t.Run(op+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				srv, client := newClient(t)
				existing := srv.MustAddStorageConfiguration("abc")
				r := post(t, srv, op, tt.body)
				require.Equal(t, tt.status, r.Status, "%v", r.Body)
				for _, w := range tt.want {
					assert.Contains(t, r.message(), w)
				}
				_, err := client.GetStorageConfiguration(t.Context(), &ivsrealtime.GetStorageConfigurationInput{Arn: aws.String(existing)})
				assert.NoError(t, err, "a rejected request deletes nothing")
			})
		}
	}
}

func TestStorageQuota(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		opts  []stagetest.Option
		quota int
	}{
		{"default", nil, stagetest.StorageConfigurationsQuota},
		{"raised", []stagetest.Option{stagetest.WithStorageQuota(7)}, 7},
		{"zero", []stagetest.Option{stagetest.WithStorageQuota(0)}, 0},
		{"negative is zero", []stagetest.Option{stagetest.WithStorageQuota(-3)}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, client := newClient(t, tt.opts...)
			var last string
			for i := range tt.quota {
				last = aws.ToString(createStorage(t, client, fmt.Sprintf("bucket-%d", i)).Arn)
			}
			_, err := client.CreateStorageConfiguration(t.Context(), &ivsrealtime.CreateStorageConfigurationInput{
				S3: &types.S3StorageConfiguration{BucketName: aws.String("one-too-many")},
			})
			var quota *types.ServiceQuotaExceededException
			require.ErrorAs(t, err, &quota)
			code, status := apiError(t, err)
			assert.Equal(t, "ServiceQuotaExceededException", code)
			assert.Equal(t, http.StatusPaymentRequired, status)
			assert.Contains(t, aws.ToString(quota.ExceptionMessage), fmt.Sprintf("at most %d storage configurations", tt.quota))
			assert.Len(t, listStorage(t, client, 100), tt.quota)

			if tt.quota > 0 {
				// Deleting one frees a slot.
				_, err = client.DeleteStorageConfiguration(t.Context(), &ivsrealtime.DeleteStorageConfigurationInput{Arn: aws.String(last)})
				require.NoError(t, err)
				createStorage(t, client, "one-too-many")
			}
		})
	}

	// The default quota is the documented one.
	assert.Equal(t, 5, stagetest.StorageConfigurationsQuota)
}

func TestListStorageConfigurationsPagination(t *testing.T) {
	t.Parallel()
	_, client := newClient(t, stagetest.WithStorageQuota(7))
	var want []string
	for i := range 7 {
		want = append(want, aws.ToString(createStorage(t, client, fmt.Sprintf("bucket-%d", i)).Arn))
	}

	var pages [][]string
	var token *string
	for {
		out, err := client.ListStorageConfigurations(t.Context(), &ivsrealtime.ListStorageConfigurationsInput{
			MaxResults: aws.Int32(3), NextToken: token,
		})
		require.NoError(t, err)
		var page []string
		for _, sc := range out.StorageConfigurations {
			page = append(page, aws.ToString(sc.Arn))
		}
		pages = append(pages, page)
		if out.NextToken == nil {
			break
		}
		token = out.NextToken
	}
	assert.Equal(t, [][]string{want[0:3], want[3:6], want[6:7]}, pages, "three pages in creation order")
	assert.Equal(t, want, listStorage(t, client, 2), "the SDK's paginator walks the same items")

	// A configuration deleted between pages does not shift the next page.
	first, err := client.ListStorageConfigurations(t.Context(), &ivsrealtime.ListStorageConfigurationsInput{MaxResults: aws.Int32(3)})
	require.NoError(t, err)
	_, err = client.DeleteStorageConfiguration(t.Context(), &ivsrealtime.DeleteStorageConfigurationInput{Arn: aws.String(want[0])})
	require.NoError(t, err)
	second, err := client.ListStorageConfigurations(t.Context(), &ivsrealtime.ListStorageConfigurationsInput{
		MaxResults: aws.Int32(3), NextToken: first.NextToken,
	})
	require.NoError(t, err)
	require.Len(t, second.StorageConfigurations, 3)
	assert.Equal(t, want[3], aws.ToString(second.StorageConfigurations[0].Arn))
}

func TestListStorageConfigurationsPageSize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		quota      int
		stored     int
		body       string
		status     int
		wantLen    int
		wantNext   bool
		wantInText string
	}{
		{"default is the quota (5)", stagetest.StorageConfigurationsQuota, 5, `{}`, http.StatusOK, 5, false, ""},
		{"default is the raised quota", 8, 8, `{}`, http.StatusOK, 8, false, ""},
		{"default quota 7 of 6 stored", 7, 6, `{}`, http.StatusOK, 6, false, ""},
		{"default at most 100", 101, 101, `{}`, http.StatusOK, 100, true, ""},
		{"default at least 1", 0, 0, `{}`, http.StatusOK, 0, false, ""},
		{"maxResults 1", 5, 2, `{"maxResults":1}`, http.StatusOK, 1, true, ""},
		{"maxResults 100", 101, 101, `{"maxResults":100}`, http.StatusOK, 100, true, ""},
		{"maxResults 0", 5, 1, `{"maxResults":0}`, http.StatusBadRequest, 0, false, "greater than or equal to 1"},
		{"maxResults 101", 5, 1, `{"maxResults":101}`, http.StatusBadRequest, 0, false, "less than or equal to 100"},
		{"nextToken 1025", 5, 1, `{"nextToken":"` + repeat("a", 1025) + `"}`, http.StatusBadRequest, 0, false, "less than or equal to 1024"},
		{"nextToken pattern", 5, 1, `{"nextToken":"a b"}`, http.StatusBadRequest, 0, false, "pattern"},
		{"nextToken foreign", 5, 1, `{"nextToken":"abc"}`, http.StatusBadRequest, 0, false, "ListStorageConfigurations"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := stagetest.New(stagetest.WithStorageQuota(tt.quota))
			for i := range tt.stored {
				srv.MustAddStorageConfiguration(fmt.Sprintf("bucket-%d", i))
			}
			r := post(t, srv, "ListStorageConfigurations", tt.body)
			require.Equal(t, tt.status, r.Status, "%v", r.Body)
			if tt.status != http.StatusOK {
				assert.Equal(t, "ValidationException", r.ErrorType)
				assert.Contains(t, r.message(), tt.wantInText)
				return
			}
			items, _ := r.Body["storageConfigurations"].([]any)
			assert.Len(t, items, tt.wantLen)
			_, hasNext := r.Body["nextToken"]
			assert.Equal(t, tt.wantNext, hasNext)
		})
	}

	// A ListStages token is not a ListStorageConfigurations token.
	srv := stagetest.New()
	createRaw(t, srv, `{}`)
	createRaw(t, srv, `{}`)
	stages := post(t, srv, "ListStages", `{"maxResults":1}`)
	token, _ := stages.Body["nextToken"].(string)
	require.NotEmpty(t, token)
	r := post(t, srv, "ListStorageConfigurations", mustJSON(t, map[string]any{"nextToken": token}))
	assert.Equal(t, http.StatusBadRequest, r.Status)
	assert.Contains(t, r.message(), "ListStorageConfigurations")
}

func TestDeleteStorageConfigurationInUse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		release func(t *testing.T, client *ivsrealtime.Client, stageARN *string)
	}{
		{"recording disabled", func(t *testing.T, client *ivsrealtime.Client, stageARN *string) {
			_, err := client.UpdateStage(t.Context(), &ivsrealtime.UpdateStageInput{
				Arn: stageARN, AutoParticipantRecordingConfiguration: &types.AutoParticipantRecordingConfiguration{StorageConfigurationArn: aws.String("")},
			})
			require.NoError(t, err)
		}},
		{"stage deleted", func(t *testing.T, client *ivsrealtime.Client, stageARN *string) {
			_, err := client.DeleteStage(t.Context(), &ivsrealtime.DeleteStageInput{Arn: stageARN})
			require.NoError(t, err)
		}},
		{"stage moved to another storage configuration", func(t *testing.T, client *ivsrealtime.Client, stageARN *string) {
			other := createStorage(t, client, "other-bucket")
			_, err := client.UpdateStage(t.Context(), &ivsrealtime.UpdateStageInput{
				Arn: stageARN, AutoParticipantRecordingConfiguration: &types.AutoParticipantRecordingConfiguration{StorageConfigurationArn: other.Arn},
			})
			require.NoError(t, err)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, client := newClient(t)
			storage := srv.MustAddStorageConfiguration("recordings")
			idle := createStage(t, client, "")        // does not record
			st := createStage(t, client, storage)     // records into storage
			second := createStage(t, client, storage) // so does this one
			require.NotEqual(t, idle, st)

			_, err := client.DeleteStorageConfiguration(t.Context(), &ivsrealtime.DeleteStorageConfigurationInput{Arn: aws.String(storage)})
			var conflict *types.ConflictException
			require.ErrorAs(t, err, &conflict)
			code, status := apiError(t, err)
			assert.Equal(t, "ConflictException", code)
			assert.Equal(t, http.StatusConflict, status)
			msg := aws.ToString(conflict.ExceptionMessage)
			assert.Contains(t, msg, storage)
			assert.Contains(t, msg, "used by 2 stage(s)")
			assert.Contains(t, msg, "first: "+aws.ToString(st), "the earliest stage is named")

			// Releasing one stage is not enough; releasing both is.
			tt.release(t, client, st)
			_, err = client.DeleteStorageConfiguration(t.Context(), &ivsrealtime.DeleteStorageConfigurationInput{Arn: aws.String(storage)})
			require.ErrorAs(t, err, &conflict)
			assert.Contains(t, aws.ToString(conflict.ExceptionMessage), "used by 1 stage(s) for individual participant recording (first: "+aws.ToString(second)+")")
			tt.release(t, client, second)
			_, err = client.DeleteStorageConfiguration(t.Context(), &ivsrealtime.DeleteStorageConfigurationInput{Arn: aws.String(storage)})
			require.NoError(t, err)
			_, err = client.GetStorageConfiguration(t.Context(), &ivsrealtime.GetStorageConfigurationInput{Arn: aws.String(storage)})
			var nf *types.ResourceNotFoundException
			require.ErrorAs(t, err, &nf)
		})
	}
}

// createStage creates a stage that records into storage ("" for none) and returns its ARN.
func createStage(t *testing.T, client *ivsrealtime.Client, storage string) *string {
	t.Helper()
	in := &ivsrealtime.CreateStageInput{}
	if storage != "" {
		in.AutoParticipantRecordingConfiguration = &types.AutoParticipantRecordingConfiguration{StorageConfigurationArn: aws.String(storage)}
	}
	out, err := client.CreateStage(t.Context(), in)
	require.NoError(t, err)
	return out.Stage.Arn
}

func TestStageRefusesUnknownStorageConfiguration(t *testing.T) {
	t.Parallel()
	srv, client := newClient(t)
	unknown := storageARN("AbCdEfGhIjKl")
	held := srv.MustAddStorageConfiguration("recordings")
	deleted := srv.MustAddStorageConfiguration("deleted")
	_, err := client.DeleteStorageConfiguration(t.Context(), &ivsrealtime.DeleteStorageConfigurationInput{Arn: aws.String(deleted)})
	require.NoError(t, err)
	existing := createStage(t, client, "")

	tests := []struct {
		name    string
		storage string
		call    func(rec *types.AutoParticipantRecordingConfiguration) error
	}{
		{"CreateStage unknown", unknown, func(rec *types.AutoParticipantRecordingConfiguration) error {
			_, err := client.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{AutoParticipantRecordingConfiguration: rec})
			return err
		}},
		{"CreateStage deleted", deleted, func(rec *types.AutoParticipantRecordingConfiguration) error {
			_, err := client.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{AutoParticipantRecordingConfiguration: rec})
			return err
		}},
		{"UpdateStage unknown", unknown, func(rec *types.AutoParticipantRecordingConfiguration) error {
			_, err := client.UpdateStage(t.Context(), &ivsrealtime.UpdateStageInput{Arn: existing, AutoParticipantRecordingConfiguration: rec})
			return err
		}},
		{"UpdateStage deleted", deleted, func(rec *types.AutoParticipantRecordingConfiguration) error {
			_, err := client.UpdateStage(t.Context(), &ivsrealtime.UpdateStageInput{Arn: existing, AutoParticipantRecordingConfiguration: rec})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call(&types.AutoParticipantRecordingConfiguration{StorageConfigurationArn: aws.String(tt.storage)})
			var ve *types.ValidationException
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "1 validation error detected: Value '"+tt.storage+
				"' at 'autoParticipantRecordingConfiguration.storageConfigurationArn' failed to satisfy constraint: "+
				"Member must be the ARN of an existing storage configuration", aws.ToString(ve.ExceptionMessage))
			_, status := apiError(t, err)
			assert.Equal(t, http.StatusBadRequest, status)
		})
	}

	// Nothing changed: one stage, still not recording.
	list, err := client.ListStages(t.Context(), &ivsrealtime.ListStagesInput{})
	require.NoError(t, err)
	require.Len(t, list.Stages, 1)
	got, err := client.GetStage(t.Context(), &ivsrealtime.GetStageInput{Arn: existing})
	require.NoError(t, err)
	assert.Equal(t, "", aws.ToString(got.Stage.AutoParticipantRecordingConfiguration.StorageConfigurationArn))

	// The held one is accepted by both, and "" (no recording) never names a storage configuration.
	created := createStage(t, client, held)
	_, err = client.UpdateStage(t.Context(), &ivsrealtime.UpdateStageInput{
		Arn: existing, AutoParticipantRecordingConfiguration: &types.AutoParticipantRecordingConfiguration{StorageConfigurationArn: aws.String(held)},
	})
	require.NoError(t, err)
	_, err = client.UpdateStage(t.Context(), &ivsrealtime.UpdateStageInput{
		Arn: created, AutoParticipantRecordingConfiguration: &types.AutoParticipantRecordingConfiguration{StorageConfigurationArn: aws.String("")},
	})
	require.NoError(t, err)

	// Model violations come first: an ARN that breaks the pattern is reported as such, not as unknown.
	r := post(t, srv, "CreateStage", `{"autoParticipantRecordingConfiguration":{"storageConfigurationArn":"`+stageARN("abc")+`"}}`)
	require.Equal(t, http.StatusBadRequest, r.Status)
	assert.Contains(t, r.message(), "pattern")
	assert.NotContains(t, r.message(), "existing storage configuration")
}

// A test that needs a stage recording somewhere gets a storage configuration in one line.
func ExampleServer_MustAddStorageConfiguration() {
	ctx := context.Background()
	srv := stagetest.New()
	storage := srv.MustAddStorageConfiguration("my-recordings")
	client := ivsrealtime.NewFromConfig(srv.Config())

	out, err := client.CreateStage(ctx, &ivsrealtime.CreateStageInput{
		AutoParticipantRecordingConfiguration: &types.AutoParticipantRecordingConfiguration{
			StorageConfigurationArn: aws.String(storage),
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("records into it:", aws.ToString(out.Stage.AutoParticipantRecordingConfiguration.StorageConfigurationArn) == storage)

	// While the stage records into it, the storage configuration cannot be deleted.
	_, err = client.DeleteStorageConfiguration(ctx, &ivsrealtime.DeleteStorageConfigurationInput{Arn: aws.String(storage)})
	var conflict *types.ConflictException
	fmt.Println("delete refused:", errors.As(err, &conflict))
	fmt.Println("requests sent:", srv.RequestCount())
	// Output:
	// records into it: true
	// delete refused: true
	// requests sent: 2
}

// The storage configuration operations, as a user's code calls them against the fake.
func Example_storageConfigurations() {
	ctx := context.Background()
	srv := stagetest.New()
	client := ivsrealtime.NewFromConfig(srv.Config())

	created, err := client.CreateStorageConfiguration(ctx, &ivsrealtime.CreateStorageConfigurationInput{
		Name: aws.String("recordings"),
		S3:   &types.S3StorageConfiguration{BucketName: aws.String("my-recordings")},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	sc := created.StorageConfiguration
	fmt.Println(aws.ToString(sc.Name), aws.ToString(sc.S3.BucketName))

	_, err = client.TagResource(ctx, &ivsrealtime.TagResourceInput{ResourceArn: sc.Arn, Tags: map[string]string{"team": "video"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	got, err := client.GetStorageConfiguration(ctx, &ivsrealtime.GetStorageConfigurationInput{Arn: sc.Arn})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(got.StorageConfiguration.Tags)

	// S3 would refuse this bucket name, so the fake does too.
	_, err = client.CreateStorageConfiguration(ctx, &ivsrealtime.CreateStorageConfigurationInput{
		S3: &types.S3StorageConfiguration{BucketName: aws.String("my..recordings")},
	})
	var invalid *types.ValidationException
	if errors.As(err, &invalid) {
		fmt.Println(aws.ToString(invalid.ExceptionMessage))
	}
	// Output:
	// recordings my-recordings
	// map[team:video]
	// 1 validation error detected: Value 'my..recordings' at 's3.bucketName' failed to satisfy constraint: Member must not contain two adjacent periods (S3 bucket naming rules)
}
