package faulttest_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// One stage.Client, one token.Client, one stage.Config template and one Update shared by 64 goroutines
// against one fake: each derives its own config, creates, reads, updates and lists its stage and issues
// tokens for it. Under -race nothing races, every call succeeds, every stage ends up on the server with
// its own name and tags, and the shared values are unchanged.
func TestSharedClientsAndTemplateConcurrently(t *testing.T) {
	t.Parallel()
	const workers = 64
	e := newEnv(nil)
	rec := recording.New(e.storage).
		WithMediaType(recording.MediaAudioOnly).
		WithThumbnails(recording.ThumbnailsEvery(30*time.Second, recording.StorageLatest)).
		WithReconnectWindow(time.Minute).
		WithRecordReplicas(false)
	template := stage.New().
		WithName("template").
		WithTags(map[string]string{"team": "media", "env": "test"}).
		WithRecording(rec).
		WithParticipants(
			token.New().WithUserID("host").WithAttribute("role", "host").WithCapabilities(token.Publish, token.Subscribe),
			token.New().WithUserID("guest").WithAttributes(map[string]string{"role": "guest", "seat": "1"}).WithDuration(time.Hour),
		)
	upd := stage.NewUpdate().WithRecording(rec.WithReconnectWindow(2 * time.Minute))
	tokenTemplate := token.New().WithDuration(30*time.Minute).WithAttribute("via", "worker")
	wantTemplate, wantTags, wantUpd := template.String(), template.Tags(), upd.String()

	type outcome struct {
		arn    string
		tokens []token.Token
	}
	outcomes := make([]outcome, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := t.Context()
			name := fmt.Sprintf("stage-%02d", i)
			cfg := template.WithName(name).WithTag("worker", fmt.Sprint(i))
			wantTags := map[string]string{"team": "media", "env": "test", "worker": fmt.Sprint(i)}

			st, parts, err := e.stages.Create(ctx, cfg)
			if !assert.NoError(t, err, "worker %d: Create", i) {
				return
			}
			assert.Equal(t, name, st.Name)
			assert.Equal(t, wantTags, st.Tags)
			assert.Equal(t, rec.Effective(), st.Recording)
			if assert.Len(t, parts, 2) {
				assert.Equal(t, "host", parts[0].UserID)
				assert.Equal(t, map[string]string{"role": "guest", "seat": "1"}, parts[1].Attributes)
			}

			got, err := e.stages.Get(ctx, st.ARN)
			if assert.NoError(t, err, "worker %d: Get", i) {
				assert.Equal(t, st, got)
			}

			updated, err := e.stages.Update(ctx, st.ARN, upd)
			if assert.NoError(t, err, "worker %d: Update", i) {
				assert.Equal(t, 2*time.Minute, updated.Recording.ReconnectWindow)
				assert.Equal(t, name, updated.Name, "the Update sets no name")
			}

			found := false
			for s, err := range e.stages.List(ctx, stage.WithPageSize(25)) {
				if !assert.NoError(t, err, "worker %d: List", i) {
					break
				}
				if s.ARN == st.ARN {
					found = true
					assert.Equal(t, name, s.Name)
					assert.Equal(t, wantTags, s.Tags)
				}
			}
			assert.True(t, found, "worker %d lists its own stage", i)

			one, err := e.tokens.Create(ctx, st.ARN, tokenTemplate.WithUserID(name+"-solo"))
			if assert.NoError(t, err, "worker %d: token.Create", i) {
				assert.Equal(t, name+"-solo", one.UserID)
			}
			cfgs := []token.Config{
				tokenTemplate.WithUserID(name + "-a"),
				tokenTemplate.WithUserID(name + "-b"),
				tokenTemplate.WithUserID(name + "-c"),
			}
			many, err := e.tokens.CreateMany(ctx, st.ARN, cfgs, noLimit)
			if assert.NoError(t, err, "worker %d: CreateMany", i) && assert.Len(t, many, len(cfgs)) {
				for j, tok := range many {
					assert.Equal(t, cfgs[j].UserID(), tok.UserID)
					assert.Equal(t, map[string]string{"via": "worker"}, tok.Attributes)
					assert.NotEmpty(t, tok.Value())
				}
			}
			outcomes[i] = outcome{arn: st.ARN, tokens: append([]token.Token{one}, many...)}
		}()
	}
	wg.Wait()
	require.False(t, t.Failed(), "every call succeeded")

	assert.Equal(t, wantTemplate, template.String(), "the template is unchanged")
	assert.Equal(t, wantTags, template.Tags())
	assert.Equal(t, "template", template.Name())
	assert.Equal(t, wantUpd, upd.String())

	// The server holds exactly the 64 stages, each with its own name, tags and updated recording.
	byARN := map[string]stage.Summary{}
	for s, err := range e.stages.List(t.Context(), stage.WithPageSize(stage.MaxPageSize)) {
		require.NoError(t, err)
		byARN[s.ARN] = s
	}
	require.Len(t, byARN, workers)
	values := map[string]bool{}
	for i, o := range outcomes {
		s, ok := byARN[o.arn]
		require.True(t, ok, "worker %d's stage exists", i)
		assert.Equal(t, fmt.Sprintf("stage-%02d", i), s.Name)
		assert.Equal(t, map[string]string{"team": "media", "env": "test", "worker": fmt.Sprint(i)}, s.Tags)
		for _, tok := range o.tokens {
			values[tok.Value()] = true
		}
	}
	assert.Len(t, values, workers*4, "every token is distinct")

	// On the wire: one CreateStage per worker, each with its own name and worker tag, the shared
	// recording (recordParticipantReplicas: false) and both participants.
	names := map[string]bool{}
	counts := map[string]int{}
	for _, r := range e.srv.Requests() {
		counts[r.Operation]++
		if r.Operation != opCreateStage {
			continue
		}
		body := r.JSON()
		name, _ := body["name"].(string)
		names[name] = true
		tags, _ := body["tags"].(map[string]any)
		var worker int
		_, err := fmt.Sscanf(name, "stage-%d", &worker)
		require.NoError(t, err)
		assert.Equal(t, map[string]any{"team": "media", "env": "test", "worker": fmt.Sprint(worker)}, tags)
		recBody, _ := body["autoParticipantRecordingConfiguration"].(map[string]any)
		assert.Equal(t, false, recBody["recordParticipantReplicas"])
		assert.Len(t, body["participantTokenConfigurations"], 2)
	}
	assert.Len(t, names, workers)
	assert.Equal(t, workers, counts[opCreateStage])
	assert.Equal(t, workers, counts[opGetStage])
	assert.Equal(t, workers, counts[opUpdateStage])
	assert.Equal(t, workers*4, counts[opCreateToken])
}

