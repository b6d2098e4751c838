package stage

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"
	"golang.org/x/time/rate"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/svc"
)

// The poll interval of WaitRecordingIdle.
const (
	// DefaultPollInterval is how often WaitRecordingIdle checks the stage when WithPollInterval is not given.
	DefaultPollInterval = 2 * time.Second
	// MinPollInterval is the shortest interval WithPollInterval accepts: 1/RequestsPerSecond, the spacing
	// that keeps each operation within the service's quota.
	MinPollInterval = time.Second / RequestsPerSecond
)

// WaitOption changes how WaitRecordingIdle waits. A nil WaitOption is ignored.
type WaitOption func(*waitOptions)

type waitOptions struct {
	interval time.Duration
	// now and sleep are the clock: time.Now and a timer by default; tests replace them (export_test.go).
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

// WithPollInterval sets how often WaitRecordingIdle checks the stage: a poll starts every d (or as soon as
// the previous one ends, if it took longer). At least MinPollInterval (200 ms); a shorter d is a
// validation error. Default: DefaultPollInterval (2 s).
func WithPollInterval(d time.Duration) WaitOption {
	return func(o *waitOptions) { o.interval = d }
}

// recordingInProgress are the recording states WaitRecordingIdle looks for, in the order a recording goes
// through them: a recording that moves on during a poll is seen by a later check of the same poll, unless
// it has ended.
var recordingInProgress = [...]types.ParticipantRecordingFilterByRecordingState{
	types.ParticipantRecordingFilterByRecordingStateStarting,
	types.ParticipantRecordingFilterByRecordingStateActive,
	types.ParticipantRecordingFilterByRecordingStateStopping,
}

// WaitRecordingIdle waits until no participant of the stage's active session is being recorded: the stage
// has no active session, or no participant of it is in recording state STARTING, ACTIVE or STOPPING. Then
// the service accepts a change of the stage's recording configuration (Update), which it refuses with a
// 409 ConflictException while recording is in progress.
//
// Each poll sends one GetStage request and, while the stage has an active session, ListParticipants
// requests filtered by each in-progress recording state in turn (maxResults MaxPageSize, 100: the page
// names who is still recording), stopping at the first state that has a participant. Polls start every
// poll interval (WithPollInterval; default DefaultPollInterval, 2 s; minimum MinPollInterval, 200 ms), and
// the ListParticipants requests are spaced at least 200 ms apart, so a wait never sends more than
// RequestsPerSecond (5) requests per second of either operation (one wait: concurrent waits and other
// calls share the account's quota, and a throttled call is retried by the SDK). WaitRecordingIdle returns
// nil within one poll interval of the moment recording stops (within 600 ms for shorter intervals: a
// poll's three checks are 200 ms apart).
//
// Once ctx is done (cancelled or past its deadline) it returns a *WaitError that wraps ctx.Err(), so
// errors.Is(err, context.DeadlineExceeded) and errors.Is(err, context.Canceled) hold, and that says which
// stage and who was still being recorded at the last poll that found someone:
//
//	stage: WaitRecordingIdle arn:aws:ivs:us-east-1:123456789012:stage/abc: context deadline exceeded; still recording: participant p1 (user u1), p2
//
// Otherwise it returns the first error of a request (*types.ResourceNotFoundException for an unknown
// stage, …). A ListParticipants nextToken that repeats any token already sent in the same check (A, B, A …,
// which would page forever) ends the wait with a *smithy.OperationError naming ListParticipants and the
// token, as the iterators do. An invalid stageARN or poll interval returns a smithy.InvalidParamsError (paths
// "WaitRecordingIdle.StageArn" and "WaitRecordingIdle.PollInterval") wrapped in *smithy.OperationError
// (OperationName "WaitRecordingIdle") and sends nothing.
//
// The wait cannot close one race: a publisher may start being recorded between its return and the
// Update. Loop on IsRecordingActiveConflict:
//
//	for {
//		if err := stages.WaitRecordingIdle(ctx, arn); err != nil {
//			return err
//		}
//		_, err := stages.Update(ctx, arn, stage.NewUpdate().WithRecording(rec))
//		if !stage.IsRecordingActiveConflict(err) {
//			return err // nil: updated
//		}
//		// someone started publishing in between: wait again
//	}
func (c *Client) WaitRecordingIdle(ctx context.Context, stageARN string, opts ...WaitOption) error {
	o := resolveWait(opts)
	errs := smithy.InvalidParamsError{Context: waitInput}
	rules.StageArn.Check(&errs, fieldStageArn, stageARN)
	o.check(&errs)
	if err := invalid(opWait, errs); err != nil {
		return err
	}
	w := waiter{c: c, o: o, arn: stageARN, list: rate.NewLimiter(RequestsPerSecond, 1)}
	for {
		start := o.now()
		idle, err := w.poll(ctx)
		if ctx.Err() != nil {
			return w.ended(ctx)
		}
		if err != nil || idle {
			return err
		}
		if d := start.Add(o.interval).Sub(o.now()); d > 0 {
			if err := o.sleep(ctx, d); err != nil {
				return w.ended(ctx)
			}
		}
	}
}

// resolveWait applies opts to the defaults: DefaultPollInterval on the real clock.
func resolveWait(opts []WaitOption) waitOptions {
	o := waitOptions{interval: DefaultPollInterval, now: time.Now, sleep: sleep}
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	return o
}

// check reports a poll interval below MinPollInterval.
func (o *waitOptions) check(errs *smithy.InvalidParamsError) {
	if o.interval < MinPollInterval {
		errs.Add(rules.New(fieldPollInterval, rules.RuleRange,
			fmt.Sprintf("value %s is below the minimum of %s", o.interval, MinPollInterval)))
	}
}

// WaitError is the error of a WaitRecordingIdle whose context ended before recording stopped: it names the
// stage and who was still being recorded at the last poll that found someone, and wraps the context's
// error (errors.Is(err, context.DeadlineExceeded) or context.Canceled).
type WaitError struct {
	// StageARN is the stage waited on.
	StageARN string
	// SessionID is the active session of the last poll that found someone recording ("" when no poll
	// found anyone before the context ended).
	SessionID string
	// Recording are the participants that poll found being recorded, with the summary fields
	// ListParticipants reports (ID, UserID, Recording, …), in the service's order: those of the first
	// in-progress state that had any (STARTING, then ACTIVE, then STOPPING), at most MaxPageSize (100).
	// Empty when no poll found anyone.
	Recording []Participant
	// More reports that the service had more participants in that state than Recording holds.
	More bool
	// Err is the context's error: context.Canceled or context.DeadlineExceeded.
	Err error
}

// Error returns "stage: WaitRecordingIdle <stage ARN>: <context error>", followed by
// "; still recording: participant p1 (user u1), p2" when a poll found someone (", and more" when the page
// was not the whole list). IDs made of other characters than letters, digits and -_:@ are quoted (and one that looks like a token is
// only measured).
func (e *WaitError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "stage: %s %s: %v", opWait, e.StageARN, e.Err)
	for i, p := range e.Recording {
		if i == 0 {
			b.WriteString("; still recording: participant ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(showID(p.ID))
		if p.UserID != "" {
			b.WriteString(" (user " + showID(p.UserID) + ")")
		}
	}
	if e.More {
		b.WriteString(", and more")
	}
	return b.String()
}

// Unwrap returns Err, the context's error.
func (e *WaitError) Unwrap() error { return e.Err }

// plainID is what an ID may hold to be printed bare in an error (no '.': a token has two).
var plainID = regexp.MustCompile(`^[a-zA-Z0-9_:@-]+$`)

// showID prints an ID for an error: bare when plain, else quoted (rules.Quote: cut when long, and measured
// only when it looks like a token).
func showID(id string) string {
	if plainID.MatchString(id) {
		return id
	}
	return rules.Quote(id)
}

// ended returns the error of a wait whose context is done.
func (w *waiter) ended(ctx context.Context) error {
	return &WaitError{StageARN: w.arn, SessionID: w.session, Recording: w.recording, More: w.more, Err: ctx.Err()}
}

// waiter is one WaitRecordingIdle. Each poll starts with GetStage, and polls start at least
// MinPollInterval apart, so GetStage needs no pacing of its own; the ListParticipants requests of a poll
// are paced by list.
type waiter struct {
	c    *Client
	o    waitOptions
	arn  string
	list *rate.Limiter // one ListParticipants per 200 ms

	// session, recording and more are what the last poll that found someone recording saw, for the
	// error of a wait whose context ends.
	session   string
	recording []Participant
	more      bool
}

// pace waits until lim allows one more request.
func (w *waiter) pace(ctx context.Context, lim *rate.Limiter) error {
	now := w.o.now()
	if d := lim.ReserveN(now, 1).DelayFrom(now); d > 0 {
		return w.o.sleep(ctx, d)
	}
	return ctx.Err()
}

// poll reports whether no participant of the stage's active session is being recorded.
func (w *waiter) poll(ctx context.Context) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	out, err := w.c.api.GetStage(ctx, &ivsrealtime.GetStageInput{Arn: aws.String(w.arn)}, w.c.calls.Opts...)
	if err != nil {
		return false, svc.Err(err)
	}
	if out == nil || out.Stage == nil {
		return false, rules.OperationError(opGet, ErrNoStage)
	}
	session := aws.ToString(out.Stage.ActiveSessionId)
	if session == "" {
		return true, nil
	}
	for _, state := range recordingInProgress {
		if found, err := w.recordingIn(ctx, session, state); err != nil || found {
			return false, err
		}
	}
	return true, nil
}

// recordingIn reports whether a participant of session is in recording state, and if so keeps the page
// that names them (for the error of a wait whose context ends). It pages through ListParticipants with
// svc.Seq, so an empty page with a nextToken is followed (it does not prove the list empty) and a
// nextToken that repeats any token already sent in this check (A, B, A …) ends the wait with
// svc.ErrTokenRepeated instead of polling forever.
func (w *waiter) recordingIn(ctx context.Context, session string, state types.ParticipantRecordingFilterByRecordingState) (bool, error) {
	var page []types.ParticipantSummary // the page of the first participant found
	var more bool                       // that page had a nextToken
	pages := svc.Seq(opListParticipants, nil, func(next *string) ([]types.ParticipantSummary, *string, error) {
		if err := w.pace(ctx, w.list); err != nil {
			return nil, nil, err
		}
		out, err := w.c.api.ListParticipants(ctx, &ivsrealtime.ListParticipantsInput{
			StageArn: aws.String(w.arn), SessionId: aws.String(session), FilterByRecordingState: state,
			MaxResults: aws.Int32(MaxPageSize), NextToken: next,
		}, w.c.calls.Opts...)
		if err != nil || out == nil {
			return nil, nil, err
		}
		page, more = out.Participants, aws.ToString(out.NextToken) != ""
		return out.Participants, out.NextToken, nil
	})
	for _, err := range pages {
		if err != nil {
			return false, err
		}
		// The first participant: page is the page it came on.
		w.session, w.more = session, more
		w.recording = make([]Participant, len(page))
		for i := range page {
			w.recording[i] = participantFromSummary(&page[i])
		}
		return true, nil
	}
	return false, nil
}

// sleep waits for d or until ctx is done, whichever comes first, and returns ctx.Err() in the latter case.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
