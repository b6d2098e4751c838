package event_test

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage/event"
)

var trackStart = time.Date(2026, 3, 13, 19, 44, 19, 0, time.UTC)

// env is the envelope of an event about testStageARN, emitted at offset at.
func env(id string, at time.Duration) event.Envelope {
	return event.Envelope{ID: id, DetailType: event.TypeStageUpdate, Source: event.Source, Account: "123456789012",
		Region: "us-east-1", Time: trackStart.Add(at).Truncate(time.Second), Resources: []string{testStageARN}}
}

func update(id string, name event.StageUpdateName, participant, user string, at time.Duration) event.StageUpdate {
	return event.StageUpdate{Envelope: env(id, at), Name: name, SessionID: "st-1", ParticipantID: participant, UserID: user,
		Time: trackStart.Add(at)}
}

func rec(id string, name event.RecordingName, participant string, at time.Duration, prefix string) event.Recording {
	e := env(id, at)
	e.DetailType = event.TypeRecordingChange
	r := event.Recording{Envelope: e, Name: name, SessionID: "st-1", ParticipantID: participant}
	if prefix != "" {
		r.Location = recording.Location{Bucket: "my-recordings", Prefix: prefix}
	}
	return r
}

// track applies evs in order to a new Tracker.
func track(evs ...event.Event) *event.Tracker {
	tr := event.NewTracker()
	for _, ev := range evs {
		tr.Apply(ev)
	}
	return tr
}

// A host's story: publish, record, drop, publish again, exchange the token, the recording ends; and a guest.
var story = []event.Event{
	update("e1", event.ParticipantPublished, "p1", "host", 0),
	rec("e2", event.RecordingStart, "p1", time.Second, "AbCdef1G2hij/st-1/p1/2026-03-13T19-44-20Z"),
	update("e3", event.ParticipantUnpublished, "p1", "host", 10*time.Second),
	update("e4", event.ParticipantPublished, "p1", "host", 20*time.Second+500*time.Millisecond),
	update("e5", event.TokenExchanged, "p1", "host-2", 25*time.Second),
	rec("e6", event.RecordingEnd, "p1", 40*time.Second, "AbCdef1G2hij/st-1/p1/2026-03-13T19-44-20Z"),
	update("e7", event.ParticipantPublished, "p2", "guest", 5*time.Second),
}

var storyViews = map[string]event.ParticipantView{
	"p1": {StageARN: testStageARN, SessionID: "st-1", ParticipantID: "p1", UserID: "host-2", Published: true,
		Recording: recording.StateStopped, Location: recording.Location{Bucket: "my-recordings", Prefix: "AbCdef1G2hij/st-1/p1/2026-03-13T19-44-20Z"},
		Updated: trackStart.Add(40 * time.Second)},
	"p2": {StageARN: testStageARN, SessionID: "st-1", ParticipantID: "p2", UserID: "guest", Published: true,
		Updated: trackStart.Add(5 * time.Second)},
}

// permutations calls f with every order of evs (Heap's algorithm).
func permutations(evs []event.Event, f func([]event.Event)) {
	a := slices.Clone(evs)
	c := make([]int, len(a))
	f(a)
	for i := 0; i < len(a); {
		if c[i] < i {
			if i%2 == 0 {
				a[0], a[i] = a[i], a[0]
			} else {
				a[c[i]], a[i] = a[i], a[c[i]]
			}
			f(a)
			c[i]++
			i = 0
		} else {
			c[i] = 0
			i++
		}
	}
}

// Every delivery order of the story gives the same views, and so does every order followed by the whole
// story again newest first (each event delivered twice).
func TestTrackerEveryOrder(t *testing.T) {
	t.Parallel()
	orders := 0
	permutations(story, func(evs []event.Event) {
		orders++
		once := track(evs...)
		twice := track(append(slices.Clone(evs), reversed(evs)...)...)
		for pid, want := range storyViews {
			for name, tr := range map[string]*event.Tracker{"once": once, "twice": twice} {
				got, ok := tr.Participant(testStageARN, pid)
				if !assert.True(t, ok, "%s %s", name, pid) || !assert.Equal(t, want, got, "%s, order %v", name, ids(evs)) {
					t.FailNow()
				}
			}
		}
	})
	assert.Equal(t, 5040, orders, "7! orders")
}

