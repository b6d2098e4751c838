package token

import (
	"net/url"
	"strings"

	"github.com/aws/smithy-go"

	"github.com/ivsrt/ivsrt/internal/rules"
)

// Field names of Target, as they appear in error paths.
const (
	fieldTargetStageARN  = "StageARN"
	fieldTargetEventsURL = "EventsURL"
	fieldTargetWhipURL   = "WhipURL"
)

// Validate checks every field: StageARN is a stage ARN (arn:aws:ivs:<region>:<account>:stage/<id>, at
// most 128 code points), EventsURL a "wss://" URL with a host and WhipURL an "https://" URL with a host
// (schemes in lower case, as the service returns them). All violations are reported at once as a
// smithy.InvalidParamsError with paths "Target.StageARN", "Target.EventsURL" and "Target.WhipURL".
func (t Target) Validate() error {
	errs := smithy.InvalidParamsError{Context: targetContext}
	rules.StageArn.Check(&errs, fieldTargetStageARN, t.StageARN)
	checkURL(&errs, fieldTargetEventsURL, t.EventsURL, "wss")
	checkURL(&errs, fieldTargetWhipURL, t.WhipURL, "https")
	return rules.Result(errs)
}

// checkURL reports on field a v that is not valid UTF-8 (the check every string the library sends gets),
// or else the problem urlProblem finds.
func checkURL(errs *smithy.InvalidParamsError, field, v, scheme string) {
	if !rules.CheckUTF8(errs, field, v) {
		return
	}
	if rule, reason := urlProblem(v, scheme); rule != "" {
		errs.Add(rules.New(field, rule, reason))
	}
}

// urlProblem returns the rule v breaks and why, or "" when v is an absolute scheme:// URL with a host.
func urlProblem(v, scheme string) (rule, reason string) {
	if v == "" {
		return rules.RuleRequired, "no URL given: want a " + scheme + ":// URL"
	}
	u, err := url.Parse(v)
	if err != nil || !strings.HasPrefix(v, scheme+"://") || u.Hostname() == "" || u.User != nil {
		return rules.RulePattern, "value " + rules.Quote(v) + " is not a URL starting with " + scheme + ":// and naming a host"
	}
	return "", ""
}
