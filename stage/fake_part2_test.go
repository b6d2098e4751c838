package stage_test

import (
	"context"
	"strings"
	"testing"
	"time"

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

// world is a stagetest server on a manual clock with a client on it.
type world struct {
	srv    *stagetest.Server
	clock  *stagetest.Clock
	stages *stage.Client
}

func newWorld(t *testing.T) *world {
	t.Helper()
	return newWorldAt(t, epoch)
}

// newWorldAt is newWorld with the clock at start.
func newWorldAt(t *testing.T, start time.Time) *world {
	t.Helper()
	clock := stagetest.NewClock(start)
	srv := stagetest.New(stagetest.WithClock(clock.Now))
	return &world{srv: srv, clock: clock, stages: stage.NewClientFromConfig(srv.Config())}
}

// createStage creates a stage recording into a new storage configuration (bucket "recordings-<name>")
// with the given reconnect window (recording off when window < 0) and tokens for users, in order.
func (w *world) createStage(t *testing.T, name string, window time.Duration, users ...token.Config) (stage.Stage, []token.Token) {
	t.Helper()
	cfg := stage.New().WithName(name).WithParticipants(users...)
	if window >= 0 {
		cfg = cfg.WithRecording(recording.New(w.srv.MustAddStorageConfiguration("recordings-" + strings.ToLower(name))).WithReconnectWindow(window))
	}
	st, tokens, err := w.stages.Create(t.Context(), cfg)
	require.NoError(t, err)
	return st, tokens
}

// join joins every token to st and returns the participant IDs.
func (w *world) join(t *testing.T, st stage.Stage, tokens ...token.Token) []string {
	t.Helper()
	ids := make([]string, len(tokens))
	for i, tok := range tokens {
		id, err := w.srv.Join(st.ARN, tok.Value())
		require.NoError(t, err)
		require.Equal(t, tok.ParticipantID, id)
		ids[i] = id
	}
	return ids
}

func (w *world) activeSession(t *testing.T, arn string) string {
	t.Helper()
	st, err := w.stages.Get(t.Context(), arn)
	require.NoError(t, err)
	return st.ActiveSessionID
}

// ids lists the IDs of ps, in order.
func ids(ps []stage.Participant) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

func names(es []stage.ParticipantEvent) []stage.EventName {
	out := make([]stage.EventName, len(es))
	for i, e := range es {
		out[i] = e.Name
	}
	return out
}

func mustCollect[T any](t *testing.T, seq func(yield func(T, error) bool)) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		require.NoError(t, err)
		out = append(out, v)
	}
	return out
}

