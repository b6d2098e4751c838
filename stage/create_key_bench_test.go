package stage_test

import (
	"strconv"
	"testing"

	"github.com/ivsrt/ivsrt/internal/testutil"
)

// BenchmarkCreateWithKey measures a first Create with a request key against the same Create without one
// (the full config, the same mock transport, one run): the key adds two tags, a lock and a map entry, and
// no request.
//
//	go test -run '^$' -bench CreateWithKey -benchtime=100x ./stage/
func BenchmarkCreateWithKey(b *testing.B) {
	cfg := fullConfig()
	for _, tc := range []struct {
		name string
		key  bool
	}{{"key=none", false}, {"key=first", true}} {
		b.Run(tc.name, func(b *testing.B) {
			mock := testutil.NewMock()
			respondCreate(mock)
			c := newClient(mock)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				cfg := cfg
				if tc.key {
					cfg = cfg.WithRequestKey("event-" + strconv.Itoa(i))
				}
				if _, _, err := c.Create(b.Context(), cfg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
