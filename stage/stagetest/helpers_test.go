package stagetest_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/require"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/stretchr/testify/assert"
)

// newClient returns a fresh server and an SDK client wired to it.
func newClient(t *testing.T, opts ...stagetest.Option) (*stagetest.Server, *ivsrealtime.Client) {
	t.Helper()
	srv := stagetest.New(opts...)
	return srv, ivsrealtime.NewFromConfig(srv.Config())
}

// rawResponse is what postRaw got back.
type rawResponse struct {
	Status    int
	ErrorType string
	Body      map[string]any
}

// message returns the error text of an error response.
func (r rawResponse) message() string {
	s, _ := r.Body["exceptionMessage"].(string)
	return s
}

// postRaw sends body to POST /<op> through the server's transport, bypassing the SDK, so that tests can
// send what the SDK cannot express.
func postRaw(t *testing.T, srv *stagetest.Server, method, op, body string) rawResponse {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method,
		"https://ivsrealtime.us-east-1.amazonaws.com/"+op, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Transport: srv.Transport()}).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	out := rawResponse{Status: resp.StatusCode, ErrorType: resp.Header.Get("x-amzn-ErrorType")}
	require.NoError(t, json.Unmarshal(data, &out.Body), "body %s", data)
	return out
}

// post is postRaw with POST.
func post(t *testing.T, srv *stagetest.Server, op, body string) rawResponse {
	t.Helper()
	return postRaw(t, srv, http.MethodPost, op, body)
}

// mustJSON marshals v.
func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// createRaw creates a stage from a raw body and returns its ARN.
func createRaw(t *testing.T, srv *stagetest.Server, body string) string {
	t.Helper()
	r := post(t, srv, "CreateStage", body)
	require.Equal(t, http.StatusOK, r.Status, "%v", r.Body)
	return r.Body["stage"].(map[string]any)["arn"].(string)
}

// p384PEM returns a new ECDSA P-384 key and its public key as PEM.
func p384PEM(t *testing.T) (*ecdsa.PrivateKey, string) {
	t.Helper()
	return keyPEM(t, elliptic.P384())
}

func keyPEM(t *testing.T, curve elliptic.Curve) (*ecdsa.PrivateKey, string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(curve, rand.Reader)
	require.NoError(t, err)
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	require.NoError(t, err)
	return k, string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// apiError returns the error code and HTTP status of an SDK error.
func apiError(t *testing.T, err error) (string, int) {
	t.Helper()
	require.Error(t, err)
	var ae smithy.APIError
	require.True(t, errors.As(err, &ae), "not an API error: %v", err)
	var re *smithyhttp.ResponseError
	require.True(t, errors.As(err, &re), "no HTTP response: %v", err)
	return ae.ErrorCode(), re.HTTPStatusCode()
}

func repeat(s string, n int) string { return strings.Repeat(s, n) }
func stageARN(id string) string     { return "arn:aws:ivs:us-east-1:123456789012:stage/" + id }
func keyARN(id string) string       { return "arn:aws:ivs:us-east-1:123456789012:public-key/" + id }
func storageARN(id string) string {
	return "arn:aws:ivs:us-east-1:123456789012:storage-configuration/" + id
}

// stopReplication sends StopParticipantReplication.
func (w *world) stopReplication(src, dst, pid string) error {
	w.t.Helper()
	_, err := w.client.StopParticipantReplication(w.t.Context(), &ivsrealtime.StopParticipantReplicationInput{
		SourceStageArn: aws.String(src), DestinationStageArn: aws.String(dst), ParticipantId: aws.String(pid),
	})
	return err
}

// busCount counts the EventBridge events named name about participant pid.
func (w *world) busCount(name, pid string) int {
	w.t.Helper()
	return countOf(w.busNames(), name+" "+pid)
}

// assertNotFound checks that err is the service's HTTP 404 ResourceNotFoundException.
func assertNotFound(t *testing.T, err error) {
	t.Helper()
	code, status := apiError(t, err)
	assert.Equal(t, "ResourceNotFoundException", code)
	assert.Equal(t, http.StatusNotFound, status)
}

func countOf(s []string, v string) int {
	n := 0
	for _, x := range s {
		if x == v {
			n++
		}
	}
	return n
}
