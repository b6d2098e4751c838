package token_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log"

	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// Keep a signing key as PEM (in a secret store) and turn it back into a Signer.
func ExamplePrivateKeyPEM() {
	key, err := token.GenerateKey()
	if err != nil {
		log.Fatal(err)
	}
	secret, err := token.PrivateKeyPEM(key) // store this as a secret; never log it
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s\n", bytes.SplitN(secret, []byte("\n"), 2)[0])

	// Later, in another process:
	signer, err := token.ParseSigner(secret, "arn:aws:ivs:us-east-1:123456789012:public-key/abcdEFGH1234")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("same key:", signer.PublicKey().Equal(&key.PublicKey))

	_, err = token.PrivateKeyPEM(nil)
	fmt.Println(err)
	// Output:
	// -----BEGIN PRIVATE KEY-----
	// same key: true
	// token: no private key given (nil *ecdsa.PrivateKey)
}

// A key rotation, against stagetest: import the new key, sign with it, verify with both keys until the
// old key's last token has expired, then delete the old key.
func ExampleVerifyWithKeys() {
	ctx := context.Background()
	client := token.NewClientFromConfig(stagetest.New().Config())
	stage := token.Target{
		StageARN:  "arn:aws:ivs:us-east-1:123456789012:stage/mYsTaGe12345",
		EventsURL: "wss://global.events.live-video.net",
		WhipURL:   "https://a1b2c3d4e5f6.global-bm.whip.live-video.net",
	}
	importKey := func(name string) (*token.Signer, string) {
		key, err := token.GenerateKey()
		if err != nil {
			log.Fatal(err)
		}
		arn, err := client.ImportPublicKey(ctx, name, &key.PublicKey)
		if err != nil {
			log.Fatal(err)
		}
		s, err := token.NewSigner(key, arn)
		if err != nil {
			log.Fatal(err)
		}
		return s, arn
	}
	mint := func(s *token.Signer, user string) string {
		tok, err := s.Mint(stage, token.New().WithUserID(user))
		if err != nil {
			log.Fatal(err)
		}
		return tok.Value()
	}

	oldSigner, oldARN := importKey("signer-2025")
	before := mint(oldSigner, "minted-before")
	currentSigner, newARN := importKey("signer-2026") // the rotation: import the new key, switch signers
	after := mint(currentSigner, "minted-after")

	// The verifier holds both keys, fetched from the service by ARN.
	keys := map[string]*ecdsa.PublicKey{}
	for _, arn := range []string{oldARN, newARN} {
		pk, err := client.GetPublicKey(ctx, arn)
		if err != nil {
			log.Fatal(err)
		}
		keys[arn] = pk.Key
	}
	names := map[string]string{oldARN: "the old key", newARN: "the new key"}
	for _, raw := range []string{before, after} {
		claims, err := token.VerifyWithKeys(raw, keys)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(claims.UserID, "verified with", names[claims.KeyID])
	}

	// Once the last token signed with the old key has expired (at most token.MaxDuration after the
	// switch), the old key goes.
	if err := client.DeletePublicKey(ctx, oldARN); err != nil {
		log.Fatal(err)
	}
	delete(keys, oldARN)
	_, err := token.VerifyWithKeys(before, keys)
	fmt.Println("old token, unknown key:", errors.Is(err, token.ErrUnknownKey))
	_, err = token.VerifyWithKeys(after, keys)
	fmt.Println("new token:", err)
	// Output:
	// minted-before verified with the old key
	// minted-after verified with the new key
	// old token, unknown key: true
	// new token: <nil>
}
