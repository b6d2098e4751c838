// Package wire holds what the library does to JSON on the wire that the official client
// (aws-sdk-go-v2 service/ivsrealtime v1.30.0) or encoding/json does not do right.
//
// # recordParticipantReplicas, both ways
//
// The official client models autoParticipantRecordingConfiguration.recordParticipantReplicas as a plain
// bool, although the service documents it as true by default. So it cannot write false (it serializes the
// member only when true), and it cannot tell a response that omits the member from one that says false (it
// decodes both as false). Two sets of middleware repair this, on the calls that carry the member:
//
//   - AddRecordReplicasFalse, a serialize-step middleware right after the SDK's "OperationSerializer", writes
//     "recordParticipantReplicas": false into the request of a CreateStage or UpdateStage that asks for it.
//   - AddRecordReplicasDefault adds two deserialize-step middlewares to a CreateStage, GetStage or
//     UpdateStage call. The first, inside the SDK's "OperationDeserializer", reads the raw body of a 2xx
//     response, decodes it as the SDK does to see whether the stage's recording configuration holds the
//     member (RecordReplicasAbsent: a real decode, so the name inside a tag value is not the member), gives
//     the same bytes back to the SDK and records the answer in the middleware metadata. The second, outside
//     the "OperationDeserializer", sets the decoded output's RecordParticipantReplicas to true when the
//     member was absent. A stage read through them never reports replica recording off unless the service
//     said so, so a read-modify-write (recording.Settings.Config) sends back what the stage holds.
//
// stage.Client registers AddRecordReplicasDefault on every Create, Get and Update, and AddRecordReplicasFalse
// on the Create and Update that send false.
//
// # Text that decodes faithfully
//
// encoding/json accepts invalid UTF-8 and \u escapes of unpaired surrogates and decodes both as U+FFFD
// without an error, keeps the last of two members with the same name (merging them when they are objects),
// and matches member names to struct fields ignoring case. CheckText finds what would be misread after a
// decode: a string that does not decode to what was sent, and a member given twice in the objects the
// caller describes (Object). recording.ParseMetadata and event.Parse refuse both.
package wire
