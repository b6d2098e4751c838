package composition_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/stage/composition"
)

// TestStartSendsZeroLayoutValues: gridGap 0, pipOffset 0 and omitStoppedVideo false, which the official
// client drops, are in the JSON body Start sends.
func TestStartSendsZeroLayoutValues(t *testing.T) {
	tests := []struct {
		name   string
		layout composition.Layout
		path   []string
		want   any
	}{
		{"grid gap 0", composition.Grid().WithGridGap(0), []string{"grid", "gridGap"}, float64(0)},
		{"grid gap 1", composition.Grid().WithGridGap(1), []string{"grid", "gridGap"}, float64(1)},
		{"grid omitStoppedVideo false", composition.Grid().WithOmitStoppedVideo(false), []string{"grid", "omitStoppedVideo"}, false},
		{"grid omitStoppedVideo true", composition.Grid().WithOmitStoppedVideo(true), []string{"grid", "omitStoppedVideo"}, true},
		{"pip offset 0", composition.Pip().WithPipOffset(0), []string{"pip", "pipOffset"}, float64(0)},
		{"pip grid gap 0", composition.Pip().WithGridGap(0), []string{"pip", "gridGap"}, float64(0)},
		{"pip omitStoppedVideo false", composition.Pip().WithOmitStoppedVideo(false), []string{"pip", "omitStoppedVideo"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testutil.NewMock()
			m.Respond("StartComposition", 200, readTestdata(t, "start_s3_response.json"))
			_, err := newClient(m).Start(context.Background(), validConfig().WithLayout(tt.layout))
			require.NoError(t, err)
			reqs := m.Requests()
			require.Len(t, reqs, 1)
			body := reqs[0].JSON(t)
			layout, ok := body["layout"].(map[string]any)
			require.True(t, ok, "layout in %s", reqs[0].Body)
			kind, ok := layout[tt.path[0]].(map[string]any)
			require.True(t, ok, "%s in %s", tt.path[0], reqs[0].Body)
			assert.Equal(t, tt.want, kind[tt.path[1]], "body %s", reqs[0].Body)
			assert.Equal(t, stageARN, body["stageArn"])
		})
	}
}

// TestStartUnsetLayoutSendsNoLayout: a Config without a layout sends no layout member.
func TestStartUnsetLayoutSendsNoLayout(t *testing.T) {
	m := testutil.NewMock()
	m.Respond("StartComposition", 200, readTestdata(t, "start_s3_response.json"))
	_, err := newClient(m).Start(context.Background(), validConfig())
	require.NoError(t, err)
	require.Len(t, m.Requests(), 1)
	assert.NotContains(t, m.Requests()[0].JSON(t), "layout")
}

// TestStartIdempotencyToken: without a key each call has a fresh token, reused by the SDK's retry of a
// 500; with a key the token is derived from it.
func TestStartIdempotencyToken(t *testing.T) {
	t.Run("retry reuses the token", func(t *testing.T) {
		m := testutil.NewMock()
		calls := 0
		m.RespondFunc("StartComposition", func(*http.Request, []byte) (int, string, string) {
			calls++
			if calls == 1 {
				return 500, `{"message":"internal"}`, "InternalServerException"
			}
			return 200, readTestdata(t, "start_s3_response.json"), ""
		})
		c := newClient(m).WithOptions(func(o *ivsrealtime.Options) { o.Retryer = testutil.StandardRetryer(3)() })
		_, err := c.Start(context.Background(), validConfig())
		require.NoError(t, err)
		reqs := m.Requests()
		require.Len(t, reqs, 2)
		first, second := reqs[0].JSON(t)["idempotencyToken"], reqs[1].JSON(t)["idempotencyToken"]
		require.NotEmpty(t, first)
		assert.Equal(t, first, second)
	})
	t.Run("fresh token per call without a key", func(t *testing.T) {
		m := testutil.NewMock()
		m.Respond("StartComposition", 200, readTestdata(t, "start_s3_response.json"))
		c := newClient(m)
		for range 2 {
			_, err := c.Start(context.Background(), validConfig())
			require.NoError(t, err)
		}
		reqs := m.Requests()
		require.Len(t, reqs, 2)
		assert.NotEqual(t, reqs[0].JSON(t)["idempotencyToken"], reqs[1].JSON(t)["idempotencyToken"])
	})
	t.Run("same key same token", func(t *testing.T) {
		m := testutil.NewMock()
		m.Respond("StartComposition", 200, readTestdata(t, "start_s3_response.json"))
		c := newClient(m)
		for _, key := range []string{"nightly", "nightly", "other"} {
			_, err := c.Start(context.Background(), validConfig().WithRequestKey(key))
			require.NoError(t, err)
		}
		reqs := m.Requests()
		require.Len(t, reqs, 3)
		tok := reqs[0].JSON(t)["idempotencyToken"]
		assert.Equal(t, composition.IdempotencyToken(stageARN, "nightly"), tok)
		assert.Equal(t, tok, reqs[1].JSON(t)["idempotencyToken"])
		assert.NotEqual(t, tok, reqs[2].JSON(t)["idempotencyToken"])
		assert.Regexp(t, `^[a-zA-Z0-9-_]{1,64}$`, tok)
	})
}

