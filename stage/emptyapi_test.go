package stage_test

import (
	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/stage"
)

// emptyAPI answers every call with an empty output (testutil.EmptyOutputs): a response that holds nothing.
// Fakes embed it and override the calls they answer otherwise. It lists no operation: a new one is
// answered too.
type emptyAPI struct{ stage.API }

// newEmptyAPI returns an emptyAPI.
func newEmptyAPI() emptyAPI { return emptyAPI{testutil.EmptyOutputs()} }
