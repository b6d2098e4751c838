package token_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/token"
)

// secretParts are the substrings of a bearer string that must never be shown: the whole, and each of its
// dot-separated parts that is long enough to be recognised.
func secretParts(value string) []string {
	parts := []string{value}
	for part := range strings.SplitSeq(value, ".") {
		if len(part) >= 8 {
			parts = append(parts, part)
		}
	}
	return parts
}

// TestTokensFromEverySourceStayRedacted prints, logs and wraps tokens from Create, CreateMany and Mint:
// no output shows the bearer string or any part of it.
func TestTokensFromEverySourceStayRedacted(t *testing.T) {
	t.Parallel()
	sources := map[string]func(t *testing.T) token.Token{
		"Create": func(t *testing.T) token.Token {
			mock := testutil.NewMock()
			mock.Respond(opCreate, http.StatusOK, string(readTestdata(t, "create_response.json")))
			tok, err := token.NewClient(mock.Client()).Create(t.Context(), stageARN, token.New())
			require.NoError(t, err)
			return tok
		},
		"CreateMany": func(t *testing.T) token.Token {
			mock := testutil.NewMock()
			tokenService(mock, nil)
			tokens, err := token.NewClient(mock.Client()).CreateMany(t.Context(), stageARN, userConfigs(3), noLimit)
			require.NoError(t, err)
			return tokens[1]
		},
		"Mint": func(t *testing.T) token.Token {
			s, _ := newSigner(t)
			tok, err := s.Mint(target, token.New().WithUserID("alice").WithAttribute("role", "host"))
			require.NoError(t, err)
			return tok
		},
	}
	for name, source := range sources {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tok := source(t)
			require.NotEmpty(t, tok.Value())
			secrets := secretParts(tok.Value())

			var outputs []string
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T"} {
				outputs = append(outputs, fmt.Sprintf(verb, tok), fmt.Sprintf(verb, &tok), fmt.Sprintf(verb, []token.Token{tok}))
			}
			outputs = append(outputs, tok.String(), tok.GoString(), fmt.Sprint(struct{ T token.Token }{tok}))

			var logs bytes.Buffer
			slog.New(slog.NewJSONHandler(&logs, nil)).Info("issued", "token", tok, "ptr", &tok)
			slog.New(slog.NewTextHandler(&logs, nil)).Info("issued", "token", tok, "ptr", &tok)
			outputs = append(outputs, logs.String())

			wrapped := fmt.Errorf("handing out %v: %w", tok, errors.New("client gone"))
			outputs = append(outputs, wrapped.Error(), errors.Join(wrapped, fmt.Errorf("%+v", tok)).Error())

			for _, out := range outputs {
				for _, secret := range secrets {
					assert.NotContains(t, out, secret)
				}
			}
			assert.Contains(t, tok.String(), token.Redacted)
			assert.Contains(t, logs.String(), token.Redacted)
		})
	}
}

// TestErrorTextsShowNoToken collects the error texts of the token paths that see a bearer string: a
// partial CreateMany, and Verify refusing a minted token.
func TestErrorTextsShowNoToken(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	tokenService(mock, func(userID string) (int, string) {
		if userID == "user-02" {
			return 500, "InternalServerException"
		}
		return 0, ""
	})
	tokens, err := token.NewClient(mock.Client()).CreateMany(t.Context(), stageARN, userConfigs(5), noLimit)
	require.Error(t, err)
	texts := []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)}

	s, key := newSigner(t)
	s = s.WithClock(func() time.Time { return fixedClock })
	minted, err := s.Mint(target, token.New().WithDuration(time.Minute))
	require.NoError(t, err)
	_, err = token.Verify(minted.Value(), &key.PublicKey) // long expired
	require.Error(t, err)
	texts = append(texts, err.Error())
	other, _ := newSigner(t)
	_, err = token.Verify(minted.Value(), other.PublicKey())
	require.Error(t, err)
	texts = append(texts, err.Error())
	tokens = append(tokens, minted)

	for _, text := range texts {
		for _, tok := range tokens {
			if tok.Value() == "" {
				continue
			}
			for _, secret := range secretParts(tok.Value()) {
				assert.NotContains(t, text, secret)
			}
		}
	}
}
