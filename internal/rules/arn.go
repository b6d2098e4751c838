package rules

import "strings"

// ResourceID returns the last segment of arn, split at '/': the resource ID of an IVS ARN
// (arn:aws:ivs:us-east-1:123456789012:stage/AbCdEf123456 gives "AbCdEf123456"). A string without '/' is
// its own only segment and is returned whole; "" and a string ending with '/' give "". It checks nothing:
// validation is the shapes' job (StageArn, StorageConfigurationArn, …). Stage.ID, Summary.ID,
// StorageConfiguration.ID and the "topic" claim of a self-signed token are all this segment, so they agree
// for every string.
func ResourceID(arn string) string { return arn[strings.LastIndexByte(arn, '/')+1:] }
