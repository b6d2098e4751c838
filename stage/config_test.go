package stage_test

import (
	"fmt"
	"maps"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/token"
)

// Every rule of Config, with the boundaries on both sides. Each case is checked by Validate and by
// Client.Create, which must report the same violations and send nothing.
func TestConfigValidate(t *testing.T) {
	t.Parallel()
	const (
		in   = "CreateStageInput."
		rec  = in + "AutoParticipantRecordingConfiguration."
		part = in + "ParticipantTokenConfigurations"
	)
	tests := []struct {
		name string
		cfg  stage.Config
		want map[string]string // path → rule; empty: valid
	}{
		{name: "zero Config", cfg: stage.Config{}},
		{name: "New", cfg: stage.New()},
		{name: "full", cfg: fullConfig()},

		{name: "name empty", cfg: stage.New().WithName("")},
		{name: "name 128", cfg: stage.New().WithName(strings.Repeat("n", 128))},
		{name: "name 129", cfg: stage.New().WithName(strings.Repeat("n", 129)), want: map[string]string{in + "Name": rules.RuleLength}},
		{name: "name all allowed characters", cfg: stage.New().WithName("azAZ09-_")},
		{name: "name with space", cfg: stage.New().WithName("a b"), want: map[string]string{in + "Name": rules.RulePattern}},
		{name: "name with é", cfg: stage.New().WithName("é"), want: map[string]string{in + "Name": rules.RulePattern}},

		{name: "tags 50", cfg: stage.New().WithTags(tagMap(50))},
		{name: "tags 51", cfg: stage.New().WithTags(tagMap(51)), want: map[string]string{in + "Tags": rules.RuleLength}},
		{name: "tags 50 + WithTag", cfg: stage.New().WithTags(tagMap(50)).WithTag("one-more", "v"), want: map[string]string{in + "Tags": rules.RuleLength}},
		{name: "tag key 0", cfg: stage.New().WithTag("", "v"), want: map[string]string{in + `Tags[""].Key`: rules.RuleLength}},
		{name: "tag key 1", cfg: stage.New().WithTag("k", "v")},
		{name: "tag key 128", cfg: stage.New().WithTag(strings.Repeat("é", 128), "v")},
		{name: "tag key 129", cfg: stage.New().WithTag(strings.Repeat("é", 129), "v"), want: map[string]string{in + `Tags["` + strings.Repeat("é", 129) + `"].Key`: rules.RuleLength}},
		{name: "tag value 0", cfg: stage.New().WithTag("k", "")},
		{name: "tag value 256 code points", cfg: stage.New().WithTag("k", strings.Repeat("é", 256))},
		{name: "tag value not UTF-8", cfg: stage.New().WithTag("k", "\x80"), want: map[string]string{in + `Tags["k"]`: rules.RuleUTF8}},
		{name: "tag key not UTF-8", cfg: stage.New().WithTag("\x80", "v"), want: map[string]string{in + `Tags["\x80"].Key`: rules.RuleUTF8}},
		{name: "name not UTF-8", cfg: stage.New().WithName("a\xffb"), want: map[string]string{in + "Name": rules.RuleUTF8}},
		{name: "tag value 257 code points", cfg: stage.New().WithTag("k", strings.Repeat("é", 257)), want: map[string]string{in + `Tags["k"]`: rules.RuleLength}},

		{name: "participants 0", cfg: stage.New().WithParticipants()},
		{name: "participants 12", cfg: stage.New().WithParticipants(participants(12)...)},
		{name: "participants 13", cfg: stage.New().WithParticipants(participants(13)...), want: map[string]string{part: rules.RuleLength}},
		{
			name: "participant 3 invalid duration",
			cfg:  stage.New().WithParticipants(append(participants(3), token.New().WithDuration(90*time.Second))...),
			want: map[string]string{part + "[3].Duration": rules.RuleUnit},
		},
		{
			name: "participants 13, the last with several violations",
			cfg: stage.New().WithParticipants(append(participants(12),
				token.New().WithUserID(strings.Repeat("u", 129)).WithCapabilities(token.Publish, token.Publish))...),
			want: map[string]string{part: rules.RuleLength, part + "[12].UserId": rules.RuleLength, part + "[12].Capabilities[1]": rules.RuleUnique},
		},

		{name: "recording disabled", cfg: stage.New().WithRecording(recording.Disabled())},
		{name: "recording zero", cfg: stage.New().WithRecording(recording.Config{}), want: map[string]string{rec + "StorageConfigurationArn": rules.RuleRequired}},
		{name: "recording reconnect 300 s", cfg: stage.New().WithRecording(recording.New(storageARN).WithReconnectWindow(300 * time.Second))},
		{
			name: "recording reconnect 301 s",
			cfg:  stage.New().WithRecording(recording.New(storageARN).WithReconnectWindow(301 * time.Second)),
			want: map[string]string{rec + "RecordingReconnectWindowSeconds": rules.RuleRange},
		},
		{
			name: "recording bad ARN and HLS",
			cfg:  stage.New().WithRecording(recording.New("arn:aws:ivs:us-east-1:123456789012:stage/x").WithHLSSegmentDuration(11 * time.Second)),
			want: map[string]string{rec + "StorageConfigurationArn": rules.RulePattern, rec + "HlsConfiguration.TargetSegmentDurationSeconds": rules.RuleRange},
		},
		{
			name: "recording disabled with a field",
			cfg:  stage.New().WithRecording(recording.Disabled().WithRecordReplicas(false)),
			want: map[string]string{rec + "RecordParticipantReplicas": rules.RuleConflict},
		},

		{
			name: "every violation at once",
			cfg: stage.New().WithName("bad name").WithTag("", "v").
				WithRecording(recording.New(storageARN).WithReconnectWindow(-time.Second)).
				WithParticipants(token.New().WithDuration(0)),
			want: map[string]string{
				in + "Name":                             rules.RulePattern,
				in + `Tags[""].Key`:                     rules.RuleLength,
				rec + "RecordingReconnectWindowSeconds": rules.RuleRange,
				part + "[0].Duration":                   rules.RuleRange,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			testutil.AssertViolations(t, tt.cfg.Validate(), tt.want)

			mock := testutil.NewMock()
			respondCreate(mock)
			_, _, err := stage.NewClientFromConfig(mock.Config()).Create(t.Context(), tt.cfg)
			if len(tt.want) == 0 {
				require.NoError(t, err)
				assert.Equal(t, 1, mock.Count())
				return
			}
			assertInvalid(t, err, "CreateStage", tt.want)
			assert.Zero(t, mock.Count(), "invalid input must send nothing")
		})
	}
}

