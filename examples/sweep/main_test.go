package main

import (
	"bytes"
	"flag"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
)

var update = flag.Bool("update", false, "rewrite testdata/sweep.golden")

// tell runs the story and returns the world it ran in and what it printed.
func tell(t *testing.T) (*world, string) {
	t.Helper()
	var out bytes.Buffer
	wd := newWorld(&out)
	require.NoError(t, wd.run(t.Context()))
	return wd, out.String()
}

// generated matches the IDs a run generates: stage IDs (12 alphanumerics after two spaces) and session IDs.
var (
	stageID   = regexp.MustCompile(`(  )[a-zA-Z0-9]{12}(  owner=)`)
	sessionID = regexp.MustCompile(`st-[a-zA-Z0-9]{13}`)
)

// normalize replaces the generated IDs with placeholders.
func normalize(out string) string {
	out = stageID.ReplaceAllString(out, "$1<stage-id>$2")
	return sessionID.ReplaceAllString(out, "<session-id>")
}

// The story, line by line, with its generated IDs replaced: testdata/sweep.golden (go test -update
// rewrites it).
func TestGolden(t *testing.T) {
	t.Parallel()
	_, out := tell(t)
	got := normalize(out)
	testutil.Golden(t, filepath.Join("testdata", "sweep.golden"), got, *update)
}

// What the story shows holds, independently of its text: the dry run sends no DeleteStage, the sweep
// deletes the two idle owned stages and nothing else, and reads no session of a stage it does not own or
// that the listing shows active.
func TestStory(t *testing.T) {
	t.Parallel()
	wd, out := tell(t)
	ops := map[string]int{}
	var deleted []string
	for _, r := range wd.srv.Requests() {
		ops[r.Operation]++
		if r.Operation == "DeleteStage" {
			deleted = append(deleted, r.JSON()["arn"].(string))
		}
	}
	assert.Equal(t, map[string]int{
		"CreateStage":       6,
		"ListStages":        4, // the account twice, each sweep once
		"ListStageSessions": 8, // 4 owned stages without an active session, per sweep
		"DeleteStage":       2, // the sweep's; the dry run sends none
	}, ops)
	require.Len(t, deleted, 2)
	assert.Equal(t, 1, strings.Count(out, "would delete idle 48h0m0s"))
	assert.Equal(t, 2, strings.Count(out, "  2 deleted\n")+strings.Count(out, "  0 deleted\n"))
	left := out[strings.Index(out, "== 4."):]
	for _, name := range []string{"alice-demo", "ci-untagged", "ci-run-42", "ci-run-43"} {
		assert.Contains(t, left, name)
	}
	for _, name := range []string{"ci-never-used", "ci-run-41"} {
		assert.NotContains(t, left, name)
	}
}
