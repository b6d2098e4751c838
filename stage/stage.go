package stage

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/token"
)

// Stage is a stage as the service reports it (CreateStage, GetStage, UpdateStage).
type Stage struct {
	// ARN is the stage's ARN: arn:aws:ivs:<region>:<account>:stage/<id>.
	ARN string
	// Name is the stage's name ("" when none).
	Name string
	// ActiveSessionID is the ID of the stage's active session (st-<13 alphanumerics>), "" when none.
	ActiveSessionID string
	// Tags are the stage's tags (empty or nil when none).
	Tags map[string]string
	// Recording is the individual participant recording configuration in force, with the service's
	// defaults filled in; Recording.Enabled is false when recording is off.
	Recording recording.Settings
	// Endpoints are the stage's endpoints. They may be cached for up to 14 days.
	Endpoints Endpoints
}

// Endpoints are a stage's endpoints ("" when the service reports none).
type Endpoints struct {
	// Events is the events endpoint (wss://…), the "events_url" claim of a self-signed token.
	Events string
	// WHIP is the endpoint for publishing with WHIP (https://…), the "whip_url" claim of a self-signed token.
	WHIP string
	// RTMP is the endpoint for publishing with RTMP (rtmp://…).
	RTMP string
	// RTMPS is the endpoint for publishing with RTMPS (rtmps://…).
	RTMPS string
}

// ID returns the stage's ID: the last segment of its ARN, what follows its last '/' (the "topic" claim of
// a self-signed token, and the first segment of its recordings' S3 prefix). An ARN without '/' is its own
// last segment and is returned whole; "" and an ARN ending with '/' give "". Summary.ID and
// recording.StorageConfiguration.ID answer the same way.
func (s Stage) ID() string { return rules.ResourceID(s.ARN) }

// TokenTarget returns what token.Signer.Mint needs to mint a self-signed token for this stage: its ARN and
// its events and WHIP endpoints.
func (s Stage) TokenTarget() token.Target {
	return token.Target{StageARN: s.ARN, EventsURL: s.Endpoints.Events, WhipURL: s.Endpoints.WHIP}
}

// Summary is a stage as ListStages reports it.
type Summary struct {
	// ARN is the stage's ARN: arn:aws:ivs:<region>:<account>:stage/<id>.
	ARN string
	// Name is the stage's name ("" when none).
	Name string
	// ActiveSessionID is the ID of the stage's active session, "" when none.
	ActiveSessionID string
	// Tags are the stage's tags (empty or nil when none).
	Tags map[string]string
}

// ID returns the stage's ID: the last segment of its ARN, as Stage.ID does (the whole ARN when it has no
// '/', "" when it ends with one).
func (s Summary) ID() string { return rules.ResourceID(s.ARN) }

// fromSDK converts a stage of a response. The output belongs to the caller, so its map is kept, not copied.
func fromSDK(s *types.Stage) Stage {
	out := Stage{
		ARN:             aws.ToString(s.Arn),
		Name:            aws.ToString(s.Name),
		ActiveSessionID: aws.ToString(s.ActiveSessionId),
		Tags:            s.Tags,
		Recording:       recording.SettingsFromSDK(s.AutoParticipantRecordingConfiguration),
	}
	if e := s.Endpoints; e != nil {
		out.Endpoints = Endpoints{
			Events: aws.ToString(e.Events),
			WHIP:   aws.ToString(e.Whip),
			RTMP:   aws.ToString(e.Rtmp),
			RTMPS:  aws.ToString(e.Rtmps),
		}
	}
	return out
}

func summaryFromSDK(s *types.StageSummary) Summary {
	return Summary{
		ARN:             aws.ToString(s.Arn),
		Name:            aws.ToString(s.Name),
		ActiveSessionID: aws.ToString(s.ActiveSessionId),
		Tags:            s.Tags,
	}
}
