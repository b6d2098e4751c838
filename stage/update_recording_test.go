package stage_test

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// urMaxSleeps bounds every UpdateRecording of these tests: a helper that keeps waiting past it has its
// context cancelled, so a bug fails the test instead of hanging the suite.
const urMaxSleeps = 500

// urClock drives UpdateRecording's waits on the stagetest Clock: each sleep advances the clock at once,
// then runs the steps whose time has come and onSleep. Nothing is decided by the wall clock.
type urClock struct {
	clock *stagetest.Clock
	start time.Time
	// cancel ends the call's context: at urMaxSleeps, or when onSleep asks.
	cancel context.CancelFunc
	// onSleep, when set, is called before each sleep with its index (from 0) and the duration; it returns
	// true to end the context there.
	onSleep func(i int, d time.Duration) bool

	mu     sync.Mutex
	steps  []fakeStep
	sleeps []time.Duration
}

func (c *urClock) sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	i := len(c.sleeps)
	c.sleeps = append(c.sleeps, d)
	c.mu.Unlock()
	if i >= urMaxSleeps || c.onSleep != nil && c.onSleep(i, d) {
		c.cancel()
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	c.clock.Advance(d)
	elapsed := c.clock.Now().Sub(c.start)
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.steps) > 0 && elapsed >= c.steps[0].at {
		if err := c.steps[0].do(); err != nil {
			return err
		}
		c.steps = c.steps[1:]
	}
	return nil
}

func (c *urClock) option() stage.WaitOption { return stage.WithWaitClock(c.clock.Now, c.sleep) }

func (c *urClock) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.sleeps)
}

// urWorld is a stagetest server on a Clock, a client on it, a context for the call under test and the
// clock its waits run on.
type urWorld struct {
	*world
	ctx   context.Context
	clock *urClock
}

// newURWorld returns a world whose client cancels the call's context once urMaxRequests requests have
// been sent through it, and whose waits stop at urMaxSleeps sleeps: a helper that loops without sleeping
// is bounded too.
func newURWorld(t *testing.T) *urWorld {
	t.Helper()
	w := newWorld(t)
	ctx, cancel := context.WithCancel(t.Context())
	t.Cleanup(cancel)
	cfg := w.srv.Config()
	cfg.HTTPClient = &http.Client{Transport: &boundedTransport{next: w.srv.Transport(), max: urMaxRequests, cancel: cancel}}
	w.stages = stage.NewClientFromConfig(cfg)
	return &urWorld{world: w, ctx: ctx, clock: &urClock{clock: w.clock, start: w.clock.Now(), cancel: cancel}}
}

// urMaxRequests bounds the requests of one test's client (see newURWorld).
const urMaxRequests = 200

// boundedTransport passes requests to next and calls cancel once it has passed max of them.
type boundedTransport struct {
	next   http.RoundTripper
	max    int32
	cancel context.CancelFunc
	n      atomic.Int32
}

func (b *boundedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if b.n.Add(1) >= b.max {
		b.cancel()
	}
	return b.next.RoundTrip(req)
}

// create creates a stage with rec (none when rec is the zero Config) and tokens for users.
func (w *urWorld) create(t *testing.T, rec recording.Config, users ...token.Config) (stage.Stage, []token.Token) {
	t.Helper()
	cfg := stage.New().WithParticipants(users...)
	if _, err := rec.ToSDK(); err == nil {
		cfg = cfg.WithRecording(rec)
	}
	st, toks, err := w.stages.Create(t.Context(), cfg)
	require.NoError(t, err)
	return st, toks
}

// since returns the requests the server received from index n on.
func since(srv *stagetest.Server, n int) []stagetest.Request { return srv.Requests()[n:] }

// operations names reqs' operations, in order.
func operations(reqs []stagetest.Request) []string {
	out := make([]string, len(reqs))
	for i, r := range reqs {
		out[i] = r.Operation
	}
	return out
}

// bodiesOf returns the JSON bodies of the requests of op in reqs.
func bodiesOf(reqs []stagetest.Request, op string) []map[string]any {
	var out []map[string]any
	for _, r := range reqs {
		if r.Operation == op {
			out = append(out, r.JSON())
		}
	}
	return out
}