// Every rule of Update, checked by Validate and by Client.Update (which adds the ARN's).
func TestUpdateValidate(t *testing.T) {
	t.Parallel()
	const (
		in  = "UpdateStageInput."
		rec = in + "AutoParticipantRecordingConfiguration."
	)
	tests := []struct {
		name string
		u    stage.Update
		want map[string]string
	}{
		{name: "zero Update changes nothing", u: stage.Update{}, want: map[string]string{in + "Name": rules.RuleRequired}},
		{name: "NewUpdate changes nothing", u: stage.NewUpdate(), want: map[string]string{in + "Name": rules.RuleRequired}},
		{name: "name", u: stage.NewUpdate().WithName("new-name")},
		{name: "name cleared", u: stage.NewUpdate().WithName("")},
		{name: "name 128", u: stage.NewUpdate().WithName(strings.Repeat("n", 128))},
		{name: "name 129", u: stage.NewUpdate().WithName(strings.Repeat("n", 129)), want: map[string]string{in + "Name": rules.RuleLength}},
		{name: "name pattern", u: stage.NewUpdate().WithName("a/b"), want: map[string]string{in + "Name": rules.RulePattern}},
		{name: "recording", u: stage.NewUpdate().WithRecording(fullRecording())},
		{name: "recording disabled", u: stage.NewUpdate().WithRecording(recording.Disabled())},
		{name: "recording zero", u: stage.NewUpdate().WithRecording(recording.Config{}), want: map[string]string{rec + "StorageConfigurationArn": rules.RuleRequired}},
		{
			name: "recording reconnect 301 s",
			u:    stage.NewUpdate().WithRecording(recording.New(storageARN).WithReconnectWindow(301 * time.Second)),
			want: map[string]string{rec + "RecordingReconnectWindowSeconds": rules.RuleRange},
		},
		{
			name: "both invalid",
			u:    stage.NewUpdate().WithName("a b").WithRecording(recording.New(storageARN).WithReconnectWindow(1500 * time.Millisecond)),
			want: map[string]string{in + "Name": rules.RulePattern, rec + "RecordingReconnectWindowSeconds": rules.RuleUnit},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			testutil.AssertViolations(t, tt.u.Validate(), tt.want)

			mock := testutil.NewMock()
			mock.Respond("UpdateStage", 200, minimalStage)
			client := stage.NewClientFromConfig(mock.Config())
			_, err := client.Update(t.Context(), stageARN, tt.u)
			if len(tt.want) == 0 {
				require.NoError(t, err)
				assert.Equal(t, 1, mock.Count())
			} else {
				assertInvalid(t, err, "UpdateStage", tt.want)
				assert.Zero(t, mock.Count())
			}

			// A bad ARN is reported with the Update's own violations.
			withARN := maps.Clone(tt.want)
			if withARN == nil {
				withARN = map[string]string{}
			}
			withARN[in+"Arn"] = rules.RuleLength
			_, err = client.Update(t.Context(), "", tt.u)
			assertInvalid(t, err, "UpdateStage", withARN)
			assert.LessOrEqual(t, mock.Count(), 1)
		})
	}
}

