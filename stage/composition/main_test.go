package composition_test

import (
	"testing"

	"github.com/ivsrt/ivsrt/internal/testutil"
)

// TestMain runs the suite with the default rate limiters off: the mocks have no quota.
func TestMain(m *testing.M) { testutil.Main(m) }
