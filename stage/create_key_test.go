package stage_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"golang.org/x/time/rate"

	"github.com/ivsrt/ivsrt/internal/budget"
	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// keyConfig is a Config with a request key, three participants and a user tag, on w's clock.
func keyConfig(w *world, key string) stage.Config {
	return stage.New().WithName("show").WithTag("team", "a").
		WithParticipants(participants(3)...).
		WithRequestKey(key).WithClock(w.clock.Now)
}

// opCounts counts the requests srv received since mark, by operation.
func opCounts(srv *stagetest.Server, mark int) map[string]int {
	out := map[string]int{}
	for _, r := range srv.Requests()[mark:] {
		out[r.Operation]++
	}
	return out
}

// stagesWithKey lists the stages of w tagged with key.
func stagesWithKey(t *testing.T, w *world, key string) []string {
	t.Helper()
	var arns []string
	for _, s := range testutil.MustCollect(t, w.stages.List(t.Context())) {
		if s.Tags[stage.TagRequestKey] == key {
			arns = append(arns, s.ARN)
		}
	}
	return arns
}

// userIDs returns the user IDs of tokens, in order.
func userIDs(tokens []token.Token) []string {
	out := make([]string, len(tokens))
	for i, tk := range tokens {
		out[i] = tk.UserID
	}
	return out
}

func TestCreateWithKeyAfterFaults(t *testing.T) {
	tests := []struct {
		name   string
		inject func(srv *stagetest.Server)
		want   map[string]int
		// reissued: the tokens came from CreateParticipantToken (the response was lost).
		reissued bool
	}{
		{
			name:     "lost response: the stage is found, its tokens issued again",
			inject:   func(srv *stagetest.Server) { srv.LoseNextResponse("CreateStage") },
			want:     map[string]int{"CreateStage": 1, "ListStages": 1, "GetStage": 1, "CreateParticipantToken": 3},
			reissued: true,
		},
		{
			name:   "500 before taking effect: the scan finds nothing, the create is sent again",
			inject: func(srv *stagetest.Server) { srv.FailNext("CreateStage", 500, "InternalServerException") },
			want:   map[string]int{"CreateStage": 2, "ListStages": 1},
		},
		{
			name:   "503: ambiguous as every 5xx",
			inject: func(srv *stagetest.Server) { srv.FailNext("CreateStage", 503, "ServiceUnavailable") },
			want:   map[string]int{"CreateStage": 2, "ListStages": 1},
		},
		{
			name:   "429: nothing created, sent again without a scan",
			inject: func(srv *stagetest.Server) { srv.FailNext("CreateStage", 429, "ThrottlingException") },
			want:   map[string]int{"CreateStage": 2},
		},
		{
			name: "two lost responses in a row: still one stage",
			inject: func(srv *stagetest.Server) {
				srv.FailNext("CreateStage", 500, "InternalServerException")
				srv.LoseNextResponse("CreateStage")
			},
			want:     map[string]int{"CreateStage": 2, "ListStages": 2, "GetStage": 1, "CreateParticipantToken": 3},
			reissued: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			tt.inject(w.srv)
			st, tokens, err := w.stages.Create(t.Context(), keyConfig(w, "order-42"))
			require.NoError(t, err)
			assert.Equal(t, tt.want, opCounts(w.srv, 0))
			assert.Equal(t, []string{st.ARN}, stagesWithKey(t, w, "order-42"), "exactly one stage")
			assert.Equal(t, "show", st.Name)
			assert.Equal(t, map[string]string{"team": "a", stage.TagRequestKey: "order-42", stage.TagCreatedAt: "2026-05-01T12:00:00Z"}, st.Tags)
			require.Len(t, tokens, 3)
			assert.Equal(t, []string{"u0", "u1", "u2"}, userIDs(tokens), "cfg's order")
			for _, tk := range tokens {
				assert.NotEmpty(t, tk.Value())
				_, err := w.srv.Join(st.ARN, tk.Value())
				assert.NoError(t, err, "the token joins the stage")
			}
			for _, r := range w.srv.Requests() {
				if r.Operation == "CreateStage" {
					assert.Equal(t, "attempt=1; max=1", r.Header.Get("amz-sdk-request"), "no SDK retries")
				}
				if r.Operation == "CreateParticipantToken" {
					assert.Equal(t, st.ARN, r.JSON()["stageArn"])
				}
			}
		})
	}
}

