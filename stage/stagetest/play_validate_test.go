package stagetest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPlayOperationsValidation sends the boundary values of every new operation's members raw (so that
// the SDK's own checks do not stop them) and checks the status and, for a 400, the field and rule named.
func TestPlayOperationsValidation(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	arn := w.stage(nil)
	dst := w.stage(nil)
	pid := w.join(arn, "")
	sess := w.activeSession(arn)
	q := func(s string) string { return fmt.Sprintf("%q", s) }
	body := func(members ...string) string { return "{" + strings.Join(members, ", ") + "}" }
	stage := `"stageArn": ` + q(arn)
	session := `"sessionId": ` + q(sess)
	participant := func(id string) string { return `"participantId": ` + q(id) }
	repl := func(extra ...string) string {
		return body(append([]string{`"sourceStageArn": ` + q(arn), `"destinationStageArn": ` + q(dst)}, extra...)...)
	}
	bytesOf := func(n int) string { return `"attributes": {"k": ` + q(strings.Repeat("v", n-1)) + `}` }

	tests := []struct {
		name   string
		op     string
		body   string
		status int
		want   []string // fragments of the message of a 400
	}{
		{"session ID of 15", "GetStageSession", body(stage, `"sessionId": "st-abcdefghijkl"`), 400, []string{"'sessionId'", "length greater than or equal to 16"}},
		{"session ID of 17", "GetStageSession", body(stage, `"sessionId": "st-abcdefghijklmn"`), 400, []string{"'sessionId'", "length less than or equal to 16"}},
		{"session ID of 16, unknown", "GetStageSession", body(stage, `"sessionId": "st-abcdefghijklm"`), 404, nil},
		{"session ID pattern", "GetStageSession", body(stage, `"sessionId": "st_abcdefghijklm"`), 400, []string{"'sessionId'", "pattern: ^st-[a-zA-Z0-9]+$"}},
		{"session ID missing", "GetStageSession", body(stage), 400, []string{"'sessionId'", "must not be null"}},
		{"stage ARN pattern", "GetStageSession", body(`"stageArn": "arn:aws:ivs:us-east-1:123456789012:channel/x"`, session), 400, []string{"'stageArn'", "pattern"}},
		{"all violations at once", "GetParticipant", body(`"stageArn": ""`, `"sessionId": "x"`, `"participantId": "a_b"`), 400,
			[]string{"5 validation errors detected", "'stageArn'", "'sessionId'", "'participantId'"}},
		{"participant ID of 64", "GetParticipant", body(stage, session, participant(strings.Repeat("p", 64))), 404, nil},
		{"participant ID of 65", "GetParticipant", body(stage, session, participant(strings.Repeat("p", 65))), 400, []string{"'participantId'", "length less than or equal to 64"}},
		{"participant ID with _", "GetParticipant", body(stage, session, participant("a_b")), 400, []string{"'participantId'", "pattern: ^[a-zA-Z0-9-]*$"}},
		{"participant ID empty", "GetParticipant", body(stage, session, participant("")), 404, nil},
		{"participant found", "GetParticipant", body(stage, session, participant(pid)), 200, nil},
		{"disconnect ID with _", "DisconnectParticipant", body(stage, participant("a_b")), 404, nil},
		{"disconnect ID of 65", "DisconnectParticipant", body(stage, participant(strings.Repeat("p", 65))), 400, []string{"'participantId'", "64"}},
		{"disconnect ID with a dot", "DisconnectParticipant", body(stage, participant("a.b")), 400, []string{"'participantId'", "pattern: ^[a-zA-Z0-9-_]*$"}},
		{"reason of 128", "DisconnectParticipant", body(stage, participant("x"), `"reason": `+q(strings.Repeat("é", 128))), 404, nil},
		{"reason of 129", "DisconnectParticipant", body(stage, participant("x"), `"reason": `+q(strings.Repeat("é", 129))), 400, []string{"'reason'", "length less than or equal to 128"}},
		{"participants maxResults 0", "ListParticipants", body(stage, session, `"maxResults": 0`), 400, []string{"'maxResults'", "greater than or equal to 1"}},
		{"participants maxResults 1", "ListParticipants", body(stage, session, `"maxResults": 1`), 200, nil},
		{"participants maxResults 100", "ListParticipants", body(stage, session, `"maxResults": 100`), 200, nil},
		{"participants maxResults 101", "ListParticipants", body(stage, session, `"maxResults": 101`), 400, []string{"'maxResults'", "less than or equal to 100"}},
		{"user ID filter of 128", "ListParticipants", body(stage, session, `"filterByUserId": `+q(strings.Repeat("u", 128))), 200, nil},
		{"user ID filter of 129", "ListParticipants", body(stage, session, `"filterByUserId": `+q(strings.Repeat("u", 129))), 400, []string{"'filterByUserId'", "128"}},
		{"two filters", "ListParticipants", body(stage, session, `"filterByUserId": "u"`, `"filterByState": "CONNECTED"`), 400,
			[]string{"Only one of filterByUserId, filterByPublished, filterByState, or filterByRecordingState"}},
		{"four filters", "ListParticipants", body(stage, session, `"filterByUserId": "u"`, `"filterByPublished": true`, `"filterByState": "CONNECTED"`, `"filterByRecordingState": "ACTIVE"`), 400,
			[]string{"got 4"}},
		{"published false is no filter", "ListParticipants", body(stage, session, `"filterByPublished": false`, `"filterByState": "CONNECTED"`), 200, nil},
		{"recording state DISABLED", "ListParticipants", body(stage, session, `"filterByRecordingState": "DISABLED"`), 400, []string{"'filterByRecordingState'", "enum value set: [STARTING, ACTIVE, STOPPING, STOPPED, FAILED]"}},
		{"state GONE", "ListParticipants", body(stage, session, `"filterByState": "GONE"`), 400, []string{"'filterByState'", "[CONNECTED, DISCONNECTED]"}},
		{"published not a boolean", "ListParticipants", body(stage, session, `"filterByPublished": "yes"`), 400, []string{"'filterByPublished'", "boolean"}},
		{"foreign nextToken", "ListParticipants", body(stage, session, `"nextToken": "c3RhZ2VzOjE"`), 400, []string{"nextToken returned by a previous ListParticipants"}},
		{"unknown session lists nothing", "ListParticipants", body(stage, `"sessionId": "st-abcdefghijklm"`), 200, nil},
		{"events maxResults 0", "ListParticipantEvents", body(stage, session, participant(pid), `"maxResults": 0`), 400, []string{"'maxResults'"}},
		{"events maxResults 1", "ListParticipantEvents", body(stage, session, participant(pid), `"maxResults": 1`), 200, nil},
		{"events maxResults 100", "ListParticipantEvents", body(stage, session, participant(pid), `"maxResults": 100`), 200, nil},
		{"events maxResults 101", "ListParticipantEvents", body(stage, session, participant(pid), `"maxResults": 101`), 400, []string{"'maxResults'"}},
		{"events participant missing", "ListParticipantEvents", body(stage, session), 400, []string{"'participantId'", "must not be null"}},
		{"sessions maxResults 0", "ListStageSessions", body(stage, `"maxResults": 0`), 400, []string{"'maxResults'", "greater than or equal to 1"}},
		{"sessions maxResults 1", "ListStageSessions", body(stage, `"maxResults": 1`), 200, nil},
		{"sessions maxResults 100", "ListStageSessions", body(stage, `"maxResults": 100`), 200, nil},
		{"sessions maxResults 101", "ListStageSessions", body(stage, `"maxResults": 101`), 400, []string{"'maxResults'"}},
		{"sessions stage missing", "ListStageSessions", body(), 400, []string{"'stageArn'", "must not be null"}},
		{"replicas maxResults 50", "ListParticipantReplicas", body(`"sourceStageArn": `+q(arn), participant(pid), `"maxResults": 50`), 200, nil},
		{"replicas maxResults 51", "ListParticipantReplicas", body(`"sourceStageArn": `+q(arn), participant(pid), `"maxResults": 51`), 400, []string{"'maxResults'", "less than or equal to 50"}},
		{"replicas maxResults 1", "ListParticipantReplicas", body(`"sourceStageArn": `+q(arn), participant(pid), `"maxResults": 1`), 200, nil},
		{"replicas maxResults 0", "ListParticipantReplicas", body(`"sourceStageArn": `+q(arn), participant(pid), `"maxResults": 0`), 400, []string{"'maxResults'"}},
		{"window -1", "StartParticipantReplication", repl(participant("x"), `"reconnectWindowSeconds": -1`), 400, []string{"'reconnectWindowSeconds'", "greater than or equal to 0"}},
		{"window 0", "StartParticipantReplication", repl(participant("x"), `"reconnectWindowSeconds": 0`), 404, nil},
		{"window 300", "StartParticipantReplication", repl(participant("x"), `"reconnectWindowSeconds": 300`), 404, nil},
		{"window 301", "StartParticipantReplication", repl(participant("x"), `"reconnectWindowSeconds": 301`), 400, []string{"'reconnectWindowSeconds'", "less than or equal to 300"}},
		{"window 1.5", "StartParticipantReplication", repl(participant("x"), `"reconnectWindowSeconds": 1.5`), 400, []string{"'reconnectWindowSeconds'", "integer"}},
		{"attributes of 1024 bytes", "StartParticipantReplication", repl(participant("x"), bytesOf(1024)), 404, nil},
		{"attributes of 1025 bytes", "StartParticipantReplication", repl(participant("x"), bytesOf(1025)), 400, []string{"'attributes'", "1024 bytes"}},
		{"replication participant missing", "StartParticipantReplication", repl(), 400, []string{"'participantId'", "must not be null"}},
		{"stop: destination missing", "StopParticipantReplication", body(`"sourceStageArn": `+q(arn), participant(pid)), 400, []string{"'destinationStageArn'", "must not be null"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(w.srv.Events())
			r := post(t, w.srv, tt.op, tt.body)
			require.Equal(t, tt.status, r.Status, "%v", r.Body)
			if tt.status == http.StatusBadRequest {
				assert.Equal(t, "ValidationException", r.ErrorType)
				for _, frag := range tt.want {
					assert.Contains(t, r.message(), frag)
				}
			}
			assert.Len(t, w.srv.Events(), before, "a refused request changes nothing")
		})
	}
	assert.Equal(t, sess, w.activeSession(arn))
	assert.Len(t, w.participants(arn, sess, nil), 1)
}