// audioOnly records audio only, with every other field away from its default.
func audioOnly(storage string) recording.Config {
	return recording.New(storage).
		WithMediaType(recording.MediaAudioOnly).
		WithThumbnails(recording.ThumbnailsEvery(30*time.Second, recording.StorageSequential, recording.StorageLatest)).
		WithHLSSegmentDuration(4 * time.Second).
		WithReconnectWindow(time.Minute)
}

// A change whose result puts on the wire what the stage has sends nothing after the GetStage, whether it
// returns its argument or builds equal values anew, and returns the stage as read.
func TestUpdateRecordingUnchanged(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		recording bool // the stage records (audioOnly); else recording is off
		replicas  bool // with recording: recordParticipantReplicas
		change    func(storage string, c recording.Config) recording.Config
	}{
		{"identity", true, true, func(_ string, c recording.Config) recording.Config { return c }},
		{"the same values set again", true, true, func(_ string, c recording.Config) recording.Config {
			return c.WithReconnectWindow(time.Minute).WithMediaType(recording.MediaAudioOnly).WithRecordReplicas(true)
		}},
		{"rebuilt from scratch, replicas off", true, false, func(storage string, _ recording.Config) recording.Config {
			return audioOnly(storage).WithRecordReplicas(false)
		}},
		{"off stays off", false, true, func(string, recording.Config) recording.Config { return recording.Disabled() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newURWorld(t)
			storage := w.srv.MustAddStorageConfiguration("recordings")
			var rec recording.Config
			if tt.recording {
				rec = audioOnly(storage).WithRecordReplicas(tt.replicas)
			}
			st, _ := w.create(t, rec)
			n := w.srv.RequestCount()

			got, err := w.stages.UpdateRecording(w.ctx, st.ARN, func(c recording.Config) recording.Config {
				return tt.change(storage, c)
			}, w.clock.option())
			require.NoError(t, err)
			assert.Equal(t, []string{"GetStage"}, operations(since(w.srv, n)), "only the read")
			assert.Equal(t, st, got, "the stage as read")
			assert.Zero(t, w.clock.count(), "no wait")
		})
	}
}

// wantAudioOnly is the UpdateStage body of audioOnly(storage) with the reconnect window set to window and
// recordParticipantReplicas to replicas: every field the stage had, sent back.
func wantAudioOnly(arn, storage string, window time.Duration, replicas bool) map[string]any {
	return map[string]any{
		"arn": arn,
		"autoParticipantRecordingConfiguration": map[string]any{
			"storageConfigurationArn": storage,
			"mediaTypes":              []any{"AUDIO_ONLY"},
			"thumbnailConfiguration": map[string]any{
				"recordingMode": "INTERVAL", "targetIntervalSeconds": float64(30), "storage": []any{"SEQUENTIAL", "LATEST"},
			},
			"hlsConfiguration":                map[string]any{"targetSegmentDurationSeconds": float64(4)},
			"recordingReconnectWindowSeconds": window.Seconds(),
			"recordParticipantReplicas":       replicas,
		},
	}
}

