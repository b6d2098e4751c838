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
// endpoints, and the Client paces each operation at its quota (see Budgets). WithOptions derives a client
// that passes per-call SDK options (a RetryMaxAttempts, a middleware) to every call, the iterators' pages
// included.
//
// The iterators (List, Sessions, Participants, ParticipantEvents, Replicas) send one request per page as the
// range loop needs it, following nextToken, and stop when the loop stops. WithPageSize sets the page size
// (1..100; 1..50 for Replicas).
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
// Replicas lists the replications and StopReplication ends one. Tag, Untag and Tags (which reads a
// resource's tags) work on any IVS Real-Time ARN (stages, storage configurations, public keys).
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
// The 409 rule: while any participant of the stage's active session is recording (STARTING, ACTIVE or
// STOPPING, which lasts the reconnect window after the publisher leaves), UpdateStage refuses to change the
// recording configuration. WaitRecordingIdle polls GetStage and ListParticipants (WithPollInterval, default
// DefaultPollInterval, at least MinPollInterval, so each operation stays within its quota) until nobody is
// recording; it cannot stop a publisher from starting right after it returns, so UpdateRecording retries a
// 409 after another wait. Changing only the stage's name is not affected. The recording guide is package
// recording's doc.
//
// # Testing
//
// To test code that uses a Client, use the in-memory service of package stage/stagetest
// (NewClientFromConfig(srv.Config())), which also plays participants joining, publishing and being
// recorded; or give NewClientFromConfig an aws.Config whose HTTPClient is a per-test httpmock.MockTransport
// (ExampleNewClientFromConfig_httpmock). Every operation is POST
// https://ivsrealtime.<region>.amazonaws.com/<Operation> with a JSON body; an error answer carries its HTTP
// status, the header x-amzn-ErrorType: <Code> and the body {"exceptionMessage": "…"}.
//
// # Errors
//
// Every error of every method is a *smithy.OperationError naming the operation (the SDK's name, or the
// method's for the calls made of several: "UpdateRecording", "WaitRecordingIdle", "ActiveParticipants",
// "DisconnectUser"), as the SDK wraps its own:
//
//   - Invalid input makes no request and wraps a smithy.InvalidParamsError listing every violation, with
//     the SDK's Go field paths ("CreateStageInput.ParticipantTokenConfigurations[3].Duration"), the rule
//     and the value (a value that looks like a token or a key is only measured).
//   - Service errors keep the SDK's types: errors.As with *types.ResourceNotFoundException,
//     *types.ConflictException (IsRecordingActiveConflict for UpdateStage's 409),
//     *types.ServiceQuotaExceededException and the other types of
//     github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types. The seven modeled codes are typed whatever the
//     operation's model lists (a 500 from GetStage is *types.InternalServerException); other codes stay a
//     smithy.APIError with their code. A typed error's empty Message is filled from the service's
//     exceptionMessage, so err.Error() ends with the service's words. No field of an error holds a bearer
//     string or a stream key.
//   - A response without what the call needs fails with ErrNoStage, ErrNoSession, ErrNoParticipant or
//     ErrTokenCount; a repeated nextToken ends an iteration with an error naming the operation.
//   - A context that ends returns its error (context.DeadlineExceeded for a deadline), between pages too.
//
// # Limits and quotas
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
//	Tag, Untag, Tags               TagResource, UntagResource,      10 requests per second each
//	                               ListTagsForResource
//	WaitRecordingIdle              GetStage, ListParticipants       stays within 5 per second of each
//
// The limits of the inputs (the recording's are package recording's, the tokens' package token's):
//
//	what                          limit                                              constant
//	stage name                    ≤ 128, ^[a-zA-Z0-9-_]*$                            MaxNameLength
//	tags                          ≤ 50; key 1–128, value ≤ 256 code points           MaxTags, MaxTagKeyLength, MaxTagValueLength
//	participants at creation      ≤ 12                                               MaxParticipants
//	list page size                1–100, default 50 (Replicas: 1–50, default 50)     MinPageSize, MaxPageSize, DefaultPageSize, MaxReplicaPageSize
//	session ID                    exactly 16 code points, ^st-[a-zA-Z0-9]+$          SessionIDLength
//	participant ID                ≤ 64 code points, ^[a-zA-Z0-9-]*$ (Disconnect: _)  MaxParticipantIDLength
//	participant filters           one per Participants call; user ID ≤ 128;          MaxUserIDLength
//	                              recording state not DISABLED
//	disconnect reason             ≤ 128 code points, may be empty                    MaxDisconnectReasonLength
//	replication reconnect window  0–300 s, whole seconds, default 0                  MaxReplicationReconnectWindow
//	replication attributes        ≤ 1,024 bytes (sum of len(key)+len(value))         MaxAttributesSize
//	concurrent replications       ≤ 5 per participant (service quota)                MaxReplicationsPerParticipant
//	WaitRecordingIdle interval    ≥ 200 ms, default 2 s                              MinPollInterval, DefaultPollInterval
//
// Strings that are not valid UTF-8 are refused (rule utf8): the SDK would send U+FFFD in their place.
//
// Limits and defaults are named Max<Thing>, Min<Thing> and Default<Thing> (MaxTags, MinPageSize,
// DefaultPollInterval), a service quota Max<Thing> when it cannot be raised (MaxReplicationsPerParticipant)
// and <Thing>Quota when it can, an exact length <Thing>Length (SessionIDLength), a request-rate quota
// <Operations>RequestsPerSecond (RequestsPerSecond for most operations, TagRequestsPerSecond), and a limit
// package token or recording exports too has the same name there (MaxUserIDLength, MaxAttributesSize,
// MaxTags, MaxPageSize).
//
// # Budgets
//
// A Client paces each operation it calls with a *rate.Limiter of its own at the operation's quota, burst 1,
// shared by every client derived from it (WithOptions, WithLimiter); a call waits for its turn after the
// SDK's retry middleware, so retries wait too, and a loop of Deletes never meets a 429 of its own making.
// WithLimiter(operation, l) replaces the limiter of one operation (the SDK's name, "DeleteStage"; nil: not
// paced); Limiter(operation) returns it. A call whose turn comes after its context's deadline fails at
// once, wrapping context.DeadlineExceeded, with nothing sent; a context that ends while the call waits
// returns its error.
//
// There is no cross-process limiter in the library. The quotas are per account and region, so N processes
// each pacing at the full rate exceed them together: either give each of the N processes 1/N of the rate
// (WithLimiter("DeleteStage", rate.NewLimiter(5.0/N, 1))), or route the calls through one service that holds
// the client; and keep the SDK's retryer on (its default) for the 429s that remain. Pacing is a middleware
// of the official client, passed as a per-call option: a fake API given to NewClient is not paced.
//
// # Exactly-once creation
//
// CreateStage has no idempotency token: a create whose response is lost, retried, makes a second stage.
// Config.WithRequestKey(key) (1..128 code points) makes Create exactly-once for key: the stage is tagged
// TagRequestKey: key and TagCreatedAt: its creation time (RFC 3339, UTC; the two tags count against
// MaxTags, leaving 48 for yours), CreateStage goes out without the SDK's retries, and only after an
// ambiguous failure (a timeout, a broken connection, any 5xx: the stage may exist; never after a 4xx)
// does Create scan ListStages for the key before creating again, at most MaxCreateAttempts (3) creates
// in all. ListStages has no tag filter, so a scan reads every stage: pages of 100 at 5 requests per
// second, 10 pages and at least 2 s for 1,000 stages. A stage found is returned with its participants'
// tokens issued again (CreateParticipantToken, one request each): the lost tokens cannot be recovered.
// A first Create with a key costs what a Create without one costs.
//
// The guarantee: Creates of one key through one Client, and the clients derived from it (WithOptions,
// WithLimiter), which share its memory of keys, never leave two stages; concurrent ones run one at a time,
// and a key the client has created returns its stage (GetStage) without a CreateStage. Across processes
// (or separate Clients) nothing is shared: two that Create one key at the same time may both create, and
// a scan that runs before the other's stage is listed misses it. To avoid it, let one process create each
// key (derive the key from a unique event, e.g. the message ID of a queue delivery whose consumers are
// partitioned, and route each key to one consumer), or look for a stage with the key
// (List, Summary.Tags[TagRequestKey]) and delete the later duplicates by TagCreatedAt.
//
// # Sweeping idle stages
//
// Client.Sweep deletes the stages a process owns once they have been idle for a while: those carrying
// every tag given to Sweep.WithTag (at least one; a sweep never touches stages it does not own) whose last
// session ended at least WithIdleFor's duration ago (default DefaultSweepIdle, 24 h; idle ≥ d is deleted).
// A stage that never had a session is aged by its TagCreatedAt tag, which Create with a request key sets;
// without one it is kept. WithDryRun reports and deletes nothing; WithClock sets "now".
//
//	sweep := stage.NewSweep().WithTag("owner", "ci").WithIdleFor(6 * time.Hour)
//	for sw, err := range stages.Sweep(ctx, sweep) {
//		if err != nil { … } // invalid Sweep, a ListStages failure, or ctx ended
//		fmt.Println(sw.Stage.Name, sw.Deleted, sw.Reason, sw.Err) // Err: that stage's DeleteStage failed
//	}
//
// It lists every page first (ListStages, 100 a page), then per owned stage reads the newest session
// (ListStageSessions of 1; GetStageSession only when that summary has no end) and deletes: every call within
// its operation's budget, so the sweep goes at min over operations of rate / requests per stage, 5 owned
// stages per second by default (BenchmarkSweep).
//
// # Performance
//
// Every figure is a Go benchmark run side by side with its baseline in one run (sub-benchmarks
// impl=sdk|ivsrt, so -count interleaves them), compared with benchstat -col /impl, on a 2-core VM
// (linux/amd64, Go 1.26.8). Absolute times depend on the machine; the ratios are the figures to compare.
//
// Create of the full config (name, 10 tags, recording with every field, 12 participants with
// attributes) against the raw CreateStage of the same input, same mock transport: 255.0 µs vs 165.5 µs,
// 1.54× (n=8), 90.3 KiB vs 66.7 KiB; about a fifth of the time is the second read of the body that tells
// an absent recordParticipantReplicas from false (the 1.05× target is not met).
//
//	go test -run '^$' -bench '^BenchmarkCreateStage$' -benchmem -benchtime 300x -count 8 ./stage
//
// Measured again after the replicas probe stopped decoding bodies that read true: 206.8 µs vs 135.1 µs,
// 1.53× (n=5, this benchmark's response reads false, so it still decodes twice).
//
// UpdateRecording on an idle stage against the raw GetStage + UpdateStage pair on the same canned answers:
// 209.1 µs vs 122.2 µs, 1.71× (n=5); its idle check reads the stage a second time.
//
//	go test -run '^$' -bench '^BenchmarkUpdateRecording$' -benchmem -benchtime 1000x -count 5 ./stage
//
// Sweep of 1,000 stages on stagetest: 0.8 ListStageSessions and 0.8 DeleteStage per stage (1 page of
// ListStages per 100), so at the default budget it sweeps 5 owned stages a second, the rate of its slowest
// operation divided by that operation's requests per stage.
//
//	go test -run '^$' -bench '^BenchmarkSweep$' -benchmem -benchtime 2x ./stage
//
// Config.Validate of that config: 531 ns, 0 allocs.
//
//	go test -run '^$' -bench '^BenchmarkConfigValidate$' -benchmem ./stage
//
// Participants over 1,000 participants in pages of 100 against the raw ListParticipants paginator:
// 4.47 ms vs 4.18 ms, 1.07× (n=20, not significant; run alone 4.04 ms vs 4.37 ms); the same memory.
//
//	go test -run '^$' -bench '^BenchmarkParticipants$' -benchmem -cpu 1 -benchtime 300ms -count 20 ./stage
//
// WaitRecordingIdle against a stage being recorded, highest requests in any one second: 5
// ListParticipants and 2 GetStage at the 200 ms interval, within 5/s each.
//
//	go test -run '^$' -bench '^BenchmarkWaitRecordingIdleRate$' -count 3 ./stage
//
// Reliability, in go test -race ./... except the fuzzing runs: FuzzConfig, FuzzReplication and
// FuzzParticipantFilters check that whatever Validate accepts stagetest accepts and returns as asked, and
// whatever it rejects sends no request (go test -run '^$' -fuzz '^FuzzConfig$' -fuzztime 60s ./stage; CI
// runs each for 1,000 executions on the committed corpus); internal/faulttest injects 429, 500, 4xx, deadlines and
// cancellation into every method (go test ./internal/faulttest); internal/difftest checks the library's
// validation against stagetest's; one Client shared by 64 goroutines under -race gives every call its own
// result (TestEveryMethodConcurrentUse). At the last count: faulttest 15 tests and 540 passing tests and
// subtests over every method of the three clients (429 and 500 retried and applied once, 4xx typed and not
// retried, deadlines and cancellation between pages), difftest 224; one 60-second run of FuzzConfig
// 239,332 executions, FuzzReplication 37,098 and FuzzParticipantFilters 14,205 in shorter runs.
package stage