// Two publishers and a viewer join a recording stage: the session, each participant filter, the
// participants' details and events, a disconnect whose token cannot join again, and a second session once
// the first has ended, all read through the client.
func TestParticipantsAgainstFake(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := t.Context()
	st, tokens := w.createStage(t, "TownHall", 0,
		token.New().WithUserID("host").WithAttribute("role", "host"),
		token.New().WithUserID("guest"),
		token.New().WithUserID("viewer").WithCapabilities(token.Subscribe))
	host, guest, viewer := tokens[0].ParticipantID, tokens[1].ParticipantID, tokens[2].ParticipantID

	assert.Empty(t, mustCollect(t, w.stages.Sessions(ctx, st.ARN)), "no session before anyone joins")
	w.join(t, st, tokens...)
	require.NoError(t, w.srv.Publish(st.ARN, host))
	require.NoError(t, w.srv.Publish(st.ARN, guest))
	w.clock.Advance(time.Second) // recordings leave STARTING

	sid := w.activeSession(t, st.ARN)
	require.NotEmpty(t, sid)
	sessions := mustCollect(t, w.stages.Sessions(ctx, st.ARN))
	require.Len(t, sessions, 1)
	assert.Equal(t, sid, sessions[0].ID)
	assert.True(t, sessions[0].Active())
	assert.True(t, epoch.Equal(sessions[0].Start), "%v", sessions[0].Start)
	got, err := w.stages.Session(ctx, st.ARN, sid)
	require.NoError(t, err)
	assert.Equal(t, sessions[0], got)

	all := mustCollect(t, w.stages.Participants(ctx, st.ARN, sid, stage.WithPageSize(1)))
	assert.Equal(t, []string{host, guest, viewer}, ids(all))
	for _, p := range all {
		assert.Equal(t, stage.ParticipantConnected, p.State)
		assert.True(t, epoch.Equal(p.FirstJoin))
		assert.Nil(t, p.Attributes, "Participants carries no attributes")
		assert.True(t, p.RecordingLocation.IsZero(), "Participants carries no location")
	}

	filters := []struct {
		name string
		opt  stage.ListOption
		want []string
	}{
		{"user ID", stage.FilterUserID("guest"), []string{guest}},
		{"unknown user ID", stage.FilterUserID("nobody"), nil},
		{"published", stage.FilterPublished(), []string{host, guest}},
		{"connected", stage.FilterState(stage.ParticipantConnected), []string{host, guest, viewer}},
		{"disconnected", stage.FilterState(stage.ParticipantDisconnected), nil},
		{"recording ACTIVE", stage.FilterRecordingState(recording.StateActive), []string{host, guest}},
		{"recording STOPPED", stage.FilterRecordingState(recording.StateStopped), nil},
	}
	for _, f := range filters {
		assert.Equal(t, f.want, ids(mustCollect(t, w.stages.Participants(ctx, st.ARN, sid, f.opt))), f.name)
	}

	p, err := w.stages.Participant(ctx, st.ARN, sid, host)
	require.NoError(t, err)
	assert.Equal(t, "host", p.UserID)
	assert.Equal(t, map[string]string{"role": "host"}, p.Attributes)
	assert.True(t, p.Published)
	assert.Equal(t, recording.StateActive, p.Recording)
	assert.Equal(t, "recordings-townhall", p.RecordingLocation.Bucket)
	assert.True(t, strings.HasPrefix(p.RecordingLocation.Prefix, st.ID()+"/"+sid+"/"+host+"/"), p.RecordingLocation.Prefix)
	assert.Equal(t, stagetest.ParticipantProtocol, p.Protocol)
	assert.Equal(t, stage.ReplicationNone, p.Replication.Type)
	v, err := w.stages.Participant(ctx, st.ARN, sid, viewer)
	require.NoError(t, err)
	assert.Equal(t, recording.StateDisabled, v.Recording, "a viewer is not recorded")
	assert.True(t, v.RecordingLocation.IsZero())

	// The guest leaves: its recording stops (window 0), it is DISCONNECTED.
	require.NoError(t, w.srv.Leave(st.ARN, guest))
	w.clock.Advance(time.Second)
	assert.Equal(t, []string{guest}, ids(mustCollect(t, w.stages.Participants(ctx, st.ARN, sid, stage.FilterState(stage.ParticipantDisconnected)))))
	assert.Equal(t, []string{guest}, ids(mustCollect(t, w.stages.Participants(ctx, st.ARN, sid, stage.FilterRecordingState(recording.StateStopped)))))

	// The viewer is disconnected and cannot come back with its token.
	require.NoError(t, w.stages.Disconnect(ctx, st.ARN, viewer, "spam"))
	_, err = w.srv.Join(st.ARN, tokens[2].Value())
	assert.ErrorIs(t, err, stagetest.ErrParticipantDisconnected)
	v, err = w.stages.Participant(ctx, st.ARN, sid, viewer)
	require.NoError(t, err)
	assert.Equal(t, stage.ParticipantDisconnected, v.State)
	events := mustCollect(t, w.stages.ParticipantEvents(ctx, st.ARN, sid, viewer, stage.WithPageSize(1)))
	assert.Equal(t, []stage.EventName{stage.EventJoined, stage.EventLeft, stage.EventJoinError}, names(events))
	assert.Equal(t, "INSUFFICIENT_CAPABILITIES", events[2].ErrorCode)
	hostEvents := mustCollect(t, w.stages.ParticipantEvents(ctx, st.ARN, sid, host))
	assert.Equal(t, []stage.EventName{stage.EventJoined, stage.EventPublishStarted}, names(hostEvents))
	assert.True(t, epoch.Equal(hostEvents[0].Time))
	assert.Equal(t, host, hostEvents[0].ParticipantID)

	// What went over the wire: one filter per ListParticipants request, the reason on DisconnectParticipant.
	var filtersSent, disconnects int
	for _, r := range w.srv.Requests() {
		body := r.JSON()
		switch r.Operation {
		case "ListParticipants":
			n := 0
			for _, k := range []string{"filterByUserId", "filterByPublished", "filterByState", "filterByRecordingState"} {
				if _, ok := body[k]; ok {
					n++
				}
			}
			assert.LessOrEqual(t, n, 1, "%v", body)
			filtersSent += n
		case "DisconnectParticipant":
			disconnects++
			assert.Equal(t, map[string]any{"stageArn": st.ARN, "participantId": viewer, "reason": "spam"}, body)
		}
	}
	assert.Equal(t, len(filters)+2, filtersSent)
	assert.Equal(t, 1, disconnects)

	// The host leaves too: the session ends; a new join starts a second one.
	require.NoError(t, w.srv.Leave(st.ARN, host))
	w.clock.Advance(time.Second)
	assert.Empty(t, w.activeSession(t, st.ARN))
	ended, err := w.stages.Session(ctx, st.ARN, sid)
	require.NoError(t, err)
	assert.False(t, ended.Active())
	assert.False(t, ended.End.IsZero())
	w.clock.Advance(time.Minute)
	w.join(t, st, tokens[0])
	sid2 := w.activeSession(t, st.ARN)
	require.NotEmpty(t, sid2)
	assert.NotEqual(t, sid, sid2)
	sessions = mustCollect(t, w.stages.Sessions(ctx, st.ARN, stage.WithPageSize(1)))
	require.Len(t, sessions, 2)
	var active []string
	for _, s := range sessions {
		if s.Active() {
			active = append(active, s.ID)
		}
	}
	assert.Equal(t, []string{sid2}, active)
	assert.ElementsMatch(t, []string{sid, sid2}, []string{sessions[0].ID, sessions[1].ID})
}

