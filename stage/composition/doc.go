// Package composition runs Amazon IVS Real-Time server-side compositions through the official
// aws-sdk-go-v2 client: it starts, reads, lists and stops compositions, and manages the encoder
// configurations they encode with and the ingest configurations (RTMP and RTMPS publishers) that feed
// stages, validating every input against the service's model before anything is sent.
//
//	comps := composition.NewClientFromConfig(cfg) // cfg: an aws.Config, e.g. from config.LoadDefaultConfig
//	enc, err := comps.CreateEncoder(ctx, composition.NewEncoder().WithName("720p").
//		WithVideo(1280, 720, 30, 2_500_000))
//	c, err := comps.Start(ctx, composition.New(stageARN).
//		WithLayout(composition.Grid().WithFeaturedParticipantAttribute("host").WithGridGap(0)).
//		WithDestinations(
//			composition.ToChannel(channelARN).WithEncoders(enc.ARN),
//			composition.ToS3(storageARN).WithEncoders(enc.ARN).
//				WithThumbnails(30*time.Second, recording.StorageLatest)).
//		WithRequestKey(publishedEventID)) // a retry of this call starts no second composition
//	if err != nil { … } // invalid input: smithy.InvalidParamsError in *smithy.OperationError, nothing sent
//	rec := c.Recordings()[0] // keep it: the composition is gone five minutes after it ends
//	…
//	err = comps.Stop(ctx, c.ARN) // nil when it has already stopped on its own
//
// # Compositions
//
// A composition takes the video and audio of a stage's publishers, lays them out (a Grid, or a Pip:
// picture in picture) and sends the result to one or two destinations: an IVS channel (ToChannel), which
// broadcasts it, and S3 (ToS3), which records it: a composite recording. It is a short-lived resource.
// Start creates it in state STARTING; it becomes ACTIVE, and then ends, STOPPED or FAILED: when Stop is
// called, when no participant has published for 60 seconds (or none was on the stage within a minute of
// the start), when the stage is deleted, when every destination has failed for good (a destination that
// fails goes RECONNECTING first, and the composition lives on while one destination is active), or after
// MaxDuration (24 hours). CleanupDelay (five minutes) after it ends, it is deleted: Get answers 404 and List
// no longer shows it, so Stop treats a 404 as done. The service sends "IVS Composition State Change"
// events to EventBridge along the way (Session Start, Destination Start, …, Session End), whose resource is
// the composition's ARN; none of them carries the recording's S3 prefix.
//
// Layout values follow the model's GridConfiguration and PipConfiguration field for field; a field left
// unset takes the service's default (the Default… constants). The official client v1.30.0 never sends
// "gridGap": 0, "pipOffset": 0 or "omitStoppedVideo": false (it writes those members only when they are
// not zero), so a grid could not have its documented 2-pixel gap removed; the Client writes what was set
// into the request. Layouts react to the participants' tokens: a participant whose attribute named by
// WithFeaturedParticipantAttribute is "true" is featured, and changes of attributes re-arrange the layout.
//
// # Composite recordings
//
// An S3 destination writes into the bucket of its storage configuration (recording.Client.CreateStorage;
// the bucket policy must let ivs-composite.<region>.amazonaws.com write) under a prefix the service
// chooses. Start returns it at once in each S3 destination's Location (DestinationState.Location, also
// Composition.Recordings): Prefix is the recordingPrefix, and Bucket is "" (the response names no bucket:
// set it to the storage configuration's BucketName). Under the prefix IVS writes
// events/recording-started.json and, at the end, recording-ended.json or recording-failed.json
// (Location.MetadataKey; recording.Files reads them), the HLS recording with its playlist
// media/hls/multivariant.m3u8 (Location.PlaylistKey), and thumbnails in folders named by resolution
// (ThumbnailsPrefix, LatestThumbnailKey). Process the files after the composition's Session End event.
//
// # Errors
//
// Invalid input makes no request: every method validates first and returns a smithy.InvalidParamsError
// (every violation at once, each naming the field by its path in the SDK's Go names, e.g.
// "StartCompositionInput.Destinations[1].S3.EncoderConfigurationArns", the rule and the value) wrapped in
// *smithy.OperationError, as the SDK wraps its own validation errors. The values' Validate methods report
// the same violations. Service errors keep the SDK's types (*types.ValidationException,
// *types.ServiceQuotaExceededException, *types.ResourceNotFoundException, *types.ConflictException, … of
// github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types) and their *smithy.OperationError wrapping, with
// Message filled from the service's exceptionMessage so that err.Error() ends with the service's words,
// whatever the operation (a 500 from an operation whose model does not list it is still a
// *types.InternalServerException). An ingest configuration's stream key is a secret: IngestConfiguration
// shows it only through StreamKey, and no error of this package, nor the response bytes a failed decode
// keeps, contains it.
//
// # Limits
//
// The service's quotas, per account and region; the Client paces each operation at its rate (one limiter
// per operation, shared by the clients derived with WithOptions; WithLimiter replaces one), so a loop of
// calls waits its turn instead of meeting a 429:
//
//	limit                                   value                 constant
//	requests per second, each operation     5 (not adjustable)    RequestsPerSecond
//	compositions running at once            20 (adjustable)       CompositionsQuota
//	compositions per stage at once          5 (adjustable)        CompositionsPerStageQuota
//	destinations per composition            2 (not adjustable)    MaxDestinations
//	duration of a composition               24 h (not adjustable) MaxDuration
//	encoder configurations                  20 (adjustable)       EncoderConfigurationsQuota
//	ingest configurations                   100 (adjustable)      IngestConfigurationsQuota
//
// Limits and defaults are named as in packages stage, recording and token: Max<Thing>, Min<Thing> and
// Default<Thing> for the model's ranges and documented defaults (MaxVideoPixels, MinPipWidth,
// DefaultGridGap), <Thing>Quota for a quota that can be raised, Max<Thing> for one that cannot, and
// RequestsPerSecond for the request rate.
//
// # Performance
//
// On a 2-core VM (linux/amd64, Go 1.26.8), side by side in one run (benchstat -col /impl): Start against
// the raw StartComposition of the same input on one mock transport, 95.8 µs ± 25% vs 81.8 µs ± 15%,
// about 1.17× (n=6; the 1.05× goal is not shown: the spread is wider than the difference), with 6 more
// allocations (560 vs 554) and 0.3 KiB more; Validate of a full composition (two destinations, every
// layout field), 3.85 µs and 0 allocations, most of it the model's patterns.
//
//	go test -run '^$' -bench 'BenchmarkStart$|BenchmarkValidate$' -benchmem -benchtime 2000x -count 6 ./stage/composition
//
// To test code that uses a Client, give NewClientFromConfig an aws.Config whose HTTPClient is an
// httpmock.MockTransport (see the examples).
package composition
