package recording

import "github.com/ivsrt/ivsrt/internal/rules"

// Status is the recording_status of a recording's metadata file (events/recording-*.json).
type Status string

// The metadata statuses.
const (
	StatusStarted          Status = "RECORDING_STARTED"            // recording-started.json
	StatusEnded            Status = "RECORDING_ENDED"              // recording-ended.json
	StatusStartFailed      Status = "RECORDING_START_FAILED"       // the recording could not start
	StatusEndedWithFailure Status = "RECORDING_ENDED_WITH_FAILURE" // recording-failed.json
)

var statuses = rules.NewEnum(StatusStarted, StatusEnded, StatusStartFailed, StatusEndedWithFailure)

// Values lists every Status, in a new slice the caller may modify.
func (Status) Values() []Status { return statuses.Values() }

// Valid reports whether s is one of Values().
func (s Status) Valid() bool { return statuses.Has(s) }

// fileName is the name of the metadata file written with s, "" for an unknown s.
func (s Status) fileName() string {
	switch s {
	case StatusStarted:
		return "recording-started.json"
	case StatusEnded:
		return "recording-ended.json"
	case StatusStartFailed, StatusEndedWithFailure:
		return "recording-failed.json"
	}
	return ""
}
