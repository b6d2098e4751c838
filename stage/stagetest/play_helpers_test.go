package stagetest_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/stagetest"
)

// t0 is where every play test's clock starts.
var t0 = time.Date(2026, 3, 13, 19, 44, 19, 0, time.UTC)

// world is a server on a manual clock and an SDK client wired to it.
type world struct {
	t      testing.TB
	srv    *stagetest.Server
	client *ivsrealtime.Client
	clock  *stagetest.Clock
}

func newWorld(t testing.TB, opts ...stagetest.Option) *world {
	t.Helper()
	clock := stagetest.NewClock(t0)
	srv := stagetest.New(append([]stagetest.Option{stagetest.WithClock(clock.Now)}, opts...)...)
	return &world{t: t, srv: srv, client: ivsrealtime.NewFromConfig(srv.Config()), clock: clock}
}

// stage creates a stage, recording with rec when it is not nil.
func (w *world) stage(rec *types.AutoParticipantRecordingConfiguration) string {
	w.t.Helper()
	out, err := w.client.CreateStage(w.t.Context(), &ivsrealtime.CreateStageInput{AutoParticipantRecordingConfiguration: rec})
	require.NoError(w.t, err)
	return aws.ToString(out.Stage.Arn)
}

// recordingStage creates a storage configuration on bucket and a stage recording into it; window is
// recordingReconnectWindowSeconds.
func (w *world) recordingStage(bucket string, window int32, edit ...func(*types.AutoParticipantRecordingConfiguration)) string {
	w.t.Helper()
	rec := &types.AutoParticipantRecordingConfiguration{
		StorageConfigurationArn:         aws.String(w.srv.MustAddStorageConfiguration(bucket)),
		RecordingReconnectWindowSeconds: window,
	}
	for _, e := range edit {
		e(rec)
	}
	return w.stage(rec)
}

// token creates an API token for the stage and returns it with its participant ID.
func (w *world) token(stageARN, userID string, caps ...types.ParticipantTokenCapability) (string, string) {
	w.t.Helper()
	in := &ivsrealtime.CreateParticipantTokenInput{StageArn: aws.String(stageARN), Capabilities: caps}
	if userID != "" {
		in.UserId = aws.String(userID)
	}
	out, err := w.client.CreateParticipantToken(w.t.Context(), in)
	require.NoError(w.t, err)
	return aws.ToString(out.ParticipantToken.Token), aws.ToString(out.ParticipantToken.ParticipantId)
}

// join creates a token and joins with it.
func (w *world) join(stageARN, userID string, caps ...types.ParticipantTokenCapability) string {
	w.t.Helper()
	tok, pid := w.token(stageARN, userID, caps...)
	got, err := w.srv.Join(stageARN, tok)
	require.NoError(w.t, err)
	require.Equal(w.t, pid, got)
	return pid
}

// activeSession returns GetStage's activeSessionId.
func (w *world) activeSession(stageARN string) string {
	w.t.Helper()
	out, err := w.client.GetStage(w.t.Context(), &ivsrealtime.GetStageInput{Arn: aws.String(stageARN)})
	require.NoError(w.t, err)
	return aws.ToString(out.Stage.ActiveSessionId)
}

// participant returns GetParticipant's participant.
func (w *world) participant(stageARN, sessionID, pid string) types.Participant {
	w.t.Helper()
	out, err := w.client.GetParticipant(w.t.Context(), &ivsrealtime.GetParticipantInput{
		StageArn: aws.String(stageARN), SessionId: aws.String(sessionID), ParticipantId: aws.String(pid),
	})
	require.NoError(w.t, err)
	return *out.Participant
}

// participants lists every participant of a session (all pages) with the given filter applied to the input.
func (w *world) participants(stageARN, sessionID string, filter func(*ivsrealtime.ListParticipantsInput)) []types.ParticipantSummary {
	w.t.Helper()
	in := &ivsrealtime.ListParticipantsInput{StageArn: aws.String(stageARN), SessionId: aws.String(sessionID), MaxResults: aws.Int32(2)}
	if filter != nil {
		filter(in)
	}
	var out []types.ParticipantSummary
	p := ivsrealtime.NewListParticipantsPaginator(w.client, in)
	for p.HasMorePages() {
		page, err := p.NextPage(w.t.Context())
		require.NoError(w.t, err)
		out = append(out, page.Participants...)
	}
	return out
}

// ids returns the participant IDs of summaries, sorted.
func ids(ps []types.ParticipantSummary) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, aws.ToString(p.ParticipantId))
	}
	slices.Sort(out)
	return out
}

// sorted returns a sorted copy.
func sorted(s ...string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

// eventNames lists the participant's event names in order (all pages).
func (w *world) eventNames(stageARN, sessionID, pid string) []string {
	w.t.Helper()
	var names []string
	for _, e := range w.events(stageARN, sessionID, pid) {
		name := string(e.Name)
		if e.ErrorCode != "" {
			name += ":" + string(e.ErrorCode)
		}
		names = append(names, name)
	}
	return names
}

func (w *world) events(stageARN, sessionID, pid string) []types.Event {
	w.t.Helper()
	p := ivsrealtime.NewListParticipantEventsPaginator(w.client, &ivsrealtime.ListParticipantEventsInput{
		StageArn: aws.String(stageARN), SessionId: aws.String(sessionID), ParticipantId: aws.String(pid), MaxResults: aws.Int32(3),
	})
	var out []types.Event
	for p.HasMorePages() {
		page, err := p.NextPage(w.t.Context())
		require.NoError(w.t, err)
		out = append(out, page.Events...)
	}
	return out
}

// ebEvent is a decoded EventBridge event.
type ebEvent struct {
	Version    string         `json:"version"`
	ID         string         `json:"id"`
	DetailType string         `json:"detail-type"`
	Source     string         `json:"source"`
	Account    string         `json:"account"`
	Time       string         `json:"time"`
	Region     string         `json:"region"`
	Resources  []string       `json:"resources"`
	Detail     map[string]any `json:"detail"`
}

// bus decodes every EventBridge event sent so far.
func (w *world) bus() []ebEvent {
	w.t.Helper()
	var out []ebEvent
	for _, raw := range w.srv.Events() {
		var e ebEvent
		require.NoError(w.t, json.Unmarshal(raw, &e), "%s", raw)
		out = append(out, e)
	}
	return out
}

// busNames lists "<event_name> <participant_id>" of the events sent so far, in order.
func (w *world) busNames() []string {
	w.t.Helper()
	var out []string
	for _, e := range w.bus() {
		out = append(out, e.Detail["event_name"].(string)+" "+e.Detail["participant_id"].(string))
	}
	return out
}
