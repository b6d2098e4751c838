package event

// MemoryStoreLen returns the number of IDs a NewMemoryStore holds (claimed, done, or expired and not yet
// forgotten).
func MemoryStoreLen(s Store) int {
	m := s.(*memoryStore)
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.records)
}

// ParseDecoded and ParseRaw are Parse's two paths, so that tests can give both the same input.
var (
	ParseDecoded = parseDecoded
	ParseRaw     = parseRaw
)
