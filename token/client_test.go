package token_test

import (
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/token"
)

const (
	in = "CreateParticipantTokenInput."
)

func TestCreateSendsTheConfigOnTheWire(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		cfg    token.Config
		golden string
	}{
		{"full", token.New().WithUserID("alice").WithDuration(time.Hour).WithCapabilities(token.Publish).
			WithAttributes(map[string]string{"role": "host", "seat": "A1"}), "create_full.json"},
		{"empty: the service applies its defaults", token.New(), "create_empty.json"},
		{"zero Config", token.Config{}, "create_empty.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			mock.Respond(opCreate, http.StatusOK, string(readTestdata(t, "create_response.json")))
			c := token.NewClient(mock.Client())

			_, err := c.Create(t.Context(), stageARN, tt.cfg)
			require.NoError(t, err)
			reqs := mock.Requests()
			require.Len(t, reqs, 1)
			assert.JSONEq(t, string(readTestdata(t, tt.golden)), string(reqs[0].Body))
		})
	}
}

func TestCreateParsesTheResponse(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	mock.Respond(opCreate, http.StatusOK, string(readTestdata(t, "create_response.json")))
	c := token.NewClientFromConfig(mock.Config())

	tok, err := c.Create(t.Context(), stageARN, token.New().WithUserID("alice"))
	require.NoError(t, err)
	assert.Equal(t, "ABCDEfghij01234KLMN5678", tok.ParticipantID)
	assert.Equal(t, "alice", tok.UserID)
	assert.Equal(t, map[string]string{"role": "host", "seat": "A1"}, tok.Attributes)
	assert.Equal(t, []token.Capability{token.Publish}, tok.Capabilities)
	assert.Equal(t, time.Hour, tok.Duration)
	assert.True(t, time.Date(2026, 11, 25, 19, 0, 0, 0, time.UTC).Equal(tok.ExpiresAt), "expiration %s", tok.ExpiresAt)
	assert.Equal(t, "eyJhbGciOiJLTVMiLCJ0eXAiOiJKV1QifQ.SECRET-BEARER-FROM-CREATE.c2ln", tok.Value())
}

func TestCreateSparseResponseReadsAsDefaults(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	mock.Respond(opCreate, http.StatusOK, `{"participantToken": {"participantId": "p1", "token": "SECRET-SPARSE"}}`)
	tok, err := token.NewClient(mock.Client()).Create(t.Context(), stageARN, token.New())
	require.NoError(t, err)
	assert.Equal(t, token.DefaultDuration, tok.Duration)
	assert.Equal(t, []token.Capability{token.Publish, token.Subscribe}, tok.Capabilities)
	assert.Equal(t, "SECRET-SPARSE", tok.Value())
}

func TestCreateWithoutTokenInTheResponse(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	mock.Respond(opCreate, http.StatusOK, `{}`)
	_, err := token.NewClient(mock.Client()).Create(t.Context(), stageARN, token.New())
	require.ErrorIs(t, err, token.ErrNoToken)
	var oe *smithy.OperationError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, opCreate, oe.OperationName)
}

