package stage_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"testing"

	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/svc"
	"github.com/ivsrt/ivsrt/internal/testutil"
)

// A ListParticipants whose nextTokens go round in a cycle (A, B, A, B …, never the token just sent) would
// page for ever within one poll: the wait sees that a token repeats one already sent in the same check and
// returns the error the iterators return, after exactly the pages of one lap. The responder cancels the
// wait after maxCyclePages requests, so a wait that does not detect the cycle fails the test instead of
// hanging it.
func TestWaitRecordingIdleTokenCycle(t *testing.T) {
	t.Parallel()
	const maxCyclePages = 50
	tests := []struct {
		name  string
		state string            // the recording state whose list cycles
		next  map[string]string // nextToken answered for each nextToken sent ("" is the first page)
		want  []string          // the state:token requests sent
		page  int               // the page whose nextToken repeats
		token string
	}{
		{"A, B, A", "STARTING", map[string]string{"": "A", "A": "B", "B": "A"},
			[]string{"STARTING:", "STARTING:A", "STARTING:B"}, 3, "A"},
		{"A, B, C, B in the second state", "ACTIVE", map[string]string{"": "A", "A": "B", "B": "C", "C": "B"},
			[]string{"STARTING:", "ACTIVE:", "ACTIVE:A", "ACTIVE:B", "ACTIVE:C"}, 4, "B"},
		{"the first page's token comes back", "STOPPING", map[string]string{"": "A", "A": "A"},
			[]string{"STARTING:", "ACTIVE:", "STOPPING:", "STOPPING:A"}, 2, "A"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			mock := testutil.NewMock()
			mock.Respond("GetStage", 200, `{"stage": {"arn": "`+stageARN+`", "activeSessionId": "`+sessionID+`"}}`)
			var mu sync.Mutex
			var sent []string
			mock.RespondFunc("ListParticipants", func(_ *http.Request, body []byte) (int, string, string) {
				var in struct{ NextToken, FilterByRecordingState string }
				if err := json.Unmarshal(body, &in); err != nil {
					return 400, `{"exceptionMessage": "bad body"}`, "ValidationException"
				}
				mu.Lock()
				defer mu.Unlock()
				sent = append(sent, in.FilterByRecordingState+":"+in.NextToken)
				if len(sent) >= maxCyclePages {
					cancel() // the bound: a wait that misses the cycle ends here
				}
				if in.FilterByRecordingState != tt.state {
					return 200, `{"participants": []}`, ""
				}
				return 200, `{"participants": [], "nextToken": "` + tt.next[in.NextToken] + `"}`, ""
			})

			err := newClient(mock).WaitRecordingIdle(ctx, stageARN, (&waitClock{t: epoch}).option())
			require.Error(t, err)
			assert.ErrorIs(t, err, svc.ErrTokenRepeated)
			assert.NotErrorIs(t, err, context.Canceled, "ended by the guard, not by the bound")
			var opErr *smithy.OperationError
			require.True(t, errors.As(err, &opErr), "%T: %v", err, err)
			assert.Equal(t, "ListParticipants", opErr.OperationName)
			assert.Contains(t, err.Error(), `nextToken "`+tt.token+`" of page `+strconv.Itoa(tt.page)+` repeats a token already sent`)
			mu.Lock()
			defer mu.Unlock()
			assert.Equal(t, tt.want, sent)
			assert.Equal(t, 1+len(tt.want), mock.Count(), "one GetStage, then the pages of one lap")
		})
	}
}
