package eventdb_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage/event"
	"github.com/ivsrt/ivsrt/stage/event/eventdb"
	"github.com/ivsrt/ivsrt/stage/event/internal/storetest"
)

// The Store contract, against a DynamoDB-protocol server (each scenario on its own table).
func TestStoreContract(t *testing.T) {
	t.Parallel()
	client, _ := dynamo(t)
	storetest.Run(t, func(t *testing.T) event.Store { return eventdb.New(client, newTable(t, client)) })
}

// recordingEnd is a Recording End with the given ID.
func recordingEnd(t testing.TB, id string) []byte {
	t.Helper()
	data, err := json.Marshal(event.Recording{
		Envelope: event.Envelope{ID: id, Account: "123456789012", Region: "us-east-1", Time: storetest.Start,
			Resources: []string{"arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij"}},
		Name: event.RecordingEnd, SessionID: "st-1", ParticipantID: "p1", Duration: time.Minute,
		Location: recording.Location{Bucket: "my-recordings", Prefix: "AbCdef1G2hij/st-1/p1/2026-03-13T19-43-19Z"},
	})
	require.NoError(t, err)
	return data
}

// The requests one event costs, delivery by delivery, and the item they leave: the figures of the
// package doc. (dynalite does not return the old item on a failed condition, so a duplicate costs a
// GetItem there; DynamoDB answers it with the failure, see TestClaimReadsTheOldItemFromTheFailure.)
func TestRequestsPerEvent(t *testing.T) {
	t.Parallel()
	client, calls := dynamo(t)
	table := newTable(t, client)
	clock := storetest.NewClock()
	runs := 0
	var fail error
	p := event.NewProcessor(eventdb.New(client, table), func(context.Context, event.Event) error {
		runs++
		return fail
	}, event.WithClock(clock.Now), event.WithTTL(storetest.TTL), event.WithLease(storetest.Lease))

	tests := []struct {
		name    string
		id      string
		fail    error
		wantErr error
		wantOps []string
	}{
		{name: "first delivery: claim and done", id: "e1", wantOps: []string{"PutItem", "UpdateItem"}},
		{name: "duplicate: a failed claim (and, on dynalite, the read of the item)", id: "e1", wantErr: event.ErrDuplicate,
			wantOps: []string{"PutItem", "GetItem"}},
		{name: "handler failure: claim and release", id: "e2", fail: errors.New("busy"), wantErr: errors.New("busy"),
			wantOps: []string{"PutItem", "DeleteItem"}},
		{name: "redelivery after the failure: claim and done", id: "e2", wantOps: []string{"PutItem", "UpdateItem"}},
	}
	for _, tt := range tests {
		calls.Reset()
		fail = tt.fail
		err := p.Process(t.Context(), recordingEnd(t, tt.id))
		switch {
		case tt.wantErr == nil:
			assert.NoError(t, err, tt.name)
		case errors.Is(tt.wantErr, event.ErrDuplicate):
			assert.ErrorIs(t, err, event.ErrDuplicate, tt.name)
		default:
			assert.ErrorContains(t, err, tt.wantErr.Error(), tt.name)
		}
		assert.Equal(t, tt.wantOps, calls.Ops(), tt.name)
	}
	assert.Equal(t, 3, runs)

	// The done item: one per ID, expires_at the end of the TTL in Unix seconds, no lease left.
	out, err := client.GetItem(t.Context(), &dynamodb.GetItemInput{TableName: aws.String(table),
		Key: map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: "e1"}}, ConsistentRead: aws.Bool(true)})
	require.NoError(t, err)
	require.NotNil(t, out.Item)
	assert.Equal(t, &types.AttributeValueMemberS{Value: "done"}, out.Item["status"])
	assert.Equal(t, &types.AttributeValueMemberN{Value: "1773431659"}, out.Item["expires_at"], "Start + 10 min")
	assert.Equal(t, storetest.Start.Add(storetest.TTL).Unix(), int64(1773431659))
	assert.NotContains(t, out.Item, "lease_until")
	assert.Contains(t, out.Item, "owner")
}

// Consumers racing on one ID, each with its own Processor and Store (as separate Lambda environments):
// exactly one runs the handler; the others get ErrInProgress while it runs, then ErrDuplicate.
func TestRacingConsumers(t *testing.T) {
	t.Parallel()
	client, _ := dynamo(t)
	table := newTable(t, client)
	body := recordingEnd(t, "raced")
	const racers = 8
	var mu sync.Mutex
	runs := 0
	var others sync.WaitGroup
	others.Add(racers - 1)
	answered := make(chan struct{})
	go func() { others.Wait(); close(answered) }()
	handler := func(context.Context, event.Event) error {
		mu.Lock()
		runs++
		mu.Unlock()
		select { // hold the claim until every other consumer has answered
		case <-answered:
			return nil
		case <-time.After(30 * time.Second): // two winners: the others never all answer
			return errors.New("the other consumers did not answer")
		}
	}
	errs := make([]error, racers)
	var wg sync.WaitGroup
	for i := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = event.NewProcessor(eventdb.New(client, table), handler).Process(context.Background(), body)
			if errs[i] != nil {
				others.Done()
			}
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
		} else {
			assert.ErrorIs(t, err, event.ErrInProgress)
		}
	}
	assert.Equal(t, 1, won)
	assert.Equal(t, 1, runs)
	err := event.NewProcessor(eventdb.New(client, table), handler).Process(t.Context(), body)
	assert.ErrorIs(t, err, event.ErrDuplicate)
}

// A table that does not exist: the SDK's error, wrapped, naming the call, the ID and the table.
func TestMissingTable(t *testing.T) {
	t.Parallel()
	client, _ := dynamo(t)
	store := eventdb.New(client, "ivsrt-no-such-table")
	err := store.Claim(t.Context(), "e1", time.Minute)
	require.Error(t, err)
	var notFound *types.ResourceNotFoundException
	assert.ErrorAs(t, err, &notFound)
	assert.Contains(t, err.Error(), `eventdb: Claim of event ID "e1" in table ivsrt-no-such-table: `)
}
