package recording_test

// Tests written for the mutation pass over part two (issue 13 item 5): each one fails on a realistic
// single-line bug that the rest of the package's tests let through. The comment above each test names the
// bug it catches.

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage/stagetest"
)

// WithName("") is sent as the name "" the caller asked for; without WithName no name is sent.
// Catches: input() deciding on the name's value instead of on whether WithName was called.
func TestCreateStorageSendsAnEmptyName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		storage recording.Storage
		want    map[string]any // the request body
	}{
		{"no name", recording.NewStorage("name-bucket"), map[string]any{"s3": map[string]any{"bucketName": "name-bucket"}}},
		{"empty name", recording.NewStorage("name-bucket").WithName(""), map[string]any{"name": "", "s3": map[string]any{"bucketName": "name-bucket"}}},
		{"a name", recording.NewStorage("name-bucket").WithName("main"), map[string]any{"name": "main", "s3": map[string]any{"bucketName": "name-bucket"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := stagetest.New()
			c := recording.NewClientFromConfig(srv.Config())
			created, err := c.CreateStorage(t.Context(), tt.storage)
			require.NoError(t, err)
			reqs := srv.Requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, tt.want, body(t, reqs[0].Body))
			wantName, _ := tt.want["name"].(string)
			assert.Equal(t, recording.StorageConfiguration{ARN: created.ARN, Name: wantName, BucketName: "name-bucket"}, created)
		})
	}
}

// S3's begin/end rule at the edges of the ranges: a name may begin and end with 'a', 'z', '0' or '9'.
// Catches: an off-by-one in isLowerAlnum's ranges ('z' or '9' refused, 'a' or '0' refused).
func TestStorageBucketNameEdgeCharacters(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"abca", "zbcz", "0bc0", "9bc9", "a.z", "z-a", "0.9", "9-0", "zzz", "999"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.NoError(t, recording.NewStorage(name).Validate())
		})
	}
}

// A name of four dot-separated groups is "formatted as an IPv4 address" only when every group is 1 to 3
// digits, whatever their values (leading zeros included); a name with an empty group is refused for its
// own reason only. Catches: an empty group counted as a group of digits; leading zeros taken for "not an
// address".
func TestStorageIPv4Shape(t *testing.T) {
	t.Parallel()
	const ipv4 = "is formatted as an IPv4 address"
	tests := []struct {
		name   string
		bucket string
		want   []string // the reasons, in order
	}{
		{"leading zeros", "01.02.03.04", []string{ipv4}},
		{"zero address", "000.0.0.0", []string{ipv4}},
		{"empty last group", "1.2.3.", []string{"does not end with a lowercase letter or a digit"}},
		{"empty first group", ".1.2.3", []string{"does not begin with a lowercase letter or a digit"}},
		{"empty middle group", "1..2.3", []string{`contains two adjacent periods ".."`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := recording.NewStorage(tt.bucket).Validate()
			require.Error(t, err)
			var want []string
			for _, r := range tt.want {
				want = append(want, bucketPath+`: value "`+tt.bucket+`" `+r+" (S3 bucket naming rules), "+bucketPath+".")
			}
			assert.Equal(t, want, entries(t, err))
		})
	}
}

// The key helpers trim every leading and trailing slash of the file's paths, not just one.
// Catches: trimSlashes trimming a single leading '/'.
func TestMetadataKeysTrimEverySlash(t *testing.T) {
	t.Parallel()
	loc := recording.Location{Bucket: "b", Prefix: "stage/session/participant/2024-01-01T12-00-55Z"}
	const dir = "stage/session/participant/2024-01-01T12-00-55Z/"
	h := recording.HLSMedia{Path: "//media/hls//", Playlist: "//multivariant.m3u8",
		Renditions: []recording.Rendition{{Path: "///high//", Playlist: "//playlist.m3u8//"}}}
	th := recording.ThumbnailMedia{Path: "///media/thumbnails", Renditions: []recording.Rendition{{Path: "//high"}}}
	assert.Equal(t, dir+"media/hls/multivariant.m3u8", h.PlaylistKey(loc))
	assert.Equal(t, []string{dir + "media/hls/high/playlist.m3u8"}, h.RenditionPlaylistKeys(loc))
	assert.Equal(t, []string{dir + "media/thumbnails/high/"}, th.RenditionPrefixes(loc))
}