// A change on an idle stage: the read, the wait's poll (one GetStage without a session; with one, a
// ListParticipants per in-progress recording state, 200 ms apart), then one UpdateStage carrying the whole
// recording object, so what the change left alone (the AUDIO_ONLY media type, the thumbnails, the HLS
// segment) is kept. It returns the stage as updated, as a later Get reads it.
func TestUpdateRecordingChanged(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		recording bool // the stage records audioOnly (replicas true); else recording is off
		// replicasOff: the stage records with recordParticipantReplicas false
		replicasOff bool
		connected   bool // a participant is connected (an active session), not publishing
		change      func(storage string, c recording.Config) recording.Config
		wantOps     []string
		wantBody    func(arn, storage string) map[string]any
		want        func(storage string) recording.Settings
	}{
		{
			name: "reconnect window, no session", recording: true,
			change:  func(_ string, c recording.Config) recording.Config { return c.WithReconnectWindow(2 * time.Minute) },
			wantOps: []string{"GetStage", "GetStage", "UpdateStage"},
			wantBody: func(arn, storage string) map[string]any {
				return wantAudioOnly(arn, storage, 2*time.Minute, true)
			},
			want: func(storage string) recording.Settings { return audioOnlySettings(storage, 2*time.Minute, true) },
		},
		{
			name: "reconnect window, a participant connected", recording: true, connected: true,
			change:  func(_ string, c recording.Config) recording.Config { return c.WithReconnectWindow(2 * time.Minute) },
			wantOps: []string{"GetStage", "GetStage", "ListParticipants", "ListParticipants", "ListParticipants", "UpdateStage"},
			wantBody: func(arn, storage string) map[string]any {
				return wantAudioOnly(arn, storage, 2*time.Minute, true)
			},
			want: func(storage string) recording.Settings { return audioOnlySettings(storage, 2*time.Minute, true) },
		},
		{
			name: "replicas off", recording: true,
			change:  func(_ string, c recording.Config) recording.Config { return c.WithRecordReplicas(false) },
			wantOps: []string{"GetStage", "GetStage", "UpdateStage"},
			wantBody: func(arn, storage string) map[string]any {
				return wantAudioOnly(arn, storage, time.Minute, false)
			},
			want: func(storage string) recording.Settings { return audioOnlySettings(storage, time.Minute, false) },
		},
		{
			name: "replicas back to the default, no other change", recording: true, replicasOff: true,
			change:  func(storage string, _ recording.Config) recording.Config { return audioOnly(storage) },
			wantOps: []string{"GetStage", "GetStage", "UpdateStage"},
			wantBody: func(arn, storage string) map[string]any {
				body := wantAudioOnly(arn, storage, time.Minute, true)
				delete(body["autoParticipantRecordingConfiguration"].(map[string]any), "recordParticipantReplicas")
				return body
			},
			want: func(storage string) recording.Settings { return audioOnlySettings(storage, time.Minute, true) },
		},
		{
			name: "recording off", recording: true,
			change:  func(string, recording.Config) recording.Config { return recording.Disabled() },
			wantOps: []string{"GetStage", "GetStage", "UpdateStage"},
			wantBody: func(arn, _ string) map[string]any {
				return map[string]any{"arn": arn, "autoParticipantRecordingConfiguration": map[string]any{"storageConfigurationArn": ""}}
			},
			want: func(string) recording.Settings { return recording.Disabled().Effective() },
		},
		{
			name: "recording on", recording: false, connected: true,
			change: func(storage string, _ recording.Config) recording.Config {
				return recording.New(storage).WithMediaType(recording.MediaAudioOnly)
			},
			wantOps: []string{"GetStage", "GetStage", "ListParticipants", "ListParticipants", "ListParticipants", "UpdateStage"},
			wantBody: func(arn, storage string) map[string]any {
				return map[string]any{"arn": arn, "autoParticipantRecordingConfiguration": map[string]any{
					"storageConfigurationArn": storage, "mediaTypes": []any{"AUDIO_ONLY"},
				}}
			},
			want: func(storage string) recording.Settings {
				return recording.New(storage).WithMediaType(recording.MediaAudioOnly).Effective()
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newURWorld(t)
			storage := w.srv.MustAddStorageConfiguration("recordings")
			var rec recording.Config
			if tt.recording {
				rec = audioOnly(storage).WithRecordReplicas(!tt.replicasOff)
			}
			st, toks := w.create(t, rec, token.New().WithUserID("viewer"))
			if tt.connected {
				w.join(t, st, toks[0])
			}
			n := w.srv.RequestCount()
			var calls int
			var given recording.Config

			got, err := w.stages.UpdateRecording(w.ctx, st.ARN, func(c recording.Config) recording.Config {
				calls++
				given = c
				return tt.change(storage, c)
			}, w.clock.option())
			require.NoError(t, err)
			reqs := since(w.srv, n)
			assert.Equal(t, tt.wantOps, operations(reqs))
			updates := bodiesOf(reqs, "UpdateStage")
			require.Len(t, updates, 1)
			assert.Equal(t, tt.wantBody(st.ARN, storage), updates[0])
			assert.Equal(t, 1, calls, "change is called once")
			assert.Equal(t, st.Recording, given.Effective(), "change is given what the stage has")

			assert.Equal(t, tt.want(storage), got.Recording, "the stage as updated")
			again, err := w.stages.Get(t.Context(), st.ARN)
			require.NoError(t, err)
			assert.Equal(t, again.Recording, got.Recording)
			assert.Equal(t, st.ARN, got.ARN)
		})
	}
}

