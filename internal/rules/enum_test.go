package rules_test

import (
	"testing"

	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/internal/rules"
	"github.com/ivsrt/ivsrt/internal/testutil"
)

type shade string

var shades = rules.NewEnum[shade]("LIGHT", "DARK", "NONE")

func (shade) Values() []shade { return shades.Values() }
func (s shade) Valid() bool   { return shades.Has(s) }

func TestEnumValuesInOrder(t *testing.T) {
	t.Parallel()
	assert.Equal(t, []shade{"LIGHT", "DARK", "NONE"}, shades.Values())
	assert.Equal(t, []shade{"LIGHT", "DARK", "NONE"}, shade("").Values(), "through the type's method")
}

// Values hands out a new slice each time: writing to it, or appending to it, changes neither the Enum nor
// what the next call returns, nor a slice another caller holds.
func TestEnumValuesIsACopy(t *testing.T) {
	t.Parallel()
	first := shades.Values()
	second := shades.Values()
	require.Len(t, first, 3)
	first[0] = "CHANGED"
	grown := append(second, "EXTRA")
	grown[1] = "CHANGED TOO"
	assert.Equal(t, []shade{"LIGHT", "DARK", "NONE"}, shades.Values())
	assert.False(t, shades.Has("CHANGED"))
	assert.False(t, shades.Has("CHANGED TOO"))
	assert.False(t, shades.Has("EXTRA"))
	third := shades.Values()
	assert.NotSame(t, &first[0], &third[0], "a new array each call")
}

// NewEnum keeps its own copy of the values it was given.
func TestNewEnumCopiesItsInput(t *testing.T) {
	t.Parallel()
	in := []shade{"A", "B"}
	e := rules.NewEnum(in...)
	in[0] = "Z"
	assert.Equal(t, []shade{"A", "B"}, e.Values())
	assert.True(t, e.Has("A"))
	assert.False(t, e.Has("Z"))
}

func TestEnumHas(t *testing.T) {
	t.Parallel()
	tests := []struct {
		v    shade
		want bool
	}{
		{"LIGHT", true},
		{"DARK", true},
		{"NONE", true},
		{"", false},
		{"light", false}, // exact: case matters, as on the wire
		{"LIGHT ", false},
		{"GREY", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, shades.Has(tt.v), "%q", tt.v)
		assert.Equal(t, tt.want, tt.v.Valid(), "%q through the type's method", tt.v)
	}
}

func TestEnumHasDoesNotAllocate(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		_ = shades.Has("NONE")
		_ = shades.Has("GREY")
	})
	assert.Zero(t, allocs)
}

// The zero Enum has no member.
func TestZeroEnum(t *testing.T) {
	t.Parallel()
	var e rules.Enum[shade]
	assert.Empty(t, e.Values())
	assert.False(t, e.Has(""))
	assert.False(t, e.Has("LIGHT"))
}

// A mistake in a member list is a bug: NewEnum says which.
func TestNewEnumRefusesBadLists(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		values []shade
		want   string
	}{
		{"none", nil, "rules: NewEnum: no values"},
		{"empty value", []shade{"A", ""}, "rules: NewEnum: value 1 is empty"},
		{"repeated value", []shade{"A", "B", "A"}, `rules: NewEnum: value "A" is given twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.PanicsWithValue(t, tt.want, func() { rules.NewEnum(tt.values...) })
		})
	}
}

// CheckEnum and CheckList take a type built on an Enum, and name its members in order.
func TestCheckEnumOnAnEnumType(t *testing.T) {
	t.Parallel()
	errs := smithy.InvalidParamsError{Context: "In"}
	rules.CheckEnum(&errs, "S", shade("NONE"))
	require.NoError(t, rules.Result(errs))
	rules.CheckEnum(&errs, "S", shade("GREY"))
	testutil.AssertViolations(t, rules.Result(errs), map[string]string{"In.S": rules.RuleEnum})
	assert.Equal(t, `value "GREY" is not one of LIGHT, DARK, NONE, In.S.`, testutil.Messages(t, rules.Result(errs)))

	errs = smithy.InvalidParamsError{Context: "In"}
	rules.CheckList(&errs, "L", []shade{"DARK", "GREY", "DARK"}, 3)
	testutil.AssertViolations(t, rules.Result(errs), map[string]string{"In.L[1]": rules.RuleEnum, "In.L[2]": rules.RuleUnique})
}
