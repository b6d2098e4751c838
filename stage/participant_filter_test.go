package stage_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// More than one participant filter is one violation, whatever the number of filters: on the second
// filter's field (in the model's order), its message naming every filter given and saying that the service
// takes one per request. One filter, or the same filter twice (the last wins), is no violation. Nothing is
// sent either way for the invalid ones.
func TestParticipantFiltersReportedOnce(t *testing.T) {
	t.Parallel()
	const lp = "ListParticipantsInput."
	tests := []struct {
		name      string
		opts      []stage.ListOption
		wantField string // "" = valid
		wantMsg   string
	}{
		{name: "no filter"},
		{name: "one filter", opts: []stage.ListOption{stage.FilterPublished()}},
		{name: "the same filter twice", opts: []stage.ListOption{stage.FilterState(stage.ParticipantConnected), stage.FilterState(stage.ParticipantDisconnected)}},
		{name: "two filters", opts: []stage.ListOption{stage.FilterState(stage.ParticipantConnected), stage.FilterUserID("u")},
			wantField: lp + "FilterByState",
			wantMsg: "the service allows one filter per request, given 2: FilterByUserId, FilterByState; " +
				"send one and filter the rest client-side (see Client.Participants), ListParticipantsInput.FilterByState."},
		{name: "three filters", opts: []stage.ListOption{stage.FilterRecordingState(recording.StateActive), stage.FilterPublished(), stage.FilterState(stage.ParticipantConnected)},
			wantField: lp + "FilterByState",
			wantMsg: "the service allows one filter per request, given 3: FilterByPublished, FilterByState, FilterByRecordingState; " +
				"send one and filter the rest client-side (see Client.Participants), ListParticipantsInput.FilterByState."},
		{name: "four filters", opts: []stage.ListOption{stage.FilterRecordingState(recording.StateActive), stage.FilterState(stage.ParticipantConnected),
			stage.FilterPublished(), stage.FilterUserID("u")},
			wantField: lp + "FilterByPublished",
			wantMsg: "the service allows one filter per request, given 4: FilterByUserId, FilterByPublished, FilterByState, FilterByRecordingState; " +
				"send one and filter the rest client-side (see Client.Participants), ListParticipantsInput.FilterByPublished."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			mock.Respond("ListParticipants", 200, `{"participants": []}`)
			_, errs := collect(newClient(mock).Participants(t.Context(), stageARN, sessionID, tt.opts...))
			if tt.wantField == "" {
				assert.Equal(t, []error(nil), errs)
				assert.Equal(t, 1, mock.Count())
				return
			}
			require.Len(t, errs, 1, "yielded once")
			var invalid smithy.InvalidParamsError
			require.ErrorAs(t, errs[0], &invalid)
			require.Len(t, invalid.Errs(), 1, "one violation, not one per filter: %v", invalid)
			assert.Equal(t, map[string]string{tt.wantField: rules.RuleConflict}, testutil.Violations(t, errs[0]))
			assert.Equal(t, tt.wantMsg, invalid.Errs()[0].Error())
			assert.Zero(t, mock.Count(), "nothing sent")
		})
	}
}

// Two filters and an invalid value of one of them: the conflict once, the value's own violation beside it,
// and the other iterators still refuse every filter one by one (they take none).
func TestParticipantFiltersWithAnInvalidValue(t *testing.T) {
	t.Parallel()
	mock := testutil.NewMock()
	err := firstErr(newClient(mock).Participants(t.Context(), stageARN, sessionID, stage.FilterUserID("u"), stage.FilterState("connected")))
	var invalid smithy.InvalidParamsError
	require.ErrorAs(t, err, &invalid)
	msgs := testutil.Messages(t, err)
	assert.Len(t, invalid.Errs(), 2, msgs)
	assert.Contains(t, msgs, "given 2: FilterByUserId, FilterByState;")
	assert.Contains(t, msgs, `value "connected" is not one of CONNECTED, DISCONNECTED, ListParticipantsInput.FilterByState.`)
	assert.Zero(t, mock.Count())
}

// Combine filters the service cannot combine: send the most selective one, apply the others to what comes
// back.
func ExampleClient_Participants_twoFilters() {
	srv := stagetest.New()
	stages := stage.NewClientFromConfig(srv.Config())
	ctx := context.Background()

	// alice joins from two devices and publishes from one; bob publishes too.
	st, tokens, err := stages.Create(ctx, stage.New().WithParticipants(
		token.New().WithUserID("alice"), token.New().WithUserID("alice"), token.New().WithUserID("bob")))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range tokens {
		if _, err := srv.Join(st.ARN, t.Value()); err != nil {
			fmt.Println(err)
			return
		}
	}
	for _, t := range []token.Token{tokens[0], tokens[2]} {
		if err := srv.Publish(st.ARN, t.ParticipantID); err != nil {
			fmt.Println(err)
			return
		}
	}
	st, err = stages.Get(ctx, st.ARN)
	if err != nil {
		fmt.Println(err)
		return
	}

	// Both filters at once are refused before anything is sent.
	for _, err := range stages.Participants(ctx, st.ARN, st.ActiveSessionID, stage.FilterUserID("alice"), stage.FilterPublished()) {
		fmt.Println(err)
	}

	// One filter sent (the user), the other applied here (published).
	for p, err := range stages.Participants(ctx, st.ARN, st.ActiveSessionID, stage.FilterUserID("alice")) {
		if err != nil {
			fmt.Println(err)
			return
		}
		if !p.Published {
			continue
		}
		fmt.Println("publisher:", p.UserID, "on the first device:", p.ID == tokens[0].ParticipantID)
	}
	// Output:
	// operation error IVS RealTime: ListParticipants, 1 validation error(s) found.
	// - the service allows one filter per request, given 2: FilterByUserId, FilterByPublished; send one and filter the rest client-side (see Client.Participants), ListParticipantsInput.FilterByPublished.
	//
	// publisher: alice on the first device: true
}
