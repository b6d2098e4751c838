package token

// Target is what a self-signed token is for: a stage and its endpoints, as CreateStage and GetStage return
// them (stage.Stage.TokenTarget builds one).
type Target struct {
	// StageARN is the stage's ARN (arn:aws:ivs:<region>:<account>:stage/<id>); the token's "resource" claim.
	StageARN string
	// EventsURL is the stage's events endpoint (wss://…); the token's "events_url" claim.
	EventsURL string
	// WhipURL is the stage's WHIP endpoint (https://…); the token's "whip_url" claim.
	WhipURL string
}
