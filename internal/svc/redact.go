package svc

import (
	"regexp"
	"slices"
	"strings"
)

// SecretMembers are the JSON members of the service's responses whose string value is a secret: a
// participant token's bearer string ("token", in ParticipantToken) and an ingest configuration's stream
// key ("streamKey"). Names are compared case-insensitively.
var SecretMembers = []string{"token", "streamKey"}

// Redacted is what RedactSecrets writes in place of each secret.
const Redacted = "[redacted]"

// jwtShape is a compact JWT, whole or cut: a base64url JSON header ("eyJ" is `{"`) and any segments that
// follow it.
var jwtShape = regexp.MustCompile(`eyJ[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)*`)

// RedactSecrets returns a copy of b, a piece of JSON (a response body, whole or cut at either end as the
// SDK's snapshots are), in which every secret is replaced by Redacted and the rest is kept for debugging:
//
//   - the value of every SecretMembers member, also when b ends inside it;
//   - every JWT-shaped string ("eyJ…", with its segments), wherever it is;
//   - the run of token characters (letters, digits, "-_.+/=") b starts with: a snapshot that starts
//     inside a string may start inside a secret, whose member name was cut off.
//
// Since a snapshot cut at its start may start inside a string or not, the members are looked for both
// ways, and what either finds is redacted. b itself is not modified; b is returned as it is when it holds
// nothing to redact.
func RedactSecrets(b []byte) []byte {
	var spans [][2]int
	if n := leadingRun(b); n > 0 {
		spans = append(spans, [2]int{0, n})
	}
	spans = secretValues(spans, b, false)
	spans = secretValues(spans, b, true)
	for _, loc := range jwtShape.FindAllIndex(b, -1) {
		spans = append(spans, [2]int{loc[0], loc[1]})
	}
	spans = slices.DeleteFunc(spans, func(s [2]int) bool { return s[0] >= s[1] })
	if len(spans) == 0 {
		return b
	}
	slices.SortFunc(spans, func(x, y [2]int) int { return x[0] - y[0] })
	merged := spans[:1]
	for _, s := range spans[1:] {
		if last := &merged[len(merged)-1]; s[0] <= last[1] {
			last[1] = max(last[1], s[1])
		} else {
			merged = append(merged, s)
		}
	}
	out := make([]byte, 0, len(b))
	at := 0
	for _, s := range merged {
		out = append(append(out, b[at:s[0]]...), Redacted...)
		at = s[1]
	}
	return append(out, b[at:]...)
}

func tokenChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '+' || c == '/' || c == '='
}

func leadingRun(b []byte) int {
	n := 0
	for n < len(b) && tokenChar(b[n]) {
		n++
	}
	return n
}

// str is one JSON string of b: its content is b[start:end]; closed is false for a string b ends inside.
type str struct {
	start, end int
	closed     bool
}

// stringsOf returns the JSON strings of b, reading b as if it started inside a string when inString.
func stringsOf(b []byte, inString bool) []str {
	var out []str
	start := 0
	for i := 0; i < len(b); i++ {
		switch {
		case !inString:
			if b[i] == '"' {
				inString, start = true, i+1
			}
		case b[i] == '\\':
			i++ // the escaped byte
		case b[i] == '"':
			out = append(out, str{start: start, end: i, closed: true})
			inString = false
		}
	}
	if inString {
		out = append(out, str{start: start, end: len(b)})
	}
	return out
}

// secretValues appends to spans the contents of the string values of SecretMembers members in b, b read
// as starting inside a string or not (inString).
func secretValues(spans [][2]int, b []byte, inString bool) [][2]int {
	strs := stringsOf(b, inString)
	for i, s := range strs {
		if !s.closed || i+1 >= len(strs) || !secretName(string(b[s.start:s.end])) {
			continue
		}
		// A member name: a colon follows the closing quote; its value is the next string if the colon is
		// all that comes between them.
		if between := strings.TrimSpace(string(b[s.end+1 : strs[i+1].start-1])); between != ":" {
			continue
		}
		spans = append(spans, [2]int{strs[i+1].start, strs[i+1].end})
	}
	return spans
}

func secretName(name string) bool {
	for _, m := range SecretMembers {
		if strings.EqualFold(name, m) {
			return true
		}
	}
	return false
}
