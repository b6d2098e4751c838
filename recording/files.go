package recording

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/ivsrt/ivsrt/internal/rules"
)

// The limits and defaults of Files.
const (
	// MinWaitFinalPoll is the shortest poll interval WaitFinal accepts (1 s): metadata files are written at
	// most a few times per recording, and each poll costs a ListObjectsV2 and a GetObject.
	MinWaitFinalPoll = time.Second
	// DefaultWaitFinalPoll is WaitFinal's poll interval when it is given 0 (5 s).
	DefaultWaitFinalPoll = 5 * time.Second
	// DefaultPlaylistURLExpiry is how long a PlaylistURL is valid when it is given 0 (15 minutes, the SDK
	// presigner's own default).
	DefaultPlaylistURLExpiry = 15 * time.Minute
	// MinPlaylistURLExpiry is the shortest validity PlaylistURL accepts (1 s; X-Amz-Expires counts seconds).
	MinPlaylistURLExpiry = time.Second
	// MaxPlaylistURLExpiry is the longest validity PlaylistURL accepts: 7 days, SigV4's limit for presigned
	// URLs. A URL signed with temporary credentials stops working when they expire, whichever comes first.
	MaxPlaylistURLExpiry = 7 * 24 * time.Hour
	// MaxMetadataFileSize is the largest metadata file Files reads (1 MiB; IVS writes about 1 KB). A larger
	// object is an error, not read.
	MaxMetadataFileSize = 1 << 20
	// MaxKeyLength is the longest S3 object key, in bytes (1,024): a Location whose keys would be longer
	// is invalid.
	MaxKeyLength = 1024
)

// ErrNoMetadata is returned (wrapped, errors.Is) by Files.Metadata when none of a recording's three
// metadata files (events/recording-started.json, recording-ended.json, recording-failed.json) is in S3
// yet, or the one listed was deleted before it could be read. The error names the bucket and the key
// prefix. WaitFinal keeps waiting on it.
var ErrNoMetadata = errors.New("recording: no metadata file (recording-started.json, recording-ended.json or recording-failed.json)")

// Files reads individual participant recordings from S3 with the official client
// (github.com/aws/aws-sdk-go-v2/service/s3): it lists the recordings under a stage, session or participant
// (Recordings), reads a recording's metadata (Metadata), waits for its end (WaitFinal) and presigns its
// playlist (PlaylistURL). Build it with NewFiles; it is safe for concurrent use.
//
// The IAM principal needs s3:ListBucket on the bucket (for the prefixes read) and s3:GetObject on the
// recordings' objects. Every input is checked before anything is sent: the bucket name against the same
// rules as Storage.Validate (the IVS model's and S3's), the prefix against the recording layout; an invalid
// input returns a smithy.InvalidParamsError (wrapped in a *smithy.OperationError, ServiceID "S3") and makes
// no request. S3's own errors keep the SDK's types (*types.NoSuchBucket, *types.NoSuchKey, smithy.APIError
// with code "AccessDenied", …). Every error's text starts with "recording: " and names the bucket and key
// (s3://<bucket>/<key>); none carries a credential or a presigned URL.
//
// Requests: Recordings sends the ListObjectsV2 pages of its prefix (1,000 keys a page, through the SDK's
// paginator) and at most one GetObject per recording, none while no metadata file is written; Metadata
// sends one ListObjectsV2 of <prefix>/events/ and one GetObject; WaitFinal sends that once per poll;
// PlaylistURL sends nothing.
//
// # The newest metadata file
//
// A recording has up to three metadata files under events/. The newest is the one that comes last in a
// recording's life: recording-ended.json or recording-failed.json over recording-started.json, whatever
// their times; between ended and failed (IVS writes only one of them), the one with the later
// LastModified, and recording-failed.json on a tie. Status and Metadata come from it; Status is "" while
// no file is written (files appear a little after Recording Start).
type Files struct {
	client  *s3.Client
	presign *s3.PresignClient
	// sleep waits between WaitFinal's polls: a timer by default; tests replace it (export_files_test.go).
	sleep func(ctx context.Context, d time.Duration) error
}

// NewFiles returns a Files on client, e.g. s3.NewFromConfig(cfg). client must not be nil; its options
// (region, credentials, HTTP client, retryer, UsePathStyle, …) apply to every request, and PlaylistURL
// presigns with s3.NewPresignClient(client).
func NewFiles(client *s3.Client) *Files {
	if client == nil {
		panic("recording: NewFiles: nil *s3.Client")
	}
	return &Files{client: client, presign: s3.NewPresignClient(client), sleep: sleepCtx}
}

