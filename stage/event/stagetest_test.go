package event_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/event"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// The loop closed: what stagetest emits while participants publish on a recording stage is what Parse
// reads, and the events tell each participant's recordings as the scenario plays them.

// verb is what a participant does at a step of a scenario.
type verb int

const (
	join verb = iota
	publish
	unpublish
	leave
)

// step is one participant's action at an offset from the start of the scenario.
type step struct {
	at   time.Duration
	who  string // a user ID: "host" or "guest"
	verb verb
}

// wantRecording is a recording the events must tell, times as offsets from the start.
type wantRecording struct {
	who        string
	start, end time.Duration // Recording Start and Recording End times; end is unused for a failure
	duration   time.Duration
	failure    string // the error_code of a Recording Start Failure; "" for a recording that started
}

// gotRecording is a recording as the parsed events tell it.
type gotRecording struct {
	who        string
	start, end time.Duration
	duration   time.Duration
	failure    string
}

var scenarioStart = time.Date(2026, 3, 13, 19, 44, 19, 0, time.UTC)

func TestParseStagetestEvents(t *testing.T) {
	t.Parallel()
	s := time.Second
	tests := []struct {
		name          string
		window        time.Duration
		bucketMissing bool
		steps         []step
		want          []wantRecording
	}{
		{
			name:   "window 0: each publish its own recording",
			window: 0,
			steps: []step{{0, "host", join}, {0, "host", publish}, {10 * s, "host", unpublish},
				{20 * s, "host", publish}, {35 * s, "host", leave}},
			want: []wantRecording{
				{who: "host", start: 0, end: 10 * s, duration: 10 * s},
				{who: "host", start: 20 * s, end: 35 * s, duration: 15 * s},
			},
		},
		{
			name:   "window 30s, reconnect at 29s: one merged recording",
			window: 30 * s,
			steps: []step{{0, "host", join}, {0, "host", publish}, {10 * s, "host", leave},
				{39 * s, "host", join}, {39 * s, "host", publish}, {60 * s, "host", leave}},
			want: []wantRecording{
				{who: "host", start: 0, end: 90 * s, duration: 31 * s},
			},
		},
		{
			name:   "window 30s, reconnect at 31s: two recordings",
			window: 30 * s,
			steps: []step{{0, "host", join}, {0, "host", publish}, {10 * s, "host", leave},
				{41 * s, "host", join}, {41 * s, "host", publish}, {60 * s, "host", leave}},
			want: []wantRecording{
				{who: "host", start: 0, end: 40 * s, duration: 10 * s},
				{who: "host", start: 41 * s, end: 90 * s, duration: 19 * s},
			},
		},
		{
			name:   "two publishers, window 30s",
			window: 30 * s,
			steps: []step{{0, "host", join}, {0, "host", publish}, {5 * s, "guest", join}, {6 * s, "guest", publish},
				{20 * s, "guest", unpublish}, {45 * s, "host", leave}, {50 * s, "guest", leave}},
			want: []wantRecording{
				{who: "host", start: 0, end: 75 * s, duration: 45 * s},
				{who: "guest", start: 6 * s, end: 50 * s, duration: 14 * s},
			},
		},
		{
			name:          "bucket missing: Recording Start Failure",
			window:        0,
			bucketMissing: true,
			steps:         []step{{0, "host", join}, {0, "host", publish}, {10 * s, "host", leave}},
			want:          []wantRecording{{who: "host", start: 0, failure: "ResourceNotFoundException"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := stagetest.NewClock(scenarioStart)
			srv := stagetest.New(stagetest.WithClock(clock.Now))
			const bucket = "recordings-bucket"
			storageARN := srv.MustAddStorageConfiguration(bucket)
			srv.SetBucketMissing(bucket, tt.bucketMissing)
			st, toks, err := stage.NewClientFromConfig(srv.Config()).Create(t.Context(), stage.New().
				WithRecording(recording.New(storageARN).WithReconnectWindow(tt.window)).
				WithParticipants(token.New().WithUserID("host"), token.New().WithUserID("guest")))
			require.NoError(t, err)
			require.Len(t, toks, 2)
			tokens := map[string]token.Token{"host": toks[0], "guest": toks[1]}
			who := map[string]string{toks[0].ParticipantID: "host", toks[1].ParticipantID: "guest"}

			// Play the steps; note the Stage Update events they should cause.
			type update struct {
				name event.StageUpdateName
				who  string
				at   time.Duration
			}
			var wantUpdates []update
			publishing := map[string]bool{}
			var now time.Duration
			for _, sp := range tt.steps {
				require.GreaterOrEqual(t, sp.at, now, "steps in time order")
				clock.Advance(sp.at - now)
				now = sp.at
				pid := tokens[sp.who].ParticipantID
				switch sp.verb {
				case join:
					got, err := srv.Join(st.ARN, tokens[sp.who].Value())
					require.NoError(t, err)
					require.Equal(t, pid, got)
				case publish:
					require.NoError(t, srv.Publish(st.ARN, pid))
					publishing[sp.who] = true
					wantUpdates = append(wantUpdates, update{event.ParticipantPublished, sp.who, sp.at})
				case unpublish, leave:
					if publishing[sp.who] {
						wantUpdates = append(wantUpdates, update{event.ParticipantUnpublished, sp.who, sp.at})
						publishing[sp.who] = false
					}
					if sp.verb == unpublish {
						require.NoError(t, srv.Unpublish(st.ARN, pid))
					} else {
						require.NoError(t, srv.Leave(st.ARN, pid))
					}
				}
			}
			clock.Advance(10 * time.Minute) // every reconnect window is over

			raw := srv.Events()
			require.NotEmpty(t, raw)
			ids := map[string]bool{}
			var gotUpdates []update
			var got []gotRecording
			open := map[string]int{} // prefix → index in got of a recording not yet ended
			for i, data := range raw {
				ev, err := event.Parse(data)
				require.NoError(t, err, "event %d: %s", i, data)
				h := ev.Header()
				assert.False(t, ids[h.ID], "event %d repeats the ID %s", i, h.ID)
				ids[h.ID] = true
				assert.Equal(t, event.Source, h.Source)
				assert.Equal(t, stagetest.AccountID, h.Account)
				assert.Equal(t, stagetest.Region, h.Region)
				assert.Equal(t, st.ARN, h.StageARN())
				at := h.Time.Sub(scenarioStart)

				switch e := ev.(type) {
				case event.StageUpdate:
					assert.Equal(t, e.Time, h.Time, "event_time_precise on the fake's clock, as the envelope's")
					assert.Equal(t, tokens[who[e.ParticipantID]].UserID, e.UserID)
					assert.False(t, e.Replica)
					gotUpdates = append(gotUpdates, update{e.Name, who[e.ParticipantID], at})
				case event.Recording:
					require.Contains(t, who, e.ParticipantID)
					assert.Equal(t, bucket, e.Location.Bucket)
					switch e.Name {
					case event.RecordingStart, event.RecordingStartFailure:
						assert.Equal(t, st.ID()+"/"+e.SessionID+"/"+e.ParticipantID+"/"+h.Time.Format("2006-01-02T15-04-05Z"), e.Location.Prefix,
							"a new recording's prefix: <stage_id>/<session_id>/<participant_id>/<timestamp>")
						assert.Zero(t, e.Duration)
						got = append(got, gotRecording{who: who[e.ParticipantID], start: at, failure: e.ErrorCode})
						if e.Name == event.RecordingStart {
							assert.Empty(t, e.ErrorCode)
							assert.NotContains(t, open, e.Location.Prefix, "a second Recording Start for one prefix")
							open[e.Location.Prefix] = len(got) - 1
						} else {
							assert.NotEmpty(t, e.Reason)
						}
					case event.RecordingEnd:
						k, ok := open[e.Location.Prefix]
						require.True(t, ok, "Recording End without its Start: %s", data)
						delete(open, e.Location.Prefix)
						assert.Equal(t, got[k].who, who[e.ParticipantID])
						got[k].end, got[k].duration = at, e.Duration
					default:
						t.Errorf("unexpected recording event %q", e.Name)
					}
				default:
					t.Errorf("event %d is a %T: %s", i, ev, data)
				}
			}
			assert.Empty(t, open, "recordings that never ended")

			want := make([]gotRecording, len(tt.want))
			for i, w := range tt.want {
				want[i] = gotRecording(w)
			}
			assert.Equal(t, want, got)
			assert.ElementsMatch(t, wantUpdates, gotUpdates)
		})
	}
}
