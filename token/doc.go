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
// Tokens come from two places. Client asks the service (CreateParticipantToken; CreateMany for large
// batches); its Create and CreateMany calls, and those of the clients derived from it with WithOptions,
// share one rate limiter at the 50/s quota (Client.Limiter, WithLimiter). Signer mints ES384 JWTs locally,
// with no API call, from a P-384 key whose public half Client.ImportPublicKey registered once (at most 3
// keys per region); PrivateKeyPEM and ParseSigner keep the key as PEM; Signer.WithClock mints from another
// clock than time.Now (a test's, such as stagetest.Clock's Now, whose server then accepts the tokens at
// any date). Verify checks a token with one key, VerifyAt as of a given time, VerifyWithKeys with the key
// its "kid" names, for verifiers that trust several during a key rotation.
//
// What the package promises:
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
// Limits and defaults are named Max<Thing>, Min<Thing> and Default<Thing> (MaxDuration, DefaultRate), a
// service quota Max<Thing> when it cannot be raised (MaxPublicKeys) and <Thing>Quota when it can, an exact
// length <Thing>Length (ParticipantIDLength), a request-rate quota <Operations>RequestsPerSecond
// (CreateRequestsPerSecond, KeyRequestsPerSecond), and a limit package stage exports too has the same name
// there (MaxUserIDLength, MaxAttributesSize, MaxPageSize).
//
// The package knows nothing of stages beyond a Target: a stage ARN and its endpoints.
package token
