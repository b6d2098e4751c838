package stage_test

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// golden compares got with testdata/name as JSON values, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		var v any
		require.NoError(t, json.Unmarshal(got, &v))
		pretty, err := json.MarshalIndent(v, "", "  ") // sorted keys: a stable, readable file
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(path, append(pretty, '\n'), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	jsonEqual(t, want, got)
}

// fullStageJSON is a stage with every field, as the service answers.
const fullStageJSON = `{
	"arn": "` + stageARN + `",
	"name": "town-hall",
	"activeSessionId": "st-a1b2c3d4e5f6g",
	"tags": {"team": "events", "env": "prod"},
	"autoParticipantRecordingConfiguration": {
		"storageConfigurationArn": "` + storageARN + `",
		"mediaTypes": ["AUDIO_ONLY"],
		"thumbnailConfiguration": {"targetIntervalSeconds": 30, "storage": ["SEQUENTIAL", "LATEST"], "recordingMode": "INTERVAL"},
		"recordingReconnectWindowSeconds": 60,
		"hlsConfiguration": {"targetSegmentDurationSeconds": 4},
		"recordParticipantReplicas": false
	},
	"endpoints": {
		"events": "wss://global.events.live-video.net",
		"whip": "https://1a2b3c4d5e6f.global-bm.whip.live-video.net",
		"rtmp": "rtmp://1a2b3c4d5e6f.global-contribute.live-video.net/app/",
		"rtmps": "rtmps://1a2b3c4d5e6f.global-contribute.live-video.net:443/app/"
	}
}`

// fullStage is fullStageJSON parsed.
var fullStage = stage.Stage{
	ARN:             stageARN,
	Name:            "town-hall",
	ActiveSessionID: "st-a1b2c3d4e5f6g",
	Tags:            map[string]string{"team": "events", "env": "prod"},
	Recording: recording.Settings{
		StorageConfigurationARN: storageARN,
		Enabled:                 true,
		MediaType:               recording.MediaAudioOnly,
		ThumbnailMode:           recording.ThumbnailsInterval,
		ThumbnailInterval:       30 * time.Second,
		ThumbnailStorage:        []recording.ThumbnailStorage{recording.StorageSequential, recording.StorageLatest},
		HLSSegmentDuration:      4 * time.Second,
		ReconnectWindow:         time.Minute,
		RecordReplicas:          false,
	},
	Endpoints: stage.Endpoints{
		Events: "wss://global.events.live-video.net",
		WHIP:   "https://1a2b3c4d5e6f.global-bm.whip.live-video.net",
		RTMP:   "rtmp://1a2b3c4d5e6f.global-contribute.live-video.net/app/",
		RTMPS:  "rtmps://1a2b3c4d5e6f.global-contribute.live-video.net:443/app/",
	},
}

