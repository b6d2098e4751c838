package stage_test

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
)

// nilAPI answers every call with a nil output and no error: a response that holds nothing.
type nilAPI struct{}

func (nilAPI) CreateStage(context.Context, *ivsrealtime.CreateStageInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.CreateStageOutput, error) {
	return nil, nil
}

func (nilAPI) GetStage(context.Context, *ivsrealtime.GetStageInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.GetStageOutput, error) {
	return nil, nil
}

func (nilAPI) UpdateStage(context.Context, *ivsrealtime.UpdateStageInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.UpdateStageOutput, error) {
	return nil, nil
}

func (nilAPI) DeleteStage(context.Context, *ivsrealtime.DeleteStageInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.DeleteStageOutput, error) {
	return nil, nil
}

func (nilAPI) ListStages(context.Context, *ivsrealtime.ListStagesInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.ListStagesOutput, error) {
	return nil, nil
}

func (nilAPI) GetStageSession(context.Context, *ivsrealtime.GetStageSessionInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.GetStageSessionOutput, error) {
	return nil, nil
}

func (nilAPI) ListStageSessions(context.Context, *ivsrealtime.ListStageSessionsInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.ListStageSessionsOutput, error) {
	return nil, nil
}

func (nilAPI) GetParticipant(context.Context, *ivsrealtime.GetParticipantInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.GetParticipantOutput, error) {
	return nil, nil
}

func (nilAPI) ListParticipants(context.Context, *ivsrealtime.ListParticipantsInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.ListParticipantsOutput, error) {
	return nil, nil
}

func (nilAPI) DisconnectParticipant(context.Context, *ivsrealtime.DisconnectParticipantInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.DisconnectParticipantOutput, error) {
	return nil, nil
}

func (nilAPI) ListParticipantEvents(context.Context, *ivsrealtime.ListParticipantEventsInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.ListParticipantEventsOutput, error) {
	return nil, nil
}

func (nilAPI) StartParticipantReplication(context.Context, *ivsrealtime.StartParticipantReplicationInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.StartParticipantReplicationOutput, error) {
	return nil, nil
}

func (nilAPI) StopParticipantReplication(context.Context, *ivsrealtime.StopParticipantReplicationInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.StopParticipantReplicationOutput, error) {
	return nil, nil
}

func (nilAPI) ListParticipantReplicas(context.Context, *ivsrealtime.ListParticipantReplicasInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.ListParticipantReplicasOutput, error) {
	return nil, nil
}

func (nilAPI) TagResource(context.Context, *ivsrealtime.TagResourceInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.TagResourceOutput, error) {
	return nil, nil
}

func (nilAPI) UntagResource(context.Context, *ivsrealtime.UntagResourceInput, ...func(*ivsrealtime.Options)) (*ivsrealtime.UntagResourceOutput, error) {
	return nil, nil
}
