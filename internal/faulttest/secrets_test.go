package faulttest_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/smithy-go"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/svc"
	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/token"
)

// minted returns a real ES384 bearer string for stageARN, with attributes that make it as long as the
// service's (several hundred bytes).
func minted(t *testing.T, stageARN, user string) string {
	t.Helper()
	signer, err := token.NewSigner(newKey(t), "arn:aws:ivs:us-east-1:123456789012:public-key/AbCdEfGhIjKl")
	require.NoError(t, err)
	tok, err := signer.Mint(token.Target{StageARN: stageARN, EventsURL: "wss://global.events.live-video.net",
		WhipURL: "https://global.whip.live-video.net"}, token.New().WithUserID(user).
		WithAttributes(map[string]string{"role": "host", "seat": strings.Repeat("s", 120), "team": strings.Repeat("t", 120)}))
	require.NoError(t, err)
	require.Greater(t, len(tok.Value()), 600)
	return tok.Value()
}

// A CreateParticipantToken or CreateStage answer that fails to decode (cut inside a bearer string, right
// after one, inside a later member, or whole with a member of the wrong type) leaves no piece of 16 bytes
// or more of any bearer string anywhere in the error chain that token.Client.Create and stage.Client.Create
// return, walked by reflection through every pointer, struct, slice, map and interface, unexported fields
// included; the DeserializationError's Snapshot keeps the rest, and the response body is emptied.
func TestCutAnswersLeaveNoBearerInTheErrorChain(t *testing.T) {
	t.Parallel()
	const stageARN = "arn:aws:ivs:us-east-1:123456789012:stage/AbCdEfGhIjKl"
	alice, bob := minted(t, stageARN, "alice"), minted(t, stageARN, "bob")
	one := `{"participantToken":{"attributes":{"role":"host"},"capabilities":["PUBLISH","SUBSCRIBE"],"duration":60,` +
		`"expirationTime":"2026-01-01T00:00:00Z","participantId":"AbCdEf123456","token":"` + alice + `","userId":"alice"}}`
	at := strings.Index(one, alice)
	created := `{"stage":{"arn":"` + stageARN + `","name":"town-hall","tags":{"team":"events"},"endpoints":{"events":"wss://e"}},` +
		`"participantTokens":[{"participantId":"P1","token":"` + alice + `","userId":"alice","duration":60},` +
		`{"participantId":"P2","token":"` + bob + `","userId":"bob","duration":60}]}`
	atAlice, atBob := strings.Index(created, alice), strings.Index(created, bob)
	tests := []struct {
		name, op, body string
		// keep is a part of the body the snapshot still shows (the SDK's snapshot is what its ring buffer
		// still held: often only the end of a bearer string, then nothing is left once it is redacted).
		keep string
	}{
		{"token cut early in the bearer", opCreateToken, one[:at+24], `"participantId":"AbCdEf123456"`},
		{"token cut half way through the bearer", opCreateToken, one[:at+len(alice)/2], `"participantId":"AbCdEf123456"`},
		{"token cut before the bearer's closing quote", opCreateToken, one[:at+len(alice)], ""},
		{"token cut right after the bearer", opCreateToken, one[:at+len(alice)+1], `"`},
		{"token cut inside a later member", opCreateToken, one[:len(one)-5], `"userId":"ali`},
		{"token with a later member of the wrong type", opCreateToken, strings.Replace(one, `"userId":"alice"`, `"userId":["alice"]`, 1), `"userId":["alice"]`},
		{"stage cut inside the first bearer", opCreateStage, created[:atAlice+len(alice)/2], `"participantId":"P1"`},
		{"stage cut inside the second bearer", opCreateStage, created[:atBob+len(bob)/2], `"participantId":"P2"`},
		{"stage cut right after the second bearer", opCreateStage, created[:atBob+len(bob)+1], `"`},
		{"stage cut inside the last member", opCreateStage, created[:len(created)-4], `"duration":6`},
		{"stage with a member of the wrong type after the bearers", opCreateStage, strings.Replace(created, `"duration":60}]}`, `"duration":"60"}]}`, 1), `"duration":"60"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			mock.Respond(tt.op, http.StatusOK, tt.body)
			var err error
			switch tt.op {
			case opCreateToken:
				var tok token.Token
				tok, err = token.NewClientFromConfig(mock.Config()).Create(t.Context(), stageARN, token.New().WithUserID("alice"))
				assert.True(t, tok.IsZero())
			case opCreateStage:
				var st stage.Stage
				var toks []token.Token
				st, toks, err = stage.NewClientFromConfig(mock.Config()).Create(t.Context(), stage.New().WithName("town-hall").
					WithParticipants(token.New().WithUserID("alice"), token.New().WithUserID("bob")))
				assert.Zero(t, st)
				assert.Nil(t, toks)
			}
			require.Error(t, err)
			assert.Equal(t, 1, mock.Count(), "not retried")
			for name, bearer := range map[string]string{"alice's": alice, "bob's": bob} {
				assert.Empty(t, testutil.SecretPaths(t, err, bearer, 16), "a piece of %s bearer string in the error chain", name)
			}
			var de *smithy.DeserializationError
			require.ErrorAs(t, err, &de)
			assert.Contains(t, string(de.Snapshot), svc.Redacted)
			assert.Contains(t, string(de.Snapshot), tt.keep, "the rest of the snapshot is kept for debugging")
			var respErr *awshttp.ResponseError
			require.ErrorAs(t, err, &respErr)
			assert.Equal(t, http.NoBody, respErr.Response.Body)
			var opErr *smithy.OperationError
			require.ErrorAs(t, err, &opErr)
			assert.Equal(t, tt.op, opErr.OperationName)
		})
	}
}

// readmeRecipe is the README's httpmock recipe (section "stage/stagetest", "To test your own code with plain
// httpmock"), with the answer's status, code and body as parameters; optFns go to NewClientFromConfig.
func readmeRecipe(ctx context.Context, status int, code, body string, optFns ...func(*ivsrealtime.Options)) (int, error) {
	mock := httpmock.NewMockTransport()
	cfg := aws.Config{
		Region:      "us-east-1",
		Credentials: aws.AnonymousCredentials{},
		HTTPClient:  &http.Client{Transport: mock},
	}
	mock.RegisterResponder(http.MethodPost, "https://ivsrealtime.us-east-1.amazonaws.com/GetStage",
		func(req *http.Request) (*http.Response, error) {
			resp := httpmock.NewStringResponse(status, body)
			resp.Header.Set("Content-Type", "application/json")
			resp.Header.Set("x-amzn-ErrorType", code)
			return resp, nil
		})
	_, err := stage.NewClientFromConfig(cfg, optFns...).Get(ctx, "arn:aws:ivs:us-east-1:123456789012:stage/AbCdEf123456")
	return mock.GetTotalCallCount(), err
}

// The httpmock recipe of the stage package (ExampleNewClientFromConfig_httpmock) gives an error whose text
// ends with the code and the service's text, and the same recipe answering a code GetStage's model does not
// list, throttling or a 5xx shows the service's text too.
func TestHttpmockRecipeShowsTheServiceText(t *testing.T) {
	t.Parallel()
	n, err := readmeRecipe(t.Context(), http.StatusNotFound, "ResourceNotFoundException", `{"exceptionMessage": "Stage not found"}`)
	require.Error(t, err)
	assert.True(t, strings.HasSuffix(err.Error(), "ResourceNotFoundException: Stage not found"), "the code and the service's text end %q", err.Error())
	assert.Equal(t, 1, n)

	oneAttempt := func(o *ivsrealtime.Options) { o.RetryMaxAttempts = 1 }
	tests := []struct {
		status int
		code   string
	}{
		{http.StatusConflict, "ConflictException"},                          // modeled, not for GetStage
		{http.StatusPaymentRequired, "ServiceQuotaExceededException"},       // modeled, not for GetStage
		{http.StatusInternalServerError, "InternalServerException"},         // modeled, not for GetStage; retryable
		{http.StatusTooManyRequests, "ThrottlingException"},                 // unmodeled; retryable
		{http.StatusServiceUnavailable, "ServiceUnavailableException"},      // unmodeled; retryable
		{http.StatusBadRequest, "SomethingNewException"},                    // unknown
		{http.StatusForbidden, "AccessDeniedException"},                     // modeled for GetStage
		{http.StatusBadRequest, "ValidationException"},                      // modeled for GetStage
		{http.StatusNotFound, "ResourceNotFoundException"},                  // the README's own case
		{http.StatusForbidden, "PendingVerification"},                       // modeled, not for GetStage
		{http.StatusServiceUnavailable, "com.amazonaws.ivsrealtime#Outage"}, // namespaced code
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d_%s", tt.status, tt.code), func(t *testing.T) {
			t.Parallel()
			text := "the service says " + tt.code
			n, err := readmeRecipe(t.Context(), tt.status, tt.code, fmt.Sprintf(`{"exceptionMessage": %q}`, text), oneAttempt)
			code := tt.code[strings.LastIndexByte(tt.code, '#')+1:]
			assertReadable(t, err, opGetStage, tt.status, code, text)
			assert.Equal(t, 1, n)
		})
	}
}
