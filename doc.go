// Package ivsrt is a typed, validating layer over the official Amazon IVS Real-Time client
// (github.com/aws/aws-sdk-go-v2/service/ivsrealtime) for backend services that run stages, issue
// participant tokens and record participants individually.
//
// It adds what the SDK leaves to the caller: builder-style option types that are immutable values; every
// constraint of the service's model (ranges, lengths in code points, patterns, enums, list sizes,
// uniqueness) and its documented cross-field rules checked before a request is sent, all violations at
// once, as the SDK's own smithy.InvalidParamsError; the service's defaults and limits as exported constants;
// durations as time.Duration; and a wire fix so that recording.Config.WithRecordReplicas(false) really sends
// "recordParticipantReplicas": false, which the official client drops.
//
// The packages:
//
//   - [github.com/ivsrt/ivsrt/recording]: individual participant recording (autoParticipantRecordingConfiguration,
//     including recordingReconnectWindowSeconds) with Effective settings and defaults; storage configurations
//     (where recordings go); where each recording lands in S3 (Location) and its metadata files.
//   - [github.com/ivsrt/ivsrt/token]: participant token configurations and tokens whose bearer string never
//     reaches a log line; self-signed tokens.
//   - [github.com/ivsrt/ivsrt/stage]: the stage client (create, get, update, delete, list), composing both;
//     sessions, participants, their events, disconnect, replication, tags, and waiting for recording to be
//     idle before a settings change.
//   - [github.com/ivsrt/ivsrt/stage/event]: the EventBridge events of recordings and stage updates, parsed;
//     a Processor that runs a handler once per event, with its DynamoDB store
//     ([github.com/ivsrt/ivsrt/stage/event/eventdb]) and Lambda entry points
//     ([github.com/ivsrt/ivsrt/stage/event/eventlambda]).
//   - [github.com/ivsrt/ivsrt/stage/stagetest]: an in-memory IVS Real-Time service for tests, which also
//     plays participants joining and publishing, and writes their recordings and events, on a clock the test
//     moves.
//
// Each package's doc is its guide, in the same order: overview and example, values, client, errors, limits
// and quotas, performance (go doc -all ./stage). The recording guide is package recording's.
//
// A short example:
//
//	rec := recording.New(storageConfigurationARN).WithReconnectWindow(time.Minute)
//	if err := rec.Validate(); err != nil {
//		// smithy.InvalidParamsError: e.g. "value 301 is out of range 0..300,
//		// AutoParticipantRecordingConfiguration.RecordingReconnectWindowSeconds."
//	}
//	viewer := token.New().WithCapabilities(token.Subscribe).WithDuration(2 * time.Hour)
package ivsrt