func TestCreateRejectsInvalidInputWithoutARequest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		arn  string
		cfg  token.Config
		want map[string]string
	}{
		{"empty stage ARN", "", token.New(), map[string]string{in + "StageArn": rules.RuleLength}},
		{"public-key ARN", keyARN, token.New(), map[string]string{in + "StageArn": rules.RulePattern}},
		{"ARN of another region shape", "arn:aws:ivs:US-EAST-1:123:stage/x", token.New(), map[string]string{in + "StageArn": rules.RulePattern}},
		{"ARN of 129 code points", "arn:aws:ivs:us-east-1:123456789012:stage/" + strings.Repeat("a", 129-len("arn:aws:ivs:us-east-1:123456789012:stage/")),
			token.New(), map[string]string{in + "StageArn": rules.RuleLength}},
		{"duration not whole minutes", stageARN, token.New().WithDuration(90 * time.Second), map[string]string{in + "Duration": rules.RuleUnit}},
		{"duration 15 days", stageARN, token.New().WithDuration(15 * 24 * time.Hour), map[string]string{in + "Duration": rules.RuleRange}},
		{"user ID 129", stageARN, token.New().WithUserID(strings.Repeat("u", 129)), map[string]string{in + "UserId": rules.RuleLength}},
		{"duplicate capability", stageARN, token.New().WithCapabilities(token.Subscribe, token.Subscribe), map[string]string{in + "Capabilities[1]": rules.RuleUnique}},
		{"attributes 1025 bytes", stageARN, token.New().WithAttributes(attrsOfSize(1025)), map[string]string{in + "Attributes": rules.RuleSize}},
		{"everything at once", "nope", token.New().WithDuration(0).WithCapabilities().WithUserID(strings.Repeat("u", 200)), map[string]string{
			in + "StageArn":     rules.RulePattern,
			in + "Duration":     rules.RuleRange,
			in + "Capabilities": rules.RuleLength,
			in + "UserId":       rules.RuleLength,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			mock.Respond(opCreate, http.StatusOK, string(readTestdata(t, "create_response.json")))
			tok, err := token.NewClient(mock.Client()).Create(t.Context(), tt.arn, tt.cfg)
			assertOperationError(t, err, opCreate)
			testutil.AssertViolations(t, err, tt.want)
			assert.True(t, tok.IsZero())
			assert.Zero(t, mock.Count(), "invalid input must send nothing")
		})
	}
}

// serviceErrors are the modeled errors of CreateParticipantToken, with a check that the typed error
// arrives.
var serviceErrors = []struct {
	name      string
	status    int
	errorType string
	is        func(error) bool
}{
	{"403 AccessDenied", 403, "AccessDeniedException", func(err error) bool { var e *types.AccessDeniedException; return errors.As(err, &e) }},
	{"403 PendingVerification", 403, "PendingVerification", func(err error) bool { var e *types.PendingVerification; return errors.As(err, &e) }},
	{"402 ServiceQuotaExceeded", 402, "ServiceQuotaExceededException", func(err error) bool { var e *types.ServiceQuotaExceededException; return errors.As(err, &e) }},
	{"404 ResourceNotFound", 404, "ResourceNotFoundException", func(err error) bool { var e *types.ResourceNotFoundException; return errors.As(err, &e) }},
	{"400 Validation", 400, "ValidationException", func(err error) bool { var e *types.ValidationException; return errors.As(err, &e) }},
}

func TestCreateServiceErrorsPassThroughTyped(t *testing.T) {
	t.Parallel()
	for _, tt := range serviceErrors {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			mock.RespondError(opCreate, tt.status, tt.errorType, "the service says no")
			tok, err := token.NewClient(mock.Client()).Create(t.Context(), stageARN, token.New())
			require.Error(t, err)
			assert.True(t, tt.is(err), "want %s, got %T: %v", tt.errorType, err, err)
			assert.True(t, strings.HasSuffix(err.Error(), tt.errorType+": the service says no"), "the service's text ends Error(): %v", err)
			var oe *smithy.OperationError
			require.ErrorAs(t, err, &oe)
			assert.Equal(t, opCreate, oe.OperationName)
			var ipe smithy.InvalidParamsError
			assert.False(t, errors.As(err, &ipe), "a service error is not a validation error")
			assert.True(t, tok.IsZero())
			assert.Equal(t, 1, mock.Count())
		})
	}
}

