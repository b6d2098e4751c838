package token_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/jarcoal/httpmock"

	"github.com/ivsrt/ivsrt/token"
)

// Mint self-signed tokens: one P-384 key, its public half imported once (Client.ImportPublicKey returns
// the ARN used here), then any number of tokens signed locally with no API call.
func ExampleSigner_Mint() {
	key, err := token.GenerateKey()
	if err != nil {
		log.Fatal(err)
	}
	signer, err := token.NewSigner(key, "arn:aws:ivs:us-east-1:123456789012:public-key/abcdEFGH1234")
	if err != nil {
		log.Fatal(err)
	}
	stage := token.Target{
		StageARN:  "arn:aws:ivs:us-east-1:123456789012:stage/mYsTaGe12345",
		EventsURL: "wss://global.events.live-video.net",
		WhipURL:   "https://a1b2c3d4e5f6.global-bm.whip.live-video.net",
	}
	tok, err := signer.Mint(stage, token.New().
		WithUserID("viewer-1").
		WithCapabilities(token.Subscribe).
		WithDuration(30*time.Minute).
		WithAttribute("seat", "A1"))
	if err != nil {
		log.Fatal(err)
	}

	claims, err := token.Verify(tok.Value(), &key.PublicKey)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("kid:", claims.KeyID)
	fmt.Println("topic:", claims.StageID)
	fmt.Println("user:", claims.UserID, claims.Attributes)
	fmt.Println("publish:", claims.Capabilities.AllowPublish, "subscribe:", claims.Capabilities.AllowSubscribe)
	fmt.Println("valid for:", claims.ExpiresAt.Sub(claims.IssuedAt))
	fmt.Println("version:", claims.Version)
	fmt.Println("participant ID is the jti:", tok.ParticipantID == claims.ParticipantID, len(tok.ParticipantID), "characters")
	// Output:
	// kid: arn:aws:ivs:us-east-1:123456789012:public-key/abcdEFGH1234
	// topic: mYsTaGe12345
	// user: viewer-1 map[seat:A1]
	// publish: false subscribe: true
	// valid for: 30m0s
	// version: 1.0
	// participant ID is the jti: true 24 characters
}

// Create a batch of tokens, more than CreateStage's 12, with a progress line. Here the service is an
// httpmock responder that issues tokens; with real AWS, pass the aws.Config from config.LoadDefaultConfig.
func ExampleClient_CreateMany() {
	transport := httpmock.NewMockTransport()
	transport.RegisterResponder(http.MethodPost, "https://ivsrealtime.us-east-1.amazonaws.com/CreateParticipantToken",
		func(req *http.Request) (*http.Response, error) {
			var in struct {
				UserID string `json:"userId"`
			}
			if err := json.NewDecoder(req.Body).Decode(&in); err != nil {
				return nil, err
			}
			return httpmock.NewJsonResponse(http.StatusOK, map[string]any{"participantToken": map[string]any{
				"participantId":  "p-" + in.UserID,
				"token":          "secret-for-" + in.UserID,
				"userId":         in.UserID,
				"duration":       240,
				"capabilities":   []string{"SUBSCRIBE"},
				"expirationTime": "2026-11-25T16:00:00Z",
			}})
		})
	client := token.NewClientFromConfig(aws.Config{
		Region:      "us-east-1",
		Credentials: aws.AnonymousCredentials{},
		HTTPClient:  &http.Client{Transport: transport},
	})

	viewer := token.New().WithCapabilities(token.Subscribe).WithDuration(4 * time.Hour)
	cfgs := make([]token.Config, 20)
	for i := range cfgs {
		cfgs[i] = viewer.WithUserID(fmt.Sprintf("viewer-%02d", i+1))
	}
	tokens, err := client.CreateMany(context.Background(), "arn:aws:ivs:us-east-1:123456789012:stage/mYsTaGe12345", cfgs,
		token.WithConcurrency(4), // default 8; the rate limit defaults to the service quota, 50/s
		token.WithProgress(func(done, total int) {
			if done%5 == 0 {
				fmt.Printf("progress: %d/%d\n", done, total)
			}
		}))
	for _, failed := range token.IndexErrors(err) {
		fmt.Printf("token %d failed: %v\n", failed.Index, failed.Err)
	}
	if err != nil && !errors.As(err, new(*token.IndexError)) {
		log.Fatal(err) // invalid input: nothing was sent
	}
	fmt.Println("created:", len(tokens))
	fmt.Println("first:", tokens[0].UserID, tokens[0].ParticipantID, tokens[0].Capabilities, tokens[0].Duration)
	fmt.Println("last:", tokens[19].UserID, tokens[19].ExpiresAt.Format(time.RFC3339))
	fmt.Println("printed:", tokens[0])
	// Output:
	// progress: 5/20
	// progress: 10/20
	// progress: 15/20
	// progress: 20/20
	// created: 20
	// first: viewer-01 p-viewer-01 [SUBSCRIBE] 4h0m0s
	// last: viewer-20 2026-11-25T16:00:00Z
	// printed: {ParticipantID: "p-viewer-01", UserID: "viewer-01", Capabilities: [SUBSCRIBE], Duration: 4h0m0s, ExpiresAt: 2026-11-25T16:00:00Z, Value: [REDACTED]}
}
