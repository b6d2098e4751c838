package stagetest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"

	"github.com/ivsrt/ivsrt/stage/stagetest"
)

// A participant joins with a token the fake issued, publishes and leaves; the session follows.
func ExampleServer_Join() {
	ctx := context.Background()
	clock := stagetest.NewClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	srv := stagetest.New(stagetest.WithClock(clock.Now))
	client := ivsrealtime.NewFromConfig(srv.Config())

	st, _ := client.CreateStage(ctx, &ivsrealtime.CreateStageInput{Name: aws.String("demo")})
	arn := aws.ToString(st.Stage.Arn)
	tok, _ := client.CreateParticipantToken(ctx, &ivsrealtime.CreateParticipantTokenInput{StageArn: aws.String(arn), UserId: aws.String("ana")})

	pid, err := srv.Join(arn, aws.ToString(tok.ParticipantToken.Token))
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = srv.Publish(arn, pid)
	got, _ := client.GetStage(ctx, &ivsrealtime.GetStageInput{Arn: aws.String(arn)})
	session := aws.ToString(got.Stage.ActiveSessionId)
	fmt.Println("session active:", session != "")

	clock.Advance(time.Minute)
	_ = srv.Leave(arn, pid)
	p, _ := client.GetParticipant(ctx, &ivsrealtime.GetParticipantInput{
		StageArn: aws.String(arn), SessionId: aws.String(session), ParticipantId: aws.String(pid),
	})
	fmt.Println(aws.ToString(p.Participant.UserId), p.Participant.State, "published:", p.Participant.Published)
	s, _ := client.GetStageSession(ctx, &ivsrealtime.GetStageSessionInput{StageArn: aws.String(arn), SessionId: aws.String(session)})
	fmt.Println("session ended after", aws.ToTime(s.StageSession.EndTime).Sub(aws.ToTime(s.StageSession.StartTime)))

	_, err = srv.Join(arn, "forged.token.value")
	fmt.Println(err != nil)
	// Output:
	// session active: true
	// ana DISCONNECTED published: true
	// session ended after 1m0s
	// true
}

// A publisher on a recording stage drops and comes back within the 30 s reconnect window: one recording,
// ended a window after the last unpublish, its files in the bucket.
func ExampleServer_Events() {
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
	token := aws.ToString(tok.ParticipantToken.Token)

	pid, _ := srv.Join(arn, token)
	_ = srv.Publish(arn, pid)
	clock.Advance(10 * time.Second)
	_ = srv.Leave(arn, pid) // the connection drops
	clock.Advance(29 * time.Second)
	_, _ = srv.Join(arn, token) // back within the window
	_ = srv.Publish(arn, pid)
	clock.Advance(5 * time.Second)
	_ = srv.Leave(arn, pid)
	clock.Advance(31 * time.Second) // the window has passed

	var prefix string
	for _, raw := range srv.Events() {
		var e struct {
			Time   string         `json:"time"`
			Detail map[string]any `json:"detail"`
		}
		_ = json.Unmarshal(raw, &e)
		fmt.Println(e.Time, e.Detail["event_name"], e.Detail["recording_duration_ms"])
		if p, ok := e.Detail["recording_s3_key_prefix"].(string); ok {
			prefix = p
		}
	}
	var keys []string
	for k := range srv.Objects("my-recordings") {
		if rest, ok := strings.CutPrefix(k, prefix+"/"); ok && !strings.HasSuffix(k, ".mp4") {
			keys = append(keys, rest)
		}
	}
	sort.Strings(keys)
	fmt.Println(strings.Join(keys, "\n"))
	// Output:
	// 2026-01-02T03:04:05Z Participant Published <nil>
	// 2026-01-02T03:04:05Z Recording Start <nil>
	// 2026-01-02T03:04:15Z Participant Unpublished <nil>
	// 2026-01-02T03:04:44Z Participant Published <nil>
	// 2026-01-02T03:04:49Z Participant Unpublished <nil>
	// 2026-01-02T03:05:19Z Recording End 15000
	// events/recording-ended.json
	// events/recording-started.json
	// media/hls/high/playlist.m3u8
	// media/hls/multivariant.m3u8
}
