package stagetest

import (
	"slices"
	"time"
)

// Participant tokens: CreateParticipantToken, and the tokens CreateStage issues for its
// participantTokenConfigurations.

// tokenJSON is a participant token as the service returns it (the model's ParticipantToken).
type tokenJSON struct {
	ParticipantID  string            `json:"participantId"`
	Token          string            `json:"token"`
	UserID         *string           `json:"userId,omitempty"`
	Attributes     map[string]string `json:"attributes,omitempty"`
	Duration       int64             `json:"duration"`
	Capabilities   []string          `json:"capabilities"`
	ExpirationTime string            `json:"expirationTime"`
}

// issue returns a new participant token for spec, issued at now.
func issue(spec tokenSpec, now time.Time) tokenJSON {
	caps := spec.capabilities
	if caps == nil {
		caps = slices.Clone(capabilityValues) // documented default: PUBLISH, SUBSCRIBE
	}
	return tokenJSON{
		ParticipantID:  randomString(alnum, participantIDLength),
		Token:          participantTokenString(),
		UserID:         spec.userID,
		Attributes:     spec.attributes,
		Duration:       spec.duration,
		Capabilities:   caps,
		ExpirationTime: now.Add(time.Duration(spec.duration) * time.Minute).UTC().Format(time.RFC3339),
	}
}

func (s *Server) createParticipantToken(body object, now time.Time) response {
	var c checker
	arn, _ := c.arn(body, "stageArn", "", stageARNPattern)
	spec := c.token(body, "")
	if !c.ok() {
		return validationError("%s", c.message())
	}
	if s.stages[arn] == nil {
		return notFound("Stage", arn)
	}
	return success(map[string]any{"participantToken": s.issueFor(arn, spec, now)})
}
