package token_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"
	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// keyARNPrefix is a public-key ARN without its ID: 46 characters, so an ID of 82 makes the longest ARN
// (128 code points).
const keyARNPrefix = "arn:aws:ivs:us-east-1:123456789012:public-key/"

// signerAt returns a Signer with a fresh key, kid arn, minting at fixedClock.
func signerAt(t testing.TB, arn string) *token.Signer {
	t.Helper()
	key, err := token.GenerateKey()
	require.NoError(t, err)
	s, err := token.NewSigner(key, arn)
	require.NoError(t, err)
	return s.WithClock(func() time.Time { return fixedClock })
}

func ecKeyOn(t *testing.T, c elliptic.Curve) *ecdsa.PublicKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(c, rand.Reader)
	require.NoError(t, err)
	return &k.PublicKey
}

func TestKeySetAdd(t *testing.T) {
	t.Parallel()
	p384 := testPublicKey(t)
	offCurve := &ecdsa.PublicKey{Curve: elliptic.P384(), X: big.NewInt(1), Y: big.NewInt(1)}
	cases := []struct {
		name string
		arn  string
		pub  *ecdsa.PublicKey
		want map[string]string // field path → rule; empty: accepted
		text []string          // what the error names
	}{
		{name: "ARN of 128, the longest", arn: keyARNPrefix + strings.Repeat("a", 82), pub: p384},
		{name: "ARN of 129", arn: keyARNPrefix + strings.Repeat("a", 83), pub: p384,
			want: map[string]string{"KeySet.Add.Arn": "length"}, text: []string{"128"}},
		{name: "ID of 1, the shortest", arn: keyARNPrefix + "a", pub: p384},
		{name: "ID of 0", arn: keyARNPrefix, pub: p384,
			want: map[string]string{"KeySet.Add.Arn": "pattern"}, text: []string{"public-key/"}},
		{name: "empty ARN", arn: "", pub: p384, want: map[string]string{"KeySet.Add.Arn": "length"}},
		{name: "a stage ARN", arn: stageARN, pub: p384,
			want: map[string]string{"KeySet.Add.Arn": "pattern"}, text: []string{"stage/abcdEFGH1234"}},
		{name: "nil key", arn: keyARN, pub: nil, want: map[string]string{"KeySet.Add.PublicKey": "required"}, text: []string{"nil"}},
		{name: "P-256", arn: keyARN, pub: ecKeyOn(t, elliptic.P256()),
			want: map[string]string{"KeySet.Add.PublicKey": "enum"}, text: []string{"P-256"}},
		{name: "P-521", arn: keyARN, pub: ecKeyOn(t, elliptic.P521()),
			want: map[string]string{"KeySet.Add.PublicKey": "enum"}, text: []string{"P-521"}},
		{name: "off the curve", arn: keyARN, pub: offCurve,
			want: map[string]string{"KeySet.Add.PublicKey": "enum"}, text: []string{"not a valid point"}},
		{name: "both wrong, both named", arn: stageARN, pub: ecKeyOn(t, elliptic.P256()),
			want: map[string]string{"KeySet.Add.Arn": "pattern", "KeySet.Add.PublicKey": "enum"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ks := token.NewKeySet()
			err := ks.Add(tc.arn, tc.pub)
			testutil.AssertViolations(t, err, tc.want)
			if len(tc.want) == 0 {
				assert.Equal(t, 1, ks.Len())
				return
			}
			assert.True(t, strings.HasPrefix(err.Error(), "token: "), err.Error())
			for _, s := range tc.text {
				assert.Contains(t, err.Error(), s)
			}
			assert.Zero(t, ks.Len(), "a refused key is not added")
		})
	}
}

