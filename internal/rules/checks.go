package rules

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/smithy-go"
)

// Check reports on field a v that is not valid UTF-8, or else a length (in code points) or pattern
// violation. An empty v where the shape needs at least one code point (an ARN, a session ID, a tag key, a
// bucket name) is reported as such: "value is empty; the field is required (…)", under RuleLength.
func (r String) Check(errs *smithy.InvalidParamsError, field, v string) {
	if v == "" && r.Min > 0 {
		errs.Add(New(field, RuleLength, "value is empty; the field is required ("+r.lengths()+")"))
		return
	}
	if !CheckUTF8(errs, field, v) {
		return
	}
	n := utf8.RuneCountInString(v)
	if n < r.Min || n > r.Max {
		errs.Add(New(field, RuleLength, fmt.Sprintf("length %d is out of range %d..%d code points (value %s)", n, r.Min, r.Max, r.show(v))))
		return
	}
	if r.Pattern != nil && !r.Pattern.MatchString(v) {
		errs.Add(New(field, RulePattern, fmt.Sprintf("value %s does not match pattern %s", r.show(v), r.pattern())))
	}
}

// lengths describes the shape's length range for a message: "exactly 16 code points", "1..128 code
// points".
func (r String) lengths() string {
	if r.Min == r.Max {
		return fmt.Sprintf("exactly %d code points", r.Min)
	}
	return fmt.Sprintf("%d..%d code points", r.Min, r.Max)
}

// pattern is the pattern as messages print it.
func (r String) pattern() string {
	if r.Shown != "" {
		return r.Shown
	}
	return r.Pattern.String()
}

// Show renders v for a message as the checks do: quoted when it has the shape's Prefix (or the shape has
// none, or v is empty), only measured otherwise (a value that is not what the field holds may be a secret
// in the wrong place).
func (r String) Show(v string) string { return r.show(v) }

// show renders a rejected v for a message: quoted (Quote), or, when r has a Prefix that v lacks, only
// described, since such a value may be a secret given in the wrong place. "" is shown as "": it hides
// nothing.
func (r String) show(v string) string {
	if r.Prefix == "" || v == "" {
		return Quote(v)
	}
	if strings.HasPrefix(v, r.Prefix) {
		return QuoteARN(v)
	}
	return fmt.Sprintf("of %d bytes not starting with %q (not shown: it may be a secret passed in the wrong place)", len(v), r.Prefix)
}

// Valid reports whether v is valid UTF-8 and satisfies the shape.
func (r String) Valid(v string) bool {
	n := utf8.RuneCountInString(v)
	return utf8.ValidString(v) && n >= r.Min && n <= r.Max && (r.Pattern == nil || r.Pattern.MatchString(v))
}

// Check reports a range violation of v on field.
func (r Int) Check(errs *smithy.InvalidParamsError, field string, v int64) {
	if v < r.Min || v > r.Max {
		errs.Add(New(field, RuleRange, fmt.Sprintf("value %d is out of range %d..%d", v, r.Min, r.Max)))
	}
}

// CheckDuration converts d to whole units (time.Second, time.Minute) and checks the range. A d that is not
// a whole number of units is a violation, never rounded. It returns the value in units.
func (r Int) CheckDuration(errs *smithy.InvalidParamsError, field string, d, unit time.Duration) int64 {
	if d%unit != 0 {
		errs.Add(New(field, RuleUnit, fmt.Sprintf("value %s is not a whole number of %s", d, unitName(unit))))
		return int64(d / unit)
	}
	n := int64(d / unit)
	r.Check(errs, field, n)
	return n
}

func unitName(unit time.Duration) string {
	switch unit {
	case time.Second:
		return "seconds"
	case time.Minute:
		return "minutes"
	}
	return unit.String() + " units"
}

// CheckEnum reports v on field when it is not a member of its enum.
func CheckEnum[T Member[T]](errs *smithy.InvalidParamsError, field string, v T) {
	if !v.Valid() {
		errs.Add(New(field, RuleEnum, fmt.Sprintf("value %s is not one of %s", Quote(string(v)), join(v.Values()))))
	}
}

// CheckList reports on field: more than maxItems items, and for each item (as field[i]) a value outside
// its enum or a repeat of an earlier item.
func CheckList[T Member[T]](errs *smithy.InvalidParamsError, field string, items []T, maxItems int) {
	if len(items) > maxItems {
		errs.Add(New(field, RuleLength, fmt.Sprintf("%d items exceed the maximum of %d", len(items), maxItems)))
	}
	for i, v := range items {
		if !v.Valid() {
			CheckEnum(errs, field+Index(i), v)
			continue
		}
		if slices.Contains(items[:i], v) {
			errs.Add(New(field+Index(i), RuleUnique, fmt.Sprintf("value %s is a duplicate; each value may appear once", Quote(string(v)))))
		}
	}
}

// CheckTags reports on field: more than TagsMax entries, and each key (1..128 code points) or value
// (≤256 code points) out of range, as field["key"], in key order.
func CheckTags(errs *smithy.InvalidParamsError, field string, tags map[string]string) {
	if len(tags) > TagsMax {
		errs.Add(New(field, RuleLength, fmt.Sprintf("%d tags exceed the maximum of %d", len(tags), TagsMax)))
	}
	for _, k := range keysIfAnyFails(tags, func(k, v string) bool { return TagKey.Valid(k) && TagValue.Valid(v) }) {
		TagKey.Check(errs, field+Key(k)+".Key", k)
		TagValue.Check(errs, field+Key(k), tags[k])
	}
}

// AttributesSize is the size the attributes limit counts: the sum of len(key)+len(value) in bytes.
func AttributesSize(attrs map[string]string) int {
	n := 0
	for k, v := range attrs {
		n += len(k) + len(v)
	}
	return n
}

// CheckUTF8 reports v on field when it is not valid UTF-8, and returns whether it is.
func CheckUTF8(errs *smithy.InvalidParamsError, field, v string) bool {
	if utf8.ValidString(v) {
		return true
	}
	errs.Add(New(field, RuleUTF8, fmt.Sprintf("value %s is not valid UTF-8 (JSON would carry U+FFFD in place of its invalid bytes)", Quote(v))))
	return false
}

// CheckAttributes reports attributes whose size exceeds AttributesMaxBytes, and each key (as
// field["key"].Key) or value (as field["key"]) that is not valid UTF-8, in key order.
func CheckAttributes(errs *smithy.InvalidParamsError, field string, attrs map[string]string) {
	if n := AttributesSize(attrs); n > AttributesMaxBytes {
		errs.Add(New(field, RuleSize, fmt.Sprintf("size %d bytes exceeds the maximum of %d bytes (sum of key and value lengths)", n, AttributesMaxBytes)))
	}
	for _, k := range keysIfAnyFails(attrs, func(k, v string) bool { return utf8.ValidString(k) && utf8.ValidString(v) }) {
		CheckUTF8(errs, field+Key(k)+".Key", k)
		CheckUTF8(errs, field+Key(k), attrs[k])
	}
}

// keysIfAnyFails returns nil, without allocating, when valid holds for every entry of m; otherwise every
// key of m in order, for the checks to report each violation with a stable order.
func keysIfAnyFails(m map[string]string, valid func(k, v string) bool) []string {
	for k, v := range m {
		if !valid(k, v) {
			return slices.Sorted(maps.Keys(m))
		}
	}
	return nil
}

func join[T ~string](values []T) string {
	s := make([]string, len(values))
	for i, v := range values {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}
