package wire

import (
	"bytes"
	"context"
	"encoding/json"
	"io"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// The IDs of the two deserialize-step middlewares added by AddRecordReplicasDefault.
const (
	// RecordReplicasProbeID is the middleware inside the SDK's "OperationDeserializer": it reads the raw
	// response body, looks whether recordParticipantReplicas is there and gives the body back to the SDK.
	RecordReplicasProbeID = "ivsrt.RecordParticipantReplicasProbe"
	// RecordReplicasDefaultID is the middleware outside the SDK's "OperationDeserializer": it sets the
	// decoded output's RecordParticipantReplicas to true when the probe found the member absent.
	RecordReplicasDefaultID = "ivsrt.RecordParticipantReplicasDefault"
)

// operationDeserializer is the ID of the SDK's own deserializer of every operation.
const operationDeserializer = "OperationDeserializer"

// AddRecordReplicasDefault adds to a CreateStage, GetStage or UpdateStage call the two middlewares that read
// a stage whose autoParticipantRecordingConfiguration omits recordParticipantReplicas (or holds it as null)
// as the service documents it: true. The official client v1.30.0 decodes the member into a plain bool, so
// without them an absent member reads as false, and a read-modify-write of the stage would turn replica
// recording off.
//
// The probe runs inside the SDK's "OperationDeserializer" on a 2xx response: it reads the body whole, keeps
// the bytes for the second middleware (in a holder that middleware put in the call's context, never in the
// metadata the caller sees) and hands the same bytes back to the SDK. The second runs outside the
// "OperationDeserializer": only when the decoded stage has a recording configuration whose
// RecordParticipantReplicas is false does it decode the kept body (see RecordReplicasAbsent), and when the
// member was absent there it sets Stage.AutoParticipantRecordingConfiguration.RecordParticipantReplicas of
// the decoded *CreateStageOutput, *GetStageOutput or *UpdateStageOutput to true. A response that reads true,
// or has no recording configuration, costs no second decode. A member present as true or
// false, a stage without a recording configuration, an error response and a body the probe cannot read
// are left exactly as the SDK decodes them; a failure reading the body reaches the SDK unchanged.
//
// Adding it twice to one stack adds it once. Use it as a per-call APIOptions entry, or through
// ReadRecordReplicasDefault.
func AddRecordReplicasDefault(stack *middleware.Stack) error {
	if _, ok := stack.Deserialize.Get(RecordReplicasProbeID); ok {
		return nil
	}
	if err := stack.Deserialize.Insert(replicasProbe{}, operationDeserializer, middleware.After); err != nil {
		return err
	}
	return stack.Deserialize.Insert(replicasDefault{}, operationDeserializer, middleware.Before)
}

// ReadRecordReplicasDefault is the per-call option that adds AddRecordReplicasDefault to a call's stack:
// pass it to CreateStage, GetStage or UpdateStage.
func ReadRecordReplicasDefault(o *ivsrealtime.Options) {
	o.APIOptions = append(o.APIOptions, AddRecordReplicasDefault)
}

// bodyKey is the context key of the *[]byte in which the probe keeps a 2xx response's body for
// replicasDefault.
type bodyKey struct{}

type replicasProbe struct{}

func (replicasProbe) ID() string { return RecordReplicasProbeID }

func (replicasProbe) HandleDeserialize(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (
	out middleware.DeserializeOutput, md middleware.Metadata, err error,
) {
	out, md, err = next.HandleDeserialize(ctx, in)
	if err != nil {
		return out, md, err
	}
	resp, ok := out.RawResponse.(*smithyhttp.Response)
	if !ok || resp.Body == nil || resp.StatusCode < 200 || resp.StatusCode >= 300 {
		return out, md, nil // the SDK reports what it makes of it
	}
	body, readErr := io.ReadAll(resp.Body)
	var rest io.Reader = bytes.NewReader(body)
	if readErr != nil {
		// The SDK meets the failure where it would have, after the bytes that did arrive.
		rest = io.MultiReader(rest, failingReader{readErr})
	} else if kept, _ := ctx.Value(bodyKey{}).(*[]byte); kept != nil {
		*kept = body
	}
	// The original body stays the closer: the SDK's CloseResponseBody middleware closes it as before.
	resp.Body = readCloser{Reader: rest, Closer: resp.Body}
	return out, md, nil
}

type replicasDefault struct{}

func (replicasDefault) ID() string { return RecordReplicasDefaultID }

func (replicasDefault) HandleDeserialize(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (
	out middleware.DeserializeOutput, md middleware.Metadata, err error,
) {
	var body []byte
	out, md, err = next.HandleDeserialize(context.WithValue(ctx, bodyKey{}, &body), in)
	if err != nil {
		return out, md, err
	}
	if rec := recordingOf(out.Result); rec != nil && !rec.RecordParticipantReplicas && RecordReplicasAbsent(body) {
		rec.RecordParticipantReplicas = true
	}
	return out, md, nil
}

// recordingOf returns the recording configuration of a decoded stage output, nil for another output or a
// stage without one.
func recordingOf(result any) *types.AutoParticipantRecordingConfiguration {
	var st *types.Stage
	switch o := result.(type) {
	case *ivsrealtime.CreateStageOutput:
		st = o.Stage
	case *ivsrealtime.GetStageOutput:
		st = o.Stage
	case *ivsrealtime.UpdateStageOutput:
		st = o.Stage
	}
	if st == nil {
		return nil
	}
	return st.AutoParticipantRecordingConfiguration
}

// RecordReplicasAbsent reports whether body, the JSON of a CreateStage, GetStage or UpdateStage response,
// holds a stage whose autoParticipantRecordingConfiguration is an object without recordParticipantReplicas
// or with it as null: the cases the official client decodes as false although the member was not sent.
//
// It decodes the body as the official client does: member names match exactly (case included), the last
// of repeated members wins, and only the first JSON value of the body is read. A member name inside another
// value (a tag, a stage name) is not the member. It returns false for a body that is not such JSON, a stage
// or recording configuration that is absent, null or not an object, and a member of any other value.
func RecordReplicasAbsent(body []byte) bool {
	var top map[string]json.RawMessage
	if err := json.NewDecoder(bytes.NewReader(body)).Decode(&top); err != nil {
		return false
	}
	var st map[string]json.RawMessage
	if err := json.Unmarshal(top["stage"], &st); err != nil || st == nil {
		return false
	}
	var rec map[string]json.RawMessage
	if err := json.Unmarshal(st[recordingKey], &rec); err != nil || rec == nil {
		return false
	}
	v, ok := rec[replicasKey]
	return !ok || string(v) == "null"
}

type readCloser struct {
	io.Reader
	io.Closer
}

type failingReader struct{ err error }

func (r failingReader) Read([]byte) (int, error) { return 0, r.err }
