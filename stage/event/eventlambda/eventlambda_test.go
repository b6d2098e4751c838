package eventlambda_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/event"
	"github.com/ivsrt/ivsrt/stage/event/eventlambda"
)

// A distinctive string in every body: it must never reach the log.
const bodyMarker = "BODY-MARKER-7f3a"

// published returns a Participant Published event with the given ID.
func published(t testing.TB, id string) string {
	t.Helper()
	data, err := json.Marshal(event.StageUpdate{
		Envelope: event.Envelope{ID: id, Account: "123456789012", Region: "us-east-1",
			Time: time.Date(2026, 3, 13, 19, 44, 19, 0, time.UTC), Resources: []string{"arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij"}},
		Name: event.ParticipantPublished, SessionID: "st-1", ParticipantID: "p1", UserID: bodyMarker,
		Time: time.Date(2026, 3, 13, 19, 44, 19, 0, time.UTC),
	})
	require.NoError(t, err)
	return string(data)
}

// The bodies of the paths: one of each outcome.
var (
	malformedJSON = `{"source":"aws.ivs","detail-type":"IVS Stage Update","id":"m1","user":"` + bodyMarker + `"`
	wrongType     = `{"source":"aws.ivs","detail-type":"IVS Stage Update","id":"m2","detail":{"event_name":"Participant Published","user_id":42,"x":"` + bodyMarker + `"}}`
	notIVS        = `{"source":"aws.s3","detail-type":"Object Created","id":"m3","detail":{"key":"` + bodyMarker + `"}}`
)

// store wraps a memory store; it can fail Done, and it holds "held" as claimed by another owner.
type store struct {
	event.Store
	failDone error
	mu       sync.Mutex
	calls    int
}

func newStore(t *testing.T) *store {
	s := &store{Store: event.NewMemoryStore()}
	other := event.ContextWithClaimant(t.Context(), event.Claimant{Owner: "another-consumer"})
	require.NoError(t, s.Store.Claim(other, "held", time.Hour))
	return s
}

func (s *store) count() {
	s.mu.Lock()
	s.calls++
	s.mu.Unlock()
}

func (s *store) Claim(ctx context.Context, id string, lease time.Duration) error {
	s.count()
	return s.Store.Claim(ctx, id, lease)
}

func (s *store) Done(ctx context.Context, id string, ttl time.Duration) error {
	s.count()
	if s.failDone != nil && id == "done-fails" {
		return s.failDone
	}
	return s.Store.Done(ctx, id, ttl)
}

func (s *store) Release(ctx context.Context, id string) error {
	s.count()
	return s.Store.Release(ctx, id)
}

// handler counts its runs by event ID and fails the ID "fails".
type handler struct {
	mu   sync.Mutex
	runs map[string]int
}

func (h *handler) handle(_ context.Context, ev event.Event) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.runs == nil {
		h.runs = map[string]int{}
	}
	id := ev.Header().ID
	h.runs[id]++
	if id == "fails" {
		return errors.New("downstream unavailable")
	}
	return nil
}

// logged is a logger writing JSON lines into a buffer, at every level.
func logged() (*slog.Logger, *bytes.Buffer) {
	var buf bytes.Buffer
	return slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})), &buf
}

// entries decodes the log lines.
func entries(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &m), line)
		delete(m, "time")
		out = append(out, m)
	}
	return out
}

func sqsEvent(bodies ...string) events.SQSEvent {
	var ev events.SQSEvent
	for i, b := range bodies {
		ev.Records = append(ev.Records, events.SQSMessage{MessageId: fmt.Sprintf("msg-%d", i+1), Body: b, EventSource: "aws:sqs"})
	}
	return ev
}