// TestStartDecodesCLIResponse: the CLI's response decodes through the SDK into the composition, with the
// S3 destination's recording Location.
func TestStartDecodesCLIResponse(t *testing.T) {
	m := testutil.NewMock()
	m.Respond("StartComposition", 200, readTestdata(t, "start_s3_response.json"))
	got, err := newClient(m).Start(context.Background(), validConfig())
	require.NoError(t, err)
	assert.Equal(t, compositionARN, got.ARN)
	assert.Equal(t, "s2AdaGUbvQgp", got.ID())
	recs := got.Recordings()
	require.Len(t, recs, 1)
	assert.Equal(t, "MNALAcH9j2EJ/s2AdaGUbvQgp/2pBRKrNgX1ff/composite", recs[0].Prefix)
}

// TestStopNotFoundIsNil: a 404 from StopComposition is success; other errors are returned.
func TestStopNotFoundIsNil(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		errType string
		wantErr any
	}{
		{"404", 404, "ResourceNotFoundException", nil},
		{"403", 403, "AccessDeniedException", new(*types.AccessDeniedException)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testutil.NewMock()
			m.RespondError("StopComposition", tt.status, tt.errType, "no such composition")
			err := newClient(m).Stop(context.Background(), compositionARN)
			if tt.wantErr == nil {
				require.NoError(t, err)
			} else {
				require.ErrorAs(t, err, tt.wantErr)
				assert.Contains(t, err.Error(), "no such composition")
			}
			require.Len(t, m.Requests(), 1)
			assert.Equal(t, compositionARN, m.Requests()[0].JSON(t)["arn"])
		})
	}
}

