package stagetest_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/stagetest"
)

// encoder creates an encoder configuration with the service's default video.
func (w *world) encoder() string {
	w.t.Helper()
	out, err := w.client.CreateEncoderConfiguration(w.t.Context(), &ivsrealtime.CreateEncoderConfigurationInput{})
	require.NoError(w.t, err)
	return aws.ToString(out.EncoderConfiguration.Arn)
}

// s3Destination is a destination recording into storageARN with encoderARN.
func s3Destination(storageARN, encoderARN string) types.DestinationConfiguration {
	return types.DestinationConfiguration{S3: &types.S3DestinationConfiguration{
		StorageConfigurationArn:  aws.String(storageARN),
		EncoderConfigurationArns: []string{encoderARN},
	}}
}

// compose starts a composition of stageARN into a new storage configuration on bucket.
func (w *world) compose(stageARN, bucket string, edit ...func(*ivsrealtime.StartCompositionInput)) types.Composition {
	w.t.Helper()
	in := &ivsrealtime.StartCompositionInput{
		StageArn:     aws.String(stageARN),
		Destinations: []types.DestinationConfiguration{s3Destination(w.srv.MustAddStorageConfiguration(bucket), w.encoder())},
	}
	for _, e := range edit {
		e(in)
	}
	out, err := w.client.StartComposition(w.t.Context(), in)
	require.NoError(w.t, err)
	return *out.Composition
}

// encoderCount lists the encoder configurations.
func encoderCount(t *testing.T, srv *stagetest.Server) int {
	t.Helper()
	r := post(t, srv, "ListEncoderConfigurations", `{}`)
	require.Equal(t, http.StatusOK, r.Status)
	return len(r.Body["encoderConfigurations"].([]any))
}

func TestEncoderConfigurationVideoBoundaries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, video string
		path        string // "" when valid
	}{
		{"width last valid low", `{"width": 2, "height": 2}`, ""},
		{"width first invalid low", `{"width": 0}`, "video.width"},
		{"width odd", `{"width": 3}`, "video.width"},
		{"width last valid high", `{"width": 1920, "height": 1080}`, ""},
		{"width first invalid high", `{"width": 1922, "height": 2}`, "video.width"},
		{"height first invalid low", `{"height": 0}`, "video.height"},
		{"height last valid high", `{"width": 1080, "height": 1920}`, ""},
		{"height first invalid high", `{"height": 1922, "width": 2}`, "video.height"},
		{"pixels first invalid", `{"width": 1920, "height": 1082}`, "video"},
		{"framerate last valid low", `{"framerate": 1}`, ""},
		{"framerate first invalid low", `{"framerate": 0.99}`, "video.framerate"},
		{"framerate last valid high", `{"framerate": 60}`, ""},
		{"framerate first invalid high", `{"framerate": 60.01}`, "video.framerate"},
		{"bitrate last valid low", `{"bitrate": 1}`, ""},
		{"bitrate first invalid low", `{"bitrate": 0}`, "video.bitrate"},
		{"bitrate last valid high", `{"bitrate": 8500000}`, ""},
		{"bitrate first invalid high", `{"bitrate": 8500001}`, "video.bitrate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := stagetest.New()
			r := post(t, srv, "CreateEncoderConfiguration", `{"video": `+tt.video+`}`)
			if tt.path == "" {
				assert.Equal(t, http.StatusOK, r.Status, r.message())
				assert.Equal(t, 1, encoderCount(t, srv))
				return
			}
			assert.Equal(t, http.StatusBadRequest, r.Status)
			assert.Equal(t, "ValidationException", r.ErrorType)
			assert.Contains(t, r.message(), "at '"+tt.path+"'")
			assert.Zero(t, encoderCount(t, srv), "nothing created")
		})
	}
}

