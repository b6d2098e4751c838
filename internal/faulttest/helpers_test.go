// Package faulttest_test drives stage.Client, token.Client and recording.Client through the official SDK
// client against the in-memory stagetest service, injecting faults (retryable and not), throttling,
// cancellation and deadlines, and checks both what the clients return and what went over the wire.
//
// No verdict depends on the wall clock or on how busy the machine is: contexts end on events (a request
// arriving at the transport, see settledTransport and expiringContext), throttling is the fake's token
// bucket on a clock that moves per request or not at all, and the only durations measured are sanity bounds
// (promptly) far above anything a working call takes.
package faulttest_test

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// Wire operation names.
const (
	opCreateStage = "CreateStage"
	opGetStage    = "GetStage"
	opUpdateStage = "UpdateStage"
	opDeleteStage = "DeleteStage"
	opListStages  = "ListStages"
	opCreateToken = "CreateParticipantToken"
	opImportKey   = "ImportPublicKey"
	opGetKey      = "GetPublicKey"
	opListKeys    = "ListPublicKeys"
	opDeleteKey   = "DeletePublicKey"

	opCreateStorage    = "CreateStorageConfiguration"
	opGetStorage       = "GetStorageConfiguration"
	opListStorage      = "ListStorageConfigurations"
	opDeleteStorage    = "DeleteStorageConfiguration"
	opListSessions     = "ListStageSessions"
	opGetSession       = "GetStageSession"
	opListParticipants = "ListParticipants"
	opGetParticipant   = "GetParticipant"
	opDisconnect       = "DisconnectParticipant"
	opListEvents       = "ListParticipantEvents"
	opStartReplication = "StartParticipantReplication"
	opStopReplication  = "StopParticipantReplication"
	opListReplicas     = "ListParticipantReplicas"
	opTag              = "TagResource"
	opUntag            = "UntagResource"
	opListTags         = "ListTagsForResource"
)

const (
	// unknownStageARN and unknownKeyARN are well-formed ARNs of resources the fake does not hold.
	unknownStageARN   = "arn:aws:ivs:us-east-1:123456789012:stage/NoSuchStage0"
	unknownKeyARN     = "arn:aws:ivs:us-east-1:123456789012:public-key/NoSuchKey000"
	unknownStorageARN = "arn:aws:ivs:us-east-1:123456789012:storage-configuration/NoSuchStore0"
	// unknownSessionID and unknownParticipantID are well-formed IDs the fake never issued.
	unknownSessionID     = "st-NoSuchSession"
	unknownParticipantID = "NoSuchParticipant0000000"

	// promptly is a sanity bound on how long a call may take to give up once its context has ended. It is
	// generous on purpose (slow CI, -race, a busy machine): it tells "returned" from "ran to completion or
	// hung", and no working call comes anywhere near it.
	promptly = 10 * time.Second
)

// noLimit turns CreateMany's client-side rate limit off.
var noLimit = token.WithRate(math.Inf(1), 1)

// env is one fake service and the three clients talking to it through the official SDK client.
type env struct {
	srv *stagetest.Server
	// storage is the ARN of a storage configuration the fake holds, for recording configurations.
	storage  string
	stages   *stage.Client
	tokens   *token.Client
	storages *recording.Client
}

func newEnv(srvOpts []stagetest.Option, clientOpts ...func(*ivsrealtime.Options)) *env {
	srv := stagetest.New(srvOpts...)
	return envOn(srv, srv.Config(), clientOpts...)
}

// envOn builds the clients on cfg, which reaches srv.
func envOn(srv *stagetest.Server, cfg aws.Config, clientOpts ...func(*ivsrealtime.Options)) *env {
	return &env{
		srv:      srv,
		storage:  srv.MustAddStorageConfiguration("faulttest-recordings"),
		stages:   stage.NewClientFromConfig(cfg, clientOpts...),
		tokens:   token.NewClientFromConfig(cfg, clientOpts...),
		storages: recording.NewClientFromConfig(cfg, clientOpts...),
	}
}

// maxAttempts overrides the retryer's attempt limit (keeping stagetest's tiny backoff).
func maxAttempts(n int) func(*ivsrealtime.Options) {
	return func(o *ivsrealtime.Options) { o.RetryMaxAttempts = n }
}

// requests returns the requests of operation op the server received, from index from of Requests() on.
func (e *env) requests(op string, from int) []stagetest.Request {
	var out []stagetest.Request
	for _, r := range e.srv.Requests()[from:] {
		if r.Operation == op {
			out = append(out, r)
		}
	}
	return out
}

