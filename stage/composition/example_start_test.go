package composition_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/stage/composition"
)

// Start a grid composition recorded to S3 with no gap between the tiles: gridGap 0, which the official
// client would drop, is sent, and the S3 destination's recording Location comes back.
func ExampleClient_Start() {
	m := testutil.NewMock() // stands in for the service; in production: composition.NewClientFromConfig(cfg)
	m.Respond("StartComposition", 200, `{"composition":{"arn":"`+compositionARN+`","stageArn":"`+stageARN+`","state":"STARTING",
		"layout":{"grid":{"gridGap":0}},
		"destinations":[{"id":"2pBRKrNgX1ff","state":"STARTING","configuration":{"s3":{"storageConfigurationArn":"`+storageARN+`",
		"encoderConfigurationArns":["`+encoderARN+`"]}},"detail":{"s3":{"recordingPrefix":"MNALAcH9j2EJ/s2AdaGUbvQgp/2pBRKrNgX1ff/composite"}}}]}}`)
	client := composition.NewClientFromConfig(m.Config())

	cfg := composition.New(stageARN).
		WithLayout(composition.Grid().WithGridGap(0)).
		WithDestinations(composition.ToS3(storageARN).WithEncoders(encoderARN)).
		WithRequestKey("nightly-show")
	c, err := client.Start(context.Background(), cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	var sent struct {
		Layout json.RawMessage `json:"layout"`
	}
	_ = json.Unmarshal(m.Requests()[0].Body, &sent)
	fmt.Println("sent layout:", string(sent.Layout))
	fmt.Println(c.ID(), c.State)
	for _, loc := range c.Recordings() {
		fmt.Println("recording prefix:", loc.Prefix)
	}
	// Output:
	// sent layout: {"grid":{"gridGap":0}}
	// s2AdaGUbvQgp STARTING
	// recording prefix: MNALAcH9j2EJ/s2AdaGUbvQgp/2pBRKrNgX1ff/composite
}