func TestEncoderConfigurationLifecycle(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := t.Context()
	out, err := w.client.CreateEncoderConfiguration(ctx, &ivsrealtime.CreateEncoderConfigurationInput{
		Name: aws.String("grid-720"), Tags: map[string]string{"team": "a"},
	})
	require.NoError(t, err)
	e := out.EncoderConfiguration
	assert.Regexp(t, `^arn:aws:ivs:us-east-1:123456789012:encoder-configuration/[a-zA-Z0-9]{12}$`, aws.ToString(e.Arn))
	assert.Equal(t, &types.Video{Width: aws.Int32(1280), Height: aws.Int32(720), Framerate: aws.Float32(30), Bitrate: aws.Int32(2_500_000)}, e.Video)

	got, err := w.client.GetEncoderConfiguration(ctx, &ivsrealtime.GetEncoderConfigurationInput{Arn: e.Arn})
	require.NoError(t, err)
	assert.Equal(t, e.Video, got.EncoderConfiguration.Video)
	assert.Equal(t, map[string]string{"team": "a"}, got.EncoderConfiguration.Tags)

	list, err := w.client.ListEncoderConfigurations(ctx, &ivsrealtime.ListEncoderConfigurationsInput{})
	require.NoError(t, err)
	require.Len(t, list.EncoderConfigurations, 1)
	assert.Equal(t, "grid-720", aws.ToString(list.EncoderConfigurations[0].Name))

	// In use by a running composition: 409; once it is gone: deleted, then 404.
	st := w.stage(nil)
	comp, err := w.client.StartComposition(ctx, &ivsrealtime.StartCompositionInput{
		StageArn:     aws.String(st),
		Destinations: []types.DestinationConfiguration{s3Destination(w.srv.MustAddStorageConfiguration("bucket-a"), aws.ToString(e.Arn))},
	})
	require.NoError(t, err)
	_, err = w.client.DeleteEncoderConfiguration(ctx, &ivsrealtime.DeleteEncoderConfigurationInput{Arn: e.Arn})
	code, status := apiError(t, err)
	assert.Equal(t, "ConflictException", code)
	assert.Equal(t, http.StatusConflict, status)
	_, err = w.client.StopComposition(ctx, &ivsrealtime.StopCompositionInput{Arn: comp.Composition.Arn})
	require.NoError(t, err)
	w.clock.Advance(1)
	_, err = w.client.DeleteEncoderConfiguration(ctx, &ivsrealtime.DeleteEncoderConfigurationInput{Arn: e.Arn})
	require.NoError(t, err)
	_, err = w.client.GetEncoderConfiguration(ctx, &ivsrealtime.GetEncoderConfigurationInput{Arn: e.Arn})
	code, status = apiError(t, err)
	assert.Equal(t, "ResourceNotFoundException", code)
	assert.Equal(t, http.StatusNotFound, status)
}

func TestEncoderConfigurationQuota(t *testing.T) {
	t.Parallel()
	srv := stagetest.New()
	for range stagetest.EncoderConfigurationsQuota {
		require.Equal(t, http.StatusOK, post(t, srv, "CreateEncoderConfiguration", `{}`).Status)
	}
	r := post(t, srv, "CreateEncoderConfiguration", `{}`)
	assert.Equal(t, http.StatusPaymentRequired, r.Status)
	assert.Equal(t, "ServiceQuotaExceededException", r.ErrorType)
	assert.Equal(t, stagetest.EncoderConfigurationsQuota, encoderCount(t, srv))
}

// compositionBody is a StartComposition body for stage st whose destinations are dests (JSON).
func compositionBody(st, extra, dests string) string {
	return fmt.Sprintf(`{"stageArn": %q, "destinations": %s%s}`, st, dests, extra)
}

