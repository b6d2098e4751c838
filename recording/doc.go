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
// # Values: Config
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
// back is not replaced by a default but fails validation. The service refuses to change a stage's recording
// configuration while one of its participants is being recorded (HTTP 409): see "Changing the settings".
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
// The bucket must exist in the same region as the stage, with S3 Object Ownership "bucket owner enforced"
// or "bucket owner preferred" and SSE-S3 encryption; creating the storage configuration modifies the
// bucket's policy so that IVS may write to it. A storage configuration a stage still records into cannot be
// deleted (HTTP 409). Client.WithOptions gives a client that passes per-call SDK options to every call.
//
// # The recording guide
//
// The whole story of individual participant recording, each step a call of this library (run it offline
// with go run ./examples/recordings, which plays the participants on stagetest and prints what happens):
//
//	// 1. Where recordings go, and a stage that records every publisher, merging a reconnect within 30 s.
//	sc, err := storage.CreateStorage(ctx, recording.NewStorage("my-recordings"))
//	st, tokens, err := stages.Create(ctx, stage.New().
//		WithRecording(sc.Recording().WithReconnectWindow(30*time.Second)).
//		WithParticipants(token.New().WithUserID("alice"), token.New().WithUserID("bob")))
//
//	// 2. Participants join and publish with the IVS broadcast SDKs. Each publisher's recording starts
//	//    (STARTING, then ACTIVE) and ends (STOPPING, then STOPPED) the reconnect window after it stops
//	//    publishing; a publisher back within the window continues the same recording (same prefix, one
//	//    Recording Start, one Recording End, the duration covering both).
//
//	// 3. The events: route them with an EventBridge rule to a Lambda function or an SQS queue, and parse
//	//    them with package stage/event (its doc shows an at-least-once consumer).
//	ev, err := event.Parse(body)
//	if rec, ok := ev.(event.Recording); ok && rec.Name == event.RecordingEnd {
//		rec.Location.PlaylistKey()                      // <prefix>/media/hls/multivariant.m3u8
//		rec.Location.MetadataKey(recording.StatusEnded) // <prefix>/events/recording-ended.json
//		rec.Duration                                    // recording_duration_ms
//	}
//
//	// 4. Change the settings safely (see "Changing the settings").
//	st, err = stages.UpdateRecording(ctx, st.ARN, func(c recording.Config) recording.Config {
//		return c.WithReconnectWindow(time.Minute)
//	})
//
// The events (detail-types event.TypeRecordingChange and event.TypeStageUpdate):
//
//	event                              when                                         the library gives
//	Recording Start                    a publisher is being recorded                event.Recording: session, participant, Location
//	Recording End                      the publisher stopped (plus the reconnect    + Duration
//	                                   window) and every file is written
//	Recording Start/End Failure        the bucket is missing or inaccessible, …     + ErrorCode, Reason
//	Participant Published/Unpublished, a participant starts or stops publishing     event.StageUpdate
//	Publish Error
//	anything else                      new detail-types the service adds            event.Unknown, never an error
//
// # Changing the settings
//
// UpdateStage replaces the whole recording configuration: fields the new one leaves unset return to their
// defaults, and Disabled() resets them all. While any participant of the stage's active session is
// recording (STARTING, ACTIVE or STOPPING, which lasts the reconnect window after the publisher leaves), it
// refuses a recording change with HTTP 409 (*types.ConflictException, stage.IsRecordingActiveConflict).
// stage.Client.UpdateRecording does the safe read-modify-write in one call: it reads the stage, passes the
// Config that sends exactly what the stage has (Settings.Config) to a change function, waits until nobody
// is recorded (stage.Client.WaitRecordingIdle), updates, and on a 409 waits again. Changing only a stage's
// name is not affected.
//
// # Where recordings land: Location, Metadata and State
//
// Each publish of a recorded participant writes one recording under
// s3://<bucket>/<stage_id>/<session_id>/<participant_id>/<timestamp>/ (a Location, reported by the
// Recording Start and End events and by GetParticipant): an HLS playlist with fMP4 segments, thumbnails if
// enabled, and metadata files under events/. Location's methods give the documented keys; ParseMetadata reads
// a metadata file into a Metadata (status, times, duration, and the media paths as written, whose methods
// give the same keys from the file's own paths). A participant's State (GetParticipant, ListParticipants)
// tells whether its recording is still in progress (State.InProgress: STARTING, ACTIVE or STOPPING). Read
// or play a recording only after its Recording End event: with a reconnect window, the end comes at least
// that window after the publisher leaves. The session in the prefix is the one in which the recording
// started:
//
//	<prefix>/events/recording-started.json          RECORDING_STARTED
//	<prefix>/events/recording-ended.json            RECORDING_ENDED (or recording-failed.json)
//	<prefix>/media/hls/multivariant.m3u8            the playlist; media/hls/high/playlist.m3u8 and fMP4 segments
//	<prefix>/media/thumbnails/high/1.jpg, …         thumbnail storage SEQUENTIAL
//	<prefix>/media/latest_thumbnail/high/thumb.jpg  thumbnail storage LATEST
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
//
// # Errors
//
// Every error of a Client method is a *smithy.OperationError naming the operation, as the SDK wraps its
// own. Invalid input makes no request and wraps a smithy.InvalidParamsError listing every violation, with
// the SDK's Go field paths, the rule and the value. Service errors keep the SDK's types (errors.As with
// *types.ResourceNotFoundException, *types.ConflictException, *types.ServiceQuotaExceededException, …),
// typed whatever the operation's model lists, and their Error() ends with the service's words.
// ErrNoStorageConfiguration is a response without one. Files' errors are S3's (see Files).
//
// # Limits and quotas
//
//	what                               limit                                          default              constant
//	reconnect window                   0–300 s, whole seconds                         0 (no merging)       MaxReconnectWindow, DefaultReconnectWindow
//	HLS target segment duration        2–10 s, whole seconds                          6 s                  MinHLSSegmentDuration, MaxHLSSegmentDuration, DefaultHLSSegmentDuration
//	thumbnail interval                 1 s–24 h, whole seconds (ThumbnailsEvery)      60 s                 MinThumbnailInterval, MaxThumbnailInterval, DefaultThumbnailInterval
//	thumbnail storage                  SEQUENTIAL and/or LATEST, each once            SEQUENTIAL           DefaultThumbnailStorage
//	media type                         AUDIO_VIDEO, AUDIO_ONLY or NONE                AUDIO_VIDEO          DefaultMediaType
//	record replicas                    true / false                                   true                 DefaultRecordReplicas
//	storage configuration ARN          ≤ 128 code points                              —                    MaxStorageConfigurationARNLength
//	bucket name                        3–63, ^[a-z0-9-.]+$, plus S3's naming rules    —                    MinBucketNameLength, MaxBucketNameLength
//	storage configuration name         ≤ 128, ^[a-zA-Z0-9-_]*$                        none                 MaxStorageNameLength
//	storage configurations             5 per account and region (adjustable: 402)     —                    StorageConfigurationsQuota
//	storage configuration operations   5 requests per second each (not adjustable)    —                    StorageRequestsPerSecond
//	ListStorage page size              1–100                                          quota or 100         MinPageSize, MaxPageSize
//
// Rules the package adds beyond the model: Disabled() with any other field is an error (the service would
// reset the other fields); New("") is an error (use Disabled()); durations that are not a whole number of
// the wire's unit are errors, never rounded; strings that are not valid UTF-8 are errors (rule utf8: the
// SDK would send U+FFFD in their place).
//
// Limits and defaults are named Max<Thing>, Min<Thing> and Default<Thing> (MaxReconnectWindow,
// MinBucketNameLength, DefaultMediaType), a service quota Max<Thing> when it cannot be raised and
// <Thing>Quota, its default value, when it can (StorageConfigurationsQuota), an exact length <Thing>Length,
// a request-rate quota <Operations>RequestsPerSecond (StorageRequestsPerSecond), and a limit package stage
// exports too has the same name there (MaxTags, MaxPageSize).
//
// # Budgets
//
// The Client paces each operation it calls with a *rate.Limiter of its own at StorageRequestsPerSecond
// (5 per second), burst 1, shared by every client derived from it (WithOptions, WithLimiter). A call waits
// for its turn after the SDK's retry middleware, so each retry waits too, and a loop of calls in one
// process never meets a 429 of its own making; a turn after the context's deadline fails the call at once,
// nothing sent. WithLimiter(operation, l) replaces the limiter of one operation (the SDK's name,
// "CreateStorageConfiguration"; nil: not paced); Limiter(operation) returns it.
//
// There is no cross-process limiter in the library. The quotas are per account and region, so N processes
// each pacing at the full rate exceed them together: either give each of the N processes 1/N of the rate
// (WithLimiter("GetStorageConfiguration", rate.NewLimiter(5.0/N, 1))), or route the calls through one service that holds
// the client; and keep the SDK's retryer on (its default) for the 429s that remain. Pacing is a middleware
// of the official client, passed as a per-call option: a fake API given to NewClient is not paced.
//
// # Performance
//
// Figures from a 2-core VM (linux/amd64, Go 1.26.8), each run side by side with its baseline
// (sub-benchmarks impl=json|ivsrt, compared with benchstat -col /impl):
//
// ParseMetadata of the guide's recording-ended.json against json.Unmarshal of the same bytes into a
// plain struct of the same fields: 8.96 µs vs 8.45 µs, 33 vs 32 allocs, 1.06× (n=20).
//
//	go test -run '^$' -bench '^BenchmarkParseMetadata$' -benchmem -cpu 1 -benchtime 300ms -count 20 ./recording
//
// Files.Recordings over stagetest's S3: go test -run '^$' -bench '^BenchmarkFilesRecordings$' -benchmem ./recording
//
// Reliability: FuzzConfig, FuzzStorage (accepted ⇒ stagetest creates it as asked; rejected ⇒ no request)
// and FuzzParseMetadata run on their committed corpora in every go test, and 5 s each in CI
// (go test -run '^$' -fuzz '^FuzzStorage$' -fuzztime 60s ./recording).
package recording
