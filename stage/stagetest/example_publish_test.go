package stagetest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"

	"github.com/ivsrt/ivsrt/stage/stagetest"
)

// Publish on a stage that records: a participant whose token lacks PUBLISH is refused (a PUBLISH_ERROR
// event), a publisher's recording is STARTING at the publish instant and ACTIVE once the clock moves on.
func ExampleServer_Publish() {
	ctx := context.Background()
	clock := stagetest.NewClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	srv := stagetest.New(stagetest.WithClock(clock.Now))
	client := ivsrealtime.NewFromConfig(srv.Config())
	storage := srv.MustAddStorageConfiguration("my-recordings")
	st, _ := client.CreateStage(ctx, &ivsrealtime.CreateStageInput{
		AutoParticipantRecordingConfiguration: &types.AutoParticipantRecordingConfiguration{
			StorageConfigurationArn: aws.String(storage),
		},
	})
	arn := aws.ToString(st.Stage.Arn)
	join := func(user string, caps ...types.ParticipantTokenCapability) string {
		tok, _ := client.CreateParticipantToken(ctx, &ivsrealtime.CreateParticipantTokenInput{
			StageArn: aws.String(arn), UserId: aws.String(user), Capabilities: caps,
		})
		id, _ := srv.Join(arn, aws.ToString(tok.ParticipantToken.Token))
		return id
	}
	participant := func(id string) *types.Participant {
		got, _ := client.GetStage(ctx, &ivsrealtime.GetStageInput{Arn: aws.String(arn)})
		p, _ := client.GetParticipant(ctx, &ivsrealtime.GetParticipantInput{
			StageArn: aws.String(arn), SessionId: got.Stage.ActiveSessionId, ParticipantId: aws.String(id),
		})
		return p.Participant
	}

	viewer := join("viewer", types.ParticipantTokenCapabilitySubscribe)
	fmt.Println("viewer publishes:", srv.Publish(arn, viewer) != nil)

	host := join("host") // both capabilities
	fmt.Println("host publishes:", srv.Publish(arn, host) == nil)
	fmt.Println(participant(host).RecordingState)
	clock.Advance(time.Second)
	p := participant(host)
	fmt.Println(p.RecordingState, "published:", p.Published)
	// Output:
	// viewer publishes: true
	// host publishes: true
	// STARTING
	// ACTIVE published: true
}

// Leave on a stage that records with a 30 s reconnect window: the recording is STOPPING for the window,
// then STOPPED with a Recording End, and the session ends with it.
func ExampleServer_Leave() {
	ctx := context.Background()
	clock := stagetest.NewClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	srv := stagetest.New(stagetest.WithClock(clock.Now))
	client := ivsrealtime.NewFromConfig(srv.Config())
	storage := srv.MustAddStorageConfiguration("my-recordings")
	st, _ := client.CreateStage(ctx, &ivsrealtime.CreateStageInput{
		AutoParticipantRecordingConfiguration: &types.AutoParticipantRecordingConfiguration{
			StorageConfigurationArn: aws.String(storage), RecordingReconnectWindowSeconds: 30,
		},
	})
	arn := aws.ToString(st.Stage.Arn)
	tok, _ := client.CreateParticipantToken(ctx, &ivsrealtime.CreateParticipantTokenInput{StageArn: aws.String(arn)})
	id, _ := srv.Join(arn, aws.ToString(tok.ParticipantToken.Token))
	_ = srv.Publish(arn, id)
	got, _ := client.GetStage(ctx, &ivsrealtime.GetStageInput{Arn: aws.String(arn)})
	session := got.Stage.ActiveSessionId
	show := func() {
		p, _ := client.GetParticipant(ctx, &ivsrealtime.GetParticipantInput{
			StageArn: aws.String(arn), SessionId: session, ParticipantId: aws.String(id),
		})
		s, _ := client.GetStage(ctx, &ivsrealtime.GetStageInput{Arn: aws.String(arn)})
		fmt.Println(p.Participant.State, p.Participant.RecordingState, "session active:", aws.ToString(s.Stage.ActiveSessionId) != "")
	}

	clock.Advance(10 * time.Second)
	fmt.Println("leave:", srv.Leave(arn, id))
	show()
	clock.Advance(30 * time.Second) // the window, not yet past it
	show()
	clock.Advance(time.Second)
	show()
	fmt.Println("leave again:", srv.Leave(arn, id) != nil) // no longer connected
	// Output:
	// leave: <nil>
	// DISCONNECTED STOPPING session active: true
	// DISCONNECTED STOPPING session active: true
	// DISCONNECTED STOPPED session active: false
	// leave again: true
}
