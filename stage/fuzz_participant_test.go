package stage_test

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// filterWorld is a recorded stage whose session holds participants in every state a filter selects:
// connected and disconnected, published or not, recording ACTIVE, STOPPING and STOPPED, with and without a
// user ID.
type filterWorld struct {
	srv       *stagetest.Server
	client    *stage.Client
	stageARN  string
	sessionID string
	all       []stage.Participant // the session's participants, unfiltered
}

func newFilterWorld(t *testing.T) filterWorld {
	t.Helper()
	ctx := t.Context()
	clock := stagetest.NewClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	srv := stagetest.New(stagetest.WithClock(clock.Now))
	client := stage.NewClientFromConfig(srv.Config())
	const window = 30 * time.Second
	storage := srv.MustAddStorageConfiguration("fuzz-filters")
	users := []string{"stopped", "stopping", "active", "viewer", "gone", ""}
	cfgs := make([]token.Config, len(users))
	for i, u := range users {
		cfgs[i] = token.New()
		if u != "" {
			cfgs[i] = cfgs[i].WithUserID(u)
		}
	}
	st, toks, err := client.Create(ctx, stage.New().WithRecording(recording.New(storage).WithReconnectWindow(window)).WithParticipants(cfgs...))
	require.NoError(t, err)
	ids := make([]string, len(toks))
	for i, tok := range toks {
		ids[i], err = srv.Join(st.ARN, tok.Value())
		require.NoError(t, err)
	}
	require.NoError(t, srv.Publish(st.ARN, ids[0]))
	require.NoError(t, srv.Unpublish(st.ARN, ids[0]))
	clock.Advance(window + time.Second) // the first recording ends: STOPPED
	require.NoError(t, srv.Publish(st.ARN, ids[1]))
	require.NoError(t, srv.Unpublish(st.ARN, ids[1])) // within the window: STOPPING
	require.NoError(t, srv.Publish(st.ARN, ids[2]))
	clock.Advance(2 * time.Second) // ACTIVE
	require.NoError(t, srv.Leave(st.ARN, ids[4]))

	got, err := client.Get(ctx, st.ARN)
	require.NoError(t, err)
	w := filterWorld{srv: srv, client: client, stageARN: st.ARN, sessionID: got.ActiveSessionID}
	for p, err := range client.Participants(ctx, st.ARN, w.sessionID) {
		require.NoError(t, err)
		w.all = append(w.all, p)
	}
	require.Len(t, w.all, len(users))
	return w
}

