package stagetest_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/stagetest"
)

var (
	stageARNRe      = regexp.MustCompile(`^arn:aws:ivs:us-east-1:123456789012:stage/[a-zA-Z0-9]{12}$`)
	sessionIDRe     = regexp.MustCompile(`^st-[a-zA-Z0-9]{13}$`)
	whipRe          = regexp.MustCompile(`^https://[a-z0-9]{12}\.global-bm\.whip\.live-video\.net$`)
	rtmpRe          = regexp.MustCompile(`^rtmp://([a-z0-9]{12})\.global-contribute\.live-video\.net/app/$`)
	rtmpsRe         = regexp.MustCompile(`^rtmps://([a-z0-9]{12})\.global-contribute\.live-video\.net:443/app/$`)
	participantIDRe = regexp.MustCompile(`^[a-zA-Z0-9-]{1,64}$`)
)

// assertDefaultRecording checks that rec is the service's default recording configuration.
func assertDefaultRecording(t *testing.T, rec *types.AutoParticipantRecordingConfiguration) {
	t.Helper()
	require.NotNil(t, rec)
	assert.Equal(t, "", aws.ToString(rec.StorageConfigurationArn))
	assert.Equal(t, []types.ParticipantRecordingMediaType{types.ParticipantRecordingMediaTypeAudioVideo}, rec.MediaTypes)
	require.NotNil(t, rec.ThumbnailConfiguration)
	assert.Equal(t, int32(stagetest.DefaultThumbnailIntervalSeconds), aws.ToInt32(rec.ThumbnailConfiguration.TargetIntervalSeconds))
	assert.Equal(t, []types.ThumbnailStorageType{types.ThumbnailStorageTypeSequential}, rec.ThumbnailConfiguration.Storage)
	assert.Equal(t, types.ThumbnailRecordingModeDisabled, rec.ThumbnailConfiguration.RecordingMode)
	assert.Equal(t, int32(0), rec.RecordingReconnectWindowSeconds)
	require.NotNil(t, rec.HlsConfiguration)
	assert.Equal(t, int32(stagetest.DefaultSegmentDurationSeconds), aws.ToInt32(rec.HlsConfiguration.TargetSegmentDurationSeconds))
	assert.True(t, rec.RecordParticipantReplicas)
}

func TestCreateStageDefaults(t *testing.T) {
	t.Parallel()
	srv, client := newClient(t)
	out, err := client.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{})
	require.NoError(t, err)
	st := out.Stage
	require.NotNil(t, st)
	assert.Regexp(t, stageARNRe, aws.ToString(st.Arn))
	assert.Equal(t, "", aws.ToString(st.Name))
	assert.Empty(t, aws.ToString(st.ActiveSessionId), "no session until someone joins")
	assert.NotNil(t, st.Tags)
	assert.Empty(t, st.Tags)
	assertDefaultRecording(t, st.AutoParticipantRecordingConfiguration)
	require.NotNil(t, st.Endpoints)
	assert.Equal(t, "wss://global.events.live-video.net", aws.ToString(st.Endpoints.Events))
	assert.Regexp(t, whipRe, aws.ToString(st.Endpoints.Whip))
	rtmp := rtmpRe.FindStringSubmatch(aws.ToString(st.Endpoints.Rtmp))
	rtmps := rtmpsRe.FindStringSubmatch(aws.ToString(st.Endpoints.Rtmps))
	require.Len(t, rtmp, 2, aws.ToString(st.Endpoints.Rtmp))
	require.Len(t, rtmps, 2, aws.ToString(st.Endpoints.Rtmps))
	assert.Equal(t, rtmp[1], rtmps[1], "rtmp and rtmps share the ingest host")
	assert.Empty(t, out.ParticipantTokens)

	// The raw wire shape: tags is {} and the recording object is complete.
	raw := post(t, srv, "GetStage", mustJSON(t, map[string]any{"arn": aws.ToString(st.Arn)}))
	require.Equal(t, http.StatusOK, raw.Status)
	stage := raw.Body["stage"].(map[string]any)
	assert.Equal(t, map[string]any{}, stage["tags"])
	assert.Equal(t, map[string]any{
		"storageConfigurationArn": "",
		"mediaTypes":              []any{"AUDIO_VIDEO"},
		"thumbnailConfiguration": map[string]any{
			"targetIntervalSeconds": float64(60), "storage": []any{"SEQUENTIAL"}, "recordingMode": "DISABLED",
		},
		"recordingReconnectWindowSeconds": float64(0),
		"hlsConfiguration":                map[string]any{"targetSegmentDurationSeconds": float64(6)},
		"recordParticipantReplicas":       true,
	}, stage["autoParticipantRecordingConfiguration"])
}

