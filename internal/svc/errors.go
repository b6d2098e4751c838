package svc

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/restjson"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Base returns the per-call options every client starts from (its NewClient sets them): they add the
// error repair (ErrorRepairID) and the secret scrub (SecretScrubID) to the stack of every call of the
// official client, through AddErrorMiddleware. A new slice each time, so a client may extend it with
// Opts.With. A client on a fake API passes them too; a fake that does not build an SDK stack ignores them,
// and Err stays the repair of what it returns.
func Base() Opts { return Opts{withErrorMiddleware} }

// withErrorMiddleware appends AddErrorMiddleware to the call's APIOptions without writing into the
// backing array it was given (the SDK copies Options per call, but an option must not rely on it).
func withErrorMiddleware(o *ivsrealtime.Options) {
	o.APIOptions = append(slices.Clip(o.APIOptions), AddErrorMiddleware)
}

// Middleware IDs, as the SDK's stack knows them.
const (
	// ErrorRepairID is the deserialize middleware that reads every non-2xx response as the service's
	// error, whatever the operation: inserted right after (inside) the SDK's "OperationDeserializer".
	ErrorRepairID = "ivsrt.ErrorRepair"
	// SecretScrubID is the deserialize middleware that takes response bytes holding secrets out of a
	// failed call's error chain: inserted right before (outside) the SDK's "OperationDeserializer".
	SecretScrubID = "ivsrt.SecretScrub"
)

// MaxErrorBody is the most bytes of an error response body the error repair reads (1 MiB). A longer body
// is left to the SDK's own deserializer, whole.
const MaxErrorBody = 1 << 20

// AddErrorMiddleware adds the error repair and the secret scrub to stack, around the SDK's
// "OperationDeserializer" (ErrorRepairID inside it, SecretScrubID outside it). A stack that already has
// them is left as it is, so passing Base twice does no harm. It is an SDK APIOptions function.
//
// The error repair reads a non-2xx response the way restJson1 does, the same for every operation: the
// error code C from the x-amzn-ErrorType header, else from the body's "code" or "__type" (cut at the first
// ':' and after the first '#', as the SDK does), "UnknownError" when there is none; the text M from the
// body's "exceptionMessage", else "message" (any case, as the SDK reads it). When C is one of the service
// model's seven error shapes (AccessDeniedException, ConflictException, InternalServerException,
// PendingVerification, ResourceNotFoundException, ServiceQuotaExceededException, ValidationException;
// case-insensitive, like the SDK), the error is that *types.… value, its Message and ExceptionMessage both
// M and every other member read from the body and the headers, as the SDK reads them for the operations
// whose model lists the shape; otherwise it is a *smithy.GenericAPIError with Code C, Message M (C when
// there is no text) and Fault smithy.FaultServer for a 5xx status, smithy.FaultClient for a 4xx. Either
// way Error() ends with M, and the SDK wraps the error as usual (*smithy.OperationError,
// *awshttp.ResponseError with the status, …), so its retryer treats it as before: 5xx retried, a 429 or
// a throttling code retried as a throttle. A body that is not a JSON object, or longer than MaxErrorBody,
// is handed back untouched to the SDK's deserializer.
//
// The secret scrub acts on a failed call whatever failed: in each *smithy.DeserializationError of the
// error tree it replaces the Snapshot (the last bytes of the body the SDK could not decode, kept for
// debugging) by a copy in which secrets are redacted (RedactSecrets) and clears the original bytes, and it
// drains and closes the response body and replaces it with http.NoBody, so the *http.Response that
// *awshttp.ResponseError keeps holds none of the body.
func AddErrorMiddleware(stack *middleware.Stack) error {
	if _, ok := stack.Deserialize.Get(ErrorRepairID); !ok {
		if err := stack.Deserialize.Insert(errorRepair{}, "OperationDeserializer", middleware.After); err != nil {
			return err
		}
	}
	if _, ok := stack.Deserialize.Get(SecretScrubID); !ok {
		if err := stack.Deserialize.Insert(secretScrub{}, "OperationDeserializer", middleware.Before); err != nil {
			return err
		}
	}
	return nil
}

