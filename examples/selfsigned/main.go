// Command selfsigned mints participant tokens locally, with no API call per token: it generates a P-384 key,
// imports its public key once, signs ES384 tokens for a stage and verifies them.
//
//	go run ./examples/selfsigned          # against the in-memory fake (no AWS account needed)
//	go run ./examples/selfsigned -live    # real AWS: creates a stage and a public key, deletes both
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/ivsrt/ivsrt/examples/internal/env"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/token"
)

func main() {
	var flags env.Flags
	flags.Register(flag.CommandLine)
	n := flag.Int("n", 3, "how many tokens to mint")
	flag.Parse()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cfg, where, err := flags.Config(ctx)
	if err == nil {
		fmt.Println(where)
		err = run(ctx, os.Stdout, cfg, *n)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "selfsigned:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer, cfg aws.Config, n int) (err error) {
	stages := stage.NewClientFromConfig(cfg)
	tokens := token.NewClientFromConfig(cfg)

	st, _, err := stages.Create(ctx, stage.New().WithName("ivsrt-selfsigned"))
	if err != nil {
		return fmt.Errorf("creating a stage: %w", err)
	}
	defer func() {
		if derr := stages.Delete(ctx, st.ARN); derr != nil && err == nil {
			err = fmt.Errorf("deleting the stage: %w", derr)
		}
	}()
	fmt.Fprintf(w, "stage %s, events %s\n", st.ID(), st.Endpoints.Events)

	// Once: a key pair, and its public half imported (at most 3 keys per region).
	key, err := token.GenerateKey()
	if err != nil {
		return err
	}
	keyARN, err := tokens.ImportPublicKey(ctx, "ivsrt-selfsigned", &key.PublicKey)
	if err != nil {
		return fmt.Errorf("importing the public key: %w", err)
	}
	defer func() {
		if derr := tokens.DeletePublicKey(ctx, keyARN); derr != nil && err == nil {
			err = fmt.Errorf("deleting the public key: %w", derr)
		}
	}()
	fmt.Fprintf(w, "imported public key %s\n", keyARN)

	// Then any number of tokens, signed locally.
	signer, err := token.NewSigner(key, keyARN)
	if err != nil {
		return err
	}
	viewer := token.New().WithCapabilities(token.Subscribe).WithDuration(30 * time.Minute)
	for i := range n {
		tok, err := signer.Mint(st.TokenTarget(), viewer.WithUserID(fmt.Sprintf("viewer-%d", i+1)))
		if err != nil {
			return fmt.Errorf("minting: %w", err)
		}
		claims, err := token.Verify(tok.Value(), &key.PublicKey)
		if err != nil {
			return fmt.Errorf("verifying: %w", err)
		}
		fmt.Fprintf(w, "token %d: user %s, participant %s, publish %t, subscribe %t, valid %s, kid matches %t\n",
			i+1, claims.UserID, claims.ParticipantID, claims.Capabilities.AllowPublish, claims.Capabilities.AllowSubscribe,
			claims.ExpiresAt.Sub(claims.IssuedAt), claims.KeyID == keyARN)
	}
	fmt.Fprintf(w, "printed, a token hides its secret: %v\n", tokenPreview(signer, st.TokenTarget()))
	return nil
}

func tokenPreview(s *token.Signer, t token.Target) string {
	tok, err := s.Mint(t, token.New())
	if err != nil {
		return err.Error()
	}
	return tok.String()
}
