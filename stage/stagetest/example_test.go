package stagetest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"

	"github.com/ivsrt/ivsrt/stage/stagetest"
)

// A test wires the official SDK client to the fake and asserts on responses and requests.
func Example() {
	ctx := context.Background()
	srv := stagetest.New()
	client := ivsrealtime.NewFromConfig(srv.Config())

	out, err := client.CreateStage(ctx, &ivsrealtime.CreateStageInput{
		Name: aws.String("demo"),
		ParticipantTokenConfigurations: []types.ParticipantTokenConfiguration{
			{UserId: aws.String("alice")},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	rec := out.Stage.AutoParticipantRecordingConfiguration
	fmt.Println("name:", aws.ToString(out.Stage.Name))
	fmt.Println("events:", aws.ToString(out.Stage.Endpoints.Events))
	fmt.Println("segment seconds:", aws.ToInt32(rec.HlsConfiguration.TargetSegmentDurationSeconds))
	fmt.Println("record replicas:", rec.RecordParticipantReplicas)
	tok := out.ParticipantTokens[0]
	fmt.Println("token:", aws.ToString(tok.UserId), aws.ToInt32(tok.Duration), tok.Capabilities)

	// The fake validates like the service.
	_, err = client.CreateParticipantToken(ctx, &ivsrealtime.CreateParticipantTokenInput{
		StageArn: out.Stage.Arn,
		Duration: aws.Int32(20161),
	})
	var invalid *types.ValidationException
	fmt.Println("validation error:", errors.As(err, &invalid))

	for _, r := range srv.Requests() {
		fmt.Println("request:", r.Operation)
	}
	fmt.Println("duration sent:", srv.Requests()[1].JSON()["duration"])
	// Output:
	// name: demo
	// events: wss://global.events.live-video.net
	// segment seconds: 6
	// record replicas: true
	// token: alice 720 [PUBLISH SUBSCRIBE]
	// validation error: true
	// request: CreateStage
	// request: CreateParticipantToken
	// duration sent: 20161
}

// FailNext injects a fault; the SDK's retryer retries it.
func ExampleServer_FailNext() {
	ctx := context.Background()
	srv := stagetest.New()
	client := ivsrealtime.NewFromConfig(srv.Config())

	srv.FailNext("ListStages", http.StatusInternalServerError, "InternalServerException")
	_, err := client.ListStages(ctx, &ivsrealtime.ListStagesInput{})
	fmt.Println("error:", err)
	for _, r := range srv.Requests() {
		fmt.Println(r.Operation, r.Header.Get("amz-sdk-request"))
	}
	// Output:
	// error: <nil>
	// ListStages attempt=1; max=3
	// ListStages attempt=2; max=3
}
