package secretsweep_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/stage/composition"
)

const gIngest = "ingest configurations (stream key)"

// sweepStreamKey has the model's StreamKey shape; its last segment is the secret part (the account, region
// and ID before it are in every ARN of the configuration too).
const sweepStreamKey = "rt_123456789012_us-east-1_AbCdEf123456_Sw33pK3yXy9Z8w7V6u5T4s3R2q1P0oNm"

// ingests adds the stream key of an ingest configuration (whole, its secret part and windows of it) and
// the producers of composition.IngestConfiguration from Create, Get and Update (fmt, slog, JSON,
// containers), and the errors of answers the SDK cannot decode cut around the key (their snapshots).
func (w *world) ingests(t *testing.T, s *sweep) {
	secret := sweepStreamKey[strings.LastIndexByte(sweepStreamKey, '_')+1:]
	s.secrets.add("stream key", sweepStreamKey)
	s.secrets.add("stream key: secret part", secret)
	s.secrets.windows("stream key: secret fragment", secret, 16, 4)

	const arn = "arn:aws:ivs:us-east-1:123456789012:ingest-configuration/AbCdEf123456"
	body := `{"ingestConfiguration":{"arn":"` + arn + `","name":"studio","stageArn":"","participantId":"p1",` +
		`"ingestProtocol":"RTMPS","streamKey":"` + sweepStreamKey + `","userId":"bob","state":"INACTIVE",` +
		`"attributes":{"seat":"3"},"tags":{"team":"a"}}}`
	mock := testutil.NewMock()
	for _, op := range []string{"CreateIngestConfiguration", "GetIngestConfiguration", "UpdateIngestConfiguration"} {
		mock.Respond(op, http.StatusOK, body)
	}
	c := composition.NewClientFromConfig(mock.Config())
	created, err := c.CreateIngest(w.ctx, composition.NewIngest("", composition.RTMPS).WithName("studio"))
	require.NoError(t, err)
	got, err := c.GetIngest(w.ctx, arn)
	require.NoError(t, err)
	updated, err := c.UpdateIngest(w.ctx, arn, "")
	require.NoError(t, err)
	require.Equal(t, sweepStreamKey, got.StreamKey())
	for name, ing := range map[string]composition.IngestConfiguration{"CreateIngest": created, "GetIngest": got, "UpdateIngest": updated} {
		s.value(gIngest, name, ing, nil)
		s.value(gIngest, name+" (pointer)", &ing, nil)
		s.value(gIngest, name+" in []IngestConfiguration", []composition.IngestConfiguration{ing}, nil)
		s.value(gIngest, name+" in struct{i IngestConfiguration}", struct {
			i composition.IngestConfiguration
		}{ing}, nil)
		s.text(gIngest, name+" | String, GoString, LogValue", ing.String(), ing.GoString(), ing.LogValue().String())
		s.limited(gIngest, name+" | StreamKey()", "StreamKey is the stream key", ing.StreamKey())
	}

	cuts := map[string]string{
		"after the key":  `{"ingestConfiguration":{"streamKey":"` + sweepStreamKey + `","state":`,
		"inside the key": `{"ingestConfiguration":{"arn":"` + arn + `","streamKey":"` + sweepStreamKey[:len(sweepStreamKey)-6],
		"wrong type":     `{"ingestConfiguration":{"streamKey":"` + sweepStreamKey + `","attributes":7}}`,
	}
	for name, cut := range cuts {
		m := testutil.NewMock()
		m.Respond("GetIngestConfiguration", http.StatusOK, cut)
		_, err := composition.NewClientFromConfig(m.Config()).GetIngest(w.ctx, arn)
		s.err(gIngest, "cut GetIngest answer: "+name, err)
	}
}