// One stage.Client, one token.Client and one recording.Client shared by 64 goroutines over 16 shared stages
// of one fake on a Clock: each worker gets a token, joins, publishes (stagetest's verbs, from the
// goroutine), reads its session and itself through every read method, replicates itself to the next stage
// and stops, tags and untags the stage, leaves (even workers) or is disconnected (odd workers, whose
// token then never joins again), waits for recording to be idle, and creates, reads, lists, tags and
// (even workers) deletes a storage configuration of its own. Under -race every call succeeds, and the
// state afterwards is consistent: every participant of every session of every stage is DISCONNECTED,
// each stage holds its four workers and the four replicas of the previous stage's workers, every
// participant's events are paired (JOINED/LEFT, PUBLISH_STARTED/PUBLISH_STOPPED,
// REPLICATION_STARTED/REPLICATION_STOPPED), each stage carries exactly its workers' tags, and the storage
// configurations are exactly the ones not deleted. The requests on the wire are exactly one per call.
func TestSharedClientsThroughAStageLifecycleConcurrently(t *testing.T) {
	t.Parallel()
	const (
		workers = 64
		nStages = 16 // 4 workers and 4 replicas per stage: 8 publishers, within stagetest.MaxPublishers
	)
	clock := stagetest.NewClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	e := newEnv([]stagetest.Option{stagetest.WithClock(clock.Now), stagetest.WithStorageQuota(workers + 1)})
	arns := make([]string, nStages)
	for i := range arns {
		st, _, err := e.stages.Create(t.Context(), stage.New().WithName(fmt.Sprintf("shared-%02d", i)).WithTag("shared", "yes"))
		require.NoError(t, err)
		arns[i] = st.ARN
	}
	before := e.srv.RequestCount()
	tokenTemplate := token.New().WithDuration(time.Hour).WithCapabilities(token.Publish, token.Subscribe)
	storageTags := map[string]string{"team": "media"} // shared: every worker's Storage copies it
	wantTokenTemplate := tokenTemplate.String()

	type outcome struct {
		pid, sessionID, storageARN string
	}
	outcomes := make([]outcome, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := t.Context()
			user := fmt.Sprintf("w%02d", i)
			src, dst := arns[i%nStages], arns[(i+1)%nStages]
			fail := func(step string, err error) bool {
				return !assert.NoError(t, err, "worker %d: %s", i, step)
			}

			tok, err := e.tokens.Create(ctx, src, tokenTemplate.WithUserID(user).WithAttribute("worker", user))
			if fail("token.Create", err) {
				return
			}
			pid, err := e.srv.Join(src, tok.Value())
			if fail("Join", err) {
				return
			}
			if fail("Publish", e.srv.Publish(src, pid)) {
				return
			}
			st, err := e.stages.Get(ctx, src)
			if fail("Get", err) || !assert.NotEmpty(t, st.ActiveSessionID) {
				return
			}
			sess := st.ActiveSessionID // the participant is connected, so its session is the active one
			outcomes[i] = outcome{pid: pid, sessionID: sess}

			p, err := e.stages.Participant(ctx, src, sess, pid)
			if !fail("Participant", err) {
				assert.Equal(t, user, p.UserID)
				assert.Equal(t, stage.ParticipantConnected, p.State)
				assert.True(t, p.Published)
				assert.Equal(t, map[string]string{"worker": user}, p.Attributes)
			}
			ps, err := testutil.Collect(e.stages.Participants(ctx, src, sess, stage.FilterUserID(user)))
			if !fail("Participants", err) && assert.Len(t, ps, 1, "worker %d", i) {
				assert.Equal(t, pid, ps[0].ID)
			}
			s, err := e.stages.Session(ctx, src, sess)
			if !fail("Session", err) {
				assert.True(t, s.Active())
			}
			sessions, err := testutil.Collect(e.stages.Sessions(ctx, src))
			if !fail("Sessions", err) {
				assert.True(t, slices.ContainsFunc(sessions, func(s stage.Session) bool { return s.ID == sess }), "worker %d sees its session", i)
			}

			err = e.stages.StartReplication(ctx, stage.NewReplication(src, dst, pid).WithAttributes(map[string]string{"replica-of": user}))
			if fail("StartReplication", err) {
				return
			}
			replicas, err := testutil.Collect(e.stages.Replicas(ctx, src, pid))
			if !fail("Replicas", err) && assert.Len(t, replicas, 1, "worker %d", i) {
				assert.Equal(t, dst, replicas[0].DestinationStageARN)
				replica, err := e.stages.Participant(ctx, dst, replicas[0].DestinationSessionID, pid)
				if !fail("Participant (replica)", err) {
					assert.Equal(t, stage.ReplicationReplica, replica.Replication.Type)
					assert.Equal(t, src, replica.Replication.SourceStageARN)
					assert.Equal(t, map[string]string{"worker": user, "replica-of": user}, replica.Attributes)
				}
			}
			if fail("StopReplication", e.stages.StopReplication(ctx, src, dst, pid)) {
				return
			}
			replicas, err = testutil.Collect(e.stages.Replicas(ctx, src, pid))
			if !fail("Replicas after stop", err) {
				assert.Empty(t, replicas)
			}

			fail("Tag", e.stages.Tag(ctx, src, map[string]string{user: "kept", user + "-tmp": "dropped"}))
			fail("Untag", e.stages.Untag(ctx, src, user+"-tmp"))

			events, err := testutil.Collect(e.stages.ParticipantEvents(ctx, src, sess, pid))
			if !fail("ParticipantEvents", err) {
				assert.Equal(t, []stage.EventName{stage.EventJoined, stage.EventPublishStarted,
					stage.EventReplicationStarted, stage.EventReplicationStopped}, namesOf(events), "worker %d", i)
			}

			if i%2 == 0 {
				fail("Leave", e.srv.Leave(src, pid))
			} else {
				fail("Disconnect", e.stages.Disconnect(ctx, src, pid, "worker "+user))
			}
			p, err = e.stages.Participant(ctx, src, sess, pid)
			if !fail("Participant after leaving", err) {
				assert.Equal(t, stage.ParticipantDisconnected, p.State)
			}
			events, err = testutil.Collect(e.stages.ParticipantEvents(ctx, src, sess, pid))
			if !fail("ParticipantEvents after leaving", err) {
				assert.Equal(t, []stage.EventName{stage.EventJoined, stage.EventPublishStarted, stage.EventReplicationStarted,
					stage.EventReplicationStopped, stage.EventPublishStopped, stage.EventLeft}, namesOf(events), "worker %d", i)
			}
			if i%2 == 1 {
				_, err := e.srv.Join(src, tok.Value())
				assert.ErrorIs(t, err, stagetest.ErrParticipantDisconnected, "worker %d: a disconnected token never joins again", i)
				// The refused join is a JOIN_ERROR event if the session is still active (another worker is
				// connected), and nothing if it has ended: which one depends on the other workers.
				after, err := testutil.Collect(e.stages.ParticipantEvents(ctx, src, sess, pid))
				if !fail("ParticipantEvents after the refused join", err) && len(after) > len(events) {
					if assert.Len(t, after, len(events)+1, "worker %d", i) {
						assert.Equal(t, stage.EventJoinError, after[len(events)].Name)
						assert.Equal(t, "INSUFFICIENT_CAPABILITIES", after[len(events)].ErrorCode)
					}
				}
			}
			fail("WaitRecordingIdle", e.stages.WaitRecordingIdle(ctx, src, stage.WithPollInterval(stage.MinPollInterval)))

			bucket := fmt.Sprintf("worker-%02d-bucket", i)
			sc, err := e.storages.CreateStorage(ctx, recording.NewStorage(bucket).WithName(user).WithTags(storageTags).WithTag("worker", user))
			if fail("CreateStorage", err) {
				return
			}
			assert.Equal(t, bucket, sc.BucketName)
			got, err := e.storages.GetStorage(ctx, sc.ARN)
			if !fail("GetStorage", err) {
				assert.Equal(t, sc, got)
			}
			all, err := testutil.Collect(e.storages.ListStorage(ctx, recording.WithPageSize(7)))
			if !fail("ListStorage", err) {
				assert.True(t, slices.ContainsFunc(all, func(x recording.StorageConfiguration) bool { return x.ARN == sc.ARN }), "worker %d lists its own", i)
			}
			fail("Tag storage", e.stages.Tag(ctx, sc.ARN, map[string]string{"touched": "yes"}))
			if i%2 == 0 {
				fail("DeleteStorage", e.storages.DeleteStorage(ctx, sc.ARN))
			} else {
				outcomes[i].storageARN = sc.ARN
			}
		}()
	}
	wg.Wait()
	require.False(t, t.Failed(), "every call succeeded")
	assert.Equal(t, wantTokenTemplate, tokenTemplate.String(), "the shared templates are unchanged")
	assert.Equal(t, map[string]string{"team": "media"}, storageTags)

	// On the wire, exactly one request per call (nothing was throttled or failed).
	counts := map[string]int{}
	for _, r := range e.srv.Requests()[before:] {
		counts[r.Operation]++
		assert.Equal(t, 1, attempt(r), "%s was not retried", r.Operation)
	}
	assert.Equal(t, map[string]int{
		opCreateToken: workers, opGetStage: workers * 2, // Get, and WaitRecordingIdle's first poll
		opGetParticipant: workers * 3, opListParticipants: counts[opListParticipants],
		opGetSession: workers, opListSessions: workers,
		opStartReplication: workers, opStopReplication: workers, opListReplicas: workers * 2,
		opTag: workers * 2, opUntag: workers, opListEvents: workers*2 + workers/2, opDisconnect: workers / 2,
		opCreateStorage: workers, opGetStorage: workers, opListStorage: counts[opListStorage],
		opDeleteStorage: workers / 2,
	}, counts)
	// Participants once per worker, plus WaitRecordingIdle's up to three checks per poll while a session is
	// active; ListStorage one request per page of 7.
	assert.GreaterOrEqual(t, counts[opListParticipants], workers)
	assert.GreaterOrEqual(t, counts[opListStorage], workers*2)

	// Every stage: no active session; over all its sessions its four workers and four replicas, every one
	// DISCONNECTED with paired events; exactly its workers' tags.
	for si, arn := range arns {
		st, err := e.stages.Get(t.Context(), arn)
		require.NoError(t, err)
		assert.Empty(t, st.ActiveSessionID, "stage %d: everyone left", si)
		wantTags := map[string]string{"shared": "yes"}
		var wantSources, wantReplicas []string
		for i := si; i < workers; i += nStages {
			wantTags[fmt.Sprintf("w%02d", i)] = "kept"
			wantSources = append(wantSources, outcomes[i].pid)
		}
		for i := (si + nStages - 1) % nStages; i < workers; i += nStages {
			wantReplicas = append(wantReplicas, outcomes[i].pid)
		}
		assert.Equal(t, wantTags, st.Tags, "stage %d", si)

		sessions, err := testutil.Collect(e.stages.Sessions(t.Context(), arn))
		require.NoError(t, err)
		var sources, replicas []string
		for _, s := range sessions {
			assert.False(t, s.Active(), "stage %d session %s ended", si, s.ID)
			ps, err := testutil.Collect(e.stages.Participants(t.Context(), arn, s.ID))
			require.NoError(t, err)
			for _, p := range ps {
				assert.Equal(t, stage.ParticipantDisconnected, p.State, "stage %d participant %s", si, p.ID)
				if p.Replication.Type == stage.ReplicationReplica {
					replicas = append(replicas, p.ID)
				} else {
					sources = append(sources, p.ID)
				}
				events, err := testutil.Collect(e.stages.ParticipantEvents(t.Context(), arn, s.ID, p.ID))
				require.NoError(t, err)
				n := map[stage.EventName]int{}
				for _, ev := range events {
					n[ev.Name]++
				}
				assert.Positive(t, n[stage.EventJoined], "stage %d participant %s joined", si, p.ID)
				assert.Equal(t, n[stage.EventJoined], n[stage.EventLeft], "stage %d participant %s: %v", si, p.ID, namesOf(events))
				assert.Equal(t, n[stage.EventPublishStarted], n[stage.EventPublishStopped], "stage %d participant %s: %v", si, p.ID, namesOf(events))
				assert.Equal(t, n[stage.EventReplicationStarted], n[stage.EventReplicationStopped], "stage %d participant %s: %v", si, p.ID, namesOf(events))
			}
		}
		assert.ElementsMatch(t, wantSources, sources, "stage %d: its workers", si)
		assert.ElementsMatch(t, wantReplicas, replicas, "stage %d: the previous stage's workers, replicated", si)
	}

	// The storage configurations: newEnv's and the odd workers', each with its name and tags.
	all, err := testutil.Collect(e.storages.ListStorage(t.Context()))
	require.NoError(t, err)
	byARN := map[string]recording.StorageConfiguration{}
	for _, sc := range all {
		byARN[sc.ARN] = sc
	}
	assert.Len(t, byARN, 1+workers/2)
	assert.Contains(t, byARN, e.storage)
	for i := 1; i < workers; i += 2 {
		sc, ok := byARN[outcomes[i].storageARN]
		if assert.True(t, ok, "worker %d's storage configuration is kept", i) {
			assert.Equal(t, fmt.Sprintf("w%02d", i), sc.Name)
			assert.Equal(t, fmt.Sprintf("worker-%02d-bucket", i), sc.BucketName)
			assert.Equal(t, map[string]string{"team": "media", "worker": fmt.Sprintf("w%02d", i), "touched": "yes"}, sc.Tags)
		}
	}
}

func namesOf(events []stage.ParticipantEvent) []stage.EventName {
	names := make([]stage.EventName, len(events))
	for i, ev := range events {
		names[i] = ev.Name
	}
	return names
}