// audioOnlySettings are the settings of audioOnly(storage) with the reconnect window and replicas given.
func audioOnlySettings(storage string, window time.Duration, replicas bool) recording.Settings {
	return recording.Settings{
		StorageConfigurationARN: storage, Enabled: true,
		MediaType:     recording.MediaAudioOnly,
		ThumbnailMode: recording.ThumbnailsInterval, ThumbnailInterval: 30 * time.Second,
		ThumbnailStorage:   []recording.ThumbnailStorage{recording.StorageSequential, recording.StorageLatest},
		HLSSegmentDuration: 4 * time.Second, ReconnectWindow: window, RecordReplicas: replicas,
	}
}

// While a participant is being recorded, UpdateRecording waits (on the fake's clock, polls every 2 s)
// until the recording has ended, and only then sends its one UpdateStage, which the service accepts at
// once: when the publisher leaves (reconnect window 0: the recording ends there), or once the reconnect
// window after the publisher stopped has run out.
func TestUpdateRecordingWaitsForRecordingToEnd(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		window time.Duration // the stage's reconnect window
		stop   func(srv *stagetest.Server, arn, id string) error
		idleAt time.Duration // when recording ends, since the start of the call
	}{
		{"the publisher leaves at 5 s", 0, (*stagetest.Server).Leave, 5 * time.Second},
		{"the publisher stops at 5 s, window 30 s", 30 * time.Second, (*stagetest.Server).Unpublish, 35 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newURWorld(t)
			storage := w.srv.MustAddStorageConfiguration("recordings")
			st, toks := w.create(t, audioOnly(storage).WithReconnectWindow(tt.window), token.New().WithUserID("host"))
			host := w.join(t, st, toks[0])[0]
			require.NoError(t, w.srv.Publish(st.ARN, host))
			w.clock.steps = []fakeStep{{at: 5 * time.Second, do: func() error { return tt.stop(w.srv, st.ARN, host) }}}
			n := w.srv.RequestCount()
			start := w.clock.clock.Now()

			got, err := w.stages.UpdateRecording(w.ctx, st.ARN, func(c recording.Config) recording.Config {
				return c.WithReconnectWindow(2 * time.Minute)
			}, w.clock.option())
			require.NoError(t, err)
			assert.Equal(t, 2*time.Minute, got.Recording.ReconnectWindow)
			assert.Equal(t, recording.MediaAudioOnly, got.Recording.MediaType, "kept")

			reqs := since(w.srv, n)
			var updates []stagetest.Request
			for _, r := range reqs {
				if r.Operation == "UpdateStage" {
					updates = append(updates, r)
				}
			}
			require.Len(t, updates, 1, "one UpdateStage: never refused")
			at := updates[0].Time.Sub(start)
			assert.Greater(t, at, tt.idleAt, "updated after the recording ended")
			assert.LessOrEqual(t, at, tt.idleAt+stage.DefaultPollInterval, "within a poll interval of its end")
			assert.Equal(t, "UpdateStage", reqs[len(reqs)-1].Operation, "nothing after the update")
			assert.Greater(t, len(bodiesOf(reqs, "GetStage")), 2, "the wait polled more than once")
		})
	}
}

// A 409 ConflictException on the UpdateStage (someone started being recorded between the wait and the
// update) makes UpdateRecording wait one poll interval, wait until idle again and send the same update,
// which then succeeds.
func TestUpdateRecordingRetriesConflict(t *testing.T) {
	t.Parallel()
	w := newURWorld(t)
	storage := w.srv.MustAddStorageConfiguration("recordings")
	st, _ := w.create(t, audioOnly(storage).WithRecordReplicas(true))
	w.srv.FailNext("UpdateStage", http.StatusConflict, "ConflictException")
	n := w.srv.RequestCount()

	got, err := w.stages.UpdateRecording(w.ctx, st.ARN, func(c recording.Config) recording.Config {
		return c.WithReconnectWindow(2 * time.Minute)
	}, stage.WithPollInterval(time.Second), w.clock.option())
	require.NoError(t, err)
	assert.Equal(t, 2*time.Minute, got.Recording.ReconnectWindow)
	reqs := since(w.srv, n)
	assert.Equal(t, []string{"GetStage", "GetStage", "UpdateStage", "GetStage", "UpdateStage"}, operations(reqs))
	want := wantAudioOnly(st.ARN, storage, 2*time.Minute, true)
	assert.Equal(t, []map[string]any{want, want}, bodiesOf(reqs, "UpdateStage"), "the same update twice")
	assert.Equal(t, []time.Duration{time.Second}, w.clock.sleeps, "one poll interval between the attempts")
}

