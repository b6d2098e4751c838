package stagetest_test

import (
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/stagetest"
)

// FuzzJoin feeds Join arbitrary tokens: it never panics, and it accepts nothing but the one valid
// self-signed token of the corpus (whose signature alone may vary: ECDSA signatures are malleable).
func FuzzJoin(f *testing.F) {
	w := newWorld(f)
	arn := w.stage(nil)
	key, kid := w.importKey()
	valid := sign(f, jwt.SigningMethodES384, key, kid, w.claims(arn, "fuzz-1"))
	signed := valid[:strings.LastIndexByte(valid, '.')]
	for _, seed := range []string{valid, "", "a.b.c", "..", signed + ".", signed + ".AAAA", "eyJhbGciOiJub25lIn0.e30.",
		strings.ToUpper(valid), valid + "=", " " + valid} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		var pid string
		var err error
		require.NotPanics(t, func() { pid, err = w.srv.Join(arn, tok) })
		if err != nil {
			assert.ErrorIs(t, err, stagetest.ErrJoinRefused)
			assert.Empty(t, pid)
			return
		}
		require.True(t, strings.HasPrefix(tok, signed+"."), "accepted a token that is not the valid one: %q", tok)
		require.NoError(t, w.srv.Leave(arn, pid))
	})
}
