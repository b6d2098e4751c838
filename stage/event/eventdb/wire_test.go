package eventdb_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/event"
	"github.com/ivsrt/ivsrt/stage/event/eventdb"
	"github.com/ivsrt/ivsrt/stage/event/internal/storetest"
)

// The tests of this file run the official client against an httpmock transport that answers as DynamoDB
// does (JSON 1.0), to see the wire and the answers dynalite does not give.

const mockEndpoint = "https://dynamodb.test"

// reply is one mocked answer: an HTTP status and a JSON body.
type reply struct {
	status int
	body   string
}

// ok is DynamoDB's answer to a write without ReturnValues.
var ok = reply{200, `{}`}

// conditionFailed is a ConditionalCheckFailedException, with the old item (JSON) when item is not "".
func conditionFailed(item string) reply {
	body := `{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"`
	if item != "" {
		body += `,"Item":` + item
	}
	return reply{400, body + `}`}
}

// mocked returns a client whose requests are answered in turn by replies (a test fails on one too many),
// and the record of its requests.
func mocked(t *testing.T, replies ...reply) (*dynamodb.Client, *counting) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	next := 0
	mt.RegisterResponder(http.MethodPost, mockEndpoint+"/", func(*http.Request) (*http.Response, error) {
		if next >= len(replies) {
			t.Errorf("request %d: no reply left", next+1)
			return httpmock.NewStringResponse(500, `{"__type":"InternalServerError"}`), nil
		}
		r := replies[next]
		next++
		resp := httpmock.NewStringResponse(r.status, r.body)
		resp.Header.Set("Content-Type", "application/x-amz-json-1.0")
		return resp, nil
	})
	return newClient(mockEndpoint, mt, func(o *dynamodb.Options) { o.Retryer = aws.NopRetryer{} })
}

// at returns a context whose claimant is owner at Start + d.
func at(t *testing.T, owner string, d time.Duration) context.Context {
	now := storetest.Start.Add(d)
	return event.ContextWithClaimant(t.Context(), event.Claimant{Owner: owner, Now: func() time.Time { return now }})
}

var (
	startS  = storetest.Start.Unix()
	startMS = storetest.Start.UnixMilli()
)

func num(v int64) map[string]any  { return map[string]any{"N": strconv.FormatInt(v, 10)} }
func str(v string) map[string]any { return map[string]any{"S": v} }

// Claim's PutItem: the whole item, the condition, ALL_OLD on failure; times rounded so that the lease
// holds at least as long as asked (up), and now is never ahead of the clock (down).
func TestClaimWire(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                     string
		now                      time.Duration // after Start
		lease                    time.Duration
		wantLeaseMS, wantExpires int64
		wantNowS, wantNowMS      int64
	}{
		{name: "whole seconds", now: 0, lease: storetest.Lease,
			wantLeaseMS: startMS + 30_000, wantExpires: startS + 30, wantNowS: startS, wantNowMS: startMS},
		{name: "a fraction of a millisecond is rounded up for the lease, down for now", now: 1500 * time.Microsecond, lease: storetest.Lease,
			wantLeaseMS: startMS + 30_002, wantExpires: startS + 31, wantNowS: startS, wantNowMS: startMS + 1},
		{name: "1 ns lease", now: 0, lease: time.Nanosecond,
			wantLeaseMS: startMS + 1, wantExpires: startS + 1, wantNowS: startS, wantNowMS: startMS},
		{name: "last nanosecond of a second", now: time.Second - time.Nanosecond, lease: time.Second,
			wantLeaseMS: startMS + 2000, wantExpires: startS + 2, wantNowS: startS, wantNowMS: startMS + 999},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			client, calls := mocked(t, ok)
			require.NoError(t, eventdb.New(client, "events").Claim(at(t, "owner-a", tt.now), "e1", tt.lease))
			got := calls.Calls()
			require.Len(t, got, 1)
			assert.Equal(t, "PutItem", got[0].Op)
			assert.Equal(t, map[string]any{
				"TableName": "events",
				"Item": map[string]any{
					"id": str("e1"), "status": str("in_progress"), "owner": str("owner-a"),
					"lease_until": num(tt.wantLeaseMS), "expires_at": num(tt.wantExpires),
				},
				"ConditionExpression": "attribute_not_exists(#id) OR #expires_at <= :now_s OR (#status = :in_progress AND #lease_until <= :now_ms)",
				"ExpressionAttributeNames": map[string]any{
					"#id": "id", "#expires_at": "expires_at", "#status": "status", "#lease_until": "lease_until",
				},
				"ExpressionAttributeValues": map[string]any{
					":now_s": num(tt.wantNowS), ":now_ms": num(tt.wantNowMS), ":in_progress": str("in_progress"),
				},
				"ReturnValuesOnConditionCheckFailure": "ALL_OLD",
			}, got[0].Body)
		})
	}
}