func TestImportPublicKey(t *testing.T) {
	t.Parallel()
	pub := testPublicKey(t)
	material := string(readTestdata(t, "p384-public.pem"))
	const arn = "arn:aws:ivs:us-east-1:123456789012:public-key/AbCdEf123456"

	tests := []struct {
		name string
		key  string
		want map[string]any // the body on the wire
	}{
		{"named", "ivsrt-key_2026", map[string]any{"name": "ivsrt-key_2026", "publicKeyMaterial": material}},
		{"unnamed: no name sent", "", map[string]any{"publicKeyMaterial": material}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			mock.Respond("ImportPublicKey", http.StatusOK, `{"publicKey": {"arn": "`+arn+`", "name": "`+tt.key+`", "publicKeyMaterial": "x", "fingerprint": "f"}}`)
			got, err := token.NewClient(mock.Client()).ImportPublicKey(t.Context(), tt.key, pub)
			require.NoError(t, err)
			assert.Equal(t, arn, got)
			reqs := mock.Requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, tt.want, reqs[0].JSON(t))
		})
	}
}

func TestImportPublicKeyRejectsInvalidInputWithoutARequest(t *testing.T) {
	t.Parallel()
	p256 := testKey(t, "p256-pkcs8.pem")
	const ctx = "ImportPublicKeyInput."
	tests := []struct {
		name    string
		keyName string
		pub     *ecdsa.PublicKey
		want    map[string]string
	}{
		{"name with a space", "my key", testPublicKey(t), map[string]string{ctx + "Name": rules.RulePattern}},
		{"name with a dot", "key.v2", testPublicKey(t), map[string]string{ctx + "Name": rules.RulePattern}},
		{"name of 129", strings.Repeat("k", 129), testPublicKey(t), map[string]string{ctx + "Name": rules.RuleLength}},
		{"nil key", "k", nil, map[string]string{ctx + "PublicKeyMaterial": rules.RuleRequired}},
		{"P-256 key", "k", &p256.PublicKey, map[string]string{ctx + "PublicKeyMaterial": rules.RuleEnum}},
		{"both", "a/b", nil, map[string]string{ctx + "Name": rules.RulePattern, ctx + "PublicKeyMaterial": rules.RuleRequired}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			mock.Respond("ImportPublicKey", http.StatusOK, `{}`)
			arn, err := token.NewClient(mock.Client()).ImportPublicKey(t.Context(), tt.keyName, tt.pub)
			assertOperationError(t, err, "ImportPublicKey")
			testutil.AssertViolations(t, err, tt.want)
			assert.Empty(t, arn)
			assert.Zero(t, mock.Count())
		})
	}
	// The name boundary: 128 characters of the allowed set pass.
	mock := testutil.NewMock()
	mock.Respond("ImportPublicKey", http.StatusOK, `{"publicKey": {"arn": "`+keyARN+`"}}`)
	_, err := token.NewClient(mock.Client()).ImportPublicKey(t.Context(), strings.Repeat("aZ9-_", 25)+"abc", testPublicKey(t))
	require.NoError(t, err)
}

func TestImportPublicKeyErrorsPassThroughTyped(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	mock.RespondError("ImportPublicKey", 402, "ServiceQuotaExceededException", "3 public keys per region")
	_, err := token.NewClient(mock.Client()).ImportPublicKey(t.Context(), "fourth", testPublicKey(t))
	var quota *types.ServiceQuotaExceededException
	require.ErrorAs(t, err, &quota)
	assert.Equal(t, "3 public keys per region", *quota.ExceptionMessage)

	mock = testutil.NewMock()
	mock.RespondError("ImportPublicKey", 409, "ConflictException", "already imported")
	_, err = token.NewClient(mock.Client()).ImportPublicKey(t.Context(), "again", testPublicKey(t))
	var conflict *types.ConflictException
	require.ErrorAs(t, err, &conflict)

	mock = testutil.NewMock()
	mock.Respond("ImportPublicKey", http.StatusOK, `{}`)
	_, err = token.NewClient(mock.Client()).ImportPublicKey(t.Context(), "k", testPublicKey(t))
	require.ErrorIs(t, err, token.ErrNoPublicKey)
}

