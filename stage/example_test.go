package stage_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"
	"github.com/jarcoal/httpmock"

	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// The examples run against an httpmock transport standing in for the service: the same aws.Config works
// against AWS once HTTPClient is left out (and credentials come from the usual chain).

const endpoint = "https://ivsrealtime.us-east-1.amazonaws.com/"

// fakeConfig returns an aws.Config whose requests go to transport.
func fakeConfig(transport *httpmock.MockTransport) aws.Config {
	return aws.Config{
		Region:      "us-east-1",
		Credentials: aws.AnonymousCredentials{},
		HTTPClient:  &http.Client{Transport: transport},
	}
}

// answer returns a responder that prints the request's JSON body (keys sorted) when show is set, then
// answers 200 with body.
func answer(body string, show bool) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		if show {
			raw, _ := io.ReadAll(req.Body)
			var v any
			_ = json.Unmarshal(raw, &v)
			sorted, _ := json.Marshal(v)
			fmt.Println("sent:", string(sorted))
		}
		return httpmock.NewStringResponse(http.StatusOK, body), nil
	}
}

const exampleStage = `{"stage": {
	"arn": "arn:aws:ivs:us-east-1:123456789012:stage/AbCdEf123456", "name": "town-hall",
	"activeSessionId": "st-a1b2c3d4e5f6g", "tags": {"team": "events"},
	"autoParticipantRecordingConfiguration": {
		"storageConfigurationArn": "arn:aws:ivs:us-east-1:123456789012:storage-configuration/AbCdEf123456",
		"mediaTypes": ["AUDIO_VIDEO"], "recordingReconnectWindowSeconds": %d, "recordParticipantReplicas": true,
		"thumbnailConfiguration": {"recordingMode": "DISABLED", "targetIntervalSeconds": 60, "storage": ["SEQUENTIAL"]},
		"hlsConfiguration": {"targetSegmentDurationSeconds": 6}},
	"endpoints": {"events": "wss://global.events.live-video.net", "whip": "https://1a2b3c4d5e6f.global-bm.whip.live-video.net",
		"rtmp": "rtmp://1a2b3c4d5e6f.global-contribute.live-video.net/app/",
		"rtmps": "rtmps://1a2b3c4d5e6f.global-contribute.live-video.net:443/app/"}}%s}`

// Create a stage that records every participant, with tokens for two of them.
func ExampleClient_Create() {
	transport := httpmock.NewMockTransport()
	transport.RegisterResponder(http.MethodPost, endpoint+"CreateStage", answer(fmt.Sprintf(exampleStage, 60, `,
		"participantTokens": [
			{"participantId": "ABCDEfghij01234KLMN5678", "token": "secret-1", "userId": "host", "duration": 120,
			 "capabilities": ["PUBLISH", "SUBSCRIBE"], "expirationTime": "2026-05-01T14:00:00Z"},
			{"participantId": "ZYXWVutsrq98765PONM4321", "token": "secret-2", "userId": "viewer", "duration": 720,
			 "capabilities": ["SUBSCRIBE"], "expirationTime": "2026-05-02T00:00:00Z"}]`), true))
	stages := stage.NewClientFromConfig(fakeConfig(transport))

	rec := recording.New("arn:aws:ivs:us-east-1:123456789012:storage-configuration/AbCdEf123456").
		WithReconnectWindow(time.Minute)
	st, tokens, err := stages.Create(context.Background(), stage.New().
		WithName("town-hall").
		WithRecording(rec).
		WithParticipants(
			token.New().WithUserID("host").WithDuration(2*time.Hour),
			token.New().WithUserID("viewer").WithCapabilities(token.Subscribe)))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("stage:", st.ID(), st.Name)
	fmt.Println("recording:", st.Recording.Enabled, st.Recording.MediaType, "reconnect window", st.Recording.ReconnectWindow)
	fmt.Println("WHIP:", st.Endpoints.WHIP)
	for _, t := range tokens {
		fmt.Println("token:", t.UserID, t.Capabilities, t.Duration, "until", t.ExpiresAt.Format(time.RFC3339))
	}
	// Output:
	// sent: {"autoParticipantRecordingConfiguration":{"recordingReconnectWindowSeconds":60,"storageConfigurationArn":"arn:aws:ivs:us-east-1:123456789012:storage-configuration/AbCdEf123456"},"name":"town-hall","participantTokenConfigurations":[{"duration":120,"userId":"host"},{"capabilities":["SUBSCRIBE"],"userId":"viewer"}]}
	// stage: AbCdEf123456 town-hall
	// recording: true AUDIO_VIDEO reconnect window 1m0s
	// WHIP: https://1a2b3c4d5e6f.global-bm.whip.live-video.net
	// token: host [PUBLISH SUBSCRIBE] 2h0m0s until 2026-05-01T14:00:00Z
	// token: viewer [SUBSCRIBE] 12h0m0s until 2026-05-02T00:00:00Z
}

