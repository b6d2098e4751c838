//go:build race

package stage_test

// raceEnabled reports a -race build, whose sync.Pool drops items at random (regexp keeps its matchers in
// one), so allocation counts are not meaningful.
const raceEnabled = true