func TestCreateStageFull(t *testing.T) {
	t.Parallel()
	clock := stagetest.NewClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	srv, client := newClient(t, stagetest.WithClock(clock.Now))
	rec := &types.AutoParticipantRecordingConfiguration{
		StorageConfigurationArn: aws.String(srv.MustAddStorageConfiguration("recordings")),
		MediaTypes:              []types.ParticipantRecordingMediaType{types.ParticipantRecordingMediaTypeAudioOnly},
		ThumbnailConfiguration: &types.ParticipantThumbnailConfiguration{
			RecordingMode:         types.ThumbnailRecordingModeInterval,
			TargetIntervalSeconds: aws.Int32(30),
			Storage:               []types.ThumbnailStorageType{types.ThumbnailStorageTypeLatest, types.ThumbnailStorageTypeSequential},
		},
		RecordingReconnectWindowSeconds: 120,
		HlsConfiguration:                &types.ParticipantRecordingHlsConfiguration{TargetSegmentDurationSeconds: aws.Int32(4)},
		RecordParticipantReplicas:       true,
	}
	out, err := client.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{
		Name:                                  aws.String("my-stage_1"),
		Tags:                                  map[string]string{"team": "video"},
		AutoParticipantRecordingConfiguration: rec,
		ParticipantTokenConfigurations: []types.ParticipantTokenConfiguration{
			{UserId: aws.String("first"), Duration: aws.Int32(90), Capabilities: []types.ParticipantTokenCapability{types.ParticipantTokenCapabilitySubscribe}},
			{UserId: aws.String("second"), Attributes: map[string]string{"role": "host"}},
			{UserId: aws.String("third"), Capabilities: []types.ParticipantTokenCapability{}},
		},
	})
	require.NoError(t, err)
	assert.Equal(t, "my-stage_1", aws.ToString(out.Stage.Name))
	assert.Equal(t, map[string]string{"team": "video"}, out.Stage.Tags)
	assert.Equal(t, rec, out.Stage.AutoParticipantRecordingConfiguration)

	require.Len(t, out.ParticipantTokens, 3)
	want := []struct {
		user     string
		duration int32
		caps     []types.ParticipantTokenCapability
		attrs    map[string]string
	}{
		{"first", 90, []types.ParticipantTokenCapability{"SUBSCRIBE"}, nil},
		{"second", stagetest.DefaultTokenDurationMinutes, []types.ParticipantTokenCapability{"PUBLISH", "SUBSCRIBE"}, map[string]string{"role": "host"}},
		{"third", stagetest.DefaultTokenDurationMinutes, []types.ParticipantTokenCapability{}, nil},
	}
	ids := map[string]bool{}
	for i, tok := range out.ParticipantTokens {
		assert.Equal(t, want[i].user, aws.ToString(tok.UserId), "token %d in request order", i)
		assert.Equal(t, want[i].duration, aws.ToInt32(tok.Duration))
		assert.Equal(t, want[i].caps, tok.Capabilities)
		assert.Equal(t, want[i].attrs, tok.Attributes)
		assert.Equal(t, clock.Now().Add(time.Duration(want[i].duration)*time.Minute), aws.ToTime(tok.ExpirationTime))
		assert.Regexp(t, participantIDRe, aws.ToString(tok.ParticipantId))
		assert.Regexp(t, `^eyJ[A-Za-z0-9_.-]{100,}$`, aws.ToString(tok.Token))
		ids[aws.ToString(tok.ParticipantId)] = true
	}
	assert.Len(t, ids, 3, "participant IDs are unique")
}

