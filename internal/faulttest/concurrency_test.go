package faulttest_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/token"
)

// One stage.Client, one token.Client, one stage.Config template and one Update shared by 64 goroutines
// against one fake: each derives its own config, creates, reads, updates and lists its stage and issues
// tokens for it. Under -race nothing races, every call succeeds, every stage ends up on the server with
// its own name and tags, and the shared values are unchanged.
func TestSharedClientsAndTemplateConcurrently(t *testing.T) {
	t.Parallel()
	const workers = 64
	e := newEnv(nil)
	rec := recording.New(e.storage).
		WithMediaType(recording.MediaAudioOnly).
		WithThumbnails(recording.ThumbnailsEvery(30*time.Second, recording.StorageLatest)).
		WithReconnectWindow(time.Minute).
		WithRecordReplicas(false)
	template := stage.New().
		WithName("template").
		WithTags(map[string]string{"team": "media", "env": "test"}).
		WithRecording(rec).
		WithParticipants(
			token.New().WithUserID("host").WithAttribute("role", "host").WithCapabilities(token.Publish, token.Subscribe),
			token.New().WithUserID("guest").WithAttributes(map[string]string{"role": "guest", "seat": "1"}).WithDuration(time.Hour),
		)
	upd := stage.NewUpdate().WithRecording(rec.WithReconnectWindow(2 * time.Minute))
	tokenTemplate := token.New().WithDuration(30*time.Minute).WithAttribute("via", "worker")
	wantTemplate, wantTags, wantUpd := template.String(), template.Tags(), upd.String()

	type outcome struct {
		arn    string
		tokens []token.Token
	}
	outcomes := make([]outcome, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := t.Context()
			name := fmt.Sprintf("stage-%02d", i)
			cfg := template.WithName(name).WithTag("worker", fmt.Sprint(i))
			wantTags := map[string]string{"team": "media", "env": "test", "worker": fmt.Sprint(i)}

			st, parts, err := e.stages.Create(ctx, cfg)
			if !assert.NoError(t, err, "worker %d: Create", i) {
				return
			}
			assert.Equal(t, name, st.Name)
			assert.Equal(t, wantTags, st.Tags)
			assert.Equal(t, rec.Effective(), st.Recording)
			if assert.Len(t, parts, 2) {
				assert.Equal(t, "host", parts[0].UserID)
				assert.Equal(t, map[string]string{"role": "guest", "seat": "1"}, parts[1].Attributes)
			}

			got, err := e.stages.Get(ctx, st.ARN)
			if assert.NoError(t, err, "worker %d: Get", i) {
				assert.Equal(t, st, got)
			}

			updated, err := e.stages.Update(ctx, st.ARN, upd)
			if assert.NoError(t, err, "worker %d: Update", i) {
				assert.Equal(t, 2*time.Minute, updated.Recording.ReconnectWindow)
				assert.Equal(t, name, updated.Name, "the Update sets no name")
			}

			found := false
			for s, err := range e.stages.List(ctx, stage.WithPageSize(25)) {
				if !assert.NoError(t, err, "worker %d: List", i) {
					break
				}
				if s.ARN == st.ARN {
					found = true
					assert.Equal(t, name, s.Name)
					assert.Equal(t, wantTags, s.Tags)
				}
			}
			assert.True(t, found, "worker %d lists its own stage", i)

			one, err := e.tokens.Create(ctx, st.ARN, tokenTemplate.WithUserID(name+"-solo"))
			if assert.NoError(t, err, "worker %d: token.Create", i) {
				assert.Equal(t, name+"-solo", one.UserID)
			}
			cfgs := []token.Config{
				tokenTemplate.WithUserID(name + "-a"),
				tokenTemplate.WithUserID(name + "-b"),
				tokenTemplate.WithUserID(name + "-c"),
			}
			many, err := e.tokens.CreateMany(ctx, st.ARN, cfgs, noLimit)
			if assert.NoError(t, err, "worker %d: CreateMany", i) && assert.Len(t, many, len(cfgs)) {
				for j, tok := range many {
					assert.Equal(t, cfgs[j].UserID(), tok.UserID)
					assert.Equal(t, map[string]string{"via": "worker"}, tok.Attributes)
					assert.NotEmpty(t, tok.Value())
				}
			}
			outcomes[i] = outcome{arn: st.ARN, tokens: append([]token.Token{one}, many...)}
		}()
	}
	wg.Wait()
	require.False(t, t.Failed(), "every call succeeded")

	assert.Equal(t, wantTemplate, template.String(), "the template is unchanged")
	assert.Equal(t, wantTags, template.Tags())
	assert.Equal(t, "template", template.Name())
	assert.Equal(t, wantUpd, upd.String())

	// The server holds exactly the 64 stages, each with its own name, tags and updated recording.
	byARN := map[string]stage.Summary{}
	for s, err := range e.stages.List(t.Context(), stage.WithPageSize(stage.MaxPageSize)) {
		require.NoError(t, err)
		byARN[s.ARN] = s
	}
	require.Len(t, byARN, workers)
	values := map[string]bool{}
	for i, o := range outcomes {
		s, ok := byARN[o.arn]
		require.True(t, ok, "worker %d's stage exists", i)
		assert.Equal(t, fmt.Sprintf("stage-%02d", i), s.Name)
		assert.Equal(t, map[string]string{"team": "media", "env": "test", "worker": fmt.Sprint(i)}, s.Tags)
		for _, tok := range o.tokens {
			values[tok.Value()] = true
		}
	}
	assert.Len(t, values, workers*4, "every token is distinct")

	// On the wire: one CreateStage per worker, each with its own name and worker tag, the shared
	// recording (recordParticipantReplicas: false) and both participants.
	names := map[string]bool{}
	counts := map[string]int{}
	for _, r := range e.srv.Requests() {
		counts[r.Operation]++
		if r.Operation != opCreateStage {
			continue
		}
		body := r.JSON()
		name, _ := body["name"].(string)
		names[name] = true
		tags, _ := body["tags"].(map[string]any)
		var worker int
		_, err := fmt.Sscanf(name, "stage-%d", &worker)
		require.NoError(t, err)
		assert.Equal(t, map[string]any{"team": "media", "env": "test", "worker": fmt.Sprint(worker)}, tags)
		recBody, _ := body["autoParticipantRecordingConfiguration"].(map[string]any)
		assert.Equal(t, false, recBody["recordParticipantReplicas"])
		assert.Len(t, body["participantTokenConfigurations"], 2)
	}
	assert.Len(t, names, workers)
	assert.Equal(t, workers, counts[opCreateStage])
	assert.Equal(t, workers, counts[opGetStage])
	assert.Equal(t, workers, counts[opUpdateStage])
	assert.Equal(t, workers*4, counts[opCreateToken])
}
