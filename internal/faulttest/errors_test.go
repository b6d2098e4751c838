package faulttest_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// serviceError is one of the service's modeled, non-retryable errors and the SDK type it comes back as.
type serviceError struct {
	status int
	code   string
	// message does errors.As to the SDK's type and returns its ExceptionMessage, where the SDK reads the
	// service's {"exceptionMessage": …} (the clients' repair sets Message to it too).
	message func(error) (string, bool)
}

func (se serviceError) is(err error) bool {
	_, ok := se.message(err)
	return ok
}

// exceptionMessage returns the ExceptionMessage of the error of type T in err's tree.
func exceptionMessage[T error](get func(T) *string) func(error) (string, bool) {
	return func(err error) (string, bool) {
		var target T
		if !errors.As(err, &target) {
			return "", false
		}
		return aws.ToString(get(target)), true
	}
}

var (
	quotaError = serviceError{http.StatusPaymentRequired, "ServiceQuotaExceededException",
		exceptionMessage(func(e *types.ServiceQuotaExceededException) *string { return e.ExceptionMessage })}
	accessDenied = serviceError{http.StatusForbidden, "AccessDeniedException",
		exceptionMessage(func(e *types.AccessDeniedException) *string { return e.ExceptionMessage })}
	notFoundError = serviceError{http.StatusNotFound, "ResourceNotFoundException",
		exceptionMessage(func(e *types.ResourceNotFoundException) *string { return e.ExceptionMessage })}
	conflictError = serviceError{http.StatusConflict, "ConflictException",
		exceptionMessage(func(e *types.ConflictException) *string { return e.ExceptionMessage })}
	validationError = serviceError{http.StatusBadRequest, "ValidationException",
		exceptionMessage(func(e *types.ValidationException) *string { return e.ExceptionMessage })}

	serviceErrors = []serviceError{quotaError, accessDenied, notFoundError, conflictError, validationError}
)

// modeled lists, per operation, the error codes the SDK's deserializer of that operation knows (the
// operation's errors in the service model (ivs-realtime-2020-07-14.smithy.json), which v1.30.0's
// deserializers.go matches); the official client alone returns any other code as a
// *smithy.GenericAPIError (TestOfficialClientAloneTypesOnlyWhatTheModelLists), the clients type all seven.
var modeled = map[string][]string{
	opCreateStage: {"AccessDeniedException", "PendingVerification", "ServiceQuotaExceededException", "ValidationException"},
	opGetStage:    {"AccessDeniedException", "ResourceNotFoundException", "ValidationException"},
	opUpdateStage: {"AccessDeniedException", "ConflictException", "PendingVerification", "ResourceNotFoundException", "ServiceQuotaExceededException", "ValidationException"},
	opDeleteStage: {"AccessDeniedException", "ConflictException", "PendingVerification", "ResourceNotFoundException", "ValidationException"},
	opListStages:  {"AccessDeniedException", "ConflictException", "ValidationException"},
	opCreateToken: {"AccessDeniedException", "PendingVerification", "ResourceNotFoundException", "ServiceQuotaExceededException", "ValidationException"},
	opImportKey:   {"AccessDeniedException", "ConflictException", "PendingVerification", "ServiceQuotaExceededException", "ValidationException"},
	opGetKey:      {"AccessDeniedException", "ResourceNotFoundException", "ValidationException"},
	opListKeys:    {"AccessDeniedException", "ValidationException"},
	opDeleteKey:   {"AccessDeniedException", "ConflictException", "PendingVerification", "ResourceNotFoundException", "ValidationException"},

	opCreateStorage:    {"AccessDeniedException", "ConflictException", "InternalServerException", "PendingVerification", "ResourceNotFoundException", "ServiceQuotaExceededException", "ValidationException"},
	opGetStorage:       {"AccessDeniedException", "ConflictException", "InternalServerException", "ResourceNotFoundException", "ServiceQuotaExceededException", "ValidationException"},
	opListStorage:      {"AccessDeniedException", "ConflictException", "InternalServerException", "ServiceQuotaExceededException", "ValidationException"},
	opDeleteStorage:    {"AccessDeniedException", "ConflictException", "InternalServerException", "ResourceNotFoundException", "ServiceQuotaExceededException", "ValidationException"},
	opListSessions:     {"AccessDeniedException", "ValidationException"},
	opGetSession:       {"AccessDeniedException", "ResourceNotFoundException", "ValidationException"},
	opListParticipants: {"AccessDeniedException", "ValidationException"},
	opGetParticipant:   {"AccessDeniedException", "ResourceNotFoundException", "ValidationException"},
	opDisconnect:       {"AccessDeniedException", "PendingVerification", "ResourceNotFoundException", "ValidationException"},
	opListEvents:       {"AccessDeniedException", "ValidationException"},
	opStartReplication: {"AccessDeniedException", "ConflictException", "InternalServerException", "PendingVerification", "ResourceNotFoundException", "ServiceQuotaExceededException", "ValidationException"},
	opStopReplication:  {"AccessDeniedException", "InternalServerException", "ResourceNotFoundException", "ValidationException"},
	opListReplicas:     {"AccessDeniedException", "ValidationException"},
	opTag:              {"InternalServerException", "ResourceNotFoundException", "ValidationException"},
	opUntag:            {"InternalServerException", "ResourceNotFoundException", "ValidationException"},
	opListTags:         {"InternalServerException", "ResourceNotFoundException", "ValidationException"},
}

