package eventdb_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/event/eventdb"
)

// EndpointEnv names the environment variable that gives the DynamoDB endpoint the tests run against, e.g.
// http://127.0.0.1:8000 for a dynalite (npm install dynalite@4.0.0; node_modules/.bin/dynalite --port
// 8000). .ci/run starts one and sets it.
const EndpointEnv = "IVSRT_DYNAMODB_ENDPOINT"

// call is one request a client sent: the operation (from X-Amz-Target) and the JSON body.
type call struct {
	Op   string
	Body map[string]any
}

// counting is an HTTP transport that records every request before passing it on.
type counting struct {
	base http.RoundTripper
	mu   sync.Mutex
	seen []call
}

func (c *counting) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	var m map[string]any
	_ = json.Unmarshal(body, &m)
	c.mu.Lock()
	c.seen = append(c.seen, call{Op: strings.TrimPrefix(req.Header.Get("X-Amz-Target"), "DynamoDB_20120810."), Body: m})
	c.mu.Unlock()
	return c.base.RoundTrip(req)
}

// Calls returns the requests recorded so far.
func (c *counting) Calls() []call {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]call(nil), c.seen...)
}

// Ops returns the operations recorded so far, in order.
func (c *counting) Ops() []string {
	var ops []string
	for _, cl := range c.Calls() {
		ops = append(ops, cl.Op)
	}
	return ops
}

// Reset forgets the requests recorded so far.
func (c *counting) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen = nil
}

// newClient returns a DynamoDB client on base with static dummy credentials, counting its requests.
func newClient(endpoint string, base http.RoundTripper, optFns ...func(*dynamodb.Options)) (*dynamodb.Client, *counting) {
	c := &counting{base: base}
	return dynamodb.New(dynamodb.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(endpoint),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIAEVENTDBTEST00000", SecretAccessKey: "eventdb-test-secret", Source: "eventdb tests"}, nil
		}),
		HTTPClient:       &http.Client{Transport: c},
		RetryMaxAttempts: 3,
	}, optFns...), c
}

// dynamo returns a client of the DynamoDB server EndpointEnv names. Without one the test is skipped, except
// under CI=true, where it fails: CI must run these tests.
func dynamo(t testing.TB) (*dynamodb.Client, *counting) {
	t.Helper()
	endpoint := os.Getenv(EndpointEnv)
	if endpoint == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but %s is not set: CI must run the DynamoDB tests (.ci/run starts dynalite and sets it)", EndpointEnv)
		}
		t.Skipf("set %s to a DynamoDB endpoint (e.g. a dynalite: npx dynalite@4.0.0 --port 8000, then %s=http://127.0.0.1:8000) to run the tests against DynamoDB",
			EndpointEnv, EndpointEnv)
	}
	return newClient(endpoint, http.DefaultTransport.(*http.Transport).Clone())
}

var tableSeq atomic.Int64

// newTable creates a table for New with a name unique to the test, and deletes it when the test ends.
func newTable(t testing.TB, client *dynamodb.Client) string {
	t.Helper()
	name := regexp.MustCompile(`[^a-zA-Z0-9_.-]+`).ReplaceAllString(t.Name(), "_")
	name = fmt.Sprintf("ivsrt-%d-%s", tableSeq.Add(1), name)
	if len(name) > 200 {
		name = name[:200]
	}
	ctx := context.Background()
	_, err := client.CreateTable(ctx, eventdb.CreateTableInput(name))
	require.NoError(t, err)
	t.Cleanup(func() {
		_, _ = client.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(name)})
	})
	// dynalite's tables are CREATING for --createTableMs (500 ms by default); DynamoDB's for seconds.
	waiter := dynamodb.NewTableExistsWaiter(client, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay, o.MaxDelay = 10*time.Millisecond, 200*time.Millisecond
	})
	require.NoError(t, waiter.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, time.Minute))
	return name
}
