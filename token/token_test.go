package token_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/token"
)

const bearer = "eyJhbGciOiJLTVMiLCJ0eXAiOiJKV1QifQ.SECRET-BEARER-STRING.sig"

var expires = time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)

func sampleToken() token.Token {
	return token.FromSDK(types.ParticipantToken{
		ParticipantId:  aws.String("ABCDEfghij01234KLMN5678"),
		Token:          aws.String(bearer),
		UserId:         aws.String("alice"),
		Attributes:     map[string]string{"role": "host"},
		Duration:       aws.Int32(60),
		Capabilities:   []types.ParticipantTokenCapability{types.ParticipantTokenCapabilityPublish},
		ExpirationTime: aws.Time(expires),
	})
}

func TestFromSDK(t *testing.T) {
	t.Parallel()
	tok := sampleToken()
	assert.Equal(t, "ABCDEfghij01234KLMN5678", tok.ParticipantID)
	assert.Equal(t, "alice", tok.UserID)
	assert.Equal(t, map[string]string{"role": "host"}, tok.Attributes)
	assert.Equal(t, []token.Capability{token.Publish}, tok.Capabilities)
	assert.Equal(t, time.Hour, tok.Duration)
	assert.Equal(t, expires, tok.ExpiresAt)
	assert.Equal(t, bearer, tok.Value())

	sparse := token.FromSDK(types.ParticipantToken{ParticipantId: aws.String("p")})
	assert.Equal(t, token.DefaultDuration, sparse.Duration, "absent duration is the service default")
	assert.Equal(t, []token.Capability{token.Publish, token.Subscribe}, sparse.Capabilities, "absent capabilities are the service default")
	assert.Empty(t, sparse.Value())

	assert.True(t, token.Token{}.IsZero())
	assert.False(t, tok.IsZero())
	assert.False(t, sparse.IsZero())
}

func TestFromSDKList(t *testing.T) {
	t.Parallel()
	ps := []types.ParticipantToken{
		{ParticipantId: aws.String("a"), Token: aws.String("ta"), Capabilities: []types.ParticipantTokenCapability{types.ParticipantTokenCapabilityPublish}},
		{ParticipantId: aws.String("b")}, // absent capabilities: the default
		{ParticipantId: aws.String("c"), Capabilities: []types.ParticipantTokenCapability{}},
		{ParticipantId: aws.String("d"), Token: aws.String("td"), Duration: aws.Int32(5), Attributes: map[string]string{"k": "v"},
			Capabilities: []types.ParticipantTokenCapability{types.ParticipantTokenCapabilitySubscribe, types.ParticipantTokenCapabilityPublish}},
	}
	got := token.FromSDKList(ps)
	require.Len(t, got, len(ps))
	for i, p := range ps {
		assert.Equal(t, token.FromSDK(p), got[i], "token %d converts as FromSDK does", i)
	}
	assert.Equal(t, "td", got[3].Value())

	// Capabilities share one allocation, but appending to one token's never reaches the next one's: append
	// a value that differs from whatever follows it in the shared array, and compare with literals.
	const other = token.Capability("APPENDED")
	got[0].Capabilities = append(got[0].Capabilities, other)
	got[2].Capabilities = append(got[2].Capabilities, other)
	assert.Equal(t, []token.Capability{token.Publish, other}, got[0].Capabilities)
	assert.Equal(t, []token.Capability{other}, got[2].Capabilities)
	assert.Equal(t, []token.Capability{token.Subscribe, token.Publish}, got[3].Capabilities)
	assert.Equal(t, []types.ParticipantTokenCapability{types.ParticipantTokenCapabilitySubscribe, types.ParticipantTokenCapabilityPublish},
		ps[3].Capabilities, "the response is untouched")

	assert.Nil(t, token.FromSDKList(nil))
	assert.Nil(t, token.FromSDKList([]types.ParticipantToken{}))
}

type holder struct {
	Public  token.Token
	private token.Token
	List    []token.Token
	Ptr     *token.Token
}