// Recording is one individual participant recording found in S3: the objects under one
// <stage id>/<session id>/<participant id>/<time>/ prefix. The publishes of a participant merged by the
// reconnect window share one prefix, so they are one Recording.
type Recording struct {
	// Location is the recording's bucket and prefix (<stage id>/<session id>/<participant id>/<time>,
	// without a trailing '/'), as the Recording Start and End events report it.
	Location Location
	// StageID, SessionID and ParticipantID are the prefix's first three segments. SessionID is the
	// session in which the recording started (Metadata.SessionID may name a later one).
	StageID, SessionID, ParticipantID string
	// Status is the newest metadata file's recording_status (see Files), "" while none is written.
	Status Status
	// Metadata is the newest metadata file, parsed; the zero Metadata while none is written.
	Metadata Metadata
}

// Shapes and fields named in validation errors.
const (
	filesService   = "S3" // s3.ServiceID
	opRecordings   = "ListObjectsV2"
	opMetadata     = "Metadata"
	opWaitFinal    = "WaitFinal"
	opPlaylistURL  = "PlaylistURL"
	listInput      = "ListObjectsV2Input"
	fieldBucket    = "Bucket"
	fieldPrefix    = "Prefix"
	fieldLocBucket = "Location.Bucket"
	fieldLocPrefix = "Location.Prefix"
	fieldPoll      = "Poll"
	fieldExpires   = "Expires"
)

// The segments of a recording prefix: <stage id>/<session id>/<participant id>/<time>.
var (
	// stageIDRule is the resource ID at the end of a stage ARN (rules.StageArn's last segment).
	stageIDRule = rules.String{Min: 1, Max: rules.ARNMaxLength, Pattern: regexp.MustCompile(`^[a-zA-Z0-9-]+$`)}
	// participantIDRule is a participant token ID (an API token's, or a self-signed token's jti), not empty.
	participantIDRule = rules.String{Min: 1, Max: rules.ParticipantIDMaxLength, Pattern: rules.ParticipantTokenID.Pattern}
	// timeRule is the last segment, documented as 2024-01-01T12-00-55Z (the format is unconfirmed, so any
	// short segment of these characters passes).
	timeRule = rules.String{Min: 1, Max: 64, Pattern: regexp.MustCompile(`^[a-zA-Z0-9._:+-]+$`)}

	prefixSegments = [...]struct {
		name string
		rule rules.String
	}{
		{"stage ID", stageIDRule},
		{"session ID", rules.SessionID},
		{"participant ID", participantIDRule},
		{"recording time", timeRule},
	}
)

// The metadata files, in the order of a recording's life.
var metadataFiles = [...]Status{StatusStarted, StatusEnded, StatusEndedWithFailure}

// Recordings lists the recordings under prefix in bucket, in key order (for one participant, oldest
// first): prefix is a stage's "<stage id>/", a session's "<stage id>/<session id>/", a participant's
// "<stage id>/<session id>/<participant id>/" or one recording's "…/<time>/"; the trailing '/' may be left
// out, and the listing covers exactly that folder ("abc" does not list stage "abcd"). Each Recording
// carries the newest metadata file (see Files), read with one GetObject once the listing has passed the
// recording's keys, so recordings are yielded as the pages arrive.
//
// Keys that are not under a four-segment prefix whose second segment is a stage session ID (st-…, 16
// characters) are not individual participant recordings and are skipped (a composition's files, for
// instance). A recording whose metadata file cannot be read or parsed is yielded with its error (Location
// and IDs set, Status "") and the listing goes on; a listing error (*types.NoSuchBucket, AccessDenied, a
// truncated page without a continuation token, a repeated token, keys out of order) is yielded once and
// ends it. Invalid input is yielded as the only element, and nothing is sent: bucket as for
// Storage.Validate ("ListObjectsV2Input.Bucket"), prefix ("ListObjectsV2Input.Prefix") of one to four
// segments, none empty nor starting with '/': a stage ID ([a-zA-Z0-9-]+), a session ID (st-…, 16
// characters), a participant ID (at most 64 of [a-zA-Z0-9-_]) and a time (at most 64 of
// [a-zA-Z0-9._:+-], not "." or "..").
func (f *Files) Recordings(ctx context.Context, bucket, prefix string) iter.Seq2[Recording, error] {
	return func(yield func(Recording, error) bool) {
		listPrefix, err := checkListing(bucket, prefix)
		if err != nil {
			yield(Recording{}, err)
			return
		}
		var cur *found
		emit := func() bool {
			rec, err := f.recording(ctx, cur)
			return yield(rec, err)
		}
		stopped := false
		err = f.walk(ctx, bucket, listPrefix, func(o s3types.Object) bool {
			key := aws.ToString(o.Key)
			segs, rest, ok := recordingKey(key)
			if !ok {
				return true
			}
			if cur == nil || cur.segs != segs {
				if cur != nil && !emit() {
					stopped = true
					return false
				}
				cur = &found{loc: Location{Bucket: bucket, Prefix: strings.Join(segs[:], "/")}, segs: segs}
			}
			cur.note(rest, o.LastModified)
			return true
		})
		switch {
		case stopped:
		case err != nil:
			yield(Recording{}, err)
		case cur != nil:
			emit()
		}
	}
}

