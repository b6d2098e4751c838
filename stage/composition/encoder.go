package composition

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"

	"github.com/ivsrt/ivsrt/internal/copymap"
	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/svc"
)

// Shape and field names of the encoder configuration inputs, as they appear in error paths.
const (
	createEncoderInput = "CreateEncoderConfigurationInput"
	getEncoderInput    = "GetEncoderConfigurationInput"
	deleteEncoderInput = "DeleteEncoderConfigurationInput"
	listEncodersInput  = "ListEncoderConfigurationsInput"
	fieldVideo         = "Video"
	fieldWidth         = "Video.Width"
	fieldHeight        = "Video.Height"
	fieldFramerate     = "Video.Framerate"
	fieldBitrate       = "Video.Bitrate"
)

// ErrNoEncoder is the error (wrapped in *smithy.OperationError) of a CreateEncoderConfiguration or
// GetEncoderConfiguration response that holds no encoder configuration.
var ErrNoEncoder = errors.New("composition: the response holds no encoder configuration")

// Encoder is an encoder configuration to create (CreateEncoderConfiguration): how a composition's
// destination is encoded (resolution, frame rate, bitrate). Build it with NewEncoder and With… methods;
// Client.CreateEncoder sends it, and its ARN goes to Destination.WithEncoders.
//
// An Encoder is an immutable value: every With… returns a modified copy and copies the maps it is given.
// Nothing it leaves unset is sent, and the service applies its defaults. The zero Encoder equals
// NewEncoder().
type Encoder struct {
	name     string
	nameSet  bool
	videoSet bool
	width    int
	height   int
	fps      float64
	bitrate  int
	tags     map[string]string // never written after construction
}

// NewEncoder returns an Encoder with every field left to the service: no name, no tags, and video at
// DefaultVideoWidth×DefaultVideoHeight (1280×720), DefaultFramerate (30 fps), DefaultBitrate (2,500,000
// bps).
func NewEncoder() Encoder { return Encoder{} }

// WithName sets the name: at most MaxNameLength (128) code points of [a-zA-Z0-9-_]. Default: none.
func (e Encoder) WithName(name string) Encoder {
	e.name, e.nameSet = name, true
	return e
}

// WithVideo sets the video: width and height in pixels, each even and from MinVideoWidth/MinVideoHeight
// (2) to MaxVideoWidth/MaxVideoHeight (1920), with width × height at most MaxVideoPixels (2,073,600:
// 1920×1080 or 1080×1920); fps frames per second from MinFramerate (1) to MaxFramerate (60), sent as a
// 32-bit float; bitrate in bits per second from MinBitrate (1) to MaxBitrate (8,500,000). Default: the
// Default… values (1280×720, 30 fps, 2,500,000 bps). A publisher sending more than 1080p is shown as an
// audio-only participant.
func (e Encoder) WithVideo(width, height int, fps float64, bitrate int) Encoder {
	e.videoSet, e.width, e.height, e.fps, e.bitrate = true, width, height, fps, bitrate
	return e
}

// WithTags replaces the tags with a copy of tags (nil or empty: none): at most MaxTags (50), keys of 1 to
// 128 code points, values of at most 256. Default: no tags.
func (e Encoder) WithTags(tags map[string]string) Encoder {
	e.tags = copymap.Replace(tags)
	return e
}

// WithTag returns e with one tag added (or replaced), leaving e's own tags untouched.
func (e Encoder) WithTag(key, value string) Encoder {
	e.tags = copymap.With(e.tags, key, value)
	return e
}

// Validate checks every rule: the model's (the name, width and height 2..1920, frame rate 1..60, bitrate
// 1..8,500,000, the tags) and the documented ones (width and height even, width × height at most
// 2,073,600). All violations are reported at once as a smithy.InvalidParamsError with the paths
// Client.CreateEncoder reports, e.g. "CreateEncoderConfigurationInput.Video.Width". A valid Encoder is
// checked without allocating.
func (e Encoder) Validate() error {
	errs := smithy.InvalidParamsError{Context: createEncoderInput}
	if e.nameSet {
		name.Check(&errs, fieldName, e.name)
	}
	if e.videoSet {
		validateVideo(&errs, e.width, e.height, e.fps, e.bitrate)
	}
	rules.CheckTags(&errs, fieldTags, e.tags)
	return rules.Result(errs)
}