// attempt returns the attempt number of the SDK's amz-sdk-request header ("attempt=2; max=3"), or 0.
func attempt(r stagetest.Request) int {
	for part := range strings.SplitSeq(r.Header.Get("amz-sdk-request"), ";") {
		var n int
		if _, err := fmt.Sscanf(strings.TrimSpace(part), "attempt=%d", &n); err == nil {
			return n
		}
	}
	return 0
}

func attempts(rs []stagetest.Request) []int {
	out := make([]int, len(rs))
	for i, r := range rs {
		out[i] = attempt(r)
	}
	return out
}

// newKey returns a fresh P-384 key pair.
func newKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := token.GenerateKey()
	require.NoError(t, err)
	return k
}

// fixture holds the resources a call needs, created before the fault is armed.
type fixture struct {
	stageARN string
	keyARN   string
	// sessionID is the stage's active session; participantID is connected in it, joined with token.
	sessionID     string
	participantID string
	token         string
	// dstStageARN is a second stage, the destination of replications.
	dstStageARN string
	// storageARN is a storage configuration no stage uses.
	storageARN string
}

func (e *env) createStage(t testing.TB, name string) string {
	t.Helper()
	st, _, err := e.stages.Create(t.Context(), stage.New().WithName(name))
	require.NoError(t, err)
	return st.ARN
}

func (e *env) importKey(t testing.TB) string {
	t.Helper()
	arn, err := e.tokens.ImportPublicKey(t.Context(), "fixture", &newKey(t).PublicKey)
	require.NoError(t, err)
	return arn
}

// fixtureTags are the tags of withTaggedStage's stage and withStorage's storage configuration.
var fixtureTags = map[string]string{"keep": "k", "drop": "d"}

func withStage(t testing.TB, e *env) fixture { return fixture{stageARN: e.createStage(t, "fixture")} }
func withKey(t testing.TB, e *env) fixture   { return fixture{keyARN: e.importKey(t)} }
func nothing(testing.TB, *env) fixture       { return fixture{} }

func withTaggedStage(t testing.TB, e *env) fixture {
	t.Helper()
	st, _, err := e.stages.Create(t.Context(), stage.New().WithName("fixture").WithTags(fixtureTags))
	require.NoError(t, err)
	return fixture{stageARN: st.ARN}
}

// withParticipant creates a stage with a host and a guest token and joins the host (through stagetest, as
// a client would): the stage has an active session with one connected participant, who has not published.
func withParticipant(t testing.TB, e *env) fixture {
	t.Helper()
	st, toks, err := e.stages.Create(t.Context(), stage.New().WithName("fixture").WithParticipants(
		token.New().WithUserID("host").WithAttribute("role", "host"),
		token.New().WithUserID("guest")))
	require.NoError(t, err)
	require.Len(t, toks, 2)
	pid, err := e.srv.Join(st.ARN, toks[0].Value())
	require.NoError(t, err)
	require.Equal(t, toks[0].ParticipantID, pid)
	got, err := e.stages.Get(t.Context(), st.ARN)
	require.NoError(t, err)
	require.NotEmpty(t, got.ActiveSessionID)
	return fixture{stageARN: st.ARN, sessionID: got.ActiveSessionID, participantID: pid, token: toks[0].Value()}
}

// withReplicationTarget is withParticipant and a second, empty stage to replicate the host to.
func withReplicationTarget(t testing.TB, e *env) fixture {
	t.Helper()
	f := withParticipant(t, e)
	f.dstStageARN = e.createStage(t, "destination")
	return f
}

// withReplication is withReplicationTarget with the host replicated to the destination.
func withReplication(t testing.TB, e *env) fixture {
	t.Helper()
	f := withReplicationTarget(t, e)
	require.NoError(t, e.stages.StartReplication(t.Context(), stage.NewReplication(f.stageARN, f.dstStageARN, f.participantID)))
	return f
}

// withStorage creates a storage configuration (named, tagged) that no stage uses.
func withStorage(t testing.TB, e *env) fixture {
	t.Helper()
	sc, err := e.storages.CreateStorage(t.Context(), recording.NewStorage("fixture-bucket").WithName("fixture").WithTags(fixtureTags))
	require.NoError(t, err)
	return fixture{storageARN: sc.ARN}
}

// userConfigs returns n token configs whose user IDs name their index.
func userConfigs(n int) []token.Config {
	base := token.New().WithDuration(time.Hour).WithAttribute("batch", "yes")
	cfgs := make([]token.Config, n)
	for i := range cfgs {
		cfgs[i] = base.WithUserID(userID(i))
	}
	return cfgs
}

func userID(i int) string { return fmt.Sprintf("user-%03d", i) }

