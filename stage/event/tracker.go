package event

import (
	"cmp"
	"slices"
	"sync"
	"time"

	"github.com/ivsrt/ivsrt/recording"
)

// Tracker folds events into what is known of each participant, whatever their order.
//
// Each field of a ParticipantView comes from the latest event that says something about it, by event time
// (StageUpdate.Time, else Envelope.Time; a Recording has only Envelope.Time, whole seconds), not by
// arrival. So any delivery order, duplicates included (an event applied twice changes nothing), gives the
// same views. Events of equal time are ordered by a fixed rule: the one later in a participant's lifecycle
// is the latest (Participant Published before Publish Error and Token Exchanged before Participant
// Unpublished; Replication Start before Replication End; Recording Start before Recording Start Failure
// before Recording End before Recording End Failure), and between events still tied, the greater event ID
// (byte-wise) is the latest.
//
// What events cannot tell. Joins and leaves are not EventBridge events (they are ListParticipantEvents
// entries only), so a view says nothing of whether a participant is connected, and a participant who never
// published (or exchanged a token) has no view at all. Events can be lost, so a view can be stale: a
// Published whose Unpublished never arrives reads as publishing forever. Confirm with the API before
// acting on a view: stage.Client.Participants(ctx, v.StageARN, v.SessionID) (ListParticipants of the
// session) gives each participant's state, published flag and recording state, and GetParticipant one
// participant's; stage.Client.ActiveParticipants lists the participants of the stage's active session.
//
// Only StageUpdate and Recording events with a stage ARN (Envelope.StageARN) and a participant ID are
// applied; others are ignored. A Tracker keeps one small record per participant and is safe for concurrent
// use.
type Tracker struct {
	mu    sync.Mutex
	folds map[viewKey]*fold
}

// ParticipantView is what a Tracker knows of one participant of one stage session.
type ParticipantView struct {
	// StageARN is the stage (the events' Envelope.StageARN); for a replica, the destination stage.
	StageARN string
	// SessionID is the session of the latest event that names one.
	SessionID string
	// ParticipantID is the participant's ID (unique within the session).
	ParticipantID string
	// UserID is the user ID of the latest StageUpdate ("" when the token had none, or only Recording events
	// were seen: they carry no user ID). A Token Exchanged event carries the new token's user ID.
	UserID string
	// Published is true when the latest Participant Published or Unpublished is a Published; false when it
	// is an Unpublished or neither was seen.
	Published bool
	// Recording is the state the latest recording event sets: recording.StateActive after Recording Start,
	// StateStopped after Recording End, StateFailed after Recording Start Failure or Recording End Failure;
	// "" when no recording event was seen.
	Recording recording.State
	// Location is where the latest recording event with a location says the recording is; zero when none.
	Location recording.Location
	// Updated is the event time of the latest event applied (StageUpdate.Time, else Envelope.Time).
	Updated time.Time
}

// NewTracker returns an empty Tracker. It has no limit: it keeps one small record per participant seen,
// for its life.
func NewTracker() *Tracker {
	return &Tracker{folds: map[viewKey]*fold{}}
}

type viewKey struct{ stageARN, participantID string }

// fold holds, for each field of a view, the latest event that set it (by order).
type fold struct {
	updated   time.Time
	session   latest[string]
	user      latest[string]
	published latest[bool]
	recording latest[recording.State]
	location  latest[recording.Location]
}

// order is an event's place in time: by time, then rank (its place in the lifecycle), then ID.
type order struct {
	at   time.Time
	rank int
	id   string
}

func (o order) compare(p order) int {
	if c := o.at.Compare(p.at); c != 0 {
		return c
	}
	if c := cmp.Compare(o.rank, p.rank); c != 0 {
		return c
	}
	return cmp.Compare(o.id, p.id)
}

// latest is a value and the order of the event that set it; offer keeps the latest.
type latest[T any] struct {
	set bool
	at  order
	v   T
}

func (l *latest[T]) offer(at order, v T) {
	if !l.set || at.compare(l.at) > 0 {
		*l = latest[T]{set: true, at: at, v: v}
	}
}

