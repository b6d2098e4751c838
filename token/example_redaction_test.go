package token_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"

	"github.com/ivsrt/ivsrt/token"
)

// A Token prints and logs as [REDACTED] in place of its bearer string, whatever the verb or the handler:
// only Value and MarshalJSON (for handing the token to the participant's app) hold it.
func ExampleToken() {
	tok := token.FromSDK(types.ParticipantToken{ // as CreateStage or CreateParticipantToken return it
		ParticipantId:  aws.String("ABCDEfghij01234KLMN5678"),
		UserId:         aws.String("alice"),
		Token:          aws.String("eyJhbGciOiJLTVMiLCJ0eXAiOiJKV1QifQ.c2VjcmV0.c2lnbmF0dXJl"),
		Capabilities:   []types.ParticipantTokenCapability{types.ParticipantTokenCapabilitySubscribe},
		Duration:       aws.Int32(60),
		ExpirationTime: aws.Time(time.Date(2026, 5, 1, 19, 0, 0, 0, time.UTC)),
	})

	fmt.Printf("%v\n", tok)
	fmt.Printf("%+v\n", tok)
	fmt.Printf("%#v\n", tok)
	fmt.Printf("%s\n", []token.Token{tok}) // inside a slice too

	// slog calls LogValue: the token's fields, its bearer string redacted (time dropped for the example).
	noTime := func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}
	slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: noTime})).Info("issued", "token", tok)
	slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: noTime})).Info("issued", "token", tok)

	// For the participant's app: the bearer string, on purpose.
	data, err := json.Marshal(tok)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("JSON holds it:", strings.Contains(string(data), tok.Value()), "Value:", len(tok.Value()), "bytes")
	// Output:
	// {ParticipantID: "ABCDEfghij01234KLMN5678", UserID: "alice", Capabilities: [SUBSCRIBE], Duration: 1h0m0s, ExpiresAt: 2026-05-01T19:00:00Z, Value: [REDACTED]}
	// {ParticipantID: "ABCDEfghij01234KLMN5678", UserID: "alice", Capabilities: [SUBSCRIBE], Duration: 1h0m0s, ExpiresAt: 2026-05-01T19:00:00Z, Value: [REDACTED]}
	// token.Token{ParticipantID: "ABCDEfghij01234KLMN5678", UserID: "alice", Capabilities: [SUBSCRIBE], Duration: 1h0m0s, ExpiresAt: 2026-05-01T19:00:00Z, Value: [REDACTED]}
	// [{ParticipantID: "ABCDEfghij01234KLMN5678", UserID: "alice", Capabilities: [SUBSCRIBE], Duration: 1h0m0s, ExpiresAt: 2026-05-01T19:00:00Z, Value: [REDACTED]}]
	// level=INFO msg=issued token.participant_id=ABCDEfghij01234KLMN5678 token.user_id=alice token.capabilities=[SUBSCRIBE] token.duration=1h0m0s token.expires_at=2026-05-01T19:00:00.000Z token.token=[REDACTED]
	// {"level":"INFO","msg":"issued","token":{"participant_id":"ABCDEfghij01234KLMN5678","user_id":"alice","capabilities":["SUBSCRIBE"],"duration":3600000000000,"expires_at":"2026-05-01T19:00:00Z","token":"[REDACTED]"}}
	// JSON holds it: true Value: 56 bytes
}