// method is one method of stage.Client, token.Client or recording.Client, with what it needs set up
// first. call returns what the method returned (for an iterator, the items yielded before the first
// error).
type method struct {
	name  string
	op    string
	setup func(testing.TB, *env) fixture
	call  func(context.Context, *env, fixture) (any, error)
	// sends is how many requests of op the call makes when nothing fails (0 means 1): the first one is the
	// one faults are injected into.
	sends int
}

func (m method) requestsOfOp() int { return max(m.sends, 1) }

// callAfterFault sets m up on a new environment, makes the fake answer m's next request with status and
// code, and calls m. It returns the environment, the fixture, the request count before the call, and what
// the call returned.
func (m method) callAfterFault(t *testing.T, status int, code string) (e *env, f fixture, before int, res any, err error) {
	t.Helper()
	e = newEnv(nil)
	f = m.setup(t, e)
	before = e.srv.RequestCount()
	e.srv.FailNext(m.op, status, code)
	res, err = m.call(t.Context(), e, f)
	return e, f, before, res, err
}

var keyForImport = func() *ecdsa.PublicKey {
	k, err := token.GenerateKey()
	if err != nil {
		panic(err)
	}
	return &k.PublicKey
}()

// createdStorage is what recording.CreateStorage creates in the table of methods.
var createdStorage = recording.NewStorage("created-bucket").WithName("created").WithTag("k", "v")

