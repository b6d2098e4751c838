package stage_test

import (
	"errors"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// The fuzz targets of part two's request builders. Each input goes through the library (Validate, then the
// client against stagetest, whose validation is written independently from the model) and, when the
// library rejects it and the input can be written on the wire as it is, as the same raw SDK input straight
// to stagetest: accepted by the library ⇔ accepted by stagetest, a rejection names the same members on
// both sides and sends no request, and an accepted request carries what was asked.

// fuzzFields returns the wire names of the members a library validation error names
// ("StartParticipantReplicationInput.Attributes[\"k\"].Key" → "attributes"), sorted, each once. With
// conflictsLast, a cross-field violation (rules.RuleConflict) counts only when no member is invalid on its
// own: the service, like stagetest, checks how members relate only once each is valid.
func fuzzFields(t *testing.T, err error, conflictsLast bool) []string {
	t.Helper()
	var invalid smithy.InvalidParamsError
	require.ErrorAs(t, err, &invalid)
	type ruled interface{ Rule() string }
	own := false
	for _, e := range invalid.Errs() {
		if r, ok := e.(ruled); !ok || r.Rule() != rules.RuleConflict {
			own = true
		}
	}
	var out []string
	for _, e := range invalid.Errs() {
		if r, ok := e.(ruled); ok && r.Rule() == rules.RuleConflict && conflictsLast && own {
			continue
		}
		var p smithy.InvalidParamError
		require.ErrorAs(t, e, &p)
		_, f, _ := strings.Cut(p.Field(), ".")
		if i := strings.IndexAny(f, ".["); i >= 0 {
			f = f[:i]
		}
		out = append(out, lowerFirst(f))
		// More than one participant filter is one violation that names every filter given.
		if m := libFilters.FindStringSubmatch(e.Error()); m != nil {
			for f := range strings.SplitSeq(m[1], ", ") {
				out = append(out, lowerFirst(f))
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// lowerFirst turns a Go field name into its wire name: "FilterByState" → "filterByState".
func lowerFirst(f string) string {
	r, n := utf8.DecodeRuneInString(f)
	return string(unicode.ToLower(r)) + f[n:]
}

var (
	fakeMember  = regexp.MustCompile(`at '([A-Za-z]+)`)
	fakeFilters = regexp.MustCompile(`can be provided per request \(got \d+: \[([A-Za-z ]+)\]\)`)
	libFilters  = regexp.MustCompile(`one filter per request, given \d+: ([A-Za-z, ]+);`)
)

// fakeFields returns the members a ValidationException of stagetest names: each "at '<member>'" of its
// message, and the filters it lists when more than one was given; sorted, each once.
func fakeFields(t *testing.T, err error) []string {
	t.Helper()
	var invalid *types.ValidationException
	require.ErrorAs(t, err, &invalid, "stagetest answers no ValidationException")
	msg := aws.ToString(invalid.ExceptionMessage) // the service's text; the SDK leaves Message empty
	var out []string
	for _, m := range fakeMember.FindAllStringSubmatch(msg, -1) {
		out = append(out, m[1])
	}
	if m := fakeFilters.FindStringSubmatch(msg); m != nil {
		out = append(out, strings.Fields(m[1])...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// fuzzRejected checks a rejection by the library: Validate's violations, wrapped as the SDK wraps its
// own, and no request sent since mark.
func fuzzRejected(t *testing.T, srv *stagetest.Server, mark int, op string, verr, err error) {
	t.Helper()
	var opErr *smithy.OperationError
	require.ErrorAs(t, err, &opErr)
	assert.Equal(t, "IVS RealTime", opErr.ServiceID)
	assert.Equal(t, op, opErr.OperationName)
	var invalid smithy.InvalidParamsError
	require.ErrorAs(t, err, &invalid)
	assert.Equal(t, verr.Error(), invalid.Error(), "the client reports what Validate reports")
	assert.Equal(t, mark, srv.RequestCount(), "a rejected input sends nothing")
}

// lastBody returns the JSON body of the last request stagetest received, which must be op's.
func lastBody(t *testing.T, srv *stagetest.Server, op string) map[string]any {
	t.Helper()
	reqs := srv.Requests()
	require.NotEmpty(t, reqs)
	last := reqs[len(reqs)-1]
	require.Equal(t, op, last.Operation)
	return last.JSON()
}

// replicationWorld is a fake with two stages and a participant of the source, connected with a token
// carrying attributes.
type replicationWorld struct {
	srv      *stagetest.Server
	client   *stage.Client
	src, dst stage.Stage
	pid      string
	attrs    map[string]string // the participant's token attributes
}

func newReplicationWorld(t *testing.T) replicationWorld {
	t.Helper()
	w := replicationWorld{srv: stagetest.New(), attrs: map[string]string{"role": "host", "seat": "A1"}}
	w.client = stage.NewClientFromConfig(w.srv.Config())
	var toks []token.Token
	var err error
	w.src, toks, err = w.client.Create(t.Context(), stage.New().WithName("source").
		WithParticipants(token.New().WithUserID("host").WithAttributes(w.attrs)))
	require.NoError(t, err)
	w.dst, _, err = w.client.Create(t.Context(), stage.New().WithName("destination"))
	require.NoError(t, err)
	w.pid, err = w.srv.Join(w.src.ARN, toks[0].Value())
	require.NoError(t, err)
	return w
}

// replicationInput are the fuzzed fields of a Replication. Set is a bit mask: 1 the source is Src (else the
// world's source stage), 2 the destination is Dst (else the world's destination), 4 the participant is
// PID (else the connected participant), 8 WithReconnectWindow(Window), 16 WithAttributes({K1: V1, K2:
// Pad 'v's}), 32 the destination is the source stage.
type replicationInput struct {
	Set           uint8
	Src, Dst, PID string
	Window        int64
	K1, V1, K2    string
	Pad           uint16
}

// build returns the Replication f describes in w, the raw input that writes the same on the wire, and
// whether the raw input says exactly what the Replication says (no invalid UTF-8, which the SDK would
// write as U+FFFD, and a window of whole seconds in int32).
func (f replicationInput) build(w replicationWorld) (stage.Replication, *ivsrealtime.StartParticipantReplicationInput, bool) {
	src, dst, pid := w.src.ARN, w.dst.ARN, w.pid
	if f.Set&1 != 0 {
		src = f.Src
	}
	if f.Set&2 != 0 {
		dst = f.Dst
	}
	if f.Set&32 != 0 {
		dst = src
	}
	if f.Set&4 != 0 {
		pid = f.PID
	}
	r := stage.NewReplication(src, dst, pid)
	raw := &ivsrealtime.StartParticipantReplicationInput{SourceStageArn: aws.String(src), DestinationStageArn: aws.String(dst),
		ParticipantId: aws.String(pid)}
	exact := allUTF8(src, dst, pid)
	if f.Set&8 != 0 {
		d := time.Duration(f.Window)
		r = r.WithReconnectWindow(d)
		secs := d / time.Second
		exact = exact && d%time.Second == 0 && secs >= -1<<31 && secs < 1<<31
		raw.ReconnectWindowSeconds = aws.Int32(int32(secs))
	}
	if f.Set&16 != 0 {
		attrs := map[string]string{f.K1: f.V1, f.K2: strings.Repeat("v", int(f.Pad%1100))}
		r = r.WithAttributes(attrs)
		raw.Attributes = attrs
		exact = exact && allUTF8(f.K1, f.V1, f.K2)
	}
	return r, raw, exact
}

// allUTF8 reports whether every s is valid UTF-8: only then can the wire carry the strings as they are
// (the SDK would send U+FFFD in place of invalid bytes, which the library refuses instead).
func allUTF8(ss ...string) bool {
	for _, s := range ss {
		if !utf8.ValidString(s) {
			return false
		}
	}
	return true
}

// Properties of the Replication builder and StartReplication: nothing panics; a Replication Validate
// rejects fails with the same violations and sends no request, and stagetest refuses the same input sent
// raw, naming the same members; one Validate accepts is sent once, carrying the stages, participant, window
// and attributes asked for, and stagetest does not refuse it as invalid: on the real stages with the
// connected participant it starts the replication (the replica's attributes are the token's with the
// replication's merged over them); elsewhere it answers ResourceNotFoundException.
//
// A cross-field violation (the destination is the source stage) is compared only when every member is
// valid on its own, as stagetest checks it only then.
func FuzzReplication(f *testing.F) {
	const stageARN = "arn:aws:ivs:us-east-1:123456789012:stage/AbCdEfGhIjKl"
	for _, s := range []replicationInput{
		{},
		{Set: 8, Window: int64(30 * time.Second)},
		{Set: 8, Window: 0},
		{Set: 8, Window: int64(300 * time.Second)},
		{Set: 8, Window: int64(301 * time.Second)},
		{Set: 8, Window: int64(-time.Second)},
		{Set: 8, Window: int64(1500 * time.Millisecond)},
		{Set: 16, K1: "replica", V1: "yes", K2: "role", Pad: 4},
		{Set: 16, K1: "k", V1: "", K2: "p", Pad: 1024 - 2 - 1},
		{Set: 16, K1: "k", V1: "", K2: "p", Pad: 1024 - 2},
		{Set: 16, K1: "k\xff", V1: "v", K2: "p"},
		{Set: 24, Window: int64(time.Minute), K1: "", V1: "", K2: "seat", Pad: 2},
		{Set: 1, Src: stageARN},
		{Set: 2, Dst: stageARN},
		{Set: 3, Src: "arn:aws:ivs:us-east-1:123456789012:stage/", Dst: "not an arn"},
		{Set: 4, PID: "AbCdEfGhIjKl"},
		{Set: 4, PID: ""},
		{Set: 4, PID: "under_score"},
		{Set: 4, PID: strings.Repeat("p", 64)},
		{Set: 4, PID: strings.Repeat("p", 65)},
		{Set: 32},
		{Set: 1 | 2 | 4 | 8 | 16, Src: "x", Dst: "y", PID: "a b", Window: -1, K1: "k", K2: "p", Pad: 1100},
		{Set: 1, Src: "arn:aws:ivs:us-east-1:123456789012:stage/" + strings.Repeat("a", 128-42)},
		{Set: 1, Src: "arn:aws:ivs:us-east-1:123456789012:stage/" + strings.Repeat("a", 129-42)},
	} {
		f.Add(s.Set, s.Src, s.Dst, s.PID, s.Window, s.K1, s.V1, s.K2, s.Pad)
	}
	f.Fuzz(func(t *testing.T, set uint8, src, dst, pid string, window int64, k1, v1, k2 string, pad uint16) {
		fr := replicationInput{Set: set, Src: src, Dst: dst, PID: pid, Window: window, K1: k1, V1: v1, K2: k2, Pad: pad}
		w := newReplicationWorld(t)
		r, raw, exact := fr.build(w)
		_ = r.String()
		verr := r.Validate()
		mark := w.srv.RequestCount()
		err := w.client.StartReplication(t.Context(), r)
		if verr != nil {
			fuzzRejected(t, w.srv, mark, "StartParticipantReplication", verr, err)
			if exact {
				_, rawErr := ivsrealtime.NewFromConfig(w.srv.Config()).StartParticipantReplication(t.Context(), raw)
				assert.Equal(t, fuzzFields(t, verr, true), fakeFields(t, rawErr), "library: %v", verr)
			}
			return
		}
		require.Equal(t, mark+1, w.srv.RequestCount(), "an accepted Replication is sent once")
		body := lastBody(t, w.srv, "StartParticipantReplication")
		want := map[string]any{"sourceStageArn": r.SourceStageARN(), "destinationStageArn": r.DestinationStageARN(),
			"participantId": r.ParticipantID()}
		if d, ok := r.ReconnectWindow(); ok {
			want["reconnectWindowSeconds"] = float64(d / time.Second)
		}
		if attrs := r.Attributes(); len(attrs) > 0 {
			sent := map[string]any{}
			for k, v := range attrs {
				sent[k] = v
			}
			want["attributes"] = sent
		}
		assert.Equal(t, want, body)

		switch {
		case r.SourceStageARN() == w.src.ARN && r.DestinationStageARN() == w.dst.ARN && r.ParticipantID() == w.pid:
			require.NoError(t, err, "stagetest refuses what the library accepts: %s", r)
			replica := fuzzReplica(t, w)
			wantAttrs := map[string]string{}
			for k, v := range w.attrs {
				wantAttrs[k] = v
			}
			for k, v := range r.Attributes() {
				wantAttrs[k] = v
			}
			assert.Equal(t, wantAttrs, replica.Attributes)
			assert.Equal(t, stage.ReplicationReplica, replica.Replication.Type)
		default:
			var notFound *types.ResourceNotFoundException
			assert.ErrorAs(t, err, &notFound, "stagetest refuses what the library accepts as other than missing: %s", r)
		}
	})
}

// fuzzReplica returns the replica of w's participant in the destination stage.
func fuzzReplica(t *testing.T, w replicationWorld) stage.Participant {
	t.Helper()
	dst, err := w.client.Get(t.Context(), w.dst.ARN)
	require.NoError(t, err)
	require.NotEmpty(t, dst.ActiveSessionID, "the replication started no session in the destination")
	p, err := w.client.Participant(t.Context(), w.dst.ARN, dst.ActiveSessionID, w.pid)
	require.NoError(t, err)
	return p
}

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
