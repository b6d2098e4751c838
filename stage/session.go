package stage

import (
	"context"
	"errors"
	"iter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/svc"
)

// ErrNoSession is the error (wrapped in *smithy.OperationError) of a GetStageSession response that holds
// no session.
var ErrNoSession = errors.New("stage: the response holds no session")

// ErrNoParticipant is the error (wrapped in *smithy.OperationError) of a GetParticipant response that
// holds no participant.
var ErrNoParticipant = errors.New("stage: the response holds no participant")

// Session is a stage session: it begins when the first participant joins the stage and ends a while after
// the last one leaves (the service keeps it a few minutes after the last publisher stops). Stage's
// ActiveSessionID names the active one.
type Session struct {
	// ID is the session's ID: st-<13 alphanumerics>.
	ID string
	// Start is when the session began; End when it ended, the zero time while it is active. Both are in
	// UTC, whatever zone offset the response had; a time the service omits is the zero time.
	Start, End time.Time
}

// Active reports whether the session has not ended: it has an ID and no End.
func (s Session) Active() bool { return s.ID != "" && s.End.IsZero() }

// Sessions returns an iterator over the sessions of a stage, in the service's order, sending
// ListStageSessions requests as the iteration needs them (as List does).
//
// stageARN and opts (WithPageSize 1..100; no filter) are validated before the first request. Start and
// End are in UTC.
func (c *Client) Sessions(ctx context.Context, stageARN string, opts ...ListOption) iter.Seq2[Session, error] {
	o := resolveList(opts)
	errs := smithy.InvalidParamsError{Context: listSessionsInput}
	rules.StageArn.Check(&errs, fieldStageArn, stageARN)
	maxResults := o.check(&errs, rules.MaxResults, false, opListSessions)
	return convert(svc.Seq(opListSessions, invalid(opListSessions, errs), func(next *string) ([]types.StageSessionSummary, *string, error) {
		out, err := c.api.ListStageSessions(ctx, &ivsrealtime.ListStageSessionsInput{
			StageArn: aws.String(stageARN), MaxResults: maxResults, NextToken: next,
		}, c.calls.Opts...)
		if err != nil || out == nil {
			return nil, nil, err
		}
		return out.StageSessions, out.NextToken, nil
	}), func(s *types.StageSessionSummary) Session {
		return Session{ID: aws.ToString(s.SessionId), Start: utc(s.StartTime), End: utc(s.EndTime)}
	})
}

// Session validates stageARN and sessionID (st-<13 alphanumerics>, exactly 16 code points) and sends one
// GetStageSession request. An unknown stage or session returns *types.ResourceNotFoundException (HTTP
// 404).
func (c *Client) Session(ctx context.Context, stageARN, sessionID string) (Session, error) {
	errs := smithy.InvalidParamsError{Context: getSessionInput}
	rules.StageArn.Check(&errs, fieldStageArn, stageARN)
	rules.SessionID.Check(&errs, fieldSessionID, sessionID)
	if err := invalid(opGetSession, errs); err != nil {
		return Session{}, err
	}
	out, err := c.api.GetStageSession(ctx, &ivsrealtime.GetStageSessionInput{
		StageArn: aws.String(stageARN), SessionId: aws.String(sessionID),
	}, c.calls.Opts...)
	if err != nil {
		return Session{}, svc.Err(err)
	}
	if out == nil || out.StageSession == nil {
		return Session{}, rules.OperationError(opGetSession, ErrNoSession)
	}
	s := out.StageSession
	return Session{ID: aws.ToString(s.SessionId), Start: utc(s.StartTime), End: utc(s.EndTime)}, nil
}

// utc returns *t in UTC, or the zero time when t is nil (the service omitted it).
func utc(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}