// Metadata reads the newest of the recording's metadata files (see Files): one ListObjectsV2 of
// <prefix>/events/, then one GetObject. It returns an error wrapping ErrNoMetadata when none is written
// yet; S3's errors otherwise (*types.NoSuchBucket, AccessDenied, …), or ParseMetadata's for a malformed
// file, each naming the bucket and key. An invalid loc (see WaitFinal) returns a smithy.InvalidParamsError
// ("Metadata.Location.Bucket", "Metadata.Location.Prefix") and sends nothing.
func (f *Files) Metadata(ctx context.Context, loc Location) (Metadata, error) {
	errs := smithy.InvalidParamsError{Context: opMetadata}
	checkLocation(&errs, loc)
	if err := invalidFiles(opMetadata, errs); err != nil {
		return Metadata{}, err
	}
	return f.metadata(ctx, loc)
}

// WaitFinal waits until the recording has ended or failed, and returns its final metadata (status
// StatusEnded, StatusEndedWithFailure or StatusStartFailed). It polls Metadata every poll (0:
// DefaultWaitFinalPoll, 5 s; at least MinWaitFinalPoll, 1 s), each poll a ListObjectsV2 and at most one
// GetObject; no metadata file yet (ErrNoMetadata) and any other status keep it waiting.
//
// Recording End, and with it recording-ended.json, comes only after the participant has stopped
// publishing and the stage's recordingReconnectWindowSeconds has passed (IVS waits that long for a
// reconnect to merge), and then once the files are written: give ctx a deadline of at least the window
// plus a margin. WaitFinal returns ctx.Err() itself once ctx is done, and the first other error of a poll
// (*types.NoSuchBucket, AccessDenied, a malformed file) at once. loc must hold a bucket valid as for
// Storage.Validate and a non-empty prefix of at most MaxKeyLength bytes with its keys, without empty, "."
// or ".." segments and valid UTF-8; an invalid loc or poll returns a smithy.InvalidParamsError
// ("WaitFinal.Location.Bucket", "WaitFinal.Location.Prefix", "WaitFinal.Poll") and sends nothing.
func (f *Files) WaitFinal(ctx context.Context, loc Location, poll time.Duration) (Metadata, error) {
	errs := smithy.InvalidParamsError{Context: opWaitFinal}
	checkLocation(&errs, loc)
	if poll == 0 {
		poll = DefaultWaitFinalPoll
	}
	if poll < MinWaitFinalPoll {
		errs.Add(rules.New(fieldPoll, rules.RuleRange, fmt.Sprintf("value %s is below the minimum of %s", poll, MinWaitFinalPoll)))
	}
	if err := invalidFiles(opWaitFinal, errs); err != nil {
		return Metadata{}, err
	}
	for {
		md, err := f.metadata(ctx, loc)
		if ctx.Err() != nil {
			return Metadata{}, ctx.Err()
		}
		switch {
		case err == nil && md.Status.final():
			return md, nil
		case err != nil && !errors.Is(err, ErrNoMetadata):
			return Metadata{}, err
		}
		if err := f.sleep(ctx, poll); err != nil {
			return Metadata{}, err
		}
	}
}

