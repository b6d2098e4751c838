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
// ListStorageConfigurations, DeleteStorageConfiguration, TagResource, UntagResource and
// ListTagsForResource. Any other path, or a method other than the operation's, answers HTTP 404 with the
// error code UnknownOperationException.
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
//   - participant token attributes are at most [MaxTokenAttributesBytes] bytes in total, counted as the sum of
//     len(key)+len(value) over all entries;
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
//   - Stage responses always carry name ("" when none was set), activeSessionId (one per stage, given at
//     creation), tags ({} when none), endpoints (events, whip, rtmp, rtmps, shaped like the service's) and a
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
//   - ListStages and ListPublicKeys return pages of maxResults items (default [DefaultMaxResults]) in
//     creation order, with an opaque nextToken (base64url) while more items remain. A page starts at the
//     item the token names, so deleting earlier items does not shift later pages; a token the fake did not
//     issue for that operation is a ValidationException.
//
// Errors: 400 ValidationException, 402 ServiceQuotaExceededException (past [MaxStages] stages, see
// [WithStageQuota], [MaxPublicKeys] public keys, or [MaxStorageConfigurations] storage configurations, see
// [WithStorageQuota]), 404 ResourceNotFoundException (unknown stage, public key, storage configuration or
// tagged resource ARN), 409 ConflictException (see [Server.SetRecordingActive]; duplicate key material; a
// storage configuration still in use), 429
// ThrottlingException (see [WithRateLimit]), 404 UnknownOperationException, and whatever [Server.FailNext]
// injects. The body is {"exceptionMessage": "..."}; for error codes the service model does not define
// (ThrottlingException, UnknownOperationException, injected ones) it also carries "message", where the SDK
// looks for an unmodeled error's text. Every response has an x-amzn-RequestId header.
//
// # Tests
//
// [Server.Requests] returns every request received (including rejected, failed and throttled ones) for
// assertions, with its operation name (also for the tag operations), path, query and body;
// [Server.MustAddStorageConfiguration] adds a storage configuration in one line; [Server.FailNext] injects
// faults; [WithRateLimit] throttles an operation like the service's TPS quotas; [Server.SetRecordingActive]
// makes recording updates conflict. A Server is safe for concurrent use.
package stagetest
