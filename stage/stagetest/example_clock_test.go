package stagetest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"

	"github.com/ivsrt/ivsrt/stage/stagetest"
)

// A Clock stands still until the test moves it: a token issued for a minute joins at once and is refused
// once the clock has passed its expiry, with no sleep and no wall clock.
func ExampleNewClock() {
	ctx := context.Background()
	clock := stagetest.NewClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	srv := stagetest.New(stagetest.WithClock(clock.Now))
	client := ivsrealtime.NewFromConfig(srv.Config())

	st, _ := client.CreateStage(ctx, &ivsrealtime.CreateStageInput{})
	arn := aws.ToString(st.Stage.Arn)
	issue := func() string {
		tok, _ := client.CreateParticipantToken(ctx, &ivsrealtime.CreateParticipantTokenInput{
			StageArn: aws.String(arn), Duration: aws.Int32(1), // minutes
		})
		fmt.Println("expires", tok.ParticipantToken.ExpirationTime.Format(time.RFC3339))
		return aws.ToString(tok.ParticipantToken.Token)
	}

	first := issue()
	fmt.Println("now", clock.Now().Format(time.RFC3339))
	_, err := srv.Join(arn, first)
	fmt.Println("joined:", err == nil)

	second := issue()
	clock.Advance(time.Minute) // exactly at expiry: the token is no longer valid
	fmt.Println("now", clock.Now().Format(time.RFC3339))
	_, err = srv.Join(arn, second)
	fmt.Println("joined:", err == nil)
	// Output:
	// expires 2026-01-02T03:05:05Z
	// now 2026-01-02T03:04:05Z
	// joined: true
	// expires 2026-01-02T03:05:05Z
	// now 2026-01-02T03:05:05Z
	// joined: false
}
