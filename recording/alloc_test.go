//go:build !race

package recording_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/ivsrt/ivsrt/recording"
)

// Validating a valid configuration allocates nothing (the race detector makes regexp allocate, hence the
// build tag).
func TestValidateValidDoesNotAllocate(t *testing.T) {
	cfg := recording.New(storageARN).
		WithMediaType(recording.MediaAudioOnly).
		WithThumbnails(recording.ThumbnailsEvery(30*time.Second, recording.StorageSequential, recording.StorageLatest)).
		WithHLSSegmentDuration(4 * time.Second).
		WithReconnectWindow(time.Minute).
		WithRecordReplicas(false)
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = cfg.Validate() }))
}

// Validating a valid storage configuration allocates nothing either, S3's naming rules included.
func TestStorageValidateValidDoesNotAllocate(t *testing.T) {
	s := recording.NewStorage("my.recordings-2024").WithName("main").WithTag("team", "media")
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = s.Validate() }))
}
