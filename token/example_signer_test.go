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
	"github.com/golang-jwt/jwt/v5"

	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// A Signer on a test's clock: given stagetest's Clock, its tokens join the fake whatever date the clock
// reads, and expire by that clock.
func ExampleSigner_WithClock() {
	ctx := context.Background()
	clock := stagetest.NewClock(time.Date(2090, 1, 1, 12, 0, 0, 0, time.UTC))
	srv := stagetest.New(stagetest.WithClock(clock.Now))
	key, err := token.GenerateKey()
	if err != nil {
		log.Fatal(err)
	}
	keyARN, err := token.NewClientFromConfig(srv.Config()).ImportPublicKey(ctx, "test-key", &key.PublicKey)
	if err != nil {
		log.Fatal(err)
	}
	out, err := ivsrealtime.NewFromConfig(srv.Config()).CreateStage(ctx, &ivsrealtime.CreateStageInput{})
	if err != nil {
		log.Fatal(err)
	}
	stage := token.Target{StageARN: aws.ToString(out.Stage.Arn), EventsURL: aws.ToString(out.Stage.Endpoints.Events), WhipURL: aws.ToString(out.Stage.Endpoints.Whip)}

	signer, err := token.NewSigner(key, keyARN)
	if err != nil {
		log.Fatal(err)
	}
	tok, err := signer.WithClock(clock.Now).Mint(stage, token.New().WithDuration(time.Hour))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("expires at", tok.ExpiresAt)
	pid, err := srv.Join(stage.StageARN, tok.Value())
	fmt.Println("joined:", pid == tok.ParticipantID, err)
	if err := srv.Leave(stage.StageARN, pid); err != nil {
		log.Fatal(err)
	}

	clock.Advance(2 * time.Hour)
	_, err = srv.Join(stage.StageARN, tok.Value())
	fmt.Println(err)
	// Output:
	// expires at 2090-01-01 13:00:00 +0000 UTC
	// joined: true <nil>
	// stagetest: join refused: token expired: exp 2090-01-01T13:00:00Z is before the fake's clock 2090-01-01T14:00:00Z
}

// VerifyAt checks a token as of a given time; input longer than MaxTokenSize is refused unread.
func ExampleVerifyAt() {
	key, err := token.GenerateKey()
	if err != nil {
		log.Fatal(err)
	}
	signer, err := token.NewSigner(key, "arn:aws:ivs:us-east-1:123456789012:public-key/abcdEFGH1234")
	if err != nil {
		log.Fatal(err)
	}
	issued := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tok, err := signer.WithClock(func() time.Time { return issued }).Mint(token.Target{
		StageARN:  "arn:aws:ivs:us-east-1:123456789012:stage/mYsTaGe12345",
		EventsURL: "wss://global.events.live-video.net",
		WhipURL:   "https://a1b2c3d4e5f6.global-bm.whip.live-video.net",
	}, token.New().WithUserID("alice").WithDuration(time.Hour))
	if err != nil {
		log.Fatal(err)
	}

	claims, err := token.VerifyAt(tok.Value(), &key.PublicKey, issued.Add(59*time.Minute))
	fmt.Println(claims.UserID, claims.ExpiresAt, err)
	_, err = token.VerifyAt(tok.Value(), &key.PublicKey, issued.Add(time.Hour))
	fmt.Println("expired:", errors.Is(err, jwt.ErrTokenExpired))
	_, err = token.VerifyAt(strings.Repeat("A", 64<<20), &key.PublicKey, issued)
	fmt.Println(err)
	// Output:
	// alice 2026-11-25 13:00:00 +0000 UTC <nil>
	// expired: true
	// token: verify: token is malformed: the token is 67108864 bytes, more than MaxTokenSize (16384): refused unread
}