func reversed(evs []event.Event) []event.Event {
	out := slices.Clone(evs)
	slices.Reverse(out)
	return out
}

func ids(evs []event.Event) []string {
	out := make([]string, len(evs))
	for i, ev := range evs {
		out[i] = ev.Header().ID
	}
	return out
}

// oracle computes a participant's view as the Tracker's doc defines it, independently: sort the events by
// time, lifecycle rank and ID, and let each later event overwrite what it says.
func oracle(evs []event.Event, stageARN, pid string) (event.ParticipantView, bool) {
	type placed struct {
		ev   event.Event
		at   time.Time
		rank int
	}
	var mine []placed
	for _, ev := range evs {
		switch e := ev.(type) {
		case event.StageUpdate:
			if e.StageARN() == stageARN && e.ParticipantID == pid {
				at := e.Time
				if at.IsZero() {
					at = e.Envelope.Time
				}
				rank := map[event.StageUpdateName]int{event.ParticipantPublished: 0, event.ParticipantReplicationStart: 0,
					event.ParticipantUnpublished: 2, event.ParticipantReplicationEnd: 2}
				r, ok := rank[e.Name]
				if !ok {
					r = 1
				}
				mine = append(mine, placed{e, at, r})
			}
		case event.Recording:
			if e.StageARN() == stageARN && e.ParticipantID == pid {
				rank := map[event.RecordingName]int{event.RecordingStart: 0, event.RecordingStartFailure: 1,
					event.RecordingEnd: 2, event.RecordingEndFailure: 3}
				r, ok := rank[e.Name]
				if !ok {
					r = 1
				}
				mine = append(mine, placed{e, e.Envelope.Time, r})
			}
		}
	}
	if len(mine) == 0 {
		return event.ParticipantView{}, false
	}
	slices.SortFunc(mine, func(a, b placed) int {
		return cmp.Or(a.at.Compare(b.at), cmp.Compare(a.rank, b.rank), cmp.Compare(a.ev.Header().ID, b.ev.Header().ID))
	})
	v := event.ParticipantView{StageARN: stageARN, ParticipantID: pid}
	for _, p := range mine {
		v.Updated = p.at
		switch e := p.ev.(type) {
		case event.StageUpdate:
			v.UserID = e.UserID
			if e.SessionID != "" {
				v.SessionID = e.SessionID
			}
			switch e.Name {
			case event.ParticipantPublished:
				v.Published = true
			case event.ParticipantUnpublished:
				v.Published = false
			}
		case event.Recording:
			if e.SessionID != "" {
				v.SessionID = e.SessionID
			}
			switch e.Name {
			case event.RecordingStart:
				v.Recording = recording.StateActive
			case event.RecordingEnd:
				v.Recording = recording.StateStopped
			case event.RecordingStartFailure, event.RecordingEndFailure:
				v.Recording = recording.StateFailed
			}
			if !e.Location.IsZero() {
				v.Location = e.Location
			}
		}
	}
	return v, true
}

