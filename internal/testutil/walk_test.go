package testutil_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
)

type node struct {
	name  string
	next  *node
	bytes []byte
	arr   [4]byte
	m     map[string]any
	err   error
	fn    func() string
}

func TestWalk(t *testing.T) {
	t.Parallel()
	cycle := &node{name: "a"}
	cycle.next = &node{name: "b", next: cycle}
	hidden := "captured by a closure"
	v := &node{
		name:  "root",
		next:  cycle,
		bytes: []byte("raw bytes"),
		arr:   [4]byte{'a', 'r', 'r', '!'},
		m:     map[string]any{"key": []string{"in a slice"}, "eyJ-looking key": 1},
		err:   fmt.Errorf("wrapped: %w", errors.New("inner")),
		fn:    func() string { return hidden },
	}
	got := map[string]string{}
	var texts []string
	require.True(t, testutil.Walk(v, func(path, text string) { got[text] = path; texts = append(texts, text) }))
	assert.Equal(t, ".name", got["root"])
	assert.Equal(t, ".next.name", got["a"])
	assert.Equal(t, ".next.next.name", got["b"], "the cycle is walked once")
	assert.Equal(t, ".bytes", got["raw bytes"])
	assert.Equal(t, ".arr", got["arr!"])
	assert.Equal(t, `.m["key"].([]string)[0]`, got["in a slice"])
	assert.Regexp(t, `^\.m\{key #[01]\}$`, got["eyJ-looking key"], "a key that looks like a secret is numbered in paths")
	assert.Contains(t, texts, "wrapped: inner")
	assert.Contains(t, texts, "inner")
	assert.NotContains(t, texts, hidden, "closures are not entered")

	assert.Empty(t, testutil.SecretPaths(t, v, "no such secret here", 16))
	assert.Equal(t, []string{".bytes"}, testutil.SecretPaths(t, v, "xxraw bytes", 8), "an 8-byte piece is found")
	assert.Equal(t, []string{".bytes"}, testutil.SecretPaths(t, v, "raw", 16), "a secret shorter than minLen is looked for whole")
}
