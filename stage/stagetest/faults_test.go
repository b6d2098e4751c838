package stagetest_test

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/stagetest"
)

// noRetries is the per-call option that sends one attempt only.
func noRetries(o *ivsrealtime.Options) { o.RetryMaxAttempts = 1 }

// listedStages returns the ARNs ListStages returns, reading the server without faults.
func listedStages(t *testing.T, srv *stagetest.Server) []string {
	t.Helper()
	r := post(t, srv, "ListStages", `{}`)
	require.Equal(t, http.StatusOK, r.Status, "%v", r.Body)
	var arns []string
	for _, s := range r.Body["stages"].([]any) {
		arns = append(arns, s.(map[string]any)["arn"].(string))
	}
	return arns
}

// statuses returns the Status of each request srv received, in order.
func statuses(srv *stagetest.Server) []int {
	var out []int
	for _, r := range srv.Requests() {
		out = append(out, r.Status)
	}
	return out
}

func TestLoseNextResponseCreateStage(t *testing.T) {
	t.Parallel()
	srv, client := newClient(t)
	srv.LoseNextResponse("CreateStage")

	_, err := client.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{Name: aws.String("lost")}, noRetries)
	code, status := apiError(t, err)
	assert.Equal(t, "InternalServerException", code)
	assert.Equal(t, http.StatusInternalServerError, status)

	arns := listedStages(t, srv)
	require.Len(t, arns, 1, "the lost CreateStage took effect")
	got, err := client.GetStage(t.Context(), &ivsrealtime.GetStageInput{Arn: aws.String(arns[0])})
	require.NoError(t, err)
	assert.Equal(t, "lost", aws.ToString(got.Stage.Name))

	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, "CreateStage", reqs[0].Operation)
	assert.Equal(t, []int{http.StatusInternalServerError, http.StatusOK, http.StatusOK}, statuses(srv), "Request.Status")
}

func TestLoseNextResponseRetriedBySDK(t *testing.T) {
	t.Parallel()
	srv, client := newClient(t)
	srv.LoseNextResponse("CreateStage")
	out, err := client.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{Name: aws.String("twice")})
	require.NoError(t, err, "the SDK retries the 500")
	require.NotNil(t, out.Stage)
	assert.Len(t, listedStages(t, srv), 2, "the retry is a new call: two stages, the duplicate exactly-once creation avoids")
	assert.Equal(t, []int{http.StatusInternalServerError, http.StatusOK, http.StatusOK}, statuses(srv))
}

func TestLoseNextResponseQueue(t *testing.T) {
	tests := []struct {
		name   string
		inject func(srv *stagetest.Server)
		// want: the status of each of three CreateStage calls, and how many stages exist after them.
		want   []int
		stages int
	}{
		{
			name:   "queued twice: the next two calls lose their responses",
			inject: func(srv *stagetest.Server) { srv.LoseNextResponse("CreateStage"); srv.LoseNextResponse("CreateStage") },
			want:   []int{500, 500, 200}, stages: 3,
		},
		{
			name: "FailNext's queue is apart: the refused call does not consume the loss",
			inject: func(srv *stagetest.Server) {
				srv.LoseNextResponse("CreateStage")
				srv.FailNext("CreateStage", http.StatusServiceUnavailable, "ServiceUnavailable")
			},
			want: []int{503, 500, 200}, stages: 2,
		},
		{
			name:   "per operation: a loss queued for GetStage leaves CreateStage alone",
			inject: func(srv *stagetest.Server) { srv.LoseNextResponse("GetStage") },
			want:   []int{200, 200, 200}, stages: 3,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, client := newClient(t)
			tt.inject(srv)
			for range 3 {
				_, _ = client.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{}, noRetries)
			}
			assert.Equal(t, tt.want, statuses(srv))
			assert.Len(t, listedStages(t, srv), tt.stages)
		})
	}
}

func TestLoseNextResponseOfARefusedRequest(t *testing.T) {
	t.Parallel()
	srv, _ := newClient(t)
	srv.LoseNextResponse("CreateStage")
	r := post(t, srv, "CreateStage", `{"name": "not valid!"}`)
	assert.Equal(t, http.StatusInternalServerError, r.Status, "a validation refusal's answer is lost too")
	assert.Equal(t, "InternalServerException", r.ErrorType)
	assert.Empty(t, listedStages(t, srv), "and nothing was created")
	r = post(t, srv, "CreateStage", `{"name": "ok"}`)
	assert.Equal(t, http.StatusOK, r.Status, "one loss per queued call")
	assert.Len(t, listedStages(t, srv), 1)
}
