package recording

import "github.com/ivsrt/ivsrt/internal/rules"

// State is a participant's recording state, as GetParticipant and ListParticipants report it (the model's
// ParticipantRecordingState). Unknown values the service may add pass through as they are.
type State string

// The recording states. The model names them without defining them; the meanings below are the library's
// reading of the service's behaviour.
const (
	StateStarting State = "STARTING" // the participant began publishing; recording is being set up
	StateActive   State = "ACTIVE"   // media is being written
	StateStopping State = "STOPPING" // the publisher is gone; files are being finished (and the reconnect window waited out)
	StateStopped  State = "STOPPED"  // finished normally (Recording End)
	StateFailed   State = "FAILED"   // Recording Start Failure or Recording End Failure
	StateDisabled State = "DISABLED" // not recorded: the stage does not record, or a replica with record-replicas off
)

var states = rules.NewEnum(StateStarting, StateActive, StateStopping, StateStopped, StateFailed, StateDisabled)

// Values lists every State, in the model's order, in a new slice the caller may modify.
func (State) Values() []State { return states.Values() }

// Valid reports whether s is one of Values().
func (s State) Valid() bool { return states.Has(s) }

// InProgress reports whether s is STARTING, ACTIVE or STOPPING: a recording that has not ended. While any
// participant of a stage's active session is in such a state, the service refuses to change the stage's
// recording configuration (HTTP 409).
func (s State) InProgress() bool {
	return s == StateStarting || s == StateActive || s == StateStopping
}
