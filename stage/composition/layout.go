package composition

import (
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/wire"
)

// Field names of the SDK's types.LayoutConfiguration, GridConfiguration and PipConfiguration, as they
// appear in error paths.
const (
	layoutContext        = "LayoutConfiguration"
	fieldGrid            = "Grid"
	fieldPip             = "Pip"
	fieldFeatured        = "FeaturedParticipantAttribute"
	fieldOmitStopped     = "OmitStoppedVideo"
	fieldAspectRatio     = "VideoAspectRatio"
	fieldFillMode        = "VideoFillMode"
	fieldGridGap         = "GridGap"
	fieldOrder           = "ParticipantOrderAttribute"
	fieldPipParticipant  = "PipParticipantAttribute"
	fieldPipBehavior     = "PipBehavior"
	fieldPipOffset       = "PipOffset"
	fieldPipPosition     = "PipPosition"
	fieldPipWidth        = "PipWidth"
	fieldPipHeight       = "PipHeight"
	layoutJSON           = "layout"
	gridJSON             = "grid"
	pipJSON              = "pip"
	gridGapJSON          = "gridGap"
	pipOffsetJSON        = "pipOffset"
	omitStoppedVideoJSON = "omitStoppedVideo"
)

type layoutKind uint8

const (
	layoutZero layoutKind = iota // the zero Layout: not built, invalid
	layoutGrid
	layoutPip
)

// layoutField is one settable field of a Layout, as a bit of Layout.set.
type layoutField uint16

const (
	setFeatured layoutField = 1 << iota
	setOmit
	setAspect
	setFill
	setGap
	setOrder
	setPipParticipant
	setBehavior
	setOffset
	setPosition
	setWidth
	setHeight

	// pipOnly and gridOnly are the fields of one kind of layout only.
	pipOnly  = setPipParticipant | setBehavior | setOffset | setPosition | setWidth | setHeight
	gridOnly = setAspect
)

// Layout is how a composition arranges the stage's participants (the API's LayoutConfiguration): a grid
// (Grid) or a picture-in-picture (Pip), refined with a With… method per field of the model's
// GridConfiguration or PipConfiguration. Fields left unset are not sent and the service applies its
// defaults (the Default… constants); a field set to its zero value is sent, 0 and false included, although
// the official client alone drops them.
//
// A Layout is an immutable value: every With… returns a modified copy. A field of the other kind of layout
// (WithPipOffset on a grid, WithVideoAspectRatio on a PiP) is a validation error, not silently dropped.
// The zero Layout is invalid: build one with Grid or Pip. The service may improve how layouts look at any
// time; do not depend on their exact geometry.
type Layout struct {
	kind     layoutKind
	set      layoutField
	featured string
	order    string
	pipAttr  string
	omit     bool
	aspect   VideoAspectRatio
	fill     VideoFillMode
	gap      int
	offset   int
	width    int
	height   int
	behavior PipBehavior
	position PipPosition
}

// Grid returns a grid layout (the service's default layout): every publisher in a tile of a grid, and
// the featured participant, if any, in a larger tile. Every field is left to the service's default.
func Grid() Layout { return Layout{kind: layoutGrid} }

// Pip returns a picture-in-picture layout: one participant in a small window (the PiP participant) over
// the others. Every field is left to the service's default.
func Pip() Layout { return Layout{kind: layoutPip} }

// WithFeaturedParticipantAttribute names the participant attribute that marks the featured participant:
// one whose token has this attribute set to "true" gets the featured slot. At most MaxAttributeKeyLength
// (128) code points of [a-zA-Z0-9-_]. Default: "" (no featured participant). Grid and PiP.
func (l Layout) WithFeaturedParticipantAttribute(name string) Layout {
	l.featured, l.set = name, l.set|setFeatured
	return l
}

// WithOmitStoppedVideo sets whether participants whose video has stopped are left out of the
// composition. Default: false. WithOmitStoppedVideo(false) is sent as "omitStoppedVideo": false. Grid and
// PiP.
func (l Layout) WithOmitStoppedVideo(omit bool) Layout {
	l.omit, l.set = omit, l.set|setOmit
	return l
}