func validateVideo(errs *smithy.InvalidParamsError, width, height int, fps float64, rate int) {
	okW := checkEven(errs, fieldWidth, videoWidth, width, "width")
	okH := checkEven(errs, fieldHeight, videoHeight, height, "height")
	if px := width * height; okW && okH && px > MaxVideoPixels {
		errs.Add(rules.New(fieldVideo, rules.RuleSize, fmt.Sprintf(
			"width × height %d×%d = %d pixels exceeds the maximum of %d (1920×1080 or 1080×1920)", width, height, px, MaxVideoPixels)))
	}
	if !(fps >= MinFramerate && fps <= MaxFramerate) { // NaN too
		errs.Add(rules.New(fieldFramerate, rules.RuleRange, fmt.Sprintf("value %v is out of range %v..%v frames per second", fps, MinFramerate, MaxFramerate)))
	}
	bitrate.Check(errs, fieldBitrate, int64(rate))
}

// checkEven checks v against r and evenness, and reports whether it passed.
func checkEven(errs *smithy.InvalidParamsError, field string, r rules.Int, v int, what string) bool {
	n := errs.Len()
	r.Check(errs, field, int64(v))
	if errs.Len() == n && v%2 != 0 {
		errs.Add(rules.New(field, rules.RuleRange, fmt.Sprintf("value %d is odd: the %s must be an even number", v, what)))
	}
	return errs.Len() == n
}

// input validates e and returns the CreateEncoderConfiguration input. It shares e's tags.
func (e Encoder) input() (*ivsrealtime.CreateEncoderConfigurationInput, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	in := &ivsrealtime.CreateEncoderConfigurationInput{Name: optional(e.name, e.nameSet), Tags: e.tags}
	if e.videoSet {
		in.Video = &types.Video{
			Width: aws.Int32(int32(e.width)), Height: aws.Int32(int32(e.height)),
			Framerate: aws.Float32(float32(e.fps)), Bitrate: aws.Int32(int32(e.bitrate)),
		}
	}
	return in, nil
}

// String describes e as the calls that build it. Tag values are not shown, only their keys.
func (e Encoder) String() string {
	s := "composition.NewEncoder()"
	if e.nameSet {
		s += fmt.Sprintf(".WithName(%q)", e.name)
	}
	if e.videoSet {
		s += fmt.Sprintf(".WithVideo(%d, %d, %v, %d)", e.width, e.height, e.fps, e.bitrate)
	}
	if len(e.tags) > 0 {
		s += fmt.Sprintf(".WithTags(keys %q)", slices.Sorted(maps.Keys(e.tags)))
	}
	return s
}

// EncoderConfiguration is an encoder configuration as the service reports it.
type EncoderConfiguration struct {
	// ARN is arn:aws:ivs:<region>:<account>:encoder-configuration/<id>.
	ARN string
	// Name is its name ("" when none).
	Name string
	// Video is its video settings, the service's defaults filled in (zero from Encoders, whose summaries
	// hold none).
	Video Video
	// Tags are its tags (nil when none). The map is the caller's.
	Tags map[string]string
}

// ID returns the last segment of the ARN, the encoder configuration's ID.
func (c EncoderConfiguration) ID() string { return rules.ResourceID(c.ARN) }

// Video is the video an encoder configuration produces. A field the response leaves out is 0.
type Video struct {
	// Width and Height are the resolution, in pixels.
	Width, Height int
	// Framerate is in frames per second, as the service holds it (a 32-bit float: 29.97 reads back as
	// 29.969999313354492).
	Framerate float64
	// Bitrate is in bits per second.
	Bitrate int
}

func encoderFromSDK(c *types.EncoderConfiguration) EncoderConfiguration {
	out := EncoderConfiguration{ARN: aws.ToString(c.Arn), Name: aws.ToString(c.Name), Tags: copymap.Replace(c.Tags)}
	if v := c.Video; v != nil {
		out.Video = Video{
			Width: int(aws.ToInt32(v.Width)), Height: int(aws.ToInt32(v.Height)),
			Framerate: float64(aws.ToFloat32(v.Framerate)), Bitrate: int(aws.ToInt32(v.Bitrate)),
		}
	}
	return out
}

