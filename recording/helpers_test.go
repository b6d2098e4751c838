package recording_test

// Helpers shared by the package's test files: the storage configuration the tests record into, the field
// paths their violations name, and readers of violations and request bodies.

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"
)

const (
	storageARN = "arn:aws:ivs:us-east-1:123456789012:storage-configuration/AbCdEf123456"

	// ctx is the path of a recording configuration's fields, as Config.Validate names them.
	ctx = "AutoParticipantRecordingConfiguration."

	// storageCtx is the path of a storage configuration's fields, as Storage.Validate names them.
	storageCtx = "CreateStorageConfigurationInput."
	bucketPath = storageCtx + "S3.BucketName"
)

// prefixed returns want with every path behind prefix.
func prefixed(prefix string, want map[string]string) map[string]string {
	out := make(map[string]string, len(want))
	for k, v := range want {
		out[prefix+k] = v
	}
	return out
}

// entries lists every violation of err as "<field path>: <message>", in order (several may share a path).
func entries(t *testing.T, err error) []string {
	t.Helper()
	var ipe smithy.InvalidParamsError
	require.True(t, errors.As(err, &ipe), "want a smithy.InvalidParamsError, got %T: %v", err, err)
	var out []string
	for _, e := range ipe.Errs() {
		var pe smithy.InvalidParamError
		require.True(t, errors.As(e, &pe))
		out = append(out, pe.Field()+": "+e.Error())
	}
	return out
}

// body decodes a request body into a generic map.
func body(t *testing.T, raw []byte) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw, &m), "body %s", raw)
	return m
}
