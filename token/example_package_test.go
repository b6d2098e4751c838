package token_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/smithy-go"

	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// The package's flow, on stagetest (against AWS, build the client from your aws.Config): one Config as a
// template, a token issued by the service for a user, handed to the participant's app, which joins. The
// Token prints without its bearer string. Invalid input is refused before anything is sent, every
// violation at once, with the SDK's field paths.
func Example() {
	ctx := context.Background()
	clock := stagetest.NewClock(time.Date(2026, 5, 1, 18, 0, 0, 0, time.UTC))
	srv := stagetest.New(stagetest.WithClock(clock.Now))
	out, err := ivsrealtime.NewFromConfig(srv.Config()).CreateStage(ctx, &ivsrealtime.CreateStageInput{})
	if err != nil {
		log.Fatal(err)
	}
	stageARN := aws.ToString(out.Stage.Arn)

	// A template: each With… returns a copy.
	viewer := token.New().WithDuration(2*time.Hour).WithCapabilities(token.Subscribe).WithAttribute("role", "viewer")
	tokens := token.NewClientFromConfig(srv.Config())
	tok, err := tokens.Create(ctx, stageARN, viewer.WithUserID("alice"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tok.UserID, tok.Capabilities, tok.Duration, tok.Attributes, "until", tok.ExpiresAt.Format(time.RFC3339))
	printed := fmt.Sprint(tok) // as a log line would show it
	fmt.Println("printed:", strings.Contains(printed, token.Redacted), "with the bearer string:", strings.Contains(printed, tok.Value()))

	pid, err := srv.Join(stageARN, tok.Value()) // the app joins with the bearer string
	fmt.Println("joined:", pid == tok.ParticipantID, err)

	sent := srv.RequestCount()
	_, err = tokens.Create(ctx, stageARN, viewer.WithUserID("bob").WithDuration(90*time.Second).WithCapabilities())
	var op *smithy.OperationError
	var invalid smithy.InvalidParamsError
	if errors.As(err, &op) && errors.As(err, &invalid) {
		fmt.Println(op.OperationName, "refused:")
		for _, e := range invalid.Errs() {
			fmt.Println("  ", e)
		}
	}
	fmt.Println("requests sent for it:", srv.RequestCount()-sent)
	// Output:
	// alice [SUBSCRIBE] 2h0m0s map[role:viewer] until 2026-05-01T20:00:00Z
	// printed: true with the bearer string: false
	// joined: true <nil>
	// CreateParticipantToken refused:
	//    value 1m30s is not a whole number of minutes, CreateParticipantTokenInput.Duration.
	//    no capability given: name Publish and/or Subscribe, or leave capabilities unset for both, CreateParticipantTokenInput.Capabilities.
	// requests sent for it: 0
}
