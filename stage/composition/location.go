package composition

import (
	"strconv"
	"strings"

	"github.com/ivsrt/ivsrt/recording"
)

// The thumbnail layout under a composite recording's prefix (the model's CompositionThumbnailConfiguration
// documentation): one folder per thumbnail resolution, named <width>x<height>.
const (
	thumbnailsDir      = "media/thumbnails/"
	latestThumbnailDir = "media/latest_thumbnail/"
	latestThumbnail    = "thumb.jpg"
)

// ThumbnailsPrefix returns the key prefix of a composite recording's sequential thumbnails
// (recording.StorageSequential) of width×height pixels: <prefix>/media/thumbnails/<width>x<height>/. The
// resolution is the thumbnails' own: read it from the recording's metadata or list the folder
// media/thumbnails/. It returns "" for a Location whose Validate fails and for a width or height below 1.
// For an individual participant recording, use loc.ThumbnailsPrefix.
func ThumbnailsPrefix(loc recording.Location, width, height int) string {
	return compositeKey(loc, thumbnailsDir, width, height, "")
}

// LatestThumbnailKey returns the key of a composite recording's latest thumbnail (recording.StorageLatest)
// of width×height pixels, overwritten every interval: <prefix>/media/latest_thumbnail/<width>x<height>/thumb.jpg.
// It returns "" as ThumbnailsPrefix does. For an individual participant recording, use
// loc.LatestThumbnailKey.
func LatestThumbnailKey(loc recording.Location, width, height int) string {
	return compositeKey(loc, latestThumbnailDir, width, height, latestThumbnail)
}

func compositeKey(loc recording.Location, dir string, width, height int, file string) string {
	if width < 1 || height < 1 || loc.Validate() != nil {
		return ""
	}
	key := strings.Trim(loc.Prefix, "/")
	if key != "" {
		key += "/"
	}
	return key + dir + strconv.Itoa(width) + "x" + strconv.Itoa(height) + "/" + file
}
