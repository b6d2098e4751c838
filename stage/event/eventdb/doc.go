// Package eventdb is an event.Store on Amazon DynamoDB, for many consumers of IVS events (Lambda
// functions, containers, replays) that must run a handler once per event ID between them, with the
// official client (github.com/aws/aws-sdk-go-v2/service/dynamodb):
//
//	cfg, err := config.LoadDefaultConfig(ctx)
//	…
//	store := eventdb.New(dynamodb.NewFromConfig(cfg), "ivs-events")
//	p := event.NewProcessor(store, handle) // handle(ctx, ev) runs once per event ID
//	lambda.Start(eventlambda.SQS(p))
//
// DynamoDB is the engine: each call is one conditional write, and DynamoDB decides which of several
// racing consumers claims an ID. There is no lock, cache or clock of this package's own; times come from
// the Processor's clock (event.WithClock) through the context's event.Claimant.
//
// # The item
//
// One item per event ID, partition key "id" (S):
//
//	id           S  the event's ID (AttrID)
//	status       S  "in_progress" or "done" (AttrStatus)
//	owner        S  who claimed it: one value per Process call (AttrOwner)
//	lease_until  N  in progress: the end of the lease, Unix milliseconds, rounded up (AttrLeaseUntil)
//	expires_at   N  the end of the lease (in progress) or of the TTL (done), Unix seconds, rounded up (AttrExpiresAt)
//
// Claim is a PutItem of an in-progress item, conditioned on
//
//	attribute_not_exists(id) OR expires_at <= :now_s OR (status = "in_progress" AND lease_until <= :now_ms)
//
// so an ID is claimed when it is unknown, expired, or held by a claim whose lease has ended (a consumer
// that crashed mid-handler). DynamoDB's TTL deletes an expired item only eventually (typically within a few
// days), so the condition checks expires_at itself; the TTL only keeps the table small. When the condition
// fails, ReturnValuesOnConditionCheckFailure ALL_OLD returns the item that holds the ID with the failure,
// which says ErrDuplicate (done) or ErrInProgress (claimed) without a second request. Servers that do not
// return it (dynalite, on which this package is tested, and DynamoDB Local before 2.0) cost one GetItem
// with ConsistentRead instead. If the item read no longer holds the ID (it expired or was released in
// between), the claim is tried again, at most three PutItems in all, then ErrInProgress.
//
// Done is an UpdateItem (status "done", expires_at the end of the TTL, lease_until removed) and Release a
// DeleteItem, both conditioned on
//
//	status = "in_progress" AND owner = :owner
//
// so that a consumer whose lease ended and whose claim another consumer took over can neither mark done
// nor release the new claim: it gets event.ErrClaimLost, and Process says that its handler ran. A consumer
// whose lease ended but whom nobody took over still marks done. A Store from New used directly (without a
// Processor, so without a Claimant in the context) is one owner of its own, on time.Now.
//
// # The table
//
// Create it once, on demand capacity, with the TTL on expires_at (CreateTableInput and TimeToLiveInput
// give the same inputs to the SDK):
//
//	aws dynamodb create-table --table-name ivs-events \
//	    --attribute-definitions AttributeName=id,AttributeType=S \
//	    --key-schema AttributeName=id,KeyType=HASH --billing-mode PAY_PER_REQUEST
//	aws dynamodb update-time-to-live --table-name ivs-events \
//	    --time-to-live-specification Enabled=true,AttributeName=expires_at
//
// or in CloudFormation:
//
//	EventsTable:
//	  Type: AWS::DynamoDB::Table
//	  Properties:
//	    TableName: ivs-events
//	    BillingMode: PAY_PER_REQUEST
//	    AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
//	    KeySchema: [{AttributeName: id, KeyType: HASH}]
//	    TimeToLiveSpecification: {AttributeName: expires_at, Enabled: true}
//
// The consumers' role needs dynamodb:PutItem, dynamodb:UpdateItem, dynamodb:DeleteItem and (for servers
// without ALL_OLD on failure) dynamodb:GetItem on the table.
//
// # Cost per event
//
// Counted by TestRequestsPerEvent (requests through a counting HTTP transport, against dynalite) and
// TestClaimReadsTheOldItemFromTheFailure (DynamoDB's answers, mocked); an item is under 1 KB, so each write
// is 1 write request unit (a failed conditional write is charged too) and a read 1 read request unit:
//
//	first delivery, handler succeeds     PutItem + UpdateItem    2 writes
//	duplicate (done)                     PutItem (fails)         1 write   (+1 strongly consistent read on dynalite)
//	racing delivery (in progress)        PutItem (fails)         1 write   (+1 read on dynalite)
//	handler fails                        PutItem + DeleteItem    2 writes  (its redelivery: 2 writes more)
//
// So an event delivered once costs 2 write units, each duplicate 1 more; at on-demand prices (about
// US$0.625 per million write units in us-east-1 at the time of writing) a million events cost about
// US$1.25, plus storage of the items for the TTL.
//
// # Performance
//
// BenchmarkRequestsPerEvent reports the same counts (requests/event) and the time per event, which is the
// server's round trips, against the DynamoDB-protocol server IVSRT_DYNAMODB_ENDPOINT names (dynalite in CI;
// skipped without one):
//
//	IVSRT_DYNAMODB_ENDPOINT=http://127.0.0.1:8000 go test -run '^$' -bench RequestsPerEvent -benchtime 200ms ./stage/event/eventdb
package eventdb