// WithVideoAspectRatio sets the aspect ratio of the grid's non-featured tiles. Default:
// DefaultVideoAspectRatio (AspectRatioVideo, 16:9). Grid only.
func (l Layout) WithVideoAspectRatio(r VideoAspectRatio) Layout {
	l.aspect, l.set = r, l.set|setAspect
	return l
}

// WithVideoFillMode sets how video fits its tile. Default: in a grid, DefaultGridFillMode (cover) and
// DefaultFeaturedFillMode (contain) for the featured participant; in a PiP, DefaultPipFillMode (cover).
// Grid and PiP.
func (l Layout) WithVideoFillMode(m VideoFillMode) Layout {
	l.fill, l.set = m, l.set|setFill
	return l
}

// WithGridGap sets the gap between tiles, in pixels: MinGridGap (0) to MaxPixels. Default:
// DefaultGridGap (2) in a grid, DefaultPipGridGap (0) in a PiP. WithGridGap(0) is sent as "gridGap": 0
// (the official client alone cannot send it, so without the library a grid always has the service's
// default gap). Grid and PiP.
func (l Layout) WithGridGap(px int) Layout {
	l.gap, l.set = px, l.set|setGap
	return l
}

// WithParticipantOrderAttribute names the participant attribute whose value orders the participants;
// those without it (or with "") are ordered by when they joined. At most MaxAttributeKeyLength (128) code
// points of [a-zA-Z0-9-_]. Default: none (order of arrival). Grid and PiP.
func (l Layout) WithParticipantOrderAttribute(name string) Layout {
	l.order, l.set = name, l.set|setOrder
	return l
}

// WithPipParticipantAttribute names the participant attribute that marks the PiP participant: one whose
// token has this attribute set to "true" is shown in the PiP window. At most MaxAttributeKeyLength (128)
// code points of [a-zA-Z0-9-_]. Default: "" (no PiP participant). PiP only.
func (l Layout) WithPipParticipantAttribute(name string) Layout {
	l.pipAttr, l.set = name, l.set|setPipParticipant
	return l
}

// WithPipBehavior sets what the PiP window does once every other participant has left. Default:
// DefaultPipBehavior (PipStatic). PiP only.
func (l Layout) WithPipBehavior(b PipBehavior) Layout {
	l.behavior, l.set = b, l.set|setBehavior
	return l
}

// WithPipOffset sets the PiP window's distance from the nearest edges of its corner, in pixels:
// MinPipOffset (0) to MaxPixels. Default: DefaultPipOffset (0). WithPipOffset(0) is sent as
// "pipOffset": 0. PiP only.
func (l Layout) WithPipOffset(px int) Layout {
	l.offset, l.set = px, l.set|setOffset
	return l
}

// WithPipPosition sets the corner of the PiP window. Default: DefaultPipPosition (PipBottomRight). PiP
// only.
func (l Layout) WithPipPosition(p PipPosition) Layout {
	l.position, l.set = p, l.set|setPosition
	return l
}

// WithPipWidth sets the PiP window's width, in pixels: MinPipWidth (1) to MaxPixels. Default: derived
// from the composition's size and the PiP participant's aspect ratio. PiP only.
func (l Layout) WithPipWidth(px int) Layout {
	l.width, l.set = px, l.set|setWidth
	return l
}

// WithPipHeight sets the PiP window's height, in pixels: MinPipHeight (1) to MaxPixels. Default: derived
// from the composition's size and the PiP participant's aspect ratio. PiP only.
func (l Layout) WithPipHeight(px int) Layout {
	l.height, l.set = px, l.set|setHeight
	return l
}

// IsGrid reports whether l is a grid layout (built by Grid).
func (l Layout) IsGrid() bool { return l.kind == layoutGrid }

// IsPip reports whether l is a picture-in-picture layout (built by Pip).
func (l Layout) IsPip() bool { return l.kind == layoutPip }

