package secretsweep_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/event"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// Groups of the recorded session's producers.
const (
	gParticipants = "participants, sessions, replicas"
	gEvents       = "events (stagetest, event.Parse)"
	gEventErrors  = "event.Parse errors (tampered)"
	gMetadata     = "recording metadata (objects, ParseMetadata)"
	gMetaErrors   = "ParseMetadata errors (tampered)"
	gStorage      = "storage configurations"
	gStageErrors  = "stage errors (sessions, participants, replication, tags)"
	gJoin         = "stagetest Join refusals"
	gMisplaceRec  = "misplaced secrets in storage, stage and Join arguments (input echo)"
)

// recorded is the world of a recorded session: a fake on a manual clock holding a storage configuration, a recorded source
// stage and a destination stage, where participants join with API tokens (issued by the fake) and
// self-signed tokens (minted with key A, imported into this fake), publish, are replicated and recorded.
type recorded struct {
	*world
	clock   *stagetest.Clock
	srv     *stagetest.Server
	stages  *stage.Client
	recs    *recording.Client
	tokens  *token.Client
	storage recording.StorageConfiguration
	src     stage.Stage // recorded, reconnect window recordWindow
	dst     stage.Stage // not recorded
	signer  *token.Signer
	arnB    string // key B's ARN in this fake; deleted once a token signed with it exists

	host, guest, viewer token.Token // API tokens of src from CreateStage
	extra               token.Token // API token of src from token.Client.Create
	self                token.Token // self-signed token of src, signed with key A
	selfB               token.Token // self-signed token of src, signed with key B (deleted later)
	selfOther           token.Token // self-signed token of dst
}

const recordWindow = 10 * time.Second

// newRecorded builds the recorded session's world next to w: its own fake on a manual clock, key A and key B imported,
// and the tokens. The clock starts an hour ahead of the wall clock, which Mint reads: a token minted now
// is valid at the fake however slowly the test runs (issued before the fake's now, expiring 11 hours
// after it), and expires when the clock is advanced 13 hours.
func newRecorded(t *testing.T, s *sweep, w *world) *recorded {
	r := &recorded{world: w, clock: stagetest.NewClock(time.Now().Add(time.Hour))}
	r.srv = stagetest.New(stagetest.WithClock(r.clock.Now))
	cfg := r.srv.Config()
	r.stages, r.recs, r.tokens = stage.NewClientFromConfig(cfg), recording.NewClientFromConfig(cfg), token.NewClientFromConfig(cfg)

	var err error
	r.storage, err = r.recs.CreateStorage(w.ctx, recording.NewStorage("sweep-recordings").WithName("sweep").WithTag("team", "a"))
	require.NoError(t, err)
	arnA, err := r.tokens.ImportPublicKey(w.ctx, "sweep-a", &w.keyA.PublicKey)
	require.NoError(t, err)
	r.arnB, err = r.tokens.ImportPublicKey(w.ctx, "sweep-b", &w.keyB.PublicKey)
	require.NoError(t, err)
	r.signer, err = token.NewSigner(w.keyA, arnA)
	require.NoError(t, err)
	signerB, err := token.NewSigner(w.keyB, r.arnB)
	require.NoError(t, err)

	var toks []token.Token
	r.src, toks, err = r.stages.Create(w.ctx, stage.New().WithName("sweep-source").WithTag("team", "a").
		WithRecording(r.storage.Recording().WithReconnectWindow(recordWindow)).
		WithParticipants(
			token.New().WithUserID("host").WithAttribute("role", "host"),
			token.New().WithUserID("guest").WithAttributes(map[string]string{"role": "guest", "seat": "B2"}),
			token.New().WithUserID("viewer").WithCapabilities(token.Subscribe)))
	require.NoError(t, err)
	require.Len(t, toks, 3)
	r.host, r.guest, r.viewer = toks[0], toks[1], toks[2]
	r.dst, _, err = r.stages.Create(w.ctx, stage.New().WithName("sweep-destination"))
	require.NoError(t, err)
	r.extra, err = r.tokens.Create(w.ctx, r.src.ARN, token.New().WithUserID("extra").WithAttribute("k", "v"))
	require.NoError(t, err)
	r.self, err = r.signer.Mint(r.src.TokenTarget(), token.New().WithUserID("self").WithAttribute("seat", "S1"))
	require.NoError(t, err)
	r.selfB, err = signerB.Mint(r.src.TokenTarget(), token.New().WithUserID("self-b"))
	require.NoError(t, err)
	r.selfOther, err = r.signer.Mint(r.dst.TokenTarget(), token.New().WithUserID("elsewhere"))
	require.NoError(t, err)
	for name, tok := range map[string]token.Token{
		"recorded session: host API token": r.host, "recorded session: guest API token": r.guest, "recorded session: viewer API token": r.viewer,
		"recorded session: token.Create API token": r.extra, "recorded session: self-signed token (key A)": r.self,
		"recorded session: self-signed token (key B)": r.selfB, "recorded session: self-signed token of the destination": r.selfOther,
	} {
		s.secrets.bearer(name, tok)
	}
	return r
}

