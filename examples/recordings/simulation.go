package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"

	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/event"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// simulation is the offline world: a stagetest server that plays the service, the clients (Join, Publish,
// Leave), EventBridge (Events) and S3 (Objects), all on one manual clock.
type simulation struct {
	w     io.Writer
	clock *stagetest.Clock
	srv   *stagetest.Server
}

// person is a participant of the story: the token the stage's Create issued for them.
type person struct {
	name  string
	token token.Token
}

// play runs steps 2 to 5 of the story on the stage st, whose tokens are alice's and bob's.
func (s *simulation) play(ctx context.Context, stages *stage.Client, st stage.Stage, tokens []token.Token) error {
	if len(tokens) != 2 {
		return fmt.Errorf("the stage issued %d tokens, want 2", len(tokens))
	}
	alice, bob := person{tokens[0].UserID, tokens[0]}, person{tokens[1].UserID, tokens[1]}
	names := map[string]string{alice.token.ParticipantID: alice.name, bob.token.ParticipantID: bob.name}

	section(s.w, "2. On the stage (stagetest plays the two clients)")
	drop, back := time.Minute, 80*time.Second
	timeline := []struct {
		at   time.Duration // since storyStart
		what string
		do   func() error
	}{
		{0, "alice joins and publishes", func() error { return s.joinAndPublish(st, alice) }},
		{10 * time.Second, "bob joins and publishes", func() error { return s.joinAndPublish(st, bob) }},
		{drop, "alice drops (her connection ends)", func() error { return s.srv.Leave(st.ARN, alice.token.ParticipantID) }},
		{back, fmt.Sprintf("alice is back %s later, within the %s reconnect window, and publishes again", back-drop, reconnectWindow),
			func() error { return s.joinAndPublish(st, alice) }},
		{2 * time.Minute, "bob leaves", func() error { return s.srv.Leave(st.ARN, bob.token.ParticipantID) }},
		{150 * time.Second, "alice leaves", func() error { return s.srv.Leave(st.ARN, alice.token.ParticipantID) }},
	}
	for _, step := range timeline {
		s.clock.Advance(storyStart.Add(step.at).Sub(s.clock.Now()))
		if err := step.do(); err != nil {
			return fmt.Errorf("%s: %w", step.what, err)
		}
		s.say("%s", step.what)
	}
	lastLeave := timeline[len(timeline)-1].at

	section(s.w, "3. Changing the recording settings right now")
	if err := s.updateWhileRecording(ctx, stages, st.ARN, names); err != nil {
		return err
	}
	s.clock.Advance(reconnectWindow + time.Second)
	s.say("%s after the last leave: every reconnect window has run out", s.clock.Now().Sub(storyStart.Add(lastLeave)))

	section(s.w, "4. The events (EventBridge), parsed with event.Parse")
	fmt.Fprintln(s.w, "(delivery is best effort: deduplicated by event ID, ordered by time; joins and leaves are not")
	fmt.Fprintln(s.w, "EventBridge events, ListParticipantEvents has them)")
	events, err := s.events(names)
	if err != nil {
		return err
	}

	section(s.w, "5. Where each recording is")
	fmt.Fprintln(s.w, "(from the Recording events; the files are read from the fake's bucket, as S3 GetObject would)")
	return s.locate(events, names)
}

// joinAndPublish connects p to the stage with their token and starts publishing.
func (s *simulation) joinAndPublish(st stage.Stage, p person) error {
	id, err := s.srv.Join(st.ARN, p.token.Value())
	if err != nil {
		return err
	}
	return s.srv.Publish(st.ARN, id)
}

// updateWhileRecording tries to change the reconnect window while the recordings are being finished, and
// shows the 409 the service answers and how stage.IsRecordingActiveConflict recognises it.
func (s *simulation) updateWhileRecording(ctx context.Context, stages *stage.Client, arn string, names map[string]string) error {
	st, err := stages.Get(ctx, arn)
	if err != nil {
		return fmt.Errorf("reading the stage: %w", err)
	}
	var states []string
	for p, err := range stages.Participants(ctx, arn, st.ActiveSessionID) {
		if err != nil {
			return fmt.Errorf("listing the participants: %w", err)
		}
		states = append(states, fmt.Sprintf("%s %s", names[p.ID], p.Recording))
	}
	s.say("session %s, recording states: %s", st.ActiveSessionID, strings.Join(states, ", "))

	_, err = stages.Update(ctx, arn, withReconnectWindow(st, newReconnectWindow))
	var conflict *types.ConflictException
	var resp *awshttp.ResponseError
	switch {
	case err == nil:
		return errors.New("the service accepted a recording change while recording: expected HTTP 409")
	case !stage.IsRecordingActiveConflict(err) || !errors.As(err, &conflict) || !errors.As(err, &resp):
		return fmt.Errorf("updating the reconnect window: %w", err)
	}
	s.say("UpdateStage refused: HTTP %d %s: %s", resp.HTTPStatusCode(), conflict.ErrorCode(), conflict.ErrorMessage())
	fmt.Fprintln(s.w, "          stage.IsRecordingActiveConflict(err) is true: a recording is still in progress, so wait until")
	fmt.Fprintln(s.w, "          recording is idle (stage.Client.WaitRecordingIdle) and update then (step 6)")
	return nil
}