// TestInvalidInputSendsNothing: every method refuses invalid input with the field's path and sends no
// request.
func TestInvalidInputSendsNothing(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		call func(c *composition.Client) error
		path string
	}{
		{"Start stage ARN", func(c *composition.Client) error {
			_, err := c.Start(ctx, composition.New("arn:aws:ivs:us-east-1:123456789012:channel/x").WithDestinations(s3Destination()))
			return err
		}, "StartCompositionInput.StageArn"},
		{"Get ARN", func(c *composition.Client) error { _, err := c.Get(ctx, stageARN); return err }, "GetCompositionInput.Arn"},
		{"Stop ARN", func(c *composition.Client) error { return c.Stop(ctx, "") }, "StopCompositionInput.Arn"},
		{"GetEncoder ARN", func(c *composition.Client) error { _, err := c.GetEncoder(ctx, compositionARN); return err }, "GetEncoderConfigurationInput.Arn"},
		{"DeleteEncoder ARN", func(c *composition.Client) error { return c.DeleteEncoder(ctx, ingestARN) }, "DeleteEncoderConfigurationInput.Arn"},
		{"GetIngest ARN", func(c *composition.Client) error { _, err := c.GetIngest(ctx, encoderARN); return err }, "GetIngestConfigurationInput.Arn"},
		{"DeleteIngest ARN", func(c *composition.Client) error { return c.DeleteIngest(ctx, encoderARN) }, "DeleteIngestConfigurationInput.Arn"},
		{"UpdateIngest ARN", func(c *composition.Client) error { _, err := c.UpdateIngest(ctx, encoderARN, stageARN); return err }, "UpdateIngestConfigurationInput.Arn"},
		{"List page size 0", func(c *composition.Client) error { return testutil.FirstErr(c.List(ctx, composition.WithPageSize(0))) }, "ListCompositionsInput.MaxResults"},
		{"List page size 101", func(c *composition.Client) error {
			return testutil.FirstErr(c.List(ctx, composition.WithPageSize(101)))
		}, "ListCompositionsInput.MaxResults"},
		{"Encoders page size 0", func(c *composition.Client) error {
			return testutil.FirstErr(c.Encoders(ctx, composition.WithPageSize(0)))
		}, "ListEncoderConfigurationsInput.MaxResults"},
		{"List FilterIngestState", func(c *composition.Client) error {
			return testutil.FirstErr(c.List(ctx, composition.FilterIngestState(composition.IngestActive)))
		}, "ListCompositionsInput.FilterByState"},
		{"List FilterStage of a channel", func(c *composition.Client) error {
			return testutil.FirstErr(c.List(ctx, composition.FilterStage(channelARN)))
		}, "ListCompositionsInput.FilterByStageArn"},
		{"List FilterEncoder of a stage", func(c *composition.Client) error {
			return testutil.FirstErr(c.List(ctx, composition.FilterEncoder(stageARN)))
		}, "ListCompositionsInput.FilterByEncoderConfigurationArn"},
		{"Encoders FilterStage", func(c *composition.Client) error {
			return testutil.FirstErr(c.Encoders(ctx, composition.FilterStage(stageARN)))
		}, "ListEncoderConfigurationsInput.FilterByStageArn"},
		{"Ingests FilterEncoder", func(c *composition.Client) error {
			return testutil.FirstErr(c.Ingests(ctx, composition.FilterEncoder(encoderARN)))
		}, "ListIngestConfigurationsInput.FilterByEncoderConfigurationArn"},
		{"Ingests FilterIngestState unknown", func(c *composition.Client) error {
			return testutil.FirstErr(c.Ingests(ctx, composition.FilterIngestState("BUSY")))
		}, "ListIngestConfigurationsInput.FilterByState"},
		{"Ingests page size 101", func(c *composition.Client) error {
			return testutil.FirstErr(c.Ingests(ctx, composition.WithPageSize(101)))
		}, "ListIngestConfigurationsInput.MaxResults"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testutil.NewMock()
			err := tt.call(newClient(m))
			require.Error(t, err)
			assert.Contains(t, testutil.Violations(t, err), tt.path, "error %v", err)
			assert.Zero(t, m.Count())
		})
	}
}

// TestLimiter: each of the 13 operations has a limiter of its own at 5 per second, WithLimiter replaces
// one and shares the others, and a limiter with burst 0 fails the call with nothing sent.
func TestLimiter(t *testing.T) {
	c := composition.NewClient(testutil.NewMock().Client())
	ops := composition.Operations()
	require.Len(t, ops, 13)
	seen := map[*rate.Limiter]bool{}
	for _, op := range ops {
		l := c.Limiter(op)
		require.NotNil(t, l, op)
		assert.Equal(t, rate.Limit(composition.RequestsPerSecond), l.Limit(), op)
		assert.Equal(t, 1, l.Burst(), op)
		assert.False(t, seen[l], "%s shares a limiter", op)
		seen[l] = true
	}
	own := rate.NewLimiter(rate.Every(time.Hour), 0)
	d := c.WithLimiter("GetComposition", own)
	assert.Same(t, own, d.Limiter("GetComposition"))
	assert.Same(t, c.Limiter("StopComposition"), d.Limiter("StopComposition"))
	assert.NotSame(t, own, c.Limiter("GetComposition"))
	assert.Same(t, c.Limiter("StopComposition"), c.WithOptions().Limiter("StopComposition"))
	assert.Nil(t, c.WithLimiter("GetComposition", nil).Limiter("GetComposition"))

	m := testutil.NewMock()
	m.Respond("GetComposition", 200, readTestdata(t, "start_s3_response.json"))
	_, err := newClient(m).WithLimiter("GetComposition", own).Get(context.Background(), compositionARN)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "composition: GetComposition")
	assert.Zero(t, m.Count())
	assert.False(t, errors.Is(err, context.Canceled))
}

// TestLimiterPaces: a limiter given to WithLimiter paces its operation: with a burst of 1 and the next
// slot an hour away, the second call fails at once with nothing sent, and other operations are not held.
func TestLimiterPaces(t *testing.T) {
	m := testutil.NewMock()
	m.Respond("GetComposition", 200, readTestdata(t, "start_s3_response.json"))
	m.Respond("StopComposition", 200, `{}`)
	c := newClient(m).WithLimiter("GetComposition", rate.NewLimiter(rate.Every(time.Hour), 1))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := c.Get(ctx, compositionARN)
	require.NoError(t, err)
	_, err = c.Get(ctx, compositionARN)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "composition: GetComposition not sent")
	require.NoError(t, c.Stop(ctx, compositionARN))
	assert.Equal(t, 2, m.Count(), "one Get and one Stop reached the transport")
}