func TestKeySetVerify(t *testing.T) {
	t.Parallel()
	arnA, arnB, arnC := keyARNPrefix+"KeyA", keyARNPrefix+"KeyB", keyARNPrefix+"KeyC"
	a, b, c := signerAt(t, arnA), signerAt(t, arnB), signerAt(t, arnC)
	ks := token.NewKeySet()
	require.NoError(t, ks.Add(arnA, a.PublicKey()))
	require.NoError(t, ks.Add(arnB, b.PublicKey()))
	at := fixedClock.Add(time.Hour)

	for name, s := range map[string]*token.Signer{arnA: a, arnB: b} {
		raw := mint(t, s, token.New().WithUserID("alice"))
		got, err := ks.VerifyAt(raw, at)
		require.NoError(t, err, name)
		assert.Equal(t, name, got.KeyID, "the key its kid names")
		want, err := token.VerifyAt(raw, s.PublicKey(), at)
		require.NoError(t, err)
		assert.Equal(t, want, got, "the claims token.VerifyAt reads")
	}

	// A token of a key the set does not hold names the kid, never the token, and no other key is tried.
	rawC := mint(t, c, token.New())
	_, err := ks.VerifyAt(rawC, at)
	require.ErrorIs(t, err, token.ErrUnknownKey)
	assert.ErrorIs(t, err, jwt.ErrTokenUnverifiable)
	assert.Contains(t, err.Error(), arnC)
	assert.Contains(t, err.Error(), "keys held: 2")
	assert.True(t, strings.HasPrefix(err.Error(), "token: "), err.Error())
	assertShowsNoPart(t, err, rawC)

	// Signed by another key but naming B: B's key is the one tried, and the signature fails.
	forged := signerWithKid(t, arnB)
	_, err = ks.VerifyAt(mint(t, forged, token.New()), at)
	assert.ErrorIs(t, err, jwt.ErrTokenSignatureInvalid)

	// Removed: its tokens are unknown from then on; removing again is a no-op.
	rawA := mint(t, a, token.New())
	ks.Remove(arnA)
	ks.Remove(arnA)
	assert.Equal(t, 1, ks.Len())
	_, err = ks.VerifyAt(rawA, at)
	assert.ErrorIs(t, err, token.ErrUnknownKey)
	assert.Contains(t, err.Error(), "keys held: 1")

	// An empty set refuses every token, naming its kid.
	_, err = token.NewKeySet().VerifyAt(rawA, at)
	assert.ErrorIs(t, err, token.ErrUnknownKey)
	assert.Contains(t, err.Error(), arnA)
}

// signerWithKid returns a Signer with testdata's P-384 key and kid arn, minting at fixedClock.
func signerWithKid(t *testing.T, arn string) *token.Signer {
	t.Helper()
	out, err := token.NewSigner(testKey(t, "p384-pkcs8.pem"), arn)
	require.NoError(t, err)
	return out.WithClock(func() time.Time { return fixedClock })
}

// Everything but the choice of key is token.VerifyAt's: the same error, word for word, for every refusal.
func TestKeySetVerifyFailsAsVerifyAt(t *testing.T) {
	t.Parallel()
	s := signerAt(t, keyARN)
	ks := token.NewKeySet()
	require.NoError(t, ks.Add(keyARN, s.PublicKey()))
	good := mint(t, s, token.New().WithDuration(time.Hour))
	parts := strings.Split(good, ".")
	hs := craft(t, jwt.SigningMethodHS256, []byte("k"), guideHeader, guideClaims(fixedClock))
	crit := craft(t, jwt.SigningMethodES384, testKey(t, "p384-pkcs8.pem"), map[string]any{"typ": "JWT", "kid": keyARN, "crit": []string{"x"}}, guideClaims(fixedClock))
	cases := []struct {
		name string
		raw  string
		at   time.Time
		is   error
	}{
		{name: "last second before exp", raw: good, at: fixedClock.Add(time.Hour - time.Second)},
		{name: "at exp", raw: good, at: fixedClock.Add(time.Hour), is: jwt.ErrTokenExpired},
		{name: "iat a minute ahead, the skew allowed", raw: good, at: fixedClock.Add(-time.Minute)},
		{name: "iat a minute and a second ahead", raw: good, at: fixedClock.Add(-time.Minute - time.Second), is: jwt.ErrTokenUsedBeforeIssued},
		{name: "payload altered", raw: parts[0] + "." + parts[1] + "x." + parts[2], at: fixedClock, is: jwt.ErrTokenMalformed},
		{name: "signature of another payload", raw: parts[0] + "." + strings.Split(mint(t, s, token.New().WithUserID("bob")), ".")[1] + "." + parts[2], at: fixedClock, is: jwt.ErrTokenSignatureInvalid},
		{name: "MaxTokenSize", raw: good + strings.Repeat("A", token.MaxTokenSize-len(good)), at: fixedClock, is: jwt.ErrTokenSignatureInvalid},
		{name: "MaxTokenSize+1", raw: good + strings.Repeat("A", token.MaxTokenSize+1-len(good)), at: fixedClock, is: jwt.ErrTokenMalformed},
		{name: "HS256", raw: hs, at: fixedClock, is: jwt.ErrTokenSignatureInvalid},
		{name: "crit", raw: crit, at: fixedClock, is: jwt.ErrTokenUnverifiable},
		{name: "not a JWS", raw: "not a token", at: fixedClock, is: jwt.ErrTokenMalformed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ks.VerifyAt(tc.raw, tc.at)
			want, wantErr := token.VerifyAt(tc.raw, s.PublicKey(), tc.at)
			assert.Equal(t, want, got)
			if tc.is == nil {
				assert.NoError(t, err)
				assert.NoError(t, wantErr)
				return
			}
			require.Error(t, err)
			require.Error(t, wantErr)
			assert.ErrorIs(t, err, tc.is, err.Error())
			assert.Equal(t, wantErr.Error(), err.Error(), "the error token.VerifyAt returns")
			assertShowsNoPart(t, err, tc.raw)
		})
	}
}

