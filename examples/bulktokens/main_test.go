package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/stagetest"
)

func TestRun(t *testing.T) {
	t.Parallel()
	srv := stagetest.New()
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out, srv.Config(), 40, 1000))
	assert.Contains(t, out.String(), "created 40 of 40 tokens")
	assert.Contains(t, out.String(), "progress: 40/40")
	assert.NotContains(t, out.String(), "eyJ", "no bearer string is printed")
}
