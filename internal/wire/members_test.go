package wire_test

import (
	"encoding/json"
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

func TestSetMembers(t *testing.T) {
	t.Parallel()
	gridGap := wire.Member{Path: []string{"layout", "grid", "gridGap"}, Value: "0"}
	tests := []struct {
		name    string
		body    string
		members []wire.Member
		want    string // exact bytes
	}{
		{
			name:    "added to an empty object",
			body:    `{"layout":{"grid":{}},"stageArn":"s"}`,
			members: []wire.Member{gridGap},
			want:    `{"layout":{"grid":{"gridGap":0}},"stageArn":"s"}`,
		},
		{
			name:    "added first to an object with members",
			body:    `{"layout":{"grid":{"videoFillMode":"COVER"}}}`,
			members: []wire.Member{gridGap},
			want:    `{"layout":{"grid":{"gridGap":0,"videoFillMode":"COVER"}}}`,
		},
		{
			name:    "an existing member's value is replaced, not repeated",
			body:    `{"layout":{"grid":{"gridGap":12,"omitStoppedVideo":true}}}`,
			members: []wire.Member{gridGap, {Path: []string{"layout", "grid", "omitStoppedVideo"}, Value: "false"}},
			want:    `{"layout":{"grid":{"gridGap":0,"omitStoppedVideo":false}}}`,
		},
		{
			name: "several members of one object, each added first",
			body: `{"layout":{"pip":{"pipPosition":"TOP_LEFT"}}}`,
			members: []wire.Member{
				{Path: []string{"layout", "pip", "gridGap"}, Value: "0"},
				{Path: []string{"layout", "pip", "pipOffset"}, Value: "0"},
			},
			want: `{"layout":{"pip":{"pipOffset":0,"gridGap":0,"pipPosition":"TOP_LEFT"}}}`,
		},
		{
			name:    "a top-level member",
			body:    `{"ingestProtocol":"RTMPS"}`,
			members: []wire.Member{{Path: []string{"insecureIngest"}, Value: "false"}},
			want:    `{"insecureIngest":false,"ingestProtocol":"RTMPS"}`,
		},
		{
			name:    "names inside strings, arrays and other objects are not the member",
			body:    `{"tags":{"layout":"{\"grid\":{}}","x\"layout":"y"},"list":[{"layout":{"grid":{}}}],"layout":{"grid":{}}}`,
			members: []wire.Member{gridGap},
			want:    `{"tags":{"layout":"{\"grid\":{}}","x\"layout":"y"},"list":[{"layout":{"grid":{}}}],"layout":{"grid":{"gridGap":0}}}`,
		},
		{
			name:    "a key written with escapes is the member",
			body:    `{"\u006cayout":{"grid":{}}}`,
			members: []wire.Member{gridGap},
			want:    `{"\u006cayout":{"grid":{"gridGap":0}}}`,
		},
		{
			name:    "whitespace is kept",
			body:    " {\n \"layout\" : { \"grid\" : { } } , \"n\" : 1 }\n",
			members: []wire.Member{gridGap},
			want:    " {\n \"layout\" : { \"grid\" : {\"gridGap\":0 } } , \"n\" : 1 }\n",
		},
		{
			name:    "no members: the body as it is",
			body:    `{"a":1}`,
			members: nil,
			want:    `{"a":1}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			body := []byte(tt.body)
			got, err := wire.SetMembers(body, tt.members...)
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got))
			assert.True(t, json.Valid(got), "%s", got)
			assert.Equal(t, tt.body, string(body), "the input is not modified")
		})
	}
}

func TestSetMembersRefuses(t *testing.T) {
	t.Parallel()
	gridGap := wire.Member{Path: []string{"layout", "grid", "gridGap"}, Value: "0"}
	tests := []struct {
		name    string
		body    string
		members []wire.Member
		want    string
	}{
		{name: "no such object", body: `{"layout":{"pip":{}}}`, members: []wire.Member{gridGap}, want: "the request has no object layout.grid"},
		{name: "no layout at all", body: `{}`, members: []wire.Member{gridGap}, want: "the request has no object layout"},
		{name: "the path leads through a string", body: `{"layout":"grid"}`, members: []wire.Member{gridGap}, want: "the request has no object layout"},
		{name: "a body that is an array", body: `[{"layout":{"grid":{}}}]`, members: []wire.Member{gridGap}, want: "not a JSON object"},
		{name: "an empty body", body: ``, members: []wire.Member{gridGap}, want: "not a JSON object"},
		{name: "a cut body", body: `{"layout":{"grid":{"a":"b`, members: []wire.Member{gridGap}, want: "not valid JSON"},
		{name: "a member without a value", body: `{"layout":,"x":1}`, members: []wire.Member{gridGap}, want: "not valid JSON"},
		{name: "a value that is not JSON", body: `{}`, members: []wire.Member{{Path: []string{"a"}, Value: "nope"}}, want: `value "nope" is not JSON`},
		{name: "an empty path", body: `{}`, members: []wire.Member{{Value: "0"}}, want: "empty path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := wire.SetMembers([]byte(tt.body), tt.members...)
			require.Error(t, err)
			assert.Nil(t, got)
			assert.Contains(t, err.Error(), tt.want)
			assert.Regexp(t, `^wire: `, err.Error())
		})
	}
}

// The official client drops gridGap 0, pipOffset 0 and omitStoppedVideo false from StartComposition; the
// middleware puts exactly the members it is given on the wire and leaves the rest as the SDK wrote it.
func TestSetMembersOnTheWire(t *testing.T) {
	t.Parallel()
	const storage = "arn:aws:ivs:us-east-1:123456789012:storage-configuration/AbCdEf123456"
	const encoder = "arn:aws:ivs:us-east-1:123456789012:encoder-configuration/AbCdEf123456"
	input := func() *ivsrealtime.StartCompositionInput {
		return &ivsrealtime.StartCompositionInput{
			StageArn:         aws.String(stageARN),
			IdempotencyToken: aws.String("key-1"),
			Layout: &types.LayoutConfiguration{Pip: &types.PipConfiguration{
				GridGap: 0, PipOffset: 0, OmitStoppedVideo: false, PipPosition: types.PipPositionTopLeft,
			}},
			Destinations: []types.DestinationConfiguration{{S3: &types.S3DestinationConfiguration{
				StorageConfigurationArn: aws.String(storage), EncoderConfigurationArns: []string{encoder},
			}}},
		}
	}
	dest := []any{map[string]any{"s3": map[string]any{"storageConfigurationArn": storage, "encoderConfigurationArns": []any{encoder}}}}
	tests := []struct {
		name    string
		members []wire.Member
		wantPip map[string]any
	}{
		{
			name:    "the SDK alone drops the zero values",
			wantPip: map[string]any{"pipPosition": "TOP_LEFT"},
		},
		{
			name: "the middleware sends them",
			members: []wire.Member{
				{Path: []string{"layout", "pip", "gridGap"}, Value: "0"},
				{Path: []string{"layout", "pip", "pipOffset"}, Value: "0"},
				{Path: []string{"layout", "pip", "omitStoppedVideo"}, Value: "false"},
			},
			wantPip: map[string]any{"pipPosition": "TOP_LEFT", "gridGap": float64(0), "pipOffset": float64(0), "omitStoppedVideo": false},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			mock.Respond("StartComposition", 200, `{"composition":{}}`)
			var opts []func(*ivsrealtime.Options)
			if tt.members != nil {
				opts = append(opts, func(o *ivsrealtime.Options) { o.APIOptions = append(o.APIOptions, wire.AddSetMembers(tt.members...)) })
			}
			_, err := mock.Client().StartComposition(t.Context(), input(), opts...)
			require.NoError(t, err)
			reqs := mock.Requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, map[string]any{
				"stageArn":         stageARN,
				"idempotencyToken": "key-1",
				"layout":           map[string]any{"pip": tt.wantPip},
				"destinations":     dest,
			}, reqs[0].JSON(t))
		})
	}
}

// A member of an object the request does not hold fails the call before anything is sent, as a
// *smithy.SerializationError.
func TestSetMembersMissingObjectFailsTheCall(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	mock.Respond("StartComposition", 200, `{"composition":{}}`)
	add := wire.AddSetMembers(wire.Member{Path: []string{"layout", "grid", "gridGap"}, Value: "0"})
	_, err := mock.Client().StartComposition(t.Context(), &ivsrealtime.StartCompositionInput{
		StageArn:     aws.String(stageARN),
		Destinations: []types.DestinationConfiguration{{Channel: &types.ChannelDestinationConfiguration{ChannelArn: aws.String("c")}}},
	}, func(o *ivsrealtime.Options) { o.APIOptions = append(o.APIOptions, add) })
	var serr *smithy.SerializationError
	require.ErrorAs(t, err, &serr)
	assert.Contains(t, err.Error(), "the request has no object layout")
	assert.Zero(t, mock.Count())
}