// A KeySet keeps a copy of the key it is given: the caller's key changed afterwards changes nothing.
func TestKeySetCopiesKey(t *testing.T) {
	t.Parallel()
	s := signerAt(t, keyARN)
	pub := *s.PublicKey()
	pub.X, pub.Y = new(big.Int).Set(pub.X), new(big.Int).Set(pub.Y)
	ks := token.NewKeySet()
	require.NoError(t, ks.Add(keyARN, &pub))
	pub.X.SetInt64(1)
	_, err := ks.VerifyAt(mint(t, s, token.New()), fixedClock)
	assert.NoError(t, err)
}

// Add, Remove, Len and Verify used at once (go test -race).
func TestKeySetConcurrentUse(t *testing.T) {
	t.Parallel()
	s := signerAt(t, keyARN)
	other := signerAt(t, keyARNPrefix+"Other")
	ks := token.NewKeySet()
	require.NoError(t, ks.Add(keyARN, s.PublicKey()))
	raw := mint(t, s, token.New())
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for range 50 {
				_, err := ks.VerifyAt(raw, fixedClock)
				assert.NoError(t, err)
			}
		}()
		go func() {
			defer wg.Done()
			for range 50 {
				assert.NoError(t, ks.Add(other.KeyID(), other.PublicKey()))
				_ = ks.Len()
				ks.Remove(other.KeyID())
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, 1, ks.Len())
}

// importKeys imports n fresh keys into srv and returns their signers (kid: the ARN), minting on now.
func importKeys(t *testing.T, c *token.Client, n int, now func() time.Time) []*token.Signer {
	t.Helper()
	var out []*token.Signer
	for range n {
		key, err := token.GenerateKey()
		require.NoError(t, err)
		arn, err := c.ImportPublicKey(t.Context(), "", &key.PublicKey)
		require.NoError(t, err)
		s, err := token.NewSigner(key, arn)
		require.NoError(t, err)
		out = append(out, s.WithClock(now))
	}
	return out
}

// operations returns the operation of each request srv received, in order.
func operations(srv *stagetest.Server) []string {
	var ops []string
	for _, r := range srv.Requests() {
		ops = append(ops, r.Operation)
	}
	return ops
}

func TestLoadKeys(t *testing.T) {
	t.Parallel()
	for n := 0; n <= token.MaxPublicKeys; n++ {
		t.Run(strings.Repeat("k", n)+"/", func(t *testing.T) {
			t.Parallel()
			srv := stagetest.New()
			c := token.NewClientFromConfig(srv.Config())
			signers := importKeys(t, c, n, func() time.Time { return fixedClock })
			before := srv.RequestCount()

			ks, err := c.LoadKeys(t.Context())
			require.NoError(t, err)
			assert.Equal(t, n, ks.Len())
			want := []string{"ListPublicKeys"}
			for range n {
				want = append(want, "GetPublicKey")
			}
			assert.Equal(t, want, operations(srv)[before:], "one listing, then one GetPublicKey per key")
			for _, s := range signers {
				got, err := ks.VerifyAt(mint(t, s, token.New()), fixedClock)
				require.NoError(t, err)
				assert.Equal(t, s.KeyID(), got.KeyID)
			}
		})
	}
}