// The body of CreateStage with everything set, against a golden file; and the smaller shapes, field by
// field: nothing unset is sent.
func TestCreateRequestBody(t *testing.T) {
	t.Parallel()
	t.Run("everything set", func(t *testing.T) {
		t.Parallel()
		mock := testutil.NewMock()
		respondCreate(mock)
		_, _, err := stage.NewClientFromConfig(mock.Config()).Create(t.Context(), fullConfig())
		require.NoError(t, err)
		golden(t, "create_stage_full.json", only(t, mock).Body)
	})
	tests := []struct {
		name string
		cfg  stage.Config
		want string
	}{
		{"nothing set", stage.New(), `{}`},
		{"name", stage.New().WithName("n"), `{"name": "n"}`},
		{"empty name is sent as set", stage.New().WithName(""), `{"name": ""}`},
		{"tags", stage.New().WithTags(map[string]string{"a": "1"}).WithTag("b", ""), `{"tags": {"a": "1", "b": ""}}`},
		{"recording with defaults", stage.New().WithRecording(recording.New(storageARN)),
			`{"autoParticipantRecordingConfiguration": {"storageConfigurationArn": "` + storageARN + `"}}`},
		{"recording disabled", stage.New().WithRecording(recording.Disabled()),
			`{"autoParticipantRecordingConfiguration": {"storageConfigurationArn": ""}}`},
		{"participants with defaults", stage.New().WithParticipants(token.New(), token.New().WithUserID("u")),
			`{"participantTokenConfigurations": [{}, {"userId": "u"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			respondCreate(mock)
			_, _, err := stage.NewClientFromConfig(mock.Config()).Create(t.Context(), tt.cfg)
			require.NoError(t, err)
			jsonEqual(t, []byte(tt.want), only(t, mock).Body)
		})
	}
}

// Every field of a CreateStage response: the stage, its recording settings and endpoints, and the tokens
// in response order with their expiration time.
func TestCreateParsesResponse(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	mock.Respond("CreateStage", 200, `{"stage": `+fullStageJSON+`, "participantTokens": [
		{"participantId": "ABCDEfghij01234KLMN5678", "token": "eyJhbGciOiJLTVMifQ.first", "userId": "host",
		 "attributes": {"role": "host"}, "duration": 120, "capabilities": ["PUBLISH", "SUBSCRIBE"],
		 "expirationTime": "2026-05-01T12:00:00Z"},
		{"participantId": "ZYXWVutsrq98765PONM4321", "token": "eyJhbGciOiJLTVMifQ.second",
		 "duration": 720, "capabilities": ["SUBSCRIBE"], "expirationTime": "2026-05-01T22:00:00.5Z"}
	]}`)
	st, tokens, err := stage.NewClientFromConfig(mock.Config()).Create(t.Context(),
		stage.New().WithParticipants(token.New().WithUserID("host"), token.New().WithCapabilities(token.Subscribe)))
	require.NoError(t, err)

	assert.Equal(t, fullStage, st)
	assert.Equal(t, "AbCdEf123456", st.ID())
	assert.Equal(t, token.Target{StageARN: stageARN, EventsURL: fullStage.Endpoints.Events, WhipURL: fullStage.Endpoints.WHIP}, st.TokenTarget())

	require.Len(t, tokens, 2)
	assert.Equal(t, "ABCDEfghij01234KLMN5678", tokens[0].ParticipantID)
	assert.Equal(t, "host", tokens[0].UserID)
	assert.Equal(t, map[string]string{"role": "host"}, tokens[0].Attributes)
	assert.Equal(t, []token.Capability{token.Publish, token.Subscribe}, tokens[0].Capabilities)
	assert.Equal(t, 2*time.Hour, tokens[0].Duration)
	assert.True(t, time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC).Equal(tokens[0].ExpiresAt), tokens[0].ExpiresAt)
	assert.Equal(t, "eyJhbGciOiJLTVMifQ.first", tokens[0].Value())

	assert.Equal(t, "ZYXWVutsrq98765PONM4321", tokens[1].ParticipantID)
	assert.Empty(t, tokens[1].UserID)
	assert.Nil(t, tokens[1].Attributes)
	assert.Equal(t, []token.Capability{token.Subscribe}, tokens[1].Capabilities)
	assert.Equal(t, 12*time.Hour, tokens[1].Duration)
	assert.True(t, time.Date(2026, 5, 1, 22, 0, 0, 5e8, time.UTC).Equal(tokens[1].ExpiresAt), tokens[1].ExpiresAt)
	assert.Equal(t, "eyJhbGciOiJLTVMifQ.second", tokens[1].Value())
}

// A stage without recording or endpoints reads as recording off with the defaults, empty endpoints; no
// participants means no tokens.
func TestParsesMinimalStage(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	mock.Respond("GetStage", 200, minimalStage)
	st, err := stage.NewClientFromConfig(mock.Config()).Get(t.Context(), stageARN)
	require.NoError(t, err)
	assert.Equal(t, stage.Stage{ARN: stageARN, Recording: recording.SettingsFromSDK(nil)}, st)
	assert.False(t, st.Recording.Enabled)
	assert.Equal(t, recording.DefaultReconnectWindow, st.Recording.ReconnectWindow)

	respondCreate(mock)
	_, tokens, err := stage.NewClientFromConfig(mock.Config()).Create(t.Context(), stage.New())
	require.NoError(t, err)
	assert.Empty(t, tokens)
}

func TestGet(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	mock.Respond("GetStage", 200, `{"stage": `+fullStageJSON+`}`)
	st, err := stage.NewClientFromConfig(mock.Config()).Get(t.Context(), stageARN)
	require.NoError(t, err)
	assert.Equal(t, fullStage, st)
	jsonEqual(t, []byte(`{"arn": "`+stageARN+`"}`), only(t, mock).Body)
}

// UpdateStage sends the ARN and exactly what the Update sets; the recording object is sent whole.
func TestUpdateRequestBody(t *testing.T) {
	t.Parallel()
	rec := `"autoParticipantRecordingConfiguration": `
	tests := []struct {
		name string
		u    stage.Update
		want string
	}{
		{"name", stage.NewUpdate().WithName("n"), `{"name": "n"}`},
		{"name cleared", stage.NewUpdate().WithName(""), `{"name": ""}`},
		{"reconnect window", stage.NewUpdate().WithRecording(recording.New(storageARN).WithReconnectWindow(2 * time.Minute)),
			`{` + rec + `{"storageConfigurationArn": "` + storageARN + `", "recordingReconnectWindowSeconds": 120}}`},
		{"every recording field", stage.NewUpdate().WithRecording(fullRecording()),
			`{` + rec + `{"storageConfigurationArn": "` + storageARN + `", "mediaTypes": ["AUDIO_ONLY"],
			"thumbnailConfiguration": {"recordingMode": "INTERVAL", "targetIntervalSeconds": 30, "storage": ["SEQUENTIAL", "LATEST"]},
			"hlsConfiguration": {"targetSegmentDurationSeconds": 4}, "recordingReconnectWindowSeconds": 60,
			"recordParticipantReplicas": true}}`},
		{"disable", stage.NewUpdate().WithRecording(recording.Disabled()), `{` + rec + `{"storageConfigurationArn": ""}}`},
		{"both", stage.NewUpdate().WithName("n").WithRecording(recording.Disabled()),
			`{"name": "n", ` + rec + `{"storageConfigurationArn": ""}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			mock.Respond("UpdateStage", 200, `{"stage": `+fullStageJSON+`}`)
			st, err := stage.NewClientFromConfig(mock.Config()).Update(t.Context(), stageARN, tt.u)
			require.NoError(t, err)
			assert.Equal(t, fullStage, st)
			want := `{"arn": "` + stageARN + `", ` + tt.want[1:]
			jsonEqual(t, []byte(want), only(t, mock).Body)
		})
	}
}

