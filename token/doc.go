// Package token builds IVS Real-Time participant token configurations and holds the tokens the service
// issues, with the bearer string kept out of every log line.
//
//	cfg := token.New().
//		WithUserID("alice").
//		WithDuration(2 * time.Hour).          // whole minutes, 1 minute .. 14 days
//		WithCapabilities(token.Subscribe).    // default: Publish and Subscribe
//		WithAttribute("role", "viewer")       // ≤ 1,024 bytes in all
//	if err := cfg.Validate(); err != nil { … } // smithy.InvalidParamsError, every violation at once
//
// A Config is immutable: each With… returns a copy, so one Config serves as a template for many tokens. A
// Token prints, logs (slog) and formats without its bearer string; Token.Value returns it and
// Token.MarshalJSON includes it as "token" for handing to a client.
//
// # Tokens: Client and Signer
//
// Tokens come from two places. Client asks the service (CreateParticipantToken; CreateMany for large
// batches); its Create and CreateMany calls, and those of the clients derived from it with WithOptions,
// share one rate limiter at the 50/s quota
// (Client.Limiter("CreateParticipantToken"), Client.WithLimiter). Signer mints ES384 JWTs locally,
// with no API call, from a P-384 key whose public half Client.ImportPublicKey registered once (at most 3
// keys per region); PrivateKeyPEM and ParseSigner keep the key as PEM; Signer.WithClock mints from another
// clock than time.Now (a test's, such as stagetest.Clock's Now, whose server then accepts the tokens at
// any date). Verify checks a token with one key, VerifyAt as of a given time, VerifyWithKeys with the key
// its "kid" names, for verifiers that trust several during a key rotation; a KeySet holds such keys by ARN
// (Client.LoadKeys reads every imported one) and verifies each token with the key its "kid" names.
//
// # Key rotation
//
// A region holds at most MaxPublicKeys (3) public keys, and a key never expires: rotate by hand.
//
//  1. Import the new key (ImportPublicKey) and make the verifiers trust it (KeySet.Add, or LoadKeys
//     again) before any token is signed with it.
//  2. Sign with it: a Signer built from the new key and its ARN (NewSigner), which every new token names
//     as its "kid".
//  3. Keep the old key in the set until the longest exp it signed has passed: the longest duration
//     minted with it (at most MaxDuration, 14 days) after the switch.
//  4. Then delete it (DeletePublicKey; KeySet.Remove): the service no longer accepts its tokens, and
//     KeySet.Verify fails them with ErrUnknownKey.
//
// Never hold more than MaxPublicKeys: a fourth ImportPublicKey fails with
// *types.ServiceQuotaExceededException (HTTP 402), so with three keys imported, delete one before the
// next rotation starts.
//
// # What the package promises
//
//   - Keys are P-384, everywhere one enters: NewSigner, ParseSigner, PrivateKeyPEM, PublicKeyPEM,
//     ImportPublicKey, Verify, VerifyAt, VerifyWithKeys and the material GetPublicKey parses refuse a key
//     on P-224, P-256, P-521 or any other curve, with an error naming the curve and no key material.
//   - Verifying is bounded: input longer than MaxTokenSize (16 KiB) is
//     refused before any decoding, and a header with "crit" is refused. Errors never show the token.
//   - Reads are faithful: a CreateParticipantToken response that does not echo userId, duration,
//     capabilities or attributes returns what was requested (the service's default, 12 h and both
//     capabilities, only when the request left it unset too), and every time.Time the package returns
//     (Token.ExpiresAt, Claims.ExpiresAt and IssuedAt) is in UTC.
//
// The package knows nothing of stages beyond a Target: a stage ARN and its endpoints.
//
// # Errors
//
// Every error of a Client method is a *smithy.OperationError naming the operation, as the SDK wraps its
// own. Invalid input makes no request and wraps a smithy.InvalidParamsError listing every violation, with
// the SDK's Go field paths (CreateMany's name the config's index: "CreateParticipantTokenInput[3].Duration"),
// the rule and the value. Service errors keep the SDK's types (errors.As with
// *types.ResourceNotFoundException, *types.ServiceQuotaExceededException, …), typed whatever the
// operation's model lists, and their Error() ends with the service's words, which the official client
// leaves in ExceptionMessage only. ErrNoToken and ErrNoPublicKey are a response without one; a CreateMany
// that fails in part keeps every created token in its slot, and IndexErrors gives an *IndexError per other. Verify's errors wrap the
// jwt-go errors (ErrUnknownKey for a kid VerifyWithKeys or a KeySet holds no key for). No error, log line or
// format of a Token, Signer or Config shows a bearer string or key material.
//
// # Limits and quotas
//
//	what                     limit                                                  default   constant
//	duration                 1 minute–14 days, whole minutes                        12 h      MinDuration, MaxDuration, DefaultDuration
//	user ID                  ≤ 128 code points                                      none      MaxUserIDLength
//	attributes               ≤ 1,024 bytes, the sum of len(key)+len(value)          none      MaxAttributesSize
//	capabilities             PUBLISH and/or SUBSCRIBE, each once, ≥ 1 when set      both      —
//	verified token           ≤ 16 KiB                                               —         MaxTokenSize
//	public keys              3 per region (not adjustable)                          —         MaxPublicKeys
//	CreateParticipantToken   50 requests per second (not adjustable)                —         CreateRequestsPerSecond, DefaultRate
//	public-key operations    3 requests per second each (not adjustable)            —         KeyRequestsPerSecond
//
// WithCapabilities() with no capability is an error, although the model allows an empty list: a token that
// can neither publish nor subscribe is never what is meant; leave it unset for both. Strings that are not
// valid UTF-8 are errors (rule utf8).
//
// Limits and defaults are named Max<Thing>, Min<Thing> and Default<Thing> (MaxDuration, DefaultRate), a
// service quota Max<Thing> when it cannot be raised (MaxPublicKeys) and <Thing>Quota when it can, an exact
// length <Thing>Length (ParticipantIDLength), a request-rate quota <Operations>RequestsPerSecond
// (CreateRequestsPerSecond, KeyRequestsPerSecond), and a limit package stage exports too has the same name
// there (MaxUserIDLength, MaxAttributesSize, MaxPageSize).
//
// # Budgets
//
// The Client paces each operation it calls with a *rate.Limiter of its own at its quota, burst 1: the
// public-key operations at KeyRequestsPerSecond (3 per second) each, CreateParticipantToken at DefaultRate
// (50 per second, DefaultBurst 1), whose limiter Create and CreateMany share, so batches running at once in
// one process stay within the quota together. The limiters are shared by every client derived from it
// (WithOptions, WithLimiter). A call waits for its turn after the SDK's retry middleware, so each retry
// waits too; a turn after the context's deadline fails the call at once, nothing sent.
// WithLimiter(operation, l) replaces the limiter of one operation (the SDK's name, "ImportPublicKey"; nil:
// not paced); Limiter(operation) returns it.
//
// There is no cross-process limiter in the library. The quotas are per account and region, so N processes
// each pacing at the full rate exceed them together: either give each of the N processes 1/N of the rate
// (WithLimiter("CreateParticipantToken", rate.NewLimiter(50.0/N, 1))), or route the calls through one service that holds
// the client; and keep the SDK's retryer on (its default) for the 429s that remain. Pacing is a middleware
// of the official client, passed as a per-call option: a fake API given to NewClient is not paced.
//
// # Performance
//
// Figures from a 2-core VM (linux/amd64, Go 1.26.8), each run side by side with its baseline
// (sub-benchmarks impl=ecdsa|ivsrt, compared with benchstat -col /impl):
//
// Signer.Mint against a bare P-384 ecdsa.Sign of a SHA-384 digest: 198.2 µs vs 182.4 µs, 1.09× (1.03×
// to 1.09× across runs), about 5,000 tokens per second per core; 98% of the time is ecdsa.Sign.
//
//	go test -run '^$' -bench '^BenchmarkMint$' -benchmem -count 10 ./token
//
// KeySet.VerifyAt against token.VerifyAt with the one key: 634.2 µs vs 624.5 µs, 1.02× (n=6), fewer
// allocations (84 vs 98): choosing the key by kid costs a map lookup.
//
//	go test -run '^$' -bench '^BenchmarkKeySetVerify$' -benchmem -benchtime 300x -count 6 ./token
//
// Mint under b.RunParallel: 8,257 tokens/s at -cpu 2 against 2 × 4,121 at -cpu 1, 1.00 of linear
// (bare ecdsa.Sign: 0.90).
//
//	go test -run '^$' -bench '^BenchmarkMintParallel$' -benchmem -cpu 1,2 -benchtime 300ms -count 10 ./token
//
// CreateMany of 1,000 tokens against stagetest throttled at 500/s, client at WithRate(500,
// DefaultBurst): 498.9 tokens/s, 99.3% to 100.1% of the limit, never a 429.
//
//	go test -run '^$' -bench '^BenchmarkCreateManyRate$' -count 10 ./token
//
// Two concurrent CreateMany batches of 100 from clients sharing one limiter, against stagetest throttled
// at 50/s, SDK retries off: 49.99 tokens/s combined, 0 × 429, 0 lost.
//
//	go test -run '^$' -bench '^BenchmarkCreateManyConcurrentBatches$' -benchtime 1x -count 5 ./token
//
// Reliability: FuzzConfig, FuzzVerify (arbitrary strings and mutated tokens) and FuzzMintStrings run on
// their committed corpora in every go test and 5 s each in CI (go test -run '^$' -fuzz '^FuzzVerify$'
// -fuzztime 60s ./token); internal/secretsweep renders every error, format and log path of tokens, signers,
// configs, CreateMany results and Verify thousands of ways and checks that no bearer string or key leaks
// (go test ./internal/secretsweep). At the last count: 9,256 producers rendered 16,213 ways against 4,325
// secrets; the sweep found and closed eight leaks (among them a bearer in Token.UnmarshalJSON's error and a
// VerifyWithKeys key ID shown whole) and one silent failure (a damaged private scalar parsed as another
// key). One 60-second fuzzing run: FuzzVerify 969,037 executions, FuzzMintStrings 508,081, FuzzConfig
// 53,372; fuzzing found one bug, invalid UTF-8 in a user ID sent as U+FFFD (now rule utf8).
package token
