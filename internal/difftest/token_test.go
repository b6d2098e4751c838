package difftest

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/token"
)

// tokCase describes a participant token configuration by its wire values, built both through the library
// and as a raw SDK input.
type tokCase struct {
	name     string
	userID   *string
	duration int32 // minutes; 0 = not sent
	caps     []string
	attrs    map[string]string
	invalid  bool // both must reject it (not merely agree)
}

func (c tokCase) library() token.Config {
	t := token.New()
	if c.userID != nil {
		t = t.WithUserID(*c.userID)
	}
	if c.duration != 0 {
		t = t.WithDuration(time.Duration(c.duration) * time.Minute)
	}
	if c.caps != nil {
		cs := make([]token.Capability, len(c.caps))
		for i, v := range c.caps {
			cs[i] = token.Capability(v)
		}
		t = t.WithCapabilities(cs...)
	}
	return t.WithAttributes(c.attrs)
}

func (c tokCase) raw() types.ParticipantTokenConfiguration {
	r := types.ParticipantTokenConfiguration{UserId: c.userID, Attributes: c.attrs}
	if c.duration != 0 {
		r.Duration = aws.Int32(c.duration)
	}
	for _, v := range c.caps {
		r.Capabilities = append(r.Capabilities, types.ParticipantTokenCapability(v))
	}
	return r
}

func TestTokenValidationAgreesWithTheFake(t *testing.T) {
	t.Parallel()
	cases := []tokCase{
		{name: "empty"},
		{name: "user ID 128 é", userID: aws.String(strings.Repeat("é", 128))},
		{name: "user ID 129 é", userID: aws.String(strings.Repeat("é", 129))},
		{name: "duration 1", duration: 1},
		{name: "duration 20160", duration: 20160},
		{name: "duration 20161", duration: 20161},
		{name: "duration -1", duration: -1},
		{name: "publish", caps: []string{"PUBLISH"}},
		{name: "both", caps: []string{"SUBSCRIBE", "PUBLISH"}},
		{name: "unknown capability", caps: []string{"ADMIN"}, invalid: true},
		{name: "lowercase publish", caps: []string{"publish"}, invalid: true},
		{name: "mixed case Subscribe", caps: []string{"PUBLISH", "Subscribe"}, invalid: true},
		{name: "three capabilities", caps: []string{"PUBLISH", "SUBSCRIBE", "PUBLISH"}},
		{name: "attributes 1024 bytes", attrs: map[string]string{"k": strings.Repeat("v", 1023)}},
		{name: "attributes 1025 bytes", attrs: map[string]string{"k": strings.Repeat("v", 1024)}},
	}
	raw := ivsrealtime.NewFromConfig(srv.Config())
	out, err := raw.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{})
	require.NoError(t, err)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			libErr := c.library().Validate()
			if c.invalid {
				require.Error(t, libErr, "the library must reject it")
			}
			// Both ways the service takes a token configuration: CreateParticipantToken and CreateStage.
			r := c.raw()
			_, srvErr := raw.CreateParticipantToken(t.Context(), &ivsrealtime.CreateParticipantTokenInput{
				StageArn: out.Stage.Arn, UserId: r.UserId, Duration: r.Duration, Capabilities: r.Capabilities, Attributes: r.Attributes,
			})
			assertAgree(t, libErr, srvErr)
			_, srvErr = raw.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{ParticipantTokenConfigurations: []types.ParticipantTokenConfiguration{r}})
			assertAgree(t, libErr, srvErr)
		})
	}
}