func TestGetStage(t *testing.T) {
	t.Parallel()
	_, client := newClient(t)
	created, err := client.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{
		Name: aws.String("a"), Tags: map[string]string{"k": "v"},
	})
	require.NoError(t, err)
	got, err := client.GetStage(t.Context(), &ivsrealtime.GetStageInput{Arn: created.Stage.Arn})
	require.NoError(t, err)
	assert.Equal(t, created.Stage, got.Stage)
}

func TestRecordParticipantReplicasFalse(t *testing.T) {
	t.Parallel()
	srv, client := newClient(t)
	storage := srv.MustAddStorageConfiguration("recordings")

	// The SDK cannot send false; a raw body can, and the fake must keep it.
	arn := createRaw(t, srv, `{"autoParticipantRecordingConfiguration":{"storageConfigurationArn":"`+
		storage+`","recordParticipantReplicas":false}}`)
	got, err := client.GetStage(t.Context(), &ivsrealtime.GetStageInput{Arn: aws.String(arn)})
	require.NoError(t, err)
	assert.False(t, got.Stage.AutoParticipantRecordingConfiguration.RecordParticipantReplicas)
	raw := post(t, srv, "GetStage", `{"arn":"`+arn+`"}`)
	assert.Equal(t, false, raw.Body["stage"].(map[string]any)["autoParticipantRecordingConfiguration"].(map[string]any)["recordParticipantReplicas"])

	// Absent means the documented default, true.
	up, err := client.UpdateStage(t.Context(), &ivsrealtime.UpdateStageInput{
		Arn:                                   aws.String(arn),
		AutoParticipantRecordingConfiguration: &types.AutoParticipantRecordingConfiguration{StorageConfigurationArn: aws.String(storage)},
	})
	require.NoError(t, err)
	assert.True(t, up.Stage.AutoParticipantRecordingConfiguration.RecordParticipantReplicas)

	// An explicit false through UpdateStage too.
	r := post(t, srv, "UpdateStage", `{"arn":"`+arn+`","autoParticipantRecordingConfiguration":{"storageConfigurationArn":"`+
		storage+`","recordParticipantReplicas":false}}`)
	require.Equal(t, http.StatusOK, r.Status, "%v", r.Body)
	got, err = client.GetStage(t.Context(), &ivsrealtime.GetStageInput{Arn: aws.String(arn)})
	require.NoError(t, err)
	assert.False(t, got.Stage.AutoParticipantRecordingConfiguration.RecordParticipantReplicas)
}