// recordedSession adds the producers of a recorded session: what one played out on the fake shows through
// the clients, its events and metadata files, storage configurations, Join's refusals, and the parsers'
// and builders' errors on tampered input and misplaced secrets.
func (w *world) recordedSession(t *testing.T, s *sweep) {
	r := newRecorded(t, s, w)
	r.storageConfigurations(t, s)
	r.playOut(t, s)
	r.joinRefusals(t, s)
	r.events(t, s)
	r.metadata(t, s)
	r.stageErrors(t, s)
	r.misplaced(s)
}

// storageConfigurations adds StorageConfiguration values (Create, Get, List), the Config they make, and
// the errors of Validate, CreateStorage, GetStorage and DeleteStorage on the fake.
func (r *recorded) storageConfigurations(t *testing.T, s *sweep) {
	s.value(gStorage, "StorageConfiguration (CreateStorage)", r.storage, nil)
	got, err := r.recs.GetStorage(r.ctx, r.storage.ARN)
	require.NoError(t, err)
	s.value(gStorage, "StorageConfiguration (GetStorage)", got, nil)
	s.value(gStorage, "StorageConfiguration.Recording()", got.Recording(), nil)
	for sc, err := range r.recs.ListStorage(r.ctx) {
		require.NoError(t, err)
		s.value(gStorage, "StorageConfiguration (ListStorage)", sc, nil)
	}
	sto := recording.NewStorage("sweep-recordings").WithName("n").WithTag("k", "v")
	s.text(gStorage, "Storage | String()", sto.String())
	s.value(gStorage, "Storage", sto, nil)

	for _, c := range []struct {
		name string
		s    recording.Storage
	}{
		{"zero Storage", recording.Storage{}},
		{"bucket too short", recording.NewStorage("ab")},
		{"bucket with ..", recording.NewStorage("my..bucket")},
		{"bucket an IP address", recording.NewStorage("192.168.5.4")},
		{"bucket xn--", recording.NewStorage("xn--abc")},
		{"name with a space, 51 tags", recording.NewStorage("ok-bucket").WithName("a b").WithTags(manyTags(51))},
		{"tag key and value too long", recording.NewStorage("ok-bucket").WithTag(strings.Repeat("k", 129), strings.Repeat("v", 257))},
	} {
		s.err(gStorage, "Storage.Validate("+c.name+")", c.s.Validate())
		_, err := r.recs.CreateStorage(r.ctx, c.s)
		s.err(gStorage, "CreateStorage("+c.name+")", err)
	}
	for _, f := range faults {
		tag := fmt.Sprintf("%d %s", f.status, f.code)
		r.failNextOn(r.srv, "CreateStorageConfiguration", f)
		_, err := r.recs.CreateStorage(r.ctx, recording.NewStorage("fault-bucket"))
		s.err(gStorage, "CreateStorage("+tag+")", err)
		r.failNextOn(r.srv, "GetStorageConfiguration", f)
		_, err = r.recs.GetStorage(r.ctx, r.storage.ARN)
		s.err(gStorage, "GetStorage("+tag+")", err)
	}
	unknown := strings.TrimSuffix(r.storage.ARN, r.storage.ID()) + "AAAAAAAAAAAA"
	_, err = r.recs.GetStorage(r.ctx, unknown)
	s.err(gStorage, "GetStorage(unknown)", err)
	err = r.recs.DeleteStorage(r.ctx, unknown)
	s.err(gStorage, "DeleteStorage(unknown)", err)
	err = r.recs.DeleteStorage(r.ctx, "arn:bad")
	s.err(gStorage, "DeleteStorage(invalid ARN)", err)
	r.failNextOn(r.srv, "ListStorageConfigurations", faults[6])
	for _, err := range r.recs.ListStorage(r.ctx) {
		if err != nil {
			s.err(gStorage, "ListStorage(500)", err)
			break
		}
	}
}

