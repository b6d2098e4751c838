package stage_test

import (
	"context"
	"fmt"
	"time"

	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// Change one recording setting and keep the others: UpdateRecording reads the stage, hands the change the
// Config that sends exactly what the stage has, waits until nobody is being recorded and sends the whole
// recording object (an Update with only the new field would reset the media type to AUDIO_VIDEO). A change
// that changes nothing sends nothing after the read.
func ExampleClient_UpdateRecording() {
	srv := stagetest.New()
	stages := stage.NewClientFromConfig(srv.Config())
	ctx := context.Background()

	rec := recording.New(srv.MustAddStorageConfiguration("recordings")).WithMediaType(recording.MediaAudioOnly)
	st, tokens, err := stages.Create(ctx, stage.New().WithRecording(rec).WithParticipants(token.New().WithUserID("host")))
	if err != nil {
		fmt.Println(err)
		return
	}
	host := tokens[0].ParticipantID
	_, _ = srv.Join(st.ARN, tokens[0].Value())
	_ = srv.Publish(st.ARN, host) // the host is being recorded: a recording change would be refused (409)
	_ = srv.Leave(st.ARN, host)   // the host leaves: the recording ends

	st, err = stages.UpdateRecording(ctx, st.ARN, func(c recording.Config) recording.Config {
		return c.WithReconnectWindow(time.Minute)
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("media:", st.Recording.MediaType, "reconnect window:", st.Recording.ReconnectWindow)

	before := srv.RequestCount()
	_, err = stages.UpdateRecording(ctx, st.ARN, func(c recording.Config) recording.Config {
		return c.WithReconnectWindow(time.Minute) // what the stage already has
	})
	fmt.Println("unchanged:", err, srv.Requests()[before].Operation, srv.RequestCount()-before)
	// Output:
	// media: AUDIO_ONLY reconnect window: 1m0s
	// unchanged: <nil> GetStage 1
}