// The stage ARN rule (length 1..128, pattern) on every operation that takes one; nothing is sent.
func TestARNValidation(t *testing.T) {
	t.Parallel()
	arns := []struct {
		name string
		arn  string
		rule string // "" = valid
	}{
		{"empty", "", rules.RuleLength},
		{"valid", stageARN, ""},
		{"128", stageARNWithLength(128), ""},
		{"129", stageARNWithLength(129), rules.RuleLength},
		{"one-character ID", "arn:aws:ivs:us-east-1:123456789012:stage/a", ""},
		{"no ID", "arn:aws:ivs:us-east-1:123456789012:stage/", rules.RulePattern},
		{"storage configuration ARN", storageARN, rules.RulePattern},
		{"other partition", "arn:aws-cn:ivs:cn-north-1:123456789012:stage/AbCd", rules.RulePattern},
		{"account not digits", "arn:aws:ivs:us-east-1:account:stage/AbCd", rules.RulePattern},
		{"underscore in ID", "arn:aws:ivs:us-east-1:123456789012:stage/Ab_Cd", rules.RulePattern},
		{"trailing newline", stageARN + "\n", rules.RulePattern},
		{"bare ID", "AbCdEf123456", rules.RulePattern},
	}
	ops := []struct {
		op   string
		call func(*stage.Client, string) error
	}{
		{"GetStage", func(c *stage.Client, arn string) error { _, err := c.Get(t.Context(), arn); return err }},
		{"UpdateStage", func(c *stage.Client, arn string) error {
			_, err := c.Update(t.Context(), arn, stage.NewUpdate().WithName("n"))
			return err
		}},
		{"DeleteStage", func(c *stage.Client, arn string) error { return c.Delete(t.Context(), arn) }},
	}
	for _, op := range ops {
		for _, a := range arns {
			t.Run(op.op+"/"+a.name, func(t *testing.T) {
				t.Parallel()
				mock := testutil.NewMock()
				mock.Respond(op.op, 200, minimalStage)
				err := op.call(stage.NewClientFromConfig(mock.Config()), a.arn)
				if a.rule == "" {
					require.NoError(t, err)
					assert.Equal(t, a.arn, only(t, mock).JSON(t)["arn"])
					return
				}
				assertInvalid(t, err, op.op, map[string]string{op.op + "Input.Arn": a.rule})
				assert.Zero(t, mock.Count())
			})
		}
	}
}