func TestLoadKeysFailures(t *testing.T) {
	t.Parallel()
	t.Run("a key deleted after the listing is left out", func(t *testing.T) {
		t.Parallel()
		srv := stagetest.New()
		c := token.NewClientFromConfig(srv.Config())
		signers := importKeys(t, c, 2, func() time.Time { return fixedClock })
		srv.FailNext("GetPublicKey", http.StatusNotFound, "ResourceNotFoundException")
		ks, err := c.LoadKeys(t.Context())
		require.NoError(t, err)
		assert.Equal(t, 1, ks.Len())
		_, err1 := ks.VerifyAt(mint(t, signers[0], token.New()), fixedClock)
		_, err2 := ks.VerifyAt(mint(t, signers[1], token.New()), fixedClock)
		assert.True(t, (err1 == nil) != (err2 == nil), "one of the two keys is held: %v, %v", err1, err2)
	})
	for _, tc := range []struct {
		op     string
		status int
		code   string
		as     any
	}{
		{op: "ListPublicKeys", status: http.StatusForbidden, code: "AccessDeniedException", as: new(*types.AccessDeniedException)},
		{op: "GetPublicKey", status: http.StatusForbidden, code: "AccessDeniedException", as: new(*types.AccessDeniedException)},
		{op: "GetPublicKey", status: http.StatusInternalServerError, code: "InternalServerException", as: new(*types.InternalServerException)},
	} {
		t.Run(tc.op+" "+tc.code, func(t *testing.T) {
			t.Parallel()
			srv := stagetest.New()
			c := token.NewClientFromConfig(srv.Config(), func(o *ivsrealtime.Options) { o.RetryMaxAttempts = 1 })
			importKeys(t, c, 2, func() time.Time { return fixedClock })
			srv.FailNext(tc.op, tc.status, tc.code)
			ks, err := c.LoadKeys(t.Context())
			assert.Nil(t, ks)
			require.Error(t, err)
			assert.ErrorAs(t, err, tc.as)
			var oe *smithy.OperationError
			require.ErrorAs(t, err, &oe)
			assert.Equal(t, tc.op, oe.OperationName)
		})
	}
	t.Run("material not P-384", func(t *testing.T) {
		t.Parallel()
		mock := testutil.NewMock()
		mock.Respond("ListPublicKeys", 200, `{"publicKeys":[{"arn":"`+keyARN+`"}]}`)
		mock.Respond("GetPublicKey", 200, `{"publicKey":{"arn":"`+keyARN+`","publicKeyMaterial":"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"}}`)
		ks, err := token.NewClient(mock.Client()).LoadKeys(t.Context())
		assert.Nil(t, ks)
		require.Error(t, err)
		assert.True(t, strings.HasPrefix(err.Error(), "token: load keys: "), err.Error())
		assert.Contains(t, err.Error(), keyARN)
		assert.Equal(t, 2, mock.Count())
	})
}

// LoadKeys' requests wait for the client's limiters: GetPublicKey's at the default 3 per second; given a
// limiter that lets two requests go and then one a day, the third key's GetPublicKey is not sent and the
// load fails with the deadline error.
func TestLoadKeysWithinBudget(t *testing.T) {
	t.Parallel()
	srv := stagetest.New()
	c := token.NewClientFromConfig(srv.Config())
	for _, op := range []string{"ListPublicKeys", "GetPublicKey"} {
		l := c.Limiter(op)
		require.NotNil(t, l, op)
		assert.Equal(t, rate.Limit(token.KeyRequestsPerSecond), l.Limit(), op)
		assert.Equal(t, 1, l.Burst(), op)
	}
	importKeys(t, c, 3, func() time.Time { return fixedClock })
	before := srv.RequestCount()

	paced := c.WithLimiter("GetPublicKey", rate.NewLimiter(rate.Every(day), 2))
	ctx, cancel := context.WithTimeout(t.Context(), time.Hour)
	defer cancel()
	ks, err := paced.LoadKeys(ctx)
	assert.Nil(t, ks)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "GetPublicKey")
	assert.Equal(t, []string{"ListPublicKeys", "GetPublicKey", "GetPublicKey"}, operations(srv)[before:],
		"the third GetPublicKey waits past the deadline and is not sent")
}

