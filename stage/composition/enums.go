package composition

import "github.com/ivsrt/ivsrt/internal/rules"

// State is the state of a composition (the model's CompositionState) or of one of its destinations
// (DestinationState, which adds StateReconnecting). A composition goes STARTING, ACTIVE, then STOPPING
// and STOPPED, or FAILED; CleanupDelay (about five minutes) after STOPPED or FAILED it is gone from
// Get and List. Values the model does not list pass through as they are.
type State string

// The states.
const (
	StateStarting State = "STARTING" // being started (the state Start returns)
	StateActive   State = "ACTIVE"   // running: composing the stage and sending to its destinations
	StateStopping State = "STOPPING" // shutting down gracefully
	// StateReconnecting is a destination's state only: the destination failed and IVS is trying it again;
	// the composition stays alive while at least one destination is active.
	StateReconnecting State = "RECONNECTING"
	StateFailed       State = "FAILED"  // ended by a failure
	StateStopped      State = "STOPPED" // ended (StopComposition, no publisher for 60 s, stage deleted, 24 h)
)

var states = rules.NewEnum(StateStarting, StateActive, StateStopping, StateReconnecting, StateFailed, StateStopped)

// Values lists every State, in the model's DestinationState order (a composition is never
// StateReconnecting), in a new slice the caller may modify.
func (State) Values() []State { return states.Values() }

// Valid reports whether s is one of Values().
func (s State) Valid() bool { return states.Has(s) }

// Ended reports whether s is StateStopped or StateFailed: a composition in it does no more work and is
// cleaned up CleanupDelay later.
func (s State) Ended() bool { return s == StateStopped || s == StateFailed }

// VideoAspectRatio is the aspect ratio of a grid layout's non-featured tiles (the model's
// VideoAspectRatio). Default: DefaultVideoAspectRatio (AspectRatioVideo).
type VideoAspectRatio string

// The aspect ratios.
const (
	AspectRatioAuto     VideoAspectRatio = "AUTO"     // chosen by the service
	AspectRatioVideo    VideoAspectRatio = "VIDEO"    // 16:9 (the default)
	AspectRatioSquare   VideoAspectRatio = "SQUARE"   // 1:1
	AspectRatioPortrait VideoAspectRatio = "PORTRAIT" // 3:4
)

var aspectRatios = rules.NewEnum(AspectRatioAuto, AspectRatioVideo, AspectRatioSquare, AspectRatioPortrait)

// Values lists every VideoAspectRatio, in the model's order, in a new slice the caller may modify.
func (VideoAspectRatio) Values() []VideoAspectRatio { return aspectRatios.Values() }

// Valid reports whether r is one of Values().
func (r VideoAspectRatio) Valid() bool { return aspectRatios.Has(r) }

// VideoFillMode is how a participant's video fits its tile (the model's VideoFillMode). Default: grid
// tiles DefaultGridFillMode (cover), a grid's featured tile DefaultFeaturedFillMode (contain), PiP tiles
// DefaultPipFillMode (cover).
type VideoFillMode string

// The fill modes.
const (
	FillModeFill    VideoFillMode = "FILL"    // stretched to the tile
	FillModeCover   VideoFillMode = "COVER"   // cropped to the tile
	FillModeContain VideoFillMode = "CONTAIN" // letterboxed in the tile
)

var fillModes = rules.NewEnum(FillModeFill, FillModeCover, FillModeContain)

// Values lists every VideoFillMode, in the model's order, in a new slice the caller may modify.
func (VideoFillMode) Values() []VideoFillMode { return fillModes.Values() }

// Valid reports whether m is one of Values().
func (m VideoFillMode) Valid() bool { return fillModes.Has(m) }

// PipBehavior is what the PiP window does once every other participant has left (the model's
// PipBehavior). Default: DefaultPipBehavior (PipStatic).
type PipBehavior string

// The PiP behaviours.
const (
	PipStatic  PipBehavior = "STATIC"  // keeps its position and size (the default)
	PipDynamic PipBehavior = "DYNAMIC" // expands to the whole composition
)

var pipBehaviors = rules.NewEnum(PipStatic, PipDynamic)

// Values lists every PipBehavior, in the model's order, in a new slice the caller may modify.
func (PipBehavior) Values() []PipBehavior { return pipBehaviors.Values() }

// Valid reports whether b is one of Values().
func (b PipBehavior) Valid() bool { return pipBehaviors.Has(b) }

// PipPosition is the corner of the PiP window (the model's PipPosition). Default: DefaultPipPosition
// (PipBottomRight).
type PipPosition string

// The PiP positions.
const (
	PipTopLeft     PipPosition = "TOP_LEFT"
	PipTopRight    PipPosition = "TOP_RIGHT"
	PipBottomLeft  PipPosition = "BOTTOM_LEFT"
	PipBottomRight PipPosition = "BOTTOM_RIGHT" // the default
)

var pipPositions = rules.NewEnum(PipTopLeft, PipTopRight, PipBottomLeft, PipBottomRight)

// Values lists every PipPosition, in the model's order, in a new slice the caller may modify.
func (PipPosition) Values() []PipPosition { return pipPositions.Values() }

// Valid reports whether p is one of Values().
func (p PipPosition) Valid() bool { return pipPositions.Has(p) }

// IngestProtocol is how an ingest configuration's publisher sends its stream (the model's
// IngestProtocol). It has no default: NewIngest takes it.
type IngestProtocol string

// The ingest protocols.
const (
	// RTMP is plain RTMP: the service requires WithInsecure(true) with it.
	RTMP IngestProtocol = "RTMP"
	// RTMPS is RTMP over TLS.
	RTMPS IngestProtocol = "RTMPS"
)

var ingestProtocols = rules.NewEnum(RTMP, RTMPS)

// Values lists every IngestProtocol, in the model's order, in a new slice the caller may modify.
func (IngestProtocol) Values() []IngestProtocol { return ingestProtocols.Values() }

// Valid reports whether p is one of Values().
func (p IngestProtocol) Valid() bool { return ingestProtocols.Has(p) }

// IngestState is the state of an ingest configuration (the model's IngestConfigurationState).
type IngestState string

// The ingest states.
const (
	IngestActive   IngestState = "ACTIVE"   // a publisher is sending to the stage through it
	IngestInactive IngestState = "INACTIVE" // nobody is
)

var ingestStates = rules.NewEnum(IngestActive, IngestInactive)

// Values lists every IngestState, in the model's order, in a new slice the caller may modify.
func (IngestState) Values() []IngestState { return ingestStates.Values() }

// Valid reports whether s is one of Values().
func (s IngestState) Valid() bool { return ingestStates.Has(s) }