func TestUpdateStage(t *testing.T) {
	t.Parallel()
	full := `{"storageConfigurationArn":"` + storageARN("full") + `","mediaTypes":["AUDIO_ONLY"],` +
		`"thumbnailConfiguration":{"recordingMode":"INTERVAL","targetIntervalSeconds":30,"storage":["LATEST"]},` +
		`"recordingReconnectWindowSeconds":120,"hlsConfiguration":{"targetSegmentDurationSeconds":4},` +
		`"recordParticipantReplicas":false}`
	fullRec := &types.AutoParticipantRecordingConfiguration{
		StorageConfigurationArn: aws.String(storageARN("full")),
		MediaTypes:              []types.ParticipantRecordingMediaType{"AUDIO_ONLY"},
		ThumbnailConfiguration: &types.ParticipantThumbnailConfiguration{
			RecordingMode: "INTERVAL", TargetIntervalSeconds: aws.Int32(30), Storage: []types.ThumbnailStorageType{"LATEST"},
		},
		RecordingReconnectWindowSeconds: 120,
		HlsConfiguration:                &types.ParticipantRecordingHlsConfiguration{TargetSegmentDurationSeconds: aws.Int32(4)},
		RecordParticipantReplicas:       false,
	}
	defaults := func(arn string) *types.AutoParticipantRecordingConfiguration {
		return &types.AutoParticipantRecordingConfiguration{
			StorageConfigurationArn: aws.String(arn),
			MediaTypes:              []types.ParticipantRecordingMediaType{"AUDIO_VIDEO"},
			ThumbnailConfiguration: &types.ParticipantThumbnailConfiguration{
				RecordingMode: "DISABLED", TargetIntervalSeconds: aws.Int32(60), Storage: []types.ThumbnailStorageType{"SEQUENTIAL"},
			},
			HlsConfiguration:          &types.ParticipantRecordingHlsConfiguration{TargetSegmentDurationSeconds: aws.Int32(6)},
			RecordParticipantReplicas: true,
		}
	}
	tests := []struct {
		name     string
		update   string // members after "arn"
		wantName string
		wantRec  *types.AutoParticipantRecordingConfiguration
	}{
		{"nothing", ``, "before", fullRec},
		{"name only keeps recording", `,"name":"after"`, "after", fullRec},
		{"empty name", `,"name":""`, "", fullRec},
		{"recording replaces the whole object", `,"autoParticipantRecordingConfiguration":{"storageConfigurationArn":"` +
			storageARN("other") + `","mediaTypes":["NONE"]}`, "before", func() *types.AutoParticipantRecordingConfiguration {
			r := defaults(storageARN("other"))
			r.MediaTypes = []types.ParticipantRecordingMediaType{"NONE"}
			return r
		}()},
		{"partial thumbnail gets member defaults", `,"autoParticipantRecordingConfiguration":{"storageConfigurationArn":"` +
			storageARN("other") + `","thumbnailConfiguration":{"recordingMode":"INTERVAL"}}`, "before", func() *types.AutoParticipantRecordingConfiguration {
			r := defaults(storageARN("other"))
			r.ThumbnailConfiguration.RecordingMode = "INTERVAL"
			return r
		}()},
		{"empty ARN resets to defaults", `,"autoParticipantRecordingConfiguration":{"storageConfigurationArn":""}`, "before", defaults("")},
		{"empty ARN ignores other members", `,"name":"x","autoParticipantRecordingConfiguration":{"storageConfigurationArn":"",` +
			`"mediaTypes":["AUDIO_ONLY"],"recordingReconnectWindowSeconds":60,"recordParticipantReplicas":false}`, "x", defaults("")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, client := newClient(t)
			// The table's made-up storage ARNs stand for storage configurations the server holds.
			real := strings.NewReplacer(
				storageARN("full"), srv.MustAddStorageConfiguration("full"),
				storageARN("other"), srv.MustAddStorageConfiguration("other"),
			)
			withStorage := func(rec *types.AutoParticipantRecordingConfiguration) *types.AutoParticipantRecordingConfiguration {
				out := *rec
				out.StorageConfigurationArn = aws.String(real.Replace(aws.ToString(rec.StorageConfigurationArn)))
				return &out
			}
			arn := createRaw(t, srv, `{"name":"before","autoParticipantRecordingConfiguration":`+real.Replace(full)+`}`)
			got, err := client.GetStage(t.Context(), &ivsrealtime.GetStageInput{Arn: aws.String(arn)})
			require.NoError(t, err)
			require.Equal(t, withStorage(fullRec), got.Stage.AutoParticipantRecordingConfiguration)

			r := post(t, srv, "UpdateStage", `{"arn":"`+arn+`"`+real.Replace(tt.update)+`}`)
			require.Equal(t, http.StatusOK, r.Status, "%v", r.Body)

			got, err = client.GetStage(t.Context(), &ivsrealtime.GetStageInput{Arn: aws.String(arn)})
			require.NoError(t, err)
			assert.Equal(t, tt.wantName, aws.ToString(got.Stage.Name))
			assert.Equal(t, withStorage(tt.wantRec), got.Stage.AutoParticipantRecordingConfiguration)
		})
	}
}