// PlaylistURL returns a presigned GET URL of the recording's HLS multivariant playlist,
// <prefix>/media/hls/multivariant.m3u8 (Location.PlaylistKey), valid for expires (0:
// DefaultPlaylistURLExpiry, 15 minutes; a whole number of seconds from MinPlaylistURLExpiry to
// MaxPlaylistURLExpiry, 7 days). It signs locally with the client's credentials and sends no request, so
// it does not check that the playlist exists: IVS writes it while recording, and the URL answers 404 until
// then. The playlist names its media playlists relatively (high/playlist.m3u8), which need URLs of their
// own to be fetched from a private bucket. An invalid loc (see WaitFinal) or expires returns a
// smithy.InvalidParamsError ("PlaylistURL.Location.Prefix", "PlaylistURL.Expires", …).
func (f *Files) PlaylistURL(ctx context.Context, loc Location, expires time.Duration) (string, error) {
	errs := smithy.InvalidParamsError{Context: opPlaylistURL}
	checkLocation(&errs, loc)
	if expires == 0 {
		expires = DefaultPlaylistURLExpiry
	}
	switch {
	case expires < MinPlaylistURLExpiry || expires > MaxPlaylistURLExpiry:
		errs.Add(rules.New(fieldExpires, rules.RuleRange, fmt.Sprintf("value %s is out of range %s..%s", expires, MinPlaylistURLExpiry, MaxPlaylistURLExpiry)))
	case expires%time.Second != 0:
		errs.Add(rules.New(fieldExpires, rules.RuleUnit, fmt.Sprintf("value %s is not a whole number of seconds", expires)))
	}
	if err := invalidFiles(opPlaylistURL, errs); err != nil {
		return "", err
	}
	key := loc.PlaylistKey()
	req, err := f.presign.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(loc.Bucket), Key: aws.String(key)},
		s3.WithPresignExpires(expires))
	if err != nil {
		return "", &fileError{op: "presigning", bucket: loc.Bucket, key: key, err: err}
	}
	return req.URL, nil
}

// final reports whether s ends a recording's life: ended, ended with failure, or failed to start.
func (s Status) final() bool {
	return s == StatusEnded || s == StatusEndedWithFailure || s == StatusStartFailed
}

// found is one recording being listed: the metadata files seen under its prefix.
type found struct {
	loc   Location
	segs  [4]string
	files [len(metadataFiles)]struct {
		present  bool
		modified time.Time
	}
}

// note records the object at rest (the key relative to the recording's prefix) if it is a metadata file.
func (g *found) note(rest string, modified *time.Time) {
	for i, st := range metadataFiles {
		if rest == eventsDir+st.fileName() {
			g.files[i].present, g.files[i].modified = true, aws.ToTime(modified)
		}
	}
}

// newest returns the key of the newest metadata file (see Files), false when none was seen.
func (g *found) newest() (string, bool) {
	started, ended, failed := g.files[0], g.files[1], g.files[2]
	var st Status
	switch {
	case ended.present && failed.present:
		st = StatusEndedWithFailure
		if ended.modified.After(failed.modified) {
			st = StatusEnded
		}
	case failed.present:
		st = StatusEndedWithFailure
	case ended.present:
		st = StatusEnded
	case started.present:
		st = StatusStarted
	default:
		return "", false
	}
	return g.loc.MetadataKey(st), true
}

// recording reads g's newest metadata file into its Recording.
func (f *Files) recording(ctx context.Context, g *found) (Recording, error) {
	rec := Recording{Location: g.loc, StageID: g.segs[0], SessionID: g.segs[1], ParticipantID: g.segs[2]}
	key, ok := g.newest()
	if !ok {
		return rec, nil
	}
	md, err := f.read(ctx, g.loc.Bucket, key)
	if err != nil {
		return rec, err
	}
	rec.Status, rec.Metadata = md.Status, md
	return rec, nil
}

// metadata lists loc's events/ folder and reads its newest metadata file.
func (f *Files) metadata(ctx context.Context, loc Location) (Metadata, error) {
	dir := loc.dir()
	g := found{loc: loc}
	err := f.walk(ctx, loc.Bucket, dir+eventsDir, func(o s3types.Object) bool {
		g.note(strings.TrimPrefix(aws.ToString(o.Key), dir), o.LastModified)
		return true
	})
	if err != nil {
		return Metadata{}, err
	}
	key, ok := g.newest()
	if !ok {
		return Metadata{}, &fileError{op: "reading", bucket: loc.Bucket, key: dir + eventsDir, err: ErrNoMetadata}
	}
	return f.read(ctx, loc.Bucket, key)
}

