package wire_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/internal/wire"
)

// cliCreateStage is the response of the AWS CLI reference's create-stage example (service-facts.md §3): a
// stage created without a recording configuration comes back with one, and without recordParticipantReplicas.
const cliCreateStage = `{
    "stage": {
        "activeSessionId": "st-a1b2c3d4e5f6g",
        "arn": "` + stageARN + `",
        "autoParticipantRecordingConfiguration": {
            "storageConfigurationArn": "",
            "mediaTypes": [
                "AUDIO_VIDEO"
            ],
            "thumbnailConfiguration": {
                "targetIntervalSeconds": 60,
                "storage": [
                    "SEQUENTIAL"
                ],
                "recordingMode": "DISABLED"
            }
        },
        "endpoints": {
            "events": "wss://global.events.live-video.net",
            "rtmp": "rtmp://9x0y8z7s6t5u.global-contribute.live-video.net/app/",
            "rtmps": "rtmps://9x0y8z7s6t5u.global-contribute.live-video.net:443/app/",
            "whip": "https://9x0y8z7s6t5u.global-bm.whip.live-video.net"
        },
        "name": "test-stage",
        "tags": {}
    },
    "participantTokens": [
        {"participantId": "ABCDEfghij01234KLMN5678", "token": "eyJhbGciOiJLTVMiLCJ0eXAiOiJKV1QifQ.secret", "userId": "u"}
    ]
}`

// stageWith returns a stage response whose recording configuration holds the members rec (JSON, without
// braces) after its storage configuration ARN.
func stageWith(rec string) string {
	return `{"stage": {"arn": "` + stageARN + `", "name": "s", "tags": {"note": "recordParticipantReplicas: false"},
		"autoParticipantRecordingConfiguration": {"storageConfigurationArn": "` + storageARN + `"` + rec + `}}}`
}

// stageOps calls each operation that returns a stage, with optFns, and returns its decoded stage.
var stageOps = []struct {
	op   string
	call func(t *testing.T, c *ivsrealtime.Client, optFns ...func(*ivsrealtime.Options)) (*types.Stage, error)
}{
	{"CreateStage", func(t *testing.T, c *ivsrealtime.Client, o ...func(*ivsrealtime.Options)) (*types.Stage, error) {
		out, err := c.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{Name: aws.String("s")}, o...)
		if err != nil {
			return nil, err
		}
		return out.Stage, nil
	}},
	{"GetStage", func(t *testing.T, c *ivsrealtime.Client, o ...func(*ivsrealtime.Options)) (*types.Stage, error) {
		out, err := c.GetStage(t.Context(), &ivsrealtime.GetStageInput{Arn: aws.String(stageARN)}, o...)
		if err != nil {
			return nil, err
		}
		return out.Stage, nil
	}},
	{"UpdateStage", func(t *testing.T, c *ivsrealtime.Client, o ...func(*ivsrealtime.Options)) (*types.Stage, error) {
		out, err := c.UpdateStage(t.Context(), &ivsrealtime.UpdateStageInput{Arn: aws.String(stageARN), Name: aws.String("s")}, o...)
		if err != nil {
			return nil, err
		}
		return out.Stage, nil
	}},
}