// A stage the service keeps refusing (409 although nobody is recorded, as SetRecordingActive forces it):
// UpdateRecording asks once per poll interval, never in a tight loop, until its context ends, and then
// returns a *stage.WaitError that wraps context.Canceled.
func TestUpdateRecordingConflictUntilContextEnds(t *testing.T) {
	t.Parallel()
	w := newURWorld(t)
	storage := w.srv.MustAddStorageConfiguration("recordings")
	st, _ := w.create(t, audioOnly(storage))
	w.srv.SetRecordingActive(st.ARN, true)
	const attempts = 4
	w.clock.onSleep = func(i int, _ time.Duration) bool { return i == attempts-1 }
	n := w.srv.RequestCount()

	_, err := w.stages.UpdateRecording(w.ctx, st.ARN, func(c recording.Config) recording.Config {
		return c.WithReconnectWindow(2 * time.Minute)
	}, w.clock.option())
	require.ErrorIs(t, err, context.Canceled)
	var we *stage.WaitError
	require.ErrorAs(t, err, &we)
	assert.Equal(t, st.ARN, we.StageARN)
	assert.Empty(t, we.Recording, "no poll found anyone")
	reqs := since(w.srv, n)
	assert.Len(t, bodiesOf(reqs, "UpdateStage"), attempts, "one attempt per poll interval")
	assert.Equal(t, []time.Duration{stage.DefaultPollInterval, stage.DefaultPollInterval, stage.DefaultPollInterval, stage.DefaultPollInterval},
		w.clock.sleeps)
	assert.Equal(t, "UpdateStage", reqs[len(reqs)-1].Operation, "nothing sent once the context ended")
}

// Cancelled while a participant is being recorded: UpdateRecording returns the wait's *stage.WaitError,
// which names the participant (and its user) still being recorded, and no UpdateStage was sent.
func TestUpdateRecordingCancelledDuringWait(t *testing.T) {
	t.Parallel()
	w := newURWorld(t)
	storage := w.srv.MustAddStorageConfiguration("recordings")
	st, toks := w.create(t, audioOnly(storage), token.New().WithUserID("host"))
	host := w.join(t, st, toks[0])[0]
	require.NoError(t, w.srv.Publish(st.ARN, host))
	w.clock.onSleep = func(i int, _ time.Duration) bool { return i == 5 }
	n := w.srv.RequestCount()

	_, err := w.stages.UpdateRecording(w.ctx, st.ARN, func(c recording.Config) recording.Config {
		return c.WithReconnectWindow(2 * time.Minute)
	}, w.clock.option())
	require.ErrorIs(t, err, context.Canceled)
	var we *stage.WaitError
	require.ErrorAs(t, err, &we)
	require.Len(t, we.Recording, 1)
	assert.Equal(t, host, we.Recording[0].ID)
	assert.Equal(t, "host", we.Recording[0].UserID)
	assert.Equal(t, "stage: WaitRecordingIdle "+st.ARN+": context canceled; still recording: participant "+host+" (user host)", err.Error())
	assert.Empty(t, bodiesOf(since(w.srv, n), "UpdateStage"))
	assert.Equal(t, 6, w.clock.count(), "no sleep after the context ended")
}