// Random sets of events, with many ties (times on a coarse grid, names drawn from every kind, unknown
// ones included), delivered in random orders with random duplicates: the view is the oracle's.
func TestTrackerRandomDeliveries(t *testing.T) {
	t.Parallel()
	updates := append(event.StageUpdateName("").Values(), "Participant Something New")
	recordings := append(event.RecordingName("").Values(), "Recording Paused")
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 7))
		var evs []event.Event
		for i := range 2 + rng.IntN(10) {
			id := fmt.Sprintf("%c%d", 'a'+rng.IntN(3), i) // IDs whose order is not the creation order
			pid := []string{"p1", "p2"}[rng.IntN(2)]
			at := time.Duration(rng.IntN(4)) * 500 * time.Millisecond
			if rng.IntN(2) == 0 {
				u := update(id, updates[rng.IntN(len(updates))], pid, fmt.Sprint("user-", rng.IntN(3)), at)
				if rng.IntN(4) == 0 {
					u.Time = time.Time{} // no event_time: the envelope's
				}
				if rng.IntN(5) == 0 {
					u.SessionID = ""
				}
				evs = append(evs, u)
			} else {
				prefix := ""
				if rng.IntN(3) > 0 {
					prefix = fmt.Sprint("s/st-1/", pid, "/", rng.IntN(2))
				}
				evs = append(evs, rec(id, recordings[rng.IntN(len(recordings))], pid, at, prefix))
			}
		}
		for range 20 {
			delivery := slices.Clone(evs)
			for range rng.IntN(len(evs) + 1) {
				delivery = append(delivery, evs[rng.IntN(len(evs))])
			}
			rng.Shuffle(len(delivery), func(i, j int) { delivery[i], delivery[j] = delivery[j], delivery[i] })
			tr := track(delivery...)
			for _, pid := range []string{"p1", "p2", "p3"} {
				want, wantOK := oracle(evs, testStageARN, pid)
				got, ok := tr.Participant(testStageARN, pid)
				if !assert.Equal(t, wantOK, ok, "seed %d %s", seed, pid) || !assert.Equal(t, want, got, "seed %d %s, delivery %v", seed, pid, ids(delivery)) {
					t.FailNow()
				}
			}
		}
	}
}

// Events of equal time: the later one in the lifecycle wins, then the greater event ID.
func TestTrackerTies(t *testing.T) {
	t.Parallel()
	const prefix = "s/st-1/p1/x"
	tests := []struct {
		name string
		evs  []event.Event
		want func(v *event.ParticipantView)
	}{
		{name: "Unpublished after Published", evs: []event.Event{
			update("z", event.ParticipantPublished, "p1", "u", 0), update("a", event.ParticipantUnpublished, "p1", "u", 0)},
			want: func(v *event.ParticipantView) { v.Published = false }},
		{name: "one nanosecond later, Published wins", evs: []event.Event{
			update("z", event.ParticipantPublished, "p1", "u", time.Nanosecond), update("a", event.ParticipantUnpublished, "p1", "u", 0)},
			want: func(v *event.ParticipantView) { v.Published = true; v.Updated = trackStart.Add(time.Nanosecond) }},
		{name: "Recording End after Start", evs: []event.Event{
			rec("z", event.RecordingStart, "p1", 0, prefix), rec("a", event.RecordingEnd, "p1", 0, prefix)},
			want: func(v *event.ParticipantView) { v.UserID = ""; v.Recording = recording.StateStopped }},
		{name: "Start Failure after Start", evs: []event.Event{
			rec("z", event.RecordingStart, "p1", 0, prefix), rec("a", event.RecordingStartFailure, "p1", 0, prefix)},
			want: func(v *event.ParticipantView) { v.UserID = ""; v.Recording = recording.StateFailed }},
		{name: "End Failure after End", evs: []event.Event{
			rec("a", event.RecordingEndFailure, "p1", 0, prefix), rec("z", event.RecordingEnd, "p1", 0, prefix)},
			want: func(v *event.ParticipantView) { v.UserID = ""; v.Recording = recording.StateFailed }},
		{name: "same name and time: the greater ID", evs: []event.Event{
			update("b", event.ParticipantPublished, "p1", "from-b", 0), update("a", event.ParticipantPublished, "p1", "from-a", 0)},
			want: func(v *event.ParticipantView) { v.UserID = "from-b"; v.Published = true }},
		{name: "Token Exchanged between Published and Unpublished", evs: []event.Event{
			update("a", event.ParticipantUnpublished, "p1", "old", 0), update("z", event.TokenExchanged, "p1", "new", 0),
			update("y", event.ParticipantPublished, "p1", "older", 0)},
			want: func(v *event.ParticipantView) { v.UserID = "old"; v.Published = false }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			want := event.ParticipantView{StageARN: testStageARN, SessionID: "st-1", ParticipantID: "p1", UserID: "u", Updated: trackStart}
			if _, ok := tt.evs[0].(event.Recording); ok {
				want.Location = recording.Location{Bucket: "my-recordings", Prefix: prefix}
			}
			tt.want(&want)
			permutations(tt.evs, func(evs []event.Event) {
				got, ok := track(evs...).Participant(testStageARN, "p1")
				require.True(t, ok)
				assert.Equal(t, want, got, "order %v", ids(evs))
			})
		})
	}
}

