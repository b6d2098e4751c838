package stage

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/svc"
	"github.com/ivsrt/ivsrt/internal/wire"
	"github.com/ivsrt/ivsrt/token"
)

// Exactly-once creation: the tags Create puts on a stage created with a request key (Config.WithRequestKey).
const (
	// TagRequestKey is the tag that holds a stage's request key. Its value is the key given to
	// WithRequestKey; a Create that lost its response finds the stage again by it.
	TagRequestKey = "ivsrt:request-key"
	// TagCreatedAt is the tag that holds when a stage with a request key was created: RFC 3339 in UTC, to
	// the second ("2026-05-01T12:00:00Z"), from the Config's clock (WithClock; default time.Now).
	TagCreatedAt = "ivsrt:created-at"
)

const (
	// MaxRequestKeyLength is the longest request key, in code points (a key is 1..128 code points; it is
	// the value of the TagRequestKey tag).
	MaxRequestKeyLength = rules.TagKeyMaxLength
	// RequestKeyTags is how many tags a request key adds to a stage (TagRequestKey and TagCreatedAt): with a
	// key, a Config holds at most MaxTags-RequestKeyTags (48) tags of its own.
	RequestKeyTags = 2
	// MaxCreateAttempts is the most CreateStage requests one Create with a request key sends: the first,
	// and up to two more after ambiguous failures, each after a ListStages scan found no stage with the key.
	MaxCreateAttempts = 3
	// CreateRetryBackoff is the wait before the scan that follows the first ambiguous failure of a Create
	// with a request key; it doubles after each further failure (0.2 s, 0.4 s, 0.8 s).
	CreateRetryBackoff = 200 * time.Millisecond

	opCreateToken = "CreateParticipantToken"
)

// WithRequestKey makes Client.Create exactly-once for key: the stage is tagged TagRequestKey: key and
// TagCreatedAt: the creation time, and a Create whose response was lost finds the stage by its key instead
// of creating a second one (see Client.Create and "Exactly-once creation" in the package doc). key is 1 to
// MaxRequestKeyLength (128) code points, validated with the rest of the Config on
// `CreateStageInput.Tags["ivsrt:request-key"]`. The two tags count against MaxTags (50): a Config with a
// key holds at most 48 tags of its own, none of them named TagRequestKey or TagCreatedAt. Default: no key,
// and Create sends one CreateStage as usual.
func (c Config) WithRequestKey(key string) Config {
	c.requestKey, c.requestKeySet = key, true
	return c
}

// WithClock sets the clock whose time Create writes into the TagCreatedAt tag of a stage created with a
// request key (e.g. a stagetest.Clock's Now in tests). Default (or nil): time.Now.
func (c Config) WithClock(now func() time.Time) Config {
	c.now = now
	return c
}

// RequestKey returns the key set with WithRequestKey and whether one was set.
func (c Config) RequestKey() (string, bool) { return c.requestKey, c.requestKeySet }

// requestKeyRule is a request key's shape: 1..MaxRequestKeyLength code points (within a tag value's 256).
var requestKeyRule = rules.String{Min: 1, Max: MaxRequestKeyLength}

// checkRequestKey reports an invalid request key, the user tags that take a reserved name, and a total
// of tags beyond MaxTags once the key's two tags are added.
func (c Config) checkRequestKey(errs *smithy.InvalidParamsError) {
	if !c.requestKeySet {
		return
	}
	requestKeyRule.Check(errs, fieldTags+rules.Key(TagRequestKey), c.requestKey)
	for _, k := range []string{TagRequestKey, TagCreatedAt} {
		if _, ok := c.tags[k]; ok {
			errs.Add(rules.New(fieldTags+rules.Key(k)+".Key", rules.RuleConflict,
				fmt.Sprintf("tag %q is set by WithRequestKey and cannot be set with WithTags or WithTag", k)))
		}
	}
	if n := len(c.tags); n <= rules.TagsMax && n+RequestKeyTags > rules.TagsMax {
		errs.Add(rules.New(fieldTags, rules.RuleLength, fmt.Sprintf(
			"%d tags and the %d of the request key (%s, %s) exceed the maximum of %d", n, RequestKeyTags, TagRequestKey, TagCreatedAt, rules.TagsMax)))
	}
}

// keyMemory is what a Client knows of its request keys: the stage each created, the keys whose last
// Create ended in doubt (a scan comes first next time), and one lock per key in use, so that one Create
// per key runs at a time. Clients derived from one another share it.
type keyMemory struct {
	mu      sync.Mutex
	created map[string]string // key → stage ARN
	unsure  map[string]bool   // key → the last Create ended after an ambiguous failure
	locks   map[string]*keyLock
}

