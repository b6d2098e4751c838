package stage_test

import (
	"strings"
	"testing"

	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/stage"
)

// Every required string argument of the stage client (stage ARNs, session IDs, resource ARNs) given as ""
// says "is empty" under its full path, and nothing is sent; participant IDs and reasons may be "" (the
// model's min 0), so they are not among them.
func TestEmptyRequiredArguments(t *testing.T) {
	t.Parallel()
	const (
		arn     = "value is empty; the field is required (1..128 code points), "
		session = "value is empty; the field is required (exactly 16 code points), "
	)
	tests := []struct {
		name string
		call func(t *testing.T, c *stage.Client) error
		want []string // every message, in order
	}{
		{"Get", func(t *testing.T, c *stage.Client) error { _, err := c.Get(t.Context(), ""); return err },
			[]string{arn + "GetStageInput.Arn."}},
		{"Delete", func(t *testing.T, c *stage.Client) error { return c.Delete(t.Context(), "") },
			[]string{arn + "DeleteStageInput.Arn."}},
		{"Sessions", func(t *testing.T, c *stage.Client) error { return firstErr(c.Sessions(t.Context(), "")) },
			[]string{arn + "ListStageSessionsInput.StageArn."}},
		{"Session", func(t *testing.T, c *stage.Client) error { _, err := c.Session(t.Context(), "", ""); return err },
			[]string{arn + "GetStageSessionInput.StageArn.", session + "GetStageSessionInput.SessionId."}},
		{"Participants", func(t *testing.T, c *stage.Client) error { return firstErr(c.Participants(t.Context(), "", "")) },
			[]string{arn + "ListParticipantsInput.StageArn.", session + "ListParticipantsInput.SessionId."}},
		{"Participant", func(t *testing.T, c *stage.Client) error {
			_, err := c.Participant(t.Context(), "", "", "")
			return err
		}, []string{arn + "GetParticipantInput.StageArn.", session + "GetParticipantInput.SessionId."}},
		{"Disconnect", func(t *testing.T, c *stage.Client) error { return c.Disconnect(t.Context(), "", "", "") },
			[]string{arn + "DisconnectParticipantInput.StageArn."}},
		{"ParticipantEvents", func(t *testing.T, c *stage.Client) error {
			return firstErr(c.ParticipantEvents(t.Context(), "", "", ""))
		}, []string{arn + "ListParticipantEventsInput.StageArn.", session + "ListParticipantEventsInput.SessionId."}},
		{"StartReplication", func(t *testing.T, c *stage.Client) error {
			return c.StartReplication(t.Context(), stage.NewReplication("", "", ""))
		}, []string{arn + "StartParticipantReplicationInput.SourceStageArn.", arn + "StartParticipantReplicationInput.DestinationStageArn."}},
		{"StopReplication", func(t *testing.T, c *stage.Client) error { return c.StopReplication(t.Context(), "", "", "") },
			[]string{arn + "StopParticipantReplicationInput.SourceStageArn.", arn + "StopParticipantReplicationInput.DestinationStageArn."}},
		{"Replicas", func(t *testing.T, c *stage.Client) error { return firstErr(c.Replicas(t.Context(), "", "")) },
			[]string{arn + "ListParticipantReplicasInput.SourceStageArn."}},
		{"Tag", func(t *testing.T, c *stage.Client) error { return c.Tag(t.Context(), "", map[string]string{"k": "v"}) },
			[]string{arn + "TagResourceInput.ResourceArn."}},
		{"Untag", func(t *testing.T, c *stage.Client) error { return c.Untag(t.Context(), "", "k") },
			[]string{arn + "UntagResourceInput.ResourceArn."}},
		{"WaitRecordingIdle", func(t *testing.T, c *stage.Client) error { return c.WaitRecordingIdle(t.Context(), "") },
			[]string{arn + "WaitRecordingIdle.StageArn."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			respondAll(t, mock)
			err := tt.call(t, newClient(mock))
			var opErr *smithy.OperationError
			require.ErrorAs(t, err, &opErr)
			msgs := testutil.Messages(t, err)
			assert.Equal(t, strings.Join(tt.want, "\n"), msgs)
			assert.NotContains(t, msgs, "bytes")
			assert.NotContains(t, msgs, "not shown")
			assert.Zero(t, mock.Count(), "nothing sent")
		})
	}
}
