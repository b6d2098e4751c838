package stage_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

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
