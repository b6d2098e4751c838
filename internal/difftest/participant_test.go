package difftest

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"

	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
)

// filterCase is a ListParticipants input: the participant filters and the rest of its members.
type filterCase struct {
	name string
	bad  bool // the model refuses it
	// opts are the library's options; in is the same as the raw input's members (StageArn and SessionId
	// default to the world's).
	opts        []stage.ListOption
	in          ivsrealtime.ListParticipantsInput
	libraryOnly string
}

func (c filterCase) wire() wireCase {
	ids := func(w world) (arn, session string) {
		arn, session = aws.ToString(c.in.StageArn), aws.ToString(c.in.SessionId)
		if c.in.StageArn == nil {
			arn = w.stageARN
		}
		if c.in.SessionId == nil {
			session = w.sessionID
		}
		return arn, session
	}
	return wireCase{
		name: c.name, bad: c.bad, libraryOnly: c.libraryOnly,
		lib: func(ctx context.Context, cl libClients, w world) error {
			arn, session := ids(w)
			for _, err := range cl.stages.Participants(ctx, arn, session, c.opts...) {
				return err // the first page's verdict: one request, as the raw input's
			}
			return nil
		},
		raw: func(ctx context.Context, cl *ivsrealtime.Client, w world) error {
			in := c.in
			arn, session := ids(w)
			in.StageArn, in.SessionId = aws.String(arn), aws.String(session)
			_, err := cl.ListParticipants(ctx, &in)
			return err
		},
	}
}