// CreateEncoder validates e and sends one CreateEncoderConfiguration request. It returns the encoder
// configuration, its video with the service's defaults filled in; pass its ARN to
// Destination.WithEncoders. Past EncoderConfigurationsQuota (20 per account and region, adjustable) the
// service answers *types.ServiceQuotaExceededException (HTTP 402).
func (c *Client) CreateEncoder(ctx context.Context, e Encoder) (EncoderConfiguration, error) {
	in, err := e.input()
	if err != nil {
		return EncoderConfiguration{}, rules.OperationError(opCreateEncoder, err)
	}
	out, err := c.api.CreateEncoderConfiguration(ctx, in, c.calls.Opts...)
	return answer(opCreateEncoder, out, err, func(o *ivsrealtime.CreateEncoderConfigurationOutput) *types.EncoderConfiguration {
		return o.EncoderConfiguration
	}, encoderFromSDK, ErrNoEncoder)
}

// GetEncoder validates arn (arn:aws:ivs:<region>:<account>:encoder-configuration/<id>, at most 128 code
// points) and sends one GetEncoderConfiguration request. An unknown one returns
// *types.ResourceNotFoundException (HTTP 404).
func (c *Client) GetEncoder(ctx context.Context, arn string) (EncoderConfiguration, error) {
	if err := checkARN(getEncoderInput, encoderArn, arn); err != nil {
		return EncoderConfiguration{}, rules.OperationError(opGetEncoder, err)
	}
	out, err := c.api.GetEncoderConfiguration(ctx, &ivsrealtime.GetEncoderConfigurationInput{Arn: aws.String(arn)}, c.calls.Opts...)
	return answer(opGetEncoder, out, err, func(o *ivsrealtime.GetEncoderConfigurationOutput) *types.EncoderConfiguration {
		return o.EncoderConfiguration
	}, encoderFromSDK, ErrNoEncoder)
}

// DeleteEncoder validates arn (as for GetEncoder) and sends one DeleteEncoderConfiguration request. One
// that a composition uses is refused with *types.ConflictException (HTTP 409); an unknown one returns
// *types.ResourceNotFoundException (HTTP 404).
func (c *Client) DeleteEncoder(ctx context.Context, arn string) error {
	if err := checkARN(deleteEncoderInput, encoderArn, arn); err != nil {
		return rules.OperationError(opDeleteEncoder, err)
	}
	_, err := c.api.DeleteEncoderConfiguration(ctx, &ivsrealtime.DeleteEncoderConfigurationInput{Arn: aws.String(arn)}, c.calls.Opts...)
	return svc.Err(err)
}

// Encoders returns an iterator over the encoder configurations of the account in the client's region, in
// the service's order, following nextToken as List does. opts: WithPageSize (1..100); a filter is a
// validation error. The configurations are summaries: ARN, Name and Tags (GetEncoder has the video).
func (c *Client) Encoders(ctx context.Context, opts ...ListOption) iter.Seq2[EncoderConfiguration, error] {
	o := resolveList(opts)
	errs := smithy.InvalidParamsError{Context: listEncodersInput}
	maxResults := o.maxResults(&errs)
	o.refuse(&errs, "Encoders", true, true, true)
	return svc.Seq(opListEncoders, invalid(opListEncoders, errs), func(next *string) ([]EncoderConfiguration, *string, error) {
		in := &ivsrealtime.ListEncoderConfigurationsInput{MaxResults: maxResults, NextToken: next}
		out, err := c.api.ListEncoderConfigurations(ctx, in, c.calls.Opts...)
		if err != nil || out == nil {
			return nil, nil, err
		}
		items := make([]EncoderConfiguration, len(out.EncoderConfigurations))
		for i, s := range out.EncoderConfigurations {
			items[i] = EncoderConfiguration{ARN: aws.ToString(s.Arn), Name: aws.ToString(s.Name), Tags: copymap.Replace(s.Tags)}
		}
		return items, out.NextToken, nil
	})
}
