// Package recording builds the individual participant recording configuration of an IVS Real-Time stage
// (the API's autoParticipantRecordingConfiguration), validates it against the service's model, and reads it
// back with the service's defaults made explicit.
//
//	cfg := recording.New("arn:aws:ivs:us-east-1:123456789012:storage-configuration/AbCdEf123456").
//		WithMediaType(recording.MediaAudioOnly).
//		WithThumbnails(recording.ThumbnailsEvery(30*time.Second, recording.StorageLatest)).
//		WithReconnectWindow(time.Minute) // recordingReconnectWindowSeconds: 60
//	if err := cfg.Validate(); err != nil { … } // smithy.InvalidParamsError, every violation at once
//
// A Config is immutable: each With… returns a copy. Unset fields are not sent and the service applies its
// defaults (DefaultMediaType, DefaultThumbnailMode, DefaultThumbnailInterval, DefaultHLSSegmentDuration,
// DefaultReconnectWindow, DefaultRecordReplicas); Config.Effective shows the result. Disabled() turns
// recording off and, as the service resets every other field when it does, cannot be combined with any
// With….
//
// The package knows nothing of stages: pass a Config to stage.Config.WithRecording or
// stage.Update.WithRecording, which also send WithRecordReplicas(false) on the wire although the official
// client cannot.
package recording