func TestCreateWithKeyRefusalsAreNotRetried(t *testing.T) {
	tests := []struct {
		name         string
		status       int
		code         string
		wantAs       func(error) bool
		wantOpStatus int
	}{
		{"400 validation", 400, "ValidationException", func(err error) bool { var e *types.ValidationException; return errors.As(err, &e) }, 400},
		{"402 quota", 402, "ServiceQuotaExceededException", func(err error) bool { var e *types.ServiceQuotaExceededException; return errors.As(err, &e) }, 402},
		{"403 access", 403, "AccessDeniedException", func(err error) bool { var e *types.AccessDeniedException; return errors.As(err, &e) }, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			w.srv.FailNext("CreateStage", tt.status, tt.code)
			_, tokens, err := w.stages.Create(t.Context(), keyConfig(w, "k"))
			require.Error(t, err)
			assert.True(t, tt.wantAs(err), "%T: %v", err, err)
			assert.Nil(t, tokens)
			assert.Equal(t, map[string]int{"CreateStage": 1}, opCounts(w.srv, 0), "returned at once, no scan")
			assert.Empty(t, stagesWithKey(t, w, "k"))
		})
	}
}

func TestCreateWithKeyGivesUpAfterMaxAttempts(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for range stage.MaxCreateAttempts {
		w.srv.FailNext("CreateStage", 500, "InternalServerException")
	}
	_, _, err := w.stages.Create(t.Context(), keyConfig(w, "k"))
	var internal *types.InternalServerException
	require.ErrorAs(t, err, &internal)
	assert.Equal(t, map[string]int{"CreateStage": stage.MaxCreateAttempts, "ListStages": stage.MaxCreateAttempts}, opCounts(w.srv, 0))

	// The key is in doubt: the next Create scans first, then creates.
	mark := w.srv.RequestCount()
	st, _, err := w.stages.Create(t.Context(), keyConfig(w, "k"))
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"ListStages": 1, "CreateStage": 1}, opCounts(w.srv, mark))
	assert.Equal(t, []string{st.ARN}, stagesWithKey(t, w, "k"))
}

// cancelAfter returns a per-call option that cancels ctx once a call of operation has returned.
func cancelAfter(operation string, cancel context.CancelFunc) func(*ivsrealtime.Options) {
	return func(o *ivsrealtime.Options) {
		o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
			return s.Initialize.Add(middleware.InitializeMiddlewareFunc("cancelAfter", func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				out, md, err := next.HandleInitialize(ctx, in)
				if middleware.GetOperationName(ctx) == operation {
					cancel()
				}
				return out, md, err
			}), middleware.After)
		})
	}
}

func TestCreateWithKeyContextCancelledMidway(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.srv.LoseNextResponse("CreateStage")
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	_, tokens, err := w.stages.WithOptions(cancelAfter("CreateStage", cancel)).Create(ctx, keyConfig(w, "k"))
	var internal *types.InternalServerException
	require.ErrorAs(t, err, &internal, "the ambiguous failure is returned")
	assert.Nil(t, tokens)
	assert.Equal(t, map[string]int{"CreateStage": 1}, opCounts(w.srv, 0), "nothing more once ctx ended")

	// The stage exists; the client knows the key is in doubt, so the next Create finds it.
	mark := w.srv.RequestCount()
	st, tokens, err := w.stages.Create(t.Context(), keyConfig(w, "k"))
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"ListStages": 1, "GetStage": 1, "CreateParticipantToken": 3}, opCounts(w.srv, mark))
	assert.Equal(t, []string{st.ARN}, stagesWithKey(t, w, "k"))
	assert.Len(t, tokens, 3)
}

func TestCreateWithKnownKey(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	first, firstTokens, err := w.stages.Create(t.Context(), keyConfig(w, "k"))
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"CreateStage": 1}, opCounts(w.srv, 0), "no scan before a create")

	derived := map[string]*stage.Client{
		"same client":  w.stages,
		"WithOptions":  w.stages.WithOptions(func(*ivsrealtime.Options) {}),
		"WithLimiter":  w.stages.WithLimiter("GetStage", nil),
		"both, nested": w.stages.WithOptions().WithLimiter("CreateStage", nil),
	}
	for name, c := range derived {
		mark := w.srv.RequestCount()
		st, tokens, err := c.Create(t.Context(), keyConfig(w, "k"))
		require.NoError(t, err, name)
		assert.Equal(t, map[string]int{"GetStage": 1, "CreateParticipantToken": 3}, opCounts(w.srv, mark), name)
		assert.Equal(t, first.ARN, st.ARN, name)
		assert.Equal(t, []string{"u0", "u1", "u2"}, userIDs(tokens), name)
		assert.NotEqual(t, firstTokens[0].ParticipantID, tokens[0].ParticipantID, "%s: new tokens", name)
	}

	// Another client knows nothing: it creates (the doc says why a key is one process's).
	other := stage.NewClientFromConfig(w.srv.Config())
	mark := w.srv.RequestCount()
	_, _, err = other.Create(t.Context(), keyConfig(w, "k"))
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"CreateStage": 1}, opCounts(w.srv, mark))

	// A known stage deleted since is created anew.
	require.NoError(t, w.stages.Delete(t.Context(), first.ARN))
	mark = w.srv.RequestCount()
	again, _, err := w.stages.Create(t.Context(), keyConfig(w, "k"))
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"GetStage": 1, "CreateStage": 1}, opCounts(w.srv, mark))
	assert.NotEqual(t, first.ARN, again.ARN)
}

