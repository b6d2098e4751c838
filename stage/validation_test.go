package stage_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
)

// Every input rule of the session, participant, event, replication, tag and list methods, at its
// boundaries: the last valid value is sent (one request), the first invalid one is a validation error of
// the right operation, with exactly the listed violations (all at once), and sends nothing.
func TestValidationBoundaries(t *testing.T) {
	t.Parallel()
	const (
		arn128 = 128
		okSID  = sessionID
	)
	var (
		sid15  = sessionID[:15]
		sid17  = sessionID + "h"
		pid64  = strings.Repeat("a", 64)
		pid65  = strings.Repeat("a", 65)
		reason = strings.Repeat("é", 128)
		attrs  = func(n int) map[string]string { return map[string]string{"k": strings.Repeat("v", n-1)} }
		keys   = func(n int) []string {
			s := make([]string, n)
			for i := range s {
				s[i] = string(rune('a'+i%26)) + strings.Repeat("k", i/26)
			}
			return s
		}
		storage  = "arn:aws:ivs:us-east-1:123456789012:storage-configuration/AbCdEf123456"
		key      = "arn:aws:ivs:us-east-1:123456789012:public-key/AbCdEf123456"
		sessions = func(opts ...stage.ListOption) call {
			return func(t *testing.T, c *stage.Client) error {
				return testutil.FirstErr(c.Sessions(t.Context(), stageARN, opts...))
			}
		}
		participants = func(opts ...stage.ListOption) call {
			return func(t *testing.T, c *stage.Client) error {
				return testutil.FirstErr(c.Participants(t.Context(), stageARN, okSID, opts...))
			}
		}
		events = func(opts ...stage.ListOption) call {
			return func(t *testing.T, c *stage.Client) error {
				return testutil.FirstErr(c.ParticipantEvents(t.Context(), stageARN, okSID, participantID, opts...))
			}
		}
		replicas = func(opts ...stage.ListOption) call {
			return func(t *testing.T, c *stage.Client) error {
				return testutil.FirstErr(c.Replicas(t.Context(), stageARN, participantID, opts...))
			}
		}
		list = func(opts ...stage.ListOption) call {
			return func(t *testing.T, c *stage.Client) error { return testutil.FirstErr(c.List(t.Context(), opts...)) }
		}
		session = func(arn, sid string) call {
			return func(t *testing.T, c *stage.Client) error { _, err := c.Session(t.Context(), arn, sid); return err }
		}
		participant = func(arn, sid, pid string) call {
			return func(t *testing.T, c *stage.Client) error {
				_, err := c.Participant(t.Context(), arn, sid, pid)
				return err
			}
		}
		participantsOf = func(arn, sid string) call {
			return func(t *testing.T, c *stage.Client) error {
				return testutil.FirstErr(c.Participants(t.Context(), arn, sid))
			}
		}
		disconnect = func(arn, pid, reason string) call {
			return func(t *testing.T, c *stage.Client) error { return c.Disconnect(t.Context(), arn, pid, reason) }
		}
		start = func(r stage.Replication) call {
			return func(t *testing.T, c *stage.Client) error { return c.StartReplication(t.Context(), r) }
		}
		stop = func(src, dst, pid string) call {
			return func(t *testing.T, c *stage.Client) error { return c.StopReplication(t.Context(), src, dst, pid) }
		}
		tag = func(arn string, tags map[string]string) call {
			return func(t *testing.T, c *stage.Client) error { return c.Tag(t.Context(), arn, tags) }
		}
		untag = func(arn string, keys ...string) call {
			return func(t *testing.T, c *stage.Client) error { return c.Untag(t.Context(), arn, keys...) }
		}
		repl = stage.NewReplication(stageARN, destinationARN, participantID)
	)
	const (
		gs = "GetStageSessionInput."
		ls = "ListStageSessionsInput."
		gp = "GetParticipantInput."
		lp = "ListParticipantsInput."
		dp = "DisconnectParticipantInput."
		le = "ListParticipantEventsInput."
		sr = "StartParticipantReplicationInput."
		pr = "StopParticipantReplicationInput."
		lr = "ListParticipantReplicasInput."
		tr = "TagResourceInput."
		ur = "UntagResourceInput."
		li = "ListStagesInput."
	)
	tests := []struct {
		name string
		op   string
		call call
		want map[string]string // nil: valid
	}{
		// Stage ARN and session ID.
		{"session: ARN of 128", "GetStageSession", session(stageARNWithLength(arn128), okSID), nil},
		{"session: ARN of 129", "GetStageSession", session(stageARNWithLength(129), okSID), map[string]string{gs + "StageArn": rules.RuleLength}},
		{"session: empty ARN", "GetStageSession", session("", okSID), map[string]string{gs + "StageArn": rules.RuleLength}},
		{"session: channel ARN", "GetStageSession", session("arn:aws:ivs:us-east-1:123456789012:channel/abc", okSID), map[string]string{gs + "StageArn": rules.RulePattern}},
		{"session: ID of 15", "GetStageSession", session(stageARN, sid15), map[string]string{gs + "SessionId": rules.RuleLength}},
		{"session: ID of 17", "GetStageSession", session(stageARN, sid17), map[string]string{gs + "SessionId": rules.RuleLength}},
		{"session: ID without st-", "GetStageSession", session(stageARN, "xx-a1b2c3d4e5f6g"), map[string]string{gs + "SessionId": rules.RulePattern}},
		{"session: ID with _", "GetStageSession", session(stageARN, "st-a1b2c3d4e5f6_"), map[string]string{gs + "SessionId": rules.RulePattern}},
		{"session: everything at once", "GetStageSession", session("stage/x", ""), map[string]string{gs + "StageArn": rules.RulePattern, gs + "SessionId": rules.RuleLength}},
		{"sessions: bad ARN", "ListStageSessions", func(t *testing.T, c *stage.Client) error { return testutil.FirstErr(c.Sessions(t.Context(), "x")) }, map[string]string{ls + "StageArn": rules.RulePattern}},

		// Page sizes: 1..100, Replicas 1..50.
		{"sessions: page 0", "ListStageSessions", sessions(stage.WithPageSize(0)), map[string]string{ls + "MaxResults": rules.RuleRange}},
		{"sessions: page 1", "ListStageSessions", sessions(stage.WithPageSize(1)), nil},
		{"sessions: page 100", "ListStageSessions", sessions(stage.WithPageSize(100)), nil},
		{"sessions: page 101", "ListStageSessions", sessions(stage.WithPageSize(101)), map[string]string{ls + "MaxResults": rules.RuleRange}},
		{"participants: page 0", "ListParticipants", participants(stage.WithPageSize(0)), map[string]string{lp + "MaxResults": rules.RuleRange}},
		{"participants: page 100", "ListParticipants", participants(stage.WithPageSize(100)), nil},
		{"participants: page 101", "ListParticipants", participants(stage.WithPageSize(101)), map[string]string{lp + "MaxResults": rules.RuleRange}},
		{"events: page 1", "ListParticipantEvents", events(stage.WithPageSize(1)), nil},
		{"events: page 101", "ListParticipantEvents", events(stage.WithPageSize(101)), map[string]string{le + "MaxResults": rules.RuleRange}},
		{"replicas: page 0", "ListParticipantReplicas", replicas(stage.WithPageSize(0)), map[string]string{lr + "MaxResults": rules.RuleRange}},
		{"replicas: page 1", "ListParticipantReplicas", replicas(stage.WithPageSize(1)), nil},
		{"replicas: page 50", "ListParticipantReplicas", replicas(stage.WithPageSize(50)), nil},
		{"replicas: page 51", "ListParticipantReplicas", replicas(stage.WithPageSize(51)), map[string]string{lr + "MaxResults": rules.RuleRange}},

		// Participant IDs: 0..64 (the model allows ""); '_' refused by GetParticipant, events and replication, accepted by Disconnect.
		{"participant: ID of 64", "GetParticipant", participant(stageARN, okSID, pid64), nil},
		{"participant: ID of 65", "GetParticipant", participant(stageARN, okSID, pid65), map[string]string{gp + "ParticipantId": rules.RuleLength}},
		{"participant: empty ID (the model allows it)", "GetParticipant", participant(stageARN, okSID, ""), nil},
		{"participant: ID with _", "GetParticipant", participant(stageARN, okSID, "a_b"), map[string]string{gp + "ParticipantId": rules.RulePattern}},
		{"participant: everything at once", "GetParticipant", participant("", sid17, "a b"),
			map[string]string{gp + "StageArn": rules.RuleLength, gp + "SessionId": rules.RuleLength, gp + "ParticipantId": rules.RulePattern}},
		{"events: ID with _", "ListParticipantEvents", func(t *testing.T, c *stage.Client) error {
			return testutil.FirstErr(c.ParticipantEvents(t.Context(), stageARN, okSID, "a_b"))
		}, map[string]string{le + "ParticipantId": rules.RulePattern}},
		{"events: everything at once", "ListParticipantEvents", func(t *testing.T, c *stage.Client) error {
			return testutil.FirstErr(c.ParticipantEvents(t.Context(), "", sid15, pid65, stage.WithPageSize(0)))
		}, map[string]string{le + "StageArn": rules.RuleLength, le + "SessionId": rules.RuleLength, le + "ParticipantId": rules.RuleLength, le + "MaxResults": rules.RuleRange}},
		{"participants: everything at once", "ListParticipants", participantsOf("x", "st-"), map[string]string{lp + "StageArn": rules.RulePattern, lp + "SessionId": rules.RuleLength}},

		// Disconnect: ParticipantTokenId ('_' allowed), reason ≤ 128 code points.
		{"disconnect: ID with _", "DisconnectParticipant", disconnect(stageARN, "a_b", ""), nil},
		{"disconnect: ID of 64", "DisconnectParticipant", disconnect(stageARN, pid64, "spam"), nil},
		{"disconnect: ID of 65", "DisconnectParticipant", disconnect(stageARN, pid65, ""), map[string]string{dp + "ParticipantId": rules.RuleLength}},
		{"disconnect: empty ID (the model allows it)", "DisconnectParticipant", disconnect(stageARN, "", ""), nil},
		{"disconnect: ID with space", "DisconnectParticipant", disconnect(stageARN, "a b", ""), map[string]string{dp + "ParticipantId": rules.RulePattern}},
		{"disconnect: reason of 128", "DisconnectParticipant", disconnect(stageARN, participantID, reason), nil},
		{"disconnect: reason of 129", "DisconnectParticipant", disconnect(stageARN, participantID, reason+"é"), map[string]string{dp + "Reason": rules.RuleLength}},
		{"disconnect: reason not UTF-8", "DisconnectParticipant", disconnect(stageARN, participantID, "\xff"), map[string]string{dp + "Reason": rules.RuleUTF8}},
		{"disconnect: everything at once", "DisconnectParticipant", disconnect("", pid65, reason+"é"),
			map[string]string{dp + "StageArn": rules.RuleLength, dp + "ParticipantId": rules.RuleLength, dp + "Reason": rules.RuleLength}},

		// Replication: window 0..300 whole seconds, attributes ≤ 1 KB of UTF-8.
		{"replication: defaults", "StartParticipantReplication", start(repl), nil},
		{"replication: window 0", "StartParticipantReplication", start(repl.WithReconnectWindow(0)), nil},
		{"replication: window 300 s", "StartParticipantReplication", start(repl.WithReconnectWindow(300 * time.Second)), nil},
		{"replication: window 301 s", "StartParticipantReplication", start(repl.WithReconnectWindow(301 * time.Second)), map[string]string{sr + "ReconnectWindowSeconds": rules.RuleRange}},
		{"replication: window -1 s", "StartParticipantReplication", start(repl.WithReconnectWindow(-time.Second)), map[string]string{sr + "ReconnectWindowSeconds": rules.RuleRange}},
		{"replication: window 1.5 s", "StartParticipantReplication", start(repl.WithReconnectWindow(1500 * time.Millisecond)), map[string]string{sr + "ReconnectWindowSeconds": rules.RuleUnit}},
		{"replication: attributes of 1024 bytes", "StartParticipantReplication", start(repl.WithAttributes(attrs(1024))), nil},
		{"replication: attributes of 1025 bytes", "StartParticipantReplication", start(repl.WithAttributes(attrs(1025))), map[string]string{sr + "Attributes": rules.RuleSize}},
		{"replication: attribute not UTF-8", "StartParticipantReplication", start(repl.WithAttributes(map[string]string{"k": "\xff"})), map[string]string{sr + `Attributes["k"]`: rules.RuleUTF8}},
		{"replication: participant ID with _", "StartParticipantReplication", start(stage.NewReplication(stageARN, destinationARN, "a_b")), map[string]string{sr + "ParticipantId": rules.RulePattern}},
		{"replication: everything at once", "StartParticipantReplication",
			start(stage.NewReplication("", "x", pid65).WithReconnectWindow(time.Hour).WithAttributes(attrs(2000))),
			map[string]string{sr + "SourceStageArn": rules.RuleLength, sr + "DestinationStageArn": rules.RulePattern, sr + "ParticipantId": rules.RuleLength,
				sr + "ReconnectWindowSeconds": rules.RuleRange, sr + "Attributes": rules.RuleSize}},
		{"replication: to the source stage", "StartParticipantReplication", start(stage.NewReplication(stageARN, stageARN, participantID)),
			map[string]string{sr + "DestinationStageArn": rules.RuleConflict}},
		{"replication: two invalid, equal ARNs", "StartParticipantReplication", start(stage.NewReplication("x", "x", participantID)),
			map[string]string{sr + "SourceStageArn": rules.RulePattern, sr + "DestinationStageArn": rules.RulePattern}},
		{"stop replication: valid", "StopParticipantReplication", stop(stageARN, destinationARN, pid64), nil},
		{"stop replication: everything at once", "StopParticipantReplication", stop("", "x", "a_b"),
			map[string]string{pr + "SourceStageArn": rules.RuleLength, pr + "DestinationStageArn": rules.RulePattern, pr + "ParticipantId": rules.RulePattern}},
		{"replicas: everything at once", "ListParticipantReplicas", func(t *testing.T, c *stage.Client) error {
			return testutil.FirstErr(c.Replicas(t.Context(), "x", "", stage.WithPageSize(51)))
		}, map[string]string{lr + "SourceStageArn": rules.RulePattern, lr + "MaxResults": rules.RuleRange}},

		// Filters: one per request, on Participants only; each filter's value.
		{"filter: user ID", "ListParticipants", participants(stage.FilterUserID("u")), nil},
		{"filter: user ID of 128", "ListParticipants", participants(stage.FilterUserID(strings.Repeat("é", 128))), nil},
		{"filter: user ID of 129", "ListParticipants", participants(stage.FilterUserID(strings.Repeat("é", 129))), map[string]string{lp + "FilterByUserId": rules.RuleLength}},
		{"filter: published", "ListParticipants", participants(stage.FilterPublished()), nil},
		{"filter: state", "ListParticipants", participants(stage.FilterState(stage.ParticipantDisconnected)), nil},
		{"filter: unknown state", "ListParticipants", participants(stage.FilterState("connected")), map[string]string{lp + "FilterByState": rules.RuleEnum}},
		{"filter: recording state FAILED", "ListParticipants", participants(stage.FilterRecordingState(recording.StateFailed)), nil},
		{"filter: recording state DISABLED", "ListParticipants", participants(stage.FilterRecordingState(recording.StateDisabled)), map[string]string{lp + "FilterByRecordingState": rules.RuleEnum}},
		{"filter: unknown recording state", "ListParticipants", participants(stage.FilterRecordingState("active")), map[string]string{lp + "FilterByRecordingState": rules.RuleEnum}},
		{"filter: the same filter twice, last wins", "ListParticipants", participants(stage.FilterUserID("a"), stage.FilterUserID("b")), nil},
		// More than one filter is one violation, on the second filter's field (in the model's order).
		{"filter: two filters", "ListParticipants", participants(stage.FilterUserID("u"), stage.FilterPublished()),
			map[string]string{lp + "FilterByPublished": rules.RuleConflict}},
		{"filter: four filters", "ListParticipants", participants(stage.FilterRecordingState(recording.StateActive), stage.FilterState(stage.ParticipantConnected),
			stage.FilterPublished(), stage.FilterUserID("u")),
			map[string]string{lp + "FilterByPublished": rules.RuleConflict}},
		{"filter: on List", "ListStages", list(stage.FilterPublished()), map[string]string{li + "FilterByPublished": rules.RuleConflict}},
		{"filter: on Sessions", "ListStageSessions", sessions(stage.FilterUserID("u")), map[string]string{ls + "FilterByUserId": rules.RuleConflict}},
		{"filter: on ParticipantEvents", "ListParticipantEvents", events(stage.FilterState(stage.ParticipantConnected)), map[string]string{le + "FilterByState": rules.RuleConflict}},
		{"filter: on Replicas", "ListParticipantReplicas", replicas(stage.FilterRecordingState(recording.StateActive), stage.WithPageSize(0)),
			map[string]string{lr + "FilterByRecordingState": rules.RuleConflict, lr + "MaxResults": rules.RuleRange}},

		// Tags: any IVS Real-Time ARN; 1..50 tags, key 1..128, value ≤ 256 code points; 1..50 keys to remove.
		{"tag: stage", "TagResource", tag(stageARN, map[string]string{"k": "v"}), nil},
		{"tag: storage configuration", "TagResource", tag(storage, map[string]string{"k": "v"}), nil},
		{"tag: public key", "TagResource", tag(key, map[string]string{"k": "v"}), nil},
		{"tag: ARN of 128", "TagResource", tag(stageARNWithLength(128), map[string]string{"k": "v"}), nil},
		{"tag: ARN of 129", "TagResource", tag(stageARNWithLength(129), map[string]string{"k": "v"}), map[string]string{tr + "ResourceArn": rules.RuleLength}},
		{"tag: ARN of another service", "TagResource", tag("arn:aws:s3:::bucket/key", map[string]string{"k": "v"}), map[string]string{tr + "ResourceArn": rules.RulePattern}},
		{"tag: 50 tags", "TagResource", tag(stageARN, tagMap(50)), nil},
		{"tag: 51 tags", "TagResource", tag(stageARN, tagMap(51)), map[string]string{tr + "Tags": rules.RuleLength}},
		{"tag: no tags", "TagResource", tag(stageARN, nil), map[string]string{tr + "Tags": rules.RuleRequired}},
		{"tag: an empty map", "TagResource", tag(stageARN, map[string]string{}), map[string]string{tr + "Tags": rules.RuleRequired}},
		{"tag: key of 128, value of 256", "TagResource", tag(stageARN, map[string]string{strings.Repeat("k", 128): strings.Repeat("é", 256)}), nil},
		{"tag: key of 129, value of 257", "TagResource", tag(stageARN, map[string]string{strings.Repeat("k", 129): strings.Repeat("é", 257)}),
			map[string]string{tr + `Tags["` + strings.Repeat("k", 129) + `"].Key`: rules.RuleLength, tr + `Tags["` + strings.Repeat("k", 129) + `"]`: rules.RuleLength}},
		{"tag: empty key", "TagResource", tag(stageARN, map[string]string{"": "v"}), map[string]string{tr + `Tags[""].Key`: rules.RuleLength}},
		{"untag: one key", "UntagResource", untag(stageARN, "k"), nil},
		{"untag: 50 keys", "UntagResource", untag(storage, keys(50)...), nil},
		{"untag: 51 keys", "UntagResource", untag(stageARN, keys(51)...), map[string]string{ur + "TagKeys": rules.RuleLength}},
		{"untag: no keys", "UntagResource", untag(stageARN), map[string]string{ur + "TagKeys": rules.RuleRequired}},
		{"untag: key of 128", "UntagResource", untag(stageARN, strings.Repeat("é", 128)), nil},
		{"untag: key of 129 and an empty key", "UntagResource", untag(stageARN, "ok", strings.Repeat("é", 129), ""),
			map[string]string{ur + "TagKeys[1]": rules.RuleLength, ur + "TagKeys[2]": rules.RuleLength}},
		{"untag: everything at once", "UntagResource", untag("arn:aws:ivs:us-east-1:123456789012:stage/a b"),
			map[string]string{ur + "ResourceArn": rules.RulePattern, ur + "TagKeys": rules.RuleRequired}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			respondAll(t, mock)
			err := tt.call(t, newClient(mock))
			if tt.want == nil {
				assert.NoError(t, err)
				assert.Equal(t, 1, mock.Count(), "a valid input is sent once")
				return
			}
			assertInvalid(t, err, tt.op, tt.want)
			assert.Zero(t, mock.Count(), "an invalid input sends nothing")
		})
	}
}