func TestDelete(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	mock.Respond("DeleteStage", 200, `{}`)
	require.NoError(t, stage.NewClientFromConfig(mock.Config()).Delete(t.Context(), stageARN))
	jsonEqual(t, []byte(`{"arn": "`+stageARN+`"}`), only(t, mock).Body)
}

// WithRecordReplicas(false) reaches the wire on CreateStage and UpdateStage, true is sent as true, and
// not calling it sends nothing.
func TestRecordReplicasOnTheWire(t *testing.T) {
	t.Parallel()
	ops := []struct {
		op   string
		call func(*stage.Client, recording.Config) error
	}{
		{"CreateStage", func(c *stage.Client, r recording.Config) error {
			_, _, err := c.Create(t.Context(), stage.New().WithName("s").WithRecording(r))
			return err
		}},
		{"UpdateStage", func(c *stage.Client, r recording.Config) error {
			_, err := c.Update(t.Context(), stageARN, stage.NewUpdate().WithRecording(r))
			return err
		}},
	}
	base := recording.New(storageARN).WithReconnectWindow(time.Minute)
	settings := []struct {
		name string
		rec  recording.Config
		want any // the value of recordParticipantReplicas; nil: absent
	}{
		{"false", base.WithRecordReplicas(false), false},
		{"true", base.WithRecordReplicas(true), true},
		{"unset", base, nil},
		{"false then true", base.WithRecordReplicas(false).WithRecordReplicas(true), true},
		{"true then false", base.WithRecordReplicas(true).WithRecordReplicas(false), false},
	}
	for _, op := range ops {
		for _, s := range settings {
			t.Run(op.op+"/"+s.name, func(t *testing.T) {
				t.Parallel()
				mock := testutil.NewMock()
				mock.Respond(op.op, 200, minimalStage)
				require.NoError(t, op.call(stage.NewClientFromConfig(mock.Config()), s.rec))
				body := only(t, mock).JSON(t)
				rec, ok := body["autoParticipantRecordingConfiguration"].(map[string]any)
				require.True(t, ok, "body %v", body)
				got, present := rec["recordParticipantReplicas"]
				if s.want == nil {
					assert.False(t, present, "recordParticipantReplicas must not be sent: %v", rec)
				} else {
					assert.Equal(t, s.want, got)
				}
				// The other fields are untouched by the wire fix.
				assert.Equal(t, storageARN, rec["storageConfigurationArn"])
				assert.Equal(t, float64(60), rec["recordingReconnectWindowSeconds"])
			})
		}
	}
}

// The 409 of UpdateStage while recording is active is recognised; nothing else is.
func TestIsRecordingActiveConflict(t *testing.T) {
	t.Parallel()
	conflict := &types.ConflictException{ExceptionMessage: aws.String("recording is active")}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"UpdateStage conflict", &smithy.OperationError{ServiceID: ivsrealtime.ServiceID, OperationName: "UpdateStage", Err: conflict}, true},
		{"bare conflict", conflict, true},
		{"wrapped again", fmt.Errorf("updating: %w", &smithy.OperationError{OperationName: "UpdateStage", Err: conflict}), true},
		{"DeleteStage conflict", &smithy.OperationError{OperationName: "DeleteStage", Err: conflict}, false},
		{"UpdateStage not found", &smithy.OperationError{OperationName: "UpdateStage", Err: &types.ResourceNotFoundException{}}, false},
		{"other error", errors.New("x"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, stage.IsRecordingActiveConflict(tt.err))
		})
	}
}

