package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/stagetest"
)

// The quickstart runs end to end against the fake and leaves nothing behind.
func TestRun(t *testing.T) {
	t.Parallel()
	srv := stagetest.New()
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out, srv.Config(), fakeStorageARN))
	for _, want := range []string{"created stage", "reconnect window 1m0s", "updated: reconnect window 2m0s",
		"minted a self-signed token", "recording after disable: off", "deleted stage"} {
		assert.Contains(t, out.String(), want)
	}
	ops := map[string]int{}
	for _, r := range srv.Requests() {
		ops[r.Operation]++
	}
	assert.Equal(t, map[string]int{"CreateStage": 1, "GetStage": 1, "UpdateStage": 2, "DeleteStage": 1,
		"ImportPublicKey": 1, "DeletePublicKey": 1}, ops)
}