// Messages name the field, the rule and the value.
func TestValidationMessages(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	c := newClient(mock)
	err := testutil.FirstErr(c.Participants(t.Context(), stageARN, "st-x", stage.FilterUserID("u"), stage.FilterState(stage.ParticipantConnected)))
	msgs := testutil.Messages(t, err)
	assert.Contains(t, msgs, `length 4 is out of range 16..16 code points (value "st-x"), ListParticipantsInput.SessionId.`)
	assert.Contains(t, msgs, "the service allows one filter per request, given 2: FilterByUserId, FilterByState; "+
		"send one and filter the rest client-side (see Client.Participants), ListParticipantsInput.FilterByState.")
	err = testutil.FirstErr(c.Sessions(t.Context(), stageARN, stage.FilterPublished()))
	assert.Contains(t, testutil.Messages(t, err), "participant filters apply only to Client.Participants (ListParticipants), not to ListStageSessions, ListStageSessionsInput.FilterByPublished.")
	err = c.StartReplication(t.Context(), stage.NewReplication(stageARN, destinationARN, participantID).WithReconnectWindow(301*time.Second))
	assert.Contains(t, testutil.Messages(t, err), "value 301 is out of range 0..300, StartParticipantReplicationInput.ReconnectWindowSeconds.")
	err = c.Untag(t.Context(), stageARN)
	assert.Contains(t, testutil.Messages(t, err), "at least one tag key is required (none given), UntagResourceInput.TagKeys.")
	assert.Zero(t, mock.Count())
}

