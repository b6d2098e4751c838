package secretsweep_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/token"
)

const gCut = "cut answers (httpmock: the error chain's fields)"

// cutBodies returns a CreateParticipantToken answer holding bearer and a CreateStage answer holding both
// bearers, each cut at several points (inside a bearer, right after it, inside a later member) or whole
// with a member of the wrong type: answers the SDK fails to decode, keeping part of them in its error.
func cutBodies(bearer, other string) map[string]struct{ op, body string } {
	one := `{"participantToken":{"participantId":"AbCdEf123456","token":"` + bearer + `","userId":"bob","duration":120}}`
	at := strings.Index(one, bearer)
	both := `{"stage":{"arn":"arn:aws:ivs:us-east-1:123456789012:stage/AbCdEfGhIjKl","name":"cut"},"participantTokens":[` +
		`{"participantId":"P1","token":"` + bearer + `","userId":"bob"},{"participantId":"P2","token":"` + other + `","userId":"carol"}]}`
	second := strings.Index(both, other)
	return map[string]struct{ op, body string }{
		"token, cut inside the bearer":          {"CreateParticipantToken", one[:at+len(bearer)/2]},
		"token, cut right after the bearer":     {"CreateParticipantToken", one[:at+len(bearer)+1]},
		"token, cut inside a later member":      {"CreateParticipantToken", one[:len(one)-6]},
		"token, a later member of a wrong type": {"CreateParticipantToken", strings.Replace(one, `"duration":120`, `"duration":"120"`, 1)},
		"stage, cut inside the second bearer":   {"CreateStage", both[:second+len(other)/2]},
		"stage, cut right after the second":     {"CreateStage", both[:second+len(other)+1]},
		"stage, cut inside the last member":     {"CreateStage", both[:len(both)-6]},
	}
}

// cutAnswers adds the errors token.Client.Create and stage.Client.Create return for answers cut short
// around the fake's API token and a minted token: their fields (the snapshot of the body, the response
// the error keeps) are walked with the rest.
func (w *world) cutAnswers(t *testing.T, s *sweep) {
	for name, c := range cutBodies(w.apiToken.Value(), w.minted.Value()) {
		mock := testutil.NewMock()
		mock.Respond(c.op, http.StatusOK, c.body)
		var err error
		switch c.op {
		case "CreateParticipantToken":
			_, err = token.NewClientFromConfig(mock.Config()).Create(w.ctx, w.st.ARN, token.New().WithUserID("bob"))
		case "CreateStage":
			_, _, err = stage.NewClientFromConfig(mock.Config()).Create(w.ctx, stage.New().WithName("cut").
				WithParticipants(token.New().WithUserID("bob"), token.New().WithUserID("carol")))
		}
		require.Error(t, err, name)
		s.err(gCut, "cut answer: "+name, err)
	}
}

// fieldError keeps a text it does not print.
type fieldError struct{ note string }

func (fieldError) Error() string { return "something failed" }

// TestCheckerCatchesSecretsInErrorFields plants a bearer string in fields of errors that no method prints
// (an unexported field, a DeserializationError's Snapshot, the body the official client alone keeps for a
// cut answer) and checks that the sweep's reflection walk reports them while their texts are clean: a
// secret kept in an error's fields would be caught.
func TestCheckerCatchesSecretsInErrorFields(t *testing.T) {
	_, _, tok := plantable(t)
	var secrets secretSet
	secrets.bearer("planted token", tok)
	bearer := tok.Value()
	const kind = "planted token: bearer string"

	mock := testutil.NewMock()
	c := cutBodies(bearer, bearer)["token, cut inside a later member"]
	mock.Respond(c.op, http.StatusOK, c.body)
	_, unscrubbed := mock.Client().CreateParticipantToken(t.Context(), &ivsrealtime.CreateParticipantTokenInput{StageArn: aws.String("arn:aws:ivs:us-east-1:123456789012:stage/AbCdEfGhIjKl")})
	require.Error(t, unscrubbed)

	errs := map[string]error{
		"unexported field":            &smithy.OperationError{ServiceID: "IVS RealTime", OperationName: "X", Err: fieldError{note: "held " + bearer}},
		"deserialization snapshot":    &smithy.OperationError{ServiceID: "IVS RealTime", OperationName: "X", Err: &smithy.DeserializationError{Err: errors.New("cut"), Snapshot: []byte(bearer)}},
		"in a map in a slice":         fieldErrors{{"k": {bearer}}},
		"official client, cut answer": unscrubbed,
	}
	s := &sweep{t: t, secrets: secrets}
	for name, err := range errs {
		s.err("planted", name, err)
	}
	res := s.run()
	found := map[string][]string{}
	for _, l := range res.leaks {
		found[l.producer] = append(found[l.producer], l.kind)
	}
	for name := range errs {
		assert.Contains(t, found[name+" | reflection walk"], kind, "the walk of %s", name)
		assert.NotContains(t, found[name+" | Error()"], kind, "%s does not print it", name)
	}
}

// fieldErrors keeps texts in a map in a slice.
type fieldErrors []map[string][]string

func (fieldErrors) Error() string { return "several failed" }