type keyLock struct {
	ch   chan struct{} // holds a value while a Create of the key runs
	refs int
}

func newKeyMemory() *keyMemory {
	return &keyMemory{created: map[string]string{}, unsure: map[string]bool{}, locks: map[string]*keyLock{}}
}

// lock waits until no other Create of key runs, or ctx ends; unlock must follow a nil error.
func (m *keyMemory) lock(ctx context.Context, key string) error {
	m.mu.Lock()
	l := m.locks[key]
	if l == nil {
		l = &keyLock{ch: make(chan struct{}, 1)}
		m.locks[key] = l
	}
	l.refs++
	m.mu.Unlock()
	select {
	case l.ch <- struct{}{}:
		return nil
	case <-ctx.Done():
		m.release(key, l)
		return ctx.Err()
	}
}

func (m *keyMemory) unlock(key string) {
	m.mu.Lock()
	l := m.locks[key]
	m.mu.Unlock()
	<-l.ch
	m.release(key, l)
}

func (m *keyMemory) release(key string, l *keyLock) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if l.refs--; l.refs == 0 {
		delete(m.locks, key)
	}
}

func (m *keyMemory) get(key string) (arn string, unsure bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.created[key], m.unsure[key]
}

// set records what is known of key: arn created ("" when none), or doubt.
func (m *keyMemory) set(key, arn string, unsure bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if arn == "" {
		delete(m.created, key)
	} else {
		m.created[key] = arn
	}
	if unsure {
		m.unsure[key] = true
	} else {
		delete(m.unsure, key)
	}
}

// participantTokenAPI is the call that issues tokens again for a stage found by its key (the official
// client has it; a fake API without it cannot recover a lost response's tokens).
type participantTokenAPI interface {
	CreateParticipantToken(ctx context.Context, params *ivsrealtime.CreateParticipantTokenInput, optFns ...func(*ivsrealtime.Options)) (*ivsrealtime.CreateParticipantTokenOutput, error)
}

// ErrNoTokenAPI is the error (wrapped in *smithy.OperationError for CreateParticipantToken) of a Create
// with a request key that found its stage but whose API has no CreateParticipantToken to issue the
// participants' tokens again; Create returns it with the stage.
var ErrNoTokenAPI = errors.New("stage: the API has no CreateParticipantToken to issue the tokens again")

// noRetries turns the SDK's retries off for one call: a retried CreateStage could make a second stage.
func noRetries(o *ivsrealtime.Options) { o.RetryMaxAttempts = 1 }

// createOnce is Create with a request key (see Create's doc). in is the validated input.
func (c *Client) createOnce(ctx context.Context, cfg Config, in *ivsrealtime.CreateStageInput, optFns []func(*ivsrealtime.Options)) (Stage, []token.Token, error) {
	key := cfg.requestKey
	if err := c.keys.lock(ctx, key); err != nil {
		return Stage{}, nil, rules.OperationError(opCreate, err)
	}
	defer c.keys.unlock(key)

	arn, unsure := c.keys.get(key)
	if arn != "" {
		st, err := c.Get(ctx, arn)
		var notFound *types.ResourceNotFoundException
		switch {
		case err == nil:
			return c.reissue(ctx, cfg, st)
		case !errors.As(err, &notFound):
			return Stage{}, nil, err
		}
		c.keys.set(key, "", false) // deleted since: create it anew
	}
	if unsure {
		if st, found, err := c.findByKey(ctx, key); err != nil || found {
			return c.found(ctx, cfg, st, err)
		}
	}

	now := time.Now
	if cfg.now != nil {
		now = cfg.now
	}
	sent := *in
	sent.Tags = make(map[string]string, len(in.Tags)+RequestKeyTags)
	maps.Copy(sent.Tags, in.Tags)
	sent.Tags[TagRequestKey], sent.Tags[TagCreatedAt] = key, now().UTC().Format(time.RFC3339)
	opts := c.calls.Opts.With(optFns...).With(wire.ReadRecordReplicasDefault, noRetries)
	backoff := CreateRetryBackoff
	for attempt := 1; ; attempt++ {
		out, err := c.api.CreateStage(ctx, &sent, opts...)
		if err == nil {
			st, tokens, err := created(in, out)
			if out == nil || out.Stage == nil {
				c.keys.set(key, "", true) // no stage in the answer: whether one exists is unknown
			} else {
				c.keys.set(key, st.ARN, false)
			}
			return st, tokens, err
		}
		err = svc.Err(err)
		ambiguous := isAmbiguous(err)
		if !ambiguous && !isThrottled(err) {
			return Stage{}, nil, err
		}
		if ambiguous {
			c.keys.set(key, "", true)
		}
		if attempt == MaxCreateAttempts || ctx.Err() != nil {
			if ambiguous && ctx.Err() == nil {
				if st, found, scanErr := c.findByKey(ctx, key); scanErr == nil && found {
					return c.found(ctx, cfg, st, nil)
				}
			}
			return Stage{}, nil, err
		}
		if waitErr := sleep(ctx, backoff); waitErr != nil {
			return Stage{}, nil, err
		}
		backoff *= 2
		if ambiguous {
			if st, found, scanErr := c.findByKey(ctx, key); scanErr != nil || found {
				return c.found(ctx, cfg, st, scanErr)
			}
		}
	}
}

