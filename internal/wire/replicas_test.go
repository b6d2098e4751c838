package wire_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/internal/wire"
)

const (
	stageARN   = "arn:aws:ivs:us-east-1:123456789012:stage/AbCdEf123456"
	storageARN = "arn:aws:ivs:us-east-1:123456789012:storage-configuration/AbCdEf123456"
)

func withFalse(o *ivsrealtime.Options) {
	o.APIOptions = append(o.APIOptions, wire.AddRecordReplicasFalse)
}

// The official client drops a false bool; the middleware puts it on the wire, on both operations that carry
// a recording configuration, and leaves every other field as the SDK wrote it.
func TestRecordReplicasFalseReachesTheWire(t *testing.T) {
	t.Parallel()
	rec := &types.AutoParticipantRecordingConfiguration{
		StorageConfigurationArn:         aws.String(storageARN),
		RecordingReconnectWindowSeconds: 45,
		MediaTypes:                      []types.ParticipantRecordingMediaType{types.ParticipantRecordingMediaTypeAudioOnly},
	}
	wantRecording := map[string]any{
		"storageConfigurationArn":         storageARN,
		"recordingReconnectWindowSeconds": float64(45),
		"mediaTypes":                      []any{"AUDIO_ONLY"},
		"recordParticipantReplicas":       false,
	}
	tests := []struct {
		name string
		op   string
		call func(*ivsrealtime.Client, ...func(*ivsrealtime.Options)) error
		want map[string]any
	}{
		{
			name: "CreateStage",
			op:   "CreateStage",
			call: func(c *ivsrealtime.Client, o ...func(*ivsrealtime.Options)) error {
				_, err := c.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{Name: aws.String("s"), AutoParticipantRecordingConfiguration: rec}, o...)
				return err
			},
			want: map[string]any{"name": "s", "autoParticipantRecordingConfiguration": wantRecording},
		},
		{
			name: "UpdateStage",
			op:   "UpdateStage",
			call: func(c *ivsrealtime.Client, o ...func(*ivsrealtime.Options)) error {
				_, err := c.UpdateStage(t.Context(), &ivsrealtime.UpdateStageInput{Arn: aws.String(stageARN), AutoParticipantRecordingConfiguration: rec}, o...)
				return err
			},
			want: map[string]any{"arn": stageARN, "autoParticipantRecordingConfiguration": wantRecording},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			mock.Respond(tt.op, 200, `{"stage":{"arn":"`+stageARN+`"}}`)
			require.NoError(t, tt.call(mock.Client(), withFalse))
			reqs := mock.Requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, tt.want, reqs[0].JSON(t))
		})
	}
}

// Without the middleware the SDK sends no recordParticipantReplicas at all: the gap the middleware closes.
func TestSDKAloneDropsFalse(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	mock.Respond("CreateStage", 200, `{}`)
	_, err := mock.Client().CreateStage(t.Context(), &ivsrealtime.CreateStageInput{
		AutoParticipantRecordingConfiguration: &types.AutoParticipantRecordingConfiguration{StorageConfigurationArn: aws.String(storageARN)},
	})
	require.NoError(t, err)
	rec := mock.Requests()[0].JSON(t)["autoParticipantRecordingConfiguration"].(map[string]any)
	assert.NotContains(t, rec, "recordParticipantReplicas")
}

// Asking for false with no recording object is a programming error: reported, nothing sent.
func TestRecordReplicasFalseWithoutRecordingFails(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	mock.Respond("UpdateStage", 200, `{}`)
	_, err := mock.Client().UpdateStage(t.Context(), &ivsrealtime.UpdateStageInput{Arn: aws.String(stageARN), Name: aws.String("n")}, withFalse)
	var serr *smithy.SerializationError
	require.ErrorAs(t, err, &serr)
	assert.Contains(t, err.Error(), "no autoParticipantRecordingConfiguration")
	assert.Zero(t, mock.Count())
}

func TestSetRecordReplicasFalse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body, want, err string
	}{
		{name: "adds", body: `{"autoParticipantRecordingConfiguration":{"storageConfigurationArn":""}}`,
			want: `{"autoParticipantRecordingConfiguration":{"recordParticipantReplicas":false,"storageConfigurationArn":""}}`},
		{name: "overrides true", body: `{"autoParticipantRecordingConfiguration":{"recordParticipantReplicas":true}}`,
			want: `{"autoParticipantRecordingConfiguration":{"recordParticipantReplicas":false}}`},
		{name: "not JSON", body: `nope`, err: "not a JSON object"},
		{name: "no recording", body: `{}`, err: "no autoParticipantRecordingConfiguration"},
		{name: "recording not an object", body: `{"autoParticipantRecordingConfiguration":null}`, err: "is not a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := wire.SetRecordReplicasFalse([]byte(tt.body))
			if tt.err != "" {
				assert.ErrorContains(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.JSONEq(t, tt.want, string(got))
		})
	}
}