// fakeAPI answers every call with empty outputs (or the given ones): a response without a stage.
type fakeAPI struct {
	emptyAPI
	create *ivsrealtime.CreateStageOutput
	get    *ivsrealtime.GetStageOutput
	update *ivsrealtime.UpdateStageOutput
	list   *ivsrealtime.ListStagesOutput
}

func (f fakeAPI) CreateStage(context.Context, *ivsrealtime.CreateStageInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.CreateStageOutput, error) {
	return f.create, nil
}

func (f fakeAPI) GetStage(context.Context, *ivsrealtime.GetStageInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.GetStageOutput, error) {
	return f.get, nil
}

func (f fakeAPI) UpdateStage(context.Context, *ivsrealtime.UpdateStageInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.UpdateStageOutput, error) {
	return f.update, nil
}

func (f fakeAPI) ListStages(context.Context, *ivsrealtime.ListStagesInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.ListStagesOutput, error) {
	return f.list, nil
}

// A response without a stage (nil output or nil Stage) is an error, never a panic.
func TestResponseWithoutStage(t *testing.T) {
	t.Parallel()
	calls := []struct {
		op   string
		call func(*stage.Client) error
	}{
		{"CreateStage", func(c *stage.Client) error { _, _, err := c.Create(t.Context(), stage.New()); return err }},
		{"GetStage", func(c *stage.Client) error { _, err := c.Get(t.Context(), stageARN); return err }},
		{"UpdateStage", func(c *stage.Client) error {
			_, err := c.Update(t.Context(), stageARN, stage.NewUpdate().WithName("n"))
			return err
		}},
	}
	clients := []struct {
		name   string
		client func(t *testing.T, op string) *stage.Client
	}{
		{"nil output", func(*testing.T, string) *stage.Client { return stage.NewClient(fakeAPI{emptyAPI: newEmptyAPI()}) }},
		{"nil Stage", func(*testing.T, string) *stage.Client {
			return stage.NewClient(fakeAPI{emptyAPI: newEmptyAPI(), create: &ivsrealtime.CreateStageOutput{}, get: &ivsrealtime.GetStageOutput{}, update: &ivsrealtime.UpdateStageOutput{}})
		}},
		{"{} over HTTP", func(t *testing.T, op string) *stage.Client {
			mock := testutil.NewMock()
			mock.Respond(op, 200, `{}`)
			return stage.NewClientFromConfig(mock.Config())
		}},
	}
	for _, c := range clients {
		for _, call := range calls {
			t.Run(c.name+"/"+call.op, func(t *testing.T) {
				t.Parallel()
				err := call.call(c.client(t, call.op))
				require.ErrorIs(t, err, stage.ErrNoStage)
				var opErr *smithy.OperationError
				require.True(t, errors.As(err, &opErr))
				assert.Equal(t, call.op, opErr.OperationName)
			})
		}
	}
	t.Run("Delete and List with nil outputs", func(t *testing.T) {
		t.Parallel()
		api := &boundedList{fakeAPI: fakeAPI{emptyAPI: newEmptyAPI()}}
		c := stage.NewClient(api)
		assert.NoError(t, c.Delete(t.Context(), stageARN))
		for s, err := range c.List(t.Context()) {
			t.Fatalf("unexpected item %v, %v", s, err)
		}
		assert.Equal(t, 1, api.calls, "a nil page ends the list after one request")
	})
}

// boundedList is a fakeAPI whose ListStages answers nil at most maxListCalls times, then fails: an iterator
// that never stops paging fails the test at once instead of running into the test timeout.
type boundedList struct {
	fakeAPI
	calls int
}

const maxListCalls = 10

func (b *boundedList) ListStages(ctx context.Context, in *ivsrealtime.ListStagesInput, opts ...func(*ivsrealtime.Options)) (*ivsrealtime.ListStagesOutput, error) {
	b.calls++
	if b.calls > maxListCalls {
		return nil, fmt.Errorf("ListStages called %d times: the pagination does not end", b.calls)
	}
	return b.fakeAPI.ListStages(ctx, in, opts...)
}

