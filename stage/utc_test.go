package stage_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/token"
)

// Instants in zones other than UTC, as an API may hand them over, and the same instants in UTC: what the
// library returns.
var (
	plus2      = time.FixedZone("UTC+2", 2*3600)
	minus530   = time.FixedZone("UTC-5:30", -(5*3600 + 30*60))
	zonedStart = time.Date(2026, 3, 1, 14, 0, 0, 0, plus2)
	zonedEnd   = time.Date(2026, 3, 1, 8, 45, 30, 5e8, minus530)
	zonedJoin  = time.Date(2026, 3, 1, 14, 0, 1, 250e6, plus2)
	zonedEvent = time.Date(2026, 3, 1, 6, 30, 2, 0, minus530)
	zonedExp   = time.Date(2026, 3, 1, 18, 30, 0, 0, minus530)
	utcStart   = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	utcEnd     = time.Date(2026, 3, 1, 14, 15, 30, 5e8, time.UTC)
	utcJoin    = time.Date(2026, 3, 1, 12, 0, 1, 250e6, time.UTC)
	utcEvent   = time.Date(2026, 3, 1, 12, 0, 2, 0, time.UTC)
	utcExpires = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
)

// zonedAPI answers the reads of sessions, participants and events with times in zones other than UTC
// (and a session without an end), as a fake or a decorated client could.
type zonedAPI struct{ emptyAPI }

func (zonedAPI) GetStageSession(context.Context, *ivsrealtime.GetStageSessionInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.GetStageSessionOutput, error) {
	return &ivsrealtime.GetStageSessionOutput{StageSession: &types.StageSession{
		SessionId: aws.String(sessionID), StartTime: aws.Time(zonedStart), EndTime: aws.Time(zonedEnd)}}, nil
}

func (zonedAPI) ListStageSessions(context.Context, *ivsrealtime.ListStageSessionsInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.ListStageSessionsOutput, error) {
	return &ivsrealtime.ListStageSessionsOutput{StageSessions: []types.StageSessionSummary{
		{SessionId: aws.String(sessionID), StartTime: aws.Time(zonedStart), EndTime: aws.Time(zonedEnd)},
		{SessionId: aws.String("st-activeSession"), StartTime: aws.Time(zonedStart)},
	}}, nil
}

func (zonedAPI) GetParticipant(context.Context, *ivsrealtime.GetParticipantInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.GetParticipantOutput, error) {
	return &ivsrealtime.GetParticipantOutput{Participant: &types.Participant{
		ParticipantId: aws.String(participantID), FirstJoinTime: aws.Time(zonedJoin)}}, nil
}

func (zonedAPI) ListParticipants(context.Context, *ivsrealtime.ListParticipantsInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.ListParticipantsOutput, error) {
	return &ivsrealtime.ListParticipantsOutput{Participants: []types.ParticipantSummary{
		{ParticipantId: aws.String(participantID), FirstJoinTime: aws.Time(zonedJoin)},
	}}, nil
}

func (zonedAPI) ListParticipantEvents(context.Context, *ivsrealtime.ListParticipantEventsInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.ListParticipantEventsOutput, error) {
	return &ivsrealtime.ListParticipantEventsOutput{Events: []types.Event{
		{Name: types.EventNameJoined, ParticipantId: aws.String(participantID), EventTime: aws.Time(zonedEvent)},
	}}, nil
}

// times is every time.Time a read returned, by where it came from.
type times map[string]time.Time

// timeReads reads every time the stage client returns (sessions' start and end, participants' first join,
// events' times) through c.
func timeReads(t *testing.T, c *stage.Client) times {
	t.Helper()
	got := times{}
	s, err := c.Session(t.Context(), stageARN, sessionID)
	require.NoError(t, err)
	got["Session.Start"], got["Session.End"] = s.Start, s.End
	sessions, errs := testutil.CollectAll(c.Sessions(t.Context(), stageARN))
	require.Equal(t, []error{nil, nil}, errs)
	got["Sessions[0].Start"], got["Sessions[0].End"] = sessions[0].Start, sessions[0].End
	got["Sessions[1].Start"], got["Sessions[1].End"] = sessions[1].Start, sessions[1].End
	assert.True(t, sessions[1].Active(), "a session without an end is active")
	p, err := c.Participant(t.Context(), stageARN, sessionID, participantID)
	require.NoError(t, err)
	got["Participant.FirstJoin"] = p.FirstJoin
	ps, errs := testutil.CollectAll(c.Participants(t.Context(), stageARN, sessionID))
	require.Equal(t, []error{nil}, errs)
	got["Participants[0].FirstJoin"] = ps[0].FirstJoin
	events, errs := testutil.CollectAll(c.ParticipantEvents(t.Context(), stageARN, sessionID, participantID))
	require.Equal(t, []error{nil}, errs)
	got["ParticipantEvents[0].Time"] = events[0].Time
	return got
}