// events parses every event the fake sent, as an EventBridge consumer would: delivery is best effort, so
// it drops duplicates (same ID) and orders by time rather than by arrival. It prints one line per event.
func (s *simulation) events(names map[string]string) ([]event.Event, error) {
	var events []event.Event
	seen := map[string]bool{}
	for _, raw := range s.srv.Events() {
		ev, err := event.Parse(raw)
		if err != nil {
			return nil, fmt.Errorf("parsing an event: %w", err)
		}
		if id := ev.Header().ID; !seen[id] {
			seen[id] = true
			events = append(events, ev)
		}
	}
	slices.SortStableFunc(events, func(a, b event.Event) int { return when(a).Compare(when(b)) })
	for _, ev := range events {
		switch e := ev.(type) {
		case event.StageUpdate:
			fmt.Fprintf(s.w, "%s  %-19s  %-23s %s\n", clock(e.Time), "IVS Stage Update", e.Name, names[e.ParticipantID])
		case event.Recording:
			line := fmt.Sprintf("%s  %-19s  %-23s %s", clock(e.Time), "IVS Recording State", e.Name, names[e.ParticipantID])
			if e.Name == event.RecordingEnd {
				line += fmt.Sprintf(", duration %s", e.Duration)
			}
			fmt.Fprintln(s.w, line)
		case event.Unknown:
			fmt.Fprintf(s.w, "%s  %s (not decoded)\n", clock(e.Time), e.DetailType)
		}
	}
	return events, nil
}

// when is the time an event happened: a Stage Update's event_time_precise, else the envelope's time.
func when(ev event.Event) time.Time {
	if u, ok := ev.(event.StageUpdate); ok && !u.Time.IsZero() {
		return u.Time
	}
	return ev.Header().Time
}

// fragment is one publish: from Participant Published to Participant Unpublished.
type fragment struct{ start, end time.Time }

// found is one recording as the Recording events describe it, keyed by its location.
type found struct {
	loc          recording.Location
	starts, ends int
	start, end   time.Time     // of the Recording Start and Recording End events
	duration     time.Duration // of the Recording End event
}

// locate groups the recording events by location, shows each participant's recordings and publishes,
// reads each recording's recording-ended.json and playlist from the bucket, and says whether a
// participant's publishes were merged into one recording.
func (s *simulation) locate(events []event.Event, names map[string]string) error {
	var order []string                   // participants, in order of their first event
	recordings := map[string][]*found{}  // participant → recordings, in order of their first event
	publishes := map[string][]fragment{} // participant → publishes
	for _, ev := range events {
		var participant string
		switch e := ev.(type) {
		case event.StageUpdate:
			participant = e.ParticipantID
			p := publishes[participant]
			switch e.Name {
			case event.ParticipantPublished:
				publishes[participant] = append(p, fragment{start: e.Time})
			case event.ParticipantUnpublished:
				if len(p) > 0 && p[len(p)-1].end.IsZero() {
					p[len(p)-1].end = e.Time
				}
			}
		case event.Recording:
			participant = e.ParticipantID
			i := slices.IndexFunc(recordings[participant], func(f *found) bool { return f.loc == e.Location })
			if i < 0 {
				recordings[participant] = append(recordings[participant], &found{loc: e.Location})
				i = len(recordings[participant]) - 1
			}
			r := recordings[participant][i]
			switch e.Name {
			case event.RecordingStart:
				r.starts++
				r.start = e.Time
			case event.RecordingEnd:
				r.ends++
				r.end, r.duration = e.Time, e.Duration
			}
		default:
			continue
		}
		if !slices.Contains(order, participant) {
			order = append(order, participant)
		}
	}

	for _, participant := range order {
		recs, pubs := recordings[participant], publishes[participant]
		fmt.Fprintf(s.w, "%s: %s, %s", names[participant], count(len(pubs), "publish", "publishes"), count(len(recs), "recording", "recordings"))
		switch {
		case len(pubs) > 1 && len(recs) == 1:
			fmt.Fprint(s.w, ": ONE merged recording, since the reconnect came within the window")
		case len(recs) > 1:
			fmt.Fprint(s.w, ": a publish that came after the reconnect window starts a new recording")
		}
		fmt.Fprintln(s.w)
		for i, r := range recs {
			if len(recs) > 1 {
				fmt.Fprintf(s.w, "  recording %d of %d\n", i+1, len(recs))
			}
			if err := s.show(r, pubs); err != nil {
				return fmt.Errorf("the recording of %s at %s: %w", names[participant], r.loc.URI(), err)
			}
		}
	}
	return nil
}