// assertServiceError checks that err is exactly want (and none of the other typed errors), whatever the
// operation's model lists (the clients' error repair types the seven modeled codes for every operation),
// with the service's text in Message and ExceptionMessage and at the end of Error(), wrapped in the SDK's
// *smithy.OperationError for op.
func assertServiceError(t *testing.T, err error, want serviceError, op string) {
	t.Helper()
	require.Error(t, err)
	for _, se := range serviceErrors {
		assert.Equal(t, se.code == want.code, se.is(err), "errors.As %s on %v", se.code, err)
	}
	msg, _ := want.message(err)
	assert.NotEmpty(t, msg, "the service's exceptionMessage reaches the typed error")
	assert.True(t, strings.HasSuffix(err.Error(), want.code+": "+msg), "Error() ends with the service's words: %v", err)
	var opErr *smithy.OperationError
	if assert.ErrorAs(t, err, &opErr) {
		assert.Equal(t, op, opErr.OperationName)
	}
	var apiErr smithy.APIError
	if assert.ErrorAs(t, err, &apiErr) {
		assert.Equal(t, want.code, apiErr.ErrorCode())
		assert.Equal(t, msg, apiErr.ErrorMessage(), "Message is the service's text too")
	}
}

// assertOneAttempt checks that the error was not retried: one request of op since from, attempt 1.
func assertOneAttempt(t *testing.T, e *env, op string, from int) {
	t.Helper()
	reqs := e.requests(op, from)
	assert.Equal(t, []int{1}, attempts(reqs), "exactly one attempt of %s, not retried", op)
}

// assertZeroResult checks that a failed call returned nothing usable. For the iterators, res holds what
// was yielded before the error: nothing, since every failure here hits the first page.
func assertZeroResult(t *testing.T, name string, res any) {
	t.Helper()
	switch r := res.(type) {
	case createResult:
		assert.Zero(t, r.stage)
		assert.Nil(t, r.tokens)
	case token.Token:
		assert.True(t, r.IsZero())
	case []token.Token: // CreateMany keeps one (zero) slot per config
		require.Len(t, r, 1)
		assert.True(t, r[0].IsZero())
	case []token.PublicKeySummary:
		assert.Nil(t, r)
	case map[string]string: // stage.Tags: nil on an error, a non-nil map otherwise
		assert.Nil(t, r)
	case stage.Stage, stage.Session, stage.Participant, recording.StorageConfiguration, token.PublicKey, string:
		assert.Zero(t, r)
	case []stage.Summary, []stage.Session, []stage.Participant, []stage.ParticipantEvent, []stage.Replica,
		[]recording.StorageConfiguration:
		assert.Empty(t, r)
	case nil:
	default:
		t.Fatalf("%s: unexpected result type %T", name, res)
	}
}

// Every non-retryable service error (402, 403, 404, 409, 400), injected on the first attempt of any
// method, comes back after exactly one request, wrapped in *smithy.OperationError for that operation, as
// the SDK's typed error whether or not the operation's model lists it. IsRecordingActiveConflict holds
// only for UpdateStage's 409.
func TestInjectedServiceErrorsAreTypedAndNotRetried(t *testing.T) {
	t.Parallel()
	for _, m := range methods {
		for _, se := range serviceErrors {
			t.Run(fmt.Sprintf("%s/%d_%s", m.name, se.status, se.code), func(t *testing.T) {
				t.Parallel()
				e, _, before, res, err := m.callAfterFault(t, se.status, se.code)
				assertServiceError(t, err, se, m.op)
				if msg, ok := se.message(err); ok {
					assert.Contains(t, msg, "injected fault for "+m.op)
				}
				assertZeroResult(t, m.name, res)
				assertOneAttempt(t, e, m.op, before)
				assert.Equal(t, se.code == conflictError.code && m.op == opUpdateStage, stage.IsRecordingActiveConflict(err))
				if m.name == "token.CreateMany" {
					ies := token.IndexErrors(err)
					require.Len(t, ies, 1)
					assert.Equal(t, 0, ies[0].Index)
					assertServiceError(t, ies[0].Err, se, m.op)
				}
			})
		}
	}
}