func TestUpdateStageThroughSDK(t *testing.T) {
	t.Parallel()
	srv, client := newClient(t)
	storage := srv.MustAddStorageConfiguration("recordings")
	created, err := client.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{Name: aws.String("a")})
	require.NoError(t, err)
	up, err := client.UpdateStage(t.Context(), &ivsrealtime.UpdateStageInput{
		Arn:  created.Stage.Arn,
		Name: aws.String("b"),
		AutoParticipantRecordingConfiguration: &types.AutoParticipantRecordingConfiguration{
			StorageConfigurationArn:         aws.String(storage),
			RecordingReconnectWindowSeconds: 300,
		},
	})
	require.NoError(t, err)
	assert.Equal(t, "b", aws.ToString(up.Stage.Name))
	assert.Equal(t, created.Stage.Arn, up.Stage.Arn)
	assert.Equal(t, created.Stage.ActiveSessionId, up.Stage.ActiveSessionId)
	assert.Equal(t, created.Stage.Endpoints, up.Stage.Endpoints)
	assert.Equal(t, storage, aws.ToString(up.Stage.AutoParticipantRecordingConfiguration.StorageConfigurationArn))
	assert.Equal(t, int32(300), up.Stage.AutoParticipantRecordingConfiguration.RecordingReconnectWindowSeconds)
	assert.True(t, up.Stage.AutoParticipantRecordingConfiguration.RecordParticipantReplicas)
}

func TestRecordingActiveConflict(t *testing.T) {
	t.Parallel()
	srv, client := newClient(t)
	created, err := client.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{})
	require.NoError(t, err)
	arn := created.Stage.Arn
	storage := srv.MustAddStorageConfiguration("recordings")
	rec := &types.AutoParticipantRecordingConfiguration{StorageConfigurationArn: aws.String(storage)}

	srv.SetRecordingActive(aws.ToString(arn), true)
	_, err = client.UpdateStage(t.Context(), &ivsrealtime.UpdateStageInput{Arn: arn, AutoParticipantRecordingConfiguration: rec})
	var conflict *types.ConflictException
	require.ErrorAs(t, err, &conflict)
	assert.Contains(t, aws.ToString(conflict.ExceptionMessage), "recording is active")
	code, status := apiError(t, err)
	assert.Equal(t, "ConflictException", code)
	assert.Equal(t, http.StatusConflict, status)

	// A name-only update is fine while recording is active, and the recording was not changed.
	up, err := client.UpdateStage(t.Context(), &ivsrealtime.UpdateStageInput{Arn: arn, Name: aws.String("renamed")})
	require.NoError(t, err)
	assert.Equal(t, "renamed", aws.ToString(up.Stage.Name))
	assertDefaultRecording(t, up.Stage.AutoParticipantRecordingConfiguration)

	srv.SetRecordingActive(aws.ToString(arn), false)
	up, err = client.UpdateStage(t.Context(), &ivsrealtime.UpdateStageInput{Arn: arn, AutoParticipantRecordingConfiguration: rec})
	require.NoError(t, err)
	assert.Equal(t, storage, aws.ToString(up.Stage.AutoParticipantRecordingConfiguration.StorageConfigurationArn))
}

func TestDeleteStage(t *testing.T) {
	t.Parallel()
	_, client := newClient(t)
	created, err := client.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{})
	require.NoError(t, err)
	_, err = client.DeleteStage(t.Context(), &ivsrealtime.DeleteStageInput{Arn: created.Stage.Arn})
	require.NoError(t, err)
	_, err = client.GetStage(t.Context(), &ivsrealtime.GetStageInput{Arn: created.Stage.Arn})
	var nf *types.ResourceNotFoundException
	require.ErrorAs(t, err, &nf)
	_, err = client.DeleteStage(t.Context(), &ivsrealtime.DeleteStageInput{Arn: created.Stage.Arn})
	require.ErrorAs(t, err, &nf)
}

