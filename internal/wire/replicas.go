package wire

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// RecordReplicasFalseID is the ID of the serialize-step middleware added by AddRecordReplicasFalse.
const RecordReplicasFalseID = "ivsrt.RecordParticipantReplicasFalse"

const (
	recordingKey = "autoParticipantRecordingConfiguration"
	replicasKey  = "recordParticipantReplicas"
)

// AddRecordReplicasFalse adds, right after the SDK's operation serializer, a middleware that writes
// "recordParticipantReplicas": false into the request's autoParticipantRecordingConfiguration object.
// Use it as a per-call APIOptions entry of CreateStage or UpdateStage.
func AddRecordReplicasFalse(stack *middleware.Stack) error {
	return stack.Serialize.Insert(recordReplicasFalse{}, "OperationSerializer", middleware.After)
}

type recordReplicasFalse struct{}

func (recordReplicasFalse) ID() string { return RecordReplicasFalseID }

func (recordReplicasFalse) HandleSerialize(ctx context.Context, in middleware.SerializeInput, next middleware.SerializeHandler) (
	middleware.SerializeOutput, middleware.Metadata, error,
) {
	req, ok := in.Request.(*smithyhttp.Request)
	if !ok {
		return middleware.SerializeOutput{}, middleware.Metadata{}, &smithy.SerializationError{Err: fmt.Errorf("unknown transport type %T", in.Request)}
	}
	var body []byte
	if s := req.GetStream(); s != nil {
		var err error
		if body, err = io.ReadAll(s); err != nil {
			return middleware.SerializeOutput{}, middleware.Metadata{}, &smithy.SerializationError{Err: err}
		}
	}
	patched, err := SetRecordReplicasFalse(body)
	if err != nil {
		return middleware.SerializeOutput{}, middleware.Metadata{}, &smithy.SerializationError{Err: err}
	}
	if req, err = req.SetStream(bytes.NewReader(patched)); err != nil {
		return middleware.SerializeOutput{}, middleware.Metadata{}, &smithy.SerializationError{Err: err}
	}
	in.Request = req
	return next.HandleSerialize(ctx, in)
}

// SetRecordReplicasFalse returns body with autoParticipantRecordingConfiguration.recordParticipantReplicas
// set to false. The body must hold that object: asking for false without a recording configuration is a
// programming error, reported rather than ignored.
func SetRecordReplicasFalse(body []byte) ([]byte, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return nil, fmt.Errorf("recordParticipantReplicas=false: request body is not a JSON object: %w", err)
	}
	raw, ok := top[recordingKey]
	if !ok {
		return nil, fmt.Errorf("recordParticipantReplicas=false: request has no %s", recordingKey)
	}
	var rec map[string]json.RawMessage
	if err := json.Unmarshal(raw, &rec); err != nil || rec == nil {
		return nil, fmt.Errorf("recordParticipantReplicas=false: %s is not a JSON object", recordingKey)
	}
	rec[replicasKey] = json.RawMessage("false")
	var err error
	if top[recordingKey], err = json.Marshal(rec); err != nil {
		return nil, err
	}
	return json.Marshal(top)
}