// One Client and one Config template used from many goroutines: every call gets its own answer, nothing
// races, the template is unchanged.
func TestClientConcurrentUse(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	mock.RespondFunc("CreateStage", func(_ *http.Request, body []byte) (int, string, string) {
		return 200, `{"stage": {"arn": "` + stageARN + `", "name": "created"}, "participantTokens": [{"participantId": "p", "token": "t"}]}`, ""
	})
	mock.Respond("GetStage", 200, `{"stage": `+fullStageJSON+`}`)
	mock.Respond("UpdateStage", 200, `{"stage": `+fullStageJSON+`}`)
	mock.Respond("ListStages", 200, `{"stages": [{"arn": "`+stageARN+`"}]}`)
	client := stage.NewClientFromConfig(mock.Config())
	template := stage.New().WithTag("team", "a").
		WithRecording(fullRecording().WithRecordReplicas(false)).
		WithParticipants(token.New().WithUserID("u").WithAttribute("k", "v"))
	upd := stage.NewUpdate().WithRecording(fullRecording().WithRecordReplicas(false))
	want := template.String()

	const n = 24
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cfg := template.WithName(fmt.Sprint("stage-", i)).WithTag("i", fmt.Sprint(i))
			st, tokens, err := client.Create(t.Context(), cfg)
			if assert.NoError(t, err) {
				assert.Equal(t, "created", st.Name)
				assert.Len(t, tokens, 1)
			}
			got, err := client.Get(t.Context(), stageARN)
			if assert.NoError(t, err) {
				assert.Equal(t, fullStage, got)
			}
			_, err = client.Update(t.Context(), stageARN, upd)
			assert.NoError(t, err)
			for _, err := range client.List(t.Context(), stage.WithPageSize(10)) {
				assert.NoError(t, err)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, want, template.String())

	names := map[string]bool{}
	for _, r := range mock.Requests() {
		body := r.JSON(t)
		if r.Operation == "CreateStage" || r.Operation == "UpdateStage" {
			rec := body["autoParticipantRecordingConfiguration"].(map[string]any)
			assert.Equal(t, false, rec["recordParticipantReplicas"], r.Operation)
		}
		if r.Operation == "CreateStage" {
			names[body["name"].(string)] = true
			assert.Equal(t, body["name"].(string)[len("stage-"):], body["tags"].(map[string]any)["i"])
		}
	}
	assert.Len(t, names, n)
	assert.Equal(t, 4*n, mock.Count())
}

// nilReads answers the reads of sessions, participants, events and replicas with a nil output and no
// error, as a fake API may.
type nilReads struct{ emptyAPI }

func (nilReads) GetStageSession(context.Context, *ivsrealtime.GetStageSessionInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.GetStageSessionOutput, error) {
	return nil, nil
}

func (nilReads) GetParticipant(context.Context, *ivsrealtime.GetParticipantInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.GetParticipantOutput, error) {
	return nil, nil
}

func (nilReads) ListStageSessions(context.Context, *ivsrealtime.ListStageSessionsInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.ListStageSessionsOutput, error) {
	return nil, nil
}

func (nilReads) ListParticipants(context.Context, *ivsrealtime.ListParticipantsInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.ListParticipantsOutput, error) {
	return nil, nil
}

func (nilReads) ListParticipantEvents(context.Context, *ivsrealtime.ListParticipantEventsInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.ListParticipantEventsOutput, error) {
	return nil, nil
}

func (nilReads) ListParticipantReplicas(context.Context, *ivsrealtime.ListParticipantReplicasInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.ListParticipantReplicasOutput, error) {
	return nil, nil
}

// A response without the item asked for is an error naming it, never a zero value and nil: a nil output
// (a fake's) and an empty one (the service's {}).
func TestResponseWithoutItem(t *testing.T) {
	t.Parallel()
	tests := []struct {
		op   string
		call func(c *stage.Client) error
		want error
	}{
		{"GetStageSession", func(c *stage.Client) error { _, err := c.Session(t.Context(), stageARN, sessionID); return err }, stage.ErrNoSession},
		{"GetParticipant", func(c *stage.Client) error {
			_, err := c.Participant(t.Context(), stageARN, sessionID, participantID)
			return err
		}, stage.ErrNoParticipant},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			t.Parallel()
			for _, c := range []*stage.Client{stage.NewClient(nilReads{newEmptyAPI()}), func() *stage.Client {
				mock := testutil.NewMock()
				mock.Respond(tt.op, 200, `{}`)
				return newClient(mock)
			}()} {
				err := tt.call(c)
				require.ErrorIs(t, err, tt.want)
				var opErr *smithy.OperationError
				require.ErrorAs(t, err, &opErr)
				assert.Equal(t, tt.op, opErr.OperationName)
			}
		})
	}
	t.Run("iterators with nil outputs yield nothing", func(t *testing.T) {
		t.Parallel()
		c := stage.NewClient(nilReads{newEmptyAPI()})
		for _, n := range []int{
			len(first(testutil.CollectAll(c.Sessions(t.Context(), stageARN)))),
			len(first(testutil.CollectAll(c.Participants(t.Context(), stageARN, sessionID)))),
			len(first(testutil.CollectAll(c.ParticipantEvents(t.Context(), stageARN, sessionID, participantID)))),
			len(first(testutil.CollectAll(c.Replicas(t.Context(), stageARN, participantID)))),
		} {
			assert.Zero(t, n)
		}
	})
}

