package stage_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/fuzzgen"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// fuzzStage builds a Config from fuzzed fields. set is a bit mask of the With… calls to make: 1 WithName,
// 2 WithTags (ntags tags of tagValue plus tagKey: tagVal), 4 WithRecording, 8 WithParticipants (nparts
// copies of one participant).
func fuzzStage(set uint8, name string, ntags uint8, tagValue, tagKey, tagVal string, rec recording.Config,
	nparts uint8, part fuzzgen.Token) stage.Config {
	c := stage.New()
	if set&1 != 0 {
		c = c.WithName(name)
	}
	if set&2 != 0 {
		c = c.WithTags(fuzzgen.Tags(int(ntags%64), tagValue, tagKey, tagVal))
	}
	if set&4 != 0 {
		c = c.WithRecording(rec)
	}
	if set&8 != 0 {
		cfg := part.Config()
		parts := make([]token.Config, nparts%16)
		for i := range parts {
			parts[i] = cfg
		}
		c = c.WithParticipants(parts...)
	}
	return c
}

// Properties: nothing panics; and, sent by Client.Create to stagetest (whose validation is written
// independently from the model), a Config that Validate accepts is accepted and comes back as asked (name,
// tags, recording as Effective predicts, one token per participant with its fields), while one that
// Validate rejects fails with the same violations and sends no request.
func FuzzConfig(f *testing.F) {
	type seed struct {
		set                      uint8
		name                     string
		ntags                    uint8
		tagValue, tagKey, tagVal string
		rec                      fuzzgen.Recording
		nparts                   uint8
		part                     fuzzgen.Token
	}
	full := fuzzgen.Recording{ARN: storageARN, Set: 31, Media: "AUDIO_ONLY", ThumbsOn: true, Interval: int64(30 * time.Second),
		Storage: "sl", HLS: int64(4 * time.Second), Reconnect: int64(time.Minute), Replicas: false}
	speaker := fuzzgen.Token{Set: 31, UserID: "speaker", Duration: int64(2 * time.Hour), Caps: "ps", K1: "role", V1: "speaker", K2: "seat", V2: "A1"}
	for _, s := range []seed{
		{set: 15, name: "town-hall", ntags: 10, tagValue: "v", rec: full, nparts: 12, part: speaker},
		{set: 0},
		{set: 1, name: strings.Repeat("n", 128)},
		{set: 1, name: strings.Repeat("n", 129)},
		{set: 1, name: "a b"},
		{set: 2, ntags: 50},
		{set: 2, ntags: 50, tagKey: "one-more"},
		{set: 2, ntags: 49, tagKey: strings.Repeat("é", 128), tagVal: strings.Repeat("é", 256)},
		{set: 2, ntags: 1, tagKey: strings.Repeat("é", 129), tagVal: strings.Repeat("é", 257)},
		{set: 4, rec: fuzzgen.Recording{ARN: storageARN, Set: 8, Reconnect: int64(300 * time.Second)}},
		{set: 4, rec: fuzzgen.Recording{ARN: storageARN, Set: 8, Reconnect: int64(301 * time.Second)}},
		{set: 4, rec: fuzzgen.Recording{Disabled: true}},
		{set: 4, rec: fuzzgen.Recording{Disabled: true, Set: 16}},
		{set: 8, nparts: 13},
		{set: 8, nparts: 1, part: fuzzgen.Token{Set: 2, Duration: int64(20161 * time.Minute)}},
	} {
		f.Add(s.set, s.name, s.ntags, s.tagValue, s.tagKey, s.tagVal,
			s.rec.Disabled, s.rec.ARN, s.rec.Set, s.rec.Media, s.rec.ThumbsOn, s.rec.Interval, s.rec.Storage, s.rec.HLS, s.rec.Reconnect, s.rec.Replicas,
			s.nparts, s.part.Set, s.part.UserID, s.part.Duration, s.part.Caps, s.part.K1, s.part.V1, s.part.K2, s.part.V2)
	}
	f.Fuzz(func(t *testing.T, set uint8, name string, ntags uint8, tagValue, tagKey, tagVal string,
		disabled bool, arn string, rset uint8, media string, thumbsOn bool, interval int64, storage string, hls, reconnect int64, replicas bool,
		nparts, pset uint8, userID string, d int64, caps, k1, v1, k2, v2 string) {
		frec := fuzzgen.Recording{Disabled: disabled, ARN: arn, Set: rset, Media: media, ThumbsOn: thumbsOn, Interval: interval,
			Storage: storage, HLS: hls, Reconnect: reconnect, Replicas: replicas}
		part := fuzzgen.Token{Set: pset, UserID: userID, Duration: d, Caps: caps, K1: k1, V1: v1, K2: k2, V2: v2}
		cfg := fuzzStage(set, name, ntags, tagValue, tagKey, tagVal, frec.Config(), nparts, part)
		_ = cfg.String()
		verr := cfg.Validate()

		srv := stagetest.New()
		if r, ok := cfg.Recording(); ok && verr == nil && r.Effective().Enabled {
			// stagetest refuses a storage configuration it does not hold: record into one it holds, with the
			// same other settings.
			frec.ARN = srv.MustAddStorageConfiguration("fuzz-bucket")
			cfg = fuzzStage(set, name, ntags, tagValue, tagKey, tagVal, frec.Config(), nparts, part)
		}
		st, tokens, err := stage.NewClientFromConfig(srv.Config()).Create(t.Context(), cfg)
		if verr != nil {
			require.Error(t, err)
			assert.Contains(t, err.Error(), verr.Error())
			require.Zero(t, srv.RequestCount(), "a rejected config sends nothing")
			return
		}
		require.NoError(t, err, "stagetest refuses what the library accepts: %s", cfg)
		assert.Equal(t, cfg.Name(), st.Name)
		if tags := cfg.Tags(); len(tags) > 0 {
			assert.Equal(t, tags, st.Tags)
		} else {
			assert.Empty(t, st.Tags)
		}
		if r, ok := cfg.Recording(); ok {
			assert.Equal(t, r.Effective(), st.Recording)
		} else {
			assert.False(t, st.Recording.Enabled)
		}
		parts := cfg.Participants()
		require.Len(t, tokens, len(parts))
		for i, p := range parts {
			assert.Equal(t, p.UserID(), tokens[i].UserID)
			assert.Equal(t, p.Duration(), tokens[i].Duration)
			assert.Equal(t, p.Capabilities(), tokens[i].Capabilities)
			assert.Equal(t, len(p.Attributes()), len(tokens[i].Attributes))
			assert.NotEmpty(t, tokens[i].Value())
		}
	})
}