// ParseMetadata skips every kind of JSON white space before the object (a file written with CRLF line ends
// may start with "\r\n"), and names a boolean as a boolean, false as well as true.
// Catches: '\r' missing from the white space trimmed; 'f' missing from the boolean kinds.
func TestParseMetadataInputEdges(t *testing.T) {
	t.Parallel()
	valid := `{"version":"v1","recording_status":"RECORDING_STARTED","recording_started_at":"2024-03-13T19:44:19Z"}`
	accepted := []struct {
		name  string
		input string
	}{
		{"CRLF before", "\r\n" + valid},
		{"every white space before", " \t\r\n" + valid},
		{"CR only before", "\r" + valid},
	}
	for _, tt := range accepted {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := recording.ParseMetadata([]byte(tt.input))
			require.NoError(t, err)
			assert.Equal(t, recording.Metadata{Version: "v1", Status: recording.StatusStarted,
				StartedAt: time.Date(2024, 3, 13, 19, 44, 19, 0, time.UTC)}, m)
		})
	}
	refused := []struct {
		name  string
		input string
		want  string
	}{
		{"false", `false`, "recording: metadata: want a JSON object, got a boolean"},
		{"false after CRLF", "\r\nfalse", "recording: metadata: want a JSON object, got a boolean"},
		{"only CRLF", "\r\n", "recording: metadata: empty input, want a JSON object"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := recording.ParseMetadata([]byte(tt.input))
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
			assert.Zero(t, m)
		})
	}
}

// A thumbnail configuration the service reports without a recordingMode reads as the default mode
// (DISABLED), keeping what it does say. Catches: SettingsFromSDK copying an empty mode.
func TestSettingsFromSDKThumbnailsWithoutMode(t *testing.T) {
	t.Parallel()
	got := recording.SettingsFromSDK(&types.AutoParticipantRecordingConfiguration{
		StorageConfigurationArn: aws.String(storageARN),
		ThumbnailConfiguration: &types.ParticipantThumbnailConfiguration{
			TargetIntervalSeconds: aws.Int32(30), Storage: []types.ThumbnailStorageType{types.ThumbnailStorageTypeLatest},
		},
		RecordParticipantReplicas: true,
	})
	want := recording.New(storageARN).Effective()
	want.ThumbnailInterval = 30 * time.Second
	want.ThumbnailStorage = []recording.ThumbnailStorage{recording.StorageLatest}
	assert.Equal(t, want, got)
	assert.Equal(t, recording.ThumbnailsDisabled, got.ThumbnailMode)
}

// Settings.Config sends every field explicitly: a zero field of a hand-built Settings is sent as the
// service's default, on the wire (ToSDK), not only in Effective. Catches: the media type's default
// dropped; an empty (non-nil) thumbnail storage list not taken for "none".
func TestSettingsConfigSendsDefaultsForZeroFields(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		settings recording.Settings
	}{
		{"only the ARN", recording.Settings{StorageConfigurationARN: storageARN, Enabled: true}},
		{"empty thumbnail storage", recording.Settings{StorageConfigurationARN: storageARN, Enabled: true, ThumbnailStorage: []recording.ThumbnailStorage{}}},
		{"interval mode, empty storage", recording.Settings{StorageConfigurationARN: storageARN, Enabled: true,
			ThumbnailMode: recording.ThumbnailsInterval, ThumbnailStorage: []recording.ThumbnailStorage{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := tt.settings.Config().ToSDK()
			require.NoError(t, err)
			assert.Equal(t, []types.ParticipantRecordingMediaType{types.ParticipantRecordingMediaTypeAudioVideo}, out.MediaTypes)
			require.NotNil(t, out.ThumbnailConfiguration)
			assert.Equal(t, []types.ThumbnailStorageType{types.ThumbnailStorageTypeSequential}, out.ThumbnailConfiguration.Storage)
			require.NotNil(t, out.HlsConfiguration)
			assert.Equal(t, int32(recording.DefaultHLSSegmentDuration/time.Second), aws.ToInt32(out.HlsConfiguration.TargetSegmentDurationSeconds))
		})
	}
}