func TestGetPublicKey(t *testing.T) {
	t.Parallel()
	material := string(readTestdata(t, "p384-public.pem"))
	body, err := json.Marshal(map[string]any{"publicKey": map[string]any{
		"arn": keyARN, "name": "k1", "fingerprint": "fp", "publicKeyMaterial": material, "tags": map[string]string{"team": "a"},
	}})
	require.NoError(t, err)
	mock := testutil.NewMock()
	mock.Respond("GetPublicKey", http.StatusOK, string(body))
	c := token.NewClient(mock.Client())

	pk, err := c.GetPublicKey(t.Context(), keyARN)
	require.NoError(t, err)
	assert.Equal(t, keyARN, pk.ARN)
	assert.Equal(t, "k1", pk.Name)
	assert.Equal(t, "fp", pk.Fingerprint)
	assert.Equal(t, material, pk.PEM)
	assert.Equal(t, map[string]string{"team": "a"}, pk.Tags)
	require.NotNil(t, pk.Key)
	assert.True(t, pk.Key.Equal(testPublicKey(t)))
	assert.Equal(t, map[string]any{"arn": keyARN}, mock.Requests()[0].JSON(t))

	_, err = c.GetPublicKey(t.Context(), stageARN)
	assertOperationError(t, err, "GetPublicKey")
	testutil.AssertViolations(t, err, map[string]string{"GetPublicKeyInput.Arn": rules.RulePattern})
	assert.Equal(t, 1, mock.Count())

	mock = testutil.NewMock()
	mock.RespondError("GetPublicKey", 404, "ResourceNotFoundException", "no such key")
	_, err = token.NewClient(mock.Client()).GetPublicKey(t.Context(), keyARN)
	var nf *types.ResourceNotFoundException
	require.ErrorAs(t, err, &nf)
}

func TestListPublicKeysPages(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	mock.RespondFunc("ListPublicKeys", func(_ *http.Request, body []byte) (int, string, string) {
		if strings.Contains(string(body), "page2") {
			return 200, `{"publicKeys": [{"arn": "arn:aws:ivs:us-east-1:1:public-key/c", "name": "c"}]}`, ""
		}
		return 200, `{"publicKeys": [{"arn": "arn:aws:ivs:us-east-1:1:public-key/a", "name": "a", "tags": {"k": "v"}},
			{"arn": "arn:aws:ivs:us-east-1:1:public-key/b"}], "nextToken": "page2"}`, ""
	})
	keys, err := token.NewClient(mock.Client()).ListPublicKeys(t.Context())
	require.NoError(t, err)
	assert.Equal(t, []token.PublicKeySummary{
		{ARN: "arn:aws:ivs:us-east-1:1:public-key/a", Name: "a", Tags: map[string]string{"k": "v"}},
		{ARN: "arn:aws:ivs:us-east-1:1:public-key/b"},
		{ARN: "arn:aws:ivs:us-east-1:1:public-key/c", Name: "c"},
	}, keys)
	assert.Equal(t, 2, mock.Count())

	mock = testutil.NewMock()
	mock.RespondError("ListPublicKeys", 403, "AccessDeniedException", "no")
	keys, err = token.NewClient(mock.Client()).ListPublicKeys(t.Context())
	var denied *types.AccessDeniedException
	require.ErrorAs(t, err, &denied)
	assert.Nil(t, keys)
}

func TestDeletePublicKey(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	mock.Respond("DeletePublicKey", http.StatusOK, `{}`)
	c := token.NewClient(mock.Client())
	require.NoError(t, c.DeletePublicKey(t.Context(), keyARN))
	assert.Equal(t, map[string]any{"arn": keyARN}, mock.Requests()[0].JSON(t))

	for _, bad := range []string{"", stageARN, keyARN + "/x", "arn:aws:ivs:us-east-1:123:public-key/a_b"} {
		err := c.DeletePublicKey(t.Context(), bad)
		assertOperationError(t, err, "DeletePublicKey")
		assert.Contains(t, testutil.Violations(t, err), "DeletePublicKeyInput.Arn", bad)
	}
	assert.Equal(t, 1, mock.Count())

	mock = testutil.NewMock()
	mock.RespondError("DeletePublicKey", 409, "ConflictException", "in use")
	var conflict *types.ConflictException
	require.ErrorAs(t, token.NewClient(mock.Client()).DeletePublicKey(t.Context(), keyARN), &conflict)
}