func TestStartCompositionValidation(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	st := w.stage(nil)
	enc := w.encoder()
	sc := w.srv.MustAddStorageConfiguration("bucket-v")
	s3 := func(extra string) string {
		return fmt.Sprintf(`{"s3": {"storageConfigurationArn": %q, "encoderConfigurationArns": [%q]%s}}`, sc, enc, extra)
	}
	channel := `{"channel": {"channelArn": "arn:aws:ivs:us-east-1:123456789012:channel/abc"}}`
	tests := []struct {
		name, extra, dests string
		path               string // "" when valid
	}{
		{"one s3", "", "[" + s3("") + "]", ""},
		{"one channel and one s3", "", "[" + channel + "," + s3("") + "]", ""},
		{"no destination", "", "[]", "destinations"},
		{"two s3", "", "[" + s3("") + "," + s3(`, "recordingConfiguration": {}`) + "]", "destinations"},
		{"three destinations", "", "[" + channel + "," + s3("") + "," + s3("") + "]", "destinations"},
		{"neither channel nor s3", "", `[{"name": "x"}]`, "destinations[0]"},
		{"no encoder", "", fmt.Sprintf(`[{"s3": {"storageConfigurationArn": %q, "encoderConfigurationArns": []}}]`, sc), "destinations[0].s3.encoderConfigurationArns"},
		{"two encoders", "", fmt.Sprintf(`[{"s3": {"storageConfigurationArn": %q, "encoderConfigurationArns": [%q, %q]}}]`, sc, enc, enc), "destinations[0].s3.encoderConfigurationArns"},
		{"unknown encoder", "", fmt.Sprintf(`[{"s3": {"storageConfigurationArn": %q, "encoderConfigurationArns": ["arn:aws:ivs:us-east-1:123456789012:encoder-configuration/nope"]}}]`, sc), "destinations[0].s3.encoderConfigurationArns[0]"},
		{"unknown storage", "", fmt.Sprintf(`[{"s3": {"storageConfigurationArn": %q, "encoderConfigurationArns": [%q]}}]`, storageARN("nope"), enc), "destinations[0].s3.storageConfigurationArn"},
		{"segment first invalid low", "", "[" + s3(`, "recordingConfiguration": {"hlsConfiguration": {"targetSegmentDurationSeconds": 1}}`) + "]", "destinations[0].s3.recordingConfiguration.hlsConfiguration.targetSegmentDurationSeconds"},
		{"segment last valid low", "", "[" + s3(`, "recordingConfiguration": {"hlsConfiguration": {"targetSegmentDurationSeconds": 2}}`) + "]", ""},
		{"segment last valid high", "", "[" + s3(`, "recordingConfiguration": {"hlsConfiguration": {"targetSegmentDurationSeconds": 10}}`) + "]", ""},
		{"segment first invalid high", "", "[" + s3(`, "recordingConfiguration": {"hlsConfiguration": {"targetSegmentDurationSeconds": 11}}`) + "]", "destinations[0].s3.recordingConfiguration.hlsConfiguration.targetSegmentDurationSeconds"},
		{"thumbnail interval first invalid low", "", "[" + s3(`, "thumbnailConfigurations": [{"targetIntervalSeconds": 0}]`) + "]", "destinations[0].s3.thumbnailConfigurations[0].targetIntervalSeconds"},
		{"thumbnail interval last valid low", "", "[" + s3(`, "thumbnailConfigurations": [{"targetIntervalSeconds": 1}]`) + "]", ""},
		{"thumbnail interval last valid high", "", "[" + s3(`, "thumbnailConfigurations": [{"targetIntervalSeconds": 86400}]`) + "]", ""},
		{"thumbnail interval first invalid high", "", "[" + s3(`, "thumbnailConfigurations": [{"targetIntervalSeconds": 86401}]`) + "]", "destinations[0].s3.thumbnailConfigurations[0].targetIntervalSeconds"},
		{"two thumbnail configurations", "", "[" + s3(`, "thumbnailConfigurations": [{}, {}]`) + "]", "destinations[0].s3.thumbnailConfigurations"},
		{"thumbnail storage twice", "", "[" + s3(`, "thumbnailConfigurations": [{"storage": ["LATEST", "LATEST"]}]`) + "]", "destinations[0].s3.thumbnailConfigurations[0].storage"},
		{"token last valid high", `, "idempotencyToken": "` + strings.Repeat("a", 64) + `"`, "[" + s3("") + "]", ""},
		{"token first invalid high", `, "idempotencyToken": "` + strings.Repeat("a", 65) + `"`, "[" + s3("") + "]", "idempotencyToken"},
		{"token last valid low", `, "idempotencyToken": "a"`, "[" + s3("") + "]", ""},
		{"token first invalid low", `, "idempotencyToken": ""`, "[" + s3("") + "]", "idempotencyToken"},
		{"token character", `, "idempotencyToken": "a.b"`, "[" + s3("") + "]", "idempotencyToken"},
		{"gridGap last valid", `, "layout": {"grid": {"gridGap": 0}}`, "[" + s3("") + "]", ""},
		{"gridGap first invalid", `, "layout": {"grid": {"gridGap": -1}}`, "[" + s3("") + "]", "layout.grid.gridGap"},
		{"pipWidth last valid", `, "layout": {"pip": {"pipWidth": 1}}`, "[" + s3("") + "]", ""},
		{"pipWidth first invalid", `, "layout": {"pip": {"pipWidth": 0}}`, "[" + s3("") + "]", "layout.pip.pipWidth"},
		{"aspect ratio", `, "layout": {"grid": {"videoAspectRatio": "WIDE"}}`, "[" + s3("") + "]", "layout.grid.videoAspectRatio"},
		{"pip position", `, "layout": {"pip": {"pipPosition": "CENTER"}}`, "[" + s3("") + "]", "layout.pip.pipPosition"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(listCompositions(t, w.srv))
			r := post(t, w.srv, "StartComposition", compositionBody(st, tt.extra, tt.dests))
			if tt.path == "" {
				require.Equal(t, http.StatusOK, r.Status, r.message())
				comp := r.Body["composition"].(map[string]any)
				post(t, w.srv, "StopComposition", fmt.Sprintf(`{"arn": %q}`, comp["arn"]))
				w.clock.Advance(1)
				return
			}
			assert.Equal(t, http.StatusBadRequest, r.Status)
			assert.Equal(t, "ValidationException", r.ErrorType)
			assert.Contains(t, r.message(), "at '"+tt.path+"'")
			assert.Len(t, listCompositions(t, w.srv), before, "nothing started")
		})
	}
}

