package recording

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"

	"github.com/ivsrt/ivsrt/internal/rules"
)

// Thumbnails is a thumbnail recording setting (the API's thumbnailConfiguration), made by ThumbnailsEvery or
// ThumbnailsOff. The zero Thumbnails is invalid. It is an immutable value.
type Thumbnails struct {
	set      bool // made by a constructor (or passed to WithThumbnails)
	built    bool // made by a constructor
	mode     ThumbnailMode
	interval time.Duration
	storage  []ThumbnailStorage // never written after construction
}

// ThumbnailsEvery records a thumbnail every interval (mode INTERVAL): whole seconds from
// MinThumbnailInterval (1 s) to MaxThumbnailInterval (24 h); pass DefaultThumbnailInterval (60 s) for the
// service's default. storage chooses where thumbnails are kept: at most one each of StorageSequential and
// StorageLatest; none means the service default (StorageSequential). A repeated storage value is an error.
func ThumbnailsEvery(interval time.Duration, storage ...ThumbnailStorage) Thumbnails {
	return Thumbnails{built: true, mode: ThumbnailsInterval, interval: interval, storage: slices.Clone(storage)}
}

// ThumbnailsOff turns thumbnail recording off (mode DISABLED), the service's default. It sends no interval
// (the service refuses one unless the mode is INTERVAL) and no storage.
func ThumbnailsOff() Thumbnails {
	return Thumbnails{built: true, mode: ThumbnailsDisabled}
}

// thumbnailsOff is ThumbnailsOff with a thumbnail storage list to send (Settings.Config keeps a stage's
// storage while thumbnails are off).
func thumbnailsOff(storage []ThumbnailStorage) Thumbnails {
	return Thumbnails{built: true, mode: ThumbnailsDisabled, storage: slices.Clone(storage)}
}

func (t Thumbnails) validate(errs *smithy.InvalidParamsError) {
	if !t.built {
		errs.Add(rules.New(fieldThumbnails, rules.RuleRequired,
			"missing: build thumbnails with recording.ThumbnailsEvery(interval) or recording.ThumbnailsOff()"))
		return
	}
	if t.mode == ThumbnailsInterval {
		rules.ThumbnailIntervalSeconds.CheckDuration(errs, thumbnailsPrefix+fieldInterval, t.interval, time.Second)
	}
	rules.CheckList(errs, thumbnailsPrefix+fieldStorage, t.storage, rules.ThumbnailStorageMax)
}

func (t Thumbnails) toSDK() *types.ParticipantThumbnailConfiguration {
	out := &types.ParticipantThumbnailConfiguration{RecordingMode: types.ThumbnailRecordingMode(t.mode)}
	if t.mode == ThumbnailsInterval {
		out.TargetIntervalSeconds = aws.Int32(int32(t.interval / time.Second))
	}
	if len(t.storage) > 0 {
		out.Storage = make([]types.ThumbnailStorageType, len(t.storage))
		for i, s := range t.storage {
			out.Storage[i] = types.ThumbnailStorageType(s)
		}
	}
	return out
}

// String describes t as the call that makes it, e.g. recording.ThumbnailsEvery(30s, LATEST).
func (t Thumbnails) String() string {
	switch {
	case !t.built:
		return "recording.Thumbnails{}"
	case t.mode == ThumbnailsDisabled && len(t.storage) == 0:
		return "recording.ThumbnailsOff()"
	case t.mode == ThumbnailsDisabled:
		return fmt.Sprintf("recording.ThumbnailsOff() with storage %s", storageList(t.storage))
	}
	args := []string{t.interval.String()}
	for _, s := range t.storage {
		args = append(args, string(s))
	}
	return fmt.Sprintf("recording.ThumbnailsEvery(%s)", strings.Join(args, ", "))
}

func storageList(storage []ThumbnailStorage) string {
	s := make([]string, len(storage))
	for i, v := range storage {
		s[i] = string(v)
	}
	return "[" + strings.Join(s, " ") + "]"
}
