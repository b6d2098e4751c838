package stage_test

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
)

// allUTF8 reports whether every s is valid UTF-8: only then can the wire carry the strings as they are
// (the SDK would send U+FFFD in place of invalid bytes, which the library refuses instead).
func allUTF8(ss ...string) bool {
	for _, s := range ss {
		if !utf8.ValidString(s) {
			return false
		}
	}
	return true
}

// requireRefusedByFake sends a request the library refused straight through the official client to
// stagetest (whose validation is written independently of the library's) and requires a 400
// ValidationException: what the library refuses, the service refuses too.
func requireRefusedByFake(t *testing.T, err error, what string) {
	t.Helper()
	var invalid *types.ValidationException
	require.ErrorAs(t, err, &invalid, "stagetest accepts what the library refuses: %s", what)
}

// Properties of Replication: nothing panics; StartReplication of a Replication that Validate refuses fails
// with those violations and sends nothing, and stagetest, sent the same members raw, refuses them too;
// one that Validate accepts is sent once, and stagetest finds it valid (it answers 404: the stages do not
// exist, not 400).
func FuzzReplication(f *testing.F) {
	other := "arn:aws:ivs:us-east-1:123456789012:stage/Other1"
	for _, s := range []struct {
		src, dst, pid string
		windowSet     bool
		window        int64
		k, v          string
		pad           uint16
	}{
		{stageARN, other, participantID, true, int64(time.Minute), "role", "guest", 0},
		{stageARN, other, participantID, false, 0, "", "", 0},
		{stageARN, other, "", true, 0, "", "", 0},
		{stageARN, stageARN, participantID, false, 0, "", "", 0},
		{stageARN, other, "a_b", true, int64(300 * time.Second), "", "", 0},
		{stageARN, other, participantID, true, int64(301 * time.Second), "", "", 0},
		{stageARN, other, participantID, true, int64(-time.Second), "", "", 0},
		{stageARN, other, participantID, true, int64(1500 * time.Millisecond), "", "", 0},
		{stageARN, other, participantID, false, 0, "k", "", 1017},
		{stageARN, other, participantID, false, 0, "k", "", 1018},
		{stageARN, other, participantID, false, 0, "k", "\xff", 0},
		{"", "x", strings.Repeat("a", 65), false, 0, "", "", 0},
		{stageARNWithLength(129), other, participantID, false, 0, "", "", 0},
	} {
		f.Add(s.src, s.dst, s.pid, s.windowSet, s.window, s.k, s.v, s.pad)
	}
	f.Fuzz(func(t *testing.T, src, dst, pid string, windowSet bool, window int64, k, v string, pad uint16) {
		r := stage.NewReplication(src, dst, pid)
		if windowSet {
			r = r.WithReconnectWindow(time.Duration(window))
		}
		var attrs map[string]string
		if k != "" || v != "" || pad > 0 {
			attrs = map[string]string{k: v, "pad": strings.Repeat("p", int(pad%1100))}
			r = r.WithAttributes(attrs)
		}
		_ = r.String()
		verr := r.Validate()
		srv := stagetest.New()
		err := stage.NewClientFromConfig(srv.Config()).StartReplication(t.Context(), r)
		if verr != nil {
			require.Error(t, err)
			assert.Contains(t, err.Error(), verr.Error())
			var ipe smithy.InvalidParamsError
			require.True(t, errors.As(err, &ipe))
			require.Zero(t, srv.RequestCount(), "a refused replication sends nothing")

			secs := time.Duration(window) / time.Second
			if !allUTF8(src, dst, pid, k, v) || windowSet && (time.Duration(window)%time.Second != 0 || secs < math.MinInt32 || secs > math.MaxInt32) {
				return // the wire cannot carry these members as they are
			}
			in := &ivsrealtime.StartParticipantReplicationInput{SourceStageArn: aws.String(src), DestinationStageArn: aws.String(dst),
				ParticipantId: aws.String(pid), Attributes: attrs}
			if windowSet {
				in.ReconnectWindowSeconds = aws.Int32(int32(secs))
			}
			_, err := ivsrealtime.NewFromConfig(srv.Config()).StartParticipantReplication(t.Context(), in)
			requireRefusedByFake(t, err, r.String())
			return
		}
		var notFound *types.ResourceNotFoundException
		require.ErrorAs(t, err, &notFound, "stagetest refuses what the library accepts: %s", r)
		require.Equal(t, 1, srv.RequestCount())
	})
}