func manyTags(n int) map[string]string {
	tags := make(map[string]string, n)
	for i := range n {
		tags[fmt.Sprint("t", i)] = "v"
	}
	return tags
}

// failNextOn is world.failNext for another fake.
func (*recorded) failNextOn(srv *stagetest.Server, op string, f fault) {
	for range f.times {
		srv.FailNext(op, f.status, f.code)
	}
}

// playOut plays a recorded session: the host (API token) and the self-signed participant join and
// publish, the guest and the viewer join, the host is replicated to the destination stage with extra
// attributes, the guest is disconnected; then it adds every Session, Participant, ParticipantEvent and
// Replica the clients read, and the stages.
func (r *recorded) playOut(t *testing.T, s *sweep) {
	join := func(tok token.Token) string {
		id, err := r.srv.Join(r.src.ARN, tok.Value())
		require.NoError(t, err)
		return id
	}
	host, self, guest := join(r.host), join(r.self), join(r.guest)
	join(r.viewer)
	require.NoError(t, r.srv.Publish(r.src.ARN, host))
	require.NoError(t, r.srv.Publish(r.src.ARN, self))
	r.clock.Advance(2 * time.Second) // recordings leave STARTING
	require.NoError(t, r.stages.StartReplication(r.ctx, stage.NewReplication(r.src.ARN, r.dst.ARN, host).
		WithReconnectWindow(30*time.Second).WithAttributes(map[string]string{"replica": "yes"})))
	require.NoError(t, r.stages.Disconnect(r.ctx, r.src.ARN, guest, "removed by the sweep"))
	r.clock.Advance(time.Second)

	st, err := r.stages.Get(r.ctx, r.src.ARN)
	require.NoError(t, err)
	s.value(gParticipants, "stage.Stage (recorded)", st, nil)
	r.readSessions(t, s, "live", r.src.ARN)
	r.readSessions(t, s, "live, destination", r.dst.ARN)
	for rep, err := range r.stages.Replicas(r.ctx, r.src.ARN, host) {
		require.NoError(t, err)
		s.value(gParticipants, "stage.Replica", rep, nil)
	}
	s.value(gParticipants, "stage.Replication", stage.NewReplication(r.src.ARN, r.dst.ARN, host).
		WithReconnectWindow(time.Minute).WithAttributes(map[string]string{"replica": "yes"}), nil)

	// The session ends: the replication stops, publishers unpublish and leave, the window runs out.
	require.NoError(t, r.stages.StopReplication(r.ctx, r.src.ARN, r.dst.ARN, host))
	require.NoError(t, r.srv.Unpublish(r.src.ARN, self))
	require.NoError(t, r.srv.Leave(r.src.ARN, host))
	r.clock.Advance(recordWindow + time.Second)
	r.readSessions(t, s, "ended", r.src.ARN)
}

// readSessions adds every session of a stage and, for each, its participants (listed, filtered and
// fetched) and their events.
func (r *recorded) readSessions(t *testing.T, s *sweep, when, stageARN string) {
	for sess, err := range r.stages.Sessions(r.ctx, stageARN) {
		require.NoError(t, err)
		s.value(gParticipants, "stage.Session ("+when+")", sess, nil)
		one, err := r.stages.Session(r.ctx, stageARN, sess.ID)
		require.NoError(t, err)
		s.value(gParticipants, "Client.Session ("+when+")", one, nil)
		listed := 0
		for _, opt := range []stage.ListOption{nil, stage.FilterPublished(), stage.FilterUserID("self"),
			stage.FilterState(stage.ParticipantConnected), stage.FilterRecordingState(recording.StateActive)} {
			for p, err := range r.stages.Participants(r.ctx, stageARN, sess.ID, opt) {
				require.NoError(t, err)
				listed++
				s.value(gParticipants, "Participants ("+when+") "+p.UserID, p, nil)
				full, err := r.stages.Participant(r.ctx, stageARN, sess.ID, p.ID)
				require.NoError(t, err)
				s.value(gParticipants, "Participant ("+when+") "+p.UserID, full, nil)
				var events []stage.ParticipantEvent
				for e, err := range r.stages.ParticipantEvents(r.ctx, stageARN, sess.ID, p.ID) {
					require.NoError(t, err)
					events = append(events, e)
				}
				require.NotEmpty(t, events)
				s.value(gParticipants, "ParticipantEvents ("+when+") "+p.UserID, events, nil)
			}
		}
		require.NotZero(t, listed, "session %s lists no participant", sess.ID)
	}
}

