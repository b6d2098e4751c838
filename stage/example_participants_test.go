package stage_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// These examples run against stagetest, the in-memory service: its Join, Publish and Leave play the part
// of the participants' apps (the IVS broadcast SDKs). Against AWS, build the client from your aws.Config
// instead.

// List who is on a stage: every participant of the active session, then only those who published.
func ExampleClient_Participants() {
	srv := stagetest.New()
	stages := stage.NewClientFromConfig(srv.Config())
	ctx := context.Background()

	st, tokens, err := stages.Create(ctx, stage.New().WithName("town-hall").WithParticipants(
		token.New().WithUserID("host"),
		token.New().WithUserID("guest"),
		token.New().WithUserID("viewer").WithCapabilities(token.Subscribe)))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range tokens { // the participants' apps join; the host publishes
		if _, err := srv.Join(st.ARN, t.Value()); err != nil {
			fmt.Println(err)
			return
		}
	}
	if err := srv.Publish(st.ARN, tokens[0].ParticipantID); err != nil {
		fmt.Println(err)
		return
	}

	st, err = stages.Get(ctx, st.ARN) // ActiveSessionID: the session the joins started
	if err != nil {
		fmt.Println(err)
		return
	}
	for p, err := range stages.Participants(ctx, st.ARN, st.ActiveSessionID) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(p.UserID, p.State, "published:", p.Published)
	}
	for p, err := range stages.Participants(ctx, st.ARN, st.ActiveSessionID, stage.FilterPublished()) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("publisher:", p.UserID)
	}
	// Output:
	// host CONNECTED published: true
	// guest CONNECTED published: false
	// viewer CONNECTED published: false
	// publisher: host
}

// Disconnect a participant: it leaves the stage, and its token can never join again (issue a new token to
// let the user back). Its events tell the story.
func ExampleClient_Disconnect() {
	srv := stagetest.New()
	stages := stage.NewClientFromConfig(srv.Config())
	ctx := context.Background()

	st, tokens, err := stages.Create(ctx, stage.New().WithParticipants(token.New().WithUserID("host"), token.New().WithUserID("troll")))
	if err != nil {
		fmt.Println(err)
		return
	}
	troll := tokens[1]
	for _, t := range tokens {
		if _, err := srv.Join(st.ARN, t.Value()); err != nil {
			fmt.Println(err)
			return
		}
	}
	st, err = stages.Get(ctx, st.ARN)
	if err != nil {
		fmt.Println(err)
		return
	}

	if err := stages.Disconnect(ctx, st.ARN, troll.ParticipantID, "spamming the chat"); err != nil {
		fmt.Println(err)
		return
	}
	p, err := stages.Participant(ctx, st.ARN, st.ActiveSessionID, troll.ParticipantID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.UserID, p.State)

	_, err = srv.Join(st.ARN, troll.Value()) // the app tries to come back with the same token
	fmt.Println("rejoin refused:", errors.Is(err, stagetest.ErrParticipantDisconnected))

	for e, err := range stages.ParticipantEvents(ctx, st.ARN, st.ActiveSessionID, troll.ParticipantID) {
		if err != nil {
			fmt.Println(err)
			return
		}
		if e.ErrorCode != "" {
			fmt.Println(e.Name, e.ErrorCode)
			continue
		}
		fmt.Println(e.Name)
	}
	// Output:
	// troll DISCONNECTED
	// rejoin refused: true
	// JOINED
	// LEFT
	// JOIN_ERROR INSUFFICIENT_CAPABILITIES
}

// Change the recording configuration safely: the service refuses it (409) while anyone is being recorded,
// so wait until recording is idle, and wait again if someone started publishing in between.
func ExampleClient_WaitRecordingIdle() {
	srv := stagetest.New()
	stages := stage.NewClientFromConfig(srv.Config())
	ctx := context.Background()

	rec := recording.New(srv.MustAddStorageConfiguration("recordings"))
	st, tokens, err := stages.Create(ctx, stage.New().WithRecording(rec).WithParticipants(token.New().WithUserID("host")))
	if err != nil {
		fmt.Println(err)
		return
	}
	host := tokens[0].ParticipantID
	_, _ = srv.Join(st.ARN, tokens[0].Value())
	_ = srv.Publish(st.ARN, host) // the host is being recorded

	update := stage.NewUpdate().WithRecording(rec.WithReconnectWindow(time.Minute))
	_, err = stages.Update(ctx, st.ARN, update)
	fmt.Println("refused while recording:", stage.IsRecordingActiveConflict(err))

	_ = srv.Leave(st.ARN, host) // the host leaves: the recording ends

	for {
		if err := stages.WaitRecordingIdle(ctx, st.ARN); err != nil {
			fmt.Println(err)
			return
		}
		st, err = stages.Update(ctx, st.ARN, update)
		if !stage.IsRecordingActiveConflict(err) {
			break // updated, or another error
		}
		// someone started publishing between the wait and the update: wait again
	}
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("reconnect window:", st.Recording.ReconnectWindow)
	// Output:
	// refused while recording: true
	// reconnect window: 1m0s
}

// Replicate a participant into a second stage, where it appears as a replica, then stop.
func ExampleClient_StartReplication() {
	srv := stagetest.New()
	stages := stage.NewClientFromConfig(srv.Config())
	ctx := context.Background()

	main, tokens, err := stages.Create(ctx, stage.New().WithName("main").WithParticipants(token.New().WithUserID("host")))
	if err != nil {
		fmt.Println(err)
		return
	}
	overflow, _, err := stages.Create(ctx, stage.New().WithName("overflow"))
	if err != nil {
		fmt.Println(err)
		return
	}
	host := tokens[0].ParticipantID
	_, _ = srv.Join(main.ARN, tokens[0].Value())
	_ = srv.Publish(main.ARN, host)

	err = stages.StartReplication(ctx, stage.NewReplication(main.ARN, overflow.ARN, host).
		WithReconnectWindow(30*time.Second).
		WithAttributes(map[string]string{"room": "overflow"}))
	if err != nil {
		fmt.Println(err)
		return
	}
	for r, err := range stages.Replicas(ctx, main.ARN, host) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("replica in overflow:", r.DestinationStageARN == overflow.ARN, r.State)
	}
	overflow, _ = stages.Get(ctx, overflow.ARN)
	p, err := stages.Participant(ctx, overflow.ARN, overflow.ActiveSessionID, host)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.UserID, p.Replication.Type, p.Attributes["room"])

	if err := stages.StopReplication(ctx, main.ARN, overflow.ARN, host); err != nil {
		fmt.Println(err)
		return
	}
	n := 0
	for range stages.Replicas(ctx, main.ARN, host) {
		n++
	}
	fmt.Println("replicas after stop:", n)
	// Output:
	// replica in overflow: true ACTIVE
	// host REPLICA overflow
	// replicas after stop: 0
}

// Tag a stage, then remove one of its tags.
func ExampleClient_Tag() {
	srv := stagetest.New()
	stages := stage.NewClientFromConfig(srv.Config())
	ctx := context.Background()

	st, _, err := stages.Create(ctx, stage.New().WithTag("team", "events"))
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := stages.Tag(ctx, st.ARN, map[string]string{"env": "prod", "cost-center": "42"}); err != nil {
		fmt.Println(err)
		return
	}
	if err := stages.Untag(ctx, st.ARN, "cost-center"); err != nil {
		fmt.Println(err)
		return
	}
	st, err = stages.Get(ctx, st.ARN)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(st.Tags)
	// Output:
	// map[env:prod team:events]
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
