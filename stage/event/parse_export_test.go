package event

// ParseDecoded and ParseRaw are Parse's two paths, so that tests can give both the same input.
var (
	ParseDecoded = parseDecoded
	ParseRaw     = parseRaw
)