func TestCreateParticipantToken(t *testing.T) {
	t.Parallel()
	clock := stagetest.NewClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	_, client := newClient(t, stagetest.WithClock(clock.Now))
	created, err := client.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{})
	require.NoError(t, err)

	tests := []struct {
		name     string
		in       ivsrealtime.CreateParticipantTokenInput
		duration int32
		caps     []types.ParticipantTokenCapability
	}{
		{"defaults", ivsrealtime.CreateParticipantTokenInput{}, 720, []types.ParticipantTokenCapability{"PUBLISH", "SUBSCRIBE"}},
		{"min duration", ivsrealtime.CreateParticipantTokenInput{Duration: aws.Int32(1)}, 1, []types.ParticipantTokenCapability{"PUBLISH", "SUBSCRIBE"}},
		{"max duration, publish only", ivsrealtime.CreateParticipantTokenInput{
			Duration: aws.Int32(20160), Capabilities: []types.ParticipantTokenCapability{"PUBLISH"},
			UserId: aws.String("ünïcode"), Attributes: map[string]string{"a": "b"},
		}, 20160, []types.ParticipantTokenCapability{"PUBLISH"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.StageArn = created.Stage.Arn
			out, err := client.CreateParticipantToken(t.Context(), &in)
			require.NoError(t, err)
			tok := out.ParticipantToken
			require.NotNil(t, tok)
			assert.Equal(t, tt.duration, aws.ToInt32(tok.Duration))
			assert.Equal(t, tt.caps, tok.Capabilities)
			assert.Equal(t, in.UserId, tok.UserId)
			assert.Equal(t, in.Attributes, tok.Attributes)
			assert.Equal(t, clock.Now().Add(time.Duration(tt.duration)*time.Minute), aws.ToTime(tok.ExpirationTime))
			assert.Regexp(t, participantIDRe, aws.ToString(tok.ParticipantId))
			assert.GreaterOrEqual(t, len(aws.ToString(tok.Token)), 100)
		})
	}

	_, err = client.CreateParticipantToken(t.Context(), &ivsrealtime.CreateParticipantTokenInput{StageArn: aws.String(stageARN("nope"))})
	var nf *types.ResourceNotFoundException
	require.ErrorAs(t, err, &nf)
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	_, client := newClient(t)
	missing := aws.String(stageARN("missing123"))
	calls := map[string]func() error{
		"GetStage": func() error {
			_, err := client.GetStage(t.Context(), &ivsrealtime.GetStageInput{Arn: missing})
			return err
		},
		"UpdateStage": func() error {
			_, err := client.UpdateStage(t.Context(), &ivsrealtime.UpdateStageInput{Arn: missing, Name: aws.String("x")})
			return err
		},
		"DeleteStage": func() error {
			_, err := client.DeleteStage(t.Context(), &ivsrealtime.DeleteStageInput{Arn: missing})
			return err
		},
		"CreateParticipantToken": func() error {
			_, err := client.CreateParticipantToken(t.Context(), &ivsrealtime.CreateParticipantTokenInput{StageArn: missing})
			return err
		},
		"GetPublicKey": func() error {
			_, err := client.GetPublicKey(t.Context(), &ivsrealtime.GetPublicKeyInput{Arn: aws.String(keyARN("missing"))})
			return err
		},
		"DeletePublicKey": func() error {
			_, err := client.DeletePublicKey(t.Context(), &ivsrealtime.DeletePublicKeyInput{Arn: aws.String(keyARN("missing"))})
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			err := call()
			var nf *types.ResourceNotFoundException
			require.ErrorAs(t, err, &nf)
			assert.Contains(t, aws.ToString(nf.ExceptionMessage), "missing")
			_, status := apiError(t, err)
			assert.Equal(t, http.StatusNotFound, status)
		})
	}
}

func TestStageQuota(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		opts  []stagetest.Option
		quota int
	}{
		{"default", nil, stagetest.StagesQuota},
		{"WithStageQuota", []stagetest.Option{stagetest.WithStageQuota(3)}, 3},
		{"WithStageQuota(0)", []stagetest.Option{stagetest.WithStageQuota(0)}, 0},
		{"negative", []stagetest.Option{stagetest.WithStageQuota(-1)}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, client := newClient(t, tt.opts...)
			var last string
			for i := range tt.quota {
				// Raw requests keep the 1,000-stage case fast; the last one goes through the SDK.
				last = createRaw(t, srv, fmt.Sprintf(`{"name":"s%d"}`, i))
			}
			_, err := client.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{})
			var quota *types.ServiceQuotaExceededException
			require.ErrorAs(t, err, &quota)
			_, status := apiError(t, err)
			assert.Equal(t, http.StatusPaymentRequired, status)
			assert.Contains(t, aws.ToString(quota.ExceptionMessage), fmt.Sprint(tt.quota))

			if tt.quota > 0 {
				// Deleting one frees a slot.
				_, err = client.DeleteStage(t.Context(), &ivsrealtime.DeleteStageInput{Arn: aws.String(last)})
				require.NoError(t, err)
				_, err = client.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{})
				require.NoError(t, err)
			}
		})
	}
}

