package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/examples/internal/env"
	"github.com/ivsrt/ivsrt/stage/stagetest"
)

// The quickstart runs end to end against the fake and leaves nothing behind.
func TestRun(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		choice  func(srv *stagetest.Server) env.Storage
		wantOut []string
		wantOps map[string]int
	}{
		{
			name:    "creates its storage configuration",
			choice:  func(*stagetest.Server) env.Storage { return env.Storage{Bucket: fakeBucket} },
			wantOut: []string{"created storage configuration", "on bucket " + fakeBucket, "deleted storage configuration"},
			wantOps: map[string]int{"CreateStorageConfiguration": 1, "DeleteStorageConfiguration": 1},
		},
		{
			name: "reuses a storage configuration",
			choice: func(srv *stagetest.Server) env.Storage {
				return env.Storage{ARN: srv.MustAddStorageConfiguration("existing")}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := stagetest.New()
			var out bytes.Buffer
			require.NoError(t, run(t.Context(), &out, srv.Config(), tt.choice(srv)))
			for _, want := range append([]string{"created stage", "reconnect window 1m0s", "updated: reconnect window 2m0s",
				"minted a self-signed token", "recording after disable: off", "deleted stage"}, tt.wantOut...) {
				assert.Contains(t, out.String(), want)
			}
			ops := map[string]int{}
			for _, r := range srv.Requests() {
				ops[r.Operation]++
			}
			want := map[string]int{"CreateStage": 1, "GetStage": 1, "UpdateStage": 2, "DeleteStage": 1,
				"ImportPublicKey": 1, "DeletePublicKey": 1}
			for op, n := range tt.wantOps {
				want[op] = n
			}
			assert.Equal(t, want, ops)
		})
	}
}
