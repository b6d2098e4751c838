package secretsweep_test

import (
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/event"
	"github.com/ivsrt/ivsrt/stage/stagetest"
)

// TestCheckerCatchesPlantedSecrets plants secrets in outputs, whole, cut, escaped and re-cased, and checks
// that the checker names each producer and kind, ignores clean outputs, and never shows a secret in what
// it reports: the sweep can fail.
func TestCheckerCatchesPlantedSecrets(t *testing.T) {
	key, signer, tok := plantable(t)

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

// TestCheckerCatchesPlantedSecretsInRecordedValues plants a bearer string or a private key in a field of
// each kind of value the recorded session's producers render (participants, sessions, replicas, events,
// metadata, storage configurations, Join's and Parse's errors) and checks that the sweep's machinery reports
// the planted producer through every renderer that writes the field as text: a producer of the recorded
// session that showed a secret would be caught.
func TestCheckerCatchesPlantedSecretsInRecordedValues(t *testing.T) {
	key, _, tok := plantable(t)
	var secrets secretSet
	secrets.bearer("planted token", tok)
	pkcs8PEM, _ := secrets.ecKey("planted key", key)
	bearer, pemText := tok.Value(), string(pkcs8PEM)
	env := event.Envelope{ID: "id", Source: event.Source, DetailType: event.TypeStageUpdate}

	// Every renderer writes a string field as text but %x, which writes its bytes in hex.
	textRenderers := []string{}
	for _, r := range renderers {
		if r.name != "fmt %x" {
			textRenderers = append(textRenderers, r.name)
		}
	}
	values := []struct {
		name string
		v    any
		kind string // the kind of secret planted
		// only, when set, are the renderers that reach the field (fmt writes a nested pointer as an address)
		only []string
	}{
		{"stage.Participant attribute", stage.Participant{ID: "p", Attributes: map[string]string{"note": bearer}}, "planted token: bearer string", nil},
		{"stage.ParticipantEvent error code", stage.ParticipantEvent{Name: stage.EventJoined, ErrorCode: bearer}, "planted token: bearer string", nil},
		{"stage.Session ID", stage.Session{ID: bearer}, "planted token: bearer string", nil},
		{"stage.Replica participant ID", stage.Replica{ParticipantID: bearer}, "planted token: bearer string", nil},
		{"event.StageUpdate user ID", event.StageUpdate{Envelope: env, Name: event.ParticipantPublished, UserID: bearer}, "planted token: bearer string", nil},
		{"event.StageUpdate new token attribute", event.StageUpdate{Envelope: env, Name: "Token Exchanged",
			NewToken: &event.TokenInfo{Attributes: map[string]string{"k": pemText}}}, "planted key: PKCS#8 PEM text",
			[]string{"json.Marshal", "slog JSON"}},
		{"event.Recording reason", event.Recording{Envelope: env, Name: event.RecordingEndFailure, Reason: pemText}, "planted key: PKCS#8 PEM text", nil},
		{"recording.Metadata status message", recording.Metadata{Status: recording.StatusEnded, StatusMessage: bearer}, "planted token: bearer string", nil},
		{"recording.StorageConfiguration tag", recording.StorageConfiguration{ARN: "a", Tags: map[string]string{"k": pemText}}, "planted key: PKCS#8 PEM text", nil},
	}
	errs := []struct {
		name string
		err  error
		kind string
	}{
		{"Join-style refusal", fmt.Errorf("%w: %w: %s", stagetest.ErrJoinRefused, stagetest.ErrWrongStage, bearer), "planted token: bearer string"},
		{"event.ParseError problem", &event.ParseError{Field: "time", Problem: pemText}, "planted key: PKCS#8 PEM text"},
		{"event.ParseError wrapping time.ParseError", &event.ParseError{Field: "time", Problem: "not shown",
			Err: &time.ParseError{Layout: time.RFC3339, Value: bearer}}, "planted token: bearer string"},
	}

	s := &sweep{t: t, secrets: secrets}
	for _, v := range values {
		s.value("planted", v.name, v.v, nil)
	}
	for _, e := range errs {
		s.err("planted", e.name, e.err)
	}
	res := s.run()
	found := map[string][]string{} // producer → kinds
	for _, l := range res.leaks {
		found[l.producer] = append(found[l.producer], l.kind)
	}
	for _, v := range values {
		rs := textRenderers
		if v.only != nil {
			rs = v.only
		}
		for _, r := range rs {
			assert.Contains(t, found[v.name+" | "+r], v.kind, "planted %s not caught through %s", v.name, r)
		}
	}
	for _, e := range errs {
		assert.Contains(t, found[e.name+" | error tree"], e.kind, "planted %s not caught in the error tree", e.name)
	}
	for _, e := range errs[:2] {
		assert.Contains(t, found[e.name+" | Error()"], e.kind, "planted %s not caught in Error()", e.name)
	}

	// An open finding's cases are set apart, and no other leak is.
	open := []finding{{name: "swapped arguments", cases: prefixAndSuffix("Join(", "as the stage ARN, arguments swapped)")}}
	unknown, known := splitKnown([]leak{
		{producer: "Join(API token as the stage ARN, arguments swapped) | Error()", kind: "k"},
		{producer: "Join(API token, wrong stage) | Error()", kind: "k"},
	}, open)
	assert.Equal(t, []leak{{producer: "Join(API token, wrong stage) | Error()", kind: "k"}}, unknown)
	assert.Len(t, known, 1)
}