// Validate checks every rule: the model's (attribute names ≤128 code points of [a-zA-Z0-9-_], the enums,
// gap and offset ≥0, PiP width and height ≥1, each ≤MaxPixels) and the library's (a built Layout; no field
// of the other kind of layout). All violations are reported at once as a smithy.InvalidParamsError whose
// paths start at "LayoutConfiguration" ("LayoutConfiguration.Pip.PipOffset"); Config.Validate reports them
// under "StartCompositionInput.Layout". A valid Layout is checked without allocating.
func (l Layout) Validate() error {
	errs := smithy.InvalidParamsError{Context: layoutContext}
	l.validate(&errs)
	return rules.Result(errs)
}

func (l Layout) validate(errs *smithy.InvalidParamsError) {
	var kind string
	var other layoutField
	switch l.kind {
	case layoutGrid:
		kind, other = fieldGrid, pipOnly
	case layoutPip:
		kind, other = fieldPip, gridOnly
	default:
		errs.Add(rules.New(fieldGrid, rules.RuleRequired,
			"missing: neither a grid nor a pip layout: build the layout with composition.Grid() or composition.Pip()"))
		return
	}
	var sub smithy.InvalidParamsError
	if l.set&setFeatured != 0 {
		attributeKey.Check(&sub, fieldFeatured, l.featured)
	}
	if l.set&setAspect != 0 {
		rules.CheckEnum(&sub, fieldAspectRatio, l.aspect)
	}
	if l.set&setFill != 0 {
		rules.CheckEnum(&sub, fieldFillMode, l.fill)
	}
	if l.set&setGap != 0 {
		gap.Check(&sub, fieldGridGap, int64(l.gap))
	}
	if l.set&setOrder != 0 {
		attributeKey.Check(&sub, fieldOrder, l.order)
	}
	if l.set&setPipParticipant != 0 {
		attributeKey.Check(&sub, fieldPipParticipant, l.pipAttr)
	}
	if l.set&setBehavior != 0 {
		rules.CheckEnum(&sub, fieldPipBehavior, l.behavior)
	}
	if l.set&setOffset != 0 {
		pipOffset.Check(&sub, fieldPipOffset, int64(l.offset))
	}
	if l.set&setPosition != 0 {
		rules.CheckEnum(&sub, fieldPipPosition, l.position)
	}
	if l.set&setWidth != 0 {
		pipWidth.Check(&sub, fieldPipWidth, int64(l.width))
	}
	if l.set&setHeight != 0 {
		pipHeight.Check(&sub, fieldPipHeight, int64(l.height))
	}
	if wrong := l.set & other; wrong != 0 {
		l.reportOtherKind(&sub, wrong)
	}
	if sub.Len() > 0 {
		errs.AddNested(kind, sub)
	}
}

// reportOtherKind reports each field of wrong, a set of fields that l's kind of layout does not have.
func (l Layout) reportOtherKind(errs *smithy.InvalidParamsError, wrong layoutField) {
	fields := []struct {
		bit  layoutField
		name string
	}{
		{setAspect, fieldAspectRatio}, {setPipParticipant, fieldPipParticipant}, {setBehavior, fieldPipBehavior},
		{setOffset, fieldPipOffset}, {setPosition, fieldPipPosition}, {setWidth, fieldPipWidth}, {setHeight, fieldPipHeight},
	}
	this, that := "a grid layout (composition.Grid())", "PipConfiguration"
	if l.kind == layoutPip {
		this, that = "a pip layout (composition.Pip())", "GridConfiguration"
	}
	for _, f := range fields {
		if wrong&f.bit != 0 {
			errs.Add(rules.New(f.name, rules.RuleConflict, fmt.Sprintf("set on %s: %s is a field of %s only", this, f.name, that)))
		}
	}
}