func TestParticipantFilterValidationAgreesWithTheFake(t *testing.T) {
	t.Parallel()
	cases := []filterCase{
		{name: "no filter"},
		{name: "user ID 128 é", opts: []stage.ListOption{stage.FilterUserID(strings.Repeat("é", 128))},
			in: ivsrealtime.ListParticipantsInput{FilterByUserId: aws.String(strings.Repeat("é", 128))}},
		{name: "user ID 129 é", bad: true, opts: []stage.ListOption{stage.FilterUserID(strings.Repeat("é", 129))},
			in: ivsrealtime.ListParticipantsInput{FilterByUserId: aws.String(strings.Repeat("é", 129))}},
		{name: "user ID empty", opts: []stage.ListOption{stage.FilterUserID("")},
			in: ivsrealtime.ListParticipantsInput{FilterByUserId: aws.String("")}},
		{name: "user ID not UTF-8", opts: []stage.ListOption{stage.FilterUserID(invalidUTF8)},
			in: ivsrealtime.ListParticipantsInput{FilterByUserId: aws.String(invalidUTF8)}, libraryOnly: "invalid UTF-8"},
		{name: "published", opts: []stage.ListOption{stage.FilterPublished()},
			in: ivsrealtime.ListParticipantsInput{FilterByPublished: true}},
		{name: "state CONNECTED", opts: []stage.ListOption{stage.FilterState(stage.ParticipantConnected)},
			in: ivsrealtime.ListParticipantsInput{FilterByState: types.ParticipantStateConnected}},
		{name: "state DISCONNECTED", opts: []stage.ListOption{stage.FilterState(stage.ParticipantDisconnected)},
			in: ivsrealtime.ListParticipantsInput{FilterByState: types.ParticipantStateDisconnected}},
		{name: "state lowercase", bad: true, opts: []stage.ListOption{stage.FilterState("connected")},
			in: ivsrealtime.ListParticipantsInput{FilterByState: "connected"}},
		{name: "state unknown", bad: true, opts: []stage.ListOption{stage.FilterState("GONE")},
			in: ivsrealtime.ListParticipantsInput{FilterByState: "GONE"}},
		{name: "recording state DISABLED", bad: true, opts: []stage.ListOption{stage.FilterRecordingState(recording.StateDisabled)},
			in: ivsrealtime.ListParticipantsInput{FilterByRecordingState: "DISABLED"}},
		{name: "recording state lowercase", bad: true, opts: []stage.ListOption{stage.FilterRecordingState("active")},
			in: ivsrealtime.ListParticipantsInput{FilterByRecordingState: "active"}},
		{name: "recording state unknown", bad: true, opts: []stage.ListOption{stage.FilterRecordingState("PAUSED")},
			in: ivsrealtime.ListParticipantsInput{FilterByRecordingState: "PAUSED"}},
		{name: "user ID and state", bad: true, opts: []stage.ListOption{stage.FilterUserID("u"), stage.FilterState(stage.ParticipantConnected)},
			in: ivsrealtime.ListParticipantsInput{FilterByUserId: aws.String("u"), FilterByState: types.ParticipantStateConnected}},
		{name: "published and recording state", bad: true, opts: []stage.ListOption{stage.FilterPublished(), stage.FilterRecordingState(recording.StateActive)},
			in: ivsrealtime.ListParticipantsInput{FilterByPublished: true, FilterByRecordingState: types.ParticipantRecordingFilterByRecordingStateActive}},
		{name: "all four filters", bad: true, opts: []stage.ListOption{stage.FilterUserID("u"), stage.FilterPublished(),
			stage.FilterState(stage.ParticipantDisconnected), stage.FilterRecordingState(recording.StateFailed)},
			in: ivsrealtime.ListParticipantsInput{FilterByUserId: aws.String("u"), FilterByPublished: true,
				FilterByState: types.ParticipantStateDisconnected, FilterByRecordingState: types.ParticipantRecordingFilterByRecordingStateFailed}},
		{name: "two filters, one invalid", bad: true, opts: []stage.ListOption{stage.FilterUserID(strings.Repeat("u", 129)), stage.FilterState("connected")},
			in: ivsrealtime.ListParticipantsInput{FilterByUserId: aws.String(strings.Repeat("u", 129)), FilterByState: "connected"}},
		{name: "page size 1", opts: []stage.ListOption{stage.WithPageSize(1)}, in: ivsrealtime.ListParticipantsInput{MaxResults: aws.Int32(1)}},
		{name: "page size 100", opts: []stage.ListOption{stage.WithPageSize(100)}, in: ivsrealtime.ListParticipantsInput{MaxResults: aws.Int32(100)}},
		{name: "page size 0", bad: true, opts: []stage.ListOption{stage.WithPageSize(0)}, in: ivsrealtime.ListParticipantsInput{MaxResults: aws.Int32(0)}},
		{name: "page size 101", bad: true, opts: []stage.ListOption{stage.WithPageSize(101)}, in: ivsrealtime.ListParticipantsInput{MaxResults: aws.Int32(101)}},
		{name: "unknown session", in: ivsrealtime.ListParticipantsInput{SessionId: aws.String(unknownSession)}},
		{name: "session ID 15", bad: true, in: ivsrealtime.ListParticipantsInput{SessionId: aws.String("st-a1b2c3d4e5f6")}},
		{name: "session ID 17", bad: true, in: ivsrealtime.ListParticipantsInput{SessionId: aws.String("st-a1b2c3d4e5f6gh")}},
		{name: "session ID without st-", bad: true, in: ivsrealtime.ListParticipantsInput{SessionId: aws.String("xx-a1b2c3d4e5f6g")}},
		{name: "session ID with a hyphen inside", bad: true, in: ivsrealtime.ListParticipantsInput{SessionId: aws.String("st-a1b2c3d4e5f6-")}},
		{name: "unknown stage", in: ivsrealtime.ListParticipantsInput{StageArn: aws.String(unknownStage)}},
		{name: "stage ARN 128", in: ivsrealtime.ListParticipantsInput{StageArn: aws.String(arn128)}},
		{name: "stage ARN 129", bad: true, in: ivsrealtime.ListParticipantsInput{StageArn: aws.String(arn129)}},
		{name: "ARN of a channel", bad: true, in: ivsrealtime.ListParticipantsInput{StageArn: aws.String("arn:aws:ivs:us-east-1:123456789012:channel/abc")}},
		{name: "everything invalid", bad: true, opts: []stage.ListOption{stage.FilterState("x"), stage.FilterRecordingState("y"), stage.WithPageSize(0)},
			in: ivsrealtime.ListParticipantsInput{StageArn: aws.String("x"), SessionId: aws.String("y"), FilterByState: "x",
				FilterByRecordingState: "y", MaxResults: aws.Int32(0)}},
	}
	for _, s := range recording.StateStarting.Values() {
		if s == recording.StateDisabled {
			continue
		}
		cases = append(cases, filterCase{name: "recording state " + string(s), opts: []stage.ListOption{stage.FilterRecordingState(s)},
			in: ivsrealtime.ListParticipantsInput{FilterByRecordingState: types.ParticipantRecordingFilterByRecordingState(s)}})
	}
	runTable(t, "ListParticipants", cases)
}

// disconnectCase is a DisconnectParticipant input.
type disconnectCase struct {
	name string
	bad  bool // the model refuses it
	// stageARN and participantID default to the world's connected participant (nil).
	stageARN, participantID *string
	reason                  string // "" is not sent
	libraryOnly             string
}

