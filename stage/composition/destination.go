package composition

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/recording"
)

// Field names of the SDK's types.DestinationConfiguration and its parts, as they appear in error paths.
const (
	destinationContext = "DestinationConfiguration"
	fieldName          = "Name"
	fieldChannel       = "Channel"
	fieldS3            = "S3"
	fieldChannelArn    = "Channel.ChannelArn"
	fieldChannelEnc    = "Channel.EncoderConfigurationArn"
	fieldChannelThumbs = "Channel.ThumbnailConfigurations"
	fieldChannelRec    = "Channel.RecordingConfiguration"
	fieldStorageArn    = "S3.StorageConfigurationArn"
	fieldS3Encoders    = "S3.EncoderConfigurationArns"
	fieldThumbInterval = "S3.ThumbnailConfigurations[0].TargetIntervalSeconds"
	fieldThumbStorage  = "S3.ThumbnailConfigurations[0].Storage"
	fieldHLSSegment    = "S3.RecordingConfiguration.HlsConfiguration.TargetSegmentDurationSeconds"
)

type destinationKind uint8

const (
	destinationZero destinationKind = iota // the zero Destination: not built, invalid
	destinationChannel
	destinationS3
)

// Destination is where a composition goes (the API's DestinationConfiguration): an IVS channel to
// broadcast to (ToChannel) or an S3 storage configuration to record into (ToS3, a composite recording).
// A composition has one destination, or two: one channel and one S3.
//
// A Destination is an immutable value: every With… returns a modified copy and copies the slices it is
// given. The zero Destination is invalid: build one with ToChannel or ToS3.
type Destination struct {
	kind     destinationKind
	arn      string // the channel ARN or the storage configuration ARN
	name     string
	nameSet  bool
	encoders []string // never written after construction
	thumbs   bool
	interval time.Duration
	storage  []recording.ThumbnailStorage // never written after construction
	hls      time.Duration
	hlsSet   bool
}

// ToChannel returns a destination that broadcasts the composition to the IVS channel channelARN
// (arn:aws:ivs:<region>:<account>:channel/<id>, at most 128 code points), in the stage's account and
// region. The channel must be offline (not broadcasting) when the composition starts. An encoder
// configuration is optional (WithEncoders with one ARN); without one the service applies its default
// (DefaultVideoWidth×DefaultVideoHeight at DefaultFramerate and DefaultBitrate).
func ToChannel(channelARN string) Destination {
	return Destination{kind: destinationChannel, arn: channelARN}
}

// ToS3 returns a destination that records the composition into the storage configuration
// storageConfigurationARN (arn:aws:ivs:<region>:<account>:storage-configuration/<id>, at most 128 code
// points), in HLS: a composite recording. It needs exactly one encoder configuration (WithEncoders), which
// sets the recording's resolution, frame rate and bitrate. Thumbnails (WithThumbnails) and the HLS segment
// duration (WithHLSSegment) are optional.
func ToS3(storageConfigurationARN string) Destination {
	return Destination{kind: destinationS3, arn: storageConfigurationARN}
}

// WithName sets a name to tell the destination apart: at most MaxNameLength (128) code points of
// [a-zA-Z0-9-_]. Default: none.
func (d Destination) WithName(name string) Destination {
	d.name, d.nameSet = name, true
	return d
}

// WithEncoders replaces the encoder configuration ARNs
// (arn:aws:ivs:<region>:<account>:encoder-configuration/<id>) with a copy of arns: exactly
// MaxEncodersPerS3 (1) for an S3 destination, at most 1 for a channel. Default: none (required for S3; a
// channel then uses the service's default encoding).
func (d Destination) WithEncoders(arns ...string) Destination {
	d.encoders = slices.Clone(arns)
	return d
}