// The service's own refusals, not injected ones: the stage, storage and replication quotas, unknown
// stages, keys, storage configurations, sessions, participants and replications, recording active, a
// storage configuration in use, duplicate key material and replications, and the public key quota. Each is
// the SDK's typed error after exactly one request, with the service's text, and changed nothing.
func TestServiceRefusalsAreTypedAndNotRetried(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts []stagetest.Option
		op   string
		want serviceError
		// run prepares what it needs, calls mark right before the call under test, and returns its error.
		run func(t *testing.T, e *env, mark func()) error
		// after checks the server's state once the call failed.
		after func(t *testing.T, e *env)
	}{
		{
			name: "second stage past a quota of one", opts: []stagetest.Option{stagetest.WithStageQuota(1)},
			op: opCreateStage, want: quotaError,
			run: func(t *testing.T, e *env, mark func()) error {
				e.createStage(t, "first")
				mark()
				st, toks, err := e.stages.Create(t.Context(), stage.New().WithName("second"))
				assert.Zero(t, st)
				assert.Nil(t, toks)
				return err
			},
			after: func(t *testing.T, e *env) { assert.Len(t, listARNs(t, e), 1) },
		},
		{
			name: "get unknown stage", op: opGetStage, want: notFoundError,
			run: func(t *testing.T, e *env, mark func()) error {
				mark()
				_, err := e.stages.Get(t.Context(), unknownStageARN)
				return err
			},
		},
		{
			name: "update unknown stage", op: opUpdateStage, want: notFoundError,
			run: func(t *testing.T, e *env, mark func()) error {
				mark()
				_, err := e.stages.Update(t.Context(), unknownStageARN, stage.NewUpdate().WithName("x"))
				return err
			},
		},
		{
			name: "delete unknown stage", op: opDeleteStage, want: notFoundError,
			run: func(t *testing.T, e *env, mark func()) error {
				e.createStage(t, "bystander")
				mark()
				return e.stages.Delete(t.Context(), unknownStageARN)
			},
			after: func(t *testing.T, e *env) { assert.Len(t, listARNs(t, e), 1, "nothing else deleted") },
		},
		{
			name: "token for unknown stage", op: opCreateToken, want: notFoundError,
			run: func(t *testing.T, e *env, mark func()) error {
				mark()
				tok, err := e.tokens.Create(t.Context(), unknownStageARN, token.New())
				assert.True(t, tok.IsZero())
				return err
			},
		},
		{
			name: "get unknown public key", op: opGetKey, want: notFoundError,
			run: func(t *testing.T, e *env, mark func()) error {
				mark()
				_, err := e.tokens.GetPublicKey(t.Context(), unknownKeyARN)
				return err
			},
		},
		{
			name: "delete unknown public key", op: opDeleteKey, want: notFoundError,
			run: func(t *testing.T, e *env, mark func()) error {
				mark()
				return e.tokens.DeletePublicKey(t.Context(), unknownKeyARN)
			},
		},
		{
			name: "recording change while recording is active", op: opUpdateStage, want: conflictError,
			run: func(t *testing.T, e *env, mark func()) error {
				st, _, err := e.stages.Create(t.Context(), stage.New().WithName("live").WithRecording(recording.New(e.storage)))
				require.NoError(t, err)
				e.srv.SetRecordingActive(st.ARN, true)
				mark()
				_, err = e.stages.Update(t.Context(), st.ARN, stage.NewUpdate().WithName("renamed").WithRecording(recording.Disabled()))
				assert.True(t, stage.IsRecordingActiveConflict(err), "IsRecordingActiveConflict(%v)", err)
				got, getErr := e.stages.Get(t.Context(), st.ARN)
				require.NoError(t, getErr)
				assert.Equal(t, "live", got.Name, "the refused update changed nothing")
				assert.True(t, got.Recording.Enabled)
				return err
			},
		},
		{
			name: "same key material twice", op: opImportKey, want: conflictError,
			run: func(t *testing.T, e *env, mark func()) error {
				pub := &newKey(t).PublicKey
				_, err := e.tokens.ImportPublicKey(t.Context(), "first", pub)
				require.NoError(t, err)
				mark()
				arn, err := e.tokens.ImportPublicKey(t.Context(), "again", pub)
				assert.Empty(t, arn)
				assert.False(t, stage.IsRecordingActiveConflict(err), "not an UpdateStage conflict")
				return err
			},
			after: func(t *testing.T, e *env) {
				keys, err := testutil.Collect(e.tokens.PublicKeys(t.Context()))
				require.NoError(t, err)
				assert.Len(t, keys, 1)
			},
		},
		{
			name: "public key past the quota", op: opImportKey, want: quotaError,
			run: func(t *testing.T, e *env, mark func()) error {
				for range token.MaxPublicKeys {
					e.importKey(t)
				}
				mark()
				_, err := e.tokens.ImportPublicKey(t.Context(), "one-too-many", &newKey(t).PublicKey)
				return err
			},
			after: func(t *testing.T, e *env) {
				keys, err := testutil.Collect(e.tokens.PublicKeys(t.Context()))
				require.NoError(t, err)
				assert.Len(t, keys, token.MaxPublicKeys)
			},
		},
		{
			name: "get unknown storage configuration", op: opGetStorage, want: notFoundError,
			run: func(t *testing.T, e *env, mark func()) error {
				mark()
				sc, err := e.storages.GetStorage(t.Context(), unknownStorageARN)
				assert.Zero(t, sc)
				return err
			},
		},
		{
			name: "delete unknown storage configuration", op: opDeleteStorage, want: notFoundError,
			run: func(t *testing.T, e *env, mark func()) error {
				mark()
				return e.storages.DeleteStorage(t.Context(), unknownStorageARN)
			},
			after: func(t *testing.T, e *env) {
				assert.Equal(t, []string{e.storage}, storageARNs(t, e), "nothing else deleted")
			},
		},
		{
			name: "delete a storage configuration a stage records into", op: opDeleteStorage, want: conflictError,
			run: func(t *testing.T, e *env, mark func()) error {
				_, _, err := e.stages.Create(t.Context(), stage.New().WithRecording(recording.New(e.storage)))
				require.NoError(t, err)
				mark()
				return e.storages.DeleteStorage(t.Context(), e.storage)
			},
			after: func(t *testing.T, e *env) { assert.Equal(t, []string{e.storage}, storageARNs(t, e), "still there") },
		},
		{
			name: "storage configuration past a quota of one", opts: []stagetest.Option{stagetest.WithStorageQuota(1)},
			op: opCreateStorage, want: quotaError,
			run: func(t *testing.T, e *env, mark func()) error {
				mark() // newEnv's storage configuration fills the quota
				sc, err := e.storages.CreateStorage(t.Context(), recording.NewStorage("one-too-many"))
				assert.Zero(t, sc)
				return err
			},
			after: func(t *testing.T, e *env) { assert.Equal(t, []string{e.storage}, storageARNs(t, e)) },
		},
		{
			name: "get unknown session", op: opGetSession, want: notFoundError,
			run: func(t *testing.T, e *env, mark func()) error {
				f := withParticipant(t, e)
				mark()
				s, err := e.stages.Session(t.Context(), f.stageARN, unknownSessionID)
				assert.Zero(t, s)
				return err
			},
		},
		{
			name: "get unknown participant", op: opGetParticipant, want: notFoundError,
			run: func(t *testing.T, e *env, mark func()) error {
				f := withParticipant(t, e)
				mark()
				p, err := e.stages.Participant(t.Context(), f.stageARN, f.sessionID, unknownParticipantID)
				assert.Zero(t, p)
				return err
			},
		},
		{
			name: "disconnect unknown participant", op: opDisconnect, want: notFoundError,
			run: func(t *testing.T, e *env, mark func()) error {
				f := withParticipant(t, e)
				mark()
				err := e.stages.Disconnect(t.Context(), f.stageARN, unknownParticipantID, "")
				p, getErr := e.stages.Participant(t.Context(), f.stageARN, f.sessionID, f.participantID)
				require.NoError(t, getErr)
				assert.Equal(t, stage.ParticipantConnected, p.State, "the connected participant is untouched")
				return err
			},
		},
		{
			name: "disconnect on a stage without a session", op: opDisconnect, want: notFoundError,
			run: func(t *testing.T, e *env, mark func()) error {
				arn := e.createStage(t, "empty")
				mark()
				return e.stages.Disconnect(t.Context(), arn, unknownParticipantID, "")
			},
		},
		{
			name: "replicate a participant that is not connected", op: opStartReplication, want: notFoundError,
			run: func(t *testing.T, e *env, mark func()) error {
				f := withReplicationTarget(t, e)
				require.NoError(t, e.srv.Leave(f.stageARN, f.participantID))
				mark()
				return e.stages.StartReplication(t.Context(), stage.NewReplication(f.stageARN, f.dstStageARN, f.participantID))
			},
		},
		{
			name: "replicate twice to the same destination", op: opStartReplication, want: conflictError,
			run: func(t *testing.T, e *env, mark func()) error {
				f := withReplication(t, e)
				mark()
				err := e.stages.StartReplication(t.Context(), stage.NewReplication(f.stageARN, f.dstStageARN, f.participantID))
				replicas, listErr := testutil.Collect(e.stages.Replicas(t.Context(), f.stageARN, f.participantID))
				require.NoError(t, listErr)
				assert.Len(t, replicas, 1, "still one replication")
				return err
			},
		},
		{
			name: "replicate past the participant's quota", op: opStartReplication, want: quotaError,
			run: func(t *testing.T, e *env, mark func()) error {
				f := withParticipant(t, e)
				start := func(i int) error {
					dst := e.createStage(t, fmt.Sprintf("destination-%d", i))
					return e.stages.StartReplication(t.Context(), stage.NewReplication(f.stageARN, dst, f.participantID))
				}
				for i := range stage.MaxReplicationsPerParticipant {
					require.NoError(t, start(i))
				}
				dst := e.createStage(t, "one-too-many")
				mark()
				err := e.stages.StartReplication(t.Context(), stage.NewReplication(f.stageARN, dst, f.participantID))
				replicas, listErr := testutil.Collect(e.stages.Replicas(t.Context(), f.stageARN, f.participantID))
				require.NoError(t, listErr)
				assert.Len(t, replicas, stage.MaxReplicationsPerParticipant)
				return err
			},
		},
		{
			name: "stop a replication that is not active", op: opStopReplication, want: notFoundError,
			run: func(t *testing.T, e *env, mark func()) error {
				f := withReplicationTarget(t, e)
				mark()
				return e.stages.StopReplication(t.Context(), f.stageARN, f.dstStageARN, f.participantID)
			},
		},
		{
			name: "tag unknown stage", op: opTag, want: notFoundError,
			run: func(t *testing.T, e *env, mark func()) error {
				mark()
				return e.stages.Tag(t.Context(), unknownStageARN, map[string]string{"k": "v"})
			},
		},
		{
			name: "untag unknown storage configuration", op: opUntag, want: notFoundError,
			run: func(t *testing.T, e *env, mark func()) error {
				mark()
				return e.stages.Untag(t.Context(), unknownStorageARN, "k")
			},
		},
		{
			name: "wait on unknown stage", op: opGetStage, want: notFoundError,
			run: func(t *testing.T, e *env, mark func()) error {
				mark()
				return e.stages.WaitRecordingIdle(t.Context(), unknownStageARN)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(tt.opts)
			before := -1
			err := tt.run(t, e, func() { before = e.srv.RequestCount() })
			require.GreaterOrEqual(t, before, 0, "run called mark")
			assertServiceError(t, err, tt.want, tt.op)
			assertOneAttempt(t, e, tt.op, before)
			if tt.after != nil {
				tt.after(t, e)
			}
		})
	}
}

// CreateMany for a stage that does not exist: every slot fails with its own ResourceNotFoundException,
// one request per token, none retried, nothing created.
func TestCreateManyUnknownStageFailsEverySlot(t *testing.T) {
	t.Parallel()
	const n = 12
	e := newEnv(nil)
	toks, err := e.tokens.CreateMany(t.Context(), unknownStageARN, userConfigs(n), noLimit)
	require.Error(t, err)
	require.Len(t, toks, n)
	for i, tok := range toks {
		assert.True(t, tok.IsZero(), "slot %d", i)
	}
	ies := token.IndexErrors(err)
	require.Len(t, ies, n)
	for i, ie := range ies {
		assert.Equal(t, i, ie.Index)
		assertServiceError(t, ie.Err, notFoundError, opCreateToken)
	}
	reqs := e.requests(opCreateToken, 0)
	assert.Len(t, reqs, n)
	for _, a := range attempts(reqs) {
		assert.Equal(t, 1, a, "not retried")
	}
	assert.ElementsMatch(t, func() []string {
		var ids []string
		for i := range n {
			ids = append(ids, userID(i))
		}
		return ids
	}(), uniqueUserIDs(reqs))
}
