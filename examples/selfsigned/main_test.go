package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/stagetest"
)

func TestRun(t *testing.T) {
	t.Parallel()
	srv := stagetest.New()
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out, srv.Config(), 4))
	assert.Equal(t, 4, strings.Count(out.String(), "kid matches true"))
	assert.Contains(t, out.String(), "Value: [REDACTED]")
	assert.Equal(t, 4, srv.RequestCount(), "one stage and one key created and deleted; no call per token")
}
