package eventdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ivsrt/ivsrt/stage/event"
)

// The item of one event ID. Every attribute but the key is written by Claim and Done.
const (
	// AttrID is the partition key (type S): the event's ID.
	AttrID = "id"
	// AttrStatus (S) is StatusInProgress or StatusDone.
	AttrStatus = "status"
	// AttrOwner (S) is the owner of the claim (event.Claimant.Owner): Done and Release are conditioned on it.
	AttrOwner = "owner"
	// AttrLeaseUntil (N) is the end of an in-progress claim's lease, in Unix milliseconds (rounded up).
	AttrLeaseUntil = "lease_until"
	// AttrExpiresAt (N) is when the item stops counting, in Unix seconds (rounded up): the end of the lease
	// (in progress) or of the TTL (done). Make it the table's TTL attribute so that DynamoDB deletes expired
	// items; the conditions check it too, as TTL deletion is lazy (typically within days).
	AttrExpiresAt = "expires_at"
)

// The values of AttrStatus.
const (
	// StatusInProgress: claimed, the handler running (or its consumer gone) until lease_until.
	StatusInProgress = "in_progress"
	// StatusDone: the handler returned nil; a duplicate until expires_at.
	StatusDone = "done"
)

// maxClaimAttempts bounds the PutItem attempts of one Claim: another attempt is made only when the item
// that failed the condition had itself expired or gone by the time it was read (a race with an expiry, a
// Release or a TTL deletion).
const maxClaimAttempts = 3

// New returns an event.Store that keeps event IDs in the DynamoDB table, one item per ID, with the
// official client. Its calls are made with client as it is (retries, endpoint and credentials are the
// client's); a nil client or an empty table name makes every call fail before sending anything. The Store
// is safe for concurrent use by many processes: DynamoDB's conditional writes decide who claims an ID.
func New(client *dynamodb.Client, table string) event.Store {
	s := &store{client: client, table: table, owner: randomOwner()}
	switch {
	case client == nil:
		s.err = errors.New("eventdb: New: the DynamoDB client is nil")
	case table == "":
		s.err = errors.New("eventdb: New: the table name is empty")
	}
	return s
}

type store struct {
	client *dynamodb.Client
	table  string
	owner  string // of calls without an event.Claimant
	err    error
}

// CreateTableInput returns the CreateTable input of a table for New: partition key AttrID (S), no sort
// key, on-demand capacity (PAY_PER_REQUEST). Enable the TTL on AttrExpiresAt afterwards
// (TimeToLiveInput).
func CreateTableInput(table string) *dynamodb.CreateTableInput {
	return &dynamodb.CreateTableInput{
		TableName:            aws.String(table),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String(AttrID), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String(AttrID), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
	}
}

// TimeToLiveInput returns the UpdateTimeToLive input that makes DynamoDB delete the table's expired items
// (attribute AttrExpiresAt).
func TimeToLiveInput(table string) *dynamodb.UpdateTimeToLiveInput {
	return &dynamodb.UpdateTimeToLiveInput{
		TableName:               aws.String(table),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String(AttrExpiresAt), Enabled: aws.Bool(true)},
	}
}

// names are the expression attribute names of every expression (status and owner are reserved words).
func names(keys ...string) map[string]string {
	m := make(map[string]string, len(keys))
	for _, k := range keys {
		m["#"+k] = k
	}
	return m
}

func s(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
func n(v int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(v, 10)}
}

// ceilUnix returns t in whole units (milliseconds or seconds) since the Unix epoch, rounded up; floorUnix
// rounded down.
func ceilUnix(t time.Time, unit time.Duration) int64 {
	ns := t.UnixNano()
	q := ns / int64(unit)
	if ns%int64(unit) > 0 {
		q++
	}
	return q
}

func floorUnix(t time.Time, unit time.Duration) int64 {
	ns := t.UnixNano()
	q := ns / int64(unit)
	if ns%int64(unit) < 0 {
		q--
	}
	return q
}

// claimant returns the context's owner and time (the store's owner and time.Now when it has none).
func (st *store) claimant(ctx context.Context) (string, time.Time) {
	c, _ := event.ClaimantFromContext(ctx)
	if c.Owner == "" {
		c.Owner = st.owner
	}
	if c.Now == nil {
		return c.Owner, time.Now()
	}
	return c.Owner, c.Now()
}

func (st *store) check(method, id, what string, d time.Duration) error {
	if st.err != nil {
		return st.err
	}
	if id == "" {
		return errors.New("eventdb: " + method + ": the event ID is empty")
	}
	if what != "" && d <= 0 {
		return errors.New("eventdb: " + method + ": " + what + " " + d.String() + " is not positive")
	}
	return nil
}