// A CreateParticipantToken response that does not echo userId, duration, capabilities or attributes reads
// as what was requested; when the request left the field unset too, as the service's documented default
// (duration 720 minutes, both capabilities) or as none (no user ID, no attributes). Create and CreateMany
// read alike.
func TestCreateReadsWhatTheResponseLeavesOutAsRequested(t *testing.T) {
	t.Parallel()
	requested := token.New().WithUserID("alice").WithDuration(time.Hour).WithCapabilities(token.Subscribe).
		WithAttributes(map[string]string{"role": "viewer"})
	requestedBody := map[string]any{"stageArn": stageARN, "userId": "alice", "duration": float64(60),
		"capabilities": []any{"SUBSCRIBE"}, "attributes": map[string]any{"role": "viewer"}}
	requestedToken := token.Token{UserID: "alice", Duration: time.Hour, Capabilities: []token.Capability{token.Subscribe},
		Attributes: map[string]string{"role": "viewer"}}
	// What the service answers to the request, every field echoed.
	echoRequested := map[string]any{"userId": "alice", "duration": 60, "capabilities": []string{"SUBSCRIBE"}, "attributes": map[string]string{"role": "viewer"}}
	echoDefaults := map[string]any{"duration": 720, "capabilities": []string{"PUBLISH", "SUBSCRIBE"}}
	defaultToken := token.Token{Duration: token.DefaultDuration, Capabilities: []token.Capability{token.Publish, token.Subscribe}}

	fields := []string{"userId", "duration", "capabilities", "attributes"}
	type tc struct {
		name string
		cfg  token.Config
		body map[string]any // the request on the wire
		echo map[string]any
		omit []string
		want token.Token // without ParticipantID, ExpiresAt and the bearer string
	}
	var tests []tc
	for _, f := range append(fields, "all four") {
		omit := []string{f}
		if f == "all four" {
			omit = fields
		}
		tests = append(tests,
			tc{"requested, response without " + f, requested, requestedBody, echoRequested, omit, requestedToken},
			tc{"unset, response without " + f, token.New(), map[string]any{"stageArn": stageARN}, echoDefaults, omit, defaultToken})
	}
	tests = append(tests, tc{"a field the response holds is the service's word", requested, requestedBody,
		map[string]any{"userId": "alice", "duration": 120, "capabilities": []string{"SUBSCRIBE"}, "attributes": map[string]string{"role": "viewer"}}, nil,
		token.Token{UserID: "alice", Duration: 2 * time.Hour, Capabilities: []token.Capability{token.Subscribe}, Attributes: map[string]string{"role": "viewer"}}})

	for _, tt := range tests {
		for _, via := range []string{"Create", "CreateMany"} {
			t.Run(via+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				resp := map[string]any{"participantId": "p1", "token": "SECRET-FAITHFUL", "expirationTime": "2026-11-25T19:00:00Z"}
				for k, v := range tt.echo {
					resp[k] = v
				}
				for _, k := range tt.omit {
					delete(resp, k)
				}
				body, err := json.Marshal(map[string]any{"participantToken": resp})
				require.NoError(t, err)
				mock := testutil.NewMock()
				mock.Respond(opCreate, http.StatusOK, string(body))
				c := token.NewClient(mock.Client())

				var tok token.Token
				if via == "Create" {
					tok, err = c.Create(t.Context(), stageARN, tt.cfg)
				} else {
					var toks []token.Token
					toks, err = c.CreateMany(t.Context(), stageARN, []token.Config{tt.cfg})
					require.Len(t, toks, 1)
					tok = toks[0]
				}
				require.NoError(t, err)
				reqs := mock.Requests()
				require.Len(t, reqs, 1)
				assert.Equal(t, tt.body, reqs[0].JSON(t), "the request sends what was set, nothing more")

				assert.Equal(t, "SECRET-FAITHFUL", tok.Value())
				assert.Equal(t, "p1", tok.ParticipantID)
				assert.Equal(t, time.Date(2026, 11, 25, 19, 0, 0, 0, time.UTC), tok.ExpiresAt)
				assert.Equal(t, tt.want.UserID, tok.UserID)
				assert.Equal(t, tt.want.Duration, tok.Duration)
				assert.Equal(t, tt.want.Capabilities, tok.Capabilities)
				assert.Equal(t, tt.want.Attributes, tok.Attributes)
			})
		}
	}
}