// listCompositions returns ListCompositions' items (raw).
func listCompositions(t *testing.T, srv *stagetest.Server) []any {
	t.Helper()
	r := post(t, srv, "ListCompositions", `{}`)
	require.Equal(t, http.StatusOK, r.Status)
	return r.Body["compositions"].([]any)
}

func TestStartCompositionResponse(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	st := w.stage(nil)
	comp := w.compose(st, "bucket-r", func(in *ivsrealtime.StartCompositionInput) {
		in.Tags = map[string]string{"k": "v"}
	})
	assert.Regexp(t, `^arn:aws:ivs:us-east-1:123456789012:composition/[a-zA-Z0-9]{12}$`, aws.ToString(comp.Arn))
	assert.Equal(t, types.CompositionStateStarting, comp.State)
	assert.Equal(t, st, aws.ToString(comp.StageArn))
	assert.Equal(t, t0, aws.ToTime(comp.StartTime))
	assert.Nil(t, comp.EndTime)
	assert.Equal(t, map[string]string{"k": "v"}, comp.Tags)
	require.NotNil(t, comp.Layout.Grid, "a grid by default")
	assert.Equal(t, int32(2), comp.Layout.Grid.GridGap, "the user guide's default")
	assert.Equal(t, types.VideoAspectRatioVideo, comp.Layout.Grid.VideoAspectRatio)
	assert.Equal(t, types.VideoFillModeCover, comp.Layout.Grid.VideoFillMode)
	require.Len(t, comp.Destinations, 1)
	d := comp.Destinations[0]
	assert.Equal(t, types.DestinationStateStarting, d.State)
	require.NotNil(t, d.Detail)
	compID := aws.ToString(comp.Arn)[strings.LastIndex(aws.ToString(comp.Arn), "/")+1:]
	stID := st[strings.LastIndex(st, "/")+1:]
	assert.Equal(t, stID+"/"+compID+"/"+aws.ToString(d.Id)+"/composite", aws.ToString(d.Detail.S3.RecordingPrefix))
	assert.Equal(t, types.RecordingConfigurationFormatHls, d.Configuration.S3.RecordingConfiguration.Format)
	assert.Equal(t, int32(2), aws.ToInt32(d.Configuration.S3.RecordingConfiguration.HlsConfiguration.TargetSegmentDurationSeconds))
}