// found returns the stage a scan found (remembering it) with its tokens issued again, or the scan's error.
func (c *Client) found(ctx context.Context, cfg Config, st Stage, err error) (Stage, []token.Token, error) {
	if err != nil {
		return Stage{}, nil, err
	}
	c.keys.set(cfg.requestKey, st.ARN, false)
	return c.reissue(ctx, cfg, st)
}

// findByKey scans ListStages (pages of MaxPageSize) for a stage tagged TagRequestKey: key and reads it
// with GetStage. With several (stages created by other processes), it takes the first in list order.
func (c *Client) findByKey(ctx context.Context, key string) (Stage, bool, error) {
	for s, err := range c.List(ctx, WithPageSize(MaxPageSize)) {
		if err != nil {
			return Stage{}, false, err
		}
		if v, ok := s.Tags[TagRequestKey]; ok && v == key {
			st, err := c.Get(ctx, s.ARN)
			return st, err == nil, err
		}
	}
	return Stage{}, false, nil
}

// reissue issues cfg's participants' tokens for st with CreateParticipantToken, one by one in cfg's
// order. On an error it returns st, the tokens issued so far and the error.
func (c *Client) reissue(ctx context.Context, cfg Config, st Stage) (Stage, []token.Token, error) {
	if len(cfg.partsSDK) == 0 {
		return st, nil, nil
	}
	api, ok := c.api.(participantTokenAPI)
	if !ok {
		return st, nil, rules.OperationError(opCreateToken, ErrNoTokenAPI)
	}
	tokens := make([]token.Token, 0, len(cfg.partsSDK))
	for _, p := range cfg.partsSDK {
		out, err := api.CreateParticipantToken(ctx, &ivsrealtime.CreateParticipantTokenInput{
			StageArn: aws.String(st.ARN), UserId: p.UserId, Duration: p.Duration,
			Capabilities: p.Capabilities, Attributes: p.Attributes,
		}, c.calls.Opts...)
		if err != nil {
			return st, tokens, svc.Err(err)
		}
		if out == nil || out.ParticipantToken == nil {
			return st, tokens, rules.OperationError(opCreateToken, token.ErrNoToken)
		}
		tokens = append(tokens, token.FromSDK(*out.ParticipantToken))
	}
	return st, tokens, nil
}

// isAmbiguous reports whether a failed CreateStage may have created its stage: the request may have
// reached the service (a send error: a timeout, a broken connection, the context ending during the
// call), the response was unreadable, or the service answered 5xx. A 4xx (validation, quota, access) did
// not create it, nor did a request never sent (its pacing, its signing).
//
// The SDK wraps send errors (status 0) and undecodable responses (status 200) in *awshttp.ResponseError
// too, so those are looked for first. A refused connection is treated as ambiguous as well: the scan finds
// nothing and the create is sent again.
func isAmbiguous(err error) bool {
	var send *smithyhttp.RequestSendError
	var decode *smithy.DeserializationError
	if errors.As(err, &send) || errors.As(err, &decode) {
		return true
	}
	var resp *awshttp.ResponseError
	return errors.As(err, &resp) && resp.HTTPStatusCode() >= http.StatusInternalServerError
}

// isThrottled reports a 429: nothing was created, and the create may be sent again without a scan.
func isThrottled(err error) bool {
	var resp *awshttp.ResponseError
	return errors.As(err, &resp) && resp.HTTPStatusCode() == http.StatusTooManyRequests
}