// Throttled requests (429 ThrottlingException) are retried by the SDK: the read and the update each
// succeed on their second attempt, and the update is sent once more, unchanged.
func TestUpdateRecordingThrottled(t *testing.T) {
	t.Parallel()
	w := newURWorld(t)
	storage := w.srv.MustAddStorageConfiguration("recordings")
	st, _ := w.create(t, audioOnly(storage).WithRecordReplicas(true))
	w.srv.FailNext("GetStage", http.StatusTooManyRequests, "ThrottlingException")
	w.srv.FailNext("UpdateStage", http.StatusTooManyRequests, "ThrottlingException")
	n := w.srv.RequestCount()

	got, err := w.stages.UpdateRecording(w.ctx, st.ARN, func(c recording.Config) recording.Config {
		return c.WithReconnectWindow(2 * time.Minute)
	}, w.clock.option())
	require.NoError(t, err)
	assert.Equal(t, 2*time.Minute, got.Recording.ReconnectWindow)
	reqs := since(w.srv, n)
	require.Equal(t, []string{"GetStage", "GetStage", "GetStage", "UpdateStage", "UpdateStage"}, operations(reqs))
	assert.Contains(t, reqs[1].Header.Get("Amz-Sdk-Request"), "attempt=2", "the read's retry")
	assert.Contains(t, reqs[4].Header.Get("Amz-Sdk-Request"), "attempt=2", "the update's retry")
	want := wantAudioOnly(st.ARN, storage, 2*time.Minute, true)
	assert.Equal(t, []map[string]any{want, want}, bodiesOf(reqs, "UpdateStage"))
	assert.Zero(t, w.clock.count(), "the SDK's own backoff, not the wait's")
}

// A request's error ends UpdateRecording with that error, typed as the SDK types it: an unknown stage
// (404, no retry) before change is called, and an internal error of the wait's ListParticipants (500,
// retried until the SDK gives up) before any UpdateStage.
func TestUpdateRecordingErrors(t *testing.T) {
	t.Parallel()
	t.Run("unknown stage", func(t *testing.T) {
		t.Parallel()
		w := newURWorld(t)
		const unknown = "arn:aws:ivs:us-east-1:123456789012:stage/Unknown12345"
		called := false
		_, err := w.stages.UpdateRecording(w.ctx, unknown, func(c recording.Config) recording.Config {
			called = true
			return c
		}, w.clock.option())
		var notFound *types.ResourceNotFoundException
		require.ErrorAs(t, err, &notFound)
		assert.Contains(t, err.Error(), unknown, "the service's words")
		assert.False(t, called)
		assert.Equal(t, []string{"GetStage"}, operations(w.srv.Requests()))
	})
	t.Run("internal error while waiting", func(t *testing.T) {
		t.Parallel()
		w := newURWorld(t)
		storage := w.srv.MustAddStorageConfiguration("recordings")
		st, toks := w.create(t, audioOnly(storage), token.New())
		w.join(t, st, toks[0]) // an active session: the wait lists participants
		for range stagetest.RetryMaxAttempts {
			w.srv.FailNext("ListParticipants", http.StatusInternalServerError, "InternalServerException")
		}
		n := w.srv.RequestCount()
		_, err := w.stages.UpdateRecording(w.ctx, st.ARN, func(c recording.Config) recording.Config {
			return c.WithReconnectWindow(2 * time.Minute)
		}, w.clock.option())
		var internal *types.InternalServerException
		require.ErrorAs(t, err, &internal)
		assert.Equal(t, []string{"GetStage", "GetStage", "ListParticipants", "ListParticipants", "ListParticipants"},
			operations(since(w.srv, n)), "the SDK's attempts, then no UpdateStage")
	})
}

// The arguments are checked before anything is sent: a stage ARN (≤ 128 code points, the stage pattern),
// a change (not nil) and a poll interval of at least 200 ms. The valid boundaries go on to the read.
func TestUpdateRecordingValidation(t *testing.T) {
	t.Parallel()
	identity := func(c recording.Config) recording.Config { return c }
	tests := []struct {
		name     string
		arn      string // "" is replaced by the stage's ARN unless empty is set
		empty    bool
		change   func(recording.Config) recording.Config
		interval time.Duration
		want     map[string]string
	}{
		{name: "valid, 200 ms", change: identity, interval: stage.MinPollInterval},
		{name: "ARN of 128 code points", arn: stageARNWithLength(128), change: identity, interval: time.Second},
		{name: "ARN of 129 code points", arn: stageARNWithLength(129), change: identity, interval: time.Second,
			want: map[string]string{"UpdateRecording.StageArn": rules.RuleLength}},
		{name: "empty ARN", empty: true, change: identity, interval: time.Second,
			want: map[string]string{"UpdateRecording.StageArn": rules.RuleLength}},
		{name: "not a stage ARN", arn: storageARN, change: identity, interval: time.Second,
			want: map[string]string{"UpdateRecording.StageArn": rules.RulePattern}},
		{name: "nil change", change: nil, interval: time.Second,
			want: map[string]string{"UpdateRecording.Change": rules.RuleRequired}},
		{name: "199 ms", change: identity, interval: stage.MinPollInterval - time.Millisecond,
			want: map[string]string{"UpdateRecording.PollInterval": rules.RuleRange}},
		{name: "everything at once", arn: "stage/x", change: nil, interval: 0, want: map[string]string{
			"UpdateRecording.StageArn": rules.RulePattern, "UpdateRecording.Change": rules.RuleRequired,
			"UpdateRecording.PollInterval": rules.RuleRange,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newURWorld(t)
			st, _ := w.create(t, recording.Config{})
			arn := tt.arn
			if arn == "" && !tt.empty {
				arn = st.ARN
			}
			n := w.srv.RequestCount()
			_, err := w.stages.UpdateRecording(w.ctx, arn, tt.change, stage.WithPollInterval(tt.interval), w.clock.option())
			if tt.want == nil {
				// A valid ARN of another stage is the service's to refuse; the request was sent.
				assert.Equal(t, []string{"GetStage"}, operations(since(w.srv, n)))
				return
			}
			assertInvalid(t, err, "UpdateRecording", tt.want)
			assert.Equal(t, n, w.srv.RequestCount(), "nothing sent")
		})
	}
}