func TestStartCompositionIdempotencyToken(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	st := w.stage(nil)
	sc, enc := w.srv.MustAddStorageConfiguration("bucket-i"), w.encoder()
	start := func(token string) string {
		out, err := w.client.StartComposition(t.Context(), &ivsrealtime.StartCompositionInput{
			StageArn: aws.String(st), IdempotencyToken: aws.String(token),
			Destinations: []types.DestinationConfiguration{s3Destination(sc, enc)},
		})
		require.NoError(t, err)
		return aws.ToString(out.Composition.Arn)
	}
	first := start("retry-1")
	assert.Equal(t, first, start("retry-1"), "same token, same composition")
	assert.NotEqual(t, first, start("retry-2"))
	assert.Len(t, listCompositions(t, w.srv), 2)

	// Without a token, the SDK fills a fresh UUID in per call.
	out, err := w.client.StartComposition(t.Context(), &ivsrealtime.StartCompositionInput{
		StageArn: aws.String(st), Destinations: []types.DestinationConfiguration{s3Destination(sc, enc)},
	})
	require.NoError(t, err)
	assert.NotEqual(t, first, aws.ToString(out.Composition.Arn))
	sent := w.srv.Requests()[len(w.srv.Requests())-1].JSON()
	assert.Regexp(t, regexp.MustCompile(`^[0-9a-f-]{36}$`), sent["idempotencyToken"])
}

func TestCompositionQuotas(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	sc, enc := w.srv.MustAddStorageConfiguration("bucket-q"), w.encoder()
	start := func(st string) rawResponse {
		return post(t, w.srv, "StartComposition", compositionBody(st, "", fmt.Sprintf(
			`[{"s3": {"storageConfigurationArn": %q, "encoderConfigurationArns": [%q]}}]`, sc, enc)))
	}
	first := w.stage(nil)
	for range stagetest.CompositionsPerStageQuota {
		require.Equal(t, http.StatusOK, start(first).Status)
	}
	r := start(first)
	assert.Equal(t, http.StatusPaymentRequired, r.Status, "the 6th on one stage")
	assert.Equal(t, "ServiceQuotaExceededException", r.ErrorType)

	for range stagetest.CompositionsQuota/stagetest.CompositionsPerStageQuota - 1 {
		st := w.stage(nil)
		for range stagetest.CompositionsPerStageQuota {
			require.Equal(t, http.StatusOK, start(st).Status)
		}
	}
	last := w.stage(nil)
	r = start(last)
	assert.Equal(t, http.StatusPaymentRequired, r.Status, "the 21st in the account")
	assert.Len(t, listCompositions(t, w.srv), stagetest.CompositionsQuota)

	// A stopped composition no longer counts.
	arn := listCompositions(t, w.srv)[0].(map[string]any)["arn"].(string)
	require.Equal(t, http.StatusOK, post(t, w.srv, "StopComposition", fmt.Sprintf(`{"arn": %q}`, arn)).Status)
	w.clock.Advance(1)
	assert.Equal(t, http.StatusOK, start(last).Status)
}

func TestCompositionNotFound(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	unknown := aws.String("arn:aws:ivs:us-east-1:123456789012:composition/nope")
	_, err := w.client.GetComposition(t.Context(), &ivsrealtime.GetCompositionInput{Arn: unknown})
	code, status := apiError(t, err)
	assert.Equal(t, "ResourceNotFoundException", code)
	assert.Equal(t, http.StatusNotFound, status)
	_, err = w.client.StopComposition(t.Context(), &ivsrealtime.StopCompositionInput{Arn: unknown})
	code, _ = apiError(t, err)
	assert.Equal(t, "ResourceNotFoundException", code)

	enc := w.encoder()
	_, err = w.client.StartComposition(t.Context(), &ivsrealtime.StartCompositionInput{
		StageArn:     aws.String(stageARN("nope")),
		Destinations: []types.DestinationConfiguration{s3Destination(w.srv.MustAddStorageConfiguration("bucket-n"), enc)},
	})
	code, status = apiError(t, err)
	assert.Equal(t, "ResourceNotFoundException", code, "an unknown stage")
	assert.Equal(t, http.StatusNotFound, status)
}

