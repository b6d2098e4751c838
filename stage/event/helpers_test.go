package event_test

// Helpers shared by the package's test files: the user guide's example events, events built from a few
// detail members, and a comparison of two parsed events.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/event"
)

// example reads testdata/examples/name. The files there are the example events of the IVS Real-Time User
// Guide, "Using Amazon EventBridge with IVS Real-Time Streaming", copied byte for byte (white space
// included).
func example(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "examples", name))
	require.NoError(t, err)
	return data
}

// recordingWith returns a Recording State Change event whose detail holds the given members after event_name.
func recordingWith(members string) string {
	return `{"id":"e1","source":"aws.ivs","detail-type":"IVS Participant Recording State Change","detail":{"event_name":"Recording End"` + members + `}}`
}

// stageUpdateWith returns a Stage Update event whose detail holds the given members after event_name.
func stageUpdateWith(members string) string {
	return `{"id":"e1","source":"aws.ivs","detail-type":"IVS Stage Update","detail":{"event_name":"Participant Published"` + members + `}}`
}

// assertSameEvent checks that a and b are the same event; an Unknown's detail is compared as JSON.
func assertSameEvent(t *testing.T, a, b event.Event) {
	t.Helper()
	ua, okA := a.(event.Unknown)
	ub, okB := b.(event.Unknown)
	if !okA || !okB {
		assert.Equal(t, a, b)
		return
	}
	assert.Equal(t, ua.Envelope, ub.Envelope)
	da, err := json.Marshal(ua.Detail)
	require.NoError(t, err)
	db, err := json.Marshal(ub.Detail)
	require.NoError(t, err)
	assert.Equal(t, string(da), string(db))
}

// testStageARN is the stage the processor's and the tracker's events are about.
const testStageARN = "arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij"
