package rules

import (
	"fmt"
	"slices"
)

// Enum is the member list of one enum type (the model's, or the events'), built once by NewEnum from its
// values. Every enum type of the library answers its Values and Valid methods through one:
//
//	var mediaTypes = rules.NewEnum(MediaAudioVideo, MediaAudioOnly, MediaNone)
//
//	func (MediaType) Values() []MediaType { return mediaTypes.Values() }
//	func (m MediaType) Valid() bool       { return mediaTypes.Has(m) }
//
// so the list is written once. An Enum is never written after NewEnum: it is safe for concurrent use.
type Enum[T ~string] struct {
	values []T
}

// NewEnum returns the Enum of values, kept in the order given (the model's order, which Values returns).
// It panics when values is empty, holds "" or holds a value twice: the lists are package-level literals,
// so such a mistake is a bug that the first use of the package shows.
func NewEnum[T ~string](values ...T) Enum[T] {
	if len(values) == 0 {
		panic("rules: NewEnum: no values")
	}
	for i, v := range values {
		if v == "" {
			panic(fmt.Sprintf("rules: NewEnum: value %d is empty", i))
		}
		if slices.Contains(values[:i], v) {
			panic(fmt.Sprintf("rules: NewEnum: value %q is given twice", string(v)))
		}
	}
	return Enum[T]{values: slices.Clone(values)}
}

// Values returns the members, in order, in a new slice on each call: the caller may modify or append to
// it without changing what the next call returns.
func (e Enum[T]) Values() []T { return slices.Clone(e.values) }

// Has reports whether v is one of the members (compared exactly: case matters). It does not allocate.
func (e Enum[T]) Has(v T) bool { return slices.Contains(e.values, v) }

// Member is an enum type, as the checks take it: a string type whose Values method lists its members and
// whose Valid method tests one without allocating (it is on the happy path). The library's enum types
// answer both through an Enum.
type Member[T ~string] interface {
	~string
	Values() []T
	Valid() bool
}