// read gets one metadata file and parses it.
func (f *Files) read(ctx context.Context, bucket, key string) (Metadata, error) {
	out, err := f.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		var missing *s3types.NoSuchKey
		fe := &fileError{op: "reading", bucket: bucket, key: key, err: err}
		if errors.As(err, &missing) {
			fe.is = ErrNoMetadata // listed, then deleted
		}
		return Metadata{}, fe
	}
	defer out.Body.Close()
	data, err := io.ReadAll(io.LimitReader(out.Body, MaxMetadataFileSize+1))
	if err != nil {
		return Metadata{}, &fileError{op: "reading", bucket: bucket, key: key, err: err}
	}
	if len(data) > MaxMetadataFileSize {
		return Metadata{}, &fileError{op: "reading", bucket: bucket, key: key,
			err: fmt.Errorf("the object is larger than MaxMetadataFileSize (%d bytes): not a metadata file", MaxMetadataFileSize)}
	}
	md, err := ParseMetadata(data)
	if err != nil {
		return Metadata{}, &fileError{op: "reading", bucket: bucket, key: key, err: err}
	}
	return md, nil
}

// walk lists bucket under prefix with the SDK's paginator and calls visit with each object, in order,
// until visit returns false. It refuses a truncated page without a continuation token, a token that comes
// back (either would end the listing early or never), and keys out of order or outside the prefix (a
// recording's keys would not be contiguous).
func (f *Files) walk(ctx context.Context, bucket, prefix string, visit func(s3types.Object) bool) error {
	fail := func(err error) error { return &fileError{op: "listing", bucket: bucket, key: prefix, err: err} }
	in := &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix)}
	tokens := map[string]bool{}
	last := ""
	for p := s3.NewListObjectsV2Paginator(f.client, in); p.HasMorePages(); {
		out, err := p.NextPage(ctx)
		if err != nil {
			return fail(err)
		}
		for _, o := range out.Contents {
			key := aws.ToString(o.Key)
			switch {
			case !strings.HasPrefix(key, prefix):
				return fail(fmt.Errorf("the listing returned key %s, outside the prefix", rules.Quote(key)))
			case last != "" && key <= last:
				return fail(fmt.Errorf("the listing returned key %s after %s: out of order", rules.Quote(key), rules.Quote(last)))
			}
			last = key
			if !visit(o) {
				return nil
			}
		}
		if aws.ToBool(out.IsTruncated) {
			token := aws.ToString(out.NextContinuationToken)
			switch {
			case token == "":
				return fail(errors.New("ListObjectsV2 answered a truncated page (IsTruncated) without a NextContinuationToken: the listing is incomplete"))
			case tokens[token]:
				return fail(fmt.Errorf("ListObjectsV2 answered NextContinuationToken %s a second time: the listing would not end", rules.Quote(token)))
			}
			tokens[token] = true
		}
	}
	return nil
}

// recordingKey splits key into the four segments of its recording prefix and the rest; false when key is
// not under a <stage>/<session>/<participant>/<time>/ prefix whose session segment is a session ID.
func recordingKey(key string) ([4]string, string, bool) {
	var segs [4]string
	parts := strings.SplitN(key, "/", 5)
	if len(parts) < 5 {
		return segs, "", false
	}
	for i := range segs {
		if parts[i] == "" {
			return segs, "", false
		}
		segs[i] = parts[i]
	}
	if !rules.SessionID.Valid(segs[1]) {
		return segs, "", false
	}
	return segs, parts[4], true
}

// checkListing validates Recordings' input and returns the prefix to list: prefix with one trailing '/'.
func checkListing(bucket, prefix string) (string, error) {
	errs := smithy.InvalidParamsError{Context: listInput}
	checkBucket(&errs, fieldBucket, bucket)
	p := strings.TrimSuffix(prefix, "/")
	switch {
	case !rules.CheckUTF8(&errs, fieldPrefix, prefix):
	case p == "":
		errs.Add(rules.New(fieldPrefix, rules.RuleRequired, fmt.Sprintf(
			`value %s names no stage: want "<stage id>/", "<stage id>/<session id>/", "<stage id>/<session id>/<participant id>/" or one recording's ".../<time>/"`,
			rules.Quote(prefix))))
	case strings.HasPrefix(p, "/"):
		errs.Add(rules.New(fieldPrefix, rules.RulePattern, fmt.Sprintf("value %s starts with '/' (IVS writes keys without one)", rules.Quote(prefix))))
	default:
		segs := strings.Split(p, "/")
		if len(segs) > len(prefixSegments) {
			errs.Add(rules.New(fieldPrefix, rules.RuleLength, fmt.Sprintf(
				"value %s has %d segments, at most %d: <stage id>/<session id>/<participant id>/<time>", rules.Quote(prefix), len(segs), len(prefixSegments))))
			break
		}
		for i, seg := range segs {
			what := prefixSegments[i]
			if seg == "" {
				errs.Add(rules.New(fieldPrefix, rules.RulePattern, fmt.Sprintf("value %s: segment %d (the %s) is empty", rules.Quote(prefix), i+1, what.name)))
				continue
			}
			if seg == "." || seg == ".." {
				errs.Add(rules.New(fieldPrefix, rules.RulePattern, fmt.Sprintf("value %s: segment %d (the %s) is %q", rules.Quote(prefix), i+1, what.name, seg)))
				continue
			}
			var sub smithy.InvalidParamsError
			what.rule.Check(&sub, fieldPrefix, seg)
			for _, e := range sub.Errs() {
				pe, ok := e.(*rules.ParamError)
				if !ok {
					continue // cannot happen: the rules report *rules.ParamError
				}
				errs.Add(rules.New(fieldPrefix, pe.Rule(), fmt.Sprintf("value %s: segment %d (the %s): %s", rules.Quote(prefix), i+1, what.name, pe.Reason())))
			}
		}
	}
	if err := invalidFiles(opRecordings, errs); err != nil {
		return "", err
	}
	return p + "/", nil
}

