// Package rules holds the constraints of the IVS Real-Time model, written once, and the checks that turn a
// violation into the SDK's own validation error types (smithy.InvalidParamsError holding
// smithy.InvalidParamError entries).
//
// Every check appends to a caller-owned smithy.InvalidParamsError and allocates only when it reports a
// violation, so validating a valid value costs no allocation.
package rules

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/smithy-go"
)

// Rule names, as reported by (*ParamError).Rule.
const (
	RuleRequired = "required"
	RuleRange    = "range"
	RuleLength   = "length"
	RulePattern  = "pattern"
	RuleEnum     = "enum"
	RuleUnique   = "unique"
	RuleUnit     = "unit"
	RuleSize     = "size"
	RuleConflict = "conflict"
	// RuleUTF8 is a string that is not valid UTF-8: JSON cannot carry it, and the SDK would send U+FFFD in
	// place of each invalid byte, so the service would store something else than was asked.
	RuleUTF8 = "utf8"
)

// ParamError is one violation. It implements smithy.InvalidParamError exactly like the SDK's own
// entries: Field() is the full path (context, nested context, field), Error() is "<reason>, <path>.".
type ParamError struct {
	context       string
	nestedContext string
	field         string
	rule          string
	reason        string
}

var _ smithy.InvalidParamError = (*ParamError)(nil)

// New returns a violation of rule on field; reason names the rule and the offending value.
func New(field, rule, reason string) *ParamError {
	return &ParamError{field: field, rule: rule, reason: reason}
}

// Error returns "<reason>, <full field path>.", the SDK's format.
func (e *ParamError) Error() string { return e.reason + ", " + e.Field() + "." }

// Rule names the violated rule: one of the Rule… constants.
func (e *ParamError) Rule() string { return e.rule }

// Reason is the message without the field path.
func (e *ParamError) Reason() string { return e.reason }

// Field returns the full field path, built the way smithy-go builds it.
func (e *ParamError) Field() string {
	var sb strings.Builder
	sb.WriteString(e.context)
	if sb.Len() > 0 && (e.nestedContext == "" || e.nestedContext[0] != '[') {
		sb.WriteByte('.')
	}
	if e.nestedContext != "" {
		sb.WriteString(e.nestedContext)
		sb.WriteByte('.')
	}
	sb.WriteString(e.field)
	return sb.String()
}

// SetContext sets the base context (the input shape name).
func (e *ParamError) SetContext(ctx string) { e.context = ctx }

// AddNestedContext prepends a nesting level to the path, as smithy-go does.
func (e *ParamError) AddNestedContext(ctx string) {
	switch {
	case e.nestedContext == "":
		e.nestedContext = ctx
	case e.nestedContext[0] != '[':
		e.nestedContext = ctx + "." + e.nestedContext
	default:
		e.nestedContext = ctx + e.nestedContext
	}
}

// Result returns errs as an error, or nil when it holds no violation.
func Result(errs smithy.InvalidParamsError) error {
	if errs.Len() == 0 {
		return nil
	}
	return errs
}

// Nest adds every violation of sub (an error returned by a Validate method, or nil) to errs under the
// nested context nestedCtx ("" keeps the fields at errs' top level).
func Nest(errs *smithy.InvalidParamsError, nestedCtx string, sub error) {
	if sub == nil {
		return
	}
	if p, ok := sub.(smithy.InvalidParamsError); ok {
		errs.AddNested(nestedCtx, p)
		return
	}
	errs.Add(New(nestedCtx, RuleRequired, sub.Error()))
}

// Index returns "[i]", the nested context of a list element.
func Index(i int) string { return fmt.Sprintf("[%d]", i) }

// Key returns `["k"]`, the nested context of a map entry. A key that looks like a secret given in the wrong
// place (a JWT or a PEM block, see Quote) is measured, not shown: `[(N bytes, not shown: …)]`.
func Key(k string) string {
	if looksSecret(k) {
		return "[" + Quote(k) + "]"
	}
	return fmt.Sprintf("[%q]", k)
}

// OperationError wraps a validation error the way the SDK wraps its own.
func OperationError(operation string, err error) error {
	return &smithy.OperationError{ServiceID: ivsrealtime.ServiceID, OperationName: operation, Err: err}
}

// Quote renders a string value for a message: quoted, cut after 64 code points. A value that looks like a
// secret given in the wrong place (a JWT, such as a participant token, or a PEM block, such as a private
// key) is not shown, only measured.
func Quote(s string) string { return quote(s, 64) }

// QuoteARN renders an ARN for a message like Quote, but cut only after 128 code points (an ARN's maximum),
// so the resource ID at its end is shown.
func QuoteARN(s string) string { return quote(s, ARNMaxLength) }

func quote(s string, maxShown int) string {
	if looksSecret(s) {
		return fmt.Sprintf("(%d bytes, not shown: it looks like a token or a key)", len(s))
	}
	n := 0
	for i := range s {
		if n == maxShown {
			return fmt.Sprintf("%q…", s[:i])
		}
		n++
	}
	return fmt.Sprintf("%q", s)
}

// looksSecret reports a compact JWT (a base64url JSON header, "eyJ", and two dots) or a PEM block.
func looksSecret(s string) bool {
	return strings.Contains(s, "eyJ") && strings.Count(s, ".") >= 2 || strings.Contains(s, "-----BEGIN")
}
