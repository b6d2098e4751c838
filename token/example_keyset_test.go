package token_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// Rotate the signing key with verifiers that trust every imported key: import the new key, sign with it,
// keep the old one until the longest exp it signed has passed, then delete it. LoadKeys reads the keys the
// region holds (here stagetest's, on its clock); KeySet.Verify picks each token's key by its "kid".
func ExampleClient_LoadKeys() {
	ctx := context.Background()
	clock := stagetest.NewClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	srv := stagetest.New(stagetest.WithClock(clock.Now))
	client := token.NewClientFromConfig(srv.Config())
	target := token.Target{StageARN: "arn:aws:ivs:us-east-1:123456789012:stage/abcdEFGH1234",
		EventsURL: "wss://global.events.live-video.net", WhipURL: "https://abcdef123456.global-bm.whip.live-video.net"}

	signerFor := func(name string) *token.Signer {
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
		return s.WithClock(clock.Now)
	}
	old := signerFor("signing-2026-11")
	oldTok, _ := old.Mint(target, token.New().WithDuration(time.Hour)) // the longest the old key signs

	next := signerFor("signing-2026-12") // import the new key and sign with it from now on
	newTok, _ := next.Mint(target, token.New())
	keys, err := client.LoadKeys(ctx)
	if err != nil {
		log.Fatal(err)
	}
	_, errOld := keys.VerifyAt(oldTok.Value(), clock.Now())
	_, errNew := keys.VerifyAt(newTok.Value(), clock.Now())
	fmt.Println("keys:", keys.Len(), "old token:", errOld, "new token:", errNew)

	clock.Advance(time.Hour) // the old key's last token has expired: delete the key
	if err := client.DeletePublicKey(ctx, old.KeyID()); err != nil {
		log.Fatal(err)
	}
	keys.Remove(old.KeyID())
	_, err = keys.VerifyAt(oldTok.Value(), clock.Now().Add(-time.Minute))
	fmt.Println("keys:", keys.Len(), "old token unknown:", errors.Is(err, token.ErrUnknownKey))
	// Output:
	// keys: 2 old token: <nil> new token: <nil>
	// keys: 1 old token unknown: true
}
