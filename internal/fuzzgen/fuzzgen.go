// Package fuzzgen builds the library's configuration values from fuzzed fields, so that the fuzz targets
// of recording, token and stage explore the same inputs the same way. Each builder takes plain values (the
// types `go test -fuzz` can generate) and a bit mask saying which With… calls to make.
package fuzzgen

import (
	"fmt"
	"time"

	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/token"
)

// Recording are the fuzzed fields of a recording.Config.
type Recording struct {
	Disabled  bool   // start from recording.Disabled() instead of recording.New(ARN)
	ARN       string // the storage configuration ARN
	Set       uint8  // 1 media type, 2 thumbnails, 4 HLS segment duration, 8 reconnect window, 16 replicas
	Media     string
	ThumbsOn  bool   // ThumbnailsEvery(Interval, Storage…) rather than ThumbnailsOff()
	Interval  int64  // thumbnail interval, nanoseconds
	Storage   string // 's' sequential, 'l' latest, any other rune as is
	HLS       int64  // HLS segment duration, nanoseconds
	Reconnect int64  // reconnect window, nanoseconds
	Replicas  bool
}

// Config builds the recording.Config that r describes.
func (r Recording) Config() recording.Config {
	c := recording.New(r.ARN)
	if r.Disabled {
		c = recording.Disabled()
	}
	if r.Set&1 != 0 {
		c = c.WithMediaType(recording.MediaType(r.Media))
	}
	if r.Set&2 != 0 {
		t := recording.ThumbnailsOff()
		if r.ThumbsOn {
			st := spell(r.Storage, map[rune]recording.ThumbnailStorage{'s': recording.StorageSequential, 'l': recording.StorageLatest})
			t = recording.ThumbnailsEvery(time.Duration(r.Interval), st...)
		}
		c = c.WithThumbnails(t)
	}
	if r.Set&4 != 0 {
		c = c.WithHLSSegmentDuration(time.Duration(r.HLS))
	}
	if r.Set&8 != 0 {
		c = c.WithReconnectWindow(time.Duration(r.Reconnect))
	}
	if r.Set&16 != 0 {
		c = c.WithRecordReplicas(r.Replicas)
	}
	return c
}

// Token are the fuzzed fields of a token.Config.
type Token struct {
	Set      uint8 // 1 user ID, 2 duration, 4 capabilities, 8 attributes {K1: V1}, 16 attribute K2=V2
	UserID   string
	Duration int64  // nanoseconds
	Caps     string // 'p' Publish, 's' Subscribe, any other rune as is
	K1, V1   string
	K2, V2   string
}

// Config builds the token.Config that t describes.
func (t Token) Config() token.Config {
	c := token.New()
	if t.Set&1 != 0 {
		c = c.WithUserID(t.UserID)
	}
	if t.Set&2 != 0 {
		c = c.WithDuration(time.Duration(t.Duration))
	}
	if t.Set&4 != 0 {
		c = c.WithCapabilities(spell(t.Caps, map[rune]token.Capability{'p': token.Publish, 's': token.Subscribe})...)
	}
	if t.Set&8 != 0 {
		c = c.WithAttributes(map[string]string{t.K1: t.V1})
	}
	if t.Set&16 != 0 {
		c = c.WithAttribute(t.K2, t.V2)
	}
	return c
}

// spell turns each rune of s into the enum value short names for it, or into the rune itself as a value
// (most often not a member); nil for "".
func spell[T ~string](s string, short map[rune]T) []T {
	var out []T
	for _, r := range s {
		v, ok := short[r]
		if !ok {
			v = T(string(r))
		}
		out = append(out, v)
	}
	return out
}

// Tags returns n tags "tag0"…: value, plus key: val when key is not "" (so n = 50 with a key is 51 tags).
func Tags(n int, value, key, val string) map[string]string {
	if n == 0 && key == "" {
		return nil
	}
	tags := make(map[string]string, n+1)
	for i := range n {
		tags[fmt.Sprint("tag", i)] = value
	}
	if key != "" {
		tags[key] = val
	}
	return tags
}