// WithOptions against the fake: an injected 500 fails a client derived with RetryMaxAttempts 1 after one
// request, and the original client (the fake's config: 3 attempts) gets past two on its third.
func TestWithOptionsAgainstFake(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := t.Context()
	st, tokens := w.createStage(t, "Retries", -1, token.New())
	w.join(t, st, tokens[0])
	sid := w.activeSession(t, st.ARN)
	once := w.stages.WithOptions(func(o *ivsrealtime.Options) { o.RetryMaxAttempts = 1 })

	count := func() int {
		n := 0
		for _, r := range w.srv.Requests() {
			if r.Operation == "ListParticipants" {
				n++
			}
		}
		return n
	}
	w.srv.FailNext("ListParticipants", 500, "InternalServerException")
	w.srv.FailNext("ListParticipants", 500, "InternalServerException")
	_, errs := testutil.CollectAll(once.Participants(ctx, st.ARN, sid))
	require.Len(t, errs, 1)
	var apiErr smithy.APIError
	require.ErrorAs(t, errs[0], &apiErr)
	assert.Equal(t, "InternalServerException", apiErr.ErrorCode())
	assert.Equal(t, 1, count())

	// One injected fault is still queued; one more makes two again.
	w.srv.FailNext("ListParticipants", 500, "InternalServerException")
	assert.Len(t, testutil.MustCollect(t, w.stages.Participants(ctx, st.ARN, sid)), 1)
	assert.Equal(t, 1+3, count())
}

// The whole life of a stage against the in-memory service: what Create sends is what Get reads back, an
// Update replaces the recording object, recordParticipantReplicas: false is stored, Disabled resets, List
// pages, Delete removes.
func TestLifecycleAgainstFake(t *testing.T) {
	t.Parallel()
	srv := stagetest.New()
	stages := stage.NewClientFromConfig(srv.Config())
	ctx := t.Context()
	storage := srv.MustAddStorageConfiguration("recordings")

	cfg := fullConfig().WithRecording(fullRecordingInto(storage))
	before := time.Now()
	st, tokens, err := stages.Create(ctx, cfg)
	require.NoError(t, err)
	assert.Equal(t, "town-hall", st.Name)
	assert.Equal(t, cfg.Tags(), st.Tags)
	assert.Equal(t, fullRecordingInto(storage).Effective(), st.Recording)
	assert.NotEmpty(t, st.ID())
	assert.NotEmpty(t, st.Endpoints.Events)
	assert.NotEmpty(t, st.Endpoints.WHIP)
	assert.NotEmpty(t, st.Endpoints.RTMP)
	assert.NotEmpty(t, st.Endpoints.RTMPS)
	require.Len(t, tokens, stage.MaxParticipants)
	for i, tok := range tokens {
		assert.Equal(t, fmt.Sprintf("user-%d", i), tok.UserID, "tokens come back in request order")
		assert.Equal(t, map[string]string{"role": "speaker", "seat": fmt.Sprintf("A%d", i)}, tok.Attributes)
		assert.Equal(t, 2*time.Hour, tok.Duration)
		assert.WithinDuration(t, before.Add(2*time.Hour), tok.ExpiresAt, 5*time.Second)
		assert.NotEmpty(t, tok.Value())
	}

	got, err := stages.Get(ctx, st.ARN)
	require.NoError(t, err)
	assert.Equal(t, st, got)

	// Only the reconnect window set: every other recording field returns to its default.
	rec := recording.New(storage).WithReconnectWindow(2 * time.Minute)
	got, err = stages.Update(ctx, st.ARN, stage.NewUpdate().WithRecording(rec))
	require.NoError(t, err)
	assert.Equal(t, rec.Effective(), got.Recording)
	assert.Equal(t, recording.DefaultHLSSegmentDuration, got.Recording.HLSSegmentDuration)

	got, err = stages.Update(ctx, st.ARN, stage.NewUpdate().WithName("renamed").WithRecording(rec.WithRecordReplicas(false)))
	require.NoError(t, err)
	assert.Equal(t, "renamed", got.Name)
	assert.False(t, got.Recording.RecordReplicas, "recordParticipantReplicas: false reached the service")
	assert.Equal(t, 2*time.Minute, got.Recording.ReconnectWindow)

	got, err = stages.Update(ctx, st.ARN, stage.NewUpdate().WithRecording(recording.Disabled()))
	require.NoError(t, err)
	assert.Equal(t, recording.Disabled().Effective(), got.Recording)
	assert.Equal(t, "renamed", got.Name, "an Update without a name leaves it")

	for i := range 2 {
		_, _, err := stages.Create(ctx, stage.New().WithName(fmt.Sprint("extra-", i)))
		require.NoError(t, err)
	}
	var names []string
	for s, err := range stages.List(ctx, stage.WithPageSize(1)) {
		require.NoError(t, err)
		names = append(names, s.Name)
	}
	assert.Equal(t, []string{"renamed", "extra-0", "extra-1"}, names)

	require.NoError(t, stages.Delete(ctx, st.ARN))
	_, err = stages.Get(ctx, st.ARN)
	var notFound *types.ResourceNotFoundException
	assert.ErrorAs(t, err, &notFound)
}