func (c disconnectCase) wire() wireCase {
	ids := func(w world) (arn, pid string) {
		arn, pid = w.stageARN, w.participantID
		if c.stageARN != nil {
			arn = *c.stageARN
		}
		if c.participantID != nil {
			pid = *c.participantID
		}
		return arn, pid
	}
	return wireCase{
		name: c.name, bad: c.bad, libraryOnly: c.libraryOnly,
		lib: func(ctx context.Context, cl libClients, w world) error {
			arn, pid := ids(w)
			return cl.stages.Disconnect(ctx, arn, pid, c.reason)
		},
		raw: func(ctx context.Context, cl *ivsrealtime.Client, w world) error {
			arn, pid := ids(w)
			in := &ivsrealtime.DisconnectParticipantInput{StageArn: aws.String(arn), ParticipantId: aws.String(pid)}
			if c.reason != "" {
				in.Reason = aws.String(c.reason)
			}
			_, err := cl.DisconnectParticipant(ctx, in)
			return err
		},
	}
}

func TestDisconnectValidationAgreesWithTheFake(t *testing.T) {
	t.Parallel()
	cases := []disconnectCase{
		{name: "connected participant"},
		{name: "connected participant, reason", reason: "spamming the chat"},
		{name: "participant ID with _", participantID: aws.String("self_signed_jti-1")},
		{name: "participant ID 64", participantID: aws.String(strings.Repeat("p", 64))},
		{name: "participant ID 65", bad: true, participantID: aws.String(strings.Repeat("p", 65))},
		{name: "participant ID empty", participantID: aws.String("")},
		{name: "participant ID with a space", bad: true, participantID: aws.String("a b")},
		{name: "participant ID é", bad: true, participantID: aws.String("é")},
		{name: "reason 128 é", reason: strings.Repeat("é", 128)},
		{name: "reason 129 é", bad: true, reason: strings.Repeat("é", 129)},
		{name: "reason not UTF-8", reason: invalidUTF8, libraryOnly: "invalid UTF-8"},
		{name: "unknown stage", stageARN: aws.String(unknownStage)},
		{name: "stage ARN 128", stageARN: aws.String(arn128)},
		{name: "stage ARN 129", bad: true, stageARN: aws.String(arn129)},
		{name: "ARN of a storage configuration", bad: true, stageARN: aws.String("arn:aws:ivs:us-east-1:123456789012:storage-configuration/abc")},
		{name: "everything invalid", bad: true, stageARN: aws.String("stage"), participantID: aws.String(strings.Repeat("_", 65)), reason: strings.Repeat("r", 129)},
	}
	runTable(t, "DisconnectParticipant", cases)
}

// participantCase is a GetParticipant input: the model's ParticipantId allows no '_', unlike
// DisconnectParticipant's.
type participantCase struct {
	name          string
	bad           bool    // the model refuses it
	participantID *string // nil: the world's connected participant
}

func (c participantCase) wire() wireCase {
	ids := func(w world) (arn, session, pid string) {
		pid = w.participantID
		if c.participantID != nil {
			pid = *c.participantID
		}
		return w.stageARN, w.sessionID, pid
	}
	return wireCase{
		name: c.name, bad: c.bad,
		lib: func(ctx context.Context, cl libClients, w world) error {
			arn, session, pid := ids(w)
			_, err := cl.stages.Participant(ctx, arn, session, pid)
			return err
		},
		raw: func(ctx context.Context, cl *ivsrealtime.Client, w world) error {
			arn, session, pid := ids(w)
			_, err := cl.GetParticipant(ctx, &ivsrealtime.GetParticipantInput{
				StageArn: aws.String(arn), SessionId: aws.String(session), ParticipantId: aws.String(pid),
			})
			return err
		},
	}
}

func TestParticipantIDValidationAgreesWithTheFake(t *testing.T) {
	t.Parallel()
	runTable(t, "GetParticipant", []participantCase{
		{name: "connected participant"},
		{name: "unknown participant", participantID: aws.String(unknownParticipant)},
		{name: "participant ID 64", participantID: aws.String(strings.Repeat("p", 64))},
		{name: "participant ID 65", bad: true, participantID: aws.String(strings.Repeat("p", 65))},
		{name: "participant ID with _", bad: true, participantID: aws.String("self_signed")},
		{name: "participant ID with -", participantID: aws.String("self-signed")},
		{name: "participant ID empty", participantID: aws.String("")},
	})
}