// The change's result is validated as the UpdateStage input it becomes, after the read and before
// anything else is sent; both boundaries of the reconnect window (0 and 300 s) go through.
func TestUpdateRecordingInvalidChange(t *testing.T) {
	t.Parallel()
	const path = "UpdateStageInput.AutoParticipantRecordingConfiguration."
	tests := []struct {
		name   string
		change func(recording.Config) recording.Config
		want   map[string]string // nil: valid, sent
	}{
		{"window 0", func(c recording.Config) recording.Config { return c.WithReconnectWindow(0) }, nil},
		{"window -1 s", func(c recording.Config) recording.Config { return c.WithReconnectWindow(-time.Second) },
			map[string]string{path + "RecordingReconnectWindowSeconds": rules.RuleRange}},
		{"window 300 s", func(c recording.Config) recording.Config { return c.WithReconnectWindow(300 * time.Second) }, nil},
		{"window 301 s", func(c recording.Config) recording.Config { return c.WithReconnectWindow(301 * time.Second) },
			map[string]string{path + "RecordingReconnectWindowSeconds": rules.RuleRange}},
		{"window 1.5 s", func(c recording.Config) recording.Config { return c.WithReconnectWindow(1500 * time.Millisecond) },
			map[string]string{path + "RecordingReconnectWindowSeconds": rules.RuleUnit}},
		{"the zero Config", func(recording.Config) recording.Config { return recording.Config{} },
			map[string]string{path + "StorageConfigurationArn": rules.RuleRequired}},
		{"Disabled with a media type", func(recording.Config) recording.Config {
			return recording.Disabled().WithMediaType(recording.MediaAudioOnly)
		}, map[string]string{path + "MediaTypes": rules.RuleConflict}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newURWorld(t)
			st, _ := w.create(t, audioOnly(w.srv.MustAddStorageConfiguration("recordings")))
			n := w.srv.RequestCount()
			_, err := w.stages.UpdateRecording(w.ctx, st.ARN, tt.change, w.clock.option())
			ops := operations(since(w.srv, n))
			if tt.want == nil {
				require.NoError(t, err)
				assert.Equal(t, []string{"GetStage", "GetStage", "UpdateStage"}, ops)
				return
			}
			assertInvalid(t, err, "UpdateRecording", tt.want)
			assert.Equal(t, []string{"GetStage"}, ops, "only the read: zero UpdateStage")
		})
	}
}

// A change that panics is not recovered: the panic reaches the caller, after the read and before anything
// else is sent.
func TestUpdateRecordingChangePanics(t *testing.T) {
	t.Parallel()
	w := newURWorld(t)
	st, _ := w.create(t, audioOnly(w.srv.MustAddStorageConfiguration("recordings")))
	n := w.srv.RequestCount()
	assert.PanicsWithValue(t, "boom", func() {
		_, _ = w.stages.UpdateRecording(w.ctx, st.ARN, func(recording.Config) recording.Config { panic("boom") }, w.clock.option())
	})
	assert.Equal(t, []string{"GetStage"}, operations(since(w.srv, n)))
}