// While recording is active, a recording change is a ConflictException that IsRecordingActiveConflict
// recognises; a name change still goes through.
func TestRecordingActiveConflictAgainstFake(t *testing.T) {
	t.Parallel()
	srv := stagetest.New()
	stages := stage.NewClientFromConfig(srv.Config())
	st, _, err := stages.Create(t.Context(), stage.New().WithRecording(recording.New(srv.MustAddStorageConfiguration("recordings"))))
	require.NoError(t, err)
	srv.SetRecordingActive(st.ARN, true)

	_, err = stages.Update(t.Context(), st.ARN, stage.NewUpdate().WithRecording(recording.Disabled()))
	assert.True(t, stage.IsRecordingActiveConflict(err), "got %v", err)
	var conflict *types.ConflictException
	assert.ErrorAs(t, err, &conflict)

	got, err := stages.Update(t.Context(), st.ARN, stage.NewUpdate().WithName("still-works"))
	require.NoError(t, err)
	assert.Equal(t, "still-works", got.Name)
	assert.True(t, got.Recording.Enabled)
}

// WithOptions reaches every call of every method: a per-call RetryMaxAttempts is seen in the number of
// requests (two 500s, then success: 1 attempt fails after one request, 3 attempts succeed after three), and
// the client it was derived from keeps its own options.
func TestWithOptionsRetryMaxAttempts(t *testing.T) {
	t.Parallel()
	for _, m := range methods() {
		t.Run(m.op, func(t *testing.T) {
			t.Parallel()
			tests := []struct {
				name     string
				client   func(base *stage.Client) *stage.Client
				requests int
				fails    bool
			}{
				{"original, 3 attempts", func(base *stage.Client) *stage.Client { return base }, 3, false},
				{"derived, 1 attempt", func(base *stage.Client) *stage.Client {
					return base.WithOptions(func(o *ivsrealtime.Options) { o.RetryMaxAttempts = 1 })
				}, 1, true},
				{"derived, 2 attempts", func(base *stage.Client) *stage.Client {
					return base.WithOptions(func(o *ivsrealtime.Options) { o.RetryMaxAttempts = 2 })
				}, 2, true},
				{"derived twice, the later option wins", func(base *stage.Client) *stage.Client {
					return base.WithOptions(func(o *ivsrealtime.Options) { o.RetryMaxAttempts = 1 }).
						WithOptions(func(o *ivsrealtime.Options) { o.RetryMaxAttempts = 3 })
				}, 3, false},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					t.Parallel()
					mock := testutil.NewMock()
					var n atomic.Int32
					answer := func() (int, string, string) {
						if n.Add(1) <= 2 {
							return 500, `{"exceptionMessage": "try again"}`, "InternalServerException"
						}
						body := okBodies[m.op]
						if body == "" {
							body = `{}`
						}
						return 200, body, ""
					}
					if strings.HasSuffix(m.op, "Resource") {
						respondTagsFunc(t, mock, answer)
					} else {
						mock.RespondFunc(m.op, func(*http.Request, []byte) (int, string, string) { return answer() })
					}
					cfg := mock.Config()
					cfg.Retryer = testutil.StandardRetryer(3)
					base := stage.NewClientFromConfig(cfg)
					err := m.call(t, tt.client(base))
					if tt.fails {
						assert.Error(t, err)
					} else {
						assert.NoError(t, err)
					}
					assert.Equal(t, tt.requests, mock.Count())
				})
			}
		})
	}
}

// The options of WithOptions reach every page of an iterator, and the calls that add their own options
// (Create and Update with recordParticipantReplicas: false) keep both; the original client adds none.
func TestWithOptionsOnEveryCall(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	respondAll(t, mock)
	pages(t, mock, "ListParticipants", `{"participants": [{"participantId": "a"}]%s}`, `{"participants": [{"participantId": "b"}]%s}`, `{"participants": []%s}`)
	var seen atomic.Int32
	count := func(o *ivsrealtime.Options) {
		o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
			return s.Initialize.Add(middleware.InitializeMiddlewareFunc("count", func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				seen.Add(1)
				return next.HandleInitialize(ctx, in)
			}), middleware.Before)
		})
	}
	base := newClient(mock)
	derived := base.WithOptions(count)
	for _, m := range methods() {
		require.NoError(t, m.call(t, base), m.op)
	}
	assert.Zero(t, seen.Load(), "the original client passes no option")
	before := mock.Count()
	for _, m := range methods() {
		require.NoError(t, m.call(t, derived), m.op)
	}
	items, errs := testutil.CollectAll(derived.Participants(t.Context(), stageARN, sessionID))
	assert.Len(t, items, 2)
	assert.Equal(t, []error{nil, nil}, errs)
	_, _, err := derived.Create(t.Context(), stage.New().WithRecording(fullRecording().WithRecordReplicas(false)))
	require.NoError(t, err)
	// methods() lists ListParticipants once (3 pages), then the 3 pages again, then one CreateStage.
	assert.Equal(t, int32(mock.Count()-before), seen.Load(), "every request carried the option")
	reqs := mock.Requests()
	body := reqs[len(reqs)-1].JSON(t)
	assert.Equal(t, false, body["autoParticipantRecordingConfiguration"].(map[string]any)["recordParticipantReplicas"],
		"the call's own option still applies")
}

