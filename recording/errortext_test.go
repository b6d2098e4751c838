package recording_test

import (
	"strings"
	"testing"

	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/recording"
)

// ErrNoStorageConfiguration's text begins with "recording: ", and reads so after the SDK's wrapping.
func TestErrorTextsBeginWithThePackageName(t *testing.T) {
	t.Parallel()
	assert.True(t, strings.HasPrefix(recording.ErrNoStorageConfiguration.Error(), "recording: "))
	tests := []struct {
		op   string
		call func(c *recording.Client) error
	}{
		{"CreateStorageConfiguration", func(c *recording.Client) error {
			_, err := c.CreateStorage(t.Context(), recording.NewStorage("my-bucket"))
			return err
		}},
		{"GetStorageConfiguration", func(c *recording.Client) error { _, err := c.GetStorage(t.Context(), storageARN); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			t.Parallel()
			mock := testutil.NewMock()
			mock.Respond(tt.op, 200, `{}`)
			err := tt.call(recording.NewClientFromConfig(mock.Config()))
			require.ErrorIs(t, err, recording.ErrNoStorageConfiguration)
			var op *smithy.OperationError
			require.ErrorAs(t, err, &op)
			assert.Equal(t, tt.op+", recording: the response holds no storage configuration",
				strings.TrimPrefix(err.Error(), "operation error IVS RealTime: "))
			assert.Equal(t, 1, mock.Count())
		})
	}
}