// joinRefusals adds the error of every refusal of Join, each with a real API token and a real
// self-signed token where the refusal applies to both; the error texts must never hold a token or a
// segment of one.
func (r *recorded) joinRefusals(t *testing.T, s *sweep) {
	raw := r.self.Value()
	parts := strings.Split(raw, ".")
	api := r.extra.Value()
	apiParts := strings.Split(api, ".")
	flip := func(seg string, i int) string {
		b := []byte(seg)
		b[i] = map[bool]byte{true: 'B', false: 'A'}[b[i] == 'A']
		return string(b)
	}
	resignA := func(edit func(h, c map[string]any)) string {
		return resign(t, raw, jwt.SigningMethodES384, r.keyA, edit)
	}
	type refusal struct {
		name, stageARN, token string
		want                  error
	}
	cases := []refusal{
		{"API token, unknown stage", strings.TrimSuffix(r.src.ARN, r.src.ID()) + "AAAAAAAAAAAA", api, stagetest.ErrUnknownStage},
		{"self-signed, unknown stage", "arn:bad", raw, stagetest.ErrUnknownStage},
		{"API token, wrong stage", r.dst.ARN, api, stagetest.ErrWrongStage},
		{"self-signed, wrong stage", r.src.ARN, r.selfOther.Value(), stagetest.ErrWrongStage},
		{"self-signed, topic edited", r.src.ARN, resignA(func(_, c map[string]any) { c["topic"] = "other" }), stagetest.ErrWrongStage},
		{"API token, cut", r.src.ARN, api[:len(api)-10], stagetest.ErrTokenMalformed},
		{"API token, payload flipped", r.src.ARN, apiParts[0] + "." + flip(apiParts[1], 20) + "." + apiParts[2], stagetest.ErrTokenMalformed},
		{"API token, with a newline", r.src.ARN, api + "\n", stagetest.ErrTokenMalformed},
		// 116 of the signature's 128 characters: canonical base64url of 87 bytes, too short for ES384.
		{"self-signed, signature cut", r.src.ARN, raw[:len(raw)-12], stagetest.ErrTokenSignature},
		// 118 characters: malformed, or 88 bytes when the last character's unused bits happen to be zero.
		{"self-signed, cut", r.src.ARN, raw[:len(raw)-10], nil},
		{"self-signed, two segments", r.src.ARN, parts[0] + "." + parts[1], stagetest.ErrTokenMalformed},
		{"self-signed, four segments", r.src.ARN, raw + ".x", stagetest.ErrTokenMalformed},
		{"self-signed, header flipped", r.src.ARN, flip(parts[0], 5) + "." + parts[1] + "." + parts[2], stagetest.ErrTokenMalformed},
		{"self-signed, claims missing", r.src.ARN, resignA(func(_, c map[string]any) { delete(c, "jti"); delete(c, "capabilities") }), stagetest.ErrTokenMalformed},
		{"self-signed, version wrong", r.src.ARN, resignA(func(_, c map[string]any) { c["version"] = "2.0" }), stagetest.ErrTokenMalformed},
		{"self-signed, user_id too long", r.src.ARN, resignA(func(_, c map[string]any) { c["user_id"] = strings.Repeat("u", 200) }), stagetest.ErrTokenMalformed},
		{"self-signed, lifetime over 14 days", r.src.ARN, resignA(func(_, c map[string]any) {
			c["exp"] = time.Now().Add(30 * 24 * time.Hour).Unix()
		}), stagetest.ErrTokenMalformed},
		{"self-signed, payload of another token", r.src.ARN, parts[0] + "." + strings.Split(r.selfB.Value(), ".")[1] + "." + parts[2], stagetest.ErrTokenSignature},
		{"self-signed, signature flipped", r.src.ARN, parts[0] + "." + parts[1] + "." + flip(parts[2], 10), stagetest.ErrTokenSignature},
		{"self-signed, re-signed with key B", r.src.ARN, resign(t, raw, jwt.SigningMethodES384, r.keyB, nil), stagetest.ErrTokenSignature},
		{"self-signed, re-signed ES256", r.src.ARN, resign(t, raw, jwt.SigningMethodES256, r.p256, nil), stagetest.ErrTokenSignature},
		{"self-signed, alg none", r.src.ARN, resign(t, raw, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, nil), stagetest.ErrTokenSignature},
		{"self-signed, kid never imported", r.src.ARN, resignA(func(h, _ map[string]any) { h["kid"] = r.arnB + "x" }), stagetest.ErrUnknownKey},
		{"self-signed, already connected", r.src.ARN, raw, stagetest.ErrAlreadyConnected},
	}
	refuse := func(c refusal) {
		if strings.Count(c.token, ".") >= 2 {
			s.secrets.bearerString("Join("+c.name+") token", c.token)
		}
		id, err := r.srv.Join(c.stageARN, c.token)
		require.Empty(t, id, c.name)
		require.Error(t, err, c.name)
		if c.want != nil {
			require.ErrorIs(t, err, c.want, c.name)
		} else {
			require.ErrorIs(t, err, stagetest.ErrJoinRefused, c.name)
		}
		s.err(gJoin, "Join("+c.name+")", err)
	}
	// Before the session ends: the self-signed participant is connected.
	refuse(cases[len(cases)-1])
	cases = cases[:len(cases)-1]

	// The guest was disconnected: its API token never joins again; nor does a self-signed token naming the
	// same participant ID.
	refuse(refusal{"API token, participant disconnected", r.src.ARN, r.guest.Value(), stagetest.ErrParticipantDisconnected})
	refuse(refusal{"self-signed, participant disconnected", r.src.ARN,
		resignA(func(_, c map[string]any) { c["jti"] = r.guest.ParticipantID }), stagetest.ErrParticipantDisconnected})
	id, err := r.srv.Join(r.src.ARN, r.host.Value()) // rejoins, then joins twice
	require.NoError(t, err)
	refuse(refusal{"API token, already connected", r.src.ARN, r.host.Value(), stagetest.ErrAlreadyConnected})
	require.NoError(t, r.srv.Leave(r.src.ARN, id))
	for _, c := range cases {
		refuse(c)
	}
	// Key B is deleted: its token no longer joins.
	require.NoError(t, r.tokens.DeletePublicKey(r.ctx, r.arnB))
	refuse(refusal{"self-signed, key deleted", r.src.ARN, r.selfB.Value(), stagetest.ErrUnknownKey})
	// Expired by the fake's clock: the API tokens after their 12 hours, the self-signed token after its own.
	r.clock.Advance(13 * time.Hour)
	refuse(refusal{"API token, expired", r.src.ARN, api, stagetest.ErrTokenExpired})
	refuse(refusal{"self-signed, expired", r.src.ARN, raw, stagetest.ErrTokenExpired})

	// The participant events of the refused joins (JOIN_ERROR) as the client reads them.
	r.readSessions(t, s, "after refusals", r.src.ARN)
}