// toSDK returns l for the wire, and the members the official client would drop (0 and false values that
// were set), for wire.AddSetMembers. l must be valid.
func (l Layout) toSDK() (*types.LayoutConfiguration, []wire.Member) {
	var zeros []wire.Member
	zero := func(object, member, value string) {
		zeros = append(zeros, wire.Member{Path: []string{layoutJSON, object, member}, Value: value})
	}
	if l.kind == layoutGrid {
		g := &types.GridConfiguration{
			FeaturedParticipantAttribute: l.str(setFeatured, l.featured),
			ParticipantOrderAttribute:    l.str(setOrder, l.order),
			VideoAspectRatio:             types.VideoAspectRatio(l.aspect),
			VideoFillMode:                types.VideoFillMode(l.fill),
			GridGap:                      int32(l.gap),
			OmitStoppedVideo:             l.omit,
		}
		if l.set&setGap != 0 && l.gap == 0 {
			zero(gridJSON, gridGapJSON, "0")
		}
		if l.set&setOmit != 0 && !l.omit {
			zero(gridJSON, omitStoppedVideoJSON, "false")
		}
		return &types.LayoutConfiguration{Grid: g}, zeros
	}
	p := &types.PipConfiguration{
		FeaturedParticipantAttribute: l.str(setFeatured, l.featured),
		ParticipantOrderAttribute:    l.str(setOrder, l.order),
		PipParticipantAttribute:      l.str(setPipParticipant, l.pipAttr),
		VideoFillMode:                types.VideoFillMode(l.fill),
		PipBehavior:                  types.PipBehavior(l.behavior),
		PipPosition:                  types.PipPosition(l.position),
		GridGap:                      int32(l.gap),
		PipOffset:                    int32(l.offset),
		OmitStoppedVideo:             l.omit,
	}
	if l.set&setWidth != 0 {
		p.PipWidth = aws.Int32(int32(l.width))
	}
	if l.set&setHeight != 0 {
		p.PipHeight = aws.Int32(int32(l.height))
	}
	if l.set&setGap != 0 && l.gap == 0 {
		zero(pipJSON, gridGapJSON, "0")
	}
	if l.set&setOffset != 0 && l.offset == 0 {
		zero(pipJSON, pipOffsetJSON, "0")
	}
	if l.set&setOmit != 0 && !l.omit {
		zero(pipJSON, omitStoppedVideoJSON, "false")
	}
	return &types.LayoutConfiguration{Pip: p}, zeros
}

// str returns &v when field is set, nil otherwise.
func (l Layout) str(field layoutField, v string) *string {
	if l.set&field == 0 {
		return nil
	}
	return aws.String(v)
}

// String describes l as the calls that build it, e.g. composition.Pip().WithPipOffset(0).
func (l Layout) String() string {
	var s string
	switch l.kind {
	case layoutGrid:
		s = "composition.Grid()"
	case layoutPip:
		s = "composition.Pip()"
	default:
		return "composition.Layout{}"
	}
	add := func(field layoutField, call string) {
		if l.set&field != 0 {
			s += "." + call
		}
	}
	add(setFeatured, fmt.Sprintf("WithFeaturedParticipantAttribute(%q)", l.featured))
	add(setOmit, "WithOmitStoppedVideo("+strconv.FormatBool(l.omit)+")")
	add(setAspect, "WithVideoAspectRatio("+string(l.aspect)+")")
	add(setFill, "WithVideoFillMode("+string(l.fill)+")")
	add(setGap, "WithGridGap("+strconv.Itoa(l.gap)+")")
	add(setOrder, fmt.Sprintf("WithParticipantOrderAttribute(%q)", l.order))
	add(setPipParticipant, fmt.Sprintf("WithPipParticipantAttribute(%q)", l.pipAttr))
	add(setBehavior, "WithPipBehavior("+string(l.behavior)+")")
	add(setOffset, "WithPipOffset("+strconv.Itoa(l.offset)+")")
	add(setPosition, "WithPipPosition("+string(l.position)+")")
	add(setWidth, "WithPipWidth("+strconv.Itoa(l.width)+")")
	add(setHeight, "WithPipHeight("+strconv.Itoa(l.height)+")")
	return s
}