// What is not applied: events without a stage or a participant, and Unknown events. A participant no
// event named has no view.
func TestTrackerIgnores(t *testing.T) {
	t.Parallel()
	noStage := update("a", event.ParticipantPublished, "p1", "u", 0)
	noStage.Resources = nil
	notAStage := update("b", event.ParticipantPublished, "p1", "u", 0)
	notAStage.Resources = []string{"arn:aws:ivs:us-east-1:123456789012:channel/abc"}
	noParticipant := rec("c", event.RecordingStart, "", 0, "x")
	unknown := event.Unknown{Envelope: env("d", 0)}
	unknown.DetailType = "IVS Composition State Change"

	tr := track(noStage, notAStage, noParticipant, unknown)
	assert.Empty(t, tr.Participants())
	_, ok := tr.Participant(testStageARN, "p1")
	assert.False(t, ok)
	_, ok = tr.Participant("", "p1")
	assert.False(t, ok)
	_, ok = tr.Participant(testStageARN, "")
	assert.False(t, ok)
}

// Unknown event names create a view and move Updated, but set nothing they do not define.
func TestTrackerUnknownNames(t *testing.T) {
	t.Parallel()
	tr := track(
		update("a", "Participant Muted", "p1", "u", time.Second),
		rec("b", "Recording Paused", "p1", 2*time.Second, ""),
	)
	got, ok := tr.Participant(testStageARN, "p1")
	require.True(t, ok)
	assert.Equal(t, event.ParticipantView{StageARN: testStageARN, SessionID: "st-1", ParticipantID: "p1", UserID: "u",
		Updated: trackStart.Add(2 * time.Second)}, got)
}

// Participants lists every view in a fixed order; each view is a copy.
func TestTrackerParticipants(t *testing.T) {
	t.Parallel()
	other := "arn:aws:ivs:us-east-1:123456789012:stage/AAAAAAAAAAAA"
	e := update("x", event.ParticipantPublished, "p0", "u", 0)
	e.Resources = []string{other}
	tr := track(append(slices.Clone(story), e)...)
	got := tr.Participants()
	require.Len(t, got, 3)
	assert.Equal(t, []string{other, testStageARN, testStageARN}, []string{got[0].StageARN, got[1].StageARN, got[2].StageARN})
	assert.Equal(t, []string{"p0", "p1", "p2"}, []string{got[0].ParticipantID, got[1].ParticipantID, got[2].ParticipantID})
	assert.Equal(t, storyViews["p1"], got[1])
	got[1].UserID = "changed"
	again, _ := tr.Participant(testStageARN, "p1")
	assert.Equal(t, "host-2", again.UserID)
}

// Goroutines applying the story in different orders at once, while others read, end on the story's views.
func TestTrackerConcurrentUse(t *testing.T) {
	t.Parallel()
	tr := event.NewTracker()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			evs := slices.Clone(story)
			rand.New(rand.NewPCG(uint64(g), 1)).Shuffle(len(evs), func(i, j int) { evs[i], evs[j] = evs[j], evs[i] })
			for _, ev := range evs {
				tr.Apply(ev)
				_, _ = tr.Participant(testStageARN, "p1")
				_ = tr.Participants()
			}
		}()
	}
	wg.Wait()
	for pid, want := range storyViews {
		got, ok := tr.Participant(testStageARN, pid)
		require.True(t, ok)
		assert.Equal(t, want, got)
	}
}
