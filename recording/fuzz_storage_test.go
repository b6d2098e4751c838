package recording_test

import (
	"testing"

	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/fuzzgen"
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage/stagetest"
)

// Properties of the Storage builder: nothing panics; a Storage the library accepts is accepted by stagetest
// (whose validation of the model and of S3's naming rules is written independently) and comes back with
// the bucket, name and tags asked for; one it rejects sends no request.
func FuzzStorage(f *testing.F) {
	f.Add("my-bucket", uint8(0), "", uint8(0), "", "", "", "")
	f.Add("my-bucket", uint8(7), "main_1", uint8(3), "v", "team", "media", "")
	f.Add("abc", uint8(1), "", uint8(0), "", "", "", "")
	f.Add("my..bucket", uint8(0), "", uint8(0), "", "", "", "")
	f.Add("192.168.5.4", uint8(0), "", uint8(0), "", "", "", "")
	f.Add("xn--abc", uint8(0), "", uint8(0), "", "", "", "")
	f.Add("logs-s3alias", uint8(0), "", uint8(0), "", "", "", "")
	f.Add("-bucket.", uint8(1), "bad name", uint8(0), "", "", "", "")
	f.Add("ab", uint8(2), "", uint8(50), "v", "", "", "")
	f.Add("my-bucket", uint8(6), "", uint8(50), "v", "k", "v", "")
	f.Add("my-bucket", uint8(4), "", uint8(0), "", "", "v", "")
	f.Add("my-bucket", uint8(4), "", uint8(0), "", "k\xff", "v", "")
	f.Add("my-bucket", uint8(1), "né", uint8(0), "", "", "", "")
	f.Fuzz(func(t *testing.T, bucket string, set uint8, name string, ntags uint8, tagValue, key, value, _ string) {
		s := recording.NewStorage(bucket)
		want := recording.StorageConfiguration{BucketName: bucket}
		if set&1 != 0 {
			s = s.WithName(name)
			want.Name = name
		}
		if set&2 != 0 {
			tags := fuzzgen.Tags(int(ntags%60), tagValue, "", "")
			s = s.WithTags(tags)
			want.Tags = tags
		}
		if set&4 != 0 {
			s = s.WithTag(key, value)
			if want.Tags == nil {
				want.Tags = map[string]string{}
			}
			want.Tags[key] = value
		}
		if len(want.Tags) == 0 {
			want.Tags = nil
		}
		_ = s.String()
		verr := s.Validate()

		srv := stagetest.New()
		got, err := recording.NewClientFromConfig(srv.Config()).CreateStorage(t.Context(), s)
		if verr != nil {
			var invalid smithy.InvalidParamsError
			require.ErrorAs(t, err, &invalid)
			assert.Equal(t, verr.Error(), invalid.Error(), "CreateStorage reports what Validate reports")
			assert.Zero(t, srv.RequestCount(), "a rejected Storage sends nothing")
			return
		}
		require.NoError(t, err, "stagetest refuses what the library accepts: %s", s)
		want.ARN = got.ARN
		assert.Equal(t, want, got)
	})
}
