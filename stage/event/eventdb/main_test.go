package eventdb_test

import (
	"testing"

	"github.com/ivsrt/ivsrt/internal/testutil"
)

// TestMain runs the tests with the default rate limiters off (see testutil.Main).
func TestMain(m *testing.M) { testutil.Main(m) }
