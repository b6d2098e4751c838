package composition_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/stage/composition"
)

// TestGetDecodesCLIResponse: the AWS CLI reference's start-composition output (its ARN typos kept: the
// library does not validate what the service returns) decodes through the real SDK client.
func TestGetDecodesCLIResponse(t *testing.T) {
	m := testutil.NewMock()
	m.Respond("GetComposition", 200, readTestdata(t, "start_cli_response.json"))
	got, err := newClient(m).Get(context.Background(), compositionARN)
	require.NoError(t, err)
	require.Len(t, m.Requests(), 1)
	assert.Equal(t, compositionARN, m.Requests()[0].JSON(t)["arn"])
	assert.Equal(t, "abcdABCDefgh", got.ID())
	assert.Equal(t, "arn:aws:ivs:ap-northeast-1:123456789012:stage/defgABCDabcd", got.StageARN)
	assert.Equal(t, composition.StateStarting, got.State)
	assert.Equal(t, time.Date(2023, 10, 16, 23, 24, 0, 0, time.UTC), got.Start)
	require.Len(t, got.Destinations, 2)
	assert.Equal(t, "AabBCcdDEefF", got.Destinations[0].ID)
	assert.Empty(t, got.Destinations[0].Location.Prefix, "a channel destination records nothing")
	recs := got.Recordings()
	require.Len(t, recs, 1)
	assert.Equal(t, "aBcDeFgHhGfE/AbCdEfGhHgFe/GHFabcgefABC/composite", recs[0].Prefix)
}

// TestListPagesAndDecodesCLIResponse: List follows nextToken (one request per page, the page size sent
// as maxResults) and yields the CLI reference's summaries in order.
func TestListPagesAndDecodesCLIResponse(t *testing.T) {
	page := readTestdata(t, "list_cli_response.json")
	m := testutil.NewMock()
	m.RespondFunc("ListCompositions", func(_ *http.Request, body []byte) (int, string, string) {
		if !strings.Contains(string(body), `"nextToken"`) {
			return 200, strings.Replace(page, `"compositions"`, `"nextToken":"p2","compositions"`, 1), ""
		}
		return 200, page, ""
	})
	got, err := testutil.Collect(newClient(m).List(context.Background(), composition.WithPageSize(2), composition.FilterStage(stageARN)))
	require.NoError(t, err)
	require.Len(t, got, 4)
	assert.Equal(t, "abcdABCDefgh", got[0].ID())
	assert.Equal(t, "ABcdabCDefgh", got[1].ID())
	assert.Equal(t, composition.StateActive, got[0].State)
	require.Len(t, got[0].Destinations, 1)
	assert.Equal(t, "AabBCcdDEefF", got[0].Destinations[0].ID)
	reqs := m.Requests()
	require.Len(t, reqs, 2)
	first, second := reqs[0].JSON(t), reqs[1].JSON(t)
	assert.Equal(t, float64(2), first["maxResults"])
	assert.Equal(t, stageARN, first["filterByStageArn"])
	assert.NotContains(t, first, "nextToken")
	assert.Equal(t, "p2", second["nextToken"])
}

// TestListStopsWhenTheCallerStops: breaking out after the first item sends no second page.
func TestListStopsWhenTheCallerStops(t *testing.T) {
	m := testutil.NewMock()
	m.Respond("ListCompositions", 200, strings.Replace(readTestdata(t, "list_cli_response.json"), `"compositions"`, `"nextToken":"p2","compositions"`, 1))
	for _, err := range newClient(m).List(context.Background()) {
		require.NoError(t, err)
		break
	}
	assert.Equal(t, 1, m.Count())
}
