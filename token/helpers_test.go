package token_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"maps"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/smithy-go"
	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/token"
)

const (
	stageARN  = "arn:aws:ivs:us-east-1:123456789012:stage/abcdEFGH1234"
	stageID   = "abcdEFGH1234"
	keyARN    = "arn:aws:ivs:us-east-1:123456789012:public-key/KeyAbCd1234"
	eventsURL = "wss://global.events.live-video.net"
	whipURL   = "https://abcdef123456.global-bm.whip.live-video.net"

	// ctx is the path of a participant token configuration's fields, as Config.Validate names them.
	ctx = "ParticipantTokenConfiguration."
	// opCreate is the operation of Client.Create and CreateMany.
	opCreate = "CreateParticipantToken"
)

// target is the stage the tests mint for.

var target = token.Target{StageARN: stageARN, EventsURL: eventsURL, WhipURL: whipURL}

// testKey reads a PKCS#8 ECDSA private key from testdata.
func testKey(t testing.TB, name string) *ecdsa.PrivateKey {
	t.Helper()
	block, _ := pem.Decode(readTestdata(t, name))
	require.NotNil(t, block, name)
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	require.NoError(t, err)
	ec, ok := k.(*ecdsa.PrivateKey)
	require.True(t, ok, "%s holds a %T", name, k)
	return ec
}

// testPublicKey is the public half of testdata/p384-pkcs8.pem, read from testdata/p384-public.pem.
func testPublicKey(t testing.TB) *ecdsa.PublicKey {
	t.Helper()
	block, _ := pem.Decode(readTestdata(t, "p384-public.pem"))
	require.NotNil(t, block)
	k, err := x509.ParsePKIXPublicKey(block.Bytes)
	require.NoError(t, err)
	return k.(*ecdsa.PublicKey)
}

// newSigner returns a Signer with a fresh key.
func newSigner(t testing.TB) (*token.Signer, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := token.GenerateKey()
	require.NoError(t, err)
	s, err := token.NewSigner(key, keyARN)
	require.NoError(t, err)
	return s, key
}

// hangGuard returns a channel that is closed a little before the test's deadline (t.Deadline: go test's
// -timeout), so that a wait a bug would make endless fails its own test, naming what it waited for,
// before the whole binary panics at the timeout. It is a safety net only: a passing run never reaches it,
// and no verdict depends on how long anything took. Without a deadline (-timeout 0) it is never closed.
func hangGuard(t *testing.T) <-chan struct{} {
	t.Helper()
	guard := make(chan struct{})
	deadline, ok := t.Deadline()
	if !ok {
		return guard
	}
	left := time.Until(deadline)
	timer := time.AfterFunc(left-min(left/10, 30*time.Second), func() { close(guard) })
	t.Cleanup(func() { timer.Stop() })
	return guard
}

// awaitOrFail waits until ch is closed, or fails t (from any goroutine) when the hang guard is closed
// first, saying what never happened.
func awaitOrFail(t *testing.T, guard, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-guard:
		t.Errorf("waited for %s until the test's deadline", what)
	}
}

// attrsOfSize returns one attribute whose key and value total n bytes.
func attrsOfSize(n int) map[string]string {
	return map[string]string{"k": strings.Repeat("v", n-1)}
}

// readTestdata returns the file testdata/name.
func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// assertOperationError asserts that err is a *smithy.OperationError of operation, wrapping a
// smithy.InvalidParamsError.
func assertOperationError(t *testing.T, err error, operation string) {
	t.Helper()
	var oe *smithy.OperationError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, ivsrealtime.ServiceID, oe.ServiceID)
	assert.Equal(t, operation, oe.OperationName)
	var ipe smithy.InvalidParamsError
	assert.ErrorAs(t, err, &ipe)
}

// fixedClock is the time the tests mint at.
var fixedClock = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// guideClaims are valid claims of a self-signed token issued at iat, valid for 12 hours.
func guideClaims(iat time.Time) jwt.MapClaims {
	return jwt.MapClaims{
		"exp":          iat.Add(12 * time.Hour).Unix(),
		"iat":          iat.Unix(),
		"jti":          "ABCDEfghij01234KLMN5678",
		"resource":     stageARN,
		"topic":        stageID,
		"events_url":   eventsURL,
		"whip_url":     whipURL,
		"user_id":      "alice",
		"attributes":   map[string]string{"role": "host"},
		"capabilities": map[string]bool{"allow_publish": true, "allow_subscribe": false},
		"version":      "1.0",
	}
}

