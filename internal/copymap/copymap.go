// Package copymap holds the copy-on-write map steps of the immutable option values: a With… method never
// writes to a map it was given or already holds.
package copymap

import "maps"

// Replace returns a copy of m to hold, or nil when m is nil or empty ("none").
func Replace(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return maps.Clone(m)
}

// With returns a new map holding m's entries plus key=value; m is left untouched.
func With(m map[string]string, key, value string) map[string]string {
	out := make(map[string]string, len(m)+1)
	maps.Copy(out, m)
	out[key] = value
	return out
}