// Change the reconnect window. UpdateStage replaces the whole recording object (fields left unset return to
// the service's defaults), so derive the new configuration from the one the stage was created with.
func ExampleClient_Update() {
	transport := httpmock.NewMockTransport()
	transport.RegisterResponder(http.MethodPost, endpoint+"UpdateStage", answer(fmt.Sprintf(exampleStage, 120, ""), true))
	stages := stage.NewClientFromConfig(fakeConfig(transport))

	created := recording.New("arn:aws:ivs:us-east-1:123456789012:storage-configuration/AbCdEf123456").
		WithReconnectWindow(time.Minute)
	st, err := stages.Update(context.Background(), "arn:aws:ivs:us-east-1:123456789012:stage/AbCdEf123456",
		stage.NewUpdate().WithRecording(created.WithReconnectWindow(2*time.Minute)))
	switch {
	case stage.IsRecordingActiveConflict(err):
		fmt.Println("recording is active; try again once it has stopped")
		return
	case err != nil:
		fmt.Println(err)
		return
	}
	fmt.Println("reconnect window:", st.Recording.ReconnectWindow)
	// Output:
	// sent: {"arn":"arn:aws:ivs:us-east-1:123456789012:stage/AbCdEf123456","autoParticipantRecordingConfiguration":{"recordingReconnectWindowSeconds":120,"storageConfigurationArn":"arn:aws:ivs:us-east-1:123456789012:storage-configuration/AbCdEf123456"}}
	// reconnect window: 2m0s
}

// Turn recording off: the service resets every recording field to its default.
func ExampleClient_Update_disable() {
	transport := httpmock.NewMockTransport()
	transport.RegisterResponder(http.MethodPost, endpoint+"UpdateStage", answer(`{"stage": {
		"arn": "arn:aws:ivs:us-east-1:123456789012:stage/AbCdEf123456",
		"autoParticipantRecordingConfiguration": {"storageConfigurationArn": "", "mediaTypes": ["AUDIO_VIDEO"],
			"thumbnailConfiguration": {"recordingMode": "DISABLED", "targetIntervalSeconds": 60, "storage": ["SEQUENTIAL"]},
			"hlsConfiguration": {"targetSegmentDurationSeconds": 6}, "recordParticipantReplicas": true}}}`, true))
	stages := stage.NewClientFromConfig(fakeConfig(transport))

	st, err := stages.Update(context.Background(), "arn:aws:ivs:us-east-1:123456789012:stage/AbCdEf123456",
		stage.NewUpdate().WithRecording(recording.Disabled()))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("recording on:", st.Recording.Enabled)
	fmt.Println("reconnect window:", st.Recording.ReconnectWindow, "HLS segments:", st.Recording.HLSSegmentDuration)
	// Output:
	// sent: {"arn":"arn:aws:ivs:us-east-1:123456789012:stage/AbCdEf123456","autoParticipantRecordingConfiguration":{"storageConfigurationArn":""}}
	// recording on: false
	// reconnect window: 0s HLS segments: 6s
}

// List every stage; the pages are fetched as the loop needs them.
func ExampleClient_List() {
	transport := httpmock.NewMockTransport()
	transport.RegisterResponder(http.MethodPost, endpoint+"ListStages", httpmock.ResponderFromMultipleResponses([]*http.Response{
		httpmock.NewStringResponse(http.StatusOK, `{"stages": [
			{"arn": "arn:aws:ivs:us-east-1:123456789012:stage/Stage1", "name": "one", "tags": {}},
			{"arn": "arn:aws:ivs:us-east-1:123456789012:stage/Stage2", "name": "two", "activeSessionId": "st-a1b2c3d4e5f6g"}],
			"nextToken": "page2"}`),
		httpmock.NewStringResponse(http.StatusOK, `{"stages": [
			{"arn": "arn:aws:ivs:us-east-1:123456789012:stage/Stage3", "name": "three", "tags": {"team": "events"}}]}`),
	}))
	stages := stage.NewClientFromConfig(fakeConfig(transport))

	for s, err := range stages.List(context.Background(), stage.WithPageSize(2)) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(s.ID(), s.Name, s.ActiveSessionID, s.Tags)
	}
	fmt.Println("requests:", transport.GetTotalCallCount())
	// Output:
	// Stage1 one  map[]
	// Stage2 two st-a1b2c3d4e5f6g map[]
	// Stage3 three  map[team:events]
	// requests: 2
}

