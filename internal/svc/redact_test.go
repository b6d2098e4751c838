package svc_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/ivsrt/ivsrt/internal/svc"
)

func TestRedactSecrets(t *testing.T) {
	t.Parallel()
	const r = svc.Redacted
	tests := []struct{ name, in, want string }{
		{"nothing secret", `{"participantId":"p1","userId":"alice"}`, `{"participantId":"p1","userId":"alice"}`},
		{"empty", ``, ``},
		{"token member", `{"participantId":"p1","token":"abcdefgh","userId":"u"}`, `{"participantId":"p1","token":"` + r + `","userId":"u"}`},
		{"token member, spaced", `{"token" : "abcdefgh" }`, `{"token" : "` + r + `" }`},
		{"token member in another case", `{"Token":"abcdefgh"}`, `{"Token":"` + r + `"}`},
		{"empty token", `{"token":"","a":"b"}`, `{"token":"","a":"b"}`},
		{"stream key", `{"ingestConfiguration":{"streamKey":"sk_us-east-1_abc","name":"n"}}`, `{"ingestConfiguration":{"streamKey":"` + r + `","name":"n"}}`},
		{"cut inside the value", `{"userId":"u","token":"abcdef`, `{"userId":"u","token":"` + r},
		{"cut right after the opening quote", `{"token":"`, `{"token":"`},
		{"cut after the member name", `{"a":"b","token"`, `{"a":"b","token"`},
		{"escaped quote in a value before", `{"note":"say \"token\":","token":"abcdefgh"}`, `{"note":"say \"token\":","token":"` + r + `"}`},
		{"a value that reads like the member", `{"note":"token","x":"keep"}`, `{"note":"token","x":"keep"}`},
		{"JWT in any member", `{"note":"see eyJhbGciOiJFUzM4NCJ9.eyJzdWIiOiJ4In0.c2ln here"}`, `{"note":"see ` + r + ` here"}`},
		{"JWT cut", `{"note":"eyJhbGciOiJFUzM4NCJ9.eyJz`, `{"note":"` + r},
		{"starts inside a value", `defgh","participantId":"p1"}`, r + `","participantId":"p1"}`},
		{"starts inside a value, then a stream key", `tail","streamKey":"sk_secret","name":"n"}`, r + `","streamKey":"` + r + `","name":"n"}`},
		{"starts between members", `,"token":"abcdefgh"}`, `,"token":"` + r + `"}`},
		{"starts with a number", `123,"token":"abcdefgh"}`, r + `,"token":"` + r + `"}`},
		{"several tokens", `[{"token":"aaaaaaaa"},{"token":"bbbbbbbb"}]`, `[{"token":"` + r + `"},{"token":"` + r + `"}]`},
		{"token member holding a JWT", `{"token":"eyJhbGciOiJFUzM4NCJ9.eyJzdWIiOiJ4In0.c2ln"}`, `{"token":"` + r + `"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := []byte(tt.in)
			got := svc.RedactSecrets(in)
			assert.Equal(t, tt.want, string(got))
			assert.Equal(t, tt.in, string(in), "the input is not modified")
		})
	}
}
