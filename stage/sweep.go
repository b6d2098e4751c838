package stage

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"maps"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"

	"github.com/ivsrt/ivsrt/internal/copymap"
	"github.com/ivsrt/ivsrt/internal/rules"
)

// DefaultSweepIdle is how long a stage must have been idle for Sweep to choose it when WithIdleFor is not
// called: 24 hours.
const DefaultSweepIdle = 24 * time.Hour

// opSweep names Sweep in the *smithy.OperationError of an invalid Sweep: the library's operation, made of
// ListStages, ListStageSessions, GetStageSession and DeleteStage calls.
const (
	opSweep      = "Sweep"
	fieldIdleFor = "IdleFor"
)

// Sweep says which stages Client.Sweep deletes: the stages that carry every tag given to WithTag (at least
// one is required: a sweep never touches stages it does not own) and have been idle for at least
// WithIdleFor's duration. It is an immutable value: every With… returns a copy. The zero value is
// NewSweep(), which Validate refuses until a tag is given.
type Sweep struct {
	tags    map[string]string // never written after construction
	idle    time.Duration
	idleSet bool
	dryRun  bool
	now     func() time.Time
}

// NewSweep returns a Sweep with no tag (Validate refuses it until WithTag is called), idle for
// DefaultSweepIdle (24 h), not a dry run, on time.Now.
func NewSweep() Sweep { return Sweep{} }

// WithTag returns s that sweeps only stages carrying the tag key=value (exactly; ListStages returns each
// stage's tags and they are compared here, as the service has no tag filter). Each call adds one tag, or
// replaces the value of that key: a stage must carry all of them. At least one is required; at most MaxTags
// (50), keys of 1..MaxTagKeyLength (128) and values of at most MaxTagValueLength (256) code points, as
// stage tags.
func (s Sweep) WithTag(key, value string) Sweep {
	s.tags = copymap.With(s.tags, key, value)
	return s
}

// WithIdleFor returns s that chooses a stage when it has no active session and its last session ended at
// least d ago (idle ≥ d: exactly d is chosen); a stage that never had a session is aged by its TagCreatedAt
// tag, and kept when it has none. d must be positive (to choose every stage without an active session, use
// a small d such as time.Second). Default: DefaultSweepIdle (24 h).
func (s Sweep) WithIdleFor(d time.Duration) Sweep {
	s.idle, s.idleSet = d, true
	return s
}

// WithDryRun returns s that reports what it would delete and deletes nothing: every Swept has Deleted false
// and no DeleteStage is sent. Default: off (chosen stages are deleted).
func (s Sweep) WithDryRun() Sweep {
	s.dryRun = true
	return s
}

// WithClock returns s that reads "now" from now (e.g. a stagetest.Clock's Now). nil restores the default,
// time.Now.
func (s Sweep) WithClock(now func() time.Time) Sweep {
	s.now = now
	return s
}

// Validate reports every violation at once as a smithy.InvalidParamsError: no tag ("Sweep.Tags",
// required), a tag out of the stage tags' limits (`Sweep.Tags["k"].Key`, `Sweep.Tags["k"]`, or "Sweep.Tags"
// past MaxTags), and a WithIdleFor duration that is not positive ("Sweep.IdleFor", range).
func (s Sweep) Validate() error {
	errs := smithy.InvalidParamsError{Context: opSweep}
	if len(s.tags) == 0 {
		errs.Add(rules.New(fieldTags, rules.RuleRequired, "at least one tag is required (none given): a sweep never touches stages it does not own"))
	}
	rules.CheckTags(&errs, fieldTags, s.tags)
	if s.idleSet && s.idle <= 0 {
		errs.Add(rules.New(fieldIdleFor, rules.RuleRange, fmt.Sprintf("value %s is not positive", s.idle)))
	}
	return rules.Result(errs)
}

func (s Sweep) idleFor() time.Duration {
	if s.idleSet {
		return s.idle
	}
	return DefaultSweepIdle
}

func (s Sweep) clock() func() time.Time {
	if s.now != nil {
		return s.now
	}
	return time.Now
}

// owns reports whether tags hold every tag of s.
func (s Sweep) owns(tags map[string]string) bool {
	for k, v := range s.tags {
		if got, ok := tags[k]; !ok || got != v {
			return false
		}
	}
	return true
}

// Swept is what Client.Sweep did with one stage that carries the sweep's tags.
type Swept struct {
	// Stage is the stage as ListStages reported it.
	Stage Summary
	// Idle is how long the stage has been idle: since its last session ended, or, when it never had a
	// session, since its TagCreatedAt time. Zero when it has an active session or could not be aged.
	Idle time.Duration
	// Deleted reports whether this sweep deleted the stage: false in a dry run, for a kept stage, when Err
	// is set, and when DeleteStage answered 404 (someone else deleted it first; Reason says so).
	Deleted bool
	// Reason says why the stage was chosen ("idle 2h0m0s since session st-… ended at …, at least 1h0m0s")
	// or why it was kept ("kept: session st-… is active").
	Reason string
	// Err is the error of a call made for this stage: the DeleteStage error, or the error reading its last
	// session (ListStageSessions, GetStageSession; the stage is then kept). nil otherwise.
	Err error
}