// checkBucket applies Storage.Validate's bucket rules (the IVS model's and S3's) to a bucket to read.
func checkBucket(errs *smithy.InvalidParamsError, field, bucket string) {
	rules.BucketName.Check(errs, field, bucket)
	checkS3BucketName(errs, field, bucket)
}

// checkLocation validates a recording's Location: a bucket as checkBucket, a prefix that is valid UTF-8,
// not empty (slashes aside), without empty, "." or ".." segments, whose keys fit in MaxKeyLength bytes.
func checkLocation(errs *smithy.InvalidParamsError, loc Location) {
	checkBucket(errs, fieldLocBucket, loc.Bucket)
	if !rules.CheckUTF8(errs, fieldLocPrefix, loc.Prefix) {
		return
	}
	p := strings.Trim(loc.Prefix, "/")
	if p == "" {
		errs.Add(rules.New(fieldLocPrefix, rules.RuleRequired, fmt.Sprintf("value %s is empty: want the recording's <stage id>/<session id>/<participant id>/<time>", rules.Quote(loc.Prefix))))
		return
	}
	for i, seg := range strings.Split(p, "/") {
		if seg == "" || seg == "." || hasDotDot(seg) {
			errs.Add(rules.New(fieldLocPrefix, rules.RulePattern, fmt.Sprintf("value %s: segment %d is %q", rules.Quote(loc.Prefix), i+1, seg)))
			return
		}
	}
	if n := len(loc.dir()) + longestKeySuffix; n > MaxKeyLength {
		errs.Add(rules.New(fieldLocPrefix, rules.RuleLength, fmt.Sprintf(
			"value of %d bytes makes keys of up to %d bytes, more than S3's %d", len(p), n, MaxKeyLength)))
	}
}

// longestKeySuffix is the longest key Files builds under a prefix: <prefix>/events/recording-started.json.
var longestKeySuffix = max(len(eventsDir+StatusStarted.fileName()), len(eventsDir+StatusEnded.fileName()),
	len(eventsDir+StatusEndedWithFailure.fileName()), len(playlistKey))

// invalidFiles returns errs as a validation error of operation, nil when it holds no violation.
func invalidFiles(operation string, errs smithy.InvalidParamsError) error {
	if errs.Len() == 0 {
		return nil
	}
	return &validationError{err: &smithy.OperationError{ServiceID: filesService, OperationName: operation, Err: errs}}
}

// validationError is invalid input of a Files method: "recording: operation error S3: …".
type validationError struct{ err error }

func (e *validationError) Error() string { return "recording: " + e.err.Error() }
func (e *validationError) Unwrap() error { return e.err }

// fileError is a failed request or read: "recording: <op> s3://<bucket>/<key>: <cause>".
type fileError struct {
	op, bucket, key string
	err             error
	is              error // a sentinel the error also matches (errors.Is), besides those of err
}

func (e *fileError) Error() string {
	return "recording: " + e.op + " s3://" + e.bucket + "/" + e.key + ": " + strings.TrimPrefix(e.err.Error(), "recording: ")
}

func (e *fileError) Unwrap() error { return e.err }

func (e *fileError) Is(target error) bool { return e.is != nil && target == e.is }

// sleepCtx waits for d or until ctx is done, whichever comes first, and returns ctx.Err() in the latter
// case.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