func TestConfigImmutable(t *testing.T) {
	t.Parallel()
	t.Run("With on a derived Config never changes the original", func(t *testing.T) {
		t.Parallel()
		base := stage.New().WithName("base").WithTag("k", "v").WithParticipants(token.New().WithUserID("a"))
		derived := base.WithName("derived").WithTag("k", "changed").WithTag("k2", "v2").
			WithRecording(fullRecording()).WithParticipants(token.New().WithUserID("b"), token.New())
		_ = derived.WithTags(nil).WithParticipants()

		assert.Equal(t, "base", base.Name())
		assert.Equal(t, map[string]string{"k": "v"}, base.Tags())
		_, recSet := base.Recording()
		assert.False(t, recSet)
		require.Len(t, base.Participants(), 1)
		assert.Equal(t, "a", base.Participants()[0].UserID())

		assert.Equal(t, "derived", derived.Name())
		assert.Equal(t, map[string]string{"k": "changed", "k2": "v2"}, derived.Tags())
		assert.Len(t, derived.Participants(), 2)
	})
	t.Run("the caller's map and slice are copied in", func(t *testing.T) {
		t.Parallel()
		tags := map[string]string{"a": "1"}
		parts := []token.Config{token.New().WithUserID("a")}
		cfg := stage.New().WithTags(tags).WithParticipants(parts...)
		tags["b"] = "2"
		parts[0] = token.New().WithUserID("changed")
		_ = cfg.WithTag("c", "3") // must not write into the map cfg holds

		assert.Equal(t, map[string]string{"a": "1"}, cfg.Tags())
		assert.Equal(t, "a", cfg.Participants()[0].UserID())
		assert.Equal(t, map[string]string{"a": "1", "b": "2"}, tags, "the caller's map is never written")
	})
	t.Run("maps and slices are copied out", func(t *testing.T) {
		t.Parallel()
		cfg := stage.New().WithTag("a", "1").WithParticipants(token.New().WithUserID("a"))
		cfg.Tags()["b"] = "2"
		cfg.Participants()[0] = token.New().WithUserID("changed")
		assert.Equal(t, map[string]string{"a": "1"}, cfg.Tags())
		assert.Equal(t, "a", cfg.Participants()[0].UserID())
	})
	t.Run("empty inputs read as none", func(t *testing.T) {
		t.Parallel()
		cfg := stage.New().WithTag("a", "1").WithTags(map[string]string{}).WithParticipants(token.New()).WithParticipants()
		assert.Nil(t, cfg.Tags())
		assert.Nil(t, cfg.Participants())
	})
	t.Run("Update", func(t *testing.T) {
		t.Parallel()
		base := stage.NewUpdate().WithName("a")
		derived := base.WithName("b").WithRecording(recording.Disabled())
		name, ok := base.Name()
		assert.Equal(t, "a", name)
		assert.True(t, ok)
		_, recSet := base.Recording()
		assert.False(t, recSet)
		name, _ = derived.Name()
		assert.Equal(t, "b", name)
		r, recSet := derived.Recording()
		assert.True(t, recSet)
		assert.Equal(t, recording.Disabled(), r)
	})
}

// One template shared by many goroutines deriving from it: no race, and the template never changes.
func TestConfigTemplateConcurrent(t *testing.T) {
	t.Parallel()
	template := fullConfig()
	want := template.String()
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := template.WithTag(fmt.Sprint("g", i), "v").WithName(fmt.Sprint("n", i)).WithParticipants(participants(i%12 + 1)...)
			assert.NoError(t, c.Validate())
			assert.NoError(t, template.Validate())
			_ = template.Tags()
			_ = template.Participants()
		}()
	}
	wg.Wait()
	assert.Equal(t, want, template.String())
}

// Validate of the largest valid Config allocates nothing (a later benchmark also holds it under 5 µs).
func TestValidateDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under -race (sync.Pool drops items at random)")
	}
	cfg := fullConfig()
	require.NoError(t, cfg.Validate())
	upd := stage.NewUpdate().WithName("n").WithRecording(fullRecording())
	require.NoError(t, upd.Validate())

	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = cfg.Validate() }), "Config.Validate")
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = upd.Validate() }), "Update.Validate")
	// The same holds for any valid Config, whatever its parts allocate when validated on their own.
	small := stage.New().WithName("n").WithTag("k", "v").WithRecording(recording.New(storageARN)).WithParticipants(token.New())
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = small.Validate() }), "small Config.Validate")
}

func TestString(t *testing.T) {
	t.Parallel()
	cfg := stage.New().WithName("s").WithTag("b", "secret").WithTag("a", "x").
		WithRecording(recording.New(storageARN).WithReconnectWindow(time.Minute)).
		WithParticipants(token.New().WithUserID("u"))
	assert.Equal(t, `stage.New().WithName("s").WithTags(keys ["a" "b"]).WithRecording(recording.New("`+storageARN+
		`").WithReconnectWindow(1m0s)).WithParticipants(token.New().WithUserID("u"))`, cfg.String())
	assert.NotContains(t, cfg.String(), "secret")
	assert.Equal(t, "stage.New()", stage.New().String())
	assert.Equal(t, `stage.NewUpdate().WithName("n").WithRecording(recording.Disabled())`,
		stage.NewUpdate().WithName("n").WithRecording(recording.Disabled()).String())
}

func BenchmarkConfigValidate(b *testing.B) {
	cfg := fullConfig()
	b.ReportAllocs()
	for b.Loop() {
		if err := cfg.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}
