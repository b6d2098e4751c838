package secretsweep_test

import (
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/token"
)

// TestCheckerCatchesPlantedSecrets plants secrets in outputs, whole, cut, escaped and re-cased, and checks
// that the checker names each producer and kind, ignores clean outputs, and never shows a secret in what
// it reports: the sweep can fail.
func TestCheckerCatchesPlantedSecrets(t *testing.T) {
	key, err := token.GenerateKey()
	require.NoError(t, err)
	signer, err := token.NewSigner(key, "arn:aws:ivs:us-east-1:123456789012:public-key/AbCdEfGhIjKl")
	require.NoError(t, err)
	tok, err := signer.Mint(token.Target{
		StageARN:  "arn:aws:ivs:us-east-1:123456789012:stage/AbCdEfGhIjKl",
		EventsURL: "wss://global.events.live-video.net",
		WhipURL:   "https://global.whip.live-video.net",
	}, token.New())
	require.NoError(t, err)

	var secrets secretSet
	secrets.bearer("planted token", tok)
	_, sec1PEM := secrets.ecKey("planted key", key)
	d, err := scalarBytes(key)
	require.NoError(t, err)
	payload := strings.Split(tok.Value(), ".")[1]

	outputs := []output{
		{"clean: redacted token", fmt.Sprintf("%+v", tok)},
		{"clean: signer", fmt.Sprintf("%v %s %#v", signer.KeyID(), signer.PublicKey(), *signer.PublicKey())},
		{"bearer in an error", fmt.Errorf("boom: %s", tok.Value()).Error()},
		{"payload quoted and cut", fmt.Sprintf("value %q…", payload[3:60])},
		{"SEC1 PEM as a JSON string", fmt.Sprintf(`{"pem":%q}`, string(sec1PEM))},
		{"SEC1 PEM quoted and cut after 64 code points", fmt.Sprintf("%q…", string([]rune(string(sec1PEM))[:64]))},
		{"key.D upper-case hex", fmt.Sprintf("%X", new(big.Int).SetBytes(d))},
	}
	want := map[string]string{
		"bearer in an error":                           "planted token: bearer string",
		"payload quoted and cut":                       "planted token: bearer payload segment fragment",
		"SEC1 PEM as a JSON string":                    "planted key: SEC1 PEM text",
		"SEC1 PEM quoted and cut after 64 code points": "planted key: DER base64 fragment of key.D",
		"key.D upper-case hex":                         "planted key: key.D hex",
	}
	leaks := check(outputs, secrets.list)
	found := map[string][]string{}
	for _, l := range leaks {
		found[l.producer] = append(found[l.producer], l.kind)
		for _, s := range secrets.list {
			assert.NotContains(t, l.String(), s.value, "a leak report shows the secret")
		}
	}
	assert.NotContains(t, found, "clean: redacted token")
	assert.NotContains(t, found, "clean: signer")
	for producer, kind := range want {
		assert.Contains(t, found[producer], kind, "producer %q", producer)
	}
	assert.Len(t, found, len(want))

	// And through the sweep's own machinery: a producer outside any documented limit fails the sweep.
	s := &sweep{t: t, secrets: secrets}
	s.text("planted", "planted producer", "token="+tok.Value())
	s.limited("planted", "limited producer", "documented", "token="+tok.Value())
	res := s.run()
	require.NotEmpty(t, res.leaks)
	for _, l := range res.leaks {
		assert.Equal(t, "planted producer", l.producer)
	}
	assert.Contains(t, res.leaks, leak{producer: "planted producer", kind: "planted token: bearer string"})
	assert.True(t, res.limited["limited producer"])
}