// methods lists every method of the three clients. CreateMany sends a batch of one, so it makes one request
// like the others. WaitRecordingIdle appears twice: on a stage without a session (one GetStage) and on one
// with a connected participant that is not recorded (GetStage, then ListParticipants for each of the three
// in-progress recording states); the fault goes to the operation named.
var methods = []method{
	{name: "stage.Create", op: opCreateStage, setup: nothing, call: func(ctx context.Context, e *env, _ fixture) (any, error) {
		st, toks, err := e.stages.Create(ctx, stage.New().WithName("created").WithTag("k", "v").
			WithParticipants(token.New().WithUserID("p0")))
		return createResult{st, toks}, err
	}},
	{name: "stage.Get", op: opGetStage, setup: withStage, call: func(ctx context.Context, e *env, f fixture) (any, error) {
		return e.stages.Get(ctx, f.stageARN)
	}},
	{name: "stage.Update", op: opUpdateStage, setup: withStage, call: func(ctx context.Context, e *env, f fixture) (any, error) {
		return e.stages.Update(ctx, f.stageARN, stage.NewUpdate().WithName("renamed").WithRecording(recording.New(e.storage)))
	}},
	{name: "stage.Delete", op: opDeleteStage, setup: withStage, call: func(ctx context.Context, e *env, f fixture) (any, error) {
		return nil, e.stages.Delete(ctx, f.stageARN)
	}},
	{name: "stage.List", op: opListStages, setup: withStage, call: func(ctx context.Context, e *env, _ fixture) (any, error) {
		return testutil.Collect(e.stages.List(ctx))
	}},
	{name: "stage.Sessions", op: opListSessions, setup: withParticipant, call: func(ctx context.Context, e *env, f fixture) (any, error) {
		return testutil.Collect(e.stages.Sessions(ctx, f.stageARN))
	}},
	{name: "stage.Session", op: opGetSession, setup: withParticipant, call: func(ctx context.Context, e *env, f fixture) (any, error) {
		return e.stages.Session(ctx, f.stageARN, f.sessionID)
	}},
	{name: "stage.Participants", op: opListParticipants, setup: withParticipant, call: func(ctx context.Context, e *env, f fixture) (any, error) {
		return testutil.Collect(e.stages.Participants(ctx, f.stageARN, f.sessionID, stage.FilterUserID("host")))
	}},
	{name: "stage.Participant", op: opGetParticipant, setup: withParticipant, call: func(ctx context.Context, e *env, f fixture) (any, error) {
		return e.stages.Participant(ctx, f.stageARN, f.sessionID, f.participantID)
	}},
	{name: "stage.Disconnect", op: opDisconnect, setup: withParticipant, call: func(ctx context.Context, e *env, f fixture) (any, error) {
		return nil, e.stages.Disconnect(ctx, f.stageARN, f.participantID, "faulttest")
	}},
	{name: "stage.ParticipantEvents", op: opListEvents, setup: withParticipant, call: func(ctx context.Context, e *env, f fixture) (any, error) {
		return testutil.Collect(e.stages.ParticipantEvents(ctx, f.stageARN, f.sessionID, f.participantID))
	}},
	{name: "stage.StartReplication", op: opStartReplication, setup: withReplicationTarget, call: func(ctx context.Context, e *env, f fixture) (any, error) {
		return nil, e.stages.StartReplication(ctx, stage.NewReplication(f.stageARN, f.dstStageARN, f.participantID).
			WithReconnectWindow(30*time.Second).WithAttributes(map[string]string{"replica": "yes"}))
	}},
	{name: "stage.StopReplication", op: opStopReplication, setup: withReplication, call: func(ctx context.Context, e *env, f fixture) (any, error) {
		return nil, e.stages.StopReplication(ctx, f.stageARN, f.dstStageARN, f.participantID)
	}},
	{name: "stage.Replicas", op: opListReplicas, setup: withReplication, call: func(ctx context.Context, e *env, f fixture) (any, error) {
		return testutil.Collect(e.stages.Replicas(ctx, f.stageARN, f.participantID))
	}},
	{name: "stage.Tag", op: opTag, setup: withTaggedStage, call: func(ctx context.Context, e *env, f fixture) (any, error) {
		return nil, e.stages.Tag(ctx, f.stageARN, map[string]string{"added": "a", "keep": "changed"})
	}},
	{name: "stage.Tag(storage configuration)", op: opTag, setup: withStorage, call: func(ctx context.Context, e *env, f fixture) (any, error) {
		return nil, e.stages.Tag(ctx, f.storageARN, map[string]string{"added": "a"})
	}},
	{name: "stage.Untag", op: opUntag, setup: withTaggedStage, call: func(ctx context.Context, e *env, f fixture) (any, error) {
		return nil, e.stages.Untag(ctx, f.stageARN, "drop", "absent")
	}},
	{name: "stage.Tags", op: opListTags, setup: withTaggedStage, call: func(ctx context.Context, e *env, f fixture) (any, error) {
		return e.stages.Tags(ctx, f.stageARN)
	}},
	{name: "stage.WaitRecordingIdle", op: opGetStage, setup: withStage, call: func(ctx context.Context, e *env, f fixture) (any, error) {
		return nil, e.stages.WaitRecordingIdle(ctx, f.stageARN)
	}},
	{name: "stage.WaitRecordingIdle(session)", op: opListParticipants, setup: withParticipant, sends: 3,
		call: func(ctx context.Context, e *env, f fixture) (any, error) {
			return nil, e.stages.WaitRecordingIdle(ctx, f.stageARN, stage.WithPollInterval(stage.MinPollInterval))
		}},
	{name: "token.Create", op: opCreateToken, setup: withStage, call: func(ctx context.Context, e *env, f fixture) (any, error) {
		return e.tokens.Create(ctx, f.stageARN, token.New().WithUserID("single"))
	}},
	{name: "token.CreateMany", op: opCreateToken, setup: withStage, call: func(ctx context.Context, e *env, f fixture) (any, error) {
		return e.tokens.CreateMany(ctx, f.stageARN, userConfigs(1))
	}},
	{name: "token.ImportPublicKey", op: opImportKey, setup: nothing, call: func(ctx context.Context, e *env, _ fixture) (any, error) {
		return e.tokens.ImportPublicKey(ctx, "imported", keyForImport)
	}},
	{name: "token.GetPublicKey", op: opGetKey, setup: withKey, call: func(ctx context.Context, e *env, f fixture) (any, error) {
		return e.tokens.GetPublicKey(ctx, f.keyARN)
	}},
	{name: "token.ListPublicKeys", op: opListKeys, setup: withKey, call: func(ctx context.Context, e *env, _ fixture) (any, error) {
		return testutil.Collect(e.tokens.PublicKeys(ctx))
	}},
	{name: "token.DeletePublicKey", op: opDeleteKey, setup: withKey, call: func(ctx context.Context, e *env, f fixture) (any, error) {
		return nil, e.tokens.DeletePublicKey(ctx, f.keyARN)
	}},
	{name: "recording.CreateStorage", op: opCreateStorage, setup: nothing, call: func(ctx context.Context, e *env, _ fixture) (any, error) {
		return e.storages.CreateStorage(ctx, createdStorage)
	}},
	{name: "recording.GetStorage", op: opGetStorage, setup: withStorage, call: func(ctx context.Context, e *env, f fixture) (any, error) {
		return e.storages.GetStorage(ctx, f.storageARN)
	}},
	{name: "recording.ListStorage", op: opListStorage, setup: withStorage, call: func(ctx context.Context, e *env, _ fixture) (any, error) {
		return testutil.Collect(e.storages.ListStorage(ctx))
	}},
	{name: "recording.DeleteStorage", op: opDeleteStorage, setup: withStorage, call: func(ctx context.Context, e *env, f fixture) (any, error) {
		return nil, e.storages.DeleteStorage(ctx, f.storageARN)
	}},
}

type createResult struct {
	stage  stage.Stage
	tokens []token.Token
}
