package stage_test

import (
	"io"
	"iter"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/stage"
)

const (
	sessionID      = "st-a1b2c3d4e5f6g" // 16 code points
	participantID  = "ABCDEfghij01234KLMN5678"
	destinationARN = "arn:aws:ivs:us-east-1:123456789012:stage/Destination1"
)

// collect runs seq to its end and returns what it yielded.
func collect[T any](seq iter.Seq2[T, error]) ([]T, []error) {
	var items []T
	var errs []error
	for v, err := range seq {
		items = append(items, v)
		errs = append(errs, err)
	}
	return items, errs
}

// firstErr runs seq and returns its first error (nil when it yields none).
func firstErr[T any](seq iter.Seq2[T, error]) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

// tagRequest is one request of a tag operation, which the SDK sends to /tags/{resourceArn}.
type tagRequest struct {
	Method      string
	ResourceARN string     // the path label, unescaped
	Query       url.Values // UntagResource's tagKeys
	Body        string
}

// tagRecorder records the tag requests a mock receives.
type tagRecorder struct {
	mu   sync.Mutex
	reqs []tagRequest
}

func (r *tagRecorder) requests() []tagRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]tagRequest(nil), r.reqs...)
}

var tagsURL = regexp.MustCompile(`^` + regexp.QuoteMeta(testutil.Endpoint) + `/tags/`)

// respondTags answers TagResource (POST) and UntagResource (DELETE) on mock with status and body (and the
// error type, for an error status), recording each request.
func respondTags(t *testing.T, mock *testutil.Mock, status int, body, errorType string) *tagRecorder {
	t.Helper()
	return respondTagsFunc(t, mock, func() (int, string, string) { return status, body, errorType })
}

// respondTagsFunc answers the tag operations with what fn returns (status, body, error type), recording
// each request.
func respondTagsFunc(t *testing.T, mock *testutil.Mock, fn func() (status int, body, errorType string)) *tagRecorder {
	t.Helper()
	rec := &tagRecorder{}
	responder := func(req *http.Request) (*http.Response, error) {
		var raw []byte
		if req.Body != nil { // DELETE has none
			var err error
			if raw, err = io.ReadAll(req.Body); err != nil {
				return nil, err
			}
		}
		arn, err := url.PathUnescape(strings.TrimPrefix(req.URL.EscapedPath(), "/tags/"))
		if err != nil {
			return nil, err
		}
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, tagRequest{Method: req.Method, ResourceARN: arn, Query: req.URL.Query(), Body: string(raw)})
		rec.mu.Unlock()
		status, body, errorType := fn()
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		if errorType != "" {
			resp.Header.Set("X-Amzn-Errortype", errorType)
		}
		return resp, nil
	}
	mock.Transport.RegisterRegexpResponder(http.MethodPost, tagsURL, responder)
	mock.Transport.RegisterRegexpResponder(http.MethodDelete, tagsURL, responder)
	return rec
}

// okBodies are the smallest valid success responses of the operations of stage.Client but the tag
// operations.
var okBodies = map[string]string{
	"CreateStage":                 minimalStage,
	"GetStage":                    minimalStage,
	"UpdateStage":                 minimalStage,
	"DeleteStage":                 `{}`,
	"ListStages":                  `{"stages": []}`,
	"GetStageSession":             `{"stageSession": {"sessionId": "` + sessionID + `"}}`,
	"ListStageSessions":           `{"stageSessions": []}`,
	"GetParticipant":              `{"participant": {"participantId": "` + participantID + `"}}`,
	"ListParticipants":            `{"participants": []}`,
	"DisconnectParticipant":       `{}`,
	"ListParticipantEvents":       `{"events": []}`,
	"StartParticipantReplication": `{}`,
	"StopParticipantReplication":  `{}`,
	"ListParticipantReplicas":     `{"replicas": []}`,
}

// respondAll answers every operation of stage.Client with the smallest valid success response.
func respondAll(t *testing.T, mock *testutil.Mock) *tagRecorder {
	t.Helper()
	for op, body := range okBodies {
		mock.Respond(op, 200, body)
	}
	return respondTags(t, mock, 200, `{}`, "")
}

// methods are one valid call of each method of stage.Client, by the operation it sends.
func methods() []struct {
	op   string
	call call
} {
	return []struct {
		op   string
		call call
	}{
		{"CreateStage", func(t *testing.T, c *stage.Client) error { _, _, err := c.Create(t.Context(), stage.New()); return err }},
		{"GetStage", func(t *testing.T, c *stage.Client) error { _, err := c.Get(t.Context(), stageARN); return err }},
		{"UpdateStage", func(t *testing.T, c *stage.Client) error {
			_, err := c.Update(t.Context(), stageARN, stage.NewUpdate().WithName("n"))
			return err
		}},
		{"DeleteStage", func(t *testing.T, c *stage.Client) error { return c.Delete(t.Context(), stageARN) }},
		{"ListStages", func(t *testing.T, c *stage.Client) error { return firstErr(c.List(t.Context())) }},
		{"GetStageSession", func(t *testing.T, c *stage.Client) error {
			_, err := c.Session(t.Context(), stageARN, sessionID)
			return err
		}},
		{"ListStageSessions", func(t *testing.T, c *stage.Client) error { return firstErr(c.Sessions(t.Context(), stageARN)) }},
		{"GetParticipant", func(t *testing.T, c *stage.Client) error {
			_, err := c.Participant(t.Context(), stageARN, sessionID, participantID)
			return err
		}},
		{"ListParticipants", func(t *testing.T, c *stage.Client) error {
			return firstErr(c.Participants(t.Context(), stageARN, sessionID))
		}},
		{"DisconnectParticipant", func(t *testing.T, c *stage.Client) error {
			return c.Disconnect(t.Context(), stageARN, participantID, "")
		}},
		{"ListParticipantEvents", func(t *testing.T, c *stage.Client) error {
			return firstErr(c.ParticipantEvents(t.Context(), stageARN, sessionID, participantID))
		}},
		{"StartParticipantReplication", func(t *testing.T, c *stage.Client) error {
			return c.StartReplication(t.Context(), stage.NewReplication(stageARN, destinationARN, participantID))
		}},
		{"StopParticipantReplication", func(t *testing.T, c *stage.Client) error {
			return c.StopReplication(t.Context(), stageARN, destinationARN, participantID)
		}},
		{"ListParticipantReplicas", func(t *testing.T, c *stage.Client) error {
			return firstErr(c.Replicas(t.Context(), stageARN, participantID))
		}},
		{"TagResource", func(t *testing.T, c *stage.Client) error {
			return c.Tag(t.Context(), stageARN, map[string]string{"k": "v"})
		}},
		{"UntagResource", func(t *testing.T, c *stage.Client) error { return c.Untag(t.Context(), stageARN, "k") }},
	}
}

// call is one call of a stage.Client method, reduced to its error (an iterator's first error).
type call func(t *testing.T, c *stage.Client) error

// newClient returns a client on mock.
func newClient(mock *testutil.Mock) *stage.Client { return stage.NewClientFromConfig(mock.Config()) }
