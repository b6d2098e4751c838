// Package stage creates, reads, updates, deletes and lists Amazon IVS Real-Time stages through the official
// aws-sdk-go-v2 client, validating every input against the service's model before anything is sent.
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
//	st, err = stages.Update(ctx, st.ARN, stage.NewUpdate().
//		WithRecording(recording.New(storageARN).WithReconnectWindow(2*time.Minute)))
//
//	for s, err := range stages.List(ctx, stage.WithPageSize(100)) { … }
//
// # Values
//
// Config (what to create) and Update (what to change) are immutable values: every With… returns a copy and
// copies the maps and slices it is given, so one value can serve as a template shared between goroutines.
// Validate reports every violation at once as a smithy.InvalidParamsError whose paths are the SDK's Go field
// names ("CreateStageInput.ParticipantTokenConfigurations[3].Duration"), exactly as the Client reports them.
// Unset parts are not sent, and the service applies its defaults.
//
// # Client
//
// Client maps each method to one call of the official client (CreateStage, GetStage, UpdateStage,
// DeleteStage, ListStages); the SDK signs, retries and resolves endpoints. Invalid input makes no request
// and returns the smithy.InvalidParamsError wrapped in *smithy.OperationError, as the SDK wraps its own
// validation errors. Service errors are returned unchanged: use errors.As with *types.ResourceNotFoundException,
// *types.ConflictException, *types.ServiceQuotaExceededException and the other types of
// github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types. The service allows RequestsPerSecond (5) calls of
// each stage operation per account and region.
//
// Two behaviours of the service are worth knowing. UpdateStage replaces the whole recording configuration:
// fields the new one leaves unset return to their defaults, and recording.Disabled() resets them all. And a
// recording change while recording is active fails with a ConflictException (IsRecordingActiveConflict).
//
// WithRecordReplicas(false) on a recording configuration reaches the wire as "recordParticipantReplicas":
// false on CreateStage and UpdateStage, although the official client v1.30.0 drops a false value.
//
// To test code that uses a Client, give NewClientFromConfig an aws.Config whose HTTPClient is an
// httpmock.MockTransport (see the examples), or use the in-memory service of package stage/stagetest.
package stage