// Every time Create, CreateMany and FromSDK return is in UTC, whatever offset the response's time has.
func TestTokenTimesAreUTC(t *testing.T) {
	t.Parallel()
	want := time.Date(2026, 11, 25, 19, 0, 0, 0, time.UTC)
	for _, expiration := range []string{"2026-11-25T21:00:00+02:00", "2026-11-25T13:30:00-05:30", "2026-11-25T19:00:00Z"} {
		t.Run(expiration, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			mock.Respond(opCreate, http.StatusOK, `{"participantToken": {"participantId": "p1", "token": "SECRET-UTC", "expirationTime": "`+expiration+`"}}`)
			c := token.NewClient(mock.Client())
			tok, err := c.Create(t.Context(), stageARN, token.New())
			require.NoError(t, err)
			assert.Equal(t, want, tok.ExpiresAt, "the same instant, in UTC (== compares the location too)")
			assert.Equal(t, time.UTC, tok.ExpiresAt.Location())

			toks, err := c.CreateMany(t.Context(), stageARN, []token.Config{token.New(), token.New()})
			require.NoError(t, err)
			for _, tok := range toks {
				assert.Equal(t, want, tok.ExpiresAt)
			}
		})
	}

	zoned := time.Date(2026, 11, 25, 21, 0, 0, 0, time.FixedZone("UTC+2", 2*60*60))
	tok := token.FromSDK(types.ParticipantToken{ExpirationTime: &zoned})
	assert.Equal(t, want, tok.ExpiresAt)
	for i, tok := range token.FromSDKList([]types.ParticipantToken{{ExpirationTime: &zoned}, {}}) {
		assert.Equal(t, time.UTC, tok.ExpiresAt.Location(), "token %d", i)
	}
	assert.True(t, token.FromSDK(types.ParticipantToken{}).ExpiresAt.IsZero(), "no expirationTime: the zero time")
}

// A participantToken without its bearer string holds no token: ErrNoToken, as for no participantToken.
func TestCreateWithoutBearerString(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"no participantToken": `{}`,
		"no token":            `{"participantToken": {"participantId": "p1", "userId": "u"}}`,
		"empty token":         `{"participantToken": {"participantId": "p1", "token": ""}}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			mock.Respond(opCreate, http.StatusOK, body)
			c := token.NewClient(mock.Client())
			tok, err := c.Create(t.Context(), stageARN, token.New())
			require.ErrorIs(t, err, token.ErrNoToken)
			var oe *smithy.OperationError
			require.ErrorAs(t, err, &oe)
			assert.Equal(t, opCreate, oe.OperationName)
			assert.True(t, tok.IsZero())

			toks, err := c.CreateMany(t.Context(), stageARN, []token.Config{token.New()})
			require.ErrorIs(t, err, token.ErrNoToken)
			require.Len(t, toks, 1)
			assert.True(t, toks[0].IsZero())
			assert.Equal(t, 2, mock.Count())
		})
	}
}