func TestListCompositionsFilters(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a, b := w.stage(nil), w.stage(nil)
	ca := w.compose(a, "bucket-fa")
	cb := w.compose(b, "bucket-fb")
	list := func(in *ivsrealtime.ListCompositionsInput) []string {
		out, err := w.client.ListCompositions(t.Context(), in)
		require.NoError(t, err)
		var arns []string
		for _, c := range out.Compositions {
			arns = append(arns, aws.ToString(c.Arn))
		}
		return arns
	}
	assert.Equal(t, []string{aws.ToString(ca.Arn), aws.ToString(cb.Arn)}, list(&ivsrealtime.ListCompositionsInput{}))
	assert.Equal(t, []string{aws.ToString(cb.Arn)}, list(&ivsrealtime.ListCompositionsInput{FilterByStageArn: aws.String(b)}))
	encB := cb.Destinations[0].Configuration.S3.EncoderConfigurationArns[0]
	assert.Equal(t, []string{aws.ToString(cb.Arn)}, list(&ivsrealtime.ListCompositionsInput{FilterByEncoderConfigurationArn: aws.String(encB)}))
	assert.Len(t, list(&ivsrealtime.ListCompositionsInput{MaxResults: aws.Int32(1)}), 1)
}

func TestIngestConfigurations(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := t.Context()
	st := w.stage(nil)

	r := post(t, w.srv, "CreateIngestConfiguration", fmt.Sprintf(`{"stageArn": %q, "ingestProtocol": "RTMP"}`, st))
	assert.Equal(t, http.StatusBadRequest, r.Status, "RTMP needs insecureIngest")
	assert.Contains(t, r.message(), "at 'insecureIngest'")
	r = post(t, w.srv, "CreateIngestConfiguration", fmt.Sprintf(`{"stageArn": %q, "ingestProtocol": "SRT"}`, st))
	assert.Equal(t, http.StatusBadRequest, r.Status)
	assert.Contains(t, r.message(), "at 'ingestProtocol'")
	r = post(t, w.srv, "CreateIngestConfiguration", `{"stageArn": "arn:aws:ivs:us-east-1:123456789012:stage/nope", "ingestProtocol": "RTMPS"}`)
	assert.Equal(t, http.StatusBadRequest, r.Status, "an unknown stage")
	r = post(t, w.srv, "ListIngestConfigurations", `{}`)
	assert.Empty(t, r.Body["ingestConfigurations"], "nothing created")

	out, err := w.client.CreateIngestConfiguration(ctx, &ivsrealtime.CreateIngestConfigurationInput{
		IngestProtocol: types.IngestProtocolRtmps, StageArn: aws.String(st), UserId: aws.String("obs"),
		Name: aws.String("studio"), Attributes: map[string]string{"role": "host"},
	})
	require.NoError(t, err)
	in := out.IngestConfiguration
	assert.Regexp(t, `^rt_[0-9]+_[a-z0-9-]+_[a-zA-Z0-9-]+_.+$`, aws.ToString(in.StreamKey))
	assert.Equal(t, types.IngestConfigurationStateInactive, in.State)
	assert.NotEmpty(t, aws.ToString(in.ParticipantId))

	// The publisher connects: ACTIVE, and a participant over RTMPS that publishes.
	require.NoError(t, w.srv.ConnectIngest(aws.ToString(in.Arn)))
	assert.Error(t, w.srv.ConnectIngest(aws.ToString(in.Arn)), "already active")
	got, err := w.client.GetIngestConfiguration(ctx, &ivsrealtime.GetIngestConfigurationInput{Arn: in.Arn})
	require.NoError(t, err)
	assert.Equal(t, types.IngestConfigurationStateActive, got.IngestConfiguration.State)
	p := w.participant(st, w.activeSession(st), aws.ToString(in.ParticipantId))
	assert.Equal(t, types.ParticipantProtocolRtmps, p.Protocol)
	assert.Equal(t, "obs", aws.ToString(p.UserId))
	assert.True(t, p.Published)

	list, err := w.client.ListIngestConfigurations(ctx, &ivsrealtime.ListIngestConfigurationsInput{FilterByState: types.IngestConfigurationStateActive})
	require.NoError(t, err)
	assert.Len(t, list.IngestConfigurations, 1)

	_, err = w.client.UpdateIngestConfiguration(ctx, &ivsrealtime.UpdateIngestConfigurationInput{Arn: in.Arn, StageArn: aws.String("")})
	code, status := apiError(t, err)
	assert.Equal(t, "ConflictException", code, "not while active")
	assert.Equal(t, http.StatusConflict, status)
	_, err = w.client.DeleteIngestConfiguration(ctx, &ivsrealtime.DeleteIngestConfigurationInput{Arn: in.Arn})
	code, _ = apiError(t, err)
	assert.Equal(t, "ConflictException", code, "not while active, without force")

	require.NoError(t, w.srv.DisconnectIngest(aws.ToString(in.Arn)))
	up, err := w.client.UpdateIngestConfiguration(ctx, &ivsrealtime.UpdateIngestConfigurationInput{Arn: in.Arn, StageArn: aws.String("")})
	require.NoError(t, err)
	assert.Empty(t, aws.ToString(up.IngestConfiguration.StageArn), "detached")
	_, err = w.client.DeleteIngestConfiguration(ctx, &ivsrealtime.DeleteIngestConfigurationInput{Arn: in.Arn, Force: true})
	require.NoError(t, err)
	_, err = w.client.GetIngestConfiguration(ctx, &ivsrealtime.GetIngestConfigurationInput{Arn: in.Arn})
	code, _ = apiError(t, err)
	assert.Equal(t, "ResourceNotFoundException", code)
}