// count says "1 thing" or "n things".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// show prints one recording: where it is, its events, its metadata and its playlists. Keys under the
// recording's prefix are shown relative to it, except the playlist's.
func (s *simulation) show(r *found, pubs []fragment) error {
	var parts []string
	var total time.Duration
	for _, p := range pubs {
		if !p.start.Before(r.start) && (r.end.IsZero() || p.start.Before(r.end)) {
			parts = append(parts, p.end.Sub(p.start).String())
			total += p.end.Sub(p.start)
		}
	}
	fmt.Fprintf(s.w, "  bucket    %s\n", r.loc.Bucket)
	fmt.Fprintf(s.w, "  prefix    %s\n", r.loc.Prefix)
	fmt.Fprintf(s.w, "  events    %d Recording Start (%s), %d Recording End (%s)\n", r.starts, clock(r.start), r.ends, clock(r.end))
	covers := strings.Join(parts, " + ")
	if len(parts) > 1 {
		covers += " = " + total.String()
	}
	fmt.Fprintf(s.w, "  duration  %s (Recording End), covering %s: %s\n", r.duration, count(len(parts), "publish", "publishes"), covers)

	// The fake's bucket stands in for S3: with AWS, fetch these keys with the S3 client (GetObject).
	objects := s.srv.Objects(r.loc.Bucket)
	read := func(key string) ([]byte, error) {
		data, ok := objects[key]
		if !ok {
			return nil, fmt.Errorf("no %s in the bucket", key)
		}
		return data, nil
	}
	rel := func(key string) string { return strings.TrimPrefix(key, r.loc.Prefix+"/") }

	key := r.loc.MetadataKey(recording.StatusEnded)
	data, err := read(key)
	if err != nil {
		return err
	}
	md, err := recording.ParseMetadata(data)
	if err != nil {
		return fmt.Errorf("reading %s: %w", key, err)
	}
	fmt.Fprintf(s.w, "  metadata  %s: %s, %s to %s, duration %s\n",
		rel(key), md.Status, clock(md.StartedAt), clock(md.EndedAt), md.Duration)
	if md.Media.HLS == nil {
		fmt.Fprintln(s.w, "  playlist  none (media type NONE)")
	} else {
		playlist := md.Media.HLS.PlaylistKey(r.loc)
		if _, err := read(playlist); err != nil {
			return err
		}
		fmt.Fprintf(s.w, "  playlist  %s\n", playlist)
		for _, key := range md.Media.HLS.RenditionPlaylistKeys(r.loc) {
			data, err := read(key)
			if err != nil {
				return err
			}
			// Each stitch point of a merged recording starts with a discontinuity.
			stitches := bytes.Count(data, []byte("#EXT-X-DISCONTINUITY"))
			if stitches == 0 {
				fmt.Fprintf(s.w, "  rendition %s: one fragment, no #EXT-X-DISCONTINUITY\n", rel(key))
			} else {
				fmt.Fprintf(s.w, "  rendition %s: %d fragments stitched together (%d #EXT-X-DISCONTINUITY)\n",
					rel(key), stitches+1, stitches)
			}
		}
	}
	if md.Media.LatestThumbnail != nil {
		key := r.loc.LatestThumbnailKey()
		if _, err := read(key); err != nil {
			return err
		}
		fmt.Fprintf(s.w, "  thumbnail %s\n", rel(key))
	}
	return nil
}

// say prints a line that starts with the fake's clock.
func (s *simulation) say(format string, args ...any) {
	fmt.Fprintf(s.w, "%s  %s\n", clock(s.clock.Now()), fmt.Sprintf(format, args...))
}

// clock formats a time of the story.
func clock(t time.Time) string {
	if t.IsZero() {
		return "--:--:--"
	}
	return t.UTC().Format(time.TimeOnly)
}