// Invalid input never reaches the service.
func TestInvalidInputNeverReachesFake(t *testing.T) {
	t.Parallel()
	srv := stagetest.New()
	stages := stage.NewClientFromConfig(srv.Config())
	_, _, err := stages.Create(t.Context(), stage.New().WithParticipants(participants(13)...))
	assert.Error(t, err)
	_, err = stages.Get(t.Context(), "")
	assert.Error(t, err)
	_, err = stages.Update(t.Context(), stageARN, stage.NewUpdate())
	assert.Error(t, err)
	assert.Error(t, stages.Delete(t.Context(), "stage/x"))
	for _, err := range stages.List(t.Context(), stage.WithPageSize(101)) {
		assert.Error(t, err)
	}
	assert.Zero(t, srv.RequestCount())
}

// Every required string argument of the stage client (stage ARNs, session IDs, resource ARNs) given as ""
// says "is empty" under its full path, and nothing is sent; participant IDs and reasons may be "" (the
// model's min 0), so they are not among them.
func TestEmptyRequiredArguments(t *testing.T) {
	t.Parallel()
	const (
		arn     = "value is empty; the field is required (1..128 code points), "
		session = "value is empty; the field is required (exactly 16 code points), "
	)
	tests := []struct {
		name string
		call func(t *testing.T, c *stage.Client) error
		want []string // every message, in order
	}{
		{"Get", func(t *testing.T, c *stage.Client) error { _, err := c.Get(t.Context(), ""); return err },
			[]string{arn + "GetStageInput.Arn."}},
		{"Delete", func(t *testing.T, c *stage.Client) error { return c.Delete(t.Context(), "") },
			[]string{arn + "DeleteStageInput.Arn."}},
		{"Sessions", func(t *testing.T, c *stage.Client) error { return testutil.FirstErr(c.Sessions(t.Context(), "")) },
			[]string{arn + "ListStageSessionsInput.StageArn."}},
		{"Session", func(t *testing.T, c *stage.Client) error { _, err := c.Session(t.Context(), "", ""); return err },
			[]string{arn + "GetStageSessionInput.StageArn.", session + "GetStageSessionInput.SessionId."}},
		{"Participants", func(t *testing.T, c *stage.Client) error {
			return testutil.FirstErr(c.Participants(t.Context(), "", ""))
		},
			[]string{arn + "ListParticipantsInput.StageArn.", session + "ListParticipantsInput.SessionId."}},
		{"Participant", func(t *testing.T, c *stage.Client) error {
			_, err := c.Participant(t.Context(), "", "", "")
			return err
		}, []string{arn + "GetParticipantInput.StageArn.", session + "GetParticipantInput.SessionId."}},
		{"Disconnect", func(t *testing.T, c *stage.Client) error { return c.Disconnect(t.Context(), "", "", "") },
			[]string{arn + "DisconnectParticipantInput.StageArn."}},
		{"ParticipantEvents", func(t *testing.T, c *stage.Client) error {
			return testutil.FirstErr(c.ParticipantEvents(t.Context(), "", "", ""))
		}, []string{arn + "ListParticipantEventsInput.StageArn.", session + "ListParticipantEventsInput.SessionId."}},
		{"StartReplication", func(t *testing.T, c *stage.Client) error {
			return c.StartReplication(t.Context(), stage.NewReplication("", "", ""))
		}, []string{arn + "StartParticipantReplicationInput.SourceStageArn.", arn + "StartParticipantReplicationInput.DestinationStageArn."}},
		{"StopReplication", func(t *testing.T, c *stage.Client) error { return c.StopReplication(t.Context(), "", "", "") },
			[]string{arn + "StopParticipantReplicationInput.SourceStageArn.", arn + "StopParticipantReplicationInput.DestinationStageArn."}},
		{"Replicas", func(t *testing.T, c *stage.Client) error { return testutil.FirstErr(c.Replicas(t.Context(), "", "")) },
			[]string{arn + "ListParticipantReplicasInput.SourceStageArn."}},
		{"Tag", func(t *testing.T, c *stage.Client) error { return c.Tag(t.Context(), "", map[string]string{"k": "v"}) },
			[]string{arn + "TagResourceInput.ResourceArn."}},
		{"Untag", func(t *testing.T, c *stage.Client) error { return c.Untag(t.Context(), "", "k") },
			[]string{arn + "UntagResourceInput.ResourceArn."}},
		{"WaitRecordingIdle", func(t *testing.T, c *stage.Client) error { return c.WaitRecordingIdle(t.Context(), "") },
			[]string{arn + "WaitRecordingIdle.StageArn."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			respondAll(t, mock)
			err := tt.call(t, newClient(mock))
			var opErr *smithy.OperationError
			require.ErrorAs(t, err, &opErr)
			msgs := testutil.Messages(t, err)
			assert.Equal(t, strings.Join(tt.want, "\n"), msgs)
			assert.NotContains(t, msgs, "bytes")
			assert.NotContains(t, msgs, "not shown")
			assert.Zero(t, mock.Count(), "nothing sent")
		})
	}
}
