package eventdb_test

import (
	"context"
	"errors"
	"log"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ivsrt/ivsrt/stage/event"
	"github.com/ivsrt/ivsrt/stage/event/eventdb"
)

// A Processor whose event IDs live in DynamoDB: every consumer built so, in any process, runs the handler
// once per event ID between them. (Not run: it needs AWS credentials and the table.)
func Example() {
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		log.Fatal(err)
	}
	store := eventdb.New(dynamodb.NewFromConfig(cfg), "ivs-events")
	p := event.NewProcessor(store, func(ctx context.Context, ev event.Event) error {
		if rec, ok := ev.(event.Recording); ok && rec.Name == event.RecordingEnd {
			log.Println("process", rec.Location.URI())
		}
		return nil
	})
	var body []byte // an EventBridge event, e.g. an SQS message's body
	if err := p.Process(ctx, body); err != nil && !errors.Is(err, event.ErrDuplicate) {
		log.Println(err)
	}
}

// Creating the table once, with the TTL on expires_at, from Go. (Not run: it needs AWS credentials.)
func ExampleCreateTableInput() {
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		log.Fatal(err)
	}
	client := dynamodb.NewFromConfig(cfg)
	_, err = client.CreateTable(ctx, eventdb.CreateTableInput("ivs-events"))
	var exists *types.ResourceInUseException
	if err != nil && !errors.As(err, &exists) {
		log.Fatal(err)
	}
	if err := dynamodb.NewTableExistsWaiter(client).Wait(ctx, &dynamodb.DescribeTableInput{TableName: eventdb.CreateTableInput("ivs-events").TableName}, 5*time.Minute); err != nil {
		log.Fatal(err)
	}
	if _, err := client.UpdateTimeToLive(ctx, eventdb.TimeToLiveInput("ivs-events")); err != nil {
		log.Fatal(err)
	}
}
