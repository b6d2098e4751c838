package composition_test

import (
	"context"
	"fmt"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/stage/composition"
)

// Create an RTMPS ingest configuration: the stream key prints redacted everywhere; only StreamKey returns
// it, to hand to the publisher's encoder.
func ExampleClient_CreateIngest() {
	m := testutil.NewMock() // stands in for the service
	m.Respond("CreateIngestConfiguration", 200, `{"ingestConfiguration":{"arn":"`+ingestARN+`","stageArn":"`+stageARN+`",
		"participantId":"xyz123","ingestProtocol":"RTMPS","state":"INACTIVE","streamKey":"`+streamKey+`"}}`)
	client := composition.NewClientFromConfig(m.Config())

	ing, err := client.CreateIngest(context.Background(), composition.NewIngest(stageARN, composition.RTMPS).WithName("studio"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%v\n", ing)
	fmt.Println("key length:", len(ing.StreamKey()))
	// Output:
	// {ARN: "arn:aws:ivs:us-east-1:123456789012:ingest-configuration/AbCdEf123456", Name: "", StageARN: "arn:aws:ivs:us-east-1:123456789012:stage/WyGkzNFGwiwr", ParticipantID: "xyz123", UserID: "", Protocol: RTMPS, State: INACTIVE, StreamKey: [REDACTED]}
	// key length: 71
}
