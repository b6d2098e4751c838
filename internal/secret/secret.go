// Package secret holds what every value carrying a secret (a participant token's bearer string, an ingest
// configuration's stream key) does so that fmt never prints it: one Format for all verbs, and the marker
// written in the secret's place.
package secret

import (
	"fmt"
	"strings"
)

// Redacted is what stands in the secret's place in every printed form.
const Redacted = "[REDACTED]"

// Format prints a value whose String and GoString leave its secret out, for every verb: %#v as goString,
// %q as the quoted plain form, any other verb (%v, %+v, %s, %d, …) as plain. Call it from the value's
// Format method.
func Format(f fmt.State, verb rune, plain, goString func() string) {
	switch {
	case verb == 'v' && f.Flag('#'):
		_, _ = fmt.Fprint(f, goString())
	case verb == 'q':
		_, _ = fmt.Fprintf(f, "%q", plain())
	default:
		_, _ = fmt.Fprint(f, plain())
	}
}

// Mark writes where the secret would be: `""` when the value holds none, Redacted when it holds one.
func Mark(b *strings.Builder, held bool) {
	if held {
		b.WriteString(Redacted)
	} else {
		b.WriteString(`""`)
	}
}