// ErrTokenCount: a CreateStage response with fewer (or more) tokens than asked for returns the stage, the
// tokens that came back and the error, never a short slice with nil.
func TestCreateTokenCount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		asked    int
		returned int
	}{
		{"fewer", 3, 2},
		{"none of 12", 12, 0},
		{"more", 1, 2},
		{"as many", 2, 2},
		{"none asked, one returned", 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			mock.Respond("CreateStage", 200, createResponse(tt.returned))
			st, tokens, err := newClient(mock).Create(t.Context(), stage.New().WithParticipants(participants(tt.asked)...))
			assert.Equal(t, stageARN, st.ARN, "the stage exists: it is returned")
			require.Len(t, tokens, tt.returned)
			for i, tok := range tokens {
				assert.Equal(t, "t"+string(rune('0'+i)), tok.Value())
			}
			if tt.asked == tt.returned {
				assert.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, stage.ErrTokenCount)
			var opErr *smithy.OperationError
			require.True(t, errors.As(err, &opErr))
			assert.Equal(t, "CreateStage", opErr.OperationName)
			assert.Contains(t, err.Error(), "asked for")
		})
	}
}

// 64 goroutines share one client (derived with WithOptions) and call every method: every call gets its
// answer, nothing races, the base client is unchanged.
func TestEveryMethodConcurrentUse(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	respondAll(t, mock)
	base := newClient(mock)
	var calls atomic.Int32
	shared := base.WithOptions(func(o *ivsrealtime.Options) { calls.Add(1) })
	const goroutines = 64
	var wg sync.WaitGroup
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, m := range methods() {
				assert.NoError(t, m.call(t, shared), m.op)
			}
		}()
	}
	wg.Wait()
	n := goroutines * len(methods())
	assert.Equal(t, n, mock.Count())
	assert.Equal(t, int32(n), calls.Load(), "every call applied the shared client's option once")
	require.NoError(t, base.Delete(t.Context(), stageARN))
	assert.Equal(t, int32(n), calls.Load(), "the base client passes no option")
}

// BenchmarkCreateStage compares Client.Create of the full config ("ivsrt": validation, the request, the
// conversion of the stage and its 12 tokens) with the raw SDK call of the same input ("sdk"), over the same
// mock transport and response. Sub-benchmarks of one function run interleaved under -count, so drift in the
// machine touches both alike: compare them with `benchstat -col /impl`
// (the first column, sdk, is the base).
func BenchmarkCreateStage(b *testing.B) {
	mock := testutil.NewMock()
	mock.RespondStatic("CreateStage", benchResponse())
	cfg := fullConfig()
	ctx := context.Background()

	b.Run("impl=sdk", func(b *testing.B) {
		client := mock.Client()
		rec, err := fullRecording().ToSDK()
		require.NoError(b, err)
		in := &ivsrealtime.CreateStageInput{Name: aws.String(cfg.Name()), Tags: cfg.Tags(), AutoParticipantRecordingConfiguration: rec}
		for _, p := range cfg.Participants() {
			sdk, err := p.ToSDK()
			require.NoError(b, err)
			in.ParticipantTokenConfigurations = append(in.ParticipantTokenConfigurations, sdk)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := client.CreateStage(ctx, in); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=ivsrt", func(b *testing.B) {
		client := stage.NewClientFromConfig(mock.Config())
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := client.Create(ctx, cfg); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func benchResponse() string {
	s := `{"stage": ` + fullStageJSON + `, "participantTokens": [`
	for i := range stage.MaxParticipants {
		if i > 0 {
			s += ","
		}
		s += fmt.Sprintf(`{"participantId": "p%d", "token": "t%d", "userId": "user-%d", "attributes": {"role": "speaker", "seat": "A%d"},
			"duration": 120, "capabilities": ["PUBLISH", "SUBSCRIBE"], "expirationTime": "2026-05-01T12:00:00Z"}`, i, i, i, i)
	}
	return s + `]}`
}
