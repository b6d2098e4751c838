package token_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/ivsrt/ivsrt/token"
)

// Build a token configuration from a shared template; each With… returns a copy.
func ExampleConfig() {
	viewer := token.New().
		WithCapabilities(token.Subscribe).
		WithDuration(2*time.Hour).
		WithAttribute("role", "viewer")

	alice := viewer.WithUserID("alice")
	bob := viewer.WithUserID("bob").WithAttribute("seat", "12")

	for _, cfg := range []token.Config{alice, bob} {
		sdk, err := cfg.ToSDK()
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(*sdk.UserId, *sdk.Duration, "minutes", sdk.Capabilities, sdk.Attributes)
	}
	fmt.Println("template untouched:", viewer.UserID() == "", len(viewer.Attributes()))
	// Output:
	// alice 120 minutes [SUBSCRIBE] map[role:viewer]
	// bob 120 minutes [SUBSCRIBE] map[role:viewer seat:12]
	// template untouched: true 1
}

// Every violation is reported at once, with the SDK's field paths.
func ExampleConfig_Validate() {
	err := token.New().
		WithUserID(strings.Repeat("é", 129)).
		WithDuration(90*time.Second).
		WithCapabilities(token.Publish, token.Publish).
		Validate()
	fmt.Println(err)
	// Output:
	// 3 validation error(s) found.
	// - length 129 is out of range 0..128 code points (value "éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé"…), ParticipantTokenConfiguration.UserId.
	// - value 1m30s is not a whole number of minutes, ParticipantTokenConfiguration.Duration.
	// - value "PUBLISH" is a duplicate; each value may appear once, ParticipantTokenConfiguration.Capabilities[1].
}