// Every path of an SQS batch: what is a batch item failure, what is logged, and what ran.
func TestSQS(t *testing.T) {
	t.Parallel()
	errStore := errors.New("store unavailable")
	tests := []struct {
		name         string
		bodies       []string
		wantFailures []string // message IDs
		wantRuns     map[string]int
		wantLog      []map[string]any
	}{
		{name: "processed", bodies: []string{published(t, "e1")}, wantRuns: map[string]int{"e1": 1}},
		{name: "a duplicate in the batch is a success, run once", bodies: []string{published(t, "e1"), published(t, "e1")},
			wantRuns: map[string]int{"e1": 1},
			wantLog:  []map[string]any{{"level": "DEBUG", "msg": "eventlambda: duplicate delivery, skipped", "message_id": "msg-2", "event_id": "e1"}}},
		{name: "a handler failure is a batch item failure", bodies: []string{published(t, "e1"), published(t, "fails"), published(t, "e2")},
			wantFailures: []string{"msg-2"}, wantRuns: map[string]int{"e1": 1, "fails": 1, "e2": 1},
			wantLog: []map[string]any{{"level": "ERROR", "msg": "eventlambda: processing failed; to be redelivered", "message_id": "msg-2", "event_id": "fails",
				"error": `event: the handler of event ID "fails" failed (the claim is released: the next delivery runs it again): downstream unavailable`}}},
		{name: "in progress elsewhere is a batch item failure", bodies: []string{published(t, "held")},
			wantFailures: []string{"msg-1"}, wantRuns: map[string]int{},
			wantLog: []map[string]any{{"level": "INFO", "msg": "eventlambda: another consumer is processing the event; to be redelivered", "message_id": "msg-1", "event_id": "held"}}},
		{name: "malformed messages are logged and not retried", bodies: []string{malformedJSON, wrongType, notIVS},
			wantRuns: map[string]int{},
			wantLog: []map[string]any{
				{"level": "ERROR", "msg": "eventlambda: dropping a message that is not an IVS event (it would never parse)", "message_id": "msg-1",
					"error": "event: the input is not JSON: unexpected end of JSON input"},
				{"level": "ERROR", "msg": "eventlambda: dropping a message that is not an IVS event (it would never parse)", "message_id": "msg-2",
					"error": "event: detail.user_id: is a JSON number, want a string"},
				{"level": "ERROR", "msg": "eventlambda: dropping a message that is not an IVS event (it would never parse)", "message_id": "msg-3",
					"error": `event: source: is "aws.s3", want "aws.ivs": not an IVS event`},
			}},
		{name: "handled but not marked done is a success, logged", bodies: []string{published(t, "done-fails")},
			wantRuns: map[string]int{"done-fails": 1},
			wantLog: []map[string]any{{"level": "WARN", "msg": "eventlambda: handled, but not marked done (a later duplicate may run it again)", "message_id": "msg-1", "event_id": "done-fails",
				"error": `event: the handler of event ID "done-fails" succeeded, but marking it done failed, so a redelivery may run it again: store unavailable`}}},
		{name: "failures in the batch's order", bodies: []string{published(t, "held"), malformedJSON, published(t, "fails"), published(t, "e3")},
			wantFailures: []string{"msg-1", "msg-3"}, wantRuns: map[string]int{"fails": 1, "e3": 1}},
		{name: "an empty batch", bodies: nil, wantRuns: map[string]int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st, h := newStore(t), &handler{runs: map[string]int{}}
			st.failDone = errStore
			logger, buf := logged()
			resp, err := eventlambda.SQSWithLogger(event.NewProcessor(st, h.handle), logger)(t.Context(), sqsEvent(tt.bodies...))
			require.NoError(t, err)
			var failures []string
			for _, f := range resp.BatchItemFailures {
				failures = append(failures, f.ItemIdentifier)
			}
			assert.Equal(t, tt.wantFailures, failures)
			assert.Equal(t, tt.wantRuns, h.runs)
			if tt.wantLog != nil {
				assert.Equal(t, tt.wantLog, entries(t, buf))
			}
			assert.NotContains(t, buf.String(), bodyMarker, "no body in the log")
		})
	}
}

// A failure's redelivery succeeds: the released claim lets the next delivery run the handler.
func TestSQSRedeliveryAfterAFailure(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	attempts := 0
	p := event.NewProcessor(st, func(context.Context, event.Event) error {
		attempts++
		if attempts == 1 {
			return errors.New("busy")
		}
		return nil
	})
	logger, _ := logged()
	consume := eventlambda.SQSWithLogger(p, logger)
	batch := sqsEvent(published(t, "e1"))
	resp, err := consume(t.Context(), batch)
	require.NoError(t, err)
	assert.Equal(t, []events.SQSBatchItemFailure{{ItemIdentifier: "msg-1"}}, resp.BatchItemFailures)
	resp, err = consume(t.Context(), batch)
	require.NoError(t, err)
	assert.Empty(t, resp.BatchItemFailures)
	assert.Equal(t, 2, attempts)
}