// errorRepair is the middleware of ErrorRepairID.
type errorRepair struct{}

func (errorRepair) ID() string { return ErrorRepairID }

func (errorRepair) HandleDeserialize(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (
	middleware.DeserializeOutput, middleware.Metadata, error,
) {
	out, metadata, err := next.HandleDeserialize(ctx, in)
	if err != nil {
		return out, metadata, err
	}
	resp, ok := out.RawResponse.(*smithyhttp.Response)
	if !ok || resp == nil || resp.Response == nil || resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return out, metadata, nil
	}
	if apiErr := ServiceError(resp); apiErr != nil {
		return out, metadata, apiErr
	}
	return out, metadata, nil
}

// ServiceError reads resp, a non-2xx response, as the error middleware does (see AddErrorMiddleware) and
// returns the service's error. It returns nil, and leaves resp's body to be read again from its start,
// when the body is not a JSON object (nor empty), is longer than MaxErrorBody or cannot be read.
func ServiceError(resp *smithyhttp.Response) smithy.APIError {
	var data []byte
	if resp.Body != nil {
		var err error
		data, err = io.ReadAll(io.LimitReader(resp.Body, MaxErrorBody+1))
		if err != nil || len(data) > MaxErrorBody {
			resp.Body = replayBody{Reader: io.MultiReader(bytes.NewReader(data), resp.Body), Closer: resp.Body}
			return nil
		}
		resp.Body = replayBody{Reader: bytes.NewReader(data), Closer: resp.Body}
	}
	body, ok := decodeObject(data)
	if !ok {
		return nil
	}
	code := restjson.SanitizeErrorCode(resp.Header.Get("X-Amzn-ErrorType"))
	if code == "" {
		code = restjson.SanitizeErrorCode(body.code())
	}
	if code == "" {
		code = "UnknownError"
	}
	text := body.text()
	if typed := modeledError(code, text, body, resp.Header); typed != nil {
		return typed
	}
	generic := &smithy.GenericAPIError{Code: code, Message: text}
	if text == "" {
		generic.Message = code // the SDK's message when the body has none
	}
	switch {
	case resp.StatusCode >= 500:
		generic.Fault = smithy.FaultServer
	case resp.StatusCode >= 400:
		generic.Fault = smithy.FaultClient
	}
	return generic
}

// replayBody is a response body read again from bytes already taken from it (then the rest); Close
// closes the original.
type replayBody struct {
	io.Reader
	io.Closer
}

// errorBody is the string members of an error response body, by name.
type errorBody map[string]string