// events adds every event the fake sent, parsed, and the raw JSON; then Parse's errors on those events
// tampered with, secrets put in the fields.
func (r *recorded) events(t *testing.T, s *sweep) {
	raws := r.srv.Events()
	require.NotEmpty(t, raws)
	kinds := map[string]int{}
	var recEvent, updEvent []byte
	for i, raw := range raws {
		s.text(gEvents, fmt.Sprintf("stagetest Events()[%d] JSON", i), string(raw))
		ev, err := event.Parse(raw)
		require.NoError(t, err)
		name := fmt.Sprintf("event.Parse(Events()[%d]) %T", i, ev)
		kinds[fmt.Sprintf("%T", ev)]++
		s.value(gEvents, name, ev, nil)
		s.value(gEvents, name+" Header()", ev.Header(), nil)
		switch ev.(type) {
		case event.Recording:
			recEvent = raw
		case event.StageUpdate:
			updEvent = raw
		}
	}
	require.NotNil(t, recEvent, "no recording event: %v", kinds)
	require.NotNil(t, updEvent, "no stage update event: %v", kinds)
	exchanged := tokenExchanged(t, updEvent)
	ev, err := event.Parse(exchanged)
	require.NoError(t, err)
	s.value(gEvents, "event.Parse(Token Exchanged)", ev, nil)

	for _, secret := range r.misplacedSecrets() {
		for _, c := range []struct {
			name string
			doc  []byte
			path []string
		}{
			{"source", recEvent, []string{"source"}},
			{"time", recEvent, []string{"time"}},
			{"detail", recEvent, []string{"detail"}},
			{"detail.recording_duration_ms", recEvent, []string{"detail", "recording_duration_ms"}},
			{"a list in detail.event_name", recEvent, []string{"detail", "event_name"}},
			{"detail.event_time", updEvent, []string{"detail", "event_time"}},
			{"detail.event_time_precise", updEvent, []string{"detail", "event_time_precise"}},
			{"detail.replica", updEvent, []string{"detail", "replica"}},
			{"detail.previous_token", exchanged, []string{"detail", "previous_token"}},
			{"detail.new_token.expiration_time", exchanged, []string{"detail", "new_token", "expiration_time"}},
			{"detail.new_token.capabilities", exchanged, []string{"detail", "new_token", "capabilities"}},
		} {
			var v any = secret.value
			if strings.HasPrefix(c.name, "a list in ") {
				v = []string{secret.value}
			}
			doc := setJSON(t, c.doc, c.path, v)
			_, err := event.Parse(doc)
			s.err(gEventErrors, fmt.Sprintf("event.Parse(%s in %s)", secret.name, strings.TrimPrefix(c.name, "a list in ")), err)
		}
		for _, c := range []struct {
			name string
			doc  string
		}{
			{"the whole input", secret.value},
			{"quoted as the whole input", string(must(json.Marshal(secret.value)))},
			{"after a valid event", string(recEvent) + secret.value},
			{"an event cut inside it", strings.Replace(string(recEvent), `"source"`, `"x":"`+secret.value[:len(secret.value)/2], 1)},
		} {
			_, err := event.Parse([]byte(c.doc))
			s.err(gEventErrors, fmt.Sprintf("event.Parse(%s as %s)", secret.name, c.name), err)
		}
	}
}