// TestWireBodies: what the encoder and ingest calls send, members the official client drops included.
func TestWireBodies(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		op   string
		resp string
		call func(c *composition.Client) error
		want map[string]any
	}{
		{"CreateEncoder", "CreateEncoderConfiguration", `{"encoderConfiguration":{"arn":"` + encoderARN + `"}}`,
			func(c *composition.Client) error {
				_, err := c.CreateEncoder(ctx, composition.NewEncoder().WithName("hd").WithVideo(1280, 720, 30, 2_500_000).WithTag("k", "v"))
				return err
			},
			map[string]any{"name": "hd", "video": map[string]any{"width": float64(1280), "height": float64(720), "framerate": float64(30), "bitrate": float64(2_500_000)}, "tags": map[string]any{"k": "v"}}},
		{"CreateIngest insecure false", "CreateIngestConfiguration", ingestResponse(),
			func(c *composition.Client) error {
				_, err := c.CreateIngest(ctx, composition.NewIngest(stageARN, composition.RTMPS).WithInsecure(false).WithUserID("u").WithAttributes(map[string]string{"a": "b"}))
				return err
			},
			map[string]any{"stageArn": stageARN, "ingestProtocol": "RTMPS", "insecureIngest": false, "userId": "u", "attributes": map[string]any{"a": "b"}}},
		{"CreateIngest RTMP insecure", "CreateIngestConfiguration", ingestResponse(),
			func(c *composition.Client) error {
				_, err := c.CreateIngest(ctx, composition.NewIngest(stageARN, composition.RTMP).WithInsecure(true))
				return err
			},
			map[string]any{"stageArn": stageARN, "ingestProtocol": "RTMP", "insecureIngest": true}},
		{"UpdateIngest", "UpdateIngestConfiguration", ingestResponse(),
			func(c *composition.Client) error { _, err := c.UpdateIngest(ctx, ingestARN, otherStageARN); return err },
			map[string]any{"arn": ingestARN, "stageArn": otherStageARN}},
		{"DeleteIngest", "DeleteIngestConfiguration", `{}`,
			func(c *composition.Client) error { return c.DeleteIngest(ctx, ingestARN) },
			map[string]any{"arn": ingestARN}},
		{"DeleteIngest force", "DeleteIngestConfiguration", `{}`,
			func(c *composition.Client) error { return c.DeleteIngest(ctx, ingestARN, composition.WithForce()) },
			map[string]any{"arn": ingestARN, "force": true}},
		{"DeleteEncoder", "DeleteEncoderConfiguration", `{}`,
			func(c *composition.Client) error { return c.DeleteEncoder(ctx, encoderARN) },
			map[string]any{"arn": encoderARN}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testutil.NewMock()
			m.Respond(tt.op, 200, tt.resp)
			require.NoError(t, tt.call(newClient(m)))
			reqs := m.Requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, tt.want, reqs[0].JSON(t))
		})
	}
}

// emptyAPI answers GetComposition and GetIngestConfiguration with no output and no error, as no real
// service does; its other methods are not called.
type emptyAPI struct{ composition.API }

func (emptyAPI) GetComposition(context.Context, *ivsrealtime.GetCompositionInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.GetCompositionOutput, error) {
	return nil, nil
}

func (emptyAPI) GetIngestConfiguration(context.Context, *ivsrealtime.GetIngestConfigurationInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.GetIngestConfigurationOutput, error) {
	return &ivsrealtime.GetIngestConfigurationOutput{}, nil
}

// TestEmptyAnswer: an answer without its item is ErrNoComposition / ErrNoIngest in the operation's error.
func TestEmptyAnswer(t *testing.T) {
	c := composition.NewClient(emptyAPI{})
	_, err := c.Get(context.Background(), compositionARN)
	require.ErrorIs(t, err, composition.ErrNoComposition)
	assert.Contains(t, err.Error(), "GetComposition")
	_, err = c.GetIngest(context.Background(), ingestARN)
	require.ErrorIs(t, err, composition.ErrNoIngest)
	assert.Contains(t, err.Error(), "GetIngestConfiguration")
}