// item is the JSON of a stored item.
func item(status string, leaseUntilMS, expiresAtS int64) string {
	m := map[string]any{"id": str("e1"), "status": str(status), "owner": str("owner-a"), "expires_at": num(expiresAtS)}
	if leaseUntilMS != 0 {
		m["lease_until"] = num(leaseUntilMS)
	}
	data, _ := json.Marshal(m)
	return string(data)
}

// When the condition fails, the old item DynamoDB returns with the failure decides the answer, with no
// read; at the instant a lease or TTL ends, the item no longer holds (a race with its expiry: the claim is
// tried again, at most three times). Without the old item (dynalite), one consistent GetItem reads it.
func TestClaimReadsTheOldItemFromTheFailure(t *testing.T) {
	t.Parallel()
	now := time.Duration(0) // the claim is made at Start
	tests := []struct {
		name    string
		replies []reply
		wantErr error
		wantOps []string
	}{
		{name: "done within its TTL: duplicate", replies: []reply{conditionFailed(item("done", 0, startS+1))},
			wantErr: event.ErrDuplicate, wantOps: []string{"PutItem"}},
		{name: "in progress within its lease: in progress", replies: []reply{conditionFailed(item("in_progress", startMS+1, startS+1))},
			wantErr: event.ErrInProgress, wantOps: []string{"PutItem"}},
		{name: "in progress, lease ends now: tried again", replies: []reply{conditionFailed(item("in_progress", startMS, startS+1)), ok},
			wantOps: []string{"PutItem", "PutItem"}},
		{name: "done, TTL ends now: tried again", replies: []reply{conditionFailed(item("done", 0, startS)), ok},
			wantOps: []string{"PutItem", "PutItem"}},
		{name: "in progress, expires_at ends now: tried again", replies: []reply{conditionFailed(item("in_progress", startMS+5000, startS)), ok},
			wantOps: []string{"PutItem", "PutItem"}},
		{name: "an unknown status within expires_at: tried again", replies: []reply{conditionFailed(item("paused", 0, startS+9)), ok},
			wantOps: []string{"PutItem", "PutItem"}},
		{name: "always an expired item: in progress after three attempts", replies: []reply{
			conditionFailed(item("done", 0, startS)), conditionFailed(item("done", 0, startS)), conditionFailed(item("done", 0, startS))},
			wantErr: event.ErrInProgress, wantOps: []string{"PutItem", "PutItem", "PutItem"}},
		{name: "no old item in the failure: one read", replies: []reply{conditionFailed(""), {200, `{"Item":` + item("done", 0, startS+60) + `}`}},
			wantErr: event.ErrDuplicate, wantOps: []string{"PutItem", "GetItem"}},
		{name: "no old item, and gone when read: tried again", replies: []reply{conditionFailed(""), {200, `{}`}, ok},
			wantOps: []string{"PutItem", "GetItem", "PutItem"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			client, calls := mocked(t, tt.replies...)
			err := eventdb.New(client, "events").Claim(at(t, "owner-b", now), "e1", time.Minute)
			if tt.wantErr == nil {
				assert.NoError(t, err)
			} else {
				assert.Equal(t, tt.wantErr, err)
			}
			assert.Equal(t, tt.wantOps, calls.Ops())
			for _, c := range calls.Calls() {
				if c.Op == "GetItem" {
					assert.Equal(t, map[string]any{"TableName": "events", "Key": map[string]any{"id": str("e1")}, "ConsistentRead": true}, c.Body)
				}
			}
		})
	}
}

