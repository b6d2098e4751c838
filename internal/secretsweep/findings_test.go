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

// findings are the open findings of the sweep.
// None is open: the five the sweep of the recorded session found are fixed, and their cases now guard the
// fixes.
var findings = []finding{}

// splitKnown separates the leaks of the open findings fs from the others, and returns the findings that
// matched.
func splitKnown(leaks []leak, fs []finding) (unknown []leak, known map[string][]leak) {
	known = map[string][]leak{}
	for _, l := range leaks {
		c, _, _ := strings.Cut(l.producer, " | ")
		matched := false
		for _, f := range fs {
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