// No fmt verb, no nesting, no pointer shows the bearer string.
func TestFormattingNeverShowsTheBearer(t *testing.T) {
	t.Parallel()
	tok := sampleToken()
	h := holder{Public: tok, private: tok, List: []token.Token{tok}, Ptr: &tok}
	values := map[string]any{"token": tok, "pointer": &tok, "holder": h, "holder pointer": &h}
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T", "%p"}
	for name, v := range values {
		for _, verb := range verbs {
			out := fmt.Sprintf(verb, v)
			assert.NotContains(t, out, "SECRET-BEARER", "%s with %s: %s", name, verb, out)
		}
	}
	assert.Contains(t, fmt.Sprint(tok), token.Redacted)
	assert.Contains(t, fmt.Sprintf("%+v", tok), "ABCDEfghij01234KLMN5678")
	assert.Contains(t, tok.String(), "alice")
	assert.Contains(t, tok.GoString(), "token.Token{")
	assert.Contains(t, fmt.Sprintf("%#v", tok), "token.Token{")
}

func TestErrorsNeverShowTheBearer(t *testing.T) {
	t.Parallel()
	tok := sampleToken()
	err := fmt.Errorf("joining %v failed: %w", tok, errors.New("boom"))
	assert.NotContains(t, err.Error(), "SECRET-BEARER")
	errJSON, jerr := json.Marshal(map[string]any{"error": err.Error()})
	require.NoError(t, jerr)
	assert.NotContains(t, string(errJSON), "SECRET-BEARER")
}

func TestSlogNeverShowsTheBearer(t *testing.T) {
	t.Parallel()
	tok := sampleToken()
	for name, h := range map[string]func(*bytes.Buffer) slog.Handler{
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	} {
		var buf bytes.Buffer
		slog.New(h(&buf)).Info("issued", "token", tok, "ptr", &tok)
		out := buf.String()
		assert.NotContains(t, out, "SECRET-BEARER", name)
		assert.Contains(t, out, "ABCDEfghij01234KLMN5678", name)
		assert.Contains(t, out, token.Redacted, name)
	}
}

// MarshalJSON is the one way out for the bearer string, as "token"; it round-trips.
func TestJSON(t *testing.T) {
	t.Parallel()
	tok := sampleToken()
	b, err := json.Marshal(tok)
	require.NoError(t, err)
	assert.JSONEq(t, `{
		"participantId": "ABCDEfghij01234KLMN5678",
		"userId": "alice",
		"attributes": {"role": "host"},
		"capabilities": ["PUBLISH"],
		"durationSeconds": 3600,
		"expiresAt": "2026-11-25T18:00:00Z",
		"token": "`+bearer+`"
	}`, string(b))

	var back token.Token
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, tok.Value(), back.Value())
	assert.Equal(t, tok.String(), back.String())

	err = json.Unmarshal([]byte(`{"token": 5}`), &back)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "SECRET")

	// A bearer pasted into the wrong field is rejected without being shown.
	for _, doc := range []string{
		`{"expiresAt": "` + bearer + `"}`,
		`{"expiresAt": ["` + bearer + `"]}`,
		`{"durationSeconds": "` + bearer + `"}`,
	} {
		var tok token.Token
		err := json.Unmarshal([]byte(doc), &tok)
		require.Error(t, err, doc)
		for _, part := range strings.Split(bearer, ".") {
			assert.NotContains(t, fmt.Sprintf("%v %+v %#v", err, err, err), part)
		}
	}
}

// UnmarshalJSON reads "expiresAt" into UTC, whatever its offset; no "expiresAt" is the zero time.
func TestUnmarshalJSONExpiresAtInUTC(t *testing.T) {
	t.Parallel()
	want := time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)
	for _, expiresAt := range []string{"2026-11-25T18:00:00Z", "2026-11-25T20:00:00+02:00", "2026-11-25T12:30:00-05:30"} {
		var tok token.Token
		require.NoError(t, json.Unmarshal([]byte(`{"participantId": "p", "expiresAt": "`+expiresAt+`"}`), &tok))
		assert.Equal(t, want, tok.ExpiresAt, expiresAt)
		assert.Equal(t, time.UTC, tok.ExpiresAt.Location(), expiresAt)
	}
	var tok token.Token
	require.NoError(t, json.Unmarshal([]byte(`{"participantId": "p"}`), &tok))
	assert.Equal(t, time.Time{}, tok.ExpiresAt)
}