// A key rotation played on stagetest's clock: key A signs; B is imported, signing switches to it, and the
// verifier trusts both; A's tokens verify (and join) until A is deleted after the longest exp it signed
// has passed; the region holds at most MaxPublicKeys, so a fourth import is refused with 402.
func TestKeySetRotation(t *testing.T) {
	t.Parallel()
	clock := stagetest.NewClock(fixedClock)
	srv := stagetest.New(stagetest.WithClock(clock.Now))
	c := token.NewClientFromConfig(srv.Config())
	out, err := ivsrealtime.NewFromConfig(srv.Config()).CreateStage(t.Context(), &ivsrealtime.CreateStageInput{})
	require.NoError(t, err)
	tgt := token.Target{StageARN: aws.ToString(out.Stage.Arn), EventsURL: aws.ToString(out.Stage.Endpoints.Events), WhipURL: aws.ToString(out.Stage.Endpoints.Whip)}
	issue := func(s *token.Signer, d time.Duration) string {
		t.Helper()
		tok, err := s.Mint(tgt, token.New().WithDuration(d))
		require.NoError(t, err)
		return tok.Value()
	}

	old := importKeys(t, c, 1, clock.Now)[0]
	longest := issue(old, 2*time.Hour) // the longest exp the old key signs: fixedClock + 2h
	short := issue(old, time.Hour)

	// Import the new key and sign with it; the verifier loads both.
	clock.Advance(10 * time.Minute)
	next := importKeys(t, c, 1, clock.Now)[0]
	fresh := issue(next, time.Hour)
	ks, err := c.LoadKeys(t.Context())
	require.NoError(t, err)
	require.Equal(t, 2, ks.Len())

	verifies := func(raw string) error { _, err := ks.VerifyAt(raw, clock.Now()); return err }
	for _, raw := range []string{longest, short, fresh} {
		assert.NoError(t, verifies(raw))
	}

	// A third key fits; a fourth is refused by the service (the quota cannot be raised).
	third := importKeys(t, c, 1, clock.Now)[0]
	key, err := token.GenerateKey()
	require.NoError(t, err)
	_, err = c.ImportPublicKey(t.Context(), "fourth", &key.PublicKey)
	var quota *types.ServiceQuotaExceededException
	require.ErrorAs(t, err, &quota)
	var re interface{ HTTPStatusCode() int }
	require.ErrorAs(t, err, &re)
	assert.Equal(t, http.StatusPaymentRequired, re.HTTPStatusCode())
	require.NoError(t, c.DeletePublicKey(t.Context(), third.KeyID()))

	// Until the longest exp the old key signed, its tokens verify and join.
	clock.Advance(2*time.Hour - 10*time.Minute - time.Second) // fixedClock + 2h - 1s
	assert.NoError(t, verifies(longest), "the old key's last token, a second before its exp")
	_, err = srv.Join(tgt.StageARN, longest)
	assert.NoError(t, err, "the service accepts it too")
	assert.ErrorIs(t, verifies(short), jwt.ErrTokenExpired)

	// Its exp passed: the old key is deleted, and the verifier reloads. Checked as of a second earlier,
	// the token verified until the deletion and is refused for its kid after it.
	earlier := clock.Now()
	clock.Advance(time.Second)
	assert.ErrorIs(t, verifies(longest), jwt.ErrTokenExpired)
	_, err = ks.VerifyAt(longest, earlier)
	require.NoError(t, err, "before the deletion")
	require.NoError(t, c.DeletePublicKey(t.Context(), old.KeyID()))
	ks, err = c.LoadKeys(t.Context())
	require.NoError(t, err)
	assert.Equal(t, 1, ks.Len())
	_, err = ks.VerifyAt(longest, earlier)
	assert.ErrorIs(t, err, token.ErrUnknownKey, "after the deletion")
	assert.Contains(t, err.Error(), old.KeyID())
	_, err = srv.Join(tgt.StageARN, issue(old, time.Hour))
	assert.Error(t, err, "the service refuses the deleted key's tokens")
	assert.NoError(t, verifies(issue(next, time.Hour)), "the new key signs on")
	assert.False(t, errors.Is(verifies(fresh), token.ErrUnknownKey))
}
