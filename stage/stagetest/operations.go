package stagetest

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// operations is the one table of what the server serves: one line per operation, grouped by resource, each
// naming the operation as the SDK does, its restJson1 route and its handler (in the file named after the
// resource). The package doc's list of operations is checked against it (operations_test.go), and so are
// the API interfaces of the stage, token and recording packages: adding an operation is a handler and a
// line here (see "Adding an operation" in the package doc).
var operations = []operation{
	// Stages (stages.go).
	rpc("CreateStage", (*Server).createStage),
	rpc("GetStage", (*Server).getStage),
	rpc("UpdateStage", (*Server).updateStage),
	rpc("DeleteStage", (*Server).deleteStage),
	rpc("ListStages", (*Server).listStages),

	// Participant tokens (tokens.go).
	rpc("CreateParticipantToken", (*Server).createParticipantToken),

	// Public keys (keys.go).
	rpc("ImportPublicKey", (*Server).importPublicKey),
	rpc("GetPublicKey", (*Server).getPublicKey),
	rpc("ListPublicKeys", (*Server).listPublicKeys),
	rpc("DeletePublicKey", (*Server).deletePublicKey),

	// Storage configurations (storage.go).
	rpc("CreateStorageConfiguration", (*Server).createStorageConfiguration),
	rpc("GetStorageConfiguration", (*Server).getStorageConfiguration),
	rpc("ListStorageConfigurations", (*Server).listStorageConfigurations),
	rpc("DeleteStorageConfiguration", (*Server).deleteStorageConfiguration),

	// Stage sessions (sessions.go).
	rpc("GetStageSession", (*Server).getStageSession),
	rpc("ListStageSessions", (*Server).listStageSessions),

	// Participants (participants.go).
	rpc("GetParticipant", (*Server).getParticipant),
	rpc("ListParticipants", (*Server).listParticipants),
	rpc("ListParticipantEvents", (*Server).listParticipantEvents),
	rpc("DisconnectParticipant", (*Server).disconnectParticipant),

	// Participant replication (replication.go).
	rpc("StartParticipantReplication", (*Server).startParticipantReplication),
	rpc("StopParticipantReplication", (*Server).stopParticipantReplication),
	rpc("ListParticipantReplicas", (*Server).listParticipantReplicas),

	// Compositions (compositions.go; the simulation in sim_compositions.go).
	rpc("StartComposition", (*Server).startComposition),
	rpc("GetComposition", (*Server).getComposition),
	rpc("ListCompositions", (*Server).listCompositions),
	rpc("StopComposition", (*Server).stopComposition),

	// Encoder configurations (encoders.go).
	rpc("CreateEncoderConfiguration", (*Server).createEncoderConfiguration),
	rpc("GetEncoderConfiguration", (*Server).getEncoderConfiguration),
	rpc("ListEncoderConfigurations", (*Server).listEncoderConfigurations),
	rpc("DeleteEncoderConfiguration", (*Server).deleteEncoderConfiguration),

	// Ingest configurations (ingests.go; ConnectIngest and DisconnectIngest in sim_compositions.go).
	rpc("CreateIngestConfiguration", (*Server).createIngestConfiguration),
	rpc("GetIngestConfiguration", (*Server).getIngestConfiguration),
	rpc("ListIngestConfigurations", (*Server).listIngestConfigurations),
	rpc("UpdateIngestConfiguration", (*Server).updateIngestConfiguration),
	rpc("DeleteIngestConfiguration", (*Server).deleteIngestConfiguration),

	// Tags (tags.go): the only operations routed by HTTP method on the resource's ARN.
	rest("TagResource", http.MethodPost, "/tags/{resourceArn}", nil, (*Server).tagResource),
	rest("UntagResource", http.MethodDelete, "/tags/{resourceArn}", []string{"tagKeys"}, (*Server).untagResource),
	rest("ListTagsForResource", http.MethodGet, "/tags/{resourceArn}", nil, (*Server).listTagsForResource),
}

// handler answers one operation's request, whose members (the JSON body's, and those bound to the URL) are
// in body; now is the server's clock at the request. It runs with s.mu held.
type handler func(s *Server, body object, now time.Time) response

// operation is one line of [operations].
type operation struct {
	// name is the SDK's operation name: what [Request.Operation] reports and what [Server.FailNext],
	// [Server.LoseNextResponse] and [WithRateLimit] take.
	name string
	// method is the HTTP method of the operation's route (the model's @http trait).
	method string
	// path is the route's URL path: a literal ("/CreateStage"), or a literal prefix and one label that
	// takes the rest of the path, percent-decoded ("/tags/{resourceArn}"), which prefix and label split.
	path, prefix, label string
	// query lists the members bound to the URL query (@httpQuery), each a list of strings; a member absent
	// from the query is bound as absent, so the body cannot supply it.
	query []string
	// handle answers the operation.
	handle handler
}

// rpc is a line of the table for an operation that restJson1 routes as POST /<name> with a JSON body: every
// IVS Real-Time operation but the tag operations.
func rpc(name string, h handler) operation {
	return operation{name: name, method: http.MethodPost, path: "/" + name, handle: h}
}

// rest is a line of the table for an operation with a route of its own: method, a path ending in at most
// one {label}, and the members bound to the query. It panics on a path with another shape, which the
// table's tests catch at once.
func rest(name, method, path string, query []string, h handler) operation {
	op := operation{name: name, method: method, path: path, query: query, handle: h}
	if prefix, label, hasLabel := strings.Cut(path, "{"); hasLabel {
		label, closed := strings.CutSuffix(label, "}")
		if !closed || label == "" || strings.ContainsAny(label, "{}/") {
			panic(fmt.Sprintf("stagetest: operation %s: path %q must end with its only {label}", name, path))
		}
		op.prefix, op.label = prefix, label
	}
	return op
}

// match reports whether a request of method to u is a request of op, and returns the members bound to the
// URL (nil when op binds none).
func (op *operation) match(method string, u *url.URL) (object, bool) {
	if method != op.method {
		return nil, false
	}
	if op.label == "" {
		return nil, u.Path == op.path
	}
	escaped, isOp := strings.CutPrefix(u.EscapedPath(), op.prefix)
	if !isOp {
		return nil, false
	}
	value, err := url.PathUnescape(escaped)
	if err != nil {
		value = escaped // validation names it
	}
	bound := object{op.label: value}
	q := u.Query()
	for _, name := range op.query {
		bound[name] = nil
		if values, sent := q[name]; sent {
			l := make([]any, len(values))
			for i, v := range values {
				l[i] = v
			}
			bound[name] = l
		}
	}
	return bound, true
}

// route finds the operation a request is for, and the members its URL binds. A request that no route
// matches has no operation; it is named by its path without the leading "/" (what a client that meant
// POST /<name> would have sent), e.g. "GetStage" for GET /GetStage, which the server answers with an
// UnknownOperationException.
func route(method string, u *url.URL) (op *operation, name string, bound object) {
	for i := range operations {
		if bound, ok := operations[i].match(method, u); ok {
			return &operations[i], operations[i].name, bound
		}
	}
	return nil, strings.TrimPrefix(u.Path, "/"), nil
}

// Operations returns the names of the operations the server serves (the SDK's names, as [Request.Operation]
// reports them), in the order of its table, grouped by resource, in a new slice. Any other request answers
// HTTP 404 UnknownOperationException.
func Operations() []string {
	names := make([]string, len(operations))
	for i, op := range operations {
		names[i] = op.name
	}
	return names
}