// Validation reports every violation at once, with the SDK's field paths, before anything is sent.
func ExampleConfig_Validate() {
	err := stage.New().
		WithName("town hall").
		WithRecording(recording.New("arn:aws:ivs:us-east-1:123456789012:storage-configuration/AbCdEf123456").
			WithReconnectWindow(10*time.Minute)).
		WithParticipants(token.New(), token.New().WithDuration(90*time.Second)).
		Validate()

	var invalid smithy.InvalidParamsError
	if errors.As(err, &invalid) {
		for _, e := range invalid.Errs() {
			fmt.Println(e)
		}
	}
	// Output:
	// value "town hall" does not match pattern ^[a-zA-Z0-9-_]*$, CreateStageInput.Name.
	// value 600 is out of range 0..300, CreateStageInput.AutoParticipantRecordingConfiguration.RecordingReconnectWindowSeconds.
	// value 1m30s is not a whole number of minutes, CreateStageInput.ParticipantTokenConfigurations[1].Duration.
}

// The package's flow, on stagetest (the in-memory service; against AWS, build the client from your
// aws.Config): create a recorded stage with tokens for two participants, see who publishes and is
// recorded, disconnect the publisher, and change the recording configuration once nobody is being
// recorded (UpdateRecording waits for that, and keeps every setting the change leaves alone). Invalid input
// is refused before anything is sent, every violation at once.
func Example() {
	clock := stagetest.NewClock(time.Date(2026, 5, 1, 18, 0, 0, 0, time.UTC))
	srv := stagetest.New(stagetest.WithClock(clock.Now))
	storageARN := srv.MustAddStorageConfiguration("my-recordings")
	stages := stage.NewClientFromConfig(srv.Config())
	ctx := context.Background()

	st, tokens, err := stages.Create(ctx, stage.New().
		WithName("town-hall").
		WithTag("team", "events").
		WithRecording(recording.New(storageARN).WithMediaType(recording.MediaAudioOnly).WithReconnectWindow(time.Minute)).
		WithParticipants(token.New().WithUserID("host"), token.New().WithUserID("guest")))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("created:", st.Name, st.Tags, "recording:", st.Recording.Enabled, "tokens:", len(tokens))

	for _, t := range tokens { // the participants' apps join; the host publishes
		if _, err := srv.Join(st.ARN, t.Value()); err != nil {
			fmt.Println(err)
			return
		}
	}
	if err := srv.Publish(st.ARN, tokens[0].ParticipantID); err != nil {
		fmt.Println(err)
		return
	}
	clock.Advance(time.Second)

	st, err = stages.Get(ctx, st.ARN)
	if err != nil {
		fmt.Println(err)
		return
	}
	for p, err := range stages.Participants(ctx, st.ARN, st.ActiveSessionID, stage.FilterPublished()) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("publishing:", p.UserID, p.State, "recording:", p.Recording)
	}

	if err := stages.Disconnect(ctx, st.ARN, tokens[0].ParticipantID, "end of the show"); err != nil {
		fmt.Println(err)
		return
	}
	if err := srv.Leave(st.ARN, tokens[1].ParticipantID); err != nil { // the guest's app leaves
		fmt.Println(err)
		return
	}
	clock.Advance(time.Minute + time.Second) // the reconnect window passes: the recording, and the session, end

	st, err = stages.UpdateRecording(ctx, st.ARN, func(c recording.Config) recording.Config {
		return c.WithReconnectWindow(2 * time.Minute)
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("reconnect window:", st.Recording.ReconnectWindow, "media (kept):", st.Recording.MediaType)

	sent := srv.RequestCount()
	_, _, err = stages.Create(ctx, stage.New().WithName("town hall").WithTag("", "events"))
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
	// created: town-hall map[team:events] recording: true tokens: 2
	// publishing: host CONNECTED recording: ACTIVE
	// reconnect window: 2m0s media (kept): AUDIO_ONLY
	// CreateStage refused:
	//    value "town hall" does not match pattern ^[a-zA-Z0-9-_]*$, CreateStageInput.Name.
	//    value is empty; the field is required (1..128 code points), CreateStageInput.Tags[""].Key.
	// requests sent for it: 0
}