// Properties of the participant filters: nothing panics; Participants with options the library refuses
// yields one validation error and sends nothing, and stagetest, sent the same members raw, refuses them
// too; options it accepts are sent once and stagetest answers them (an empty list: the stage is unknown).
func FuzzParticipantFilters(f *testing.F) {
	for _, s := range []struct {
		sid                     string
		mask                    uint8
		userID, state, recState string
		pageSize                int64
	}{
		{sessionID, 0, "", "", "", 0},
		{sessionID, 1, "host", "", "", 0},
		{sessionID, 2, "", "", "", 0},
		{sessionID, 4, "", "CONNECTED", "", 0},
		{sessionID, 8, "", "", "STOPPING", 0},
		{sessionID, 8, "", "", "DISABLED", 0},
		{sessionID, 3, "host", "", "", 0},
		{sessionID, 15, "host", "DISCONNECTED", "ACTIVE", 0},
		{sessionID, 16, "", "", "", 100},
		{sessionID, 16, "", "", "", 101},
		{sessionID, 17, strings.Repeat("é", 129), "", "", 0},
		{"st-x", 4, "", "connected", "", 0},
	} {
		f.Add(s.sid, s.mask, s.userID, s.state, s.recState, s.pageSize)
	}
	f.Fuzz(func(t *testing.T, sid string, mask uint8, userID, state, recState string, pageSize int64) {
		var opts []stage.ListOption
		raw := &ivsrealtime.ListParticipantsInput{StageArn: aws.String(stageARN), SessionId: aws.String(sid)}
		if mask&1 != 0 {
			opts = append(opts, stage.FilterUserID(userID))
			raw.FilterByUserId = aws.String(userID)
		}
		if mask&2 != 0 {
			opts = append(opts, stage.FilterPublished())
			raw.FilterByPublished = true
		}
		if mask&4 != 0 {
			opts = append(opts, stage.FilterState(stage.ParticipantState(state)))
			raw.FilterByState = types.ParticipantState(state)
		}
		if mask&8 != 0 {
			opts = append(opts, stage.FilterRecordingState(recording.State(recState)))
			raw.FilterByRecordingState = types.ParticipantRecordingFilterByRecordingState(recState)
		}
		if mask&16 != 0 {
			opts = append(opts, stage.WithPageSize(int(pageSize)))
			raw.MaxResults = aws.Int32(int32(pageSize))
		}
		srv := stagetest.New()
		items, errs := collect(stage.NewClientFromConfig(srv.Config()).Participants(t.Context(), stageARN, sid, opts...))
		if srv.RequestCount() == 0 {
			require.Equal(t, []stage.Participant{{}}, items, "a refusal yields once, with the zero Participant")
			require.Len(t, errs, 1)
			var ipe smithy.InvalidParamsError
			require.True(t, errors.As(errs[0], &ipe), "%v", errs[0])
			// The SDK does not send an empty enum, so such a filter cannot reach the fake as given.
			if !allUTF8(sid, userID) || mask&4 != 0 && state == "" || mask&8 != 0 && recState == "" ||
				mask&16 != 0 && (pageSize < math.MinInt32 || pageSize > math.MaxInt32) {
				return
			}
			_, err := ivsrealtime.NewFromConfig(srv.Config()).ListParticipants(t.Context(), raw)
			requireRefusedByFake(t, err, errs[0].Error())
			return
		}
		require.Empty(t, errs, "stagetest refuses what the library accepts: %v", errs)
		require.Equal(t, 1, srv.RequestCount())
	})
}
