package secretsweep_test

import (
	"strings"
	"testing"
)

// A finding is a leak the sweep found in code outside this package, reported to the lead with the producer,
// the renderings and the fix, and not fixed yet (the sweep's owner fixes nothing outside this package). The
// leaks of its cases are logged, not failed; a finding none of whose cases leaks any more fails the sweep,
// so that the entry is removed once the fix lands and the cases guard it from then on.
type finding struct {
	name  string
	where string // the code that shows the secret
	fix   string // the fix suggested
	// cases reports whether a case of the sweep (a producer's name before " | ") is one of this finding's.
	cases func(caseName string) bool
}

func prefixAndSuffix(prefix string, suffixes ...string) func(string) bool {
	return func(c string) bool {
		if !strings.HasPrefix(c, prefix) {
			return false
		}
		for _, s := range suffixes {
			if strings.HasSuffix(c, s) {
				return true
			}
		}
		return false
	}
}

// findings are the open findings of the sweep of part two.
var findings = []finding{
	{
		name:  "stagetest.Join quotes an unknown stage ARN whole",
		where: `stage/stagetest/join.go Join: fmt.Errorf("%w: %s", ErrUnknownStage, stageARN)`,
		fix:   "render it with rules.Quote or rules.QuoteARN, which measure a JWT or PEM instead of showing it (stagetest's show alone is not enough: the first 64 code points of a SEC1 PEM hold 22 base64 characters of the private scalar)",
		cases: prefixAndSuffix("Join(", "as the stage ARN, arguments swapped)"),
	},
	{
		name:  "recording.ParseMetadata quotes a bad time whole",
		where: `recording/metadata.go parseTime: fmt.Errorf("recording: metadata: %s: %q is not an RFC 3339 time", member, v)`,
		fix:   "quote v with rules.Quote (cut after 64 code points, a JWT or PEM not shown)",
		cases: prefixAndSuffix("ParseMetadata(", "in recording_started_at)", "in recording_ended_at)"),
	},
	{
		name:  "event.Parse keeps time.Parse's error, which holds the whole value",
		where: "stage/event/parse.go parseTime: ParseError{…, Err: err}, err a *time.ParseError whose Value and ValueElem hold the input (its Error() and its JSON show them)",
		fix:   "keep no *time.ParseError in ParseError.Err (nil, or an error naming only the layout element that failed); Problem already quotes the value with rules.Quote",
		cases: prefixAndSuffix("event.Parse(", "in time)", "in detail.event_time)", "in detail.event_time_precise)",
			"in detail.new_token.expiration_time)"),
	},
	{
		name:  "a tag key is shown whole in the field path of its violation",
		where: `internal/rules/checks.go CheckTags: field+Key(k)+".Key", Key(k) = fmt.Sprintf("[%q]", k) (every Tags map checked: stage.Client.Create, stage.Client.Tag, recording.Storage.Validate and CreateStorage)`,
		fix:   "rules.Key measures a key that looks like a JWT or PEM (looksSecret) instead of quoting it, and quotes every other key as today, so that the paths the tests expect stay",
		cases: func(c string) bool {
			return strings.Contains(c, "as the key)") || strings.Contains(c, "as a tag key)")
		},
	},
	{
		name:  "token.VerifyWithKeys quotes the ID of a nil key whole when it is not an ARN",
		where: `token/claims.go verifyWithKeys: nils = append(nils, rules.QuoteARN(kid)) — QuoteARN shows 128 code points and hides only a JWT or PEM, so a map keyed by a private scalar in hex shows it`,
		fix:   "show the map key as rules.String.show does for an ARN shape with a Prefix (describe, not quote, a value lacking \"arn:\"), e.g. rules.PublicKeyArn's rendering",
		cases: prefixAndSuffix("VerifyWithKeys(", "key.D hex as a nil key's ID)"),
	},
}

// splitKnown separates the leaks of open findings from the others, and returns the findings that matched.
func splitKnown(leaks []leak) (unknown []leak, known map[string][]leak) {
	known = map[string][]leak{}
	for _, l := range leaks {
		c, _, _ := strings.Cut(l.producer, " | ")
		matched := false
		for _, f := range findings {
			if f.cases(c) {
				known[f.name] = append(known[f.name], l)
				matched = true
				break
			}
		}
		if !matched {
			unknown = append(unknown, l)
		}
	}
	return unknown, known
}

// reportFindings logs the leaks of each open finding and fails for a finding that no longer leaks.
func reportFindings(t *testing.T, known map[string][]leak) {
	t.Helper()
	for _, f := range findings {
		leaks := known[f.name]
		if len(leaks) == 0 {
			t.Errorf("finding %q no longer leaks: the fix landed, remove it from findings", f.name)
			continue
		}
		cases, renderers, _ := byCase(leaks)
		var via []string
		for _, c := range cases {
			via = appendNew(via, strings.Join(renderers[c], ", "))
		}
		t.Logf("OPEN FINDING (reported, not failed): %s: %d cases, e.g. %s\n\tvia: %s\n\twhere: %s\n\tfix: %s",
			f.name, len(cases), cases[0], strings.Join(via, " / "), f.where, f.fix)
	}
}