// craft signs claims by hand with github.com/golang-jwt/jwt/v5, with exactly the header given (alg is
// set from method).
func craft(t testing.TB, method jwt.SigningMethod, key any, header map[string]any, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	tok.Header = maps.Clone(header)
	tok.Header["alg"] = method.Alg()
	raw, err := tok.SignedString(key)
	require.NoError(t, err)
	return raw
}

// guideHeader is the header of the user guide's example token, with keyARN as the kid.
var guideHeader = map[string]any{"typ": "JWT", "kid": keyARN}

// verifiers are the ways to verify a token with pub as the only key, an hour after fixedClock.
func verifiers(pub *ecdsa.PublicKey) map[string]func(raw string) (token.Claims, error) {
	at := fixedClock.Add(time.Hour)
	return map[string]func(string) (token.Claims, error){
		"VerifyAt": func(raw string) (token.Claims, error) { return token.VerifyAt(raw, pub, at) },
		"VerifyWithKeys": func(raw string) (token.Claims, error) {
			return token.VerifyWithKeysAt(raw, map[string]*ecdsa.PublicKey{keyARN: pub}, at)
		},
	}
}

// mint returns the bearer string s mints for target with cfg.
func mint(t *testing.T, s *token.Signer, cfg token.Config) string {
	t.Helper()
	tok, err := s.Mint(target, cfg)
	require.NoError(t, err)
	return tok.Value()
}

// assertShowsNoPart asserts that err's text holds no part of the token raw longer than 16 characters.
func assertShowsNoPart(t *testing.T, err error, raw string) {
	t.Helper()
	for _, part := range strings.Split(raw, ".") {
		if len(part) > 16 {
			assert.NotContains(t, err.Error(), part, "the error shows no part of the token")
		}
	}
}

// noLimit turns CreateMany's rate limit off, for tests that are not about it.
var noLimit = token.WithRate(math.Inf(1), 1)

// secretFor is the bearer string the fake service issues for a user ID.
func secretFor(userID string) string { return "eyJhbGciOiJLTVMifQ.SECRET-" + userID + ".c2ln" }

// tokenService answers CreateParticipantToken like the service: a token echoing the request's user ID,
// duration and capabilities. fail, when it returns a status, makes that request fail instead.
func tokenService(mock *testutil.Mock, fail func(userID string) (status int, errorType string)) {
	mock.RespondFunc(opCreate, func(_ *http.Request, body []byte) (int, string, string) {
		var req struct {
			UserID       string   `json:"userId"`
			Duration     int      `json:"duration"`
			Capabilities []string `json:"capabilities"`
		}
		if err := json.Unmarshal(body, &req); err != nil {
			return 400, `{"exceptionMessage": "bad JSON"}`, "ValidationException"
		}
		if fail != nil {
			if status, errorType := fail(req.UserID); status != 0 {
				return status, `{"exceptionMessage": "refused for this participant"}`, errorType
			}
		}
		if req.Duration == 0 {
			req.Duration = 720
		}
		resp, _ := json.Marshal(map[string]any{"participantToken": map[string]any{
			"participantId":  "p-" + req.UserID,
			"token":          secretFor(req.UserID),
			"userId":         req.UserID,
			"duration":       req.Duration,
			"capabilities":   req.Capabilities,
			"expirationTime": "2026-11-25T19:00:00Z",
		}})
		return 200, string(resp), ""
	})
}

// userConfigs returns n subscriber configurations of one hour, for the users user-00, user-01 …
func userConfigs(n int) []token.Config {
	base := token.New().WithCapabilities(token.Subscribe).WithDuration(time.Hour)
	cfgs := make([]token.Config, n)
	for i := range cfgs {
		cfgs[i] = base.WithUserID(fmt.Sprintf("user-%02d", i))
	}
	return cfgs
}

// returns runs fn and fails the test when fn has not returned by the hang guard (hangGuard): a call that
// a bug keeps from returning fails its own test, with what, instead of hanging the suite until its timeout.
func returns(t *testing.T, what string, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
	case <-hangGuard(t):
		t.Fatalf("%s has not returned by the test's deadline", what)
	}
}

// batches runs one CreateMany per client, all at once, with cfgs(i) for clients[i], and returns each
// batch's tokens and error. It fails the test if they have not all returned by the hang guard (returns).
func batches(t *testing.T, ctx context.Context, arn string, clients []*token.Client, cfgs func(i int) []token.Config, opts ...token.ManyOption) ([][]token.Token, []error) {
	t.Helper()
	results := make([][]token.Token, len(clients))
	errs := make([]error, len(clients))
	returns(t, "batches running at once", func() {
		var wg sync.WaitGroup
		for i, client := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i], errs[i] = client.CreateMany(ctx, arn, cfgs(i), opts...)
			}()
		}
		wg.Wait()
	})
	return results, errs
}
