package token

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"

	"github.com/ivsrt/ivsrt/internal/rules"
)

// keySetAdd is the context of KeySet.Add's validation errors ("KeySet.Add.Arn").
const (
	keySetAdd      = "KeySet.Add"
	fieldPublicKey = "PublicKey"
)

// KeySet is the public keys a verifier trusts, by ARN (the "kid" of the tokens signed with each), for
// checking self-signed tokens during a key rotation: Verify picks the key the token's "kid" names. It is
// safe for concurrent use: Add and Remove may run while other goroutines Verify. The zero value is not
// ready: use NewKeySet (or Client.LoadKeys). A region holds at most MaxPublicKeys (3) keys, so a set
// mirroring one holds at most that many; the set itself has no limit.
//
// See "Key rotation" in the package doc.
type KeySet struct {
	mu   sync.RWMutex
	keys map[string]*ecdsa.PublicKey // each a valid P-384 key, a copy of what Add was given
}

// NewKeySet returns an empty KeySet. Until a key is added, Verify refuses every token (ErrUnknownKey).
func NewKeySet() *KeySet {
	return &KeySet{keys: make(map[string]*ecdsa.PublicKey, MaxPublicKeys)}
}

// Add makes ks trust pub for the tokens whose "kid" is arn, replacing the key ks held for arn, if any.
// arn must be a public-key ARN (arn:aws:ivs:<region>:<account>:public-key/<id>, at most 128 code points,
// as ImportPublicKey returns it) and pub a valid P-384 public key (nil, a key on P-224, P-256, P-521 or
// another curve, or a point off the curve is refused). On failure ks is unchanged and the error, prefixed
// "token: ", wraps a smithy.InvalidParamsError naming each problem on "KeySet.Add.Arn" or
// "KeySet.Add.PublicKey" with its rule (the curve's name, never key material). ks keeps a copy of pub:
// changing pub afterwards does not change ks.
func (ks *KeySet) Add(arn string, pub *ecdsa.PublicKey) error {
	if err := ks.add(arn, pub); err != nil {
		return fmt.Errorf("token: %w", err)
	}
	return nil
}

// add is Add with its violations unprefixed, for the callers that name the package themselves.
func (ks *KeySet) add(arn string, pub *ecdsa.PublicKey) error {
	errs := smithy.InvalidParamsError{Context: keySetAdd}
	rules.PublicKeyArn.Check(&errs, fieldArn, arn)
	if reason := checkPublicKey(pub); reason != "" {
		rule := rules.RuleEnum
		if pub == nil {
			rule = rules.RuleRequired
		}
		errs.Add(rules.New(fieldPublicKey, rule, reason))
	}
	if err := rules.Result(errs); err != nil {
		return err
	}
	cp := &ecdsa.PublicKey{Curve: pub.Curve, X: new(big.Int).Set(pub.X), Y: new(big.Int).Set(pub.Y)}
	ks.mu.Lock()
	ks.keys[arn] = cp
	ks.mu.Unlock()
	return nil
}

// Remove makes ks stop trusting the key of arn; tokens naming it fail with ErrUnknownKey from then on. An
// arn ks does not hold is ignored.
func (ks *KeySet) Remove(arn string) {
	ks.mu.Lock()
	delete(ks.keys, arn)
	ks.mu.Unlock()
}

// Len returns how many keys ks holds.
func (ks *KeySet) Len() int {
	ks.mu.RLock()
	defer ks.mu.RUnlock()
	return len(ks.keys)
}

// Verify checks a self-signed token with the key ks holds for its "kid", as of the current time
// (time.Now), and returns its claims. It is VerifyAt(raw, time.Now()).
func (ks *KeySet) Verify(raw string) (Claims, error) {
	return ks.VerifyAt(raw, time.Now())
}

// VerifyAt checks a self-signed token as of now with the key ks holds for the token's "kid" header, and
// returns its claims (Claims.KeyID is the kid). Everything but the choice of key is exactly what the
// package's VerifyAt checks, by the same code: the size (at most MaxTokenSize, checked first), ES384
// only, the header ("kid" a public-key ARN, "typ" "JWT", no "crit"), the times and the claim set, with the
// same errors (jwt/v5's sentinels). The kid is looked up exactly as written and only the key it names is
// tried: a kid ks holds no key for fails with an error wrapping ErrUnknownKey and jwt.ErrTokenUnverifiable
// that names the kid (an ARN, not a secret) and how many keys ks holds, never by falling back to another
// key. Errors never show the token.
func (ks *KeySet) VerifyAt(raw string, now time.Time) (Claims, error) {
	if err := checkSize(raw); err != nil {
		return Claims{}, err
	}
	return verifyToken(raw, ks.keyFor, now)
}

// keyFor returns the key of kid, or the unknownKeyError that names it.
func (ks *KeySet) keyFor(kid string) (*ecdsa.PublicKey, error) {
	ks.mu.RLock()
	pub, ok := ks.keys[kid]
	n := len(ks.keys)
	ks.mu.RUnlock()
	if !ok {
		return nil, &unknownKeyError{kid: rules.PublicKeyArn.Show(kid), keys: n}
	}
	return pub, nil
}

// LoadKeys returns a KeySet of every public key imported in the client's region: it lists them
// (PublicKeys, ListPublicKeys requests) and reads each one's material (GetPublicKey), one request per key,
// every request paced by the client's limiters (KeyRequestsPerSecond, 3 per second, each operation: a
// region of 3 keys costs 4 requests and about a second). A key deleted between the listing and its
// GetPublicKey (*types.ResourceNotFoundException) is left out, as its tokens are no longer valid anyway.
// Any other error ends the load: LoadKeys returns nil and the error (the first one, as the SDK returned
// it, *smithy.OperationError); so does a key whose material is not a P-384 public key (an error naming
// its ARN). Call it again to pick up keys imported since; the set it returns is the caller's to change
// (Add, Remove).
func (c *Client) LoadKeys(ctx context.Context) (*KeySet, error) {
	ks := NewKeySet()
	for summary, err := range c.PublicKeys(ctx) {
		if err != nil {
			return nil, err
		}
		pk, err := c.GetPublicKey(ctx, summary.ARN)
		var notFound *types.ResourceNotFoundException
		if errors.As(err, &notFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if pk.Key == nil {
			return nil, errors.New("token: load keys: the material of " + rules.PublicKeyArn.Show(summary.ARN) +
				" is not a P-384 public key in a \"PUBLIC KEY\" PEM block (" + strconv.Itoa(len(pk.PEM)) + " bytes)")
		}
		if err := ks.add(summary.ARN, pk.Key); err != nil {
			return nil, fmt.Errorf("token: load keys: %w", err)
		}
	}
	return ks, nil
}
