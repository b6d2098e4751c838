// Command quickstart walks through the main flow of ivsrt: create a storage configuration (where recordings
// go), create a stage that records each participant with a reconnect window and issues two participant
// tokens, read it back, change the reconnect window, mint a self-signed token, turn recording off, and
// clean up.
//
//	go run ./examples/quickstart                                 # against the in-memory fake (no AWS account)
//	go run ./examples/quickstart -live -bucket my-recordings      # real AWS: creates (and deletes) a storage configuration
//	go run ./examples/quickstart -live -storage-configuration-arn arn:aws:ivs:…:storage-configuration/…  # reuses one
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
	"github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/token"
)

// fakeBucket is the bucket of the storage configuration created on the in-memory fake.
const fakeBucket = "ivsrt-quickstart-recordings"

func main() {
	var flags env.Flags
	flags.Register(flag.CommandLine)
	var storage env.Storage
	storage.Register(flag.CommandLine)
	flag.Parse()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	choice, err := storage.Resolve(flags.Live, fakeBucket)
	if err == nil {
		var cfg aws.Config
		var where string
		if cfg, where, err = flags.Config(ctx); err == nil {
			fmt.Println(where)
			err = run(ctx, os.Stdout, cfg, choice)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer, cfg aws.Config, choice env.Storage) (err error) {
	stages := stage.NewClientFromConfig(cfg)
	tokens := token.NewClientFromConfig(cfg)
	storage := recording.NewClientFromConfig(cfg)

	// 0. Where recordings go: a storage configuration on an S3 bucket (at most 5 per account and region).
	storageARN := choice.ARN
	if storageARN == "" {
		sc, err := storage.CreateStorage(ctx, recording.NewStorage(choice.Bucket).WithName("ivsrt-quickstart"))
		if err != nil {
			return fmt.Errorf("creating the storage configuration: %w", err)
		}
		storageARN = sc.ARN
		fmt.Fprintf(w, "created storage configuration %s on bucket %s\n", sc.ID(), sc.BucketName)
		// Deferred first, so it runs last: a storage configuration a stage records into cannot be deleted.
		defer func() {
			if derr := storage.DeleteStorage(ctx, storageARN); derr != nil && err == nil {
				err = fmt.Errorf("deleting the storage configuration: %w", derr)
			} else if derr == nil {
				fmt.Fprintf(w, "deleted storage configuration %s\n", sc.ID())
			}
		}()
	}

	// 1. A stage that records every participant, merging recordings of a publisher who reconnects within a
	//    minute, with tokens for two participants.
	rec := recording.New(storageARN).
		WithThumbnails(recording.ThumbnailsEvery(30*time.Second, recording.StorageLatest)).
		WithReconnectWindow(time.Minute)
	host := token.New().WithUserID("host").WithDuration(2 * time.Hour)
	viewer := token.New().WithUserID("viewer").WithCapabilities(token.Subscribe).WithAttribute("seat", "A1")

	st, issued, err := stages.Create(ctx, stage.New().
		WithName("ivsrt-quickstart").
		WithTag("project", "ivsrt").
		WithRecording(rec).
		WithParticipants(host, viewer))
	if err != nil {
		return fmt.Errorf("creating the stage: %w", err)
	}
	fmt.Fprintf(w, "created stage %s (%s)\n", st.ID(), st.Name)
	defer func() {
		if derr := stages.Delete(ctx, st.ARN); derr != nil && err == nil {
			err = fmt.Errorf("deleting the stage: %w", derr)
		} else if derr == nil {
			fmt.Fprintf(w, "deleted stage %s\n", st.ID())
		}
	}()
	printRecording(w, "  recording", st.Recording)
	for _, t := range issued {
		fmt.Fprintf(w, "  token for %q: participant %s, %v, valid for %s\n", t.UserID, t.ParticipantID, t.Capabilities, t.Duration)
	}

	// 2. Read it back.
	got, err := stages.Get(ctx, st.ARN)
	if err != nil {
		return fmt.Errorf("reading the stage: %w", err)
	}
	fmt.Fprintf(w, "read back: reconnect window %s, events endpoint %s\n", got.Recording.ReconnectWindow, got.Endpoints.Events)

	// 3. Change the reconnect window. UpdateStage replaces the whole recording object, so send it whole.
	got, err = stages.Update(ctx, st.ARN, stage.NewUpdate().WithRecording(rec.WithReconnectWindow(2*time.Minute)))
	if err != nil {
		return fmt.Errorf("updating the reconnect window: %w", err)
	}
	fmt.Fprintf(w, "updated: reconnect window %s\n", got.Recording.ReconnectWindow)

	// 4. A self-signed token, minted locally with a key imported once.
	key, err := token.GenerateKey()
	if err != nil {
		return err
	}
	keyARN, err := tokens.ImportPublicKey(ctx, "ivsrt-quickstart", &key.PublicKey)
	if err != nil {
		return fmt.Errorf("importing the public key: %w", err)
	}
	defer func() {
		if derr := tokens.DeletePublicKey(ctx, keyARN); derr != nil && err == nil {
			err = fmt.Errorf("deleting the public key: %w", derr)
		}
	}()
	signer, err := token.NewSigner(key, keyARN)
	if err != nil {
		return err
	}
	minted, err := signer.Mint(got.TokenTarget(), token.New().WithUserID("guest").WithDuration(time.Hour))
	if err != nil {
		return fmt.Errorf("minting: %w", err)
	}
	claims, err := token.Verify(minted.Value(), &key.PublicKey)
	if err != nil {
		return fmt.Errorf("verifying the minted token: %w", err)
	}
	fmt.Fprintf(w, "minted a self-signed token for %q: participant %s, topic %s, expires in %s\n",
		claims.UserID, minted.ParticipantID, claims.StageID, minted.Duration)

	// 5. Recording off: the service resets every recording field to its default.
	got, err = stages.Update(ctx, st.ARN, stage.NewUpdate().WithRecording(recording.Disabled()))
	if err != nil {
		return fmt.Errorf("disabling recording: %w", err)
	}
	printRecording(w, "recording after disable", got.Recording)
	return nil
}

func printRecording(w io.Writer, label string, s recording.Settings) {
	if !s.Enabled {
		fmt.Fprintf(w, "%s: off (media %s, reconnect window %s)\n", label, s.MediaType, s.ReconnectWindow)
		return
	}
	fmt.Fprintf(w, "%s: on, media %s, thumbnails %s every %s %v, HLS segments %s, reconnect window %s, replicas recorded %t\n",
		label, s.MediaType, s.ThumbnailMode, s.ThumbnailInterval, s.ThumbnailStorage, s.HLSSegmentDuration, s.ReconnectWindow, s.RecordReplicas)
}