// Through the real client, on each operation: a recording configuration without recordParticipantReplicas
// (or with it null) reads as true, an explicit value as itself; without the middleware, absent reads false.
// Whatever the probe reads, the SDK decodes the whole body as before.
func TestRecordReplicasDefaultOnRead(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		body    string
		want    *bool // RecordParticipantReplicas with the middleware; nil: no recording configuration
		without *bool // without it
	}{
		{"absent", stageWith(``), aws.Bool(true), aws.Bool(false)},
		{"null", stageWith(`, "recordParticipantReplicas": null`), aws.Bool(true), aws.Bool(false)},
		{"explicit false", stageWith(`, "recordParticipantReplicas": false`), aws.Bool(false), aws.Bool(false)},
		{"explicit true", stageWith(`, "recordParticipantReplicas": true`), aws.Bool(true), aws.Bool(true)},
		{"false then true: the last wins, as for the SDK", stageWith(`, "recordParticipantReplicas": false, "recordParticipantReplicas": true`), aws.Bool(true), aws.Bool(true)},
		{"true then false", stageWith(`, "recordParticipantReplicas": true, "recordParticipantReplicas": false`), aws.Bool(false), aws.Bool(false)},
		{"another case is another member, as for the SDK", stageWith(`, "RecordParticipantReplicas": false`), aws.Bool(true), aws.Bool(false)},
		{"the name in a value is not the member", `{"stage": {"arn": "` + stageARN + `", "name": "\"recordParticipantReplicas\": false",
			"autoParticipantRecordingConfiguration": {"storageConfigurationArn": "", "mediaTypes": ["AUDIO_VIDEO"]}}}`, aws.Bool(true), aws.Bool(false)},
		{"the CLI reference's create-stage response", cliCreateStage, aws.Bool(true), aws.Bool(false)},
		{"no recording configuration at all", `{"stage": {"arn": "` + stageARN + `", "name": "s"}}`, nil, nil},
		{"recording configuration null", `{"stage": {"arn": "` + stageARN + `", "autoParticipantRecordingConfiguration": null}}`, nil, nil},
	}
	for _, op := range stageOps {
		for _, tt := range tests {
			t.Run(op.op+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				for _, with := range []bool{true, false} {
					mock := testutil.NewMock()
					mock.Respond(op.op, 200, tt.body)
					var opts []func(*ivsrealtime.Options)
					want := tt.without
					if with {
						opts, want = []func(*ivsrealtime.Options){wire.ReadRecordReplicasDefault}, tt.want
					}
					st, err := op.call(t, mock.Client(), opts...)
					require.NoError(t, err)
					require.NotNil(t, st)
					assert.Equal(t, stageARN, aws.ToString(st.Arn), "the SDK still decodes the body")
					assert.Equal(t, 1, mock.Count())
					if want == nil {
						assert.Nil(t, st.AutoParticipantRecordingConfiguration)
						continue
					}
					require.NotNil(t, st.AutoParticipantRecordingConfiguration)
					assert.Equal(t, *want, st.AutoParticipantRecordingConfiguration.RecordParticipantReplicas, "with the middleware: %t", with)
				}
			})
		}
	}
}

// The CLI example's body reaches the SDK whole: every member decodes as without the middleware, the
// participant tokens included.
func TestRecordReplicasDefaultKeepsTheBody(t *testing.T) {
	t.Parallel()
	decode := func(optFns ...func(*ivsrealtime.Options)) *ivsrealtime.CreateStageOutput {
		mock := testutil.NewMock()
		mock.Respond("CreateStage", 200, cliCreateStage)
		out, err := mock.Client().CreateStage(t.Context(), &ivsrealtime.CreateStageInput{Name: aws.String("test-stage")}, optFns...)
		require.NoError(t, err)
		return out
	}
	with, without := decode(wire.ReadRecordReplicasDefault), decode()
	require.NotNil(t, with.Stage.AutoParticipantRecordingConfiguration)
	assert.True(t, with.Stage.AutoParticipantRecordingConfiguration.RecordParticipantReplicas)
	with.Stage.AutoParticipantRecordingConfiguration.RecordParticipantReplicas = false // the only difference
	assert.Equal(t, without.Stage, with.Stage)
	assert.Equal(t, without.ParticipantTokens, with.ParticipantTokens)
	require.Len(t, with.ParticipantTokens, 1)
	assert.Equal(t, "ABCDEfghij01234KLMN5678", aws.ToString(with.ParticipantTokens[0].ParticipantId))
}

// Error responses, bodies the SDK cannot decode and bodies that fail while being read give the same error
// with the middleware as without it.
func TestRecordReplicasDefaultLeavesErrorsAlone(t *testing.T) {
	t.Parallel()
	readFails := errors.New("connection reset")
	tests := []struct {
		name    string
		respond func(mock *testutil.Mock)
		check   func(t *testing.T, err error)
	}{
		{"service error", func(mock *testutil.Mock) {
			mock.RespondError("GetStage", 404, "ResourceNotFoundException", "no such stage")
		}, func(t *testing.T, err error) {
			var nf *types.ResourceNotFoundException
			assert.ErrorAs(t, err, &nf)
		}},
		{"truncated body", func(mock *testutil.Mock) {
			mock.Respond("GetStage", 200, stageWith(``)[:40])
		}, func(t *testing.T, err error) {
			var de *smithy.DeserializationError
			assert.ErrorAs(t, err, &de)
		}},
		{"stage of the wrong type", func(mock *testutil.Mock) {
			mock.Respond("GetStage", 200, `{"stage": "s"}`)
		}, func(t *testing.T, err error) {
			var de *smithy.DeserializationError
			assert.ErrorAs(t, err, &de)
		}},
		{"body that fails while read", func(mock *testutil.Mock) {
			mock.Transport.RegisterResponder(http.MethodPost, testutil.Endpoint+"/GetStage", func(*http.Request) (*http.Response, error) {
				resp := httpmock.NewStringResponse(200, "")
				resp.Header.Set("Content-Type", "application/json")
				resp.Body = io.NopCloser(io.MultiReader(strings.NewReader(`{"stage": {"arn": "`), failing{readFails}))
				return resp, nil
			})
		}, func(t *testing.T, err error) {
			assert.ErrorIs(t, err, readFails)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var errs [2]error
			for i, opts := range [][]func(*ivsrealtime.Options){{wire.ReadRecordReplicasDefault}, nil} {
				mock := testutil.NewMock()
				tt.respond(mock)
				out, err := mock.Client().GetStage(t.Context(), &ivsrealtime.GetStageInput{Arn: aws.String(stageARN)}, opts...)
				require.Error(t, err)
				assert.Nil(t, out)
				tt.check(t, err)
				errs[i] = err
			}
			assert.Equal(t, errs[1].Error(), errs[0].Error(), "the same error with and without the middleware")
		})
	}
}

