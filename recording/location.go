package recording

import "strings"

// Location is where one individual participant recording is in S3: s3://<Bucket>/<Prefix>/…. The service
// reports it as recordingS3BucketName and recordingS3Prefix (GetParticipant) and as
// recording_s3_bucket_name and recording_s3_key_prefix (EventBridge events). A prefix is
// <stage_id>/<session_id>/<participant_id>/<timestamp>, where the session is the one in which the recording
// started; treat it as opaque and prefer the events' value, since the API's examples show it without the
// timestamp.
//
// The key methods join the documented layout to Prefix (a trailing '/' on Prefix is ignored):
//
//	<prefix>/events/recording-started.json          MetadataKey(StatusStarted)
//	<prefix>/events/recording-ended.json            MetadataKey(StatusEnded)
//	<prefix>/events/recording-failed.json           MetadataKey(StatusEndedWithFailure)
//	<prefix>/media/hls/multivariant.m3u8            PlaylistKey
//	<prefix>/media/thumbnails/high/<n>.jpg          ThumbnailsPrefix (thumbnail storage SEQUENTIAL)
//	<prefix>/media/latest_thumbnail/high/thumb.jpg  LatestThumbnailKey (thumbnail storage LATEST)
//
// Process or play a recording only after its Recording End event: files appear a little after Recording
// Start, and with a reconnect window the end comes at least that window after the publisher leaves.
type Location struct {
	// Bucket is the S3 bucket of the stage's storage configuration.
	Bucket string
	// Prefix is the key prefix of the recording, without a leading or trailing '/'.
	Prefix string
}

// The layout under a recording's prefix, as the service documents it.
const (
	eventsDir          = "events/"
	playlistKey        = "media/hls/multivariant.m3u8"
	thumbnailsDir      = "media/thumbnails/high/"
	latestThumbnailKey = "media/latest_thumbnail/high/thumb.jpg"
)

// IsZero reports whether l holds neither a bucket nor a prefix (the participant is not recorded).
func (l Location) IsZero() bool { return l.Bucket == "" && l.Prefix == "" }

// URI returns the recording's folder as an S3 URI: "s3://<bucket>/<prefix>/" ("" for the zero Location).
func (l Location) URI() string {
	if l.IsZero() {
		return ""
	}
	return "s3://" + l.Bucket + "/" + l.dir()
}

// PlaylistKey returns the key of the HLS multivariant playlist: <prefix>/media/hls/multivariant.m3u8.
func (l Location) PlaylistKey() string { return l.dir() + playlistKey }

// MetadataKey returns the key of the metadata file written with status st:
// <prefix>/events/recording-started.json (StatusStarted), recording-ended.json (StatusEnded) or
// recording-failed.json (StatusEndedWithFailure and StatusStartFailed; the service documents no file of its
// own for a failed start). It returns "" for a status it does not know.
func (l Location) MetadataKey(st Status) string {
	name := st.fileName()
	if name == "" {
		return ""
	}
	return l.dir() + eventsDir + name
}

// ThumbnailsPrefix returns the key prefix of the sequential thumbnails (thumbnail storage SEQUENTIAL):
// <prefix>/media/thumbnails/high/, under which they are numbered 1.jpg, 2.jpg, ….
func (l Location) ThumbnailsPrefix() string { return l.dir() + thumbnailsDir }

// LatestThumbnailKey returns the key of the latest thumbnail (thumbnail storage LATEST), overwritten every
// interval: <prefix>/media/latest_thumbnail/high/thumb.jpg.
func (l Location) LatestThumbnailKey() string { return l.dir() + latestThumbnailKey }

// dir is the prefix with exactly one trailing '/' ("" when the prefix is empty).
func (l Location) dir() string {
	p := strings.Trim(l.Prefix, "/")
	if p == "" {
		return ""
	}
	return p + "/"
}