// Claim makes one PutItem of the ID's item (status in progress, the owner, the lease), conditioned on the
// item not existing, or having expired (expires_at), or being in progress with its lease ended. When the
// condition fails, the old item says which answer it is (ErrDuplicate or ErrInProgress): DynamoDB returns
// it with the failure (ReturnValuesOnConditionCheckFailure ALL_OLD), so no read is made; a server that
// does not (dynalite, DynamoDB Local before 2.0) costs one GetItem with ConsistentRead.
func (st *store) Claim(ctx context.Context, id string, lease time.Duration) error {
	if err := st.check("Claim", id, "lease", lease); err != nil {
		return err
	}
	owner, now := st.claimant(ctx)
	for range maxClaimAttempts {
		leaseUntil := now.Add(lease)
		_, err := st.client.PutItem(ctx, &dynamodb.PutItemInput{
			TableName: aws.String(st.table),
			Item: map[string]types.AttributeValue{
				AttrID:         s(id),
				AttrStatus:     s(StatusInProgress),
				AttrOwner:      s(owner),
				AttrLeaseUntil: n(ceilUnix(leaseUntil, time.Millisecond)),
				AttrExpiresAt:  n(ceilUnix(leaseUntil, time.Second)),
			},
			ConditionExpression:      aws.String("attribute_not_exists(#id) OR #expires_at <= :now_s OR (#status = :in_progress AND #lease_until <= :now_ms)"),
			ExpressionAttributeNames: names(AttrID, AttrExpiresAt, AttrStatus, AttrLeaseUntil),
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":now_s":       n(floorUnix(now, time.Second)),
				":now_ms":      n(floorUnix(now, time.Millisecond)),
				":in_progress": s(StatusInProgress),
			},
			ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
		})
		var failed *types.ConditionalCheckFailedException
		if err == nil {
			return nil
		}
		if !errors.As(err, &failed) {
			return fmt.Errorf("eventdb: Claim of event ID %q in table %s: %w", id, st.table, err)
		}
		old := failed.Item
		if old == nil {
			got, err := st.client.GetItem(ctx, &dynamodb.GetItemInput{
				TableName: aws.String(st.table), Key: map[string]types.AttributeValue{AttrID: s(id)}, ConsistentRead: aws.Bool(true),
			})
			if err != nil {
				return fmt.Errorf("eventdb: Claim of event ID %q in table %s: reading the item that holds it: %w", id, st.table, err)
			}
			old = got.Item
		}
		if answer := holds(old, now); answer != nil {
			return answer
		}
		// The item expired or went away between the write and the read: try again.
	}
	return event.ErrInProgress
}

// holds returns ErrDuplicate or ErrInProgress when item (nil when there is none) still holds the ID at
// now, else nil.
func holds(item map[string]types.AttributeValue, now time.Time) error {
	if item == nil {
		return nil
	}
	status := str(item[AttrStatus])
	if num(item[AttrExpiresAt]) <= floorUnix(now, time.Second) {
		return nil
	}
	switch status {
	case StatusDone:
		return event.ErrDuplicate
	case StatusInProgress:
		if num(item[AttrLeaseUntil]) > floorUnix(now, time.Millisecond) {
			return event.ErrInProgress
		}
	}
	return nil
}

func str(v types.AttributeValue) string {
	if m, ok := v.(*types.AttributeValueMemberS); ok {
		return m.Value
	}
	return ""
}

func num(v types.AttributeValue) int64 {
	if m, ok := v.(*types.AttributeValueMemberN); ok {
		i, err := strconv.ParseInt(m.Value, 10, 64)
		if err == nil {
			return i
		}
	}
	return 0
}

// Done makes one UpdateItem: status done, expires_at at the end of the TTL, the lease removed, conditioned
// on the item being in progress under the context's owner (else ErrClaimLost).
func (st *store) Done(ctx context.Context, id string, ttl time.Duration) error {
	if err := st.check("Done", id, "ttl", ttl); err != nil {
		return err
	}
	owner, now := st.claimant(ctx)
	_, err := st.client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                aws.String(st.table),
		Key:                      map[string]types.AttributeValue{AttrID: s(id)},
		UpdateExpression:         aws.String("SET #status = :done, #expires_at = :expires_at REMOVE #lease_until"),
		ConditionExpression:      aws.String("#status = :in_progress AND #owner = :owner"),
		ExpressionAttributeNames: names(AttrStatus, AttrExpiresAt, AttrLeaseUntil, AttrOwner),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":done":        s(StatusDone),
			":expires_at":  n(ceilUnix(now.Add(ttl), time.Second)),
			":in_progress": s(StatusInProgress),
			":owner":       s(owner),
		},
	})
	return st.result("Done", id, err)
}

// Release makes one DeleteItem, conditioned on the item being in progress under the context's owner
// (else ErrClaimLost).
func (st *store) Release(ctx context.Context, id string) error {
	if err := st.check("Release", id, "", 0); err != nil {
		return err
	}
	owner, _ := st.claimant(ctx)
	_, err := st.client.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:                aws.String(st.table),
		Key:                      map[string]types.AttributeValue{AttrID: s(id)},
		ConditionExpression:      aws.String("#status = :in_progress AND #owner = :owner"),
		ExpressionAttributeNames: names(AttrStatus, AttrOwner),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":in_progress": s(StatusInProgress),
			":owner":       s(owner),
		},
	})
	return st.result("Release", id, err)
}

// result turns a Done or Release error into ErrClaimLost (the condition failed) or the store's error.
func (st *store) result(method, id string, err error) error {
	var failed *types.ConditionalCheckFailedException
	switch {
	case err == nil:
		return nil
	case errors.As(err, &failed):
		return event.ErrClaimLost
	}
	return fmt.Errorf("eventdb: %s of event ID %q in table %s: %w", method, id, st.table, err)
}

func randomOwner() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails (Go 1.24+)
	return "eventdb-" + hex.EncodeToString(b[:])
}
