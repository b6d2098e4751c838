// Package stage manages Amazon IVS Real-Time stages through the official aws-sdk-go-v2 client: it creates,
// reads, updates, deletes and lists stages, shows who is on them (sessions, participants, their events),
// moderates (disconnects), replicates participants between stages, tags resources and waits for recording
// to stop, validating every input against the service's model before anything is sent.
//
//	stages := stage.NewClientFromConfig(cfg) // cfg: an aws.Config, e.g. from config.LoadDefaultConfig
//	st, tokens, err := stages.Create(ctx, stage.New().
//		WithName("town-hall").
//		WithTag("team", "events").
//		WithRecording(recording.New(storageARN).WithReconnectWindow(time.Minute)).
//		WithParticipants(token.New().WithUserID("host"), token.New().WithUserID("guest")))
//	if err != nil { … } // invalid input: smithy.InvalidParamsError in *smithy.OperationError, nothing sent
//	fmt.Println(st.ID(), st.Endpoints.WHIP, tokens[0].Value())
//
//	st, err = stages.Get(ctx, st.ARN)
//	for p, err := range stages.Participants(ctx, st.ARN, st.ActiveSessionID, stage.FilterPublished()) {
//		fmt.Println(p.UserID, p.State, p.Recording)
//	}
//	err = stages.Disconnect(ctx, st.ARN, participantID, "spamming the chat")
//
//	err = stages.WaitRecordingIdle(ctx, st.ARN) // then the recording configuration can change
//	st, err = stages.Update(ctx, st.ARN, stage.NewUpdate().
//		WithRecording(st.Recording.Config().WithReconnectWindow(2*time.Minute)))
//
// # Values
//
// Config (what to create), Update (what to change) and Replication (a replication to start) are immutable
// values: every With… returns a copy and copies the maps and slices it is given, so one value can serve as
// a template shared between goroutines. Validate reports every violation at once as a
// smithy.InvalidParamsError whose paths are the SDK's Go field names
// ("CreateStageInput.ParticipantTokenConfigurations[3].Duration"), exactly as the Client reports them.
// Unset parts are not sent, and the service applies its defaults.
//
// # Client
//
// Client maps each method to one call of the official client; the SDK signs, retries and resolves
// endpoints. Invalid input makes no request and returns the smithy.InvalidParamsError wrapped in
// *smithy.OperationError, as the SDK wraps its own validation errors. Service errors keep the SDK's types
// (use errors.As with *types.ResourceNotFoundException, *types.ConflictException,
// *types.ServiceQuotaExceededException and the other types of
// github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types), with their Message filled from the service's
// exceptionMessage, so err.Error() ends with the service's words. WithOptions derives a client that passes
// per-call SDK options (a RetryMaxAttempts, a middleware) to every call, the iterators' pages included.
//
// The service's quotas, per account and region, none adjustable (RequestsPerSecond, TagRequestsPerSecond);
// a throttled call answers HTTP 429, which the SDK's standard retryer retries:
//
//	method                         operation                        quota
//	Create, Get, Update,           CreateStage, GetStage,           5 requests per second each
//	Delete, List                   UpdateStage, DeleteStage,
//	                               ListStages
//	Sessions, Session              ListStageSessions,               5 requests per second each
//	                               GetStageSession
//	Participants, Participant      ListParticipants, GetParticipant 5 requests per second each
//	Disconnect                     DisconnectParticipant            5 requests per second
//	ParticipantEvents              ListParticipantEvents            5 requests per second
//	StartReplication,              StartParticipantReplication,     5 requests per second each
//	StopReplication, Replicas      StopParticipantReplication,
//	                               ListParticipantReplicas
//	Tag, Untag                     TagResource, UntagResource       10 requests per second each
//	WaitRecordingIdle              GetStage, ListParticipants       stays within 5 per second of each
//
// The iterators (List, Sessions, Participants, ParticipantEvents, Replicas) send one request per page as the
// range loop needs it, following nextToken, and stop when the loop stops. WithPageSize sets the page size
// (1..100; 1..50 for Replicas).
//
// Limits and defaults are named Max<Thing>, Min<Thing> and Default<Thing> (MaxTags, MinPageSize,
// DefaultPollInterval), a service quota Max<Thing> when it cannot be raised (MaxReplicationsPerParticipant)
// and <Thing>Quota when it can, an exact length <Thing>Length (SessionIDLength), a request-rate quota
// <Operations>RequestsPerSecond (RequestsPerSecond for most operations, TagRequestsPerSecond), and a limit
// package token or recording exports too has the same name there (MaxUserIDLength, MaxAttributesSize,
// MaxTags, MaxPageSize).
//
// # Sessions and participants
//
// A stage session begins when the first participant joins and ends a while after the last one leaves;
// Stage.ActiveSessionID names the active one. Participants lists a session's participants with their
// state, whether they published and their recording state; at most one filter per request (FilterUserID,
// FilterPublished, FilterState, FilterRecordingState): two filters, or a filter given to another iterator,
// is a validation error. Participant adds the token's attributes, the client's software and
// RecordingLocation, where the participant is recorded in S3 (output fields are never checked against the
// model's patterns: the model's pattern for the S3 prefix forbids the '/' real prefixes hold).
// ParticipantEvents tells why a join or publish failed (JOIN_ERROR, PUBLISH_ERROR with an ErrorCode).
//
// Disconnect removes a participant; its token can never join again. StartReplication makes a connected
// participant appear in another stage as a replica (at most MaxReplicationsPerParticipant stages at once);
// Replicas lists the replications and StopReplication ends one. Tag and Untag work on any IVS Real-Time
// ARN (stages, storage configurations, public keys).
//
// # Recording configuration changes
//
// Two behaviours of the service are worth knowing. UpdateStage replaces the whole recording configuration:
// fields the new one leaves unset return to their defaults, and recording.Disabled() resets them all, so
// derive the new configuration from the stage's (Stage.Recording.Config()). And a recording change while
// any participant is being recorded fails with a ConflictException (IsRecordingActiveConflict):
// WaitRecordingIdle polls until nobody is, and a loop on IsRecordingActiveConflict closes the race with a
// publisher who starts in between (see its example).
//
// WithRecordReplicas(false) on a recording configuration reaches the wire as "recordParticipantReplicas":
// false on CreateStage and UpdateStage, although the official client v1.30.0 drops a false value.
//
// To test code that uses a Client, give NewClientFromConfig an aws.Config whose HTTPClient is an
// httpmock.MockTransport (see the examples), or use the in-memory service of package stage/stagetest, which
// also plays participants joining, publishing and being recorded.
package stage