// WithThumbnails records a thumbnail every interval (whole seconds, MinThumbnailInterval (1 s) to
// MaxThumbnailInterval (24 h); pass DefaultThumbnailInterval for the documented default of 60 s), kept as
// storage says: at most one each of recording.StorageSequential (every thumbnail, under
// media/thumbnails/<width>x<height>/) and recording.StorageLatest (the latest one, overwritten, in
// media/latest_thumbnail/<width>x<height>/thumb.jpg); none means the service default
// (DefaultThumbnailStorage, sequential). A repeated storage value is an error. S3 only. Default: no
// thumbnail configuration is sent.
func (d Destination) WithThumbnails(interval time.Duration, storage ...recording.ThumbnailStorage) Destination {
	d.thumbs, d.interval, d.storage = true, interval, slices.Clone(storage)
	return d
}

// WithHLSSegment sets the target duration of the recording's HLS segments: whole seconds from
// MinHLSSegmentDuration (2 s) to MaxHLSSegmentDuration (10 s). Default: DefaultHLSSegmentDuration (2 s).
// S3 only.
func (d Destination) WithHLSSegment(seg time.Duration) Destination {
	d.hls, d.hlsSet = seg, true
	return d
}

// IsChannel reports whether d broadcasts to a channel (built by ToChannel).
func (d Destination) IsChannel() bool { return d.kind == destinationChannel }

// IsS3 reports whether d records to S3 (built by ToS3).
func (d Destination) IsS3() bool { return d.kind == destinationS3 }

// ARN returns the channel ARN (ToChannel) or the storage configuration ARN (ToS3).
func (d Destination) ARN() string { return d.arn }

// Encoders returns a copy of the encoder configuration ARNs (nil when none).
func (d Destination) Encoders() []string { return slices.Clone(d.encoders) }

// Validate checks every rule: the model's (ARN patterns and lengths, the name, thumbnail interval
// 1..86,400 s and storage values, HLS segment 2..10 s) and the documented ones (exactly one encoder
// configuration for S3, at most one for a channel; thumbnails and HLS settings on S3 only; durations in
// whole seconds; a built Destination). All violations are reported at once as a smithy.InvalidParamsError
// whose paths start at "DestinationConfiguration" ("DestinationConfiguration.S3.EncoderConfigurationArns");
// Config.Validate reports them under "StartCompositionInput.Destinations[i]". A valid Destination is
// checked without allocating.
func (d Destination) Validate() error {
	errs := smithy.InvalidParamsError{Context: destinationContext}
	d.validate(&errs)
	return rules.Result(errs)
}

func (d Destination) validate(errs *smithy.InvalidParamsError) {
	if d.nameSet {
		name.Check(errs, fieldName, d.name)
	}
	switch d.kind {
	case destinationChannel:
		d.validateChannel(errs)
	case destinationS3:
		d.validateS3(errs)
	default:
		errs.Add(rules.New(fieldChannel, rules.RuleRequired,
			"missing: either a channel or an s3 must be specified: build the destination with composition.ToChannel(arn) or composition.ToS3(arn)"))
	}
}

func (d Destination) validateChannel(errs *smithy.InvalidParamsError) {
	channelArn.Check(errs, fieldChannelArn, d.arn)
	switch len(d.encoders) {
	case 0:
	case 1:
		encoderArn.Check(errs, fieldChannelEnc, d.encoders[0])
	default:
		errs.Add(rules.New(fieldChannelEnc, rules.RuleLength,
			fmt.Sprintf("%d encoder configuration ARNs: a channel destination takes at most 1", len(d.encoders))))
		checkEncoders(errs, fieldChannelEnc, d.encoders)
	}
	if d.thumbs {
		errs.Add(rules.New(fieldChannelThumbs, rules.RuleConflict, "set on a channel destination: thumbnails are recorded by an S3 destination (composition.ToS3) only"))
	}
	if d.hlsSet {
		errs.Add(rules.New(fieldChannelRec, rules.RuleConflict, "HLS segment duration set on a channel destination: it applies to an S3 destination (composition.ToS3) only"))
	}
}

