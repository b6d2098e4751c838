package stage

import (
	"context"
	"reflect"

	"github.com/aws/smithy-go"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/recording"
)

// opUpdateRecording names UpdateRecording in the *smithy.OperationError of its invalid input: it is the
// library's operation, made of GetStage, WaitRecordingIdle's calls and UpdateStage.
const (
	opUpdateRecording = "UpdateRecording"
	fieldChange       = "Change"
)

// UpdateRecording is the safe read-modify-write of a stage's recording settings. The official UpdateStage
// replaces the whole recording object, so an update that sends only the field it changes resets every
// other one to its default (the media type back to AUDIO_VIDEO, thumbnails off, …); and the service
// refuses any recording change with a 409 ConflictException while a participant is being recorded.
// UpdateRecording sends the whole object and waits for the moment the change is accepted:
//
//  1. It validates stageARN, change (not nil) and opts (the poll interval, as WaitRecordingIdle checks
//     it): a violation returns a smithy.InvalidParamsError (paths "UpdateRecording.StageArn",
//     "UpdateRecording.Change", "UpdateRecording.PollInterval") wrapped in *smithy.OperationError
//     (OperationName "UpdateRecording"), and nothing is sent.
//  2. Get (one GetStage request) reads the stage.
//  3. change is called once, with the Config that sends exactly what the stage has
//     (Stage.Recording.Config()); it returns the Config to send. A change that panics is not recovered:
//     the panic propagates to the caller, after the GetStage and before anything else is sent.
//  4. The result is validated as the UpdateStage input it becomes: invalid, it returns a
//     smithy.InvalidParamsError (paths like
//     "UpdateStageInput.AutoParticipantRecordingConfiguration.RecordingReconnectWindowSeconds") wrapped in
//     *smithy.OperationError (OperationName "UpdateRecording"), and nothing more is sent.
//  5. When the result would put on the wire exactly what the stage's own Config does (the same JSON
//     object, "recordParticipantReplicas": false included; compared by value, not by identity), nothing
//     more is sent and the stage as read is returned.
//  6. WaitRecordingIdle(ctx, stageARN, opts...) waits until nobody is being recorded (one GetStage, then
//     ListParticipants requests while the stage has an active session, every poll interval).
//  7. Update (one UpdateStage request) sends the whole recording object, every field set. On a 409
//     ConflictException (IsRecordingActiveConflict: someone started being recorded between the wait and
//     the update) it waits one poll interval, then goes back to step 6, until ctx ends; the same Config is
//     sent each time (change is not called again).
//
// It returns the stage as UpdateStage reported it. Every request is made through the client's own methods
// (Get, WaitRecordingIdle, Update), so it is paced as they are, and the SDK retries throttled (429) and
// 5xx answers itself; the read and the wait's first poll are two GetStage requests in a row. Errors: a request's error as the method returns it (*types.ResourceNotFoundException for an
// unknown stage, …). Once ctx ends while waiting, the *WaitError of WaitRecordingIdle: it wraps ctx.Err()
// and names who was still being recorded at the last poll that found someone. If ctx ends during the
// UpdateStage request, that request's error (wrapping ctx.Err()): the service may or may not have applied
// the change.
//
// What it cannot do: the service has no conditional update, so a change another writer makes between the
// GetStage and the UpdateStage (the wait may last as long as someone records) is overwritten by this
// one's Config, built from the earlier read.
func (c *Client) UpdateRecording(ctx context.Context, stageARN string, change func(recording.Config) recording.Config, opts ...WaitOption) (Stage, error) {
	o := resolveWait(opts)
	errs := smithy.InvalidParamsError{Context: opUpdateRecording}
	rules.StageArn.Check(&errs, fieldStageArn, stageARN)
	if change == nil {
		errs.Add(rules.New(fieldChange, rules.RuleRequired, "value is nil; a function that returns the new recording configuration is required"))
	}
	o.check(&errs)
	if err := invalid(opUpdateRecording, errs); err != nil {
		return Stage{}, err
	}

	st, err := c.Get(ctx, stageARN)
	if err != nil {
		return Stage{}, err
	}
	current := st.Recording.Config()
	u := NewUpdate().WithRecording(change(current))
	if _, _, err := u.input(stageARN); err != nil {
		return Stage{}, rules.OperationError(opUpdateRecording, err)
	}
	if sameWire(current, u) {
		return st, nil
	}
	for {
		if err := c.WaitRecordingIdle(ctx, stageARN, opts...); err != nil {
			return Stage{}, err
		}
		updated, err := c.Update(ctx, stageARN, u)
		if !IsRecordingActiveConflict(err) {
			if err != nil {
				return Stage{}, err
			}
			return updated, nil
		}
		// Someone is being recorded again: give the recording a poll interval before asking again (an
		// ended ctx is seen by the next wait, which then returns its *WaitError at once).
		_ = o.sleep(ctx, o.interval)
	}
}

// sameWire reports whether u sends the same recording object as current would: the same SDK value
// (pointers and slices compared by what they hold; nil and empty slices differ, as they do in JSON) and
// the same "recordParticipantReplicas": false added by the wire middleware. u holds a valid Config.
func sameWire(current recording.Config, u Update) bool {
	sdk, replicasFalse := convertRecording(current)
	return sdk != nil && replicasFalse == u.replicasFalse && reflect.DeepEqual(sdk, u.recSDK)
}
