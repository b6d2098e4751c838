package main

import (
	"bytes"
	"flag"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
)

var update = flag.Bool("update", false, "rewrite testdata/composition.golden")

// The story, line by line: testdata/composition.golden (go test -update rewrites it). It prints no
// generated ID, so the output is the same on every run.
func TestGolden(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out))
	testutil.Golden(t, filepath.Join("testdata", "composition.golden"), out.String(), *update)
}

// Two runs print the same.
func TestDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	require.NoError(t, run(t.Context(), &a))
	require.NoError(t, run(t.Context(), &b))
	assert.Equal(t, a.String(), b.String())
}