// A self-signed token minted with token.Signer for Stage.TokenTarget joins, and shows in Participants with
// its user ID; its jti may hold '_', which Disconnect accepts.
func TestSelfSignedParticipantAgainstFake(t *testing.T) {
	t.Parallel()
	w := newWorldAt(t, time.Now()) // the signer stamps iat with the wall clock
	ctx := t.Context()
	st, _ := w.createStage(t, "SelfSigned", -1)
	key, err := token.GenerateKey()
	require.NoError(t, err)
	keyARN, err := token.NewClientFromConfig(w.srv.Config()).ImportPublicKey(ctx, "k", &key.PublicKey)
	require.NoError(t, err)
	signer, err := token.NewSigner(key, keyARN)
	require.NoError(t, err)
	tok, err := signer.Mint(st.TokenTarget(), token.New().WithUserID("self"))
	require.NoError(t, err)
	// iat is the wall clock at Mint, which may be past the fake's clock on a slow machine: catch up to it.
	claims, err := token.Verify(tok.Value(), &key.PublicKey)
	require.NoError(t, err)
	if ahead := claims.IssuedAt.Sub(w.clock.Now()); ahead > 0 {
		w.clock.Advance(ahead)
	}
	id, err := w.srv.Join(st.ARN, tok.Value())
	require.NoError(t, err)
	sid := w.activeSession(t, st.ARN)
	assert.Equal(t, []string{id}, ids(mustCollect(t, w.stages.Participants(ctx, st.ARN, sid, stage.FilterUserID("self")))))
	require.NoError(t, w.stages.Disconnect(ctx, st.ARN, id, ""))
	_, err = w.srv.Join(st.ARN, tok.Value())
	assert.ErrorIs(t, err, stagetest.ErrParticipantDisconnected)
}

// Errors of the new operations against the fake: typed, with the fake's text.
func TestPartTwoErrorsAgainstFake(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := t.Context()
	st, _ := w.createStage(t, "Errors", -1)
	_, err := w.stages.Session(ctx, st.ARN, sessionID)
	var notFound *types.ResourceNotFoundException
	assert.ErrorAs(t, err, &notFound)
	_, err = w.stages.Participant(ctx, st.ARN, sessionID, participantID)
	assert.ErrorAs(t, err, &notFound)
	err = w.stages.Disconnect(ctx, st.ARN, participantID, "")
	assert.ErrorAs(t, err, &notFound)
	err = w.stages.StopReplication(ctx, st.ARN, destinationARN, participantID)
	assert.ErrorAs(t, err, &notFound)
	err = w.stages.Tag(ctx, "arn:aws:ivs:us-east-1:123456789012:stage/Unknown1", map[string]string{"k": "v"})
	require.ErrorAs(t, err, &notFound)
	assert.NotEmpty(t, aws.ToString(notFound.Message), "the fake's text reaches Message")
	assert.True(t, strings.HasSuffix(err.Error(), aws.ToString(notFound.Message)), err.Error())
	assert.Empty(t, mustCollect(t, w.stages.Participants(ctx, st.ARN, sessionID)), "an unknown session lists nothing")
	// A replication from a stage where the participant is not connected.
	dst, _ := w.createStage(t, "Dst", -1)
	err = w.stages.StartReplication(ctx, stage.NewReplication(st.ARN, dst.ARN, participantID))
	assert.ErrorAs(t, err, &notFound)
}