// Properties of the participant filters: nothing panics; options Participants rejects (more than one
// filter, a user ID over 128 code points or not UTF-8, a state or recording state that is not a member,
// recording state DISABLED, a page size outside 1..100, a malformed session ID) yield one error with the
// library's violations and send no request, and stagetest refuses the same members sent raw, naming the
// same ones; options it accepts send requests carrying exactly that filter and page size, stagetest
// accepts them, and the participants listed are exactly those of the session that match the filter (none
// for a session the stage does not have).
func FuzzParticipantFilters(f *testing.F) {
	type seed struct {
		set                     uint8 // 1 FilterUserID, 2 FilterPublished, 4 FilterState, 8 FilterRecordingState, 16 WithPageSize, 32 session SID
		userID, state, recState string
		pageSize                int64
		sid                     string
	}
	for _, s := range []seed{
		{},
		{set: 1, userID: "active"},
		{set: 1, userID: ""},
		{set: 1, userID: "nobody"},
		{set: 1, userID: strings.Repeat("é", 128)},
		{set: 1, userID: strings.Repeat("é", 129)},
		{set: 1, userID: "\xff"},
		{set: 2},
		{set: 4, state: "CONNECTED"},
		{set: 4, state: "DISCONNECTED"},
		{set: 4, state: "connected"},
		{set: 4, state: ""},
		{set: 8, recState: "ACTIVE"},
		{set: 8, recState: "STOPPING"},
		{set: 8, recState: "STOPPED"},
		{set: 8, recState: "STARTING"},
		{set: 8, recState: "FAILED"},
		{set: 8, recState: "DISABLED"},
		{set: 8, recState: "active"},
		{set: 3, userID: "active"},
		{set: 12, state: "CONNECTED", recState: "ACTIVE"},
		{set: 15, userID: strings.Repeat("u", 129), state: "GONE", recState: "DISABLED"},
		{set: 16, pageSize: 1},
		{set: 16 | 2, pageSize: 2},
		{set: 16, pageSize: 100},
		{set: 16, pageSize: 0},
		{set: 16, pageSize: 101},
		{set: 32, sid: "st-a1b2c3d4e5f6g"},
		{set: 32, sid: "st-a1b2c3d4e5f6"},
		{set: 32 | 4, sid: "st-", state: "CONNECTED"},
	} {
		f.Add(s.set, s.userID, s.state, s.recState, s.pageSize, s.sid)
	}
	f.Fuzz(func(t *testing.T, set uint8, userID, state, recState string, pageSize int64, sid string) {
		w := newFilterWorld(t)
		if set&32 == 0 {
			sid = w.sessionID
		}
		var opts []stage.ListOption
		raw := &ivsrealtime.ListParticipantsInput{StageArn: aws.String(w.stageARN), SessionId: aws.String(sid)}
		exact := utf8.ValidString(sid) // the raw input says what the options say
		keep := func(stage.Participant) bool { return true }
		want := map[string]any{"stageArn": w.stageARN, "sessionId": sid}
		if set&1 != 0 {
			opts = append(opts, stage.FilterUserID(userID))
			raw.FilterByUserId = aws.String(userID)
			exact = exact && utf8.ValidString(userID)
			keep = func(p stage.Participant) bool { return p.UserID == userID }
			want["filterByUserId"] = userID
		}
		if set&2 != 0 {
			opts = append(opts, stage.FilterPublished())
			raw.FilterByPublished = true
			keep = func(p stage.Participant) bool { return p.Published }
			want["filterByPublished"] = true
		}
		if set&4 != 0 {
			opts = append(opts, stage.FilterState(stage.ParticipantState(state)))
			raw.FilterByState = types.ParticipantState(state)
			exact = exact && state != "" && utf8.ValidString(state) // the SDK does not send an empty enum
			keep = func(p stage.Participant) bool { return string(p.State) == state }
			want["filterByState"] = state
		}
		if set&8 != 0 {
			opts = append(opts, stage.FilterRecordingState(recording.State(recState)))
			raw.FilterByRecordingState = types.ParticipantRecordingFilterByRecordingState(recState)
			exact = exact && recState != "" && utf8.ValidString(recState)
			keep = func(p stage.Participant) bool { return string(p.Recording) == recState }
			want["filterByRecordingState"] = recState
		}
		if set&16 != 0 {
			opts = append(opts, stage.WithPageSize(int(pageSize)))
			raw.MaxResults = aws.Int32(int32(pageSize))
			exact = exact && pageSize >= math.MinInt32 && pageSize <= math.MaxInt32
			want["maxResults"] = float64(pageSize)
		}

		mark := w.srv.RequestCount()
		var got []stage.Participant
		var errs []error
		for p, err := range w.client.Participants(t.Context(), w.stageARN, sid, opts...) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			got = append(got, p)
		}
		var invalid smithy.InvalidParamsError
		if len(errs) > 0 && errors.As(errs[0], &invalid) {
			require.Len(t, errs, 1, "a rejection is yielded once")
			assert.Empty(t, got)
			fuzzRejected(t, w.srv, mark, "ListParticipants", invalid, errs[0])
			if exact {
				_, rawErr := ivsrealtime.NewFromConfig(w.srv.Config()).ListParticipants(t.Context(), raw)
				assert.Equal(t, fuzzFields(t, invalid, false), fakeFields(t, rawErr), "library: %v", invalid)
			}
			return
		}
		require.Empty(t, errs, "stagetest refuses what the library accepts")
		reqs := w.srv.Requests()[mark:]
		require.NotEmpty(t, reqs, "an accepted filter sends a request")
		for i, r := range reqs {
			body := r.JSON()
			if i > 0 {
				assert.NotEmpty(t, body["nextToken"], "request %d follows a page", i)
			}
			delete(body, "nextToken")
			assert.Equal(t, want, body, "request %d", i)
		}
		var wantIDs, gotIDs []string
		for _, p := range w.all {
			if sid == w.sessionID && keep(p) {
				wantIDs = append(wantIDs, p.ID)
			}
		}
		for _, p := range got {
			gotIDs = append(gotIDs, p.ID)
		}
		assert.Equal(t, wantIDs, gotIDs)
	})
}