// Done and Release: one conditional write each, on the owner's claim; a failed condition is ErrClaimLost.
func TestDoneAndReleaseWire(t *testing.T) {
	t.Parallel()
	condition := "#status = :in_progress AND #owner = :owner"
	tests := []struct {
		name     string
		call     func(event.Store, context.Context) error
		reply    reply
		wantErr  error
		wantOp   string
		wantBody map[string]any
	}{
		{name: "done", call: func(s event.Store, ctx context.Context) error { return s.Done(ctx, "e1", storetest.TTL) }, reply: ok,
			wantOp: "UpdateItem", wantBody: map[string]any{
				"TableName": "events", "Key": map[string]any{"id": str("e1")},
				"UpdateExpression":    "SET #status = :done, #expires_at = :expires_at REMOVE #lease_until",
				"ConditionExpression": condition,
				"ExpressionAttributeNames": map[string]any{"#status": "status", "#expires_at": "expires_at",
					"#lease_until": "lease_until", "#owner": "owner"},
				"ExpressionAttributeValues": map[string]any{":done": str("done"), ":expires_at": num(startS + 601),
					":in_progress": str("in_progress"), ":owner": str("owner-a")},
			}},
		{name: "done of a lost claim", call: func(s event.Store, ctx context.Context) error { return s.Done(ctx, "e1", storetest.TTL) },
			reply: conditionFailed(""), wantErr: event.ErrClaimLost, wantOp: "UpdateItem"},
		{name: "release", call: func(s event.Store, ctx context.Context) error { return s.Release(ctx, "e1") }, reply: ok,
			wantOp: "DeleteItem", wantBody: map[string]any{
				"TableName": "events", "Key": map[string]any{"id": str("e1")},
				"ConditionExpression":       condition,
				"ExpressionAttributeNames":  map[string]any{"#status": "status", "#owner": "owner"},
				"ExpressionAttributeValues": map[string]any{":in_progress": str("in_progress"), ":owner": str("owner-a")},
			}},
		{name: "release of a lost claim", call: func(s event.Store, ctx context.Context) error { return s.Release(ctx, "e1") },
			reply: conditionFailed(""), wantErr: event.ErrClaimLost, wantOp: "DeleteItem"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			client, calls := mocked(t, tt.reply)
			// At Start + 0.5 s: the TTL's end is rounded up to Start + 601 s.
			err := tt.call(eventdb.New(client, "events"), at(t, "owner-a", 500*time.Millisecond))
			assert.Equal(t, tt.wantErr, err)
			got := calls.Calls()
			require.Len(t, got, 1)
			assert.Equal(t, tt.wantOp, got[0].Op)
			if tt.wantBody != nil {
				assert.Equal(t, tt.wantBody, got[0].Body)
			}
		})
	}
}

// What cannot be sent is refused before anything is: no request.
func TestInvalidCallsSendNothing(t *testing.T) {
	t.Parallel()
	client, calls := mocked(t)
	tests := []struct {
		name    string
		store   event.Store
		call    func(event.Store) error
		wantErr string
	}{
		{"nil client", eventdb.New(nil, "events"), func(s event.Store) error { return s.Claim(t.Context(), "e1", time.Minute) },
			"eventdb: New: the DynamoDB client is nil"},
		{"nil client, done", eventdb.New(nil, "events"), func(s event.Store) error { return s.Done(t.Context(), "e1", time.Minute) },
			"eventdb: New: the DynamoDB client is nil"},
		{"empty table", eventdb.New(client, ""), func(s event.Store) error { return s.Release(t.Context(), "e1") },
			"eventdb: New: the table name is empty"},
		{"empty ID", eventdb.New(client, "events"), func(s event.Store) error { return s.Claim(t.Context(), "", time.Minute) },
			"eventdb: Claim: the event ID is empty"},
		{"empty ID, done", eventdb.New(client, "events"), func(s event.Store) error { return s.Done(t.Context(), "", time.Minute) },
			"eventdb: Done: the event ID is empty"},
		{"empty ID, release", eventdb.New(client, "events"), func(s event.Store) error { return s.Release(t.Context(), "") },
			"eventdb: Release: the event ID is empty"},
		{"zero lease", eventdb.New(client, "events"), func(s event.Store) error { return s.Claim(t.Context(), "e1", 0) },
			"eventdb: Claim: lease 0s is not positive"},
		{"negative TTL", eventdb.New(client, "events"), func(s event.Store) error { return s.Done(t.Context(), "e1", -time.Nanosecond) },
			"eventdb: Done: ttl -1ns is not positive"},
	}
	for _, tt := range tests {
		err := tt.call(tt.store)
		assert.EqualError(t, err, tt.wantErr, tt.name)
	}
	assert.Empty(t, calls.Calls(), "no request sent")
}