type failing struct{ err error }

func (f failing) Read([]byte) (int, error) { return 0, f.err }

// The middleware sits on both sides of the SDK's deserializer, and adding it twice adds it once.
func TestAddRecordReplicasDefaultPlacement(t *testing.T) {
	t.Parallel()
	stack := middleware.NewStack("GetStage", nil)
	require.NoError(t, stack.Deserialize.Add(middleware.DeserializeMiddlewareFunc("OperationDeserializer",
		func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
			return next.HandleDeserialize(ctx, in)
		}), middleware.After))
	require.NoError(t, wire.AddRecordReplicasDefault(stack))
	require.NoError(t, wire.AddRecordReplicasDefault(stack), "a second time is a no-op")
	assert.Equal(t, []string{wire.RecordReplicasDefaultID, "OperationDeserializer", wire.RecordReplicasProbeID}, stack.Deserialize.List())

	// On a stack without the SDK's deserializer there is nowhere to put it: an error, not a silent no-op.
	assert.Error(t, wire.AddRecordReplicasDefault(middleware.NewStack("other", nil)))

	// Through the real client twice over: still one request, and the value read as true.
	mock := testutil.NewMock()
	mock.Respond("GetStage", 200, stageWith(``))
	out, err := mock.Client().GetStage(t.Context(), &ivsrealtime.GetStageInput{Arn: aws.String(stageARN)},
		wire.ReadRecordReplicasDefault, wire.ReadRecordReplicasDefault)
	require.NoError(t, err)
	assert.True(t, out.Stage.AutoParticipantRecordingConfiguration.RecordParticipantReplicas)
	assert.Equal(t, 1, mock.Count())
}

func TestRecordReplicasAbsent(t *testing.T) {
	t.Parallel()
	rec := func(members string) string {
		return `{"stage": {"autoParticipantRecordingConfiguration": {` + members + `}}}`
	}
	tests := []struct {
		name string
		body string
		want bool
	}{
		{"absent", rec(`"storageConfigurationArn": "x"`), true},
		{"empty object", rec(``), true},
		{"null", rec(`"recordParticipantReplicas": null`), true},
		{"false", rec(`"recordParticipantReplicas": false`), false},
		{"true", rec(`"recordParticipantReplicas": true`), false},
		{"a string: the SDK's error, not ours", rec(`"recordParticipantReplicas": "false"`), false},
		{"present, then null: the last wins", rec(`"recordParticipantReplicas": false, "recordParticipantReplicas": null`), true},
		{"null, then present", rec(`"recordParticipantReplicas": null, "recordParticipantReplicas": false`), false},
		{"another case", rec(`"RECORDPARTICIPANTREPLICAS": false`), true},
		{"escaped name is the name", rec(`"record\u0050articipantReplicas": false`), false},
		{"the name inside a nested value", rec(`"thumbnailConfiguration": {"recordParticipantReplicas": false}`), true},
		{"the name as a string value", rec(`"storageConfigurationArn": "recordParticipantReplicas"`), true},
		{"trailing data is not read, as by the SDK", rec(`"recordParticipantReplicas": false`) + ` {"x"`, false},
		{"trailing data after an absent member", rec(``) + ` garbage`, true},
		{"recording configuration under another case", `{"stage": {"AutoParticipantRecordingConfiguration": {}}}`, false},
		{"recording configuration null", `{"stage": {"autoParticipantRecordingConfiguration": null}}`, false},
		{"recording configuration not an object", `{"stage": {"autoParticipantRecordingConfiguration": []}}`, false},
		{"no recording configuration", `{"stage": {"arn": "a"}}`, false},
		{"stage null", `{"stage": null}`, false},
		{"stage not an object", `{"stage": 1}`, false},
		{"no stage", `{"stages": [` + rec(``) + `]}`, false},
		{"the recording configuration at the top", `{"autoParticipantRecordingConfiguration": {}}`, false},
		{"empty body", ``, false},
		{"not JSON", `recordParticipantReplicas`, false},
		{"truncated", rec(``)[:30], false},
		{"an array", `[` + rec(``) + `]`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, wire.RecordReplicasAbsent([]byte(tt.body)))
		})
	}
}
