package recording_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/aws/smithy-go"

	"github.com/ivsrt/ivsrt/recording"
)

// Build a recording configuration, see what the service will apply, and what is sent.
func Example() {
	cfg := recording.New("arn:aws:ivs:us-east-1:123456789012:storage-configuration/AbCdEf123456").
		WithMediaType(recording.MediaAudioOnly).
		WithThumbnails(recording.ThumbnailsEvery(30*time.Second, recording.StorageLatest)).
		WithReconnectWindow(time.Minute)

	if err := cfg.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	eff := cfg.Effective()
	fmt.Println("media:", eff.MediaType)
	fmt.Println("thumbnails:", eff.ThumbnailMode, eff.ThumbnailInterval, eff.ThumbnailStorage)
	fmt.Println("HLS segment (default):", eff.HLSSegmentDuration)
	fmt.Println("reconnect window:", eff.ReconnectWindow)

	sdk, _ := cfg.ToSDK()
	fmt.Println("recordingReconnectWindowSeconds sent:", sdk.RecordingReconnectWindowSeconds)
	fmt.Println("hlsConfiguration sent:", sdk.HlsConfiguration != nil)
	// Output:
	// media: AUDIO_ONLY
	// thumbnails: INTERVAL 30s [LATEST]
	// HLS segment (default): 6s
	// reconnect window: 1m0s
	// recordingReconnectWindowSeconds sent: 60
	// hlsConfiguration sent: false
}

// Every violation is reported at once, with the SDK's field paths.
func ExampleConfig_Validate() {
	err := recording.New("arn:aws:ivs:us-east-1:123456789012:storage-configuration/AbCdEf123456").
		WithReconnectWindow(301 * time.Second).
		WithHLSSegmentDuration(1500 * time.Millisecond).
		Validate()

	var invalid smithy.InvalidParamsError
	if errors.As(err, &invalid) {
		for _, e := range invalid.Errs() {
			fmt.Println(e)
		}
	}
	// Output:
	// value 1.5s is not a whole number of seconds, AutoParticipantRecordingConfiguration.HlsConfiguration.TargetSegmentDurationSeconds.
	// value 301 is out of range 0..300, AutoParticipantRecordingConfiguration.RecordingReconnectWindowSeconds.
}

// Disabled turns recording off; the service then resets every other field, so none may be set with it.
func ExampleDisabled() {
	fmt.Println(recording.Disabled().Validate())
	fmt.Println(recording.Disabled().WithReconnectWindow(time.Minute).Validate())
	// Output:
	// <nil>
	// 1 validation error(s) found.
	// - set on recording.Disabled(): with storageConfigurationArn "" the service resets every recording field to its default, AutoParticipantRecordingConfiguration.RecordingReconnectWindowSeconds.
}
