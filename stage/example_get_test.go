package stage_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"
	"github.com/jarcoal/httpmock"

	"github.com/ivsrt/ivsrt/stage"
)

// Read a stage: the recording settings come back with the service's defaults filled in (a response that
// omits recordParticipantReplicas and hlsConfiguration reads as their documented defaults, true and 6 s).
// An unknown stage is the service's 404, typed; an ARN that is not a stage's is refused before anything
// is sent.
func ExampleClient_Get() {
	transport := httpmock.NewMockTransport()
	transport.RegisterResponder(http.MethodPost, endpoint+"GetStage", func(req *http.Request) (*http.Response, error) {
		var in struct{ Arn string }
		if err := json.NewDecoder(req.Body).Decode(&in); err != nil {
			return nil, err
		}
		if in.Arn != "arn:aws:ivs:us-east-1:123456789012:stage/AbCdEf123456" {
			resp := httpmock.NewStringResponse(http.StatusNotFound, `{"exceptionMessage": "Stage not found"}`)
			resp.Header.Set("X-Amzn-ErrorType", "ResourceNotFoundException")
			resp.Header.Set("X-Amzn-RequestId", "b1c2d3e4-0000-4000-8000-000000000001")
			return resp, nil
		}
		return httpmock.NewStringResponse(http.StatusOK, `{"stage": {
			"arn": "arn:aws:ivs:us-east-1:123456789012:stage/AbCdEf123456", "name": "town-hall",
			"activeSessionId": "st-a1b2c3d4e5f6g", "tags": {"team": "events"},
			"autoParticipantRecordingConfiguration": {
				"storageConfigurationArn": "arn:aws:ivs:us-east-1:123456789012:storage-configuration/AbCdEf123456",
				"mediaTypes": ["AUDIO_ONLY"], "recordingReconnectWindowSeconds": 30},
			"endpoints": {"events": "wss://global.events.live-video.net",
				"whip": "https://1a2b3c4d5e6f.global-bm.whip.live-video.net"}}}`), nil
	})
	stages := stage.NewClientFromConfig(fakeConfig(transport))
	ctx := context.Background()

	st, err := stages.Get(ctx, "arn:aws:ivs:us-east-1:123456789012:stage/AbCdEf123456")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(st.ID(), st.Name, st.ActiveSessionID, st.Tags)
	fmt.Println("recording:", st.Recording.Enabled, st.Recording.MediaType, st.Recording.ReconnectWindow,
		"replicas recorded:", st.Recording.RecordReplicas, "HLS segments:", st.Recording.HLSSegmentDuration)
	fmt.Println("WHIP:", st.Endpoints.WHIP)

	_, err = stages.Get(ctx, "arn:aws:ivs:us-east-1:123456789012:stage/Gone00000000")
	var notFound *types.ResourceNotFoundException
	fmt.Println("unknown stage:", errors.As(err, &notFound), err)

	before := transport.GetTotalCallCount()
	_, err = stages.Get(ctx, "arn:aws:ivs:us-east-1:123456789012:channel/AbCdEf123456") // a low-latency channel
	var invalid smithy.InvalidParamsError
	if errors.As(err, &invalid) {
		for _, e := range invalid.Errs() {
			fmt.Println("invalid:", e)
		}
	}
	fmt.Println("requests for the invalid ARN:", transport.GetTotalCallCount()-before)
	// Output:
	// AbCdEf123456 town-hall st-a1b2c3d4e5f6g map[team:events]
	// recording: true AUDIO_ONLY 30s replicas recorded: true HLS segments: 6s
	// WHIP: https://1a2b3c4d5e6f.global-bm.whip.live-video.net
	// unknown stage: true operation error IVS RealTime: GetStage, https response error StatusCode: 404, RequestID: b1c2d3e4-0000-4000-8000-000000000001, ResourceNotFoundException: Stage not found
	// invalid: value "arn:aws:ivs:us-east-1:123456789012:channel/AbCdEf123456" does not match pattern ^arn:aws:ivs:[a-z0-9-]+:[0-9]+:stage/[a-zA-Z0-9-]+$, GetStageInput.Arn.
	// requests for the invalid ARN: 0
}
