package stage_test

import (
	"strings"
	"testing"

	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/token"
)

// Every sentinel's text begins with "stage: ", and reads so after the SDK's wrapping of the operation.
func TestErrorTextsBeginWithThePackageName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		op       string
		answer   string
		call     func(c *stage.Client) error
		sentinel error
		want     string // the end of Error()
	}{
		{"GetStage", `{}`, func(c *stage.Client) error { _, err := c.Get(t.Context(), stageARN); return err },
			stage.ErrNoStage, "GetStage, stage: the response holds no stage"},
		{"GetStageSession", `{}`, func(c *stage.Client) error { _, err := c.Session(t.Context(), stageARN, sessionID); return err },
			stage.ErrNoSession, "GetStageSession, stage: the response holds no session"},
		{"GetParticipant", `{}`, func(c *stage.Client) error {
			_, err := c.Participant(t.Context(), stageARN, sessionID, participantID)
			return err
		}, stage.ErrNoParticipant, "GetParticipant, stage: the response holds no participant"},
		{"CreateStage", `{"stage": {"arn": "` + stageARN + `"}, "participantTokens": []}`, func(c *stage.Client) error {
			_, _, err := c.Create(t.Context(), stage.New().WithParticipants(token.New()))
			return err
		}, stage.ErrTokenCount, "CreateStage, stage: the response holds a different number of participant tokens than were asked for: asked for 1, got 0"},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			t.Parallel()
			assert.True(t, strings.HasPrefix(tt.sentinel.Error(), "stage: "), tt.sentinel.Error())
			mock := testutil.NewMock()
			mock.Respond(tt.op, 200, tt.answer)
			err := tt.call(newClient(mock))
			require.ErrorIs(t, err, tt.sentinel)
			var op *smithy.OperationError
			require.ErrorAs(t, err, &op)
			assert.Equal(t, tt.op, op.OperationName)
			assert.True(t, strings.HasSuffix(err.Error(), tt.want), err.Error())
			assert.Equal(t, 1, mock.Count())
		})
	}
}
