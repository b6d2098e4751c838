package token_test

import (
	"context"
	"crypto/ecdsa"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/smithy-go"
	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/token"
)

// Every error text the package writes begins with "token: ", sentinels included, and once only: a
// reason of the package's inside another of its errors is not prefixed again.
func TestErrorTextsBeginWithThePackageName(t *testing.T) {
	t.Parallel()
	for _, err := range []error{token.ErrNoToken, token.ErrNoPublicKey, token.ErrUnknownKey} {
		assert.True(t, strings.HasPrefix(err.Error(), "token: "), err.Error())
	}

	signer, _ := newSigner(t)
	tok, err := signer.Mint(target, token.New())
	require.NoError(t, err)
	other, err := token.GenerateKey()
	require.NoError(t, err)
	const otherARN = "arn:aws:ivs:us-east-1:123456789012:public-key/OtherKey1234"
	_, err = token.VerifyWithKeys(tok.Value(), map[string]*ecdsa.PublicKey{otherARN: &other.PublicKey})
	require.ErrorIs(t, err, token.ErrUnknownKey)
	assert.ErrorIs(t, err, jwt.ErrTokenUnverifiable)
	assert.Equal(t, `token: verify: token is unverifiable: error while executing keyfunc: no key for the token's "kid" "`+
		keyARN+`" (keys held: 1)`, err.Error())
}

// The errors the Client makes of what it cannot send or read name the package after the SDK's wrapping.
func TestClientErrorTextsNameThePackage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		call     func(ctx context.Context, c *token.Client) error
		answer   string // the operation answered {} with status 200 ("" for none)
		sentinel error
		want     string // the end of Error()
	}{
		{"Create: no token in the response", func(ctx context.Context, c *token.Client) error {
			_, err := c.Create(ctx, stageARN, token.New())
			return err
		}, "CreateParticipantToken", token.ErrNoToken, "CreateParticipantToken, token: the response holds no participant token"},
		{"ImportPublicKey: no key in the response", func(ctx context.Context, c *token.Client) error {
			_, err := c.ImportPublicKey(ctx, "k", testPublicKey(t))
			return err
		}, "ImportPublicKey", token.ErrNoPublicKey, "ImportPublicKey, token: the response holds no public key"},
		{"GetPublicKey: no key in the response", func(ctx context.Context, c *token.Client) error {
			_, err := c.GetPublicKey(ctx, keyARN)
			return err
		}, "GetPublicKey", token.ErrNoPublicKey, "GetPublicKey, token: the response holds no public key"},
		{"Create: a limiter that allows nothing", func(ctx context.Context, c *token.Client) error {
			c.Limiter("CreateParticipantToken").SetBurst(0)
			_, err := c.Create(ctx, stageARN, token.New())
			return err
		}, "", nil, "CreateParticipantToken, token: not sent: the rate limiter's burst is 0, which allows no request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			if tt.answer != "" {
				mock.Respond(tt.answer, http.StatusOK, `{}`)
			}
			err := tt.call(t.Context(), token.NewClient(mock.Client()))
			require.Error(t, err)
			if tt.sentinel != nil {
				assert.ErrorIs(t, err, tt.sentinel)
			}
			var op *smithy.OperationError
			require.ErrorAs(t, err, &op)
			assert.True(t, strings.HasSuffix(err.Error(), tt.want), err.Error())
			assert.Equal(t, 1, strings.Count(err.Error(), "token: "), err.Error())
		})
	}
}

// A batch's per-index errors read "token: cfgs[i]: …".
func TestCreateManyErrorTextsNameThePackage(t *testing.T) {
	t.Parallel()
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		want string // each line after "token: cfgs[i]: "
		sent int
	}{
		{"responses without a token", t.Context(), "operation error IVS RealTime: CreateParticipantToken, token: the response holds no participant token", 2},
		{"context cancelled before any request", cancelled, "context canceled", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			mock.Respond("CreateParticipantToken", http.StatusOK, `{}`)
			c := token.NewClient(mock.Client())
			_, err := c.CreateMany(tt.ctx, stageARN, []token.Config{token.New(), token.New()}, token.WithRate(math.Inf(1), 1))
			require.Error(t, err)
			assert.Equal(t, "token: cfgs[0]: "+tt.want+"\ntoken: cfgs[1]: "+tt.want, err.Error())
			assert.Len(t, token.IndexErrors(err), 2)
			assert.Equal(t, tt.sent, mock.Count())
		})
	}
}
