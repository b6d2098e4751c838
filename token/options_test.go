package token_test

import (
	"context"
	"crypto/ecdsa"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// keyCalls are the Client's public-key methods, each called with valid input.
var keyCalls = []struct {
	op   string
	call func(ctx context.Context, c *token.Client, pub *ecdsa.PublicKey) error
}{
	{"ImportPublicKey", func(ctx context.Context, c *token.Client, pub *ecdsa.PublicKey) error {
		_, err := c.ImportPublicKey(ctx, "k", pub)
		return err
	}},
	{"GetPublicKey", func(ctx context.Context, c *token.Client, _ *ecdsa.PublicKey) error {
		_, err := c.GetPublicKey(ctx, keyARN)
		return err
	}},
	{"ListPublicKeys", func(ctx context.Context, c *token.Client, _ *ecdsa.PublicKey) error {
		for _, err := range c.PublicKeys(ctx) {
			if err != nil {
				return err
			}
		}
		return nil
	}},
	{"DeletePublicKey", func(ctx context.Context, c *token.Client, _ *ecdsa.PublicKey) error {
		return c.DeletePublicKey(ctx, keyARN)
	}},
	{"CreateParticipantToken", func(ctx context.Context, c *token.Client, _ *ecdsa.PublicKey) error {
		_, err := c.CreateMany(ctx, stageARN, []token.Config{token.New()})
		return err
	}},
}

// keyErrors are, per operation, the modeled error codes (from the service model) among 400, 402, 403,
// 404 and 409.
var keyErrors = map[string][]struct {
	status int
	code   string
}{
	"ImportPublicKey":        {{400, "ValidationException"}, {402, "ServiceQuotaExceededException"}, {403, "AccessDeniedException"}, {403, "PendingVerification"}, {409, "ConflictException"}},
	"GetPublicKey":           {{400, "ValidationException"}, {403, "AccessDeniedException"}, {404, "ResourceNotFoundException"}},
	"ListPublicKeys":         {{400, "ValidationException"}, {403, "AccessDeniedException"}},
	"DeletePublicKey":        {{400, "ValidationException"}, {403, "AccessDeniedException"}, {403, "PendingVerification"}, {404, "ResourceNotFoundException"}, {409, "ConflictException"}},
	"CreateParticipantToken": {{400, "ValidationException"}, {402, "ServiceQuotaExceededException"}, {403, "AccessDeniedException"}, {404, "ResourceNotFoundException"}},
}

func TestServiceErrorsEndWithTheServiceText(t *testing.T) {
	t.Parallel()
	pub := testPublicKey(t)
	for _, call := range keyCalls {
		for _, e := range keyErrors[call.op] {
			t.Run(call.op+"/"+e.code, func(t *testing.T) {
				t.Parallel()
				mock := testutil.NewMock()
				msg := "the service explains " + e.code
				mock.RespondError(call.op, e.status, e.code, msg)
				err := call.call(t.Context(), token.NewClient(mock.Client()), pub)
				require.Error(t, err)
				assert.True(t, strings.HasSuffix(err.Error(), e.code+": "+msg), "Error() ends with the service's words: %v", err)
				var apiErr smithy.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, e.code, apiErr.ErrorCode())
				assert.Equal(t, msg, apiErr.ErrorMessage(), "typed error's message")
				var opErr *smithy.OperationError
				require.ErrorAs(t, err, &opErr, "the SDK's wrapping is kept")
				assert.Equal(t, call.op, opErr.OperationName)
				assert.Equal(t, 1, mock.Count())
			})
		}
	}
}

// fakeAPI is a token.API that is not the official client: its CreateParticipantToken fails with a typed
// error whose text is only in ExceptionMessage, as the SDK decodes the service's errors.
type fakeAPI struct {
	token.API
	err error
}

func (f fakeAPI) CreateParticipantToken(context.Context, *ivsrealtime.CreateParticipantTokenInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.CreateParticipantTokenOutput, error) {
	return nil, f.err
}

func TestServiceErrorTextWithAnyAPI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		err     error
		wantMsg string
	}{
		{"ExceptionMessage only", &types.ResourceNotFoundException{ExceptionMessage: aws.String("stage gone")}, "stage gone"},
		{"Message already set wins", &types.ResourceNotFoundException{Message: aws.String("set"), ExceptionMessage: aws.String("other")}, "set"},
		{"neither", &types.ResourceNotFoundException{}, ""},
		{"wrapped", &smithy.OperationError{ServiceID: "IVS RealTime", OperationName: "CreateParticipantToken",
			Err: &types.ResourceNotFoundException{ExceptionMessage: aws.String("wrapped text")}}, "wrapped text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := token.NewClient(fakeAPI{err: tt.err}).Create(t.Context(), stageARN, token.New())
			var nf *types.ResourceNotFoundException
			require.ErrorAs(t, err, &nf)
			assert.Equal(t, tt.wantMsg, nf.ErrorMessage())
			assert.Equal(t, "ResourceNotFoundException: "+tt.wantMsg, nf.Error())
			assert.Same(t, tt.err, err, "the error is the API's, repaired in place, not wrapped again")
		})
	}
}

func TestWithOptionsReachesEveryCall(t *testing.T) {
	t.Parallel()
	pub := testPublicKey(t)
	oneAttempt := func(o *ivsrealtime.Options) { o.RetryMaxAttempts = 1 }
	for _, call := range keyCalls {
		for _, tt := range []struct {
			name   string
			client func(base *token.Client) *token.Client
			want   int
		}{
			{"derived client: 1 attempt", func(base *token.Client) *token.Client { return base.WithOptions(oneAttempt) }, 1},
			{"original unchanged: stagetest's 3 attempts", func(base *token.Client) *token.Client {
				_ = base.WithOptions(oneAttempt)
				return base
			}, stagetest.RetryMaxAttempts},
		} {
			t.Run(call.op+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				srv := stagetest.New()
				for range stagetest.RetryMaxAttempts {
					srv.FailNext(call.op, http.StatusInternalServerError, "InternalServerException")
				}
				err := call.call(t.Context(), tt.client(token.NewClientFromConfig(srv.Config())), pub)
				require.Error(t, err)
				assert.Equal(t, tt.want, srv.RequestCount(), "attempts sent")
			})
		}
	}
}