func TestCreateWithKeyConcurrent(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.srv.LoseNextResponse("CreateStage")
	const n = 50
	arns := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, tokens, err := w.stages.Create(t.Context(), keyConfig(w, "same").WithParticipants(participants(1)...))
			arns[i], errs[i] = st.ARN, err
			if err == nil && len(tokens) != 1 {
				errs[i] = errors.New("no token")
			}
		}()
	}
	wg.Wait()
	for i := range n {
		require.NoError(t, errs[i], i)
		assert.Equal(t, arns[0], arns[i])
	}
	got := opCounts(w.srv, 0)
	assert.Equal(t, []string{arns[0]}, stagesWithKey(t, w, "same"), "one stage")
	assert.Equal(t, 1, got["CreateStage"])
	assert.Equal(t, 1, got["ListStages"])
	assert.Equal(t, n, got["CreateParticipantToken"])
}

func TestCreateWithKeyTagsOnTheWire(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	cfg := keyConfig(w, "évènement-7")
	_, _, err := w.stages.Create(t.Context(), cfg)
	require.NoError(t, err)
	reqs := w.srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, map[string]any{"team": "a", "ivsrt:request-key": "évènement-7", "ivsrt:created-at": "2026-05-01T12:00:00Z"}, reqs[0].JSON()["tags"])
	assert.Equal(t, map[string]string{"team": "a"}, cfg.Tags(), "the Config's own tags are untouched")

	// Without a key, nothing is added.
	mark := w.srv.RequestCount()
	_, _, err = w.stages.Create(t.Context(), stage.New().WithTag("team", "a"))
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"team": "a"}, w.srv.Requests()[mark].JSON()["tags"])
}

func TestWithRequestKeyValidation(t *testing.T) {
	const keyPath = `CreateStageInput.Tags["ivsrt:request-key"]`
	tests := []struct {
		name string
		cfg  stage.Config
		want map[string]string
	}{
		{"1 code point", stage.New().WithRequestKey("k"), nil},
		{"empty", stage.New().WithRequestKey(""), map[string]string{keyPath: "length"}},
		{"128 code points", stage.New().WithRequestKey(strings.Repeat("é", 128)), nil},
		{"129 code points", stage.New().WithRequestKey(strings.Repeat("é", 129)), map[string]string{keyPath: "length"}},
		{"invalid UTF-8", stage.New().WithRequestKey("k\xff"), map[string]string{keyPath: "utf8"}},
		{"48 user tags + 2", stage.New().WithTags(tagMap(48)).WithRequestKey("k"), nil},
		{"49 user tags + 2", stage.New().WithTags(tagMap(49)).WithRequestKey("k"), map[string]string{"CreateStageInput.Tags": "length"}},
		{"50 user tags without a key", stage.New().WithTags(tagMap(50)), nil},
		{"51 user tags + 2: reported once", stage.New().WithTags(tagMap(51)).WithRequestKey("k"), map[string]string{"CreateStageInput.Tags": "length"}},
		{"a user tag named ivsrt:request-key", stage.New().WithTag(stage.TagRequestKey, "x").WithRequestKey("k"), map[string]string{keyPath + ".Key": "conflict"}},
		{"a user tag named ivsrt:created-at", stage.New().WithTag(stage.TagCreatedAt, "x").WithRequestKey("k"), map[string]string{`CreateStageInput.Tags["ivsrt:created-at"].Key`: "conflict"}},
		{"reserved names without a key are user tags", stage.New().WithTag(stage.TagCreatedAt, "x"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			testutil.AssertViolations(t, tt.cfg.Validate(), tt.want)
			w := newWorld(t)
			_, _, err := w.stages.Create(t.Context(), tt.cfg.WithClock(w.clock.Now))
			if tt.want == nil {
				require.NoError(t, err)
				assert.Equal(t, 1, w.srv.RequestCount())
				return
			}
			assertInvalid(t, err, "CreateStage", tt.want)
			assert.Zero(t, w.srv.RequestCount(), "nothing sent")
		})
	}
}

func TestWithRequestKeyErrorShowsValue(t *testing.T) {
	t.Parallel()
	err := stage.New().WithRequestKey(strings.Repeat("x", 129)).Validate()
	msg := testutil.Messages(t, err)
	assert.Contains(t, msg, `CreateStageInput.Tags["ivsrt:request-key"]`)
	assert.Contains(t, msg, "129")
	assert.Contains(t, msg, "1..128")
}