// A participant replicated to a second stage shows there as a REPLICA and at the source as SOURCE, with
// REPLICATION_STARTED and REPLICATION_STOPPED events; Replicas lists the active replication.
func TestReplicationAgainstFake(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := t.Context()
	src, tokens := w.createStage(t, "Source", -1, token.New().WithUserID("host").WithAttribute("role", "host"))
	dst, _ := w.createStage(t, "Destination", -1)
	host := w.join(t, src, tokens[0])[0]
	require.NoError(t, w.srv.Publish(src.ARN, host))
	srcSession := w.activeSession(t, src.ARN)

	repl := stage.NewReplication(src.ARN, dst.ARN, host).WithReconnectWindow(30 * time.Second).WithAttributes(map[string]string{"role": "guest", "from": "source"})
	require.NoError(t, w.stages.StartReplication(ctx, repl))
	dstSession := w.activeSession(t, dst.ARN)
	require.NotEmpty(t, dstSession, "the replica starts a session in the destination")

	replicas := mustCollect(t, w.stages.Replicas(ctx, src.ARN, host, stage.WithPageSize(50)))
	assert.Equal(t, []stage.Replica{{SourceStageARN: src.ARN, SourceSessionID: srcSession, DestinationStageARN: dst.ARN,
		DestinationSessionID: dstSession, ParticipantID: host, State: stage.ReplicationActive}}, replicas)

	replica, err := w.stages.Participant(ctx, dst.ARN, dstSession, host)
	require.NoError(t, err)
	assert.Equal(t, stage.ReplicationInfo{Type: stage.ReplicationReplica, State: stage.ReplicationActive, SourceStageARN: src.ARN, SourceSessionID: srcSession}, replica.Replication)
	assert.Equal(t, map[string]string{"role": "guest", "from": "source"}, replica.Attributes, "the replication's attributes override the token's")
	source, err := w.stages.Participant(ctx, src.ARN, srcSession, host)
	require.NoError(t, err)
	assert.Equal(t, stage.ReplicationSource, source.Replication.Type)

	require.NoError(t, w.stages.StopReplication(ctx, src.ARN, dst.ARN, host))
	assert.Empty(t, mustCollect(t, w.stages.Replicas(ctx, src.ARN, host)))
	events := mustCollect(t, w.stages.ParticipantEvents(ctx, src.ARN, srcSession, host))
	assert.Equal(t, []stage.EventName{stage.EventJoined, stage.EventPublishStarted, stage.EventReplicationStarted, stage.EventReplicationStopped}, names(events))
	assert.Equal(t, dst.ARN, events[2].DestinationStageARN)
	assert.Equal(t, dstSession, events[2].DestinationSessionID)
	replica, err = w.stages.Participant(ctx, dst.ARN, dstSession, host)
	require.NoError(t, err)
	assert.Equal(t, stage.ReplicationStopped, replica.Replication.State)

	// At most five destinations at once.
	for i := range stage.MaxReplicationsPerParticipant + 1 {
		d, _ := w.createStage(t, "Many"+string(rune('A'+i)), -1)
		err := w.stages.StartReplication(ctx, stage.NewReplication(src.ARN, d.ARN, host))
		if i < stage.MaxReplicationsPerParticipant {
			require.NoError(t, err)
			continue
		}
		var quota *types.ServiceQuotaExceededException
		assert.ErrorAs(t, err, &quota)
	}
	assert.Len(t, mustCollect(t, w.stages.Replicas(ctx, src.ARN, host, stage.WithPageSize(2))), stage.MaxReplicationsPerParticipant)
}

// Tag and Untag on a stage and a storage configuration, read back through the service.
func TestTagsAgainstFake(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := t.Context()
	st, _ := w.createStage(t, "Tagged", -1)
	require.NoError(t, w.stages.Tag(ctx, st.ARN, map[string]string{"team": "events", "env": "prod"}))
	require.NoError(t, w.stages.Untag(ctx, st.ARN, "env", "absent"))
	got, err := w.stages.Get(ctx, st.ARN)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"team": "events"}, got.Tags)

	storage := w.srv.MustAddStorageConfiguration("tagged-bucket")
	require.NoError(t, w.stages.Tag(ctx, storage, map[string]string{"a": "1", "b": "2"}))
	require.NoError(t, w.stages.Untag(ctx, storage, "a"))
	out, err := ivsrealtime.NewFromConfig(w.srv.Config()).ListTagsForResource(ctx, &ivsrealtime.ListTagsForResourceInput{ResourceArn: aws.String(storage)})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"b": "2"}, out.Tags)
}

