package main

import (
	"bytes"
	"flag"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"

	"github.com/ivsrt/ivsrt/stage/event"
)

var update = flag.Bool("update", false, "rewrite testdata/events.golden")

// tell runs the story and returns the world it ran in and what it printed.
func tell(t *testing.T) (*world, string) {
	t.Helper()
	var out bytes.Buffer
	wd := newWorld(&out)
	require.NoError(t, wd.run(t.Context()))
	return wd, out.String()
}

// sentEvents parses every event the fake sent, in the order sent.
func sentEvents(t *testing.T, wd *world) []event.Event {
	t.Helper()
	var evs []event.Event
	for _, raw := range wd.srv.Events() {
		ev, err := event.Parse(raw)
		require.NoError(t, err)
		evs = append(evs, ev)
	}
	return evs
}

// normalize replaces the IDs the run generated with placeholders: the stage, the session, the
// participants (by user) and the events (by the order sent).
func normalize(t *testing.T, wd *world, out string) string {
	t.Helper()
	var pairs []string
	for i, ev := range sentEvents(t, wd) {
		pairs = append(pairs, ev.Header().ID, "<event-"+strconv.Itoa(i+1)+">")
		if u, ok := ev.(event.StageUpdate); ok {
			pairs = append(pairs, u.SessionID, "<session-id>")
		}
	}
	for id, user := range wd.names {
		pairs = append(pairs, id, "<"+user+"-id>")
	}
	pairs = append(pairs, wd.stage.ID(), "<stage-id>")
	return strings.NewReplacer(pairs...).Replace(out)
}

// The story, line by line, with its generated IDs replaced: testdata/events.golden (go test -update
// rewrites it). Message IDs and the delivery order are the same on every run.
func TestGolden(t *testing.T) {
	t.Parallel()
	wd, out := tell(t)
	got := normalize(t, wd, out)
	testutil.Golden(t, filepath.Join("testdata", "events.golden"), got, *update)
}

// What the story shows holds, independently of its text: every event handled once (the failed one
// twice), the views those of the events in the order sent, and only the requests the story needs.
func TestStory(t *testing.T) {
	t.Parallel()
	wd, out := tell(t)
	evs := sentEvents(t, wd)
	require.Len(t, evs, 12)
	assert.Equal(t, len(evs)+1, strings.Count(out, "\n  run "), "each event once, the failed one again")
	assert.Equal(t, 1, strings.Count(out, "the transcoder is busy, failing"))
	assert.Equal(t, 1, strings.Count(out, "batch item failure"))
	msgs := wd.srv.SQSMessages()
	assert.Greater(t, len(msgs), len(evs), "duplicates were delivered")

	inOrder := event.NewTracker()
	for _, ev := range evs {
		inOrder.Apply(ev)
	}
	for _, v := range inOrder.Participants() {
		assert.Contains(t, out, v.UserID+strings.Repeat(" ", 5-len(v.UserID))+" published "+strconv.FormatBool(v.Published))
		assert.Contains(t, out, v.Location.URI())
		assert.Equal(t, "STOPPED", string(v.Recording))
	}

	ops := map[string]int{}
	for _, r := range wd.srv.Requests() {
		ops[r.Operation]++
	}
	assert.Equal(t, map[string]int{"CreateStage": 1, "ListParticipants": 1}, ops)
}