// misplacedSecret is a secret as a caller might put it in the wrong place.
type misplacedSecret struct{ name, value string }

// misplacedSecrets are the bearer strings and private key texts the tampering cases put in fields.
func (r *recorded) misplacedSecrets() []misplacedSecret {
	return []misplacedSecret{
		{"API token", r.extra.Value()},
		{"self-signed token", r.self.Value()},
		{"SEC1 PEM", string(r.pemA1)},
		{"PKCS#8 PEM", string(r.pemA8)},
	}
}

// tokenExchanged returns a Token Exchanged event built from a stage update event of the fake (which does
// not send them), as the user guide shows it.
func tokenExchanged(t *testing.T, update []byte) []byte {
	var doc map[string]any
	require.NoError(t, json.Unmarshal(update, &doc))
	detail := doc["detail"].(map[string]any)
	detail["event_name"] = "Token Exchanged"
	detail["previous_token"] = map[string]any{"capabilities": []string{"SUBSCRIBE"}, "attributes": map[string]string{"role": "viewer"},
		"user_id": "before", "expiration_time": "2025-11-12T21:54:52Z"}
	detail["new_token"] = map[string]any{"capabilities": []string{"SUBSCRIBE", "PUBLISH"}, "attributes": map[string]string{"role": "moderator"},
		"user_id": "after", "expiration_time": "2025-11-12T22:54:52Z"}
	return must(json.Marshal(doc))
}

// setJSON returns doc with the member at path set to v.
func setJSON(t *testing.T, doc []byte, path []string, v any) []byte {
	var m map[string]any
	require.NoError(t, json.Unmarshal(doc, &m))
	obj := m
	for _, k := range path[:len(path)-1] {
		next, ok := obj[k].(map[string]any)
		require.True(t, ok, "no object at %s", k)
		obj = next
	}
	obj[path[len(path)-1]] = v
	return must(json.Marshal(m))
}