// Sweep returns an iterator over the stages that carry every tag of s, in ListStages order, one Swept
// each, deleting those idle for at least s's idle duration (unless s is a dry run).
//
// Calls, in order: ListStages, every page (100 stages a page), read before anything else, so that deleting
// cannot shift a page still to come; then for each stage with the tags: no request when the listing shows
// an active session (kept); otherwise ListStageSessions (1 page of 1: the newest session, as the service
// lists them newest first), and GetStageSession when that summary has no end time (the session is active,
// or has ended since); and DeleteStage (through Delete) when the stage is chosen. A stage with no session
// at all is aged by its TagCreatedAt tag (RFC 3339); none, or one that does not parse, keeps it, and Reason
// says so. Stages without the tags cost no request.
//
// Budget: every call waits for its operation's limiter (see WithLimiter), 5 per second each by default, so
// a sweep never meets a 429 of its own making. A sweep of n stages with the tags takes at least n / 5
// seconds (ListStageSessions' pace), plus n_listed / 500 for the listing: in general, stages per second =
// min over operations of rate(operation) / requests of that operation per stage.
//
// Errors: an invalid s yields (Swept{}, err) once, err a smithy.InvalidParamsError ("Sweep.Tags", …) in
// *smithy.OperationError (OperationName "Sweep"), and nothing is sent. A ListStages failure yields (Swept{},
// that error) and ends the iteration: nothing has been deleted then. A DeleteStage failure, or a failure
// reading a stage's sessions, is that stage's Swept.Err and the sweep goes on. A DeleteStage answered 404
// (the stage is already gone) is Deleted false with Err nil and a Reason saying so. Once ctx has ended the
// sweep sends nothing more and yields (Swept{}, an error wrapping ctx.Err()) naming the stages left.
//
// Races: a participant may join between the session read and the DeleteStage, which then disconnects it;
// run sweeps with a WithIdleFor long enough that an owned stage idle that long is not about to be used.
func (c *Client) Sweep(ctx context.Context, s Sweep) iter.Seq2[Swept, error] {
	bad := s.Validate()
	return func(yield func(Swept, error) bool) {
		if bad != nil {
			yield(Swept{}, rules.OperationError(opSweep, bad))
			return
		}
		var owned []Summary
		for st, err := range c.List(ctx, WithPageSize(MaxPageSize)) {
			if err != nil {
				yield(Swept{}, err)
				return
			}
			if s.owns(st.Tags) {
				owned = append(owned, st)
			}
		}
		now := s.clock()
		for i, st := range owned {
			if err := ctx.Err(); err != nil {
				yield(Swept{}, sweepStopped(i, len(owned), err))
				return
			}
			sw, err := c.sweepOne(ctx, s, st, now)
			if err != nil { // ctx ended during a read
				yield(Swept{}, sweepStopped(i, len(owned), err))
				return
			}
			if !yield(sw, nil) {
				return
			}
		}
	}
}

func sweepStopped(done, total int, err error) error {
	return fmt.Errorf("stage: Sweep stopped with %d of %d owned stages left: %w", total-done, total, err)
}

// sweepOne decides on st and deletes it when chosen. It returns an error only when ctx ended during a read.
func (c *Client) sweepOne(ctx context.Context, s Sweep, st Summary, now func() time.Time) (Swept, error) {
	sw := Swept{Stage: st}
	if st.ActiveSessionID != "" {
		sw.Reason = fmt.Sprintf("kept: session %s is active", st.ActiveSessionID)
		return sw, nil
	}
	last, err := c.lastSession(ctx, st.ARN)
	if err != nil {
		if ctx.Err() != nil {
			return Swept{}, err
		}
		sw.Reason, sw.Err = "kept: its last session could not be read", err
		return sw, nil
	}
	d := s.idleFor()
	var since string
	switch {
	case last.ID != "" && last.End.IsZero():
		sw.Reason = fmt.Sprintf("kept: session %s is active", last.ID)
		return sw, nil
	case last.ID != "":
		sw.Idle = now().Sub(last.End)
		since = fmt.Sprintf("since session %s ended at %s", last.ID, last.End.Format(time.RFC3339Nano))
	default:
		raw, ok := st.Tags[TagCreatedAt]
		if !ok {
			sw.Reason = fmt.Sprintf("kept: no session ever, and no %s tag to age it by", TagCreatedAt)
			return sw, nil
		}
		created, perr := time.Parse(time.RFC3339, raw)
		if perr != nil {
			sw.Reason = fmt.Sprintf("kept: no session ever, and its %s tag %s is not an RFC 3339 time", TagCreatedAt, rules.Quote(raw))
			return sw, nil
		}
		sw.Idle = now().Sub(created)
		since = fmt.Sprintf("since it was created at %s (%s), never used", created.UTC().Format(time.RFC3339Nano), TagCreatedAt)
	}
	if sw.Idle < d {
		sw.Reason = fmt.Sprintf("kept: idle %s %s, less than %s", sw.Idle, since, d)
		return sw, nil
	}
	sw.Reason = fmt.Sprintf("idle %s %s, at least %s", sw.Idle, since, d)
	if s.dryRun {
		sw.Reason += " (dry run: not deleted)"
		return sw, nil
	}
	err = c.Delete(ctx, st.ARN)
	var gone *types.ResourceNotFoundException
	switch {
	case errors.As(err, &gone):
		sw.Reason += "; already deleted (DeleteStage answered 404)"
	case err != nil:
		sw.Err = err
	default:
		sw.Deleted = true
	}
	return sw, nil
}

// lastSession returns the stage's newest session (zero when it never had one): ListStageSessions, 1 page
// of 1, then GetStageSession when that summary has no end time.
func (c *Client) lastSession(ctx context.Context, arn string) (Session, error) {
	var last Session
	for sess, err := range c.Sessions(ctx, arn, WithPageSize(1)) {
		if err != nil {
			return Session{}, err
		}
		last = sess
		break
	}
	if last.ID == "" || !last.End.IsZero() {
		return last, nil
	}
	return c.Session(ctx, arn, last.ID)
}

// Tags returns a copy of the tags s sweeps by (nil when none).
func (s Sweep) Tags() map[string]string { return maps.Clone(s.tags) }
