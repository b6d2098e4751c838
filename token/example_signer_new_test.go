package token_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"log"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/smithy-go"

	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// Set up self-signed tokens once: generate a P-384 key, import its public half (the service returns the
// key's ARN, every token's "kid"), and build the Signer from both. Its tokens then join the stage with no
// API call per token. Here the service is stagetest; a key on another curve or an ARN that is not a
// public key's is refused, every problem at once.
func ExampleNewSigner() {
	ctx := context.Background()
	srv := stagetest.New()
	key, err := token.GenerateKey()
	if err != nil {
		log.Fatal(err)
	}
	keyARN, err := token.NewClientFromConfig(srv.Config()).ImportPublicKey(ctx, "signing-2026", &key.PublicKey)
	if err != nil {
		log.Fatal(err)
	}
	signer, err := token.NewSigner(key, keyARN)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("kid is the imported key:", signer.KeyID() == keyARN)

	out, err := ivsrealtime.NewFromConfig(srv.Config()).CreateStage(ctx, &ivsrealtime.CreateStageInput{})
	if err != nil {
		log.Fatal(err)
	}
	target := token.Target{StageARN: aws.ToString(out.Stage.Arn), EventsURL: aws.ToString(out.Stage.Endpoints.Events),
		WhipURL: aws.ToString(out.Stage.Endpoints.Whip)}
	tok, err := signer.Mint(target, token.New().WithUserID("alice"))
	if err != nil {
		log.Fatal(err)
	}
	pid, err := srv.Join(target.StageARN, tok.Value())
	fmt.Println("joined:", pid == tok.ParticipantID, err)

	p256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	_, err = token.NewSigner(p256, "arn:aws:ivs:us-east-1:123456789012:stage/mYsTaGe12345")
	var invalid smithy.InvalidParamsError
	if errors.As(err, &invalid) {
		for _, e := range invalid.Errs() {
			fmt.Println(e)
		}
	}
	// Output:
	// kid is the imported key: true
	// joined: true <nil>
	// the private key's curve P-256 is not P-384 (ES384 needs a P-384 key), Signer.PrivateKey.
	// value "arn:aws:ivs:us-east-1:123456789012:stage/mYsTaGe12345" does not match pattern ^arn:aws:ivs:[a-z0-9-]+:[0-9]+:public-key/[a-zA-Z0-9-]+$, Signer.PublicKeyARN.
}

// Build a Signer from the PEM of a key kept in a secret store. ParseSigner takes PKCS#8 ("PRIVATE KEY", as
// PrivateKeyPEM writes it) and SEC1 ("EC PRIVATE KEY", as `openssl ecparam -name secp384r1 -genkey` writes
// it, after an "EC PARAMETERS" block it skips). What it refuses is named without showing key material.
func ExampleParseSigner() {
	key, err := token.GenerateKey()
	if err != nil {
		log.Fatal(err)
	}
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		log.Fatal(err)
	}
	params, err := asn1.Marshal(asn1.ObjectIdentifier{1, 3, 132, 0, 34}) // the curve's OID: secp384r1
	if err != nil {
		log.Fatal(err)
	}
	fromOpenSSL := append(pem.EncodeToMemory(&pem.Block{Type: "EC PARAMETERS", Bytes: params}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der})...)

	signer, err := token.ParseSigner(fromOpenSSL, "arn:aws:ivs:us-east-1:123456789012:public-key/abcdEFGH1234")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("same key:", signer.PublicKey().Equal(&key.PublicKey), "kid:", signer.KeyID())

	pub, err := token.PublicKeyPEM(&key.PublicKey) // the public half pasted where the private key belongs
	if err != nil {
		log.Fatal(err)
	}
	_, err = token.ParseSigner(pub, "")
	var invalid smithy.InvalidParamsError
	if errors.As(err, &invalid) {
		for _, e := range invalid.Errs() {
			fmt.Println(e)
		}
	}
	// Output:
	// same key: true kid: arn:aws:ivs:us-east-1:123456789012:public-key/abcdEFGH1234
	// PEM block type "PUBLIC KEY" is not "PRIVATE KEY" or "EC PRIVATE KEY", Signer.PrivateKeyPEM.
	// value is empty; the field is required (1..128 code points), Signer.PublicKeyARN.
}
