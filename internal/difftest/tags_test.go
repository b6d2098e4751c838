package difftest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
)

// tagCase is a TagResource or UntagResource input: any IVS Real-Time ARN (the library and the fake both
// read the model's resource type [a-z-] as [a-z-]+, a documented correction).
type tagCase struct {
	name        string
	bad         bool // the model (with the corrected ARN pattern) refuses it
	arn         *string
	untag       bool // UntagResource with keys; TagResource with tags otherwise
	tags        map[string]string
	keys        []string
	sdkRefuses  bool
	libraryOnly string
}

func (c tagCase) wire() wireCase {
	arnOf := func(w world) string {
		if c.arn != nil {
			return *c.arn
		}
		return w.stageARN
	}
	return wireCase{
		name: c.name, bad: c.bad, sdkRefuses: c.sdkRefuses, libraryOnly: c.libraryOnly,
		lib: func(ctx context.Context, cl libClients, w world) error {
			if c.untag {
				return cl.stages.Untag(ctx, arnOf(w), c.keys...)
			}
			return cl.stages.Tag(ctx, arnOf(w), c.tags)
		},
		raw: func(ctx context.Context, cl *ivsrealtime.Client, w world) error {
			if c.untag {
				_, err := cl.UntagResource(ctx, &ivsrealtime.UntagResourceInput{ResourceArn: aws.String(arnOf(w)), TagKeys: c.keys})
				return err
			}
			_, err := cl.TagResource(ctx, &ivsrealtime.TagResourceInput{ResourceArn: aws.String(arnOf(w)), Tags: c.tags})
			return err
		},
	}
}

func nKeys(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("key-%02d", i)
	}
	return keys
}

func TestTagValidationAgreesWithTheFake(t *testing.T) {
	t.Parallel()
	arnPrefix := "arn:aws:ivs:us-east-1:123456789012:storage-configuration/"
	one := map[string]string{"k": "v"}
	tag := func(name string, bad bool, arn *string, tags map[string]string) tagCase {
		return tagCase{name: "tag " + name, bad: bad, arn: arn, tags: tags}
	}
	untag := func(name string, bad bool, arn *string, keys ...string) tagCase {
		return tagCase{name: "untag " + name, bad: bad, arn: arn, untag: true, keys: keys}
	}
	cases := []tagCase{
		tag("stage", false, nil, one),
		tag("unknown storage configuration", false, aws.String(arnPrefix+"NoSuchStore0"), one),
		tag("unknown public key", false, aws.String("arn:aws:ivs:us-east-1:123456789012:public-key/NoSuchKey000"), one),
		tag("resource type of one letter", false, aws.String("arn:aws:ivs:us-east-1:123456789012:s/abc"), one),
		tag("resource type uppercase", true, aws.String("arn:aws:ivs:us-east-1:123456789012:Stage/abc"), one),
		tag("resource ID with _", true, aws.String(stageARNPrefix+"ab_c"), one),
		tag("account not numeric", true, aws.String("arn:aws:ivs:us-east-1:acct:stage/abc"), one),
		tag("another service", true, aws.String("arn:aws:s3:us-east-1:123456789012:stage/abc"), one),
		tag("ARN 128", false, aws.String(arnPrefix+strings.Repeat("a", 128-len(arnPrefix))), one),
		tag("ARN 129", true, aws.String(arnPrefix+strings.Repeat("a", 129-len(arnPrefix))), one),
		tag("50 tags", false, nil, nTags(50)),
		tag("51 tags", true, nil, nTags(51)),
		tag("key 128 é", false, nil, map[string]string{strings.Repeat("é", 128): "v"}),
		tag("key 129 é", true, nil, map[string]string{strings.Repeat("é", 129): "v"}),
		tag("key empty", true, nil, map[string]string{"": "v"}),
		tag("value 256 é", false, nil, map[string]string{"k": strings.Repeat("é", 256)}),
		tag("value 257 é", true, nil, map[string]string{"k": strings.Repeat("é", 257)}),
		tag("value empty", false, nil, map[string]string{"k": ""}),
		{name: "tag no tags", tags: map[string]string{}, libraryOnly: "an empty tag map changes nothing"},
		{name: "tag value not UTF-8", tags: map[string]string{"k": invalidUTF8}, libraryOnly: "invalid UTF-8"},
		tag("everything invalid", true, aws.String("arn:aws:ivs:us-east-1:123456789012:stage/a_b"), map[string]string{"": strings.Repeat("v", 257)}),
		untag("one key", false, nil, "k"),
		untag("50 keys", false, nil, nKeys(50)...),
		untag("51 keys", true, nil, nKeys(51)...),
		untag("key 128 é", false, nil, strings.Repeat("é", 128)),
		untag("key 129 é", true, nil, strings.Repeat("é", 129)),
		untag("key empty", true, nil, ""),
		// The model allows an empty tagKeys, but the official client sends a nil one as no tagKeys at all,
		// and refuses it as a missing required member.
		{name: "untag no keys", bad: true, untag: true, sdkRefuses: true},
		untag("unknown public key", false, aws.String("arn:aws:ivs:us-east-1:123456789012:public-key/NoSuchKey000"), "k"),
		untag("ARN 129", true, aws.String(arnPrefix+strings.Repeat("a", 129-len(arnPrefix))), "k"),
		untag("resource ID with _", true, aws.String(stageARNPrefix+"ab_c"), "k"),
	}
	for _, op := range []string{"TagResource", "UntagResource"} {
		var sub []tagCase
		for _, c := range cases {
			if c.untag == (op == "UntagResource") {
				sub = append(sub, c)
			}
		}
		runTable(t, op, sub)
	}
}