func TestListStagesPagination(t *testing.T) {
	t.Parallel()
	srv, client := newClient(t)
	var want []string
	for i := range 7 {
		out, err := client.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{
			Name: aws.String(fmt.Sprintf("s%d", i)), Tags: map[string]string{"i": fmt.Sprint(i)},
		})
		require.NoError(t, err)
		want = append(want, aws.ToString(out.Stage.Arn))
	}

	var pages [][]string
	var token *string
	for {
		out, err := client.ListStages(t.Context(), &ivsrealtime.ListStagesInput{MaxResults: aws.Int32(3), NextToken: token})
		require.NoError(t, err)
		var page []string
		for _, s := range out.Stages {
			page = append(page, aws.ToString(s.Arn))
			assert.Empty(t, aws.ToString(s.ActiveSessionId), "no session until someone joins")
			assert.Equal(t, "s"+s.Tags["i"], aws.ToString(s.Name))
		}
		pages = append(pages, page)
		if out.NextToken == nil {
			break
		}
		assert.Regexp(t, `^[a-zA-Z0-9+/=_-]+$`, aws.ToString(out.NextToken))
		assert.LessOrEqual(t, len(aws.ToString(out.NextToken)), stagetest.MaxNextTokenLength)
		token = out.NextToken
	}
	assert.Equal(t, [][]string{want[0:3], want[3:6], want[6:7]}, pages, "three pages in creation order")

	// The SDK's paginator walks the same pages.
	var all []string
	p := ivsrealtime.NewListStagesPaginator(client, &ivsrealtime.ListStagesInput{MaxResults: aws.Int32(3)})
	for p.HasMorePages() {
		out, err := p.NextPage(t.Context())
		require.NoError(t, err)
		for _, s := range out.Stages {
			all = append(all, aws.ToString(s.Arn))
		}
	}
	assert.Equal(t, want, all)

	// A stage deleted between pages does not shift the next page.
	first, err := client.ListStages(t.Context(), &ivsrealtime.ListStagesInput{MaxResults: aws.Int32(3)})
	require.NoError(t, err)
	_, err = client.DeleteStage(t.Context(), &ivsrealtime.DeleteStageInput{Arn: aws.String(want[0])})
	require.NoError(t, err)
	second, err := client.ListStages(t.Context(), &ivsrealtime.ListStagesInput{MaxResults: aws.Int32(3), NextToken: first.NextToken})
	require.NoError(t, err)
	require.Len(t, second.Stages, 3)
	assert.Equal(t, want[3], aws.ToString(second.Stages[0].Arn))

	// An exactly full last page has no nextToken.
	full, err := client.ListStages(t.Context(), &ivsrealtime.ListStagesInput{MaxResults: aws.Int32(6)})
	require.NoError(t, err)
	assert.Len(t, full.Stages, 6)
	assert.Nil(t, full.NextToken)

	// The raw list is [] when empty.
	empty := post(t, stagetest.New(), "ListStages", `{}`)
	assert.Equal(t, []any{}, empty.Body["stages"])
	_ = srv
}

func TestListStagesDefaultPageSize(t *testing.T) {
	t.Parallel()
	srv, client := newClient(t)
	for range stagetest.DefaultPageSize + 1 {
		createRaw(t, srv, `{}`)
	}
	out, err := client.ListStages(t.Context(), &ivsrealtime.ListStagesInput{})
	require.NoError(t, err)
	assert.Len(t, out.Stages, stagetest.DefaultPageSize)
	require.NotNil(t, out.NextToken)
	out, err = client.ListStages(t.Context(), &ivsrealtime.ListStagesInput{NextToken: out.NextToken, MaxResults: aws.Int32(stagetest.MaxPageSize)})
	require.NoError(t, err)
	assert.Len(t, out.Stages, 1)
	assert.Nil(t, out.NextToken)
}