// Other errors keep the SDK's types, wrapped with the call, the event ID and the table.
func TestServiceErrors(t *testing.T) {
	t.Parallel()
	internal := reply{500, `{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"try again"}`}
	throttled := reply{400, `{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate of requests exceeds the allowed throughput."}`}
	tests := []struct {
		name     string
		replies  []reply
		call     func(event.Store, context.Context) error
		wantText string
		wantType any
	}{
		{name: "claim", replies: []reply{internal}, call: func(s event.Store, ctx context.Context) error { return s.Claim(ctx, "e1", time.Minute) },
			wantText: `eventdb: Claim of event ID "e1" in table events: operation error DynamoDB: PutItem, `, wantType: new(*types.InternalServerError)},
		{name: "the read after a failed condition", replies: []reply{conditionFailed(""), internal},
			call:     func(s event.Store, ctx context.Context) error { return s.Claim(ctx, "e1", time.Minute) },
			wantText: `eventdb: Claim of event ID "e1" in table events: reading the item that holds it: operation error DynamoDB: GetItem, `, wantType: new(*types.InternalServerError)},
		{name: "done", replies: []reply{throttled}, call: func(s event.Store, ctx context.Context) error { return s.Done(ctx, "e1", time.Minute) },
			wantText: `eventdb: Done of event ID "e1" in table events: operation error DynamoDB: UpdateItem, `, wantType: new(smithy.APIError)},
		{name: "release", replies: []reply{internal}, call: func(s event.Store, ctx context.Context) error { return s.Release(ctx, "e1") },
			wantText: `eventdb: Release of event ID "e1" in table events: operation error DynamoDB: DeleteItem, `, wantType: new(*types.InternalServerError)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			client, calls := mocked(t, tt.replies...)
			err := tt.call(eventdb.New(client, "events"), at(t, "owner-a", 0))
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), tt.wantText), err.Error())
			assert.ErrorAs(t, err, tt.wantType)
			var op *smithy.OperationError
			assert.ErrorAs(t, err, &op)
			for _, sentinel := range []error{event.ErrInProgress, event.ErrDuplicate, event.ErrClaimLost} {
				assert.False(t, errors.Is(err, sentinel))
			}
			assert.Len(t, calls.Calls(), len(tt.replies))
		})
	}
}

// The table CreateTableInput and TimeToLiveInput describe.
func TestTableInputs(t *testing.T) {
	t.Parallel()
	ct := eventdb.CreateTableInput("ivs-events")
	assert.Equal(t, "ivs-events", aws.ToString(ct.TableName))
	assert.Equal(t, []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}}, ct.KeySchema)
	assert.Equal(t, []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeS}}, ct.AttributeDefinitions)
	assert.Equal(t, types.BillingModePayPerRequest, ct.BillingMode)
	ttl := eventdb.TimeToLiveInput("ivs-events")
	assert.Equal(t, "ivs-events", aws.ToString(ttl.TableName))
	assert.Equal(t, &types.TimeToLiveSpecification{AttributeName: aws.String("expires_at"), Enabled: aws.Bool(true)}, ttl.TimeToLiveSpecification)
}