// metadata adds the metadata files the recordings wrote, raw and parsed, and ParseMetadata's errors on
// them tampered with.
func (r *recorded) metadata(t *testing.T, s *sweep) {
	objects := r.srv.Objects(r.storage.BucketName)
	var files []string
	for _, key := range slices.Sorted(maps.Keys(objects)) {
		if strings.Contains(key, "/events/") && strings.HasSuffix(key, ".json") {
			files = append(files, key)
		}
	}
	require.NotEmpty(t, files, "the recordings wrote no metadata")
	var ended []byte
	for _, key := range files {
		s.text(gMetadata, "object "+key, string(objects[key]))
		m, err := recording.ParseMetadata(objects[key])
		require.NoError(t, err, key)
		s.value(gMetadata, "recording.Metadata ("+key[strings.LastIndexByte(key, '/')+1:]+")", m, nil)
		if m.Status == recording.StatusEnded {
			ended = objects[key]
		}
	}
	require.NotNil(t, ended, "no recording-ended.json")
	for _, secret := range r.misplacedSecrets() {
		for _, path := range [][]string{
			{"recording_started_at"}, {"recording_ended_at"}, {"media"},
			{"media", "hls"}, {"media", "hls", "duration_ms"}, {"media", "hls", "renditions"},
		} {
			_, err := recording.ParseMetadata(setJSON(t, ended, path, secret.value))
			s.err(gMetaErrors, fmt.Sprintf("ParseMetadata(%s in %s)", secret.name, strings.Join(path, ".")), err)
		}
		for _, c := range []struct{ name, doc string }{
			{"the whole input", secret.value},
			{"after a valid file", string(ended) + secret.value},
			{"a list in recording_status", string(setJSON(t, ended, []string{"recording_status"}, []string{secret.value}))},
			{"status missing, in another member", string(setJSON(t, setJSON(t, ended, []string{"recording_status"}, nil),
				[]string{"x"}, secret.value))},
		} {
			_, err := recording.ParseMetadata([]byte(c.doc))
			s.err(gMetaErrors, fmt.Sprintf("ParseMetadata(%s as %s)", secret.name, c.name), err)
		}
	}
}

// stageErrors adds the errors of the stage methods of sessions, participants, replication and tags on the
// fake: injected faults, the fake's own
// refusals and the library's validation.
func (r *recorded) stageErrors(t *testing.T, s *sweep) {
	sid := ""
	for sess, err := range r.stages.Sessions(r.ctx, r.src.ARN) {
		require.NoError(t, err)
		sid = sess.ID
		break
	}
	pid := r.host.ParticipantID
	calls := []struct {
		name, op string
		call     func() error
	}{
		{"Participants", "ListParticipants", func() error { return testutil.FirstErr(r.stages.Participants(r.ctx, r.src.ARN, sid)) }},
		{"Participant", "GetParticipant", func() error { _, err := r.stages.Participant(r.ctx, r.src.ARN, sid, pid); return err }},
		{"Session", "GetStageSession", func() error { _, err := r.stages.Session(r.ctx, r.src.ARN, sid); return err }},
		{"Disconnect", "DisconnectParticipant", func() error { return r.stages.Disconnect(r.ctx, r.src.ARN, pid, "") }},
		{"StartReplication", "StartParticipantReplication", func() error {
			return r.stages.StartReplication(r.ctx, stage.NewReplication(r.src.ARN, r.dst.ARN, pid))
		}},
		{"Tag", "TagResource", func() error { return r.stages.Tag(r.ctx, r.src.ARN, map[string]string{"k": "v"}) }},
	}
	for _, c := range calls {
		for _, f := range faults {
			r.failNextOn(r.srv, c.op, f)
			s.err(gStageErrors, fmt.Sprintf("%s(%d %s)", c.name, f.status, f.code), c.call())
		}
	}
	unknownStage := strings.TrimSuffix(r.src.ARN, r.src.ID()) + "AAAAAAAAAAAA"
	for _, c := range []struct {
		name string
		err  error
	}{
		{"Participants(two filters, bad values)", testutil.FirstErr(r.stages.Participants(r.ctx, r.src.ARN, "st-x",
			stage.FilterUserID(strings.Repeat("u", 129)), stage.FilterState("GONE"), stage.FilterRecordingState(recording.StateDisabled)))},
		{"Participant(unknown)", func() error { _, err := r.stages.Participant(r.ctx, r.src.ARN, sid, "AAAAAAAAAAAA"); return err }()},
		{"Disconnect(unknown stage)", r.stages.Disconnect(r.ctx, unknownStage, pid, "again")},
		{"Disconnect(reason too long)", r.stages.Disconnect(r.ctx, r.src.ARN, pid, strings.Repeat("r", 129))},
		{"StartReplication(not connected)", r.stages.StartReplication(r.ctx, stage.NewReplication(r.src.ARN, r.dst.ARN, pid))},
		{"StartReplication(invalid)", r.stages.StartReplication(r.ctx, stage.NewReplication("a", "b", "c d").
			WithReconnectWindow(301*time.Second).WithAttributes(map[string]string{"k": strings.Repeat("v", 1100)}))},
		{"StopReplication(not replicated)", r.stages.StopReplication(r.ctx, r.src.ARN, r.dst.ARN, pid)},
		{"Untag(unknown)", r.stages.Untag(r.ctx, unknownStage, "k")},
		{"WaitRecordingIdle(canceled)", func() error {
			ctx, cancel := context.WithCancel(r.ctx)
			cancel()
			return r.stages.WaitRecordingIdle(ctx, r.src.ARN)
		}()},
	} {
		s.err(gStageErrors, c.name, c.err)
	}
}