// Apply folds ev into the view of its participant (creating it). Applying an event again, or events in
// any order, gives the same views. Events that name no stage or no participant, and Unknown events, are
// ignored.
func (t *Tracker) Apply(ev Event) {
	var k viewKey
	var at order
	var apply func(f *fold)
	switch e := ev.(type) {
	case StageUpdate:
		k = viewKey{e.StageARN(), e.ParticipantID}
		when := e.Time
		if when.IsZero() {
			when = e.Envelope.Time
		}
		at = order{at: when, rank: stageUpdateRank(e.Name), id: e.ID}
		apply = func(f *fold) {
			f.user.offer(at, e.UserID)
			if e.SessionID != "" {
				f.session.offer(at, e.SessionID)
			}
			switch e.Name {
			case ParticipantPublished:
				f.published.offer(at, true)
			case ParticipantUnpublished:
				f.published.offer(at, false)
			}
		}
	case Recording:
		k = viewKey{e.StageARN(), e.ParticipantID}
		at = order{at: e.Envelope.Time, rank: recordingRank(e.Name), id: e.ID}
		apply = func(f *fold) {
			if e.SessionID != "" {
				f.session.offer(at, e.SessionID)
			}
			if st := recordingState(e.Name); st != "" {
				f.recording.offer(at, st)
			}
			if !e.Location.IsZero() {
				f.location.offer(at, e.Location)
			}
		}
	default:
		return
	}
	if k.stageARN == "" || k.participantID == "" {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	f := t.folds[k]
	if f == nil {
		f = &fold{}
		t.folds[k] = f
	}
	if at.at.After(f.updated) {
		f.updated = at.at
	}
	apply(f)
}

// Participant returns the view of participantID on stageARN, and whether any event about it was applied.
func (t *Tracker) Participant(stageARN, participantID string) (ParticipantView, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f, ok := t.folds[viewKey{stageARN, participantID}]
	if !ok {
		return ParticipantView{}, false
	}
	return f.view(viewKey{stageARN, participantID}), true
}

// Participants returns every view, ordered by stage ARN, then session ID, then participant ID.
func (t *Tracker) Participants() []ParticipantView {
	t.mu.Lock()
	out := make([]ParticipantView, 0, len(t.folds))
	for k, f := range t.folds {
		out = append(out, f.view(k))
	}
	t.mu.Unlock()
	slices.SortFunc(out, func(a, b ParticipantView) int {
		return cmp.Or(cmp.Compare(a.StageARN, b.StageARN), cmp.Compare(a.SessionID, b.SessionID), cmp.Compare(a.ParticipantID, b.ParticipantID))
	})
	return out
}

func (f *fold) view(k viewKey) ParticipantView {
	return ParticipantView{
		StageARN:      k.stageARN,
		SessionID:     f.session.v,
		ParticipantID: k.participantID,
		UserID:        f.user.v,
		Published:     f.published.v,
		Recording:     f.recording.v,
		Location:      f.location.v,
		Updated:       f.updated,
	}
}

// stageUpdateRank is a StageUpdate's place in a participant's lifecycle, for events of equal time.
func stageUpdateRank(n StageUpdateName) int {
	switch n {
	case ParticipantPublished, ParticipantReplicationStart:
		return 0
	case ParticipantUnpublished, ParticipantReplicationEnd:
		return 2
	}
	return 1 // Publish Error, Token Exchanged and names this package does not know
}

// recordingRank is a Recording's place in a recording's lifecycle, for events of equal time.
func recordingRank(n RecordingName) int {
	switch n {
	case RecordingStart:
		return 0
	case RecordingStartFailure:
		return 1
	case RecordingEnd:
		return 2
	case RecordingEndFailure:
		return 3
	}
	return 1
}

// recordingState is the recording state a Recording event sets; "" for a name this package does not know.
func recordingState(n RecordingName) recording.State {
	switch n {
	case RecordingStart:
		return recording.StateActive
	case RecordingEnd:
		return recording.StateStopped
	case RecordingStartFailure, RecordingEndFailure:
		return recording.StateFailed
	}
	return ""
}
