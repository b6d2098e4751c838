package token

import "golang.org/x/time/rate"

// operationRates is the default pace of the public-key operations: KeyRequestsPerSecond (3 per second)
// each. CreateParticipantToken has a limiter of its own (DefaultRate, DefaultBurst), which CreateMany
// shares.
var operationRates = map[string]rate.Limit{
	opImportKey: KeyRequestsPerSecond, opGetKey: KeyRequestsPerSecond,
	opListKeys: KeyRequestsPerSecond, opDeleteKey: KeyRequestsPerSecond,
}

// WithLimiter returns a Client on the same API whose calls of operation (the SDK's name, e.g.
// "ImportPublicKey" or "CreateParticipantToken") wait for l instead of c's limiter for it; nil paces that
// operation not at all. For "CreateParticipantToken", l paces Create and CreateMany's batches (unless a
// batch has a ManyOption limiter of its own). Every other operation keeps c's limiter, shared with c. An
// operation the Client does not call is accepted and changes nothing. c itself is unchanged. See
// "Budgets" in the package doc.
func (c *Client) WithLimiter(operation string, l *rate.Limiter) *Client {
	if operation == opCreate {
		return &Client{api: c.api, calls: c.calls, limiter: l}
	}
	return &Client{api: c.api, calls: c.calls.WithLimiter(operation, l), limiter: c.limiter}
}

// Limiter returns the limiter that paces c's calls of operation (the SDK's name): for
// "CreateParticipantToken", the one shared by Create and CreateMany (DefaultRate, DefaultBurst); for the
// public-key operations, one at KeyRequestsPerSecond, burst 1; or the one given to WithLimiter. nil when
// the operation is not paced or not one the Client calls. It is the limiter itself: its SetLimit and
// SetBurst change the pace of every client that shares it, and passing it to the ManyOption WithLimiter
// makes another client's batches share it.
func (c *Client) Limiter(operation string) *rate.Limiter {
	if operation == opCreate {
		return c.limiter
	}
	return c.calls.Limiter(operation)
}
