package composition_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"testing"

	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/stage/composition"
)

// ingestResponse is a CreateIngestConfiguration/GetIngestConfiguration response holding streamKey.
func ingestResponse() string {
	return `{"ingestConfiguration":{"arn":"` + ingestARN + `","name":"studio","stageArn":"` + stageARN +
		`","participantId":"xyz123","ingestProtocol":"RTMPS","streamKey":"` + streamKey +
		`","userId":"host","state":"INACTIVE","attributes":{"role":"host"},"tags":{"team":"a"}}}`
}

// TestIngestStreamKeyIsRedacted: the stream key comes back from Create, Get and Update, only StreamKey
// returns it; fmt's verbs, slog's text and JSON handlers and JSON show Redacted.
func TestIngestStreamKeyIsRedacted(t *testing.T) {
	ctx := context.Background()
	sources := []struct {
		name string
		get  func(c *composition.Client) (composition.IngestConfiguration, error)
		op   string
	}{
		{"CreateIngest", func(c *composition.Client) (composition.IngestConfiguration, error) {
			return c.CreateIngest(ctx, composition.NewIngest(stageARN, composition.RTMPS).WithName("studio"))
		}, "CreateIngestConfiguration"},
		{"GetIngest", func(c *composition.Client) (composition.IngestConfiguration, error) {
			return c.GetIngest(ctx, ingestARN)
		}, "GetIngestConfiguration"},
		{"UpdateIngest", func(c *composition.Client) (composition.IngestConfiguration, error) {
			return c.UpdateIngest(ctx, ingestARN, otherStageARN)
		}, "UpdateIngestConfiguration"},
	}
	renders := []struct {
		name   string
		render func(v any) string
	}{
		{"%v", func(v any) string { return fmt.Sprintf("%v", v) }},
		{"%+v", func(v any) string { return fmt.Sprintf("%+v", v) }},
		{"%#v", func(v any) string { return fmt.Sprintf("%#v", v) }},
		{"%s", func(v any) string { return fmt.Sprintf("%s", v) }},
		{"%q", func(v any) string { return fmt.Sprintf("%q", v) }},
		{"%v in a slice", func(v any) string { return fmt.Sprintf("%v", []any{v}) }},
		{"%+v in a struct", func(v any) string { return fmt.Sprintf("%+v", struct{ C any }{v}) }},
		{"slog text", func(v any) string {
			var b bytes.Buffer
			slog.New(slog.NewTextHandler(&b, nil)).Info("ingest", "cfg", v)
			return b.String()
		}},
		{"slog JSON", func(v any) string {
			var b bytes.Buffer
			slog.New(slog.NewJSONHandler(&b, nil)).Info("ingest", "cfg", v)
			return b.String()
		}},
		{"json.Marshal", func(v any) string { b, err := json.Marshal(v); require.NoError(t, err); return string(b) }},
	}
	for _, src := range sources {
		t.Run(src.name, func(t *testing.T) {
			m := testutil.NewMock()
			m.Respond(src.op, 200, ingestResponse())
			got, err := src.get(newClient(m))
			require.NoError(t, err)
			require.Len(t, m.Requests(), 1)
			assert.Equal(t, streamKey, got.StreamKey())
			assert.Equal(t, "xyz123", got.ParticipantID)
			for _, r := range renders {
				out := r.render(got)
				assert.NotContains(t, out, streamKey[len(streamKey)-20:], r.name)
				assert.Contains(t, out, composition.Redacted, r.name)
				assert.Contains(t, out, ingestARN, r.name)
			}
		})
	}
}

// TestIngestStreamKeyNotInErrors: a response the SDK cannot decode leaves a snapshot of the body in its
// *smithy.DeserializationError; the stream key is in no string of the returned error's tree.
func TestIngestStreamKeyNotInErrors(t *testing.T) {
	bodies := []struct {
		name string
		body string
	}{
		{"truncated after the key", `{"ingestConfiguration":{"streamKey":"` + streamKey + `","state":`},
		{"wrong type after the key", `{"ingestConfiguration":{"streamKey":"` + streamKey + `","attributes":7}}`},
		{"cut inside the key", `{"ingestConfiguration":{"arn":"` + ingestARN + `","streamKey":"` + streamKey[:60]},
	}
	for _, b := range bodies {
		t.Run(b.name, func(t *testing.T) {
			m := testutil.NewMock()
			m.Respond("GetIngestConfiguration", 200, b.body)
			_, err := newClient(m).GetIngest(context.Background(), ingestARN)
			require.Error(t, err)
			var de *smithy.DeserializationError
			require.True(t, errors.As(err, &de), "%T %v", err, err)
			// The key's secret part (its account, region and ID are in the ARNs too), as far as the body has it.
			secret := streamKey[keySecretAt:]
			if b.name == "cut inside the key" {
				secret = streamKey[keySecretAt:60]
			}
			assert.Empty(t, testutil.SecretPaths(t, err, secret, 12))
			assert.NotContains(t, err.Error(), secret[len(secret)-12:])
			assert.NotContains(t, fmt.Sprintf("%+v", err), secret[len(secret)-12:])
		})
	}
}

// keySecretAt is where streamKey's secret part starts, after rt_<account>_<region>_<id>_.
const keySecretAt = len("rt_123456789012_us-east-1_AbCdEf123456_")

// TestIngestInputNeverShowsValues: Ingest's String shows attribute and tag keys, not values.
func TestIngestInputNeverShowsValues(t *testing.T) {
	in := composition.NewIngest(stageARN, composition.RTMP).WithAttributes(map[string]string{"seat": "s3cr3t-seat"}).WithTag("k", "tag-value-x")
	for _, s := range []string{in.String(), fmt.Sprintf("%v", in), fmt.Sprintf("%+v", in)} {
		assert.NotContains(t, s, "s3cr3t-seat")
		assert.NotContains(t, s, "tag-value-x")
	}
}
