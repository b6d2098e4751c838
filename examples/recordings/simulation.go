package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/event"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// simulation is the offline world: a stagetest server that plays the service, the clients (Join, Publish,
// Leave), EventBridge (Events) and S3 (S3Config: a local S3 server over its buckets), all on one manual
// clock. Close it when done: sim.srv.Close stops the S3 listener.
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
	fmt.Fprintln(s.w, "(listed and read with recording.Files over the official S3 client, from stagetest's S3 server;")
	fmt.Fprintln(s.w, "the Recording events say where each one is too)")
	return s.locate(ctx, st, events, names)
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

// locate groups the recording events by location and lists the stage's recordings in the bucket with
// recording.Files (the S3 client on stagetest's S3 server, path style as its listener needs). For each
// participant it shows their recordings and publishes, waits until each recording is final, reads its
// metadata and playlists through S3, and says whether the publishes were merged into one recording.
func (s *simulation) locate(ctx context.Context, st stage.Stage, events []event.Event, names map[string]string) error {
	seen := map[recording.Location]*found{} // from the Recording events
	publishes := map[string][]fragment{}    // participant → publishes
	for _, ev := range events {
		switch e := ev.(type) {
		case event.StageUpdate:
			p := publishes[e.ParticipantID]
			switch e.Name {
			case event.ParticipantPublished:
				publishes[e.ParticipantID] = append(p, fragment{start: e.Time})
			case event.ParticipantUnpublished:
				if len(p) > 0 && p[len(p)-1].end.IsZero() {
					p[len(p)-1].end = e.Time
				}
			}
		case event.Recording:
			r := seen[e.Location]
			if r == nil {
				r = &found{loc: e.Location}
				seen[e.Location] = r
			}
			switch e.Name {
			case event.RecordingStart:
				r.starts++
				r.start = e.Time
			case event.RecordingEnd:
				r.ends++
				r.end, r.duration = e.Time, e.Duration
			}
		}
	}

	// The bucket is the storage configuration's: that of any recording event.
	bucket := ""
	for loc := range seen {
		bucket = loc.Bucket
	}
	if bucket == "" {
		fmt.Fprintln(s.w, "no recording events: nothing was recorded")
		return nil
	}
	client := s3.NewFromConfig(s.srv.S3Config(), func(o *s3.Options) { o.UsePathStyle = true })
	files := recording.NewFiles(client)
	var order []string                               // participants, by name (Files lists them by ID)
	recordings := map[string][]recording.Recording{} // participant → recordings, oldest first
	for rec, err := range files.Recordings(ctx, bucket, st.ID()+"/") {
		if err != nil {
			return fmt.Errorf("listing the recordings: %w", err)
		}
		if !slices.Contains(order, rec.ParticipantID) {
			order = append(order, rec.ParticipantID)
		}
		recordings[rec.ParticipantID] = append(recordings[rec.ParticipantID], rec)
	}
	slices.SortStableFunc(order, func(a, b string) int { return strings.Compare(names[a], names[b]) })
	n := 0
	for _, recs := range recordings {
		n += len(recs)
	}
	fmt.Fprintf(s.w, "Files.Recordings(%q, %q): %s\n", bucket, st.ID()+"/", count(n, "recording", "recordings"))

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
		for i, rec := range recs {
			if len(recs) > 1 {
				fmt.Fprintf(s.w, "  recording %d of %d\n", i+1, len(recs))
			}
			r := seen[rec.Location]
			if r == nil {
				return fmt.Errorf("the recording at %s has no Recording events", rec.Location.URI())
			}
			if err := s.show(ctx, files, client, rec, r, pubs); err != nil {
				return fmt.Errorf("the recording of %s at %s: %w", names[participant], rec.Location.URI(), err)
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

// show prints one recording: where it is, its events, and what S3 holds: its newest metadata file (as
// Files.Recordings read it, then WaitFinal: already final, one poll), its multivariant playlist fetched
// with a plain HTTP GET of the presigned URL, its media playlists read with GetObject, and its thumbnail.
// Keys under the recording's prefix are shown relative to it, except the playlist's.
func (s *simulation) show(ctx context.Context, files *recording.Files, client *s3.Client, rec recording.Recording, r *found, pubs []fragment) error {
	var parts []string
	var total time.Duration
	for _, p := range pubs {
		if !p.start.Before(r.start) && (r.end.IsZero() || p.start.Before(r.end)) {
			parts = append(parts, p.end.Sub(p.start).String())
			total += p.end.Sub(p.start)
		}
	}
	loc := rec.Location
	fmt.Fprintf(s.w, "  bucket    %s\n", loc.Bucket)
	fmt.Fprintf(s.w, "  prefix    %s\n", loc.Prefix)
	fmt.Fprintf(s.w, "  events    %d Recording Start (%s), %d Recording End (%s)\n", r.starts, clock(r.start), r.ends, clock(r.end))
	covers := strings.Join(parts, " + ")
	if len(parts) > 1 {
		covers += " = " + total.String()
	}
	fmt.Fprintf(s.w, "  duration  %s (Recording End), covering %s: %s\n", r.duration, count(len(parts), "publish", "publishes"), covers)

	rel := func(key string) string { return strings.TrimPrefix(key, loc.Prefix+"/") }
	md := rec.Metadata
	fmt.Fprintf(s.w, "  metadata  %s: %s, %s to %s, duration %s\n",
		rel(loc.MetadataKey(rec.Status)), md.Status, clock(md.StartedAt), clock(md.EndedAt), md.Duration)
	final, err := files.WaitFinal(ctx, loc, recording.MinWaitFinalPoll)
	if err != nil {
		return fmt.Errorf("waiting for the end: %w", err)
	}
	fmt.Fprintf(s.w, "  WaitFinal %s (the reconnect window has run out: final at the first poll)\n", final.Status)

	if md.Media.HLS == nil {
		fmt.Fprintln(s.w, "  playlist  none (media type NONE)")
	} else {
		if err := s.fetchPlaylist(ctx, files, loc); err != nil {
			return err
		}
		for _, key := range md.Media.HLS.RenditionPlaylistKeys(loc) {
			data, err := getObject(ctx, client, loc.Bucket, key)
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
		key := loc.LatestThumbnailKey()
		head, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(loc.Bucket), Key: aws.String(key)})
		if err != nil {
			return fmt.Errorf("HeadObject %s: %w", key, err)
		}
		fmt.Fprintf(s.w, "  thumbnail %s (%s)\n", rel(key), aws.ToString(head.ContentType))
	}
	return nil
}

// playlistURLExpiry is how long the presigned playlist URL is valid.
const playlistURLExpiry = 5 * time.Minute

// fetchPlaylist presigns the multivariant playlist and fetches it with a plain HTTP GET, as a player would.
func (s *simulation) fetchPlaylist(ctx context.Context, files *recording.Files, loc recording.Location) error {
	url, err := files.PlaylistURL(ctx, loc, playlistURLExpiry)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("GET of the presigned playlist URL: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("reading the playlist: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET of the presigned playlist URL: HTTP %d", resp.StatusCode)
	}
	fmt.Fprintf(s.w, "  playlist  %s\n", loc.PlaylistKey())
	fmt.Fprintf(s.w, "            presigned for %s, plain HTTP GET: %d %s, %d bytes, first line %q\n",
		playlistURLExpiry, resp.StatusCode, resp.Header.Get("Content-Type"), len(body), firstLine(body))
	return nil
}

// getObject reads one object with the S3 client.
func getObject(ctx context.Context, client *s3.Client, bucket, key string) ([]byte, error) {
	out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return nil, fmt.Errorf("GetObject %s: %w", key, err)
	}
	defer out.Body.Close()
	data, err := io.ReadAll(out.Body)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", key, err)
	}
	return data, nil
}

// firstLine is data up to its first newline.
func firstLine(data []byte) string {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	return string(line)
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
