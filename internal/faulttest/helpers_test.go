// Package faulttest_test drives stage.Client and token.Client through the official SDK client against the
// in-memory stagetest service, injecting faults (retryable and not), throttling, cancellation and
// deadlines, and checks both what the clients return and what went over the wire.
package faulttest_test

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/stretchr/testify/require"

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
)

const (
	// unknownStageARN and unknownKeyARN are well-formed ARNs of resources the fake does not hold.
	unknownStageARN = "arn:aws:ivs:us-east-1:123456789012:stage/NoSuchStage0"
	unknownKeyARN   = "arn:aws:ivs:us-east-1:123456789012:public-key/NoSuchKey000"

	// promptly is a sanity bound on how long a call may take to give up once its context has ended. It is
	// generous on purpose (slow CI, -race): it tells "returned" from "ran to completion or hung".
	promptly = 5 * time.Second
)

// noLimit turns CreateMany's client-side rate limit off.
var noLimit = token.WithRate(math.Inf(1), 1)

// env is one fake service and the two clients talking to it through the official SDK client.
type env struct {
	srv *stagetest.Server
	// storage is the ARN of a storage configuration the fake holds, for recording configurations.
	storage string
	stages  *stage.Client
	tokens  *token.Client
}

func newEnv(srvOpts []stagetest.Option, clientOpts ...func(*ivsrealtime.Options)) *env {
	srv := stagetest.New(srvOpts...)
	cfg := srv.Config()
	return &env{
		srv:     srv,
		storage: srv.MustAddStorageConfiguration("faulttest-recordings"),
		stages:  stage.NewClientFromConfig(cfg, clientOpts...),
		tokens:  token.NewClientFromConfig(cfg, clientOpts...),
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

func withStage(t testing.TB, e *env) fixture { return fixture{stageARN: e.createStage(t, "fixture")} }
func withKey(t testing.TB, e *env) fixture   { return fixture{keyARN: e.importKey(t)} }
func nothing(testing.TB, *env) fixture       { return fixture{} }

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

// method is one method of stage.Client or token.Client, with what it needs set up first. call returns
// what the method returned (for List, the summaries yielded before the first error).
type method struct {
	name  string
	op    string
	setup func(testing.TB, *env) fixture
	call  func(context.Context, *env, fixture) (any, error)
}

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

// methods lists every method of both clients. CreateMany sends a batch of one, so it makes one request
// like the others.
var methods = []method{
	{"stage.Create", opCreateStage, nothing, func(ctx context.Context, e *env, _ fixture) (any, error) {
		st, toks, err := e.stages.Create(ctx, stage.New().WithName("created").WithTag("k", "v").
			WithParticipants(token.New().WithUserID("p0")))
		return createResult{st, toks}, err
	}},
	{"stage.Get", opGetStage, withStage, func(ctx context.Context, e *env, f fixture) (any, error) {
		return e.stages.Get(ctx, f.stageARN)
	}},
	{"stage.Update", opUpdateStage, withStage, func(ctx context.Context, e *env, f fixture) (any, error) {
		return e.stages.Update(ctx, f.stageARN, stage.NewUpdate().WithName("renamed").WithRecording(recording.New(e.storage)))
	}},
	{"stage.Delete", opDeleteStage, withStage, func(ctx context.Context, e *env, f fixture) (any, error) {
		return nil, e.stages.Delete(ctx, f.stageARN)
	}},
	{"stage.List", opListStages, withStage, func(ctx context.Context, e *env, _ fixture) (any, error) {
		var got []stage.Summary
		for s, err := range e.stages.List(ctx) {
			if err != nil {
				return got, err
			}
			got = append(got, s)
		}
		return got, nil
	}},
	{"token.Create", opCreateToken, withStage, func(ctx context.Context, e *env, f fixture) (any, error) {
		return e.tokens.Create(ctx, f.stageARN, token.New().WithUserID("single"))
	}},
	{"token.CreateMany", opCreateToken, withStage, func(ctx context.Context, e *env, f fixture) (any, error) {
		return e.tokens.CreateMany(ctx, f.stageARN, userConfigs(1))
	}},
	{"token.ImportPublicKey", opImportKey, nothing, func(ctx context.Context, e *env, _ fixture) (any, error) {
		return e.tokens.ImportPublicKey(ctx, "imported", keyForImport)
	}},
	{"token.GetPublicKey", opGetKey, withKey, func(ctx context.Context, e *env, f fixture) (any, error) {
		return e.tokens.GetPublicKey(ctx, f.keyARN)
	}},
	{"token.ListPublicKeys", opListKeys, withKey, func(ctx context.Context, e *env, _ fixture) (any, error) {
		return e.tokens.ListPublicKeys(ctx)
	}},
	{"token.DeletePublicKey", opDeleteKey, withKey, func(ctx context.Context, e *env, f fixture) (any, error) {
		return nil, e.tokens.DeletePublicKey(ctx, f.keyARN)
	}},
}

type createResult struct {
	stage  stage.Stage
	tokens []token.Token
}
