package stage

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/smithy-go"

	"github.com/ivsrt/ivsrt/internal/rules"
)

// The library's operations on users, as their *smithy.OperationError names them: each is made of several
// calls (GetStage, ListParticipants, DisconnectParticipant).
const (
	opActiveParticipants = "ActiveParticipants"
	opDisconnectUser     = "DisconnectUser"
	fieldUserID          = "UserId"
)

// disconnectUserID is DisconnectUser's userID: the model's UserId (filterByUserId, at most 128 code
// points), but not empty.
var disconnectUserID = rules.String{Min: 1, Max: rules.UserIDMaxLength}

// ActiveParticipants returns an iterator over the participants of the stage's active session, in the
// service's order: Get (one GetStage request) finds the active session, then Participants lists it
// (ListParticipants requests as the iteration needs them, one per page). A stage with no active session
// yields nothing, not an error. Each iteration starts again with a GetStage.
//
// opts are Participants' options: WithPageSize (1..100; default: not sent, the service pages by 50) and at
// most one filter (FilterUserID, FilterPublished, FilterState or FilterRecordingState; default: none). The
// service allows one filter per request, so send the most selective one and apply the others to what comes
// back:
//
//	// Connected publishers: one filter sent, the other applied here.
//	for p, err := range stages.ActiveParticipants(ctx, arn, stage.FilterPublished()) {
//		if err != nil {
//			return err
//		}
//		if p.State != stage.ParticipantConnected {
//			continue
//		}
//		// … p is publishing now, or has published and is still connected
//	}
//
// stageARN and opts are validated before the first request: every violation is yielded once as a
// smithy.InvalidParamsError (paths like "ActiveParticipants.StageArn", "ActiveParticipants.FilterByState")
// wrapped in *smithy.OperationError (OperationName "ActiveParticipants"), and nothing is sent. A failed
// request yields (Participant{}, err) with the error Get or Participants returns
// (*types.ResourceNotFoundException for an unknown stage, …) and ends the iteration.
//
// The session is read once, before the list: it can end (or a new one begin) between the GetStage and the
// ListParticipants requests. The service keeps an ended session's participants, so the iteration then
// yields the participants of the session that just ended, every one DISCONNECTED once it has left; the
// participants of a session that began after the GetStage are not listed. Check State when it matters.
func (c *Client) ActiveParticipants(ctx context.Context, stageARN string, opts ...ListOption) iter.Seq2[Participant, error] {
	o := resolveList(opts)
	errs := smithy.InvalidParamsError{Context: opActiveParticipants}
	rules.StageArn.Check(&errs, fieldStageArn, stageARN)
	o.checkParticipantFilters(&errs, &ivsrealtime.ListParticipantsInput{})
	o.check(&errs, rules.MaxResults, true, opListParticipants)
	bad := invalid(opActiveParticipants, errs)
	return func(yield func(Participant, error) bool) {
		if bad != nil {
			yield(Participant{}, bad)
			return
		}
		st, err := c.Get(ctx, stageARN)
		if err != nil {
			yield(Participant{}, err)
			return
		}
		if st.ActiveSessionID == "" {
			return
		}
		for p, err := range c.Participants(ctx, stageARN, st.ActiveSessionID, opts...) {
			if !yield(p, err) || err != nil {
				return
			}
		}
	}
}

// DisconnectUser disconnects every participant of the stage's active session that is CONNECTED with
// userID (the user ID of its token), and returns how many it disconnected. Each one leaves the stage and
// its token can never join again (see Disconnect).
//
// It validates its arguments, then makes these calls, in order: ActiveParticipants(ctx, stageARN,
// FilterUserID(userID), WithPageSize(MaxPageSize)) (one GetStage, then ListParticipants pages of 100
// filtered by the service on the user ID; the state is checked here, since the service takes one filter
// per request), all pages read before the first disconnect; then Disconnect(ctx, stageARN, id, reason)
// (one DisconnectParticipant request) for each connected participant of the user, in the service's order.
// No active session, or nobody of that user connected, returns 0 and nil after the GetStage (and the
// ListParticipants).
//
// Partial failures: a Disconnect that fails does not stop the others. DisconnectUser then returns the
// number disconnected and an errors.Join of one error per participant not disconnected, each
// "stage: DisconnectUser <stage ARN>: participant <ID>: <the Disconnect error>" wrapping that error (so
// errors.As finds *types.ResourceNotFoundException, …). Once ctx has ended it sends nothing more: the
// participants not yet disconnected are named in one more joined error wrapping ctx.Err(). A failure of
// the GetStage or of a ListParticipants returns 0 and that error: nobody was disconnected.
//
// userID is 1..MaxUserIDLength (128) code points of any valid UTF-8 (the model's filterByUserId allows
// "", but no user has the empty ID: it would match every participant whose token has none, so it is
// refused). reason is at most MaxDisconnectReasonLength (128) code points, "" for none. An invalid
// argument returns 0 and a smithy.InvalidParamsError (every violation, paths "DisconnectUser.StageArn",
// "DisconnectUser.UserId", "DisconnectUser.Reason") wrapped in *smithy.OperationError (OperationName
// "DisconnectUser"), and nothing is sent.
//
// Races: a participant of the user that joins after its page was read is not disconnected; one that leaves
// before its Disconnect is disconnected all the same (its token is revoked) and counted.
func (c *Client) DisconnectUser(ctx context.Context, stageARN, userID, reason string) (int, error) {
	errs := smithy.InvalidParamsError{Context: opDisconnectUser}
	rules.StageArn.Check(&errs, fieldStageArn, stageARN)
	disconnectUserID.Check(&errs, fieldUserID, userID)
	rules.DisconnectReason.Check(&errs, fieldReason, reason)
	if err := invalid(opDisconnectUser, errs); err != nil {
		return 0, err
	}
	var connected []string
	for p, err := range c.ActiveParticipants(ctx, stageARN, FilterUserID(userID), WithPageSize(MaxPageSize)) {
		if err != nil {
			return 0, err
		}
		if p.State == ParticipantConnected && p.UserID == userID {
			connected = append(connected, p.ID)
		}
	}
	n := 0
	var failed []error
	for i, id := range connected {
		if err := ctx.Err(); err != nil {
			failed = append(failed, fmt.Errorf("stage: %s %s: %s not disconnected: %w", opDisconnectUser, stageARN, participantList(connected[i:]), err))
			break
		}
		if err := c.Disconnect(ctx, stageARN, id, reason); err != nil {
			failed = append(failed, fmt.Errorf("stage: %s %s: participant %s: %w", opDisconnectUser, stageARN, showID(id), err))
			continue
		}
		n++
	}
	return n, errors.Join(failed...)
}

// participantList names ids for an error: "participant p1" or "participants p1, p2".
func participantList(ids []string) string {
	s := "participant"
	if len(ids) > 1 {
		s += "s"
	}
	for i, id := range ids {
		if i > 0 {
			s += ","
		}
		s += " " + showID(id)
	}
	return s
}
