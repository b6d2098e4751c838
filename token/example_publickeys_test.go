package token_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/aws/smithy-go"

	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// List the region's public keys (at most token.MaxPublicKeys), against stagetest. The iterator pages as
// the loop needs; an invalid page size is reported before anything is sent.
func ExampleClient_PublicKeys() {
	ctx := context.Background()
	srv := stagetest.New()
	client := token.NewClientFromConfig(srv.Config())
	for _, name := range []string{"signer-2025", "signer-2026"} {
		key, err := token.GenerateKey()
		if err != nil {
			log.Fatal(err)
		}
		if _, err := client.ImportPublicKey(ctx, name, &key.PublicKey); err != nil {
			log.Fatal(err)
		}
	}

	for k, err := range client.PublicKeys(ctx, token.WithPageSize(1)) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(k.Name)
	}

	before := srv.RequestCount()
	for _, err := range client.PublicKeys(ctx, token.WithPageSize(token.MaxPageSize+1)) {
		var invalid smithy.InvalidParamsError
		fmt.Println("invalid:", errors.As(err, &invalid), "requests sent:", srv.RequestCount()-before)
	}
	// Output:
	// signer-2025
	// signer-2026
	// invalid: true requests sent: 0
}
