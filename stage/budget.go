package stage

import (
	"golang.org/x/time/rate"

	"github.com/ivsrt/ivsrt/token"
)

// operationRates is the default pace of each operation the Client calls: the service's quota
// (RequestsPerSecond, 5 per second; TagRequestsPerSecond, 10, for the tag operations). The quotas page
// lists no rate of its own for the participant events and replication operations; they are paced at
// RequestsPerSecond like the other stage operations.
var operationRates = map[string]rate.Limit{
	opCreate: RequestsPerSecond, opGet: RequestsPerSecond, opUpdate: RequestsPerSecond,
	opDelete: RequestsPerSecond, opList: RequestsPerSecond,
	opGetSession: RequestsPerSecond, opListSessions: RequestsPerSecond,
	opGetParticipant: RequestsPerSecond, opListParticipants: RequestsPerSecond,
	opDisconnect: RequestsPerSecond, opListEvents: RequestsPerSecond,
	opStartReplication: RequestsPerSecond, opStopReplication: RequestsPerSecond, opListReplicas: RequestsPerSecond,
	opTag: TagRequestsPerSecond, opUntag: TagRequestsPerSecond, opListTags: TagRequestsPerSecond,
	opCreateToken: token.CreateRequestsPerSecond,
}

// WithLimiter returns a Client on the same API whose calls of operation (the SDK's name, e.g.
// "DeleteStage") wait for l instead of c's limiter for it; nil paces that operation not at all. Every other
// operation keeps c's limiter, shared with c. An operation the Client does not call is accepted and changes
// nothing. c itself is unchanged. See "Budgets" in the package doc.
func (c *Client) WithLimiter(operation string, l *rate.Limiter) *Client {
	return &Client{api: c.api, calls: c.calls.WithLimiter(operation, l), keys: c.keys}
}

// Limiter returns the limiter that paces c's calls of operation (the SDK's name): the one NewClient made
// (at the operation's quota, burst 1) or the one given to WithLimiter; nil when the operation is not paced
// or not one the Client calls. It is the limiter itself: its SetLimit and SetBurst change the pace of every
// client that shares it.
func (c *Client) Limiter(operation string) *rate.Limiter { return c.calls.Limiter(operation) }
