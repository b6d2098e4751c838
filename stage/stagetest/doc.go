// Package stagetest is an in-memory fake of the Amazon IVS Real-Time service for tests and examples,
// reached through the official SDK client over an [httpmock.MockTransport] (no sockets, no AWS account):
//
//	srv := stagetest.New()
//	client := ivsrealtime.NewFromConfig(srv.Config())
//	out, err := client.CreateStage(ctx, &ivsrealtime.CreateStageInput{Name: aws.String("demo")})
//	// out.Stage.Arn is "arn:aws:ivs:us-east-1:123456789012:stage/<12 alphanumerics>";
//	// srv.Requests()[0].Operation is "CreateStage".
//
// Requests go through the SDK's real serializers, signer and retryer. The fake speaks restJson1 like the
// service: every operation is POST /<OperationName> with a JSON body, except the tag operations, which are
// POST (TagResource), DELETE (UntagResource, tagKeys in the query) and GET (ListTagsForResource) on
// /tags/{resourceArn} with the ARN percent-encoded; a success is HTTP 200 with a JSON body;
// an error carries the HTTP status, the header x-amzn-ErrorType: <Code> and the body
// {"exceptionMessage": "..."}, so the SDK returns the same typed errors it returns against AWS
// (*types.ValidationException, *types.ResourceNotFoundException, *types.ConflictException,
// *types.ServiceQuotaExceededException, ...).
//
// # Operations
//
// CreateStage, GetStage, UpdateStage, DeleteStage, ListStages, CreateParticipantToken, ImportPublicKey,
// GetPublicKey, ListPublicKeys, DeletePublicKey, CreateStorageConfiguration, GetStorageConfiguration,
// ListStorageConfigurations, DeleteStorageConfiguration, GetStageSession, ListStageSessions, GetParticipant,
// ListParticipants, ListParticipantEvents, DisconnectParticipant, StartParticipantReplication,
// StopParticipantReplication, ListParticipantReplicas, StartComposition, GetComposition, ListCompositions,
// StopComposition, CreateEncoderConfiguration, GetEncoderConfiguration, ListEncoderConfigurations,
// DeleteEncoderConfiguration, CreateIngestConfiguration, GetIngestConfiguration, ListIngestConfigurations,
// UpdateIngestConfiguration, DeleteIngestConfiguration, TagResource, UntagResource and ListTagsForResource
// ([Operations] returns them). Any other path, or a method other than the operation's, answers HTTP 404
// with the error code UnknownOperationException.
//
// # Adding an operation
//
// The server's operations are one table, in operations.go: a line per operation names it as the SDK does,
// its route and its handler. The API side lives in a file per resource (stages.go, tokens.go, keys.go,
// storage.go, sessions.go, participants.go, replication.go, tags.go), apart from the simulation that plays
// participants out over the clock (the sim_*.go files: joins, recordings, events, their delivery, S3), and
// the limits in limits.go. To serve a new operation:
//
//  1. Write its handler in the resource's file (a new file for a new resource): a method
//     func (s *Server) xxx(body object, now time.Time) response, which validates body with a checker
//     (validate.go) and answers success(...) or an errorResponse; it runs with the server's lock held.
//  2. Add its line to the table: rpc("Name", (*Server).xxx) for POST /Name, or rest(...) for another route.
//  3. Name it in the list above (a test compares the list with the table) and put its limits in limits.go.
//
// Nothing else: [Server.FailNext], [Server.LoseNextResponse], [WithRateLimit] and [Server.Requests] work
// for every line of the table, and the tests that enumerate operations (the clients' API interfaces against
// the table, the fault tests of internal/faulttest) derive their lists from the interfaces and the table.
//
// # Validation
//
// Every request is checked against the constraints of the service model before anything else happens:
// ranges, lengths counted in Unicode code points, patterns (Go regexp search semantics, as Smithy), enum
// membership, list sizes and uniqueness, required members, and these documented rules that have no model
// trait:
//
//   - thumbnailConfiguration.targetIntervalSeconds may only be sent when recordingMode is INTERVAL (an
//     absent recordingMode means its default, DISABLED);
//   - participant token attributes (and StartParticipantReplication's attributes) are at most
//     [MaxAttributesSize] bytes in total, counted as the sum of len(key)+len(value) over all entries;
//   - publicKeyMaterial must, besides matching the model's pattern, parse as a PEM "PUBLIC KEY" block holding
//     an ECDSA P-384 SubjectPublicKeyInfo.
//   - s3.bucketName must, besides the model's 3..63 and ^[a-z0-9-.]+$, follow S3's naming rules for general
//     purpose buckets (the fake's choice: a bucket S3 refuses cannot exist, so the fake refuses it as a 400
//     ValidationException naming the rule): begin and end with a letter or digit, no "..", not an IPv4
//     address, no reserved prefix (xn--, sthree-, amzn-s3-demo-) or suffix (-s3alias, --ol-s3, .mrap,
//     --x-s3, --table-s3). These rules are checked only for a name the model allows.
//   - the tag operations' resourceArn is checked against the model's pattern with its bug fixed: the model
//     writes the resource type as [a-z-] (one character), which no real ARN matches; the fake reads [a-z-]+.
//     A resource may carry at most [MaxTags] tags after TagResource merges the new ones in.
//   - a storageConfigurationArn of CreateStage or UpdateStage must name a storage configuration the server
//     holds (the fake's choice; "" still disables recording). It is checked once the request satisfies the
//     model, so it is then the only violation reported.
//
// All violations of a request are reported at once as HTTP 400 ValidationException, in the service's wording:
// "2 validation errors detected: Value '301' at 'autoParticipantRecordingConfiguration.recordingReconnectWindowSeconds'
// failed to satisfy constraint: Member must have value less than or equal to 300; ...". Field paths use the
// JSON member names, with [i] (0-based) for list items and [key] for map entries. A body that is not a JSON
// object, or a member of the wrong JSON type, is also a 400 ValidationException (the fake never answers
// SerializationException). Members the model does not define are ignored, as the service does; member names
// are matched exactly (case-sensitively), unlike encoding/json.
//
// # State and responses
//
// Stages and public keys live in memory, in creation order, under the fixed account [AccountID] and region
// [Region]; IDs are random: stage/<12 alphanumerics>, public-key/<12 alphanumerics>, activeSessionId
// st-<13 alphanumerics>, participantId of 24 alphanumerics, and an opaque JWT-shaped token string.
//
//   - Stage responses always carry name ("" when none was set), activeSessionId ("" until a participant
//     joins, see "Participants and sessions"), tags ({} when none), endpoints (events, whip, rtmp, rtmps, shaped like the service's) and a
//     complete autoParticipantRecordingConfiguration: each member the last CreateStage or UpdateStage did not
//     send takes the service default (the Default… constants, e.g. [DefaultSegmentDurationSeconds]). An
//     absent (or null) member takes its default; a member sent as an empty list ("mediaTypes": []) is stored
//     and returned as sent. An explicit "recordParticipantReplicas": false is stored; absent means true.
//   - UpdateStage changes name when it is sent. When autoParticipantRecordingConfiguration is sent, it
//     replaces the whole stored object, so members it does not send go back to their defaults; a
//     storageConfigurationArn of "" resets every member to its default, whatever else was sent.
//   - Tokens (CreateStage's participantTokens, in request order, and CreateParticipantToken's
//     participantToken) carry participantId, token, userId and attributes (when sent), duration (default
//     [DefaultTokenDurationMinutes]), capabilities (PUBLISH and SUBSCRIBE when absent; [] is kept) and
//     expirationTime = the server's clock + duration, to the second.
//   - Public keys carry arn, name ("" when none), publicKeyMaterial exactly as imported, tags and a
//     fingerprint (see [Fingerprint]). Importing key material that is already imported answers HTTP 409
//     ConflictException (checked before the quota).
//   - Storage configurations carry arn (storage-configuration/<12 alphanumerics>), name ("" when none),
//     s3.bucketName and tags ({} when none); the fake keeps no bucket and writes no bucket policy.
//     DeleteStorageConfiguration answers HTTP 409 ConflictException while any stage's
//     autoParticipantRecordingConfiguration names it (the fake's reading: the service documents a
//     conflict only for compositions, and that a storage configuration can be deleted once no stage uses it).
//   - TagResource adds and overwrites tags, UntagResource removes the keys named (unknown keys are ignored;
//     tagKeys is required, as in the model), ListTagsForResource returns them; the three work on stages,
//     public keys and storage configurations, and the changes show in their Get and List responses.
//   - ListStorageConfigurations' default page size is the storage quota or 100, whichever is smaller (the
//     model's documented default; 5 with the default quota).
//   - ListStages and ListPublicKeys return pages of maxResults items (default [DefaultPageSize]) in
//     creation order, with an opaque nextToken (base64url) while more items remain. A page starts at the
//     item the token names, so deleting earlier items does not shift later pages; a token the fake did not
//     issue for that operation is a ValidationException.
//
// Errors: 400 ValidationException, 402 ServiceQuotaExceededException (past [StagesQuota] stages, see
// [WithStageQuota], [MaxPublicKeys] public keys, or [StorageConfigurationsQuota] storage configurations, see
// [WithStorageQuota]; compositions, encoder and ingest configurations past their quotas, see "Compositions"), 404 ResourceNotFoundException (unknown stage, public key, storage configuration or
// tagged resource ARN), 409 ConflictException (see [Server.SetRecordingActive]; duplicate key material; a
// storage configuration still in use), 429
// ThrottlingException (see [WithRateLimit]), 404 UnknownOperationException, and whatever [Server.FailNext]
// injects. The body is {"exceptionMessage": "..."} for every code, modeled or not, as the service writes
// it (the library's clients read it for every operation; the official client alone shows it only for the
// codes an operation's model lists). Every response has an x-amzn-RequestId header.
//
// # Participants and sessions
//
// The simulation verbs play out what clients do: [Server.Join] (with an API token the server issued for
// that stage, or a self-signed ES384 token verified with an imported public key), [Server.Publish],
// [Server.Unpublish] and [Server.Leave]. Their errors wrap exported sentinels ([ErrUnknownStage],
// [ErrJoinRefused] and its reasons, [ErrNotConnected], …) for errors.Is. Time comes from [WithClock],
// typically a [Clock]: time-based transitions are evaluated lazily, at the start of every request and of
// every verb, [Server.Events] and [Server.Objects] — advance the clock, then any call observes the result.
//
// Where the service's behaviour is undocumented, the fake chooses:
//
//   - A new stage has no session. The first join starts one (st-<13 alphanumerics>); it ends at the moment
//     its last participant has left and none of its recordings is in progress (the service keeps a session a
//     few minutes after that; the fake ends it at once), and the next join starts a new one. Sessions and
//     their participants are kept for the server's life (the service's retention is undocumented);
//     ListStageSessions lists them newest first, ListParticipants in join order, ListParticipantEvents in
//     time order (oldest first).
//   - A participant belongs to the session it joined. A participant that left may join again with the same
//     token: in the same session it is the same participant (JOINED again, firstJoinTime unchanged), in a
//     later session a new one. A second Join of a connected participant is refused ([ErrAlreadyConnected])
//     rather than replacing the first connection.
//   - A refused join of a participant the active session knows records JOIN_ERROR with errorCode
//     INSUFFICIENT_CAPABILITIES for a disconnected participant and INVALID_INPUT otherwise (the service's
//     codes for these are undocumented); a refused join of a participant the session does not know records
//     nothing. Publish without PUBLISH records PUBLISH_ERROR INSUFFICIENT_CAPABILITIES, and a 13th publisher
//     ([MaxPublishers]) PUBLISH_ERROR QUOTA_EXCEEDED, each with a "Participant Publish Error" event.
//   - GetParticipant reports fixed client values ([ParticipantProtocol] WHIP, [ParticipantISPName], …);
//     published means "ever published in the session"; recordingState is DISABLED while the participant has
//     not been recorded (the stage does not record, it has not published, or it is a replica on a stage with
//     recordParticipantReplicas false); recordingS3BucketName and recordingS3Prefix are "" until it is
//     recorded, and the prefix is the one the recording events carry (with the timestamp component).
//   - ListParticipants takes at most one of filterByUserId, filterByPublished, filterByState and
//     filterByRecordingState: more answers 400 ValidationException (the model says "only one … can be
//     provided"; the service's error is undocumented). filterByPublished false filters nothing. ListParticipants,
//     ListParticipantEvents and ListStageSessions of an unknown stage, session or participant answer an empty
//     list (they model no 404); GetStageSession and GetParticipant answer 404.
//   - DisconnectParticipant takes a participant of the stage's active session (404 otherwise, also when
//     the stage has no active session). A connected participant leaves (as Leave: LEFT, publishing and
//     recording end); either way its token never joins that stage again ([ErrParticipantDisconnected]).
//     Disconnecting a replica stops its replication. The reason is validated and not shown anywhere.
//   - DeleteStage disconnects every participant of the stage's active session (the model: "disconnecting all
//     participants"): publishers unpublish, replications into the stage stop, and recordings end at once
//     (Recording End without waiting for the reconnect window: no reconnect can follow).
//
// # Recordings
//
// On a stage that records (storageConfigurationArn not ""), Publish starts the participant's recording into
// the storage configuration's bucket under <stage ID>/<session ID>/<participant ID>/<start time as
// 2006-01-02T15-04-05Z>: recordingState STARTING, a Recording Start event and events/recording-started.json;
// ACTIVE once the clock has moved past the publish instant. Unpublish or Leave moves it to STOPPING. Once the
// reconnect window (recordingReconnectWindowSeconds) has passed — now − stop > window, at once when it is 0
// — it is STOPPED at stop + window: Recording End with recording_duration_ms, events/recording-ended.json with
// media.hls.duration_ms, and the media. A publish by the same participant (same token, same storage
// configuration) within the window (≤ window) continues the same recording: same prefix, no second Recording
// Start, recordingState ACTIVE again (STOPPING during the gap), one Recording End after the last unpublish
// plus the window, the duration the sum of the publishing time. Later, a new recording with a new prefix.
// Meanwhile the session lasts, so a reconnect within the window is always in the same session.
//
//   - Media written at the end: media/hls/multivariant.m3u8, media/hls/high/playlist.m3u8 and placeholder
//     fMP4 segments (init-<k>.mp4, <n>.mp4 of the target segment duration; a stitched fragment adds
//     #EXT-X-DISCONTINUITY and a new init segment). mediaTypes NONE writes no media/hls and no media.hls in
//     the metadata; AUDIO_ONLY writes the same layout as AUDIO_VIDEO (rendition "high"); both unconfirmed.
//   - Thumbnails (recordingMode INTERVAL): SEQUENTIAL writes media/thumbnails/high/1.jpg … one per started
//     interval of the recording (at least one); LATEST writes media/latest_thumbnail/high/thumb.jpg.
//   - A replica is recorded in its destination stage when that stage records and its
//     recordParticipantReplicas is true, under the destination's stage and session IDs (unconfirmed).
//   - [Server.SetBucketMissing] makes a bucket "not exist": Publish then gives a Recording Start Failure
//     (error_code ResourceNotFoundException, the user guide's reason), recordingState FAILED, nothing written
//     (no recording-failed.json: which file the service writes then is unconfirmed).
//   - While any participant of the stage's active session has a recording STARTING, ACTIVE or STOPPING,
//     UpdateStage carrying autoParticipantRecordingConfiguration answers 409 ConflictException (unconfirmed:
//     the model says it "cannot be updated while recording is active"); [Server.SetRecordingActive] forces it.
//
// [Server.Objects] returns what was written to a bucket; [Server.Events] every EventBridge event, in order.
// Events carry version "0", a version 4 UUID id, source aws.ivs, account [AccountID], region [Region], time
// (RFC 3339 seconds on the clock) and resources [stage ARN] (a composition's: [composition ARN], see
// "Compositions"). "IVS Stage Update": Participant Published,
// Unpublished and Publish Error with session_id, event_name, event_time (seconds), user_id ("" when none),
// participant_id, event_time_precise (milliseconds; Published and Unpublished only), error_code (Publish
// Error), and replica, source_stage_arn, source_session_id on a replica's events only (omitted otherwise);
// Participant Replication Start and End in the source stage with destination_stage_arn and
// destination_session_id. "IVS Participant Recording State Change": Recording Start, End and Start Failure
// with session_id, event_name, participant_id, recording_s3_bucket_name, recording_s3_key_prefix,
// recording_duration_ms (End) and error_code and reason (failures); no event_time nor user_id, as in the user
// guide's examples. Joins and leaves are participant events only, not EventBridge events, as in the service.
//
// # S3: the recordings' buckets
//
// [Server.S3Config] serves the buckets recordings write to over the S3 protocol, read-only, on a loopback
// listener in this process (github.com/johannesboyne/gofakes3 over the server's own objects, so the S3
// client lists and reads exactly what [Server.Objects] returns at that moment, what the clock has made due
// applied first). The listener starts on the first call; [Server.Close] stops it (t.Cleanup(srv.Close)):
//
//	client := s3.NewFromConfig(srv.S3Config(), func(o *s3.Options) { o.UsePathStyle = true })
//	out, err := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(stageID + "/")})
//
// ListObjectsV2 (paginated, prefix, delimiter), GetObject (ranges too), HeadObject, HeadBucket and
// ListBuckets work as on S3, and presigned GetObject URLs work with a plain http.Get (signatures and expiry
// are not checked). Objects carry LastModified = when the fake wrote them, on its clock, an MD5 ETag and a
// Content-Type by extension. A bucket exists while a storage configuration names it or a recording wrote to
// it, unless [Server.SetBucketMissing] hides it: otherwise 404 NoSuchBucket (NoSuchKey for a missing key).
// Writes (PutObject, DeleteObject, CreateBucket, …) answer 403 AccessDenied. S3 requests are not in
// [Server.Requests].
//
// # Replication
//
// StartParticipantReplication of a participant CONNECTED in the source stage's active session (404
// otherwise) adds it to the destination stage (starting a session there if none) with the same participant
// ID, user ID and capabilities, its attributes merged with the request's (the request's win), replicationType
// REPLICA, sourceStageArn and sourceSessionId, JOINED; it publishes there while the source publishes. The
// source becomes replicationType SOURCE and gets REPLICATION_STARTED (with destinationStageArn and
// destinationSessionId). A second replication to the same destination, replicating a replica, or a
// destination where that participant is connected answers 409 ConflictException; source = destination 400; a
// 6th concurrent replication of one participant ([MaxReplicationsPerParticipant]) 402
// ServiceQuotaExceededException (unconfirmed which error the service uses). StopParticipantReplication (404
// when no such replication is active) and the source leaving or being disconnected end it: the replica
// unpublishes and leaves (replicationState STOPPED), the source gets REPLICATION_STOPPED. reconnectWindowSeconds
// is validated but not played out (the fake does not keep a replication across a source's reconnect).
// ListParticipantReplicas lists the active replications only, in start order.
//
// # Compositions
//
// StartComposition checks the model's constraints and the user guide's rules (1..[MaxCompositionDestinations]
// destinations, at most one channel and one s3, channel xor s3 in each, exactly one encoder configuration per
// S3 destination, the ARNs of existing encoder and storage configurations, 404 for an unknown stage) and the
// quotas ([CompositionsQuota] running per account, [CompositionsPerStageQuota] per stage: 402). The same
// idempotencyToken returns the same composition while it is kept. Responses fill in the documented defaults
// (a grid layout with gridGap 2, videoAspectRatio VIDEO, videoFillMode COVER; pip's STATIC, BOTTOM_RIGHT,
// gridGap 0; HLS with targetSegmentDurationSeconds 2; thumbnails every 60 s, SEQUENTIAL). Each S3
// destination's detail.s3.recordingPrefix is <stage ID>/<composition ID>/<destination ID>/composite
// (the guide's example is inconsistent about the first segment; the fake's choice).
//
// Over the clock: STARTING, ACTIVE once the clock has moved past the start (Session Start, Destination Start
// per destination and events/recording-started.json, dated at the start); StopComposition makes it STOPPING,
// STOPPED once the clock has moved past the stop; it stops by itself [CompositionIdleTimeout] (60 s) after
// its stage last had a publisher (counted from the start when no one publishes then): Destination End per
// destination (an S3 destination writes media/hls/multivariant.m3u8, media/hls/<rendition>/playlist.m3u8 with
// segments, the thumbnails asked for and events/recording-ended.json), then Session End. DeleteStage ends its
// compositions at once as FAILED with a Session Failure, error_code StageDeleted (the guide's table lists that
// code; whether the service reports FAILED then is unconfirmed). [CompositionRetention] (5 minutes) after it
// ends, a composition is gone from GetComposition (404) and ListCompositions, and its idempotencyToken is
// forgotten. Destination failures and reconnects are not played. Events have detail-type
// [DetailTypeCompositionState], resources [composition ARN] and detail event_name, stage_arn, id (destination
// events) and error_code, reason (failures); they go through [Server.Events] and [Server.SQSMessages] like the
// others.
//
// Encoder configurations default to 1280×720, 30 fps, 2.5 Mbps; width and height 2..1920 and even, at most
// [MaxVideoPixels] pixels; [EncoderConfigurationsQuota] may exist; deleting one a running composition uses
// answers 409. Ingest configurations ([IngestConfigurationsQuota]) carry a streamKey shaped like the model's
// pattern and a participantId fixed at creation; RTMP requires insecureIngest true. [Server.ConnectIngest]
// plays a publisher connecting: ACTIVE, and a participant with protocol RTMP or RTMPS joins the stage and
// publishes; [Server.DisconnectIngest] ends it. UpdateIngestConfiguration and DeleteIngestConfiguration
// without force answer 409 while it is ACTIVE.
//
// # Event delivery
//
// [Server.SQSMessages] gives the events as a Lambda function reading an SQS queue (the target of an
// EventBridge rule) receives them: events.SQSMessage records of github.com/aws/aws-lambda-go, the body
// being the event JSON itself. By default each event is one message, in the order sent.
// [WithEventDelivery](duplicates, reorder) plays what EventBridge does at its worst, deterministically
// (the same run gives the same deliveries): taking the events in groups of three in the order sent, it
// delivers one event of each group twice (at least one event in every three) and shuffles each group's
// deliveries into an order other than the order sent. Feed the messages to the consumer under test, e.g.
// eventlambda.SQS(processor)(ctx, events.SQSEvent{Records: srv.SQSMessages()}).
//
// # Tests
//
// [Server.Requests] returns every request received (including rejected, failed and throttled ones) for
// assertions, with its operation name (also for the tag operations), path, query and body;
// [Server.MustAddStorageConfiguration] adds a storage configuration in one line; [Server.FailNext] injects
// faults; [WithRateLimit] throttles an operation like the service's TPS quotas; [Server.SetRecordingActive]
// makes recording updates conflict. A Server is safe for concurrent use.
package stagetest