// WaitRecordingIdle against the fake on its clock: while a recording is STOPPING in its 30 s reconnect
// window the update is refused with 409, the wait returns within one poll interval of the window's end,
// never above 5 requests per second per operation, and then the update goes through.
func TestWaitRecordingIdleAgainstFake(t *testing.T) {
	t.Parallel()
	for _, interval := range []time.Duration{stage.MinPollInterval, time.Second, stage.DefaultPollInterval, 7 * time.Second} {
		t.Run(interval.String(), func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			ctx := t.Context()
			st, tokens := w.createStage(t, "Waiting", 30*time.Second, token.New().WithUserID("host"))
			host := w.join(t, st, tokens[0])[0]
			require.NoError(t, w.srv.Publish(st.ARN, host))
			w.clock.Advance(10 * time.Second)
			require.NoError(t, w.srv.Unpublish(st.ARN, host))
			stop := w.clock.Now() // STOPPED once more than 30 s have passed

			update := stage.NewUpdate().WithRecording(st.Recording.Config().WithReconnectWindow(time.Minute))
			_, err := w.stages.Update(ctx, st.ARN, update)
			require.True(t, stage.IsRecordingActiveConflict(err), "%v", err)

			start := w.clock.Now()
			sleep := func(ctx context.Context, d time.Duration) error {
				if err := ctx.Err(); err != nil {
					return err
				}
				w.clock.Advance(d)
				return nil
			}
			require.NoError(t, w.stages.WaitRecordingIdle(ctx, st.ARN, stage.WithPollInterval(interval), stage.WithWaitClock(w.clock.Now, sleep)))
			returned := w.clock.Now()
			assert.True(t, returned.After(stop.Add(30*time.Second)), "returned at %s, before the window ended", returned.Sub(stop))
			assert.LessOrEqual(t, returned.Sub(stop.Add(30*time.Second)), max(interval, 3*stage.MinPollInterval))

			var reqs []timedRequest
			for _, r := range w.srv.Requests() {
				if !r.Time.Before(start) && (r.Operation == "GetStage" || r.Operation == "ListParticipants") {
					reqs = append(reqs, timedRequest{at: r.Time.Sub(epoch), op: r.Operation})
				}
			}
			assert.NotEmpty(t, reqs)
			assertQuota(t, reqs)

			got, err := w.stages.Update(ctx, st.ARN, update)
			require.NoError(t, err)
			assert.Equal(t, time.Minute, got.Recording.ReconnectWindow)
		})
	}
}

// Cancelling the context ends a wait on the fake, which would otherwise wait for ever (the recording is
// never idle while the participant publishes).
func TestWaitRecordingIdleCancelAgainstFake(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	st, tokens := w.createStage(t, "Busy", 0, token.New())
	id := w.join(t, st, tokens[0])[0]
	require.NoError(t, w.srv.Publish(st.ARN, id))
	ctx, cancel := context.WithCancel(t.Context())
	sleeps := 0
	sleep := func(ctx context.Context, d time.Duration) error {
		sleeps++
		if sleeps == 10 {
			cancel()
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		w.clock.Advance(d)
		return nil
	}
	err := w.stages.WaitRecordingIdle(ctx, st.ARN, stage.WithWaitClock(w.clock.Now, sleep))
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 10, sleeps)
}

// WithOptions against the fake: an injected 500 fails a client derived with RetryMaxAttempts 1 after one
// request, and the original client (the fake's config: 3 attempts) gets past two on its third.
func TestWithOptionsAgainstFake(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := t.Context()
	st, tokens := w.createStage(t, "Retries", -1, token.New())
	w.join(t, st, tokens[0])
	sid := w.activeSession(t, st.ARN)
	once := w.stages.WithOptions(func(o *ivsrealtime.Options) { o.RetryMaxAttempts = 1 })

	count := func() int {
		n := 0
		for _, r := range w.srv.Requests() {
			if r.Operation == "ListParticipants" {
				n++
			}
		}
		return n
	}
	w.srv.FailNext("ListParticipants", 500, "InternalServerException")
	w.srv.FailNext("ListParticipants", 500, "InternalServerException")
	_, errs := collect(once.Participants(ctx, st.ARN, sid))
	require.Len(t, errs, 1)
	var apiErr smithy.APIError
	require.ErrorAs(t, errs[0], &apiErr)
	assert.Equal(t, "InternalServerException", apiErr.ErrorCode())
	assert.Equal(t, 1, count())

	// One injected fault is still queued; one more makes two again.
	w.srv.FailNext("ListParticipants", 500, "InternalServerException")
	assert.Len(t, mustCollect(t, w.stages.Participants(ctx, st.ARN, sid)), 1)
	assert.Equal(t, 1+3, count())
}