// misplaced adds the errors of the storage, stage and Join builders and parsers given a secret in the wrong
// place.
func (r *recorded) misplaced(s *sweep) {
	for _, secret := range r.misplacedSecrets() {
		v := secret.value
		cases := []struct {
			name string
			err  error
		}{
			{"NewStorage(%s as the bucket)", recording.NewStorage(v).Validate()},
			{"Storage.WithName(%s)", recording.NewStorage("ok-bucket").WithName(v).Validate()},
			{"Storage.WithTag(%s as the key)", recording.NewStorage("ok-bucket").WithTag(v, "v").Validate()},
			{"Storage.WithTag(%s twice as the value)", recording.NewStorage("ok-bucket").WithTag("k", v+v).Validate()},
			{"GetStorage(%s as the ARN)", func() error { _, err := r.recs.GetStorage(r.ctx, v); return err }()},
			{"NewReplication(%s as the participant ID)", stage.NewReplication(r.src.ARN, r.dst.ARN, v).Validate()},
			{"NewReplication(%s as the source ARN)", stage.NewReplication(v, r.dst.ARN, "p").Validate()},
			{"Replication.WithAttributes(%s five times)", stage.NewReplication(r.src.ARN, r.dst.ARN, "p").
				WithAttributes(map[string]string{"a": v, "b": v, "c": v, "d": v, "e": v}).Validate()},
			{"Participants(FilterUserID(%s))", testutil.FirstErr(r.stages.Participants(r.ctx, r.src.ARN, "st-x", stage.FilterUserID(v)))},
			{"Participants(%s as the session ID)", testutil.FirstErr(r.stages.Participants(r.ctx, r.src.ARN, v))},
			{"Participant(%s as the participant ID)", func() error { _, err := r.stages.Participant(r.ctx, r.src.ARN, "st-x", v); return err }()},
			{"Disconnect(%s as the reason)", r.stages.Disconnect(r.ctx, r.src.ARN, "p", v)},
			{"Disconnect(%s as the participant ID)", r.stages.Disconnect(r.ctx, r.src.ARN, v, "")},
			{"stage.Create(WithTag(%s as the key))", func() error {
				_, _, err := r.stages.Create(r.ctx, stage.New().WithTag(v, "v"))
				return err
			}()},
			{"Tag(%s as a tag key)", r.stages.Tag(r.ctx, r.src.ARN, map[string]string{v: "v"})},
			{"Tag(%s as the ARN)", r.stages.Tag(r.ctx, v, map[string]string{"k": "v"})},
			{"Tag(%s twice as a value)", r.stages.Tag(r.ctx, r.src.ARN, map[string]string{"k": v + v})},
			{"Untag(%s as a key)", r.stages.Untag(r.ctx, r.src.ARN, v)},
			{"Join(%s as the stage ARN, arguments swapped)", func() error { _, err := r.srv.Join(v, r.src.ARN); return err }()},
		}
		for _, c := range cases {
			s.err(gMisplaceRec, fmt.Sprintf(c.name, secret.name), c.err)
		}
	}
}