func TestConfigRequestKeyAccessors(t *testing.T) {
	t.Parallel()
	k, ok := stage.New().RequestKey()
	assert.False(t, ok)
	assert.Empty(t, k)
	cfg := stage.New().WithRequestKey("k")
	k, ok = cfg.RequestKey()
	assert.True(t, ok)
	assert.Equal(t, "k", k)
	assert.Equal(t, "stage.New().WithRequestKey(…)", cfg.String())
}

// breakOnce is a transport that breaks the first call of CreateStage: after the server took it
// (afterServer) or before (the request never arrives), as mode says.
type breakOnce struct {
	next        http.RoundTripper
	mode        string // "reset", "timeout", "truncated" or "refused"
	afterServer bool
	done        atomic.Bool
}

// timeoutError is a net.Error whose Timeout is true, as an attempt's deadline reports it.
type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

func (b *breakOnce) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Path != "/CreateStage" || b.done.Swap(true) {
		return b.next.RoundTrip(req)
	}
	if !b.afterServer {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	}
	resp, err := b.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	switch b.mode {
	case "reset":
		resp.Body.Close()
		return nil, &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	case "timeout":
		resp.Body.Close()
		return nil, &net.OpError{Op: "read", Net: "tcp", Err: timeoutError{}}
	default: // truncated: a 200 whose body breaks off
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(body[:len(body)/2]))
		resp.ContentLength = int64(len(body) / 2)
		return resp, nil
	}
}

func TestCreateWithKeyAfterBrokenConnections(t *testing.T) {
	tests := []struct {
		name        string
		mode        string
		afterServer bool
		want        map[string]int
	}{
		{"connection reset after the server took the create", "reset", true,
			map[string]int{"CreateStage": 1, "ListStages": 1, "GetStage": 1, "CreateParticipantToken": 3}},
		{"read timeout after the server took the create", "timeout", true,
			map[string]int{"CreateStage": 1, "ListStages": 1, "GetStage": 1, "CreateParticipantToken": 3}},
		{"a 200 whose body breaks off", "truncated", true,
			map[string]int{"CreateStage": 1, "ListStages": 1, "GetStage": 1, "CreateParticipantToken": 3}},
		{"connection refused: never arrived, the scan finds nothing", "refused", false,
			map[string]int{"CreateStage": 1, "ListStages": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			cfg := w.srv.Config()
			cfg.HTTPClient = &http.Client{Transport: &breakOnce{next: w.srv.Transport(), mode: tt.mode, afterServer: tt.afterServer}}
			c := stage.NewClientFromConfig(cfg)
			st, tokens, err := c.Create(t.Context(), keyConfig(w, "k"))
			require.NoError(t, err)
			assert.Equal(t, tt.want, opCounts(w.srv, 0), "the server's view")
			assert.Equal(t, []string{st.ARN}, stagesWithKey(t, w, "k"), "exactly one stage")
			assert.Equal(t, []string{"u0", "u1", "u2"}, userIDs(tokens))
		})
	}
}

func TestCreateWithKeyNotSentIsNotAmbiguous(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.stages.WithLimiter("CreateStage", rate.NewLimiter(1, 0)) // lets nothing through
	_, _, err := c.Create(t.Context(), keyConfig(w, "k"))
	require.ErrorIs(t, err, budget.ErrNoBurst)
	assert.Zero(t, w.srv.RequestCount(), "never sent: no scan either")

	// The key is not in doubt: the next Create creates at once.
	_, _, err = w.stages.Create(t.Context(), keyConfig(w, "k"))
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"CreateStage": 1}, opCounts(w.srv, 0))
}

func TestCreateWithKeyScanPages(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for range 150 {
		_, _, err := w.stages.Create(t.Context(), stage.New())
		require.NoError(t, err)
	}
	mark := w.srv.RequestCount()
	w.srv.LoseNextResponse("CreateStage")
	st, _, err := w.stages.Create(t.Context(), keyConfig(w, "k").WithParticipants())
	require.NoError(t, err)
	got := opCounts(w.srv, mark)
	assert.Equal(t, 1, got["CreateStage"])
	assert.Equal(t, 1, got["GetStage"])
	assert.Zero(t, got["CreateParticipantToken"], "no participants, no tokens")
	assert.LessOrEqual(t, got["ListStages"], 2, "151 stages: at most 2 pages of 100")
	for _, r := range w.srv.Requests()[mark:] {
		if r.Operation == "ListStages" {
			assert.Equal(t, float64(stage.MaxPageSize), r.JSON()["maxResults"])
		}
	}
	assert.Equal(t, []string{st.ARN}, stagesWithKey(t, w, "k"))
}