func (d Destination) validateS3(errs *smithy.InvalidParamsError) {
	storageArn.Check(errs, fieldStorageArn, d.arn)
	switch len(d.encoders) {
	case 0:
		errs.Add(rules.New(fieldS3Encoders, rules.RuleRequired,
			"missing: an S3 destination takes exactly 1 encoder configuration ARN (WithEncoders(arn))"))
	case 1:
		if !encoderArn.Valid(d.encoders[0]) {
			encoderArn.Check(errs, fieldS3Encoders+"[0]", d.encoders[0])
		}
	default:
		errs.Add(rules.New(fieldS3Encoders, rules.RuleLength,
			fmt.Sprintf("%d encoder configuration ARNs: an S3 destination takes exactly 1", len(d.encoders))))
		checkEncoders(errs, fieldS3Encoders, d.encoders)
	}
	if d.thumbs {
		thumbnailInterval.CheckDuration(errs, fieldThumbInterval, d.interval, time.Second)
		rules.CheckList(errs, fieldThumbStorage, d.storage, thumbnailStorageMax)
	}
	if d.hlsSet {
		hlsSegment.CheckDuration(errs, fieldHLSSegment, d.hls, time.Second)
	}
}

// checkEncoders reports each invalid ARN of arns as field[i].
func checkEncoders(errs *smithy.InvalidParamsError, field string, arns []string) {
	for i, arn := range arns {
		if !encoderArn.Valid(arn) {
			encoderArn.Check(errs, field+rules.Index(i), arn)
		}
	}
}

// toSDK returns d for the wire. d must be valid.
func (d Destination) toSDK() types.DestinationConfiguration {
	var out types.DestinationConfiguration
	if d.nameSet {
		out.Name = aws.String(d.name)
	}
	if d.kind == destinationChannel {
		out.Channel = &types.ChannelDestinationConfiguration{ChannelArn: aws.String(d.arn)}
		if len(d.encoders) == 1 {
			out.Channel.EncoderConfigurationArn = aws.String(d.encoders[0])
		}
		return out
	}
	s3 := &types.S3DestinationConfiguration{StorageConfigurationArn: aws.String(d.arn), EncoderConfigurationArns: d.encoders}
	if d.thumbs {
		t := types.CompositionThumbnailConfiguration{TargetIntervalSeconds: aws.Int32(int32(d.interval / time.Second))}
		if len(d.storage) > 0 {
			t.Storage = make([]types.ThumbnailStorageType, len(d.storage))
			for i, s := range d.storage {
				t.Storage[i] = types.ThumbnailStorageType(s)
			}
		}
		s3.ThumbnailConfigurations = []types.CompositionThumbnailConfiguration{t}
	}
	if d.hlsSet {
		s3.RecordingConfiguration = &types.RecordingConfiguration{
			HlsConfiguration: &types.CompositionRecordingHlsConfiguration{TargetSegmentDurationSeconds: aws.Int32(int32(d.hls / time.Second))},
		}
	}
	out.S3 = s3
	return out
}

// String describes d as the calls that build it, e.g. composition.ToS3("arn:…").WithEncoders("arn:…").
func (d Destination) String() string {
	var b strings.Builder
	switch d.kind {
	case destinationChannel:
		fmt.Fprintf(&b, "composition.ToChannel(%q)", d.arn)
	case destinationS3:
		fmt.Fprintf(&b, "composition.ToS3(%q)", d.arn)
	default:
		return "composition.Destination{}"
	}
	if d.nameSet {
		fmt.Fprintf(&b, ".WithName(%q)", d.name)
	}
	if len(d.encoders) > 0 {
		b.WriteString(".WithEncoders(")
		for i, e := range d.encoders {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%q", e)
		}
		b.WriteByte(')')
	}
	if d.thumbs {
		fmt.Fprintf(&b, ".WithThumbnails(%s", d.interval)
		for _, s := range d.storage {
			fmt.Fprintf(&b, ", %s", s)
		}
		b.WriteByte(')')
	}
	if d.hlsSet {
		fmt.Fprintf(&b, ".WithHLSSegment(%s)", d.hls)
	}
	return b.String()
}