// decodeObject decodes data as a JSON object and keeps its string members; empty (or blank) data is an
// object without members. ok is false for anything else.
func decodeObject(data []byte) (errorBody, bool) {
	if len(bytes.TrimSpace(data)) == 0 {
		return errorBody{}, true
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil || raw == nil {
		return nil, false
	}
	body := make(errorBody, len(raw))
	for k, v := range raw {
		var s string
		if json.Unmarshal(v, &s) == nil {
			body[k] = s
		}
	}
	return body, true
}

// fold returns the member whose name is name exactly, else one whose name equals it case-insensitively
// (encoding/json matches struct fields so, and the SDK reads "code", "__type" and "message" that way).
func (b errorBody) fold(name string) string {
	if v, ok := b[name]; ok {
		return v
	}
	for k, v := range b {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// code is the body's error code: "code", else "__type" (restjson.GetErrorInfo's order).
func (b errorBody) code() string {
	if c := b.fold("code"); c != "" {
		return c
	}
	return b.fold("__type")
}

// text is the service's words: "exceptionMessage" (the model's member), else "message".
func (b errorBody) text() string {
	if m := b["exceptionMessage"]; m != "" {
		return m
	}
	return b.fold("message")
}

// shape is the structure the seven modeled errors share (v1.30.0): each is built as a shape and converted,
// so a change of one type's members in the SDK fails to compile here.
type shape = types.AccessDeniedException

// boundMembers are the members of shape other than Message and ExceptionMessage: read from the body by
// their JSON name, then from the header the model binds them to (the header wins), as the SDK's
// deserializers do.
var boundMembers = []struct {
	json, header string
	field        func(*shape) **string
}{
	{"accessControlAllowOrigin", "Access-Control-Allow-Origin", func(s *shape) **string { return &s.AccessControlAllowOrigin }},
	{"accessControlExposeHeaders", "Access-Control-Expose-Headers", func(s *shape) **string { return &s.AccessControlExposeHeaders }},
	{"cacheControl", "Cache-Control", func(s *shape) **string { return &s.CacheControl }},
	{"contentSecurityPolicy", "Content-Security-Policy", func(s *shape) **string { return &s.ContentSecurityPolicy }},
	{"strictTransportSecurity", "Strict-Transport-Security", func(s *shape) **string { return &s.StrictTransportSecurity }},
	{"xAmznErrorType", "x-amzn-ErrorType", func(s *shape) **string { return &s.XAmznErrorType }},
	{"xContentTypeOptions", "X-Content-Type-Options", func(s *shape) **string { return &s.XContentTypeOptions }},
	{"xFrameOptions", "X-Frame-Options", func(s *shape) **string { return &s.XFrameOptions }},
}

// modeledError returns the *types.… error of code, or nil when code is none of the model's seven.
func modeledError(code, text string, body errorBody, header http.Header) smithy.APIError {
	var s shape
	if text != "" {
		s.Message, s.ExceptionMessage = &text, &text
	}
	for _, m := range boundMembers {
		if v, ok := body[m.json]; ok {
			*m.field(&s) = &v
		}
		if vs := header.Values(m.header); len(vs) > 0 {
			v := strings.TrimSpace(vs[0])
			*m.field(&s) = &v
		}
	}
	switch {
	case strings.EqualFold(code, "AccessDeniedException"):
		return &s
	case strings.EqualFold(code, "ConflictException"):
		e := types.ConflictException(s)
		return &e
	case strings.EqualFold(code, "InternalServerException"):
		e := types.InternalServerException(s)
		return &e
	case strings.EqualFold(code, "PendingVerification"):
		e := types.PendingVerification(s)
		return &e
	case strings.EqualFold(code, "ResourceNotFoundException"):
		e := types.ResourceNotFoundException(s)
		return &e
	case strings.EqualFold(code, "ServiceQuotaExceededException"):
		e := types.ServiceQuotaExceededException(s)
		return &e
	case strings.EqualFold(code, "ValidationException"):
		e := types.ValidationException(s)
		return &e
	}
	return nil
}

// secretScrub is the middleware of SecretScrubID.
type secretScrub struct{}

func (secretScrub) ID() string { return SecretScrubID }

func (secretScrub) HandleDeserialize(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (
	middleware.DeserializeOutput, middleware.Metadata, error,
) {
	out, metadata, err := next.HandleDeserialize(ctx, in)
	if err == nil {
		return out, metadata, nil
	}
	scrubSnapshots(err, 0)
	if resp, ok := out.RawResponse.(*smithyhttp.Response); ok && resp != nil && resp.Response != nil &&
		resp.Body != nil && resp.Body != http.NoBody {
		// As the SDK's ErrorCloseResponseBody does, so that the connection can be reused.
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		resp.Body = http.NoBody
	}
	return out, metadata, err
}

// scrubSnapshots redacts the Snapshot of every *smithy.DeserializationError in err's tree.
func scrubSnapshots(err error, depth int) {
	if err == nil || depth > 64 {
		return
	}
	if de, ok := err.(*smithy.DeserializationError); ok && de != nil && len(de.Snapshot) > 0 {
		if red := RedactSecrets(de.Snapshot); !bytes.Equal(red, de.Snapshot) {
			clear(de.Snapshot)
			de.Snapshot = red
		}
	}
	switch u := err.(type) {
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			scrubSnapshots(e, depth+1)
		}
	case interface{ Unwrap() error }:
		scrubSnapshots(u.Unwrap(), depth+1)
	}
}
