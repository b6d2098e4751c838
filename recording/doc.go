// Package recording covers individual participant recording of IVS Real-Time stages from end to end: the
// options a stage records with (Config), where recordings are written (Storage, Client, a storage
// configuration), and where each recording lands and what IVS writes about it (Location, Metadata, State).
//
//	c := recording.NewClientFromConfig(awsCfg)
//	sc, err := c.CreateStorage(ctx, recording.NewStorage("my-recordings").WithName("main"))
//	if err != nil { … } // a smithy.InvalidParamsError (nothing sent) or the service's typed error
//	cfg := sc.Recording(). // recording.New(sc.ARN)
//		WithThumbnails(recording.ThumbnailsEvery(30*time.Second, recording.StorageLatest)).
//		WithReconnectWindow(time.Minute) // recordingReconnectWindowSeconds: 60
//	// stage.New().WithRecording(cfg), then participants publish …
//	m, err := recording.ParseMetadata(endedJSON) // events/recording-ended.json of one recording
//
// # Options: Config
//
// A Config is a stage's autoParticipantRecordingConfiguration, built with New(storageConfigurationARN) or
// Disabled() and refined with With… methods. It is immutable: each With… returns a copy. Unset fields are
// not sent and the service applies its defaults (DefaultMediaType, DefaultThumbnailMode,
// DefaultThumbnailInterval, DefaultHLSSegmentDuration, DefaultReconnectWindow, DefaultRecordReplicas);
// Config.Effective shows the result. Disabled() turns recording off and, as the service resets every other
// field when it does, cannot be combined with any With…, whatever the value (Disabled().WithReconnectWindow(0)
// is invalid too). Validate reports every violation at once, with the SDK's field paths.
//
// The package knows nothing of stages: pass a Config to stage.Config.WithRecording or
// stage.Update.WithRecording, which also send WithRecordReplicas(false) on the wire although the official
// client cannot. A stage reports its recording as Settings (every field resolved); Settings.Config turns them
// back into the Config that sends exactly them, for read-modify-write: change one field and update the
// stage, and nothing else changes. A stage read through stage.Client whose response omits
// recordParticipantReplicas reports RecordReplicas true (its documented default, which the official client
// alone would read as false), so the write-back never turns replica recording off; a negative duration read
// back is not replaced by a default but fails validation. The service refuses to change a stage's recording configuration while one
// of its participants is being recorded (HTTP 409).
//
// # Storage: Storage and Client
//
// A storage configuration names the S3 bucket recordings are written to; a stage records into the one whose
// ARN its Config holds. Client creates (CreateStorage, from a Storage built with NewStorage), reads
// (GetStorage), lists (ListStorage, an iterator that pages transparently) and deletes (DeleteStorage) them,
// one call of the official client each. Storage.Validate checks the IVS model and S3's own bucket naming
// rules, so a name S3 would refuse ("my..bucket", "192.168.5.4", "xn--abc", "logs-s3alias") fails before
// anything is sent.
//
// Limits and defaults are named Max<Thing>, Min<Thing> and Default<Thing> (MaxReconnectWindow,
// MinBucketNameLength, DefaultMediaType), a service quota Max<Thing> when it cannot be raised and
// <Thing>Quota, its default value, when it can (StorageConfigurationsQuota), an exact length <Thing>Length,
// a request-rate quota <Operations>RequestsPerSecond (StorageRequestsPerSecond), and a limit package stage
// exports too has the same name there (MaxTags, MaxPageSize).
//
// The bucket must exist in the same region as the stage, with S3 Object Ownership "bucket owner enforced"
// or "bucket owner preferred" and SSE-S3 encryption; creating the storage configuration modifies the
// bucket's policy so that IVS may write to it. An account holds StorageConfigurationsQuota (5, adjustable)
// storage configurations per region (more answers HTTP 402), each operation allows
// StorageRequestsPerSecond (5) requests per second, and a storage configuration a stage still records into
// cannot be deleted (HTTP 409). Service errors keep the SDK's types, and their Error() ends with the
// service's message. Client.WithOptions gives a client that passes per-call SDK options to every call.
//
// # Where recordings land: Location, Metadata and State
//
// Each publish of a recorded participant writes one recording under
// s3://<bucket>/<stage_id>/<session_id>/<participant_id>/<timestamp>/ (a Location, reported by the
// Recording Start and End events and by GetParticipant): an HLS playlist with fMP4 segments, thumbnails if
// enabled, and metadata files under events/. Location's methods give the documented keys; ParseMetadata reads
// a metadata file into a Metadata (status, times, duration, and the media paths as written, whose methods
// give the same keys from the file's own paths). A participant's State (GetParticipant, ListParticipants)
// tells whether its recording is still in progress. Read or play a recording only after its Recording End
// event: with a reconnect window, the end comes at least that window after the publisher leaves.
//
// What is read is read faithfully or not at all. ParseMetadata refuses a file whose text would decode to
// something else (invalid UTF-8, an unpaired surrogate escape: encoding/json alone turns both into U+FFFD),
// a member given twice, a time outside the years 0000 to 9999, an end before the start and a media path
// with a ".." segment; every time it returns is in UTC. The key methods return "" rather than a key built
// from a Location that Location.Validate refuses (not valid UTF-8, a ".." segment in the prefix) or from such
// a media path.
//
// # Reading recordings from S3: Files
//
// Files reads what IVS wrote with the official S3 client (github.com/aws/aws-sdk-go-v2/service/s3):
// Recordings lists the recordings under a stage, session or participant prefix, each with its newest
// metadata file (one GetObject per recording); Metadata reads one recording's; WaitFinal polls until it has
// ended or failed; PlaylistURL presigns its HLS playlist for a player. Inputs are checked before any
// request; errors name the bucket and key, and ErrNoMetadata says that no metadata file is written yet.
// stagetest serves its buckets over S3 (Server.S3Config), so the same code runs offline:
//
//	files := recording.NewFiles(s3.NewFromConfig(awsCfg))
//	for rec, err := range files.Recordings(ctx, "my-recordings", stageID+"/") {
//		if err != nil { … }
//		md, err := files.WaitFinal(ctx, rec.Location, 0) // recording-ended.json (or -failed), at least the reconnect window after the last publish
//		url, err := files.PlaylistURL(ctx, rec.Location, time.Hour)
//	}
package recording
