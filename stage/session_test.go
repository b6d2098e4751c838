package stage_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/stage"
)

func TestSessions(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	pages(t, mock, "ListStageSessions",
		`{"stageSessions": [{"sessionId": "st-a1b2c3d4e5f6g", "startTime": "2026-04-26T20:30:29.602Z"}]%s}`,
		`{"stageSessions": [{"sessionId": "st-000000000000A", "startTime": "2026-04-26T19:00:00Z", "endTime": "2026-04-26T20:00:00Z"}, {}]%s}`)
	items, errs := testutil.CollectAll(newClient(mock).Sessions(t.Context(), stageARN, stage.WithPageSize(2)))
	assert.Equal(t, []error{nil, nil, nil}, errs)
	assert.Equal(t, []stage.Session{
		{ID: "st-a1b2c3d4e5f6g", Start: date("2026-04-26T20:30:29.602Z")},
		{ID: "st-000000000000A", Start: date("2026-04-26T19:00:00Z"), End: date("2026-04-26T20:00:00Z")},
		{},
	}, items)
	assert.True(t, items[0].Active())
	assert.False(t, items[1].Active(), "an ended session")
	assert.False(t, items[2].Active(), "the zero session")
	assertBodies(t, mock,
		`{"stageArn": "`+stageARN+`", "maxResults": 2}`,
		`{"stageArn": "`+stageARN+`", "maxResults": 2, "nextToken": "t1"}`)
}

func TestSession(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want stage.Session
	}{
		{"active", `{"stageSession": {"sessionId": "st-a1b2c3d4e5f6g", "startTime": "2026-04-26T20:30:29.602Z"}}`,
			stage.Session{ID: sessionID, Start: date("2026-04-26T20:30:29.602Z")}},
		{"ended", `{"stageSession": {"sessionId": "st-a1b2c3d4e5f6g", "startTime": "2026-04-26T20:30:29Z", "endTime": "2026-04-26T20:36:29+00:00"}}`,
			stage.Session{ID: sessionID, Start: date("2026-04-26T20:30:29Z"), End: date("2026-04-26T20:36:29Z")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			mock.Respond("GetStageSession", 200, tt.body)
			got, err := newClient(mock).Session(t.Context(), stageARN, sessionID)
			require.NoError(t, err)
			assert.True(t, tt.want.Start.Equal(got.Start) && tt.want.End.Equal(got.End), "%v", got)
			assert.Equal(t, tt.want.ID, got.ID)
			assert.Equal(t, tt.want.End.IsZero(), got.Active())
			assertBodies(t, mock, `{"stageArn": "`+stageARN+`", "sessionId": "`+sessionID+`"}`)
		})
	}
}