// wantTimes are the instants of zonedAPI and zonedBodies, in UTC; an absent end is the zero time.
var wantTimes = times{
	"Session.Start": utcStart, "Session.End": utcEnd,
	"Sessions[0].Start": utcStart, "Sessions[0].End": utcEnd,
	"Sessions[1].Start": utcStart, "Sessions[1].End": {},
	"Participant.FirstJoin": utcJoin, "Participants[0].FirstJoin": utcJoin,
	"ParticipantEvents[0].Time": utcEvent,
}

// assertUTC checks got against want: the same instants, each in UTC (a zero time too), so that == and
// Format agree with Equal.
func assertUTC(t *testing.T, want, got times) {
	t.Helper()
	require.Len(t, got, len(want))
	for k, w := range want {
		assert.Equal(t, w, got[k], "%s: the same instant in UTC, compared with == (location included)", k)
		assert.Same(t, time.UTC, got[k].Location(), "%s: %s", k, got[k])
	}
}

// Times an API hands over in another zone (an SDK output holding time.FixedZone values) come back in UTC.
func TestTimesAreUTCFromAnAPI(t *testing.T) {
	t.Parallel()
	assertUTC(t, wantTimes, timeReads(t, stage.NewClient(zonedAPI{newEmptyAPI()})))
}

// zonedBodies are responses whose timestamps carry zone offsets, which the SDK's date-time parser keeps as
// fixed zones.
var zonedBodies = map[string]string{
	"GetStageSession": `{"stageSession": {"sessionId": "` + sessionID + `", "startTime": "2026-03-01T14:00:00+02:00", "endTime": "2026-03-01T08:45:30.5-05:30"}}`,
	"ListStageSessions": `{"stageSessions": [
		{"sessionId": "` + sessionID + `", "startTime": "2026-03-01T14:00:00+02:00", "endTime": "2026-03-01T08:45:30.5-05:30"},
		{"sessionId": "st-activeSession", "startTime": "2026-03-01T14:00:00+02:00"}]}`,
	"GetParticipant":        `{"participant": {"participantId": "` + participantID + `", "firstJoinTime": "2026-03-01T14:00:01.25+02:00"}}`,
	"ListParticipants":      `{"participants": [{"participantId": "` + participantID + `", "firstJoinTime": "2026-03-01T14:00:01.25+02:00"}]}`,
	"ListParticipantEvents": `{"events": [{"name": "JOINED", "participantId": "` + participantID + `", "eventTime": "2026-03-01T06:30:02-05:30"}]}`,
}

// Through the real SDK client on httpmock: timestamps with zone offsets on the wire come back in UTC, as
// the same instants.
func TestTimesAreUTCOverTheWire(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	for op, body := range zonedBodies {
		mock.Respond(op, 200, body)
	}
	// The SDK itself keeps the offset: the conversion is the library's.
	out, err := mock.Client().GetStageSession(t.Context(), &ivsrealtime.GetStageSessionInput{StageArn: aws.String(stageARN), SessionId: aws.String(sessionID)})
	require.NoError(t, err)
	_, offset := out.StageSession.StartTime.Zone()
	require.Equal(t, 2*3600, offset, "the SDK's output keeps the wire's offset")

	assertUTC(t, wantTimes, timeReads(t, newClient(mock)))
	assert.Equal(t, 1+5, mock.Count(), "one request per read")
}

// The tokens Create returns expire in UTC, whatever offset the response's expirationTime has.
func TestCreateTokensExpireInUTC(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	mock.Respond("CreateStage", 200, `{"stage": {"arn": "`+stageARN+`"}, "participantTokens": [
		{"participantId": "p0", "token": "t0", "expirationTime": "2026-03-01T18:30:00-05:30"}]}`)
	_, toks, err := newClient(mock).Create(t.Context(), stage.New().WithParticipants(token.New()))
	require.NoError(t, err)
	require.Len(t, toks, 1)
	assert.Equal(t, utcExpires, toks[0].ExpiresAt)
	assert.Same(t, time.UTC, toks[0].ExpiresAt.Location())
	assert.True(t, zonedExp.Equal(toks[0].ExpiresAt))
}