// Once the context has ended, the remaining messages are failures, and nothing is claimed for them.
func TestSQSEndedContext(t *testing.T) {
	t.Parallel()
	st, h := newStore(t), &handler{}
	ctx, cancel := context.WithCancel(t.Context())
	p := event.NewProcessor(st, func(ctx context.Context, ev event.Event) error {
		cancel() // the deadline comes during the first message
		return h.handle(ctx, ev)
	})
	logger, _ := logged()
	resp, err := eventlambda.SQSWithLogger(p, logger)(ctx, sqsEvent(published(t, "e1"), published(t, "e2"), published(t, "e3")))
	require.NoError(t, err)
	assert.Equal(t, []events.SQSBatchItemFailure{{ItemIdentifier: "msg-2"}, {ItemIdentifier: "msg-3"}}, resp.BatchItemFailures)
	assert.Equal(t, map[string]int{"e1": 1}, h.runs)
	assert.Equal(t, 2, st.calls, "claim and done of e1 only")
}

// A Processor that cannot run (a nil Store): every message fails, nothing is parsed or claimed.
func TestSQSProcessorError(t *testing.T) {
	t.Parallel()
	logger, buf := logged()
	resp, err := eventlambda.SQSWithLogger(event.NewProcessor(nil, (&handler{}).handle), logger)(t.Context(), sqsEvent(published(t, "e1"), malformedJSON))
	require.NoError(t, err)
	assert.Equal(t, []events.SQSBatchItemFailure{{ItemIdentifier: "msg-1"}, {ItemIdentifier: "msg-2"}}, resp.BatchItemFailures)
	assert.Equal(t, []map[string]any{
		{"level": "ERROR", "msg": "eventlambda: cannot process events", "message_id": "msg-1", "error": "event: NewProcessor: the Store is nil"},
		{"level": "ERROR", "msg": "eventlambda: cannot process events", "message_id": "msg-2", "error": "event: NewProcessor: the Store is nil"},
	}, entries(t, buf))
}

// Every path of an EventBridge target: nil, or the error that makes Lambda retry.
func TestEventBridge(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		body      string
		before    []string // bodies processed first
		wantErr   error    // nil, or errors.Is target
		wantText  string
		wantLevel string // the level of the one log line, "" for none
	}{
		{name: "processed", body: published(t, "e1")},
		{name: "duplicate: nil", body: published(t, "e1"), before: []string{published(t, "e1")}, wantLevel: "DEBUG"},
		{name: "malformed: nil, logged", body: malformedJSON, wantLevel: "ERROR"},
		{name: "not IVS: nil, logged", body: notIVS, wantLevel: "ERROR"},
		{name: "handled, not marked done: nil, logged", body: published(t, "done-fails"), wantLevel: "WARN"},
		{name: "in progress: retried", body: published(t, "held"), wantErr: event.ErrInProgress,
			wantText: `event: event ID "held" is in progress`, wantLevel: "INFO"},
		{name: "handler failure: retried", body: published(t, "fails"), wantErr: nil,
			wantText: `event: the handler of event ID "fails" failed`, wantLevel: "ERROR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st := newStore(t)
			st.failDone = errors.New("store unavailable")
			logger, buf := logged()
			target := eventlambda.EventBridgeWithLogger(event.NewProcessor(st, (&handler{}).handle), logger)
			for _, b := range tt.before {
				require.NoError(t, target(t.Context(), json.RawMessage(b)))
			}
			err := target(t.Context(), json.RawMessage(tt.body))
			if tt.wantText == "" {
				assert.NoError(t, err)
			} else {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantText)
				if tt.wantErr != nil {
					assert.ErrorIs(t, err, tt.wantErr)
				}
			}
			logs := entries(t, buf)
			if tt.wantLevel == "" {
				assert.Empty(t, logs)
			} else {
				require.Len(t, logs, 1)
				assert.Equal(t, tt.wantLevel, logs[0]["level"])
				assert.NotContains(t, logs[0], "message_id")
			}
			assert.NotContains(t, buf.String(), bodyMarker)
		})
	}
}

// SQS and EventBridge without a logger write to slog.Default().
func TestDefaultLogger(t *testing.T) { //nolint:paralleltest // sets slog's default logger
	logger, buf := logged()
	prev := slog.Default()
	slog.SetDefault(logger)
	defer slog.SetDefault(prev)
	p := event.NewProcessor(event.NewMemoryStore(), (&handler{}).handle)
	_, err := eventlambda.SQS(p)(t.Context(), sqsEvent(malformedJSON))
	require.NoError(t, err)
	require.NoError(t, eventlambda.EventBridge(p)(t.Context(), json.RawMessage(malformedJSON)))
	logs := entries(t, buf)
	require.Len(t, logs, 2)
	assert.Equal(t, "msg-1", logs[0]["message_id"])
	assert.Equal(t, "event: the input is not JSON: unexpected end of JSON input", logs[1]["error"])
}
