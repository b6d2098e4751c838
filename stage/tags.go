package stage

import (
	"context"
	"fmt"
	"maps"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/smithy-go"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/svc"
)

// Tag validates its arguments and sends one TagResource request, adding tags to (or replacing the values
// of) the resource's tags. arn is any IVS Real-Time ARN, arn:aws:ivs:<region>:<account>:<type>/<id> of at
// most 128 code points: a stage, a storage configuration, a public key, …. (The model's pattern for it,
// ^arn:aws:ivs:[a-z0-9-]+:[0-9]+:[a-z-]/[a-zA-Z0-9-]+$, admits only one-letter resource types and so no
// real ARN; the library checks the pattern with [a-z-]+ instead.) tags holds 1..MaxTags (50) entries, keys
// of 1..128 and values of at most 256 code points; a resource holds at most 50 tags in all, which only the
// service can check. An empty tags is an error (it would change nothing).
//
// A violation in a tag is reported under its key (`TagResourceInput.Tags["k"]`). An unknown resource
// returns *types.ResourceNotFoundException (HTTP 404).
func (c *Client) Tag(ctx context.Context, arn string, tags map[string]string) error {
	errs := smithy.InvalidParamsError{Context: tagInput}
	rules.ResourceArn.Check(&errs, fieldResourceArn, arn)
	if len(tags) == 0 {
		errs.Add(rules.New(fieldTags, rules.RuleRequired, "at least one tag is required (none given)"))
	}
	rules.CheckTags(&errs, fieldTags, tags)
	if err := invalid(opTag, errs); err != nil {
		return err
	}
	_, err := c.api.TagResource(ctx, &ivsrealtime.TagResourceInput{ResourceArn: aws.String(arn), Tags: tags}, c.calls.Opts...)
	return svc.Err(err)
}

// Untag validates its arguments and sends one UntagResource request, removing the tags with the given keys
// from the resource (keys it does not hold are ignored by the service). arn is any IVS Real-Time ARN, as
// for Tag. keys holds 1..MaxTags (50) keys of 1..128 code points. The model allows an empty key list, but
// the official client then sends no tagKeys at all, so no keys is a validation error here.
//
// An unknown resource returns *types.ResourceNotFoundException (HTTP 404).
func (c *Client) Untag(ctx context.Context, arn string, keys ...string) error {
	errs := smithy.InvalidParamsError{Context: untagInput}
	rules.ResourceArn.Check(&errs, fieldResourceArn, arn)
	switch {
	case len(keys) == 0:
		errs.Add(rules.New(fieldTagKeys, rules.RuleRequired, "at least one tag key is required (none given)"))
	case len(keys) > rules.TagsMax:
		errs.Add(rules.New(fieldTagKeys, rules.RuleLength, fmt.Sprintf("%d tag keys exceed the maximum of %d", len(keys), rules.TagsMax)))
	}
	for i, k := range keys {
		rules.TagKey.Check(&errs, fieldTagKeys+rules.Index(i), k)
	}
	if err := invalid(opUntag, errs); err != nil {
		return err
	}
	_, err := c.api.UntagResource(ctx, &ivsrealtime.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: keys}, c.calls.Opts...)
	return svc.Err(err)
}

// Tags validates arn (any IVS Real-Time ARN, as for Tag) and sends one ListTagsForResource request,
// returning the resource's tags: a new map the caller owns, empty and non-nil when the resource has none.
// Its calls are paced at TagRequestsPerSecond (10 per second), the service's quota for the tag operations.
//
// An unknown resource returns *types.ResourceNotFoundException (HTTP 404).
func (c *Client) Tags(ctx context.Context, arn string) (map[string]string, error) {
	errs := smithy.InvalidParamsError{Context: listTagsInput}
	rules.ResourceArn.Check(&errs, fieldResourceArn, arn)
	if err := invalid(opListTags, errs); err != nil {
		return nil, err
	}
	out, err := c.api.ListTagsForResource(ctx, &ivsrealtime.ListTagsForResourceInput{ResourceArn: aws.String(arn)}, c.calls.Opts...)
	if err != nil {
		return nil, svc.Err(err)
	}
	tags := map[string]string{}
	if out != nil {
		maps.Copy(tags, out.Tags)
	}
	return tags, nil
}
