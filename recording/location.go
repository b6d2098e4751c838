package recording

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/ivsrt/ivsrt/internal/rules"
)

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
// Every key method returns "" (and URI "") for a Location that Validate refuses: a Bucket or Prefix that is
// not valid UTF-8, or a Prefix with a ".." segment. Such a key would not name the object IVS wrote (S3 keys
// are UTF-8; a replacement character would name another key) or would lead outside the recording in a
// local copy of the bucket.
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

// Validate reports why the key methods refuse l: its Bucket or Prefix is not valid UTF-8, or its Prefix has
// a ".." segment. The zero Location, and any other, is valid otherwise: Validate does not check S3's bucket
// naming rules or the documented shape of a prefix, which the service's examples do not follow themselves.
// event.Parse never returns a Location that Validate refuses.
func (l Location) Validate() error {
	switch {
	case !utf8.ValidString(l.Bucket):
		return errors.New("recording: location: Bucket " + rules.Quote(l.Bucket) + " is not valid UTF-8")
	case !utf8.ValidString(l.Prefix):
		return errors.New("recording: location: Prefix " + rules.Quote(l.Prefix) + " is not valid UTF-8")
	case hasDotDot(l.Prefix):
		return errors.New("recording: location: Prefix " + rules.Quote(l.Prefix) + ` has a ".." segment`)
	}
	return nil
}

// valid is Validate() == nil, without building the error.
func (l Location) valid() bool {
	return utf8.ValidString(l.Bucket) && utf8.ValidString(l.Prefix) && !hasDotDot(l.Prefix)
}

// hasDotDot reports whether p has a ".." segment: between slashes, or at either end.
func hasDotDot(p string) bool {
	for seg := range strings.SplitSeq(p, "/") {
		if seg == ".." {
			return true
		}
	}
	return false
}

// URI returns the recording's folder as an S3 URI: "s3://<bucket>/<prefix>/" ("" for the zero Location and
// for one Validate refuses).
func (l Location) URI() string {
	if l.IsZero() || !l.valid() {
		return ""
	}
	return "s3://" + l.Bucket + "/" + l.dir()
}

// key returns the key of rest under l's prefix, "" when l is invalid.
func (l Location) key(rest string) string {
	if !l.valid() {
		return ""
	}
	return l.dir() + rest
}

// PlaylistKey returns the key of the HLS multivariant playlist: <prefix>/media/hls/multivariant.m3u8.
func (l Location) PlaylistKey() string { return l.key(playlistKey) }

// MetadataKey returns the key of the metadata file written with status st:
// <prefix>/events/recording-started.json (StatusStarted), recording-ended.json (StatusEnded) or
// recording-failed.json (StatusEndedWithFailure and StatusStartFailed; the service documents no file of its
// own for a failed start). It returns "" for a status it does not know.
func (l Location) MetadataKey(st Status) string {
	name := st.fileName()
	if name == "" {
		return ""
	}
	return l.key(eventsDir + name)
}

// ThumbnailsPrefix returns the key prefix of the sequential thumbnails (thumbnail storage SEQUENTIAL):
// <prefix>/media/thumbnails/high/, under which they are numbered 1.jpg, 2.jpg, ….
func (l Location) ThumbnailsPrefix() string { return l.key(thumbnailsDir) }

// LatestThumbnailKey returns the key of the latest thumbnail (thumbnail storage LATEST), overwritten every
// interval: <prefix>/media/latest_thumbnail/high/thumb.jpg.
func (l Location) LatestThumbnailKey() string { return l.key(latestThumbnailKey) }

// dir is the prefix with exactly one trailing '/' ("" when the prefix is empty).
func (l Location) dir() string {
	p := strings.Trim(l.Prefix, "/")
	if p == "" {
		return ""
	}
	return p + "/"
}