func TestIngestConfigurationQuota(t *testing.T) {
	t.Parallel()
	srv := stagetest.New()
	for range stagetest.IngestConfigurationsQuota {
		require.Equal(t, http.StatusOK, post(t, srv, "CreateIngestConfiguration", `{"ingestProtocol": "RTMPS"}`).Status)
	}
	r := post(t, srv, "CreateIngestConfiguration", `{"ingestProtocol": "RTMPS"}`)
	assert.Equal(t, http.StatusPaymentRequired, r.Status)
	assert.Equal(t, "ServiceQuotaExceededException", r.ErrorType)
}

func TestIngestConfigurationBoundaries(t *testing.T) {
	t.Parallel()
	attrs := func(n int) string { // one attribute of n bytes in all (key "k" + value)
		return fmt.Sprintf(`, "attributes": {"k": %q}`, strings.Repeat("v", n-1))
	}
	tests := []struct {
		name, extra string
		path        string // "" when valid
	}{
		{"name last valid", `, "name": "` + strings.Repeat("n", 128) + `"`, ""},
		{"name first invalid", `, "name": "` + strings.Repeat("n", 129) + `"`, "name"},
		{"name character", `, "name": "a b"`, "name"},
		{"userId last valid", `, "userId": "` + strings.Repeat("u", stagetest.MaxUserIDLength) + `"`, ""},
		{"userId first invalid", `, "userId": "` + strings.Repeat("u", stagetest.MaxUserIDLength+1) + `"`, "userId"},
		{"attributes last valid", attrs(stagetest.MaxAttributesSize), ""},
		{"attributes first invalid", attrs(stagetest.MaxAttributesSize + 1), "attributes"},
		{"detached from every stage", `, "stageArn": ""`, ""},
		{"stageArn pattern", `, "stageArn": "arn:aws:ivs:us-east-1:123456789012:channel/abc"`, "stageArn"},
		{"RTMP with insecureIngest", `, "ingestProtocol": "RTMP", "insecureIngest": true`, ""},
		{"RTMP without insecureIngest", `, "ingestProtocol": "RTMP"`, "insecureIngest"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := stagetest.New()
			body := `{"ingestProtocol": "RTMPS"` + tt.extra + `}`
			if strings.Contains(tt.extra, `"ingestProtocol"`) {
				body = `{` + strings.TrimPrefix(tt.extra, ", ") + `}`
			}
			r := post(t, srv, "CreateIngestConfiguration", body)
			listed := post(t, srv, "ListIngestConfigurations", `{}`).Body["ingestConfigurations"].([]any)
			if tt.path == "" {
				assert.Equal(t, http.StatusOK, r.Status, r.message())
				assert.Len(t, listed, 1)
				return
			}
			assert.Equal(t, http.StatusBadRequest, r.Status)
			assert.Contains(t, r.message(), "at '"+tt.path+"'")
			assert.Empty(t, listed, "nothing created")
		})
	}
}
