package token_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/ivsrt/ivsrt/token"
)

// Verify a self-signed token where it is presented (a backend that admits participants, say): the claims
// come back typed; a token signed with another key, altered on the way, or expired is refused, and no
// error shows the token.
func ExampleVerify() {
	key, err := token.GenerateKey()
	if err != nil {
		log.Fatal(err)
	}
	signer, err := token.NewSigner(key, "arn:aws:ivs:us-east-1:123456789012:public-key/abcdEFGH1234")
	if err != nil {
		log.Fatal(err)
	}
	stage := token.Target{
		StageARN:  "arn:aws:ivs:us-east-1:123456789012:stage/mYsTaGe12345",
		EventsURL: "wss://global.events.live-video.net",
		WhipURL:   "https://a1b2c3d4e5f6.global-bm.whip.live-video.net",
	}
	tok, err := signer.Mint(stage, token.New().WithUserID("alice").WithDuration(time.Hour))
	if err != nil {
		log.Fatal(err)
	}

	claims, err := token.Verify(tok.Value(), signer.PublicKey())
	fmt.Println("verified:", claims.UserID, claims.StageARN, claims.ExpiresAt.Sub(claims.IssuedAt), err)

	other, err := token.GenerateKey()
	if err != nil {
		log.Fatal(err)
	}
	_, err = token.Verify(tok.Value(), &other.PublicKey)
	fmt.Println("another key:", err)

	parts := strings.Split(tok.Value(), ".") // header.payload.signature: make alice an admin
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		log.Fatal(err)
	}
	parts[1] = base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(payload), `"alice"`, `"admin"`, 1)))
	_, err = token.Verify(strings.Join(parts, "."), signer.PublicKey())
	fmt.Println("altered:", err)

	old, err := signer.WithClock(func() time.Time { return time.Now().Add(-2 * time.Hour) }).
		Mint(stage, token.New().WithUserID("alice").WithDuration(time.Hour))
	if err != nil {
		log.Fatal(err)
	}
	_, err = token.Verify(old.Value(), signer.PublicKey())
	fmt.Println("expired an hour ago:", errors.Is(err, jwt.ErrTokenExpired), "the error shows the token:", strings.Contains(err.Error(), old.Value()))
	// Output:
	// verified: alice arn:aws:ivs:us-east-1:123456789012:stage/mYsTaGe12345 1h0m0s <nil>
	// another key: token: verify: token signature is invalid: crypto/ecdsa: verification error
	// altered: token: verify: token signature is invalid: crypto/ecdsa: verification error
	// expired an hour ago: true the error shows the token: false
}
